// `clicktrail/backoffice` in Node: SES events and CloudFront logs. The module is loaded when this
// file is imported, so every function is ready.
import { backoffice } from './node-backoffice.js';
import { createBackofficeApi } from './backoffice.js';

export { ClicktrailError } from './core-io.js';

export const {
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
} = createBackofficeApi(backoffice);

/** Already initialised in Node; kept so code can call init() the same way on every host. */
export async function init() {}
