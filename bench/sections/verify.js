// Click verification (URL parse + HMAC-SHA256 + constant-time compare + target checks) per call:
// clicktrail's WASM verifier against the same checks written in JS with node:crypto and with
// WebCrypto (what a Worker has); the module's cold start; and the cost of crossing the JS/WASM
// boundary at all.
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createClicktrailCore from '../../wasm/dist/clicktrail-core.mjs';
import { createApi } from '../../wasm/src/api.js';
import { parseJsonView, writeInput } from '../../wasm/src/core-io.js';
import { importKeys, verifyTrackingUrl, verifyTrackingUrlSync } from '../edge/js-verify.js';
import { fmt, ratio } from '../lib/table.js';
import { median, now, perCallUs, perCallUsAsync, perCallUsConcurrent } from '../lib/timing.js';

export const name = 'verify';
export const title = 'Click verification, cold start and the JS/WASM boundary (Node)';

const KEY = { id: 'k1', secret: 'bench-secret-0123456789abcdef' };
const NOW_SECONDS = 1_800_000_000;
const URL_COUNT = 64; // distinct URLs, cycled, so no call sees the same input twice in a row
const USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';

// The node:crypto check a Node service would write: HMAC, then a constant-time compare.
function nodeCryptoSignatureCheck(secret, sig, message) {
  const expected = createHmac('sha256', secret).update(message).digest();
  const given = Buffer.from(sig, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// A fresh `node` importing clicktrail, minus a fresh `node` doing nothing: what a Lambda or a
// CLI start pays for the module (read, compile, instantiate). Milliseconds, median.
function freshProcessImportMs(root, runs) {
  const time = (code) => {
    const start = now();
    execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, stdio: 'ignore' });
    return now() - start;
  };
  const bare = [];
  const importing = [];
  time("await import('clicktrail')"); // warm the file cache
  for (let i = 0; i < runs; i += 1) {
    bare.push(time(''));
    importing.push(time("await import('clicktrail')"));
  }
  return { bareMs: median(bare), importMs: median(importing), costMs: median(importing) - median(bare) };
}

async function coldStart(root, quick) {
  const bytes = readFileSync(join(root, 'wasm', 'dist', 'clicktrail-core.wasm'));
  const compileMs = [];
  const instantiateMs = [];
  const setupMs = [];
  const firstVerifyUs = [];
  let api;
  let url;
  for (let i = 0; i < (quick ? 5 : 15); i += 1) {
    let start = now();
    const module = await WebAssembly.compile(bytes);
    compileMs.push(now() - start);
    start = now();
    const core = await createClicktrailCore({
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(module, imports).then((instance) => done(instance, module));
        return {};
      },
    });
    instantiateMs.push(now() - start);
    api = createApi(core);
    url ??= api.buildClickUrl('https://shop.example.com/spring?id=7&ref=mail', { baseUrl: 'https://t.example.com', keyId: KEY.id, secret: KEY.secret, messageId: 'm-1' }, 3);
    start = now();
    const verifier = api.createVerifier([KEY]);
    setupMs.push(now() - start);
    start = now();
    verifier.verify(url, NOW_SECONDS);
    firstVerifyUs.push((now() - start) * 1000);
    verifier.dispose();
  }
  const importKeyUs = [];
  for (let i = 0; i < 50; i += 1) {
    const start = now();
    await importKeys([KEY]);
    importKeyUs.push((now() - start) * 1000);
  }
  const fresh = freshProcessImportMs(root, quick ? 3 : 7);
  return [
    { what: 'WebAssembly.compile(.wasm)', value: median(compileMs), unit: 'ms', note: `${bytes.length} bytes` },
    { what: 'instantiate (Emscripten glue + WebAssembly.instantiate)', value: median(instantiateMs), unit: 'ms' },
    { what: 'createVerifier (first key schedule)', value: median(setupMs), unit: 'ms' },
    { what: 'first verify on a fresh instance', value: median(firstVerifyUs), unit: 'µs' },
    { what: "import('clicktrail') in a fresh node process", value: fresh.costMs, unit: 'ms', note: `${fmt(fresh.importMs)} ms minus ${fmt(fresh.bareMs)} ms for an empty process` },
    { what: 'JS: WebCrypto importKey (per key, for comparison)', value: median(importKeyUs), unit: 'µs' },
  ];
}

