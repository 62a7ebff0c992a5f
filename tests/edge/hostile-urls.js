// The open-redirect suite shared by the Worker and Lambda@Edge tests: URLs that must never get a
// 3xx. Each entry is {name, url}; every URL is aimed at the same base and key as a valid one.
import { buildClickUrl } from 'clicktrail';
import { signRaw } from './reference-signing.js';

export const BASE = 'https://t.example.com';
export const KEY = { id: 'k1', secret: 'edge-test-secret-0123456789' };
export const OTHER_SECRET = { id: 'k1', secret: 'another-secret-0123456789ab' };
export const ROTATED_OUT = { id: 'k0', secret: 'retired-secret-0123456789abc' };

export function validClick(target = 'https://shop.example.com/spring?id=7&ref=mail', extra = {}) {
  return buildClickUrl(target, { baseUrl: BASE, keyId: KEY.id, secret: KEY.secret, messageId: 'm-1', ...extra }, 3);
}

/** Targets no redirect may go to, each signed with the right key by the reference signer. */
const HOSTILE_TARGETS = [
  ['javascript: scheme', 'javascript:alert(document.cookie)'],
  ['data: scheme', 'data:text/html,%3Cscript%3Ealert(1)%3C/script%3E'],
  ['protocol-relative', '//evil.example/'],
  ['backslashes', 'https:%5C%5Cevil.example/'],
  ['credentials before the host', 'https://good.example%40evil.example/'],
  ['raw CR LF after decoding', 'https://evil.example/%0D%0ASet-Cookie:%20x=1'],
  ['overlong host', `https://${'a'.repeat(300)}.example/`],
  ['unicode host', 'https://%C3%A9vil.example/'],
  ['numeric host', 'https://2130706433/'],
  ['no host', 'https:///evil.example'],
  ['ftp scheme', 'ftp://evil.example/'],
];

export async function hostileUrls() {
  const valid = validClick();
  const prefix = `${BASE}/c`;
  const urls = [];
  for (const [name, rawTarget] of HOSTILE_TARGETS) {
    urls.push({ name: `signed ${name}`, url: await signRaw(prefix, [['mid', 'm-1'], ['r', rawTarget]], KEY) });
  }
  const other = buildClickUrl('https://evil.example/', { baseUrl: BASE, keyId: OTHER_SECRET.id, secret: OTHER_SECRET.secret });
  urls.push({ name: 'signature from another secret', url: other });
  const retired = buildClickUrl('https://evil.example/', { baseUrl: BASE, keyId: ROTATED_OUT.id, secret: ROTATED_OUT.secret });
  urls.push({ name: 'key id not active', url: retired });
  urls.push({ name: 'duplicated r= appended', url: `${valid}&r=https://evil.example/` });
  urls.push({ name: 'duplicated r= prepended', url: valid.replace('/c?', '/c?r=https://evil.example/&') });
  urls.push({ name: 'target swapped', url: valid.replace(/r=[^&]*/, 'r=https://evil.example/') });
  urls.push({ name: 'signature removed', url: valid.replace(/&sig=[^&]*/, '') });
  urls.push({ name: 'expired', url: validClick('https://shop.example.com/', { expiresAt: 1_000_000_000 }) });
  urls.push({ name: 'CR LF in the query', url: valid.replace('&kid=', '%0d%0aLocation:%20https://evil.example/&kid=') });
  urls.push({ name: 'path changed', url: valid.replace('/c?', '/c/?') });
  // Every single-byte change of a valid URL (one replacement character per position).
  for (let i = 0; i < valid.length; i += 1) {
    const replacement = valid[i] === 'x' ? 'y' : 'x';
    urls.push({ name: `byte ${i} changed`, url: valid.slice(0, i) + replacement + valid.slice(i + 1) });
  }
  return urls;
}
