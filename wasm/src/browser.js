// Browser entry: streams and compiles the .wasm next to this file (or the module or URL given
// to init), once per page.
import createClicktrailCore from '../dist/clicktrail-core.mjs';
import { createLazyEntry, instantiateCore } from './api.js';

export { ClicktrailError } from './api.js';

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  const response = await fetch(source ?? new URL('../dist/clicktrail-core.wasm', import.meta.url));
  if (!response.ok) throw new Error(`clicktrail: cannot load its .wasm (${response.status})`);
  return WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}

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
  parseSesEvent,
  parseSesEvents,
  analyzeSesEvents,
  suppressionDecision,
  buildSuppressionList,
  mergeSuppressionLists,
  reputation,
  engagement,
  parseCloudFrontLog,
  createCloudFrontLogParser,
  createLogAggregator,
  aggregateClicks,
} = createLazyEntry(async (source) => instantiateCore(createClicktrailCore, await compile(source)));
