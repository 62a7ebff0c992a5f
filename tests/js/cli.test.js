// The `clicktrail` command: the npm bin (wasm/src/cli.js, the core on WebAssembly) and the
// native binary must print the same bytes for the same command, on every email of the corpus,
// and `verify` must accept exactly the URLs `wrap` signed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createVerifier, rewriteLinks } from 'clicktrail';

import {
  BASE_URL,
  KEYS,
  KEY_ID,
  ROOT,
  SECRET,
  isUtf8,
  listEmails,
  runBoth,
  runCli,
  wrapOptions,
} from './helpers.js';

const RECIPIENT = 'r@example.com';
let dir;
let secretFile;
let otherSecretFile;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'clicktrail-cli-test-'));
  // A trailing newline, as `echo secret > file` writes it: the CLI must ignore it.
  secretFile = join(dir, 'secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  otherSecretFile = join(dir, 'other-secret');
  writeFileSync(otherSecretFile, 'a-different-secret-0123456789\n');
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** `wrap FILE` with the options every test here uses, plus `extra`. */
function wrapArgs(file, ...extra) {
  return [
    'wrap', file,
    '--base-url', BASE_URL,
    '--key-id', KEY_ID,
    '--secret-file', secretFile,
    '--message-id', 'm1',
    '--recipient', RECIPIENT,
    ...extra,
  ];
}

function verifyArgs(url, ...extra) {
  return ['verify', url, '--key-id', KEY_ID, '--secret-file', secretFile, ...extra];
}

const apiOptions = (extra = {}) => wrapOptions({ recipient: RECIPIENT, ...extra });

function parseJson(stdout) {
  return JSON.parse(stdout.toString('utf8'));
}

describe('wrap: every email of the corpus, native and WebAssembly byte-identical', () => {
  for (const email of listEmails()) {
    test(email, () => {
      const input = readFileSync(join(ROOT, email));

      const plain = runBoth(wrapArgs(email));
      assert.equal(plain.status, 0, plain.stderr);
      // The CLI prints what the library returns for the same options.
      const api = rewriteLinks(new Uint8Array(input), apiOptions());
      assert.ok(plain.stdout.equals(Buffer.from(api.html)), 'CLI output equals rewriteLinks output');
      assert.ok(plain.stdout.includes(`${BASE_URL}/pxl.png?`), 'the pixel is in');

      const json = runBoth(wrapArgs(email, '--json'));
      assert.equal(json.status, 0, json.stderr);
      const report = parseJson(json.stdout);
      assert.equal(report.trackedLinks, api.trackedLinks);
      assert.deepEqual(report.links, api.links);
      assert.equal(report.pixel.inserted, true);
      // JSON can only carry UTF-8: for the ISO-8859-2 email the html member cannot be the bytes.
      if (isUtf8(input)) assert.equal(report.html, plain.stdout.toString('utf8'));
    });
  }
});

describe('wrap options and inputs', () => {
  // Has a bare URL (www.google.com) in its text, so --no-linkify changes something.
  const email = 'tests/data/emails/linkifyjs/original.html';

  test('--no-linkify leaves plain-text URLs as text', () => {
    const on = parseJson(runBoth(wrapArgs(email, '--json')).stdout);
    assert.ok(on.links.some((link) => link.linkified), 'fixture has linkified URLs');
    const off = runBoth(wrapArgs(email, '--json', '--no-linkify'));
    assert.equal(off.status, 0);
    const report = parseJson(off.stdout);
    assert.ok(report.links.every((link) => !link.linkified));
    assert.equal(report.links.length, on.links.filter((link) => !link.linkified).length);
  });

  test('--no-pixel inserts no pixel', () => {
    const result = runBoth(wrapArgs(email, '--no-pixel'));
    assert.equal(result.status, 0);
    assert.ok(!result.stdout.includes('/pxl.png'));
    assert.ok(runBoth(wrapArgs(email)).stdout.includes('/pxl.png'));
  });

  test("'-' reads standard input: same output as the file", () => {
    const fromFile = runBoth(wrapArgs(email));
    const fromStdin = runBoth(wrapArgs('-'), { input: readFileSync(join(ROOT, email)) });
    assert.equal(fromStdin.status, 0);
    assert.ok(fromStdin.stdout.equals(fromFile.stdout));
  });

  test('CLICKTRAIL_SECRET works instead of --secret-file', () => {
    const fromFile = runBoth(wrapArgs(email));
    const args = wrapArgs(email);
    args.splice(args.indexOf('--secret-file'), 2);
    const fromEnv = runBoth(args, { secretEnv: SECRET });
    assert.equal(fromEnv.status, 0, fromEnv.stderr);
    assert.ok(fromEnv.stdout.equals(fromFile.stdout));
  });
});

describe('verify', () => {
  // Links with &amp;-separated queries and '+' in them.
  const email = 'tests/data/emails/premailer/test/files/base.html';
  let links;

  before(() => {
    const result = runCli('wasm', wrapArgs(email, '--json'));
    assert.equal(result.status, 0, result.stderr);
    links = parseJson(result.stdout).links.filter((link) => link.tracked);
  });

  test('accepts every tracked URL of an email and prints its target', () => {
    assert.ok(links.length >= 3);
    for (const link of links) {
      const result = runBoth(verifyArgs(link.trackedUrl));
      assert.equal(result.status, 0, result.stderr);
      const json = parseJson(result.stdout);
      assert.equal(json.ok, true);
      assert.equal(json.endpoint, 'click');
      assert.equal(json.target, link.url);
      assert.equal(json.linkIndex, link.index);
      assert.equal(json.messageId, 'm1');
    }
  });

  /** `url` with the byte at `i` replaced by an allowed URL character other than the one there. */
  function mutate(url, i, alphabet) {
    const replacement = [...alphabet].find((c) => c !== url[i]);
    return url.slice(0, i) + replacement + url.slice(i + 1);
  }

  test('changing any single byte makes the URL refused (every position, through the API)', () => {
    const verifier = createVerifier(KEYS);
    try {
      const url = links[0].trackedUrl;
      assert.equal(verifier.verify(url).ok, true);
      // Letters, digits and the characters that carry structure in a URL.
      const alphabets = ['aZ', '01', '-_', '.~', '%A', '&b', '=c', '?d', '/e', '#f'];
      let checked = 0;
      for (let i = 0; i < url.length; i++) {
        for (const alphabet of alphabets) {
          const changed = mutate(url, i, alphabet);
          const result = verifier.verify(changed);
          assert.equal(result.ok, false, `accepted after changing byte ${i}: ${changed}`);
          checked++;
        }
      }
      assert.ok(checked >= url.length * alphabets.length);
    } finally {
      verifier.dispose();
    }
  });

  test('changing a single byte makes `verify` exit 1 (a sample of positions, both CLIs)', () => {
    const url = links[0].trackedUrl;
    const positions = Array.from({ length: 10 }, (_, k) => Math.floor(((k + 0.5) * url.length) / 10));
    for (const i of positions) {
      const result = runBoth(verifyArgs(mutate(url, i, 'xY')));
      assert.equal(result.status, 1, `byte ${i}`);
      assert.equal(parseJson(result.stdout).ok, false);
      assert.match(result.stderr, /^clicktrail: refused: /);
    }
  });

  test('a URL missing any one of its parameters is refused', () => {
    const verifier = createVerifier(KEYS);
    try {
      const url = links[0].trackedUrl;
      const [prefix, query] = url.split('?');
      const pairs = query.split('&');
      const names = pairs.map((pair) => pair.split('=')[0]);
      assert.deepEqual([...names].sort(), ['kid', 'li', 'mid', 'r', 'rid', 'sig']);
      for (let i = 0; i < pairs.length; i++) {
        const without = `${prefix}?${pairs.filter((_, j) => j !== i).join('&')}`;
        const result = verifier.verify(without);
        assert.equal(result.ok, false, `accepted without ${pairs[i]}`);
      }
      // And through the command line, for the message id.
      const withoutMid = `${prefix}?${pairs.slice(1).join('&')}`;
      assert.equal(runBoth(verifyArgs(withoutMid)).status, 1);
    } finally {
      verifier.dispose();
    }
  });

  test('a signature made with another secret under the same key id is refused', () => {
    const url = links[0].trackedUrl;
    const result = runBoth(['verify', url, '--key-id', KEY_ID, '--secret-file', otherSecretFile]);
    assert.equal(result.status, 1);
    assert.equal(parseJson(result.stdout).error, 'bad_signature');
  });
});

describe('usage errors: exit 2 with a message, the same from both CLIs', () => {
  const email = 'tests/data/emails/leemunroe/email.html';
  const cases = {
    'an unknown option': {
      args: () => [...wrapArgs(email), '--frobnicate'],
      message: /unknown option --frobnicate/,
    },
    'no --base-url': {
      args: () => ['wrap', email, '--key-id', KEY_ID, '--secret-file', secretFile],
      message: /--base-url is required/,
    },
    'an input file that does not exist': {
      args: () => wrapArgs('tests/data/emails/no-such-email.html'),
      message: /cannot read 'tests\/data\/emails\/no-such-email\.html'/,
    },
    'an input that is a directory': {
      args: () => wrapArgs('tests/data/emails'),
      message: /cannot read 'tests\/data\/emails'/,
    },
    'a secret file that does not exist': {
      args: () => [...wrapArgs(email).slice(0, 6), '--secret-file', join(dir, 'missing')],
      message: /cannot read secret file/,
    },
    'no secret at all': {
      args: () => ['wrap', email, '--base-url', BASE_URL, '--key-id', KEY_ID],
      message: /no secret/,
    },
    'no command': { args: () => [], message: /missing command/ },
  };
  for (const [name, { args, message }] of Object.entries(cases)) {
    test(name, () => {
      const result = runBoth(args());
      assert.equal(result.status, 2);
      assert.match(result.stderr, message);
      assert.ok(result.stderr.startsWith('clicktrail: '));
      assert.equal(result.stdout.length, 0, 'nothing on stdout');
    });
  }
});
