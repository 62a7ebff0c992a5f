// Shared by the test files: the repository layout, the email corpus, one signing key, and a
// way to run either command-line tool (the npm bin on WebAssembly, or the native binary).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EMAIL_DIR = join(ROOT, 'tests', 'data', 'emails');
export const WASM_CLI = join(ROOT, 'wasm', 'src', 'cli.js');
export const NATIVE_CLI = join(ROOT, 'build', 'native', 'clicktrail');

export const BASE_URL = 'https://t.example.com';
export const KEY_ID = 'k1';
export const SECRET = 'test-secret-0123456789abcdef';
export const KEYS = [{ id: KEY_ID, secret: SECRET }];

/** Options for wrap mode that every test starts from. */
export function wrapOptions(extra = {}) {
  return { baseUrl: BASE_URL, keyId: KEY_ID, secret: SECRET, messageId: 'm1', ...extra };
}

/** Every .html file under tests/data/emails, as paths relative to the repository, sorted. */
export function listEmails() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.html')) found.push(relative(ROOT, path));
    }
  };
  walk(EMAIL_DIR);
  return found.sort();
}

/** The one email of the corpus that is not UTF-8 (ISO-8859-2). */
export const NON_UTF8_EMAIL = join('tests', 'data', 'emails', 'premailer', 'test', 'files',
  'iso-8859-2.html');

export function isUtf8(bytes) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The environment for a CLI run: never inherits CLICKTRAIL_SECRET, so tests decide it. */
function cliEnv(secret) {
  const env = { ...process.env };
  delete env.CLICKTRAIL_SECRET;
  if (secret !== undefined) env.CLICKTRAIL_SECRET = secret;
  return env;
}

/**
 * Runs one of the two CLIs from the repository root (so relative paths in messages match).
 * kind: 'wasm' | 'native'. Returns { status, stdout: Buffer, stderr: string }.
 */
export function runCli(kind, args, { input, secretEnv } = {}) {
  let command;
  let argv;
  if (kind === 'native') {
    assert.ok(
      existsSync(NATIVE_CLI),
      `native CLI not found at ${relative(ROOT, NATIVE_CLI)}: build it first with ` +
        '`cmake --build build/native --target clicktrail-cli` (CI builds it before the tests); ' +
        'the native/WASM comparison cannot run without it',
    );
    command = NATIVE_CLI;
    argv = args;
  } else {
    command = process.execPath;
    argv = [WASM_CLI, ...args];
  }
  const result = spawnSync(command, argv, {
    cwd: ROOT,
    input,
    env: cliEnv(secretEnv),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const { status, signal, stdout } = result;
  return { status, signal, stdout, stderr: result.stderr.toString() };
}

/** Runs both CLIs with the same arguments and asserts they behave identically. */
export function runBoth(args, options) {
  const wasm = runCli('wasm', args, options);
  const native = runCli('native', args, options);
  const what = `clicktrail ${args.join(' ')}`;
  const ending = (run) =>
    run.signal ? `killed by ${run.signal}: ${run.stderr.trim()}` : `exit ${run.status}`;
  assert.equal(
    native.status,
    wasm.status,
    `${what}: native and wasm end differently (native ${ending(native)}, wasm ${ending(wasm)})`,
  );
  assert.equal(native.stderr, wasm.stderr, `${what}: stderr differs (native vs wasm)`);
  assert.ok(native.stdout.equals(wasm.stdout), `${what}: stdout differs (native vs wasm)`);
  return wasm;
}

/** The href value as it must be written into HTML: the core escapes '&' and quotes. */
export function escapeAttribute(text) {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
}
