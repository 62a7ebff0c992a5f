// The CloudFront Lambda@Edge viewer-request handler (wasm/src/lambda-edge.js), called with events
// shaped as AWS documents them (the "Example viewer request" of the Lambda@Edge event structure
// page: config {distributionDomainName, distributionId, eventType, requestId}, request {clientIp,
// headers as lower-case keys holding [{key, value}], method, querystring without '?', uri}).
// Every generated response is also checked against CloudFront's rules for generated responses.
import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { buildClickUrl, buildPixelUrl } from 'clicktrail';
import { createHandler } from '../../wasm/src/lambda-edge.js';
import { BASE, KEY, ROTATED_OUT, hostileUrls, validClick } from './hostile-urls.js';

const DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';
const TARGET = 'https://shop.example.com/spring?id=7&ref=mail';
const NO_STORE = 'private, no-store, no-cache, must-revalidate, max-age=0';
const DEFAULT_REJECT_HTML =
  '<!doctype html><meta charset="utf-8"><title>Link not valid</title>' +
  '<p>This link is not valid or has expired.</p>';
// The 43-byte transparent 1x1 GIF89a, base64.
const GIF_BASE64 = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';

// --- events -----------------------------------------------------------------------------------

let requestCounter = 0;

/** A viewer-request event for one request, as CloudFront passes it to the function. */
function viewerRequest({
  host = 't.example.com',
  uri,
  querystring = '',
  method = 'GET',
  clientIp = '203.0.113.178',
  userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15',
  referer,
} = {}) {
  requestCounter += 1;
  const headers = {
    host: [{ key: 'Host', value: host }],
    'user-agent': [{ key: 'User-Agent', value: userAgent }],
    accept: [{ key: 'accept', value: '*/*' }],
  };
  if (referer !== undefined) headers.referer = [{ key: 'Referer', value: referer }];
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: DISTRIBUTION_DOMAIN,
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'viewer-request',
            requestId: `clicktrail-test-${requestCounter}-4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26Clko==`,
          },
          request: { clientIp, headers, method, querystring, uri },
        },
      },
    ],
  };
}

/**
 * The request CloudFront receives for an https URL, byte for byte as a non-browser client (curl,
 * a link scanner) sends it: Host is the authority, uri the path, querystring the rest after '?'.
 */
function rawRequest(url) {
  const match = /^https:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!match) return null;
  return { host: match[1], uri: match[2] || '/', querystring: match[3] ?? '' };
}

/** The request a browser sends for `url` (WHATWG parsing normalises path and query), or null. */
function browserRequest(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  return { host: parsed.host, uri: parsed.pathname, querystring: parsed.search.slice(1) };
}

function eventFor(url, extra = {}) {
  const request = rawRequest(url);
  assert.ok(request, `not an https URL: ${url}`);
  return viewerRequest({ ...request, ...extra });
}

// --- CloudFront's rules for responses generated in a viewer-request trigger --------------------

// Read-only for viewer-request events: a generated response may not set them (CloudFront 502s).
const READ_ONLY = ['content-length', 'host', 'transfer-encoding', 'via'];
// Disallowed for every Lambda@Edge function (exact names and prefixes).
const DISALLOWED = [
  'connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization',
  'proxy-connection', 'trailer', 'upgrade', 'x-accel-buffering', 'x-accel-charset',
  'x-accel-limit-rate', 'x-accel-redirect', 'x-cache', 'x-forwarded-proto', 'x-real-ip',
];
const DISALLOWED_PREFIXES = ['x-amz-cf-', 'x-amzn-', 'x-edge-'];
const VIEWER_REQUEST_RESPONSE_LIMIT = 40 * 1024; // headers and body of a generated response

let generatedChecked = 0;

