import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Response, type TestApp, type TestUser, reportInput, startTestApp, withoutRequestId } from '../../../test/support/app.ts';

/**
 * The hard privacy rules, asserted as what must NOT appear: an anonim reporter's identity for
 * every reader but the reporter (and the audited identity endpoint), a rahasia report for
 * everyone outside it, and a reporter's own files for the public.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/attachments');
const PASSWORD = 'kata-sandi-uji-123';

let t: TestApp;
let otherReporter: TestUser;
let national: TestUser;
let agency: TestUser;
let agencyOther: TestUser;
let unit: TestUser;
let monitor: TestUser;
let ombudsman: TestUser;
let integrator: TestUser;
let pontianakId: number;
let puprId: number;

/** A reporter registered through the API with a distinctive identity. */
interface Citizen {
  id: number;
  token: string;
  name: string;
  email: string;
  /** Every form the phone number may be written in; none may appear. */
  phoneForms: string[];
}

async function register(name: string, email: string, phone: string): Promise<Citizen> {
  const res = await t.request('POST', '/api/v1/auth/register', { json: { name, email, phone, password: PASSWORD } });
  assert.equal(res.status, 201, res.text);
  const local = phone.replace(/^0/, '');
  return { id: res.body.user.id, token: res.body.token, name, email, phoneForms: [phone, `62${local}`, local] };
}

function photo(): File {
  return new File([fs.readFileSync(path.join(FIXTURES, 'photo-gps.jpg'))], 'foto-lokasi.jpg', { type: 'image/jpeg' });
}
function pdf(name = 'berita-acara.pdf'): File {
  return new File([fs.readFileSync(path.join(FIXTURES, 'document.pdf'))], name, { type: 'application/pdf' });
}

async function fileReport(token: string, overrides: Record<string, unknown> = {}, files: File[] = []): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(reportInput(overrides))) form.set(k, String(v));
  for (const f of files) form.append('attachments', f);
  const res = await t.request('POST', '/api/v1/reports', { token, form });
  assert.equal(res.status, 201, res.text);
  return res;
}

async function act(user: { token: string }, id: string, action: string, body: Record<string, unknown> = {}, files: File[] = []) {
  let res: Response;
  if (files.length > 0) {
    const form = new FormData();
    for (const [k, v] of Object.entries(body)) form.set(k, String(v));
    for (const f of files) form.append('attachments', f);
    res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, form });
  } else {
    res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json: body });
  }
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  return res;
}

/** The raw text must carry none of the citizen's name, email or phone, in any form. */
function assertNoIdentity(text: string, who: Citizen, where: string): void {
  const lower = text.toLowerCase();
  assert.ok(!lower.includes(who.name.toLowerCase()), `${where}: reporter name leaked`);
  assert.ok(!lower.includes(who.email.toLowerCase()), `${where}: reporter email leaked`);
  for (const form of who.phoneForms) assert.ok(!text.includes(form), `${where}: reporter phone leaked (${form})`);
}

const ID_KEYS =
  /^(reporter|reporterid|reporter_id|user|userid|user_id|actorid|actor_id|uploadedby|uploaded_by|createdby|created_by|owner|ownerid|owner_id)$/i;

/** No field that names the reporter by user id, anywhere in the JSON of the given report. */
function assertNoReporterId(value: unknown, userId: number, where: string): void {
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        walk(x, `${at}[${i}]`);
      });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (ID_KEYS.test(k)) {
        const id = typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : x;
        assert.notEqual(Number(id), userId, `${where}: ${at}.${k} names the reporter's user id`);
        if (k.toLowerCase() === 'reporter') assert.equal(x, null, `${where}: ${at}.reporter must be null`);
      }
      walk(x, `${at}.${k}`);
    }
  };
  walk(value, '$');
}

/** The items about this report in a list response, or the body itself for a single report. */
function itemsAbout(body: unknown, trackingId: string): unknown[] {
  if (Array.isArray(body)) return body; // a timeline belongs to the report asked for
  const b = body as { items?: { trackingId: string }[]; trackingId?: string };
  if (b?.items) return b.items.filter((i) => i.trackingId === trackingId);
  return b?.trackingId === trackingId ? [b] : [];
}

before(async () => {
  t = await startTestApp();
  otherReporter = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  agencyOther = await t.user('agency_admin', 'pemkot-18.72');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  monitor = await t.user('monitor');
  ombudsman = await t.user('ombudsman', 'ombudsman-61');
  integrator = await t.user('integrator', 'pemkot-61.71');
  pontianakId = await t.bodyId('pemkot-61.71');
  puprId = await t.bodyId('pemkot-61.71/dinas-pupr');
});
after(() => t.close());

