// Cloudflare Worker for tracking URLs: GET|HEAD /c answers 302 to a verified target (else 400),
// GET|HEAD /pxl.png always answers the 1x1 GIF, and each hit is recorded after the response
// (ctx.waitUntil) to the bindings present: D1 (CLICKTRAIL_DB), a Queue (CLICKTRAIL_QUEUE) and/or
// Analytics Engine (CLICKTRAIL_ANALYTICS). Keys come from the CLICKTRAIL_KEYS secret, a JSON
// array [{"id":"k1","secret":"..."}]; several ids may be active at once (rotation).
import { createEdge, init } from './workerd.js';
import { deleteOlderThan, insertEvent } from './edge/d1.js';
import { PIXEL_GIF, cappedReferer, isPixelPath, responseFor } from './edge/responses.js';

// Only `default` and functions may be exported here: workerd treats every named export of a
// main module as a handler. The D1 schema ships as examples/cloudflare/schema.sql.

/**
 * options: keys (else env.CLICKTRAIL_KEYS), basePath (else env.CLICKTRAIL_BASE_PATH: the path of
 * the base URL links were signed with, "" for https://t.example.com), allowedHosts (else
 * env.CLICKTRAIL_ALLOWED_HOSTS,
 * comma-separated), fullIp (else env.CLICKTRAIL_FULL_IP === 'true'), rejectHtml,
 * retentionDays (else env.CLICKTRAIL_RETENTION_DAYS, default 90), onEvent(event, env) for a
 * custom sink, passThrough (fetch other paths from the origin instead of answering 404).
 */
const DEFAULT_RETENTION_DAYS = 90;

function clip(text, bytes) {
  return text.length > bytes ? text.slice(0, bytes) : text;
}

// CLICKTRAIL_KEYS is a secret: a parse error must not carry its text into a log.
function parseKeys(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError('CLICKTRAIL_KEYS is not a JSON array of {id, secret}');
  }
}

// Unset or blank: the default. Anything but a positive number is logged and deletes nothing:
// a typo must never wipe the event store.
function retentionDays(setting) {
  if (setting === undefined || setting === null || String(setting).trim() === '') {
    return DEFAULT_RETENTION_DAYS;
  }
  const days = Number(setting);
  if (!Number.isFinite(days) || days <= 0) {
    console.error(`clicktrail: retention of ${JSON.stringify(setting)} days is not a positive number; nothing deleted`);
    return null;
  }
  return days;
}

export function createWorker(options = {}) {
  let edge = null;
  let edgeSource = null;

  const basePathOf = (env) => (options.basePath ?? env.CLICKTRAIL_BASE_PATH ?? '').replace(/\/+$/, '');

  async function edgeFor(env) {
    await init();
    const source = options.keys ?? env.CLICKTRAIL_KEYS;
    // Rebuilt only when the keys change (a new deployment or a rotated secret).
    if (edge && source === edgeSource) return edge;
    const keys = typeof source === 'string' ? parseKeys(source) : source;
    const allowedHosts =
      options.allowedHosts ??
      (env.CLICKTRAIL_ALLOWED_HOSTS ? env.CLICKTRAIL_ALLOWED_HOSTS.split(',').map((h) => h.trim()) : []);
    const fullIp = options.fullIp ?? env.CLICKTRAIL_FULL_IP === 'true';
    // Build the new edge before letting the old one go: if the new keys are unusable, the
    // current edge stays intact and in use.
    const next = createEdge({ keys, allowedHosts, fullIp, basePath: basePathOf(env) });
    edge?.dispose();
    edge = next;
    edgeSource = source;
    return edge;
  }

  async function record(event, env) {
    const writes = [];
    if (env.CLICKTRAIL_DB) writes.push(insertEvent(env.CLICKTRAIL_DB, event));
    if (env.CLICKTRAIL_QUEUE) writes.push(env.CLICKTRAIL_QUEUE.send(event));
    if (env.CLICKTRAIL_ANALYTICS) {
      // writeDataPoint throws synchronously on oversized values: keep it from stopping the
      // other sinks, and stay inside its limits (index 96 bytes, blobs 5 KB in all).
      writes.push(
        new Promise((resolve) => {
          env.CLICKTRAIL_ANALYTICS.writeDataPoint({
            indexes: [clip(event.messageId ?? event.campaignId ?? '', 96)],
            blobs: [event.type, event.machine ? 'machine' : 'human', clip(event.target ?? '', 2048),
              event.country ?? '', clip(event.campaignId ?? '', 256), clip(event.recipientId ?? '', 256),
              event.error ?? '', event.machineReason ?? ''],
            doubles: [event.epochMs, event.linkIndex ?? -1, event.botScore ?? -1],
          });
          resolve();
        }),
      );
    }
    if (options.onEvent) writes.push(options.onEvent(event, env));
    const results = await Promise.allSettled(writes);
    for (const result of results) {
      // A lost event must be visible in the logs, but never without saying what failed.
      if (result.status === 'rejected') console.error('clicktrail: recording failed:', result.reason?.message ?? result.reason);
    }
  }

  // Without a binding or an onEvent sink there is nowhere to record to: nothing to add to the
  // core's event and nothing to schedule after the response.
  const hasSink = (env) =>
    Boolean(env.CLICKTRAIL_DB || env.CLICKTRAIL_QUEUE || env.CLICKTRAIL_ANALYTICS || options.onEvent);

  function toResponse(decision, head) {
    const { status, headers, body } = responseFor(decision, { head, rejectHtml: options.rejectHtml });
    return new Response(body === 'pixel' ? PIXEL_GIF : body, { status, headers });
  }

  return {
    async fetch(request, env, ctx) {
      const head = request.method === 'HEAD';
      let current;
      try {
        current = await edgeFor(env);
      } catch (error) {
        // The message may quote the secret (a JSON syntax error shows the text): never log it.
        console.error(`clicktrail: cannot load the keys (${error.name}); check CLICKTRAIL_KEYS`);
        // A broken configuration must not break an email: the pixel is still served.
        if (isPixelPath(request.url, basePathOf(env))) return toResponse({ action: 'pixel' }, head);
        return toResponse({ action: 'error' }, head);
      }
      let decision;
      try {
        decision = current.handle(
          request.method,
          request.url,
          request.headers.get('user-agent') ?? '',
          request.headers.get('cf-connecting-ip') ?? '',
          Date.now(),
        );
      } catch (error) {
        console.error('clicktrail: the core failed on a request:', error.message);
        return toResponse({ action: isPixelPath(request.url, basePathOf(env)) ? 'pixel' : 'error' }, head);
      }
      if (decision.action === 'pass') {
        return options.passThrough ? fetch(request) : new Response('Not found', { status: 404 });
      }
      if (decision.record && hasSink(env)) {
        const event = decision.event;
        event.referer = cappedReferer(request.headers.get('referer'));
        event.country = request.cf?.country;
        event.colo = request.cf?.colo;
        if (request.cf?.botManagement?.score !== undefined) event.botScore = request.cf.botManagement.score;
        ctx.waitUntil(record(event, env));
      }
      return toResponse(decision, head);
    },

    // Cron trigger: deletes D1 events older than the retention period.
    async scheduled(controller, env, ctx) {
      if (!env.CLICKTRAIL_DB) return;
      const days = retentionDays(options.retentionDays ?? env.CLICKTRAIL_RETENTION_DAYS);
      if (days === null) return;
      ctx.waitUntil(deleteOlderThan(env.CLICKTRAIL_DB, days, controller.scheduledTime ?? Date.now()));
    },
  };
}

export default createWorker();
