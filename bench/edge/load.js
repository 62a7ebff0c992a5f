#!/usr/bin/env node
// Load test: clicktrail's Cloudflare Worker (WASM core) and a pure-JS Worker doing the same
// verification with WebCrypto (bench/edge/js-worker.js), each in workerd via miniflare on
// loopback, hammered by autocannon with one fixed valid click URL. Prints req/s and latency side
// by side. Exits non-zero when a request errored or got anything but the expected 302: that is
// what the test suite checks; the timings are for people, never asserted.
//
//   node bench/edge/load.js [--seconds 5] [--connections 16] [--warmup 1] [--rounds 1]
//                           [--handler-cost] [--loops 41] [--cost-seconds 3] [--json]
//
// --handler-cost also measures what one call of each worker's fetch handler costs inside workerd,
// apart from HTTP: a wrapper calls the handler `loops` times per request, and the extra CPU per
// extra call is that handler's cost. A floor worker (a new Request and the same 302 Response,
// no verification) shows what every call costs anyway. Each worker gets --rounds rounds of
// --cost-seconds at 1 and at --loops calls per request.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Miniflare } from 'miniflare';
import { buildClickUrl } from '../../wasm/src/node.js';
import { median } from '../lib/timing.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KEY = { id: 'k1', secret: 'load-test-secret-0123456789' };
const TARGET = 'https://shop.example.com/spring?id=7&ref=mail';

const NOTE =
  'Both workers do verification + response only: the clicktrail worker runs WITHOUT recording ' +
  'bindings (no D1, Queue or Analytics Engine) and the pure-JS worker records nothing.';

const WORKERS = [
  { name: 'clicktrail (WASM)', scriptPath: join(ROOT, 'wasm', 'src', 'cloudflare.js') },
  { name: 'pure JS (WebCrypto)', scriptPath: join(ROOT, 'bench', 'edge', 'js-worker.js') },
];

// The handler-cost wrappers are generated modules, resolved as if they lived in bench/edge/.
const LOOP_SCRIPT_PATH = join(ROOT, 'bench', 'edge', 'handler-loop.js');
const LOOPS_HEADER = 'x-clicktrail-bench-loops';

function loopScript(importPath) {
  return `import worker from '${importPath}';
export default {
  async fetch(request, env, ctx) {
    const loops = Number(request.headers.get('${LOOPS_HEADER}') ?? 1);
    let response;
    for (let i = 0; i < loops; i += 1) response = await worker.fetch(new Request(request.url, request), env, ctx);
    return response;
  },
};`;
}

// The floor first, then the two measured workers, each imported by the wrapper.
const HANDLER_COST_WORKERS = [
  { name: 'floor (Request + 302 Response)', scriptPath: join(ROOT, 'bench', 'edge', 'floor-worker.js') },
  ...WORKERS,
].map((worker) => ({ ...worker, importPath: `./${relative(dirname(LOOP_SCRIPT_PATH), worker.scriptPath)}` }));
const loopsHeader = (loops) => ({ [LOOPS_HEADER]: String(loops) });

function startWorker(worker) {
  return new Miniflare({
    modules: true,
    ...(worker.script ? { script: worker.script } : {}),
    scriptPath: worker.scriptPath,
    modulesRoot: ROOT,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2025-01-01',
    bindings: { CLICKTRAIL_KEYS: JSON.stringify([KEY]) },
    cf: { country: 'DE', colo: 'FRA' },
    telemetry: { enabled: false },
    host: '127.0.0.1',
    port: 0, // a free port, chosen by the system
  });
}

// CPU seconds (user + system, all threads) of the workerd processes miniflare started, from
// /proc on Linux; null elsewhere. Divided by the requests served it gives CPU per request.
function workerdCpuSeconds() {
  try {
    const ticks = 100; // USER_HZ, 100 on every Linux configuration Node supports
    let total = 0;
    let found = false;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      if (name !== 'workerd' || Number(fields[1]) !== process.pid) continue;
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
      found = true;
    }
    return found ? total : null;
  } catch {
    return null;
  }
}

function runAutocannon(url, seconds, connections, headers = {}) {
  return autocannon({ url, connections, duration: seconds, method: 'GET', headers });
}

function signedUrl(origin) {
  // Signed for the loopback origin: the signature covers the URL up to '?'.
  return buildClickUrl(TARGET, { baseUrl: origin, keyId: KEY.id, secret: KEY.secret, messageId: 'load' }, 3);
}

async function checkOneRequest(url, headers = {}) {
  const started = performance.now();
  const response = await fetch(url, { redirect: 'manual', headers });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  const location = response.headers.get('location');
  if (response.status !== 302 || location !== TARGET) {
    throw new Error(`expected 302 to ${TARGET}, got ${response.status} ${location}`);
  }
  return ms;
}

