// The report's sections as markup, from a model of report-model.js buildModel(). Every value
// from the data goes through the `html` template, which escapes it; nothing here touches the DOM.
import { chartMarkup } from './chart.js';
import { html } from '../shared/html.js';

export const TYPE_LABELS = {
  send: 'Send',
  delivery: 'Delivery',
  open: 'Open',
  click: 'Click',
  bounce: 'Bounce',
  complaint: 'Complaint',
  deliveryDelay: 'Delivery delay',
  reject: 'Reject',
  renderingFailure: 'Rendering failure',
  subscription: 'Subscription',
  impression: 'Impression',
  rejected: 'Refused hit',
  other: 'Other',
};

const STATUS = {
  ok: { label: 'OK', tone: 'good', mark: '✓' },
  warning: { label: 'Warning', tone: 'warning', mark: '▲' },
  under_review: { label: 'Under review', tone: 'bad', mark: '!' },
  at_risk_of_pause: { label: 'At risk of pause', tone: 'bad', mark: '!!' },
  no_sends: { label: 'No sends', tone: 'muted', mark: '–' },
};

const SUPPRESSION_REASONS = {
  complaint: 'Complaint',
  permanentBounce: 'Permanent bounce',
  softBounceLimit: 'Repeated soft bounces',
};

export const typeLabel = (type) => TYPE_LABELS[type] ?? type;

const numberFormat = new Intl.NumberFormat();
const num = (n) => (n === null || n === undefined ? '–' : numberFormat.format(n));

/** A fraction as a percentage; '–' when there is no denominator. */
export function percent(fraction, digits = 1) {
  return fraction === null || fraction === undefined ? '–' : `${(fraction * 100).toFixed(digits)} %`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
});

/** A <time> in the browser's time zone, the ISO instant in its datetime attribute. */
export function timeCell(ms) {
  if (!Number.isFinite(ms)) return html`<span class="muted">unknown</span>`;
  return html`<time datetime="${new Date(ms).toISOString()}">${timeFormat.format(ms)}</time>`;
}

// Ids are long (SES: 60 characters); show the start, keep the whole in the title.
function shortId(id) {
  if (!id) return html`<span class="muted">none</span>`;
  return id.length > 18 ? html`<span title="${id}">${id.slice(0, 16)}…</span>` : html`${id}`;
}

function messageLabel(subject, messageId) {
  if (!subject) return shortId(messageId);
  return html`${subject} <span class="muted">${shortId(messageId)}</span>`;
}

const campaignLabel = (id) => (id ? html`${id}` : html`<span class="muted">no campaign</span>`);

function link(url) {
  if (!url) return html`<span class="muted">unknown</span>`;
  return html`<span class="link" title="${url}">${url}</span>`;
}

const td = (content) => html`<td>${content}</td>`;
const tdNum = (content) => html`<td class="num">${content}</td>`;
const numeric = (labels) => labels.map((label) => ({ label, num: true }));
/** One <tbody> of rows, or none: an empty list makes table() show its "nothing" sentence. */
const tbody = (items, row) => (items.length ? [html`<tbody>${items.map(row)}</tbody>`] : []);

/**
 * A table in its own horizontally scrolling, keyboard-focusable region. The description sits
 * above the region (a caption would scroll away with a wide table on a phone); the caption
 * repeats it for screen readers. `sticky` keeps the row headers in view while scrolling.
 */
function table(id, caption, head, bodies, empty, { sticky = false } = {}) {
  if (!bodies.length) return html`<p class="empty" id="${id}">${empty}</p>`;
  const headers = head.map((h) => html`<th scope="col"${h.num ? html` class="num"` : ''}>${h.label ?? h}</th>`);
  return html`<p class="caption" id="${id}-caption" aria-hidden="true">${caption}</p>
<div class="scroll" role="region" aria-labelledby="${id}-caption" tabindex="0">
<table id="${id}"${sticky ? html` class="sticky"` : ''}>
<caption class="visually-hidden">${caption}</caption>
<thead><tr>${headers}</tr></thead>
${bodies}</table></div>`;
}