function assertValidGeneratedResponse(response) {
  assert.match(response.status, /^[2-5]\d\d$/, 'status is a string between 200 and 599');
  assert.equal(typeof response.statusDescription, 'string');
  let size = 0;
  for (const [name, values] of Object.entries(response.headers ?? {})) {
    assert.equal(name, name.toLowerCase(), `header key ${name} is lower case`);
    assert.ok(!READ_ONLY.includes(name), `read-only header in a viewer-request response: ${name}`);
    assert.ok(!DISALLOWED.includes(name), `disallowed header: ${name}`);
    assert.ok(!DISALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix)), `disallowed header: ${name}`);
    assert.ok(Array.isArray(values) && values.length > 0, `${name} is a non-empty array`);
    for (const { key, value } of values) {
      assert.equal(key.toLowerCase(), name, `${name}: key ${key} matches`);
      assert.equal(typeof value, 'string');
      assert.doesNotMatch(value, /[\r\n\0]/, `${name} holds no CR, LF or NUL`);
      size += key.length + value.length + 4;
    }
  }
  if (response.body !== undefined) {
    assert.notEqual(response.status, '204', 'no body with 204');
    assert.ok(['text', 'base64', undefined].includes(response.bodyEncoding));
    size += response.body.length;
  }
  assert.ok(size < VIEWER_REQUEST_RESPONSE_LIMIT, `generated response is ${size} bytes`);
  generatedChecked += 1;
}

/** Calls the handler; a generated response (not the request passed on) is checked as it comes. */
async function call(handler, event) {
  const result = await handler(event);
  if (result !== event.Records[0].cf.request) assertValidGeneratedResponse(result);
  return result;
}

// --- handlers -----------------------------------------------------------------------------------

const handler = createHandler({ keys: [KEY] });

const pixelUrl = (extra = {}) =>
  buildPixelUrl({ baseUrl: BASE, keyId: KEY.id, secret: KEY.secret, messageId: 'm-1', ...extra });

function tamper(url) {
  return url.replace(/sig=(.)/, (_, first) => `sig=${first === 'A' ? 'B' : 'A'}`);
}

const EXPECTED_REDIRECT = {
  status: '302',
  statusDescription: 'Found',
  headers: {
    location: [{ key: 'Location', value: TARGET }],
    'cache-control': [{ key: 'Cache-Control', value: NO_STORE }],
    'referrer-policy': [{ key: 'Referrer-Policy', value: 'no-referrer' }],
  },
};

const PIXEL_HEADERS = {
  'content-type': [{ key: 'Content-Type', value: 'image/gif' }],
  'cache-control': [{ key: 'Cache-Control', value: NO_STORE }],
  expires: [{ key: 'Expires', value: '0' }],
};
const EXPECTED_PIXEL = {
  status: '200',
  statusDescription: 'OK',
  headers: PIXEL_HEADERS,
  body: GIF_BASE64,
  bodyEncoding: 'base64',
};
const EXPECTED_PIXEL_HEAD = { status: '200', statusDescription: 'OK', headers: PIXEL_HEADERS };

const EXPECTED_REJECT = {
  status: '400',
  statusDescription: 'Bad Request',
  headers: {
    'content-type': [{ key: 'Content-Type', value: 'text/html; charset=utf-8' }],
    'cache-control': [{ key: 'Cache-Control', value: NO_STORE }],
  },
  body: DEFAULT_REJECT_HTML,
};

const EXPECTED_METHOD_NOT_ALLOWED = {
  status: '405',
  statusDescription: 'Method Not Allowed',
  headers: {
    allow: [{ key: 'Allow', value: 'GET, HEAD' }],
    'cache-control': [{ key: 'Cache-Control', value: NO_STORE }],
  },
};

const EXPECTED_NOT_CONFIGURED = {
  status: '500',
  statusDescription: 'Internal Server Error',
  headers: {
    'content-type': [{ key: 'Content-Type', value: 'text/plain' }],
    'cache-control': [{ key: 'Cache-Control', value: NO_STORE }],
  },
  body: 'clicktrail: not configured',
};

// --- tests --------------------------------------------------------------------------------------

