// The package API as a Node user calls it: rewriteLinks / rewriteText on small documents,
// tracking URL building and verification, and the errors a caller can run into.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  ClicktrailError,
  buildClickUrl,
  buildPixelUrl,
  createVerifier,
  init,
  recipientId,
  rewriteLinks,
  rewriteText,
  verifyTrackingUrl,
} from 'clicktrail';

import { BASE_URL, KEYS, KEY_ID, NON_UTF8_EMAIL, ROOT, SECRET, wrapOptions } from './helpers.js';

const verifier = createVerifier(KEYS);

/** Verifies a tracked URL and asserts the core accepted it. */
function verified(url) {
  const result = verifier.verify(url);
  assert.equal(result.ok, true, `refused ${url}: ${result.error} ${result.message}`);
  return result;
}

function linkByUrl(result, url) {
  const link = result.links.find((entry) => entry.url === url);
  assert.ok(link, `no report entry for ${url}`);
  return link;
}

/** All href="..." values of an HTML string, with &amp; decoded (tracked URLs use no other reference). */
function hrefs(html) {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
}

const count = (text, needle) => text.split(needle).length - 1;

describe('rewriteLinks: which links are wrapped', () => {
  test('init() is a no-op in Node and the API is ready on import', async () => {
    await init();
    assert.equal(typeof rewriteLinks, 'function');
  });

  test('http and https <a> and <area> are replaced by signed click URLs to the same target', () => {
    const html =
      '<p><a href="https://example.com/a">A</a></p>' +
      '<map name="m"><area shape="rect" coords="0,0,1,1" href="http://example.com/b"></map>';
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    assert.equal(result.trackedLinks, 2);
    const [a, area] = result.links;
    assert.deepEqual([a.element, a.reason, a.tracked], ['a', 'tracked', true]);
    assert.deepEqual([area.element, area.reason, area.tracked], ['area', 'tracked', true]);
    assert.deepEqual(hrefs(result.html), [a.trackedUrl, area.trackedUrl]);
    for (const link of [a, area]) {
      assert.ok(link.trackedUrl.startsWith(`${BASE_URL}/c?`));
      const click = verified(link.trackedUrl);
      assert.equal(click.endpoint, 'click');
      assert.equal(click.target, link.url);
      assert.equal(click.linkIndex, link.index);
      assert.equal(click.messageId, 'm1');
    }
    // Everything but the href values is left as it was.
    assert.equal(
      result.html.replace(/href="[^"]*"/g, 'href=""'),
      html.replace(/href="[^"]*"/g, 'href=""'),
    );
  });

  test('&amp; in an href is decoded before use: the report and the redirect target have "&"', () => {
    const result = rewriteLinks(
      '<a href="https://example.com/p?x=1&amp;y=2&amp;z=%41">go</a>',
      wrapOptions({ openPixel: false }),
    );
    const [link] = result.links;
    assert.equal(link.url, 'https://example.com/p?x=1&y=2&z=%41');
    assert.equal(verified(link.trackedUrl).target, 'https://example.com/p?x=1&y=2&z=%41');
    // In the HTML the tracked URL's own separators are escaped again.
    assert.ok(result.html.includes(`href="${link.trackedUrl.replaceAll('&', '&amp;')}"`));
  });

  test('mailto, tel, sms, fragment and empty hrefs are left alone, each with its reason', () => {
    const cases = [
      ['mailto:someone@example.com?subject=Hi', 'mailto'],
      ['tel:+15555550100', 'tel'],
      ['sms:+15555550100', 'sms'],
      ['#top', 'fragment'],
      ['', 'empty'],
    ];
    const html = cases.map(([href]) => `<a href="${href}">x</a>`).join('\n');
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    assert.equal(result.html, html);
    assert.equal(result.trackedLinks, 0);
    assert.deepEqual(
      result.links.map((link) => [link.url, link.reason, link.tracked]),
      cases.map(([href, reason]) => [href, reason, false]),
    );
    assert.deepEqual(result.warnings, []);
  });

  test('javascript: is never wrapped and is reported as unsafe_scheme with a warning', () => {
    const html = '<p>\n<a href="javascript:alert(1)">x</a></p>';
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    assert.equal(result.html, html);
    assert.equal(result.links[0].reason, 'unsafe_scheme');
    assert.equal(result.links[0].tracked, false);
    assert.equal(result.warnings.length, 1);
    assert.equal(result.warnings[0].code, 'unsafe_scheme');
    assert.equal(result.warnings[0].line, 2);
  });

  test('template placeholders are left for the sending platform to fill in', () => {
    const placeholders = [
      '{{action_url}}',
      '*|UNSUB|*',
      '%%view_online%%',
      'https://example.com/u?id={{user_id}}',
    ];
    const html = placeholders.map((href) => `<a href="${href}">x</a>`).join('');
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    assert.equal(result.html, html);
    assert.deepEqual(
      result.links.map((link) => link.reason),
      placeholders.map(() => 'template_tag'),
    );
  });

  test('<link>, <img> and <base> are not links: their URLs stay as written', () => {
    const html =
      '<html><head><base href="https://example.com/"><link rel="stylesheet" href="https://example.com/s.css"></head>' +
      '<body><img src="https://example.com/logo.png" alt=""></body></html>';
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    assert.equal(result.html, html);
    assert.deepEqual(result.links, []);
  });

  for (const marker of ['ses:no-track', 'data-no-track', 'clicktrail:no-track']) {
    test(`${marker}: the link is not wrapped (opted_out) and the marker is removed`, () => {
      const html =
        `<a ${marker} href="https://example.com/private">x</a>` +
        `<a href="https://example.com/x" ${marker}="">y</a>`;
      const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
      assert.equal(
        result.html,
        '<a href="https://example.com/private">x</a><a href="https://example.com/x">y</a>',
      );
      assert.deepEqual(
        result.links.map((link) => [link.reason, link.tracked]),
        [
          ['opted_out', false],
          ['opted_out', false],
        ],
      );
      assert.equal(result.trackedLinks, 0);
    });
  }

  test('ses:tags are parsed into the report, removed from the output and signed into the URL', () => {
    const result = rewriteLinks(
      '<a href="https://example.com/t" ses:tags="k:v;k2:v2">x</a>',
      wrapOptions({ openPixel: false, tags: { campaign: 'spring' } }),
    );
    const [link] = result.links;
    assert.deepEqual(link.tags, { k: 'v', k2: 'v2' });
    assert.ok(!result.html.includes('ses:tags'));
    assert.equal(result.html, `<a href="${link.trackedUrl.replaceAll('&', '&amp;')}">x</a>`);
    // Message-level tags and the link's own tags both travel in the URL.
    assert.deepEqual(verified(link.trackedUrl).tags, { campaign: 'spring', k: 'v', k2: 'v2' });
  });

  test('unsubscribeUrls are never wrapped (reason unsubscribe); other links still are', () => {
    const result = rewriteLinks(
      '<a href="https://example.com/unsubscribe?u=1">leave</a><a href="https://example.com/news">read</a>',
      wrapOptions({ openPixel: false, unsubscribeUrls: ['https://example.com/unsubscribe?u=1'] }),
    );
    assert.ok(result.html.startsWith('<a href="https://example.com/unsubscribe?u=1">leave</a>'));
    assert.deepEqual(
      result.links.map((link) => link.reason),
      ['unsubscribe', 'tracked'],
    );
  });

  test('an Outlook VML button and the <a> after it share one link index and one tracked URL', () => {
    const html =
      '<!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://example.com/buy" ' +
      'style="height:40px;width:200px;" arcsize="10%"><w:anchorlock/><center>Buy</center></v:roundrect><![endif]-->' +
      '<a href="https://example.com/buy" style="background:#333">Buy</a>' +
      '<a href="https://example.com/other">Other</a>';
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    const [vml, anchor, other] = result.links;
    assert.equal(vml.element, 'v:roundrect');
    assert.equal(vml.conditionalComment, true);
    assert.equal(anchor.element, 'a');
    assert.equal(anchor.conditionalComment, false);
    assert.equal(vml.index, anchor.index);
    assert.notEqual(other.index, anchor.index);
    assert.equal(vml.trackedUrl, anchor.trackedUrl);
    assert.equal(result.trackedLinks, 2, 'the button counts once');
    // Both copies of the button are rewritten, and the comment is still a conditional comment.
    assert.equal(count(result.html, vml.trackedUrl.replaceAll('&', '&amp;')), 2);
    assert.ok(result.html.startsWith('<!--[if mso]><v:roundrect'));
    assert.ok(result.html.includes('</v:roundrect><![endif]-->'));
    assert.equal(verified(vml.trackedUrl).target, 'https://example.com/buy');
  });

  test('a plain-text URL becomes a tracked link; linkify:false leaves the text alone', () => {
    const html = '<p>Read it at https://example.com/article?id=7 today.</p>';
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    const [link] = result.links;
    assert.equal(link.linkified, true);
    assert.equal(link.url, 'https://example.com/article?id=7');
    const anchor = `<a href="${link.trackedUrl.replaceAll('&', '&amp;')}">https://example.com/article?id=7</a>`;
    assert.equal(result.html, `<p>Read it at ${anchor} today.</p>`);
    assert.equal(verified(link.trackedUrl).target, 'https://example.com/article?id=7');

    const off = rewriteLinks(html, wrapOptions({ openPixel: false, linkify: false }));
    assert.equal(off.html, html);
    assert.deepEqual(off.links, []);
  });

  test('maxLinks: links past the limit are left as they are (over_limit) with a link_limit warning', () => {
    const html = [1, 2, 3].map((n) => `<a href="https://example.com/${n}">${n}</a>`).join('');
    const result = rewriteLinks(html, wrapOptions({ openPixel: false, maxLinks: 2 }));
    assert.deepEqual(
      result.links.map((link) => link.reason),
      ['tracked', 'tracked', 'over_limit'],
    );
    assert.equal(result.trackedLinks, 2);
    assert.ok(result.html.endsWith('<a href="https://example.com/3">3</a>'));
    assert.deepEqual(
      result.warnings.map((warning) => warning.code),
      ['link_limit'],
    );
  });
});

