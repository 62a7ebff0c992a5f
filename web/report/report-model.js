// Everything the engagement report shows, computed without a DOM so Node can test it. The
// back-office core (`clicktrail/backoffice`: parseSesEvents, buildSuppressionList, reputation,
// aggregateClicks) is passed in, so the same code runs on the browser and the Node module.
import { normalizeEdgeRows, normalizeSesRecords } from './normalize.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// 1970-01-05 was a Monday: weeks start on Monday (ISO 8601), in UTC.
const FIRST_MONDAY = 4 * DAY;
const MAX_BUCKETS = 60;

/** SES's account levels (percent), passed to the core so the view and the verdict agree. */
export const SES_LEVELS = Object.freeze({
  bounceWarning: 3,
  bounceReview: 5,
  bouncePause: 10,
  complaintWarning: 0.05,
  complaintReview: 0.1,
  complaintPause: 0.5,
});

/** Event types in the order the drill-down lists them. */
export const EVENT_TYPES = [
  'send', 'delivery', 'open', 'click', 'bounce', 'complaint', 'deliveryDelay', 'reject',
  'renderingFailure', 'subscription', 'impression', 'rejected', 'other',
];

export const DEFAULT_FILTERS = Object.freeze({
  from: null, // epoch ms, inclusive; null: from the first event
  to: null, // epoch ms, inclusive; null: up to the last event
  type: 'all',
  recipient: '', // case-insensitive substring
  campaign: '', // exact campaign id; '' all
  message: '', // exact message id; '' all
});

export function normalizeFilters(filters = {}) {
  const out = { ...DEFAULT_FILTERS, ...filters };
  for (const key of ['from', 'to']) if (!Number.isFinite(out[key])) out[key] = null;
  out.recipient = String(out.recipient ?? '').trim();
  return out;
}

// ---- preparing the sources (once per data set) ----------------------------------------------

/** The UTC span [start, end] of rows dated by day (CloudFront aggregates). */
function dayRange(row) {
  const start = Date.parse(`${row.dateStart}T00:00:00Z`);
  const end = Date.parse(`${row.dateEnd ?? row.dateStart}T00:00:00Z`) + DAY - 1;
  return Number.isFinite(start) && Number.isFinite(end) ? [start, end] : null;
}

/** {from, to} covering every event and ad row, or null when there is nothing dated. */
export function spanOf(events, adRows = []) {
  let from = Infinity;
  let to = -Infinity;
  for (const { epochMs } of events) {
    if (epochMs === null) continue;
    from = Math.min(from, epochMs);
    to = Math.max(to, epochMs);
  }
  for (const row of adRows) {
    const range = dayRange(row);
    if (!range) continue;
    from = Math.min(from, range[0]);
    to = Math.max(to, range[1]);
  }
  return from <= to ? { from, to } : null;
}

/**
 * Parses the three sources once: `data` is {generatedAt, edgeEvents, ses, cloudfront}, `core`
 * the back-office API. Returns the normalised events (oldest first), what each parser accepted
 * and rejected, the suppression list, the ad rows and a memoised reputation(filters).
 */
export function prepareReport(data, core) {
  const sesText = typeof data?.ses === 'string' ? data.ses : '';
  const logText = typeof data?.cloudfront === 'string' ? data.cloudfront : '';
  const edgeRows = Array.isArray(data?.edgeEvents) ? data.edgeEvents : [];

  const batch = sesText.trim() ? core.parseSesEvents(sesText) : null;
  const suppression = batch ? core.buildSuppressionList(sesText) : { count: 0, entries: [] };
  const ads = logText.trim() ? core.aggregateClicks(logText) : null;

  const events = [...normalizeSesRecords(batch?.records, core.classifyTraffic), ...normalizeEdgeRows(edgeRows)];
  // Oldest first, undated last; sort is stable so equal times keep their input order.
  events.forEach((event, index) => (event.order = index));
  events.sort((a, b) => (a.epochMs ?? Infinity) - (b.epochMs ?? Infinity) || a.order - b.order);

  // The rates depend only on the date range; recomputing on every keystroke of the recipient
  // filter would re-parse the whole SES text.
  const reputations = new Map();
  const reputationFor = (filters) => {
    const options = reputationOptions(filters);
    const key = `${options.from}|${options.to}`;
    if (!reputations.has(key)) {
      reputations.set(key, batch ? core.reputation(sesText, options) : null);
    }
    return reputations.get(key);
  };

  const adRows = ads?.result ?? [];
  return {
    generatedAt: data?.generatedAt ?? null,
    events,
    span: spanOf(events, adRows),
    sources: {
      ses: batch && {
        seen: batch.seen,
        accepted: batch.accepted,
        rejected: batch.rejected,
        records: batch.records.length,
        rejections: batch.rejections.map(({ line, reason }) => ({ line, reason })),
      },
      cloudfront: ads && {
        lines: ads.report.parse.lines,
        accepted: ads.report.parse.accepted,
        rejected: ads.report.parse.rejected,
        skipped: ads.report.parse.skipped,
        rejections: ads.report.parse.errors.map(({ line, reason }) => ({ line, reason })),
        machineReasons: ads.report.aggregate?.machineReasons ?? {},
      },
      edge: { events: edgeRows.length },
    },
    suppression,
    adRows,
    reputationFor,
  };
}

