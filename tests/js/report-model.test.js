// The engagement report's data layer (web/report/normalize.js, report-model.js) on the real
// back-office WebAssembly module: what a reader of the report sees (counts, unique vs total, CTR,
// filters, order, chart buckets, human vs machine, suppression and reputation). Expected numbers
// are worked out by hand from the small fixtures below, not read off the code's output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import * as core from '../../wasm/src/backoffice-node.js';
import { bucketLabel, chartSummary } from '../../web/report/chart.js';
import { normalizeEdgeRows, normalizeSesRecords } from '../../web/report/normalize.js';
import {
  SES_LEVELS,
  buildModel,
  bucketStart,
  campaignTable,
  chooseBucket,
  countEvents,
  filterEvents,
  linkTable,
  newestFirst,
  prepareReport,
  timeSeries,
} from '../../web/report/report-model.js';
import { reportView } from '../../web/report/report-view.js';

import { ROOT } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 3, 9, 0, 0); // Tuesday 2026-11-03 09:00 UTC

const HUMAN_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const SCANNER_UA = 'Mozilla/5.0 (compatible; Barracuda Sentinel URL Scanner)';
const PROXY_UA = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

// One SES event publishing record in the structure of AWS's documented examples.
function ses(eventType, options) {
  const { id = 'm1', to = ['a@example.com'], sent = T0, at = sent, campaign = 'c1', subject = 'Hello', ...detail } = options;
  const mail = {
    timestamp: new Date(sent).toISOString(),
    source: 'news@example.com',
    messageId: id,
    destination: to,
    commonHeaders: { from: ['news@example.com'], to, messageId: id, subject },
    tags: { 'ses:configuration-set': ['demo'], ...(campaign ? { campaign: [campaign] } : {}) },
  };
  const time = new Date(at).toISOString();
  const body = {
    Send: () => ({ send: {} }),
    Delivery: () => ({ delivery: { timestamp: time, recipients: to, smtpResponse: '250 OK' } }),
    Open: () => ({ open: { timestamp: time, ipAddress: '192.0.2.1', userAgent: detail.ua ?? HUMAN_UA } }),
    Click: () => ({
      click: {
        timestamp: time, ipAddress: '192.0.2.1', userAgent: detail.ua ?? HUMAN_UA, link: detail.link,
        linkTags: detail.index === undefined ? {} : { link: [String(detail.index)] },
      },
    }),
    Bounce: () => ({
      bounce: {
        bounceType: detail.bounceType ?? 'Permanent', bounceSubType: detail.bounceSubType ?? 'General', timestamp: time,
        feedbackId: 'f1', bouncedRecipients: to.map((emailAddress) => ({ emailAddress, status: '5.1.1' })),
      },
    }),
    Complaint: () => ({
      complaint: {
        timestamp: time, feedbackId: 'f2', complaintFeedbackType: 'abuse',
        complainedRecipients: to.map((emailAddress) => ({ emailAddress })),
      },
    }),
  }[eventType]();
  return JSON.stringify({ eventType, mail, ...body });
}

// Message m1 of campaign c1, sent to four people at T0:
//   a: delivered, opens twice (human), clicks link 0 twice (human)
//   b: delivered, one open through Google's image proxy (machine)
//   c: delivered, link 1 clicked by a mail scanner (machine)
//   d: permanent bounce
const A = 'alice@example.com';
const B = 'bob@example.com';
const C = 'carol@example.org';
const D = 'dave@example.org';
const LINK0 = 'https://shop.example.com/spring?id=7';
const LINK1 = 'https://shop.example.com/spring';
const M1 = [
  ses('Send', { to: [A, B, C, D] }),
  ses('Delivery', { to: [A, B, C], at: T0 + 5_000 }),
  ses('Bounce', { to: [D], at: T0 + 60_000 }),
  ses('Open', { to: [A], at: T0 + 1 * HOUR }),
  ses('Click', { to: [A], at: T0 + 1 * HOUR + 60_000, link: LINK0, index: 0 }),
  ses('Open', { to: [B], at: T0 + 2 * HOUR, ua: PROXY_UA }),
  ses('Click', { to: [C], at: T0 + 10_000, link: LINK1, index: 1, ua: SCANNER_UA }),
  ses('Open', { to: [A], at: T0 + DAY }),
  ses('Click', { to: [A], at: T0 + DAY + 60_000, link: LINK0, index: 0 }),
].join('\n');

