// The local demo in a real browser: `web/demo/server.js` (what `npm start` runs) with the Worker
// in workerd and its D1 store, driven by Debian's Chromium through playwright-core. Screenshots
// of both pages at desktop and phone sizes go to build/test-artifacts/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, listEmails } from '../js/helpers.js';

const ARTIFACTS = join(ROOT, 'build', 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

let server;
let state;
let origin;
let workerUrl;
let browser;
const serverLog = [];

async function startDemo() {
  state = mkdtempSync(join(tmpdir(), 'clicktrail-demo-'));
  server = spawn(process.execPath, [join(ROOT, 'web/demo/server.js'), '--port', '0', '--worker-port', '0', '--state', state], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr.on('data', (chunk) => serverLog.push(String(chunk)));
  let out = '';
  await new Promise((resolve, reject) => {
    server.on('exit', (code) => reject(new Error(`demo exited with ${code}: ${serverLog.join('')}`)));
    server.stdout.on('data', (chunk) => {
      out += chunk;
      serverLog.push(String(chunk));
      const composer = /composer\s+(http:\/\/127\.0\.0\.1:\d+)\/composer/.exec(out);
      const worker = /worker\s+(http:\/\/127\.0\.0\.1:\d+)\/c /.exec(out);
      if (composer && worker) {
        origin = composer[1];
        workerUrl = worker[1];
        resolve();
      }
    });
  });
}

async function openPage(path, size = SIZES.desktop) {
  const page = await browser.newPage({ viewport: size });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.errors = errors;
  await page.goto(origin + path);
  return page;
}

// The composer after its signing endpoint has answered for the current source.
async function signedComposer(page) {
  await page.waitForFunction(() => {
    const composer = document.querySelector('clicktrail-composer');
    return composer?.signed === true && composer.result.html.includes(composer.getAttribute('base-url'));
  });
  return page.locator('clicktrail-composer');
}

// Types into the composer as an author pasting, then waits for the signed render of that text.
async function paste(page, text) {
  await page.locator('clicktrail-composer #source').fill(text);
  await page.waitForFunction((expected) => {
    const composer = document.querySelector('clicktrail-composer');
    return composer.renderedValue === expected && composer.signed;
  }, text);
}

const rowTexts = (page) =>
  page.locator('clicktrail-composer tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.cells].slice(0, 4).map((cell) => cell.innerText.trim().replace(/\s+/g, ' '))),
  );

// Presses Tab until the focused element (inside shadow roots too) satisfies `matches`.
async function tabTo(page, matches, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate((source) => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return new Function('element', `return ${source}`)(active);
    }, matches);
    if (found) return i + 1;
  }
  throw new Error(`no focusable element matching ${matches} within ${limit} tabs`);
}

function pastedEmail(shop) {
  return `<html><body>
<p>Our spring sale is on: ${shop}/spring (20% off). Questions: <a href="mailto:help@example.com">help@example.com</a></p>
<!--[if mso]>
<v:roundrect href="${shop}/jackets" style="height:44px;width:220px" fillcolor="#0b5fff"><center>Shop jackets</center></v:roundrect>
<![endif]-->
<!--[if !mso]><!--><a href="${shop}/jackets">Shop jackets</a><!--<![endif]-->
</body></html>`;
}

// 100 KB of real templates from the corpus copy, smallest first so that it holds many of them.
function hundredKilobyteEmail() {
  const files = listEmails().map((path) => join(ROOT, path));
  files.sort((a, b) => statSync(a).size - statSync(b).size || a.localeCompare(b));
  let html = '';
  for (let i = 0; html.length < 100_000; i++) html += readFileSync(files[i % files.length], 'latin1');
  return html.slice(0, 100_000);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await startDemo();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    await exited;
  }
  if (state) rmSync(state, { recursive: true, force: true });
});

