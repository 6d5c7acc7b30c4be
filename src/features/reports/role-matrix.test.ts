import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Response, type TestApp, type TestUser, reportInput, startTestApp, withoutRequestId } from '../../../test/support/app.ts';

/**
 * Who may do what: every role against every lifecycle action, with the report first put in the
 * state where the action is legal, so a 403 is the role or scope refusing and never the state.
 * 401 no token, 403 role or scope, 404 not visible at all, 409 right role and scope, wrong state.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/attachments');

let t: TestApp;
const users: Record<string, TestUser> = {};
const ids: Record<string, number> = {};

type RoleKey =
  | 'public'
  | 'reporter(owner)'
  | 'reporter(other)'
  | 'national_admin'
  | 'agency_admin(body)'
  | 'agency_admin(other body)'
  | 'unit_officer(unit)'
  | 'unit_officer(sub-unit)'
  | 'unit_officer(other unit)'
  | 'ombudsman'
  | 'monitor'
  | 'integrator';

const ROLES: RoleKey[] = [
  'public',
  'reporter(owner)',
  'reporter(other)',
  'national_admin',
  'agency_admin(body)',
  'agency_admin(other body)',
  'unit_officer(unit)',
  'unit_officer(sub-unit)',
  'unit_officer(other unit)',
  'ombudsman',
  'monitor',
  'integrator',
];

const token = (role: RoleKey): string | undefined => (role === 'public' ? undefined : users[role]!.token);

before(async () => {
  t = await startTestApp();
  users['reporter(owner)'] = await t.user('reporter');
  users['reporter(other)'] = await t.user('reporter');
  users.national_admin = await t.user('national_admin');
  users['agency_admin(body)'] = await t.user('agency_admin', 'pemkot-61.71');
  users['agency_admin(other body)'] = await t.user('agency_admin', 'pemkot-18.72');
  users['unit_officer(unit)'] = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  users['unit_officer(sub-unit)'] = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr/bina-marga');
  users['unit_officer(other unit)'] = await t.user('unit_officer', 'pemkot-61.71/disdukcapil');
  users.ombudsman = await t.user('ombudsman', 'ombudsman-61');
  users.monitor = await t.user('monitor');
  users.integrator = await t.user('integrator', 'pemkot-61.71');
  for (const code of [
    'pemkot-61.71',
    'pemkot-18.72',
    'pemkot-61.71/dinas-pupr',
    'pemkot-61.71/dinas-pupr/bina-marga',
    'pemkot-61.71/dinas-pupr/sumber-daya-air',
    'pemkot-61.71/disdukcapil',
    'pemkot-18.72/dinas-pupr',
  ]) {
    ids[code] = await t.bodyId(code);
  }
});
after(() => t.close());

function evidence(): File {
  return new File([fs.readFileSync(path.join(FIXTURES, 'document.pdf'))], 'berita-acara.pdf', { type: 'application/pdf' });
}

/** Posts an action as JSON, or as a form with evidence for an answer. */
function post(action: string, id: string, tok: string | undefined, json: Record<string, unknown>): Promise<Response> {
  const url = `/api/v1/reports/${id}/${action}`;
  if (action === 'answer') {
    const form = new FormData();
    for (const [k, v] of Object.entries(json)) form.set(k, String(v));
    form.append('attachments', evidence());
    return t.request('POST', url, { token: tok, form });
  }
  return t.request('POST', url, { token: tok, json });
}

async function must(action: string, id: string, user: TestUser, json: Record<string, unknown>): Promise<void> {
  const res = await post(action, id, user.token, json);
  assert.equal(res.status, 200, `setup ${action}: ${res.text}`);
}

type Stage = 'submitted' | 'on_hold' | 'verified' | 'routed' | 'at_unit' | 'answered' | 'closed';

/**
 * Files a report as the owner (suggesting Pemerintah Kota Pontianak) and drives it through the
 * API to a stage: verified and routed by the national admin, dispositioned by the body to its
 * Dinas PUPR, answered by the unit, accepted by the reporter.
 */