/** Options for core.reputation: the date filter (absent bounds: all time) and SES's levels. */
export function reputationOptions(filters) {
  const { from, to } = normalizeFilters(filters);
  const options = { levels: SES_LEVELS };
  if (from !== null) options.from = from;
  if (to !== null) options.to = to;
  return options;
}

// ---- filtering --------------------------------------------------------------------------------

/** Events matching the filters; `ignoreType` keeps every type (for the per-type counts). */
export function filterEvents(events, filters, { ignoreType = false } = {}) {
  const f = normalizeFilters(filters);
  const needle = f.recipient.toLowerCase();
  return events.filter(
    (e) =>
      (f.from === null || (e.epochMs !== null && e.epochMs >= f.from)) &&
      (f.to === null || (e.epochMs !== null && e.epochMs <= f.to)) &&
      (ignoreType || f.type === 'all' || e.type === f.type) &&
      (!needle || (e.recipient ?? '').toLowerCase().includes(needle)) &&
      (!f.campaign || e.campaignId === f.campaign) &&
      (!f.message || e.messageId === f.message),
  );
}

/** Choices for the campaign and message selects; messages only of the chosen campaign. */
export function filterOptions(events, adRows, filters) {
  const f = normalizeFilters(filters);
  const campaigns = new Set();
  for (const e of events) if (e.campaignId) campaigns.add(e.campaignId);
  for (const row of adRows) if (row.campaignId) campaigns.add(row.campaignId);
  const messages = new Map();
  for (const e of events) {
    if (!e.messageId || (f.campaign && e.campaignId !== f.campaign)) continue;
    const known = messages.get(e.messageId);
    if (!known) messages.set(e.messageId, { id: e.messageId, subject: e.subject, campaignId: e.campaignId });
    else known.subject ??= e.subject;
  }
  return { campaigns: [...campaigns].sort(), messages: [...messages.values()] };
}

// ---- counting ---------------------------------------------------------------------------------

// Unique opens and clicks count (message, recipient) pairs: the same person opening two
// messages is two unique opens, as in every ESP's report. An event without a recipient cannot
// be matched to another one and counts as its own.
function uniqueKey(event) {
  return event.recipient === null ? event : `${event.messageId}\u0000${event.recipient}`;
}

const ratio = (part, whole) => (whole > 0 ? part / whole : null);

/**
 * The counts of one set of events. CTR is unique human clickers over deliveries (over sends
 * when nothing reported deliveries): link scanners click every link and would inflate it. Only
 * clickers of messages with a delivery (a send) count, so clicks the edge recorded for mail
 * that SES did not report on cannot push the rate up.
 */
export function countEvents(events) {
  const c = {
    events: events.length, sends: 0, deliveries: 0, opens: 0, clicks: 0, bounces: 0,
    complaints: 0, impressions: 0, rejected: 0, human: 0, machine: 0,
  };
  const openers = new Set();
  const clickers = new Set();
  const humanClickers = new Map(); // unique key -> message id
  const sent = new Set();
  const delivered = new Set();
  for (const e of events) {
    switch (e.type) {
      case 'send':
        c.sends++;
        sent.add(e.messageId);
        break;
      case 'delivery':
        c.deliveries++;
        delivered.add(e.messageId);
        break;
      case 'bounce': c.bounces++; break;
      case 'complaint': c.complaints++; break;
      case 'impression': c.impressions++; break;
      case 'rejected': c.rejected++; break;
      case 'open':
        c.opens++;
        openers.add(uniqueKey(e));
        break;
      case 'click':
        c.clicks++;
        clickers.add(uniqueKey(e));
        // Clicks without a recipient (links signed without one) count as one clicker per
        // message here, or a few of them could push the rate past 100 %.
        if (!e.machine) humanClickers.set(e.recipient === null ? `${e.messageId}\u0000` : uniqueKey(e), e.messageId);
        break;
      default: break;
    }
    if (e.type === 'open' || e.type === 'click') {
      if (e.machine) c.machine++;
      else c.human++;
    }
  }
  c.uniqueOpens = openers.size;
  c.uniqueClicks = clickers.size;
  c.uniqueHumanClicks = humanClickers.size;
  c.ctrBasis = c.deliveries > 0 ? 'deliveries' : c.sends > 0 ? 'sends' : null;
  const basis = c.deliveries > 0 ? delivered : sent;
  c.ctrClickers = [...humanClickers.values()].filter((messageId) => basis.has(messageId)).length;
  c.ctr = ratio(c.ctrClickers, c.deliveries || c.sends);
  c.humanShare = ratio(c.human, c.human + c.machine);
  c.machineShare = ratio(c.machine, c.human + c.machine);
  return c;
}

