// A second, independent implementation of clicktrail's URL signature in plain JS (node:crypto or
// WebCrypto), from the format documented in cpp/src/track.cpp:
//   HMAC-SHA256(secret, "clicktrail-v1\n" + piece(url up to '?') + for each present parameter in
//   the order mid rid li tg oid cid pid ch cr s r exp kid: name + "=" + piece(raw value))
//   where piece(x) = decimal byte length + ":" + x + "\n"; signature = base64url, no padding.
// Tests use it to sign URLs the core's builder would refuse (hostile targets), to check that
// verification still refuses them; the pure-JS baseline worker in bench/ verifies with it.

export const PARAM_ORDER = ['mid', 'rid', 'li', 'tg', 'oid', 'cid', 'pid', 'ch', 'cr', 's', 'r', 'exp', 'kid'];

const encoder = new TextEncoder();

function piece(text) {
  return `${encoder.encode(text).length}:${text}\n`;
}

/** The exact bytes that are signed, from the URL before '?' and the raw parameter values. */
export function signedMessage(urlWithoutQuery, rawParams) {
  let message = 'clicktrail-v1\n' + piece(urlWithoutQuery);
  for (const name of PARAM_ORDER) {
    if (rawParams.has(name)) message += `${name}=${piece(rawParams.get(name))}`;
  }
  return message;
}

function base64url(bytes) {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Builds a signed URL from raw (already encoded) values without any of the core's checks:
 * `params` is an array of [name, rawValue] in URL order; kid is added from the key.
 */
export async function signRaw(prefix, params, key) {
  const raw = new Map(params);
  raw.set('kid', key.id);
  const { createHmac } = await import('node:crypto');
  const sig = base64url(createHmac('sha256', key.secret).update(signedMessage(prefix, raw)).digest());
  const query = [...params, ['kid', key.id]].map(([n, v]) => `${n}=${v}`).join('&');
  return `${prefix}?${query}&sig=${sig}`;
}

/** WebCrypto verification of the signature only (what a Worker without the core can do). */
export async function verifySignatureWebCrypto(url, cryptoKeysById) {
  const question = url.indexOf('?');
  if (question < 0) return false;
  const raw = new Map();
  let sig = null;
  for (const pair of url.slice(question + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (name === 'sig') sig = value;
    else if (PARAM_ORDER.includes(name)) {
      if (raw.has(name)) return false;
      raw.set(name, value);
    }
  }
  const key = cryptoKeysById.get(raw.get('kid'));
  if (!key || !sig) return false;
  const expected = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, encoder.encode(signedMessage(url.slice(0, question), raw))),
  );
  const given = Buffer.from(sig.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i += 1) diff |= given[i] ^ expected[i];
  return diff === 0;
}
