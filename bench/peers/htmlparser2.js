// Link wrapping with htmlparser2's streaming Parser, the honest JS streaming approach: the
// parser reports each attribute with its start and end index in the input, and the tracked
// href is spliced into the original text; everything else comes out unchanged. Optionally
// linkifies plain-text URLs with linkify-it (outside <a>, <script>, <style>, <title>,
// <textarea>). Comments, conditional ones included, are opaque to it: Outlook's VML buttons in
// <!--[if mso]> are not seen.
import { Parser } from 'htmlparser2';
import { LinkifyIt } from 'linkify-it';
import { createTracker, escapeAttribute, isHttpUrl, trimUrl } from './tracking-url.js';

// Only what clicktrail linkifies: http(s):// and www. (linkify-it's fuzzy links also take bare
// "example.com", filtered out below; no e-mail addresses, ftp:, mailto: or "//host").
export const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: false })
  .add('ftp:', null)
  .add('mailto:', null)
  .add('//', null);

// Text that cannot hold an http(s):// or www. link skips linkify-it (whose fuzzy search for
// bare host names is most of its cost); the rest gets test() and then match(), as its README
// recommends.
const MAY_HOLD_LINK = /:\/\/|www\./i;

/** The http(s) and www. matches of linkify-it in `text`, or []. */
export function findTextUrls(text) {
  if (!MAY_HOLD_LINK.test(text) || !linkify.test(text)) return [];
  const matches = linkify.match(text);
  if (!matches) return [];
  return matches.filter((m) => m.schema === 'http:' || m.schema === 'https:' || (m.schema === '' && /^www\./i.test(m.raw)));
}

const NAMED = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

/** Character references in raw HTML text found by linkify-it (the common ones). */
export function decodeTextEntities(text) {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|quot|apos|lt|gt|nbsp));/gi, (whole, hex, dec, name) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number(dec));
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

const NO_LINKIFY = new Set(['a', 'script', 'style', 'title', 'textarea']);

/**
 * Wraps every http(s) href of <a> and <area> in `html` (a string), and with `linkifyText` every
 * plain-text URL. Returns {html, targets}: the targets in document order.
 */
export function wrapLinks(html, { linkifyText = false } = {}) {
  const track = createTracker();
  const targets = [];
  const edits = []; // [start, end, replacement], in increasing order
  let tag = '';
  let hrefSeen = false;
  let skipDepth = 0; // open elements whose text is never linkified
  let textStart = -1;
  let textEnd = -1;

  const flushText = () => {
    if (textStart < 0) return;
    const start = textStart;
    const raw = html.slice(start, textEnd);
    textStart = -1;
    if (skipDepth > 0) return;
    for (const match of findTextUrls(raw)) {
      const target = decodeTextEntities(match.url);
      const tracked = track(target, targets.length);
      targets.push(target);
      edits.push([start + match.index, start + match.lastIndex, `<a href="${escapeAttribute(tracked)}">${match.raw}</a>`]);
    }
  };

  const handler = {
    onopentagname(name) {
      if (linkifyText) {
        flushText();
        if (NO_LINKIFY.has(name)) skipDepth += 1;
      }
      tag = name;
      hrefSeen = false;
    },
    onattribute(name, value, quote) {
      if (name !== 'href' || (tag !== 'a' && tag !== 'area') || hrefSeen) return;
      hrefSeen = true; // the first of duplicated attributes is the one browsers use
      if (quote === undefined) return; // no value
      const url = trimUrl(value);
      if (!isHttpUrl(url)) return;
      const tracked = track(url, targets.length);
      targets.push(url);
      // startIndex: the attribute name; endIndex: just past the value (and its quote).
      edits.push([parser.startIndex, parser.endIndex, `href="${escapeAttribute(tracked)}"`]);
    },
  };
  if (linkifyText) {
    Object.assign(handler, {
      ontext() {
        if (textStart < 0) textStart = parser.startIndex;
        textEnd = parser.endIndex + 1;
      },
      onclosetag(name) {
        flushText();
        if (NO_LINKIFY.has(name) && skipDepth > 0) skipDepth -= 1;
      },
      oncomment: flushText,
      onprocessinginstruction: flushText,
      onend: flushText,
    });
  }
  const parser = new Parser(handler);
  parser.end(html);

  let out = '';
  let at = 0;
  for (const [start, end, replacement] of edits) {
    out += html.slice(at, start) + replacement;
    at = end;
  }
  out += html.slice(at);
  return { html: out, targets };
}