async function reportAt(stage: Stage, options: { secret?: boolean; suggested?: string; routeTo?: string; unit?: string } = {}) {
  const owner = users['reporter(owner)']!;
  const suggested = options.suggested ?? 'pemkot-61.71';
  const created = await t.request('POST', '/api/v1/reports', {
    token: owner.token,
    json: reportInput({ suggestedBodyId: ids[suggested], secret: options.secret ?? false }),
  });
  assert.equal(created.status, 201, created.text);
  const id: string = created.body.trackingId;
  if (stage === 'submitted') return id;
  const national = users.national_admin!;
  if (stage === 'on_hold') {
    await must('hold', id, national, { message: 'Mohon lengkapi alamat lokasi kejadian.' });
    return id;
  }
  await must('verify', id, national, { resolutionClass: 14 });
  if (stage === 'verified') return id;
  const body = options.routeTo ?? 'pemkot-61.71';
  await must('route', id, national, { bodyId: ids[body] });
  if (stage === 'routed') return id;
  const admin = body === 'pemkot-61.71' ? users['agency_admin(body)']! : users['agency_admin(other body)']!;
  await must('disposition', id, admin, { unitId: ids[options.unit ?? `${body}/dinas-pupr`] });
  if (stage === 'at_unit') return id;
  await must('answer', id, admin, { message: 'Jalan sudah diperbaiki dengan aspal baru pada 23 November 2026.' });
  if (stage === 'answered') return id;
  await must('accept', id, owner, {});
  return id;
}

/** Each action: the stage where it is legal, and a valid request body. */
const ACTIONS: { action: string; stage: Stage; json: () => Record<string, unknown> }[] = [
  { action: 'verify', stage: 'submitted', json: () => ({ resolutionClass: 5 }) },
  { action: 'hold', stage: 'submitted', json: () => ({ message: 'Mohon lampirkan foto lokasi.' }) },
  { action: 'archive', stage: 'submitted', json: () => ({ reason: 'not_public_service' }) },
  { action: 'route', stage: 'verified', json: () => ({ bodyId: ids['pemkot-61.71'] }) },
  { action: 'disposition', stage: 'at_unit', json: () => ({ unitId: ids['pemkot-61.71/dinas-pupr/bina-marga'] }) },
  {
    action: 'forward',
    stage: 'at_unit',
    json: () => ({ bodyId: ids['pemkot-18.72'], message: 'Lokasi berada di Kota Metro, bukan wewenang kami.' }),
  },
  { action: 'follow-ups', stage: 'at_unit', json: () => ({ message: 'Tim sudah dijadwalkan meninjau lokasi.' }) },
  { action: 'answer', stage: 'at_unit', json: () => ({ message: 'Lubang sudah ditambal dengan aspal hotmix pada 24 November 2026.' }) },
  { action: 'reply', stage: 'answered', json: () => ({ message: 'Tambalan sudah lepas lagi setelah hujan.' }) },
  { action: 'reopen', stage: 'answered', json: () => ({ message: 'Jawaban tidak sesuai kondisi di lapangan.' }) },
  { action: 'accept', stage: 'answered', json: () => ({}) },
  { action: 'rate', stage: 'closed', json: () => ({ rating: 4 }) },
  { action: 'close', stage: 'at_unit', json: () => ({}) },
];

const VERIFY_LIKE: Partial<Record<RoleKey, number>> = { national_admin: 200, 'agency_admin(body)': 200 };
const REPORTER_ONLY: Partial<Record<RoleKey, number>> = { 'reporter(owner)': 200 };

/**
 * Everything not listed is 403; public is always 401. A report not yet verified is not public:
 * only its reporter and the staff who may handle or oversee it see it, and everyone else gets 404.
 */
