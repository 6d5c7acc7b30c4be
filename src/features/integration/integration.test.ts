/**
 * The integration API for local government apps (issue 11 §4), over HTTP on both engines: API
 * keys (shown once, stored hashed, revoked → 401, rotation with and without a grace period,
 * another body's admin → 404), pushes (stored raw through the intake; the same externalId again,
 * and at the same moment, is one report), replies and attachments, the changes feed and its
 * cursor, privacy of anonim reports, bad input as 400s, and one app never reading another's.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { describeOn } from '../../../test/support/engine.ts';
import { PHOTO_IDENTITY, assertCleanJpeg, fixtureBytes, includesText } from '../../../test/support/files.ts';

const PONTIANAK = 'pemkot-61.71';
const METRO = 'pemkot-18.72';

let t: TestApp;
let national: TestUser;
let agency: TestUser;
let metroAgency: TestUser;
let unitOfficer: TestUser;
let gencil: TestUser;
let metroKita: TestUser;
let gencilKey = '';
let metroKey = '';
let pontianak = 0;
let seq = 0;

const CITIZEN = { id: 'u-88121', name: 'Siti Aminah Rahayu', email: 'siti.aminah@example.test', phone: '081234567891' };

function pushInput(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    externalId: `GNC-2026-${String(seq).padStart(6, '0')}`,
    citizen: CITIZEN,
    classification: 'pengaduan',
    title: 'Drainase tersumbat di Jl. Tanjungpura',
    body: 'Saluran air di depan pasar tersumbat sampah sejak sepekan, air meluap ke jalan setiap hujan.',
    incidentDate: '2026-11-20',
    regionCode: '61.71.01',
    ...overrides,
  };
}

const push = (key: string, json: unknown) => t.request('POST', '/api/v1/integration/reports', { token: key, json });
const admin = (who: TestUser, method: string, path: string, json?: unknown) =>
  t.request(method, `/api/v1/admin/integrations${path}`, { token: who.token, ...(json === undefined ? {} : { json }) });

async function makeKey(who: TestUser, appId: number, name = 'server produksi'): Promise<string> {
  const res = await admin(who, 'POST', `/${appId}/keys`, { name });
  assert.equal(res.status, 201, res.text);
  return res.body.token as string;
}

/**
 * The changes after a cursor once `until` holds of them. A change is listed once every older
 * transaction on the server has finished: at once on the embedded database, a moment later on a
 * PostgreSQL server that other test files write to at the same time.
 */
async function changesOnce(key: string, cursor: string, until: (types: string[]) => boolean) {
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
    const res = await t.request('GET', `/api/v1/integration/changes?limit=500&cursor=${cursor}`, { token: key });
    assert.equal(res.status, 200, res.text);
    if (until(res.body.items.map((i: { event: { type: string } }) => i.event.type))) return res;
    if (Date.now() - started > 10_000) assert.fail(`changes never came: ${res.text}`);
  }
}

