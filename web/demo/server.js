// The local demo (`npm start`): on loopback only, the composer and report pages, a signing
// endpoint for the composer (the key stays in this process), and clicktrail's Cloudflare Worker
// in workerd with a local D1 event store. The report reads that store plus the sample SES events
// and CloudFront logs in examples/. Ctrl-C (SIGINT) or SIGTERM stops everything.
//
//   node web/demo/server.js [--port 8787] [--worker-port 8788] [--state .demo]
// Port 0 picks a free port; the URLs printed are the ones to use.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { rewriteLinks, rewriteText } from 'clicktrail';
import { startLocalEdge } from './local-edge.js';
import { staticFiles } from './static.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = join(ROOT, 'web', 'demo', 'pages');
const MAX_BODY = 4 * 1024 * 1024;
// What the composer may choose; the base URL and the key are the server's.
const SIGN_OPTIONS = ['messageId', 'campaignId', 'recipientId', 'linkify', 'openPixel', 'trackClicks', 'maxLinks'];

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    'worker-port': { type: 'string', default: '8788' },
    state: { type: 'string', default: join(ROOT, '.demo') },
  },
});

// One demo key, made on first start and kept with the D1 data so that links signed in an earlier
// run still verify. A real deployment keeps it in its secret store.
function demoKeys(stateDir) {
  const file = join(stateDir, 'keys.json');
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify([{ id: 'demo', secret: randomBytes(24).toString('base64url') }]), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

// Every file of `dir` ending in one of `extensions`, joined (the report takes one text each).
function readSamples(dir, extensions) {
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((name) => extensions.some((ext) => name.endsWith(ext)))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .map((text) => (text.endsWith('\n') ? text : `${text}\n`))
    .join('');
}

function sampleEmails() {
  const dir = join(ROOT, 'examples', 'emails');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.html') || name.endsWith('.txt'))
    .sort()
    .map((name) => ({ name, format: name.endsWith('.txt') ? 'text' : 'html', text: readFileSync(join(dir, name), 'utf8') }));
}

function readBody(request) {
  return new Promise((resolveBody, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body over 4 MB'));
        request.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response, status, value) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(value));
}

function sendPage(response, name, status = 200) {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  response.end(readFileSync(join(PAGES, name)));
}

async function main() {
  // Registered before miniflare's own exit hook (which stops workerd and exits at once), so this
  // runs first: it says what happens and closes what it can.
  let server = null;
  let edge = null;
  const stop = (signal) => {
    console.log(`\n${signal}: stopping the demo (page server and workerd)`);
    server?.closeAllConnections();
    server?.close();
    Promise.resolve(edge?.dispose()).finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const stateDir = resolve(args.state);
  const keys = demoKeys(stateDir);
  edge = await startLocalEdge({
    root: ROOT,
    keys,
    stateDir,
    port: Number(args['worker-port']),
    log: (line) => line && console.log(`[worker] ${line}`),
  });
  const files = staticFiles(ROOT, ['/web/', '/wasm/src/', '/wasm/dist/']);

  async function sign(request, response) {
    // JSON only: a cross-site form or text/plain POST (no CORS preflight) is refused.
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return sendJson(response, 415, { error: 'send the source as application/json' });
    }
    let body;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      return sendJson(response, 400, { error: `not a JSON body: ${error.message}` });
    }
    if (typeof body?.source !== 'string') return sendJson(response, 400, { error: 'source must be a string' });
    const options = Object.fromEntries(SIGN_OPTIONS.filter((name) => body.options?.[name] !== undefined).map((name) => [name, body.options[name]]));
    const rewrite = body.format === 'text' ? rewriteText : rewriteLinks;
    try {
      const [key] = keys;
      sendJson(response, 200, rewrite(body.source, { ...options, baseUrl: edge.url, keyId: key.id, secret: key.secret }));
    } catch (error) {
      sendJson(response, 400, { error: error.message });
    }
  }

  async function reportData(response) {
    sendJson(response, 200, {
      generatedAt: new Date().toISOString(),
      edgeEvents: await edge.events(),
      ses: readSamples(join(ROOT, 'examples', 'ses'), ['.ndjson', '.json']),
      cloudfront: readSamples(join(ROOT, 'examples', 'cloudfront'), ['.log']),
    });
  }

  server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://localhost');
    // Loopback names only: a page elsewhere that rebinds its DNS name to 127.0.0.1 sends its own
    // Host, and must not read the report or get links signed.
    if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(request.headers.host ?? '')) {
      return sendJson(response, 421, { error: 'this demo answers loopback hosts only' });
    }
    try {
      if (request.method === 'POST' && pathname === '/api/sign') return await sign(request, response);
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'method not allowed' });
      if (pathname === '/') return sendPage(response, 'index.html');
      if (pathname === '/composer') return sendPage(response, 'composer.html');
      if (pathname === '/report') return sendPage(response, 'report.html');
      if (pathname.startsWith('/shop/')) return sendPage(response, 'shop.html');
      if (pathname === '/api/config') return sendJson(response, 200, { workerUrl: edge.url, keyId: keys[0].id });
      if (pathname === '/api/samples') return sendJson(response, 200, sampleEmails());
      if (pathname === '/api/report-data') return await reportData(response);
      if (await files(pathname, response)) return;
      sendJson(response, 404, { error: 'not found' });
    } catch (error) {
      console.error(`demo: ${request.method} ${pathname}: ${error.stack ?? error}`);
      if (!response.headersSent) sendJson(response, 500, { error: error.message });
      else response.end();
    }
  });
  await new Promise((listening) => server.listen(Number(args.port), '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${server.address().port}`;

  console.log(`clicktrail demo is up (loopback only):
  composer  ${origin}/composer
  report    ${origin}/report
  worker    ${edge.url}/c and ${edge.url}/pxl.png (clicktrail/cloudflare in workerd, D1 in ${join(stateDir, 'd1')})
Write an email in the composer, click a link in its preview, then reload the report. Ctrl-C stops everything.`);

}

main().catch((error) => {
  console.error(`demo: ${error.stack ?? error}`);
  process.exit(1);
});
