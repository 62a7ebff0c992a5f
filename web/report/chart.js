// Opens and clicks over time as plain inline SVG (no library): two lines told apart by colour,
// dash and marker shape, axes with labels in UTC, a legend, an aria-label that states what the
// chart shows, and the same numbers as a visually hidden table for screen readers.
// Input: a series from report-model.js timeSeries(). Output: SafeHtml (String() gives markup).
import { html } from '../shared/html.js';

const COLORS = {
  opens: '#0b5fff', clicks: '#1b1f24', axis: '#57606a', grid: '#d0d7de', text: '#1b1f24',
};
const HEIGHT = 260;
const MARGIN = { top: 36, right: 16, bottom: 44, left: 48 };
// Works without CSS (it is part of the markup), so the table stays hidden wherever it goes.
const VISUALLY_HIDDEN =
  'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;' +
  'clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0';

const UNIT_LABEL = { hour: 'Hour (UTC)', day: 'Day (UTC)', week: 'Week starting Monday (UTC)' };
const UNIT_NAME = { hour: 'hour', day: 'day', week: 'week' };

/** A bucket's start as its label, in UTC like the buckets themselves. */
export function bucketLabel(ms, unit) {
  const date = new Date(ms);
  const day = date.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
  if (unit === 'hour') return `${day} ${String(date.getUTCHours()).padStart(2, '0')}:00`;
  if (unit === 'week') return `w/c ${day}`;
  return day;
}

// A round upper bound for the y axis and its step, so ticks are integers people read at a glance.
function yScale(max) {
  if (max <= 4) return { top: Math.max(max, 1), step: 1 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  return { top: Math.ceil(max / step) * step, step };
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One sentence for assistive technology: range, totals, peaks and which traffic is shown. */
export function chartSummary(series) {
  if (!series.points.length) return 'Opens and clicks over time: no data in the selected range.';
  const { points, unit, totals } = series;
  const peak = (key) => points.reduce((best, p) => (p[key] > best[key] ? p : best), points[0]);
  const peakText = (key) => {
    if (!totals[key]) return '';
    const top = peak(key);
    return `, most ${key} (${top[key]}) in the ${UNIT_NAME[unit]} of ${bucketLabel(top.start, unit)}`;
  };
  const traffic = series.includeMachine ? 'including machine traffic' : 'human traffic only';
  return (
    `Opens and clicks per ${UNIT_NAME[unit]} (UTC) from ${bucketLabel(points[0].start, unit)} ` +
    `to ${bucketLabel(points.at(-1).start, unit)}, ${traffic}: ` +
    `${plural(totals.opens, 'open')}${peakText('opens')}; ${plural(totals.clicks, 'click')}${peakText('clicks')}.`
  );
}

// The legend: a sample of each line with its marker, so the two differ without colour too.
function legend() {
  return html`<g transform="translate(${MARGIN.left}, 14)">
<line x1="0" x2="22" y1="0" y2="0" stroke="${COLORS.opens}" stroke-width="2"/>
<circle cx="11" cy="0" r="3" fill="${COLORS.opens}"/><text x="28" y="4">Opens</text>
<line x1="86" x2="108" y1="0" y2="0" stroke="${COLORS.clicks}" stroke-width="2" stroke-dasharray="6 4"/>
<rect x="94" y="-3" width="6" height="6" fill="${COLORS.clicks}"/><text x="114" y="4">Clicks</text>
</g>`;
}

/** The chart as SVG markup, `width` CSS pixels wide (the caller measures its container). */
export function chartSvg(series, { width = 720 } = {}) {
  const plotWidth = Math.max(120, width - MARGIN.left - MARGIN.right);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bottom = MARGIN.top + plotHeight;
  const right = MARGIN.left + plotWidth;
  const points = series.points;
  const { top, step } = yScale(Math.max(0, ...points.map((p) => Math.max(p.opens, p.clicks))));
  // Points sit in the middle of their bucket's slot, so one bucket is not glued to the axis.
  const slot = plotWidth / Math.max(points.length, 1);
  const round = (v) => Math.round(v * 10) / 10;
  const x = (i) => round(MARGIN.left + slot * (i + 0.5));
  const y = (v) => round(bottom - (v / top) * plotHeight);

  const yTicks = [];
  for (let v = 0; v <= top; v += step) {
    yTicks.push(html`<line x1="${MARGIN.left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="${COLORS.grid}"/>
<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  // As many x labels as fit (about 80 px each), evenly spaced over the buckets.
  const every = Math.max(1, Math.ceil(points.length / Math.max(1, Math.floor(plotWidth / 80))));
  const xTicks = points.map((p, i) => (i % every ? null : html`<line x1="${x(i)}" x2="${x(i)}"
y1="${bottom}" y2="${bottom + 4}" stroke="${COLORS.axis}"/>
<text x="${x(i)}" y="${bottom + 17}" text-anchor="middle">${bucketLabel(p.start, series.unit)}</text>`));

  const line = (key, dashed) => (points.length < 2 ? '' : html`<polyline fill="none" stroke="${COLORS[key]}"
stroke-width="2"${dashed ? html` stroke-dasharray="6 4"` : ''}
points="${points.map((p, i) => `${x(i)},${y(p[key])}`).join(' ')}"/>`);
  const opens = points.map((p, i) => html`<circle cx="${x(i)}" cy="${y(p.opens)}" r="3" fill="${COLORS.opens}"/>`);
  const clicks = points.map((p, i) =>
    html`<rect x="${x(i) - 3}" y="${y(p.clicks) - 3}" width="6" height="6" fill="${COLORS.clicks}"/>`);

  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${chartSummary(series)}"
viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" font-size="12" fill="${COLORS.text}"
font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">
<g aria-hidden="true">
${legend()}${yTicks}
<line x1="${MARGIN.left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="${COLORS.axis}"/>
${xTicks}
<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle"
fill="${COLORS.axis}">${UNIT_LABEL[series.unit] ?? 'Time (UTC)'}</text>
<text transform="translate(12, ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle"
fill="${COLORS.axis}">Events</text>
${line('opens', false)}${line('clicks', true)}${opens}${clicks}
</g>
</svg>`;
}

/** The numbers behind the chart as a table only screen readers see. */
export function chartTable(series) {
  const traffic = series.includeMachine ? 'including machine traffic' : 'human traffic only';
  const unit = UNIT_LABEL[series.unit] ?? 'Time (UTC)';
  const rows = series.points.map((p) => html`<tr><th scope="row">${bucketLabel(p.start, series.unit)}</th>
<td>${p.opens}</td><td>${p.clicks}</td></tr>`);
  return html`<table style="${VISUALLY_HIDDEN}">
<caption>Opens and clicks per ${UNIT_NAME[series.unit] ?? 'period'} (UTC), ${traffic}</caption>
<thead><tr><th scope="col">${unit}</th><th scope="col">Opens</th><th scope="col">Clicks</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** SVG and table together, or a sentence when there is nothing to draw. */
export function chartMarkup(series, options) {
  if (!series.points.length) return html`<p class="empty">${chartSummary(series)}</p>`;
  return html`${chartSvg(series, options)}${chartTable(series)}`;
}
