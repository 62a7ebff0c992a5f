// Link wrapping: clicktrail (WASM from Node, and the native g++ build as a child process) against
// the JS tools people use instead, on the real email corpus and on 1 MB and 10 MB emails made
// by concatenating it. All JS tools run in this process on the same strings, each warmed up and
// then timed over repeated passes; the figure is the median pass. Then, untimed, which links
// each tool wrapped, compared with clicktrail on the corpus and on constructed cases.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rewriteLinks } from 'clicktrail';
import * as cheerioPeer from '../peers/cheerio.js';
import * as htmlparser2Peer from '../peers/htmlparser2.js';
import * as parse5Peer from '../peers/parse5.js';
import * as regexPeer from '../peers/regex.js';
import { TRACKED_PREFIX, TRACKING } from '../peers/tracking-url.js';
import { compareTargets, countOccurrences } from '../lib/agreement.js';
import { LINK_CASES } from '../lib/link-cases.js';
import { standardInputs } from '../lib/emails.js';
import { groupedBarChart } from '../lib/plot.js';
import { fmt, ratio } from '../lib/table.js';
import { median, now } from '../lib/timing.js';

export const name = 'rewrite';
export const title = 'Link wrapping: clicktrail vs the JS tools people use instead';

// The options bench/rewrite_bench.cpp uses (its defaults: linkify and pixel on).
const CLICKTRAIL_OPTIONS = {
  baseUrl: TRACKING.baseUrl,
  keyId: TRACKING.keyId,
  secret: TRACKING.secret,
  messageId: TRACKING.messageId,
  maxLinks: 2 ** 30, // measure the work on every link, not a capped prefix
};
const NO_LINKIFY = { ...CLICKTRAIL_OPTIONS, linkify: false };
const clicktrailTargets = (result) => result.links.filter((l) => l.tracked).map((l) => l.url);

// Every JS tool: `wrap(input)` does the whole job for one email (input: a string, or bytes
// when `bytes`) and returns {html, ...}; `targets(result)` lists the original targets it
// wrapped, `html(result)` its output as a string (for the checks, untimed).
export const TOOLS = [
  {
    id: 'clicktrail-wasm',
    short: 'clicktrail',
    label: 'clicktrail WASM (string in/out)',
    linkify: true,
    output: 'spliced',
    wrap: (html) => rewriteLinks(html, CLICKTRAIL_OPTIONS),
    targets: clicktrailTargets,
    html: (r) => r.html,
  },
  {
    id: 'clicktrail-wasm-bytes',
    short: 'clicktrail bytes',
    label: 'clicktrail WASM (bytes in/out)',
    linkify: true,
    output: 'spliced',
    bytes: true,
    wrap: (bytes) => rewriteLinks(bytes, CLICKTRAIL_OPTIONS),
    targets: clicktrailTargets,
    html: (r) => Buffer.from(r.html.buffer, r.html.byteOffset, r.html.length).toString('utf8'),
  },
  {
    id: 'clicktrail-wasm-no-linkify',
    short: 'clicktrail no linkify',
    label: 'clicktrail WASM, linkify off',
    linkify: false,
    output: 'spliced',
    wrap: (html) => rewriteLinks(html, NO_LINKIFY),
    targets: clicktrailTargets,
    html: (r) => r.html,
  },
  {
    id: 'htmlparser2',
    short: 'htmlparser2',
    label: 'htmlparser2 Parser + splice',
    linkify: false,
    output: 'spliced',
    wrap: (html) => htmlparser2Peer.wrapLinks(html),
  },
  {
    id: 'htmlparser2-linkify-it',
    short: '+linkify-it',
    label: 'htmlparser2 + linkify-it',
    linkify: true,
    output: 'spliced',
    wrap: (html) => htmlparser2Peer.wrapLinks(html, { linkifyText: true }),
  },
  {
    id: 'cheerio',
    short: 'cheerio',
    label: 'cheerio load/modify/serialize',
    linkify: false,
    output: 're-serialised',
    wrap: (html) => cheerioPeer.wrapLinks(html),
  },
  {
    id: 'parse5',
    short: 'parse5',
    label: 'parse5 parse/modify/serialize',
    linkify: false,
    output: 're-serialised',
    wrap: (html) => parse5Peer.wrapLinks(html),
  },
  {
    id: 'regex',
    short: 'regex',
    label: 'regex href + plain-URL replace',
    linkify: true,
    output: 'spliced',
    wrap: (html) => regexPeer.wrapLinks(html),
  },
];
for (const tool of TOOLS) {
  tool.targets ??= (result) => result.targets;
  tool.html ??= (result) => result.html;
}

