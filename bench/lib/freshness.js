// Whether the binaries a section measures are older than the sources they are built from (a
// benchmark of a stale build measures yesterday's code): the notes then say so.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of the files under `path` (0 when it does not exist). */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** Whether `binary` (relative to `root`) is older than any of `sources`. */
export function staleBuild(root, binary, sources) {
  const path = join(root, binary);
  return existsSync(path) && statSync(path).mtimeMs < Math.max(...sources.map((s) => newestMtime(join(root, s))));
}

// What each module is linked from (wasm/CMakeLists.txt): the library and the shared buffers, plus
// its own bindings, so that a change to one module's bindings does not mark the other stale.
const SHARED_WASM_SOURCES = ['cpp', 'CMakeLists.txt', 'wasm/CMakeLists.txt', 'wasm/buffers.cpp', 'wasm/buffers.hpp'];
const MODULE_SOURCES = {
  'clicktrail-core': ['wasm/bindings.cpp', 'wasm/cli_bindings.cpp', 'wasm/cli_values.hpp'],
  'clicktrail-backoffice': ['wasm/backoffice_bindings.cpp', 'wasm/batch_cli_bindings.cpp', 'wasm/cli_values.hpp'],
};

/** wasm/dist against what tools/build.sh checks it against. */
export const wasmStale = (root) =>
  Object.entries(MODULE_SOURCES).some(([name, own]) =>
    staleBuild(root, `wasm/dist/${name}.wasm`, [...SHARED_WASM_SOURCES, ...own]),
  );

/** build/native/NAME against cpp/ (and `extra` sources). */
export const nativeStale = (root, name, extra = []) => staleBuild(root, `build/native/${name}`, ['cpp', ...extra]);
