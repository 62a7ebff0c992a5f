// Link wrapping with two regular expressions, the quick approach: an href="..." (or '...')
// replace on <a>/<area> tags, then a plain-URL replace on text, skipping URLs that are the text
// of a link (the usual `(?![^<]*</a>)` look-ahead). Fast, and knowingly wrong on unquoted
// attributes, Outlook's VML, comments, scripts and character references other than &amp;.
import { createTracker, escapeAttribute } from './tracking-url.js';

const HREF = /(<(?:a|area)\s[^>]*?\bhref\s*=\s*)(?:"\s*(https?:\/\/[^"]*?)\s*"|'\s*(https?:\/\/[^']*?)\s*')/gi;
const PLAIN_URL = /(^|[\s>])((?:https?:\/\/|www\.)[^\s<>"']+)(?![^<]*<\/a>)/gi;
const TRAILING = /[.,;:!?'")\]]+$/;

/** {html, targets} for one email (a string); `linkifyText` adds the plain-URL pass. */
export function wrapLinks(html, { linkifyText = true } = {}) {
  const track = createTracker();
  const targets = [];
  let out = html.replace(HREF, (_, before, double, single) => {
    const url = (double ?? single).replace(/&amp;/g, '&');
    const tracked = track(url, targets.length);
    targets.push(url);
    return `${before}"${escapeAttribute(tracked)}"`;
  });
  if (linkifyText) {
    out = out.replace(PLAIN_URL, (_, before, candidate) => {
      const trailing = TRAILING.exec(candidate)?.[0] ?? '';
      const text = candidate.slice(0, candidate.length - trailing.length);
      let url = text.replace(/&amp;/g, '&');
      if (/^www\./i.test(url)) url = `http://${url}`;
      const tracked = track(url, targets.length);
      targets.push(url);
      return `${before}<a href="${escapeAttribute(tracked)}">${text}</a>${trailing}`;
    });
  }
  return { html: out, targets };
}