function section(id, title, body, intro) {
  return html`<section aria-labelledby="${id}-title" class="section" id="${id}">
<h3 id="${id}-title">${title}</h3>${intro ? html`<p class="intro">${intro}</p>` : ''}${body}</section>`;
}

// ---- sections ---------------------------------------------------------------------------------

/** What each source delivered, and every rejected input line (never hidden). */
export function sourcesView(model) {
  const { ses, cloudfront, edge } = model.sources;
  const parts = [];
  if (ses) {
    parts.push(`SES: ${num(ses.seen)} events read, ${num(ses.accepted)} accepted, ` +
      `${num(ses.rejected)} rejected`);
  }
  if (cloudfront) {
    parts.push(`CloudFront: ${num(cloudfront.lines)} lines, ${num(cloudfront.accepted)} hits, ` +
      `${num(cloudfront.rejected)} rejected, ${num(cloudfront.skipped)} skipped`);
  }
  parts.push(`Edge: ${num(edge.events)} events`);
  const listed = [
    ...(ses?.rejections ?? []).map((r) => ({ source: 'SES events', ...r })),
    ...(cloudfront?.rejections ?? []).map((r) => ({ source: 'CloudFront log', ...r })),
  ].slice(0, 10);
  const rejected = (ses?.rejected ?? 0) + (cloudfront?.rejected ?? 0);
  const notice = rejected
    ? html`<div class="notice bad" role="note"><p><strong>${num(rejected)} input
${rejected === 1 ? 'record was' : 'records were'} rejected</strong> and left out of every number
below${listed.length < rejected ? ` (the first ${listed.length} shown)` : ''}:</p>
<ul>${listed.map((p) => html`<li>${p.source}, line ${p.line}: ${p.reason}</li>`)}</ul></div>`
    : '';
  return html`<p class="sources">${parts.join(' · ')}</p>${notice}`;
}

function card(label, value, sub, tone) {
  return html`<li class="card${tone ? ` ${tone}` : ''}"><span class="card-label">${label}</span>
<span class="card-value">${value}</span>${sub ? html`<span class="card-sub">${sub}</span>` : ''}</li>`;
}

export function summaryView(model) {
  const s = model.summary;
  const engaged = s.human + s.machine;
  const basis = s.ctrBasis === 'deliveries' ? s.deliveries : s.sends;
  const cards = [
    card('Sends', num(s.sends)),
    card('Deliveries', num(s.deliveries)),
    card('Opens', num(s.opens), `${num(s.uniqueOpens)} unique`),
    card('Clicks', num(s.clicks), `${num(s.uniqueClicks)} unique`),
    card('Click-through rate', percent(s.ctr), s.ctrBasis
      ? `${num(s.ctrClickers)} human clickers / ${num(basis)} ${s.ctrBasis}`
      : 'no sends or deliveries'),
    card('Human share', percent(s.humanShare, 0), engaged
      ? `${num(s.human)} human · ${num(s.machine)} machine of ${num(engaged)} opens and clicks`
      : 'no opens or clicks'),
    card('Bounces', num(s.bounces), null, s.bounces ? 'warning' : ''),
    card('Complaints', num(s.complaints), null, s.complaints ? 'bad' : ''),
  ];
  if (s.impressions) cards.push(card('Ad impressions', num(s.impressions), 'edge pixel hits'));
  if (s.rejected) cards.push(card('Refused hits', num(s.rejected), 'bad signature, expired…', 'warning'));
  return section('summary', 'Summary', html`<ul class="cards">${cards}</ul>`);
}

export function chartView(model, { width, includeMachine }) {
  return section('chart', 'Opens and clicks over time', html`<div class="chart-controls">
<input type="checkbox" id="include-machine" data-key="include-machine"${includeMachine ? html` checked` : ''}>
<label for="include-machine">Include machine traffic (scanners, image proxies, bots)</label></div>
<figure class="chart" id="chart-figure">${chartMarkup(model.series, { width })}</figure>`);
}

const countPair = (unique, total) => `${num(unique)} / ${num(total)}`;

function metricCells(m) {
  return [num(m.sends), num(m.deliveries), countPair(m.uniqueOpens, m.opens),
    countPair(m.uniqueClicks, m.clicks), percent(m.ctr), num(m.bounces), num(m.complaints)].map(tdNum);
}

