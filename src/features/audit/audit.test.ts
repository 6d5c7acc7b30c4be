import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';
import type { Db, Tx } from '../../db/db.ts';
import { createApp } from '../../http/app.ts';

/**
 * The identity-access log through the API: every look a national admin takes at the identity
 * behind a report is there, for national admins and monitors only; and a look and its log row
 * are one transaction, so no identity is ever shown without its row.
 */

const URL = '/api/v1/audit/identity-access';

let t: TestApp;
let adminA: TestUser;
let adminB: TestUser;
let monitor: TestUser;
let citizen: TestUser;
let anonymousId: string;
let namedId: string;
let otherId: string;

async function file(user: TestUser, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.request('POST', '/api/v1/reports', { token: user.token, json: reportInput(overrides) });
  assert.equal(res.status, 201, res.text);
  return res.body.trackingId;
}

async function look(admin: TestUser, trackingId: string, reason: string, at: string) {
  t.setNow(at);
  const res = await t.request('POST', `/api/v1/reports/${trackingId}/identity`, { token: admin.token, json: { reason } });
  assert.equal(res.status, 200, res.text);
  return res;
}

const list = (user: TestUser | null, query = '') => t.request('GET', `${URL}${query}`, { token: user?.token });
const logRows = async () => (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM identity_access_log'))[0]!.n;

before(async () => {
  t = await startTestApp();
  adminA = await t.user('national_admin');
  adminB = await t.user('national_admin');
  monitor = await t.user('monitor');
  citizen = await t.user('reporter');
  anonymousId = await file(citizen, { anonymous: true });
  namedId = await file(await t.user('reporter')); // filed under the reporter's name
  otherId = await file(citizen, { anonymous: true, title: 'Lampu jalan mati di depan sekolah' });
  // In time order: two days in WIB (24 and 25 November 2026).
  await look(adminA, anonymousId, 'Permintaan Ombudsman nomor 12/2026', '2026-11-24T02:00:00Z'); // 09:00 WIB on the 24th
  await look(adminB, otherId, 'Dugaan laporan berulang dari satu akun', '2026-11-24T16:59:59Z'); // 23:59:59 WIB on the 24th
  await look(adminA, namedId, 'Verifikasi data pelapor untuk mediasi', '2026-11-24T17:00:00Z'); // 00:00 WIB on the 25th
  await look(adminA, anonymousId, 'Klarifikasi lanjutan atas permintaan Ombudsman', '2026-11-25T03:00:00Z');
});
after(() => t.close());

describe('GET /api/v1/audit/identity-access', () => {
  test('national admins read every look, newest first: when, which admin, which report, the reason', async () => {
    const res = await list(adminB);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 4);
    assert.deepEqual(
      res.body.items.map((e: { at: string }) => e.at),
      ['2026-11-25T03:00:00.000Z', '2026-11-24T17:00:00.000Z', '2026-11-24T16:59:59.000Z', '2026-11-24T02:00:00.000Z'],
    );
    const newest = res.body.items[0];
    assert.deepEqual(Object.keys(newest).sort(), ['admin', 'at', 'id', 'reason', 'report']);
    assert.deepEqual(newest.admin, { id: adminA.principal.userId, name: adminA.name });
    assert.deepEqual(newest.report, { trackingId: anonymousId });
    assert.equal(newest.reason, 'Klarifikasi lanjutan atas permintaan Ombudsman');
    assert.equal(typeof newest.id, 'number');
    assert.equal(res.body.page, 1);
    assert.equal(res.body.perPage, 20);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  });

  test('the entries name the admin and the report, never the reporter', async () => {
    const res = await list(monitor);
    assert.ok(!res.text.includes(citizen.name), 'the reporter’s name is not in the log');
    assert.ok(!res.text.includes(citizen.email), 'nor the email');
  });

  test('monitors read it too', async () => {
    const res = await list(monitor);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 4);
  });

  test('anyone else → 403, anonymous → 401, and nothing of the log is shown', async () => {
    const others: [string, () => Promise<TestUser>][] = [
      ['reporter', async () => citizen],
      ['agency_admin', () => t.user('agency_admin', 'pemkot-61.71')],
      ['unit_officer', () => t.user('unit_officer', 'pemkot-61.71/dinas-pupr')],
      ['ombudsman', () => t.user('ombudsman', 'ombudsman-61')],
      ['integrator', () => t.user('integrator', 'pemkot-61.71')],
    ];
    for (const [role, make] of others) {
      const res = await list(await make());
      assert.equal(res.status, 403, `${role}: ${res.text}`);
      assert.equal(res.body.error.code, 'forbidden');
      assert.ok(!res.text.includes('Ombudsman nomor'), role);
    }
    const anonymous = await list(null);
    assert.equal(anonymous.status, 401, anonymous.text);
    assert.equal(anonymous.body.error.code, 'unauthenticated');
  });

  test('filters: by report (tracking ID as typed), by admin, by period (WIB dates or instants), together', async () => {
    const ids = async (query: string) => {
      const res = await list(monitor, query);
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      assert.equal(res.body.total, res.body.items.length);
      return res.body.items.map((e: { at: string }) => e.at.slice(0, 19));
    };
    assert.deepEqual(await ids(`?trackingId=${anonymousId}`), ['2026-11-25T03:00:00', '2026-11-24T02:00:00']);
    const typed = `${anonymousId.slice(0, 4).toLowerCase()}-${anonymousId.slice(4).toLowerCase()}`;
    assert.deepEqual(await ids(`?trackingId=${typed}`), ['2026-11-25T03:00:00', '2026-11-24T02:00:00']);
    assert.deepEqual(await ids(`?adminId=${adminB.principal.userId}`), ['2026-11-24T16:59:59']);
    assert.deepEqual(await ids(`?adminId=${adminA.principal.userId}&trackingId=${namedId}`), ['2026-11-24T17:00:00']);
    // 24 November in WIB ends at 16:59:59.999Z
    assert.deepEqual(await ids('?from=2026-11-24&to=2026-11-24'), ['2026-11-24T16:59:59', '2026-11-24T02:00:00']);
    assert.deepEqual(await ids('?from=2026-11-25'), ['2026-11-25T03:00:00', '2026-11-24T17:00:00']);
    assert.deepEqual(await ids('?to=2026-11-23'), []);
    // instants: both ends included
    assert.deepEqual(await ids('?from=2026-11-24T16:59:59Z&to=2026-11-25T00:00:00%2B07:00'), [
      '2026-11-24T17:00:00',
      '2026-11-24T16:59:59',
    ]);
    assert.deepEqual(await ids(`?from=2026-11-25&adminId=${adminB.principal.userId}`), []);
    assert.deepEqual(await ids('?trackingId=3333-3333'), [], 'an unknown report has no entries');
  });

  test('pages: page and perPage, with the total of all matching', async () => {
    const first = await list(adminA, '?perPage=3');
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 3);
    assert.equal(first.body.total, 4);
    const second = await list(adminA, '?perPage=3&page=2');
    assert.equal(second.body.items.length, 1);
    assert.equal(second.body.items[0].at, '2026-11-24T02:00:00.000Z');
    const beyond = await list(adminA, '?perPage=3&page=3');
    assert.deepEqual(beyond.body.items, []);
    assert.equal(beyond.body.total, 4);
    const all = [...first.body.items, ...second.body.items].map((e: { id: number }) => e.id);
    assert.equal(new Set(all).size, 4, 'no entry twice, none left out');
  });

  test('a query that is wrong is refused with a 400 that says what is wrong, in both languages', async () => {
    const cases: [string, string, RegExp][] = [
      ['?anonim=true', 'anonim', /Kolom tidak dikenal.* \/ Unknown field/],
      ['?perPage=20&pageSize=5', 'pageSize', /Unknown field/],
      ['?page=0', 'page', /minimal 1 \/ Too small: at least 1/],
      ['?perPage=101', 'perPage', /maksimal 100 \/ Too large: at most 100/],
      ['?page=satu', 'page', /Harus angka \/ Must be a number/],
      ['?page=1.5', 'page', /bilangan bulat \/ Must be a whole number/],
      ['?adminId=-3', 'adminId', /lebih dari 0 \/ Must be more than 0/],
      ['?trackingId=XYZ', 'trackingId', /Bukan kode pelacakan .* \/ Not a tracking ID/],
      ['?from=2026-02-30', 'from', /Tanggal .* \/ A date/],
      ['?from=kemarin', 'from', /Tanggal .* \/ A date/],
      ['?to=2026-11-24T09:00:00', 'to', /ISO instant with an offset/],
      ['?from=2026-11-25&to=2026-11-24', 'to', /Awal periode harus sebelum akhirnya \/ The period must start before it ends/],
    ];
    for (const [query, field, message] of cases) {
      const res = await list(adminA, query);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.match(res.body.error.fields?.[field] ?? '', message, `${query}: ${res.text}`);
    }
  });

  test('the route is in the OpenAPI document, with its query and its security', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    const op = doc.paths['/api/v1/audit/identity-access']?.get;
    assert.ok(op, 'documented');
    assert.deepEqual(op.parameters.map((p: { name: string }) => p.name).sort(), ['adminId', 'from', 'page', 'perPage', 'to', 'trackingId']);
    assert.ok(op.security.length > 0);
    assert.ok(op.responses['200'] && op.responses['401'] && op.responses['403']);
  });

  test('the log is append-only: an entry cannot be changed or removed', async () => {
    await assert.rejects(t.deps.db.query(`UPDATE identity_access_log SET reason = 'dihapus'`), /append-only/);
    await assert.rejects(t.deps.db.query('DELETE FROM identity_access_log'), /append-only/);
    assert.equal(await logRows(), 4);
  });
});

