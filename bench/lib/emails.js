// The benchmark inputs: the real email corpus (every .html file under a directory, sorted by
// path) and synthetic big emails made by concatenating it, the same way as
// bench/rewrite_bench.cpp does, so the native and the JS numbers are on the same bytes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** [{path (relative to `root`), bytes: Buffer}] for every .html file under `root`, sorted. */
export function readEmails(root) {
  const walk = (dir) =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return walk(path);
        return name.endsWith('.html') ? [{ path: relative(root, path), bytes: readFileSync(path) }] : [];
      });
  return walk(root);
}

/** The emails repeated in order and cut at exactly `size` bytes. */
export function concatenate(emails, size) {
  const out = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    for (const email of emails) {
      const n = Math.min(email.length, size - at);
      out.set(email.subarray(0, n), at);
      at += n;
      if (at === size) break;
    }
  }
  return out;
}

/**
 * The three inputs every link-wrapping tool is measured on: the corpus as separate emails,
 * and one 1 MB and one 10 MB email. `bytes` is the UTF-8 size the MB/s figures divide.
 */
export function standardInputs(root) {
  const emails = readEmails(root);
  if (emails.length === 0) throw new Error(`no .html files under ${root}`);
  const buffers = emails.map((email) => email.bytes);
  const corpusBytes = buffers.reduce((sum, b) => sum + b.length, 0);
  return {
    emails,
    inputs: [
      { name: 'corpus', label: `corpus (${emails.length} emails)`, buffers, bytes: corpusBytes },
      { name: '1MB', label: '1 MB email', buffers: [concatenate(buffers, 1 << 20)], bytes: 1 << 20 },
      { name: '10MB', label: '10 MB email', buffers: [concatenate(buffers, 10 << 20)], bytes: 10 << 20 },
    ],
  };
}
