// What both edge handlers send back, independent of the platform's response format.

// A 1x1 transparent GIF (43 bytes): the smallest image every mail client renders.
export const PIXEL_GIF = Uint8Array.from([
  0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
]);

// Every answer is per-recipient: never cached by a shared cache, never a cookie.
const NO_STORE = 'private, no-store, no-cache, must-revalidate, max-age=0';

export const DEFAULT_REJECT_HTML =
  '<!doctype html><meta charset="utf-8"><title>Link not valid</title>' +
  '<p>This link is not valid or has expired.</p>';

/**
 * The response for an edge decision as {status, headers (name -> value), body} where body is
 * 'pixel', a string, or null. `rejectHtml` is the page shown for a refused click.
 */
export function responseFor(decision, { head = false, rejectHtml = DEFAULT_REJECT_HTML } = {}) {
  switch (decision.action) {
    case 'redirect':
      return {
        status: 302,
        headers: {
          Location: decision.location,
          'Cache-Control': NO_STORE,
          // The tracking URL carries ids: the target site must not see it in Referer.
          'Referrer-Policy': 'no-referrer',
        },
        body: null,
      };
    case 'pixel':
      return {
        status: 200,
        headers: {
          // No Content-Length: the platforms set it, and Lambda@Edge refuses it as read-only.
          'Content-Type': 'image/gif',
          'Cache-Control': NO_STORE,
          Expires: '0',
        },
        body: head ? null : 'pixel',
      };
    case 'reject':
      return {
        status: 400,
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': NO_STORE },
        body: head ? null : rejectHtml,
      };
    case 'method_not_allowed':
      return { status: 405, headers: { Allow: 'GET, HEAD', 'Cache-Control': NO_STORE }, body: null };
    default:
      return {
        status: 500,
        headers: { 'Content-Type': 'text/plain', 'Cache-Control': NO_STORE },
        body: head ? null : 'clicktrail: not configured',
      };
  }
}

/** The path of an absolute URL or of a CloudFront `uri`, without query or fragment. */
function pathOf(url) {
  const beforeQuery = url.split(/[?#]/, 1)[0];
  const schemeEnd = beforeQuery.indexOf('://');
  if (schemeEnd < 0) return beforeQuery;
  const pathStart = beforeQuery.indexOf('/', schemeEnd + 3);
  return pathStart < 0 ? '/' : beforeQuery.slice(pathStart);
}

/** True for the pixel endpoint: a pixel is served even when nothing else works. */
export function isPixelPath(url, basePath = '') {
  return pathOf(url) === `${basePath}/pxl.png`;
}

/** True for the two tracking endpoints, `<basePath>/c` and `<basePath>/pxl.png`, exactly. */
export function isTrackingPath(url, basePath = '') {
  const path = pathOf(url);
  return path === `${basePath}/c` || path === `${basePath}/pxl.png`;
}

/** Referer as stored: at most 1 KB (a webmail's Referer can carry a whole mailbox query). */
export function cappedReferer(value) {
  if (!value) return undefined;
  return value.length > 1024 ? value.slice(0, 1024) : value;
}