/** Per campaign (sorted by id, no campaign last), its totals and its messages (oldest first). */
export function campaignTable(events) {
  const campaigns = new Map();
  for (const e of events) {
    const campaign = campaigns.get(e.campaignId) ?? { campaignId: e.campaignId, events: [], messages: new Map() };
    campaigns.set(e.campaignId, campaign);
    campaign.events.push(e);
    const message = campaign.messages.get(e.messageId) ?? { messageId: e.messageId, subject: null, events: [] };
    campaign.messages.set(e.messageId, message);
    message.subject ??= e.subject;
    message.events.push(e);
  }
  const byName = (a, b) =>
    (a.campaignId === null) - (b.campaignId === null) || String(a.campaignId).localeCompare(String(b.campaignId));
  return [...campaigns.values()].sort(byName).map((campaign) => ({
    campaignId: campaign.campaignId,
    totals: countEvents(campaign.events),
    messages: [...campaign.messages.values()]
      .map((m) => ({
        messageId: m.messageId, subject: m.subject, firstMs: m.events[0].epochMs, ...countEvents(m.events),
      }))
      .sort((a, b) => (a.firstMs ?? Infinity) - (b.firstMs ?? Infinity)),
  }));
}

/** Clicks per target link, most clicked first; share is of all clicks in the events. */
export function linkTable(events) {
  const clicks = events.filter((e) => e.type === 'click');
  const links = new Map();
  for (const e of clicks) {
    const key = e.link ?? `#${e.linkIndex ?? '?'}`;
    const row = links.get(key) ?? { link: e.link, indexes: new Set(), events: [] };
    links.set(key, row);
    if (e.linkIndex !== null) row.indexes.add(e.linkIndex);
    row.events.push(e);
  }
  return [...links.values()]
    .map((row) => {
      const machine = row.events.filter((e) => e.machine).length;
      return {
        link: row.link,
        linkIndexes: [...row.indexes].sort((a, b) => a - b),
        clicks: row.events.length,
        unique: new Set(row.events.map(uniqueKey)).size,
        human: row.events.length - machine,
        machine,
        share: ratio(row.events.length, clicks.length),
      };
    })
    .sort((a, b) => b.clicks - a.clicks || String(a.link).localeCompare(String(b.link)));
}

/** Events per type (ignoring the type filter), in EVENT_TYPES order, only types present. */
export function typeCounts(events) {
  const counts = new Map();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const known = EVENT_TYPES.filter((type) => counts.has(type));
  const unknown = [...counts.keys()].filter((type) => !EVENT_TYPES.includes(type)).sort();
  return [...known, ...unknown].map((type) => ({ type, count: counts.get(type) }));
}

/** Newest first; events of the same instant in reverse input order; undated last. */
export function newestFirst(events) {
  return [...events].sort(
    (a, b) => (b.epochMs ?? -Infinity) - (a.epochMs ?? -Infinity) || (b.order ?? 0) - (a.order ?? 0),
  );
}

const PROBLEM_TYPES = new Set(['bounce', 'complaint', 'deliveryDelay', 'reject', 'renderingFailure']);

/** Bounces, complaints and other delivery problems, newest first. */
export function deliveryProblems(events) {
  return newestFirst(events.filter((e) => PROBLEM_TYPES.has(e.type)));
}

/** Suppression entries matching the filters (the campaign through the entry's message). */
export function filterSuppression(entries, filters, campaignOfMessage) {
  const f = normalizeFilters(filters);
  const needle = f.recipient.toLowerCase();
  return entries.filter((entry) => {
    const ms = entry.epochMs ?? Date.parse(entry.timestamp);
    return (
      (f.from === null || ms >= f.from) &&
      (f.to === null || ms <= f.to) &&
      (!needle || entry.recipient.toLowerCase().includes(needle)) &&
      (!f.message || entry.messageId === f.message) &&
      (!f.campaign || campaignOfMessage.get(entry.messageId) === f.campaign)
    );
  });
}

