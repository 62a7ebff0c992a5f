// CloudFront Lambda@Edge viewer-request handler for tracking URLs. Lambda@Edge has no
// environment variables: keys come from a config module bundled at deploy time (see
// examples/lambda-edge), never from the request. Other paths go on to the origin unchanged.
// Recording on CloudFront is the access log; with `log: true` each hit is also one JSON line
// on console.log (CloudWatch Logs).
import createClicktrailCore from '../dist/clicktrail-core.mjs';
import { createApi } from './api.js';
import { PIXEL_GIF, cappedReferer, isPixelPath, isTrackingPath, responseFor } from './edge/responses.js';

const PIXEL_BASE64 = Buffer.from(PIXEL_GIF).toString('base64');
const STATUS_TEXT = { 200: 'OK', 302: 'Found', 400: 'Bad Request', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

async function loadApi(wasmBinary) {
  const bytes =
    wasmBinary ??
    (await import('node:fs')).readFileSync(new URL('../dist/clicktrail-core.wasm', import.meta.url));
  return createApi(await createClicktrailCore({ wasmBinary: bytes }));
}

// CloudFront's header format: lower-case keys, each an array of {key, value}.
function cloudFrontHeaders(headers) {
  const out = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = [{ key, value }];
  return out;
}

function header(request, name) {
  return request.headers?.[name]?.[0]?.value ?? '';
}

/**
 * config: keys [{id, secret}] (required), basePath (the path of the base URL links were signed
 * with, "" by default), allowedHosts, fullIp, rejectHtml, log (boolean),
 * origin ("https://t.example.com": the public origin to verify against; default
 * https:// + the Host header), wasmBinary (the .wasm bytes, when bundled).
 */
// CloudFront answers 502 to a generated response over 40 KB.
const MAX_REJECT_HTML = 32 * 1024;

export function createHandler(config) {
  if (config.rejectHtml !== undefined && Buffer.byteLength(config.rejectHtml) > MAX_REJECT_HTML) {
    throw new Error('clicktrail: rejectHtml must stay under 32 KB (CloudFront refuses larger generated responses)');
  }
  const origin = config.origin?.replace(/\/+$/, '');
  const basePath = (config.basePath ?? '').replace(/\/+$/, '');
  let ready = null;
  const edgeFor = () => {
    ready ??= loadApi(config.wasmBinary)
      .then((api) =>
        api.createEdge({
          keys: config.keys,
          allowedHosts: config.allowedHosts ?? [],
          fullIp: config.fullIp ?? false,
          basePath,
        }),
      )
      .catch((error) => {
        ready = null;  // try again on the next request instead of failing forever
        throw error;
      });
    return ready;
  };

  return async function handler(event) {
    const request = event.Records[0].cf.request;
    // A viewer request carries no scheme: URLs are verified as https (the template redirects
    // http to https), against the configured public origin or the Host header.
    const url = `${origin ?? `https://${header(request, 'host')}`}${request.uri}${request.querystring ? `?${request.querystring}` : ''}`;
    const head = request.method === 'HEAD';
    let decision;
    try {
      const edge = await edgeFor();
      decision = edge.handle(request.method, url, header(request, 'user-agent'), request.clientIp ?? '', Date.now());
    } catch (error) {
      console.error('clicktrail: cannot load the core or keys:', error.message);
      // A broken configuration must not break an email (the pixel is served) nor the rest of
      // the site (other paths go on to the origin).
      if (!isTrackingPath(request.uri, basePath)) return request;
      decision = { action: isPixelPath(request.uri, basePath) ? 'pixel' : 'error', record: false };
    }
    if (decision.action === 'pass') return request;
    if (config.log && decision.record) {
      console.log(JSON.stringify({ clicktrail: { ...decision.event, referer: cappedReferer(header(request, 'referer')) } }));
    }
    const { status, headers, body } = responseFor(decision, { head, rejectHtml: config.rejectHtml });
    const response = {
      status: String(status),
      statusDescription: STATUS_TEXT[status] ?? '',
      headers: cloudFrontHeaders(headers),
    };
    if (body === 'pixel') {
      response.body = PIXEL_BASE64;
      response.bodyEncoding = 'base64';
    } else if (body !== null) {
      response.body = body;
    }
    return response;
  };
}
