/**
 * The report form with JavaScript (the island, src/web/assets/portal.js): region lists filled as a
 * level is chosen, photo previews and the size check, a draft that survives a reload and a closed
 * tab, and a report written offline (the form served by the service worker) that is sent by itself
 * when the connection returns. axe finds nothing with the enhancements showing; nothing leaves
 * 127.0.0.1; the script and the stylesheet weigh what issue 10 allows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { pngOfSize } from '../../test/support/png.ts';
import {
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
import { SESSION_COOKIE } from '../http/auth.ts';
import { CSS_PATH, JS_PATH } from './layout.ts';

/** A small limit, so that an oversized file is small too. */
const MAX_BYTES = 40 * 1024;
const PHOTO = { name: 'trotoar.png', mimeType: 'image/png', buffer: Buffer.from(pngOfSize(64, 48)) };
const OVERSIZED = { name: 'besar.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(MAX_BYTES + 1, 7) };
const TITLE = 'Lampu jalan padam di Jalan Gajah Mada';
const BODY = 'Sudah dua minggu lampu jalan di depan pasar padam; malam hari jalan gelap dan rawan kecelakaan.';

/** The draft as the script keeps it (null when there is none). */
function readDraft(page: Page): Promise<{ title: string; province: string; files: number; pending: boolean } | null> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = (globalThis as any).indexedDB.open('lapor', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('drafts');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('drafts').objectStore('drafts').get('report');
          get.onsuccess = () => {
            const d = get.result;
            open.result.close();
            resolve(d ? { title: d.fields.title, province: d.fields.province, files: d.files.length, pending: Boolean(d.pending) } : null);
          };
        };
      }),
  );
}