describe('Lambda@Edge viewer request: responses', () => {
  test('the event follows the documented viewer-request shape', () => {
    const event = eventFor(validClick());
    const { config, request } = event.Records[0].cf;
    assert.deepEqual(Object.keys(config).sort(), [
      'distributionDomainName',
      'distributionId',
      'eventType',
      'requestId',
    ]);
    assert.equal(config.eventType, 'viewer-request');
    assert.deepEqual(Object.keys(request).sort(), ['clientIp', 'headers', 'method', 'querystring', 'uri']);
    assert.equal(request.uri, '/c');
    assert.ok(!request.querystring.startsWith('?'));
    assert.deepEqual(request.headers.host, [{ key: 'Host', value: 't.example.com' }]);
  });

  test('a valid click answers 302 to the target, uncached, without a referrer', async () => {
    assert.deepStrictEqual(await call(handler, eventFor(validClick())), EXPECTED_REDIRECT);
  });

  test('a HEAD on a valid click redirects the same way', async () => {
    assert.deepStrictEqual(await call(handler, eventFor(validClick(), { method: 'HEAD' })), EXPECTED_REDIRECT);
  });

  test('a valid pixel answers 200 with the 43-byte GIF, base64', async () => {
    const response = await call(handler, eventFor(pixelUrl()));
    assert.deepStrictEqual(response, EXPECTED_PIXEL);
    const gif = Buffer.from(response.body, 'base64');
    assert.equal(gif.length, 43);
    assert.equal(gif.subarray(0, 6).toString('latin1'), 'GIF89a');
  });

  test('an invalid pixel still answers the same 200 GIF', async () => {
    const invalid = [
      tamper(pixelUrl()),
      pixelUrl().replace(/&sig=[^&]*/, ''),
      `${BASE}/pxl.png`,
      `${BASE}/pxl.png?mid=m-1&kid=nope&sig=AAAA`,
      buildPixelUrl({ baseUrl: BASE, keyId: ROTATED_OUT.id, secret: ROTATED_OUT.secret, messageId: 'm-1' }),
      pixelUrl({ expiresAt: 1_000_000_000 }),
    ];
    for (const url of invalid) {
      assert.deepStrictEqual(await call(handler, eventFor(url)), EXPECTED_PIXEL, url);
    }
  });

  test('a HEAD pixel answers 200 with the image headers and no body', async () => {
    assert.deepStrictEqual(await call(handler, eventFor(pixelUrl(), { method: 'HEAD' })), EXPECTED_PIXEL_HEAD);
    assert.deepStrictEqual(await call(handler, eventFor(tamper(pixelUrl()), { method: 'HEAD' })), EXPECTED_PIXEL_HEAD);
  });

  test('an invalid click answers 400 with an HTML page and no location', async () => {
    const response = await call(handler, eventFor(tamper(validClick())));
    assert.deepStrictEqual(response, EXPECTED_REJECT);
    assert.equal(response.headers.location, undefined);
  });

  test('a HEAD on an invalid click answers 400 without a body', async () => {
    const { body, ...withoutBody } = EXPECTED_REJECT;
    assert.deepStrictEqual(await call(handler, eventFor(tamper(validClick()), { method: 'HEAD' })), withoutBody);
  });

  test('rejectHtml replaces the refusal page', async () => {
    const page = '<!doctype html><title>Expired</title><p>Ask us for a new link.</p>';
    const custom = createHandler({ keys: [KEY], rejectHtml: page });
    assert.deepStrictEqual(await call(custom, eventFor(tamper(validClick()))), { ...EXPECTED_REJECT, body: page });
  });

  test('POST (or any method but GET and HEAD) answers 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      for (const url of [validClick(), pixelUrl()]) {
        const response = await call(handler, eventFor(url, { method }));
        assert.deepStrictEqual(response, EXPECTED_METHOD_NOT_ALLOWED, `${method} ${url}`);
      }
    }
  });

  test('a path that is not a tracking endpoint goes on to the origin unchanged', async () => {
    for (const uri of ['/', '/index.html', '/c/', '/cc', '/pxl.png/', '/pxl.gif', '/favicon.ico']) {
      const event = viewerRequest({ uri, querystring: 'a=1' });
      const before = structuredClone(event.Records[0].cf.request);
      const result = await call(handler, event);
      assert.equal(result, event.Records[0].cf.request, `${uri}: the same request object`);
      assert.deepStrictEqual(result, before, `${uri}: not modified`);
    }
  });
});

