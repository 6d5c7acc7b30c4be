/**
 * The report form's map in a real browser, with its tiles from a tile server of the test's own on
 * 127.0.0.1 (MAP_TILE_URL points at it): nothing of the map comes with the first load; pressing
 * "Tampilkan peta" fetches it; a tap writes the latitude and longitude fields, and the fields
 * (typed, or "Pakai lokasi saya") move the marker; the report carries the point; axe finds nothing
 * with the map open, in both languages; no request leaves 127.0.0.1 and the page's policy is
 * never broken.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  type OpenBrowser,
  PHONE,
  type WebServer,
  axeViolations,
  describeWithBrowser,
  formatViolations,
  openBrowser,
  sessionCookie,
  signIn,
  startWebServer,
  transferredAssets,
  withLang,
} from '../../test/support/browser.ts';
import { type TileServer, startTileServer } from '../../test/support/tiles.ts';

describeWithBrowser('the report form’s map, loaded on request', () => {
  let tiles: TileServer;
  let web: WebServer;
  const browsers: OpenBrowser[] = [];

  before(async () => {
    tiles = await startTileServer();
    web = await startWebServer({ config: { cookieSecure: false, map: tiles.map } });
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await web?.close();
    await tiles?.close();
  });

  /** A browser signed in as a new reporter, recording every request and every policy violation. */
  async function citizen(options: Parameters<typeof openBrowser>[0] = {}) {
    const { token } = await sessionCookie(web, 'reporter');
    const b = await openBrowser({ device: PHONE, ...options });
    browsers.push(b);
    await signIn(b.context, web.baseUrl, token);
    // before any page script: the page's policy (CSP) must never refuse anything the map does
    await b.context.addInitScript(() => {
      const g = globalThis as any;
      g.__violations = [];
      g.document.addEventListener('securitypolicyviolation', (e: any) => g.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const requests: string[] = [];
    b.page.on('request', (r) => requests.push(r.url()));
    return { b, page: b.page, requests };
  }

  const violations = (page: Page) => page.evaluate(() => (globalThis as any).__violations as string[]);

  async function openMap(page: Page): Promise<void> {
    await page.click('details:has(#f-latitude) > summary');
    const button = page.locator('button[data-map]');
    assert.equal(await button.isVisible(), true, 'the map button shows once the script runs');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await button.click();
    await page.waitForSelector('#f-map .leaflet-tile-loaded');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    // (mouse clicks below take viewport coordinates)
    await page.locator('#f-map').scrollIntoViewIfNeeded();
  }

  /** Where the marker points, in page pixels (the tip of the pin: the bottom centre of its box). */
  async function pinTip(page: Page): Promise<{ x: number; y: number }> {
    const box = (await page.locator('#f-map .map-pin').boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height };
  }
  async function mapCentre(page: Page): Promise<{ x: number; y: number }> {
    const box = (await page.locator('#f-map').boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }
  const near = (a: { x: number; y: number }, b: { x: number; y: number }, what: string) =>
    assert.ok(Math.abs(a.x - b.x) <= 3 && Math.abs(a.y - b.y) <= 3, `${what}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);

  test('the first load takes nothing of the map; pressing the button fetches it from here and its tiles from 127.0.0.1', async () => {
    const { b, page, requests } = await citizen();
    const assets = transferredAssets(page);
    await page.goto(`${web.baseUrl}/lapor`, { waitUntil: 'networkidle' });
    const first = await assets.summary();
    assert.deepEqual(
      requests.filter((u) => /\/assets\/map\.|leaflet/i.test(u) || u.startsWith(tiles.origin)),
      [],
      'no map code, stylesheet or tile on the first load',
    );
    assert.equal(tiles.served.length, 0);
    assert.ok(first.total.gzip <= 50 * 1024, `first load ${first.total.gzip} B gzipped`);
    assert.ok(!first.files.some((f) => f.url.includes('/assets/map.')));

    await openMap(page);
    const mapAssets = requests.filter((u) => new URL(u).pathname.startsWith('/assets/map.'));
    assert.equal(mapAssets.length, 2, `one script, one stylesheet: ${mapAssets.join(', ')}`);
    assert.ok(
      mapAssets.every((u) => u.startsWith(web.baseUrl)),
      'served by the app itself',
    );
    const tileSources = await page.$$eval('#f-map img.leaflet-tile', (imgs) => imgs.map((i) => (i as any).src as string));
    assert.ok(tileSources.length > 0);
    assert.ok(
      tileSources.every((src) => src.startsWith(`${tiles.origin}/tiles/`)),
      tileSources.join(', '),
    );
    assert.ok(tiles.served.length > 0 && tiles.served.every((p) => /^\/tiles\/\d+\/\d+\/\d+\.png$/.test(p)), tiles.served.join(', '));
    assert.match((await page.textContent('#f-map .leaflet-control-attribution')) ?? '', /Peta uji © kontributor/);
    assert.deepEqual(await violations(page), [], 'the page’s policy refused nothing');
    assert.deepEqual(b.offMachine, [], 'no request left 127.0.0.1');
  });

  test('a tap fills the fields; typed coordinates and "Pakai lokasi saya" move the marker; Enter marks the centre; the report carries the point', async () => {
    const { b, page } = await citizen({ device: DESKTOP });
    await b.context.grantPermissions(['geolocation'], { origin: web.baseUrl });
    await b.context.setGeolocation({ latitude: -0.02631, longitude: 109.34251, accuracy: 10 });
    await page.goto(`${web.baseUrl}/lapor`);
    await page.fill('#f-title', 'Trotoar amblas di depan sekolah');
    await page.fill('#f-body', 'Trotoar di depan SD Negeri 14 amblas sedalam setengah meter, anak-anak terpaksa berjalan di badan jalan.');
    await page.fill('#f-incidentDate', '2026-11-20');
    await page.selectOption('#f-province', '61');
    await page.waitForSelector('#f-regency');
    await openMap(page);

    // A tap: the fields get the point, the marker sits where the tap was, and it is said.
    const box = (await page.locator('#f-map').boundingBox())!;
    const at = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.6 };
    await page.mouse.click(at.x, at.y);
    const lat = await page.inputValue('#f-latitude');
    const lng = await page.inputValue('#f-longitude');
    assert.match(lat, /^-?\d+\.\d{5}$/);
    assert.match(lng, /^\d+\.\d{5}$/);
    // the province was chosen first: the map opened over Kalimantan Barat
    assert.ok(Math.abs(Number(lat)) < 2 && Number(lng) > 107 && Number(lng) < 112, `${lat}, ${lng}`);
    near(await pinTip(page), at, 'the marker is where the tap was');
    assert.match((await page.textContent('#f-map-status')) ?? '', new RegExp(`lintang ${lat.replace('.', '\\.')}`));

    // Typed (with a comma, as Indonesians write it): the marker goes there, to the middle of the map.
    await page.fill('#f-latitude', '-0,0500');
    await page.fill('#f-longitude', '109,3000');
    near(await pinTip(page), await mapCentre(page), 'the marker follows the typed point');

    // "Pakai lokasi saya": the fields and the marker.
    await page.click('button[data-geolocate]');
    await page.waitForFunction(() => (globalThis as any).document.getElementById('f-latitude').value === '-0.02631');
    assert.equal(await page.inputValue('#f-longitude'), '109.34251');
    near(await pinTip(page), await mapCentre(page), 'the marker follows "Pakai lokasi saya"');

    // With the keyboard: arrows move the map, Enter marks its centre.
    await page.focus('#f-map');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(400);
    await page.keyboard.press('Enter');
    assert.notEqual(await page.inputValue('#f-longitude'), '109.34251', 'Enter marked a new point');
    near(await pinTip(page), await mapCentre(page), 'Enter marks the centre');
    const marked = { lat: await page.inputValue('#f-latitude'), lng: await page.inputValue('#f-longitude') };

    // Hidden and shown again: the same point.
    await page.click('button[data-map]');
    assert.equal(await page.isVisible('#f-map'), false);
    assert.equal(await page.textContent('button[data-map]'), 'Tampilkan peta');
    await page.click('button[data-map]');
    assert.equal(await page.isVisible('#f-map .map-pin'), true);

    // The fields are what is sent: the review shows the point.
    await page.click('button[name="langkah"][value="periksa"]');
    await page.waitForURL(/\/lapor/);
    await page.waitForSelector('h1:has-text("Periksa laporan")');
    assert.match(
      (await page.textContent('dl.facts')) ?? '',
      new RegExp(`\\(${marked.lat.replace('.', '\\.')}, ${marked.lng.replace('.', '\\.')}\\)`),
    );
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(b.offMachine, []);
  });

  for (const device of [PHONE, DESKTOP]) {
    test(`axe finds no WCAG 2.1 AA violation with the map open and a point marked, both languages, ${device.name}`, async () => {
      const problems: string[] = [];
      for (const lang of ['id', 'en'] as const) {
        const { b, page } = await citizen({ device, locale: lang === 'id' ? 'id-ID' : 'en-US' });
        await page.goto(`${web.baseUrl}${withLang('/lapor', lang)}`);
        await openMap(page);
        assert.equal(await page.textContent('button[data-map]'), lang === 'id' ? 'Sembunyikan peta' : 'Hide map');
        const box = (await page.locator('#f-map').boundingBox())!;
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        await page.waitForSelector('#f-map .map-pin');
        // (before axe, whose own inline script the policy refuses, as it should)
        assert.deepEqual(await violations(page), []);
        const found = await axeViolations(page);
        if (found.length > 0)
          problems.push(formatViolations(found, `/lapor?lang=${lang} with the map open at ${device.viewport.width} px: `));
        const overflow = await page.evaluate(() => {
          const d = (globalThis as any).document.documentElement;
          return d.scrollWidth - d.clientWidth;
        });
        assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
        assert.deepEqual(b.offMachine, []);
      }
      assert.deepEqual(problems, []);
    });
  }

  test('without JavaScript there is no map button, and typed coordinates are sent as before', async () => {
    const { token } = await sessionCookie(web, 'reporter');
    const b = await openBrowser({ device: PHONE, javaScriptEnabled: false });
    browsers.push(b);
    await signIn(b.context, web.baseUrl, token);
    const { page } = b;
    const tilesBefore = tiles.served.length;
    await page.goto(`${web.baseUrl}/lapor`);
    assert.equal(await page.isVisible('button[data-map]'), false);
    await page.fill('#f-title', 'Jembatan kayu rusak di Gang Kenari');
    await page.fill('#f-body', 'Papan jembatan kayu di Gang Kenari patah dua, warga harus memutar jauh untuk ke pasar.');
    await page.click('details:has(#f-latitude) > summary');
    await page.fill('#f-latitude', '-0,0263');
    await page.fill('#f-longitude', '109,3425');
    await page.click('button[name="langkah"][value="periksa"]');
    assert.match((await page.textContent('dl.facts')) ?? '', /\(-0,0263, 109,3425\)/);
    assert.equal(tiles.served.length, tilesBefore, 'no tile was asked for');
    assert.deepEqual(b.offMachine, []);
  });
});
