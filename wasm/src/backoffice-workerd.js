// `clicktrail/backoffice` in Cloudflare Workers: the module is imported (workerd cannot compile
// bytes) and given to the glue, as workerd.js does for the core.
import wasmModule from '../dist/clicktrail-backoffice.wasm';
import createClicktrailBackoffice from '../dist/clicktrail-backoffice.mjs';
import { createLazyEntry, instantiateCore } from './api.js';
import { BACKOFFICE_NAMES, createBackofficeApi } from './backoffice.js';

export { ClicktrailError } from './core-io.js';

/** `await init()` once per isolate before the first call. */
export const {
  init,
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
  classifyTraffic,
} = createLazyEntry(
  () =>
    instantiateCore(createClicktrailBackoffice, wasmModule, {
      locateFile: (path) => path,
    }),
  createBackofficeApi,
  BACKOFFICE_NAMES,
);