describe('composer', () => {
  test('a pasted email: each link with why it is or is not tracked, and signed tracked HTML', async () => {
    const page = await openPage('/composer');
    const composer = await signedComposer(page);
    const shop = `${origin}/shop`;
    await paste(page, pastedEmail(shop));
    assert.deepEqual(await rowTexts(page), [
      ['1', `${shop}/spring`, 'Tracked plain URL turned into a link', '2'],
      ['2', 'mailto:help@example.com', 'Not tracked: mailto: link', '2'],
      ['3', `${shop}/jackets`, 'Tracked Outlook (VML) button', '4'],
    ]);
    const status = await page.locator('clicktrail-composer .status').innerText();
    assert.match(status, /2 of 3 links tracked/);
    assert.match(status, /Open pixel goes just before <\/body> \(line 7\)/);
    assert.match(status, /Signed by the page’s signing endpoint/);

    const html = await composer.evaluate((c) => c.result.html);
    const clicks = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
    assert.equal(clicks.length, 4); // plain URL, mailto, VML and HTML copies of the button
    assert.equal(clicks[1], 'mailto:help@example.com');
    for (const url of [clicks[0], clicks[2], clicks[3]]) {
      assert.ok(url.startsWith(`${workerUrl}/c?`), url);
      assert.match(url, /&kid=demo&sig=[\w-]{43}$/);
    }
    assert.match(html, new RegExp(`<a href="${workerUrl}/c\\?[^"]*">${shop}/spring</a> \\(20% off\\)`));
    assert.match(html, new RegExp(`<img src="${workerUrl}/pxl\\.png\\?[^"]*" width="1" height="1"`));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('keyboard only: the toggles and the per-link switch, focus kept', async () => {
    const page = await openPage('/composer');
    await signedComposer(page);
    await paste(page, pastedEmail(`${origin}/shop`));
    await page.locator('body').focus();

    await tabTo(page, "element?.name === 'linkify'");
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('clicktrail-composer').rows.length === 2);
    assert.match(await page.locator('clicktrail-composer .status').innerText(), /1 of 2 links tracked/);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('clicktrail-composer').rows.length === 3);

    await tabTo(page, "element?.name === 'openPixel'");
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !document.querySelector('clicktrail-composer').result.html.includes('/pxl.png'));
    assert.match(await page.locator('clicktrail-composer .status').innerText(), /Open tracking is off/);
    await page.keyboard.press('Space');

    // The switch of the button (index 2): Space opts it out in the source, focus stays on it.
    await tabTo(page, "element?.getAttribute('aria-label')?.startsWith('Track link 3:')");
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('clicktrail-composer').rows[2].reason === 'opted_out');
    const source = await page.locator('clicktrail-composer').evaluate((c) => c.value);
    assert.match(source, /<v:roundrect data-no-track href=/);
    assert.match(source, /<a data-no-track href=/);
    const focused = await page.evaluate(() => document.querySelector('clicktrail-composer').shadowRoot.activeElement?.getAttribute('aria-checked'));
    assert.equal(focused, 'false');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('clicktrail-composer').rows[2].reason === 'tracked');
    assert.doesNotMatch(await page.locator('clicktrail-composer').evaluate((c) => c.value), /no-track/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the preview runs no script, loads no remote image unless asked, and never the pixel', async () => {
    const page = await openPage('/composer');
    const composer = await signedComposer(page);
    // A pixel from an earlier output, pasted back by the author, must not load either.
    const earlierPixel = (await composer.evaluate((c) => c.result.html)).match(/<img src="[^"]*\/pxl\.png[^>]*>/)[0];
    // Responses, not requests: Chromium reports a request the CSP then cancels ("csp").
    const requests = [];
    page.context().on('response', (response) => requests.push(response.url()));
    await page.evaluate(() => {
      window.previewMessages = [];
      window.addEventListener('message', (event) => window.previewMessages.push(event.data));
    });
    const image = `${origin}/web/demo/pages/lookbook.svg`;
    await paste(page, `<html><body><p>Hello</p><img src="${image}" alt="Lookbook" onerror="parent.postMessage('onerror ran', '*')">` +
      `<script>parent.postMessage('script ran', '*')</script>${earlierPixel}<form action="${origin}/api/sign"><button>Go</button></form></body></html>`);
    const preview = page.frameLocator('clicktrail-composer iframe');
    await preview.locator('p', { hasText: 'Hello' }).waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(await preview.locator('img').evaluateAll((images) => images.map((img) => img.getAttribute('src'))), [image]);
    assert.deepEqual(requests.filter((url) => url.includes('/pxl.png') || url.includes('lookbook.svg')), []);
    assert.deepEqual(await page.evaluate(() => window.previewMessages), []);

    const imageLoaded = page.waitForResponse((response) => response.url() === image);
    await page.locator('clicktrail-composer input[name=remoteImages]').check();
    await imageLoaded;
    await page.waitForTimeout(300);
    assert.deepEqual(requests.filter((url) => url.includes('/pxl.png')), []);
    assert.deepEqual(await page.evaluate(() => window.previewMessages), []);
    await page.close();
  });

  test('a 100 KB email re-renders (time printed, not asserted)', async () => {
    const page = await openPage('/composer');
    await signedComposer(page);
    const html = hundredKilobyteEmail();
    const timings = await page.locator('clicktrail-composer').evaluate(async (composer, text) => {
      composer.removeAttribute('signing-endpoint'); // the local render alone: what the author waits for
      composer.value = text;
      const work = [];
      const painted = [];
      const frame = composer.shadowRoot.querySelector('iframe');
      for (let i = 0; i < 7; i++) {
        const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        const started = performance.now();
        composer.value = `${text}<!-- edit ${i} -->`;
        work.push(composer.lastRenderMs);
        await loaded;
        painted.push(performance.now() - started);
      }
      const median = (list) => list.sort((a, b) => a - b)[list.length >> 1];
      return { work: median(work), painted: median(painted), links: composer.rows.length, bytes: new TextEncoder().encode(text).length };
    }, html);
    console.log(
      `# composer re-render of a ${(timings.bytes / 1024).toFixed(0)} KB email with ${timings.links} links: ` +
        `${timings.work.toFixed(1)} ms core + link table + preview update, ${timings.painted.toFixed(1)} ms until the preview has loaded (median of 7, headless Chromium)`,
    );
    assert.ok(timings.links > 50, `${timings.links} links`);
    await page.close();
  });
});

