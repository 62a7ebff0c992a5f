// CloudFront log aggregation: throughput and PEAK MEMORY of whole programs on a generated log
// (1 GiB; 64 MiB with --quick), plain and gzip: the clicktrail native CLI, the clicktrail npm CLI
// (WASM in Node), a straightforward JS implementation (bench/peers/cloudfront-js.js) and goaccess
// (a general log analyser that computes far more panels, the tool people reach for). Every tool
// is a child process, so each one's peak resident memory is its own (GNU time's %M, or VmHWM
// polled from /proc when /usr/bin/time is missing). Then, untimed: native and WASM outputs must
// be byte-identical, and the JS baseline's click and impression totals must match clicktrail's
// human + machine totals.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeStale, wasmStale } from '../lib/freshness.js';
import { groupedBarChart } from '../lib/plot.js';
import { fmt, ratio, targetsTable } from '../lib/table.js';
import { median, now } from '../lib/timing.js';

export const name = 'cloudfront';
export const title = 'CloudFront log aggregation: throughput and peak memory per program';

const MIB = 1024 * 1024;
const TARGET_WASM_VS_JS = 5;
const TARGET_NATIVE_VS_GOACCESS = 10;
const TARGET_PEAK_MB = 64;

// goaccess's predefined CLOUDFRONT format expects one field after cs-protocol-version (the
// 26-field log of 2019); the generated log has the 24 classic fields, so this is that format
// without its last `\t%^`. Dates and times as CLOUDFRONT.
const GOACCESS_FORMAT = '%d\\t%t\\t%^\\t%b\\t%h\\t%m\\t%v\\t%U\\t%s\\t%R\\t%u\\t%q\\t%^\\t%C\\t%^\\t%^\\t%^\\t%^\\t%T\\t%^\\t%K\\t%k\\t%^\\t%H';

const shellQuote = (text) => `'${text.replace(/'/g, "'\\''")}'`;
const which = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();

