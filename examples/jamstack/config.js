// Where minnow runs and the publishable key this site uses. The key is safe to publish: it only
// works from the origins its tenant allowed, for the tasks in its scope, under per-visitor limits.
// These values work with `npm start` (the demo key allows http://localhost:8788, `npm run example`).
// `npm run example` serves this file with MINNOW_URL set to the server it was started against
// (`--base-url`, or the PORT given to npm start); a site deployed elsewhere uses it as written.
export const MINNOW_URL = 'http://localhost:8787';
export const MINNOW_KEY = 'pk_demoLocalOnlyKeyForMinnow0000000';
// Your knowledge base and chat bot (ids from POST /v1/kb and POST /v1/bots); these are the demo ones npm start seeds.
export const MINNOW_KB = 'kb_demo_help_centre';
export const MINNOW_BOT = 'bot_demo_support';