async function waitForDraft(page: Page, ok: (d: Awaited<ReturnType<typeof readDraft>>) => boolean, what: string): Promise<void> {
  const until = Date.now() + 10_000;
  let last: Awaited<ReturnType<typeof readDraft>> = null;
  while (Date.now() < until) {
    last = await readDraft(page);
    if (ok(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the draft never became ${what}: ${JSON.stringify(last)}`);
}

async function fillStepOne(page: Page, title = TITLE): Promise<void> {
  await page.fill('#f-title', title);
  await page.fill('#f-body', BODY);
  await page.fill('#f-incidentDate', '2026-11-20');
}

describeWithBrowser('the report form with JavaScript: live lists, previews, drafts, offline', () => {
  let web: WebServer;
  const browsers: OpenBrowser[] = [];

  before(async () => {
    web = await startWebServer({ config: { cookieSecure: false, maxAttachmentBytes: MAX_BYTES } });
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await web?.close();
  });

  /** A browser signed in as a new reporter. */
  async function citizen(locale = 'id-ID'): Promise<{ b: OpenBrowser; userId: number; token: string }> {
    const { user, token } = await sessionCookie(web, 'reporter');
    const b = await openBrowser({ device: PHONE, locale });
    browsers.push(b);
    await signIn(b.context, web.baseUrl, token);
    return { b, userId: user.principal.userId, token };
  }

  async function filedBy(userId: number) {
    return web.t.deps.db.query<{ title: string; region_code: string | null; suggested_body_id: number | null; files: number }>(
      `SELECT r.title, r.region_code, r.suggested_body_id, (SELECT count(*)::int FROM attachments a WHERE a.report_id = r.id) AS files
         FROM reports r WHERE r.reporter_id = $1 ORDER BY r.id`,
      [userId],
    );
  }

  test('choosing a province fills the regency list at once (no "Tampilkan" round trip); the report carries the place chosen', async () => {
    const { b, userId } = await citizen();
    const page = b.page;
    const formPosts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/lapor') formPosts.push(r.url());
    });
    await page.goto(`${web.baseUrl}/lapor`);
    assert.equal(await page.isVisible('button[data-refresh]'), false, 'the "Tampilkan" button is hidden');
    assert.equal(await page.locator('#f-regency').count(), 0);
    await fillStepOne(page);
    await page.selectOption('#f-province', '61');
    await page.waitForSelector('#f-regency');
    assert.equal(await page.textContent('label[for="f-regency"]'), 'Kabupaten/kota');
    assert.equal(await page.getAttribute('#f-regency', 'data-level'), 'regency');
    await page.selectOption('#f-regency', '61.71');
    await page.waitForSelector('#f-district');
    await page.selectOption('#f-district', '61.71.01');
    await page.waitForSelector('#f-village');
    // Another regency: the deeper lists go.
    await page.selectOption('#f-regency', '61.72');
    await page.waitForFunction(() => !(globalThis as any).document.querySelector('#f-village'));
    await page.selectOption('#f-regency', '61.71');
    await page.waitForSelector('#f-district');
    // The city's government heads the list of bodies, as the server would put it.
    const pontianak = await web.t.bodyId('pemkot-61.71');
    await page.waitForSelector(`#f-suggestedBodyId option[value="${pontianak}"]`, { state: 'attached' });
    await page.selectOption('#f-suggestedBodyId', String(pontianak));
    assert.deepEqual(formPosts, [], 'no form post while choosing');
    await page.waitForFunction(
      () => /Kecamatan/.test((globalThis as any).document.querySelector('[aria-live="polite"]').textContent),
      null,
      {
        timeout: 5_000,
      },
    );

    await page.click('button[value="periksa"]');
    await page.waitForSelector('h1:text("Periksa laporan")');
    assert.match((await page.textContent('main')) ?? '', /diteruskan kepada Pemerintah Kota Pontianak/);
    await page.click('button[value="kirim"]');
    await page.waitForURL(/\/laporan\/[A-Z0-9]{8}\?terkirim=1$/);
    assert.match((await page.textContent('[role="status"]')) ?? '', /Laporan terkirim/);
    assert.deepEqual(await filedBy(userId), [{ title: TITLE, region_code: '61.71', suggested_body_id: pontianak, files: 0 }]);
    assert.equal(await readDraft(page), null, 'the draft is gone once sent');
    assert.deepEqual(b.offMachine, []);
  });

  test('a photo shows as a preview; a file over the limit is refused next to the field and nothing is sent', async () => {
    const { b, userId } = await citizen();
    const page = b.page;
    await page.goto(`${web.baseUrl}/lapor`);
    await fillStepOne(page);
    await page.click('button[value="periksa"]');
    await page.waitForSelector('#f-attachments');
    await page.setInputFiles('#f-attachments', [PHOTO]);
    const preview = page.locator('.previews img');
    await preview.waitFor();
    assert.match((await preview.getAttribute('src')) ?? '', /^blob:/);
    assert.equal(await preview.evaluate((img: any) => img.complete && img.naturalWidth), 64, 'the thumbnail is the photo');
    assert.match((await page.textContent('.previews li')) ?? '', /trotoar\.png \(\d+ KB\)/);

    await page.setInputFiles('#f-attachments', [PHOTO, OVERSIZED]);
    await page.waitForSelector('#f-attachments-error');
    assert.match((await page.textContent('#f-attachments-error')) ?? '', /^Terlalu besar: besar\.jpg \(41 KB\)\. Paling besar 40 KB/);
    assert.equal(await page.getAttribute('#f-attachments', 'aria-invalid'), 'true');
    assert.match((await page.getAttribute('#f-attachments', 'aria-describedby')) ?? '', /f-attachments-error/);
    // The error sits in the field, before the input it concerns.
    assert.equal(await page.locator('.field.invalid #f-attachments-error + #f-attachments').count(), 1);
    await page.click('button[value="kirim"]');
    await new Promise((r) => setTimeout(r, 500));
    assert.match(await page.textContent('h1').then(String), /Periksa laporan/, 'still on the review');
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.id), 'f-attachments', 'taken to the field');
    assert.deepEqual(await filedBy(userId), [], 'nothing was sent');

    await page.setInputFiles('#f-attachments', [PHOTO]);
    await page.waitForSelector('#f-attachments-error', { state: 'detached' });
    assert.equal(await page.getAttribute('#f-attachments', 'aria-invalid'), null);
    await page.click('button[value="kirim"]');
    await page.waitForURL(/\/laporan\/[A-Z0-9]{8}\?terkirim=1$/);
    assert.deepEqual(await filedBy(userId), [{ title: TITLE, region_code: null, suggested_body_id: null, files: 1 }]);
    assert.deepEqual(b.offMachine, []);
  });

  test('a draft with text and a photo survives a reload and a closed and reopened tab, and goes once sent', async () => {
    const { b, userId, token } = await citizen();
    let page = b.page;
    await page.goto(`${web.baseUrl}/lapor`);
    await fillStepOne(page);
    await page.check('#f-anonymous');
    await page.selectOption('#f-province', '61');
    await page.waitForSelector('#f-regency');
    await page.selectOption('#f-regency', '61.71');
    await waitForDraft(page, (d) => d?.title === TITLE && d.province === '61', 'the typed report');

    await page.reload();
    await page.waitForSelector('#draft-notice');
    assert.match((await page.textContent('#draft-notice')) ?? '', /^Draf dipulihkan\./);
    assert.equal(await page.inputValue('#f-title'), TITLE);
    assert.equal(await page.inputValue('#f-body'), BODY);
    assert.equal(await page.isChecked('#f-anonymous'), true);
    assert.equal(await page.inputValue('#f-regency'), '61.71', 'the region lists come back level by level');

    await page.click('button[value="periksa"]');
    await page.waitForSelector('#f-attachments');
    await page.setInputFiles('#f-attachments', [PHOTO]);
    await waitForDraft(page, (d) => d?.files === 1, 'one with the photo');

    // The tab is closed; another is opened later in the same browser. Signing in through the
    // form sets a cookie that outlives the tab (signIn's lasts as long as the browser session).
    await b.context.addCookies([
      { name: SESSION_COOKIE, value: token, url: web.baseUrl, httpOnly: true, sameSite: 'Lax', expires: Date.now() / 1000 + 86_400 },
    ]);
    await page.close();
    page = await b.context.newPage();
    await page.goto(`${web.baseUrl}/lapor`);
    await page.waitForSelector('#draft-notice');
    assert.match((await page.textContent('#draft-notice')) ?? '', /^Draf dipulihkan \(dengan 1 lampiran\)\./);
    assert.equal(await page.inputValue('#f-title'), TITLE);
    assert.equal(await page.inputValue('#f-regency'), '61.71');
    await page.click('button[value="periksa"]');
    await page.waitForSelector('.previews img');
    assert.equal(await page.evaluate(() => (globalThis as any).document.getElementById('f-attachments').files[0]?.name), 'trotoar.png');
    assert.match((await page.textContent('#draft-notice')) ?? '', /Draf dipulihkan: 1 lampiran/);
    await page.click('button[value="kirim"]');
    await page.waitForURL(/\/laporan\/[A-Z0-9]{8}\?terkirim=1$/);
    assert.deepEqual(await filedBy(userId), [{ title: TITLE, region_code: '61.71', suggested_body_id: null, files: 1 }]);

    await page.goto(`${web.baseUrl}/lapor`);
    assert.equal(await page.inputValue('#f-title'), '', 'a sent report leaves no draft');
    assert.equal(await page.locator('#draft-notice').count(), 0);
    assert.deepEqual(b.offMachine, []);
  });

  test('offline: the form opens from the service worker, a report sent is kept, and it goes by itself when the connection returns', async () => {
    const { b, userId } = await citizen();
    const page = b.page;
    await page.goto(`${web.baseUrl}/lapor`);
    await page.waitForFunction(() => (globalThis as any).navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
    await page.waitForFunction(async () => {
      const { caches, location } = globalThis as any;
      for (const key of await caches.keys()) if (await (await caches.open(key)).match(`${location.origin}/lapor`)) return true;
      return false;
    });

    await b.context.setOffline(true);
    const reloaded = await page.reload();
    assert.equal(reloaded?.fromServiceWorker(), true, 'the form came from the service worker');
    assert.equal(await page.evaluate(() => (globalThis as any).navigator.onLine), false);
    await fillStepOne(page);
    await page.selectOption('#f-province', '61');
    await page.click('button[value="periksa"]');
    await page.waitForSelector('#offline-review');
    assert.equal(await page.isVisible('#report-form'), false);
    await page.setInputFiles('#f-attachments', [PHOTO]);
    await page.waitForSelector('.previews img');
    await page.click('section:has(#offline-review) button[type="submit"]');
    await page.waitForSelector('#draft-notice:text("Tidak ada koneksi")');
    assert.equal(
      await page.textContent('#draft-notice'),
      'Tidak ada koneksi: laporan tersimpan dan akan dikirim otomatis saat tersambung.',
    );
    await waitForDraft(page, (d) => d?.pending === true && d.files === 1, 'queued with its photo');
    assert.deepEqual(await filedBy(userId), [], 'nothing reached the server while offline');

    await b.context.setOffline(false);
    await page.waitForURL(/\/laporan\/[A-Z0-9]{8}\?terkirim=1$/, { timeout: 15_000 });
    assert.match((await page.textContent('[role="status"]')) ?? '', /Laporan terkirim/);
    assert.deepEqual(await filedBy(userId), [{ title: TITLE, region_code: '61', suggested_body_id: null, files: 1 }]);
    assert.equal(await readDraft(page), null, 'the draft is gone');
    assert.deepEqual(b.offMachine, []);
  });

  test('a queued report the API refuses comes back to the form with the errors by their fields, the draft kept', async () => {
    const { b, userId } = await citizen();
    const page = b.page;
    await page.goto(`${web.baseUrl}/lapor`);
    await page.waitForFunction(() => (globalThis as any).navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
    await b.context.setOffline(true);
    await page.reload();
    await fillStepOne(page, 'abc');
    await page.click('button[value="periksa"]');
    await page.click('section:has(#offline-review) button[type="submit"]');
    await page.waitForSelector('#draft-notice:text("Tidak ada koneksi")');
    await b.context.setOffline(false);
    await page.waitForSelector('#f-title-error');
    assert.equal(new URL(page.url()).pathname, '/lapor');
    assert.equal(await page.textContent('#f-title-error'), 'Minimal 5 karakter');
    assert.equal(await page.getAttribute('#f-title', 'aria-invalid'), 'true');
    assert.match((await page.getAttribute('#f-title', 'aria-describedby')) ?? '', /f-title-error/);
    assert.equal(await page.inputValue('#f-title'), 'abc', 'what was typed is back');
    assert.equal(await page.inputValue('#f-body'), BODY);
    await waitForDraft(page, (d) => d?.title === 'abc' && !d.pending, 'kept, no longer queued');
    assert.deepEqual(await filedBy(userId), []);
    assert.deepEqual(b.offMachine, []);
  });

  test('a session that ended: the citizen is told, the draft kept, and it goes on the next page load once signed in again', async () => {
    const { b, userId, token } = await citizen();
    const page = b.page;
    await page.goto(`${web.baseUrl}/lapor`);
    await fillStepOne(page);
    await page.click('button[value="periksa"]');
    await page.waitForSelector('#f-attachments');
    await page.setInputFiles('#f-attachments', [PHOTO]);
    await waitForDraft(page, (d) => d?.files === 1, 'with the photo');
    await web.t.deps.db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    await page.click('button[value="kirim"]');
    await page.waitForSelector('#draft-notice:text("Sesi Anda telah berakhir")');
    assert.equal(await page.getAttribute('#draft-notice a', 'href'), '/masuk?next=%2Flapor');
    await waitForDraft(page, (d) => d?.pending === true && d.files === 1, 'kept and queued');
    assert.deepEqual(await filedBy(userId), []);

    const { openSession } = await import('../features/accounts/accounts.service.ts');
    const again = await openSession(web.t.deps.db, web.t.deps.config, userId, 'cookie', web.t.deps.now());
    assert.notEqual(again.token, token);
    await signIn(b.context, web.baseUrl, again.token);
    await page.goto(`${web.baseUrl}/`);
    await page.waitForURL(/\/laporan\/[A-Z0-9]{8}\?terkirim=1$/);
    assert.deepEqual(await filedBy(userId), [{ title: TITLE, region_code: null, suggested_body_id: null, files: 1 }]);
    assert.deepEqual(b.offMachine, []);
  });

  for (const lang of ['id', 'en'] as const) {
    test(`axe finds nothing with the enhancements showing (restored draft, live lists, previews, a size error): ${lang}`, async () => {
      const { b } = await citizen(lang === 'id' ? 'id-ID' : 'en-US');
      const page = b.page;
      await page.goto(`${web.baseUrl}${withLang('/lapor', lang)}`);
      await fillStepOne(page);
      await page.selectOption('#f-province', '61');
      await page.waitForSelector('#f-regency');
      await waitForDraft(page, (d) => d?.province === '61', 'saved');
      await page.reload();
      await page.waitForSelector('#draft-notice');
      await page.waitForSelector('#f-regency');
      assert.match((await page.textContent('#draft-notice')) ?? '', lang === 'id' ? /Draf dipulihkan/ : /Draft restored/);
      assert.equal(await page.textContent('label[for="f-regency"]'), lang === 'id' ? 'Kabupaten/kota' : 'Regency/city');
      const problems: string[] = [];
      const check = async (where: string) => {
        const found = await axeViolations(page);
        if (found.length > 0) problems.push(formatViolations(found, `${where} (${lang}): `));
      };
      await check('the form, restored, with a live list');
      await page.click('button[value="periksa"]');
      await page.waitForSelector('#f-attachments');
      await page.setInputFiles('#f-attachments', [PHOTO, OVERSIZED]);
      await page.waitForSelector('#f-attachments-error');
      assert.match((await page.textContent('#f-attachments-error')) ?? '', lang === 'id' ? /^Terlalu besar/ : /^Too large: besar\.jpg/);
      await check('the review with a preview and a size error');
      assert.deepEqual(problems, []);
      assert.deepEqual(b.offMachine, []);
    });
  }

  test('the first load: portal.js and portal.css gzipped stay well under 50 KB', async (t) => {
    const sizes: Record<string, number> = {};
    for (const path of [JS_PATH, CSS_PATH]) {
      const res = await fetch(`${web.baseUrl}${path}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('cache-control') ?? '', /immutable/);
      sizes[path] = gzipSync(Buffer.from(await res.arrayBuffer()), { level: 9 }).length;
    }
    assert.match((await fetch(`${web.baseUrl}${JS_PATH}`)).headers.get('content-type') ?? '', /^text\/javascript/);
    const sw = await fetch(`${web.baseUrl}/sw.js`);
    assert.equal(sw.status, 200);
    assert.match(sw.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await sw.text(), new RegExp(JS_PATH.replace(/\./g, '\\.')), 'the worker knows the assets it keeps');

    const { b } = await citizen();
    const assets = transferredAssets(b.page);
    await b.page.goto(`${web.baseUrl}/`, { waitUntil: 'load' });
    const summary = await assets.summary();
    const total = sizes[JS_PATH]! + sizes[CSS_PATH]!;
    t.diagnostic(
      `portal.js ${sizes[JS_PATH]} B + portal.css ${sizes[CSS_PATH]} B gzipped = ${total} B; first load of /: ${summary.total.gzip} B`,
    );
    assert.equal(summary.js.files, 1);
    assert.ok(summary.total.gzip < 50 * 1024, `first load ${summary.total.gzip} B`);
    assert.ok(total < 15 * 1024, `well under the budget: ${total} B`);
    assert.deepEqual(b.offMachine, []);
  });
});
