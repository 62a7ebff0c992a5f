// Verification of clicktrail tracking URLs in plain JS with WebCrypto, safe to run inside workerd
// without nodejs_compat: the pure-JS baseline that the load test compares the WASM worker with.
//
// Why not reuse tests/edge/reference-signing.js: its verifySignatureWebCrypto decodes with Buffer
// (absent in workerd), and miniflare refuses to load the module at all because of the dynamic
// import('node:crypto') in signRaw. So the format (cpp/src/track.cpp) is re-implemented here; the
// workerd test checks that this baseline and the real worker answer alike on the hostile suite.
//
// Signed message: "clicktrail-v1\n" + piece(url before '?') + for each present parameter in
// PARAMS order name + "=" + piece(raw value), where piece(x) = byte length + ":" + x + "\n".

export const PARAMS = ['mid', 'rid', 'li', 'tg', 'oid', 'cid', 'pid', 'ch', 'cr', 's', 'r', 'exp', 'kid'];

const MAX_URL_LENGTH = 32768;
const MAX_TARGET_LENGTH = 8192;
const encoder = new TextEncoder();

// RFC 3986 characters and well-formed %-escapes only: no controls, spaces, backslashes or raw
// non-ASCII, so a value cannot hide a header break or a look-alike host.
const URI_TEXT = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
// 32 bytes in base64url without padding; the last character must carry zero filler bits, so
// that exactly one spelling of a signature is accepted (the core compares the text).
const SIGNATURE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** {ok: true, fields, target?} or {ok: false, error} with the core's error codes. */
const fail = (error) => ({ ok: false, error });

/**
 * Imports every key once: `keys` is [{id, secret}]. Returns Map(id -> CryptoKey), so a request
 * costs one HMAC, not a key schedule.
 */
export async function importKeys(keys) {
  const entries = await Promise.all(
    keys.map(async ({ id, secret }) => [
      id,
      await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
    ]),
  );
  return new Map(entries);
}

// The URL is ASCII once URI_TEXT matched, so a string length is a byte length.
const piece = (text) => `${text.length}:${text}\n`;

function signedMessage(prefix, raw) {
  let message = 'clicktrail-v1\n' + piece(prefix);
  for (const name of PARAMS) {
    if (raw.has(name)) message += `${name}=${piece(raw.get(name))}`;
  }
  return message;
}

function base64urlBytes(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '=');
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// Percent-decoding byte by byte (each byte becomes one char code), like the core: invalid UTF-8
// is not an error here, and a decoded byte >= 0x80 then fails the target's character check.
function percentDecode(text) {
  return text.includes('%')
    ? text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}

function parseQuery(query) {
  const raw = new Map();
  let sig = null;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (name === 'sig') {
      // A repeated parameter could make the edge and a report disagree about which one counts.
      if (sig !== null) return null;
      sig = value;
    } else if (PARAMS.includes(name)) {
      if (raw.has(name)) return null;
      raw.set(name, value);
    }
  }
  return { raw, sig };
}

function isIpv4(host) {
  const parts = host.split('.');
  // No leading zeros: browsers read "010" as octal.
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIpv6(text) {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (const [index, half] of halves.entries()) {
    if (half === '') continue;
    const parts = half.split(':');
    for (const [k, part] of parts.entries()) {
      const lastOfAll = index === halves.length - 1 && k === parts.length - 1;
      if (lastOfAll && part.includes('.')) {
        if (!isIpv4(part)) return false;
        groups += 2;
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
        groups += 1;
      } else {
        return false;
      }
    }
  }
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

function isDnsName(host) {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === '' || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((l) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l))) return false;
  // An all-numeric last label is an IPv4 address in disguise ("2130706433", "0x7f.1").
  const last = labels[labels.length - 1];
  return !/^\d+$/.test(last) && !/^0x/i.test(last);
}