test('trackClicks:false leaves every link as it is (clicks_off) but still adds the pixel', () => {
  const html = '<body><a href="https://example.com/a">a</a></body>';
  const result = rewriteLinks(html, wrapOptions({ trackClicks: false }));
  assert.deepEqual(
    result.links.map((link) => link.reason),
    ['clicks_off'],
  );
  assert.match(result.html, /^<body><a href="https:\/\/example\.com\/a">a<\/a><img [^>]*><\/body>$/);
});

describe('rewriteLinks: the open pixel', () => {
  /** The one pixel <img> of an output, checked to be a signed pixel URL. */
  function pixelSrc(html) {
    const srcs = [...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
    const pixels = srcs.filter((src) => src.startsWith(`${BASE_URL}/pxl.png?`));
    assert.equal(pixels.length, 1, 'exactly one pixel');
    const open = verified(pixels[0]);
    assert.equal(open.endpoint, 'pixel');
    assert.equal(open.messageId, 'm1');
    return pixels[0];
  }

  test('goes where {{ses:openTracker}} stands', () => {
    const result = rewriteLinks('<body><p>Hi</p>{{ses:openTracker}}<p>Bye</p></body>', wrapOptions());
    assert.equal(result.pixel.inserted, true);
    assert.ok(!result.html.includes('{{ses:openTracker}}'));
    const [before, after] = result.html.split(/<img [^>]*>/);
    assert.equal(before, '<body><p>Hi</p>');
    assert.equal(after, '<p>Bye</p></body>');
    pixelSrc(result.html);
  });

  test('goes just before </body> when there is no placeholder', () => {
    const result = rewriteLinks('<html><body><p>Hi</p></body></html>', wrapOptions());
    assert.equal(result.pixel.inserted, true);
    assert.match(result.html, /^<html><body><p>Hi<\/p><img [^>]*><\/body><\/html>$/);
    pixelSrc(result.html);
  });

  test('goes at the end when there is no </body>', () => {
    const result = rewriteLinks('<p>Hi</p>', wrapOptions());
    assert.equal(result.pixel.inserted, true);
    assert.match(result.html, /^<p>Hi<\/p><img [^>]*>$/);
    pixelSrc(result.html);
  });

  test('openPixel:false inserts nothing', () => {
    const html = '<html><body><p>Hi</p>{{ses:openTracker}}</body></html>';
    const result = rewriteLinks(html, wrapOptions({ openPixel: false }));
    assert.equal(result.pixel.inserted, false);
    assert.equal(result.html, html);
  });
});

describe('rewriteText: plain-text bodies', () => {
  test('bare URLs are replaced by tracked URLs and nothing else changes', () => {
    const text = 'Hello,\nyour order: https://shop.example.com/o/42?x=1 (and www.example.org).\nBye\n';
    const result = rewriteText(text, wrapOptions());
    assert.deepEqual(
      result.links.map((link) => [link.url, link.tracked, link.linkified]),
      [
        ['https://shop.example.com/o/42?x=1', true, true],
        ['http://www.example.org', true, true],
      ],
    );
    const [order, site] = result.links;
    assert.equal(
      result.html,
      `Hello,\nyour order: ${order.trackedUrl} (and ${site.trackedUrl}).\nBye\n`,
    );
    assert.equal(verified(order.trackedUrl).target, 'https://shop.example.com/o/42?x=1');
    assert.equal(verified(site.trackedUrl).target, 'http://www.example.org');
    assert.equal(result.pixel.inserted, false, 'a text body has nowhere to put a pixel');
  });
});

describe("rewriteLinks mode 'ses': prepare links for Amazon SES's own tracking", () => {
  const html =
    '<html><body>' +
    '<a href="https://example.com/a b">spaced</a>' +
    '<a href="https://example.com/c" ses:tags="k:v">tagged</a>' +
    '<a data-no-track href="https://example.com/private">private</a>' +
    '<a href="mailto:x@example.com">mail</a>' +
    '</body></html>';

  test('no clicktrail URL; conformant hrefs; ses:tags with link:N; ses:no-track on opt-outs', () => {
    const result = rewriteLinks(html, { mode: 'ses' });
    assert.ok(!/kid=|sig=|pxl\.png|t\.example\.com/.test(result.html), result.html);
    assert.ok(result.links.every((link) => link.trackedUrl === undefined));
    assert.ok(result.html.includes('<a href="https://example.com/a%20b" ses:tags="link:0">spaced</a>'));
    assert.ok(result.html.includes('<a href="https://example.com/c" ses:tags="k:v;link:1">tagged</a>'));
    assert.ok(result.html.includes('<a href="https://example.com/private" ses:no-track>private</a>'));
    assert.ok(result.html.includes('<a href="mailto:x@example.com">mail</a>'));
    assert.deepEqual(
      result.links.map((link) => link.reason),
      ['tracked', 'tracked', 'opted_out', 'mailto'],
    );
  });

  test('{{ses:openTracker}} is inserted once, just before </body>', () => {
    const result = rewriteLinks(html, { mode: 'ses' });
    assert.equal(result.pixel.inserted, true);
    assert.equal(count(result.html, '{{ses:openTracker}}'), 1);
    assert.ok(result.html.endsWith('{{ses:openTracker}}</body></html>'));

    const already = '<html><body>{{ses:openTracker}}<p>x</p></body></html>';
    const again = rewriteLinks(already, { mode: 'ses' });
    assert.equal(again.html, already, 'an existing placeholder is used, not duplicated');
  });
});

describe('bytes in, bytes out', () => {
  const iso = readFileSync(join(ROOT, NON_UTF8_EMAIL));

  test('the ISO-8859-2 email as Uint8Array: Uint8Array out, every byte outside the edits unchanged', () => {
    // Put a link into the document, right after <body>; the text around it stays ISO-8859-2.
    const at = iso.indexOf('<body>') + '<body>'.length;
    assert.ok(at > 5, 'fixture has a <body>');
    const link = Buffer.from('<a href="https://example.com/\xe9t\xe9">x</a>', 'latin1');
    const input = new Uint8Array(Buffer.concat([iso.subarray(0, at), link, iso.subarray(at)]));
    assert.ok(input.includes(0xd5), 'input has non-UTF-8 bytes');

    const result = rewriteLinks(input, wrapOptions());
    assert.ok(result.html instanceof Uint8Array);
    const output = Buffer.from(result.html);

    // Non-UTF-8 bytes of the URL are percent-encoded as bytes (0xE9 -> %E9).
    const [entry] = result.links;
    assert.equal(verified(entry.trackedUrl).target, 'https://example.com/%E9t%E9');

    // Expected: the input with the href value replaced and one pixel tag inserted.
    const hrefStart = at + '<a href="'.length;
    const hrefEnd = hrefStart + 'https://example.com/\xe9t\xe9'.length;
    const tracked = Buffer.from(entry.trackedUrl.replaceAll('&', '&amp;'));
    const head = Buffer.concat([Buffer.from(input.subarray(0, hrefStart)), tracked]);
    assert.ok(output.subarray(0, head.length).equals(head), 'bytes up to and including the href');
    const pixelAt = result.pixel.offset;
    const middle = Buffer.from(input.subarray(hrefEnd, pixelAt));
    assert.ok(output.subarray(head.length, head.length + middle.length).equals(middle));
    const tail = Buffer.from(input.subarray(pixelAt));
    assert.ok(output.subarray(output.length - tail.length).equals(tail), 'bytes after the pixel');
    const pixelBytes = output.subarray(head.length + middle.length, output.length - tail.length);
    const pixel = pixelBytes.toString('latin1');
    assert.match(pixel, /^<img src="[^"]+"[^>]*>$/);
    assert.ok(tail.toString('latin1').startsWith('</body>'));
  });

  const malformed = {
    'unclosed tags': '<html><body><div><p>unclosed <b>bold <i>and <table><tr><td>cell',
    "stray '<'": 'a < b, 1 <2, <<< >> <> </> <3 and </ p',
    'NUL bytes': 'x\0y<p\0 class="\0">z\0</p\0>',
    'invalid UTF-8': '<p>\xff\xfe\xc0\xaf \xed\xa0\x80 ok</p>',
    'an unterminated comment': '<p>a</p><!-- never closed <a href="https://example.com/">x</a>',
    'an unterminated tag': '<p>a</p><a href="https://example.com/',
    'a long document (the tokenizer releases consumed input)':
      `<html><body>${'<p>Lorem ipsum dolor sit amet.</p>\n'.repeat(400)}</body></html>\n<!-- trailing -->\n`,
  };
  for (const [name, text] of Object.entries(malformed)) {
    test(`malformed HTML without links passes through unchanged: ${name}`, () => {
      const input = new Uint8Array(Buffer.from(text, 'latin1'));
      const result = rewriteLinks(input, wrapOptions({ openPixel: false }));
      assert.ok(result.html instanceof Uint8Array);
      assert.ok(Buffer.from(result.html).equals(Buffer.from(input)));
      assert.equal(result.trackedLinks, 0);
    });
  }
});

describe('bad options and input throw ClicktrailError', () => {
  const html = '<a href="https://example.com/">x</a>';
  const cases = {
    'missing baseUrl in wrap mode': { keyId: KEY_ID, secret: SECRET },
    'a secret shorter than 16 bytes': wrapOptions({ secret: 'short' }),
    'maxLinks of the wrong type': wrapOptions({ maxLinks: '3' }),
    'linkify of the wrong type': wrapOptions({ linkify: 'no' }),
    'an unknown mode': wrapOptions({ mode: 'track-everything' }),
    'a key id with spaces': wrapOptions({ keyId: 'my key' }),
    'a base URL that is not http(s)': wrapOptions({ baseUrl: 'ftp://t.example.com' }),
    'options that are not an object': null,
  };
  for (const [name, options] of Object.entries(cases)) {
    test(name, () => {
      assert.throws(() => rewriteLinks(html, options), (error) => {
        assert.ok(error instanceof ClicktrailError, `${error}`);
        assert.equal(error.name, 'ClicktrailError');
        assert.equal(error.code, 'bad_options');
        assert.ok(error.message.length > 0);
        return true;
      });
    });
  }

  test('input that is neither a string nor bytes', () => {
    assert.throws(() => rewriteLinks(42, wrapOptions()), { name: 'ClicktrailError', code: 'bad_input' });
  });

  test('building a click URL to an unsafe target', () => {
    assert.throws(() => buildClickUrl('javascript:alert(1)', wrapOptions()), ClicktrailError);
  });

  test('a verifier without keys', () => {
    assert.throws(() => createVerifier([]), { name: 'ClicktrailError', code: 'bad_input' });
    assert.throws(() => createVerifier([{ id: KEY_ID }]), { name: 'ClicktrailError', code: 'bad_input' });
  });
});

describe('verifyTrackingUrl and createVerifier', () => {
  const now = 1_700_000_000;
  const target = 'https://shop.example.com/p?id=1&ref=mail';
  const url = buildClickUrl(target, wrapOptions({ expiresAt: now + 3600 }), 4);

  test('a valid URL verifies with all its fields', () => {
    const result = verifyTrackingUrl(url, KEYS, { now });
    assert.deepEqual(result, {
      ok: true,
      endpoint: 'click',
      keyId: KEY_ID,
      messageId: 'm1',
      linkIndex: 4,
      expiresAt: now + 3600,
      target: 'https://shop.example.com/p?id=1&ref=mail',
    });
  });

  const refusals = {
    malformed: () => verifyTrackingUrl(`${BASE_URL}/c`, KEYS, { now }),
    unknown_key: () => verifyTrackingUrl(url, [{ id: 'k2', secret: SECRET }], { now }),
    bad_signature: () =>
      verifyTrackingUrl(url, [{ id: KEY_ID, secret: 'another-secret-0123456789' }], { now }),
    expired: () => verifyTrackingUrl(url, KEYS, { now: now + 3601 }),
    bad_target: () => verifyTrackingUrl(url, KEYS, { now, allowedHosts: ['example.org', '.example.net'] }),
  };
  for (const [code, refuse] of Object.entries(refusals)) {
    test(`refused: ${code}`, () => {
      const result = refuse();
      assert.equal(result.ok, false);
      assert.equal(result.error, code);
      assert.equal(typeof result.message, 'string');
      assert.equal(result.target, undefined, 'a refused URL gives no redirect target');
    });
  }

  test('parameters clicktrail does not know (added by a mail client or scanner) are ignored', () => {
    const result = verifyTrackingUrl(`${url}&utm_source=scanner&x=1`, KEYS, { now });
    assert.equal(result.ok, true);
    assert.equal(result.target, 'https://shop.example.com/p?id=1&ref=mail');
  });

  test('a parameter given twice is refused, so the edge and a report cannot disagree', () => {
    const result = verifyTrackingUrl(`${url}&r=https://evil.example/`, KEYS, { now });
    assert.deepEqual([result.ok, result.error], [false, 'malformed']);
  });

  test('allowedHosts with a leading dot admits subdomains', () => {
    assert.equal(verifyTrackingUrl(url, KEYS, { now, allowedHosts: ['.example.com'] }).ok, true);
    assert.equal(verifyTrackingUrl(url, KEYS, { now, allowedHosts: ['shop.example.com'] }).ok, true);
  });

  test('one verifier checks many URLs, with rotated keys', () => {
    const previous = { id: 'k0', secret: 'the-previous-secret-0123' };
    const rotated = createVerifier([...KEYS, previous]);
    try {
      for (let i = 0; i < 200; i++) {
        const target = `https://example.com/item/${i}?q=${i * 7}`;
        const keyed = i % 2 ? wrapOptions() : wrapOptions({ keyId: previous.id, secret: previous.secret });
        const result = rotated.verify(buildClickUrl(target, keyed, i));
        assert.equal(result.ok, true);
        assert.equal(result.target, target);
        assert.equal(result.linkIndex, i);
        assert.equal(result.keyId, i % 2 ? KEY_ID : 'k0');
      }
      assert.equal(rotated.verify(url.replace('m1', 'm2')).error, 'bad_signature');
    } finally {
      rotated.dispose();
    }
    // The core is called by the object's address: a disposed verifier must refuse, not reach it.
    assert.throws(() => rotated.verify(url), { code: 'bad_input', message: /disposed/ });
  });

  test('buildClickUrl and buildPixelUrl round-trip every field through verify', () => {
    const options = wrapOptions({
      recipientId: 'r-42',
      orderId: 'o1',
      campaignId: 'c 1',
      publicationId: 'p1',
      channel: 'email',
      creative: 'hero&co',
      size: '600x300',
      tags: 'team:growth;kind:promo',
      expiresAt: now + 10,
    });
    const landing = 'https://example.com/landing#top';
    const click = verifyTrackingUrl(buildClickUrl(landing, options, 9), KEYS, { now });
    const common = {
      ok: true,
      keyId: KEY_ID,
      messageId: 'm1',
      recipientId: 'r-42',
      tags: { team: 'growth', kind: 'promo' },
      orderId: 'o1',
      campaignId: 'c 1',
      publicationId: 'p1',
      channel: 'email',
      creative: 'hero&co',
      size: '600x300',
      expiresAt: now + 10,
    };
    assert.deepEqual(click, { ...common, endpoint: 'click', linkIndex: 9, target: landing });
    const pixel = verifyTrackingUrl(buildPixelUrl(options), KEYS, { now });
    assert.deepEqual(pixel, { ...common, endpoint: 'pixel' });
  });
});

describe('recipients', () => {
  test('the address never appears in any URL; its recipientId does', () => {
    const options = wrapOptions({ recipient: 'alice@example.com' });
    const result = rewriteLinks(
      '<html><body><a href="https://example.com/a">a</a> see https://example.com/b</body></html>',
      options,
    );
    assert.ok(!/alice/i.test(result.html), result.html);
    assert.equal(result.trackedLinks, 2);
    const expected = recipientId('alice@example.com', SECRET);
    for (const link of result.links) assert.equal(verified(link.trackedUrl).recipientId, expected);
    const pixel = buildPixelUrl(options);
    assert.ok(!/alice/i.test(pixel));
    assert.equal(verified(pixel).recipientId, expected);
  });

  test('recipientId is stable for one address and secret, and differs across secrets', () => {
    const id = recipientId('alice@example.com', SECRET);
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(recipientId('alice@example.com', SECRET), id);
    assert.equal(recipientId('  Alice@Example.COM ', SECRET), id, 'trimmed and case-folded');
    assert.notEqual(recipientId('alice@example.com', 'another-secret-0123456789'), id);
    assert.notEqual(recipientId('bob@example.com', SECRET), id);
  });
});

describe('createEdge refuses keys and allowlists that would fail silently', () => {
  test('an empty or short secret, a repeated key id, a URL as allowed host', async () => {
    const { createEdge, ClicktrailError } = await import('clicktrail');
    const good = { id: 'k1', secret: 'edge-secret-0123456789ab' };
    assert.throws(() => createEdge({ keys: [{ id: 'k1', secret: '' }] }), ClicktrailError);
    assert.throws(() => createEdge({ keys: [{ id: 'k1', secret: 'short' }] }), ClicktrailError);
    assert.throws(() => createEdge({ keys: [good, { ...good, secret: 'other-secret-0123456789' }] }), ClicktrailError);
    assert.throws(() => createEdge({ keys: [good], allowedHosts: ['https://shop.example.com'] }), ClicktrailError);
    const edge = createEdge({ keys: [good], allowedHosts: ['.example.com'] });
    assert.equal(edge.handle('GET', 'https://t.example.com/languages/c').action, 'pass');
    assert.throws(() => edge.handle('GET', undefined), { code: 'bad_input', message: /strings/ });
    assert.throws(() => edge.handle('GET', 'https://t.example.com/c', 42), { code: 'bad_input' });
    edge.dispose();
    assert.throws(() => edge.handle('GET', 'https://t.example.com/c'), { code: 'bad_input', message: /disposed/ });
  });
});

describe('browser previews', () => {
  test('an unsigned preview needs no secret and its links never verify', () => {
    const html = '<a href="https://shop.example.com/a"><img src="a.png"></a>';
    const preview = rewriteLinks(html, { baseUrl: BASE_URL, sign: false, messageId: 'm1' });
    const [link] = preview.links;
    assert.equal(link.tracked, true);
    assert.doesNotMatch(link.trackedUrl, /[?&](sig|kid)=/);
    assert.equal(link.content, 'image_without_alt');
    assert.deepEqual(preview.warnings.map((w) => w.code), ['image_without_alt']);
    assert.equal(verifyTrackingUrl(link.trackedUrl, KEYS).error, 'malformed');
    // The signed URL is the preview's plus the key id and the signature.
    const signed = rewriteLinks(html, wrapOptions());
    assert.ok(signed.links[0].trackedUrl.startsWith(`${link.trackedUrl}&kid=${KEY_ID}&sig=`));
    assert.throws(
      () => rewriteLinks(html, { baseUrl: BASE_URL, sign: false, recipient: 'a@example.com' }),
      /recipientId/,
    );
  });
});
