// The pure-JS baseline Worker for the load test: the same endpoints and answers as clicktrail's
// Cloudflare Worker (wasm/src/cloudflare.js), with verification in JS + WebCrypto instead of the
// WASM core. It records NOTHING (no D1, no Queue, no waitUntil): the load test compares
// verification + response only, and runs clicktrail's worker without recording bindings too.
import { responseFor, PIXEL_GIF } from '../../wasm/src/edge/responses.js';
import { importKeys, verifyTrackingUrl } from './js-verify.js';

let keysSource = null;
let keysPromise = null;

// Keys are imported once per isolate and again only when the secret changes (rotation).
function cryptoKeysFor(env) {
  if (env.CLICKTRAIL_KEYS !== keysSource) {
    keysSource = env.CLICKTRAIL_KEYS;
    keysPromise = importKeys(JSON.parse(keysSource));
  }
  return keysPromise;
}

// Exactly /c and /pxl.png, as the clicktrail worker matches them (other paths are not ours).
function endpointOf(url) {
  const path = new URL(url).pathname;
  if (path === '/c') return 'click';
  if (path === '/pxl.png') return 'pixel';
  return null;
}

// Shares responseFor with the real worker so that both send byte-identical headers and bodies.
function toResponse(decision, head) {
  const { status, headers, body } = responseFor(decision, { head });
  return new Response(body === 'pixel' ? PIXEL_GIF : body, { status, headers });
}

async function decide(request, env) {
  const endpoint = endpointOf(request.url);
  if (!endpoint) return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') return { action: 'method_not_allowed' };
  const result = await verifyTrackingUrl(request.url, await cryptoKeysFor(env));
  // The real worker verifies a pixel too (to decide whether to record it), so this one does the
  // same work even though the answer never depends on it.
  if (endpoint === 'pixel') return { action: 'pixel' };
  return result.ok ? { action: 'redirect', location: result.target } : { action: 'reject' };
}

export default {
  async fetch(request, env) {
    const decision = await decide(request, env);
    if (!decision) return new Response('Not found', { status: 404 });
    return toResponse(decision, request.method === 'HEAD');
  },
};
