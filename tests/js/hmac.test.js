// The core's HMAC-SHA256 (the WebAssembly build, which signs and checks every tracking URL)
// against Node's OpenSSL-backed node:crypto, on seeded random inputs and published vectors.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';

import { hmacSha256 } from 'clicktrail';

/** mulberry32: a tiny seeded PRNG, so a failure reproduces with the same inputs every run. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(random, length) {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

const hexToBase64url = (hex) => Buffer.from(hex, 'hex').toString('base64url');

function nodeHmac(key, message) {
  return createHmac('sha256', key).update(message).digest('base64url');
}

// Lengths where HMAC and SHA-256 change behaviour: the 64-byte block (keys longer than a block
// are hashed first), and the 55/56-byte boundary where the length field needs another block.
const KEY_EDGES = [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 200];
const MESSAGE_EDGES = [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 447, 448, 1000];
const EDGE_PAIRS = KEY_EDGES.length * MESSAGE_EDGES.length;

function pairs(count, seed) {
  const random = prng(seed);
  const cases = [];
  for (let i = 0; i < count; i++) {
    // First every pair of edge lengths (11 x 13 cases: the counts are coprime, so i mod 11 and
    // i mod 13 run through all combinations), then uniform random lengths.
    const edges = i < EDGE_PAIRS;
    const keyLength = edges ? KEY_EDGES[i % KEY_EDGES.length] : Math.floor(random() * 201);
    const messageLength = edges ? MESSAGE_EDGES[i % MESSAGE_EDGES.length] : Math.floor(random() * 1001);
    cases.push({ key: randomBytes(random, keyLength), message: randomBytes(random, messageLength) });
  }
  return cases;
}

test('hmacSha256 equals node:crypto on 500 seeded random (key, message) pairs', () => {
  const cases = pairs(500, 0xc11c7a11);
  assert.ok(cases.some((c) => c.key.length > 64), 'keys longer than a block are covered');
  assert.ok(cases.some((c) => c.key.length === 0) && cases.some((c) => c.message.length === 0));
  for (const [i, { key, message }] of cases.entries()) {
    const expected = nodeHmac(key, message);
    const actual = hmacSha256(key, message);
    if (actual !== expected) {
      assert.fail(
        `case ${i}: key ${key.length} bytes ${Buffer.from(key).toString('hex')}, ` +
          `message ${message.length} bytes: got ${actual}, node:crypto gives ${expected}`,
      );
    }
  }
});

test('hmacSha256 output is unpadded base64url of 32 bytes', () => {
  const digest = hmacSha256(new Uint8Array([1, 2, 3]), new Uint8Array(0));
  assert.match(digest, /^[A-Za-z0-9_-]{43}$/);
});

test('RFC 4231 test case 2: key "Jefe"', () => {
  const expected = hexToBase64url('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assert.equal(hmacSha256('Jefe', 'what do ya want for nothing?'), expected);
  // Strings are taken as their UTF-8 bytes: the same as passing the bytes.
  const encode = (text) => new TextEncoder().encode(text);
  assert.equal(hmacSha256(encode('Jefe'), encode('what do ya want for nothing?')), expected);
});

test('RFC 4231 test case 6: a 131-byte key, hashed before use', () => {
  const key = new Uint8Array(131).fill(0xaa);
  const message = 'Test Using Larger Than Block-Size Key - Hash Key First';
  const expected = hexToBase64url('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  assert.equal(hmacSha256(key, message), expected);
});

test('non-ASCII strings are hashed as UTF-8, like node:crypto', () => {
  const key = 'clé secrète ✓';
  const message = 'Grüße, 世界 — 🎉';
  assert.equal(hmacSha256(key, message), nodeHmac(Buffer.from(key, 'utf8'), Buffer.from(message, 'utf8')));
});
