// clicktrail's Cloudflare Worker in the real runtime: workerd started by miniflare, requests sent
// with dispatchFetch, events read back from the local D1 database that miniflare keeps in SQLite.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Miniflare } from 'miniflare';
import { buildClickUrl, buildPixelUrl } from 'clicktrail';
import { BASE, KEY, hostileUrls, validClick } from './hostile-urls.js';
import { signRaw } from './reference-signing.js';
import { EVENTS_TABLE, SCHEMA } from '../../wasm/src/edge/d1.js';
import { PIXEL_GIF } from '../../wasm/src/edge/responses.js';
import { bundleWorker } from '../../bench/edge/bundle-size.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TARGET = 'https://shop.example.com/spring?id=7&ref=mail';
// The second active key: a rotation has both the old and the new key live at once.
const NEXT_KEY = { id: 'k2', secret: 'edge-next-secret-9876543210' };
const KEYS_SECRET = JSON.stringify([KEY, NEXT_KEY]);
const RETENTION_DAYS = 30;
const CF = { country: 'DE', colo: 'FRA', asn: 64500 };
const DAY_MS = 86_400_000;

// .js files are ES modules (package "type": "module"), the glue is .mjs, and the core's .wasm is
// imported as a WebAssembly.Module, as wrangler's default rules do it.
const MODULE_RULES = [
  { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
  { type: 'CompiledWasm', include: ['**/*.wasm'] },
];

// The Worker under test: the package's entry itself as the main module.
const CLOUDFLARE_ENTRY = { entry: join(ROOT, 'wasm', 'src', 'cloudflare.js') };

/** Starts a Worker in workerd; `outbound` collects every fetch() the Worker makes. */
function startWorker({ entry, script, modulesRoot = ROOT, keys = KEYS_SECRET, bindings = {}, d1Persist, outbound = [], logs = [] }) {
  return new Miniflare({
    modules: true,
    ...(script ? { script, scriptPath: entry } : { scriptPath: entry }),
    modulesRoot,
    modulesRules: MODULE_RULES,
    compatibilityDate: '2025-01-01',
    bindings: { ...(keys === null ? {} : { CLICKTRAIL_KEYS: keys }), ...bindings },
    // d1Persist: a directory keeps the SQLite file there; false keeps D1 in memory.
    ...(d1Persist !== undefined ? { d1Databases: { CLICKTRAIL_DB: 'clicktrail-test' }, d1Persist } : {}),
    // A fixed request.cf: no download of Cloudflare's cf blob, and known country/colo values.
    cf: CF,
    telemetry: { enabled: false },
    outboundService(request) {
      outbound.push(request.url);
      return new Response('no network in tests', { status: 599 });
    },
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (chunk) => logs.push(String(chunk)));
      stderr.on('data', (chunk) => logs.push(String(chunk)));
    },
  });
}