const sesEventsOf = (text) => normalizeSesRecords(core.parseSesEvents(text).records, core.classifyTraffic);

function edgeRow(overrides) {
  return {
    id: 1, type: 'click', time: new Date(T0).toISOString(), epoch_ms: T0, method: 'GET', machine: 0,
    machine_reason: 'human', bot_score: null, ip: '198.51.100.0', user_agent: HUMAN_UA, referer: null,
    country: 'DE', colo: 'FRA', key_id: 'k1', message_id: 'msg-42', recipient_id: '3f9a0c1b2d4e5f60',
    link_index: 2, tags: null, order_id: null, campaign_id: 'spring-sale', publication_id: null,
    channel: null, creative: null, size: null, target: 'https://shop.example.com/a', endpoint: null, error: null,
    ...overrides,
  };
}

describe('normalize: SES records', () => {
  const events = sesEventsOf(M1);

  test('one event per recipient: the Send to four people is four sends', () => {
    assert.equal(events.filter((e) => e.type === 'send').length, 4);
    assert.deepEqual(events.filter((e) => e.type === 'send').map((e) => e.recipient), [A, B, C, D]);
  });

  test('a bounce names the address, the campaign tag and "Permanent/General"', () => {
    const bounce = events.find((e) => e.type === 'bounce');
    assert.deepEqual(
      { ...bounce },
      {
        source: 'ses', type: 'bounce', epochMs: T0 + 60_000, time: '2026-11-03T09:01:00.000Z',
        messageId: 'm1', campaignId: 'c1', subject: 'Hello', recipient: D, link: null, linkIndex: null,
        machine: false, machineReason: null, detail: 'Permanent/General',
      },
    );
  });

  test('a click carries its link and the index of ses:tags="link:N"; a scanner is machine', () => {
    const clickOf = (recipient) => events.find((e) => e.recipient === recipient && e.type === 'click');
    const [human, scanner] = [clickOf(A), clickOf(C)];
    assert.deepEqual([human.link, human.linkIndex, human.machine], [LINK0, 0, false]);
    assert.deepEqual(
      [scanner.link, scanner.linkIndex, scanner.machine, scanner.machineReason],
      [LINK1, 1, true, 'scanner:barracuda'],
    );
  });

  test('a complaint shows its feedback type; no campaign tag is null, not ""', () => {
    const [complaint] = sesEventsOf(ses('Complaint', { to: [A], campaign: null }));
    assert.equal(complaint.detail, 'abuse');
    assert.equal(complaint.campaignId, null);
  });

  test('the core labels traffic: HEAD, no User-Agent, image proxies are machine', () => {
    const { classifyTraffic } = core;
    assert.deepEqual(classifyTraffic('HEAD', HUMAN_UA), { machine: true, reason: 'head_request' });
    assert.deepEqual(classifyTraffic('GET', ''), { machine: true, reason: 'automation:no_user_agent' });
    assert.deepEqual(classifyTraffic('GET', PROXY_UA), { machine: true, reason: 'proxy:google_image_proxy' });
    assert.deepEqual(classifyTraffic('GET', HUMAN_UA), { machine: false, reason: 'human' });
  });
});

describe('normalize: edge rows', () => {
  test('the recipient is the opaque id, the link the target, machine the 0/1 column', () => {
    const [event] = normalizeEdgeRows([edgeRow({ machine: 1, machine_reason: 'scanner:mimecast' })]);
    assert.deepEqual(
      { ...event },
      {
        source: 'edge', type: 'click', epochMs: T0, time: '2026-11-03T09:00:00.000Z', messageId: 'msg-42',
        campaignId: 'spring-sale', subject: null, recipient: '3f9a0c1b2d4e5f60', link: 'https://shop.example.com/a',
        linkIndex: 2, machine: true, machineReason: 'scanner:mimecast', detail: null,
      },
    );
  });

  test('a refused hit says why; the campaign falls back to the tags; bad tags are ignored', () => {
    const [rejected, tagged, broken] = normalizeEdgeRows([
      edgeRow({ type: 'rejected', error: 'bad_signature', endpoint: 'click', campaign_id: null }),
      edgeRow({ campaign_id: null, tags: '{"campaign":"autumn"}' }),
      edgeRow({ campaign_id: null, tags: '{not json', recipient_id: '', link_index: null }),
    ]);
    assert.equal(rejected.detail, 'bad_signature on click');
    assert.equal(tagged.campaignId, 'autumn');
    assert.deepEqual([broken.campaignId, broken.recipient, broken.linkIndex], [null, null, null]);
  });
});

