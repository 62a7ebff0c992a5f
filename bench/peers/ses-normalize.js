// Amazon SES events normalised in plain JS, the way a Node service would write it without
// clicktrail: per NDJSON line JSON.parse, unwrap an SNS HTTP envelope (JSON.parse of Message) or
// an EventBridge event (its detail), then one object per affected recipient with the fields
// clicktrail's SesRecord has (wasm/types/backoffice.d.ts): type, eventType, origin, envelope,
// snsMessageId, messageId, timestamp (the event's own, else mail.timestamp), epochMs
// (Date.parse), recipient, source, subject, configurationSet, tags / tagValues, and the
// bounce / complaint / delivery / delay / open / click / reject / failure / subscription fields.
//
// Deliberately plain: no type checks beyond what the code needs to run, no UTF-8 or depth
// checks, no Lambda `Records` form, no JSON arrays or concatenated documents; a line that does
// not parse or has no recognisable shape is a rejection.

const TYPES = {
  Send: ['send', 'send'],
  Delivery: ['delivery', 'delivery'],
  Bounce: ['bounce', 'bounce'],
  Complaint: ['complaint', 'complaint'],
  Open: ['open', 'open'],
  Click: ['click', 'click'],
  Reject: ['reject', 'reject'],
  'Rendering Failure': ['renderingFailure', 'failure'],
  DeliveryDelay: ['deliveryDelay', 'deliveryDelay'],
  Subscription: ['subscription', 'subscription'],
};

const setIf = (out, key, value) => {
  if (value !== undefined && value !== null && value !== '') out[key] = value;
};

// mail.tags / click.linkTags: {key: [values]} (a single string counts as one value).
function tagValues(tags) {
  const all = {};
  if (!tags) return all;
  for (const key of Object.keys(tags)) {
    const value = tags[key];
    all[key] = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  }
  return all;
}

function topics(prefs) {
  if (!prefs) return undefined;
  return {
    unsubscribeAll: prefs.unsubscribeAll === true,
    topicSubscriptionStatus: (prefs.topicSubscriptionStatus ?? []).map((t) => ({
      topicName: t.topicName ?? '',
      subscriptionStatus: t.subscriptionStatus ?? '',
    })),
  };
}

/**
 * One SES record object (eventType or notificationType) -> records pushed onto `out`.
 * `origin`: {envelope, snsMessageId, input, line, offset}. Returns a rejection reason or ''.
 */
