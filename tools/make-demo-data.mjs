#!/usr/bin/env node
// Writes the report demo's seed data, the same bytes on every run (a fixed-seed generator):
//   examples/ses/demo-events.ndjson       Amazon SES event publishing records, one per line, in
//                                         the structure of AWS's documented examples
//                                         (tests/data/ses/aws-ses-docs/event-publishing/)
//   examples/cloudfront/demo-access.log   a CloudFront standard access log (W3C, tab-separated,
//                                         the 24 columns of build/native/bench-cloudfront generate)
// Usage: node tools/make-demo-data.mjs        (prints the counts by type)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SES_FILE = join(ROOT, 'examples', 'ses', 'demo-events.ndjson');
const LOG_FILE = join(ROOT, 'examples', 'cloudfront', 'demo-access.log');

// mulberry32: small, fast and the same everywhere; the seed fixes every "random" choice.
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const END = Date.parse('2026-11-20T22:00:00Z'); // nothing happens after the demo window
const iso = (ms) => new Date(ms).toISOString();

// ---- SES ------------------------------------------------------------------------------------

const PEOPLE = [
  'alice@example.com', 'bob@example.com', 'carol@example.org', 'dave@example.org',
  'erin@example.com', 'frank@example.org', 'grace@example.com', 'heidi@example.org',
  'ivan@example.com', 'judy@example.org', 'mallory@example.com', 'oscar@example.org',
];
const NEW_SUBSCRIBERS = ['carol@example.org', 'erin@example.com', 'grace@example.com',
  'judy@example.org', 'mallory@example.com', 'oscar@example.org'];
// SES's mailbox simulator: the first always bounces (permanent), the second complains.
const BOUNCE = 'bounce@simulator.amazonses.com';
const COMPLAINT = 'complaint@simulator.amazonses.com';
// Their company's mail gateway fetches the pixel and every link seconds after delivery.
const SCANNED = new Set(['frank@example.org', 'judy@example.org']);
// Reads mail in Gmail: opens arrive through Google's image proxy.
const GMAIL = new Set(['bob@example.com']);

const MESSAGES = [
  {
    campaign: 'welcome-series', subject: 'Welcome to Example Shop', sent: '2026-11-02T14:00:00Z',
    to: NEW_SUBSCRIBERS,
    links: ['https://www.example.com/welcome?step=1', 'https://shop.example.com/new-arrivals',
      'https://help.example.com/getting-started'],
  },
  {
    campaign: 'spring-sale', subject: 'The spring sale starts now', sent: '2026-11-03T09:00:00Z',
    to: [...PEOPLE, BOUNCE, COMPLAINT],
    links: ['https://shop.example.com/spring?id=7', 'https://shop.example.com/spring?id=12',
      'https://shop.example.com/spring'],
  },
  {
    campaign: 'welcome-series', subject: 'Getting started with your account', sent: '2026-11-09T14:00:00Z',
    to: NEW_SUBSCRIBERS,
    links: ['https://www.example.com/account/profile', 'https://help.example.com/faq',
      'https://shop.example.com/new-arrivals'],
  },
  {
    // The simulator addresses are on the suppression list by now: not sent to again.
    campaign: 'spring-sale', subject: 'Last days of the spring sale', sent: '2026-11-12T09:00:00Z',
    to: PEOPLE,
    links: ['https://shop.example.com/spring?id=7&last=1', 'https://shop.example.com/spring?id=21',
      'https://www.example.com/stores'],
  },
];

const HUMAN_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
];
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const SCANNER = 'Mozilla/5.0 (compatible; Barracuda Sentinel URL Scanner)';
const SENDER = 'Example Shop <news@example.com>';

