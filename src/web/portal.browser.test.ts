/**
 * The public portal in a real browser (Debian's Chromium through playwright-core): the home page's
 * contract, with and without JavaScript, in both languages, at phone and desktop widths, with no
 * WCAG 2.1 AA violation axe-core can find and no request leaving the machine. The first suite
 * checks the harness itself, so that a blocked request or an axe finding cannot pass unnoticed.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { reportInput } from '../../test/support/app.ts';
import {
  DESKTOP,
  type OpenBrowser,
  PHONE,
  type WebServer,
  axeViolations,
  describeWithBrowser,
  firstContentfulPaint,
  formatViolations,
  openBrowser,
  startWebServer,
  throttle,
  transferredAssets,
  withLang,
} from '../../test/support/browser.ts';

// ---------------------------------------------------------------------------------------------
// The harness, on pages of the test's own server

const HARNESS_PAGES: Record<string, { type: string; body: string; headers?: Record<string, string> }> = {
  '/external': {
    type: 'text/html',
    body: '<!doctype html><html lang="en"><head><title>External</title></head><body><main><h1>External</h1><img src="https://example.com/x.png" alt="An image from another site"><script src="http://203.0.113.7/tracker.js"></script></main></body></html>',
  },
  '/unlabelled': {
    type: 'text/html',
    body: '<!doctype html><html lang="en"><head><title>Unlabelled</title></head><body><main><h1>Search</h1><form><input type="text" name="q"></form></main></body></html>',
  },
  '/clean': {
    type: 'text/html',
    body: '<!doctype html><html lang="en"><head><title>Clean</title><link rel="stylesheet" href="/style.css"><script src="/app.js" defer></script></head><body><main><h1>Search</h1><form><label for="q">Words</label> <input id="q" type="text" name="q"></form></main></body></html>',
  },
  '/strict-csp': {
    type: 'text/html',
    headers: { 'content-security-policy': "default-src 'self'; script-src 'self'" },
    body: '<!doctype html><html lang="en"><head><title>Strict</title></head><body><main><h1>Strict</h1><img src="/missing.png"></main></body></html>',
  },
  '/style.css': { type: 'text/css', body: 'body { font-family: sans-serif; color: #111; background: #fff; }' },
  '/app.js': { type: 'text/javascript', body: 'document.documentElement.dataset.ran = "yes";' },
};

describeWithBrowser('browser harness', () => {
  let server: http.Server;
  let base: string;
  let browser: OpenBrowser;
  const served: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      served.push(req.url ?? '');
      const page = HARNESS_PAGES[req.url ?? ''];
      if (!page) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': `${page.type}; charset=utf-8`, ...page.headers }).end(page.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await openBrowser({ device: DESKTOP, locale: 'en-US' });
  });
  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  test('a request off the machine is aborted and recorded; requests to 127.0.0.1 go through', async () => {
    const response = await browser.page.goto(`${base}/external`);
    assert.equal(response?.status(), 200);
    await browser.page.waitForLoadState('load');
    assert.deepEqual(browser.offMachine.sort(), ['http://203.0.113.7/tracker.js', 'https://example.com/x.png']);
    const loaded = await browser.page.locator('img').evaluate((img: any) => img.naturalWidth);
    assert.equal(loaded, 0, 'the external image did not load');
    assert.ok(served.includes('/external'));
    browser.offMachine.length = 0;
  });

  test('axe reports an unlabelled input, and nothing on a clean page', async () => {
    await browser.page.goto(`${base}/unlabelled`);
    const found = await axeViolations(browser.page);
    const label = found.find((v) => v.id === 'label');
    assert.ok(label, `expected the "label" rule to fire; got: ${formatViolations(found)}`);
    assert.deepEqual(label.targets, ['input']);
    assert.match(formatViolations(found), /label \(critical\)/);

    await browser.page.goto(`${base}/clean`);
    const clean = await axeViolations(browser.page);
    assert.deepEqual(clean, [], formatViolations(clean));
  });

  test('axe runs on a page whose CSP refuses inline scripts', async () => {
    await browser.page.goto(`${base}/strict-csp`);
    const found = await axeViolations(browser.page);
    assert.ok(
      found.some((v) => v.id === 'image-alt'),
      `expected image-alt; got: ${formatViolations(found)}`,
    );
  });

  test('throttled cold load: first contentful paint and the JS and CSS it took are measured', async () => {
    const cold = await openBrowser({ device: PHONE, locale: 'en-US' });
    try {
      await throttle(cold.page);
      const assets = transferredAssets(cold.page);
      await cold.page.goto(`${base}/clean`, { waitUntil: 'load' });
      const fcp = await firstContentfulPaint(cold.page);
      assert.ok(fcp > 0, `FCP ${fcp}`);
      // Not a timing target: the emulated latency alone puts a floor under the document's arrival
      // (Chromium holds the body back by it, so it shows in responseEnd).
      const wait = await cold.page.evaluate(() => {
        const nav = (globalThis as any).performance.getEntriesByType('navigation')[0];
        return nav.responseEnd - nav.requestStart;
      });
      assert.ok(wait >= 140, `the 150 ms latency applies (waited ${wait} ms)`);
      assert.equal(await cold.page.evaluate(() => (globalThis as any).document.documentElement.dataset.ran), 'yes');
      const summary = await assets.summary();
      assert.equal(summary.js.files, 1);
      assert.equal(summary.css.files, 1);
      assert.equal(summary.js.decoded, Buffer.byteLength(HARNESS_PAGES['/app.js']!.body));
      assert.equal(summary.css.decoded, Buffer.byteLength(HARNESS_PAGES['/style.css']!.body));
      assert.equal(summary.total.gzip, summary.js.gzip + summary.css.gzip);
      assert.equal(summary.document.files, 1);
      assert.deepEqual(cold.offMachine, []);
    } finally {
      await cold.close();
    }
  });

  test('with JavaScript off the page still loads, and its scripts do not run', async () => {
    const noJs = await openBrowser({ device: PHONE, javaScriptEnabled: false, locale: 'en-US' });
    try {
      await noJs.page.goto(`${base}/clean`);
      assert.equal(await noJs.page.locator('h1').textContent(), 'Search');
      assert.equal(await noJs.page.locator('html').getAttribute('data-ran'), null);
    } finally {
      await noJs.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The portal home page (src/web): the contract of issue 10

interface HomeContent {
  status: number;
  lang: string | null;
  h1: string;
  /** The search form's q input has a <label>. */
  searchLabelled: boolean;
  linkToForm: string | null;
  text: string;
}

