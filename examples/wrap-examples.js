// The local demo for now: wraps every email in examples/emails with the WASM core and prints,
// per email, what was tracked and what was not, and why. Rewritten files go to build/examples/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVerifier, rewriteLinks, rewriteText } from 'clicktrail';

const here = new URL('.', import.meta.url).pathname;
const inputDir = join(here, 'emails');
const outputDir = join(here, '..', 'build', 'examples');
mkdirSync(outputDir, { recursive: true });

// A demo key: in production the secret comes from your secret store, never from code.
const key = { id: 'demo', secret: process.env.CLICKTRAIL_SECRET ?? 'demo-secret-change-me-0123456789' };
const options = {
  baseUrl: 'https://t.example.com',
  keyId: key.id,
  secret: key.secret,
  messageId: 'demo-message-1',
  recipient: 'reader@example.com',
  campaignId: 'spring-sale',
  unsubscribeUrls: ['https://example.com/unsubscribe'],
};
const verifier = createVerifier([key]);

for (const name of readdirSync(inputDir).sort()) {
  const input = readFileSync(join(inputDir, name), 'utf8');
  const rewrite = name.endsWith('.txt') ? rewriteText : rewriteLinks;
  const started = performance.now();
  const result = rewrite(input, options);
  const elapsed = performance.now() - started;
  writeFileSync(join(outputDir, name), result.html);

  console.log(`\n${name}: ${result.links.length} links, ${result.trackedLinks} tracked, ` +
    `pixel ${result.pixel.inserted ? `at byte ${result.pixel.offset}` : 'not inserted'} ` +
    `(${elapsed.toFixed(2)} ms) -> build/examples/${name}`);
  for (const link of result.links) {
    const state = link.tracked ? 'tracked' : `not tracked: ${link.reason}`;
    const where = `${link.element}${link.conditionalComment ? ' (Outlook)' : ''}${link.linkified ? ' (plain URL)' : ''}`;
    const tags = Object.keys(link.tags).length ? ` tags ${JSON.stringify(link.tags)}` : '';
    console.log(`  #${String(link.index).padEnd(3)} line ${String(link.line).padEnd(4)} ${where.padEnd(24)} ${state.padEnd(28)} ${link.url}${tags}`);
  }
  for (const warning of result.warnings) {
    console.log(`  warning (line ${warning.line}): ${warning.message}`);
  }
  const first = result.links.find((link) => link.trackedUrl);
  if (first) {
    const verdict = verifier.verify(first.trackedUrl);
    console.log(`  verify link #${first.index}: ${verdict.ok ? `ok, redirects to ${verdict.target}` : verdict.error}`);
  }
}
