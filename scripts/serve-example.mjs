#!/usr/bin/env node
// `npm run example`: serves examples/jamstack as a static site on http://localhost:8788, a
// different origin from minnow (http://localhost:8787), as a real Jamstack site would be.
import { createStaticServer } from './lib/static-server.mjs';
import { EXAMPLE_PORT } from './demo.mjs';

const port = Number(process.env.EXAMPLE_PORT ?? EXAMPLE_PORT);
await createStaticServer({ root: new URL('../examples/jamstack/', import.meta.url), port, host: '127.0.0.1' });
console.log(`example site on http://localhost:${port}/ (minnow expected on http://localhost:8787: npm start)`);
