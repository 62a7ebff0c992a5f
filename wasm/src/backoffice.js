// The back-office API: Amazon SES events (parse, suppression, reputation, engagement) and
// CloudFront access logs (parse, aggregate). The core does the work, one call per batch or
// chunk; this layer only converts inputs and options and parses the JSON that comes back.
import { ClicktrailError, callCore, decoder, disposable, parseJsonView, writeInput } from './core-io.js';

export const BACKOFFICE_NAMES = [
  'parseSesEvent',
  'parseSesEvents',
  'analyzeSesEvents',
  'suppressionDecision',
  'buildSuppressionList',
  'mergeSuppressionLists',
  'reputation',
  'engagement',
  'parseCloudFrontLog',
  'createCloudFrontLogParser',
  'createLogAggregator',
  'aggregateClicks',
  'classifyTraffic',
];

const AGGREGATE_FORMATS = { json: 0, ndjson: 1, csv: 2, partial: 3 };

// Reputation levels in the order the binding takes them (percent in, parts per million out).
const LEVELS = [
  'bounceWarning',
  'bounceReview',
  'bouncePause',
  'complaintWarning',
  'complaintReview',
  'complaintPause',
];

// SES input: text or bytes as received, or an already parsed event (or array of events).
function sesText(input) {
  if (typeof input === 'string' || input instanceof Uint8Array || input instanceof ArrayBuffer) {
    return input;
  }
  if (input !== null && typeof input === 'object') return JSON.stringify(input);
  throw new ClicktrailError('events must be a string, a Uint8Array or an object', 'bad_input');
}

function timeMs(value, name) {
  if (value === undefined || value === null) return NaN;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (!Number.isFinite(ms)) {
    throw new ClicktrailError(`${name} must be a Date, an ISO-8601 string or epoch ms`, 'bad_options');
  }
  return ms;
}

function count(value, name) {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) {
    throw new ClicktrailError(`${name} must be a non-negative integer`, 'bad_options');
  }
  return value;
}

