// HTML built from untrusted data (event data in the report, email text in the composer). `html` is a tagged template that escapes every
// interpolated value unless it is already SafeHtml (the output of another `html` call), so a
// value can only reach innerHTML escaped: there is no way to splice raw text by accident.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export class SafeHtml {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

// null, undefined and false render as nothing so `${cond && html`...`}` works; arrays are joined.
function fragment(value) {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(fragment).join('');
  return escapeHtml(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; ++i) out += fragment(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}