async function send(mf, url, init = {}) {
  const response = await mf.dispatchFetch(url, { redirect: 'manual', ...init });
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

async function waitFor(read, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// Comments and layout differ between a .sql file and a JS template; the statements must not.
const normaliseSql = (sql) => sql.replace(/--[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();

let counter = 0;
/** A browser-like User-Agent with a unique marker, to find the row a request produced. */
function markedAgent(prefix = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0') {
  counter += 1;
  return `${prefix} clicktrail-test/${process.pid}-${counter}`;
}

describe('clicktrail Cloudflare Worker in workerd', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'clicktrail-workerd-'));
  const d1Persist = join(tmp, 'd1');
  const outbound = [];
  const logs = [];
  let mf;
  let db;

  const rowFor = async (userAgent) =>
    (await db.prepare(`SELECT * FROM ${EVENTS_TABLE} WHERE user_agent = ?`).bind(userAgent).all()).results;
  const waitForRow = async (userAgent) => (await waitFor(async () => (await rowFor(userAgent))[0], `a row for ${userAgent}`));

  before(async () => {
    mf = startWorker({
      ...CLOUDFLARE_ENTRY,
      bindings: { CLICKTRAIL_RETENTION_DAYS: String(RETENTION_DAYS) },
      d1Persist,
      outbound,
      logs,
    });
    await mf.ready;
    db = await mf.getD1Database('CLICKTRAIL_DB');
  });

  after(async () => {
    await mf?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('a valid click answers 302 to the exact target, uncached, without Referer or cookie', async () => {
    for (const url of [validClick(TARGET), buildClickUrl(TARGET, { baseUrl: BASE, keyId: NEXT_KEY.id, secret: NEXT_KEY.secret }, 0)]) {
      const { status, headers } = await send(mf, url, { headers: { 'User-Agent': markedAgent() } });
      assert.equal(status, 302, url);
      assert.equal(headers.get('location'), TARGET);
      assert.match(headers.get('cache-control'), /no-store/);
      assert.match(headers.get('cache-control'), /private/);
      assert.equal(headers.get('referrer-policy'), 'no-referrer');
      assert.equal(headers.get('set-cookie'), null);
    }
  });

  test('HEAD on a valid click answers the same redirect', async () => {
    const { status, headers, body } = await send(mf, validClick(TARGET), { method: 'HEAD' });
    assert.equal(status, 302);
    assert.equal(headers.get('location'), TARGET);
    assert.equal(body.length, 0);
  });

  test('no URL of the open-redirect suite gets a 3xx or a Location header', async (t) => {
    const suite = await hostileUrls();
    let sent = 0;
    let unsendable = 0;
    const check = async ({ name, url }) => {
      let result;
      try {
        result = await send(mf, url, { headers: { 'User-Agent': markedAgent() } });
      } catch (error) {
        // An HTTP request carries no scheme bytes: a URL whose scheme is not http(s) any more
        // cannot reach a Worker at all. Only such URLs may fail here.
        const protocol = URL.canParse(url) ? new URL(url).protocol : null;
        assert.ok(protocol !== 'http:' && protocol !== 'https:', `${name}: ${error.message}`);
        unsendable += 1;
        return;
      }
      sent += 1;
      assert.ok(result.status < 300 || result.status > 399, `${name} got ${result.status}: ${url}`);
      assert.equal(result.headers.get('location'), null, `${name} has a Location header`);
    };
    // In small batches: quick, without piling up hundreds of open requests.
    for (let i = 0; i < suite.length; i += 16) await Promise.all(suite.slice(i, i + 16).map(check));
    assert.equal(sent + unsendable, suite.length);
    t.diagnostic(`${suite.length} URLs: ${sent} answered by the Worker without a redirect, ${unsendable} not expressible as an HTTP request (scheme bytes changed)`);
    assert.ok(sent >= suite.length - 8, `only ${sent} of ${suite.length} reached the Worker`);
  });

  test('the pixel is always the 43-byte GIF: valid, invalid, and HEAD', async () => {
    const valid = buildPixelUrl({ baseUrl: BASE, keyId: KEY.id, secret: KEY.secret, messageId: 'm-pixel' });
    const invalid = valid.replace(/sig=[^&]*/, 'sig=AAAA');
    assert.equal(PIXEL_GIF.length, 43);
    for (const url of [valid, invalid, `${BASE}/pxl.png`]) {
      const { status, headers, body } = await send(mf, url, { headers: { 'User-Agent': markedAgent() } });
      assert.equal(status, 200, url);
      assert.equal(headers.get('content-type'), 'image/gif');
      assert.match(headers.get('cache-control'), /no-store/);
      assert.equal(headers.get('set-cookie'), null);
      assert.deepEqual(body, PIXEL_GIF);
    }
    const head = await send(mf, valid, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'image/gif');
    assert.equal(head.body.length, 0);
  });

  test('other methods answer 405 and other paths 404', async () => {
    const post = await send(mf, validClick(TARGET), { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('location'), null);
    assert.match(post.headers.get('allow'), /GET/);
    assert.equal((await send(mf, `${BASE}/`)).status, 404);
    assert.equal((await send(mf, `${BASE}/favicon.ico`)).status, 404);
  });

  test('a click is recorded in D1 with target, link index and the IPv4 address cut to /24', async () => {
    const agent = markedAgent();
    await send(mf, validClick(TARGET), {
      headers: { 'User-Agent': agent, 'CF-Connecting-IP': '203.0.113.77', Referer: 'https://mail.example.net/inbox' },
    });
    const row = await waitForRow(agent);
    assert.equal(row.type, 'click');
    assert.equal(row.target, TARGET);
    assert.equal(row.link_index, 3);
    assert.equal(row.message_id, 'm-1');
    assert.equal(row.key_id, 'k1');
    assert.equal(row.ip, '203.0.113.0');
    assert.equal(row.method, 'GET');
    assert.equal(row.machine, 0);
    assert.equal(row.machine_reason, 'human');
    assert.equal(row.referer, 'https://mail.example.net/inbox');
    assert.equal(row.country, CF.country);
    assert.equal(row.colo, CF.colo);
    assert.equal(row.error, null);
    assert.ok(Math.abs(row.epoch_ms - Date.now()) < 60_000);
    assert.equal(new Date(row.epoch_ms).toISOString(), row.time);
  });

  test('an IPv6 address is recorded cut to /48', async () => {
    const agent = markedAgent();
    await send(mf, validClick(TARGET), { headers: { 'User-Agent': agent, 'CF-Connecting-IP': '2001:db8:85a3:8d3:1319:8a2e:370:7348' } });
    assert.equal((await waitForRow(agent)).ip, '2001:db8:85a3::');
  });

  test('a refused click is recorded as rejected with its reason', async () => {
    const cases = [
      ['bad_signature', validClick(TARGET).replace(/sig=./, (s) => (s.endsWith('A') ? 'sig=B' : 'sig=A'))],
      ['expired', validClick(TARGET, { expiresAt: 1_000_000_000 })],
      ['unknown_key', buildClickUrl(TARGET, { baseUrl: BASE, keyId: 'k0', secret: 'retired-secret-0123456789abc' })],
      ['bad_target', await signRaw(`${BASE}/c`, [['mid', 'm-1'], ['r', 'javascript:alert(1)']], KEY)],
      ['malformed', validClick(TARGET).replace(/&sig=[^&]*/, '')],
    ];
    for (const [code, url] of cases) {
      const agent = markedAgent();
      const { status } = await send(mf, url, { headers: { 'User-Agent': agent, 'CF-Connecting-IP': '198.51.100.9' } });
      assert.equal(status, 400, code);
      const row = await waitForRow(agent);
      assert.equal(row.type, 'rejected', code);
      assert.equal(row.endpoint, 'click', code);
      assert.equal(row.error, code);
      assert.equal(row.ip, '198.51.100.0');
      assert.equal(row.target, null, 'a refused target is not stored');
    }
  });

  test('a verified pixel is recorded as an open; an unverified one is not recorded', async () => {
    const valid = buildPixelUrl({ baseUrl: BASE, keyId: KEY.id, secret: KEY.secret, messageId: 'm-open', recipientId: 'r-opaque' });
    const unverifiedAgent = markedAgent();
    await send(mf, valid.replace(/sig=[^&]*/, 'sig=AAAA'), { headers: { 'User-Agent': unverifiedAgent } });
    const agent = markedAgent();
    await send(mf, valid, { headers: { 'User-Agent': agent, 'CF-Connecting-IP': '192.0.2.200' } });
    const row = await waitForRow(agent);
    assert.equal(row.type, 'open');
    assert.equal(row.message_id, 'm-open');
    assert.equal(row.recipient_id, 'r-opaque');
    assert.equal(row.ip, '192.0.2.0');
    // The unverified hit came first; give its waitUntil a moment more before looking.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await rowFor(unverifiedAgent), []);

    // Without a message id (an ad impression pixel) the event type is an impression.
    const impressionAgent = markedAgent();
    await send(mf, buildPixelUrl({ baseUrl: BASE, keyId: KEY.id, secret: KEY.secret, campaignId: 'c-9' }), {
      headers: { 'User-Agent': impressionAgent },
    });
    const impression = await waitForRow(impressionAgent);
    assert.equal(impression.type, 'impression');
    assert.equal(impression.campaign_id, 'c-9');
  });

  test('HEAD requests and scanner, proxy and curl agents are flagged as machines', async () => {
    const pixel = buildPixelUrl({ baseUrl: BASE, keyId: KEY.id, secret: KEY.secret, messageId: 'm-machines' });
    const headAgent = markedAgent();
    await send(mf, pixel, { method: 'HEAD', headers: { 'User-Agent': headAgent } });
    const head = await waitForRow(headAgent);
    assert.equal(head.method, 'HEAD');
    assert.equal(head.machine, 1);
    assert.equal(head.machine_reason, 'head_request');

    const agents = [
      ['Mozilla/5.0 (compatible; Mimecast URL Protect)', 'scanner:mimecast', validClick(TARGET)],
      ['Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', 'proxy:google_image_proxy', pixel],
      ['curl/8.5.0', 'automation:curl', validClick(TARGET)],
    ];
    for (const [prefix, reason, url] of agents) {
      const agent = markedAgent(prefix);
      const { status } = await send(mf, url, { headers: { 'User-Agent': agent } });
      assert.ok(status === 302 || status === 200, `${reason}: the answer does not change (${status})`);
      const row = await waitForRow(agent);
      assert.equal(row.machine, 1, reason);
      assert.equal(row.machine_reason, reason);
    }
  });

  test('the D1 table matches examples/cloudflare/schema.sql, and is persisted on disk', async () => {
    const sql = readFileSync(join(ROOT, 'examples', 'cloudflare', 'schema.sql'), 'utf8');
    assert.equal(normaliseSql(sql), normaliseSql(SCHEMA));
    const files = readdirSync(d1Persist, { recursive: true }).map(String);
    assert.ok(files.some((f) => f.endsWith('.sqlite')), `no SQLite file under ${d1Persist}: ${files}`);
  });

  test('the scheduled handler deletes events older than CLICKTRAIL_RETENTION_DAYS', async () => {
    const now = Date.now();
    const insert = db.prepare(
      `INSERT INTO ${EVENTS_TABLE} (type, time, epoch_ms, method, machine, user_agent) VALUES ('click', ?, ?, 'GET', 0, ?)`,
    );
    const oldAgent = markedAgent();
    const recentAgent = markedAgent();
    const old = now - (RETENTION_DAYS + 1) * DAY_MS;
    const recent = now - (RETENTION_DAYS - 1) * DAY_MS;
    await db.batch([
      insert.bind(new Date(old).toISOString(), old, oldAgent),
      insert.bind(new Date(recent).toISOString(), recent, recentAgent),
    ]);
    const worker = await mf.getWorker();
    const result = await worker.scheduled({ scheduledTime: new Date(now), cron: '17 3 * * *' });
    assert.equal(result.outcome, 'ok');
    await waitFor(async () => (await rowFor(oldAgent)).length === 0, 'the old row to be deleted');
    assert.equal((await rowFor(recentAgent)).length, 1, 'a row inside the retention period stays');
  });

  test('no secret in any row or log line, and recording never failed', async () => {
    const { results } = await db.prepare(`SELECT * FROM ${EVENTS_TABLE}`).all();
    assert.ok(results.length > 10);
    const text = JSON.stringify(results) + logs.join('');
    for (const { secret } of [KEY, NEXT_KEY]) assert.ok(!text.includes(secret), 'a secret leaked');
    assert.ok(!/recording failed|cannot load keys/.test(logs.join('')), logs.join(''));
  });

  test('the .wasm is loaded only as the imported WebAssembly.Module: the Worker fetched nothing', () => {
    // The glue would fetch() its .wasm if instantiateWasm were not used; every fetch() the Worker
    // makes goes to outboundService. Dozens of requests later, there has not been one.
    assert.deepEqual(outbound, []);
  });
});

describe('a Worker without its keys secret', () => {
  let mf;
  const logs = [];

  before(async () => {
    mf = startWorker({ ...CLOUDFLARE_ENTRY, keys: null, logs });
    await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
  });

  test('still serves the pixel, never redirects, and says why in the log', async () => {
    const pixel = await send(mf, buildPixelUrl({ baseUrl: BASE, keyId: KEY.id, secret: KEY.secret, messageId: 'm-1' }));
    assert.equal(pixel.status, 200);
    assert.deepEqual(pixel.body, PIXEL_GIF);
    const click = await send(mf, validClick(TARGET));
    assert.ok(click.status >= 400, `a click without keys answered ${click.status}`);
    assert.equal(click.headers.get('location'), null);
    await waitFor(() => /cannot load the keys/.test(logs.join('')), 'the configuration error in the log');
  });
});

describe('retention values that must not wipe the table', () => {
  // Number('') is 0 and a negative number moves the cut-off into the future: either would make
  // the cron delete every event. (An empty var is easy to get: a blank value in the dashboard.)
  for (const value of ['', '-5']) {
    test(`CLICKTRAIL_RETENTION_DAYS=${JSON.stringify(value)} keeps an event recorded a moment ago`, async () => {
      const mf = startWorker({
        ...CLOUDFLARE_ENTRY,
        bindings: { CLICKTRAIL_RETENTION_DAYS: value },
        d1Persist: false,
      });
      try {
        const db = await mf.getD1Database('CLICKTRAIL_DB');
        const agent = markedAgent();
        await send(mf, validClick(TARGET), { headers: { 'User-Agent': agent } });
        const count = async () =>
          (await db.prepare(`SELECT count(*) AS n FROM ${EVENTS_TABLE} WHERE user_agent = ?`).bind(agent).first()).n;
        await waitFor(async () => (await count()) === 1, 'the click row');
        const worker = await mf.getWorker();
        await worker.scheduled({ scheduledTime: new Date(), cron: '17 3 * * *' });
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(await count(), 1, `the retention run with ${JSON.stringify(value)} deleted a fresh event`);
      } finally {
        await mf.dispose();
      }
    });
  }
});

describe('an onEvent sink and no binding', () => {
  // Recording happens only where there is a sink; onEvent alone is one, and it gets the event
  // with what the request adds (country, referer) after the response.
  test('onEvent receives each recorded hit, with the country and referer of its request', async () => {
    const outbound = [];
    const script = `import { createWorker } from './wasm/src/cloudflare.js';
export default createWorker({
  onEvent: (event) =>
    fetch('https://sink.test/' + event.type + '?country=' + event.country + '&referer=' + encodeURIComponent(event.referer)),
});`;
    const mf = startWorker({ entry: join(ROOT, 'on-event-worker.js'), script, outbound });
    try {
      const { status } = await send(mf, validClick(TARGET), { headers: { Referer: 'https://mail.example/inbox' } });
      assert.equal(status, 302);
      const sent = await waitFor(() => outbound.find((url) => url.startsWith('https://sink.test/')), 'the onEvent call');
      assert.equal(sent, `https://sink.test/click?country=${CF.country}&referer=${encodeURIComponent('https://mail.example/inbox')}`);
    } finally {
      await mf.dispose();
    }
  });
});

describe('the example deployment bundle in workerd', () => {
  let mf;
  let bundle;

  before(async () => {
    bundle = await bundleWorker();
    mf = startWorker({ entry: bundle.jsPath, modulesRoot: bundle.outdir });
    await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
    if (bundle) rmSync(bundle.outdir, { recursive: true, force: true });
  });

  test('examples/cloudflare/worker.js bundled like wrangler serves clicks and pixels', async () => {
    const click = await send(mf, validClick(TARGET));
    assert.equal(click.status, 302);
    assert.equal(click.headers.get('location'), TARGET);
    const pixel = await send(mf, buildPixelUrl({ baseUrl: BASE, keyId: KEY.id, secret: KEY.secret }));
    assert.deepEqual(pixel.body, PIXEL_GIF);
    // No D1 binding here: recording has nothing to write to, and the answers do not change.
  });
});

describe('the pure-JS baseline of the load test', () => {
  let real;
  let baseline;

  before(async () => {
    real = startWorker(CLOUDFLARE_ENTRY);
    baseline = startWorker({ entry: join(ROOT, 'bench', 'edge', 'js-worker.js') });
    await Promise.all([real.ready, baseline.ready]);
  });

  after(async () => {
    await Promise.all([real?.dispose(), baseline?.dispose()]);
  });

  test('answers like the WASM worker on the valid URL and the whole hostile suite', async () => {
    const urls = [validClick(TARGET), ...(await hostileUrls()).map((h) => h.url)].filter((url) =>
      ['http:', 'https:'].includes(URL.canParse(url) && new URL(url).protocol),
    );
    const answer = async (mf, url) => {
      const { status, headers } = await send(mf, url);
      return `${status} ${headers.get('location')}`;
    };
    for (let i = 0; i < urls.length; i += 16) {
      await Promise.all(
        urls.slice(i, i + 16).map(async (url) => assert.equal(await answer(baseline, url), await answer(real, url), url)),
      );
    }
  });
});

describe('wasm/src/cloudflare.js as the main module', () => {
  // workerd takes every named export of the main module for an entrypoint and refuses to start
  // with one that is not a handler ("Incorrect type for map entry ..."): this keeps it so.
  test('starts in workerd and serves a click', async () => {
    const logs = [];
    const mf = startWorker({ entry: join(ROOT, 'wasm', 'src', 'cloudflare.js'), logs });
    try {
      const { status, headers } = await send(mf, validClick(TARGET));
      assert.equal(status, 302);
      assert.equal(headers.get('location'), TARGET);
    } catch (error) {
      assert.fail(`${error.message}\nworkerd said: ${logs.join('').trim()}`);
    } finally {
      await mf.dispose().catch(() => {});
    }
  });
});
