/**
 * The back office over HTTP: who gets in, the scope of the inbox and the workspace (another body's
 * admin gets a 404), the inbox's order (overdue first, then the nearest deadline), the action
 * forms with bad input (400 pages, never a 500), and the answer check before sending.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';
import { openSession } from '../features/accounts/accounts.service.ts';
import { listInbox, listInboxWithDeadlines } from '../features/reports/reports.service.ts';

const PDF = fs.readFileSync(path.resolve(import.meta.dirname, '../../test/fixtures/attachments/document.pdf'));
const PONTIANAK = 'pemkot-61.71';
const PUPR = 'pemkot-61.71/dinas-pupr';
const PROMISE = 'Laporan Bapak sudah kami terima dan akan segera kami tindak lanjuti sesuai prosedur yang berlaku.';

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
let agency: TestUser;
let otherAgency: TestUser;
let unit: TestUser;
const cookies: Record<string, string> = {};

const cookieOf = async (user: TestUser) =>
  `lapor_session=${(await openSession(t.deps.db, t.deps.config, user.principal.userId, 'cookie', t.deps.now())).token}`;
const get = (url: string, who: string) => t.app.request(url, { headers: { cookie: who }, redirect: 'manual' });
const post = (url: string, who: string, fields: Record<string, string> | FormData) =>
  t.app.request(url, {
    method: 'POST',
    headers: {
      origin: 'http://localhost',
      cookie: who,
      ...(fields instanceof FormData ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    body: fields instanceof FormData ? fields : new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

async function api(user: TestUser, id: string, action: string, body: Record<string, unknown> | FormData = {}) {
  const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, {
    token: user.token,
    ...(body instanceof FormData ? { form: body } : { json: body }),
  });
  assert.equal(res.status, 200, `${action}: ${res.text}`);
}

async function file(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput(overrides) });
  assert.equal(res.status, 201, res.text);
  return res.body.trackingId as string;
}

/** A report verified, routed to Pontianak and dispositioned to its PU unit, through the API. */
async function atUnit(overrides: Record<string, unknown> = {}): Promise<string> {
  const id = await file(overrides);
  await api(national, id, 'verify', { resolutionClass: 14 });
  await api(national, id, 'route', { bodyId: await t.bodyId(PONTIANAK) });
  await api(agency, id, 'disposition', { unitId: await t.bodyId(PUPR) });
  return id;
}

before(async () => {
  t = await startTestApp({ cookieSecure: false });
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', PONTIANAK);
  otherAgency = await t.user('agency_admin', 'pemkot-18.72');
  unit = await t.user('unit_officer', PUPR);
  for (const [k, u] of Object.entries({ citizen, national, agency, otherAgency, unit })) cookies[k] = await cookieOf(u);
});
after(() => t.close());

