// SES event parsing: clicktrail (WASM from Node, one call per batch; the native build as child
// processes) against plain JS (JSON.parse + unwrap + normalise per recipient,
// bench/peers/ses-normalize.js) on the same NDJSON bytes: a batch of events generated from AWS's
// documented examples (bench/lib/ses-events.js) in bare, SNS HTTP and EventBridge envelopes, with
// a fresh message id and fresh recipients per event. A V8 string cannot hold the ~1.7 GB a
// million such events take, so the batch is a Buffer and the same batch is parsed again and
// again: one timed call per batch, the figure is the median call. Then, untimed, whether
// clicktrail and the JS peer produce the same records from one batch.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSesEvents } from 'clicktrail/backoffice';
import { parseJsonView } from '../../wasm/src/core-io.js';
import { normalizeSesEvents } from '../peers/ses-normalize.js';
import { nativeStale, wasmStale } from '../lib/freshness.js';
import { loadSesTemplates, sesBatch, sesBatchMix } from '../lib/ses-events.js';
import { groupedBarChart } from '../lib/plot.js';
import { fmt, ratio, targetsTable } from '../lib/table.js';
import { median, now } from '../lib/timing.js';

export const name = 'ses';
export const title = 'SES event parsing: clicktrail vs JSON.parse + normalise in JS';

// Targets from the issue.
const TARGET_WASM_VS_JS = 1.5;
const TARGET_NATIVE_MBPS = 300;

const WAYS = [
  {
    id: 'clicktrail-wasm',
    label: 'clicktrail WASM parseSesEvents(bytes)',
    short: 'clicktrail WASM (records)',
    what: 'records as JS objects',
    parse: (bytes) => parseSesEvents(bytes).records.length,
  },
  {
    id: 'clicktrail-wasm-counts',
    label: 'clicktrail WASM, {records:false}',
    short: 'clicktrail WASM (counts only)',
    what: 'counts only (the core call, no records out)',
    parse: (bytes) => parseSesEvents(bytes, { records: false }).recordCount,
  },
  {
    id: 'js',
    label: 'JS JSON.parse + normalise',
    short: 'JS JSON.parse + normalise',
    what: 'records as JS objects',
    parse: (bytes) => normalizeSesEvents(bytes).records.length,
  },
];
const JS = 'js';

// Not a way to parse events: what handing the records over to JS costs on its own (decoding the
// records' JSON from bytes and JSON.parse making the objects: parseJsonView, which parseSesEvents
// calls after the core call). Counts-only plus this is the least a records call can take,
// whatever the core does.
const HANDOVER = 'records-handover';

// `recordsJson`: the records serialised by JSON.stringify, the same text as the core's answer up
// to escapes. The agreement check never ran this way, so it gets a warm-up call of its own.
function handoverWay(recordsJson) {
  return {
    id: HANDOVER,
    warmup: 1,
    label: 'records hand-over alone: decode + JSON.parse of the records',
    short: 'records hand-over alone',
    what: "not a parser: the part of clicktrail WASM's call after the core",
    parse: () => parseJsonView(recordsJson).records.length,
  };
}

// Per way: warm-up calls, then up to `batches` timed calls back to back (not interleaved, as in
// the rewrite section: one way's garbage should not be the next way's cost). A slow way stops
// after `budgetSeconds` of timed calls (at least `minBatches`), so the section's time stays
// bounded whatever the build; the calls it made are in the result.
function measure(ways, bytes, { warmup, batches, minBatches, budgetSeconds }, ctx) {
  const result = {};
  let sink = 0;
  for (const way of ways) {
    const warmupCalls = way.warmup ?? warmup;
    for (let i = 0; i < warmupCalls; i += 1) {
      ctx.progress(`ses: ${way.id} warm-up ${i + 1}/${warmupCalls}`);
      sink += way.parse(bytes);
    }
    const times = [];
    let spent = 0;
    for (let i = 0; i < batches && (i < minBatches || spent < budgetSeconds); i += 1) {
      ctx.progress(`ses: ${way.id} batch ${i + 1}/${batches}`);
      const start = now();
      sink += way.parse(bytes);
      times.push((now() - start) / 1000);
      spent += times[times.length - 1];
    }
    result[way.id] = { median: median(times), best: Math.min(...times), calls: times.length, times };
  }
  if (sink === 0) throw new Error('no records');
  return result;
}