export function createBackofficeApi(core) {
  // Runs `use` on a parsed batch and frees it.
  function withBatch(input, single, use) {
    const length = writeInput(core, sesText(input));
    const batch = callCore(() => new core.SesBatch(length, single));
    try {
      return use(batch);
    } finally {
      batch.delete();
    }
  }

  const batchJson = (batch, records) => parseJsonView(batch.json(records));

  function suppressionOf(batch, options = {}) {
    const list = JSON.parse(
      batch.suppression(
        count(options.softBounceLimit, 'softBounceLimit'),
        count(options.softBounceWindowSends, 'softBounceWindowSends'),
      ),
    );
    return (options.merge ?? []).reduce((merged, stored) => mergeSuppressionLists(merged, stored), list);
  }

  function reputationOf(batch, options = {}) {
    const levels = LEVELS.map((name) => {
      const percent = options.levels?.[name];
      if (percent === undefined) return NaN;
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
        throw new ClicktrailError(`levels.${name} must be a percentage from 0 to 100`, 'bad_options');
      }
      return Math.round(percent * 10_000);
    });
    return JSON.parse(
      batch.reputation(timeMs(options.from, 'from'), timeMs(options.to, 'to'), levels),
    );
  }

  function mergeSuppressionLists(a, b) {
    const text = (list) => (typeof list === 'string' ? list : JSON.stringify(list));
    const merged = core.mergeSuppressionLists(text(a), text(b));
    if (!merged) {
      throw new ClicktrailError(
        'not a suppression list (expected {count, entries:[...]} as buildSuppressionList returns)',
        'bad_input',
      );
    }
    return JSON.parse(merged);
  }

  function createAggregator(options = {}) {
    const native = new core.LogAggregator(
      Boolean(options.exact),
      Boolean(options.forwardedFor),
      options.detectBursts !== false,
      options.burstWindowMs ?? NaN,
      count(options.burstLinks, 'burstLinks'),
      options.clickPath ?? '',
      options.pixelPath ?? '',
      options.source ?? '',
    );
    let ended = false;
    const aggregator = {
      /** Feeds decompressed log bytes (any chunk size). */
      write(chunk) {
        if (ended) throw new ClicktrailError('write() after end()', 'bad_input');
        const length = writeInput(core, chunk);
        callCore(() => native.write(length));
        return aggregator;
      },
      /** Parses a last line without a newline and decides held-back clicks. */
      end() {
        if (!ended) callCore(() => native.end());
        ended = true;
        return aggregator;
      },
      /**
       * The aggregates: `format` 'records' (default, performance_entries objects), 'json',
       * 'ndjson', 'csv' or 'partial' (mergeable text); `daily` (default true) one row per day.
       */
      result({ format = 'records', daily = true } = {}) {
        if (!ended) aggregator.end();
        const code = AGGREGATE_FORMATS[format === 'records' ? 'json' : format];
        if (code === undefined) {
          throw new ClicktrailError(`unknown format '${format}'`, 'bad_options');
        }
        const text = decoder.decode(callCore(() => native.output(code, daily)));
        return format === 'records' ? JSON.parse(text) : text;
      },
      /** {parse: {lines, accepted, rejected, skipped, bytes, errors}, aggregate: {...}} */
      report: () => JSON.parse(native.report()),
      /** Adds a partial aggregate (result({format:'partial'}) of another run). */
      merge(partial) {
        const length = writeInput(core, partial);
        const error = native.mergeSerialized(length);
        if (error) throw new ClicktrailError(error, 'bad_input');
        return aggregator;
      },
    };
    return disposable(aggregator, native);
  }

  function createParser() {
    const native = new core.LogParser();
    const parser = {
      /** The hits of every line completed by this chunk. */
      write(chunk) {
        const length = writeInput(core, chunk);
        return parseJsonView(callCore(() => native.write(length)));
      },
      end: () => parseJsonView(callCore(() => native.end())),
      report: () => JSON.parse(native.report()),
    };
    return disposable(parser, native);
  }

  return {
    parseSesEvent: (event) => withBatch(event, true, (batch) => batchJson(batch, true)),
    parseSesEvents: (events, { records = true } = {}) =>
      withBatch(events, false, (batch) => batchJson(batch, records)),
    /** One parse, the reports asked for: {suppression?, reputation?, engagement?, counts}. */
    analyzeSesEvents(events, options = {}) {
      return withBatch(events, false, (batch) => {
        const out = { ...batchJson(batch, false) };
        const wanted = (value) => value !== undefined && value !== false;
        if (wanted(options.suppression)) {
          out.suppression = suppressionOf(batch, options.suppression === true ? {} : options.suppression);
        }
        if (wanted(options.reputation)) {
          out.reputation = reputationOf(batch, options.reputation === true ? {} : options.reputation);
        }
        if (wanted(options.engagement)) out.engagement = JSON.parse(batch.engagement());
        return out;
      });
    },
    /** The suppression entries one event decides on its own (one per suppressed recipient). */
    suppressionDecision: (event) =>
      withBatch(event, true, (batch) => suppressionOf(batch).entries),
    buildSuppressionList: (events, options) =>
      withBatch(events, false, (batch) => suppressionOf(batch, options)),
    mergeSuppressionLists,
    reputation: (events, options) => withBatch(events, false, (batch) => reputationOf(batch, options)),
    engagement: (events) => withBatch(events, false, (batch) => JSON.parse(batch.engagement())),
    parseCloudFrontLog(log) {
      const parser = createParser();
      try {
        const hits = parser.write(log).concat(parser.end());
        return { hits, report: parser.report() };
      } finally {
        parser.dispose();
      }
    },
    createCloudFrontLogParser: createParser,
    createLogAggregator: createAggregator,
    /** {machine, reason}: the edge's rule (HEAD, scanners, image proxies, crawlers, automation). */
    classifyTraffic(method, userAgent) {
      const reason = core.classifyTraffic(String(method ?? 'GET'), String(userAgent ?? ''));
      return { machine: reason !== 'human', reason };
    },
    aggregateClicks(log, { format = 'records', daily = true, ...options } = {}) {
      const aggregator = createAggregator(options);
      try {
        aggregator.write(log).end();
        return { result: aggregator.result({ format, daily }), report: aggregator.report() };
      } finally {
        aggregator.dispose();
      }
    },
  };
}