describe('who may enter the back office', () => {
  test('signed out: to the sign-in page, coming back to the same address', async () => {
    const res = await get('/kantor?status=submitted', '');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/masuk?next=${encodeURIComponent('/kantor?status=submitted')}`);
    const ws = await get('/kantor/laporan/7KMX3PRA', '');
    assert.equal(ws.status, 303);
    assert.match(ws.headers.get('location') ?? '', /^\/masuk\?next=%2Fkantor%2Flaporan%2F7KMX3PRA$/);
  });

  test('a reporter gets a 403 page, in either language', async () => {
    const res = await get('/kantor', cookies.citizen!);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Khusus petugas/);
    const en = await get('/kantor?lang=en', cookies.citizen!);
    assert.equal(en.status, 403);
    assert.match(await en.text(), /Staff only/);
  });

  test('staff get their inbox, never cached, with the keyboard script at a hashed immutable address', async () => {
    const res = await get('/kantor', cookies.national!);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    const page = await res.text();
    assert.match(page, /<h1>Kotak masuk<\/h1>/);
    assert.match(page, /<kbd>j<\/kbd>/);
    const script = /<script src="(\/assets\/office\.[0-9a-f]{10}\.js)" defer><\/script>/.exec(page)?.[1];
    assert.ok(script, 'the script tag');
    const js = await get(script, '');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.doesNotMatch(page, /<script>/, 'no inline script');
    assert.doesNotMatch(page, /style=/, 'no inline style');
    assert.match(await (await get('/kantor?lang=en', cookies.national!)).text(), /<h1>Inbox<\/h1>/);
  });
});

describe('scope: the inbox and the workspace show only what is this staff member’s', () => {
  test('another body’s admin gets a 404 on the workspace and does not see the report in its inbox', async () => {
    const id = await atUnit({ title: 'Saluran air tersumbat di Gang Mawar', secret: true });
    assert.equal((await get(`/kantor/laporan/${id}`, cookies.agency!)).status, 200);
    assert.equal((await get(`/kantor/laporan/${id}`, cookies.unit!)).status, 200);
    const other = await get(`/kantor/laporan/${id}`, cookies.otherAgency!);
    assert.equal(other.status, 404);
    assert.doesNotMatch(await other.text(), /Saluran air tersumbat/);
    assert.doesNotMatch(await (await get('/kantor', cookies.otherAgency!)).text(), /Saluran air tersumbat/);
    // a public report read as the public is still not the other body's workspace, nor can it act
    const open = await atUnit({ title: 'Trotoar amblas di Jl. Sudirman' });
    assert.equal((await get(`/kantor/laporan/${open}`, cookies.otherAgency!)).status, 404);
    const acted = await post(`/kantor/laporan/${open}/tindakan`, cookies.otherAgency!, { aksi: 'follow_up', message: 'Coba' });
    assert.equal(acted.status, 404);
  });

  test('an anonim reporter’s name and an attachment’s original name never reach a body’s workspace', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(reportInput({ title: 'Pungli di loket KTP', anonymous: 'true' }))) form.set(k, String(v));
    form.append('attachments', new File([PDF], 'KTP Budi Santoso.pdf', { type: 'application/pdf' }));
    const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, form });
    assert.equal(res.status, 201, res.text);
    const id = res.body.trackingId as string;
    await api(national, id, 'verify', { resolutionClass: 14 });
    await api(national, id, 'route', { bodyId: await t.bodyId(PONTIANAK) });
    await api(agency, id, 'disposition', { unitId: await t.bodyId(PUPR) });
    for (const who of ['agency', 'unit', 'national']) {
      const page = await (await get(`/kantor/laporan/${id}`, cookies[who]!)).text();
      assert.match(page, /Pelapor anonim/, who);
      assert.ok(!page.includes(citizen.name), `${who} sees the reporter's name`);
      assert.ok(!page.includes(citizen.email), `${who} sees the reporter's email`);
      assert.ok(!page.includes('Budi Santoso'), `${who} sees the original file name`);
      assert.match(page, /lampiran-1\.pdf/, who);
    }
  });
});

