/**
 * The back office's admin pages in a real browser: calendar change requests (with the decision
 * forms, and a rejection's error at its field) and the day forms, users and an account's page,
 * bodies and units, categories and the identity audit log, axe clean in both languages at 1366 px
 * (with the forms' errors shown too), for the roles that use them; an agency admin makes a unit
 * and then an officer for it without JavaScript; nothing leaves the machine.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { reportInput } from '../../test/support/app.ts';
import {
  DESKTOP,
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

const PONTIANAK = 'pemkot-61.71';

describeWithBrowser('the back office’s admin pages', () => {
  let web: WebServer;
  const tokens: Record<string, string> = {};
  let requestId = 0;
  let pontianakId = 0;
  let officerId = 0;
  let categoryId = 0;
  let inboundId = 0;

  before(async () => {
    web = await startWebServer({ config: { cookieSecure: false } });
    const national = await sessionCookie(web, 'national_admin');
    const agency = await sessionCookie(web, 'agency_admin', PONTIANAK);
    tokens.national = national.token;
    tokens.agency = agency.token;
    tokens.monitor = (await sessionCookie(web, 'monitor')).token;
    await sessionCookie(web, 'unit_officer', 'pemkot-61.71/dinas-pupr');

    // a pending request by Pontianak's admin, an import one, and a look at an anonymous reporter
    const bodyId = await web.t.bodyId(PONTIANAK);
    pontianakId = bodyId;
    officerId = (await web.t.user('unit_officer', 'pemkot-61.71/dinas-pupr')).principal.userId;
    const own = await web.t.request('POST', '/api/v1/admin/categories', {
      token: agency.user.token,
      json: {
        code: 'parit-kota',
        parentId: (await web.t.request('GET', '/api/v1/categories')).body[0].id,
        name: 'Parit Kota',
        nameEn: 'City ditches',
      },
    });
    assert.equal(own.status, 201, own.text);
    categoryId = own.body.id as number;
    // an SMS that was not understood, for the inbound messages page
    await web.t.request(
      'GET',
      `/channels/kannel/incoming?${new URLSearchParams({ id: 'axe-1', from: '081234500001', to: '1708', text: 'jalan rusak di depan rumah saya mohon diperbaiki' })}`,
    );
    inboundId = (await web.t.deps.db.query<{ id: number }>('SELECT id FROM inbound_messages ORDER BY id DESC LIMIT 1'))[0]!.id;
    const asked = await web.t.request('POST', '/api/v1/calendar/days', {
      token: agency.user.token,
      json: { scope: 'body', bodyId, date: '2026-12-28', kind: 'regional', name: 'Hari Jadi Kota Pontianak', reason: 'Perwali 2026' },
    });
    assert.equal(asked.status, 202, asked.text);
    requestId = asked.body.id as number;
    const reporter = await web.t.user('reporter');
    const filed = await web.t.request('POST', '/api/v1/reports', { token: reporter.token, json: reportInput({ anonymous: true }) });
    assert.equal(filed.status, 201, filed.text);
    const look = await web.t.request('POST', `/api/v1/reports/${filed.body.trackingId}/identity`, {
      token: national.user.token,
      json: { reason: 'Diminta kepolisian untuk penyelidikan ancaman.' },
    });
    assert.equal(look.status, 200, look.text);
  });
  after(() => web?.close());

  const as = async (page: Page, who: string) => {
    await page.context().clearCookies();
    await signIn(page.context(), web.baseUrl, tokens[who]!);
  };

  test('axe: calendars, users and accounts, bodies, categories, inbound messages and the audit log, with the errors of their forms, in both languages at 1366 px', async () => {
    const browser = await openBrowser({ device: DESKTOP });
    try {
      const { page } = browser;
      const problems: string[] = [];
      const pages: [string, string][] = [
        ['national', '/kantor/kalender'],
        ['national', '/kantor/kalender?status=all'],
        ['agency', '/kantor/kalender'],
        ['national', '/kantor/pengguna'],
        ['agency', '/kantor/pengguna'],
        ['national', '/kantor/pengguna?role=raja'],
        ['national', '/kantor/audit'],
        ['monitor', '/kantor/audit'],
        ['national', '/kantor/instansi'],
        ['national', '/kantor/instansi?kind=raja'],
        ['agency', '/kantor/instansi'],
        ['national', '/kantor/kategori'],
        ['agency', '/kantor/kategori'],
        ['agency', `/kantor/kategori/${categoryId}`],
        ['agency', `/kantor/pengguna/${officerId}`],
        ['national', `/kantor/pengguna/${officerId}`],
        ['national', '/kantor/pesan'],
        ['national', `/kantor/pesan/${inboundId}`],
      ];
      for (const lang of ['id', 'en'] as const) {
        for (const [who, path] of pages) {
          await as(page, who);
          const res = await page.goto(`${web.baseUrl}${withLang(path, lang)}`);
          assert.ok(res?.status() === 200 || path.includes('raja'), `${who} ${path}: ${res?.status()}`);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          const found = await axeViolations(page);
          if (found.length > 0) problems.push(formatViolations(found, `${who} ${path} (${lang}): `));
        }
        // a rejection without a reason: the form again with its error at the field
        await as(page, 'national');
        await page.goto(`${web.baseUrl}${withLang('/kantor/kalender', lang)}`);
        // the browser's own check would stop an empty reason; the server's is the one tested here
        const box = page.locator(`#tolak-${requestId}-reason`);
        await box.evaluate((el: any) => el.removeAttribute('required'));
        await box.fill(' ');
        await page.click(`#tolak-${requestId} button[type="submit"]`);
        await page.waitForSelector(`#tolak-${requestId}-reason-error`);
        const errors = await axeViolations(page);
        if (errors.length > 0) problems.push(formatViolations(errors, `reject errors (${lang}): `));

        // each new form sent empty: the page again with every error at its field
        const forms: [string, string, string, string][] = [
          ['agency', `/kantor/instansi/${pontianakId}`, '#unit-baru', '#unit-name-error'],
          ['national', '/kantor/instansi', '#tambah', '#tambah-code-error'],
          ['agency', '/kantor/kategori', '#tambah', '#tambah-name-error'],
          ['agency', '/kantor/pengguna', '#buat', '#buat-name-error'],
          ['national', `/kantor/pengguna/${officerId}`, '#peran', '#peran-role-error'],
          ['agency', '/kantor/kalender', '#tambah-hari', '#hari-date-error'],
        ];
        for (const [who, path, form, error] of forms) {
          await as(page, who);
          await page.goto(`${web.baseUrl}${withLang(path, lang)}`);
          await page.locator(`${form} input:not([type=hidden]), ${form} textarea`).evaluateAll((els: any[]) => {
            for (const el of els) el.value = '';
          });
          await page.locator(`${form} select`).evaluateAll((els: any[]) => {
            for (const el of els) el.value = '';
          });
          await page.click(`${form} button[type="submit"]`);
          await page.waitForSelector(error);
          const found = await axeViolations(page);
          if (found.length > 0) problems.push(formatViolations(found, `${who} ${path} ${form} errors (${lang}): `));
        }
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });

  test('without JavaScript an agency admin makes a unit, then an officer for it', async () => {
    const browser = await openBrowser({ device: DESKTOP, javaScriptEnabled: false });
    try {
      const { page } = browser;
      await as(page, 'agency');
      await page.goto(`${web.baseUrl}/kantor/instansi`);
      assert.equal(new URL(page.url()).pathname, `/kantor/instansi/${pontianakId}`, 'an agency admin lands on its own body');
      await page.fill('#unit-name', 'Dinas Komunikasi dan Informatika');
      await page.fill('#unit-slug', 'dinas-kominfo');
      await page.click('#unit-baru button[type="submit"]');
      const made = await page.textContent('.notice');
      assert.match(
        made ?? '',
        /Unit Dinas Komunikasi dan Informatika \(pemkot-61\.71\/dinas-kominfo\) dibuat di bawah Pemerintah Kota Pontianak/,
      );
      const unitId = await web.t.bodyId(`${PONTIANAK}/dinas-kominfo`);
      const [unit] = await web.t.deps.db.query<{ path: number[] }>('SELECT path FROM bodies WHERE id = $1', [unitId]);
      assert.deepEqual(unit!.path.map(Number), [pontianakId, unitId]);

      await page.click('text=Buat akun petugas untuk unit ini');
      assert.equal(await page.inputValue('#buat-body'), String(unitId));
      assert.equal(await page.inputValue('#buat-role'), 'unit_officer');
      await page.fill('#buat-name', 'Sari Petugas Kominfo');
      await page.fill('#buat-email', 'sari.kominfo@test.lapor.go.id');
      await page.click('#buat button[type="submit"]');
      const account = await page.textContent('.notice');
      assert.match(
        account ?? '',
        /Akun Sari Petugas Kominfo dibuat: Petugas unit · Dinas Komunikasi dan Informatika\. Tautan untuk membuat kata sandi dikirim ke sari\.kominfo@test\.lapor\.go\.id/,
      );
      await page.click('text=Lihat akun');
      assert.equal(await page.textContent('h1'), 'Sari Petugas Kominfo');
      assert.match(
        (await page.textContent('table.inbox')) ?? '',
        /Petugas unit \(Dinas Komunikasi dan Informatika\); tautan kata sandi dikirim ke emailnya/,
      );
      const [officer] = await web.t.deps.db.query<{ body_id: number; password_hash: string | null }>(
        "SELECT body_id, password_hash FROM users WHERE email = 'sari.kominfo@test.lapor.go.id'",
      );
      assert.deepEqual(officer, { body_id: unitId, password_hash: null });
      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });
});