const NATIVE = { id: 'clicktrail-native', label: 'clicktrail native (g++ -O3)', linkify: true, output: 'spliced' };
const REFERENCE = 'clicktrail-wasm';

// The newest modification time of the files under `path`.
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

// The native benchmark's medians for the same inputs: {corpus, 1MB, 10MB} in MB/s, plus the
// memchr('<') ceiling; or {error}.
function runNative(ctx) {
  const binary = join(ctx.root, 'build', 'native', 'bench-rewrite');
  if (!existsSync(binary)) {
    return { error: 'build/native/bench-rewrite is missing: cmake --build build/native --target bench-rewrite' };
  }
  const sources = [join(ctx.root, 'cpp'), join(ctx.root, 'bench', 'rewrite_bench.cpp')];
  const stale = statSync(binary).mtimeMs < Math.max(...sources.map(newestMtime));
  try {
    const rows = JSON.parse(execFileSync(binary, ['--json', ctx.emailsDir], { encoding: 'utf8' }));
    return {
      stale,
      mbps: Object.fromEntries(rows.map((r) => [r.input, r.rewriteMBps])),
      memchrMBps: Object.fromEntries(rows.map((r) => [r.input, r.memchrMBps])),
      bytes: Object.fromEntries(rows.map((r) => [r.input, r.bytes])),
    };
  } catch (error) {
    return { error: `bench-rewrite failed: ${error.message}` };
  }
}

// V8 builds a string from pieces lazily (a rope) and copies it into one buffer when it is first
// read, which for a MB-sized output costs as much as a fast tool's whole pass. Every consumer of
// the output (a mailer, a socket, a file) pays that copy, so the timed work includes it: reading
// the string as a number makes V8 flatten it (the trick of the `flatstr` package). Bytes are
// flat already. Returns the output's length (the number is used, so the conversion cannot be
// optimised away).
function flatten(output) {
  return typeof output === 'string' ? output.length + (output | 0) : output.length;
}

// Median (and fastest) seconds of one pass of each tool over `input`: per tool, warm-up passes and then the
// timed rounds back to back. (Not interleaved: the garbage of a DOM-building tool then triggers
// full collections during the next tool's runs, and a full collection makes V8 throw away
// optimised code, which is the next tool's cost only by accident of the order.)
function measureInput(tools, input, { warmup, rounds }, ctx) {
  const strings = input.buffers.map((b) => b.toString('utf8'));
  let sink = 0;
  const result = {};
  for (const tool of tools) {
    const items = tool.bytes ? input.buffers : strings;
    const pass = () => {
      for (const item of items) sink += flatten(tool.wrap(item).html);
    };
    ctx.progress(`rewrite: ${input.name} ${tool.id}`);
    for (let i = 0; i < warmup; i += 1) pass();
    const times = [];
    for (let round = 0; round < rounds; round += 1) {
      const start = now();
      pass();
      times.push((now() - start) / 1000);
    }
    result[tool.id] = { median: median(times), best: Math.min(...times) };
  }
  if (sink === 0) throw new Error('no output');
  return result;
}

// Untimed: each tool on each corpus email, its wrapped targets against clicktrail's.
function checkAgreement(tools, emails) {
  const outputs = new Map(tools.map((t) => [t.id, []]));
  const outputProblems = [];
  for (const email of emails) {
    const text = email.bytes.toString('utf8');
    for (const tool of tools) {
      const result = tool.wrap(tool.bytes ? email.bytes : text);
      const targets = tool.targets(result);
      // The output must carry one tracking URL per wrapped target (the prefix has no '&', so
      // every serialiser writes it as is).
      const found = countOccurrences(tool.html(result), TRACKED_PREFIX);
      if (found !== targets.length) {
        outputProblems.push({ tool: tool.id, email: email.path, targets: targets.length, trackingUrlsInOutput: found });
      }
      outputs.get(tool.id).push({ result, targets });
    }
  }
  const reference = outputs.get(REFERENCE);
  const comparisons = {};
  for (const tool of tools) {
    if (tool.id === REFERENCE) continue;
    const perEmail = emails.map((email, i) => {
      const text = email.bytes.toString('utf8');
      return {
        path: email.path,
        text,
        source: Buffer.from(text, 'utf8'), // clicktrail's offsets are into the UTF-8 of the string
        reference: reference[i].result,
        targets: outputs.get(tool.id)[i].targets,
      };
    });
    comparisons[tool.id] = compareTargets(perEmail, { linkified: tool.linkify });
  }
  const referenceTargets = reference.reduce((sum, r) => sum + r.targets.length, 0);
  return { comparisons, outputProblems, referenceTargets };
}