const ALLOWED: Record<string, Partial<Record<RoleKey, number>>> = {
  verify: VERIFY_LIKE,
  hold: VERIFY_LIKE,
  archive: VERIFY_LIKE,
  route: VERIFY_LIKE,
  disposition: { 'agency_admin(body)': 200, 'unit_officer(unit)': 200 },
  forward: { national_admin: 200, 'agency_admin(body)': 200 },
  'follow-ups': { 'agency_admin(body)': 200, 'unit_officer(unit)': 200 },
  answer: { 'agency_admin(body)': 200, 'unit_officer(unit)': 200 },
  reply: REPORTER_ONLY,
  reopen: REPORTER_ONLY,
  accept: REPORTER_ONLY,
  rate: REPORTER_ONLY,
  close: REPORTER_ONLY,
};

const SEES_UNVERIFIED: readonly RoleKey[] = ['reporter(owner)', 'national_admin', 'agency_admin(body)', 'monitor'];

function expected(role: RoleKey, action: string, stage: Stage): number {
  if (role === 'public') return 401;
  if (stage === 'submitted' && !SEES_UNVERIFIED.includes(role)) return 404;
  return ALLOWED[action]![role] ?? 403;
}

/** What the national admin sees of a report, to show a refused action changed nothing. */
async function snapshot(id: string) {
  const res = await t.request('GET', `/api/v1/reports/${id}`, { token: users.national_admin!.token });
  const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: users.national_admin!.token });
  const { availableActions: _, ...rest } = res.body;
  return { report: rest, events: timeline.body.length };
}

describe('lifecycle actions: role × action, each in the state where the action is legal', () => {
  for (const { action, stage, json } of ACTIONS) {
    for (const role of ROLES) {
      const status = expected(role, action, stage);
      test(`${role} × ${action} → ${status}`, async () => {
        const id = await reportAt(stage);
        const before = await snapshot(id);
        const res = await post(action, id, token(role), json());
        assert.equal(res.status, status, res.text);
        if (status !== 200) {
          assert.deepEqual(await snapshot(id), before, 'a refused action must change nothing');
        }
      });
    }
  }
});

describe('the right role in the wrong state → 409', () => {
  const cases: { role: RoleKey; action: string; stage: Stage; json: Record<string, unknown> }[] = [
    { role: 'national_admin', action: 'verify', stage: 'routed', json: { resolutionClass: 5 } },
    { role: 'agency_admin(body)', action: 'verify', stage: 'at_unit', json: { resolutionClass: 5 } },
    { role: 'national_admin', action: 'route', stage: 'submitted', json: { bodyId: 0 } },
    { role: 'agency_admin(body)', action: 'archive', stage: 'at_unit', json: { reason: 'not_public_service' } },
    { role: 'national_admin', action: 'hold', stage: 'routed', json: { message: 'Mohon lengkapi.' } },
    { role: 'agency_admin(body)', action: 'forward', stage: 'answered', json: { bodyId: 0, message: 'Bukan wewenang kami.' } },
    {
      role: 'unit_officer(unit)',
      action: 'answer',
      stage: 'answered',
      json: { message: 'Jalan sudah diaspal ulang pada 25 November 2026.' },
    },
    { role: 'unit_officer(unit)', action: 'follow-ups', stage: 'closed', json: { message: 'Kami tinjau lagi.' } },
    { role: 'unit_officer(unit)', action: 'disposition', stage: 'closed', json: { unitId: 0 } },
    { role: 'agency_admin(body)', action: 'disposition', stage: 'answered', json: { unitId: 0 } },
    { role: 'reporter(owner)', action: 'accept', stage: 'at_unit', json: {} },
    { role: 'reporter(owner)', action: 'reopen', stage: 'closed', json: { message: 'Belum selesai.' } },
    { role: 'reporter(owner)', action: 'reply', stage: 'closed', json: { message: 'Masih rusak.' } },
    { role: 'reporter(owner)', action: 'rate', stage: 'answered', json: { rating: 5 } },
    { role: 'reporter(owner)', action: 'close', stage: 'closed', json: {} },
  ];
  // 0 stands for an id only known once the app has started
  const fill = (c: (typeof cases)[number]) => ({
    ...c.json,
    ...(c.json.bodyId === 0 ? { bodyId: ids[c.action === 'route' ? 'pemkot-61.71' : 'pemkot-18.72'] } : {}),
    ...(c.json.unitId === 0 ? { unitId: ids['pemkot-61.71/dinas-pupr/bina-marga'] } : {}),
  });
  for (const c of cases) {
    test(`${c.role} × ${c.action} on ${/^[aeiou]/.test(c.stage) ? 'an' : 'a'} ${c.stage} report → 409`, async () => {
      const id = await reportAt(c.stage);
      const json = fill(c);
      const before = await snapshot(id);
      const res = await post(c.action, id, token(c.role), json);
      assert.equal(res.status, 409, res.text);
      assert.equal(res.body.error.code, 'illegal_transition');
      assert.deepEqual(await snapshot(id), before);
    });
  }

  test('rating twice → 409', async () => {
    const id = await reportAt('closed');
    assert.equal((await post('rate', id, token('reporter(owner)'), { rating: 5 })).status, 200);
    assert.equal((await post('rate', id, token('reporter(owner)'), { rating: 3 })).status, 409);
  });
});

