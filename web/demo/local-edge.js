// The demo's edge: clicktrail's Cloudflare Worker (the package's own entry, unbundled) running in
// workerd through miniflare, on loopback, recording into a local D1 database kept on disk.
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { EVENTS_TABLE } from '../../wasm/src/edge/d1.js';

// As wrangler's default rules: .js/.mjs are ES modules, the core's .wasm a WebAssembly.Module.
const MODULE_RULES = [
  { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
  { type: 'CompiledWasm', include: ['**/*.wasm'] },
];

/**
 * Starts the Worker; resolves to {url, events(limit), dispose()}. `keys` is what the
 * CLICKTRAIL_KEYS secret would hold; `stateDir` keeps D1's SQLite file between runs.
 */
export async function startLocalEdge({ root, keys, stateDir, port = 8788, log = () => {} }) {
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: join(root, 'wasm', 'src', 'cloudflare.js'),
    modulesRoot: root,
    modulesRules: MODULE_RULES,
    compatibilityDate: '2025-01-01',
    host: '127.0.0.1',
    port,
    bindings: { CLICKTRAIL_KEYS: JSON.stringify(keys) },
    d1Databases: { CLICKTRAIL_DB: 'clicktrail-demo' },
    d1Persist: join(stateDir, 'd1'),
    // A fixed request.cf, so miniflare never downloads Cloudflare's (the machine may be offline).
    cf: { country: 'ZZ', colo: 'LOCAL' },
    telemetry: { enabled: false },
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (chunk) => log(String(chunk).trimEnd()));
      stderr.on('data', (chunk) => log(String(chunk).trimEnd()));
    },
  });
  const url = await miniflare.ready;
  const db = await miniflare.getD1Database('CLICKTRAIL_DB');
  return {
    url: url.origin,
    /** The newest `limit` recorded events, as D1 rows. */
    async events(limit = 5000) {
      try {
        const result = await db
          .prepare(`SELECT * FROM ${EVENTS_TABLE} ORDER BY epoch_ms DESC, id DESC LIMIT ?`)
          .bind(limit)
          .all();
        return result.results;
      } catch (error) {
        // The Worker creates the table with its first event.
        if (/no such table/.test(error.message)) return [];
        throw error;
      }
    },
    dispose: () => miniflare.dispose(),
  };
}
