// What the composer shows about an email, computed from the core's rewrite report: one row per
// link (the Outlook VML copy of a button shares its row with the HTML copy), why each link is or
// is not tracked, where the open pixel went, and the edit that opts a link out in the source.
// No DOM here, so Node's test runner covers it.

// Why a link is not tracked, in the author's words. `tone` picks the row's colour and icon
// (always with the text): tracked, skipped (fine as it is), blocked (a problem to fix).
const REASONS = {
  tracked: { tone: 'tracked', text: 'Tracked' },
  mailto: { tone: 'skipped', text: 'Not tracked: mailto: link' },
  tel: { tone: 'skipped', text: 'Not tracked: tel: link' },
  sms: { tone: 'skipped', text: 'Not tracked: sms: link' },
  fragment: { tone: 'skipped', text: 'Not tracked: link within the email (#)' },
  empty: { tone: 'blocked', text: 'Not tracked: empty link' },
  relative: { tone: 'blocked', text: 'Not tracked: relative link (no host to go to)' },
  other_scheme: { tone: 'skipped', text: 'Not tracked: not an http(s) link' },
  unsafe_scheme: { tone: 'blocked', text: 'Blocked: javascript:, data: or vbscript: link' },
  template_tag: { tone: 'skipped', text: 'Not tracked: merge tag in the URL' },
  opted_out: { tone: 'skipped', text: 'Not tracked: opted out' },
  unsubscribe: { tone: 'skipped', text: 'Not tracked: unsubscribe link' },
  invalid_url: { tone: 'blocked', text: 'Not tracked: not a valid URL' },
  over_limit: { tone: 'blocked', text: 'Not tracked: over the link limit' },
  clicks_off: { tone: 'skipped', text: 'Not tracked: click tracking is off' },
};

export function describeReason(reason, maxLinks = 250) {
  const known = REASONS[reason] ?? { tone: 'blocked', text: `Not tracked: ${reason}` };
  if (reason === 'over_limit') return { ...known, text: `Not tracked: over the ${maxLinks}-link limit` };
  return known;
}

/**
 * Maps UTF-8 byte offsets (the core's) to string indexes (the textarea's). Offsets must be
 * asked for in increasing order or the walk starts again; each call is O(distance).
 */
export function byteToIndexMapper(text) {
  let index = 0;
  let byte = 0;
  return (offset) => {
    if (offset < byte) {
      index = 0;
      byte = 0;
    }
    while (byte < offset && index < text.length) {
      const code = text.codePointAt(index);
      byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      index += code > 0xffff ? 2 : 1;
    }
    return index;
  };
}

/**
 * One row per link index, in document order: {index, url, tracked, reason, tone, text, notes,
 * elements, offsets (UTF-8), line, linkified, outlook, content, trackedUrl, canOptOut, optedOut}.
 */
export function linkRows(report, { maxLinks = 250, format = 'html' } = {}) {
  const rows = new Map();
  for (const link of report.links) {
    let row = rows.get(link.index);
    if (!row) {
      const reason = describeReason(link.reason, maxLinks);
      row = {
        index: link.index,
        url: link.url,
        tracked: link.tracked,
        reason: link.reason,
        tone: reason.tone,
        text: reason.text,
        notes: [],
        elements: [],
        offsets: [],
        line: link.line,
        linkified: false,
        outlook: false,
        content: null,
        trackedUrl: link.trackedUrl ?? null,
      };
      rows.set(link.index, row);
    }
    row.elements.push(link.element);
    row.offsets.push(link.offset);
    row.linkified ||= link.linkified;
    row.outlook ||= link.element.startsWith('v:');
    if (link.content) row.content = link.content;
    if (!row.trackedUrl && link.trackedUrl) row.trackedUrl = link.trackedUrl;
  }
  return [...rows.values()].map((row) => {
    if (row.linkified) row.notes.push('plain URL turned into a link');
    if (row.outlook) row.notes.push('Outlook (VML) button');
    if (row.content === 'image_without_alt') row.notes.push('image-only link without alt text');
    if (row.content === 'empty') row.notes.push('link with nothing to click');
    row.optedOut = row.reason === 'opted_out';
    // Plain-text bodies have no markup to carry the marker; linkified URLs get one by becoming
    // a real anchor; every tag-based link takes the attribute.
    row.canOptOut = format === 'html' && (row.tracked || row.optedOut || row.reason === 'over_limit');
    return row;
  });
}

