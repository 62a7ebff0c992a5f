-- clicktrail events table for Cloudflare D1: the same schema the Worker creates on its first write
-- (wasm/src/edge/d1.js). Optional to run by hand:
--   npx wrangler d1 execute clicktrail --remote --file=schema.sql
CREATE TABLE IF NOT EXISTS clicktrail_events (
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
CREATE INDEX IF NOT EXISTS clicktrail_events_time ON clicktrail_events (epoch_ms);
CREATE INDEX IF NOT EXISTS clicktrail_events_message ON clicktrail_events (message_id, type);
