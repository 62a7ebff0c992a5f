// The Worker under load: bench/edge/load.js (clicktrail's Worker and a pure-JS WebCrypto Worker,
// each in workerd through miniflare on loopback, autocannon), run as a child process so its
// servers and sockets stay out of this process's timings.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fmt, ratio } from '../lib/table.js';

export const name = 'edge-load';
export const title = 'Edge: workerd load test, clicktrail Worker vs pure-JS WebCrypto Worker';

function handlerCostTable(cost) {
  return {
    title: `handler cost inside workerd: ${cost.loops} fetch calls per request vs 1, ${cost.seconds} s each, median of ${cost.rounds} alternating round(s)`,
    columns: [
      { key: 'worker', label: 'worker' },
      { key: 'cpuUsPerRequest', label: 'CPU µs/req (1 call)' },
      { key: 'cpuUsPerCall', label: 'CPU µs per handler call' },
      { key: 'decisionUs', label: 'decision µs above floor', format: (v) => (v === undefined ? '' : (v ?? '-').toString()) },
      { key: 'failures', label: 'failures' },
    ],
    rows: cost.workers,
  };
}

export async function run(ctx) {
  const args = [
    ...(ctx.quick ? ['--rounds', '1', '--seconds', '2', '--cost-seconds', '2'] : ['--rounds', '3', '--cost-seconds', '3']),
    '--handler-cost',
  ];
  ctx.progress(`edge-load: node bench/edge/load.js ${args.join(' ')}`);
  let stdout;
  let failed;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [join(ctx.root, 'bench', 'edge', 'load.js'), ...args, '--json'], {
      cwd: ctx.root,
      maxBuffer: 16 << 20,
    }));
  } catch (error) {
    // load.js exits 1 when a request failed, and still prints its report.
    if (!error.stdout) throw error;
    stdout = error.stdout;
    failed = `load.js exited ${error.code}: ${error.stderr?.trim().split('\n').slice(-1)[0] ?? ''}`;
  }
  const report = JSON.parse(stdout);
  const js = report.workers[1];
  const rows = report.workers.map((w) => ({
    worker: w.worker,
    reqPerSec: w.reqPerSec,
    rounds: w.rounds?.join(' '),
    p50Ms: w.p50Ms,
    p99Ms: w.p99Ms,
    errors: w.errors + w.timeouts + w.unexpected,
    cpuUsPerRequest: w.cpuUsPerRequest,
    ratio: w.reqPerSec / js.reqPerSec,
  }));
  return {
    title,
    tables: [
      {
        title: `autocannon, ${report.connections} connections, ${report.seconds} s per worker, median of ${report.rounds} alternating round(s)`,
        columns: [
          { key: 'worker', label: 'worker' },
          { key: 'reqPerSec', label: 'req/s', format: (v) => fmt(v) },
          { key: 'rounds', label: 'rounds req/s' },
          { key: 'p50Ms', label: 'p50 ms' },
          { key: 'p99Ms', label: 'p99 ms' },
          { key: 'errors', label: 'errors' },
          { key: 'cpuUsPerRequest', label: 'CPU µs/req' },
          { key: 'ratio', label: 'req/s ÷ pure JS', format: (v) => ratio(v) },
        ],
        rows,
      },
      handlerCostTable(report.handlerCost),
    ],
    notes: [
      report.note,
      'CPU µs/req: workerd process CPU (all threads, HTTP included) per request',
      'handler cost: the same workers behind a wrapper that calls their fetch handler N times per request; ' +
        'CPU per extra call is the handler\'s cost, and the floor worker (new Request + the same 302, no ' +
        'verification) is what every call costs anyway; "CPU µs/req (1 call)" is behind the wrapper, in its own workerd',
      ...(report.handlerCost.ceiling === null
        ? []
        : [
            `ceiling: with workerd's CPU the limit, a worker whose decision cost nothing would serve ` +
              `${report.handlerCost.ceiling}x the pure-JS worker's req/s (its CPU per request in the load test ` +
              `above, over the same minus its decision)`,
          ]),
    ],
    failed,
    data: report,
  };
}
