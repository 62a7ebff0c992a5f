// Link wrapping the way most people write it: cheerio loads the whole document (parse5 under
// the hood), the hrefs of a[href] and area[href] are changed, and the document is serialised
// again. Comments (Outlook's conditional ones included) are opaque; the output is cheerio's
// re-serialisation, not the original bytes.
import { load } from 'cheerio';
import { createTracker, isHttpUrl, trimUrl } from './tracking-url.js';

/** {html, targets} for one email (a string). */
export function wrapLinks(html) {
  const track = createTracker();
  const targets = [];
  const $ = load(html);
  $('a[href], area[href]').each((_, element) => {
    const link = $(element);
    const url = trimUrl(link.attr('href'));
    if (!isHttpUrl(url)) return;
    link.attr('href', track(url, targets.length));
    targets.push(url);
  });
  return { html: $.html(), targets };
}
