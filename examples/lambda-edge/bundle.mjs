#!/usr/bin/env node
// Builds the Lambda@Edge deployment package: esbuild bundles index.js (handler, core glue, config
// and the .wasm bytes) into one minified dist/index.mjs, which is zipped into
// dist/clicktrail-lambda-edge.zip by the small ZIP writer below, so no zip tool is needed.
//
//   node examples/lambda-edge/bundle.mjs [--config path/to/config.js] [--out dir]
//
// Exits 1 when the zip exceeds the Lambda@Edge viewer-request limit (1 MB compressed).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const ZIP_NAME = 'clicktrail-lambda-edge.zip';
const BUNDLE_NAME = 'index.mjs'; // .mjs: Lambda's Node.js runtime loads it as an ES module
const VIEWER_REQUEST_LIMIT = 1024 * 1024;

// --- ZIP writer (stored or deflated entries, no extras, no ZIP64: a Lambda package is small) ---

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

// zlib.crc32 exists from Node 20.15; the table is the fallback for older 20.x releases.
function crc32(bytes) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(bytes) >>> 0;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// A fixed timestamp (1980-01-01 00:00, the DOS epoch) makes the zip a pure function of its
// contents: an unchanged build gives the same bytes, so `sam deploy` uploads nothing new and
// AutoPublishAlias publishes no new version to replicate to every edge.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
// Unix "regular file, rw-r--r--" in the high half: Lambda must be able to read the file.
const UNIX_FILE_MODE = (0o100644 << 16) >>> 0;

/** A ZIP archive of `entries` ([{name, data: Uint8Array}]) as a Buffer. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const method = deflated.length < data.length ? 8 : 0; // store what does not shrink
    const body = method === 8 ? deflated : Buffer.from(data);
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, nameBytes, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below is read)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // 30: extra length, 32: comment length, 34: disk number, 36: internal attributes (all 0)
    central.writeUInt32LE(UNIX_FILE_MODE, 38);
    central.writeUInt32LE(offset, 42); // where this entry's local header starts
    centrals.push(central, nameBytes);

    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in total
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16); // the central directory follows the last entry
  return Buffer.concat([...locals, directory, end]);
}

// --- bundling ---------------------------------------------------------------------------------

function pickConfig(requested) {
  if (requested) {
    const path = resolve(requested);
    if (!existsSync(path)) throw new Error(`config not found: ${path}`);
    return { path, example: false };
  }
  const generated = join(HERE, 'config.js');
  if (existsSync(generated)) return { path: generated, example: false };
  return { path: join(HERE, 'config.example.js'), example: true };
}

// The secret in config.example.js: public, so a bundle that carries it lets anyone forge links.
const PLACEHOLDER_SECRET = 'placeholder-secret-replace-at-deploy-time';

// Fails the build, not the first request at the edge, when the config cannot work.
async function checkConfig(path, { example }) {
  const config = await import(pathToFileURL(path).href);
  const { keys } = config;
  if (!example && Array.isArray(keys) && keys.some((key) => key?.secret === PLACEHOLDER_SECRET)) {
    throw new Error(`${path}: still holds the example's placeholder secret`);
  }
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${path}: export a non-empty keys array`);
  for (const key of keys) {
    if (typeof key?.id !== 'string' || typeof key?.secret !== 'string' || key.secret.length < 16) {
      throw new Error(`${path}: every key needs a string id and a secret of at least 16 bytes`);
    }
  }
  if (config.options !== undefined && typeof config.options !== 'object') {
    throw new Error(`${path}: options must be an object`);
  }
  // The handler's own checks (secret length, duplicate ids, rejectHtml size, ...), at build time.
  const { createHandler } = await import('../../wasm/src/lambda-edge.js');
  const handler = createHandler({ ...config.options, keys });
  const probe = { Records: [{ cf: { request: { clientIp: '192.0.2.1', headers: { host: [{ key: 'Host', value: 'example.com' }] }, method: 'GET', querystring: '', uri: '/pxl.png' } } }] };
  const response = await handler(probe);
  if (response.status !== '200') throw new Error(`${path}: the handler cannot start with this config`);
}

// index.js imports './config.js'; point that one import at the chosen file.
function configPlugin(configPath) {
  return {
    name: 'clicktrail-config',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\.\/config\.js$/ }, (args) =>
        args.importer === join(HERE, 'index.js') ? { path: configPath } : undefined,
      );
    },
  };
}

// Paths under the working directory print relative, others absolute.
function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function kb(bytes) {
  return `${bytes} bytes (${(bytes / 1024).toFixed(1)} KB)`;
}

async function main() {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, out: { type: 'string' }, example: { type: 'boolean' } },
  });
  const out = resolve(values.out ?? join(HERE, 'dist'));
  const config = pickConfig(values.config);
  if (config.example) {
    if (!values.example) {
      throw new Error('config.js not found: generate it from your secret store (see README.md), or pass --example to bundle the placeholder keys for a size check (never deploy that)');
    }
    console.log('bundling config.example.js (placeholder keys: for size checks only, never deploy)');
  }
  await checkConfig(config.path, config);

  mkdirSync(out, { recursive: true });
  const bundlePath = join(out, BUNDLE_NAME);
  await build({
    entryPoints: [join(HERE, 'index.js')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    legalComments: 'none',
    loader: { '.wasm': 'binary' },
    plugins: [configPlugin(config.path)],
    outfile: bundlePath,
    logLevel: 'warning',
  });

  const bundle = readFileSync(bundlePath);
  const archive = zip([{ name: BUNDLE_NAME, data: bundle }]);
  const zipPath = join(out, ZIP_NAME);
  writeFileSync(zipPath, archive);

  console.log(`config: ${shown(config.path)}`);
  console.log(`bundle: ${shown(bundlePath)} ${kb(bundle.length)}`);
  console.log(`zip:    ${shown(zipPath)} ${kb(archive.length)}`);
  if (archive.length > VIEWER_REQUEST_LIMIT) {
    console.error(`the zip is over the ${kb(VIEWER_REQUEST_LIMIT)} Lambda@Edge viewer-request limit`);
    process.exitCode = 1;
    return;
  }
  const used = ((archive.length / VIEWER_REQUEST_LIMIT) * 100).toFixed(1);
  console.log(`limit:  ${kb(VIEWER_REQUEST_LIMIT)} (viewer request), ${used}% used`);
}

// Runs when executed, not when a test imports zip() from it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`bundle failed: ${error.message}`);
    process.exitCode = 1;
  });
}
