// A tiny static file server for the example site (npm run example, and the browser tests, which
// replace config.js through `overrides` to point the page at their own Worker and key). An
// override is a string, or a getter that returns one or a promise of one (read per request).
import { readFile } from 'node:fs/promises';
import http from 'node:http';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export function createStaticServer({ root, port = 0, host = '127.0.0.1', overrides = {} }) {
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname.replace(/\/$/, '/index.html');
    const type = TYPES[path.slice(path.lastIndexOf('.'))];
    if (!type || path.includes('..')) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      const body = (await overrides[path]) ?? (await readFile(new URL(`.${path}`, root)));
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ port: server.address().port, close: () => new Promise((done) => server.close(done)) }));
  });
}
