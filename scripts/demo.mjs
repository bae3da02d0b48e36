// The demo tenant `npm start` seeds into LOCAL storage only. The key is public on purpose: it
// exists nowhere but a developer's .wrangler/ folder and is never created by a deploy.
export const DEMO_TENANT = { id: 'ten_demo', name: 'Demo tenant (local)' };
export const DEMO_KEY = 'sk_demoLocalOnlyKeyForMinnow0000000';
// The demo publishable key: what the playground at / and the example site use. Allowed only for
// the local origins of the Worker and of the example site (`npm run example`).
export const DEMO_PUBLISHABLE_KEY = 'pk_demoLocalOnlyKeyForMinnow0000000';
export const EXAMPLE_PORT = 8788;
export const publishableDemoOrigins = (port) => [port, EXAMPLE_PORT].flatMap((p) => [`http://localhost:${p}`, `http://127.0.0.1:${p}`]);