describe('report model: counts', () => {
  const events = sesEventsOf(M1);

  test('sends, deliveries, bounces; opens and clicks total vs unique recipients', () => {
    const c = countEvents(events);
    assert.deepEqual(
      [c.sends, c.deliveries, c.bounces, c.complaints, c.opens, c.uniqueOpens, c.clicks, c.uniqueClicks],
      [4, 3, 1, 0, 3, 2, 3, 2],
    );
  });

  test('CTR is unique human clickers over deliveries: the scanner does not count', () => {
    const c = countEvents(events);
    assert.equal(c.uniqueHumanClicks, 1); // only alice; carol's click was her mail scanner
    assert.equal(c.ctrBasis, 'deliveries');
    assert.equal(c.ctr, 1 / 3);
  });

  test('CTR falls back to sends without deliveries, and is empty without either', () => {
    const noDeliveries = events.filter((e) => e.type !== 'delivery');
    assert.deepEqual([countEvents(noDeliveries).ctrBasis, countEvents(noDeliveries).ctr], ['sends', 1 / 4]);
    const clicksOnly = events.filter((e) => e.type === 'click');
    assert.deepEqual([countEvents(clicksOnly).ctrBasis, countEvents(clicksOnly).ctr], [null, null]);
  });

  test('human vs machine share of opens and clicks', () => {
    const c = countEvents(events);
    // Human: alice's 2 opens + 2 clicks; machine: bob's proxy open + carol's scanner click.
    assert.deepEqual([c.human, c.machine], [4, 2]);
    assert.equal(c.humanShare, 4 / 6);
    assert.equal(c.machineShare, 2 / 6);
  });

  test('clicks on mail SES did not report on leave the CTR alone', () => {
    const edgeClicks = normalizeEdgeRows([edgeRow({}), edgeRow({ recipient_id: 'another-reader-id' })]);
    const c = countEvents([...events, ...edgeClicks]);
    assert.deepEqual([c.uniqueHumanClicks, c.ctrClickers, c.ctr], [3, 1, 1 / 3]);
  });

  test('edge events without a recipient id each count as their own unique click', () => {
    const anonymous = edgeRow({ recipient_id: null });
    const rows = normalizeEdgeRows([anonymous, anonymous, edgeRow({}), edgeRow({})]);
    assert.deepEqual([countEvents(rows).clicks, countEvents(rows).uniqueClicks], [4, 3]);
  });

  test('clicks without a recipient count as one clicker per message in the CTR, never over 100 %', () => {
    const delivered = sesEventsOf(ses('Delivery', { id: 'msg-42', to: [A] }));
    const anonymous = normalizeEdgeRows([1, 2, 3].map((id) => edgeRow({ id, recipient_id: null })));
    const c = countEvents([...delivered, ...anonymous]);
    assert.deepEqual([c.deliveries, c.clicks, c.ctrClickers, c.ctr], [1, 3, 1, 1]);
  });
});

