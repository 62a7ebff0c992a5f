// Cloudflare Workers entry: workerd can only instantiate a WebAssembly.Module that was imported
// (no compiling from bytes, no eval), so the module is imported and given to the glue.
import wasmModule from '../dist/clicktrail-core.wasm';
import createClicktrailCore from '../dist/clicktrail-core.mjs';
import { createLazyEntry, instantiateCore } from './api.js';

export { ClicktrailError } from './api.js';

/** `await init()` once per isolate before the first call. */
export const {
  init,
  rewriteLinks,
  rewriteText,
  buildClickUrl,
  buildPixelUrl,
  createVerifier,
  createEdge,
  verifyTrackingUrl,
  recipientId,
  hmacSha256,
} = createLazyEntry(() =>
  instantiateCore(createClicktrailCore, wasmModule, { locateFile: (path) => path }),
);
