/**
 * The back office's admin pages over HTTP: who may see each (a 403 page for the others, the nav
 * links only for them), calendar change requests decided through forms (an approval applies and
 * moves a deadline, with the count in the notice; a rejection needs a reason; an agency admin
 * reads its own layer's requests only), disabling and enabling accounts in scope, the identity
 * audit log, and bad ids and filters as 400/404 pages, never a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';
import { openSession } from '../features/accounts/accounts.service.ts';

const PONTIANAK = 'pemkot-61.71';
const PUPR = 'pemkot-61.71/dinas-pupr';
const NOW = '2026-11-24T04:00:00Z';

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
let agency: TestUser;
let otherAgency: TestUser;
let unit: TestUser;
let monitor: TestUser;
let pontianak: number;
const cookies: Record<string, string> = {};

const cookieOf = async (user: TestUser) =>
  `lapor_session=${(await openSession(t.deps.db, t.deps.config, user.principal.userId, 'cookie', t.deps.now())).token}`;
const get = (url: string, who: string) => t.app.request(url, { headers: { cookie: who }, redirect: 'manual' });
const post = (url: string, who: string, fields: Record<string, string> = {}) =>
  t.app.request(url, {
    method: 'POST',
    headers: { origin: 'http://localhost', cookie: who, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

/** A report filed on Tuesday 24 Nov 2026, verified (14 working days) and routed to Pontianak. */
async function routedReport(): Promise<string> {
  t.setNow('2026-11-24T03:00:00Z');
  const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
  assert.equal(filed.status, 201, filed.text);
  const id = filed.body.trackingId as string;
  t.setNow(NOW);
  for (const [action, json] of [
    ['verify', { resolutionClass: 14 }],
    ['route', { bodyId: pontianak }],
  ] as const) {
    const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: national.token, json });
    assert.equal(res.status, 200, `${action}: ${res.text}`);
  }
  return id;
}

async function dues(id: string): Promise<Record<string, string>> {
  const res = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
  assert.equal(res.status, 200, res.text);
  const running = res.body.clocks.filter((c: { state: string; kind: string }) => c.state === 'running' && c.kind !== 'ombudsman');
  return Object.fromEntries(running.map((c: { kind: string; dueAt: string }) => [c.kind, c.dueAt]));
}

/** Pontianak's admin asks for a day off; returns the request's id. */
async function askDayOff(date: string, name: string): Promise<number> {
  const asked = await t.request('POST', '/api/v1/calendar/days', {
    token: agency.token,
    json: { scope: 'body', bodyId: pontianak, date, kind: 'regional', name, reason: 'Hari jadi kota' },
  });
  assert.equal(asked.status, 202, asked.text);
  return asked.body.id as number;
}

const requestStatus = async (id: number) =>
  (await t.request('GET', `/api/v1/calendar/change-requests/${id}`, { token: national.token })).body.status as string;

before(async () => {
  t = await startTestApp({ cookieSecure: false });
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', PONTIANAK);
  otherAgency = await t.user('agency_admin', 'pemkot-18.72');
  unit = await t.user('unit_officer', PUPR);
  monitor = await t.user('monitor');
  pontianak = await t.bodyId(PONTIANAK);
  for (const [k, u] of Object.entries({ citizen, national, agency, otherAgency, unit, monitor })) cookies[k] = await cookieOf(u);
});
after(() => t.close());