// The uncompressed size a gzip file records (ISIZE: the last 4 bytes, mod 2^32).
function gzipIsize(path) {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    readSync(fd, buffer, 0, 4, statSync(path).size - 4);
    return buffer.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

// Runs `command args` with stdout to `stdoutFile` (or /dev/null); resolves {seconds, peakKb,
// status, stderr}. Peak memory: GNU time's %M (max RSS of the child and the processes it waited
// for), else the largest VmHWM of the child polled every 20 ms.
function runMeasured(command, args, { stdoutFile, cwd, time }) {
  return new Promise((resolve, reject) => {
    const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
    const timeFile = time ? join(tmpdir(), `clicktrail-bench-time-${process.pid}-${Date.now()}`) : null;
    const [file, argv] = time ? [time, ['-f', '%M', '-o', timeFile, command, ...args]] : [command, args];
    const start = now();
    const child = spawn(file, argv, { cwd, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    let polledKb = 0;
    const poll = time
      ? null
      : setInterval(() => {
          try {
            const hwm = /VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (hwm) polledKb = Math.max(polledKb, Number(hwm[1]));
          } catch {
            // exited
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = (now() - start) / 1000;
      if (poll) clearInterval(poll);
      if (typeof out === 'number') closeSync(out);
      let peakKb = polledKb || undefined;
      if (timeFile) {
        try {
          const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
          peakKb = Number(lines[lines.length - 1]);
        } catch {
          peakKb = undefined;
        }
        rmSync(timeFile, { force: true });
      }
      resolve({ seconds, peakKb, status, stderr });
    });
  });
}

// The generated log (reused when present with the right size) and its gzip -1 copy (reused when
// its recorded size matches and it is newer than the log).
async function prepareInputs(ctx, mib) {
  const generator = join(ctx.root, 'build', 'native', 'bench-cloudfront');
  const log = join(tmpdir(), `clicktrail-bench-cloudfront-${mib}MiB.log`);
  const gz = `${log}.gz`;
  const target = mib * MIB;
  const fits = (size) => size >= target && size < target + 4096; // the generator stops past the target
  let generated = false;
  if (!existsSync(log) || !fits(statSync(log).size)) {
    if (!existsSync(generator)) {
      throw new Error('build/native/bench-cloudfront is missing: cmake --build build/native --target bench-cloudfront');
    }
    ctx.progress(`cloudfront: generating a ${mib} MiB log`);
    const run = spawnSync(generator, ['generate', log, String(mib)], { stdio: 'ignore' });
    if (run.status !== 0 || !fits(statSync(log).size)) throw new Error(`bench-cloudfront generate failed (${run.status})`);
    generated = true;
  }
  const size = statSync(log).size;
  let compressed = false;
  if (generated || !existsSync(gz) || statSync(gz).mtimeMs < statSync(log).mtimeMs || gzipIsize(gz) !== size % 2 ** 32) {
    ctx.progress('cloudfront: gzip -1');
    rmSync(gz, { force: true });
    const fd = openSync(gz, 'w');
    let status;
    try {
      status = which('gzip') ? spawnSync('gzip', ['-1', '-c', log], { stdio: ['ignore', fd, 'ignore'] }).status : null;
    } finally {
      closeSync(fd);
    }
    if (status !== 0) {
      // No gzip binary: node's zlib, streaming.
      const { createReadStream, createWriteStream } = await import('node:fs');
      const { createGzip } = await import('node:zlib');
      const { pipeline } = await import('node:stream/promises');
      await pipeline(createReadStream(log), createGzip({ level: 1 }), createWriteStream(gz));
    }
    compressed = true;
  }
  return { log, gz, size, gzSize: statSync(gz).size, generated, compressed };
}

function tools(ctx) {
  const native = join(ctx.root, 'build', 'native', 'clicktrail');
  const goaccess = which('goaccess');
  const goaccessArgs = (out) => [
    `--log-format=${GOACCESS_FORMAT}`,
    '--date-format=CLOUDFRONT',
    '--time-format=CLOUDFRONT',
    '--no-global-config',
    '--no-progress',
    '-o',
    out,
  ];
  return [
    {
      id: 'clicktrail-native',
      label: 'clicktrail native CLI',
      short: 'clicktrail native CLI',
      missing: existsSync(native) ? null : 'build/native/clicktrail is missing',
      command: (file) => [native, ['logs', '--daily', '--format', 'csv', file]],
    },
    {
      id: 'clicktrail-wasm',
      label: 'clicktrail npm CLI (WASM in Node)',
      short: 'clicktrail npm CLI (WASM)',
      command: (file) => [process.execPath, [join(ctx.root, 'wasm', 'src', 'cli.js'), 'logs', '--daily', '--format', 'csv', file]],
    },
    {
      id: 'js',
      label: 'JS readline + split + URLSearchParams + Map/Set',
      short: 'JS readline + Map/Set',
      command: (file) => [process.execPath, [join(ctx.root, 'bench', 'peers', 'cloudfront-js.js'), file]],
    },
    {
      id: 'goaccess',
      label: 'goaccess (CLOUDFRONT format, JSON report)',
      short: 'goaccess',
      missing: goaccess ? null : 'goaccess is not installed (tools/bench.sh installs the Debian package)',
      // goaccess 1.7 cannot read .gz: `gzip -dc | goaccess -` runs the same parser with gzip on
      // the other core (13.3 vs 12.3 MB/s plain in a trial on 1 GiB) and costs the full run
      // another 50-80 s, so only --quick runs it.
      plainOnly: (c) => !c.quick,
      // goaccess 1.7 does not read .gz files: gzip -dc | goaccess - (its peak is the larger of the two).
      command: (file, dir) =>
        file.endsWith('.gz')
          ? ['sh', ['-c', `gzip -dc "$1" | "$2" - ${goaccessArgs(join(dir, 'goaccess.json')).map(shellQuote).join(' ')}`, 'sh', file, goaccess]]
          : [goaccess, [file, ...goaccessArgs(join(dir, 'goaccess.json'))]],
      report: (dir) => JSON.parse(readFileSync(join(dir, 'goaccess.json'), 'utf8')).general,
    },
  ];
}

// clicktrail's CSV -> {rows: Map(key -> {impressions, clicks, reach, machineReach}), totals}.
function readClicktrailCsv(text) {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  const col = (name) => columns.indexOf(name);
  const rows = new Map();
  const totals = { impressions: 0, clicks: 0, humanImpressions: 0, humanClicks: 0, machineImpressions: 0, machineClicks: 0 };
  for (const line of lines) {
    const f = line.split(','); // the generated keys have no commas or quotes
    const key = ['date_start', 'order_id', 'campaign_id', 'publication_id', 'channel', 'creative', 'size'].map((n) => f[col(n)]).join('|');
    const row = {
      impressions: Number(f[col('impressions')]) + Number(f[col('machine_impressions')]),
      clicks: Number(f[col('clicks')]) + Number(f[col('machine_clicks')]),
      reach: Number(f[col('reach')]) + Number(f[col('machine_reach')]),
    };
    rows.set(key, row);
    totals.humanImpressions += Number(f[col('impressions')]);
    totals.humanClicks += Number(f[col('clicks')]);
    totals.machineImpressions += Number(f[col('machine_impressions')]);
    totals.machineClicks += Number(f[col('machine_clicks')]);
  }
  totals.impressions = totals.humanImpressions + totals.machineImpressions;
  totals.clicks = totals.humanClicks + totals.machineClicks;
  return { rows, totals };
}

function readJsCsv(text) {
  const [, ...lines] = text.trim().split('\n');
  const rows = new Map();
  for (const line of lines) {
    const f = line.split(',');
    rows.set(f.slice(0, 7).join('|'), { impressions: Number(f[7]), clicks: Number(f[8]), uniqueClicks: Number(f[9]), reach: Number(f[10]) });
  }
  return rows;
}

// Untimed checks on the outputs kept from the runs.
function checkOutputs(outputs, jsSummary) {
  const findings = [];
  const same = (a, b) => outputs[a] !== undefined && outputs[b] !== undefined && outputs[a].equals(outputs[b]);
  const identical = {
    nativeVsWasmPlain: same('clicktrail-native/plain', 'clicktrail-wasm/plain'),
    nativeVsWasmGzip: same('clicktrail-native/gzip', 'clicktrail-wasm/gzip'),
    nativePlainVsGzip: same('clicktrail-native/plain', 'clicktrail-native/gzip'),
  };
  const reference = outputs['clicktrail-native/plain'] ?? outputs['clicktrail-wasm/plain'];
  const js = outputs['js/plain'];
  let totals = null;
  if (reference && js) {
    const ours = readClicktrailCsv(reference.toString('utf8'));
    const theirs = readJsCsv(js.toString('utf8'));
    let rowsSame = 0;
    const reachDiffs = [];
    for (const [key, row] of ours.rows) {
      const other = theirs.get(key);
      if (other && other.impressions === row.impressions && other.clicks === row.clicks) rowsSame += 1;
      if (other && other.reach > 0) reachDiffs.push(Math.abs(row.reach - other.reach) / other.reach);
    }
    const onlyJs = [...theirs.keys()].filter((k) => !ours.rows.has(k)).length;
    totals = {
      clicktrail: ours.totals,
      js: jsSummary,
      rows: { clicktrail: ours.rows.size, js: theirs.size, sameCounts: rowsSame, onlyJs },
      reachRelativeDifference: reachDiffs.length ? { median: median(reachDiffs), max: Math.max(...reachDiffs) } : null,
    };
    if (jsSummary && (jsSummary.clicks !== ours.totals.clicks || jsSummary.impressions !== ours.totals.impressions)) {
      findings.push(
        `totals differ: JS ${jsSummary.clicks} clicks / ${jsSummary.impressions} impressions, clicktrail human+machine ${ours.totals.clicks} / ${ours.totals.impressions}`,
      );
    }
    if (rowsSame !== ours.rows.size || onlyJs) {
      findings.push(`per row (day x key): ${rowsSame}/${ours.rows.size} clicktrail rows have the JS counts; ${onlyJs} JS rows clicktrail lacks`);
    }
  }
  for (const [check, ok] of Object.entries(identical)) if (!ok) findings.push(`outputs not byte-identical: ${check}`);
  return { identical, totals, findings };
}

export async function run(ctx) {
  const mib = ctx.quick ? 64 : 1024;
  const maxRuns = ctx.quick ? 1 : 3;
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const input = await prepareInputs(ctx, mib);
  const dir = mkdtempSync(join(tmpdir(), 'clicktrail-bench-cloudfront-out-'));
  const list = tools(ctx);
  const results = {};
  const outputs = {};
  const errors = [];
  let jsSummary = null;
  let goaccessGeneral = null;
  try {
    for (const tool of list) {
      if (tool.missing) continue;
      for (const [kind, file] of [
        ['plain', input.log],
        ['gzip', input.gz],
      ]) {
        if (kind === 'gzip' && tool.plainOnly?.(ctx)) continue;
        const stdoutFile = join(dir, `${tool.id}-${kind}.out`);
        const [command, args] = tool.command(file, dir);
        // Up to 3 runs (median seconds, largest peak) while they take under 12 s together: the
        // fast tools get a median, the slow ones one run (--quick: one run each).
        const runs = [];
        let r;
        do {
          ctx.progress(`cloudfront: ${tool.id} ${kind} run ${runs.length + 1}`);
          r = await runMeasured(command, args, { stdoutFile, cwd: ctx.root, time });
          if (r.status !== 0) break;
          runs.push(r);
        } while (runs.length < maxRuns && runs.reduce((sum, x) => sum + x.seconds, 0) < 12);
        if (r.status !== 0) {
          errors.push(`${tool.id} ${kind} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' / ')}`);
          continue;
        }
        results[`${tool.id}/${kind}`] = {
          seconds: median(runs.map((x) => x.seconds)),
          runs: runs.length,
          peakKb: runs.some((x) => x.peakKb) ? Math.max(...runs.map((x) => x.peakKb ?? 0)) : undefined,
          stderr: r.stderr.trim().split('\n').pop(),
        };
        if (tool.id !== 'goaccess') outputs[`${tool.id}/${kind}`] = readFileSync(stdoutFile);
        if (tool.id === 'js' && kind === 'plain') jsSummary = JSON.parse(r.stderr.trim().split('\n').pop());
        if (tool.report && kind === 'plain') goaccessGeneral = tool.report(dir);
        rmSync(stdoutFile, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!ctx.keep) {
      rmSync(input.log, { force: true });
      rmSync(input.gz, { force: true });
    }
  }

  // What Node itself takes: the floor under the npm CLI's and the JS baseline's peaks.
  const bareNode = await runMeasured(process.execPath, ['-e', '0'], { cwd: ctx.root, time });
  const checks = checkOutputs(outputs, jsSummary);
  const mbps = (id, kind) => {
    const r = results[`${id}/${kind}`];
    return r ? input.size / r.seconds / 1e6 : undefined;
  };
  const peakMb = (id, kind) => {
    const r = results[`${id}/${kind}`];
    return r?.peakKb ? r.peakKb / 1024 : undefined;
  };
  const rows = list.map((tool) => {
    const row = { id: tool.id, tool: tool.label, short: tool.short };
    for (const kind of ['plain', 'gzip']) {
      row[`mbps_${kind}`] = mbps(tool.id, kind);
      row[`peakMb_${kind}`] = peakMb(tool.id, kind);
      row[`seconds_${kind}`] = results[`${tool.id}/${kind}`]?.seconds;
    }
    row.nativeRatio = mbps('clicktrail-native', 'plain') / row.mbps_plain;
    row.wasmRatio = mbps('clicktrail-wasm', 'plain') / row.mbps_plain;
    row.wasmRatioGzip = mbps('clicktrail-wasm', 'gzip') / row.mbps_gzip;
    row.nativeRatioGzip = mbps('clicktrail-native', 'gzip') / row.mbps_gzip;
    return row;
  });

  const maxPeak = (id) => Math.max(peakMb(id, 'plain') ?? NaN, peakMb(id, 'gzip') ?? NaN);
  const check = (value, ok) => (value === undefined || Number.isNaN(value) ? '-' : ok ? 'yes' : 'NO');
  const wasmVsJs = mbps('clicktrail-wasm', 'plain') / mbps('js', 'plain');
  const nativeVsGoaccess = mbps('clicktrail-native', 'plain') / mbps('goaccess', 'plain');
  const targets = [
    { target: `WASM CLI >= ${TARGET_WASM_VS_JS}x the JS baseline (plain)`, measured: ratio(wasmVsJs), met: check(wasmVsJs, wasmVsJs >= TARGET_WASM_VS_JS) },
    {
      target: `native >= ${TARGET_NATIVE_VS_GOACCESS}x goaccess (plain)`,
      measured: ratio(nativeVsGoaccess),
      met: check(nativeVsGoaccess, nativeVsGoaccess >= TARGET_NATIVE_VS_GOACCESS),
    },
    ...['clicktrail-native', 'clicktrail-wasm'].map((id) => {
      const peak = maxPeak(id);
      return {
        target: `${id === 'clicktrail-native' ? 'native' : 'WASM CLI'} peak memory < ${TARGET_PEAK_MB} MB`,
        measured: Number.isNaN(peak) ? '-' : `${fmt(peak)} MB`,
        met: check(peak, peak < TARGET_PEAK_MB),
      };
    }),
  ];

  const t = checks.totals;
  const checkRows = [
    { check: 'native CSV == WASM CSV (plain)', result: checks.identical.nativeVsWasmPlain ? 'byte-identical' : 'DIFFERENT' },
    { check: 'native CSV == WASM CSV (gzip)', result: checks.identical.nativeVsWasmGzip ? 'byte-identical' : 'DIFFERENT' },
    { check: 'native CSV plain == gzip', result: checks.identical.nativePlainVsGzip ? 'byte-identical' : 'DIFFERENT' },
  ];
  if (t) {
    checkRows.push(
      {
        check: 'clicks: JS vs clicktrail human+machine',
        result: `${t.js.clicks} vs ${t.clicktrail.clicks} (${t.clicktrail.humanClicks} + ${t.clicktrail.machineClicks}) ${t.js.clicks === t.clicktrail.clicks ? 'same' : 'DIFFERENT'}`,
      },
      {
        check: 'impressions: JS vs clicktrail human+machine',
        result: `${t.js.impressions} vs ${t.clicktrail.impressions} (${t.clicktrail.humanImpressions} + ${t.clicktrail.machineImpressions}) ${t.js.impressions === t.clicktrail.impressions ? 'same' : 'DIFFERENT'}`,
      },
      { check: 'rows (day x key) with the same counts', result: `${t.rows.sameCounts}/${t.rows.clicktrail} (JS has ${t.rows.js} rows)` },
    );
    if (t.reachRelativeDifference) {
      checkRows.push({
        check: 'reach: clicktrail (HLL, human+machine) vs JS (exact Set)',
        result: `median ${(100 * t.reachRelativeDifference.median).toFixed(2)} %, max ${(100 * t.reachRelativeDifference.max).toFixed(2)} % off`,
      });
    }
  }
  if (goaccessGeneral) {
    checkRows.push({
      check: 'goaccess parsed the same lines',
      result: `${goaccessGeneral.valid_requests} valid, ${goaccessGeneral.failed_requests} failed of ${goaccessGeneral.total_requests}${jsSummary ? ` (log has ${jsSummary.hits} hits)` : ''}`,
    });
  }

  const notes = [
    `input: ${mib} MiB log from build/native/bench-cloudfront generate (${fmt(input.size / 1e6)} MB, ${jsSummary ? `${jsSummary.hits} hits, ` : ''}24 fields) in ${tmpdir()}, and gzip -1 of it (${fmt(input.gzSize / 1e6)} MB); ${input.generated ? 'generated now' : 'reused'}${ctx.keep ? ', kept (--keep)' : ', deleted at the end (--keep keeps it)'}`,
    `MB/s = uncompressed log bytes / wall-clock seconds of the whole program (process start, module load and output included); median of up to ${maxRuns} run(s) while they take < 12 s together, else one run (${Object.entries(results).map(([k, v]) => `${k} ${v.runs}`).join(', ')})`,
    `peak = max RSS of the process (for goaccess on .gz: of gzip -dc | goaccess, the larger one), by ${time ? 'GNU time %M' : 'VmHWM polled from /proc every 20 ms (install the Debian package "time" for GNU time)'}; a bare \`node -e 0\` peaks at ${bareNode.peakKb ? `${fmt(bareNode.peakKb / 1024)} MB` : '?'} here, the floor of the npm CLI and the JS baseline`,
    'JS baseline counts every /c and /pxl.png hit with status 2xx/3xx, no machine classification, exact Sets; clicktrail counts human and machine traffic apart (same hits), unique counts by HyperLogLog; goaccess computes its own panels (visitors, requests, hosts, OS, browsers, ...) and writes a JSON report',
  ];
  if (checks.findings.length) notes.push(...checks.findings.map((f) => `FINDING: ${f}`));
  for (const tool of list) if (tool.missing) notes.push(`${tool.id}: skipped: ${tool.missing}`);
  for (const tool of list) {
    if (!tool.missing && tool.plainOnly?.(ctx)) {
      notes.push(`${tool.id}: plain only (it cannot read .gz; through gzip -dc | it runs the same parser, see bench/sections/cloudfront.js; --quick runs it on .gz too)`);
    }
  }
  for (const error of errors) notes.push(`FAILED: ${error}`);
  if (nativeStale(ctx.root, 'clicktrail')) {
    notes.push('native: WARNING build/native/clicktrail is older than cpp/: rebuild it');
  }
  if (wasmStale(ctx.root)) notes.push('WASM: WARNING wasm/dist/clicktrail-core.wasm is older than cpp/ or wasm/: npm run build');
  const wasmStderr = results['clicktrail-native/plain']?.stderr ?? results['clicktrail-wasm/plain']?.stderr;
  if (wasmStderr) notes.push(`clicktrail's summary: ${wasmStderr}`);

  return {
    title,
    failed: errors.length ? errors.join('; ') : undefined,
    tables: [
      {
        title: `throughput and peak memory (${mib} MiB log)`,
        columns: [
          { key: 'tool', label: 'tool' },
          { key: 'mbps_plain', label: 'plain MB/s', format: (v) => fmt(v) },
          { key: 'peakMb_plain', label: 'peak MB', format: (v) => fmt(v) },
          { key: 'mbps_gzip', label: 'gzip MB/s', format: (v) => fmt(v) },
          { key: 'peakMb_gzip', label: 'peak MB', format: (v) => fmt(v) },
          { key: 'nativeRatio', label: 'native ÷ tool (plain gzip)', format: (v, r) => `${ratio(v)} ${ratio(r.nativeRatioGzip)}` },
          { key: 'wasmRatio', label: 'WASM ÷ tool (plain gzip)', format: (v, r) => `${ratio(v)} ${ratio(r.wasmRatioGzip)}` },
        ],
        rows: rows.filter((r) => r.mbps_plain !== undefined || r.mbps_gzip !== undefined),
      },
      targetsTable(targets),
      {
        title: 'output checks (untimed)',
        columns: [
          { key: 'check', label: 'check' },
          { key: 'result', label: 'result', align: 'left' },
        ],
        rows: checkRows,
      },
    ],
    notes,
    data: { mib, input: { size: input.size, gzSize: input.gzSize }, rows, results, bareNodePeakKb: bareNode.peakKb, checks, goaccess: goaccessGeneral, targets },
  };
}

/** The SVG plot: MB/s per tool, plain and gzip. */
export function plots(result, ctx) {
  const rows = result.data.rows.filter((r) => Number.isFinite(r.mbps_plain) || Number.isFinite(r.mbps_gzip));
  return [
    {
      file: 'cloudfront.svg',
      svg: groupedBarChart({
        title: `CloudFront log aggregation (${result.data.mib} MiB log, MB/s of the whole program; higher is better)`,
        subtitle: `${ctx.machine.cpu}, ${ctx.machine.cores} cores, Node ${ctx.machine.node}, ${ctx.date.slice(0, 10)}`,
        series: ['plain', 'gzip'],
        unit: 'MB/s',
        groups: rows.map((r) => ({ label: r.short, highlight: r.id.startsWith('clicktrail'), values: [r.mbps_plain ?? null, r.mbps_gzip ?? null] })),
      }),
    },
  ];
}
