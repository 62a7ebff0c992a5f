// <clicktrail-composer>: an email editor that shows, as the author types, which links will be
// tracked and why not, where the open pixel goes, and a sandboxed preview of the tracked email.
//
// Secrets never reach the browser. Without `signing-endpoint` the widget builds an *unsigned*
// preview with the WebAssembly core (`sign: false`: the URLs carry no key id and no signature,
// so the edge refuses them and they can never redirect). With `signing-endpoint` it also POSTs
// the source to that URL of the page's own server, which signs with its key and answers what
// rewriteLinks answers; the preview and the `tracked` event then carry the signed email.
// The widget itself makes no other request: the preview shows no remote image unless the author
// ticks "Show remote images", and never the open pixel.
//
// Attributes: base-url, message-id, campaign-id, recipient-id (an opaque id, never an address),
// signing-endpoint, format ("html" | "text"), max-links, debounce (ms), wasm-url.
// Properties: value (the source), linkify, openPixel, trackClicks (the toggles), result (the
// last rewrite: {html, links, warnings, trackedLinks, pixel}), renderedValue (the source it was
// made from), rows, signed, lastRenderMs.
// Event: `tracked` (bubbles, composed) after every render: detail {html, report, rows, signed, ms}.
import { init, rewriteLinks, rewriteText } from '../../wasm/src/browser.js';
import { linkRows, pixelPlacement, setOptOut, summarize } from './composer-model.js';
import { COMPOSER_CSS } from './composer-styles.js';
import { escapeHtml } from '../shared/html.js';

let coreLoading = null;
let coreReady = false; // set once init() has finished: rendering before that would throw
const loadCore = (url) =>
  (coreLoading ??= init(url).then(() => {
    coreReady = true;
  }));

const setText = (element, text) => {
  if (element.textContent !== text) element.textContent = text;
};