describe('who may see each admin page', () => {
  const cases: [string, Record<string, number>][] = [
    ['/kantor/kalender', { national: 200, agency: 200, unit: 403, monitor: 403, citizen: 403 }],
    ['/kantor/pengguna', { national: 200, agency: 200, unit: 403, monitor: 403, citizen: 403 }],
    ['/kantor/audit', { national: 200, agency: 403, unit: 403, monitor: 200, citizen: 403 }],
  ];
  for (const [path, expected] of cases) {
    test(`${path}: ${Object.entries(expected)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`, async () => {
      for (const [who, status] of Object.entries(expected)) {
        const res = await get(path, cookies[who]!);
        assert.equal(res.status, status, `${who} on ${path}`);
        const page = await res.text();
        if (status === 403) assert.match(page, /Tidak diizinkan/);
        assert.equal(res.headers.get('cache-control'), 'private, no-store');
      }
      const en = await get(`${path}?lang=en`, cookies.unit!);
      assert.match(await en.text(), /Not allowed/);
    });
  }

  test('signed out: to the sign-in page, coming back', async () => {
    const res = await get('/kantor/pengguna?q=budi', '');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/masuk?next=${encodeURIComponent('/kantor/pengguna?q=budi')}`);
  });

  test('the nav links only the pages the role may use', async () => {
    const links = async (who: string) => {
      const page = await (await get('/kantor', cookies[who]!)).text();
      return ['/kantor/kalender', '/kantor/pengguna', '/kantor/audit'].filter((p) => page.includes(`href="${p}"`));
    };
    assert.deepEqual(await links('national'), ['/kantor/kalender', '/kantor/pengguna', '/kantor/audit']);
    assert.deepEqual(await links('agency'), ['/kantor/kalender', '/kantor/pengguna']);
    assert.deepEqual(await links('monitor'), ['/kantor/audit']);
    assert.deepEqual(await links('unit'), []);
  });
});

describe('calendar change requests', () => {
  test('an approval through the form applies the change, moves the deadline and says how many moved', async () => {
    const report = await routedReport();
    const before = await dues(report);
    const requestId = await askDayOff('2026-11-26', 'Libur Hari Jadi Kota');

    const listed = await (await get('/kantor/kalender', cookies.national!)).text();
    assert.match(listed, new RegExp(`Permintaan #${requestId}`));
    assert.match(listed, /Libur Hari Jadi Kota/);
    assert.match(listed, /Hari jadi kota/, 'the reason');
    assert.match(listed, new RegExp(`action="/kantor/kalender/${requestId}/setujui"`));

    // the agency admin sees its request, read-only
    const own = await (await get('/kantor/kalender', cookies.agency!)).text();
    assert.match(own, new RegExp(`Permintaan #${requestId}`));
    assert.doesNotMatch(own, /\/setujui"/);
    // another body's admin does not see it
    assert.doesNotMatch(await (await get('/kantor/kalender', cookies.otherAgency!)).text(), new RegExp(`Permintaan #${requestId}`));
    // nor may the agency admin decide it
    assert.equal((await post(`/kantor/kalender/${requestId}/setujui`, cookies.agency!)).status, 403);

    const res = await post(`/kantor/kalender/${requestId}/setujui`, cookies.national!, { note: 'Sesuai Perwali' });
    assert.equal(res.status, 200);
    const page = await res.text();
    const moved = /Permintaan #\d+ disetujui dan berlaku; (\d+) batas waktu bergeser/.exec(page);
    assert.ok(moved, 'the notice');
    assert.ok(Number(moved[1]) >= 1, 'at least the report’s deadline moved');
    assert.equal(await requestStatus(requestId), 'approved');
    assert.notDeepEqual(await dues(report), before, 'the deadline moved');

    // decided once: a second approval is a 409 page, not a 500
    const again = await post(`/kantor/kalender/${requestId}/setujui`, cookies.national!);
    assert.equal(again.status, 409);
    assert.match(await again.text(), /sudah disetujui/);
    // the approved request is under its status, with the count
    const approved = await (await get('/kantor/kalender?status=approved&lang=en', cookies.national!)).text();
    assert.match(approved, new RegExp(`Request #${requestId}`));
    assert.match(approved, /Deadlines moved/);
  });

  test('a rejection needs a reason, shown at its field; with one, nothing changes', async () => {
    const report = await routedReport();
    const before = await dues(report);
    const requestId = await askDayOff('2026-11-27', 'Libur tambahan');
    const none = await post(`/kantor/kalender/${requestId}/tolak`, cookies.national!, { reason: ' ' });
    assert.equal(none.status, 400);
    const page = await none.text();
    assert.match(page, new RegExp(`id="tolak-${requestId}-reason-error">Wajib diisi<`));
    assert.match(page, new RegExp(`id="tolak-${requestId}-reason"[^>]*aria-invalid="true"`));
    assert.equal(await requestStatus(requestId), 'pending');

    const en = await post(`/kantor/kalender/${requestId}/tolak?lang=en`, cookies.national!, { reason: 'ab' });
    assert.equal(en.status, 400);
    assert.match(await en.text(), /At least 3 characters/);

    const res = await post(`/kantor/kalender/${requestId}/tolak`, cookies.national!, { reason: 'Tidak ada dasar hukumnya.' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), new RegExp(`Permintaan #${requestId} ditolak`));
    assert.equal(await requestStatus(requestId), 'rejected');
    assert.deepEqual(await dues(report), before);
  });

  test('bad ids and filters: 400 and 404 pages', async () => {
    assert.equal((await post('/kantor/kalender/abc/setujui', cookies.national!)).status, 400);
    assert.equal((await post('/kantor/kalender/0/tolak', cookies.national!, { reason: 'Tidak jelas' })).status, 400);
    assert.equal((await post('/kantor/kalender/99999999999999999999/setujui', cookies.national!)).status, 400);
    const missing = await post('/kantor/kalender/987654/setujui', cookies.national!);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /tidak ditemukan/);
    assert.equal((await get('/kantor/kalender?status=unknown', cookies.national!)).status, 400);
    assert.equal((await get('/kantor/kalender?page=-1', cookies.national!)).status, 400);
    assert.equal((await get('/kantor/kalender?page=2', cookies.national!)).status, 200);
  });
});

