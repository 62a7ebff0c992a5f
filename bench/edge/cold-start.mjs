// Edge start-up and per-request cost of the WASM core in Node (the same V8 as workerd):
// compile, instantiate, key setup, then the per-request decision and the bare verification.
// Prints medians; not a test.
import { readFileSync } from 'node:fs';
import createClicktrailCore from '../../wasm/dist/clicktrail-core.mjs';
import { createApi } from '../../wasm/src/api.js';

const KEY = { id: 'k1', secret: 'bench-secret-0123456789abcdef' };
const now = () => performance.now();

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const bytes = readFileSync(new URL('../../wasm/dist/clicktrail-core.wasm', import.meta.url));
const compileMs = [];
const instantiateMs = [];
let api;
for (let i = 0; i < 15; i += 1) {
  let start = now();
  const module = await WebAssembly.compile(bytes);
  compileMs.push(now() - start);
  start = now();
  const core = await createClicktrailCore({
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(module, imports).then((instance) => done(instance, module));
      return {};
    },
  });
  instantiateMs.push(now() - start);
  api = createApi(core);
}

let start = now();
const edge = api.createEdge({ keys: [KEY] });
const edgeSetupMs = now() - start;
const verifier = api.createVerifier([KEY]);
const url = api.buildClickUrl('https://shop.example.com/spring?id=7&ref=mail', {
  baseUrl: 'https://t.example.com', keyId: KEY.id, secret: KEY.secret, messageId: 'm-1', recipientId: 'r-1',
}, 3);
const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';

function perCall(fn, calls = 20000) {
  for (let i = 0; i < 2000; i += 1) fn();
  const rounds = [];
  for (let r = 0; r < 7; r += 1) {
    const t = now();
    for (let i = 0; i < calls; i += 1) fn();
    rounds.push(((now() - t) * 1000) / calls);
  }
  return median(rounds);
}

const handleUs = perCall(() => edge.handle('GET', url, ua, '203.0.113.9', Date.now()));
const verifyUs = perCall(() => verifier.verify(url, 1_800_000_000));
const rows = {
  wasmBytes: bytes.length,
  compileMs: Number(median(compileMs).toFixed(2)),
  instantiateMs: Number(median(instantiateMs).toFixed(2)),
  edgeSetupMs: Number(edgeSetupMs.toFixed(3)),
  handleUsPerRequest: Number(handleUs.toFixed(2)),
  verifyUsPerUrl: Number(verifyUs.toFixed(2)),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
else {
  console.log(`Node ${process.version}, ${bytes.length} byte .wasm`);
  for (const [name, value] of Object.entries(rows)) console.log(`${name.padEnd(20)} ${value}`);
}
