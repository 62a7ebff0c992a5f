// <clicktrail-report src="/report.json">: the engagement report as a framework-free custom
// element. It fetches (or is given) {generatedAt, edgeEvents, ses, cloudfront}, has the
// back-office WebAssembly core parse and aggregate it, and renders the filters and sections of
// report-view.js in its shadow root.
//
// API: `src` attribute/property (fetched when set or changed), `data` property (same object;
// setting it renders), `refresh()` (fetches src again, keeping the filters; a promise), `model`
// (the last model, report-model.js buildModel: model.events are the events matching the
// filters), a `render` event after each render ({detail: {events, ms}}: how many events match
// the filters, and the milliseconds taken), and data-state="loading" | "ready" | "error" on the
// host. Setting `data` or a new `src` resets the filters.
import {
  aggregateClicks,
  buildSuppressionList,
  classifyTraffic,
  init,
  parseSesEvents,
  reputation,
} from '../../wasm/src/backoffice-browser.js';
import { SafeHtml, html } from '../shared/html.js';
import { DEFAULT_FILTERS, buildModel, filterOptions, prepareReport } from './report-model.js';
import { chartMarkup } from './chart.js';
import { TYPE_LABELS, reportView, typeLabel } from './report-view.js';
import { STYLES } from './report-styles.js';

const PAGE = 100;
const MINUTE = 60_000;

// One instantiation of clicktrail-backoffice.wasm per page, however many reports there are.
let coreLoading = null;
function loadCore() {
  coreLoading ??= init().then(() => ({ parseSesEvents, buildSuppressionList, reputation, aggregateClicks, classifyTraffic }));
  return coreLoading;
}

/** Replaces a select's options; keeps `value` if it is still offered, else picks the first. */
function fillSelect(select, options, value) {
  select.innerHTML = html`${options.map((o) => html`<option value="${o.value}">${o.label}</option>`)}`.text;
  select.value = options.some((o) => o.value === value) ? value : options[0].value;
  return select.value;
}