describe('Lambda@Edge viewer request: configuration', () => {
  const clickOnDistributionDomain = () => eventFor(validClick(), { host: DISTRIBUTION_DOMAIN });

  test('without origin, the Host header is the origin: the *.cloudfront.net name does not verify', async () => {
    assert.deepStrictEqual(await call(handler, clickOnDistributionDomain()), EXPECTED_REJECT);
  });

  test('origin: URLs verify against the configured public origin whatever the Host header', async () => {
    const withOrigin = createHandler({ keys: [KEY], origin: BASE });
    assert.deepStrictEqual(await call(withOrigin, clickOnDistributionDomain()), EXPECTED_REDIRECT);
    assert.deepStrictEqual(await call(withOrigin, eventFor(validClick())), EXPECTED_REDIRECT);
    assert.deepStrictEqual(await call(withOrigin, eventFor(pixelUrl(), { host: DISTRIBUTION_DOMAIN })), EXPECTED_PIXEL);
    // The origin is where the signature was made: a tampered URL is still refused.
    const tampered = eventFor(tamper(validClick()), { host: DISTRIBUTION_DOMAIN });
    assert.deepStrictEqual(await call(withOrigin, tampered), EXPECTED_REJECT);
  });

  test('key rotation: with two keys configured, URLs signed with either one verify', async () => {
    const rotating = createHandler({ keys: [ROTATED_OUT, KEY] });
    const signWith = (keyId, secret) => buildClickUrl(TARGET, { baseUrl: BASE, keyId, secret, messageId: 'm-0' });
    const oldUrl = signWith(ROTATED_OUT.id, ROTATED_OUT.secret);
    const newUrl = validClick();
    assert.deepStrictEqual(await call(rotating, eventFor(oldUrl)), EXPECTED_REDIRECT);
    assert.deepStrictEqual(await call(rotating, eventFor(newUrl)), EXPECTED_REDIRECT);
    // A key id that is not configured, and a known id with the wrong secret, are refused.
    const unknown = signWith('k9', 'k9-secret-0123456789abcdef');
    const forged = signWith(ROTATED_OUT.id, KEY.secret);
    assert.deepStrictEqual(await call(rotating, eventFor(unknown)), EXPECTED_REJECT);
    assert.deepStrictEqual(await call(rotating, eventFor(forged)), EXPECTED_REJECT);
    // Once the old key is removed, its URLs stop redirecting.
    assert.deepStrictEqual(await call(handler, eventFor(oldUrl)), EXPECTED_REJECT);
  });

  describe('log: true', () => {
    const NOW = Date.UTC(2026, 10, 22, 15, 53, 6, 123);
    const logging = createHandler({ keys: [ROTATED_OUT, KEY], log: true });

    // Runs `fn` with console.log captured and Date.now fixed; both restored whatever happens.
    async function captureLog(fn) {
      const log = mock.method(console, 'log', () => {});
      const now = mock.method(Date, 'now', () => NOW);
      try {
        await fn();
        return log.mock.calls.map((c) => c.arguments);
      } finally {
        log.mock.restore();
        now.mock.restore();
      }
    }

    function assertNoSecret(text) {
      for (const { secret } of [KEY, ROTATED_OUT]) assert.ok(!text.includes(secret), 'a secret in the log line');
    }

    test('a click writes exactly one JSON line, IPv4 truncated to /24, no secret', async () => {
      const lines = await captureLog(async () => {
        const event = eventFor(validClick(), { clientIp: '203.0.113.178', referer: 'https://mail.example.net/' });
        assert.deepStrictEqual(await call(logging, event), EXPECTED_REDIRECT);
      });
      assert.equal(lines.length, 1, 'one console.log call');
      assert.equal(lines[0].length, 1, 'one argument');
      const [line] = lines[0];
      assert.equal(typeof line, 'string');
      assert.doesNotMatch(line, /\n/, 'a single line');
      assertNoSecret(line);
      assert.deepStrictEqual(JSON.parse(line), {
        clicktrail: {
          type: 'click',
          time: '2026-11-22T15:53:06.123Z',
          epochMs: NOW,
          method: 'GET',
          machine: false,
          machineReason: 'human',
          ip: '203.0.113.0',
          userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15',
          keyId: 'k1',
          messageId: 'm-1',
          linkIndex: 3,
          target: TARGET,
          referer: 'https://mail.example.net/',
        },
      });
    });

    test('an open from IPv6 is logged with the address truncated to /48', async () => {
      const lines = await captureLog(async () => {
        const event = eventFor(pixelUrl(), { clientIp: '2001:db8:85a3:1234:5678:abcd:ef01:2345' });
        assert.deepStrictEqual(await call(logging, event), EXPECTED_PIXEL);
      });
      assert.equal(lines.length, 1);
      assertNoSecret(lines[0][0]);
      const { clicktrail } = JSON.parse(lines[0][0]);
      assert.equal(clicktrail.type, 'open');
      assert.equal(clicktrail.ip, '2001:db8:85a3::');
      assert.equal(clicktrail.keyId, 'k1');
    });

    test('the IPv6 form of the AWS examples (leading zeros, no ::) is truncated to /48 too', async () => {
      const lines = await captureLog(async () => {
        await call(logging, eventFor(validClick(), { clientIp: '2001:0db8:85a3:0:0:8a2e:0370:7334' }));
      });
      assert.equal(lines.length, 1);
      assert.equal(JSON.parse(lines[0][0]).clicktrail.ip, '2001:db8:85a3::');
    });

    test('a refused click is logged as rejected with its reason; a refused pixel is not logged', async () => {
      const lines = await captureLog(async () => {
        await call(logging, eventFor(tamper(validClick())));
        await call(logging, eventFor(tamper(pixelUrl())));
      });
      assert.equal(lines.length, 1);
      assertNoSecret(lines[0][0]);
      const { clicktrail } = JSON.parse(lines[0][0]);
      assert.equal(clicktrail.type, 'rejected');
      assert.equal(clicktrail.endpoint, 'click');
      assert.equal(clicktrail.error, 'bad_signature');
      assert.equal(clicktrail.ip, '203.0.113.0');
    });

    test('without log: true nothing is written to console.log', async () => {
      const lines = await captureLog(async () => {
        await call(handler, eventFor(validClick()));
        await call(handler, eventFor(pixelUrl()));
      });
      assert.deepStrictEqual(lines, []);
    });

    test('console.log is restored after capture', () => {
      assert.equal(console.log.mock, undefined);
    });
  });

  describe('a broken config (keys: [])', () => {
    const broken = createHandler({ keys: [] });
    let errors;

    // The handler reports the config error on console.error; keep the test output clean.
    async function quietly(fn) {
      const error = mock.method(console, 'error', () => {});
      try {
        return await fn();
      } finally {
        errors = error.mock.calls.map((c) => c.arguments.join(' '));
        error.mock.restore();
      }
    }

    test('still serves the pixel, GET and HEAD', async () => {
      await quietly(async () => {
        assert.deepStrictEqual(await call(broken, eventFor(pixelUrl())), EXPECTED_PIXEL);
        assert.deepStrictEqual(await call(broken, eventFor(tamper(pixelUrl()))), EXPECTED_PIXEL);
        assert.deepStrictEqual(await call(broken, eventFor(pixelUrl(), { method: 'HEAD' })), EXPECTED_PIXEL_HEAD);
      });
      assert.ok(errors.length > 0, 'the config error is reported');
      assert.match(errors[0], /keys/);
    });

    test('answers 500 to clicks, never a redirect, and does not throw', async () => {
      await quietly(async () => {
        assert.deepStrictEqual(await call(broken, eventFor(validClick())), EXPECTED_NOT_CONFIGURED);
        const { body, ...withoutBody } = EXPECTED_NOT_CONFIGURED;
        assert.deepStrictEqual(await call(broken, eventFor(validClick(), { method: 'HEAD' })), withoutBody);
      });
    });

    test('a missing keys option behaves the same', async () => {
      const missing = createHandler({});
      await quietly(async () => {
        assert.deepStrictEqual(await call(missing, eventFor(pixelUrl())), EXPECTED_PIXEL);
        assert.deepStrictEqual(await call(missing, eventFor(validClick())), EXPECTED_NOT_CONFIGURED);
      });
    });

    // BUG (open): the fallback decision is 'pixel' for /pxl.png and 'error' for every other
    // path, so with a broken config the handler answers 500 to paths it would otherwise pass
    // to the origin (wasm/src/lambda-edge.js, catch block of the handler). Fails until fixed.
    test('still passes paths that are not tracking endpoints on to the origin', async () => {
      await quietly(async () => {
        const event = viewerRequest({ uri: '/index.html' });
        const result = await broken(event);
        assert.equal(result, event.Records[0].cf.request, `got ${JSON.stringify(result)}`);
      });
    });
  });
});

