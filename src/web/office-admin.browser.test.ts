/**
 * The back office's admin pages in a real browser: calendar change requests (with the decision
 * forms, and a rejection's error at its field), users and the identity audit log, axe clean in
 * both languages at 1366 px, for the roles that use them; nothing leaves the machine.
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

  test('axe: calendars, users and the audit log, in both languages at 1366 px', async () => {
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
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(browser.offMachine, []);
    } finally {
      await browser.close();
    }
  });
});
