// Do the link-wrapping tools wrap the same links? Per email, the SET of original http(s)
// targets each tool wrapped is compared with clicktrail's, and every difference is explained
// from clicktrail's link report and the source: VML in a conditional comment, an unquoted href,
// a URL in a comment or a script, a template tag clicktrail refuses to sign, a plain-text URL
// that ends differently, ... Differences are findings about the tools, not failures.
import { trimUrl } from '../peers/tracking-url.js';

// What clicktrail's report says about a link it tracked (and a peer did not).
function describeTracked(link, source) {
  const parts = [];
  if (link.linkified) parts.push('plain-text URL');
  else {
    parts.push(link.element.startsWith('v:') ? `VML <${link.element}>` : `<${link.element}>`);
    const tag = source.subarray(link.offset, link.offset + 4000).toString('latin1');
    const end = tag.indexOf('>');
    const attr = /\shref\s*=\s*(["']?)/i.exec(end < 0 ? tag : tag.slice(0, end + 1));
    if (attr && attr[1] === '') parts.push('unquoted href');
    const value = attr && tag.slice(attr.index + attr[0].length, tag.indexOf(attr[1] || '>', attr.index + attr[0].length));
    if (value && /&(?!amp;)[#a-z0-9]+;?/i.test(value)) parts.push('character reference in href');
  }
  if (link.conditionalComment) parts.push('in a conditional comment');
  return parts.join(', ');
}

// What surrounds position `at` of the source text: a comment, a raw-text element, a tag's
// attribute, a link's text, or text.
function contextAt(text, at) {
  const before = text.slice(0, at);
  const comment = before.lastIndexOf('<!--');
  if (comment > before.lastIndexOf('-->')) {
    return text.startsWith('<!--[if', comment) ? 'in a conditional comment, no link element' : 'in an HTML comment';
  }
  const lower = before.toLowerCase();
  for (const raw of ['script', 'style', 'title', 'textarea']) {
    if (lower.lastIndexOf(`<${raw}`) > lower.lastIndexOf(`</${raw}`)) return `in <${raw}>`;
  }
  const open = before.lastIndexOf('<');
  if (open > before.lastIndexOf('>')) {
    const name = /^<\/?([a-zA-Z][^\s/>]*)/.exec(text.slice(open))?.[1]?.toLowerCase() ?? '?';
    return `in an attribute of <${name}>`;
  }
  if (lower.lastIndexOf('<a ') > lower.lastIndexOf('</a')) return 'text of a link';
  return 'in text';
}

// Every place a target appears in the source (as written, with &amp;, or without the http://
// that www. links get).
function occurrences(target, text) {
  const forms = new Set([target, target.replace(/&/g, '&amp;'), target.replace(/^http:\/\/(?=www\.)/i, '')]);
  const found = [];
  for (const form of forms) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length)) found.push(at);
  }
  return found.sort((a, b) => a - b);
}

// Where a target a peer wrapped (and clicktrail did not) sits in the source.
function describeUntracked(target, links, text) {
  const link = links.find((l) => trimUrl(l.url) === target);
  if (link) return `clicktrail: ${link.reason}${link.conditionalComment ? ' (in a conditional comment)' : ''}`;
  const [at] = occurrences(target, text);
  return at === undefined ? 'not in the source as written (decoded differently)' : contextAt(text, at);
}

// The places of a target outside link hrefs: where a tool that wraps it more often found it.
function describeExtraOccurrences(target, text) {
  const places = occurrences(target, text)
    .map((at) => contextAt(text, at))
    .filter((c) => c !== 'in an attribute of <a>' && c !== 'in an attribute of <area>');
  return places.length ? [...new Set(places)].join('; ') : 'no other occurrence found';
}

/**
 * Compares one tool with clicktrail over the corpus. `emails`: [{path, source: Buffer, text:
 * string, reference: clicktrail's {links}, targets: the tool's wrapped targets}]; `linkified`:
 * whether the tool linkifies plain text (else clicktrail's plain-text links are left out).
 * Returns {emails, agreeing, onlyClicktrail, onlyTool, groups: [{side, why, count, examples}]}.
 */
export function compareTargets(emails, { linkified }) {
  const groups = new Map();
  const add = (side, why, email, detail) => {
    const key = `${side}\u0000${why}`;
    if (!groups.has(key)) groups.set(key, { side, why, count: 0, examples: [] });
    const group = groups.get(key);
    group.count += 1;
    if (group.examples.length < 3) group.examples.push({ email: email.path, ...detail });
  };
  let agreeing = 0;
  let onlyClicktrail = 0;
  let onlyTool = 0;
  for (const email of emails) {
    const tracked = email.reference.links.filter((l) => l.tracked && (linkified || !l.linkified));
    const ours = new Set(tracked.map((l) => trimUrl(l.url)));
    const theirs = new Set(email.targets.map(trimUrl));
    let missing = [...ours].filter((t) => !theirs.has(t));
    let extra = [...theirs].filter((t) => !ours.has(t));
    // Not part of the set comparison, but worth a line: a target both wrapped, a different
    // number of times (Outlook's VML copy of a button has the same target as its HTML copy).
    for (const target of ours) {
      if (!theirs.has(target)) continue;
      const links = tracked.filter((l) => trimUrl(l.url) === target);
      const toolCount = email.targets.filter((t) => trimUrl(t) === target).length;
      if (links.length === toolCount) continue;
      const more = links.length > toolCount;
      const where = more
        ? `clicktrail's: ${[...new Set(links.map((l) => describeTracked(l, email.source)))].join('; ')}`
        : `elsewhere: ${describeExtraOccurrences(target, email.text)}`;
      add(more ? 'clicktrail more often' : 'tool more often', `same target, wrapped ${links.length}x vs ${toolCount}x (${where})`, email, { target });
    }
    if (missing.length === 0 && extra.length === 0) {
      agreeing += 1;
      continue;
    }
    onlyClicktrail += missing.length;
    onlyTool += extra.length;
    // The same link read differently by the two: one URL a prefix of the other (trailing
    // punctuation, a bracket), or the same start with a character reference decoded differently.
    for (const m of [...missing]) {
      const e = extra.find((x) => x.startsWith(m) || m.startsWith(x) || commonPrefix(x, m) >= 0.6 * Math.min(x.length, m.length));
      if (!e) continue;
      const clicktrailLink = tracked.find((l) => trimUrl(l.url) === m);
      const what = clicktrailLink?.linkified ? 'plain-text URL' : 'href';
      const how = e.startsWith(m) || m.startsWith(e) ? 'ends differently' : 'decoded differently';
      add('both', `${what} ${how}`, email, { clicktrail: m, tool: e });
      missing = missing.filter((x) => x !== m);
      extra = extra.filter((x) => x !== e);
    }
    for (const m of missing) {
      const link = tracked.find((l) => trimUrl(l.url) === m);
      add('clicktrail only', describeTracked(link, email.source), email, { target: m, line: link.line });
    }
    for (const e of extra) add('tool only', describeUntracked(e, email.reference.links, email.text), email, { target: e });
  }
  return {
    emails: emails.length,
    agreeing,
    onlyClicktrail,
    onlyTool,
    groups: [...groups.values()].sort((a, b) => b.count - a.count),
  };
}

function commonPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

/** Occurrences of `needle` in `text`. */
export function countOccurrences(text, needle) {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}
