#!/usr/bin/env node
// Bundles examples/cloudflare/worker.js roughly the way `wrangler deploy` does (esbuild, ESM,
// workerd/worker/browser conditions, every .wasm kept as a separate CompiledWasm module file next
// to the bundle) and prints the sizes Cloudflare's upload limit is about (it counts gzip).
//
//   node bench/edge/bundle-size.mjs [--minify] [--outdir DIR] [--json]
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE_ENTRY = join(ROOT, 'examples', 'cloudflare', 'worker.js');
const CLOUDFLARE_ENTRY = join(ROOT, 'wasm', 'src', 'cloudflare.js');

// wrangler's default module rule makes `import m from './x.wasm'` a WebAssembly.Module: keep
// the import, point it at a copy in the output directory.
function wasmAsModule(outdir) {
  return {
    name: 'wasm-as-module',
    setup(build) {
      build.onResolve({ filter: /\.wasm$/ }, (args) => {
        const source = resolve(args.resolveDir, args.path);
        copyFileSync(source, join(outdir, basename(source)));
        return { path: `./${basename(source)}`, external: true };
      });
    },
  };
}

// package.json has no "./cloudflare" export yet; until it does (or when the example is bundled
// from inside this repository, where the package is not in node_modules) the subpath is mapped to
// the file that export will name.
function packageSelfReference() {
  return {
    name: 'clicktrail-self-reference',
    setup(build) {
      build.onResolve({ filter: /^clicktrail\/cloudflare$/ }, async (args) => {
        if (args.pluginData?.fallback) return undefined;
        const found = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: { fallback: true },
        });
        return found.errors.length === 0 ? { path: found.path } : { path: CLOUDFLARE_ENTRY };
      });
    },
  };
}

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Bundles the example worker into `outdir`; returns the paths and sizes (bytes) of the JS
 * bundle and the .wasm module, raw and gzipped.
 */
export async function bundleWorker({ outdir = mkdtempSync(join(tmpdir(), 'clicktrail-bundle-')), minify = false } = {}) {
  mkdirSync(outdir, { recursive: true });
  const jsPath = join(outdir, 'worker.js');
  await esbuild.build({
    entryPoints: [EXAMPLE_ENTRY],
    outfile: jsPath,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    minify,
    keepNames: !minify,
    logLevel: 'silent',
    plugins: [packageSelfReference(), wasmAsModule(outdir)],
  });
  const wasmPath = join(outdir, 'clicktrail-core.wasm');
  const js = readFileSync(jsPath);
  const wasm = readFileSync(wasmPath);
  return {
    outdir,
    jsPath,
    wasmPath,
    minify,
    jsBytes: js.length,
    jsGzip: gzipSize(js),
    wasmBytes: wasm.length,
    wasmGzip: gzipSize(wasm),
    totalGzip: gzipSize(js) + gzipSize(wasm),
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function printTable(results) {
  const rows = results.map((r) => [
    r.minify ? 'wrangler deploy --minify' : 'wrangler deploy',
    kb(r.jsBytes), kb(r.jsGzip), kb(r.wasmBytes), kb(r.wasmGzip), kb(r.totalGzip),
  ]);
  const head = ['bundle', 'worker.js', 'gzip', '.wasm', 'gzip', 'total gzip'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  console.log(`(written under ${dirname(results[0].outdir)}; gzip level 9; Workers limit: 3 MB free, 10 MB paid, gzipped)`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      minify: { type: 'boolean', default: false },
      outdir: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const outdir = values.outdir ? resolve(values.outdir) : mkdtempSync(join(tmpdir(), 'clicktrail-bundle-'));
  // Both variants unless --minify asks for the minified one only.
  const variants = values.minify ? [true] : [false, true];
  const results = [];
  for (const minify of variants) {
    results.push(await bundleWorker({ outdir: join(outdir, minify ? 'minified' : 'plain'), minify }));
  }
  if (values.json) console.log(JSON.stringify(results, null, 2));
  else printTable(results);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
