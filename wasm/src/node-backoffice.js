// Loads the back-office module once in Node, as node-core.js does for the core: the .wasm bytes
// are read from the package and handed to the glue.
import { readFileSync } from 'node:fs';
import createClicktrailBackoffice from '../dist/clicktrail-backoffice.mjs';

const wasmBinary = readFileSync(new URL('../dist/clicktrail-backoffice.wasm', import.meta.url));

export const backoffice = await createClicktrailBackoffice({ wasmBinary });