export function normalizeSesRecord(record, origin, out) {
  const notification = record.eventType === undefined || record.eventType === null;
  const kind = notification ? record.notificationType : record.eventType;
  if (typeof kind !== 'string' || kind === '') return 'no eventType/notificationType';
  const [type, key] = TYPES[kind] ?? ['other', undefined];
  const mail = record.mail;
  if (!mail || typeof mail !== 'object') return 'missing mail object';
  if (!mail.messageId) return 'missing mail.messageId';
  const detail = (key && record[key]) || {};

  const tagsAll = tagValues(mail.tags);
  const tags = {};
  for (const name of Object.keys(tagsAll)) tags[name] = tagsAll[name][0] ?? '';
  let configurationSet = tags['ses:configuration-set'] || record.configurationSet || '';
  if (!configurationSet && Array.isArray(mail.headers)) {
    const header = mail.headers.find((h) => h && /^x-ses-configuration-set$/i.test(h.name ?? ''));
    configurationSet = header?.value ?? '';
  }
  const timestamp = detail.timestamp || mail.timestamp || '';
  const epochMs = Date.parse(timestamp);

  const base = {
    type,
    eventType: kind,
    origin: notification ? 'notification' : 'eventPublishing',
    envelope: origin.envelope,
  };
  setIf(base, 'snsMessageId', origin.snsMessageId);
  base.messageId = mail.messageId;
  base.timestamp = timestamp;
  if (Number.isFinite(epochMs)) base.epochMs = epochMs;
  setIf(base, 'mailTimestamp', mail.timestamp);
  base.recipient = '';
  base.source = mail.source ?? '';
  const subject = mail.commonHeaders?.subject;
  if (typeof subject === 'string') base.subject = subject;
  base.configurationSet = configurationSet;
  base.tags = tags;
  base.tagValues = tagsAll;
  setIf(base, 'bounceType', type === 'bounce' ? detail.bounceType : undefined);
  setIf(base, 'bounceSubType', type === 'bounce' ? detail.bounceSubType : undefined);
  setIf(base, 'feedbackId', detail.feedbackId);
  setIf(base, 'reportingMta', detail.reportingMTA);
  setIf(base, 'remoteMtaIp', detail.remoteMtaIp);

  // [address, per-recipient entry or null]
  let recipients;
  const entries = (list) => (Array.isArray(list) ? list.map((e) => [e?.emailAddress ?? '', e]) : []);
  switch (type) {
    case 'bounce':
      recipients = entries(detail.bouncedRecipients);
      break;
    case 'complaint':
      setIf(base, 'complaintFeedbackType', detail.complaintFeedbackType);
      setIf(base, 'complaintSubType', detail.complaintSubType);
      setIf(base, 'userAgent', detail.userAgent);
      setIf(base, 'arrivalDate', detail.arrivalDate);
      recipients = entries(detail.complainedRecipients);
      break;
    case 'deliveryDelay':
      setIf(base, 'delayType', detail.delayType);
      setIf(base, 'expirationTime', detail.expirationTime);
      recipients = entries(detail.delayedRecipients);
      break;
    case 'delivery':
      setIf(base, 'smtpResponse', detail.smtpResponse);
      if (typeof detail.processingTimeMillis === 'number') base.processingTimeMillis = Math.trunc(detail.processingTimeMillis);
      recipients = (Array.isArray(detail.recipients) ? detail.recipients : (mail.destination ?? [])).map((a) => [a, null]);
      break;
    case 'open':
    case 'click':
      setIf(base, 'userAgent', detail.userAgent);
      setIf(base, 'ipAddress', detail.ipAddress);
      setIf(base, 'link', detail.link);
      if (detail.linkTags && Object.keys(detail.linkTags).length) base.linkTags = tagValues(detail.linkTags);
      break;
    case 'reject':
      setIf(base, 'rejectReason', detail.reason);
      break;
    case 'renderingFailure':
      setIf(base, 'errorMessage', detail.errorMessage);
      setIf(base, 'templateName', detail.templateName);
      break;
    case 'subscription': {
      setIf(base, 'contactList', detail.contactList);
      setIf(base, 'subscriptionSource', detail.source);
      const next = topics(detail.newTopicPreferences);
      const old = topics(detail.oldTopicPreferences);
      if (next) base.newTopicPreferences = next;
      if (old) base.oldTopicPreferences = old;
      break;
    }
    default:
      break;
  }
  recipients ??= (mail.destination ?? []).map((a) => [a, null]);
  if (recipients.length === 0) return 'no recipients';
  for (const [address, entry] of recipients) {
    const r = { ...base, recipient: address };
    if (entry) {
      setIf(r, 'action', entry.action);
      setIf(r, 'status', entry.status);
      setIf(r, 'diagnosticCode', entry.diagnosticCode);
    }
    r.input = origin.input;
    r.line = origin.line;
    r.offset = origin.offset;
    out.push(r);
  }
  return '';
}

/** One parsed document (bare record, SNS HTTP envelope or EventBridge event). */
export function normalizeSesDocument(doc, origin, out) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'not an object';
  if (doc.eventType !== undefined || doc.notificationType !== undefined) {
    return normalizeSesRecord(doc, { ...origin, envelope: 'bare' }, out);
  }
  if (doc.Type !== undefined) {
    if (doc.Type !== 'Notification') return `SNS ${doc.Type}`;
    const message = typeof doc.Message === 'string' ? JSON.parse(doc.Message) : doc.Message;
    return normalizeSesRecord(message ?? {}, { ...origin, envelope: 'snsHttp', snsMessageId: doc.MessageId }, out);
  }
  if (doc.detail !== undefined && doc.source === 'aws.ses') {
    return normalizeSesRecord(doc.detail ?? {}, { ...origin, envelope: 'eventBridge' }, out);
  }
  return 'unknown shape';
}

/**
 * NDJSON (a string, or bytes decoded once as UTF-8) -> {seen, accepted, rejected, records,
 * rejections: [{input, line, offset, reason}]}. `offset` is the line's index in the string
 * (the byte offset for ASCII input).
 */
export function normalizeSesEvents(input) {
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  const records = [];
  const rejections = [];
  let seen = 0;
  let line = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line += 1;
    if (end > start) {
      const origin = { input: seen, line, offset: start };
      seen += 1;
      let reason;
      try {
        reason = normalizeSesDocument(JSON.parse(text.slice(start, end)), origin, records);
      } catch (error) {
        reason = `invalid JSON: ${error.message}`;
      }
      if (reason) rejections.push({ input: origin.input, line, offset: start, reason });
    }
    start = end + 1;
  }
  return { seen, accepted: seen - rejections.length, rejected: rejections.length, records, rejections };
}
