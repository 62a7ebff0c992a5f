// Storing events in Cloudflare D1 (the local default; miniflare keeps it in a SQLite file).
// The same schema ships as examples/cloudflare/schema.sql.

export const EVENTS_TABLE = 'clicktrail_events';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,            -- click, open, impression, rejected
  time TEXT NOT NULL,            -- ISO-8601 UTC
  epoch_ms INTEGER NOT NULL,
  method TEXT NOT NULL,          -- GET or HEAD
  machine INTEGER NOT NULL,      -- 1 when a scanner, proxy, crawler or HEAD request
  machine_reason TEXT,
  bot_score INTEGER,             -- Cloudflare Bot Management score, when the plan provides it
  ip TEXT,                       -- truncated to /24 or /48 unless fullIp is on
  user_agent TEXT,
  referer TEXT,
  country TEXT,
  colo TEXT,
  key_id TEXT,
  message_id TEXT,
  recipient_id TEXT,
  link_index INTEGER,
  tags TEXT,                     -- JSON object
  order_id TEXT,
  campaign_id TEXT,
  publication_id TEXT,
  channel TEXT,
  creative TEXT,
  size TEXT,
  target TEXT,
  endpoint TEXT,                 -- rejected events: click or pixel
  error TEXT                     -- rejected events: why
);
CREATE INDEX IF NOT EXISTS ${EVENTS_TABLE}_time ON ${EVENTS_TABLE} (epoch_ms);
CREATE INDEX IF NOT EXISTS ${EVENTS_TABLE}_message ON ${EVENTS_TABLE} (message_id, type);
`;

const COLUMNS = [
  ['type', (e) => e.type],
  ['time', (e) => e.time],
  ['epoch_ms', (e) => e.epochMs],
  ['method', (e) => e.method],
  ['machine', (e) => (e.machine ? 1 : 0)],
  ['machine_reason', (e) => e.machineReason],
  ['bot_score', (e) => e.botScore],
  ['ip', (e) => e.ip],
  ['user_agent', (e) => e.userAgent],
  ['referer', (e) => e.referer],
  ['country', (e) => e.country],
  ['colo', (e) => e.colo],
  ['key_id', (e) => e.keyId],
  ['message_id', (e) => e.messageId],
  ['recipient_id', (e) => e.recipientId],
  ['link_index', (e) => e.linkIndex],
  ['tags', (e) => (e.tags ? JSON.stringify(e.tags) : undefined)],
  ['order_id', (e) => e.orderId],
  ['campaign_id', (e) => e.campaignId],
  ['publication_id', (e) => e.publicationId],
  ['channel', (e) => e.channel],
  ['creative', (e) => e.creative],
  ['size', (e) => e.size],
  ['target', (e) => e.target],
  ['endpoint', (e) => e.endpoint],
  ['error', (e) => e.error],
];

const INSERT = `INSERT INTO ${EVENTS_TABLE} (${COLUMNS.map(([name]) => name).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

const schemaReady = new WeakMap();

function ensureSchema(db) {
  let ready = schemaReady.get(db);
  if (!ready) {
    // D1's exec() takes one statement per line.
    ready = db.exec(SCHEMA.replace(/--[^\n]*/g, '').replace(/\s*\n\s*/g, ' ').replace(/;\s*/g, ';\n').trim());
    // A failed attempt is forgotten, so one hiccup does not stop recording for good.
    ready.catch(() => schemaReady.delete(db));
    schemaReady.set(db, ready);
  }
  return ready;
}

export async function insertEvent(db, event) {
  await ensureSchema(db);
  const values = COLUMNS.map(([, get]) => get(event) ?? null);
  await db.prepare(INSERT).bind(...values).run();
}

const DELETE_BATCH = 10_000;
const MAX_RETENTION_DAYS = 36_500;

/**
 * Deletes events older than `days` days in batches (one huge DELETE could exceed D1's
 * per-query limits); returns how many went.
 */
export async function deleteOlderThan(db, days, nowMs = Date.now()) {
  await ensureSchema(db);
  const cutoff = Math.floor(nowMs - Math.min(days, MAX_RETENTION_DAYS) * 86_400_000);
  const statement = db.prepare(
    `DELETE FROM ${EVENTS_TABLE} WHERE id IN (SELECT id FROM ${EVENTS_TABLE} WHERE epoch_ms < ? LIMIT ${DELETE_BATCH})`,
  );
  let deleted = 0;
  for (;;) {
    const changes = (await statement.bind(cutoff).run()).meta?.changes ?? 0;
    deleted += changes;
    if (changes < DELETE_BATCH) return deleted;
  }
}
