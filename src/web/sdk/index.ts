// The browser SDK, served as /sdk.js (built by scripts/build-web.mjs) with its types as /sdk.d.ts.
export { createClient } from './client';
export { MinnowError } from './errors';
export type * from './types';