const inboundCount = async () =>
  (await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages WHERE channel = 'integration'`))[0]!.n;

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', PONTIANAK);
  metroAgency = await t.user('agency_admin', METRO);
  unitOfficer = await t.user('unit_officer', `${PONTIANAK}/dinas-pupr`);
  gencil = await t.user('integrator', PONTIANAK);
  metroKita = await t.user('integrator', METRO);
  pontianak = await t.bodyId(PONTIANAK);
  gencilKey = await makeKey(agency, gencil.principal.userId);
  metroKey = await makeKey(metroAgency, metroKita.principal.userId);
});
after(() => t.close());

describe('API keys: made, shown once, stored hashed, rotated and revoked by the body’s admin', () => {
  test('a key is shown once, kept only as its hash, and works as a bearer token or X-Api-Key', async () => {
    const res = await admin(agency, 'POST', `/${gencil.principal.userId}/keys`, { name: 'server uji' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const token = res.body.token as string;
    assert.match(token, /^lpr_live_[A-Za-z0-9_-]{43}$/);
    assert.equal(res.body.key.prefix, `${token.slice(0, 15)}…`);
    assert.equal(res.body.key.active, true);

    const detail = await admin(agency, 'GET', `/${gencil.principal.userId}`);
    assert.equal(detail.status, 200);
    assert.ok(!detail.text.includes(token), 'the key is never shown again');
    assert.ok(detail.body.keys.some((k: { id: number }) => k.id === res.body.key.id));

    const [row] = await t.deps.db.query<Record<string, unknown>>('SELECT * FROM integration_keys WHERE id = $1', [res.body.key.id]);
    assert.ok(!JSON.stringify(row).includes(token.slice(9)), 'the key is not stored');
    assert.ok(Buffer.from(row!.key_hash as Uint8Array).equals(createHash('sha256').update(token).digest()), 'sha256 of the key');

    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token })).status, 200);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { headers: { 'x-api-key': token } })).status, 200);
    const [used] = await t.deps.db.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM integration_keys WHERE id = $1', [
      res.body.key.id,
    ]);
    assert.ok(used!.last_used_at, 'last use is recorded');
  });

  test('a key works on the integration routes only, and a wrong one is a 401', async () => {
    const elsewhere = await t.request('GET', '/api/v1/me/reports', { token: gencilKey });
    assert.equal(elsewhere.status, 401);
    assert.match(elsewhere.body.error.message, /\/api\/v1\/integration\//);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: `lpr_live_${'A'.repeat(43)}` })).status, 401);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { headers: { 'x-api-key': 'nonsense' } })).status, 401);
    assert.equal((await t.request('GET', '/api/v1/integration/changes')).status, 401);
    // a staff session on the app routes: not an app
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: agency.token })).status, 403);
  });

  test('a revoked key is refused at once (401)', async () => {
    const made = await admin(agency, 'POST', `/${gencil.principal.userId}/keys`, { name: 'laptop' });
    const token = made.body.token as string;
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token })).status, 200);
    const revoked = await admin(agency, 'POST', `/${gencil.principal.userId}/keys/${made.body.key.id}/revoke`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.active, false);
    const refused = await t.request('GET', '/api/v1/integration/changes', { token });
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message, /revoked/);
    const again = await admin(agency, 'POST', `/${gencil.principal.userId}/keys/${made.body.key.id}/revoke`);
    assert.equal(again.status, 200, 'revoking twice changes nothing');
    assert.equal(again.body.revokedAt, revoked.body.revokedAt);
  });

  test('rotation: the new key works, the old one stops at once, or after its grace period', async () => {
    const appId = gencil.principal.userId;
    const first = await admin(agency, 'POST', `/${appId}/keys`, { name: 'rotasi' });
    const rotated = await admin(agency, 'POST', `/${appId}/keys/${first.body.key.id}/rotate`, {});
    assert.equal(rotated.status, 201, rotated.text);
    assert.notEqual(rotated.body.token, first.body.token);
    assert.equal(rotated.body.key.name, 'rotasi');
    assert.equal(rotated.body.replaced.active, false);
    assert.equal(rotated.body.replaced.replacedBy, rotated.body.key.id);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: rotated.body.token })).status, 200);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: first.body.token })).status, 401);
    const twice = await admin(agency, 'POST', `/${appId}/keys/${first.body.key.id}/rotate`, {});
    assert.equal(twice.status, 409, 'a rotated key is not rotated again');

    const graced = await admin(agency, 'POST', `/${appId}/keys/${rotated.body.key.id}/rotate`, { graceMinutes: 60 });
    assert.equal(graced.status, 201, graced.text);
    assert.equal(graced.body.replaced.active, true, 'the old key keeps working for its grace period');
    assert.equal(graced.body.replaced.revokedAt, new Date(t.deps.now().getTime() + 3_600_000).toISOString());
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: rotated.body.token })).status, 200);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: graced.body.token })).status, 200);
    const before = t.deps.now();
    t.setNow(new Date(before.getTime() + 61 * 60_000));
    try {
      assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: rotated.body.token })).status, 401);
      assert.equal((await t.request('GET', '/api/v1/integration/changes', { token: graced.body.token })).status, 200);
    } finally {
      t.setNow(before);
    }
    const badGrace = await admin(agency, 'POST', `/${appId}/keys/${graced.body.key.id}/rotate`, { graceMinutes: 100_000 });
    assert.equal(badGrace.status, 400);
    assert.ok(badGrace.body.error.fields.graceMinutes);
  });

  test('another body’s admin cannot see or manage the app (404); other roles are 403; a national admin manages any', async () => {
    const appId = gencil.principal.userId;
    const keys = await t.deps.db.query<{ id: number }>('SELECT id FROM integration_keys WHERE integrator_id = $1 ORDER BY id LIMIT 1', [
      appId,
    ]);
    for (const [method, path, json] of [
      ['GET', `/${appId}`, undefined],
      ['POST', `/${appId}/keys`, { name: 'x' }],
      ['POST', `/${appId}/keys/${keys[0]!.id}/revoke`, undefined],
      ['POST', `/${appId}/keys/${keys[0]!.id}/rotate`, {}],
      ['POST', `/${appId}/webhook`, { url: 'https://example.com/hook' }],
      ['DELETE', `/${appId}/webhook`, undefined],
      ['GET', `/${appId}/deliveries`, undefined],
    ] as const) {
      const res = await admin(metroAgency, method, path, json);
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
    }
    const list = await admin(metroAgency, 'GET', '');
    assert.deepEqual(
      list.body.items.map((a: { id: number }) => a.id),
      [metroKita.principal.userId],
    );
    assert.equal((await admin(unitOfficer, 'GET', '')).status, 403);
    assert.equal((await admin(gencil, 'GET', '')).status, 403);
    const all = await admin(national, 'GET', '?perPage=100');
    assert.ok(all.body.items.some((a: { id: number }) => a.id === appId));
    assert.equal((await admin(national, 'POST', `/${appId}/keys`, { name: 'dari pusat' })).status, 201);
    assert.equal((await admin(agency, 'GET', '/999999999')).status, 404);
    assert.equal((await admin(agency, 'GET', '/abc')).status, 400);
  });

  test('a disabled app account: its keys stop, and no new key is made for it', async () => {
    const app = await t.user('integrator', PONTIANAK);
    const token = await makeKey(agency, app.principal.userId);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token })).status, 200);
    assert.equal((await t.request('POST', `/api/v1/users/${app.principal.userId}/disable`, { token: agency.token })).status, 200);
    assert.equal((await t.request('GET', '/api/v1/integration/changes', { token })).status, 401);
    assert.equal((await admin(agency, 'POST', `/${app.principal.userId}/keys`, { name: 'x' })).status, 409);
  });
});

describe('pushing a report: stored raw through the intake, one report per externalId', () => {
  test('a push files a report for the citizen, who becomes a reporter known by the app’s user id', async () => {
    const input = pushInput();
    const res = await push(gencilKey, input);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.externalId, input.externalId);
    assert.match(res.body.trackingId, /^[0-9A-Z]{8}$/);
    assert.equal(res.body.status, 'submitted');
    assert.equal(res.headers.get('idempotent-replayed'), null);

    const [m] = await t.deps.db.query<{
      gateway: string;
      message_id: string;
      status: string;
      outcome: string;
      raw: Record<string, unknown>;
    }>(`SELECT gateway, message_id, status, outcome, raw FROM inbound_messages WHERE channel = 'integration' AND message_id = $1`, [
      input.externalId,
    ]);
    assert.equal(m!.gateway, String(gencil.principal.userId));
    assert.equal(m!.status, 'processed');
    assert.equal(m!.outcome, 'report');
    assert.equal((m!.raw.report as { title: string }).title, input.title, 'the push is stored as it came');

    const [r] = await t.deps.db.query<{
      channel: string;
      suggested_body_id: number;
      reporter_id: number;
      channel_message: Record<string, unknown>;
    }>('SELECT channel, suggested_body_id, reporter_id, channel_message FROM reports WHERE tracking_id = $1', [res.body.trackingId]);
    assert.equal(r!.channel, 'integration');
    assert.equal(r!.suggested_body_id, pontianak, 'by default the app’s own body');
    assert.equal(r!.channel_message.externalId, input.externalId);
    assert.ok(!JSON.stringify(r!.channel_message).includes('Siti'), 'the citizen is not on the report');
    const [u] = await t.deps.db.query<{
      role: string;
      name: string;
      email: string | null;
      phone: string | null;
      password_hash: string | null;
    }>('SELECT role, name, email, phone, password_hash FROM users WHERE id = $1', [r!.reporter_id]);
    assert.deepEqual(u, { role: 'reporter', name: CITIZEN.name, email: null, phone: null, password_hash: null });
    const [ci] = await t.deps.db.query<{ handle: string; details: Record<string, unknown> }>(
      `SELECT handle, details FROM channel_identities WHERE user_id = $1 AND channel = 'integration'`,
      [r!.reporter_id],
    );
    assert.equal(ci!.handle, `${pontianak}:${CITIZEN.id}`);
    assert.equal(ci!.details.phone, '+6281234567891');
    assert.equal(ci!.details.email, CITIZEN.email);

    const second = await push(gencilKey, pushInput({ title: 'Lampu jalan mati di Jl. Gajah Mada' }));
    assert.equal(second.status, 201);
    const [r2] = await t.deps.db.query<{ reporter_id: number }>('SELECT reporter_id FROM reports WHERE tracking_id = $1', [
      second.body.trackingId,
    ]);
    assert.equal(r2!.reporter_id, r!.reporter_id, 'the same app user is the same reporter');
  });

  test('the same externalId again changes nothing and answers the same report', async () => {
    const input = pushInput();
    const first = await push(gencilKey, input);
    assert.equal(first.status, 201);
    const again = await push(gencilKey, { ...input, title: 'Judul lain yang dikirim ulang', anonymous: true });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.trackingId, first.body.trackingId);
    assert.equal(again.body.title, input.title, 'nothing changed');
    assert.equal(again.body.anonymous, false);
    const rows = await t.deps.db.query(
      `SELECT 1 FROM inbound_messages WHERE channel = 'integration' AND gateway = $1 AND message_id = $2`,
      [String(gencil.principal.userId), input.externalId],
    );
    assert.equal(rows.length, 1);
  });

  test('the same push six times at the same moment is one report with one answer', async () => {
    const input = pushInput();
    const answers = await Promise.all(Array.from({ length: 6 }, () => push(gencilKey, input)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 201], answers.map((a) => a.text).join('\n'));
    assert.equal(new Set(answers.map((a) => a.body.trackingId)).size, 1);
    const reports = await t.deps.db.query('SELECT 1 FROM integration_reports WHERE integrator_id = $1 AND external_id = $2', [
      gencil.principal.userId,
      input.externalId,
    ]);
    assert.equal(reports.length, 1);
  });

  test('the same externalId from another app is another report (ids are per app)', async () => {
    const input = pushInput({ regionCode: '18.72' });
    const ours = await push(gencilKey, input);
    const theirs = await push(metroKey, input);
    assert.equal(ours.status, 201);
    assert.equal(theirs.status, 201);
    assert.notEqual(ours.body.trackingId, theirs.body.trackingId);
  });

  test('anonim and rahasia are honoured: the body never sees who, the public never sees it', async () => {
    const res = await push(gencilKey, pushInput({ anonymous: true, secret: true }));
    assert.equal(res.status, 201);
    assert.equal(res.body.anonymous, true);
    assert.equal(res.body.secret, true);
    const staff = await t.request('GET', `/api/v1/reports/${res.body.trackingId}`, { token: agency.token });
    assert.equal(staff.status, 200, staff.text);
    assert.equal(staff.body.reporter, null);
    for (const secret of [CITIZEN.name, 'Siti', CITIZEN.email, '81234567891', CITIZEN.id]) assert.ok(!staff.text.includes(secret), secret);
    assert.equal((await t.request('GET', `/api/v1/reports/${res.body.trackingId}`)).status, 404);
  });
});

describe('replies and attachments', () => {
  test('a reply is idempotent by the app’s reply id, also at the same moment', async () => {
    const filed = await push(gencilKey, pushInput());
    const externalId = filed.body.externalId as string;
    const path = `/api/v1/integration/reports/${externalId}/replies`;
    const reply = { replyId: 'msg-1', message: 'Sampahnya sudah menumpuk lagi hari ini, mohon segera ditangani.' };
    const first = await t.request('POST', path, { token: gencilKey, json: reply });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.replyId, 'msg-1');
    assert.equal(first.body.report.trackingId, filed.body.trackingId);
    const again = await t.request('POST', path, { token: gencilKey, json: reply });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const parallel = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.request('POST', path, { token: gencilKey, json: { replyId: 'msg-2', message: 'Tambahan keterangan.' } }),
      ),
    );
    assert.deepEqual(parallel.map((p) => p.status).sort(), [200, 200, 200, 201]);
    const events = await t.deps.db.query<{ message: string }>(
      `SELECT e.message FROM report_events e JOIN reports r ON r.id = e.report_id
        WHERE r.tracking_id = $1 AND e.type = 'reporter_replied' ORDER BY e.id`,
      [filed.body.trackingId],
    );
    assert.deepEqual(
      events.map((e) => e.message),
      [reply.message, 'Tambahan keterangan.'],
    );
  });

  test('a reply the lifecycle refuses is a 409, and the same reply again the same 409', async () => {
    const filed = await push(gencilKey, pushInput());
    const archived = await t.request('POST', `/api/v1/reports/${filed.body.trackingId}/archive`, {
      token: national.token,
      json: { reason: 'not_public_service', message: 'Bukan pelayanan publik.' },
    });
    assert.equal(archived.status, 200, archived.text);
    const path = `/api/v1/integration/reports/${filed.body.externalId}/replies`;
    const refused = await t.request('POST', path, { token: gencilKey, json: { replyId: 'late', message: 'Masih ada?' } });
    assert.equal(refused.status, 409, refused.text);
    const again = await t.request('POST', path, { token: gencilKey, json: { replyId: 'late', message: 'Masih ada?' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.message, refused.body.error.message);
  });

  test('a reply to a report the app does not have is 404, and nothing is stored', async () => {
    const before = await inboundCount();
    const res = await t.request('POST', '/api/v1/integration/reports/GNC-NOPE/replies', {
      token: gencilKey,
      json: { replyId: 'x1', message: 'Halo' },
    });
    assert.equal(res.status, 404);
    assert.equal(await inboundCount(), before);
  });

  test('attachments travel with a push and with a reply, checked and stripped like any upload', async () => {
    const input = pushInput();
    const form = new FormData();
    form.set('report', JSON.stringify(input));
    form.append('attachments', new File([fixtureBytes('photo-gps.jpg')], 'KTP Siti Aminah.jpg', { type: 'image/jpeg' }));
    const res = await t.request('POST', '/api/v1/integration/reports', { token: gencilKey, form });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.attachments, 1);
    const [a] = await t.deps.db.query<{ storage_key: string; visibility: string; event_type: string }>(
      `SELECT a.storage_key, a.visibility, e.type AS event_type FROM attachments a JOIN reports r ON r.id = a.report_id
         JOIN report_events e ON e.id = a.event_id WHERE r.tracking_id = $1`,
      [res.body.trackingId],
    );
    assert.equal(a!.visibility, 'reporter');
    assert.equal(a!.event_type, 'submitted');
    const stored = (await t.deps.storage.get(a!.storage_key))!;
    assertCleanJpeg(stored, 'pushed photo');
    for (const text of PHOTO_IDENTITY) assert.ok(!includesText(stored, text), text);

    const replyForm = new FormData();
    replyForm.set('reply', JSON.stringify({ replyId: 'foto-1', message: 'Ini foto terbaru.' }));
    replyForm.append('attachments', new File([fixtureBytes('document.pdf')], 'surat.pdf', { type: 'application/pdf' }));
    const replied = await t.request('POST', `/api/v1/integration/reports/${input.externalId}/replies`, {
      token: gencilKey,
      form: replyForm,
    });
    assert.equal(replied.status, 201, replied.text);
    assert.equal(replied.body.report.attachments, 2);
    // the same multipart reply again: one file, not two
    const replyAgain = new FormData();
    replyAgain.set('reply', JSON.stringify({ replyId: 'foto-1', message: 'Ini foto terbaru.' }));
    replyAgain.append('attachments', new File([fixtureBytes('document.pdf')], 'surat.pdf', { type: 'application/pdf' }));
    const again = await t.request('POST', `/api/v1/integration/reports/${input.externalId}/replies`, {
      token: gencilKey,
      form: replyAgain,
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.report.attachments, 2);
  });

  test('a file that is not what it says is refused before anything is stored', async () => {
    const before = await inboundCount();
    const form = new FormData();
    form.set('report', JSON.stringify(pushInput()));
    form.append('attachments', new File([fixtureBytes('elf-as.jpg')], 'foto.jpg', { type: 'image/jpeg' }));
    const res = await t.request('POST', '/api/v1/integration/reports', { token: gencilKey, form });
    assert.ok(res.status === 415 || res.status === 400, res.text);
    assert.equal(await inboundCount(), before);
  });
});

describe('bad input is a clear 400, never a 500, and is never stored', () => {
  test('each malformed push names its field', async () => {
    const before = await inboundCount();
    const cases: [string, unknown, string][] = [
      ['no externalId', { ...pushInput(), externalId: undefined }, 'externalId'],
      ['a slash in the externalId', pushInput({ externalId: 'a/b' }), 'externalId'],
      ['a long externalId', pushInput({ externalId: 'x'.repeat(101) }), 'externalId'],
      ['no citizen', { ...pushInput(), citizen: undefined }, 'citizen'],
      ['citizen without id', pushInput({ citizen: { name: 'A' } }), 'citizen.id'],
      ['a bad phone', pushInput({ citizen: { id: 'u1', phone: '12' } }), 'citizen.phone'],
      ['a bad email', pushInput({ citizen: { id: 'u1', email: 'siti@' } }), 'citizen.email'],
      ['the Indonesian flag name', { ...pushInput(), anonim: true }, 'anonim'],
      ['a string flag', pushInput({ anonymous: 'true' }), 'anonymous'],
      ['a future incident', pushInput({ incidentDate: '2027-01-01' }), 'incidentDate'],
      ['an unknown region', pushInput({ regionCode: '99.99' }), 'regionCode'],
      ['an unknown category', pushInput({ categoryId: 999999 }), 'categoryId'],
      ['an unknown body', pushInput({ suggestedBodyId: 999999 }), 'suggestedBodyId'],
      ['a short body', pushInput({ body: 'pendek' }), 'body'],
      ['half a position', pushInput({ latitude: -0.03 }), 'longitude'],
    ];
    for (const [what, json, fieldName] of cases) {
      const res = await push(gencilKey, json);
      assert.equal(res.status, 400, `${what}: ${res.text}`);
      assert.ok(res.body.error.fields?.[fieldName], `${what}: names ${fieldName}: ${res.text}`);
    }
    const raw = await t.request('POST', '/api/v1/integration/reports', {
      token: gencilKey,
      raw: '{"externalId": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(raw.status, 400);
    const noReport = new FormData();
    noReport.set('laporan', '{}');
    assert.equal((await t.request('POST', '/api/v1/integration/reports', { token: gencilKey, form: noReport })).status, 400);
    const notJson = new FormData();
    notJson.set('report', 'externalId=1');
    const nj = await t.request('POST', '/api/v1/integration/reports', { token: gencilKey, form: notJson });
    assert.equal(nj.status, 400);
    assert.ok(nj.body.error.fields.report);
    const text = await t.request('POST', '/api/v1/integration/reports', {
      token: gencilKey,
      raw: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(text.status, 415);
    for (const q of ['cursor=abc', 'cursor=1.2.3', 'limit=0', 'limit=501', 'limit=x', 'since=1']) {
      const res = await t.request('GET', `/api/v1/integration/changes?${q}`, { token: gencilKey });
      assert.equal(res.status, 400, `${q}: ${res.text}`);
    }
    const badReply = await t.request('POST', '/api/v1/integration/reports/GNC-2026-000001/replies', {
      token: gencilKey,
      json: { replyId: '', message: '' },
    });
    assert.equal(badReply.status, 400);
    const badPath = await t.request('GET', `/api/v1/integration/reports/${'x'.repeat(200)}`, { token: gencilKey });
    assert.equal(badPath.status, 400);
    assert.equal(await inboundCount(), before, 'nothing refused was stored');
  });
});

describe('one app never reads another’s reports', () => {
  test('another body’s app gets 404 for the report, its replies and nothing in its changes', async () => {
    const ours = await push(gencilKey, pushInput());
    const theirRead = await t.request('GET', `/api/v1/integration/reports/${ours.body.externalId}`, { token: metroKey });
    assert.equal(theirRead.status, 404);
    const theirReply = await t.request('POST', `/api/v1/integration/reports/${ours.body.externalId}/replies`, {
      token: metroKey,
      json: { replyId: 'r1', message: 'Bukan laporan kami' },
    });
    assert.equal(theirReply.status, 404);
    const changes = await t.request('GET', '/api/v1/integration/changes?limit=500', { token: metroKey });
    assert.ok(!changes.body.items.some((i: { report: { trackingId: string } }) => i.report.trackingId === ours.body.trackingId));
    // the app's key does not reach the reports API at all
    assert.equal((await t.request('GET', `/api/v1/reports/${ours.body.trackingId}`, { token: metroKey })).status, 401);
    const mine = await t.request('GET', `/api/v1/integration/reports/${ours.body.externalId}`, { token: gencilKey });
    assert.equal(mine.status, 200);
    assert.equal(mine.body.timeline[0].type, 'submitted');
  });
});

describe('pulling changes with a cursor', () => {
  test('every change the reporter may see, in pages, with a cursor that never skips or repeats', async () => {
    const app = await t.user('integrator', PONTIANAK);
    const key = await makeKey(agency, app.principal.userId);
    const filed = await push(key, pushInput({ anonymous: true }));
    const id = filed.body.trackingId as string;
    const act = async (action: string, json: unknown) => {
      const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: agency.token, json });
      assert.equal(res.status, 200, `${action}: ${res.text}`);
    };
    await act('verify', { resolutionClass: 14 });
    await act('route', {});
    await act('follow-ups', { message: 'Catatan internal: cek anggaran.', internal: true });
    await act('follow-ups', { message: 'Petugas kebersihan dijadwalkan membersihkan saluran besok pagi.' });

    await changesOnce(key, '', (types) => types.includes('followed_up'));
    const seen: { cursor: string; event: { id: number; type: string; message: string | null }; report: { externalId: string } }[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const res = await t.request('GET', `/api/v1/integration/changes?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: key });
      assert.equal(res.status, 200, res.text);
      seen.push(...res.body.items);
      assert.equal(res.body.nextCursor, res.body.items.at(-1)?.cursor ?? (cursor || '0.0'));
      cursor = res.body.nextCursor;
      if (!res.body.hasMore) break;
    }
    const types = seen.map((s) => s.event.type);
    assert.ok(
      types.includes('submitted') && types.includes('verified') && types.includes('routed') && types.includes('followed_up'),
      types.join(),
    );
    assert.ok(!seen.some((s) => s.event.message?.includes('internal')), 'staff-only notes are not changes');
    assert.equal(new Set(seen.map((s) => s.event.id)).size, seen.length, 'nothing twice');
    assert.deepEqual(
      seen.map((s) => s.event.id),
      [...seen.map((s) => s.event.id)].sort((a, b) => a - b),
    );
    assert.ok(seen.every((s) => s.report.externalId === filed.body.externalId));
    const text = JSON.stringify(seen);
    for (const secret of [CITIZEN.name, 'Siti', CITIZEN.email, '81234567891']) assert.ok(!text.includes(secret), secret);

    const rest = await t.request('GET', `/api/v1/integration/changes?cursor=${cursor}`, { token: key });
    assert.deepEqual(rest.body.items, []);
    assert.equal(rest.body.nextCursor, cursor);
    await act('follow-ups', { message: 'Saluran sudah dibersihkan pagi ini.' });
    const next = await changesOnce(key, cursor, (types) => types.length > 0);
    assert.deepEqual(
      next.body.items.map((i: { event: { type: string } }) => i.event.type),
      ['followed_up'],
    );
  });
});

