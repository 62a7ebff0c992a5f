// The back-office API from JS on the WASM build: SES events (every shape, batches, suppression,
// reputation, engagement) and CloudFront logs (parsing, aggregation, streaming, merging).
// Expected values are read off AWS's documented examples, not off clicktrail's output.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  ClicktrailError,
  aggregateClicks,
  analyzeSesEvents,
  buildSuppressionList,
  createCloudFrontLogParser,
  createLogAggregator,
  engagement,
  mergeSuppressionLists,
  parseCloudFrontLog,
  parseSesEvent,
  parseSesEvents,
  reputation,
  suppressionDecision,
} from 'clicktrail/backoffice';

import { ROOT } from './helpers.js';

const SES = join(ROOT, 'tests', 'data', 'ses');
const CLOUDFRONT = join(ROOT, 'tests', 'data', 'cloudfront');
const docs = (name) =>
  readFileSync(join(SES, 'aws-ses-docs', name.includes('notification') ? 'notification-examples' : 'event-publishing', `${name}.json`), 'utf8');
const event = (type) => docs(`event-publishing-retrieving-sns-${type}`);

function filesUnder(dir, test) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, test);
    return test(name) ? [path] : [];
  });
}

// The SES bits of a record a test compares (the rest is covered by the C++ suite).
const pick = (record, keys) => Object.fromEntries(keys.map((key) => [key, record[key]]));