// Untimed: the constructed cases, each tool's wrapped targets as a multiset against clicktrail's:
// "same", or "-n" (n fewer) and "+n" (n more).
function checkCases(tools) {
  const reference = TOOLS.find((t) => t.id === REFERENCE);
  return LINK_CASES.map((c) => {
    const ours = reference.wrap(c.html).links.filter((l) => l.tracked);
    const row = { case: c.name, what: c.what, clicktrail: ours.length, targets: {} };
    for (const tool of tools) {
      const theirs = tool.targets(tool.wrap(tool.bytes ? Buffer.from(c.html) : c.html));
      row.targets[tool.id] = theirs;
      const expected = ours.filter((l) => tool.linkify || !l.linkified).map((l) => l.url);
      const count = (list) => list.reduce((m, t) => m.set(t, (m.get(t) ?? 0) + 1), new Map());
      const a = count(expected);
      const b = count(theirs);
      let fewer = 0;
      let more = 0;
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        const d = (b.get(key) ?? 0) - (a.get(key) ?? 0);
        if (d < 0) fewer -= d;
        else more += d;
      }
      row[tool.id] = fewer === 0 && more === 0 ? 'same' : [fewer && `-${fewer}`, more && `+${more}`].filter(Boolean).join(' ');
    }
    return row;
  });
}