describe('a secret report outside one’s view → 404, not 403 (existence must not leak)', () => {
  const cases: { role: RoleKey; action: string; stage: Stage; json: () => Record<string, unknown> }[] = [
    { role: 'reporter(other)', action: 'reply', stage: 'at_unit', json: () => ({ message: 'Saya juga mengalami hal ini.' }) },
    { role: 'reporter(other)', action: 'close', stage: 'at_unit', json: () => ({}) },
    {
      role: 'agency_admin(other body)',
      action: 'answer',
      stage: 'at_unit',
      json: () => ({ message: 'Sudah diperbaiki tanggal 23 November 2026.' }),
    },
    { role: 'agency_admin(other body)', action: 'verify', stage: 'submitted', json: () => ({ resolutionClass: 5 }) },
    {
      role: 'agency_admin(other body)',
      action: 'forward',
      stage: 'at_unit',
      json: () => ({ bodyId: ids['pemkot-61.71'], message: 'Ambil alih.' }),
    },
    { role: 'unit_officer(other unit)', action: 'follow-ups', stage: 'at_unit', json: () => ({ message: 'Kami tinjau.' }) },
    { role: 'unit_officer(unit)', action: 'follow-ups', stage: 'routed', json: () => ({ message: 'Kami tinjau.' }) },
    { role: 'ombudsman', action: 'follow-ups', stage: 'at_unit', json: () => ({ message: 'Kami tinjau.' }) },
    { role: 'integrator', action: 'verify', stage: 'submitted', json: () => ({ resolutionClass: 5 }) },
  ];
  for (const c of cases) {
    test(`${c.role} × ${c.action} on a secret ${c.stage} report → 404`, async () => {
      const id = await reportAt(c.stage, { secret: true });
      const res = await post(c.action, id, token(c.role), c.json());
      assert.equal(res.status, 404, res.text);
      const missing = await post(c.action, 'XXXXXXXX', token(c.role), c.json());
      assert.deepEqual(withoutRequestId(res.body), withoutRequestId(missing.body), 'the same answer as for a report that does not exist');
    });
  }

  test('public × any action on a secret report → 401 (sign-in is asked before anything is looked up)', async () => {
    const id = await reportAt('at_unit', { secret: true });
    assert.equal((await post('follow-ups', id, undefined, { message: 'Halo' })).status, 401);
  });

  test('the same cells on a public report are 403, so the 404s above come from secrecy', async () => {
    const id = await reportAt('at_unit');
    assert.equal((await post('reply', id, token('reporter(other)'), { message: 'Saya juga.' })).status, 403);
    assert.equal((await post('follow-ups', id, token('unit_officer(other unit)'), { message: 'Kami tinjau.' })).status, 403);
  });

  test('national_admin × verify on an unknown tracking ID → 404', async () => {
    assert.equal((await post('verify', 'XXXXXXXX', token('national_admin'), { resolutionClass: 5 })).status, 404);
  });
});

