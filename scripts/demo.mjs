// The demo tenant `npm start` seeds into LOCAL storage only. The key is public on purpose: it
// exists nowhere but a developer's .wrangler/ folder and is never created by a deploy.
export const DEMO_TENANT = { id: 'ten_demo', name: 'Demo tenant (local)' };
export const DEMO_KEY = 'sk_demoLocalOnlyKeyForMinnow0000000';
