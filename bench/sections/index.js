// The benchmark sections `bench/run.js` runs, in this order. To add one, write
// bench/sections/NAME.js exporting
//
//   export const name = 'NAME';            // what --only takes
//   export const title = '...';
//   export async function run(ctx) {...}   // -> {title, tables: [{title, columns, rows}], notes: [], data: {}}
//   export function plots(result, ctx) {}  // optional, for --plot: [{file: 'x.svg', svg}]
//
// and list it below under the same name. `ctx` (see bench/run.js): root, emailsDir, quick,
// keep, progress(message), machine, date, results (of the sections already run). Rows are plain
// objects; `columns` ([{key, label, align?, format?}]) says how bench/lib/table.js prints them.
// Measure peers in the same process as clicktrail where possible, report medians, and put the
// ratios in the rows.
//
// Loaded lazily, so `--only sizes` does not load the parsers.
export const SECTIONS = [
  { name: 'rewrite', load: () => import('./rewrite.js') },
  { name: 'verify', load: () => import('./verify.js') },
  { name: 'ses', load: () => import('./ses.js') },
  { name: 'cloudfront', load: () => import('./cloudfront.js') },
  { name: 'sizes', load: () => import('./sizes.js') },
  { name: 'edge-load', load: () => import('./edge-load.js') },
];