describe('the inbox: overdue first, then the nearest deadline', () => {
  test('the service orders by the nearest pending staff clock and flags the overdue; the API keeps newest first', async () => {
    const ordered = await startTestApp({ cookieSecure: false });
    try {
      const reporter = await ordered.user('reporter');
      const desk = await ordered.user('national_admin');
      const filed = async (title: string, at: string) => {
        ordered.setNow(at);
        const res = await ordered.request('POST', '/api/v1/reports', {
          token: reporter.token,
          json: reportInput({ title, incidentDate: '2026-10-30' }),
        });
        assert.equal(res.status, 201, res.text);
        return res.body.trackingId as string;
      };
      // Verification is due 3 working days after filing.
      const oldest = await filed('Laporan paling lama', '2026-11-02T03:00:00Z');
      const middle = await filed('Laporan pekan lalu', '2026-11-16T03:00:00Z');
      const fresh = await filed('Laporan hari ini', '2026-11-24T03:00:00Z');
      // On hold, its clocks paused: no deadline of staff's runs, so it comes last.
      const held = await filed('Laporan yang ditunda', '2026-11-03T03:00:00Z');
      const hold = await ordered.request('POST', `/api/v1/reports/${held}/hold`, {
        token: desk.token,
        json: { message: 'Mohon lengkapi alamat lokasi.' },
      });
      assert.equal(hold.status, 200, hold.text);
      // Routed today: its first follow-up is due in 5 working days, after the fresh one's verification.
      const routed = await filed('Laporan yang diteruskan', '2026-11-24T02:00:00Z');
      for (const [action, body] of [
        ['verify', { resolutionClass: 14 }],
        ['route', { bodyId: await ordered.bodyId(PONTIANAK) }],
      ] as const) {
        const res = await ordered.request('POST', `/api/v1/reports/${routed}/${action}`, { token: desk.token, json: body });
        assert.equal(res.status, 200, res.text);
      }
      ordered.setNow('2026-11-24T04:00:00Z');

      const list = await listInboxWithDeadlines(ordered.deps, desk.principal, { page: 1, perPage: 10 });
      assert.deepEqual(
        list.items.map((r) => r.trackingId),
        [oldest, middle, fresh, routed, held],
      );
      assert.equal(list.deadlines.get(oldest)?.overdue, true);
      assert.equal(list.deadlines.get(middle)?.overdue, true);
      assert.equal(list.deadlines.get(fresh)?.overdue, false);
      assert.equal(list.deadlines.get(fresh)?.kind, 'verification');
      assert.ok(list.deadlines.get(routed)?.kind === 'first_follow_up' || list.deadlines.get(routed)?.kind === 'resolution');
      assert.equal(list.deadlines.has(held), false, 'on hold, every clock of staff is paused');

      const overdue = await listInboxWithDeadlines(ordered.deps, desk.principal, { page: 1, perPage: 10, overdueOnly: true });
      assert.deepEqual(
        overdue.items.map((r) => r.trackingId),
        [oldest, middle],
      );
      assert.equal(overdue.total, 2);
      // the API's inbox is unchanged: newest first
      const api = await listInbox(ordered.deps, desk.principal, { page: 1, perPage: 10 });
      assert.equal(api.items[0]!.trackingId, fresh);

      // the page shows the same order, and the overdue view from the sweep's digest link
      const deskCookie = `lapor_session=${(await openSession(ordered.deps.db, ordered.deps.config, desk.principal.userId, 'cookie', ordered.deps.now())).token}`;
      const page = await (await ordered.app.request('/kantor', { headers: { cookie: deskCookie } })).text();
      const rows = [...page.matchAll(/href="\/kantor\/laporan\/([A-Z0-9]{8})"/g)].map((m) => m[1]);
      assert.deepEqual(rows, [oldest, middle, fresh, routed, held]);
      assert.match(page, /terlambat/);
      const late = await (await ordered.app.request('/kantor?lihat=terlambat', { headers: { cookie: deskCookie } })).text();
      assert.deepEqual(
        [...late.matchAll(/href="\/kantor\/laporan\/([A-Z0-9]{8})"/g)].map((m) => m[1]),
        [oldest, middle],
      );
      // paging keeps the filters in the address
      const paged = await ordered.app.request('/kantor?terlambat=1&page=2', { headers: { cookie: deskCookie } });
      assert.equal(paged.status, 200);
    } finally {
      await ordered.close();
    }
  });

  test('filters: status, classification and search narrow the list', async () => {
    const id = await file({ title: 'Antrean BPJS sangat panjang', classification: 'aspirasi' });
    const found = await (await get('/kantor?q=BPJS&classification=aspirasi&status=submitted', cookies.national!)).text();
    assert.match(found, new RegExp(`/kantor/laporan/${id}`));
    const none = await (await get('/kantor?q=BPJS&classification=pengaduan', cookies.national!)).text();
    assert.doesNotMatch(none, new RegExp(`/kantor/laporan/${id}`));
  });
});

