// Types for build-web.mjs (the browser tests check its committed output is up to date).
export const OUTPUT: string;
export function buildWebBundles(): Promise<string>;