describe('SES events', () => {
  test('the documented Bounce event: one record with the bounce fields', () => {
    const batch = parseSesEvent(event('bounce'));
    assert.deepEqual(pick(batch, ['seen', 'accepted', 'rejected']), { seen: 1, accepted: 1, rejected: 0 });
    assert.equal(batch.records.length, 1);
    assert.deepEqual(
      pick(batch.records[0], [
        'type', 'eventType', 'messageId', 'recipient', 'bounceType', 'bounceSubType', 'action',
        'status', 'diagnosticCode', 'timestamp', 'epochMs', 'configurationSet', 'subject',
      ]),
      {
        type: 'bounce',
        eventType: 'Bounce',
        messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
        recipient: 'recipient@example.com',
        bounceType: 'Permanent',
        bounceSubType: 'General',
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        timestamp: '2017-08-05T00:41:02.669Z',
        epochMs: Date.UTC(2017, 7, 5, 0, 41, 2, 669),
        configurationSet: 'ConfigSet',
        subject: 'Message sent from Amazon SES',
      },
    );
  });

  test('the documented Click event: link, link tags, IP and user agent', () => {
    const [record] = parseSesEvent(event('click')).records;
    assert.equal(record.type, 'click');
    assert.equal(record.link, 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html');
    assert.deepEqual(record.linkTags, { samplekey0: ['samplevalue0'], samplekey1: ['samplevalue1'] });
    assert.equal(record.ipAddress, '192.0.2.1');
    assert.match(record.userAgent, /Chrome\/60\.0\.3112\.90/);
    assert.equal(record.timestamp, '2017-08-09T23:51:25.570Z');
    assert.equal(record.tags.myCustomTag1, 'myCustomValue1');
  });

  test('an identity notification inside an SNS envelope, and inside EventBridge', () => {
    const notification = JSON.parse(docs('notification-examples-bounce-with-dsn'));
    const sns = {
      Type: 'Notification',
      MessageId: 'sns-1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses',
      Message: JSON.stringify(notification),
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    };
    const [fromSns] = parseSesEvent(sns).records;
    assert.deepEqual(pick(fromSns, ['type', 'origin', 'envelope', 'snsMessageId', 'recipient', 'remoteMtaIp']), {
      type: 'bounce',
      origin: 'notification',
      envelope: 'snsHttp',
      snsMessageId: 'sns-1',
      recipient: 'jane@example.com',
      remoteMtaIp: '127.0.2.0',
    });
    const bridge = { source: 'aws.ses', 'detail-type': 'Email Bounced', detail: JSON.parse(event('bounce')) };
    const [fromBridge] = parseSesEvent(bridge).records;
    assert.equal(fromBridge.envelope, 'eventBridge');
    assert.equal(fromBridge.bounceType, 'Permanent');
  });

  test('a batch goes on past bad records and names their lines', () => {
    const lines = [
      JSON.stringify(JSON.parse(event('send'))),
      '{"eventType": "Open", "mail": ',
      JSON.stringify(JSON.parse(event('open'))),
      '{"eventType": "Bounce", "mail": {"messageId": 7}}',
      '\u00ff not json',
      JSON.stringify(JSON.parse(event('complaint'))),
    ];
    const batch = parseSesEvents(`${lines.join('\n')}\n`);
    assert.equal(batch.seen, 5 + 1, 'every input record is counted');
    assert.equal(batch.accepted + batch.rejected, batch.seen);
    assert.deepEqual(batch.records.map((r) => r.type), ['send', 'open', 'complaint']);
    assert.deepEqual(batch.rejections.map((r) => r.line), [2, 4, 5]);
    for (const rejection of batch.rejections) assert.ok(rejection.reason.length > 0);
  });

  test('a JSON array and concatenated documents (Firehose) are batches too', () => {
    const docsList = ['send', 'delivery', 'open'].map((type) => JSON.parse(event(type)));
    assert.equal(parseSesEvents(docsList).records.length, 3);
    assert.equal(parseSesEvents(docsList.map((d) => JSON.stringify(d)).join('')).records.length, 3);
  });

  test('deep nesting, huge numbers and truncation are rejected without losing the batch', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const huge = JSON.stringify(JSON.parse(event('delivery'))).replace(
      /"processingTimeMillis":\d+/,
      '"processingTimeMillis":1e999999',
    );
    const batch = parseSesEvents([deep, huge, event('send').slice(0, 200), JSON.stringify(JSON.parse(event('send')))].join('\n'));
    assert.equal(batch.records.length, 1);
    assert.ok(batch.rejected >= 3);
    assert.equal(batch.accepted + batch.rejected, batch.seen);
  });

  test('SNS subscription confirmations and plain-text messages are notices, not errors', () => {
    const text = readFileSync(join(SES, 'localstack', 'recorded-messages.ndjson'), 'utf8');
    const batch = parseSesEvents(text);
    assert.ok(batch.notices.some((n) => n.kind === 'snsTextMessage' && /Successfully validated SNS topic/.test(n.message)));
    const confirmation = readFileSync(join(SES, 'fx-private-relay', 'subscription_confirmation_invalid_sns_body.json'), 'utf8');
    const confirmed = parseSesEvent(confirmation);
    assert.equal(confirmed.rejected, 0);
    assert.equal(confirmed.notices[0].kind, 'snsSubscriptionConfirmation');
  });

  test('every SES sample in the corpus is accepted or rejected with a reason', () => {
    for (const path of filesUnder(SES, (name) => /\.(json|ndjson)$/.test(name))) {
      const batch = parseSesEvents(readFileSync(path));
      assert.equal(batch.accepted + batch.rejected, batch.seen, path);
      for (const rejection of batch.rejections) assert.ok(rejection.reason, path);
    }
  });

  test('input must be text, bytes or an object', () => {
    assert.throws(() => parseSesEvents(42), ClicktrailError);
  });
});

