// A horizontal grouped bar chart as hand-written SVG (no plotting dependency): one group of bars
// per tool, one bar per series (input size), on a logarithmic axis so that 10 MB/s and 1000 MB/s
// both read.

const escapeXml = (text) =>
  String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]);

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1'];

/**
 * `groups`: [{label, highlight?, values: [number|null per series]}]; `series`: [names];
 * `unit`: the axis label. Returns the SVG document as a string.
 */
export function groupedBarChart({ title, subtitle = '', groups, series, unit }) {
  const values = groups.flatMap((g) => g.values).filter((v) => Number.isFinite(v) && v > 0);
  const low = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values)));

  const width = 960;
  const labelWidth = 300;
  const right = 70;
  const top = 86;
  const bar = 11;
  const gap = 2;
  const groupGap = 14;
  const groupHeight = series.length * (bar + gap) - gap;
  const plotHeight = groups.length * (groupHeight + groupGap) - groupGap;
  const height = top + plotHeight + 48;
  const plotWidth = width - labelWidth - right;
  const x = (v) => labelWidth + (Math.log10(v / low) / Math.log10(high / low)) * plotWidth;

  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="16" y="24" font-size="16" font-weight="600">${escapeXml(title)}</text>`);
  if (subtitle) out.push(`<text x="16" y="44" fill="#555">${escapeXml(subtitle)}</text>`);

  // Legend.
  let legendX = labelWidth;
  series.forEach((name, i) => {
    out.push(`<rect x="${legendX}" y="58" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`);
    out.push(`<text x="${legendX + 17}" y="68">${escapeXml(name)}</text>`);
    legendX += 30 + name.length * 7;
  });

  // Grid: 1, 2, 5 per decade; labels on the decades.
  for (let decade = low; decade < high * 1.0001; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const v = decade * step;
      if (v > high * 1.0001) break;
      const gx = x(v).toFixed(1);
      const major = step === 1;
      out.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${top + plotHeight}" stroke="${major ? '#bbb' : '#e4e4e4'}"/>`);
      out.push(`<text x="${gx}" y="${top + plotHeight + 16}" text-anchor="middle" fill="${major ? '#333' : '#999'}">${v >= 1 ? v : v.toPrecision(1)}</text>`);
    }
  }
  out.push(`<text x="${labelWidth + plotWidth / 2}" y="${top + plotHeight + 36}" text-anchor="middle" fill="#333">${escapeXml(unit)} (log scale)</text>`);

  groups.forEach((group, gi) => {
    const gy = top + gi * (groupHeight + groupGap);
    const weight = group.highlight ? ' font-weight="600"' : '';
    out.push(`<text x="${labelWidth - 10}" y="${gy + groupHeight / 2 + 4}" text-anchor="end"${weight}>${escapeXml(group.label)}</text>`);
    group.values.forEach((v, si) => {
      const by = gy + si * (bar + gap);
      if (!Number.isFinite(v) || v <= 0) {
        out.push(`<text x="${labelWidth + 4}" y="${by + bar - 2}" fill="#999" font-size="10">not measured</text>`);
        return;
      }
      const w = Math.max(1, x(v) - labelWidth);
      out.push(`<rect x="${labelWidth}" y="${by}" width="${w.toFixed(1)}" height="${bar}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${group.label}, ${series[si]}: ${v.toFixed(1)} ${unit}`)}</title></rect>`);
      out.push(`<text x="${(labelWidth + w + 4).toFixed(1)}" y="${by + bar - 2}" font-size="10" fill="#333">${v >= 100 ? v.toFixed(0) : v.toFixed(1)}</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
