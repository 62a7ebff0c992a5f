#!/usr/bin/env node
// The benchmark harness (issue 6): clicktrail against the tools people use instead, section by
// section (bench/sections/), peers in the same Node process as clicktrail, medians of repeated
// runs, reported as ratios. Prints tables, writes bench/results/latest.json, and with --plot the SVG
// plots the sections make (bench/results/*.svg). Not a test: nothing here asserts a time.
//
//   node bench/run.js [--only SECTION]... [--plot] [--quick] [--keep] [--emails DIR | DIR] [--out FILE]
//
//   --only SECTION  run only this section (repeatable, or comma-separated): rewrite, verify,
//                   ses, cloudfront, sizes, edge-load
//   --plot          also write the sections' SVG plots next to the JSON
//   --quick         fewer rounds everywhere: for checking the harness, not for numbers
//   --keep          keep generated inputs (the cloudfront section's log) in the temp directory
//   --emails DIR    the email corpus (default tests/data/emails)
//   --out FILE      the JSON file (default bench/results/latest.json)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SECTIONS } from './sections/index.js';
import { formatTable } from './lib/table.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function machine() {
  let cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cores: cpus().length,
    cpu,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg().map((v) => Number(v.toFixed(2))),
  };
}

function printResult(result) {
  console.log(`\n== ${result.title}`);
  for (const table of result.tables ?? []) {
    if (table.rows.length === 0) continue;
    if (table.title) console.log(`\n${table.title}`);
    console.log(formatTable(table.columns, table.rows));
  }
  if (result.notes?.length) {
    console.log('');
    for (const note of result.notes) console.log(`  * ${note}`);
  }
}

// Rows as JSON keep their values, not the printed strings; formatters are not data.
const tablesForJson = (tables = []) =>
  tables.map(({ title, columns, rows }) => ({ title, columns: columns.map(({ key, label }) => ({ key, label })), rows }));

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true, // `npm run bench -- DIR`, as before: the email corpus
    options: {
      only: { type: 'string', multiple: true },
      plot: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      emails: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
    console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    return 0;
  }
  const known = SECTIONS.map((s) => s.name);
  const only = (values.only ?? []).flatMap((v) => v.split(',')).filter(Boolean);
  for (const name of only) {
    if (!known.includes(name)) {
      console.error(`unknown section "${name}"; sections: ${known.join(', ')}`);
      return 2;
    }
  }
  const selected = SECTIONS.filter((s) => only.length === 0 || only.includes(s.name));
  const out = resolve(values.out ?? join(ROOT, 'bench', 'results', 'latest.json'));
  const emailsDir = resolve(values.emails ?? positionals[0] ?? join(ROOT, 'tests', 'data', 'emails'));

  const ctx = {
    root: ROOT,
    emailsDir,
    emailsDirShown: relative(process.cwd(), emailsDir) || '.',
    quick: values.quick,
    keep: values.keep,
    date: new Date().toISOString(),
    machine: machine(),
    results: {},
    progress: (message) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${message}`);
    },
  };
  console.log(`machine: ${ctx.machine.cores} cores, ${ctx.machine.cpu}, node ${ctx.machine.node}, load average ${ctx.machine.loadAverage.join(' ')}${ctx.quick ? ' (--quick: numbers are rough)' : ''}`);

  const report = { date: ctx.date, machine: ctx.machine, quick: ctx.quick, sections: {} };
  const failures = [];
  for (const section of selected) {
    const module = await section.load();
    const started = performance.now();
    try {
      const result = await module.run(ctx);
      ctx.progress('');
      result.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
      ctx.results[section.name] = result;
      printResult(result);
      console.log(`  (${section.name}: ${result.seconds} s)`);
      report.sections[section.name] = { ...result, tables: tablesForJson(result.tables) };
      if (result.failed) failures.push(`${section.name}: ${result.failed}`);
    } catch (error) {
      ctx.progress('');
      console.error(`\n${section.name} failed: ${error.stack ?? error}`);
      failures.push(`${section.name}: ${error.message}`);
      report.sections[section.name] = { error: String(error.stack ?? error) };
    }
  }

  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${relative(process.cwd(), out)}`);
  if (values.plot) {
    for (const section of selected) {
      const result = ctx.results[section.name];
      const module = await section.load();
      if (!result || typeof module.plots !== 'function') continue;
      for (const { file, svg } of module.plots(result, ctx)) {
        const path = join(dirname(out), file);
        writeFileSync(path, svg);
        console.log(`wrote ${relative(process.cwd(), path)}`);
      }
    }
  }
  if (failures.length) {
    console.error(`\nfailed: ${failures.join('; ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
