// /sdk.d.ts is what a TypeScript site compiles against: it must stand alone and type the calls.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_DTS } from '../../src/web/generated/bundles';

const TSC = join(process.cwd(), 'node_modules/.bin/tsc');

const USAGE = `import { createClient, MinnowError, type ChatEvent } from './minnow-sdk';
const minnow = createClient({ key: 'pk_example', visitorToken: true });
export async function use(): Promise<string> {
  const { results } = await minnow.sentiment({ text: 'Great!' });
  const label: 'positive' | 'negative' | 'neutral' = results[0]!.label;
  const { results: hits } = await minnow.search('kb_1', { query: 'refunds', top_k: 3 });
  hits[0]?.document_id.toUpperCase();
  for await (const event of minnow.chatStream({ bot: 'support', message: 'Hi' })) {
    const seen: ChatEvent = event;
    if (seen.type === 'delta') seen.content.toUpperCase();
    if (seen.type === 'done') seen.response.citations[0]?.index.toFixed();
  }
  try {
    await minnow.classify({ text: 'a', labels: ['x', 'y'] });
  } catch (error) {
    if (error instanceof MinnowError) return error.code + error.status + (error.requestId ?? '');
  }
  // @ts-expect-error: the body is checked
  await minnow.sentiment({ txt: 'typo' });
  return label;
}
`;

describe('/sdk.d.ts', () => {
  it('compiles on its own and types a site’s calls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minnow-sdk-types-'));
    try {
      writeFileSync(join(dir, 'minnow-sdk.d.ts'), SDK_DTS);
      writeFileSync(join(dir, 'use.ts'), USAGE);
      // Run in the temporary folder, so the project's tsconfig.json is not in play.
      const tsc = spawnSync(TSC, ['--strict', '--noEmit', '--target', 'ES2022', '--module', 'ES2022', '--moduleResolution', 'bundler', '--lib', 'ES2022,DOM', '--types', '', 'use.ts'], { cwd: dir, encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