async function measure(worker, { seconds, connections, warmup }) {
  const mf = startWorker(worker);
  try {
    const url = signedUrl((await mf.ready).origin);
    const firstRequestMs = await checkOneRequest(url); // includes the lazy WASM instantiation
    if (warmup > 0) await runAutocannon(url, warmup, connections);
    const cpuBefore = workerdCpuSeconds();
    const result = await runAutocannon(url, seconds, connections);
    const cpuAfter = workerdCpuSeconds();
    await checkOneRequest(url);

    const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
    const answered = Object.values(statusCodes).reduce((a, b) => a + b, 0);
    const unexpected = answered - (statusCodes['302'] ?? 0);
    return {
      worker: worker.name,
      reqPerSec: result.requests.mean,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: answered,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx3xx: result['1xx'] + result['4xx'] + result['5xx'],
      unexpected,
      statusCodes,
      firstRequestMs: Number(firstRequestMs.toFixed(1)),
      cpuUsPerRequest:
        cpuBefore === null || cpuAfter === null || answered === 0
          ? null
          : Number((((cpuAfter - cpuBefore) * 1e6) / answered).toFixed(1)),
    };
  } finally {
    await mf.dispose();
  }
}

// Workerd CPU per answered request with `loops` handler calls per request; a request that fails
// or is answered with anything but the 302 is counted, and makes the run fail.
async function cpuPerRequest(url, loops, { seconds, connections }) {
  const before = workerdCpuSeconds();
  const result = await runAutocannon(url, seconds, connections, loopsHeader(loops));
  const after = workerdCpuSeconds();
  const redirects = result.statusCodeStats['302']?.count ?? 0;
  const answered = Object.values(result.statusCodeStats).reduce((total, { count }) => total + count, 0);
  return {
    cpuUs: before === null || after === null || redirects === 0 ? null : ((after - before) * 1e6) / redirects,
    // autocannon's errors include its timeouts.
    failures: result.errors + answered - redirects,
  };
}

// One round for one worker: CPU per request at 1 and at `loops` handler calls, in one workerd.
async function measureHandlerCost(worker, options) {
  const mf = startWorker({ script: loopScript(worker.importPath), scriptPath: LOOP_SCRIPT_PATH });
  try {
    const url = signedUrl((await mf.ready).origin);
    await checkOneRequest(url, loopsHeader(options.loops));
    await runAutocannon(url, 1, options.connections, loopsHeader(options.loops)); // warm-up
    const once = await cpuPerRequest(url, 1, options);
    const many = await cpuPerRequest(url, options.loops, options);
    await checkOneRequest(url, loopsHeader(options.loops));
    const known = once.cpuUs !== null && many.cpuUs !== null;
    return {
      cpuUsPerRequest: known ? once.cpuUs : null,
      cpuUsPerCall: known ? (many.cpuUs - once.cpuUs) / (options.loops - 1) : null,
      failures: once.failures + many.failures,
    };
  } finally {
    await mf.dispose();
  }
}

function round1(value) {
  return value === null ? null : Number(value.toFixed(1));
}

// The median, or null when a round could not measure (no /proc).
function medianOf(values) {
  return values.some((value) => value === null) ? null : median(values);
}

// The order in which `count` workers run in a round: reversed every other round, so that a slow
// start or a warming machine does not favour the one that always runs first or last.
function roundOrder(count, round) {
  const order = Array.from({ length: count }, (_, index) => index);
  return round % 2 === 0 ? order : order.reverse();
}

// Per handler call: the floor, then each worker, `rounds` rounds in alternating order, medians;
// a worker's decision costs its call minus the floor's. The ceiling is the req/s ratio a worker
// whose decision cost nothing would reach over the pure-JS worker when workerd's CPU is what
// limits both: the pure-JS worker's CPU per request (from the main load test, no wrapper) over
// the same without its decision.
async function handlerCost(options, pureJsCpuUsPerRequest) {
  const runs = HANDLER_COST_WORKERS.map(() => []);
  for (let round = 0; round < options.rounds; round += 1) {
    for (const index of roundOrder(HANDLER_COST_WORKERS.length, round)) {
      runs[index].push(await measureHandlerCost(HANDLER_COST_WORKERS[index], options));
    }
  }
  const workers = HANDLER_COST_WORKERS.map((worker, index) => ({
    worker: worker.name,
    cpuUsPerRequest: round1(medianOf(runs[index].map((run) => run.cpuUsPerRequest))),
    cpuUsPerCall: round1(medianOf(runs[index].map((run) => run.cpuUsPerCall))),
    failures: runs[index].reduce((total, run) => total + run.failures, 0),
  }));
  const [floor, , pureJs] = workers;
  if (floor.cpuUsPerCall !== null) {
    for (const w of workers.slice(1)) {
      w.decisionUs = w.cpuUsPerCall === null ? null : round1(w.cpuUsPerCall - floor.cpuUsPerCall);
    }
  }
  const withoutDecision =
    pureJsCpuUsPerRequest === null || pureJs.decisionUs == null ? null : pureJsCpuUsPerRequest - pureJs.decisionUs;
  return {
    loops: options.loops,
    seconds: options.seconds,
    rounds: options.rounds,
    workers,
    ceiling: withoutDecision > 0 ? Number((pureJsCpuUsPerRequest / withoutDecision).toFixed(2)) : null,
  };
}

