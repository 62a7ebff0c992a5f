// The composer's logic (web/composer/composer-model.js) on real reports from the WASM core: the
// rows an author sees, where the pixel goes, and the opt-out edit written into the source.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rewriteLinks, rewriteText } from 'clicktrail';
import {
  byteToIndexMapper,
  linkRows,
  pixelPlacement,
  setOptOut,
  summarize,
} from '../../web/composer/composer-model.js';

const PREVIEW = { baseUrl: 'https://t.example.com', sign: false, messageId: 'm1' };
const preview = (html, options = {}) => rewriteLinks(html, { ...PREVIEW, ...options });

const EMAIL = `<html><body>
<p>Sale at https://shop.example.com/spring, ask <a href="mailto:help@example.com">us</a>.</p>
<!--[if mso]><v:roundrect href="https://shop.example.com/jackets"><center>Jackets</center></v:roundrect><![endif]-->
<!--[if !mso]><!--><a href="https://shop.example.com/jackets">Jackets</a><!--<![endif]-->
<a href="https://shop.example.com/look"><img src="look.png"></a>
<a href="javascript:alert(1)">Do not</a>
<a data-no-track href="https://example.com/account">Account</a>
</body></html>`;

describe('composer rows', () => {
  test('one row per link, the Outlook copy merged, each with its reason in words', () => {
    const rows = linkRows(preview(EMAIL));
    assert.deepEqual(
      rows.map((row) => [row.index, row.reason, row.tone, row.text, row.notes]),
      [
        [0, 'tracked', 'tracked', 'Tracked', ['plain URL turned into a link']],
        [1, 'mailto', 'skipped', 'Not tracked: mailto: link', []],
        [2, 'tracked', 'tracked', 'Tracked', ['Outlook (VML) button']],
        [3, 'tracked', 'tracked', 'Tracked', ['image-only link without alt text']],
        [4, 'unsafe_scheme', 'blocked', 'Blocked: javascript:, data: or vbscript: link', []],
        [5, 'opted_out', 'skipped', 'Not tracked: opted out', []],
      ],
    );
    assert.deepEqual(rows[2].elements, ['v:roundrect', 'a']);
    assert.equal(rows[2].offsets.length, 2);
    assert.deepEqual(rows.map((row) => row.canOptOut), [true, false, true, true, false, true]);
    assert.equal(
      summarize(rows, preview(EMAIL)).text,
      '3 of 6 links tracked · 1 to check · 1 image link without alt text',
    );
  });

  test('links past the limit are named with the limit in force', () => {
    const html = Array.from({ length: 4 }, (_, i) => `<a href="https://x.example/${i}">${i}</a>`).join('');
    const rows = linkRows(preview(html, { maxLinks: 3 }), { maxLinks: 3 });
    assert.deepEqual(rows.map((row) => row.reason), ['tracked', 'tracked', 'tracked', 'over_limit']);
    assert.equal(rows[3].text, 'Not tracked: over the 3-link limit');
    assert.equal(rows[3].tone, 'blocked');
  });

  test('plain-text emails cannot carry an opt-out marker', () => {
    const rows = linkRows(rewriteText('Go to https://x.example/a now', PREVIEW), { format: 'text' });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].canOptOut, false);
  });
});

describe('where the open pixel goes', () => {
  test('the placeholder, else before </body>, else the end, with its line', () => {
    const placeholder = '<p>é</p>\n{{ses:openTracker}}\n</body>';
    assert.equal(pixelPlacement(preview(placeholder), placeholder).text, 'Open pixel replaces {{ses:openTracker}} on line 2');
    const body = '<body>\n<p>ü</p>\n</body>';
    assert.equal(pixelPlacement(preview(body), body).text, 'Open pixel goes just before </body> (line 3)');
    assert.equal(pixelPlacement(preview('<p>hi</p>'), '<p>hi</p>').text, 'Open pixel goes at the end of the email');
    assert.equal(pixelPlacement(preview(body, { openPixel: false }), body, { openPixel: false }).inserted, false);
  });
});

describe('the per-link "do not track" switch', () => {
  const rowFor = (html, index) => linkRows(preview(html)).find((row) => row.index === index);

  test('opting out writes data-no-track on every copy of the link, opting in removes it', () => {
    const rows = linkRows(preview(EMAIL));
    const out = setOptOut(EMAIL, rows[2], true);
    assert.match(out, /<v:roundrect data-no-track href="https:\/\/shop.example.com\/jackets">/);
    assert.match(out, /<a data-no-track href="https:\/\/shop.example.com\/jackets">Jackets<\/a>/);
    const again = linkRows(preview(out));
    assert.equal(again.find((row) => row.index === 2).reason, 'opted_out');
    assert.equal(setOptOut(out, again.find((row) => row.index === 2), false), EMAIL);
  });

  test('every marker spelling comes off, quotes and all, and nothing else changes', () => {
    const html = `<a ses:no-track='' href="https://x.example/a" clicktrail:no-track class=x>A</a>`;
    assert.equal(setOptOut(html, rowFor(html, 0), false), '<a href="https://x.example/a" class=x>A</a>');
  });

  test('a plain URL becomes an anchor carrying the marker, after multi-byte text', () => {
    const html = '<p>Grüße 🌷 www.example.com/stores.</p>';
    const row = rowFor(html, 0);
    assert.equal(row.url, 'http://www.example.com/stores');
    const out = setOptOut(html, row, true);
    assert.equal(out, '<p>Grüße 🌷 <a href="http://www.example.com/stores" data-no-track>www.example.com/stores</a>.</p>');
    assert.equal(rowFor(out, 0).reason, 'opted_out');
  });

  test('a link the switch does not apply to leaves the source alone', () => {
    assert.equal(setOptOut(EMAIL, rowFor(EMAIL, 1), true), EMAIL);
  });
});

test('byte offsets map to string indexes across 2-, 3- and 4-byte characters', () => {
  const text = 'aé€🌷b';
  const toIndex = byteToIndexMapper(text);
  assert.deepEqual([0, 1, 3, 6, 10].map(toIndex), [0, 1, 2, 3, 5]);
  assert.equal(toIndex(1), 1); // asking backwards starts the walk again
});

describe('the switch on awkward sources', () => {
  const rowFor = (html, index) => linkRows(preview(html)).find((row) => row.index === index);

  test('a plain URL written with &amp; is found as written and kept so', () => {
    const html = '<p>See https://x.example/?a=1&amp;b=2 today</p>';
    const row = rowFor(html, 0);
    assert.equal(row.url, 'https://x.example/?a=1&b=2');
    assert.equal(
      setOptOut(html, row, true),
      '<p>See <a href="https://x.example/?a=1&amp;b=2" data-no-track>https://x.example/?a=1&amp;b=2</a> today</p>',
    );
  });

  test('marker words inside another attribute value are left alone', () => {
    const html = '<a title="add data-no-track here" data-no-track href="https://x.example/a">A</a>';
    assert.equal(
      setOptOut(html, rowFor(html, 0), false),
      '<a title="add data-no-track here" href="https://x.example/a">A</a>',
    );
  });
});