describe('report model: tables', () => {
  test('per campaign and message: totals, then each message oldest first', () => {
    const m2 = [
      ses('Send', { id: 'm2', to: [A, B], sent: T0 + 2 * DAY, subject: 'Reminder' }),
      ses('Delivery', { id: 'm2', to: [A, B], sent: T0 + 2 * DAY, subject: 'Reminder' }),
      ses('Click', { id: 'm2', to: [B], sent: T0 + 2 * DAY, at: T0 + 3 * DAY, subject: 'Reminder', link: LINK0, index: 0 }),
      ses('Send', { id: 'w1', to: [C], at: T0, campaign: 'welcome', subject: 'Welcome' }),
    ].join('\n');
    const table = campaignTable(sesEventsOf(`${m2}\n${M1}`).sort((a, b) => a.epochMs - b.epochMs));
    assert.deepEqual(table.map((c) => c.campaignId), ['c1', 'welcome']);
    const [c1] = table;
    assert.deepEqual(c1.messages.map((m) => [m.messageId, m.subject, m.sends, m.deliveries, m.uniqueClicks, m.clicks]), [
      ['m1', 'Hello', 4, 3, 2, 3],
      ['m2', 'Reminder', 2, 2, 1, 1],
    ]);
    // Campaign CTR: unique human clickers (alice on m1, bob on m2) over 5 deliveries.
    assert.deepEqual([c1.totals.sends, c1.totals.deliveries, c1.totals.uniqueHumanClicks, c1.totals.ctr], [6, 5, 2, 2 / 5]);
  });

  test('per link: clicks, unique, human, machine and share, most clicked first', () => {
    const links = linkTable(sesEventsOf(M1));
    assert.deepEqual(links, [
      { link: LINK0, linkIndexes: [0], clicks: 2, unique: 1, human: 2, machine: 0, share: 2 / 3 },
      { link: LINK1, linkIndexes: [1], clicks: 1, unique: 1, human: 0, machine: 1, share: 1 / 3 },
    ]);
  });

  test('the activity list is newest first; events of one instant latest-recorded first', () => {
    const events = sesEventsOf(M1).map((e, order) => ({ ...e, order }));
    const list = newestFirst(events);
    assert.deepEqual(list.slice(0, 2).map((e) => [e.type, e.recipient]), [['click', A], ['open', A]]);
    assert.equal(list.at(-1).type, 'send');
    // The four sends share T0: the last one recorded (dave) comes first.
    assert.deepEqual(list.filter((e) => e.type === 'send').map((e) => e.recipient), [D, C, B, A]);
  });
});

describe('report model: filters', () => {
  const events = sesEventsOf(M1);

  test('the date range includes both ends', () => {
    const opensAndClicksOfDay1 = filterEvents(events, { from: T0 + HOUR, to: T0 + HOUR + 60_000 });
    assert.deepEqual(opensAndClicksOfDay1.map((e) => e.type), ['open', 'click']);
  });

  test('type, case-insensitive recipient substring, campaign and message', () => {
    assert.equal(filterEvents(events, { type: 'open' }).length, 3);
    assert.equal(filterEvents(events, { recipient: 'ALICE@' }).length, 6); // send, delivery, 2 opens, 2 clicks
    // carol: send, delivery, click; dave: send, bounce
    assert.equal(filterEvents(events, { recipient: 'example.org' }).length, 5);
    assert.equal(filterEvents(events, { campaign: 'c1', message: 'm1' }).length, events.length);
    assert.equal(filterEvents(events, { campaign: 'other' }).length, 0);
    assert.equal(filterEvents(events, { type: 'click', recipient: 'carol' }).length, 1);
  });

  test('the drill-down counts every type while the list shows only the chosen one', () => {
    const prepared = prepareReport({ ses: M1 }, core);
    const model = buildModel(prepared, { type: 'click' });
    assert.deepEqual(model.typeCounts, [
      { type: 'send', count: 4 }, { type: 'delivery', count: 3 }, { type: 'open', count: 3 },
      { type: 'click', count: 3 }, { type: 'bounce', count: 1 },
    ]);
    assert.equal(model.events.length, 3);
    assert.ok(model.activity.every((e) => e.type === 'click'));
    assert.equal(model.summary.sends, 0);
  });
});

