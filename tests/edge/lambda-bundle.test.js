// The Lambda@Edge deployment package: examples/lambda-edge/bundle.mjs run as a user runs it (with a
// temporary config and output directory), its zip read back with node:zlib only, and the handler
// inside the zip compared with the unbundled one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { zip } from '../../examples/lambda-edge/bundle.mjs';
import { createHandler } from '../../wasm/src/lambda-edge.js';
import { BASE, KEY, validClick } from './hostile-urls.js';

const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/lambda-edge/', import.meta.url));
const BUNDLE_SCRIPT = join(EXAMPLE_DIR, 'bundle.mjs');
const LIMIT = 1024 * 1024; // Lambda@Edge viewer-request functions: 1 MB compressed

const work = mkdtempSync(join(tmpdir(), 'clicktrail-lambda-bundle-'));
after(() => rmSync(work, { recursive: true, force: true }));

function runBundle(args) {
  return spawnSync(process.execPath, [BUNDLE_SCRIPT, ...args], { encoding: 'utf8', timeout: 60_000 });
}

function writeConfig(name, source) {
  const path = join(work, name);
  writeFileSync(path, source);
  return path;
}

// --- a ZIP reader just big enough for the archives bundle.mjs writes --------------------------

// zlib.crc32 arrived in Node 20.15; the bitwise form keeps the check on older 20.x releases.
function crc32(bytes) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(bytes) >>> 0;
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function readZip(archive) {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endAt >= 0, 'end of central directory record');
  const count = archive.readUInt16LE(endAt + 10);
  let at = archive.readUInt32LE(endAt + 16);
  const entries = [];
  for (let i = 0; i < count; i += 1) {
    assert.equal(archive.readUInt32LE(at), 0x02014b50, 'central directory header');
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const mode = archive.readUInt32LE(at + 38) >>> 16;
    const localAt = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    assert.equal(archive.readUInt32LE(localAt), 0x04034b50, `${name}: local header`);
    const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
    const stored = archive.subarray(dataAt, dataAt + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(stored) : Buffer.from(stored);
    assert.ok(method === 0 || method === 8, `${name}: method ${method}`);
    assert.equal(data.length, size, `${name}: size`);
    assert.equal(crc32(data), crc, `${name}: CRC-32`);
    entries.push({ name, data, mode, method });
  }
  return entries;
}

function viewerRequest(url) {
  const { host, pathname, search } = new URL(url);
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'viewer-request',
            requestId: 'bundle-test-4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request: {
            clientIp: '203.0.113.178',
            headers: {
              host: [{ key: 'Host', value: host }],
              'user-agent': [{ key: 'User-Agent', value: 'curl/8.5.0' }],
            },
            method: 'GET',
            querystring: search.slice(1),
            uri: pathname,
          },
        },
      },
    ],
  };
}

// --- tests --------------------------------------------------------------------------------------

