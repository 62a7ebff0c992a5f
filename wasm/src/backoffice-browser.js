// `clicktrail/backoffice` in browsers: streams and compiles clicktrail-backoffice.wasm (next to
// this file, or the module or URL given to init) once per page.
import createClicktrailBackoffice from '../dist/clicktrail-backoffice.mjs';
import { createLazyEntry, instantiateCore } from './api.js';
import { BACKOFFICE_NAMES, createBackofficeApi } from './backoffice.js';
import { compileWasm } from './browser-compile.js';

export { ClicktrailError } from './core-io.js';

/** `init(source?)`: source is a WebAssembly.Module or the URL of clicktrail-backoffice.wasm. */
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
  async (source) =>
    instantiateCore(
      createClicktrailBackoffice,
      await compileWasm(source ?? new URL('../dist/clicktrail-backoffice.wasm', import.meta.url)),
    ),
  createBackofficeApi,
  BACKOFFICE_NAMES,
);
