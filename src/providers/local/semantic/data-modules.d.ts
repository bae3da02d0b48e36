// wrangler's default module rules (also applied by the vitest pool and `wrangler dev`) import
// `*.bin` files as Data modules: the file's bytes as one ArrayBuffer, available synchronously.
declare module '*.bin' {
  const bytes: ArrayBuffer;
  export default bytes;
}
