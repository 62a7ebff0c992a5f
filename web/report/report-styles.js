// The report's stylesheet (shadow DOM). The palette and font match the composer widget; every
// text/background pair here has a contrast of at least 4.5:1.
export const STYLES = `
:host {
  --text: #1b1f24; --muted: #57606a; --accent: #0b5fff; --good: #116329; --warning: #9a6700;
  --bad: #b42318; --border: #d0d7de; --panel: #f6f8fa; --page: #ffffff;
  display: block; color: var(--text); background: var(--page);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.report { display: flex; flex-direction: column; gap: 16px; min-width: 0; }
h2 { font-size: 1.35rem; margin: 0; }
h3 { font-size: 1.1rem; margin: 0 0 8px; }
h4 { font-size: 1rem; margin: 16px 0 8px; }
p { margin: 0; }
.meta, .intro, .hint, .sources, .muted { color: var(--muted); }
.meta, .hint, .intro, .sources { font-size: 0.86rem; }
.intro { margin: 0 0 8px; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }

.filters {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px;
  padding: 12px; background: var(--panel); border: 1px solid var(--border); border-radius: 8px;
}
.filters[hidden] { display: none; }
.field { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.field.actions { justify-content: flex-end; }
label { font-weight: 600; }
input, select, button { font: inherit; color: var(--text); min-height: 36px; min-width: 0; }
input, select {
  width: 100%; padding: 6px 8px; background: var(--page); border: 1px solid var(--muted); border-radius: 6px;
}
input[type="checkbox"] { width: 18px; height: 18px; min-height: 0; margin: 0; accent-color: var(--accent); }
button {
  padding: 6px 12px; border: 1px solid var(--muted); border-radius: 6px; background: var(--page); cursor: pointer;
}
button:hover { background: var(--panel); }

#results { display: flex; flex-direction: column; gap: 24px; min-width: 0; }
.section { min-width: 0; }
.notice { padding: 10px 12px; border-radius: 8px; border: 1px solid currentColor; background: var(--page); }
.notice ul { margin: 6px 0 0; padding-left: 20px; }
.notice.bad { color: var(--bad); }

.cards {
  list-style: none; margin: 0; padding: 0; display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
}
.card {
  display: flex; flex-direction: column; gap: 2px; padding: 10px 12px;
  background: var(--panel); border: 1px solid var(--border); border-radius: 8px; border-top-width: 4px;
}
.card.warning { border-top-color: var(--warning); }
.card.bad { border-top-color: var(--bad); }
.card-label { color: var(--muted); font-size: 0.86rem; }
.card-value { font-size: 1.5rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card-sub { color: var(--muted); font-size: 0.8rem; }

.chart-controls { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
.chart-controls label { font-weight: 400; }
.chart { margin: 0; position: relative; border: 1px solid var(--border); border-radius: 8px; padding: 4px 0; }
.chart svg { display: block; max-width: 100%; height: auto; }

.scroll { overflow-x: auto; border: 1px solid var(--border); border-radius: 8px; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.caption { color: var(--muted); font-size: 0.86rem; margin: 0 0 6px; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}
th, td {
  padding: 6px 8px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top;
  white-space: nowrap;
}
thead th { background: var(--panel); font-weight: 600; }
tbody th { font-weight: 400; }
.num { text-align: right; }
tr.group th, tr.group td { background: var(--panel); font-weight: 600; }
th.indent { padding-left: 24px; }
tbody:last-child > tr:last-child > * { border-bottom: 0; }
/* Row headers stay in view while a wide table scrolls sideways. */
table.sticky tr > :first-child {
  position: sticky; left: 0; z-index: 1; background: var(--page); box-shadow: inset -1px 0 var(--border);
}
table.sticky thead tr > :first-child, table.sticky tr.group > :first-child { background: var(--panel); }
.link {
  display: inline-block; max-width: 48ch; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  vertical-align: bottom;
}
.empty { color: var(--muted); padding: 8px 0; }
#activity .link { max-width: 26ch; }
.reason { display: block; color: var(--muted); font-size: 0.8rem; }

.badge {
  display: inline-flex; gap: 4px; align-items: center; padding: 1px 8px; border-radius: 999px;
  border: 1px solid currentColor; font-weight: 600; background: var(--page);
}
.badge.good { color: var(--good); }
.badge.warning { color: var(--warning); }
.badge.bad { color: var(--bad); }
.badge.muted { color: var(--muted); }

.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 10px; }
.chip { border-radius: 999px; padding: 4px 12px; min-height: 32px; }
.chip[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #ffffff; }
.chip .count { font-variant-numeric: tabular-nums; }
.more { margin-top: 10px; }

@media (max-width: 600px) {
  :host { font-size: 13px; }
  .filters { grid-template-columns: 1fr; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .card-value { font-size: 1.25rem; }
  /* Two lines of a link say more than one line cut after the host. */
  .link {
    max-width: 24ch; white-space: normal; word-break: break-all;
    display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  }
  table.sticky tbody th { white-space: normal; min-width: 11em; max-width: 14em; }
}
`;