/** Everyone who reads report data and must never see an anonim reporter's identity. */
const READERS: { name: string; token: () => string | undefined }[] = [
  { name: 'public (no token)', token: () => undefined },
  { name: 'another reporter', token: () => otherReporter.token },
  { name: 'agency_admin of the handling body', token: () => agency.token },
  { name: 'unit_officer of the unit', token: () => unit.token },
  { name: 'agency_admin of another body', token: () => agencyOther.token },
  { name: 'monitor', token: () => monitor.token },
  { name: 'ombudsman (escalated to its office)', token: () => ombudsman.token },
  { name: 'integrator', token: () => integrator.token },
  { name: 'national_admin (normal views)', token: () => national.token },
];

/** Every endpoint that returns report data, for one report. */
const ENDPOINTS: { name: string; url: (id: string, word: string) => string }[] = [
  { name: 'GET /reports/{id}', url: (id) => `/api/v1/reports/${id}` },
  { name: 'GET /reports/{id}/timeline', url: (id) => `/api/v1/reports/${id}/timeline` },
  { name: 'GET /reports (feed)', url: () => '/api/v1/reports?perPage=100' },
  { name: 'GET /reports?q=<word>', url: (_, word) => `/api/v1/reports?q=${word}` },
  { name: 'GET /reports?q=<tracking id>', url: (id) => `/api/v1/reports?q=${id}` },
  { name: 'GET /inbox', url: () => '/api/v1/inbox?perPage=100' },
  { name: 'GET /inbox?q=<tracking id>', url: (id) => `/api/v1/inbox?q=${id}` },
  { name: 'GET /me/reports (someone else’s)', url: () => '/api/v1/me/reports?perPage=100' },
];

/**
 * Walks an anonim report through route → disposition → follow-up → reply → answer and checks
 * every response, then every reader on every endpoint.
 */