function printHandlerCost(cost) {
  const rounds = cost.rounds > 1 ? `, median of ${cost.rounds} alternating rounds` : '';
  console.log(`handler cost inside workerd: ${cost.loops} fetch calls per request vs 1, ${cost.seconds} s each${rounds}`);
  const show = (value) => (value === null ? '-' : String(value));
  for (const w of cost.workers) {
    const decision = w.decisionUs === undefined ? '' : `, decision ${show(w.decisionUs)} µs above the floor`;
    console.log(`  ${w.worker}: ${show(w.cpuUsPerRequest)} µs CPU per request, ${show(w.cpuUsPerCall)} µs per handler call${decision}`);
  }
  if (cost.ceiling !== null) {
    console.log(`ceiling: a worker whose decision cost nothing would serve ${cost.ceiling}x the pure-JS worker's req/s`);
  }
}

// The round with the median req/s stands for a worker; failures of any round still count.
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.reqPerSec - b.reqPerSec);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  return {
    ...median,
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    non2xx3xx: sum('non2xx3xx'),
    unexpected: sum('unexpected'),
    statusCodes: runs.reduce((all, run) => {
      for (const [code, count] of Object.entries(run.statusCodes)) all[code] = (all[code] ?? 0) + count;
      return all;
    }, {}),
    rounds: runs.map((run) => Number(run.reqPerSec.toFixed(0))),
  };
}

function printTable(report) {
  const head = ['worker', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx/3xx', 'first req ms', 'CPU µs/req'];
  const rows = report.workers.map((w) => [
    w.worker,
    w.reqPerSec.toFixed(0),
    String(w.p50Ms),
    String(w.p99Ms),
    String(w.errors + w.timeouts),
    String(w.non2xx3xx),
    String(w.firstRequestMs),
    w.cpuUsPerRequest === null ? '-' : String(w.cpuUsPerRequest),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const rounds = report.rounds > 1 ? `, median of ${report.rounds} alternating rounds` : '';
  console.log(`autocannon: ${report.connections} connections, ${report.seconds} s per worker after ${report.warmup} s warm-up${rounds}, GET ${report.path}`);
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  console.log(`ratio clicktrail/pure-JS (req/s): ${report.ratio.toFixed(2)}`);
  console.log(NOTE);
  console.log('CPU µs/req: workerd process CPU time (all threads, HTTP included) / requests; "first req ms" includes instantiating the WASM core.');
}

async function main() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      warmup: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '1' },
      'handler-cost': { type: 'boolean', default: false },
      loops: { type: 'string', default: '41' },
      'cost-seconds': { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const options = {
    seconds: Number(values.seconds),
    connections: Number(values.connections),
    warmup: Number(values.warmup),
  };
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isFinite(value) || value < 0 || (name !== 'warmup' && value <= 0)) {
      throw new Error(`--${name} must be a positive number`);
    }
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  const loops = Number(values.loops);
  if (!Number.isInteger(loops) || loops < 2) throw new Error('--loops must be an integer of at least 2');
  const costSeconds = Number(values['cost-seconds']);
  if (!Number.isFinite(costSeconds) || costSeconds <= 0) throw new Error('--cost-seconds must be a positive number');
  const runs = WORKERS.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const index of roundOrder(WORKERS.length, round)) runs[index].push(await measure(WORKERS[index], options));
  }
  const workers = runs.map(medianRun);
  const report = {
    ...options,
    rounds,
    path: '/c?mid=load&li=3&r=...&kid=k1&sig=...',
    workers,
    ratio: workers[0].reqPerSec / workers[1].reqPerSec,
    note: NOTE,
  };
  if (values['handler-cost']) {
    report.handlerCost = await handlerCost(
      { seconds: costSeconds, connections: options.connections, loops, rounds },
      workers[1].cpuUsPerRequest,
    );
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    printTable(report);
    if (report.handlerCost) printHandlerCost(report.handlerCost);
  }
  const failed = workers.filter((w) => w.errors > 0 || w.timeouts > 0 || w.unexpected > 0);
  for (const w of failed) {
    console.error(`${w.worker}: ${w.errors} errors, ${w.timeouts} timeouts, status codes ${JSON.stringify(w.statusCodes)}`);
  }
  const failedHandlerCost = report.handlerCost?.workers.filter((w) => w.failures > 0) ?? [];
  for (const w of failedHandlerCost) console.error(`${w.worker} (handler cost): ${w.failures} failed or unexpected answers`);
  return failed.length + failedHandlerCost.length === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
}
