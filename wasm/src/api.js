// The clicktrail API on top of an instantiated core module. Host-independent: the entry points
// (node.js, browser.js, workerd.js) only differ in how they obtain the WebAssembly module.

import {
  ClicktrailError,
  callCore,
  decoder,
  disposable,
  optionsJson,
  parseJsonView,
  readJsonAnswer,
  toBytes,
  writeInput,
  writeInputTexts,
} from './core-io.js';

export { ClicktrailError };

export function createApi(core) {
  function rewrite(kind, input, options) {
    const json = optionsJson(options);
    const length = writeInput(core, input);
    const result = callCore(() => core[kind](length, json));
    if (!result.ok) throw new ClicktrailError(result.error);
    // `output` views the module's memory: decode or copy it before anything else runs in the
    // module. Decoding straight from the view saves a copy of the whole email.
    const output =
      typeof input === 'string' ? decoder.decode(result.output) : result.output.slice();
    const report = parseJsonView(result.report);
    return { html: output, ...report };
  }

  function buildUrl(options, target, linkIndex, pixel) {
    const json = optionsJson(options);
    const result = callCore(() => core.buildUrl(json, target, linkIndex, pixel));
    if (!result.ok) throw new ClicktrailError(result.error);
    return result.url;
  }

  // A Verifier or Edge for `settings` (which hold the keys); throws when the core refuses them.
  function keyedNative(NativeClass, settings) {
    if (!Array.isArray(settings.keys) || settings.keys.length === 0) {
      throw new ClicktrailError('keys must be a non-empty array of {id, secret}', 'bad_input');
    }
    const native = new NativeClass(JSON.stringify(settings));
    const error = native.error();
    if (error) {
      native.delete();
      throw new ClicktrailError(error, 'bad_input');
    }
    return native;
  }

  function createVerifier(keys, { allowedHosts } = {}) {
    const native = keyedNative(core.Verifier, { keys, allowedHosts: allowedHosts ?? [] });
    const address = native.address();
    const verifier = {
      verify(url, now = Math.floor(Date.now() / 1000)) {
        if (typeof url !== 'string') throw new ClicktrailError('url must be a string', 'bad_input');
        if (!Number.isFinite(now)) {
          throw new ClicktrailError('now must be a finite number of seconds', 'bad_input');
        }
        // The plain export takes the object by address: a disposed one must never reach it.
        if (native.isDeleted()) throw new ClicktrailError('this verifier was disposed', 'bad_input');
        const length = writeInput(core, url);
        return readJsonAnswer(core, callCore(() => core._clicktrail_verify(address, length, now)));
      },
    };
    return disposable(verifier, native);
  }

  // The per-request edge decision (cpp/include/clicktrail/edge.hpp) with the key schedules kept.
  function createEdge({ keys, allowedHosts = [], fullIp = false, basePath = '' } = {}) {
    const native = keyedNative(core.Edge, { keys, allowedHosts, fullIp, basePath });
    const address = native.address();
    const edge = {
      /** {action, status, location?, record, event?} for one request. */
      handle(method, url, userAgent = '', ip = '', nowMs = Date.now()) {
        const texts = [method, url, userAgent, ip];
        if (!texts.every((text) => typeof text === 'string')) {
          throw new ClicktrailError('method, url, userAgent and ip must be strings', 'bad_input');
        }
        if (native.isDeleted()) throw new ClicktrailError('this edge was disposed', 'bad_input');
        const [m, u, a, i] = writeInputTexts(core, texts);
        return readJsonAnswer(core, callCore(() => core._clicktrail_edge_handle(address, m, u, a, i, nowMs)));
      },
    };
    return disposable(edge, native);
  }

  return {
    rewriteLinks: (html, options) => rewrite('rewriteHtml', html, options),
    rewriteText: (text, options) => rewrite('rewriteText', text, options),
    buildClickUrl: (target, options, linkIndex = -1) => buildUrl(options, target, linkIndex, false),
    buildPixelUrl: (options) => buildUrl(options, '', -1, true),
    createVerifier,
    createEdge,
    verifyTrackingUrl(url, keys, { now, allowedHosts } = {}) {
      const verifier = createVerifier(keys, { allowedHosts });
      try {
        return verifier.verify(url, now);
      } finally {
        verifier.dispose();
      }
    },
    recipientId: (address, secret) => core.recipientId(address, secret),
    hmacSha256: (key, message) =>
      core.hmacSha256Base64url(toBytes(key, 'key'), toBytes(message, 'message')),
    core,
  };
}

const API_NAMES = [
  'rewriteLinks',
  'rewriteText',
  'buildClickUrl',
  'buildPixelUrl',
  'createVerifier',
  'createEdge',
  'verifyTrackingUrl',
  'recipientId',
  'hmacSha256',
];

/**
 * For hosts that load a module asynchronously on demand (browser, workerd): `init(...args)`
 * calls `loadCore(...args)` once; the API functions throw a clear error until it has finished.
 * `makeApi` and `names` default to the core API; the back-office entries pass their own.
 */
export function createLazyEntry(loadCore, makeApi = createApi, names = API_NAMES) {
  let api = null;
  let loading = null;
  const entry = {
    init(...args) {
      loading ??= loadCore(...args).then((core) => {
        api = makeApi(core);
      });
      return loading;
    },
  };
  for (const name of names) {
    entry[name] = (...args) => {
      if (!api) throw new Error('clicktrail: call and await init() first');
      return api[name](...args);
    };
  }
  return entry;
}

/** Instantiates the Emscripten glue from an already compiled WebAssembly.Module. */
export function instantiateCore(createCore, compiled, extra = {}) {
  // Emscripten's promise never settles when instantiation fails inside instantiateWasm: race it
  // against the failure so init() rejects instead of hanging every request.
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  const created = createCore({
    ...extra,
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(compiled, imports).then((instance) => done(instance, compiled), fail);
      return {};
    },
  });
  return Promise.race([created, failed]);
}
