// Loads the core once in Node: the .wasm bytes are read from the package and handed to the glue
// (Emscripten 3.1.6's ES-module glue cannot fetch its own file:// URL in Node).
import { readFileSync } from 'node:fs';
import createClicktrailCore from '../dist/clicktrail-core.mjs';

const wasmBinary = readFileSync(new URL('../dist/clicktrail-core.wasm', import.meta.url));

export const core = await createClicktrailCore({ wasmBinary });