describe('open-redirect suite through viewer-request events', () => {
  test('no hostile or tampered URL gets a 3xx or a Location header', async (t) => {
    const suite = await hostileUrls();
    let sent = 0;
    let unreachable = 0;
    const requests = [];
    for (const { name, url } of suite) {
      // Both the bytes as typed (curl) and the browser's normalised form, when they differ.
      const forms = [rawRequest(url), browserRequest(url)].filter(Boolean);
      const unique = [...new Map(forms.map((r) => [JSON.stringify(r), r])).values()];
      if (unique.length === 0) {
        // No client turns this text into an HTTPS request to CloudFront (the scheme itself was
        // altered): there is no viewer request to run. Counted, and pinned to that cause.
        assert.doesNotMatch(url, /^https:/i, `${name}: an https URL must be sendable`);
        unreachable += 1;
        continue;
      }
      sent += 1;
      for (const request of unique) requests.push({ name, url, request });
    }
    for (const { name, url, request } of requests) {
      const response = await call(handler, viewerRequest(request));
      const status = response.status ?? '(passed to the origin)';
      assert.ok(!String(status).startsWith('3'), `${name}: ${status} for ${url}`);
      assert.equal(response.headers?.location, undefined, `${name}: Location header for ${url}`);
    }
    assert.equal(sent + unreachable, suite.length, 'every URL of the suite is accounted for');
    assert.ok(sent > suite.length - 10, `${sent} of ${suite.length} URLs sent as viewer requests`);
    t.diagnostic(
      `${suite.length} URLs: ${sent} sent as ${requests.length} viewer requests, ` +
        `${unreachable} not sendable to CloudFront (scheme altered)`,
    );
  });

  test('the valid URL the suite mutates does redirect (the suite tests something)', async () => {
    assert.deepStrictEqual(await call(handler, eventFor(validClick())), EXPECTED_REDIRECT);
  });
});

describe('CloudFront rules for generated responses', () => {
  test('no response has a read-only or disallowed header, a bad status or over 40 KB', async (t) => {
    const brokenHandler = createHandler({ keys: [] });
    const error = mock.method(console, 'error', () => {});
    try {
      // One of each kind; call() applies the checks, as it did to every response above.
      const kinds = [
        await call(handler, eventFor(validClick())),
        await call(handler, eventFor(pixelUrl())),
        await call(handler, eventFor(pixelUrl(), { method: 'HEAD' })),
        await call(handler, eventFor(tamper(validClick()))),
        await call(handler, eventFor(validClick(), { method: 'POST' })),
        await call(brokenHandler, eventFor(validClick())),
      ];
      assert.deepEqual(kinds.map((r) => r.status), ['302', '200', '200', '400', '405', '500']);
    } finally {
      error.mock.restore();
    }
    assert.ok(generatedChecked > 50, `only ${generatedChecked} generated responses checked`);
    t.diagnostic(`${generatedChecked} generated responses checked in this file`);
  });
});