describe('the tracked click, end to end', () => {
  test('a click in the preview goes through the local Worker to the target and shows in the report', async () => {
    const page = await openPage('/composer');
    await signedComposer(page);
    await paste(page, pastedEmail(`${origin}/shop`));
    const redirects = [];
    page.context().on('response', (response) => {
      if (response.url().startsWith(`${workerUrl}/c?`)) redirects.push([response.status(), response.headers().location]);
    });
    const [landing] = await Promise.all([
      page.waitForEvent('popup'),
      page.frameLocator('clicktrail-composer iframe').locator('a', { hasText: 'Shop jackets' }).click(),
    ]);
    await landing.waitForLoadState();
    assert.equal(landing.url(), `${origin}/shop/jackets`);
    assert.deepEqual(redirects, [[302, `${origin}/shop/jackets`]]);
    assert.match(await landing.locator('h1').innerText(), /Example Outfitters/);

    const report = await openPage('/report');
    await report.waitForSelector('clicktrail-report[data-state=ready]');
    const activity = await report.locator('clicktrail-report').evaluate((element) => element.shadowRoot.textContent);
    assert.ok(activity.includes(`${origin}/shop/jackets`), 'the click is in the report');
    const model = await report.locator('clicktrail-report').evaluate((element) => element.model);
    const click = model.events.find((event) => event.source === 'edge' && event.type === 'click');
    assert.equal(click.link, `${origin}/shop/jackets`);
    assert.equal(click.linkIndex, 2);
    assert.equal(click.campaignId, 'spring-sale');
    assert.deepEqual(report.errors, []);
    await Promise.all([page.close(), landing.close(), report.close()]);
  });
});

describe('screenshots', () => {
  for (const [name, size] of Object.entries(SIZES)) {
    test(`composer and report at ${size.width}x${size.height}`, async () => {
      const composer = await openPage('/composer', size);
      await signedComposer(composer);
      await composer.screenshot({ path: join(ARTIFACTS, `composer-${name}.png`) });
      await composer.screenshot({ path: join(ARTIFACTS, `composer-${name}-full.png`), fullPage: true });
      const report = await openPage('/report', size);
      await report.waitForSelector('clicktrail-report[data-state=ready]');
      await report.screenshot({ path: join(ARTIFACTS, `report-${name}.png`) });
      await report.screenshot({ path: join(ARTIFACTS, `report-${name}-full.png`), fullPage: true });
      // Usable means nothing wider than the screen: wide tables scroll inside their own box.
      for (const page of [composer, report]) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${page.url()} is ${overflow}px wider than the ${size.width}px screen`);
        assert.deepEqual(page.errors, []);
      }
      console.log(`# screenshots: build/test-artifacts/{composer,report}-${name}{,-full}.png`);
      await Promise.all([composer.close(), report.close()]);
    });
  }
});