function sesEvents(rng) {
  const events = [];
  const ipOf = new Map(PEOPLE.map((p, i) => [p, `198.51.100.${20 + i * 7}`]));
  const agentOf = new Map(PEOPLE.map((p) => [p, GMAIL.has(p) ? GMAIL_PROXY : rng.pick(HUMAN_AGENTS)]));

  for (const message of MESSAGES) {
    const sent = Date.parse(message.sent);
    const uuid = [8, 4, 4, 4, 12].map(rng.hex).join('-');
    const messageId = `0100019a${rng.hex(8)}-${uuid}-000000`;
    // The mail object as SES publishes it with every event of this message.
    const mail = (destination) => ({
      timestamp: iso(sent),
      source: SENDER,
      sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
      sendingAccountId: '123456789012',
      messageId,
      destination,
      headersTruncated: false,
      headers: [
        { name: 'From', value: SENDER },
        { name: 'To', value: destination.join(', ') },
        { name: 'Subject', value: message.subject },
        { name: 'MIME-Version', value: '1.0' },
        { name: 'Content-Type', value: 'multipart/alternative; boundary="----=_Part_demo"' },
      ],
      commonHeaders: { from: [SENDER], to: destination, messageId, subject: message.subject },
      tags: {
        'ses:configuration-set': ['clicktrail-demo'],
        'ses:source-ip': ['192.0.2.10'],
        'ses:from-domain': ['example.com'],
        'ses:caller-identity': ['clicktrail-demo'],
        campaign: [message.campaign],
      },
    });
    const all = mail(message.to);
    const add = (at, event) => events.push({ at, event });
    // `recipient` bounced `delay` ms after sending, as SES reports it.
    const bounce = (recipient, delay, [bounceType, bounceSubType], status, diagnosticCode) =>
      add(sent + delay, {
        eventType: 'Bounce',
        bounce: {
          bounceType, bounceSubType,
          bouncedRecipients: [{ emailAddress: recipient, action: 'failed', status, diagnosticCode }],
          timestamp: iso(sent + delay), feedbackId: `0100019a${rng.hex(8)}-${rng.hex(8)}-demo-000000`,
          reportingMTA: 'dsn; a8-30.smtp-out.amazonses.com',
        },
        mail: all,
      });

    add(sent, { eventType: 'Send', mail: all, send: {} });
    for (const recipient of message.to) {
      let delivered = sent + rng.int(2, 40) * 1000;
      if (recipient === BOUNCE) {
        bounce(recipient, 61_000, ['Permanent', 'General'], '5.1.1', 'smtp; 550 5.1.1 user unknown');
        continue;
      }
      if (recipient === 'heidi@example.org' && message === MESSAGES[3]) {
        bounce(recipient, 95_000, ['Transient', 'MailboxFull'], '5.2.2', 'smtp; 552 5.2.2 mailbox full');
        continue;
      }
      if (recipient === 'ivan@example.com' && message === MESSAGES[1]) {
        // The receiving server is down for a while: SES reports the delay, then delivers.
        add(sent + 10 * MINUTE, {
          eventType: 'DeliveryDelay',
          mail: all,
          deliveryDelay: {
            timestamp: iso(sent + 10 * MINUTE), delayType: 'TransientCommunicationFailure',
            expirationTime: iso(sent + 14 * 60 * MINUTE),
            delayedRecipients: [{
              emailAddress: recipient, status: '4.4.1',
              diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
            }],
          },
        });
        delivered = sent + 3 * HOUR + 12 * MINUTE;
      }
      add(delivered, {
        eventType: 'Delivery',
        mail: all,
        delivery: {
          timestamp: iso(delivered), processingTimeMillis: delivered - sent, recipients: [recipient],
          smtpResponse: '250 2.0.0 OK', reportingMTA: 'a8-30.smtp-out.amazonses.com',
        },
      });
      if (recipient === COMPLAINT) {
        const at = delivered + 2 * HOUR;
        add(at, {
          eventType: 'Complaint',
          complaint: {
            complainedRecipients: [{ emailAddress: COMPLAINT }], timestamp: iso(at),
            feedbackId: `0100019a${rng.hex(8)}-${rng.hex(8)}-demo-000000`,
            userAgent: 'Amazon SES Mailbox Simulator', complaintFeedbackType: 'abuse', arrivalDate: iso(at),
          },
          mail: all,
        });
        continue;
      }

      // Opens and clicks. SES lists every destination of a message in `mail.destination`, so
      // the opens of a message sent to many cannot be told apart; here each engagement event
      // names the one recipient it stands for, as if each had had their own copy.
      const one = mail([recipient]);
      const engage = (type, at, agent, link, index) => {
        if (at > END) return;
        const ipAddress = agent === SCANNER ? '203.0.113.250' : ipOf.get(recipient);
        if (type === 'Open') {
          add(at, { eventType: 'Open', mail: one, open: { ipAddress, timestamp: iso(at), userAgent: agent } });
        } else {
          // linkTags as rewriteLinks writes them in SES mode: ses:tags="link:N".
          const linkTags = { link: [String(index)] };
          const click = { ipAddress, link, linkTags, timestamp: iso(at), userAgent: agent };
          add(at, { eventType: 'Click', click, mail: one });
        }
      };
      if (SCANNED.has(recipient)) {
        // The gateway: the pixel, then every link, within a minute of delivery.
        engage('Open', delivered + 4000, SCANNER);
        message.links.forEach((url, i) => engage('Click', delivered + 9000 + i * 1500, SCANNER, url, i));
      }
      if (!rng.chance(0.7)) continue;
      const agent = agentOf.get(recipient);
      let at = delivered + rng.int(10, 20 * 60) * MINUTE;
      const opens = rng.int(1, 3);
      for (let n = 0; n < opens; ++n) {
        engage('Open', at, agent);
        if (rng.chance(0.45)) {
          const index = rng.int(0, message.links.length - 1);
          const humanAgent = GMAIL.has(recipient) ? HUMAN_AGENTS[1] : agent; // clicks come from the browser
          engage('Click', at + rng.int(1, 8) * MINUTE, humanAgent, message.links[index], index);
        }
        at += rng.int(2, 48) * HOUR;
      }
    }
  }
  events.sort((a, b) => a.at - b.at);
  return events.map(({ event }) => JSON.stringify(event));
}

// ---- CloudFront -----------------------------------------------------------------------------

