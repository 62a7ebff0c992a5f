// Writes tests/data/ses/localstack/recorded-messages.ndjson: every SNS message recorded in
// LocalStack's SES snapshot (test_ses.snapshot.json, one JSON object of test results), one per
// line, unchanged, so `clicktrail events` can read them as a user's SNS export. Run by hand
// when the snapshot is updated: node tests/tools/localstack-messages.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const dir = new URL('../data/ses/localstack/', import.meta.url);
const snapshot = JSON.parse(readFileSync(new URL('test_ses.snapshot.json', dir), 'utf8'));
const lines = [];
for (const test of Object.values(snapshot)) {
  for (const message of test['recorded-content']?.messages ?? []) lines.push(JSON.stringify(message));
}
writeFileSync(new URL('recorded-messages.ndjson', dir), `${lines.join('\n')}\n`);
console.log(`${lines.length} messages`);
