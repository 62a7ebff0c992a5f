// The tracking URL as a JS user would build it without clicktrail: the target and the fields in
// a query string, an HMAC-SHA256 over the whole URL with node:crypto, base64url. Not
// clicktrail's format (bench/edge/js-verify.js has that), but of the same length and cost: one
// HMAC and one URL of about the same size per link.
import { createHmac } from 'node:crypto';

export const TRACKING = {
  baseUrl: 'https://t.example.com',
  keyId: 'k1',
  secret: 'benchmark-secret-0123456789',
  messageId: 'm1',
};

/** The prefix every tracked href starts with, for every tool (also clicktrail's). */
export const TRACKED_PREFIX = `${TRACKING.baseUrl}/c?`;

/**
 * A function (target, linkIndex) -> tracked URL. One per email: the message id and key are
 * fixed, the link index counts the links of the email.
 */
export function createTracker({ baseUrl, keyId, secret, messageId } = TRACKING) {
  const prefix = `${baseUrl}/c?mid=${encodeURIComponent(messageId)}&li=`;
  return (target, linkIndex) => {
    const unsigned = `${prefix}${linkIndex}&r=${encodeURIComponent(target)}&kid=${keyId}`;
    const sig = createHmac('sha256', secret).update(unsigned).digest('base64url');
    return `${unsigned}&sig=${sig}`;
  };
}

/** For splicing into HTML attribute values in double quotes. */
export function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** For splicing into HTML text. */
export function escapeText(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** ASCII whitespace trimmed, as a browser does with an href. */
export function trimUrl(text) {
  return text.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
}

/** Whether an href (already decoded and trimmed) is an http(s) URL a tracker wraps. */
export function isHttpUrl(url) {
  return /^https?:\/\//i.test(url);
}