// Pixels exactly as the core writes them (this render's, and any pasted back from an earlier
// output): the preview leaves them out, so that an author looking at a draft is never an open.
const PIXELS = /<img src="[^"]*\/pxl\.png\?[^"]*" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" \/>/g;

// The preview is a mail client's view: the sandbox keeps the email's scripts and forms dead and
// opens links in a new window (which may leave the sandbox); a Content-Security-Policy keeps
// remote images (and so every network call) off until the author asks for them.
function previewDocument(html, format, remoteImages) {
  const images = remoteImages ? 'data: http: https:' : 'data:';
  const head =
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src ${images}">` +
    '<base target="_blank">';
  if (format === 'text') {
    return `<!DOCTYPE html><meta charset="utf-8">${head}<pre style="white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace;margin:12px">${escapeHtml(html)}</pre>`;
  }
  // First in the document (after a doctype, to keep standards mode), so that the policy is in
  // force before any element could load something.
  const body = html.replace(PIXELS, '');
  const at = /^\s*<!doctype[^>]*>/i.exec(body)?.[0].length ?? 0;
  return body.slice(0, at) + head + body.slice(at);
}

const TEMPLATE = `
<style>${COMPOSER_CSS}</style>
<div class="toolbar" part="toolbar">
  <fieldset>
    <legend>Tracking</legend>
    <label><input type="checkbox" name="linkify" checked> Link plain URLs</label>
    <label><input type="checkbox" name="openPixel" checked> Open tracking</label>
    <label><input type="checkbox" name="trackClicks" checked> Click tracking</label>
  </fieldset>
  <label><input type="checkbox" name="remoteImages"> Show remote images</label>
  <label>Format
    <select name="format"><option value="html">HTML</option><option value="text">Plain text</option></select>
  </label>
</div>
<p class="status"><span role="status" aria-live="polite"><span class="summary">Loading…</span> <span class="pixel"></span></span> <span class="mode"></span></p>
<div class="panes">
  <div class="pane">
    <label for="source">Email source</label>
    <textarea id="source" spellcheck="false" autocapitalize="off" aria-describedby="source-hint"></textarea>
    <p class="hint" id="source-hint">Paste or type HTML or plain text. The preview and the link list follow as you type.</p>
  </div>
  <div class="pane">
    <h2 id="preview-title">Preview</h2>
    <iframe sandbox="allow-popups allow-popups-to-escape-sandbox" aria-labelledby="preview-title" title="Preview of the tracked email"></iframe>
  </div>
</div>
<ul class="warnings" aria-label="Warnings"></ul>
<section class="links" aria-labelledby="links-title">
  <h2 id="links-title">Links</h2>
  <div class="table-scroll" tabindex="0" role="region" aria-labelledby="links-title">
    <table>
      <thead><tr><th scope="col">#</th><th scope="col">Link</th><th scope="col">Status</th><th scope="col">Line</th><th scope="col">Tracking</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>
<details class="output">
  <summary>Tracked HTML</summary>
  <textarea readonly aria-label="Tracked HTML" spellcheck="false"></textarea>
</details>
`;

export class ClicktrailComposer extends HTMLElement {
  static observedAttributes = ['base-url', 'message-id', 'campaign-id', 'recipient-id', 'signing-endpoint', 'format', 'max-links'];

  #root;
  #els;
  #timer = null;
  #signing = null;
  #generation = 0;
  #connected = false;
  result = null;
  renderedValue = null;
  rows = [];
  signed = false;
  lastRenderMs = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.innerHTML = TEMPLATE;
    const $ = (selector) => this.#root.querySelector(selector);
    this.#els = {
      source: $('#source'),
      preview: $('iframe'),
      tbody: $('tbody'),
      summary: $('.summary'),
      pixel: $('.pixel'),
      mode: $('.mode'),
      warnings: $('.warnings'),
      output: $('.output textarea'),
      outputBox: $('details.output'),
      format: $('select[name=format]'),
      toggles: [...this.#root.querySelectorAll('fieldset input')],
    };
    this.#els.source.addEventListener('input', () => this.#schedule());
    this.#els.outputBox.addEventListener('toggle', () => this.#showOutput());
    this.#els.format.addEventListener('change', () => this.setAttribute('format', this.#els.format.value));
    for (const toggle of this.#els.toggles) toggle.addEventListener('change', () => this.render());
    this.#els.remoteImages = this.#root.querySelector('input[name=remoteImages]');
    this.#els.remoteImages.addEventListener('change', () => this.#showPreview());
    this.#els.tbody.addEventListener('click', (event) => {
      const button = event.target.closest('button.switch');
      if (button) this.#toggleLink(Number(button.dataset.index));
    });
  }

  connectedCallback() {
    this.#connected = true;
    if (this.hasAttribute('value') && !this.#els.source.value) this.#els.source.value = this.getAttribute('value');
    loadCore(this.getAttribute('wasm-url') ?? undefined).then(
      () => this.render(),
      (error) => this.#fail(`The tracking core could not load: ${error.message}`),
    );
  }

  disconnectedCallback() {
    this.#connected = false;
    clearTimeout(this.#timer);
    this.#signing?.abort();
  }

  attributeChangedCallback(name) {
    if (name === 'format') this.#els.format.value = this.format;
    if (this.#connected && coreReady) this.#schedule();
  }

  get value() {
    return this.#els.source.value;
  }
  set value(text) {
    this.#els.source.value = text;
    if (this.#connected && coreReady) this.render();
  }
  get format() {
    return this.getAttribute('format') === 'text' ? 'text' : 'html';
  }
  get maxLinks() {
    const n = Number(this.getAttribute('max-links'));
    return Number.isInteger(n) && n > 0 ? n : 250;
  }

  #toggle(name) {
    return this.#els.toggles.find((input) => input.name === name);
  }
  get linkify() { return this.#toggle('linkify').checked; }
  set linkify(on) { this.#toggle('linkify').checked = Boolean(on); this.render(); }
  get openPixel() { return this.#toggle('openPixel').checked; }
  set openPixel(on) { this.#toggle('openPixel').checked = Boolean(on); this.render(); }
  get trackClicks() { return this.#toggle('trackClicks').checked; }
  set trackClicks(on) { this.#toggle('trackClicks').checked = Boolean(on); this.render(); }

  /** The options every render uses; the signing endpoint adds its own base URL and key. */
  get options() {
    const optional = (attribute) => this.getAttribute(attribute) || undefined;
    return {
      messageId: optional('message-id'),
      campaignId: optional('campaign-id'),
      recipientId: optional('recipient-id'),
      linkify: this.linkify,
      openPixel: this.openPixel,
      trackClicks: this.trackClicks,
      maxLinks: this.maxLinks,
    };
  }

  #schedule() {
    clearTimeout(this.#timer);
    const wait = Number(this.getAttribute('debounce') ?? 120);
    this.#timer = setTimeout(() => this.render(), Number.isFinite(wait) ? wait : 120);
  }

  /** Re-renders now (the debounced path calls this too). Returns the time the work took, ms. */
  render() {
    clearTimeout(this.#timer);
    if (!coreReady) return null;
    const started = performance.now();
    const source = this.#els.source.value;
    const format = this.format;
    const rewrite = format === 'text' ? rewriteText : rewriteLinks;
    let result;
    try {
      result = rewrite(source, {
        ...this.options,
        baseUrl: this.getAttribute('base-url') || 'https://t.example.com',
        sign: false,
      });
    } catch (error) {
      this.#fail(error.message);
      return null;
    }
    const generation = ++this.#generation;
    this.#show(result, source, false);
    const ms = performance.now() - started;
    this.lastRenderMs = ms;
    this.#announce(ms);
    const endpoint = this.getAttribute('signing-endpoint');
    if (endpoint) this.#sign(endpoint, source, format, generation);
    return ms;
  }

  #show(result, source, signed) {
    const format = this.format;
    this.result = result;
    this.renderedValue = source;
    this.signed = signed;
    this.rows = linkRows(result, { maxLinks: this.maxLinks, format });
    const summary = summarize(this.rows, result);
    // The live region is announced on every change: write it only when its words change.
    setText(this.#els.summary, `${summary.text}.`);
    this.#els.summary.classList.remove('error');
    setText(this.#els.pixel, `${pixelPlacement(result, source, { openPixel: this.openPixel }).text}.`);
    const endpoint = this.getAttribute('signing-endpoint');
    this.#els.mode.textContent = signed
      ? 'Signed by the page’s signing endpoint.'
      : endpoint
        ? 'Signing…'
        : 'Unsigned preview: its links will not redirect until your server signs them.';
    this.#els.warnings.innerHTML = result.warnings
      .map((w) => `<li>Line ${w.line}: ${escapeHtml(w.message)}</li>`)
      .join('');
    this.#renderRows();
    this.#showPreview();
    this.#showOutput();
  }

  // The tracked HTML is only copied into its box while the box is open: on a 100 KB email that
  // copy costs as much as the rewrite.
  #showOutput() {
    if (this.#els.outputBox.open && this.result) this.#els.output.value = this.result.html;
  }

  #showPreview() {
    if (!this.result) return;
    this.#els.preview.srcdoc = previewDocument(this.result.html, this.format, this.#els.remoteImages.checked);
  }

  #renderRows() {
    const focused = this.#root.activeElement?.closest?.('button.switch')?.dataset.index;
    this.#els.tbody.innerHTML = this.rows
      .map((row) => {
        const notes = row.notes.length ? `<div class="notes">${escapeHtml(row.notes.join(' · '))}</div>` : '';
        const on = !row.optedOut;
        const label = `Track link ${row.index + 1}: ${row.url}`;
        const control = row.canOptOut
          ? `<button type="button" class="switch" role="switch" data-index="${row.index}" aria-checked="${on}" aria-label="${escapeHtml(label)}">${on ? 'Tracking on' : 'Do not track'}</button>`
          : '<span class="hint">n/a</span>';
        return `<tr data-index="${row.index}" data-reason="${row.reason}"><td>${row.index + 1}</td>` +
          `<td class="url" title="${escapeHtml(row.url)}">${escapeHtml(row.url)}</td>` +
          `<td><span class="tone tone-${row.tone}">${escapeHtml(row.text)}</span>${notes}</td>` +
          `<td>${row.line}</td><td>${control}</td></tr>`;
      })
      .join('');
    if (focused !== undefined) this.#root.querySelector(`button.switch[data-index="${focused}"]`)?.focus();
  }

  #toggleLink(index) {
    // Typed since the last render (still debouncing): the rows' offsets are for older text.
    if (this.renderedValue !== this.#els.source.value) this.render();
    const row = this.rows.find((r) => r.index === index);
    if (!row) return;
    this.#els.source.value = setOptOut(this.#els.source.value, row, !row.optedOut);
    this.render();
  }

  async #sign(endpoint, source, format, generation) {
    this.#signing?.abort();
    const controller = new AbortController();
    this.#signing = controller;
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source, format, options: this.options }),
        signal: controller.signal,
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
      if (generation !== this.#generation || source !== this.#els.source.value) return;
      this.#show(body, source, true);
      this.#announce(this.lastRenderMs);
    } catch (error) {
      if (error.name === 'AbortError' || generation !== this.#generation) return;
      this.#els.mode.textContent = `Signing failed (${error.message}): the preview is unsigned.`;
    }
  }

  #announce(ms) {
    this.dispatchEvent(
      new CustomEvent('tracked', {
        bubbles: true,
        composed: true,
        detail: { html: this.result.html, report: this.result, rows: this.rows, signed: this.signed, ms },
      }),
    );
  }

  #fail(message) {
    this.#signing?.abort();
    this.#generation++; // a signed answer still on its way must not hide the error
    this.#els.summary.textContent = message;
    this.#els.summary.classList.add('error');
  }
}

if (!customElements.get('clicktrail-composer')) customElements.define('clicktrail-composer', ClicktrailComposer);