// build/native/bench-ses: its own generated input (the same AWS examples plus other captures,
// no EventBridge envelope) and its own medians. {events, records, bytes, sesMBps, ...} or {error}.
function runBenchSes(ctx, events) {
  const binary = join(ctx.root, 'build', 'native', 'bench-ses');
  if (!existsSync(binary)) {
    return { error: 'build/native/bench-ses is missing (cmake --build build/native --target bench-ses)' };
  }
  const stale = nativeStale(ctx.root, 'bench-ses', ['bench/ses_bench.cpp']);
  try {
    const out = execFileSync(binary, ['--json', '--events', String(events), '--data', join(ctx.root, 'tests', 'data', 'ses')], {
      cwd: ctx.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = out.trim().split('\n').pop();
    return { stale, ...JSON.parse(line) };
  } catch (error) {
    return { error: `bench-ses failed: ${(error.stderr || error.message).toString().trim().split('\n')[0]}` };
  }
}

// The native CLI on the same NDJSON bytes (a temp file), records as NDJSON to /dev/null:
// wall-clock seconds per run (process start included, a few ms), median of `runs`.
function runNativeCli(ctx, file, runs) {
  const binary = join(ctx.root, 'build', 'native', 'clicktrail');
  if (!existsSync(binary)) return { error: 'build/native/clicktrail is missing' };
  const stale = nativeStale(ctx.root, 'clicktrail');
  const times = [];
  let summary = '';
  // At least 3 runs; no more once 10 s are spent.
  for (let i = 0; i < runs && (i < 3 || times.reduce((a, b) => a + b, 0) < 10); i += 1) {
    ctx.progress(`ses: native CLI run ${i + 1}/${runs}`);
    const start = now();
    const run = spawnSync(binary, ['events', file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    times.push((now() - start) / 1000);
    if (run.status !== 0) return { error: `clicktrail events exited ${run.status}: ${run.stderr.trim().split('\n').pop()}` };
    summary = run.stderr.trim().split('\n').pop();
  }
  return { stale, median: median(times), best: Math.min(...times), runs: times.length, summary };
}

// Canonical JSON (object keys sorted) for comparing values.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const keyOf = (r) => `${r.type}\u0000${r.messageId}\u0000${r.recipient}`;
const shortKey = (key) => key.split('\u0000').join(' ');
const clip = (text, n = 90) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

// Untimed: clicktrail's records against the JS peer's for one batch: counts, the set of
// (type, messageId, recipient), and field by field for the records both produced.
export function compareRecords(ours, theirs) {
  const byKey = (records) => {
    const map = new Map();
    for (const r of records) {
      const key = keyOf(r);
      if (!map.has(key)) map.set(key, []);
      map.get(key).push(r);
    }
    return map;
  };
  const a = byKey(ours.records);
  const b = byKey(theirs.records);
  const onlyClicktrail = [...a.keys()].filter((k) => !b.has(k));
  const onlyJs = [...b.keys()].filter((k) => !a.has(k));
  const fields = new Map(); // field -> {count, example}
  let compared = 0;
  let identical = 0;
  for (const [key, list] of a) {
    const other = b.get(key);
    if (!other) continue;
    for (let i = 0; i < Math.min(list.length, other.length); i += 1) {
      compared += 1;
      let same = true;
      const x = list[i];
      const y = other[i];
      for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) {
        const cx = x[field] === undefined ? undefined : canonical(x[field]);
        const cy = y[field] === undefined ? undefined : canonical(y[field]);
        if (cx === cy) continue;
        same = false;
        if (!fields.has(field)) {
          fields.set(field, {
            field,
            count: 0,
            example: `${shortKey(key)}: clicktrail ${clip(cx ?? '(absent)', 60)} / JS ${clip(cy ?? '(absent)', 60)}`,
          });
        }
        fields.get(field).count += 1;
      }
      if (same) identical += 1;
    }
  }
  return {
    counts: {
      clicktrail: { seen: ours.seen, accepted: ours.accepted, rejected: ours.rejected, records: ours.records.length },
      js: { seen: theirs.seen, accepted: theirs.accepted, rejected: theirs.rejected, records: theirs.records.length },
    },
    sameKeySet: onlyClicktrail.length === 0 && onlyJs.length === 0,
    onlyClicktrail: onlyClicktrail.length,
    onlyJs: onlyJs.length,
    examples: [...onlyClicktrail.slice(0, 3).map((k) => `clicktrail only: ${shortKey(k)}`), ...onlyJs.slice(0, 3).map((k) => `JS only: ${shortKey(k)}`)],
    compared,
    identical,
    fieldDifferences: [...fields.values()].sort((p, q) => q.count - p.count),
    rejections: {
      clicktrail: ours.rejections.slice(0, 3),
      js: theirs.rejections.slice(0, 3),
    },
  };
}

export async function run(ctx) {
  // Full: 20 calls on a batch of 50,000 events = 1,000,000 events per way, or fewer calls (at
  // least 3) once a way has spent 12 s, which keeps the section near a minute (a full
  // `npm run bench` has to stay under 10 minutes on 2 cores). The untimed agreement check
  // before has already run the parsers over the whole batch: that is the warm-up. --quick:
  // 4 x 5,000 events.
  const plan = ctx.quick
    ? { events: 5000, warmup: 1, batches: 4, minBatches: 4, budgetSeconds: 10, nativeEvents: 20000, cliRuns: 3 }
    : { events: 50000, warmup: 0, batches: 20, minBatches: 3, budgetSeconds: 12, nativeEvents: 50000, cliRuns: 5 };

  ctx.progress('ses: generating the batch');
  const templates = loadSesTemplates(ctx.root);
  const bytes = sesBatch(templates, plan.events);
  const mix = sesBatchMix(templates, plan.events);

  // Untimed first: the agreement check (and the records count used for records/s).
  ctx.progress('ses: agreement check');
  const ours = parseSesEvents(bytes);
  const theirs = normalizeSesEvents(bytes);
  const agreement = compareRecords(ours, theirs);
  const records = ours.records.length;
  const recordsJson = Buffer.from(JSON.stringify(ours));
  const ways = [...WAYS, handoverWay(recordsJson)];

  const seconds = measure(ways, bytes, plan, ctx);

  ctx.progress('ses: native (child processes)');
  const benchSes = runBenchSes(ctx, plan.nativeEvents);
  const dir = mkdtempSync(join(tmpdir(), 'clicktrail-bench-ses-'));
  let cli;
  try {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, bytes);
    cli = runNativeCli(ctx, file, plan.cliRuns);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const jsEventsPerSecond = plan.events / seconds[JS].median;
  const rows = ways.map((way) => {
    const s = seconds[way.id];
    return {
      id: way.id,
      way: way.label,
      short: way.short,
      input: 'same batch',
      what: way.what,
      eventsPerSecond: plan.events / s.median,
      recordsPerSecond: records / s.median,
      mbps: bytes.length / s.median / 1e6,
      bestMBps: bytes.length / s.best / 1e6,
      vsJs: way.id === HANDOVER ? undefined : plan.events / s.median / jsEventsPerSecond,
    };
  });
  if (!cli.error) {
    rows.push({
      id: 'clicktrail-native-cli',
      way: 'clicktrail native CLI `events FILE`',
      short: 'clicktrail native CLI',
      input: 'same batch',
      what: 'NDJSON records to /dev/null',
      eventsPerSecond: plan.events / cli.median,
      recordsPerSecond: records / cli.median,
      mbps: bytes.length / cli.median / 1e6,
      bestMBps: bytes.length / cli.best / 1e6,
      vsJs: plan.events / cli.median / jsEventsPerSecond,
    });
  }
  if (!benchSes.error) {
    // bench-ses's own batch: records/s from its records-per-event, ÷ JS by events/s.
    const nativeRow = (id, way, short, what, eventsPerSecond, mbps) => ({
      id,
      way,
      short,
      input: 'bench-ses own',
      what,
      eventsPerSecond,
      recordsPerSecond: (eventsPerSecond * benchSes.records) / benchSes.events,
      mbps,
      vsJs: eventsPerSecond / jsEventsPerSecond,
    });
    rows.push(
      nativeRow('clicktrail-native-bench', 'clicktrail native parse_ses_events', 'clicktrail native (bench-ses input)',
        'C++ records in memory', benchSes.sesEventsPerSecond, benchSes.sesMBps),
      nativeRow('clicktrail-native-reused', 'clicktrail native parse_ses_events into a reused batch',
        'clicktrail native, reused batch', "C++ records in the previous batch's memory",
        benchSes.sesReusedEventsPerSecond, benchSes.sesReusedMBps),
      {
        id: 'nlohmann-dom',
        way: 'nlohmann DOM parse only (native peer)',
        short: 'nlohmann DOM (bench-ses input)',
        input: 'bench-ses own',
        what: 'parse, no SES extraction',
        eventsPerSecond: (benchSes.nlohmannDomMBps * 1e6 * benchSes.events) / benchSes.bytes,
        mbps: benchSes.nlohmannDomMBps,
        vsJs: (benchSes.nlohmannDomMBps * 1e6 * benchSes.events) / benchSes.bytes / jsEventsPerSecond,
      },
    );
  }

  const wasm = rows.find((r) => r.id === 'clicktrail-wasm');
  const ceiling = seconds[JS].median / (seconds['clicktrail-wasm-counts'].median + seconds[HANDOVER].median);
  const nativeMBps = rows.find((r) => r.id === 'clicktrail-native-bench')?.mbps ?? rows.find((r) => r.id === 'clicktrail-native-cli')?.mbps;
  const reusedMBps = rows.find((r) => r.id === 'clicktrail-native-reused')?.mbps;
  const nativeMet = (mbps) => mbps !== undefined && mbps > TARGET_NATIVE_MBPS;
  const targets = [
    {
      target: `WASM parseSesEvents >= ${TARGET_WASM_VS_JS}x plain JS (events/s)`,
      measured: ratio(wasm.vsJs),
      met: wasm.vsJs >= TARGET_WASM_VS_JS ? 'yes' : 'NO',
    },
    {
      target: `native > ${TARGET_NATIVE_MBPS} MB/s`,
      measured:
        nativeMBps === undefined
          ? '-'
          : `${fmt(nativeMBps)} MB/s${reusedMBps === undefined ? '' : `, ${fmt(reusedMBps)} into a reused batch`}`,
      met:
        nativeMBps === undefined
          ? '-'
          : nativeMet(nativeMBps)
            ? 'yes'
            : nativeMet(reusedMBps)
              ? 'reused batch only'
              : 'NO',
    },
  ];

  const c = agreement.counts;
  const agreementRows = [
    { check: 'input records seen', clicktrail: c.clicktrail.seen, js: c.js.seen },
    { check: 'accepted', clicktrail: c.clicktrail.accepted, js: c.js.accepted },
    { check: 'rejected', clicktrail: c.clicktrail.rejected, js: c.js.rejected },
    { check: 'recipient records', clicktrail: c.clicktrail.records, js: c.js.records },
    { check: '(type, messageId, recipient) only in one', clicktrail: agreement.onlyClicktrail, js: agreement.onlyJs },
    { check: 'records with every field equal', clicktrail: `${agreement.identical}/${agreement.compared}`, js: '' },
  ];
  for (const row of agreementRows) row.same = row.js === '' ? '' : row.clicktrail === row.js ? 'same' : 'DIFFERENT';
  agreementRows[4].same = agreement.sameKeySet ? 'same set' : 'DIFFERENT';

  const mb = bytes.length / 1e6;
  const notes = [
    `input: ${plan.events} events (${records} recipient records) from ${templates.length} AWS examples (tests/data/ses/aws-ses-docs), ${fmt(mb)} MB of NDJSON, ${fmt(bytes.length / plan.events)} bytes/event; envelopes ${Object.entries(mix.envelopes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `in Node: per way ${plan.warmup ? `${plan.warmup} warm-up call(s)` : 'no warm-up call (the agreement check before ran the parsers over the batch; the hand-over gets one)'}, then up to ${plan.batches} timed calls on the same Buffer (${plan.events * plan.batches} events), at least ${plan.minBatches} and no more after ${plan.budgetSeconds} s: ${ways.map((w) => `${w.id} ${seconds[w.id].calls} calls (${seconds[w.id].calls * plan.events} events)`).join(', ')}; one call per batch, the figure is the median call; "÷ JS" compares events/s with the JS peer (> 1: faster than JS)`,
    'JS peer: Buffer decoded once to a string, then per line JSON.parse, JSON.parse of an SNS Message, normalise to one object per recipient (bench/peers/ses-normalize.js); it checks far less than clicktrail (no UTF-8, depth or field-type checks, no timestamp validation)',
    '{records:false} still copies the input into WASM memory and returns the counts; the difference to parseSesEvents is the records: the core writing them as JSON and JSON.parse making them objects',
    `records hand-over alone: the same records' JSON (${fmt(recordsJson.length / 1e6)} MB) decoded and parsed into objects; ceiling: with a core that wrote the records for free, a records call would still take counts-only + hand-over, so at most ${ratio(ceiling)} the JS peer's events/s`,
  ];
  if (wasmStale(ctx.root)) notes.push('WASM: WARNING wasm/dist/clicktrail-core.wasm is older than cpp/ or wasm/: npm run build');
  if (cli.error) notes.push(`native CLI: ${cli.error}`);
  else {
    notes.push(`native CLI: build/native/clicktrail events on the same batch as a temp file, median of ${cli.runs} runs, wall clock including process start; its summary: ${cli.summary}`);
    if (cli.stale) notes.push('native CLI: WARNING build/native/clicktrail is older than cpp/: rebuild it');
  }
  if (benchSes.error) notes.push(`native benchmark: ${benchSes.error}`);
  else {
    notes.push(
      `native benchmark: build/native/bench-ses --json --events ${plan.nativeEvents} (its own medians of 5 on its own generated batch: ${benchSes.events} events, ${benchSes.records} records, ${fmt(benchSes.bytes / 1e6)} MB; it has no option to read this section's file); memchr('\\n') ceiling ${fmt(benchSes.memchrMBps)} MB/s; "reused batch": parse_ses_events(text, batch) into the SesBatch of the previous call, as a service parsing batch after batch would, so the records land in memory already in use instead of pages mapped afresh`,
    );
    if (benchSes.stale) notes.push('native benchmark: WARNING build/native/bench-ses is older than cpp/ or bench/ses_bench.cpp: rebuild it');
  }
  if (!agreement.sameKeySet || agreement.fieldDifferences.length || c.clicktrail.rejected || c.js.rejected) {
    notes.push('agreement: differences are findings, listed above (see data.agreement for examples and rejections)');
  }

  const perSecond = (v) => (v === undefined ? '-' : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);
  return {
    title,
    tables: [
      {
        title: 'throughput (median call)',
        columns: [
          { key: 'way', label: 'way' },
          { key: 'input', label: 'input' },
          { key: 'eventsPerSecond', label: 'events/s', format: perSecond },
          { key: 'recordsPerSecond', label: 'records/s', format: perSecond },
          { key: 'mbps', label: 'MB/s', format: (v) => fmt(v) },
          { key: 'vsJs', label: '÷ JS', format: (v) => ratio(v) },
          { key: 'what', label: 'output', align: 'left' },
        ],
        rows,
      },
      targetsTable(targets),
      {
        title: 'clicktrail WASM vs the JS peer on one batch (untimed)',
        columns: [
          { key: 'check', label: 'check' },
          { key: 'clicktrail', label: 'clicktrail' },
          { key: 'js', label: 'JS' },
          { key: 'same', label: 'agree' },
        ],
        rows: agreementRows,
      },
      {
        title: 'fields that differ on records both produced (count; first example)',
        columns: [
          { key: 'field', label: 'field' },
          { key: 'count', label: 'records' },
          { key: 'example', label: 'example', align: 'left' },
        ],
        rows: agreement.fieldDifferences,
      },
      {
        title: 'records only one side produced (first examples)',
        columns: [{ key: 'example', label: 'example' }],
        rows: agreement.examples.map((example) => ({ example })),
      },
    ],
    notes,
    data: {
      plan,
      bytes: bytes.length,
      events: plan.events,
      records,
      mix,
      templates: templates.map((t) => t.file),
      rows,
      seconds,
      native: { benchSes, cli },
      agreement,
      targets,
    },
  };
}

/** The SVG plot: MB/s per way. */
export function plots(result, ctx) {
  const rows = result.data.rows.filter((r) => Number.isFinite(r.mbps) && r.id !== HANDOVER);
  return [
    {
      file: 'ses.svg',
      svg: groupedBarChart({
        title: 'SES event parsing throughput (MB/s, median; higher is better)',
        subtitle: `${ctx.machine.cpu}, ${ctx.machine.cores} cores, Node ${ctx.machine.node}, ${ctx.date.slice(0, 10)}`,
        series: ['NDJSON MB/s'],
        unit: 'MB/s',
        groups: rows.map((r) => ({
          label: r.short,
          highlight: r.id.startsWith('clicktrail'),
          values: [r.mbps],
        })),
      }),
    },
  ];
}
