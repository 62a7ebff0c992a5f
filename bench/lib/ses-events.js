// The SES benchmark input: NDJSON made from AWS's documented examples in
// tests/data/ses/aws-ses-docs (event-publishing/*.json and notification-examples/*.json), made
// compact and repeated round-robin, each event with a fresh mail.messageId and fresh recipient
// addresses, in the envelopes events arrive in:
//   - event publishing examples rotate bare -> SNS HTTP envelope -> EventBridge;
//   - identity notifications rotate SNS HTTP envelope -> bare (EventBridge carries event
//     publishing only).
// The SNS envelope is the HTTP(S) subscription's body {Type: 'Notification', MessageId, TopicArn,
// Message: <the record as a JSON string>, Timestamp, SignatureVersion, Signature, SigningCertURL,
// UnsubscribeURL}; the EventBridge event is {version, id, 'detail-type', source: 'aws.ses',
// account, time, region, resources, detail: <the record>}.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SNS_ID = 'SNS-MESSAGE-ID-PLACEHOLDER';
const EB_ID = 'EVENTBRIDGE-ID-PLACEHOLDER';

const DETAIL_TYPES = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Open: 'Email Opened',
  Click: 'Email Clicked',
  Reject: 'Email Rejected',
  'Rendering Failure': 'Email Rendering Failed',
  DeliveryDelay: 'Email Delivery Delayed',
  Subscription: 'Email Subscribed',
};

// A fixed 344-character base64 signature, the size SNS's SignatureVersion 1 signatures have.
const SIGNATURE = Buffer.alloc(258, 0x5a).toString('base64').slice(0, 344);

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Every address the event is about: mail.destination and the affected-recipient lists.
function addressesOf(record) {
  const found = new Set(record.mail?.destination ?? []);
  const detail = record.bounce ?? record.complaint ?? record.deliveryDelay ?? record.delivery ?? {};
  for (const list of [detail.bouncedRecipients, detail.complainedRecipients, detail.delayedRecipients]) {
    for (const entry of list ?? []) if (entry?.emailAddress) found.add(entry.emailAddress);
  }
  for (const address of detail.recipients ?? []) found.add(address);
  return [...found];
}

function wrapSns(compact, record, topic) {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: SNS_ID,
    TopicArn: `arn:aws:sns:us-east-1:123456789012:${topic}`,
    Message: compact,
    Timestamp: record.mail.timestamp,
    SignatureVersion: '1',
    Signature: SIGNATURE,
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:${topic}:4ee3a0c1-8d1b-4b9e-9f2c-0c1f7b1f2d3e`,
  });
}

function wrapEventBridge(record) {
  return JSON.stringify({
    version: '0',
    id: EB_ID,
    'detail-type': DETAIL_TYPES[record.eventType] ?? record.eventType,
    source: 'aws.ses',
    account: '123456789012',
    time: record.mail.timestamp,
    region: 'us-east-1',
    resources: ['arn:aws:ses:us-east-1:123456789012:configuration-set/ConfigSet'],
    detail: record,
  });
}

/**
 * The templates: [{file, eventType, envelopes: [{envelope, parts, slots}]}]. `parts` is the
 * envelope's compact JSON split at the strings varied per event; `slots[i]` says what goes
 * between parts[i] and parts[i + 1]: 'messageId', 'sns', 'eventBridge' or a recipient index.
 */
export function loadSesTemplates(root) {
  const dir = join(root, 'tests', 'data', 'ses', 'aws-ses-docs');
  const files = ['event-publishing', 'notification-examples'].flatMap((sub) =>
    readdirSync(join(dir, sub))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(sub, name)),
  );
  return files.map((file) => {
    const record = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const compact = JSON.stringify(record);
    const publishing = record.eventType !== undefined;
    const addresses = addressesOf(record);
    const variable = [record.mail.messageId, ...addresses, SNS_ID, EB_ID];
    const pattern = new RegExp(`(${variable.map(escapeRegExp).join('|')})`);
    const split = (text) => {
      const pieces = text.split(pattern);
      const parts = [];
      const slots = [];
      for (let i = 0; i < pieces.length; i += 1) {
        if (i % 2 === 0) parts.push(pieces[i]);
        else if (pieces[i] === record.mail.messageId) slots.push('messageId');
        else if (pieces[i] === SNS_ID) slots.push('sns');
        else if (pieces[i] === EB_ID) slots.push('eventBridge');
        else slots.push(addresses.indexOf(pieces[i]));
      }
      return { parts, slots };
    };
    const topic = publishing ? 'ses-events' : 'ses-notifications';
    const envelopes = publishing
      ? [
          { envelope: 'bare', ...split(compact) },
          { envelope: 'snsHttp', ...split(wrapSns(compact, record, topic)) },
          { envelope: 'eventBridge', ...split(wrapEventBridge(record)) },
        ]
      : [
          { envelope: 'snsHttp', ...split(wrapSns(compact, record, topic)) },
          { envelope: 'bare', ...split(compact) },
        ];
    return {
      file,
      eventType: record.eventType ?? record.notificationType,
      domains: addresses.map((a) => a.slice(a.indexOf('@') + 1)),
      envelopes,
    };
  });
}

const hex = (value, width) => value.toString(16).padStart(width, '0').slice(-width);

/** Event `i` as one NDJSON line (no newline). */
export function sesEventLine(templates, i) {
  const template = templates[i % templates.length];
  const round = Math.floor(i / templates.length);
  const { parts, slots } = template.envelopes[round % template.envelopes.length];
  const scrambled = (i * 2654435761) % 2 ** 36;
  const values = {
    messageId: `0100018${hex(scrambled, 9)}-bench-${String(i).padStart(8, '0')}-000000`,
    sns: `${hex(scrambled, 8)}-${hex(i, 4)}-4${hex(i >>> 4, 3)}-8${hex(i >>> 8, 3)}-${hex(i * 7919, 12)}`,
    eventBridge: `${hex(i * 40503, 8)}-${hex(i, 4)}-4${hex(scrambled >>> 4, 3)}-9${hex(i >>> 12, 3)}-${hex(scrambled, 12)}`,
  };
  let line = parts[0];
  for (let k = 0; k < slots.length; k += 1) {
    const slot = slots[k];
    line += typeof slot === 'number' ? `user${(i * 7919 + slot) % 100000}.${slot}@${template.domains[slot]}` : values[slot];
    line += parts[k + 1];
  }
  return line;
}

/** `events` events as an NDJSON Buffer (one event per line, newline-terminated). */
export function sesBatch(templates, events) {
  const lines = new Array(events);
  for (let i = 0; i < events; i += 1) lines[i] = sesEventLine(templates, i);
  lines.push('');
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** How many events of each envelope and type a batch of `events` holds. */
export function sesBatchMix(templates, events) {
  const envelopes = {};
  const types = {};
  for (let i = 0; i < events; i += 1) {
    const template = templates[i % templates.length];
    const round = Math.floor(i / templates.length);
    const envelope = template.envelopes[round % template.envelopes.length].envelope;
    envelopes[envelope] = (envelopes[envelope] ?? 0) + 1;
    types[template.eventType] = (types[template.eventType] ?? 0) + 1;
  }
  return { envelopes, types };
}