describe('suppression, reputation and engagement', () => {
  const transient = JSON.parse(event('bounce'));
  transient.bounce.bounceType = 'Transient';
  transient.bounce.bounceSubType = 'MailboxFull';
  transient.bounce.bouncedRecipients[0].emailAddress = 'full@example.com';

  test('a permanent bounce and a complaint suppress; a transient bounce does not', () => {
    const [bounced] = suppressionDecision(event('bounce'));
    assert.deepEqual(pick(bounced, ['recipient', 'reason', 'detail', 'timestamp']), {
      recipient: 'recipient@example.com',
      reason: 'permanentBounce',
      detail: 'Permanent/General',
      timestamp: '2017-08-05T00:41:02.669Z',
    });
    assert.equal(suppressionDecision(event('complaint'))[0].reason, 'complaint');
    assert.deepEqual(suppressionDecision(transient), []);
  });

  test('a list is built from a batch, merged with a stored one, and keeps the earliest reason', () => {
    const batch = [JSON.parse(event('bounce')), transient, JSON.parse(docs('notification-examples-complaint-with-feedback'))];
    const list = buildSuppressionList(batch);
    assert.deepEqual(list.entries.map((e) => e.recipient), ['recipient@example.com', 'richard@example.com']);
    const stored = { count: 1, entries: [{ recipient: 'old@example.com', reason: 'complaint', detail: 'abuse', messageId: 'm0', feedbackId: '', timestamp: '2015-01-01T00:00:00Z', epochMs: Date.UTC(2015, 0, 1) }] };
    const merged = mergeSuppressionLists(list, stored);
    assert.equal(merged.count, 3);
    assert.deepEqual(mergeSuppressionLists(stored, list), merged, 'merging is symmetric');
    assert.throws(() => mergeSuppressionLists(list, { nope: 1 }), ClicktrailError);
  });

  test('the soft-bounce rule escalates repeated transient bounces when asked', () => {
    const twice = [transient, transient];
    assert.equal(buildSuppressionList(twice).count, 0);
    const list = buildSuppressionList(twice, { softBounceLimit: 2 });
    assert.deepEqual(list.entries.map((e) => [e.recipient, e.reason]), [['full@example.com', 'softBounceLimit']]);
  });

  test('bounce and complaint rates against SES levels, per configuration set', () => {
    // 100 sends, 6 permanent bounces (6 %: under review at 5 %), 1 complaint (1 %: pause at 0.5 %).
    const send = JSON.parse(event('send'));
    const events = Array.from({ length: 100 }, () => send);
    for (let i = 0; i < 6; i += 1) events.push(JSON.parse(event('bounce')));
    events.push(JSON.parse(event('complaint')));
    const report = reputation(events);
    assert.equal(report.overall.sends, 100);
    assert.deepEqual(report.overall.bounceRate, { count: 6, sends: 100, ratePpm: 60_000, status: 'under_review' });
    assert.deepEqual(report.overall.complaintRate, { count: 1, sends: 100, ratePpm: 10_000, status: 'at_risk_of_pause' });
    assert.deepEqual(report.configurationSets.map((s) => s.configurationSet), ['ConfigSet']);
    const lenient = reputation(events, { levels: { bounceReview: 7, bouncePause: 20 } });
    assert.equal(lenient.overall.bounceRate.status, 'warning');
    const none = reputation(events, { from: '2030-01-01T00:00:00Z' });
    assert.equal(none.overall.bounceRate.status, 'no_sends');
  });

  test('engagement: who opened and clicked what, how often', () => {
    const open = JSON.parse(event('open'));
    const click = JSON.parse(event('click'));
    const report = engagement([open, open, click]);
    const [item] = report.items;
    assert.equal(item.recipient, 'recipient@example.com');
    assert.equal(item.opens.count, 2);
    assert.equal(item.clicks, 1);
    assert.equal(item.links[0].link, click.click.link);
    const all = analyzeSesEvents([open, click], { suppression: true, reputation: true, engagement: true });
    assert.deepEqual(Object.keys(all).filter((k) => ['suppression', 'reputation', 'engagement'].includes(k)).sort(), ['engagement', 'reputation', 'suppression']);
    assert.equal(all.seen, 2);
  });
});

// A hand-made log: 3 impressions and 2 clicks (one from a scanner) of one creative on one day,
// plus a page hit and a refused click. Expected counts worked out by hand below.
const FIELDS = '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query';
const BROWSER = 'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)';
const q = 'oid=o1&cid=c1&pid=p1&ch=email&cr=hero&s=600x200&mid=m1';
const hit = (time, ip, stem, status, agent, query = q) =>
  ['2026-11-20', time, 'FRA56-P1', '43', ip, 'GET', 'd1.cloudfront.net', stem, status, '-', agent, query].join('\t');
