/**
 * The back office in a real browser: one report's story across four accounts (the reporter files,
 * the national desk verifies and routes it, the body's admin passes it to a unit, the unit follows
 * it up, is refused a promise-only answer with the clause named, then answers with a photo), the
 * unit never seeing the anonim reporter's name or the original file names; the inbox's keyboard;
 * axe clean on the inbox and the workspace in both languages at 1366 px; nothing off the machine.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { pngOfSize } from '../../test/support/png.ts';
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
import { seedWebDemo } from '../../test/support/web-pages.ts';
import { dispatchOutbox } from '../features/notifications/dispatcher.ts';

const PONTIANAK = 'pemkot-61.71';
const PUPR = 'pemkot-61.71/dinas-pupr';
const PROMISE = 'Laporan Bapak sudah kami terima dan akan segera kami tindak lanjuti sesuai prosedur yang berlaku.';
const ANSWER = 'Tiang lampu di Jl. Tanjungpura sudah diganti dan lampunya menyala kembali sejak 25 November 2026 pukul 19.00.';

describeWithBrowser('the back office, across the accounts that handle one report', () => {
  let web: WebServer;
  const tokens: Record<string, string> = {};
  let reporterId = 0;
  let reporterName = '';
  let trackingId = '';

  before(async () => {
    web = await startWebServer({ config: { cookieSecure: false } });
    await seedWebDemo(web);
    const reporter = await sessionCookie(web, 'reporter');
    reporterId = reporter.user.principal.userId;
    reporterName = reporter.user.name;
    tokens.reporter = reporter.token;
    tokens.national = (await sessionCookie(web, 'national_admin')).token;
    tokens.agency = (await sessionCookie(web, 'agency_admin', PONTIANAK)).token;
    tokens.unit = (await sessionCookie(web, 'unit_officer', PUPR)).token;

    // The reporter files through the API: anonim, with a photo whose name gives them away.
    const form = new FormData();
    form.set('classification', 'pengaduan');
    form.set('title', 'Tiang lampu roboh di Jl. Tanjungpura');
    form.set('body', 'Tiang lampu penerangan jalan roboh sejak angin kencang, kabelnya menjuntai di trotoar dekat sekolah.');
    form.set('incidentDate', '2026-11-20');
    form.set('regionCode', '61.71.01');
    form.set('anonymous', 'true');
    form.append('attachments', new File([pngOfSize(640, 480)], 'foto Budi Santoso rumah.png', { type: 'image/png' }));
    const filed = await web.t.request('POST', '/api/v1/reports', { token: reporter.user.token, form });
    assert.equal(filed.status, 201, filed.text);
    trackingId = filed.body.trackingId as string;
  });
  after(() => web?.close());

  const as = async (page: Page, who: string) => {
    await page.context().clearCookies();
    await signIn(page.context(), web.baseUrl, tokens[who]!);
  };
  const notice = async (page: Page) => (await page.textContent('p.notice[role="status"]')) ?? '';

  test('filed, verified and routed, dispositioned, followed up, a promise refused, answered with a photo', async () => {
    const browser = await openBrowser({ device: DESKTOP });
    try {
      const { page } = browser;

      // The national desk: the report is in the inbox; open it, verify, route.
      await as(page, 'national');
      await page.goto(`${web.baseUrl}/kantor`);
      await page.click(`a[href="/kantor/laporan/${trackingId}"]`);
      assert.match(page.url(), new RegExp(`/kantor/laporan/${trackingId}$`));
      await page.check('#verify-rc-14');
      await page.click('#form-verify button[type="submit"]');
      assert.match(await notice(page), /Laporan diverifikasi\..*Terverifikasi/s);
      // ~600 bodies: typed, part of the name is enough
      await page.fill('#route-body', 'kota pontian');
      await page.click('#form-route button[type="submit"]');
      assert.match(await notice(page), /Laporan diteruskan\..*Pemerintah Kota Pontianak/s);

      // The body's admin passes it to its PU unit.
      await as(page, 'agency');
      await page.goto(`${web.baseUrl}/kantor`);
      await page.click(`a[href="/kantor/laporan/${trackingId}"]`);
      await page.selectOption('#disposition-unit', String(await web.t.bodyId(PUPR)));
      await page.fill('#disposition-message', 'Mohon segera ditangani, dekat sekolah.');
      await page.click('#form-disposition button[type="submit"]');
      assert.match(await notice(page), /didisposisikan.*Dinas/s);

      // The unit: no reporter's name, no original file name.
      await as(page, 'unit');
      await page.goto(`${web.baseUrl}/kantor`);
      await page.click(`a[href="/kantor/laporan/${trackingId}"]`);
      const seen = (await page.textContent('main')) ?? '';
      assert.match(seen, /Pelapor anonim/);
      assert.ok(!seen.includes(reporterName), 'the unit sees the anonim reporter’s name');
      assert.ok(!(await page.content()).includes('Budi Santoso'), 'the unit sees the original file name');
      assert.match(seen, /lampiran-1\.png/);

      // A public follow-up.
      await page.fill('#follow_up-message', 'Tim sudah memeriksa lokasi dan memasang pembatas di sekitar tiang.');
      await page.click('#form-follow_up button[type="submit"]');
      assert.match(await notice(page), /Tindak lanjut terkirim\..*Sedang Diproses/s);

      // The check, before sending: the promise is named.
      await page.fill('#answer-message', PROMISE);
      await page.click('#form-answer button.secondary');
      const check = (await page.textContent('#periksa-hasil')) ?? '';
      assert.match(check, /Belum jawaban akhir/);
      assert.match(check, /akan segera kami tindak lanjuti/);
      assert.equal(await page.inputValue('#answer-message'), PROMISE, 'the draft is kept');

      // Sent anyway: refused, the same way.
      await page.setInputFiles('#answer-files', { name: 'bukti.png', mimeType: 'image/png', buffer: Buffer.from(pngOfSize(640, 480)) });
      const refused = page.waitForResponse((r) => r.url().includes('/tindakan') && r.request().method() === 'POST');
      await page.click('#form-answer button:not(.secondary)');
      assert.equal((await refused).status(), 422);
      await page.waitForSelector('#periksa-hasil');
      assert.match((await page.textContent('#periksa-hasil')) ?? '', /akan segera kami tindak lanjuti/);
      assert.match((await page.textContent('#form-answer .alert')) ?? '', /tidak menyebut apa yang sudah dilakukan|belum menyebut/);

      // A real answer with a photo.
      await page.fill('#answer-message', ANSWER);
      await page.setInputFiles('#answer-files', {
        name: 'foto-perbaikan.png',
        mimeType: 'image/png',
        buffer: Buffer.from(pngOfSize(800, 600)),
      });
      await page.click('#form-answer button:not(.secondary)');
      assert.match(await notice(page), /Jawaban akhir terkirim.*Menunggu Tanggapan Pelapor/s);

      // The reporter is told: a message in the outbox, delivered in-app by the dispatcher.
      const outbox = await web.t.deps.db.query<{ channel: string }>(
        `SELECT channel FROM outbox WHERE recipient_user_id = $1 AND template = 'report.answered'`,
        [reporterId],
      );
      assert.ok(
        outbox.some((m) => m.channel === 'in_app'),
        `outbox: ${outbox.map((m) => m.channel).join(', ')}`,
      );
      await dispatchOutbox({ db: web.t.deps.db, now: () => new Date(), email: null });
      const told = await web.t.deps.db.query<{ template: string }>(
        `SELECT template FROM notifications WHERE user_id = $1 AND tracking_id = $2 ORDER BY id`,
        [reporterId, trackingId],
      );
      assert.ok(
        told.some((n) => n.template === 'report.answered'),
        `notifications: ${told.map((n) => n.template).join(', ')}`,
      );
      // and reads the answer on their tracking page
      await as(page, 'reporter');
      await page.goto(`${web.baseUrl}/laporan/${trackingId}`);
      assert.match((await page.textContent('main')) ?? '', /Tiang lampu di Jl\. Tanjungpura sudah diganti/);

      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });

  test('the inbox by keyboard: j and k move, o opens, / goes to the search box', async () => {
    const browser = await openBrowser({ device: DESKTOP });
    try {
      const { page } = browser;
      await as(page, 'national');
      await page.goto(`${web.baseUrl}/kantor`);
      const rows = await page.$$eval('tr[data-row] a', (links) => links.map((a) => a.getAttribute('href')));
      assert.ok(rows.length >= 3, `rows: ${rows.length}`);
      const current = () => page.$eval('tr.current a', (a) => a.getAttribute('href')).catch(() => null);
      await page.keyboard.press('j');
      assert.equal(await current(), rows[0]);
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      assert.equal(await current(), rows[2]);
      await page.keyboard.press('k');
      assert.equal(await current(), rows[1]);
      assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement.getAttribute('href')), rows[1]);
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement.id), 'f-q');
      await page.keyboard.type('jalan');
      assert.equal(await page.inputValue('#f-q'), 'jalan', 'typing in the box is not a shortcut');
      // out of the box, o opens the current row
      await page.click('h1');
      await page.keyboard.press('o');
      await page.waitForURL(`${web.baseUrl}${rows[1]}`);
      // Enter on the current row opens it too (the row's link has the focus)
      await page.goto(`${web.baseUrl}/kantor`);
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${web.baseUrl}${rows[1]}`);
      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });

  test('without JavaScript the inbox still filters and opens a report', async () => {
    const browser = await openBrowser({ device: DESKTOP, javaScriptEnabled: false });
    try {
      const { page } = browser;
      await as(page, 'national');
      await page.goto(`${web.baseUrl}/kantor`);
      await page.fill('#f-q', 'Tanjungpura');
      await page.click('form.filters button[type="submit"]');
      assert.match(page.url(), /\/kantor\?q=Tanjungpura/);
      await page.click(`a[href="/kantor/laporan/${trackingId}"]`);
      assert.match((await page.textContent('h1')) ?? '', /Tiang lampu roboh/);
    } finally {
      await browser.close();
    }
  });

  test('routing with the keyboard alone and no JavaScript: part of a name, several matches, one chosen from them', async () => {
    const reporter = await web.t.user('reporter');
    const filed = await web.t.request('POST', '/api/v1/reports', {
      token: reporter.token,
      json: {
        classification: 'pengaduan',
        title: 'Antrean BPJS di puskesmas sangat panjang',
        body: 'Setiap pagi antrean di puskesmas kecamatan mengular sampai jalan, petugas loket hanya satu orang.',
        incidentDate: '2026-11-20',
        regionCode: '61.71.01',
      },
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.body.trackingId as string;
    const verified = await web.t.request('POST', `/api/v1/reports/${id}/verify`, {
      token: (await web.t.user('national_admin')).token,
      json: { resolutionClass: 14 },
    });
    assert.equal(verified.status, 200, verified.text);
    const browser = await openBrowser({ device: DESKTOP, javaScriptEnabled: false });
    try {
      const { page } = browser;
      await as(page, 'national');
      await page.goto(`${web.baseUrl}/kantor/laporan/${id}`);
      // the region's governments are offered first (the reporter suggested none)
      assert.match((await page.textContent('#route-body-hint')) ?? '', /Pemerintah Kota Pontianak \(wilayah laporan\)/);
      await page.focus('#route-body');
      await page.keyboard.type('kalimantan');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#route-body-error');
      assert.match((await page.textContent('#route-body-error')) ?? '', /instansi cocok: pilih satu di bawah/);
      assert.equal(await page.inputValue('#route-body'), 'kalimantan', 'what was typed is kept');
      // Tab from the text field reaches the first match; arrows move between them; Space picks one
      await page.focus('#route-body');
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => (globalThis as any).document.activeElement.id);
      assert.match(first, /^route-body-\d+$/, `focus: ${first}`);
      assert.equal(await page.textContent(`label[for="${first}"]`), 'Pemerintah Provinsi Kalimantan Barat');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Space');
      assert.equal(await page.isChecked(`#${first}`), true);
      await page.keyboard.press('Enter');
      await page.waitForSelector('p.notice[role="status"]');
      assert.match(await notice(page), /Laporan diteruskan\..*Pemerintah Provinsi Kalimantan Barat/s);
      const rows = await web.t.deps.db.query<{ code: string }>(
        'SELECT b.code FROM reports r JOIN bodies b ON b.id = r.body_id WHERE r.tracking_id = $1',
        [id],
      );
      assert.equal(rows[0]?.code, 'pemprov-61');
      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });

  test('axe finds no WCAG 2.1 AA violation on the inbox and the workspace, in both languages, at 1366 px', async () => {
    // a fresh report, so the desk's workspace has its full set of forms
    const reporter = await web.t.user('reporter');
    const filed = await web.t.request('POST', '/api/v1/reports', {
      token: reporter.token,
      json: {
        classification: 'pengaduan',
        title: 'Trotoar rusak di depan pasar',
        body: 'Trotoar di depan pasar rusak dan berlubang, pejalan kaki terpaksa turun ke jalan.',
        incidentDate: '2026-11-20',
        suggestedBodyId: await web.t.bodyId(PONTIANAK),
      },
    });
    assert.equal(filed.status, 201, filed.text);
    const fresh = filed.body.trackingId as string;
    // and one verified, for the route form
    const second = await web.t.request('POST', '/api/v1/reports', {
      token: reporter.token,
      json: {
        classification: 'pengaduan',
        title: 'Halte bus rusak di depan kantor camat',
        body: 'Atap halte bus di depan kantor camat bocor dan bangkunya patah, penumpang menunggu di bawah hujan.',
        incidentDate: '2026-11-20',
      },
    });
    assert.equal(second.status, 201, second.text);
    const routable = second.body.trackingId as string;
    const desk = await web.t.user('national_admin');
    assert.equal(
      (await web.t.request('POST', `/api/v1/reports/${routable}/verify`, { token: desk.token, json: { resolutionClass: 14 } })).status,
      200,
    );
    // and one escalated to the Ombudsman office of Kalimantan Barat, for its workspace
    await web.t.deps.db.query(
      `UPDATE reports SET escalated_at = now(), ombudsman_body_id = (SELECT id FROM bodies WHERE code = 'ombudsman-61') WHERE tracking_id = $1`,
      [trackingId],
    );
    tokens.ombudsman ??= (await sessionCookie(web, 'ombudsman', 'ombudsman-61')).token;
    const browser = await openBrowser({ device: DESKTOP });
    try {
      const { page } = browser;
      const problems: string[] = [];
      const pages: [string, string][] = [
        ['national', '/kantor'],
        ['national', '/kantor?terlambat=1&status=submitted'],
        ['national', `/kantor/laporan/${fresh}`],
        ['agency', `/kantor/laporan/${fresh}`],
        ['national', `/kantor/laporan/${trackingId}`],
        ['unit', '/kantor'],
        ['unit', `/kantor/laporan/${trackingId}`],
        ['ombudsman', '/kantor'],
        ['ombudsman', `/kantor/laporan/${trackingId}`],
      ];
      for (const lang of ['id', 'en'] as const) {
        for (const [who, path] of pages) {
          await as(page, who);
          const res = await page.goto(`${web.baseUrl}${withLang(path, lang)}`);
          assert.equal(res?.status(), 200, `${who} ${path}`);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          const found = await axeViolations(page);
          if (found.length > 0) problems.push(formatViolations(found, `${who} ${path} (${lang}): `));
        }
        // a form with its errors, and the answer check's findings
        await as(page, 'national');
        await page.goto(`${web.baseUrl}${withLang(`/kantor/laporan/${fresh}`, lang)}`);
        await page.click('#form-verify button[type="submit"]');
        await page.waitForSelector('#verify-rc-error');
        const errors = await axeViolations(page);
        if (errors.length > 0) problems.push(formatViolations(errors, `verify errors (${lang}): `));
        // the body picker with several matches to choose from
        await as(page, 'national');
        await page.goto(`${web.baseUrl}${withLang(`/kantor/laporan/${routable}`, lang)}`);
        await page.fill('#route-body', 'kalimantan');
        await page.click('#form-route button[type="submit"]');
        await page.waitForSelector('#route-body-error');
        assert.ok((await page.locator('#form-route input[name="bodyId"]').count()) > 1);
        const picker = await axeViolations(page);
        if (picker.length > 0) problems.push(formatViolations(picker, `route with several matches (${lang}): `));
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });
});