describe('bad input answers a 400 page, never a 500', () => {
  test('the inbox: an unknown status or classification, a bad page, keywords too long', async () => {
    for (const q of ['status=bogus', 'classification=x', 'page=-1', 'page=abc', `q=${'a'.repeat(300)}`]) {
      const res = await get(`/kantor?${q}`, cookies.national!);
      assert.equal(res.status, 400, q);
      assert.match(await res.text(), /Permintaan tidak valid/, q);
    }
  });

  test('the workspace: a malformed or unknown tracking ID is a 404', async () => {
    for (const id of ['%00%00', 'x'.repeat(300), '7KMX3PRA', '%E2%80%AE']) {
      const res = await get(`/kantor/laporan/${id}`, cookies.national!);
      assert.equal(res.status, 404, id);
    }
  });

  test('action forms: an unknown action, bad choices and missing fields are 400 with the error by its field', async () => {
    const id = await file({ title: 'Jembatan kayu lapuk di Desa Sungai' });
    const at = `/kantor/laporan/${id}/tindakan`;
    const unknown = await post(at, cookies.national!, { aksi: 'delete_everything' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /Tindakan tidak dikenal/);
    const noAction = await post(at, cookies.national!, {});
    assert.equal(noAction.status, 400);

    const badClass = await post(at, cookies.national!, { aksi: 'verify', resolutionClass: '7', categoryId: 'abc' });
    assert.equal(badClass.status, 400);
    const page = await badClass.text();
    assert.match(page, /id="verify-rc-error"/);
    assert.match(page, /id="verify-category-error"/);
    assert.match(page, /aria-invalid="true"/);

    const shortTitle = await post(at, cookies.national!, { aksi: 'verify', resolutionClass: '14', title: 'abc' });
    assert.equal(shortTitle.status, 400);
    assert.match(await shortTitle.text(), /id="verify-title-error"/);

    const unknownCategory = await post(at, cookies.national!, { aksi: 'verify', resolutionClass: '14', categoryId: '999999' });
    assert.equal(unknownCategory.status, 400);

    const hold = await post(at, cookies.national!, { aksi: 'hold', message: '   ' });
    assert.equal(hold.status, 400);
    assert.match(await hold.text(), /id="hold-message-error"/);

    const longMessage = await post(at, cookies.national!, { aksi: 'hold', message: 'a'.repeat(10_001) });
    assert.equal(longMessage.status, 400);

    const nul = await post(at, cookies.national!, { aksi: 'hold', message: 'ada\u0000nul' });
    assert.equal(nul.status, 400);

    const notYet = await post(at, cookies.national!, { aksi: 'route', bodyId: String(await t.bodyId(PONTIANAK)) });
    assert.equal(notYet.status, 409, 'routing before verifying');
    assert.match(await notYet.text(), /diverifikasi dahulu/);

    const badBody = await post(at, cookies.national!, { aksi: 'route', bodyId: '12abc' });
    assert.equal(badBody.status, 400);

    const wrongType = await t.app.request(at, {
      method: 'POST',
      headers: { origin: 'http://localhost', cookie: cookies.national!, 'content-type': 'application/json' },
      body: '{"aksi":"verify"}',
    });
    assert.equal(wrongType.status, 415);
    const broken = await t.app.request(at, {
      method: 'POST',
      headers: { origin: 'http://localhost', cookie: cookies.national!, 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nbroken',
    });
    assert.ok(broken.status === 400, `broken multipart: ${broken.status}`);

    // nothing above changed the report
    const rows = await t.deps.db.query<{ status: string; verified_at: Date | null }>(
      'SELECT status, verified_at FROM reports WHERE tracking_id = $1',
      [id],
    );
    assert.deepEqual(rows[0], { status: 'submitted', verified_at: null });
  });

  test('disposition to a unit of another body, and forward without a target: 400 by the field', async () => {
    const id = await file({ title: 'Lampu lalu lintas mati di simpang' });
    await api(national, id, 'verify', { resolutionClass: 14 });
    await api(national, id, 'route', { bodyId: await t.bodyId(PONTIANAK) });
    const elsewhere = await post(`/kantor/laporan/${id}/tindakan`, cookies.agency!, {
      aksi: 'disposition',
      unitId: String(await t.bodyId('pemkot-18.72/dinas-pupr')),
    });
    assert.equal(elsewhere.status, 400);
    assert.match(await elsewhere.text(), /id="disposition-unit-error"/);
    const forward = await post(`/kantor/laporan/${id}/tindakan`, cookies.agency!, { aksi: 'forward', message: 'Bukan kewenangan kami.' });
    assert.equal(forward.status, 400);
    assert.match(await forward.text(), /id="forward-body-error"/);
  });
});

describe('actions answer with what changed', () => {
  test('verify, route and disposition in the back office; each notice names the status and the holder', async () => {
    const id = await file({ title: 'Sampah menumpuk di TPS Jl. Ahmad Yani' });
    const verify = await post(`/kantor/laporan/${id}/tindakan`, cookies.national!, { aksi: 'verify', resolutionClass: '14' });
    assert.equal(verify.status, 303);
    assert.equal(verify.headers.get('location'), `/kantor/laporan/${id}?selesai=verify#isi`);
    const after = await (await get(`/kantor/laporan/${id}?selesai=verify`, cookies.national!)).text();
    assert.match(after, /Laporan diverifikasi\..*Terverifikasi/s);

    const route = await post(`/kantor/laporan/${id}/tindakan`, cookies.national!, {
      aksi: 'route',
      bodyId: String(await t.bodyId(PONTIANAK)),
    });
    assert.equal(route.status, 303);
    const routed = await (await get(`/kantor/laporan/${id}?selesai=route&lang=en`, cookies.national!)).text();
    assert.match(
      routed,
      /Report routed\. Status now: <strong>Routed – not yet followed up<\/strong>; handled by: <strong>Pemerintah Kota Pontianak<\/strong>/,
    );

    const disposition = await post(`/kantor/laporan/${id}/tindakan`, cookies.agency!, {
      aksi: 'disposition',
      unitId: String(await t.bodyId(PUPR)),
    });
    assert.equal(disposition.status, 303);
    const rows = await t.deps.db.query<{ unit_id: number }>('SELECT unit_id FROM reports WHERE tracking_id = $1', [id]);
    assert.equal(rows[0]!.unit_id, await t.bodyId(PUPR));
  });

  test('a body’s admin only asks to archive; forwarding away answers on the inbox, since the report has left', async () => {
    const id = await file({ title: 'Bukan urusan pelayanan publik', suggestedBodyId: await t.bodyId(PONTIANAK) });
    const ask = await post(`/kantor/laporan/${id}/tindakan`, cookies.agency!, { aksi: 'archive', reason: 'not_public_service' });
    assert.equal(ask.status, 303);
    assert.match(ask.headers.get('location') ?? '', /selesai=archive_requested/);
    const status = await t.deps.db.query<{ status: string }>('SELECT status FROM reports WHERE tracking_id = $1', [id]);
    assert.equal(status[0]!.status, 'submitted');
    const desk = await (await get(`/kantor/laporan/${id}`, cookies.national!)).text();
    assert.match(desk, /name="aksi" value="confirm_archive"/);
    assert.match(desk, /name="aksi" value="reject_archive"/);

    const other = await atUnit({ title: 'Izin usaha yang salah alamat' });
    const away = await post(`/kantor/laporan/${other}/tindakan`, cookies.agency!, {
      aksi: 'forward',
      target: 'national',
      message: 'Bukan kewenangan pemerintah kota.',
    });
    assert.equal(away.status, 200);
    const page = await away.text();
    assert.match(page, /Laporan dialihkan\./);
    assert.match(page, /tidak lagi di kotak masuk Anda/);
    assert.match(page, /<h1>Kotak masuk<\/h1>/);
  });
});

describe('the body picker in the route and forward forms', () => {
  const at = (id: string) => `/kantor/laporan/${id}/tindakan`;
  const holder = async (id: string) =>
    (
      await t.deps.db.query<{ code: string | null }>(
        'SELECT b.code FROM reports r LEFT JOIN bodies b ON b.id = r.body_id WHERE r.tracking_id = $1',
        [id],
      )
    )[0]?.code;

  test('the route form: a text field with every body in its datalist, the reporter’s suggestion filled in and the region’s governments offered first', async () => {
    const id = await file({ title: 'Jalan rusak di Jl. Imam Bonjol', suggestedBodyId: await t.bodyId('kemenkes'), regionCode: '61.71.01' });
    await api(national, id, 'verify', { resolutionClass: 14 });
    const page = await (await get(`/kantor/laporan/${id}`, cookies.national!)).text();
    assert.match(page, /<input id="route-body" name="instansi" type="text" list="route-body-list" value="Kementerian Kesehatan"/);
    const options = [...page.matchAll(/<datalist id="route-body-list">([\s\S]*?)<\/datalist>/g)][0]![1]!;
    const names = [...options.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names.slice(0, 3), ['Kementerian Kesehatan', 'Pemerintah Kota Pontianak', 'Pemerintah Provinsi Kalimantan Barat']);
    const [{ n }] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bodies WHERE active AND kind NOT IN ('unit', 'ombudsman')`,
    );
    assert.equal(names.length, n, 'every body a report can go to, once');
    assert.ok(n > 500);
    assert.doesNotMatch(page, /<select id="route-body"/);
  });

  test('routing by typing part of a name; several matches come back as choices; no match, or garbage, is a field error, never a 500', async () => {
    const id = await file({ title: 'Pohon tumbang menutup jalan', regionCode: '61.71.01' });
    await api(national, id, 'verify', { resolutionClass: 14 });
    for (const [instansi, error] of [
      ['Dinas Perikanan Atlantis', /Tidak ada instansi yang cocok/],
      ['x'.repeat(201), /Paling banyak 200 karakter/],
      ['%', /Tidak ada instansi yang cocok|instansi cocok/],
      ["' OR 1=1 --", /Tidak ada instansi yang cocok/],
      ['<script>', /Tidak ada instansi yang cocok/],
    ] as const) {
      const res = await post(at(id), cookies.national!, { aksi: 'route', instansi });
      assert.equal(res.status, 400, instansi);
      const html = await res.text();
      assert.match(html, /id="route-body-error"/, instansi);
      assert.match(html, error, instansi);
      assert.ok(!html.includes('value="<script>"'), 'what was typed comes back escaped');
    }
    const invisible = await post(at(id), cookies.national!, { aksi: 'route', instansi: '\u200b\u200b' });
    assert.equal(invisible.status, 400, 'invisible characters only');
    for (const bodyId of ['999999999', '-3', '1e2', 'abc']) {
      const res = await post(at(id), cookies.national!, { aksi: 'route', instansi: 'pontianak', bodyId });
      assert.equal(res.status, 400, bodyId);
      assert.match(await res.text(), /Pilihan tidak valid/);
    }

    // several: the matches as radio buttons, the region's government first
    const several = await post(at(id), cookies.national!, { aksi: 'route', instansi: 'kalimantan' });
    assert.equal(several.status, 400);
    const html = await several.text();
    assert.match(html, /\d+ instansi cocok: pilih satu di bawah/);
    assert.match(html, /value="kalimantan"/, 'what was typed is kept');
    const radios = [
      ...html.matchAll(/<input type="radio" id="route-body-(\d+)" name="bodyId" value="\d+"><label for="route-body-\d+">([^<]+)</g),
    ];
    assert.ok(radios.length >= 2, `radios: ${radios.length}`);
    assert.equal(radios[0]![2], 'Pemerintah Provinsi Kalimantan Barat', 'the region’s government first');
    assert.equal(await holder(id), null, 'nothing routed yet');

    // a choice among them routes it
    const chosen = await post(at(id), cookies.national!, { aksi: 'route', instansi: 'kalimantan', bodyId: radios[0]![1]! });
    assert.equal(chosen.status, 303);
    assert.equal(await holder(id), 'pemprov-61');

    // and part of a name that fits one body is that body
    const other = await file({ title: 'Lampu taman kota padam', regionCode: '61.71.01' });
    await api(national, other, 'verify', { resolutionClass: 14 });
    const typed = await post(at(other), cookies.national!, { aksi: 'route', instansi: '  kota PONTIANAK ' });
    assert.equal(typed.status, 303);
    assert.equal(await holder(other), 'pemkot-61.71');
    const byCode = await file({ title: 'Lampu taman kota padam lagi' });
    await api(national, byCode, 'verify', { resolutionClass: 14 });
    assert.equal((await post(at(byCode), cookies.national!, { aksi: 'route', instansi: 'pemkot-61.72' })).status, 303);
    assert.equal(await holder(byCode), 'pemkot-61.72');
    // nothing named: the service's own "required", by the field
    const none = await file({ title: 'Lampu taman kota padam sekali lagi' });
    await api(national, none, 'verify', { resolutionClass: 14 });
    const empty = await post(at(none), cookies.national!, { aksi: 'route', instansi: '' });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /id="route-body-error">Wajib diisi</);
  });

  test('forwarding: to a body by name (never to the one that holds it), or back to the national desk', async () => {
    const id = await file({ title: 'Izin reklame yang bukan urusan kota' });
    await api(national, id, 'verify', { resolutionClass: 14 });
    await api(national, id, 'route', { bodyId: await t.bodyId(PONTIANAK) });
    const page = await (await get(`/kantor/laporan/${id}`, cookies.agency!)).text();
    assert.match(page, /<input type="radio" id="forward-to-body" name="target" value="body" checked>/);
    assert.doesNotMatch(
      [...page.matchAll(/<datalist id="forward-body-list">([\s\S]*?)<\/datalist>/g)][0]![1]!,
      /value="Pemerintah Kota Pontianak"/,
      'not to itself',
    );
    const self = await post(at(id), cookies.agency!, {
      aksi: 'forward',
      target: 'body',
      instansi: 'Pemerintah Kota Pontianak',
      message: 'Coba.',
    });
    assert.equal(self.status, 400);
    assert.match(await self.text(), /id="forward-body-error">Tidak ada instansi yang cocok/);
    const noName = await post(at(id), cookies.agency!, { aksi: 'forward', target: 'body', instansi: ' ', message: 'Coba.' });
    assert.equal(noName.status, 400);
    assert.match(await noName.text(), /id="forward-body-error">Wajib diisi: ketik nama instansi/);
    const moved = await post(at(id), cookies.agency!, {
      aksi: 'forward',
      target: 'body',
      instansi: 'singkawang',
      message: 'Lokasi reklame berada di wilayah Kota Singkawang.',
    });
    assert.equal(moved.status, 200, 'the inbox: the report has left');
    assert.match(await moved.text(), /Laporan dialihkan\./);
    assert.equal(await holder(id), 'pemkot-61.72');
  });
});

describe('the answer check, before sending and when refused', () => {
  test('Periksa jawaban names the clause that only promises, keeps the draft, writes nothing', async () => {
    const id = await atUnit({ title: 'Jalan berlubang di Jl. Gajah Mada' });
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM report_events');
    const res = await post(`/kantor/laporan/${id}/periksa-jawaban`, cookies.unit!, { aksi: 'answer', message: PROMISE });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /Belum jawaban akhir/);
    assert.match(page, /akan segera kami tindak lanjuti/);
    assert.match(page, /hanya janji|hanya diteruskan/);
    assert.ok(page.includes(`>${PROMISE}</textarea>`), 'the draft is kept');
    const after = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM report_events');
    assert.equal(after[0]!.n, before[0]!.n);

    const good = await post(`/kantor/laporan/${id}/periksa-jawaban?lang=en`, cookies.unit!, {
      aksi: 'answer',
      message: 'Lubang di Jl. Gajah Mada sudah ditambal dengan aspal hotmix pada 25 November 2026.',
    });
    assert.match(await good.text(), /This answer says what was done/);
    const empty = await post(`/kantor/laporan/${id}/periksa-jawaban`, cookies.unit!, { aksi: 'answer', message: '' });
    assert.equal(empty.status, 400);
  });

  test('a promise-only final answer is refused with 422 and shown the same way; a real one with evidence is sent', async () => {
    const id = await atUnit({ title: 'Lampu jalan mati di Jl. Merdeka' });
    const refused = new FormData();
    refused.set('aksi', 'answer');
    refused.set('message', PROMISE);
    refused.append('attachments', new File([PDF], 'berita-acara.pdf', { type: 'application/pdf' }));
    const res = await post(`/kantor/laporan/${id}/tindakan`, cookies.unit!, refused);
    assert.equal(res.status, 422);
    const page = await res.text();
    assert.match(page, /id="periksa-hasil"/);
    assert.match(page, /akan segera kami tindak lanjuti/);
    assert.match(page, /Lampirkan bukti lagi/);
    const refusedEvents = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_events e JOIN reports r ON r.id = e.report_id WHERE r.tracking_id = $1 AND e.type = 'answer_refused'`,
      [id],
    );
    assert.equal(refusedEvents[0]!.n, 1);

    const noEvidence = await post(`/kantor/laporan/${id}/tindakan`, cookies.unit!, {
      aksi: 'answer',
      message: 'Lampu jalan di Jl. Merdeka sudah diganti dengan lampu LED baru pada 25 November 2026.',
    });
    assert.equal(noEvidence.status, 400);
    assert.match(await noEvidence.text(), /id="answer-files-error"/);

    const sent = new FormData();
    sent.set('aksi', 'answer');
    sent.set('message', 'Lampu jalan di Jl. Merdeka sudah diganti dengan lampu LED baru pada 25 November 2026.');
    sent.append('attachments', new File([PDF], 'berita-acara.pdf', { type: 'application/pdf' }));
    const ok = await post(`/kantor/laporan/${id}/tindakan`, cookies.unit!, sent);
    assert.equal(ok.status, 303);
    const done = await (await get(`/kantor/laporan/${id}?selesai=answer`, cookies.unit!)).text();
    assert.match(done, /Jawaban akhir terkirim/);
    assert.match(done, /Menunggu Tanggapan Pelapor/);
  });

  test('an internal note is marked internal on the timeline, and a monitor reads without forms', async () => {
    const id = await atUnit({ title: 'Pohon tumbang menutup jalan' });
    const note = await post(`/kantor/laporan/${id}/tindakan`, cookies.unit!, {
      aksi: 'follow_up',
      message: 'Koordinasi dengan DLH untuk alat berat.',
      internal: 'on',
    });
    assert.equal(note.status, 303);
    assert.match(note.headers.get('location') ?? '', /selesai=internal_note/);
    const page = await (await get(`/kantor/laporan/${id}`, cookies.agency!)).text();
    assert.match(page, /Catatan internal<\/strong> <span class="badge internal">Internal<\/span>/);
    const monitor = await t.user('monitor');
    const read = await (await get(`/kantor/laporan/${id}`, await cookieOf(monitor))).text();
    assert.doesNotMatch(read, /name="aksi"/);
    assert.match(read, /Koordinasi dengan DLH/);
  });
});

describe('the Ombudsman workspace', () => {
  test('an escalated report: take over, findings, recommendation, close, each a form in order; the reporter and the body are told', async () => {
    const id = await atUnit({ title: 'Jalan amblas di Kampung Dalam' });
    await t.deps.db.query(
      `UPDATE reports SET escalated_at = now(), ombudsman_body_id = (SELECT id FROM bodies WHERE code = 'ombudsman-61') WHERE tracking_id = $1`,
      [id],
    );
    const office = await t.user('ombudsman', 'ombudsman-61');
    const other = await t.user('ombudsman', 'ombudsman-51');
    const me = await cookieOf(office);
    const page = await (await get(`/kantor/laporan/${id}`, me)).text();
    assert.match(page, /name="langkah" value="take_over"/);
    assert.doesNotMatch(page, /name="langkah" value="findings"/, 'findings come after the take-over');
    assert.equal((await get(`/kantor/laporan/${id}`, await cookieOf(other))).status, 404, 'another office does not see it');

    const base = `/kantor/laporan/${id}/ombudsman`;
    const taken = await post(base, me, { langkah: 'take_over' });
    assert.equal(taken.status, 303);
    assert.match(await (await get(taken.headers.get('location')!, me)).text(), /Penanganan diambil alih/);
    const empty = await post(`${base}?lang=en`, me, { langkah: 'findings', findings: '' });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /id="ombudsman_findings-findings-error">Required</);
    assert.equal((await post(base, me, { langkah: 'findings', findings: 'Dinas tidak menindaklanjuti dalam batas waktu.' })).status, 303);
    assert.equal((await post(base, me, { langkah: 'recommendation', recommendation: 'Perbaiki jalan dalam 14 hari.' })).status, 303);
    assert.equal((await post(base, me, { langkah: 'close', message: 'Rekomendasi dipantau.' })).status, 303);
    const closed = await (await get(`/kantor/laporan/${id}`, me)).text();
    assert.doesNotMatch(closed, /name="langkah"/, 'nothing left to do once closed');
    assert.equal((await post(base, me, { langkah: 'close' })).status, 409);
    assert.equal((await post(base, me, { langkah: 'bogus' })).status, 400);
    const told = await t.deps.db.query<{ template: string; who: number }>(
      `SELECT DISTINCT template, recipient_user_id AS who FROM outbox WHERE template LIKE 'ombudsman.%' AND payload->>'trackingId' = $1`,
      [id],
    );
    assert.ok(told.some((r) => r.who === citizen.principal.userId && r.template === 'ombudsman.findings'));
    assert.ok(told.some((r) => r.who === agency.principal.userId && r.template === 'ombudsman.closed'));
  });
});
