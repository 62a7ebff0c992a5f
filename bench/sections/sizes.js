// What a user downloads and deploys: the .wasm and its JS glue (raw, gzip, brotli), the npm
// tarball, the Cloudflare Worker as `wrangler deploy --minify` bundles it, and the Lambda@Edge
// zip (examples/lambda-edge/bundle.mjs with the example config).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { bundleWorker } from '../edge/bundle-size.mjs';
import { kb } from '../lib/table.js';

export const name = 'sizes';
export const title = 'Sizes: what users download and deploy';

const LAMBDA_VIEWER_REQUEST_LIMIT = 1024 * 1024;
const WASM_GZIP_BUDGET = 150 * 1024; // README: 150 KB gzip for all wasm

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
const sizes = (bytes) => ({ raw: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes) });

export async function run(ctx) {
  const rows = [];
  const notes = [];
  // Two modules: the core (browsers, Workers, Lambda@Edge) and the back office (SES, logs).
  const wasmSizes = {};  // by module
  for (const name of ['clicktrail-core', 'clicktrail-backoffice']) {
    const measured = (wasmSizes[name] = sizes(readFileSync(join(ctx.root, 'wasm', 'dist', `${name}.wasm`))));
    const used = ((measured.gzip / WASM_GZIP_BUDGET) * 100).toFixed(0);
    rows.push({ item: `${name}.wasm`, ...measured, note: `budget ${kb(WASM_GZIP_BUDGET)} gzip: ${used} % used` });
    rows.push({ item: `${name}.mjs (Emscripten JS glue)`, ...sizes(readFileSync(join(ctx.root, 'wasm', 'dist', `${name}.mjs`))) });
  }

  ctx.progress('sizes: npm pack');
  try {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ctx.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    rows.push({ item: 'npm package (npm pack)', raw: pack.unpackedSize, gzip: pack.size, note: `${pack.entryCount} files; packed: the .tgz` });
  } catch (error) {
    notes.push(`npm pack failed: ${error.message.split('\n')[0]}`);
  }

  ctx.progress('sizes: Worker bundle');
  const workerDir = mkdtempSync(join(tmpdir(), 'clicktrail-bench-worker-'));
  try {
    const worker = await bundleWorker({ outdir: workerDir, minify: true });
    const js = readFileSync(worker.jsPath);
    rows.push({ item: 'Cloudflare Worker: worker.js (esbuild --minify, as wrangler)', ...sizes(js) });
    rows.push({ item: 'Cloudflare Worker: worker.js + .wasm', raw: worker.jsBytes + worker.wasmBytes, gzip: worker.totalGzip, brotli: brotli(js) + wasmSizes['clicktrail-core'].brotli, note: 'Workers limit: 3 MB free / 10 MB paid, gzipped' });
  } catch (error) {
    notes.push(`Worker bundle failed: ${error.message}`);
  } finally {
    rmSync(workerDir, { recursive: true, force: true });
  }

  ctx.progress('sizes: Lambda@Edge zip');
  const lambdaDir = mkdtempSync(join(tmpdir(), 'clicktrail-bench-lambda-'));
  try {
    execFileSync(process.execPath, [join(ctx.root, 'examples', 'lambda-edge', 'bundle.mjs'), '--example', '--out', lambdaDir], { cwd: ctx.root, stdio: 'ignore' });
    const bundle = statSync(join(lambdaDir, 'index.mjs')).size;
    const zip = statSync(join(lambdaDir, 'clicktrail-lambda-edge.zip')).size;
    rows.push({ item: 'Lambda@Edge zip (index.mjs with the wasm inlined)', raw: bundle, gzip: zip, note: `packed: the .zip, ${((zip / LAMBDA_VIEWER_REQUEST_LIMIT) * 100).toFixed(1)} % of the 1 MB viewer-request limit` });
  } catch (error) {
    notes.push(`Lambda@Edge bundle failed: ${error.message.split('\n')[0]}`);
  } finally {
    rmSync(lambdaDir, { recursive: true, force: true });
  }

  notes.push('gzip level 9, brotli quality 11; 1 KB = 1024 bytes');
  return {
    title,
    tables: [
      {
        columns: [
          { key: 'item', label: 'item' },
          { key: 'raw', label: 'raw', format: kb },
          { key: 'gzip', label: 'gzip / packed', format: kb },
          { key: 'brotli', label: 'brotli', format: kb },
          { key: 'note', label: 'note', align: 'left' },
        ],
        rows,
      },
    ],
    notes,
    failed: notes.some((n) => n.includes('failed')) ? 'a bundle could not be built' : undefined,
    data: { rows },
  };
}
