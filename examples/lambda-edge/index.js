// The deployed Lambda@Edge entry point. Not run as is: bundle.mjs feeds it to esbuild, which
// resolves `./config.js` (generated at deploy time, or config.example.js) and inlines the .wasm
// bytes with its `binary` loader, so the zip holds one self-contained index.mjs.
import { createHandler } from '../../wasm/src/lambda-edge.js';
import wasmBinary from '../../wasm/dist/clicktrail-core.wasm';
import { keys, options } from './config.js';

// Created once per container; the core is instantiated on the first request and then reused.
export const handler = createHandler({ ...options, keys, wasmBinary });