async function readHome(page: Page, url: string): Promise<HomeContent> {
  const response = await page.goto(url);
  const status = response?.status() ?? 0;
  assert.equal(status, 200, `GET ${url} answered ${status}`);
  assert.match(response!.headers()['content-type'] ?? '', /^text\/html/);
  const h1 = page.locator('h1');
  assert.equal(await h1.count(), 1, 'one <h1>');
  const search = page.locator('form[action="/laporan"]');
  assert.equal(await search.count(), 1, 'a search form posting to /laporan');
  assert.equal((await search.getAttribute('method'))?.toLowerCase(), 'get');
  const q = search.locator('input[name="q"]');
  assert.equal(await q.count(), 1, 'the search form has an input named q');
  return {
    status,
    lang: await page.locator('html').getAttribute('lang'),
    h1: ((await h1.textContent()) ?? '').trim(),
    searchLabelled: await q.evaluate(
      (el: any) => (el.labels?.length ?? 0) > 0 && [...el.labels].some((l: any) => l.textContent.trim() !== ''),
    ),
    linkToForm: await page.evaluate(() => {
      const a = [...(globalThis as any).document.querySelectorAll('a[href]')].find((el: any) => new URL(el.href).pathname === '/lapor');
      return a ? a.textContent.replace(/\s+/g, ' ').trim() : null;
    }),
    // biome-ignore lint/performance/useDomNodeTextContent: the text as shown (hidden elements left out) is the point
    text: await page.locator('body').innerText(),
  };
}

