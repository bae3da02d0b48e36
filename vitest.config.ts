import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { configDefaults, defineConfig } from 'vitest/config';
import { startHfStub } from './test/fakes/hf-stub-server';
import { startTurnstileStub } from './test/fakes/turnstile-stub-server';
import { startWebhookReceiver } from './test/fakes/webhook-receiver.mjs';

/** Workers tests that measure time: they run alone (the workers-timed project). */
const TIMED = ['test/hostile/bounded-work.test.ts', 'test/leases.test.ts', 'test/load/exactness.test.ts', 'test/faults/batch-faults.test.ts', 'test/faults/circuit-breaker.test.ts'];

/**
 * npm dependencies pre-bundled once per project (Vite's dependency optimizer) into a few files, so
 * each test file's workerd loads them as a handful of modules instead of ~400 (zod alone is 113)
 * fetched and evaluated one at a time through the module runner. The Worker's first, then the
 * tests' own. Not wink-nlp and its model: CommonJS, which workerd already loads natively (the
 * model's JSON as JSON); bundled, the model would be 4 MB of JavaScript through the module runner.
 */
const PREBUNDLED = [
  'zod',
  '@hono/zod-openapi',
  '@asteasolutions/zod-to-openapi',
  'hono',
  'hono/factory',
  'hono/utils/http-status',
  'hono/secure-headers',
  'hono/route',
  'hono/http-exception',
  'hono/cors',
  'hono/body-limit',
  '@huggingface/inference',
  '@modelcontextprotocol/sdk/types.js',
  '@modelcontextprotocol/sdk/server/index.js',
  '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js',
  '@cfworker/json-schema',
  'eld/extrasmall',
  'fast-check',
  'openai',
  '@modelcontextprotocol/sdk/client/index.js',
  '@modelcontextprotocol/sdk/client/streamableHttp.js',
  '@modelcontextprotocol/sdk/validation/cfworker',
];

/** A pre-bundled file goes to workerd without its source map (inlined, it would triple the bytes). */
const noMapsForPrebundled = {
  name: 'minnow:no-maps-for-prebundled',
  transform(code: string, id: string) {
    return id.includes('/deps_ssr/') ? { code, map: { mappings: '' } } : undefined;
  },
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  // One Hugging Face stand-in for the run; the Worker under test reaches it over real HTTP.
  const hf = await startHfStub();
  const turnstile = await startTurnstileStub();
  // Where the webhook tests' deliveries go (http://127.0.0.1 is allowed because ENVIRONMENT=development).
  const receiver = await startWebhookReceiver();
  // The Worker under test inside workerd, with the stand-ins; one per workers project.
  const workerd = () =>
    cloudflareTest({
      main: './src/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      remoteBindings: false,
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          HF_TOKEN: 'hf_test_token_not_secret',
          HF_BASE_URL: hf.baseUrl,
          PROVIDER_TIMEOUT_MS: '1000',
          // An open circuit probes again after 0.4 s (production: 30 s), so a breaker test sees a whole cycle.
          CIRCUIT_COOLDOWN_MS: '400',
          TURNSTILE_SITEVERIFY_URL: turnstile.siteverifyUrl,
          ENVIRONMENT: 'development',
          // A fixed test key (32 bytes, base64); production sets its own with `wrangler secret put`.
          SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
          WEBHOOK_RECEIVER_URL: receiver.baseUrl,
          // Retries within a second or two, so a test sees a whole schedule.
          WEBHOOK_RETRY_SCHEDULE: '1,1,1,1',
          WEBHOOK_TIMEOUT_MS: '1000',
          // How hard test/hostile's properties push (workerd has no process.env): see docs/testing.md.
          HOSTILE_RUNS: process.env.HOSTILE_RUNS ?? '',
          HOSTILE_SEED: process.env.HOSTILE_SEED ?? '',
        },
        // wrangler.toml's [ai] binding is remote-only: rename it out of the way so AI is the local stand-in.
        ai: { binding: 'REMOTE_AI_UNUSED_IN_TESTS' },
        serviceBindings: {
          AI: { name: 'fake-workers-ai', entrypoint: 'FakeAi' },
          AI_CONTROL: { name: 'fake-workers-ai', entrypoint: 'Control' },
          // Vectorize cannot run offline: a stand-in that follows its binding API.
          VECTORS: { name: 'fake-vectorize', entrypoint: 'FakeVectorize' },
          VECTORS_CONTROL: { name: 'fake-vectorize', entrypoint: 'FakeVectorize' },
        },
        workers: [
          {
            name: 'fake-workers-ai',
            modules: true,
            modulesRoot: './test/fakes',
            scriptPath: './test/fakes/fake-ai-worker.mjs',
            compatibilityDate: '2026-04-20',
          },
          {
            name: 'fake-vectorize',
            modules: true,
            modulesRoot: './test/fakes',
            scriptPath: './test/fakes/fake-vectorize.mjs',
            compatibilityDate: '2026-04-20',
          },
        ],
      },
    });

  // What both workers projects share: the Worker in workerd, migrations applied before each file,
  // and its npm dependencies pre-bundled.
  const inWorkerd = (test: { name: string; include: string[]; exclude?: string[]; maxWorkers: number; sequence?: { groupOrder: number } }) => ({
    plugins: [workerd(), noMapsForPrebundled],
    test: {
      ...test,
      setupFiles: ['./test/support/apply-migrations.ts'],
      deps: { optimizer: { ssr: { enabled: true, include: PREBUNDLED } } },
      testTimeout: 20_000,
    },
  });

  return {
    test: {
      projects: [
        // Everything under test/ except test/browser: runs inside workerd against real local bindings.
        inWorkerd({
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/browser/**', ...TIMED],
          // Four files at a time, even on 2 cores (vitest's default there is one): each file starts
          // its own workerd, and most of a file's time is waiting (queue retries, webhook retry
          // schedules, provider timeouts), so they overlap well. Measured on 20 files (webhooks,
          // tasks, task and chat faults) at load ~4: 142 s at two, 114–118 s at three, 96 s at four,
          // the same ~105 CPU-s each; test/hostile + isolation + upstreams at four: all 528 pass.
          // Not isolate: false (one workerd for every file): vitest-pool-workers 0.15 nests a Proxy
          // per entrypoint instance, and a whole run overflows the stack.
          maxWorkers: 4,
        }),
        // The files whose assertions are about time (CPU ratios, lease periods, timeouts and
        // cooldowns, bursts): one at a time, after the rest, so no other file shares the cores.
        inWorkerd({ name: 'workers-timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } }),
        {
          // Pages served by the Worker, driven in headless Chromium: Debian's where installed, else the
          // one @sparticuz/chromium ships in its npm package (test/browser/support/browser.ts). Runs in
          // Node: it starts the real Worker with `wrangler dev --local` (scripts/lib/local-server.mjs).
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['./test/browser/support/unpack-chromium.ts'],
            // After the workers project, not beside it: a second workerd and a browser competing for
            // a small CI machine's cores would make the timing-sensitive workers tests flaky.
            sequence: { groupOrder: 2 },
            // Two files at a time: most of a file's time is waiting for a `wrangler dev` to come up or
            // for deploy.test.ts's stand-in wrangler runs, so the other lane uses it (measured
            // 178 s → 86 s for the project, same CPU time, load ~6 from other processes).
            maxWorkers: 2,
            testTimeout: 60_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