export function campaignView(model) {
  const head = ['Campaign / message', ...numeric(['Sends', 'Deliveries', 'Opens (unique / total)',
    'Clicks (unique / total)', 'CTR', 'Bounces', 'Complaints'])];
  const bodies = model.campaigns.map((c) => {
    const count = `(${c.messages.length} ${c.messages.length === 1 ? 'message' : 'messages'})`;
    return html`<tbody><tr class="group"><th scope="row">${campaignLabel(c.campaignId)}
<span class="muted">${count}</span></th>${metricCells(c.totals)}</tr>
${c.messages.map((m) => html`<tr><th scope="row" class="indent">${messageLabel(m.subject, m.messageId)}</th>
${metricCells(m)}</tr>`)}</tbody>`;
  });
  return section('campaigns', 'Campaigns and messages', table('campaign-table',
    'Per campaign, then per message. CTR: unique human clickers / deliveries.', head, bodies,
    'No events match the filters.', { sticky: true }));
}

export function linkView(model) {
  const head = ['Link', ...numeric(['Link index', 'Clicks', 'Unique', 'Human', 'Machine', 'Share of clicks'])];
  const row = (l) => html`<tr><th scope="row">${link(l.link)}</th>
${[l.linkIndexes.length ? l.linkIndexes.join(', ') : '–', num(l.clicks), num(l.unique), num(l.human),
    num(l.machine), percent(l.share)].map(tdNum)}</tr>`;
  return section('links', 'Links', table('link-table', 'Clicks per link, most clicked first', head,
    tbody(model.links, row), 'No clicks match the filters.', { sticky: true }));
}

export function problemsView(model) {
  const problem = (e) => html`<tr>${td(timeCell(e.epochMs))}${td(typeLabel(e.type))}
<th scope="row">${e.recipient ?? '–'}</th>${td(messageLabel(e.subject, e.messageId))}${td(e.detail ?? '–')}</tr>`;
  const problems = table('problem-table', 'Bounces, complaints and delivery problems, newest first',
    ['Time', 'Type', 'Recipient', 'Message', 'Detail'], tbody(model.problems, problem),
    'No bounces, complaints or delivery problems match the filters.');

  const { entries, total } = model.suppression;
  const entry = (s) => html`<tr><th scope="row">${s.recipient}</th>
${td(SUPPRESSION_REASONS[s.reason] ?? s.reason)}${td(s.detail || '–')}${td(timeCell(s.epochMs))}</tr>`;
  const suppressed = table('suppression-table',
    `Suppression list: ${num(entries.length)} of ${num(total)} recipients match the filters`,
    ['Recipient', 'Reason', 'Detail', 'Time'], tbody(entries, entry),
    total ? 'No suppressed recipient matches the filters.' : 'Nobody is suppressed: no permanent bounce or complaint.');
  return section('problems', 'Bounces and complaints', html`${problems}<h4>Do not send to</h4>${suppressed}`);
}

/** The status in words with a mark, coloured: never colour alone. */
function statusBadge(status) {
  const s = STATUS[status] ?? { label: status, tone: 'muted', mark: '?' };
  return html`<span class="badge ${s.tone}"><span aria-hidden="true">${s.mark}</span> ${s.label}</span>`;
}

export function reputationView(model) {
  const r = model.reputation?.overall;
  if (!r) {
    return section('reputation', 'Sending reputation', html`<p class="empty">No SES events: no rates to compute.</p>`);
  }
  const lv = model.levels;
  const rate = (name, report, [warning, review, pause]) => html`<tr><th scope="row">${name}</th>
${td(statusBadge(report.status))}${tdNum(percent(report.ratePpm / 1e6, 2))}
${tdNum(`${num(report.count)} / ${num(report.sends)}`)}
${td(`warning ${warning} %, review ${review} %, pause ${pause} %`)}</tr>`;
  const body = html`<tbody>
${rate('Bounce rate', r.bounceRate, [lv.bounceWarning, lv.bounceReview, lv.bouncePause])}
${rate('Complaint rate', r.complaintRate, [lv.complaintWarning, lv.complaintReview, lv.complaintPause])}
</tbody>`;
  const basis = r.sendBasis === 'send' ? 'sends' : 'deliveries plus bounces';
  return section('reputation', 'Sending reputation', table('reputation-table',
    'Bounce and complaint rates against Amazon SES’s levels',
    ['Rate', 'Status', ...numeric(['Value', 'Events / basis']), 'SES levels'], [body], ''),
  `Over the whole account (${r.permanentBounces} permanent, ${r.transientBounces} transient bounces; ` +
    `basis: ${basis}). Only the date filter applies: SES rates its senders, not single campaigns.`);
}

