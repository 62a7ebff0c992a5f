// Node entry: the core is loaded when this module is imported, so every function is ready.
import { core } from './node-core.js';
import { createApi } from './api.js';

export { ClicktrailError } from './api.js';

export const {
  rewriteLinks,
  rewriteText,
  buildClickUrl,
  buildPixelUrl,
  createVerifier,
  createEdge,
  verifyTrackingUrl,
  recipientId,
  hmacSha256,
} = createApi(core);

/** Already initialised in Node; kept so code can call init() the same way on every host. */
export async function init() {}
