#!/usr/bin/env node
// The npm `clicktrail` command: the same command-line logic as the native binary (it lives in
// the core), with Node doing the I/O: whole files for wrap/verify, chunked and gunzipped
// streams for events/logs, and a progress line on a terminal.
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { writeInput } from './core-io.js';

const args = process.argv.slice(2);
// events and logs live in the back-office module, every other command in the core module.
const batch = args[0] === 'events' || args[0] === 'logs';
const core = batch
  ? (await import('./node-backoffice.js')).backoffice
  : (await import('./node-core.js')).core;
const plan = core.cliPlan(args);
const files = {};
for (const path of plan.readFiles) {
  try {
    files[path] = path === '-' ? readFileSync(0) : readFileSync(path);
  } catch {
    // Left out: the core reports the unreadable file by name.
  }
}
const secret = plan.wantsEnvSecret ? process.env.CLICKTRAIL_SECRET : undefined;

function sizeOf(path) {
  try {
    const info = statSync(path);
    return path !== '-' && info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}

// Redrawn at most ten times a second, only on a terminal and for large inputs.
function createProgress(total) {
  const enabled = process.stderr.isTTY && total > core.cliProgressMinBytes;
  let last = 0;
  return {
    update(done) {
      const now = Date.now();
      if (!enabled || now - last < 100) return;
      last = now;
      process.stderr.write(`\r${core.cliProgressLine(done, total)}\x1b[K`);
    },
    clear() {
      if (enabled) process.stderr.write('\r\x1b[K');
    },
  };
}

const CHUNK_BYTES = 1 << 20;

// gzip is recognised by its magic bytes, not the file name.
const startsAsGzip = (bytes) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

// A plain regular file is read straight into the module's input buffer, chunk by chunk: no
// Buffer per chunk and no copy into the module. Returns the bytes read, or null (having read
// nothing into the session) for stdin, anything but a regular file, or a file that starts as
// gzip: those take the stream path.
function readPlainFile(session, path, onRaw) {
  if (path === '-') return null;
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return null;
    // The address is asked for before each read: growing the module's memory replaces HEAPU8.
    const read = () => {
      const at = core._clicktrail_input(CHUNK_BYTES);
      return { at, length: readSync(fd, core.HEAPU8, at, CHUNK_BYTES, null) };
    };
    let chunk = read();
    if (startsAsGzip(core.HEAPU8.subarray(chunk.at, chunk.at + chunk.length))) return null;
    session.beginFile(path, info.size);
    let rawBytes = 0;
    try {
      for (; chunk.length > 0; chunk = read()) {
        rawBytes += chunk.length;
        onRaw(rawBytes);
        session.write(chunk.length);
      }
    } finally {
      session.endFile();
    }
    return rawBytes;
  } finally {
    closeSync(fd);
  }
}

// Feeds one file to the session; gzip is recognised by its magic bytes. Returns the raw bytes
// read; throws (after ending the file) on a read or gzip error.
async function streamFile(session, path, onRaw) {
  const plain = readPlainFile(session, path, onRaw);
  if (plain !== null) return plain;
  const raw = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let rawBytes = 0;
  const feed = (chunk) => {
    const length = writeInput(core, chunk);
    session.write(length);
  };
  const chunks = (async function* read() {
    for await (const chunk of raw) {
      rawBytes += chunk.length;
      onRaw(rawBytes);
      yield chunk;
    }
  })();
  const first = await chunks.next();
  session.beginFile(path, sizeOf(path));
  try {
    if (first.done) return rawBytes;
    const all = (async function* all() {
      yield first.value;
      yield* chunks;
    })();
    const consume = async (source) => {
      for await (const chunk of source) feed(chunk);
    };
    // 1 MB out per gunzip chunk instead of zlib's 16 KB: a third less time on a large log, for
    // fewer calls into the module and fewer stream steps.
    await (startsAsGzip(first.value)
      ? pipeline(all, createGunzip({ chunkSize: CHUNK_BYTES }), consume)
      : consume(all));
    return rawBytes;
  } finally {
    session.endFile();
  }
}

// The C library's wording, as the native binary prints it (strerror).
const SYSTEM_ERRORS = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'is a directory',
  Z_BUF_ERROR: 'gzip data ends early (truncated file?)',
};

async function runSession() {
  const session = new core.CliSession(args, files, secret);
  const total = plan.streamFiles.reduce((sum, path) => sum + sizeOf(path), 0);
  const progress = createProgress(total);
  let doneBefore = 0;
  for (const path of plan.streamFiles) {
    try {
      doneBefore += await streamFile(session, path, (raw) => progress.update(doneBefore + raw));
    } catch (error) {
      // What was read before the error is kept; the file is reported as unreadable.
      const reason =
        SYSTEM_ERRORS[error.code] ??
        (error.code === 'Z_DATA_ERROR' ? `invalid gzip data: ${error.message}` : undefined) ??
        error.message ??
        String(error);
      session.unreadableFile(path, reason);
    }
  }
  progress.clear();
  const result = session.finish();
  session.delete();
  return result;
}

// A batch command with a usage error still goes through a session, which reports it.
const result = batch ? await runSession() : core.cliRun(args, files, secret);
const out = Buffer.from(result.out.slice());
process.stderr.write(result.err);
process.stdout.write(out, () => process.exit(result.exitCode));