describe('other endpoints by role', () => {
  const INBOX: Record<RoleKey, number> = {
    public: 401,
    'reporter(owner)': 403,
    'reporter(other)': 403,
    national_admin: 200,
    'agency_admin(body)': 200,
    'agency_admin(other body)': 200,
    'unit_officer(unit)': 200,
    'unit_officer(sub-unit)': 200,
    'unit_officer(other unit)': 200,
    ombudsman: 200,
    monitor: 200,
    integrator: 403,
  };
  for (const role of ROLES) {
    test(`${role} × GET /inbox → ${INBOX[role]}`, async () => {
      const res = await t.request('GET', '/api/v1/inbox', { token: token(role) });
      assert.equal(res.status, INBOX[role], res.text);
    });
  }

  const CREATE_UNIT_OFFICER: Record<RoleKey, number> = {
    public: 401,
    'reporter(owner)': 403,
    'reporter(other)': 403,
    national_admin: 201,
    'agency_admin(body)': 201,
    'agency_admin(other body)': 403,
    'unit_officer(unit)': 403,
    'unit_officer(sub-unit)': 403,
    'unit_officer(other unit)': 403,
    ombudsman: 403,
    monitor: 403,
    integrator: 403,
  };
  let n = 0;
  for (const role of ROLES) {
    test(`${role} × POST /users (unit_officer of Dinas PUPR Pontianak) → ${CREATE_UNIT_OFFICER[role]}`, async () => {
      n += 1;
      const email = `petugas.baru.${n}@pontianak.go.id`;
      const res = await t.request('POST', '/api/v1/users', {
        token: token(role),
        json: {
          name: 'Petugas Baru',
          email,
          password: 'kata-sandi-baru-123',
          role: 'unit_officer',
          bodyId: ids['pemkot-61.71/dinas-pupr'],
        },
      });
      assert.equal(res.status, CREATE_UNIT_OFFICER[role], res.text);
      const rows = await t.deps.db.query('SELECT 1 FROM users WHERE email = $1', [email]);
      assert.equal(rows.length, CREATE_UNIT_OFFICER[role] === 201 ? 1 : 0);
    });
  }

  test('agency_admin × POST /users for a unit of another body, or an admin of another body or above it → 403', async () => {
    const admin = token('agency_admin(body)');
    const cases = [
      { role: 'unit_officer', bodyId: ids['pemkot-18.72/dinas-pupr'] },
      { role: 'agency_admin', bodyId: ids['pemkot-18.72'] },
      { role: 'national_admin', bodyId: null },
      { role: 'monitor', bodyId: null },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await t.request('POST', '/api/v1/users', {
        token: admin,
        json: { name: 'Akun Lain', email: `akun.lain.${i}@contoh.id`, password: 'kata-sandi-baru-123', ...c },
      });
      assert.equal(res.status, 403, `${c.role}: ${res.text}`);
    }
  });

  const SUBMIT: Record<RoleKey, number> = {
    public: 401,
    'reporter(owner)': 201,
    'reporter(other)': 201,
    national_admin: 403,
    'agency_admin(body)': 403,
    'agency_admin(other body)': 403,
    'unit_officer(unit)': 403,
    'unit_officer(sub-unit)': 403,
    'unit_officer(other unit)': 403,
    ombudsman: 403,
    monitor: 403,
    integrator: 403,
  };
  for (const role of ROLES) {
    test(`${role} × POST /reports → ${SUBMIT[role]}`, async () => {
      const res = await t.request('POST', '/api/v1/reports', { token: token(role), json: reportInput() });
      assert.equal(res.status, SUBMIT[role], res.text);
    });
  }
});

