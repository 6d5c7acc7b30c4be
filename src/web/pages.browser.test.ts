/**
 * Every portal page in a real browser: no WCAG 2.1 AA violation axe-core finds, in both
 * languages, at phone and desktop widths, no sideways scrolling, nothing loaded off the machine;
 * and a citizen files a report with a photo through the forms with JavaScript switched off.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pngOfSize } from '../../test/support/png.ts';
import {
  DESKTOP,
  PHONE,
  type WebServer,
  axeViolations,
  describeWithBrowser,
  formatViolations,
  openBrowser,
  sessionCookie,
  signIn,
  startWebServer,
  withLang,
} from '../../test/support/browser.ts';
import { type WebDemo, seedWebDemo } from '../../test/support/web-pages.ts';

describeWithBrowser('every portal page, for everyone who can use it', () => {
  let web: WebServer;
  let demo: WebDemo;
  let reporterToken = '';
  let answeredOwn = '';

  before(async () => {
    web = await startWebServer({ config: { cookieSecure: false } });
    demo = await seedWebDemo(web);
    // The reporter of the answered demo report, signed in: the page then offers its actions.
    const rows = await web.t.deps.db.query<{ reporter_id: number }>('SELECT reporter_id FROM reports WHERE tracking_id = $1', [
      demo.reports.answered,
    ]);
    const { openSession } = await import('../features/accounts/accounts.service.ts');
    reporterToken = (await openSession(web.t.deps.db, web.t.deps.config, rows[0]!.reporter_id, 'cookie', web.t.deps.now())).token;
    answeredOwn = demo.reports.answered;
  });
  after(() => web?.close());

  const PAGES: { name: string; path: () => string; signedIn?: boolean }[] = [
    { name: 'home', path: () => '/' },
    { name: 'feed', path: () => '/laporan' },
    { name: 'search', path: () => '/laporan?q=jalan&classification=pengaduan' },
    { name: 'tracking', path: () => `/laporan/${demo.reports.verified}` },
    { name: 'tracking, its reporter', path: () => `/laporan/${answeredOwn}`, signedIn: true },
    { name: 'statistics', path: () => '/statistik' },
    { name: 'about', path: () => '/tentang' },
    { name: 'sign in', path: () => '/masuk' },
    { name: 'sign up', path: () => '/daftar' },
    { name: 'forgot password', path: () => '/lupa-sandi' },
    { name: 'new password', path: () => '/atur-ulang-sandi' },
    { name: 'report form', path: () => '/lapor', signedIn: true },
    { name: 'my account', path: () => '/akun', signedIn: true },
    { name: 'my notifications', path: () => '/akun/pemberitahuan', signedIn: true },
    { name: 'not found', path: () => '/tidak-ada' },
  ];

  for (const device of [PHONE, DESKTOP]) {
    for (const lang of ['id', 'en'] as const) {
      test(`axe finds nothing, nothing scrolls sideways, nothing leaves the machine: ${device.name}, ${lang}`, async () => {
        const browser = await openBrowser({ device });
        try {
          await signIn(browser.context, web.baseUrl, reporterToken);
          const problems: string[] = [];
          for (const p of PAGES) {
            if (!p.signedIn) await browser.context.clearCookies();
            else await signIn(browser.context, web.baseUrl, reporterToken);
            const res = await browser.page.goto(`${web.baseUrl}${withLang(p.path(), lang)}`);
            const expected = p.name === 'not found' ? 404 : 200;
            assert.equal(res?.status(), expected, `${p.name}: HTTP ${res?.status()}`);
            assert.equal(await browser.page.getAttribute('html', 'lang'), lang, `${p.name}: lang`);
            const violations = await axeViolations(browser.page);
            if (violations.length > 0) problems.push(formatViolations(violations, `${p.name} (${lang}, ${device.name}): `));
            const overflow = await browser.page.evaluate(() => {
              const d = (globalThis as any).document.documentElement;
              return d.scrollWidth - d.clientWidth;
            });
            if (overflow > 0) problems.push(`${p.name} (${lang}, ${device.name}): scrolls sideways by ${overflow} px`);
          }
          assert.deepEqual(problems, []);
          assert.deepEqual(browser.offMachine, []);
        } finally {
          await browser.close();
        }
      });
    }
  }

  test('the form with a field error is still clean for axe, and the error is tied to its field', async () => {
    const browser = await openBrowser({ device: PHONE });
    try {
      await signIn(browser.context, web.baseUrl, reporterToken);
      await browser.page.goto(`${web.baseUrl}/lapor?lang=en`);
      await browser.page.fill('#f-title', 'abc');
      await browser.page.click('button[name="langkah"][value="periksa"]');
      await browser.page.waitForSelector('#f-title-error');
      assert.equal(await browser.page.textContent('#f-title-error'), 'At least 5 characters');
      assert.match((await browser.page.getAttribute('#f-title', 'aria-describedby')) ?? '', /f-title-error/);
      assert.deepEqual(await axeViolations(browser.page), []);
    } finally {
      await browser.close();
    }
  });

  test('at 200 % zoom and 320 px wide the pages still fit', async () => {
    const browser = await openBrowser({
      device: { ...PHONE, name: 'phone 320', viewport: { width: 320, height: 640 }, deviceScaleFactor: 2 },
    });
    try {
      await signIn(browser.context, web.baseUrl, reporterToken);
      for (const path of ['/', '/laporan', '/lapor', `/laporan/${answeredOwn}`, '/statistik']) {
        await browser.page.goto(`${web.baseUrl}${path}`);
        // 200 % zoom of a 640 px window is 320 CSS px: the same layout width as this one.
        const overflow = await browser.page.evaluate(() => {
          const d = (globalThis as any).document.documentElement;
          return d.scrollWidth - d.clientWidth;
        });
        assert.equal(overflow, 0, `${path} scrolls sideways by ${overflow} px`);
      }
    } finally {
      await browser.close();
    }
  });
});

describeWithBrowser('small things the script adds', () => {
  let web: WebServer;
  before(async () => {
    web = await startWebServer({ config: { cookieSecure: false } });
  });
  after(() => web?.close());

  test('"use my location" fills the coordinate fields; the reset link’s code lands in the form and leaves the address bar', async () => {
    const { token } = await sessionCookie(web, 'reporter');
    const browser = await openBrowser({ device: PHONE });
    try {
      await browser.context.grantPermissions(['geolocation'], { origin: web.baseUrl });
      await browser.context.setGeolocation({ latitude: -0.02634, longitude: 109.34251 });
      await signIn(browser.context, web.baseUrl, token);
      await browser.page.goto(`${web.baseUrl}/lapor`);
      await browser.page.click('details summary');
      await browser.page.click('button[data-geolocate]');
      await browser.page.waitForFunction(() => (globalThis as any).document.getElementById('f-latitude').value !== '');
      assert.equal(await browser.page.inputValue('#f-latitude'), '-0.02634');
      assert.equal(await browser.page.inputValue('#f-longitude'), '109.34251');

      const code = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';
      await browser.page.goto(`${web.baseUrl}/atur-ulang-sandi#token=${code}`);
      assert.equal(await browser.page.inputValue('#f-token'), code);
      assert.ok(!browser.page.url().includes('token='), 'the code does not stay in the address bar');
      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });
});

describeWithBrowser('a citizen files a report with a photo, JavaScript switched off', () => {
  let web: WebServer;
  before(async () => {
    web = await startWebServer({ config: { cookieSecure: false } });
  });
  after(() => web?.close());

  test('sign up, the form level by level, the review naming who receives it, a photo, then the tracking page', async () => {
    const browser = await openBrowser({ device: PHONE, javaScriptEnabled: false });
    try {
      const page = browser.page;
      await page.goto(`${web.baseUrl}/`);
      await page.click('a.cta');
      // not signed in: the form asks to sign in, and signing up comes back to it
      assert.match(page.url(), /\/masuk\?next=%2Flapor$/);
      await page.click('a[href^="/daftar"]');
      await page.fill('#f-name', 'Dewi Lestari');
      await page.fill('#f-email', 'dewi@example.test');
      await page.fill('#f-password', 'kata-sandi-yang-panjang');
      await page.click('button[type="submit"]');
      assert.match(page.url(), /\/lapor$/);

      await page.check('#f-cls-pengaduan');
      await page.fill('#f-title', 'Trotoar rusak di depan SD Negeri 14');
      await page.fill(
        '#f-body',
        'Trotoar di depan SD Negeri 14 amblas sejak hujan deras minggu lalu, anak-anak terpaksa berjalan di badan jalan.',
      );
      await page.fill('#f-incidentDate', '2026-11-20');
      await page.selectOption('#f-province', '61');
      await page.click('button[value="wilayah"]');
      await page.selectOption('#f-regency', '61.71');
      await page.click('button[value="wilayah"]');
      assert.equal(await page.inputValue('#f-title'), 'Trotoar rusak di depan SD Negeri 14', 'the draft survives each step');
      const pontianak = await web.t.bodyId('pemkot-61.71');
      await page.selectOption('#f-suggestedBodyId', String(pontianak));
      await page.check('#f-anonymous');
      await page.click('button[value="periksa"]');

      assert.match((await page.textContent('main')) ?? '', /diteruskan kepada Pemerintah Kota Pontianak/);
      await page.setInputFiles('#f-attachments', { name: 'trotoar.png', mimeType: 'image/png', buffer: Buffer.from(pngOfSize(640, 480)) });
      await page.click('button[value="kirim"]');

      assert.match(page.url(), /\/laporan\/[A-Z0-9]{8}\?terkirim=1$/);
      assert.match((await page.textContent('[role="status"]')) ?? '', /Laporan terkirim/);
      assert.match((await page.textContent('h1')) ?? '', /Trotoar rusak di depan SD Negeri 14/);
      const trackingId = /\/laporan\/([A-Z0-9]{8})/.exec(page.url())![1]!;
      const rows = await web.t.deps.db.query<{ is_anonymous: boolean; region_code: string; files: number }>(
        `SELECT r.is_anonymous, r.region_code, (SELECT count(*)::int FROM attachments a WHERE a.report_id = r.id) AS files
           FROM reports r WHERE r.tracking_id = $1`,
        [trackingId],
      );
      assert.deepEqual(rows[0], { is_anonymous: true, region_code: '61.71', files: 1 });
      assert.deepEqual(browser.offMachine, []);

      // Not yet verified: the public cannot see it.
      const anonymous = await openBrowser({ device: PHONE, javaScriptEnabled: false });
      try {
        const res = await anonymous.page.goto(`${web.baseUrl}/laporan/${trackingId}`);
        assert.equal(res?.status(), 404);
      } finally {
        await anonymous.close();
      }
    } finally {
      await browser.close();
    }
  });

  test('a rahasia report is invisible when signed out, and its reporter reads it', async () => {
    const { user, token } = await sessionCookie(web, 'reporter');
    const national = await web.t.user('national_admin');
    const filed = await web.t.request('POST', '/api/v1/reports', {
      token: user.token,
      json: {
        classification: 'pengaduan',
        title: 'Pungutan liar di loket pelayanan',
        body: 'Petugas loket meminta uang tambahan di luar tarif resmi untuk mempercepat berkas.',
        incidentDate: '2026-11-20',
        secret: true,
      },
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.body.trackingId as string;
    const verified = await web.t.request('POST', `/api/v1/reports/${id}/verify`, { token: national.token, json: { resolutionClass: 14 } });
    assert.equal(verified.status, 200, verified.text);
    const browser = await openBrowser({ device: DESKTOP });
    try {
      for (const path of [`/laporan/${id}`, `/laporan?q=${id}`, '/laporan?q=pungutan', '/']) {
        await browser.page.goto(`${web.baseUrl}${path}`);
        assert.ok(!(await browser.page.content()).includes('Pungutan liar di loket'), `${path} shows the secret report`);
      }
      await signIn(browser.context, web.baseUrl, token);
      await browser.page.goto(`${web.baseUrl}/laporan/${id}`);
      assert.match((await browser.page.textContent('h1')) ?? '', /Pungutan liar di loket pelayanan/);
    } finally {
      await browser.close();
    }
  });
});
