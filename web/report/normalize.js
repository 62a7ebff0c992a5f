// One event shape for the report, whatever recorded it: SES records (parseSesEvents, one record
// per affected recipient) and the edge Worker's D1 rows. report-model.js only sees this shape:
// { source, type, epochMs, time, messageId, campaignId, subject, recipient, link, linkIndex,
//   machine, machineReason, detail }; a value the source does not have is null.

const orNull = (value) => (value === undefined || value === '' ? null : value);

function timeOf(epochMs, text) {
  const ms = Number.isFinite(epochMs) ? epochMs : Date.parse(text ?? '');
  return Number.isFinite(ms) ? { epochMs: ms, time: new Date(ms).toISOString() } : { epochMs: null, time: null };
}

// SES link tags written by rewriteLinks in SES mode: ses:tags="link:N" marks the N-th link.
function sesLinkIndex(linkTags) {
  const value = linkTags?.link?.[0];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

function sesDetail(record) {
  switch (record.type) {
    case 'bounce':
      return [record.bounceType, record.bounceSubType].filter(Boolean).join('/') || null;
    case 'complaint':
      return record.complaintFeedbackType ?? record.complaintSubType ?? null;
    case 'deliveryDelay':
      return record.delayType ?? null;
    case 'reject':
      return record.rejectReason ?? null;
    case 'renderingFailure':
      return record.errorMessage ?? null;
    case 'subscription':
      if (record.newTopicPreferences?.unsubscribeAll) return 'unsubscribed from all';
      return record.subscriptionSource ?? null;
    default:
      return null;
  }
}

/** Normalised events of parseSesEvents(...).records. */
// `classifyTraffic` is the core's person-or-machine rule (clicktrail/backoffice), the one the edge
// applies to its own hits: SES opens and clicks are labelled the same way by their User-Agent.
export function normalizeSesRecords(records, classifyTraffic) {
  return (records ?? []).map((record) => {
    const engagement = record.type === 'open' || record.type === 'click';
    const verdict = engagement ? classifyTraffic('GET', record.userAgent ?? '') : null;
    return {
      source: 'ses',
      type: record.type,
      ...timeOf(record.epochMs, record.timestamp),
      messageId: orNull(record.messageId),
      campaignId: orNull(record.tagValues?.campaign?.[0] ?? record.tags?.campaign),
      subject: orNull(record.subject),
      recipient: orNull(record.recipient),
      link: orNull(record.link),
      linkIndex: sesLinkIndex(record.linkTags),
      machine: verdict?.machine ?? false,
      machineReason: verdict?.machine ? verdict.reason : null,
      detail: sesDetail(record),
    };
  });
}

// D1 keeps tags as JSON text; a malformed value is ignored rather than failing the report.
function parseTags(text) {
  if (!text) return null;
  try {
    const tags = JSON.parse(text);
    return tags && typeof tags === 'object' ? tags : null;
  } catch {
    return null;
  }
}

/** Normalised events of the edge Worker's D1 rows (examples/cloudflare/schema.sql). */
export function normalizeEdgeRows(rows) {
  return (rows ?? []).map((row) => {
    const tags = parseTags(row.tags);
    const campaign = row.campaign_id ?? (typeof tags?.campaign === 'string' ? tags.campaign : null);
    const rejected = row.type === 'rejected';
    const machine = row.machine === 1 || row.machine === true;
    return {
      source: 'edge',
      type: row.type,
      ...timeOf(row.epoch_ms, row.time),
      messageId: orNull(row.message_id),
      campaignId: orNull(campaign),
      subject: null,
      // The opaque recipient hash: addresses never travel in tracking URLs.
      recipient: orNull(row.recipient_id),
      link: orNull(row.target),
      linkIndex: Number.isInteger(row.link_index) ? row.link_index : null,
      machine,
      machineReason: machine ? orNull(row.machine_reason) : null,
      detail: rejected ? [row.error, row.endpoint].filter(Boolean).join(' on ') || null : null,
    };
  });
}