describe('users', () => {
  test('a national admin sees every account; an agency admin only its body’s and units’', async () => {
    const all = await (await get('/kantor/pengguna', cookies.national!)).text();
    assert.match(all, /<h1>Pengguna dan peran<\/h1>/);
    const scoped = await (await get(`/kantor/pengguna?q=${encodeURIComponent(otherAgency.name)}`, cookies.agency!)).text();
    assert.match(scoped, /<p role="status">0 akun<\/p>/, 'another body’s admin is not in scope');
    const unitRow = await (await get(`/kantor/pengguna?q=${encodeURIComponent(unit.name)}`, cookies.agency!)).text();
    assert.match(unitRow, new RegExp(unit.name));
    assert.match(unitRow, /Petugas unit/);
  });

  test('disable and enable through the forms; one’s own account has no form', async () => {
    const res = await post(`/kantor/pengguna/${unit.principal.userId}/nonaktifkan`, cookies.agency!);
    assert.equal(res.status, 200);
    assert.match(await res.text(), new RegExp(`Akun ${unit.name} dinonaktifkan`));
    const disabled = await (await get('/kantor/pengguna?status=disabled', cookies.national!)).text();
    assert.match(disabled, new RegExp(unit.name));
    assert.match(disabled, new RegExp(`action="/kantor/pengguna/${unit.principal.userId}/aktifkan\\?status=disabled"`));
    const enabled = await post(`/kantor/pengguna/${unit.principal.userId}/aktifkan?lang=en`, cookies.national!);
    assert.equal(enabled.status, 200);
    assert.match(await enabled.text(), /account is enabled again/);
    const rows = await t.deps.db.query<{ disabled_at: Date | null }>('SELECT disabled_at FROM users WHERE id = $1', [
      unit.principal.userId,
    ]);
    assert.equal(rows[0]!.disabled_at, null);

    const self = await get(`/kantor/pengguna?q=${encodeURIComponent(national.name)}`, cookies.national!);
    assert.match(await self.text(), /Akun Anda/);
    const selfPost = await post(`/kantor/pengguna/${national.principal.userId}/nonaktifkan`, cookies.national!);
    assert.equal(selfPost.status, 403);
    assert.match(await selfPost.text(), /tidak dapat menonaktifkan akun sendiri/);
  });

  test('out of scope, unknown and bad ids; bad filters by their fields', async () => {
    assert.equal((await post(`/kantor/pengguna/${otherAgency.principal.userId}/nonaktifkan`, cookies.agency!)).status, 404);
    assert.equal((await post('/kantor/pengguna/9999999/aktifkan', cookies.national!)).status, 404);
    assert.equal((await post('/kantor/pengguna/x1/aktifkan', cookies.national!)).status, 400);
    const bad = await get(`/kantor/pengguna?role=raja&status=x&q=${'a'.repeat(101)}`, cookies.national!);
    assert.equal(bad.status, 400);
    const page = await bad.text();
    assert.match(page, /id="f-role-error">Peran tidak dikenal</);
    assert.match(page, /id="f-status-error">Status tidak dikenal</);
    assert.match(page, /id="f-q-error">Paling banyak 100 karakter</);
  });
});

describe('the identity audit log', () => {
  test('who looked at which report’s reporter, when and why; filters checked by field', async () => {
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ anonymous: true }) });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.body.trackingId as string;
    const reason = 'Pelapor mengancam petugas; diperlukan untuk laporan polisi.';
    const look = await t.request('POST', `/api/v1/reports/${id}/identity`, { token: national.token, json: { reason } });
    assert.equal(look.status, 200, look.text);

    const res = await get(`/kantor/audit?trackingId=${id}`, cookies.monitor!);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, new RegExp(reason));
    assert.match(page, new RegExp(national.name));
    assert.match(page, new RegExp(`href="/kantor/laporan/${id}"`));
    assert.match(await (await get('/kantor/audit?lang=en', cookies.national!)).text(), /Reporter identity access log/);

    const bad = await get('/kantor/audit?trackingId=zz&from=2026-02-30&to=kemarin', cookies.national!);
    assert.equal(bad.status, 400);
    const errors = await bad.text();
    assert.match(errors, /id="f-trackingId-error">Bukan kode pelacakan/);
    assert.match(errors, /id="f-from-error">Tanggal seperti/);
    assert.match(errors, /id="f-to-error">Tanggal seperti/);
    const backwards = await get('/kantor/audit?from=2026-11-30&to=2026-11-01', cookies.national!);
    assert.equal(backwards.status, 400);
    assert.equal((await get('/kantor/audit?page=abc', cookies.national!)).status, 400);
  });
});
