// WASM throughput of rewriteLinks from Node on the same inputs as the native benchmark
// (bench/rewrite_bench.cpp): the email corpus, and 1 MB and 10 MB concatenations of it.
// Medians of repeated runs, after a warm-up so the JIT tiers are settled. The side-by-side with
// the JS peers is `node bench/run.js --only rewrite`; this is the quick WASM-only figure.
import { rewriteLinks } from 'clicktrail';
import { concatenate, readEmails } from './lib/emails.js';

function median(runs, work) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const root = process.argv[2] ?? 'tests/data/emails';
const emails = readEmails(root).map((email) => email.bytes);
const options = {
  baseUrl: 'https://t.example.com',
  keyId: 'k1',
  secret: 'benchmark-secret-0123456789',
  messageId: 'm1',
  maxLinks: 2 ** 30,
};
const inputs = [
  ['corpus', emails, 21],
  ['1MB', [concatenate(emails, 1 << 20)], 21],
  ['10MB', [concatenate(emails, 10 << 20)], 7],
];
const rows = [];
for (const [name, list, runs] of inputs) {
  const bytes = list.reduce((sum, email) => sum + email.length, 0);
  for (let i = 0; i < 3; i += 1) for (const email of list) rewriteLinks(email, options);
  const seconds = median(runs, () => {
    for (const email of list) rewriteLinks(email, options);
  });
  rows.push({ input: name, bytes, wasmMBps: Number((bytes / seconds / 1e6).toFixed(1)) });
}
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows));
} else {
  console.log(`${emails.length} emails (from ${root}), WASM in Node ${process.version}`);
  console.log('input           bytes   rewrite MB/s');
  for (const row of rows) {
    console.log(`${row.input.padEnd(8)} ${String(row.bytes).padStart(12)} ${String(row.wasmMBps).padStart(14)}`);
  }
}