const LOG = [
  '#Version: 1.0',
  FIELDS,
  hit('10:00:00', '192.0.2.1', '/pxl.png', '200', BROWSER),
  hit('10:00:05', '192.0.2.2', '/pxl.png', '200', BROWSER),
  hit('10:01:00', '192.0.2.1', '/pxl.png', '200', BROWSER),
  hit('10:02:00', '192.0.2.1', '/c', '302', BROWSER, `${q}&li=0`),
  hit('10:03:00', '198.51.100.7', '/c', '302', 'Mozilla/5.0%20(compatible;%20Googlebot/2.1)', `${q}&li=1`),
  hit('10:04:00', '192.0.2.9', '/c', '400', BROWSER, `${q}&li=0`),
  hit('10:05:00', '192.0.2.1', '/index.html', '200', BROWSER, '-'),
  'garbage line',
  '',
].join('\n');

describe('CloudFront logs', () => {
  test('aggregateClicks on a hand-computed case', () => {
    const { result, report } = aggregateClicks(LOG, { exact: true });
    assert.equal(result.length, 1);
    const [row] = result;
    assert.deepEqual(
      pick(row, ['orderId', 'campaignId', 'publicationId', 'channel', 'dateStart', 'dateEnd']),
      { orderId: 'o1', campaignId: 'c1', publicationId: 'p1', channel: 'email', dateStart: '2026-11-20', dateEnd: '2026-11-20' },
    );
    // Human: 3 impressions from 2 IPs, 1 click from 192.0.2.1 -> reach 2, CTR 1/3.
    assert.equal(row.metrics.impressions, 3);
    assert.equal(row.metrics.clicks, 1);
    assert.equal(row.metrics.reach, 2);
    assert.ok(Math.abs(row.metrics.ctr - 1 / 3) < 1e-6, "CTR is written with 6 decimals");
    assert.equal(report.parse.rejected, 1, 'the garbage line');
    assert.equal(report.aggregate.refusedStatus, 1, 'a 400 is not a click');
    assert.equal(report.aggregate.otherPaths, 1);
    assert.ok(Object.values(report.aggregate.machineReasons).reduce((a, b) => a + b, 0) >= 1);
  });

  test('streamed in chunks of any size, the result is the same as at once', () => {
    const whole = aggregateClicks(LOG, { format: 'csv' }).result;
    const bytes = new TextEncoder().encode(LOG);
    for (const size of [1, 7, 64]) {
      const aggregator = createLogAggregator();
      for (let at = 0; at < bytes.length; at += size) aggregator.write(bytes.subarray(at, at + size));
      assert.equal(aggregator.end().result({ format: 'csv' }), whole, `chunks of ${size}`);
      aggregator.dispose();
    }
  });

  test('partial aggregates of two halves merge into the whole', () => {
    const lines = LOG.split('\n');
    const first = [lines[0], lines[1], ...lines.slice(2, 5)].join('\n');
    const second = [lines[0], lines[1], ...lines.slice(5)].join('\n');
    const a = aggregateClicks(first, { format: 'partial', exact: true }).result;
    const b = createLogAggregator({ exact: true });
    b.write(second).end().merge(a);
    assert.deepEqual(b.result(), aggregateClicks(LOG, { exact: true }).result);
    assert.throws(() => b.merge('not a partial aggregate'), ClicktrailError);
    b.dispose();
  });

  test('parseCloudFrontLog reads every corpus sample; hits carry decoded fields', () => {
    for (const path of filesUnder(CLOUDFRONT, (name) => /\.(log|txt)$/.test(name))) {
      const { hits, report } = parseCloudFrontLog(readFileSync(path));
      assert.equal(hits.length, report.accepted, path);
      assert.equal(report.lines, report.accepted + report.rejected + report.skipped, path);
    }
    const { hits } = parseCloudFrontLog(LOG);
    assert.equal(hits[0]['c-ip'], '192.0.2.1');
    assert.equal(hits[0]['cs(User-Agent)'], 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
    assert.equal(hits[0].epochMs, Date.UTC(2026, 10, 20, 10, 0, 0));
  });

  test('the streaming parser returns the hits each chunk completes', () => {
    const parser = createCloudFrontLogParser();
    const [head, tail] = [LOG.slice(0, 200), LOG.slice(200)];
    const hits = parser.write(head).concat(parser.write(tail), parser.end());
    assert.equal(hits.length, parseCloudFrontLog(LOG).hits.length);
    parser.dispose();
  });
});