describe('inbox scope', () => {
  const filed: Record<string, string> = {};
  before(async () => {
    filed.pontianakUnrouted = await reportAt('submitted', { suggested: 'pemkot-61.71' });
    filed.pontianakBody = await reportAt('routed');
    filed.pontianakPupr = await reportAt('at_unit');
    filed.pontianakBinaMarga = await reportAt('at_unit', { unit: 'pemkot-61.71/dinas-pupr/bina-marga' });
    filed.pontianakSda = await reportAt('at_unit', { unit: 'pemkot-61.71/dinas-pupr/sumber-daya-air' });
    filed.pontianakDukcapil = await reportAt('at_unit', { unit: 'pemkot-61.71/disdukcapil' });
    filed.pontianakSecret = await reportAt('at_unit', { secret: true });
    filed.metroUnrouted = await reportAt('submitted', { suggested: 'pemkot-18.72' });
    filed.metroBody = await reportAt('routed', { suggested: 'pemkot-18.72', routeTo: 'pemkot-18.72' });
    filed.metroPupr = await reportAt('at_unit', { suggested: 'pemkot-18.72', routeTo: 'pemkot-18.72' });
    // suggested to Pontianak, but the national admin sent it to Metro
    filed.suggestedPontianakRoutedMetro = await reportAt('routed', { suggested: 'pemkot-61.71', routeTo: 'pemkot-18.72' });
    // Pontianak forwarded it to Metro ("bukan wewenang")
    filed.forwardedToMetro = await reportAt('at_unit');
    await must('forward', filed.forwardedToMetro, users['agency_admin(body)']!, {
      bodyId: ids['pemkot-18.72'],
      message: 'Lokasi di Kota Metro.',
    });
  });

  type Item = {
    trackingId: string;
    responsibleBody: { id: number } | null;
    suggestedBody: { id: number } | null;
    unit: { id: number } | null;
  };
  /** The whole inbox, every page. */
  async function inbox(role: RoleKey, query = ''): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; ; page++) {
      const res = await t.request('GET', `/api/v1/inbox?perPage=100&page=${page}${query}`, { token: token(role) });
      assert.equal(res.status, 200, res.text);
      items.push(...res.body.items);
      if (res.body.items.length < 100) break;
    }
    assert.equal(new Set(items.map((i) => i.trackingId)).size, items.length, 'no report twice across pages');
    return items;
  }
  // Earlier tests in this file filed many more reports; the exact sets are over this block's own.
  const idsOf = (items: { trackingId: string }[]) => {
    const ours = new Set(Object.values(filed));
    return new Set(items.map((i) => i.trackingId).filter((id) => ours.has(id)));
  };
  const pick = (...keys: string[]) => new Set(keys.map((k) => filed[k]!));

  test('agency_admin of Pontianak: only Pontianak’s reports (routed there, or unrouted and suggested to it)', async () => {
    const items = await inbox('agency_admin(body)');
    for (const r of items) {
      const ours = r.responsibleBody ? r.responsibleBody.id === ids['pemkot-61.71'] : r.suggestedBody?.id === ids['pemkot-61.71'];
      assert.ok(ours, `${r.trackingId} belongs to another body`);
    }
    assert.deepEqual(
      idsOf(items),
      pick(
        'pontianakUnrouted',
        'pontianakBody',
        'pontianakPupr',
        'pontianakBinaMarga',
        'pontianakSda',
        'pontianakDukcapil',
        'pontianakSecret',
      ),
    );
  });

  test('agency_admin of Metro: only Metro’s reports, including one Pontianak forwarded to it', async () => {
    const items = await inbox('agency_admin(other body)');
    for (const r of items) {
      const ours = r.responsibleBody ? r.responsibleBody.id === ids['pemkot-18.72'] : r.suggestedBody?.id === ids['pemkot-18.72'];
      assert.ok(ours, `${r.trackingId} belongs to another body`);
    }
    assert.deepEqual(idsOf(items), pick('metroUnrouted', 'metroBody', 'metroPupr', 'suggestedPontianakRoutedMetro', 'forwardedToMetro'));
  });

  test('a search or filter in the inbox never widens its scope', async () => {
    for (const query of [`&q=${encodeURIComponent('jalan pasar')}`, `&bodyId=${ids['pemkot-18.72']}`, '&status=submitted,dispositioned']) {
      const items = await inbox('agency_admin(body)', query);
      for (const r of items) assert.ok(!pick('metroUnrouted', 'metroBody', 'metroPupr', 'forwardedToMetro').has(r.trackingId), query);
      const unitItems = await inbox('unit_officer(other unit)', query);
      for (const r of unitItems) assert.equal(r.trackingId, filed.pontianakDukcapil, query);
    }
    const byMetro = await inbox('agency_admin(body)', `&bodyId=${ids['pemkot-18.72']}`);
    assert.equal(byMetro.length, 0);
  });

  test('unit_officer of Dinas PUPR: its unit and its sub-units only', async () => {
    const items = await inbox('unit_officer(unit)');
    const allowed = new Set([
      ids['pemkot-61.71/dinas-pupr'],
      ids['pemkot-61.71/dinas-pupr/bina-marga'],
      ids['pemkot-61.71/dinas-pupr/sumber-daya-air'],
    ]);
    for (const r of items) assert.ok(r.unit && allowed.has(r.unit.id), `${r.trackingId} is outside the unit`);
    assert.deepEqual(idsOf(items), pick('pontianakPupr', 'pontianakBinaMarga', 'pontianakSda', 'pontianakSecret'));
  });

  test('unit_officer of Bidang Bina Marga: not its parent unit’s reports, not its sibling’s', async () => {
    assert.deepEqual(idsOf(await inbox('unit_officer(sub-unit)')), pick('pontianakBinaMarga'));
  });

  test('unit_officer of Disdukcapil: only its own', async () => {
    assert.deepEqual(idsOf(await inbox('unit_officer(other unit)')), pick('pontianakDukcapil'));
  });

  test('a report forwarded away leaves the old unit’s and body’s inboxes', async () => {
    assert.ok(!idsOf(await inbox('unit_officer(unit)')).has(filed.forwardedToMetro!));
    assert.ok(!idsOf(await inbox('agency_admin(body)')).has(filed.forwardedToMetro!));
  });

  test('ombudsman: nothing until a report is escalated to its office, then only its office’s', async () => {
    assert.equal((await inbox('ombudsman')).length, 0);
    const lampung = await t.user('ombudsman', 'ombudsman-18');
    const root = await t.user('ombudsman', 'ombudsman-ri');
    // Escalation is the worker's job; set the flag as it would.
    for (const [key, office] of [
      ['pontianakPupr', 'ombudsman-61'],
      ['metroPupr', 'ombudsman-18'],
    ] as const) {
      await t.deps.db.query(
        `UPDATE reports SET escalated_at = $1, ombudsman_body_id = (SELECT id FROM bodies WHERE code = $2) WHERE tracking_id = $3`,
        [new Date('2026-11-24T03:00:00Z'), office, filed[key]],
      );
    }
    assert.deepEqual(idsOf(await inbox('ombudsman')), pick('pontianakPupr'));
    const ofLampung = await t.request('GET', '/api/v1/inbox?perPage=100', { token: lampung.token });
    assert.deepEqual(
      ofLampung.body.items.map((r: { trackingId: string }) => r.trackingId),
      [filed.metroPupr],
    );
    const ofRoot = await t.request('GET', '/api/v1/inbox?perPage=100', { token: root.token });
    assert.deepEqual(new Set(ofRoot.body.items.map((r: { trackingId: string }) => r.trackingId)), pick('pontianakPupr', 'metroPupr'));
  });

  test('national_admin and monitor: everything, secret included', async () => {
    for (const role of ['national_admin', 'monitor'] as const) {
      const got = idsOf(await inbox(role));
      for (const id of Object.values(filed)) assert.ok(got.has(id), `${role} misses ${id}`);
    }
  });
});