export async function run(ctx) {
  const { buildClickUrl, createVerifier, createEdge, core } = await import('../../wasm/src/node.js').then(async (m) => ({
    ...m,
    core: (await import('../../wasm/src/node-core.js')).core,
  }));
  const base = { baseUrl: 'https://t.example.com', keyId: KEY.id, secret: KEY.secret, recipientId: 'r-1' };
  const urls = Array.from({ length: URL_COUNT }, (_, i) =>
    buildClickUrl(`https://shop.example.com/spring?id=${i}&ref=mail`, { ...base, messageId: `m-${i}` }, i),
  );
  const verifier = createVerifier([KEY]);
  const edge = createEdge({ keys: [KEY] });
  const cryptoKeys = await importKeys([KEY]);
  const nodeKeys = new Map([[KEY.id, Buffer.from(KEY.secret)]]);
  const pick = (i) => urls[i % URL_COUNT];

  // The three must agree before their speed means anything: every URL verifies to its target,
  // and a URL with one signature character changed is refused by all.
  const problems = [];
  const tampered = urls[0].replace(/sig=(.)/, (_, c) => `sig=${c === 'A' ? 'B' : 'A'}`);
  for (const url of [...urls, tampered]) {
    const expectOk = url !== tampered;
    const answers = {
      wasm: verifier.verify(url, NOW_SECONDS),
      nodeCrypto: verifyTrackingUrlSync(url, nodeKeys, nodeCryptoSignatureCheck, NOW_SECONDS),
      webCrypto: await verifyTrackingUrl(url, cryptoKeys, NOW_SECONDS),
    };
    for (const [who, answer] of Object.entries(answers)) {
      if (answer.ok !== expectOk || (expectOk && answer.target !== answers.wasm.target)) {
        problems.push(`${who} on ${url}: ${JSON.stringify(answer)}`);
      }
    }
  }
  if (edge.handle('GET', urls[0], USER_AGENT, '203.0.113.9', NOW_SECONDS * 1000).status !== 302) {
    problems.push('edge.handle did not redirect a valid click');
  }

  ctx.progress('verify: per call');
  const scale = ctx.quick ? 0.25 : 1;
  const sync = { calls: Math.round(20000 * scale), rounds: 7 };
  const async = { calls: Math.round(5000 * scale), rounds: 7 };
  const rows = [
    {
      way: 'clicktrail WASM: createVerifier().verify(url)',
      us: perCallUs((i) => verifier.verify(pick(i), NOW_SECONDS), sync),
    },
    {
      way: 'clicktrail WASM: createEdge().handle(GET url) (the Worker/Lambda decision)',
      us: perCallUs((i) => edge.handle('GET', pick(i), USER_AGENT, '203.0.113.9', NOW_SECONDS * 1000), sync),
    },
    {
      way: 'JS node:crypto createHmac + timingSafeEqual',
      us: perCallUs((i) => verifyTrackingUrlSync(pick(i), nodeKeys, nodeCryptoSignatureCheck, NOW_SECONDS), sync),
    },
    {
      way: 'JS WebCrypto crypto.subtle.verify, awaited one by one',
      us: await perCallUsAsync((i) => verifyTrackingUrl(pick(i), cryptoKeys, NOW_SECONDS), async),
    },
    {
      way: 'JS WebCrypto crypto.subtle.verify, 64 in flight',
      us: await perCallUsConcurrent((i) => verifyTrackingUrl(pick(i), cryptoKeys, NOW_SECONDS), { ...async, inFlight: 64 }),
    },
  ];
  const wasmUs = rows[0].us;
  for (const row of rows) {
    row.perSecond = 1e6 / row.us;
    row.ratio = row.us / wasmUs; // > 1: clicktrail's verify is faster
  }

  ctx.progress('verify: boundary');
  // The cheapest calls into the module: a raw export (free(NULL) returns at once), and an Embind
  // method returning an empty std::string (Verifier.error() on a valid verifier), what every
  // call cost before the per-request path moved to plain exports.
  const boundary = [];
  if (typeof core._free === 'function') {
    core._free(0); // the glue swaps its lazy wrapper for the raw export on the first call
    const rawFree = core._free;
    const ns = perCallUs(() => rawFree(0), { calls: Math.round(1_000_000 * scale), rounds: 7, warmup: 100_000 }) * 1000;
    boundary.push({ what: 'raw WASM export call (_free(0)), JS -> WASM -> JS', ns });
  }
  if (typeof core.Verifier === 'function') {
    const native = new core.Verifier(JSON.stringify({ keys: [KEY], allowedHosts: [] }));
    const ns = perCallUs(() => native.error(), { calls: Math.round(200_000 * scale), rounds: 7, warmup: 20_000 }) * 1000;
    native.delete();
    boundary.push({ what: 'Embind method call returning an empty string (Verifier.error())', ns });
  }

  // Where one verify call's time goes, step by step as the JS wrapper (wasm/src/api.js) does it:
  // the URL written into module memory, the plain export that verifies it and leaves a JSON
  // answer in the output buffer, and decoding and parsing that answer.
  const steps = [];
  if (typeof core.Verifier === 'function' && typeof core._clicktrail_verify === 'function') {
    const native = new core.Verifier(JSON.stringify({ keys: [KEY], allowedHosts: [] }));
    const address = native.address();
    const verifyAt = (length) => core._clicktrail_verify(address, length, NOW_SECONDS);
    // Copies of the answers' bytes (the output buffer is overwritten by the next call).
    const answers = urls.map((url) => {
      const size = verifyAt(writeInput(core, url));
      const at = core._clicktrail_output_data();
      return core.HEAPU8.slice(at, at + size);
    });
    const write = perCallUs((i) => writeInput(core, pick(i)), sync);
    // One URL left in the buffer, verified again and again (same cost as any other valid one).
    const length = writeInput(core, urls[0]);
    const call = perCallUs(() => verifyAt(length), sync);
    const parse = perCallUs((i) => parseJsonView(answers[i % URL_COUNT]), sync);
    native.delete();
    if (!answers.every((a) => parseJsonView(a).ok)) problems.push('core _clicktrail_verify refused a valid URL');
    steps.push(
      { step: 'write the URL into module memory (clicktrail_input + encodeInto)', us: write },
      { step: 'plain export clicktrail_verify: parse, HMAC, checks, answer as JSON bytes', us: call },
      { step: 'TextDecoder + JSON.parse of the answer', us: parse },
      { step: 'sum (the whole verify() call measured above)', us: write + call + parse, note: `${fmt(wasmUs)} µs measured` },
    );
  }

  ctx.progress('verify: cold start');
  const cold = await coldStart(ctx.root, ctx.quick);
  verifier.dispose();
  edge.dispose();

  return {
    title,
    tables: [
      {
        title: `verification of a valid click URL (${URL_COUNT} distinct URLs, cycled; median of ${sync.rounds} rounds)`,
        columns: [
          { key: 'way', label: 'way' },
          { key: 'perSecond', label: 'per second', format: (v) => `${(v / 1000).toFixed(0)} k` },
          { key: 'us', label: 'µs per call', format: (v) => fmt(v) },
          { key: 'ratio', label: 'WASM verify ÷ way', format: (v) => ratio(v) },
        ],
        rows,
      },
      {
        title: 'one clicktrail WASM verify, step by step',
        columns: [
          { key: 'step', label: 'step' },
          { key: 'us', label: 'µs per call', format: (v) => fmt(v) },
          { key: 'note', label: 'note', align: 'left' },
        ],
        rows: steps,
      },
      {
        title: 'cold start',
        columns: [
          { key: 'what', label: 'step' },
          { key: 'value', label: 'median', format: (v, row) => `${fmt(v)} ${row.unit}` },
          { key: 'note', label: 'note', align: 'left' },
        ],
        rows: cold,
      },
      {
        title: 'crossing the JS/WASM boundary',
        columns: [
          { key: 'what', label: 'call' },
          { key: 'ns', label: 'ns per call', format: (v) => fmt(v) },
        ],
        rows: boundary,
      },
    ],
    notes: [
      'all three ways do the same checks: URL format, key id, HMAC-SHA256 over the same signed message, constant-time compare, target safety (bench/edge/js-verify.js is the JS version)',
      '"WASM verify ÷ way" > 1 means clicktrail is faster; WebCrypto is async, so one awaited call also pays a promise round trip',
      'one verify call makes three plain export calls (clicktrail_input, clicktrail_verify, clicktrail_output_data) and no Embind call, and parses a JSON answer: compare with the boundary rows',
      ...(problems.length ? [`DISAGREEMENT: ${problems.length} answers differ: ${problems.slice(0, 3).join('; ')}`] : ['all three agree on the test URLs (valid ones verify to the same target, a tampered one is refused)']),
    ],
    failed: problems.length ? `${problems.length} verification answers differ` : undefined,
    data: { rows, steps, cold, boundary, problems },
  };
}