describe('bundle.mjs with a deploy-time config', () => {
  const out = join(work, 'dist');
  let result;
  let archive;

  before(() => {
    const config = writeConfig(
      'config.js',
      `export const keys = [${JSON.stringify(KEY)}];\nexport const options = { origin: ${JSON.stringify(BASE)} };\n`,
    );
    result = runBundle(['--config', config, '--out', out]);
  });

  test('exits 0 and prints the bundle and zip sizes in bytes and KB', (t) => {
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /bundle: .*index\.mjs \d+ bytes \(\d+\.\d KB\)/);
    assert.match(result.stdout, /zip: +.*clicktrail-lambda-edge\.zip \d+ bytes \(\d+\.\d KB\)/);
    assert.doesNotMatch(result.stdout, /config\.example\.js/, 'the given config is used');
    t.diagnostic(result.stdout.trim().replace(/\n/g, ' | '));
  });

  test('writes a zip under 1 MB that starts with a local file header', () => {
    const zipPath = join(out, 'clicktrail-lambda-edge.zip');
    assert.ok(existsSync(zipPath));
    archive = readFileSync(zipPath);
    assert.ok(archive.length < LIMIT, `${archive.length} bytes`);
    assert.deepEqual([...archive.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]); // PK\x03\x04
  });

  test('the zip lists index.mjs alone, readable, identical to the bundle, with the key inlined', () => {
    const entries = readZip(archive);
    assert.deepEqual(entries.map((e) => e.name), ['index.mjs']);
    const [entry] = entries;
    assert.equal(entry.mode, 0o100644);
    assert.equal(entry.method, 8);
    assert.deepEqual(entry.data, readFileSync(join(out, 'index.mjs')));
    // Lambda@Edge has no environment: the config must be inside the package.
    assert.ok(entry.data.includes(KEY.secret), 'the configured key is bundled');
  });

  test('the handler extracted from the zip answers a valid click like the unbundled one', async (t) => {
    const [entry] = readZip(archive);
    const extracted = join(work, 'extracted');
    mkdirSync(extracted);
    writeFileSync(join(extracted, 'index.mjs'), entry.data);
    const { handler: bundled } = await import(pathToFileURL(join(extracted, 'index.mjs')).href);

    const event = () => viewerRequest(validClick());
    const started = performance.now();
    const fromZip = await bundled(event());
    const coldMs = performance.now() - started;
    const unbundled = await createHandler({ keys: [KEY], origin: BASE })(event());

    assert.equal(fromZip.status, '302');
    assert.equal(fromZip.headers.location[0].value, 'https://shop.example.com/spring?id=7&ref=mail');
    assert.deepStrictEqual(fromZip, unbundled);
    // origin is honoured from the bundled config: the *.cloudfront.net Host still verifies.
    const onDistribution = event();
    onDistribution.Records[0].cf.request.headers.host[0].value = 'd111111abcdef8.cloudfront.net';
    assert.deepStrictEqual(await bundled(onDistribution), unbundled);

    const again = event();
    const warm = performance.now();
    for (let i = 0; i < 100; i += 1) await bundled(again);
    const warmMs = (performance.now() - warm) / 100;
    t.diagnostic(`first request (core instantiated) ${coldMs.toFixed(1)} ms; then ${warmMs.toFixed(3)} ms/request`);
  });
});

describe('bundle.mjs refusals and fallbacks', () => {
  test('a config without keys fails the build (exit 1), not the first request at the edge', () => {
    const config = writeConfig('empty-config.js', 'export const keys = [];\nexport const options = {};\n');
    const result = runBundle(['--config', config, '--out', join(work, 'dist-empty')]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /non-empty keys/);
    assert.ok(!existsSync(join(work, 'dist-empty', 'clicktrail-lambda-edge.zip')));
  });

  const localConfig = existsSync(join(EXAMPLE_DIR, 'config.js'));
  test('without config.js it refuses to bundle the public placeholder keys', { skip: localConfig && 'config.js exists' }, () => {
    const result = runBundle(['--out', join(work, 'dist-refused')]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /config\.js not found/);
    assert.ok(!existsSync(join(work, 'dist-refused', 'clicktrail-lambda-edge.zip')));
  });

  test('--example bundles config.example.js for a size check, and says so', { skip: localConfig && 'config.js exists' }, () => {
    const result = runBundle(['--example', '--out', join(work, 'dist-example')]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /bundling config\.example\.js/);
    assert.ok(existsSync(join(work, 'dist-example', 'clicktrail-lambda-edge.zip')));
  });

  test('a deploy config that still holds the placeholder secret is refused', () => {
    const config = writeConfig(
      'placeholder-config.js',
      "export const keys = [{ id: 'k1', secret: 'placeholder-secret-replace-at-deploy-time' }];\n",
    );
    const result = runBundle(['--config', config, '--out', join(work, 'dist-placeholder')]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /placeholder secret/);
  });

  test('a config the handler would refuse fails the build', () => {
    const config = writeConfig(
      'big-config.js',
      "export const keys = [{ id: 'k1', secret: 'a-real-secret-0123456789' }];\n" +
        "export const options = { rejectHtml: 'x'.repeat(40000) };\n",
    );
    const result = runBundle(['--config', config, '--out', join(work, 'dist-big')]);
    assert.equal(result.status, 1);
  });
});

describe('the ZIP writer', () => {
  test('round-trips deflated and stored entries, reproducibly', () => {
    const entries = [
      { name: 'index.mjs', data: Buffer.from('export const handler = async () => 1;\n'.repeat(50)) },
      { name: 'noise.bin', data: randomBytes(4096) }, // incompressible: stored
      { name: 'empty.txt', data: new Uint8Array(0) },
    ];
    const archive = zip(entries);
    const read = readZip(archive);
    assert.deepEqual(read.map((e) => e.name), entries.map((e) => e.name));
    assert.deepEqual(read.map((e) => e.method), [8, 0, 0]);
    read.forEach((entry, i) => assert.deepEqual(entry.data, Buffer.from(entries[i].data)));
    assert.deepEqual(zip(entries), archive, 'same input, same bytes');
  });
});