describe('a report the body put on hold stays with the body', () => {
  // The agency admin of the suggested body may verify, hold and archive (an on-hold report may be
  // archived). After it holds a report, it must still be able to find and archive it.
  test('agency_admin(body) × hold, then the report is still in its inbox', async () => {
    const id = await reportAt('submitted');
    await must('hold', id, users['agency_admin(body)']!, { message: 'Mohon lampirkan foto lokasi.' });
    const res = await t.request('GET', `/api/v1/inbox?q=${id}`, { token: token('agency_admin(body)') });
    assert.equal(res.body.items.length, 1, 'an on-hold report drops out of the inbox of the body that holds it');
  });

  test('agency_admin(body) × archive on a secret report it put on hold → 200', async () => {
    const id = await reportAt('submitted', { secret: true });
    await must('hold', id, users['agency_admin(body)']!, { message: 'Mohon lampirkan foto lokasi.' });
    const got = await t.request('GET', `/api/v1/reports/${id}`, { token: token('agency_admin(body)') });
    const res = await post('archive', id, token('agency_admin(body)'), { reason: 'incomplete' });
    assert.deepEqual({ get: got.status, archive: res.status }, { get: 200, archive: 200 }, res.text);
  });

  test('agency_admin(body) × archive on a public report it put on hold → 200 (the same rule, whatever the secrecy)', async () => {
    const id = await reportAt('submitted');
    await must('hold', id, users['agency_admin(body)']!, { message: 'Mohon lampirkan foto lokasi.' });
    const res = await post('archive', id, token('agency_admin(body)'), { reason: 'incomplete' });
    assert.equal(res.status, 200, res.text);
  });
});