/** The redirect-target rules: absolute http(s), ASCII host, no credentials, sane port. */
export function isSafeTarget(target) {
  if (target.length > MAX_TARGET_LENGTH || !URI_TEXT.test(target)) return false;
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(target);
  if (!match) return false;
  const scheme = match[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return false;
  const authority = match[2];
  if (authority.includes('@')) return false;
  let host = authority;
  let port = '';
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return false;
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return false;
    host = authority.slice(0, close + 1);
    port = after.slice(1);
    if (!isIpv6(host.slice(1, -1))) return false;
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.slice(0, colon);
      port = authority.slice(colon + 1);
    }
    if (!isIpv4(host) && !isDnsName(host)) return false;
  }
  return /^\d{0,5}$/.test(port) && Number(port || 0) <= 65535;
}

// Everything before the HMAC: {error} or {key, sig, message, endpoint, raw}, where `key` is
// whatever `keys` maps the URL's kid to and `message` the signed text.
function parseTrackingUrl(url, keys) {
  if (url.length > MAX_URL_LENGTH || !URI_TEXT.test(url)) return fail('malformed');
  const question = url.indexOf('?');
  if (question < 0) return fail('malformed');
  const prefix = url.slice(0, question);
  const query = url.slice(question + 1);
  if (query.includes('#')) return fail('malformed');
  const endpoint = prefix.endsWith('/c') ? 'click' : prefix.endsWith('/pxl.png') ? 'pixel' : null;
  if (!endpoint) return fail('malformed');

  const parsed = parseQuery(query);
  if (!parsed) return fail('malformed');
  const { raw, sig } = parsed;
  if (!raw.has('kid') || sig === null) return fail('malformed');
  const key = keys.get(raw.get('kid'));
  if (!key) return fail('unknown_key');
  if (!SIGNATURE.test(sig)) return fail('bad_signature');
  return { key, sig, message: signedMessage(prefix, raw), endpoint, raw };
}

// Everything after a valid HMAC: the fields, expiry and (for clicks) the target.
function checkFields({ endpoint, raw }, nowSeconds) {
  const fields = {};
  for (const [name, value] of raw) fields[name] = percentDecode(value);
  if (fields.li) {
    const index = /^-?\d{1,10}$/.test(fields.li) ? Number(fields.li) : NaN;
    if (!(index >= 0 && index <= 2147483647)) return fail('malformed');
  }
  if (fields.exp) {
    if (!/^-?\d{1,19}$/.test(fields.exp)) return fail('malformed');
    if (nowSeconds > Number(fields.exp)) return fail('expired');
  }
  if (endpoint === 'click') {
    if (!raw.has('r')) return fail('malformed');
    if (!isSafeTarget(fields.r)) return fail('bad_target');
  }
  return { ok: true, endpoint, target: fields.r, fields };
}

/**
 * Verifies a tracking URL as the core does (format, key id, HMAC, expiry, and for clicks the
 * target): resolves to {ok: true, endpoint, target, fields} or {ok: false, error}.
 */
export async function verifyTrackingUrl(url, cryptoKeys, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parsed = parseTrackingUrl(url, cryptoKeys);
  if (parsed.error) return parsed;
  const valid = await crypto.subtle.verify('HMAC', parsed.key, base64urlBytes(parsed.sig), encoder.encode(parsed.message));
  return valid ? checkFields(parsed, nowSeconds) : fail('bad_signature');
}

/**
 * The same checks with a synchronous HMAC check supplied by the caller (for Node, where
 * node:crypto is synchronous): `verifySignature(key, sig, message)` gets the value `keys` maps
 * the kid to, the base64url signature text and the signed message (a string), and returns
 * whether the signature is right.
 */
export function verifyTrackingUrlSync(url, keys, verifySignature, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parsed = parseTrackingUrl(url, keys);
  if (parsed.error) return parsed;
  return verifySignature(parsed.key, parsed.sig, parsed.message) ? checkFields(parsed, nowSeconds) : fail('bad_signature');
}
