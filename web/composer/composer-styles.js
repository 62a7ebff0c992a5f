// The composer's shadow-DOM styles. The palette matches the engagement report; every text colour
// keeps a contrast of at least 4.5:1 on its background.
export const COMPOSER_CSS = `
:host {
  --ct-text: #1b1f24; --ct-muted: #57606a; --ct-accent: #0b5fff; --ct-good: #116329;
  --ct-warn: #9a6700; --ct-bad: #b42318; --ct-border: #d0d7de; --ct-panel: #f6f8fa;
  display: block; color: var(--ct-text); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
*, *::before, *::after { box-sizing: border-box; }
:focus-visible { outline: 3px solid var(--ct-accent); outline-offset: 2px; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center;
  padding: .6rem .8rem; border: 1px solid var(--ct-border); border-radius: 8px; background: var(--ct-panel); }
.toolbar fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
.toolbar legend { float: left; font-weight: 600; margin-right: .6rem; }
.toolbar label { display: inline-flex; align-items: center; gap: .35rem; cursor: pointer; min-height: 32px; }
.toolbar input[type=checkbox] { width: 18px; height: 18px; accent-color: var(--ct-accent); }
.toolbar select { font: inherit; padding: .2rem .4rem; border: 1px solid var(--ct-border); border-radius: 6px; }
.status { margin: .6rem 0; font-weight: 600; }
.status .mode { font-weight: 400; color: var(--ct-muted); }
.panes { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.pane { display: flex; flex-direction: column; min-width: 0; }
.pane h2, .links h2, .output summary { font-size: 1rem; margin: 0 0 .35rem; }
.pane label { font-weight: 600; margin-bottom: .35rem; }
textarea { width: 100%; min-height: 420px; resize: vertical; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: var(--ct-text); border: 1px solid var(--ct-border); border-radius: 8px; padding: .6rem; tab-size: 2; }
iframe { width: 100%; min-height: 420px; flex: 1; border: 1px solid var(--ct-border); border-radius: 8px; background: #fff; }
.hint { color: var(--ct-muted); font-size: .85rem; margin: .3rem 0 0; }
.links { margin-top: 1rem; }
.table-scroll { overflow-x: auto; border: 1px solid var(--ct-border); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .5rem .6rem; }
th, td { text-align: left; padding: .4rem .6rem; border-top: 1px solid var(--ct-border); vertical-align: top; }
th { background: var(--ct-panel); font-weight: 600; white-space: nowrap; }
td.url { max-width: 28rem; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .82rem; }
.tone { font-weight: 600; white-space: nowrap; }
.tone::before { display: inline-block; width: 1.1em; }
.tone-tracked { color: var(--ct-good); } .tone-tracked::before { content: "\\2713"; }
.tone-skipped { color: var(--ct-muted); } .tone-skipped::before { content: "\\2013"; }
.tone-blocked { color: var(--ct-bad); } .tone-blocked::before { content: "!"; }
.notes { color: var(--ct-warn); font-size: .85rem; }
button.switch { font: inherit; font-size: .85rem; min-width: 8.5rem; min-height: 32px; padding: .2rem .6rem; cursor: pointer;
  border-radius: 999px; border: 1px solid var(--ct-border); background: #fff; color: var(--ct-text); }
button.switch[aria-checked=true] { border-color: var(--ct-good); color: var(--ct-good); }
button.switch[aria-checked=false] { border-color: var(--ct-muted); color: var(--ct-muted); }
button.switch:disabled { cursor: default; opacity: .75; }
.warnings { margin: .6rem 0 0; padding-left: 1.2rem; color: var(--ct-bad); }
.output { margin-top: 1rem; }
.output textarea { min-height: 160px; }
.error { color: var(--ct-bad); font-weight: 600; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 760px) {
  .panes { grid-template-columns: 1fr; }
  textarea, iframe { min-height: 260px; }
  td.url { max-width: 14rem; }
}
`;
