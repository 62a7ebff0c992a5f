// Serves the demo's files read-only from a fixed list of the repository's folders: nothing
// outside them (no "..", no dotfiles), with the types browsers need (wasm streaming compile
// requires application/wasm).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A handler for URL paths under `prefixes` (e.g. "/web/"), mapped onto `root`. */
export function staticFiles(root, prefixes) {
  return async function serve(pathname, response) {
    if (!prefixes.some((prefix) => pathname.startsWith(prefix))) return false;
    let relative;
    try {
      relative = normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '');
    } catch {
      return false;
    }
    if (relative.split(sep).some((part) => part.startsWith('.'))) return false;
    const path = join(root, relative);
    if (!prefixes.some((prefix) => path.startsWith(join(root, prefix)))) return false;
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return false;
    response.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    response.end(await readFile(path));
    return true;
  };
}
