// Runs the edge load test for a short while: every request must succeed with the expected 302
// (bench/edge/load.js exits non-zero otherwise). The timings are shown in the test output for
// the CI log, never asserted: a shared CI machine makes them noise as pass/fail criteria.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const LOAD = fileURLToPath(new URL('../../bench/edge/load.js', import.meta.url));

function run(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [LOAD, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 'killed') : 0, stdout, stderr });
    });
  });
}

test('load test: both workers answer every request with the expected redirect, also when called repeatedly for the handler cost', async (t) => {
  const { code, stdout, stderr } = await run(['--seconds', '2', '--handler-cost', '--loops', '5', '--cost-seconds', '2']);
  for (const line of stdout.trim().split('\n')) t.diagnostic(line);
  assert.equal(code, 0, `load.js exited with ${code}\n${stdout}\n${stderr}`);
  assert.match(stdout, /^clicktrail \(WASM\)\s+\d+/m);
  assert.match(stdout, /^pure JS \(WebCrypto\)\s+\d+/m);
  assert.match(stdout, /ratio clicktrail\/pure-JS \(req\/s\): \d/);
  // The handler-cost runs also answer every request with the redirect (else load.js exits 1).
  // CPU figures read "-" where /proc is not there to measure them.
  assert.match(stdout, /^  clicktrail \(WASM\): ([\d.]+|-) µs CPU per request, (-?[\d.]+|-) µs per handler call/m);
  assert.match(stdout, /^  floor \(Request \+ 302 Response\): /m);
});