const FIELDS = ['date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)',
  'cs-uri-stem', 'sc-status', 'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)',
  'x-edge-result-type', 'x-edge-request-id', 'x-host-header', 'cs-protocol', 'cs-bytes',
  'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher', 'x-edge-response-result-type',
  'cs-protocol-version'];

const PLACEMENTS = [
  {
    oid: 'o-1001', cid: 'spring-sale', pid: 'partner-weekly', ch: 'newsletter',
    creatives: ['banner-a', 'banner-b'], s: '600x200',
  },
  { oid: 'o-1002', cid: 'winter-preview', pid: 'style-digest', ch: 'newsletter', creatives: ['hero'], s: '640x320' },
];
const BOTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'python-requests/2.31.0',
];
const EDGES = ['FRA56-P1', 'IAD89-C1', 'LHR61-P2'];
const DAYS = ['2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09', '2026-11-10'];
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function cloudFrontLog(rng) {
  const hits = [];
  const hit = (at, { ip, method = 'GET', path, agent, query }) => {
    const click = path === '/c';
    const time = iso(at);
    const requestId = Array.from({ length: 54 }, () => rng.pick([...BASE64URL])).join('') + '==';
    hits.push({
      at,
      line: [time.slice(0, 10), time.slice(11, 19), rng.pick(EDGES), click ? '590' : '43', ip, method,
        'd111111abcdef8.cloudfront.net', path, click ? '302' : '200', '-', encodeURI(agent),
        query, '-', 'Hit', requestId, 't.example.com', 'https', String(rng.int(380, 460)),
        '0.001', '-', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', 'Hit', 'HTTP/2.0'].join('\t'),
    });
  };
  const query = (p, creative, mid, li) =>
    `oid=${p.oid}&cid=${p.cid}&pid=${p.pid}&ch=${p.ch}&cr=${creative}&s=${p.s}&mid=${mid}&li=${li}`;
  const readerIp = () => `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 240)}`;

  for (const day of DAYS) {
    const midnight = Date.parse(`${day}T00:00:00Z`);
    for (const p of PLACEMENTS) {
      const mid = `${p.pid}-${day}`;
      const readers = rng.int(17, 23);
      for (let n = 0; n < readers; ++n) {
        const ip = readerIp();
        const agent = rng.pick(HUMAN_AGENTS);
        const creative = rng.pick(p.creatives);
        // Newsletters go out at 07:00 UTC; most reading happens in the following hours.
        const at = midnight + 7 * HOUR + rng.int(0, 14 * 60) * MINUTE + rng.int(0, 59) * 1000;
        hit(at, { ip, path: '/pxl.png', agent, query: query(p, creative, mid, 0) });
        if (rng.chance(0.12)) {
          const li = rng.int(0, 3);
          hit(at + rng.int(20, 600) * 1000, { ip, path: '/c', agent, query: query(p, creative, mid, li) });
        }
      }
      // A crawler fetching the pixel, a script following a link, a link check with HEAD.
      const first = p.creatives[0];
      if (rng.chance(0.6)) {
        const at = midnight + rng.int(1, 23) * HOUR;
        hit(at, { ip: '66.249.66.1', path: '/pxl.png', agent: BOTS[0], query: query(p, first, mid, 0) });
      }
      if (rng.chance(0.4)) {
        const at = midnight + rng.int(1, 23) * HOUR;
        hit(at, { ip: '192.0.2.99', path: '/c', agent: BOTS[1], query: query(p, first, mid, 1) });
      }
      if (day === '2026-11-06') {
        const at = midnight + 9 * HOUR + 5000;
        hit(at, { ip: '192.0.2.77', method: 'HEAD', path: '/c', agent: HUMAN_AGENTS[1], query: query(p, first, mid, 2) });
      }
    }
  }
  // A link scanner with a browser's User-Agent: every link of one issue within eight seconds.
  const burst = Date.parse('2026-11-07T07:03:10Z');
  for (let li = 0; li < 4; ++li) {
    const q = query(PLACEMENTS[0], 'banner-a', 'partner-weekly-2026-11-07', li);
    hit(burst + li * 2000, { ip: '203.0.113.77', path: '/c', agent: HUMAN_AGENTS[1], query: q });
  }
  hits.sort((a, b) => a.at - b.at);
  return ['#Version: 1.0', `#Fields: ${FIELDS.join(' ')}`, ...hits.map((h) => h.line)];
}

// ---- main -------------------------------------------------------------------------------------

const rng = generator(20261102);
const sesLines = sesEvents(rng);
const logLines = cloudFrontLog(rng);
for (const [file, lines] of [[SES_FILE, sesLines], [LOG_FILE, logLines]]) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const byType = {};
for (const line of sesLines) {
  const type = JSON.parse(line).eventType;
  byType[type] = (byType[type] ?? 0) + 1;
}
const paths = {};
for (const line of logLines.slice(2)) {
  const path = line.split('\t')[7];
  paths[path] = (paths[path] ?? 0) + 1;
}
console.log(`${SES_FILE}: ${sesLines.length} events`, byType);
console.log(`${LOG_FILE}: ${logLines.length - 2} hits`, paths);