describe('report model: chart buckets', () => {
  test('hours up to 60 hours, days up to 60 days, then weeks', () => {
    assert.equal(chooseBucket(T0, T0 + 59 * HOUR).unit, 'hour');
    assert.equal(chooseBucket(T0, T0 + 60 * HOUR).unit, 'hour');
    assert.equal(chooseBucket(T0, T0 + 61 * HOUR).unit, 'day');
    assert.equal(chooseBucket(T0, T0 + 60 * DAY).unit, 'day');
    assert.equal(chooseBucket(T0, T0 + 61 * DAY).unit, 'week');
  });

  test('buckets are UTC days and Monday-based UTC weeks', () => {
    const wednesday = Date.UTC(2026, 10, 4, 23, 30);
    assert.equal(bucketStart(wednesday, chooseBucket(0, 10 * DAY)), Date.UTC(2026, 10, 4));
    assert.equal(bucketStart(wednesday, chooseBucket(0, 100 * DAY)), Date.UTC(2026, 10, 2)); // Monday
    assert.equal(bucketLabel(Date.UTC(2026, 10, 2), 'week'), 'w/c 2 Nov');
  });

  test('human only by default; the machine checkbox adds the proxy open and the scanner click', () => {
    const events = sesEventsOf(M1);
    const range = { from: T0, to: T0 + DAY + 60_000 };
    const human = timeSeries(events, range);
    assert.equal(human.unit, 'hour'); // 24 hours and a minute
    assert.equal(human.points.length, 25);
    assert.deepEqual(human.totals, { opens: 2, clicks: 2 });
    assert.deepEqual([human.points[1].opens, human.points[1].clicks, human.points[24].opens], [1, 1, 1]);
    const all = timeSeries(events, { ...range, includeMachine: true });
    assert.deepEqual(all.totals, { opens: 3, clicks: 3 });
    assert.deepEqual([all.points[0].clicks, all.points[2].opens], [1, 1]);
    assert.match(chartSummary(human), /human traffic only: 2 opens, most opens \(1\)/);
  });

  test('a report over the data span picks days for two weeks of data', () => {
    const model = buildModel(prepareReport({ ses: M1, edgeEvents: [edgeRow({ epoch_ms: T0 + 14 * DAY })] }, core), {});
    assert.equal(model.series.unit, 'day');
    assert.equal(model.series.points.length, 15);
  });
});

describe('report model: the core wiring', () => {
  test('suppression comes from the core and follows the recipient and campaign filters', () => {
    const text = `${M1}\n${ses('Complaint', { to: [B], at: T0 + 3 * HOUR })}`;
    const prepared = prepareReport({ ses: text }, core);
    const all = buildModel(prepared, {}).suppression;
    assert.equal(all.total, 2);
    assert.deepEqual(all.entries.map((e) => [e.recipient, e.reason, e.detail]), [
      [B, 'complaint', 'abuse'], // newest first
      [D, 'permanentBounce', 'Permanent/General'],
    ]);
    assert.deepEqual(buildModel(prepared, { recipient: 'DAVE' }).suppression.entries.map((e) => e.recipient), [D]);
    assert.equal(buildModel(prepared, { campaign: 'other' }).suppression.entries.length, 0);
  });

  test('reputation is asked for the filter\'s date range with SES\'s levels, once per range', () => {
    const calls = [];
    const fake = {
      ...core,
      reputation: (text, options) => {
        calls.push(options);
        return core.reputation(text, options);
      },
    };
    const prepared = prepareReport({ ses: M1 }, fake);
    buildModel(prepared, {});
    buildModel(prepared, { recipient: 'a' }); // same range: no second parse
    buildModel(prepared, { from: T0 + HOUR, to: T0 + 2 * DAY });
    assert.deepEqual(calls, [{ levels: SES_LEVELS }, { levels: SES_LEVELS, from: T0 + HOUR, to: T0 + 2 * DAY }]);
  });

  test('the bounce rate is 1 in 4 sends (at risk), and nothing once the range leaves it out', () => {
    const prepared = prepareReport({ ses: M1 }, core);
    const whole = buildModel(prepared, {}).reputation.overall;
    assert.deepEqual([whole.bounceRate.count, whole.bounceRate.sends, whole.bounceRate.status], [1, 4, 'at_risk_of_pause']);
    assert.equal(whole.complaintRate.status, 'ok');
    const later = buildModel(prepared, { from: T0 + HOUR }).reputation.overall;
    assert.equal(later.bounceRate.status, 'no_sends');
  });

  test('rejected input lines are counted and named with their line numbers', () => {
    const model = buildModel(prepareReport({ ses: `${ses('Send', {})}\nnot json\n{"x":1}` }, core), {});
    assert.deepEqual([model.sources.ses.accepted, model.sources.ses.rejected], [1, 2]);
    assert.deepEqual(model.sources.ses.rejections.map((r) => r.line), [2, 3]);
    assert.match(model.sources.ses.rejections[0].reason, /invalid JSON/);
  });

  test('an empty data set renders a report with zeros, not an error', () => {
    const model = buildModel(prepareReport({ edgeEvents: [], ses: '', cloudfront: '' }, core), {});
    assert.deepEqual(
      [model.events.length, model.summary.ctr, model.reputation, model.ads.length, model.series.points.length],
      [0, null, null, 0, 0],
    );
  });
});

