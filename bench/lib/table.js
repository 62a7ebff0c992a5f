// Plain-text tables for the terminal: the first column left-aligned, the others right-aligned
// unless a column says otherwise.

/**
 * `columns`: [{key, label, align?: 'left'|'right', format?: (value, row) => string}];
 * `rows`: objects. Missing values print as "-".
 */
export function formatTable(columns, rows) {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = row[column.key];
      if (column.format) return column.format(value, row);
      return value === undefined || value === null ? '-' : String(value);
    }),
  );
  const widths = columns.map((column, i) => Math.max(column.label.length, ...cells.map((row) => row[i].length)));
  const align = (column, i) => column.align ?? (i === 0 ? 'left' : 'right');
  const line = (values) =>
    values
      .map((value, i) => (align(columns[i], i) === 'left' ? value.padEnd(widths[i]) : value.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.label)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** A number with `digits` significant-ish decimals: 1234 -> "1234", 12.34 -> "12.3", 0.1234 -> "0.123". */
export function fmt(value, digits = 3) {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(Math.max(0, digits - 2));
  if (abs >= 1) return value.toFixed(Math.max(0, digits - 1));
  return value.toPrecision(digits);
}

/** A ratio as "1.23x". */
export function ratio(value) {
  return value === undefined || value === null || !Number.isFinite(value) ? '-' : `${value.toFixed(2)}x`;
}

/** Bytes as "12.3 KB" (1 KB = 1024 bytes). */
export function kb(bytes) {
  return bytes === undefined || bytes === null ? '-' : `${(bytes / 1024).toFixed(1)} KB`;
}

/** The "targets (issue)" table every section that has targets prints: {target, measured, met}. */
export const targetsTable = (rows) => ({
  title: 'targets (issue)',
  columns: [
    { key: 'target', label: 'target' },
    { key: 'measured', label: 'measured' },
    { key: 'met', label: 'met' },
  ],
  rows,
});