/** CloudFront daily rows overlapping the date range, of the chosen campaign. */
export function filterAdRows(rows, filters) {
  const f = normalizeFilters(filters);
  return rows
    .filter((row) => {
      const range = dayRange(row);
      return (
        (!f.campaign || row.campaignId === f.campaign) &&
        (f.from === null || (range && range[1] >= f.from)) &&
        (f.to === null || (range && range[0] <= f.to))
      );
    })
    .map((row) => ({
      date: row.dateStart,
      campaignId: row.campaignId,
      placement: [row.publicationId, row.channel, row.itemPath].filter(Boolean).join(' · '),
      impressions: row.metrics.impressions,
      clicks: row.metrics.clicks,
      reach: row.metrics.reach,
      ctr: row.metrics.impressions > 0 ? row.metrics.ctr : null,
      machineHits: (row.machine?.impressions ?? 0) + (row.machine?.clicks ?? 0),
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.campaignId.localeCompare(b.campaignId) ||
      a.placement.localeCompare(b.placement));
}

// ---- time series --------------------------------------------------------------------------------

/** The bucket for a span: hours up to 60 hours, days up to 60 days, else weeks (UTC). */
export function chooseBucket(fromMs, toMs) {
  const span = Math.max(0, toMs - fromMs);
  if (span <= MAX_BUCKETS * HOUR) return { unit: 'hour', ms: HOUR };
  if (span <= MAX_BUCKETS * DAY) return { unit: 'day', ms: DAY };
  return { unit: 'week', ms: WEEK };
}

export function bucketStart(ms, bucket) {
  const origin = bucket.unit === 'week' ? FIRST_MONDAY : 0;
  return Math.floor((ms - origin) / bucket.ms) * bucket.ms + origin;
}

/** Opens and clicks per UTC bucket over [from, to]; machine traffic only when asked. */
export function timeSeries(events, { from, to, includeMachine = false }) {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    return { unit: null, bucketMs: null, includeMachine, points: [], totals: { opens: 0, clicks: 0 } };
  }
  const bucket = chooseBucket(from, to);
  const first = bucketStart(from, bucket);
  const points = [];
  for (let start = first; start <= to; start += bucket.ms) points.push({ start, opens: 0, clicks: 0 });
  const totals = { opens: 0, clicks: 0 };
  for (const e of events) {
    if ((e.type !== 'open' && e.type !== 'click') || (e.machine && !includeMachine)) continue;
    if (e.epochMs === null || e.epochMs < from || e.epochMs > to) continue;
    const point = points[Math.floor((e.epochMs - first) / bucket.ms)];
    const key = e.type === 'open' ? 'opens' : 'clicks';
    point[key]++;
    totals[key]++;
  }
  return { unit: bucket.unit, bucketMs: bucket.ms, includeMachine, points, totals };
}

// ---- the whole view ------------------------------------------------------------------------------

/**
 * The model the component renders: every number on screen, for the filters given.
 * `includeMachine` only changes the chart; the tables always show both, split.
 */
export function buildModel(prepared, filters, { includeMachine = false } = {}) {
  const f = normalizeFilters(filters);
  const untyped = filterEvents(prepared.events, f, { ignoreType: true });
  const events = f.type === 'all' ? untyped : untyped.filter((e) => e.type === f.type);
  const range = { from: f.from ?? prepared.span?.from ?? null, to: f.to ?? prepared.span?.to ?? null };
  const campaignOfMessage = new Map();
  for (const e of prepared.events) {
    if (e.messageId && e.campaignId) campaignOfMessage.set(e.messageId, e.campaignId);
  }
  return {
    filters: f,
    span: prepared.span,
    generatedAt: prepared.generatedAt,
    options: filterOptions(prepared.events, prepared.adRows, f),
    sources: prepared.sources,
    events, // the events matching the filters, oldest first
    summary: countEvents(events),
    series: timeSeries(events, { ...range, includeMachine }),
    campaigns: campaignTable(events),
    links: linkTable(events),
    typeCounts: typeCounts(untyped),
    activity: newestFirst(events),
    problems: deliveryProblems(events),
    suppression: {
      total: prepared.suppression.count,
      entries: newestFirst(
        filterSuppression(prepared.suppression.entries, f, campaignOfMessage).map((entry) => ({
          ...entry,
          epochMs: entry.epochMs ?? Date.parse(entry.timestamp),
        })),
      ),
    },
    reputation: prepared.reputationFor(f),
    levels: SES_LEVELS,
    ads: filterAdRows(prepared.adRows, f),
  };
}