function anonymousSuite(label: string, how: 'filed' | 'verified') {
  describe(`anonim report (${label})`, () => {
    let citizen: Citizen;
    let id: string;
    const word = how === 'filed' ? 'Jembatangantung' : 'Gorongsumbat';
    const actionResponses: { name: string; res: Response }[] = [];

    before(async () => {
      citizen =
        how === 'filed'
          ? await register('Rahasia Sekali Wibowo', 'pelapor.anonim@contoh.id', '081299998888')
          : await register('Tersembunyi Kemudian Saputra', 'pelapor.kemudian@contoh.id', '081377776666');
      const created = await fileReport(
        citizen.token,
        {
          title: `Laporan ${word} di Pontianak`,
          body: `Kondisi ${word} membahayakan warga sekitar dan belum ada perbaikan sejak bulan lalu.`,
          suggestedBodyId: pontianakId,
          anonymous: how === 'filed',
        },
        [photo()],
      );
      id = created.body.trackingId;
      const verifier = how === 'filed' ? national : agency;
      const verifyBody = how === 'filed' ? { resolutionClass: 14 } : { resolutionClass: 14, anonymous: true };
      actionResponses.push({ name: 'verify', res: await act(verifier, id, 'verify', verifyBody) });
      assert.equal(actionResponses.at(-1)!.res.body.anonymous, true);
      actionResponses.push({ name: 'route', res: await act(verifier, id, 'route', { bodyId: pontianakId }) });
      actionResponses.push({ name: 'disposition', res: await act(agency, id, 'disposition', { unitId: puprId }) });
      actionResponses.push({
        name: 'follow-ups',
        res: await act(unit, id, 'follow-ups', { message: 'Tim sudah meninjau lokasi hari ini.' }),
      });
      actionResponses.push({
        name: 'follow-ups (internal, with a file)',
        res: await act(unit, id, 'follow-ups', { message: 'Catatan internal: anggaran tersedia.', internal: true }, [pdf('catatan.pdf')]),
      });
      await act(citizen, id, 'reply', { message: 'Terima kasih, saya tunggu perbaikannya.' }, [photo()]);
      actionResponses.push({
        name: 'answer',
        res: await act(unit, id, 'answer', { message: 'Perbaikan sudah selesai dikerjakan pada 23 November 2026 sepanjang 30 meter.' }, [
          pdf(),
        ]),
      });
      // Escalation is the worker's job; set the flag as it would, so the Ombudsman office reads it as overseer.
      await t.deps.db.query(
        `UPDATE reports SET escalated_at = $1, ombudsman_body_id = (SELECT id FROM bodies WHERE code = 'ombudsman-61') WHERE tracking_id = $2`,
        [new Date('2026-11-24T03:00:00Z'), id],
      );
    });

    test('the reporter’s own view shows the identity (so the checks below can fail)', async () => {
      const own = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
      assert.equal(own.status, 200);
      assert.equal(own.body.anonymous, true);
      assert.equal(own.body.reporter.name, citizen.name);
      assert.equal(own.body.reporter.email, citizen.email);
      assert.ok(own.text.includes(citizen.phoneForms[2]!), own.text);
      const mine = await t.request('GET', '/api/v1/me/reports', { token: citizen.token });
      assert.equal(mine.body.items[0].reporter.name, citizen.name);
    });

    test('every action response to staff hides the identity', () => {
      assert.ok(actionResponses.length >= 5);
      for (const { name, res } of actionResponses) {
        assertNoIdentity(res.text, citizen, `POST ${name}`);
        assertNoReporterId(res.body, citizen.id, `POST ${name}`);
        assert.equal(res.body.reporter, null, `POST ${name}`);
      }
    });

    for (const reader of READERS) {
      for (const endpoint of ENDPOINTS) {
        test(`${reader.name} × ${endpoint.name}: no name, email, phone or user id`, async () => {
          const res = await t.request('GET', endpoint.url(id, word), { token: reader.token() });
          assert.ok(res.status < 500, res.text);
          assertNoIdentity(res.text, citizen, `${reader.name} ${endpoint.name}`);
          for (const item of itemsAbout(res.body, id)) assertNoReporterId(item, citizen.id, `${reader.name} ${endpoint.name}`);
        });
      }
    }

    test('the report is really there for the readers above (the checks are not vacuous)', async () => {
      const pub = await t.request('GET', `/api/v1/reports/${id}`);
      assert.equal(pub.status, 200);
      assert.equal(pub.body.reporter, null);
      assert.equal(pub.body.anonymous, true);
      const searched = await t.request('GET', `/api/v1/reports?q=${word}`);
      assert.deepEqual(
        searched.body.items.map((r: { trackingId: string }) => r.trackingId),
        [id],
      );
      for (const staff of [agency, unit, monitor, ombudsman, national]) {
        const got = await t.request('GET', `/api/v1/reports/${id}`, { token: staff.token });
        assert.equal(got.status, 200);
        assert.equal(got.body.reporter, null);
        // staff read the reporter's files (evidence), just not who sent them
        assert.ok(got.body.attachments.length >= 3);
        const inbox = await t.request('GET', `/api/v1/inbox?q=${id}`, { token: staff.token });
        assert.equal(inbox.status, 200);
        assert.equal(inbox.body.items.length, 1, `${staff.principal.role} inbox`);
      }
    });

    test('timeline events by the reporter carry no actor name or id, for staff and overseers', async () => {
      for (const staff of [agency, unit, monitor, ombudsman, national]) {
        const res = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: staff.token });
        assert.equal(res.status, 200);
        const byReporter = res.body.filter((e: { actor: { role: string } }) => e.actor.role === 'reporter');
        assert.deepEqual(
          byReporter.map((e: { type: string }) => e.type),
          ['submitted', 'reporter_replied'],
          `${staff.principal.role} sees the reporter's events`,
        );
        for (const e of byReporter) {
          assert.equal(e.actor.name, null, `${staff.principal.role}: ${e.type}`);
          assert.equal(e.actor.body, null);
          assert.deepEqual(Object.keys(e.actor).sort(), ['body', 'name', 'role']);
        }
        // staff names still show, so this is the reporter rule and not a blanket one
        assert.ok(res.body.some((e: { actor: { name: string | null } }) => e.actor.name === unit.name));
      }
    });
  });
}

anonymousSuite('filed with anonymous:true', 'filed');
anonymousSuite('made anonymous by the agency admin at verification', 'verified');

