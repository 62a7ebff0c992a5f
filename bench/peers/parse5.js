// Link wrapping with parse5 (the spec-compliant parser cheerio and jsdom use) directly: parse
// the document, walk the tree, change the href of every <a> and <area>, serialise. Comments are
// opaque; the output is parse5's re-serialisation.
import { parse, serialize } from 'parse5';
import { createTracker, isHttpUrl, trimUrl } from './tracking-url.js';

/** {html, targets} for one email (a string). */
export function wrapLinks(html) {
  const track = createTracker();
  const targets = [];
  const document = parse(html);
  const stack = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node.tagName === 'a' || node.tagName === 'area') {
      const href = node.attrs.find((attr) => attr.name === 'href');
      const url = href && trimUrl(href.value);
      if (url && isHttpUrl(url)) {
        href.value = track(url, targets.length);
        targets.push(url);
      }
    }
    // Children in reverse so that links are met in document order.
    const children = node.tagName === 'template' ? node.content.childNodes : node.childNodes;
    if (children) for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]);
  }
  return { html: serialize(document), targets };
}