export function adsView(model) {
  const row = (a) => html`<tr>${td(a.date)}<th scope="row">${a.campaignId || '–'}</th>${td(a.placement || '–')}
${[num(a.impressions), num(a.clicks), num(a.reach), percent(a.ctr, 2), num(a.machineHits)].map(tdNum)}</tr>`;
  return section('ads', 'Ad delivery (CloudFront logs)', table('ad-table',
    'Per day and campaign: human impressions and clicks; machine hits counted apart',
    ['Date (UTC)', 'Campaign', 'Placement', ...numeric(['Impressions', 'Clicks', 'Reach', 'CTR', 'Machine hits'])],
    tbody(model.ads, row),
    model.sources.cloudfront ? 'No ad delivery matches the date and campaign filters.' : 'No CloudFront log loaded.'),
  'Reach is distinct visitor IPs per row; rows of several days cannot be added up for reach.');
}

// "scanner:microsoft_safe_links" reads as "scanner: microsoft safe links" (and can wrap).
const reasonText = (reason) => reason.replace(/:/g, ': ').replace(/_/g, ' ');

function trafficCell(e) {
  // SES only knows who opened or clicked; a send or a bounce is neither human nor machine.
  if (e.source === 'ses' && e.type !== 'open' && e.type !== 'click') return html`<span class="muted">–</span>`;
  if (!e.machine) return 'Human';
  const reason = e.machineReason &&
    html`<span class="reason" title="${e.machineReason}">${reasonText(e.machineReason)}</span>`;
  return html`Machine${reason}`;
}

function messageCell(e) {
  return e.subject ? html`<span title="${e.messageId}">${e.subject}</span>` : shortId(e.messageId);
}

export function activityView(model, { limit, page = 100 }) {
  const active = model.filters.type;
  const total = model.typeCounts.reduce((sum, t) => sum + t.count, 0);
  const chip = (type, label, count) => html`<button type="button" class="chip" data-type="${type}"
data-key="type-${type}" aria-pressed="${active === type}">${label} <span class="count">${num(count)}</span></button>`;
  const chips = html`<div class="chips" role="group" aria-label="Show only events of one type">
${chip('all', 'All', total)}${model.typeCounts.map((t) => chip(t.type, typeLabel(t.type), t.count))}</div>`;

  const shown = model.activity.slice(0, limit);
  const row = (e) => html`<tr>${td(timeCell(e.epochMs))}${td(typeLabel(e.type))}${td(e.recipient ?? '–')}
${td(campaignLabel(e.campaignId))}${td(messageCell(e))}${td(e.link ? link(e.link) : (e.detail ?? '–'))}
${td(trafficCell(e))}</tr>`;
  const rest = model.activity.length - shown.length;
  const more = rest > 0
    ? html`<p class="more"><button type="button" id="show-more" data-key="show-more">Show ${Math.min(page, rest)}
more</button></p>`
    : '';
  return section('activity', 'Activity', html`${chips}${table('activity-table',
    `Events, newest first: ${num(shown.length)} of ${num(model.activity.length)} shown`,
    ['Time', 'Type', 'Recipient', 'Campaign', 'Message', 'Link or detail', 'Traffic'], tbody(shown, row),
    'No events match the filters.')}${more}`);
}

/** Every section below the filters, in reading order. */
export function reportView(model, view) {
  return html`${sourcesView(model)}${summaryView(model)}${chartView(model, view)}${campaignView(model)}
${linkView(model)}${problemsView(model)}${reputationView(model)}${adsView(model)}${activityView(model, view)}`;
}