describe('the identity endpoint', () => {
  let citizen: Citizen;
  let id: string;
  let reportId: number;
  const logCount = async () =>
    (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM identity_access_log WHERE report_id = $1', [reportId]))[0]!.n;

  before(async () => {
    citizen = await register('Identitas Dicari Lubis', 'identitas.dicari@contoh.id', '081255554444');
    id = (await fileReport(citizen.token, { anonymous: true, suggestedBodyId: pontianakId })).body.trackingId;
    reportId = (await t.deps.db.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [id]))[0]!.id;
  });

  test('national_admin with a reason gets the identity, and the look is logged', async () => {
    const before = await logCount();
    const reason = 'Permintaan klarifikasi dari Ombudsman nomor 12/2026';
    const res = await t.request('POST', `/api/v1/reports/${id}/identity`, { token: national.token, json: { reason } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, citizen.name);
    assert.equal(res.body.email, citizen.email);
    assert.equal(res.body.phone, `+${citizen.phoneForms[1]}`);
    assert.equal(res.body.anonymous, true);
    assert.equal(await logCount(), before + 1);
    const rows = await t.deps.db.query<{ user_id: number; reason: string }>(
      'SELECT user_id, reason FROM identity_access_log WHERE report_id = $1 ORDER BY id DESC LIMIT 1',
      [reportId],
    );
    assert.equal(rows[0]!.user_id, national.principal.userId);
    assert.equal(rows[0]!.reason, reason);
  });

  test('every look is audited, not only the first', async () => {
    const before = await logCount();
    for (let i = 0; i < 3; i++) {
      const res = await t.request('POST', `/api/v1/reports/${id}/identity`, {
        token: national.token,
        json: { reason: `Verifikasi ulang identitas ke-${i + 1}` },
      });
      assert.equal(res.status, 200);
    }
    assert.equal(await logCount(), before + 3);
  });

  test('without a reason → 400 and nothing is revealed or logged', async () => {
    const before = await logCount();
    for (const json of [{}, { reason: '' }, { reason: 'cek' }]) {
      const res = await t.request('POST', `/api/v1/reports/${id}/identity`, { token: national.token, json });
      assert.equal(res.status, 400, JSON.stringify(json));
      assertNoIdentity(res.text, citizen, 'identity without reason');
    }
    assert.equal(await logCount(), before);
  });

  const others: { name: string; user: () => { token: string } | null; status: number }[] = [
    { name: 'public (no token)', user: () => null, status: 401 },
    { name: 'the reporter', user: () => citizen, status: 403 },
    { name: 'another reporter', user: () => otherReporter, status: 403 },
    { name: 'agency_admin of the body', user: () => agency, status: 403 },
    { name: 'agency_admin of another body', user: () => agencyOther, status: 403 },
    { name: 'unit_officer', user: () => unit, status: 403 },
    { name: 'monitor', user: () => monitor, status: 403 },
    { name: 'ombudsman', user: () => ombudsman, status: 403 },
    { name: 'integrator', user: () => integrator, status: 403 },
  ];
  for (const other of others) {
    test(`${other.name} → ${other.status}, nothing revealed or logged`, async () => {
      const before = await logCount();
      const res = await t.request('POST', `/api/v1/reports/${id}/identity`, {
        token: other.user()?.token,
        json: { reason: 'Saya ingin tahu siapa pelapornya' },
      });
      assert.equal(res.status, other.status, res.text);
      assertNoIdentity(res.text, citizen, other.name);
      assert.equal(await logCount(), before);
    });
  }

  test('an unknown tracking ID → 404 and nothing logged', async () => {
    const total = async () => (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM identity_access_log'))[0]!.n;
    const before = await total();
    const res = await t.request('POST', '/api/v1/reports/XXXXXXXX/identity', {
      token: national.token,
      json: { reason: 'Laporan yang tidak ada sama sekali' },
    });
    assert.equal(res.status, 404);
    assert.equal(await total(), before);
  });
});

describe('anonim and rahasia cannot be removed', () => {
  let citizen: TestUser;
  before(async () => {
    citizen = await t.user('reporter');
  });

  const flagRow = async (id: string) =>
    (
      await t.deps.db.query<{ is_anonymous: boolean; is_secret: boolean; verified_at: Date | null }>(
        'SELECT is_anonymous, is_secret, verified_at FROM reports WHERE tracking_id = $1',
        [id],
      )
    )[0]!;

  for (const [who, verifier] of [
    ['national_admin', () => national],
    ['agency_admin of the suggested body', () => agency],
  ] as const) {
    test(`${who} verifying with anonymous:false → 400 and the flag stays`, async () => {
      const id = (await fileReport(citizen.token, { anonymous: true, suggestedBodyId: pontianakId })).body.trackingId;
      const res = await t.request('POST', `/api/v1/reports/${id}/verify`, {
        token: verifier().token,
        json: { resolutionClass: 5, anonymous: false },
      });
      assert.equal(res.status, 400, res.text);
      assert.ok(res.body.error.fields.anonymous);
      const row = await flagRow(id);
      assert.equal(row.is_anonymous, true);
      assert.equal(row.verified_at, null, 'a refused verification changes nothing');
      const view = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
      assert.equal(view.body.anonymous, true);
      assert.equal(view.body.reporter, null);
    });

    test(`${who} verifying with secret:false → 400 and the flag stays`, async () => {
      const id = (await fileReport(citizen.token, { secret: true, anonymous: true, suggestedBodyId: pontianakId })).body.trackingId;
      const res = await t.request('POST', `/api/v1/reports/${id}/verify`, {
        token: verifier().token,
        json: { resolutionClass: 5, secret: false, anonymous: false },
      });
      assert.equal(res.status, 400, res.text);
      assert.ok(res.body.error.fields.secret);
      const row = await flagRow(id);
      assert.equal(row.is_secret, true);
      assert.equal(row.is_anonymous, true);
      assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 404);
    });
  }

  test('a flag set at verification cannot be taken off: a second verification is 409, an edit is 400', async () => {
    const id = (await fileReport(citizen.token, { suggestedBodyId: pontianakId })).body.trackingId;
    await act(agency, id, 'verify', { resolutionClass: 5, anonymous: true, secret: true });
    const again = await t.request('POST', `/api/v1/reports/${id}/verify`, {
      token: national.token,
      json: { resolutionClass: 5, anonymous: false, secret: false },
    });
    assert.equal(again.status, 409, again.text);
    const edit = await t.request('POST', `/api/v1/reports/${id}/edit`, {
      token: national.token,
      json: { anonymous: false, secret: false },
    });
    assert.equal(edit.status, 400, edit.text);
    assert.ok(edit.body.error.fields.anonymous && edit.body.error.fields.secret, edit.text);
    const row = await flagRow(id);
    assert.equal(row.is_anonymous, true);
    assert.equal(row.is_secret, true);
  });
});

describe('rahasia (secret) reports', () => {
  let citizen: TestUser;
  const stats = async () => (await t.request('GET', '/api/v1/stats')).body as { total: number; byStatus: Record<string, number> };
  /** A nonexistent ID's response, to compare with: a hidden report must look exactly like no report. */
  let missing: Response;

  before(async () => {
    citizen = await t.user('reporter');
    missing = await t.request('GET', '/api/v1/reports/XXXXXXXX');
    assert.equal(missing.status, 404);
  });

  async function assertHiddenFromPublic(id: string, word: string) {
    const feed = await t.request('GET', '/api/v1/reports?perPage=100');
    assert.ok(!feed.text.includes(id), 'feed');
    assert.ok(!feed.text.includes(word), 'feed');
    for (const q of [word, word.toLowerCase(), id, `${id.slice(0, 4)}-${id.slice(4)}`, id.toLowerCase()]) {
      const res = await t.request('GET', `/api/v1/reports?q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.total, 0, `search ${q}`);
      assert.ok(!res.text.includes(id) && !res.text.includes(word), `search ${q}`);
    }
    for (const [who, token] of [
      ['public', undefined],
      ['another reporter', otherReporter.token],
      ['agency_admin of another body', agencyOther.token],
      ['integrator', integrator.token],
      ['ombudsman (not escalated)', ombudsman.token],
    ] as const) {
      for (const suffix of ['', '/timeline']) {
        const res = await t.request('GET', `/api/v1/reports/${id}${suffix}`, { token });
        assert.equal(res.status, 404, `${who} GET ${suffix || 'report'}`);
        assert.deepEqual(
          withoutRequestId(res.body),
          withoutRequestId(missing.body),
          `${who}: the 404 must be the same as for a report that does not exist`,
        );
      }
      const own = await t.request('GET', '/api/v1/me/reports', { token });
      assert.ok(!own.text.includes(id), `${who} /me/reports`);
    }
  }

  async function assertVisibleInside(id: string, staff: TestUser[]) {
    const own = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
    assert.equal(own.status, 200);
    assert.equal(own.body.secret, true);
    const mine = await t.request('GET', '/api/v1/me/reports', { token: citizen.token });
    assert.ok(mine.body.items.some((r: { trackingId: string }) => r.trackingId === id));
    for (const user of [...staff, national, monitor]) {
      const res = await t.request('GET', `/api/v1/reports/${id}`, { token: user.token });
      assert.equal(res.status, 200, `${user.principal.role} GET`);
      assert.equal((await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: user.token })).status, 200);
      const inbox = await t.request('GET', `/api/v1/inbox?q=${id}`, { token: user.token });
      assert.equal(inbox.body.items.length, 1, `${user.principal.role} inbox`);
    }
  }

  test('filed secret: absent from feed, search, ID search and counts; 404 outside; present inside', async () => {
    const before = await stats();
    const word = 'Zamrudkhatulistiwa';
    const res = await fileReport(citizen.token, {
      title: `Pungutan liar ${word} di kantor kelurahan`,
      secret: true,
      suggestedBodyId: pontianakId,
      classification: 'aspirasi',
    });
    const id: string = res.body.trackingId;
    assert.equal(res.body.secret, true);
    assert.deepEqual(await stats(), before, 'public stats must not count a secret report');
    await assertHiddenFromPublic(id, word);
    await assertVisibleInside(id, [agency]);

    // Through routing and disposition it stays hidden, and the unit sees it.
    await act(agency, id, 'verify', { resolutionClass: 5 });
    await act(agency, id, 'route', {});
    await act(agency, id, 'disposition', { unitId: puprId });
    await act(unit, id, 'follow-ups', { message: 'Sedang kami periksa ke kelurahan.' });
    assert.deepEqual(await stats(), before);
    await assertHiddenFromPublic(id, word);
    await assertVisibleInside(id, [agency, unit]);
    // Staff of another body cannot act on it either, and learn nothing: 404, not 403.
    const foreign = await t.request('POST', `/api/v1/reports/${id}/follow-ups`, {
      token: agencyOther.token,
      json: { message: 'Coba tindak lanjut' },
    });
    assert.equal(foreign.status, 404);
  });

  test('made secret at verification: it never reaches the feed, search or counts', async () => {
    const word = 'Kalimayangsunyi';
    const id: string = (await fileReport(citizen.token, { title: `Dana bantuan ${word} dipotong`, suggestedBodyId: pontianakId })).body
      .trackingId;
    // Not public before verification: the verifier is the last chance to mark it rahasia.
    await assertHiddenFromPublic(id, word);
    const countsBefore = await stats();
    const verified = await act(national, id, 'verify', { resolutionClass: 14, secret: true });
    assert.equal(verified.body.secret, true);
    assert.deepEqual(await stats(), countsBefore);
    await assertHiddenFromPublic(id, word);
    await act(national, id, 'route', { bodyId: pontianakId });
    await act(agency, id, 'disposition', { unitId: puprId });
    await assertHiddenFromPublic(id, word);
    await assertVisibleInside(id, [agency, unit]);
    // the staff-only event that records the flag is not on any public timeline (there is none), but staff see it
    const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: agency.token });
    assert.ok(timeline.body.some((e: { type: string }) => e.type === 'privacy_flags_set'));
  });

  test('a secret report’s attachment cannot be fetched from outside, even by its URL', async () => {
    const res = await fileReport(citizen.token, { secret: true, suggestedBodyId: pontianakId }, [photo()]);
    const url: string = res.body.attachments[0].url;
    for (const token of [undefined, otherReporter.token, agencyOther.token]) {
      assert.equal((await t.request('GET', url, { token })).status, 404);
    }
    assert.equal((await t.request('GET', url, { token: citizen.token })).status, 200);
  });
});

describe('archived reports', () => {
  let citizen: TestUser;
  before(async () => {
    citizen = await t.user('reporter');
  });

  for (const reason of ['spam_hoax', 'abusive'] as const) {
    test(`archived as ${reason}: leaves the feed, search, counts and public GET`, async () => {
      const word = reason === 'spam_hoax' ? 'Hoaksberantai' : 'Makianjorok';
      const id: string = (await fileReport(citizen.token, { title: `Kabar ${word} tentang pejabat` })).body.trackingId;
      await act(national, id, 'verify', { resolutionClass: 5 });
      assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 200);
      const before = (await t.request('GET', '/api/v1/stats')).body.total;
      const archived = await act(national, id, 'archive', { reason });
      assert.equal(archived.body.status, 'archived');
      assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 404);
      assert.equal((await t.request('GET', `/api/v1/reports/${id}/timeline`)).status, 404);
      assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: otherReporter.token })).status, 404);
      const feed = await t.request('GET', '/api/v1/reports?perPage=100');
      assert.ok(!feed.text.includes(id));
      assert.equal((await t.request('GET', `/api/v1/reports?q=${id}`)).body.total, 0);
      assert.equal((await t.request('GET', `/api/v1/reports?q=${word}`)).body.total, 0);
      assert.equal((await t.request('GET', '/api/v1/stats')).body.total, before - 1);
      // the reporter and national staff still see it
      assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token })).status, 200);
      assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: national.token })).status, 200);
    });
  }

  test('archived as duplicate: stays public, with duplicateOf set', async () => {
    const original: string = (await fileReport(citizen.token, { title: 'Lampu jalan padam di Jalan Gajah Mada' })).body.trackingId;
    const dup: string = (await fileReport(otherReporter.token, { title: 'Lampu jalan mati di Jalan Gajah Mada' })).body.trackingId;
    await act(national, original, 'verify', { resolutionClass: 5 });
    await act(national, dup, 'verify', { resolutionClass: 5 });
    const archived = await act(national, dup, 'archive', { reason: 'duplicate', duplicateOf: original });
    assert.equal(archived.body.duplicateOf, original);
    const pub = await t.request('GET', `/api/v1/reports/${dup}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.status, 'archived');
    assert.equal(pub.body.archiveReason, 'duplicate');
    assert.equal(pub.body.duplicateOf, original);
    const feed = await t.request('GET', '/api/v1/reports?perPage=100');
    assert.ok(feed.body.items.some((r: { trackingId: string }) => r.trackingId === dup));
  });

  // BUG: the public view of a duplicate names its original by tracking ID even when the original is rahasia.
  test('a public duplicate does not reveal the tracking ID of a secret original', async () => {
    const secret: string = (await fileReport(citizen.token, { secret: true, title: 'Pungli di loket KTP kecamatan' })).body.trackingId;
    const dup: string = (await fileReport(otherReporter.token, { title: 'Pungutan liar di loket KTP kecamatan' })).body.trackingId;
    await act(national, secret, 'verify', { resolutionClass: 5 });
    // verified, so the duplicate itself is public and the check below is not vacuous
    await act(national, dup, 'verify', { resolutionClass: 5 });
    await act(national, dup, 'archive', { reason: 'duplicate', duplicateOf: secret });
    assert.equal((await t.request('GET', `/api/v1/reports/${secret}`)).status, 404);
    const leaks: string[] = [];
    for (const [who, token] of [
      ['public', undefined],
      ['the duplicate’s own reporter', otherReporter.token],
      ['agency_admin of another body', agencyOther.token],
    ] as const) {
      for (const [what, url] of [
        ['GET /reports/{dup}', `/api/v1/reports/${dup}`],
        ['GET /reports/{dup}/timeline', `/api/v1/reports/${dup}/timeline`],
        ['feed', '/api/v1/reports?perPage=100'],
        ['search by the duplicate’s ID', `/api/v1/reports?q=${dup}`],
        ['GET /me/reports', '/api/v1/me/reports'],
      ] as const) {
        const res = await t.request('GET', url, { token });
        if (res.text.includes(secret)) leaks.push(`${who} × ${what}`);
      }
    }
    assert.deepEqual(leaks, [], `the secret original ${secret} is named to: ${leaks.join('; ')}`);
  });
});

describe('attachments', () => {
  let citizen: TestUser;
  let id: string;
  let reporterFiles: string[];
  before(async () => {
    citizen = await t.user('reporter');
    const created = await fileReport(citizen.token, { suggestedBodyId: pontianakId }, [photo()]);
    id = created.body.trackingId;
    reporterFiles = created.body.attachments.map((a: { url: string }) => a.url);
    assert.equal(reporterFiles.length, 1);
    await act(national, id, 'verify', { resolutionClass: 5 });
    await act(national, id, 'route', { bodyId: pontianakId });
    await act(agency, id, 'disposition', { unitId: puprId });
    await act(unit, id, 'follow-ups', { message: 'Foto internal kondisi lapangan.', internal: true }, [pdf('internal.pdf')]);
    const replied = await act(citizen, id, 'reply', { message: 'Ini foto tambahan dari saya.' }, [photo()]);
    reporterFiles = replied.body.attachments
      .filter((a: { fileName: string }) => a.fileName.startsWith('foto'))
      .map((a: { url: string }) => a.url);
    assert.equal(reporterFiles.length, 2);
    await act(unit, id, 'answer', { message: 'Perbaikan sudah selesai pada 23 November 2026, lihat berita acara.' }, [
      pdf('bukti-jawaban.pdf'),
    ]);
  });

  test('the reporter’s files are neither listed nor downloadable for the public or another reporter', async () => {
    for (const token of [undefined, otherReporter.token, agencyOther.token, integrator.token]) {
      const view = await t.request('GET', `/api/v1/reports/${id}`, { token });
      assert.equal(view.status, 200);
      const names = view.body.attachments.map((a: { fileName: string }) => a.fileName);
      // Under a neutral name: original names are for the reporter alone (attack-named-file.test.ts).
      assert.deepEqual(names, ['lampiran-1.pdf'], 'only the answer evidence is public');
      for (const url of reporterFiles) {
        const res = await t.request('GET', url, { token });
        assert.equal(res.status, 404, url);
        assert.ok(!res.headers.get('content-type')?.startsWith('image/'));
      }
    }
  });

  test('the reporter and the handling staff can download the reporter’s files', async () => {
    for (const user of [citizen, agency, unit, national]) {
      for (const url of reporterFiles) assert.equal((await t.request('GET', url, { token: user.token })).status, 200, user.principal.role);
    }
  });

  test('answer evidence is public and downloadable by anyone', async () => {
    const view = await t.request('GET', `/api/v1/reports/${id}`);
    const evidence = view.body.attachments[0];
    const res = await t.request('GET', evidence.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
  });

  test('an internal follow-up’s file is for staff only', async () => {
    const staffView = await t.request('GET', `/api/v1/reports/${id}`, { token: agency.token });
    const ownView = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
    // Staff read neutral names (lampiran-N.pdf), so the internal file is the one the reporter does not see.
    const ownUrls = new Set(ownView.body.attachments.map((a: { url: string }) => a.url));
    const internal = staffView.body.attachments.find((a: { url: string }) => !ownUrls.has(a.url));
    assert.ok(internal);
    assert.equal(internal.fileName, 'lampiran-2.pdf');
    assert.ok(!ownView.body.attachments.some((a: { fileName: string }) => a.fileName === 'internal.pdf'));
    assert.equal((await t.request('GET', internal.url)).status, 404);
    assert.equal((await t.request('GET', internal.url, { token: citizen.token })).status, 404);
    assert.equal((await t.request('GET', internal.url, { token: unit.token })).status, 200);
  });

  test('an attachment ID cannot be fetched through another report’s tracking ID', async () => {
    const other: string = (await fileReport(otherReporter.token)).body.trackingId;
    const attachmentId = reporterFiles[0]!.split('/').pop();
    const res = await t.request('GET', `/api/v1/reports/${other}/attachments/${attachmentId}`, { token: otherReporter.token });
    assert.equal(res.status, 404);
  });
});

describe('a report is public once verified, not when filed', () => {
  let citizen: TestUser;
  before(async () => {
    citizen = await t.user('reporter');
  });

  /** Every public way in: feed, keyword and ID search, counts, GET, timeline, attachments. */
  async function publicSees(id: string, word: string, attachmentUrl: string) {
    const feed = await t.request('GET', '/api/v1/reports?perPage=100');
    const byWord = await t.request('GET', `/api/v1/reports?q=${word}`);
    const byId = await t.request('GET', `/api/v1/reports?q=${id.toLowerCase()}`);
    const get = await t.request('GET', `/api/v1/reports/${id}`);
    const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`);
    const foreign = await t.request('GET', `/api/v1/reports/${id}`, { token: agencyOther.token });
    const other = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: otherReporter.token });
    return {
      feed: feed.text.includes(id),
      search: byWord.body.total === 1,
      idSearch: byId.body.total === 1,
      get: get.status === 200,
      timeline: timeline.status === 200,
      otherBody: foreign.status === 200,
      otherReporter: other.status === 200,
      // the reporter's own file is never public; before verification not even its report's URL answers
      attachment: (await t.request('GET', attachmentUrl)).status === 200,
    };
  }
  const NOTHING = {
    feed: false,
    search: false,
    idSearch: false,
    get: false,
    timeline: false,
    otherBody: false,
    otherReporter: false,
    attachment: false,
  };

  test('unverified: invisible to the public everywhere; verified: visible (the reporter’s own file still not)', async () => {
    const word = 'Trotoarambrolbaru';
    const stats = async () => (await t.request('GET', '/api/v1/stats')).body.total as number;
    const before = await stats();
    const created = await fileReport(citizen.token, { title: `Trotoar ${word} di Jalan Tanjungpura`, suggestedBodyId: pontianakId }, [
      photo(),
    ]);
    const id: string = created.body.trackingId;
    const url: string = created.body.attachments[0].url;
    assert.deepEqual(await publicSees(id, word, url), NOTHING);
    assert.equal(await stats(), before, 'counts');
    // the reporter and the staff who handle it read it meanwhile
    for (const user of [citizen, national, agency, monitor]) {
      assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: user.token })).status, 200, user.principal.role);
    }
    const held = await act(agency, id, 'hold', { message: 'Mohon sebutkan nomor rumah terdekat.' });
    assert.equal(held.body.status, 'on_hold');
    assert.deepEqual(await publicSees(id, word, url), NOTHING, 'on hold, still not verified');
    await act(citizen, id, 'reply', { message: 'Di depan rumah nomor 12.' });

    await act(agency, id, 'verify', { resolutionClass: 14 });
    assert.deepEqual(await publicSees(id, word, url), {
      ...NOTHING,
      feed: true,
      search: true,
      idSearch: true,
      get: true,
      timeline: true,
      otherBody: true,
      otherReporter: true,
    });
    assert.equal(await stats(), before + 1, 'counts');
    const pub = await t.request('GET', `/api/v1/reports/${id}`);
    assert.deepEqual(pub.body.statusLabel, { id: 'Terverifikasi', en: 'Verified' });
  });

  test('archived before verification, even as a duplicate, it never became public', async () => {
    const id: string = (await fileReport(citizen.token, { title: 'Lampu lalu lintas mati di Jalan Ahmad Yani' })).body.trackingId;
    await act(national, id, 'archive', { reason: 'not_public_service' });
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 404);
    assert.equal((await t.request('GET', `/api/v1/reports?q=${id}`)).body.total, 0);
  });

  test('the verifier marks it rahasia: it is never public, before or after', async () => {
    const word = 'Suapmejaloket';
    const created = await fileReport(citizen.token, { title: `Praktik ${word} di kecamatan`, suggestedBodyId: pontianakId }, [photo()]);
    const id: string = created.body.trackingId;
    const url: string = created.body.attachments[0].url;
    assert.deepEqual(await publicSees(id, word, url), NOTHING);
    await act(national, id, 'verify', { resolutionClass: 14, secret: true });
    assert.deepEqual(await publicSees(id, word, url), NOTHING);
  });
});
