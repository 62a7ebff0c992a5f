// `clicktrail events` and `clicktrail logs`: the npm bin (WASM) and the native binary print the
// same bytes, read gzip and stdin, count every record, and exit as documented.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { ROOT, runBoth } from './helpers.js';

function filesUnder(dir, match) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, match);
    return match(name) ? [relative(ROOT, path)] : [];
  });
}

const SES_FILES = filesUnder(join(ROOT, 'tests', 'data', 'ses'), (n) => /\.(json|ndjson)$/.test(n));
const LOG_FILES = filesUnder(join(ROOT, 'tests', 'data', 'cloudfront'), (n) => /\.(log|txt)$/.test(n));

const summary = (stderr, command) => stderr.split('\n').find((line) => line.startsWith(`clicktrail ${command}:`));

let dir;
let trackingLog;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'clicktrail-batch-'));
  const fields =
    '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query';
  const lines = ['#Version: 1.0', fields];
  for (let i = 0; i < 2000; i += 1) {
    const click = i % 4 === 0;
    lines.push(
      [
        `2026-11-${String(20 + (i % 3)).padStart(2, '0')}`,
        `10:${String(i % 60).padStart(2, '0')}:00`,
        'FRA56-P1', '43', `192.0.2.${i % 200}`, 'GET', 'd1.cloudfront.net',
        click ? '/c' : '/pxl.png', click ? '302' : '200', '-',
        i % 50 === 0 ? 'GoogleImageProxy' : 'Mozilla/5.0%20(X11;%20Linux%20x86_64)',
        `oid=o1&cid=c${i % 2}&pid=p1&ch=email&cr=hero&s=600x200&mid=m${i}&li=0`,
      ].join('\t'),
    );
  }
  lines.push('a line that is not a log record');
  trackingLog = join(dir, 'tracking.log');
  writeFileSync(trackingLog, `${lines.join('\n')}\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('clicktrail events', () => {
  test('every SES sample: the same output from both CLIs, every record counted', () => {
    const run = runBoth(['events', ...SES_FILES]);
    const line = summary(run.stderr, 'events');
    const [, seen, accepted, rejected] = line.match(/([\d,]+) input records: ([\d,]+) accepted, ([\d,]+) rejected/);
    const n = (text) => Number(text.replaceAll(',', ''));
    assert.equal(n(accepted) + n(rejected), n(seen));
    assert.match(run.stderr, /notice: snsSubscriptionConfirmation/);
    assert.match(run.stderr, /notice: snsTextMessage .*Successfully validated SNS topic/);
    for (const rejection of run.stderr.split('\n').filter((l) => l.includes(': rejected ('))) {
      assert.match(rejection, /^clicktrail: \S+:\d+: rejected \(input record \d+, byte \d+\): .+/);
    }
    const records = run.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(records.length > 20);
    for (const record of records) assert.ok(SES_FILES.includes(record.file));
  });

  for (const [format, report] of [
    ['json', []], ['csv', []], ['table', []],
    ['table', ['--suppression', '--reputation', '--engagement']],
    ['json', ['--suppression', '--reputation', '--engagement']],
    ['csv', ['--suppression']], ['ndjson', ['--engagement']], ['csv', ['--reputation']],
  ]) {
    test(`--format ${format} ${report.join(' ')}: both CLIs agree`, () => {
      runBoth(['events', '--format', format, ...report, ...SES_FILES]);
    });
  }

  test('suppression: permanent bounces and complaints in, transient bounces out, with reasons', () => {
    const run = runBoth(['events', '--suppression', ...SES_FILES]);
    const list = JSON.parse(run.stdout.toString());
    const reasons = Object.fromEntries(list.entries.map((e) => [e.recipient, e.reason]));
    assert.equal(reasons['bounce@simulator.amazonses.com'], 'permanentBounce');
    assert.equal(reasons['complaint@simulator.amazonses.com'], 'complaint');
    for (const entry of list.entries) assert.ok(entry.messageId && entry.detail !== undefined);
    // fx-private-relay's user bounced permanently once and transiently twice: the permanent
    // bounce is the reason; the transient bounces alone suppress nobody.
    assert.equal(list.entries.find((e) => e.recipient === 'relayuser@test.com').detail, 'Permanent/OnAccountSuppressionList');
    const soft = ['soft', 'spam'].map((kind) => `tests/data/ses/fx-private-relay/${kind}_bounce_sns_body.json`);
    assert.equal(JSON.parse(runBoth(['events', '--suppression', ...soft]).stdout.toString()).count, 0);
  });

  test('a stored suppression list merges with the batch', () => {
    const stored = join(dir, 'stored.json');
    writeFileSync(stored, JSON.stringify({ count: 1, entries: [{ recipient: 'old@example.com', reason: 'complaint', detail: 'abuse', messageId: 'm0', feedbackId: '', timestamp: '2015-01-01T00:00:00Z', epochMs: 1420070400000 }] }));
    const run = runBoth(['events', '--suppression', '--merge-suppression', stored, ...SES_FILES]);
    assert.ok(JSON.parse(run.stdout.toString()).entries.some((e) => e.recipient === 'old@example.com'));
  });

  test('stdin, gzip, --strict and an unreadable file', () => {
    const ndjson = SES_FILES.filter((f) => f.includes('event-publishing'))
      .map((f) => JSON.stringify(JSON.parse(readFileSync(join(ROOT, f), 'utf8'))))
      .join('\n');
    const input = `${ndjson}\n{"broken": \n`;
    const plain = runBoth(['events', '-'], { input });
    const gz = join(dir, 'events.ndjson.gz');
    writeFileSync(gz, gzipSync(input));
    const zipped = runBoth(['events', relative(ROOT, gz)]);
    assert.ok(zipped.stdout.toString().length > 0);
    assert.equal(summary(zipped.stderr, 'events'), summary(plain.stderr, 'events'));
    assert.equal(plain.status, 0);
    assert.equal(runBoth(['events', '--strict', '-'], { input }).status, 1);
    const missing = runBoth(['events', 'no/such/file.json', SES_FILES[0]]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read 'no\/such\/file.json'/);
    assert.ok(missing.stdout.length > 0, 'the readable file is still processed');
  });

  test('usage errors exit 2', () => {
    assert.equal(runBoth(['events', '--format', 'xml']).status, 2);
    assert.equal(runBoth(['events', '--format', 'csv', '--suppression', '--reputation']).status, 2);
  });
});

describe('clicktrail logs', () => {
  test('the corpus logs: both CLIs agree, every line counted', () => {
    const run = runBoth(['logs', '--daily', ...LOG_FILES]);
    const line = summary(run.stderr, 'logs');
    const [, lines, accepted, rejected, skipped] = line.match(/([\d,]+) lines: ([\d,]+) accepted, ([\d,]+) rejected, ([\d,]+) headers/);
    const n = (text) => Number(text.replaceAll(',', ''));
    assert.equal(n(accepted) + n(rejected) + n(skipped), n(lines));
  });

  for (const format of ['json', 'ndjson', 'csv', 'table']) {
    test(`daily aggregates as ${format}: both CLIs agree`, () => {
      runBoth(['logs', '--daily', '--format', format, relative(ROOT, trackingLog)]);
    });
  }

  test('daily aggregates: clicks, impressions and machine traffic per day', () => {
    const run = runBoth(['logs', '--daily', '--exact', relative(ROOT, trackingLog)]);
    const rows = JSON.parse(run.stdout.toString());
    assert.deepEqual([...new Set(rows.map((r) => r.dateStart))], ['2026-11-20', '2026-11-21', '2026-11-22']);
    const clicks = rows.reduce((sum, r) => sum + r.metrics.clicks, 0);
    const impressions = rows.reduce((sum, r) => sum + r.metrics.impressions, 0);
    // 2000 hits, every 4th a click (500), every 50th from an image proxy (machine: 40 hits,
    // 20 of them clicks since every 100th hit is both), so 480 human clicks, 1480 impressions.
    assert.equal(clicks, 480);
    assert.equal(impressions, 1480);
    assert.match(run.stderr, /tracking.log:2003: rejected/);
    assert.match(summary(run.stderr, 'logs'), /2,000 tracking hits \(1,960 human, 40 machine\)/);
  });

  test('gzip (two members), stdin, partial aggregates and --strict', () => {
    const text = readFileSync(trackingLog);
    const gz = join(dir, 'tracking.log.gz');
    const half = Math.floor(text.length / 2);
    writeFileSync(gz, Buffer.concat([gzipSync(text.subarray(0, half)), gzipSync(text.subarray(half))]));
    const plain = runBoth(['logs', '--format', 'csv', relative(ROOT, trackingLog)]);
    const zipped = runBoth(['logs', '--format', 'csv', relative(ROOT, gz)]);
    assert.ok(zipped.stdout.equals(plain.stdout), 'a .gz gives the same aggregates');
    const piped = runBoth(['logs', '--format', 'csv', '-'], { input: text });
    assert.ok(piped.stdout.equals(plain.stdout));
    const partial = join(dir, 'partial.ndjson');
    writeFileSync(partial, runBoth(['logs', '--partial', relative(ROOT, trackingLog)]).stdout);
    const merged = runBoth(['logs', '--format', 'csv', '--merge-partial', relative(ROOT, partial)]);
    assert.ok(merged.stdout.equals(plain.stdout), 'a partial aggregate merges back to the same rows');
    assert.equal(runBoth(['logs', '--strict', relative(ROOT, trackingLog)]).status, 1);
    const broken = join(dir, 'broken.gz');
    writeFileSync(broken, gzipSync(text).subarray(0, 2000));
    const truncated = runBoth(['logs', relative(ROOT, broken)]);
    assert.equal(truncated.status, 2);
    assert.match(truncated.stderr, /cannot read '.*broken.gz'/);
  });
});