/** Where the open pixel went, in words, from the report and the source it was made from. */
export function pixelPlacement(report, source, { openPixel = true, placeholder = '{{ses:openTracker}}' } = {}) {
  if (!openPixel) return { inserted: false, text: 'Open tracking is off: no pixel' };
  if (!report.pixel?.inserted) return { inserted: false, text: 'No open pixel' };
  // Byte work only: decoding a 100 KB prefix to count its lines would cost more than the rewrite.
  const bytes = new TextEncoder().encode(source);
  const offset = report.pixel.offset;
  // Whether ASCII `text` is at the pixel's offset, in any letter case.
  const at = (text) =>
    [...text].every((c, i) => String.fromCharCode(bytes[offset + i] ?? 0).toLowerCase() === c.toLowerCase());
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) line++;
  if (placeholder && at(placeholder)) {
    return { inserted: true, line, text: `Open pixel replaces ${placeholder} on line ${line}` };
  }
  if (at('</body')) {
    return { inserted: true, line, text: `Open pixel goes just before </body> (line ${line})` };
  }
  return { inserted: true, line, text: 'Open pixel goes at the end of the email' };
}

const NO_TRACK_MARKERS = new Set(['data-no-track', 'ses:no-track', 'clicktrail:no-track']);
// One attribute with the whitespace before it; a quoted value is consumed whole, so marker
// words inside another attribute's value are never touched.
const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/y;

// The tag starting at `start` without its opt-out markers, and the index after its '>'.
function tagWithoutMarkers(source, start) {
  const name = /<[^\s/>]+/y;
  name.lastIndex = start;
  name.exec(source);
  let kept = source.slice(start, name.lastIndex);
  let at = name.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = at;
    const attribute = ATTRIBUTE.exec(source);
    if (!attribute) break;
    if (!NO_TRACK_MARKERS.has(attribute[1].toLowerCase())) kept += attribute[0];
    at = ATTRIBUTE.lastIndex;
  }
  const close = source.indexOf('>', at);
  const end = close < 0 ? source.length : close + 1;
  return { tag: kept + source.slice(at, end), end };
}

// The plain URL `url` as written at `start`: the report's URL is decoded ("&amp;" is "&") and
// may have gained "http://"; the length is what the source holds.
function writtenUrlLength(source, start, url) {
  const shown = url.startsWith('http://') && !/^http:\/\//i.test(source.slice(start, start + 7))
    ? url.slice('http://'.length)
    : url;
  const pattern = [...shown]
    .map((c) => (c === '&' ? '(?:&amp;|&#0*38;|&#x0*26;|&)' : c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')))
    .join('');
  const match = new RegExp(pattern, 'iy');
  match.lastIndex = start;
  return match.exec(source) ? match.lastIndex - start : 0;
}

function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The source with the link of `row` opted out of tracking (`optOut` true: a `data-no-track`
 * marker on each of its tags, a plain URL wrapped in an anchor carrying it) or back in (every
 * marker on its tags removed). Edits run back to front so earlier offsets stay valid.
 */
export function setOptOut(source, row, optOut) {
  if (!row.canOptOut) return source;
  const toIndex = byteToIndexMapper(source);
  const starts = row.offsets.map((offset) => toIndex(offset));
  let result = source;
  for (const start of starts.sort((a, b) => b - a)) {
    if (result[start] !== '<') {
      // A plain URL becomes an anchor carrying the marker, its text as it was.
      const length = optOut ? writtenUrlLength(result, start, row.url) : 0;
      if (!length) continue;
      const written = result.slice(start, start + length);
      const anchor = `<a href="${escapeAttribute(row.url)}" data-no-track>${written}</a>`;
      result = result.slice(0, start) + anchor + result.slice(start + length);
      continue;
    }
    const { tag, end } = tagWithoutMarkers(result, start);
    const name = /^<[^\s/>]+/.exec(tag)[0];
    const edited = optOut ? `${name} data-no-track${tag.slice(name.length)}` : tag;
    result = result.slice(0, start) + edited + result.slice(end);
  }
  return result;
}

/** The status line: "7 of 10 links tracked" plus the counts an author should act on. */
export function summarize(rows, report) {
  const tracked = rows.filter((row) => row.tracked).length;
  const blocked = rows.filter((row) => row.tone === 'blocked').length;
  const parts = [`${tracked} of ${rows.length} link${rows.length === 1 ? '' : 's'} tracked`];
  if (blocked) parts.push(`${blocked} to check`);
  const noAlt = rows.filter((row) => row.content === 'image_without_alt').length;
  if (noAlt) parts.push(`${noAlt} image link${noAlt === 1 ? '' : 's'} without alt text`);
  return { tracked, total: rows.length, blocked, trackedLinks: report.trackedLinks, text: parts.join(' · ') };
}
