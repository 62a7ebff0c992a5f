// Browser entry: streams and compiles the .wasm next to this file (or the module or URL given
// to init), once per page.
import createClicktrailCore from '../dist/clicktrail-core.mjs';
import { createLazyEntry, instantiateCore } from './api.js';
import { compileWasm } from './browser-compile.js';

export { ClicktrailError } from './api.js';

/** `init(source?)`: source is a WebAssembly.Module or the URL of clicktrail-core.wasm. */
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
} = createLazyEntry(async (source) =>
  instantiateCore(
    createClicktrailCore,
    await compileWasm(source ?? new URL('../dist/clicktrail-core.wasm', import.meta.url)),
  ),
);