describe('every look at an identity is logged, in the same transaction', () => {
  /** The app over a database whose transactions fail on the statement that matches. */
  function appFailingOn(match: RegExp) {
    const db = t.deps.db;
    const failing: Db = {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      close: () => Promise.resolve(),
      transaction: (fn) =>
        db.transaction((tx) => {
          const wrapped: Tx = {
            query: (sql, params) => (match.test(sql) ? Promise.reject(new Error('injected failure')) : tx.query(sql, params)),
            exec: (sql) => tx.exec(sql),
          };
          return fn(wrapped);
        }),
    };
    return createApp({ ...t.deps, db: failing });
  }

  async function lookThrough(app: ReturnType<typeof createApp>) {
    const res = await app.request(`/api/v1/reports/${anonymousId}/identity`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminA.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Pemeriksaan transaksi audit' }),
    });
    return { status: res.status, text: await res.text() };
  }

  test('a look whose log row cannot be written shows nothing', async () => {
    const before = await logRows();
    const errorLog = console.error;
    console.error = () => {};
    try {
      const res = await lookThrough(appFailingOn(/INSERT INTO identity_access_log/));
      assert.equal(res.status, 500, res.text);
      assert.ok(!res.text.includes(citizen.name) && !res.text.includes(citizen.email), res.text);
    } finally {
      console.error = errorLog;
    }
    assert.equal(await logRows(), before);
  });

  test('a look that fails after its log row is written leaves no row: the two commit together or not at all', async () => {
    const before = await logRows();
    const errorLog = console.error;
    console.error = () => {};
    try {
      const res = await lookThrough(appFailingOn(/SELECT u\.name, u\.email/));
      assert.equal(res.status, 500, res.text);
    } finally {
      console.error = errorLog;
    }
    assert.equal(await logRows(), before, 'the row was rolled back with the failed look');
  });

  test('a look that succeeds is in the log at once, as the API shows it', async () => {
    const res = await lookThrough(t.app);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.text.includes(citizen.name));
    const log = await list(monitor, `?trackingId=${anonymousId}&perPage=1`);
    assert.equal(log.body.items[0].reason, 'Pemeriksaan transaksi audit');
    assert.equal(log.body.items[0].admin.id, adminA.principal.userId);
  });

  test('no other way a national admin reads an anonim report shows the reporter (so there is nothing else to log)', async () => {
    const before = await logRows();
    const reads = [
      `/api/v1/reports/${anonymousId}`,
      `/api/v1/reports/${anonymousId}/timeline`,
      '/api/v1/inbox?perPage=100',
      `/api/v1/inbox?q=${anonymousId}`,
      '/api/v1/reports?perPage=100',
      '/api/v1/ombudsman/reports',
    ];
    for (const url of reads) {
      const res = await t.request('GET', url, { token: adminA.token });
      assert.ok(res.status === 200 || res.status === 403, `${url}: ${res.status} ${res.text}`);
      assert.ok(!res.text.includes(citizen.name), `${url}: the reporter’s name`);
      assert.ok(!res.text.includes(citizen.email), `${url}: the reporter’s email`);
    }
    assert.equal(await logRows(), before);
  });
});