describe('the view escapes the data', () => {
  test('markup in a recipient id, a link or an error is shown as text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const prepared = prepareReport({
      edgeEvents: [
        edgeRow({ recipient_id: evil, target: `https://x.example.com/"${evil}` }),
        edgeRow({ type: 'rejected', error: evil, endpoint: 'click' }),
      ],
    }, core);
    const markup = String(reportView(buildModel(prepared, {}), { width: 600, includeMachine: false, limit: 100 }));
    assert.ok(!markup.includes('<img'));
    assert.ok(markup.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!markup.includes('"<'));
  });
});

describe('the demo seed data', () => {
  const sesText = readFileSync(join(ROOT, 'examples', 'ses', 'demo-events.ndjson'), 'utf8');
  const logText = readFileSync(join(ROOT, 'examples', 'cloudfront', 'demo-access.log'), 'utf8');
  const prepared = prepareReport({ ses: sesText, cloudfront: logText, edgeEvents: [] }, core);
  const model = buildModel(prepared, {});

  test('every SES line and every log line parses', () => {
    assert.deepEqual([prepared.sources.ses.rejected, prepared.sources.cloudfront.rejected], [0, 0]);
    assert.equal(prepared.sources.ses.seen, sesText.trim().split('\n').length);
  });

  test('4 messages: 6 + 14 + 6 + 12 sends, one permanent and one transient bounce, one complaint', () => {
    assert.deepEqual(model.campaigns.map((c) => [c.campaignId, c.messages.length]), [['spring-sale', 2], ['welcome-series', 2]]);
    const s = model.summary;
    assert.deepEqual([s.sends, s.deliveries, s.bounces, s.complaints], [38, 36, 2, 1]);
    assert.deepEqual(model.problems.map((e) => e.detail).sort(), [
      'Permanent/General', 'Transient/MailboxFull', 'TransientCommunicationFailure', 'abuse',
    ]);
  });

  test('the mail scanners click every link: 3 links x (4 messages for judy + 2 for frank)', () => {
    const machineClicks = prepared.events.filter((e) => e.type === 'click' && e.machine);
    assert.equal(machineClicks.length, 18);
    assert.deepEqual([...new Set(machineClicks.map((e) => e.recipient))].sort(), ['frank@example.org', 'judy@example.org']);
  });

  test('the simulator addresses end up on the suppression list; complaints put SES at risk', () => {
    assert.deepEqual(model.suppression.entries.map((e) => [e.recipient, e.reason]).sort(), [
      ['bounce@simulator.amazonses.com', 'permanentBounce'],
      ['complaint@simulator.amazonses.com', 'complaint'],
    ]);
    const { bounceRate, complaintRate } = model.reputation.overall;
    assert.deepEqual([bounceRate.count, bounceRate.sends, bounceRate.status], [1, 38, 'ok']); // 2.6 % < 3 %
    assert.equal(complaintRate.status, 'at_risk_of_pause'); // 2.6 % > 0.5 %
  });

  test('CloudFront: 6 days x 2 campaigns of ad rows, with the scanner burst counted as machine', () => {
    assert.deepEqual([...new Set(model.ads.map((r) => r.date))], [
      '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09', '2026-11-10',
    ]);
    assert.deepEqual([...new Set(model.ads.map((r) => r.campaignId))].sort(), ['spring-sale', 'winter-preview']);
    assert.equal(prepared.sources.cloudfront.machineReasons.scanner_burst, 4);
    assert.equal(prepared.sources.cloudfront.machineReasons.head_request, 2);
    const day = { from: Date.UTC(2026, 10, 7), to: Date.UTC(2026, 10, 7, 23, 59) };
    const filtered = buildModel(prepared, { campaign: 'winter-preview', ...day });
    assert.deepEqual(filtered.ads.map((r) => [r.date, r.campaignId]), [['2026-11-07', 'winter-preview']]);
  });

  test('the campaign filter offers the campaigns of both sources', () => {
    assert.deepEqual(model.options.campaigns, ['spring-sale', 'welcome-series', 'winter-preview']);
  });
});