describeWithBrowser('portal home page', () => {
  let web: WebServer;
  let publicTotal: number;
  const browsers: OpenBrowser[] = [];

  before(async () => {
    web = await startWebServer();
    // Reports for the counters: four verified (public), one still waiting.
    const citizen = await web.t.user('reporter');
    const verifier = await web.t.user('national_admin');
    for (let i = 0; i < 5; i++) {
      const filed = await web.t.request('POST', '/api/v1/reports', {
        token: citizen.token,
        json: reportInput({ title: `Jalan rusak nomor ${i + 1} di depan pasar` }),
      });
      assert.equal(filed.status, 201, filed.text);
      if (i === 4) continue;
      const verified = await web.t.request('POST', `/api/v1/reports/${filed.body.trackingId}/verify`, {
        token: verifier.token,
        json: { resolutionClass: 14 },
      });
      assert.equal(verified.status, 200, verified.text);
    }
    const stats = await web.t.request('GET', '/api/v1/stats');
    publicTotal = stats.body.total;
    assert.equal(publicTotal, 4);
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await web?.close();
  });

  async function browser(options: Parameters<typeof openBrowser>[0]): Promise<OpenBrowser> {
    const b = await openBrowser(options);
    browsers.push(b);
    return b;
  }

  test('GET / is the portal home in Bahasa Indonesia: heading, labelled search, counters, a link to the form', async () => {
    const b = await browser({ device: PHONE });
    const home = await readHome(b.page, `${web.baseUrl}/`);
    assert.equal(home.lang, 'id');
    assert.notEqual(home.h1, '');
    assert.ok(home.searchLabelled, 'the q input has a label');
    assert.match(home.linkToForm ?? '', /buat laporan/i, 'a link to /lapor saying "Buat laporan"');
    assert.match(home.text, new RegExp(`\\b${publicTotal}\\b`), `the counters show the ${publicTotal} public reports`);
    assert.deepEqual(b.offMachine, []);
  });

  test('GET /?lang=en is the same page in English', async () => {
    const b = await browser({ device: PHONE });
    const id = await readHome(b.page, `${web.baseUrl}/`);
    const en = await readHome(b.page, `${web.baseUrl}/?lang=en`);
    assert.equal(en.lang, 'en');
    assert.notEqual(en.h1, id.h1, 'the heading is translated');
    assert.ok(en.searchLabelled);
    assert.ok(en.linkToForm, 'a link to /lapor');
    assert.notEqual(en.linkToForm, id.linkToForm, 'the link to the form is translated');
    assert.match(en.text, /\breports?\b/i, 'English text');
    assert.match(en.text, new RegExp(`\\b${publicTotal}\\b`));
    assert.deepEqual(b.offMachine, []);
  });

  test('with JavaScript disabled the page renders the same content', async () => {
    const withJs = await browser({ device: PHONE });
    const withoutJs = await browser({ device: PHONE, javaScriptEnabled: false });
    for (const lang of ['id', 'en'] as const) {
      const a = await readHome(withJs.page, `${web.baseUrl}${withLang('/', lang)}`);
      const b = await readHome(withoutJs.page, `${web.baseUrl}${withLang('/', lang)}`);
      assert.equal(b.lang, a.lang);
      assert.equal(b.h1, a.h1);
      assert.equal(b.searchLabelled, a.searchLabelled);
      assert.equal(b.linkToForm, a.linkToForm);
      assert.match(b.text, new RegExp(`\\b${publicTotal}\\b`), 'the counters are in the HTML, not filled in by a script');
    }
    assert.deepEqual(withJs.offMachine, []);
    assert.deepEqual(withoutJs.offMachine, []);
  });

  for (const device of [PHONE, DESKTOP]) {
    for (const lang of ['id', 'en'] as const) {
      test(`no WCAG 2.1 AA violation axe can find: ${device.name} (${device.viewport.width} px), ?lang=${lang}`, async () => {
        const b = await browser({ device, locale: lang === 'id' ? 'id-ID' : 'en-US' });
        const response = await b.page.goto(`${web.baseUrl}${withLang('/', lang)}`, { waitUntil: 'load' });
        assert.equal(response?.status(), 200, `GET /?lang=${lang} answered ${response?.status()}`);
        const violations = await axeViolations(b.page);
        assert.deepEqual(violations, [], formatViolations(violations, `/?lang=${lang} at ${device.viewport.width} px: `));
        const overflow = await b.page.evaluate(() => {
          const d = (globalThis as any).document.documentElement;
          return d.scrollWidth - d.clientWidth;
        });
        assert.ok(overflow <= 0, `no horizontal scrolling at ${device.viewport.width} px (${overflow} px too wide)`);
        assert.deepEqual(b.offMachine, [], 'no request left 127.0.0.1');
      });
    }
  }

  test('the first load measures (figures come from npm run bench:web, not from this test)', async () => {
    const b = await browser({ device: PHONE });
    const assets = transferredAssets(b.page);
    const response = await b.page.goto(`${web.baseUrl}/`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    assert.ok((await firstContentfulPaint(b.page)) > 0);
    const summary = await assets.summary();
    assert.equal(summary.document.files, 1);
    assert.ok(
      summary.files.every((f) => f.status < 400),
      `every asset loads: ${summary.files.map((f) => `${f.status} ${f.url}`).join(', ')}`,
    );
    assert.deepEqual(b.offMachine, []);
  });
});