export async function run(ctx) {
  const { emails, inputs } = standardInputs(ctx.emailsDir);
  const plan = ctx.quick
    ? { corpus: { warmup: 2, rounds: 3 }, '1MB': { warmup: 1, rounds: 3 }, '10MB': { warmup: 1, rounds: 2 } }
    : { corpus: { warmup: 8, rounds: 11 }, '1MB': { warmup: 4, rounds: 11 }, '10MB': { warmup: 1, rounds: 5 } };

  ctx.progress('rewrite: native benchmark (child process)');
  const native = runNative(ctx);

  const seconds = {};
  for (const input of inputs) seconds[input.name] = measureInput(TOOLS, input, plan[input.name], ctx);

  ctx.progress('rewrite: target agreement on the corpus');
  const agreement = checkAgreement(TOOLS, emails);
  const caseTools = TOOLS.filter((t) => !t.id.startsWith('clicktrail'));
  const cases = checkCases(caseTools);

  // Rows: MB/s per input; ratios clicktrail ÷ tool (>1: clicktrail is faster).
  const mbps = (id, input) =>
    id === NATIVE.id ? native.mbps?.[input.name] : input.bytes / seconds[input.name][id].median / 1e6;
  const all = native.error ? TOOLS : [NATIVE, ...TOOLS];
  const rows = all.map((tool) => {
    const row = { id: tool.id, tool: tool.label, linkify: tool.linkify, output: tool.output };
    for (const input of inputs) {
      const value = mbps(tool.id, input);
      row[`mbps_${input.name}`] = value;
      // The fastest pass too (JSON only): on a busy machine noise only ever adds time.
      if (tool.id !== NATIVE.id) row[`bestMBps_${input.name}`] = input.bytes / seconds[input.name][tool.id].best / 1e6;
      row[`wasmRatio_${input.name}`] = mbps(REFERENCE, input) / value;
      if (!native.error) row[`nativeRatio_${input.name}`] = mbps(NATIVE.id, input) / value;
    }
    return row;
  });

  const ratios = (prefix) => (_, row) => inputs.map((i) => ratio(row[`${prefix}_${i.name}`])).join(' ');
  const columns = [
    { key: 'tool', label: 'tool' },
    { key: 'linkify', label: 'linkify', format: (v) => (v ? 'yes' : 'no') },
    ...inputs.map((i) => ({ key: `mbps_${i.name}`, label: `${i.name} MB/s`, format: (v) => fmt(v) })),
    { key: 'wasm', label: 'WASM ÷ tool (corpus 1MB 10MB)', format: ratios('wasmRatio') },
  ];
  if (!native.error) columns.push({ key: 'native', label: 'native ÷ tool', format: ratios('nativeRatio') });

  const agreementRows = Object.entries(agreement.comparisons).map(([id, c]) => ({
    tool: TOOLS.find((t) => t.id === id).label,
    compared: TOOLS.find((t) => t.id === id).linkify ? 'all links' : 'hrefs only',
    agreeing: `${c.agreeing}/${c.emails}`,
    onlyClicktrail: c.onlyClicktrail,
    onlyTool: c.onlyTool,
  }));
  const findings = [];
  for (const [id, c] of Object.entries(agreement.comparisons)) {
    for (const g of c.groups) {
      const example = g.examples[0];
      const shown = example.target ?? `${example.clicktrail} vs ${example.tool}`;
      findings.push({ tool: id, side: g.side, why: g.why, count: g.count, example: `${example.email}: ${shown}` });
    }
  }

  const notes = [
    `inputs: ${emails.length} emails from ${ctx.emailsDirShown} (${inputs[0].bytes} bytes), and 1 MB and 10 MB concatenations; MB/s = input bytes / median seconds (1 MB = 10^6 bytes)`,
    `JS tools: one process, same strings; per tool ${plan.corpus.warmup}/${plan['1MB'].warmup}/${plan['10MB'].warmup} warm-up passes, then the median of ${plan.corpus.rounds}/${plan['1MB'].rounds}/${plan['10MB'].rounds} timed passes (corpus/1MB/10MB), string outputs flattened; "WASM ÷ tool" > 1 means clicktrail WASM is faster`,
    'peers sign with node:crypto createHmac per link (their own URL format, same length and cost); clicktrail also inserts the open pixel',
    'cheerio and parse5 re-serialise the whole document (the output is not the input with edits); they and plain htmlparser2 do not linkify, so compare them with "clicktrail WASM, linkify off"',
  ];
  if (native.error) notes.push(`native: ${native.error}`);
  else {
    notes.push(`native: build/native/bench-rewrite --json (its own medians); memchr('<') ceiling ${inputs.map((i) => `${i.name} ${fmt(native.memchrMBps[i.name])}`).join(', ')} MB/s`);
    if (native.stale) notes.push('native: WARNING build/native/bench-rewrite is older than cpp/ or bench/rewrite_bench.cpp: rebuild it');
  }
  if (agreement.outputProblems.length) {
    notes.push(`OUTPUT CHECK FAILED for ${agreement.outputProblems.length} tool/email pairs (tracking URLs in output != targets): see data.agreement.outputProblems`);
  }

  return {
    title,
    tables: [
      { title: 'throughput (MB/s, median)', columns, rows },
      {
        title: `wrapped targets vs clicktrail WASM (per email, as sets; clicktrail wrapped ${agreement.referenceTargets} links)`,
        columns: [
          { key: 'tool', label: 'tool' },
          { key: 'compared', label: 'compared' },
          { key: 'agreeing', label: 'emails agreeing' },
          { key: 'onlyClicktrail', label: 'only clicktrail' },
          { key: 'onlyTool', label: 'only tool' },
        ],
        rows: agreementRows,
      },
      {
        title: 'where and why they differ (count of distinct targets per email; first example)',
        columns: [
          { key: 'tool', label: 'tool' },
          { key: 'side', label: 'wrapped by' },
          { key: 'count', label: 'n' },
          { key: 'why', label: 'why', align: 'left' },
          { key: 'example', label: 'example', align: 'left' },
        ],
        rows: findings,
      },
      {
        title: 'constructed cases (bench/lib/link-cases.js): links clicktrail wraps, and per tool "same" or how many fewer (-) / more (+) it wraps',
        columns: [
          { key: 'case', label: 'case' },
          { key: 'clicktrail', label: 'clicktrail' },
          ...caseTools.map((t) => ({ key: t.id, label: t.short })),
          { key: 'what', label: 'what', align: 'left' },
        ],
        rows: cases,
      },
    ],
    notes,
    data: {
      cases,
      inputs: inputs.map((i) => ({ name: i.name, label: i.label, bytes: i.bytes })),
      plan,
      rows,
      native,
      agreement: { ...agreement, comparisons: agreement.comparisons },
    },
  };
}

/** The SVG plot of MB/s by input size per tool. */
export function plots(result, ctx) {
  const { inputs, rows } = result.data;
  return [
    {
      file: 'throughput.svg',
      svg: groupedBarChart({
        title: 'Link wrapping throughput (MB/s, median; higher is better)',
        subtitle: `${ctx.machine.cpu}, ${ctx.machine.cores} cores, Node ${ctx.machine.node}, ${ctx.date.slice(0, 10)}`,
        series: inputs.map((i) => i.label),
        unit: 'MB/s',
        groups: rows.map((row) => ({
          label: row.tool,
          highlight: row.id.startsWith('clicktrail'),
          values: inputs.map((i) => row[`mbps_${i.name}`]),
        })),
      }),
    },
  ];
}