describe('where an action may send a report', () => {
  test('agency_admin(body) × disposition to a unit of another body → 400, nothing changes', async () => {
    const id = await reportAt('routed');
    const before = await snapshot(id);
    const res = await post('disposition', id, token('agency_admin(body)'), { unitId: ids['pemkot-18.72/dinas-pupr'] });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(await snapshot(id), before);
  });

  test('agency_admin(body) × route into another body → 403', async () => {
    const id = await reportAt('verified');
    const res = await post('route', id, token('agency_admin(body)'), { bodyId: ids['pemkot-18.72'] });
    assert.equal(res.status, 403, res.text);
  });

  test('unit_officer passes work down only: not sideways, not to itself, not up', async () => {
    const id = await reportAt('at_unit', { unit: 'pemkot-61.71/dinas-pupr/bina-marga' });
    const binaMarga = token('unit_officer(sub-unit)');
    for (const target of ['pemkot-61.71/dinas-pupr/sumber-daya-air', 'pemkot-61.71/dinas-pupr/bina-marga', 'pemkot-61.71/dinas-pupr']) {
      const res = await post('disposition', id, binaMarga, { unitId: ids[target] });
      assert.equal(res.status, 403, `${target}: ${res.text}`);
    }
    // the parent unit still holds it and may move it within its own subtree
    const res = await post('disposition', id, token('unit_officer(unit)'), { unitId: ids['pemkot-61.71/dinas-pupr/sumber-daya-air'] });
    assert.equal(res.status, 200, res.text);
    // and the sub-unit that lost it can no longer act on it
    const lost = await post('follow-ups', id, binaMarga, { message: 'Kami tinjau.' });
    assert.equal(lost.status, 403, lost.text);
  });

  test('a body that returned a report to the national admin no longer holds it', async () => {
    const returned = async () => {
      const id = await reportAt('at_unit');
      await must('forward', id, users['agency_admin(body)']!, { toNational: true, message: 'Bukan wewenang Pemerintah Kota Pontianak.' });
      return id;
    };
    const first = await returned();
    const inbox = await t.request('GET', `/api/v1/inbox?q=${first}`, { token: token('agency_admin(body)') });
    const reroute = await post('route', first, token('agency_admin(body)'), {});
    const archive = await post('archive', await returned(), token('agency_admin(body)'), { reason: 'not_public_service' });
    assert.deepEqual(
      { inInbox: inbox.body.items.length, routeBackToItself: reroute.status, archive: archive.status },
      { inInbox: 0, routeBackToItself: 403, archive: 403 },
    );
  });
});
