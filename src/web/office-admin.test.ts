/**
 * The back office's admin pages over HTTP: who may see each (a 403 page for the others, the nav
 * links only for them), calendar change requests decided through forms (an approval applies and
 * moves a deadline, with the count in the notice; a rejection needs a reason; an agency admin
 * reads its own layer's requests only) and days proposed or removed through forms, accounts made,
 * moved to another role and disabled in scope with their history, bodies and units, categories,
 * the identity audit log; bad ids, filters and garbage in every form as 400/404 pages, never a
 * 500, with each error next to its field in the reader's language.
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
    ['/kantor/instansi', { national: 200, agency: 303, unit: 403, monitor: 403, citizen: 403 }],
    ['/kantor/kategori', { national: 200, agency: 200, unit: 403, monitor: 403, citizen: 403 }],
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
      return ['/kantor/kalender', '/kantor/pengguna', '/kantor/instansi', '/kantor/kategori', '/kantor/audit'].filter((p) =>
        page.includes(`href="${p}"`),
      );
    };
    assert.deepEqual(await links('national'), [
      '/kantor/kalender',
      '/kantor/pengguna',
      '/kantor/instansi',
      '/kantor/kategori',
      '/kantor/audit',
    ]);
    assert.deepEqual(await links('agency'), ['/kantor/kalender', '/kantor/pengguna', '/kantor/instansi', '/kantor/kategori']);
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

describe('bodies and units', () => {
  test('an agency admin lands on its own body, adds a unit and a unit under it; the path runs from the top down', async () => {
    const landing = await get('/kantor/instansi?lang=en', cookies.agency!);
    assert.equal(landing.status, 303);
    assert.equal(landing.headers.get('location'), `/kantor/instansi/${pontianak}?lang=en`);
    const page = await (await get(`/kantor/instansi/${pontianak}`, cookies.agency!)).text();
    assert.match(page, /<h1>Pemerintah Kota Pontianak<\/h1>/);
    assert.match(page, /Dinas Pekerjaan Umum dan Penataan Ruang/);
    assert.doesNotMatch(page, /action="\/kantor\/instansi\/\d+\/nama"/, 'its own body’s name is the national admins’');

    const made = await post(`/kantor/instansi/${pontianak}/unit`, cookies.agency!, {
      name: 'Dinas Arsip dan Perpustakaan',
      slug: 'dinas-arsip',
    });
    assert.equal(made.status, 200);
    const notice = await made.text();
    assert.match(notice, /Unit Dinas Arsip dan Perpustakaan \(pemkot-61\.71\/dinas-arsip\) dibuat di bawah Pemerintah Kota Pontianak/);
    const unitId = await t.bodyId(`${PONTIANAK}/dinas-arsip`);
    assert.match(notice, new RegExp(`href="/kantor/pengguna\\?bodyId=${unitId}#buat-akun"`));
    const sub = await post(`/kantor/instansi/${pontianak}/unit`, cookies.agency!, {
      parent: String(unitId),
      name: 'Bidang Arsip Statis',
      slug: 'arsip-statis',
    });
    assert.equal(sub.status, 200);
    const rows = await t.deps.db.query<{ path: number[]; parent_id: number; time_zone: string }>(
      'SELECT path, parent_id, time_zone FROM bodies WHERE code = $1',
      [`${PONTIANAK}/dinas-arsip/arsip-statis`],
    );
    assert.deepEqual(rows[0]!.path.map(Number), [pontianak, unitId, await t.bodyId(`${PONTIANAK}/dinas-arsip/arsip-statis`)]);
    assert.equal(rows[0]!.parent_id, unitId);

    const renamed = await post(`/kantor/instansi/${unitId}/nama?lang=en`, cookies.agency!, { name: 'Dinas Kearsipan' });
    assert.equal(renamed.status, 200);
    assert.match(await renamed.text(), /Renamed from “Dinas Arsip dan Perpustakaan” to “Dinas Kearsipan”/);
    // a unit with a unit below it stays until that one goes
    const refused = await post(`/kantor/instansi/${unitId}/nonaktifkan`, cookies.agency!);
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /Belum dapat dinonaktifkan: masih ada 1 unit aktif di bawahnya/);
    const subId = await t.bodyId(`${PONTIANAK}/dinas-arsip/arsip-statis`);
    const off = await post(`/kantor/instansi/${subId}/nonaktifkan`, cookies.agency!);
    assert.equal(off.status, 200);
    assert.match(await off.text(), /Bidang Arsip Statis dinonaktifkan: tidak lagi ditawarkan/);
  });

  test('another body’s units are 404 pages, for every read and every form; its own body cannot be renamed', async () => {
    const metroPupr = await t.bodyId('pemkot-18.72/dinas-pupr');
    const metro = await t.bodyId('pemkot-18.72');
    for (const res of [
      await get(`/kantor/instansi/${metroPupr}`, cookies.agency!),
      await get(`/kantor/instansi/${metro}`, cookies.agency!),
      await post(`/kantor/instansi/${metroPupr}/nama`, cookies.agency!, { name: 'Diambil alih' }),
      await post(`/kantor/instansi/${metroPupr}/nonaktifkan`, cookies.agency!),
      await post(`/kantor/instansi/${metro}/unit`, cookies.agency!, { name: 'Dinas Baru', slug: 'dinas-baru' }),
    ]) {
      assert.equal(res.status, 404);
      const page = await res.text();
      assert.match(page, /Instansi tidak ditemukan/);
      assert.doesNotMatch(page, /Metro/);
    }
    // a parent from another body, given to its own page's form
    const smuggled = await post(`/kantor/instansi/${pontianak}/unit`, cookies.agency!, {
      parent: String(metroPupr),
      name: 'Bidang Baru',
      slug: 'bidang-baru',
    });
    assert.equal(smuggled.status, 400);
    assert.match(await smuggled.text(), /id="unit-parent-error">Induk tidak dikenal</);
    assert.equal((await t.deps.db.query('SELECT 1 FROM bodies WHERE code LIKE $1', ['%bidang-baru'])).length, 0);
    const own = await post(`/kantor/instansi/${pontianak}/nama`, cookies.agency!, { name: 'Kota Baru' });
    assert.equal(own.status, 403);
    assert.equal(
      (await post('/kantor/instansi', cookies.agency!, { code: 'x-agency', name: 'Instansi', kind: 'agency', timeZone: 'Asia/Jakarta' }))
        .status,
      403,
    );
  });

  test('a national admin finds bodies by name, kind and region, adds one, and sees each error at its field', async () => {
    const found = await (await get('/kantor/instansi?q=Pontianak&kind=city', cookies.national!)).text();
    assert.match(found, /<p role="status">1 instansi<\/p>/);
    assert.match(found, new RegExp(`href="/kantor/instansi/${pontianak}"`));
    const bad = await get(`/kantor/instansi?kind=raja&region=abc&status=x&q=${'a'.repeat(101)}&page=0`, cookies.national!);
    assert.equal(bad.status, 400);
    const errors = await bad.text();
    for (const name of ['kind', 'region', 'status', 'q']) assert.match(errors, new RegExp(`id="f-${name}-error"`), name);

    const wrong = await post('/kantor/instansi?lang=en', cookies.national!, {
      code: 'pemkot-uji',
      name: 'Pemerintah Kota Uji',
      kind: 'city',
      regionCode: '73.71',
      timeZone: 'Asia/Jakarta',
    });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /id="tambah-timeZone-error">This region keeps WITA \(Asia\/Makassar\)</);
    const made = await post('/kantor/instansi', cookies.national!, {
      code: 'pemkot-uji',
      name: 'Pemerintah Kota Uji',
      kind: 'city',
      regionCode: '73.71',
      timeZone: 'Asia/Makassar',
    });
    assert.equal(made.status, 200);
    assert.match(await made.text(), /Instansi Pemerintah Kota Uji \(pemkot-uji\) ditambahkan: Pemerintah kota, Kota Makassar, WITA/);
    const taken = await post('/kantor/instansi', cookies.national!, {
      code: 'pemkot-uji',
      name: 'Lagi',
      kind: 'agency',
      timeZone: 'Asia/Jakarta',
    });
    assert.equal(taken.status, 409);
    assert.match(await taken.text(), /id="tambah-code-error">Kode sudah dipakai</);
  });
});

describe('categories', () => {
  test('a national admin adds a national category; an agency admin a sub-category of its own, then renames and retires it', async () => {
    const top = await post('/kantor/kategori', cookies.national!, { name: 'Kebencanaan', nameEn: 'Disasters', code: 'kebencanaan' });
    assert.equal(top.status, 200);
    assert.match(await top.text(), /Kategori “Kebencanaan” \(kebencanaan\) ditambahkan sebagai kategori utama/);
    const infra = (await t.deps.db.query<{ id: number }>("SELECT id FROM categories WHERE code = 'infrastruktur'"))[0]!.id;
    const own = await post('/kantor/kategori?lang=en', cookies.agency!, {
      parentId: String(infra),
      name: 'Parit Kota',
      nameEn: 'City ditches',
      code: 'parit-kota',
    });
    assert.equal(own.status, 200);
    assert.match(
      await own.text(),
      /The category “City ditches” \(pemkot-61\.71:infrastruktur\.parit-kota\) is added under Infrastructure, owned by Pemerintah Kota Pontianak/,
    );
    const id = (await t.deps.db.query<{ id: number }>("SELECT id FROM categories WHERE code = 'pemkot-61.71:infrastruktur.parit-kota'"))[0]!
      .id;

    const list = await (await get('/kantor/kategori?owner=own', cookies.agency!)).text();
    assert.match(list, new RegExp(`href="/kantor/kategori/${id}"`));
    const renamed = await post(`/kantor/kategori/${id}`, cookies.agency!, {
      name: 'Parit dan Selokan Kota',
      nameEn: 'City ditches and drains',
    });
    assert.equal(renamed.status, 200);
    assert.match(await renamed.text(), /Nama diubah: “Parit Kota” menjadi “Parit dan Selokan Kota”/);
    const retired = await post(`/kantor/kategori/${id}/nonaktifkan`, cookies.agency!);
    assert.match(await retired.text(), /dinonaktifkan: tidak lagi ditawarkan untuk laporan baru/);
    const [row] = await t.deps.db.query<{ active: boolean; name_en: string }>('SELECT active, name_en FROM categories WHERE id = $1', [id]);
    assert.deepEqual(row, { active: false, name_en: 'City ditches and drains' });

    // a national category: read-only for the agency admin; another body's: 404
    const jalan = (await t.deps.db.query<{ id: number }>("SELECT id FROM categories WHERE code = 'infrastruktur.jalan'"))[0]!.id;
    const readOnly = await (await get(`/kantor/kategori/${jalan}`, cookies.agency!)).text();
    assert.match(readOnly, /Kategori nasional diatur oleh admin nasional/);
    assert.doesNotMatch(readOnly, /id="nama"/);
    assert.equal((await post(`/kantor/kategori/${jalan}`, cookies.agency!, { name: 'Jalan Kami', nameEn: 'Our roads' })).status, 403);
    assert.equal((await get(`/kantor/kategori/${id}`, cookies.otherAgency!)).status, 404);
    assert.equal((await post(`/kantor/kategori/${id}/aktifkan`, cookies.otherAgency!)).status, 404);
  });

  test('errors at their fields, in the reader’s language', async () => {
    const res = await post('/kantor/kategori?lang=en', cookies.agency!, { name: '', nameEn: 'x'.repeat(500), code: 'Bukan Kode' });
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /id="tambah-name-error">Required</);
    assert.match(page, /id="tambah-nameEn-error">At most 120 characters</);
    assert.match(page, /id="tambah-code-error">Lower-case letters/);
    assert.match(page, /id="tambah-parentId-error">Choose the national category it goes under</);
  });
});

describe('making accounts and changing roles', () => {
  test('an agency admin makes an officer for one of its units: no password anywhere, a link by email, the account’s page', async () => {
    const bina = await t.bodyId(`${PUPR}/bina-marga`);
    const prefilled = await (await get(`/kantor/pengguna?bodyId=${bina}`, cookies.agency!)).text();
    assert.match(prefilled, new RegExp(`<option value="${bina}" selected>`));
    assert.match(prefilled, /<option value="unit_officer" selected>/);
    assert.doesNotMatch(prefilled, /Metro/, 'no other body’s units to choose');

    const res = await post('/kantor/pengguna', cookies.agency!, {
      name: 'Rina Petugas',
      email: 'rina.binamarga@test.lapor.go.id',
      phone: '',
      role: 'unit_officer',
      body: String(bina),
    });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(
      page,
      /Akun Rina Petugas dibuat: Petugas unit · Bidang Bina Marga\. Tautan untuk membuat kata sandi dikirim ke rina\.binamarga@test\.lapor\.go\.id/,
    );
    assert.doesNotMatch(page, /argon2|password_hash|kata sandi awal/i);
    const [made] = await t.deps.db.query<{ id: number; password_hash: string | null; body_id: number }>(
      "SELECT id, password_hash, body_id FROM users WHERE email = 'rina.binamarga@test.lapor.go.id'",
    );
    assert.equal(made!.password_hash, null);
    assert.equal(made!.body_id, bina);
    const mail = await t.deps.db.query("SELECT 1 FROM outbox WHERE recipient_user_id = $1 AND template = 'account.invitation'", [made!.id]);
    assert.equal(mail.length, 1);

    const account = await (await get(`/kantor/pengguna/${made!.id}`, cookies.agency!)).text();
    assert.match(account, /<h1>Rina Petugas<\/h1>/);
    assert.match(account, /Dibuat<\/td>\s*<td>Petugas unit \(Bidang Bina Marga\); tautan kata sandi dikirim ke emailnya/);
    assert.equal((await get(`/kantor/pengguna/${made!.id}`, cookies.otherAgency!)).status, 404);
  });

  test('the form’s errors at their fields: a role it may not give, another body’s unit, a taken email', async () => {
    const metroPupr = await t.bodyId('pemkot-18.72/dinas-pupr');
    const foreign = await post('/kantor/pengguna', cookies.agency!, {
      name: 'Penyusup',
      email: 'penyusup@test.lapor.go.id',
      role: 'unit_officer',
      body: String(metroPupr),
    });
    assert.equal(foreign.status, 400);
    assert.match(await foreign.text(), /id="buat-body-error">Instansi tidak dikenal</);
    const above = await post('/kantor/pengguna?lang=en', cookies.agency!, {
      name: 'Atasan',
      email: 'atasan@test.lapor.go.id',
      role: 'national_admin',
      body: '',
    });
    assert.equal(above.status, 400);
    assert.match(await above.text(), /id="buat-role-error">You cannot give this role</);
    const taken = await post('/kantor/pengguna', cookies.national!, { name: 'Kembar', email: agency.email, role: 'monitor', body: '' });
    assert.equal(taken.status, 409);
    assert.match(await taken.text(), /id="buat-email-error">sudah terdaftar</);
    const unknownCode = await post('/kantor/pengguna', cookies.national!, {
      name: 'Baru',
      email: 'baru.kode@test.lapor.go.id',
      role: 'agency_admin',
      body: 'pemkot-99.99',
    });
    assert.equal(unknownCode.status, 400);
    assert.match(await unknownCode.text(), /id="buat-body-error">Kode instansi tidak dikenal/);
    const none = await post('/kantor/pengguna', cookies.national!, {});
    assert.equal(none.status, 400);
    const page = await none.text();
    for (const name of ['name', 'email', 'role']) assert.match(page, new RegExp(`id="buat-${name}-error"`), name);
  });

  test('a national admin moves an officer to another unit by code: its sessions end, its history says so', async () => {
    const officer = await t.user('unit_officer', PUPR);
    const res = await post(`/kantor/pengguna/${officer.principal.userId}/peran`, cookies.national!, {
      role: 'unit_officer',
      body: `${PONTIANAK}/dinkes`,
    });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(
      page,
      new RegExp(
        `Peran ${officer.name} diubah dari Petugas unit \\(Dinas Pekerjaan Umum dan Penataan Ruang\\) menjadi Petugas unit \\(Dinas Kesehatan\\); 1 sesinya berakhir`,
      ),
    );
    assert.match(
      page,
      /Peran diubah<\/td>\s*<td>Petugas unit \(Dinas Pekerjaan Umum dan Penataan Ruang\) → Petugas unit \(Dinas Kesehatan\); 1 sesi berakhir/,
    );
    assert.equal((await t.request('GET', '/api/v1/me', { token: officer.token })).status, 401);

    // nobody changes their own role, even through a hand-made form
    const self = await post(`/kantor/pengguna/${agency.principal.userId}/peran`, cookies.agency!, {
      role: 'agency_admin',
      body: String(pontianak),
    });
    assert.equal(self.status, 403);
    assert.match(await self.text(), /tidak dapat mengubah peran akun sendiri/);
    const ownPage = await (await get(`/kantor/pengguna/${agency.principal.userId}`, cookies.agency!)).text();
    assert.match(ownPage, /Ini akun Anda/);
    assert.doesNotMatch(ownPage, /id="peran"/);
    // from the account's page, disabling comes back to it
    const disabled = await post(`/kantor/pengguna/${officer.principal.userId}/nonaktifkan`, cookies.national!, { back: 'akun' });
    assert.match(await disabled.text(), new RegExp(`<h1>${officer.name}</h1>`));
  });
});

describe('calendar days through the forms', () => {
  test('an agency admin proposes a day off and its removal; the national admin edits the national calendar at once', async () => {
    const asked = await post('/kantor/kalender/hari', cookies.agency!, {
      layer: `body:${pontianak}`,
      date: '2026-10-23',
      kind: 'regional',
      name: 'Hari Jadi Kota Pontianak',
      reason: 'Perwali 12/2026',
    });
    assert.equal(asked.status, 200);
    const page = await asked.text();
    const id =
      /Permintaan #(\d+) dikirim: tambah 23 Oktober 2026: Hari Jadi Kota Pontianak \(libur daerah\) di kalender Pemerintah Kota Pontianak/.exec(
        page,
      );
    assert.ok(id, 'the notice names the request');
    assert.equal(await requestStatus(Number(id[1])), 'pending');
    assert.equal((await post(`/kantor/kalender/${id[1]}/setujui`, cookies.national!)).status, 200);
    const day = (
      await t.deps.db.query<{ id: number }>("SELECT id FROM calendar_days WHERE scope_key = $1 AND date = '2026-10-23'", [
        `body:${pontianak}`,
      ])
    )[0]!.id;
    const listed = await (await get('/kantor/kalender', cookies.agency!)).text();
    assert.match(listed, new RegExp(`action="/kantor/kalender/hari/${day}/hapus"`));
    const removal = await post(`/kantor/kalender/hari/${day}/hapus?lang=en`, cookies.agency!, { reason: 'Dipindah' });
    assert.match(
      await removal.text(),
      /Request #\d+ sent: remove 23 October 2026: Hari Jadi Kota Pontianak \(regional day off\) from the calendar of Pemerintah Kota Pontianak/,
    );
    assert.equal((await t.deps.db.query('SELECT 1 FROM calendar_days WHERE id = $1', [day])).length, 1, 'still there until approved');
    // another body's day is not this admin's to touch
    assert.equal((await post(`/kantor/kalender/hari/${day}/hapus`, cookies.otherAgency!)).status, 403);

    const added = await post('/kantor/kalender/hari?year=2027', cookies.national!, {
      layer: 'national',
      date: '2027-03-10',
      kind: 'holiday',
      name: 'Hari Libur Uji',
    });
    assert.equal(added.status, 200);
    const addedPage = await added.text();
    assert.match(
      addedPage,
      /10 Maret 2027: Hari Libur Uji \(libur nasional\) ditambahkan ke kalender nasional dan berlaku; \d+ batas waktu bergeser/,
    );
    const nationalDay = (
      await t.deps.db.query<{ id: number }>("SELECT id FROM calendar_days WHERE scope_key = 'national' AND date = '2027-03-10'")
    )[0]!.id;
    const removed = await post(`/kantor/kalender/hari/${nationalDay}/hapus?year=2027`, cookies.national!);
    assert.match(await removed.text(), /10 Maret 2027: Hari Libur Uji \(libur nasional\) dihapus dari kalender nasional/);
  });

  test('a province government’s admin chooses between its body’s calendar and its province’s', async () => {
    const bali = await t.user('agency_admin', 'pemprov-51');
    const cookie = await cookieOf(bali);
    const page = await (await get('/kantor/kalender?layer=province:51', cookie)).text();
    assert.match(page, /<option value="province:51" selected>Bali<\/option>/);
    assert.match(page, /Hari libur Bali 2026/);
    const asked = await post('/kantor/kalender/hari?layer=province:51', cookie, {
      layer: 'province:51',
      date: '2026-12-02',
      kind: 'regional',
      name: 'Hari Raya Galungan',
    });
    assert.equal(asked.status, 200);
    assert.match(
      await asked.text(),
      /Permintaan #\d+ dikirim: tambah 2 Desember 2026: Hari Raya Galungan \(libur daerah\) di kalender Bali/,
    );
    // not another province's
    assert.equal((await get('/kantor/kalender?layer=province:61', cookie)).status, 400);
    assert.equal(
      (await post('/kantor/kalender/hari', cookie, { layer: 'province:61', date: '2026-12-02', kind: 'regional', name: 'Libur' })).status,
      400,
    );
  });

  test('each error at its field, in the reader’s language; an unknown layer or year is a 400 page', async () => {
    const res = await post('/kantor/kalender/hari?lang=en', cookies.agency!, {
      layer: `body:${pontianak}`,
      date: '2026-02-30',
      kind: 'raja',
      name: '',
    });
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /id="hari-date-error">A date like 2026-12-28</);
    assert.match(page, /id="hari-kind-error">Unknown kind of day</);
    assert.match(page, /id="hari-name-error">Required</);
    const weekday = await post('/kantor/kalender/hari', cookies.agency!, {
      layer: `body:${pontianak}`,
      date: '2026-11-25',
      kind: 'workday',
      name: 'Kerja',
    });
    assert.match(await weekday.text(), /id="hari-kind-error">Hari kerja pengganti hanya untuk Sabtu atau Minggu</);
    assert.equal(
      (await post('/kantor/kalender/hari', cookies.agency!, { layer: 'national', date: '2026-11-26', kind: 'holiday', name: 'Libur' }))
        .status,
      400,
    );
    assert.equal((await get('/kantor/kalender?layer=body:1', cookies.agency!)).status, 400);
    assert.equal((await get('/kantor/kalender?year=99', cookies.agency!)).status, 400);
    assert.equal((await post('/kantor/kalender/hari/abc/hapus', cookies.agency!)).status, 400);
    assert.equal((await post('/kantor/kalender/hari/987654/hapus', cookies.agency!)).status, 404);
  });
});

describe('garbage in every form', () => {
  test('missing fields, huge strings, non-numeric ids, unknown kinds: a 4xx page, never a 500', async () => {
    const huge = 'x'.repeat(60_000);
    const garbage: Record<string, string>[] = [
      {},
      {
        name: huge,
        nameEn: huge,
        code: huge,
        slug: huge,
        email: huge,
        phone: huge,
        role: huge,
        body: huge,
        parent: huge,
        parentId: huge,
        date: huge,
        kind: huge,
        reason: huge,
        layer: huge,
        regionCode: huge,
        timeZone: huge,
      },
      {
        name: '',
        nameEn: '<script>alert(1)</script>',
        code: '<script>alert(1)</script>',
        email: '<script>alert(1)</script>',
        role: 'raja',
        kind: 'raja',
        body: '-1',
        parent: '1e9',
        parentId: 'abc',
        date: 'kemarin',
        layer: 'body:x',
        timeZone: 'Mars/Olympus',
      },
    ];
    const targets = [
      '/kantor/instansi',
      `/kantor/instansi/${pontianak}/unit`,
      `/kantor/instansi/${pontianak}/nama`,
      '/kantor/instansi/abc/unit',
      '/kantor/instansi/99999999999999999999/nama',
      '/kantor/kategori',
      '/kantor/kategori/abc',
      '/kantor/kategori/1',
      '/kantor/pengguna',
      `/kantor/pengguna/${unit.principal.userId}/peran`,
      '/kantor/pengguna/x/peran',
      '/kantor/kalender/hari',
      '/kantor/kalender/hari/1e3/hapus',
    ];
    for (const who of ['national', 'agency'] as const) {
      for (const target of targets) {
        for (const fields of garbage) {
          const res = await post(target, cookies[who]!, fields);
          assert.ok(res.status >= 400 && res.status < 500, `${who} ${target} ${Object.keys(fields).join(',') || '{}'}: ${res.status}`);
          const page = await res.text();
          assert.doesNotMatch(page, /<script>alert/, 'escaped');
        }
      }
    }
  });
});