describeOn('postgres', 'the cursor and slow transactions', 'needs two transactions open at once (PostgreSQL)', () => {
  test('a change committed late by a transaction that wrote it early is not passed over by the cursor', async () => {
    const app = await t.user('integrator', PONTIANAK);
    const key = await makeKey(agency, app.principal.userId);
    const slow = await push(key, pushInput());
    const fast = await push(key, pushInput());
    const start = await changesOnce(key, '', (types) => types.length === 2);
    const cursor = start.body.nextCursor as string;
    const [slowReport] = await t.deps.db.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [slow.body.trackingId]);

    // A transaction writes an event of the first report and stays open; meanwhile another one
    // writes an event of the second and commits. An event id cursor would hand out the second
    // and move past the first for good.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const open = t.deps.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO report_events (report_id, at, type, actor_role, visibility, data) VALUES ($1, $2, 'slow_event', 'system', 'reporter', '{}')`,
        [slowReport!.id, t.deps.now()],
      );
      written();
      await held;
    });
    await wrote;
    try {
      const verified = await t.request('POST', `/api/v1/reports/${fast.body.trackingId}/verify`, {
        token: agency.token,
        json: { resolutionClass: 5 },
      });
      assert.equal(verified.status, 200, verified.text);
      const during = await t.request('GET', `/api/v1/integration/changes?cursor=${cursor}`, { token: key });
      assert.deepEqual(during.body.items, [], 'held back while an older transaction is open');
      assert.equal(during.body.nextCursor, cursor);
    } finally {
      release();
      await open;
    }
    const afterwards = await changesOnce(key, cursor, (types) => types.length >= 2);
    assert.deepEqual(
      afterwards.body.items.map((i: { event: { type: string } }) => i.event.type),
      ['slow_event', 'verified'],
    );
  });
});