/** epoch ms as the value of a datetime-local input, in the browser's time zone. */
function localInputValue(ms) {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The stylesheet is our own constant, not data: it goes in as is (escaping would break it).
const SKELETON = html`<style>${new SafeHtml(STYLES)}</style>
<div class="report">
<header><h2 id="heading">Engagement report</h2><p class="meta" id="meta"></p></header>
<div id="status" role="status" aria-live="polite"></div>
<form id="filters" class="filters" aria-label="Filters" hidden>
<div class="field"><label for="from">From</label><input type="datetime-local" id="from" name="from"></div>
<div class="field"><label for="to">To</label><input type="datetime-local" id="to" name="to"></div>
<div class="field"><label for="type">Event type</label><select id="type" name="type"></select></div>
<div class="field"><label for="recipient">Recipient</label>
<input type="search" id="recipient" name="recipient" autocomplete="off" spellcheck="false"
 aria-describedby="recipient-hint"><span class="hint" id="recipient-hint">Part of an address or recipient id</span></div>
<div class="field"><label for="campaign">Campaign</label><select id="campaign" name="campaign"></select></div>
<div class="field"><label for="message">Message</label><select id="message" name="message"></select></div>
<div class="field actions"><button type="button" id="reset">Reset filters</button></div>
</form>
<div id="results"></div>
</div>`;

export class ClicktrailReport extends HTMLElement {
  static get observedAttributes() {
    return ['src'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.innerHTML = SKELETON.text;
    this.model = null;
    this._data = null;
    this._prepared = null;
    this._filters = { ...DEFAULT_FILTERS };
    this._includeMachine = false;
    this._limit = PAGE;
    this._chartWidth = 0;
    this._loads = 0; // a newer load makes an older one's result stale
    const $ = (id) => this.shadowRoot.getElementById(id);
    this._form = $('filters');
    this._results = $('results');
    this._form.addEventListener('submit', (event) => event.preventDefault());
    this._form.addEventListener('input', (event) => this._onFilter(event));
    this._form.addEventListener('change', (event) => this._onFilter(event));
    $('reset').addEventListener('click', () => this._resetFilters());
    this._results.addEventListener('click', (event) => this._onResultsClick(event));
    this._results.addEventListener('change', (event) => {
      if (event.target.id !== 'include-machine') return;
      this._includeMachine = event.target.checked;
      this._render();
    });
    // The chart is drawn at its container's width so its text stays readable on phones.
    this._resize = new ResizeObserver(() => {
      const width = this._measureChart();
      if (width !== this._chartWidth && this.model) this._renderChart();
    });
  }

  connectedCallback() {
    // heading="..." renames the component's title; heading="" leaves it to the page (kept for
    // screen readers, hidden on screen).
    const heading = this.getAttribute('heading');
    if (heading !== null) {
      const title = this.shadowRoot.getElementById('heading');
      title.textContent = heading || 'Engagement report';
      title.classList.toggle('visually-hidden', heading === '');
    }
    // A property set before the element was defined shadows the accessor: move it over.
    for (const name of ['data', 'src']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    this._resize.observe(this._results);
    if (!this._prepared && !this._loads && (this._data || this.src)) this.refresh();
  }

  disconnectedCallback() {
    this._resize.disconnect();
  }

  attributeChangedCallback(name, previous, value) {
    if (name !== 'src' || previous === value || !value || !this.isConnected) return;
    this._clearFilters(); // another data set: the old filters may match nothing in it
    this.refresh();
  }

  get src() {
    return this.getAttribute('src') ?? '';
  }

  set src(value) {
    this.setAttribute('src', value);
  }

  get data() {
    return this._data;
  }

  set data(value) {
    this._data = value;
    this._clearFilters();
    this._load(async () => value);
  }

  /**
   * Fetches `src` again (or re-renders `data` when there is no src), keeping the filters;
   * resolves when rendered (or shown as an error).
   */
  refresh() {
    if (!this.src) return this._load(async () => this._data);
    const url = this.src;
    return this._load(async () => {
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
      const data = await response.json();
      this._data = data;
      return data;
    });
  }

  async _load(getData) {
    const load = ++this._loads;
    this.dataset.state = 'loading';
    this._status(html`<p>Loading the report…</p>`);
    try {
      const [data, core] = await Promise.all([getData(), loadCore()]);
      if (load !== this._loads) return;
      if (!data || typeof data !== 'object') throw new Error('The report data is not a JSON object.');
      const started = performance.now();
      this._prepared = prepareReport(data, core);
      this._fillForm();
      this._render(started);
    } catch (error) {
      if (load !== this._loads) return;
      this._prepared = null;
      this.model = null;
      this._form.hidden = true;
      this._results.innerHTML = '';
      this.dataset.state = 'error';
      this._status(html`<p class="notice bad" role="alert"><strong>The report could not be shown.</strong>
${error?.message ?? String(error)}</p>`);
    }
  }

  _status(markup) {
    this.shadowRoot.getElementById('status').innerHTML = markup.text;
  }

  // ---- filters ----------------------------------------------------------------------------------

  // Options of the selects follow the data (and the message list the chosen campaign).
  _fillForm() {
    const span = this._prepared.span;
    const f = this._filters;
    const el = (id) => this.shadowRoot.getElementById(id);
    el('from').value = localInputValue(f.from ?? span?.from);
    el('to').value = localInputValue(f.to ?? span?.to);
    el('recipient').value = f.recipient;
    const present = new Set(this._prepared.events.map((e) => e.type));
    const types = Object.keys(TYPE_LABELS).filter((type) => present.has(type) || type === f.type);
    f.type = fillSelect(el('type'), [{ value: 'all', label: 'All types' },
      ...types.map((type) => ({ value: type, label: typeLabel(type) }))], f.type);
    this._fillSelects();
    this._form.hidden = false;
  }

  _fillSelects() {
    const el = (id) => this.shadowRoot.getElementById(id);
    const { campaigns, messages } = filterOptions(this._prepared.events, this._prepared.adRows, this._filters);
    this._filters.campaign = fillSelect(el('campaign'), [{ value: '', label: 'All campaigns' },
      ...campaigns.map((c) => ({ value: c, label: c }))], this._filters.campaign);
    this._filters.message = fillSelect(el('message'), [{ value: '', label: 'All messages' },
      ...messages.map((m) => ({ value: m.id, label: m.subject ? `${m.subject} (${m.id.slice(0, 12)}…)` : m.id })),
    ], this._filters.message);
  }

  _onFilter(event) {
    const target = event.target;
    if (!this._prepared || !target.name) return;
    // Text filters apply as you type; the others when their value is complete.
    if (event.type === 'input' && target.name !== 'recipient') return;
    if (event.type === 'change' && target.name === 'recipient') return;
    const f = this._filters;
    if (target.name === 'from' || target.name === 'to') {
      const ms = target.value ? new Date(target.value).getTime() : NaN;
      // datetime-local has minute precision: "to" includes the whole minute it names.
      f[target.name] = Number.isFinite(ms) ? (target.name === 'to' ? ms + MINUTE - 1 : ms) : null;
    } else {
      f[target.name] = target.value;
    }
    if (target.name === 'campaign') this._fillSelects();
    this._limit = PAGE;
    this._render();
  }

  _clearFilters() {
    this._filters = { ...DEFAULT_FILTERS };
    this._limit = PAGE;
  }

  _resetFilters() {
    this._clearFilters();
    if (!this._prepared) return;
    this._fillForm();
    this._render();
  }

  _onResultsClick(event) {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.type) {
      // The drill-down: a type button sets the type filter (and the select shows it).
      this._filters.type = button.dataset.type;
      this.shadowRoot.getElementById('type').value = button.dataset.type;
      this._limit = PAGE;
      this._render();
    } else if (button.id === 'show-more') {
      this._limit += PAGE;
      this._render();
    }
  }

  // ---- rendering --------------------------------------------------------------------------------

  _measureChart() {
    const width = Math.round(this._results.clientWidth || 0);
    return width > 0 ? Math.min(Math.max(width - 2, 280), 1600) : 720;
  }

  _render(started = performance.now()) {
    if (!this._prepared) return;
    // Re-rendering replaces the buttons: remember which one had focus to give it back.
    const focusKey = this.shadowRoot.activeElement?.dataset?.key;
    this.model = buildModel(this._prepared, this._filters, { includeMachine: this._includeMachine });
    this._chartWidth = this._measureChart();
    this._results.innerHTML = reportView(this.model, {
      width: this._chartWidth, includeMachine: this._includeMachine, limit: this._limit,
    }).text;
    if (focusKey) {
      // "Show more" disappears once everything is shown: focus moves to the list it extended.
      const again = this._results.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
      (again ?? (focusKey === 'show-more' ? this._results.querySelector('#activity .scroll') : null))?.focus();
    }
    this.shadowRoot.getElementById('meta').textContent = this._describeData();
    this._status(html``);
    this.dataset.state = 'ready';
    this.dispatchEvent(new CustomEvent('render', {
      detail: { events: this.model.events.length, ms: Math.round((performance.now() - started) * 10) / 10 },
    }));
  }

  // "Data from ... to ... (times in Europe/Paris). Generated ...": the span and the time zone.
  _describeData() {
    const { span, generatedAt } = this._prepared;
    const local = (ms) => new Date(ms).toLocaleString();
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const range = span ? `Data from ${local(span.from)} to ${local(span.to)}` : 'No dated events';
    return `${range} (times in ${zone}).${generatedAt ? ` Generated ${local(generatedAt)}.` : ''}`;
  }

  _renderChart() {
    this._chartWidth = this._measureChart();
    const figure = this._results.querySelector('#chart-figure');
    if (figure) figure.innerHTML = chartMarkup(this.model.series, { width: this._chartWidth }).text;
  }
}

if (!customElements.get('clicktrail-report')) customElements.define('clicktrail-report', ClicktrailReport);
