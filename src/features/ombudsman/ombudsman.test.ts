import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Response, type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

/**
 * The Ombudsman workspace: an office sees what was escalated to it (Ombudsman RI every office's),
 * takes it over, records findings and a recommendation, and closes its case — beside the report's
 * lifecycle, never changing it — while the handling body keeps the report and is told each step.
 */

const PASSWORD = 'kata-sandi-uji-123';

let t: TestApp;
let national: TestUser;
let monitor: TestUser;
let agency: TestUser;
let agency2: TestUser;
let agencyOther: TestUser;
let unit: TestUser;
let integrator: TestUser;
let office61: TestUser;
let office51: TestUser;
let root: TestUser;
let citizen: Citizen;
let pontianakId: number;

interface Citizen {
  id: number;
  token: string;
  name: string;
  email: string;
  phoneForms: string[];
}

/** A reporter registered through the API with a distinctive identity, to look for in responses. */
async function register(name: string, email: string, phone: string): Promise<Citizen> {
  const res = await t.request('POST', '/api/v1/auth/register', { json: { name, email, phone, password: PASSWORD } });
  assert.equal(res.status, 201, res.text);
  const local = phone.replace(/^0/, '');
  return { id: res.body.user.id, token: res.body.token, name, email, phoneForms: [phone, `62${local}`, local] };
}

function assertNoIdentity(res: Response, where: string): void {
  const lower = res.text.toLowerCase();
  assert.ok(!lower.includes(citizen.name.toLowerCase()), `${where}: reporter name leaked`);
  assert.ok(!lower.includes(citizen.email.toLowerCase()), `${where}: reporter email leaked`);
  for (const form of citizen.phoneForms) assert.ok(!res.text.includes(form), `${where}: reporter phone leaked (${form})`);
  const items = Array.isArray(res.body?.items) ? res.body.items : res.body?.trackingId ? [res.body] : [];
  for (const item of items) assert.equal(item.reporter, null, `${where}: reporter must be null`);
}

/** Files a report (anonymous unless told), verifies it and routes it to Kota Pontianak. */
async function routedReport(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await t.request('POST', '/api/v1/reports', {
    token: citizen.token,
    json: reportInput({ anonymous: true, suggestedBodyId: pontianakId, regionCode: '61.71.01', ...overrides }),
  });
  assert.equal(created.status, 201, created.text);
  const id: string = created.body.trackingId;
  for (const [action, json] of [
    ['verify', { resolutionClass: 60 }],
    ['route', { bodyId: pontianakId }],
  ] as const) {
    const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: national.token, json });
    assert.equal(res.status, 200, `${action}: ${res.text}`);
  }
  return id;
}

/** Escalation is the worker's job; set the flag as it would. */
async function escalate(trackingId: string, officeCode: string, at: string): Promise<void> {
  await t.deps.db.query(
    `UPDATE reports SET escalated_at = $1, ombudsman_body_id = (SELECT id FROM bodies WHERE code = $2) WHERE tracking_id = $3`,
    [new Date(at), officeCode, trackingId],
  );
}

const step = (user: TestUser | null, id: string, path: string, json?: unknown) =>
  t.request('POST', `/api/v1/reports/${id}/ombudsman/${path}`, { token: user?.token, json });

const listOf = async (user: TestUser, query = '') => {
  const res = await t.request('GET', `/api/v1/ombudsman/reports${query}`, { token: user.token });
  assert.equal(res.status, 200, res.text);
  assertNoIdentity(res, `list ${query}`);
  return res;
};
const idsOf = (res: Response): string[] => res.body.items.map((r: { trackingId: string }) => r.trackingId);

async function reportIdOf(trackingId: string): Promise<number> {
  return (await t.deps.db.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [trackingId]))[0]!.id;
}

before(async () => {
  t = await startTestApp();
  pontianakId = await t.bodyId('pemkot-61.71');
  national = await t.user('national_admin');
  monitor = await t.user('monitor');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  agency2 = await t.user('agency_admin', 'pemkot-61.71');
  agencyOther = await t.user('agency_admin', 'pemkot-18.72');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  integrator = await t.user('integrator', 'pemkot-61.71');
  office61 = await t.user('ombudsman', 'ombudsman-61');
  office51 = await t.user('ombudsman', 'ombudsman-51');
  root = await t.user('ombudsman', 'ombudsman-ri');
  citizen = await register('Warga Tersembunyi Sitompul', 'warga.tersembunyi@contoh.id', '081288887777');
});
after(() => t.close());

describe('scope: the office of the province, Ombudsman RI over every office', () => {
  let pontianak: string;
  let bali: string;
  let later: string;

  before(async () => {
    pontianak = await routedReport();
    later = await routedReport({ title: 'Drainase tersumbat di Siantan' });
    bali = await routedReport({ title: 'Pelayanan KTP lambat di Denpasar' });
    await escalate(pontianak, 'ombudsman-61', '2026-11-20T03:00:00Z');
    await escalate(later, 'ombudsman-61', '2026-11-22T03:00:00Z');
    await escalate(bali, 'ombudsman-51', '2026-11-21T03:00:00Z');
  });

  test('the office of 61 lists its escalated reports, newest escalation first, paginated', async () => {
    const list = await listOf(office61);
    assert.deepEqual(idsOf(list), [later, pontianak]);
    assert.equal(list.body.total, 2);
    const item = list.body.items[1];
    assert.equal(item.escalatedAt, '2026-11-20T03:00:00.000Z');
    assert.equal(item.ombudsman.office.id, await t.bodyId('ombudsman-61'));
    assert.match(item.ombudsman.office.name, /Kalimantan Barat/);
    assert.equal(item.ombudsman.takenAt, null);
    const page2 = await listOf(office61, '?perPage=1&page=2');
    assert.deepEqual(idsOf(page2), [pontianak]);
    assert.equal(page2.body.total, 2);
    assert.equal(page2.body.perPage, 1);
  });

  test('Ombudsman RI sees every office’s, the office of 51 only its own', async () => {
    assert.deepEqual(idsOf(await listOf(root)), [later, bali, pontianak]);
    assert.deepEqual(idsOf(await listOf(office51)), [bali]);
  });

  test('the office of 51 cannot act on a report escalated to 61 (404), nor read it beyond the public view', async () => {
    const res = await step(office51, pontianak, 'take-over');
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.error.code, 'not_found');
    const view = await t.request('GET', `/api/v1/reports/${pontianak}`, { token: office51.token });
    assert.equal(view.status, 200); // a public report, read as the public reads it
    assert.deepEqual(view.body.availableActions, []);
  });

  test('a secret report escalated elsewhere is simply not there for another office', async () => {
    const secret = await routedReport({ secret: true, title: 'Pungutan liar di kantor kelurahan' });
    await escalate(secret, 'ombudsman-61', '2026-11-23T03:00:00Z');
    assert.equal((await t.request('GET', `/api/v1/reports/${secret}`, { token: office51.token })).status, 404);
    assert.equal((await step(office51, secret, 'take-over')).status, 404);
    assert.ok(!idsOf(await listOf(office51)).includes(secret));
    assert.equal(idsOf(await listOf(office61))[0], secret);
    assert.equal((await t.request('GET', `/api/v1/reports/${secret}`, { token: office61.token })).status, 200);
  });
});

describe('the full case: take over → findings → recommendation → close', () => {
  let id: string;
  let reportId: number;
  const findings = 'Ditemukan penundaan berlarut: tidak ada tindak lanjut Dinas PUPR selama 60 hari.';
  const findingsRevised = 'Ditemukan penundaan berlarut dan pengabaian kewajiban hukum oleh Dinas PUPR selama 60 hari.';
  const recommendation = 'Wali Kota Pontianak agar memerintahkan perbaikan jalan dalam 14 hari dan memberi sanksi.';
  const outboxFor = async () =>
    t.deps.db.query<{
      template: string;
      channel: string;
      recipient_user_id: number;
      idempotency_key: string;
      payload: Record<string, unknown>;
    }>(
      `SELECT template, channel, recipient_user_id, idempotency_key, payload FROM outbox
        WHERE template LIKE 'ombudsman.%' AND (payload->>'reportId')::bigint = $1 ORDER BY id`,
      [reportId],
    );

  before(async () => {
    id = await routedReport({ title: 'Jalan amblas di Kampung Dalam' });
    reportId = await reportIdOf(id);
    const disposition = await t.request('POST', `/api/v1/reports/${id}/disposition`, {
      token: agency.token,
      json: { unitId: await t.bodyId('pemkot-61.71/dinas-pupr') },
    });
    assert.equal(disposition.status, 200, disposition.text);
    await escalate(id, 'ombudsman-61', '2026-11-24T02:00:00Z');
  });

  test('before take-over: findings, a recommendation or a close are refused with the reason', async () => {
    for (const [path, json] of [
      ['findings', { findings }],
      ['recommendation', { recommendation }],
      ['close', {}],
    ] as const) {
      const res = await step(office61, id, path, json);
      assert.equal(res.status, 409, `${path}: ${res.text}`);
      assert.equal(res.body.error.code, 'illegal_transition');
      assert.match(res.body.error.message, /Take the report over first/);
    }
    assert.equal(
      (await listOf(office61, '?status=open')).body.items.some((r: { trackingId: string }) => r.trackingId === id),
      true,
    );
  });

  test('take-over: sets who and when, public on the timeline; a second take-over is 409', async () => {
    t.setNow('2026-11-24T04:00:00Z');
    const res = await step(office61, id, 'take-over');
    assert.equal(res.status, 200, res.text);
    assertNoIdentity(res, 'take-over');
    assert.equal(res.body.ombudsman.takenAt, '2026-11-24T04:00:00.000Z');
    assert.equal(res.body.ombudsman.officer, office61.name);
    assert.equal(res.body.status, 'dispositioned');
    const again = await step(root, id, 'take-over');
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /already been taken over/);
    assert.ok(idsOf(await listOf(office61, '?status=taken')).includes(id));
    assert.ok(!idsOf(await listOf(office61, '?status=open')).includes(id));
  });

  test('a recommendation before findings, or a close without both, is refused with the reason', async () => {
    const rec = await step(office61, id, 'recommendation', { recommendation });
    assert.equal(rec.status, 409);
    assert.match(rec.body.error.message, /Record the findings first/);
    const close = await step(office61, id, 'close', {});
    assert.equal(close.status, 409);
    assert.match(close.body.error.message, /missing: findings, recommendation/);
  });

  test('findings, revised; then the recommendation; a close still needs nothing more', async () => {
    const first = await step(office61, id, 'findings', { findings });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.ombudsman.findings, findings);
    const missing = await step(office61, id, 'close', {});
    assert.equal(missing.status, 409);
    assert.match(missing.body.error.message, /missing: recommendation$/);
    const revised = await step(office61, id, 'findings', { findings: `  ${findingsRevised}  ` });
    assert.equal(revised.status, 200);
    assert.equal(revised.body.ombudsman.findings, findingsRevised);
    const rec = await step(office61, id, 'recommendation', { recommendation });
    assert.equal(rec.status, 200, rec.text);
    assertNoIdentity(rec, 'recommendation');
    assert.equal(rec.body.ombudsman.recommendation, recommendation);
  });

  test('before the close: the parties read findings and recommendation, the public does not', async () => {
    const pub = await t.request('GET', `/api/v1/reports/${id}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.ombudsman.takenAt, '2026-11-24T04:00:00.000Z');
    assert.equal(pub.body.ombudsman.officer, null);
    assert.equal(pub.body.ombudsman.findings, null);
    assert.equal(pub.body.ombudsman.recommendation, null);
    assert.ok(!pub.text.includes(findingsRevised) && !pub.text.includes(recommendation));
    const pubTimeline = await t.request('GET', `/api/v1/reports/${id}/timeline`);
    const pubTypes = pubTimeline.body.map((e: { type: string }) => e.type).filter((x: string) => x.startsWith('ombudsman_'));
    assert.deepEqual(pubTypes, ['ombudsman_taken_over']);
    assert.ok(!pubTimeline.text.includes(findingsRevised));

    const own = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
    assert.equal(own.body.ombudsman.findings, findingsRevised);
    assert.equal(own.body.ombudsman.recommendation, recommendation);
    assert.equal(own.body.ombudsman.officer, null);
    for (const reader of [agency, unit, monitor, national]) {
      const got = await t.request('GET', `/api/v1/reports/${id}`, { token: reader.token });
      assert.equal(got.status, 200);
      assert.equal(got.body.ombudsman.findings, findingsRevised, reader.principal.role);
      assert.equal(got.body.ombudsman.officer, office61.name, reader.principal.role);
    }
  });

  test('close: the case closes, the report’s status does not move; afterwards every step is 409', async () => {
    const before = await t.request('GET', `/api/v1/reports/${id}`, { token: agency.token });
    t.setNow('2026-11-25T04:00:00Z');
    const res = await step(office61, id, 'close', { message: 'Pemeriksaan selesai; rekomendasi dipantau.' });
    assert.equal(res.status, 200, res.text);
    assertNoIdentity(res, 'close');
    assert.equal(res.body.ombudsman.closedAt, '2026-11-25T04:00:00.000Z');
    assert.equal(res.body.status, before.body.status);
    assert.equal(res.body.closedAt, null);
    for (const [path, json] of [
      ['take-over', undefined],
      ['findings', { findings }],
      ['recommendation', { recommendation }],
      ['close', {}],
    ] as const) {
      const late = await step(office61, id, path, json);
      assert.equal(late.status, 409, `${path} after close`);
      assert.match(late.body.error.message, /already closed/);
    }
    assert.ok(idsOf(await listOf(office61, '?status=closed')).includes(id));
    assert.ok(!idsOf(await listOf(office61, '?status=taken')).includes(id));
    // Once closed, the public reads the conclusion.
    const pub = await t.request('GET', `/api/v1/reports/${id}`);
    assert.equal(pub.body.ombudsman.findings, findingsRevised);
    assert.equal(pub.body.ombudsman.recommendation, recommendation);
    assert.equal(pub.body.ombudsman.officer, null);
    // The body can still work the report.
    const followUp = await t.request('POST', `/api/v1/reports/${id}/follow-ups`, {
      token: agency.token,
      json: { message: 'Perbaikan jalan dijadwalkan minggu depan sesuai rekomendasi Ombudsman.' },
    });
    assert.equal(followUp.status, 200, followUp.text);
  });

  test('the timeline holds every step, by the office, with the right audience', async () => {
    const ofOffice = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: national.token });
    const events = ofOffice.body.filter((e: { type: string }) => e.type.startsWith('ombudsman_'));
    assert.deepEqual(
      events.map((e: { type: string; visibility: string }) => [e.type, e.visibility]),
      [
        ['ombudsman_taken_over', 'public'],
        ['ombudsman_findings_recorded', 'reporter'],
        ['ombudsman_findings_recorded', 'reporter'],
        ['ombudsman_recommendation_issued', 'reporter'],
        ['ombudsman_closed', 'public'],
      ],
    );
    const officeId = await t.bodyId('ombudsman-61');
    for (const e of events) {
      assert.equal(e.actor.role, 'ombudsman');
      assert.equal(e.actor.body.id, officeId);
      assert.equal(e.actor.name, office61.name);
      assert.equal(e.fromStatus, null);
      assert.equal(e.toStatus, null);
    }
    assert.equal(events[2].message, findingsRevised);
    assert.equal(events[2].data.revised, true);
    assert.equal(events[4].message, 'Pemeriksaan selesai; rekomendasi dipantau.');

    const pub = await t.request('GET', `/api/v1/reports/${id}/timeline`);
    const pubEvents = pub.body.filter((e: { type: string }) => e.type.startsWith('ombudsman_'));
    assert.deepEqual(
      pubEvents.map((e: { type: string }) => e.type),
      ['ombudsman_taken_over', 'ombudsman_closed'],
    );
    assert.equal(pubEvents[0].actor.name, null);
    assert.equal(pubEvents[1].data.recommendation, recommendation);

    const own = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: citizen.token });
    assert.equal(own.body.filter((e: { type: string }) => e.type.startsWith('ombudsman_')).length, 5);
  });

  test('each step notified both agency admins of the handling body and the reporter, once each, the body never told who reported', async () => {
    const rows = await outboxFor();
    const expected = new Map([
      ['ombudsman.taken_over', 1],
      ['ombudsman.findings', 2],
      ['ombudsman.recommendation', 1],
      ['ombudsman.closed', 1],
    ]);
    const admins = new Set([agency.principal.userId, agency2.principal.userId]);
    for (const [template, times] of expected) {
      const of = rows.filter((r) => r.template === template);
      const toAdmins = of.filter((r) => admins.has(r.recipient_user_id));
      assert.equal(toAdmins.length, times * 4, `${template}: 2 admins × (in_app + email) × ${times}`);
      assert.deepEqual(new Set(toAdmins.map((r) => r.channel)), new Set(['in_app', 'email']));
      const toReporter = of.filter((r) => r.recipient_user_id === citizen.id);
      assert.equal(toReporter.length, times * 2, `${template}: the reporter, in-app and by email (the report came by web)`);
      assert.equal(of.length, toAdmins.length + toReporter.length, `${template}: nobody else`);
    }
    assert.equal(rows.length, 30);
    assert.equal(new Set(rows.map((r) => r.idempotency_key)).size, 30, 'one key per event, template, channel and person');
    for (const r of rows) {
      assert.equal(r.payload.trackingId, id);
      assert.match(String(r.payload.ombudsmanOffice), /Kalimantan Barat/);
      if (r.recipient_user_id === citizen.id) continue;
      const text = JSON.stringify(r.payload).toLowerCase();
      assert.ok(!text.includes(citizen.name.toLowerCase()) && !text.includes(citizen.email), 'the body is never told who reported');
    }
    // Nobody else: not another body's admin, not the unit, not the national desk.
    for (const other of [agencyOther, unit, national]) assert.ok(!rows.some((r) => r.recipient_user_id === other.principal.userId));
  });

  test('the handling body still has the report in its inbox, marked as escalated', async () => {
    const inbox = await t.request('GET', `/api/v1/inbox?q=${id}`, { token: agency.token });
    assert.equal(inbox.status, 200);
    assert.equal(inbox.body.items.length, 1);
    const item = inbox.body.items[0];
    assert.equal(item.escalatedAt, '2026-11-24T02:00:00.000Z');
    assert.equal(item.ombudsman.escalatedAt, '2026-11-24T02:00:00.000Z');
    assert.equal(item.ombudsman.closedAt, '2026-11-25T04:00:00.000Z');
    assert.equal(item.reporter, null);
    // Not escalated: no block at all.
    const plain = await routedReport({ title: 'Lampu jalan padam di Gang Sehat' });
    const view = await t.request('GET', `/api/v1/reports/${plain}`, { token: agency.token });
    assert.equal(view.body.escalatedAt, null);
    assert.equal(view.body.ombudsman, null);
  });
});

describe('refusals', () => {
  let escalated: string;
  let notEscalated: string;

  before(async () => {
    escalated = await routedReport({ title: 'Izin usaha tertahan berbulan-bulan' });
    await escalate(escalated, 'ombudsman-61', '2026-11-24T01:00:00Z');
    notEscalated = await routedReport({ title: 'Antrean puskesmas terlalu panjang' });
  });

  test('every other role gets 403 on every Ombudsman endpoint, before its input is read', async () => {
    const others = [national, monitor, agency, unit, integrator, { token: citizen.token, principal: { role: 'reporter' } } as TestUser];
    for (const user of others) {
      const list = await t.request('GET', '/api/v1/ombudsman/reports?status=bogus', { token: user.token });
      assert.equal(list.status, 403, `${user.principal.role} list`);
      for (const path of ['take-over', 'findings', 'recommendation', 'close']) {
        const res = await step(user, escalated, path, {});
        assert.equal(res.status, 403, `${user.principal.role} ${path}: ${res.text}`);
        assert.equal(res.body.error.code, 'forbidden');
      }
    }
    assert.equal((await t.request('GET', '/api/v1/ombudsman/reports')).status, 401);
    assert.equal((await step(null, escalated, 'take-over')).status, 401);
    // Nothing happened to the report.
    const view = await t.request('GET', `/api/v1/reports/${escalated}`, { token: office61.token });
    assert.equal(view.body.ombudsman.takenAt, null);
  });

  test('a report not escalated: 409 with the reason; unknown or unreadable ones: 404', async () => {
    const res = await step(office61, notEscalated, 'take-over');
    assert.equal(res.status, 409, res.text);
    assert.equal(res.body.error.code, 'illegal_transition');
    assert.match(res.body.error.message, /not been escalated/);
    const secret = await routedReport({ secret: true, title: 'Pungutan di sekolah negeri' });
    assert.equal((await step(office61, secret, 'take-over')).status, 404);
    assert.equal((await step(office61, '3333AAAA', 'take-over')).status, 404);
    assert.equal((await step(office61, 'not-an-id!', 'take-over')).status, 404);
  });

  test('bad input is a 400 naming the field, never a 500', async () => {
    assert.equal((await step(office61, escalated, 'take-over')).status, 200);
    const cases: [string, unknown, string][] = [
      ['findings', {}, 'findings'],
      ['findings', { findings: '   ' }, 'findings'],
      ['findings', { findings: 42 }, 'findings'],
      ['findings', { findings: 'ada\u0000nul' }, 'findings'],
      ['findings', { findings: 'x'.repeat(20_001) }, 'findings'],
      ['recommendation', { recommendation: null }, 'recommendation'],
      ['close', { message: 7 }, 'message'],
    ];
    for (const [path, json, field] of cases) {
      const res = await step(office61, escalated, path, json);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(json).slice(0, 40)}: ${res.text}`);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.ok(res.body.error.fields[field], `${path}: ${res.text}`);
    }
    const broken = await t.request('POST', `/api/v1/reports/${escalated}/ombudsman/findings`, {
      token: office61.token,
      raw: '{"findings": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(broken.status, 400);
    for (const query of ['?status=bogus', '?page=0', '?perPage=1000', '?page=x']) {
      const res = await t.request('GET', `/api/v1/ombudsman/reports${query}`, { token: office61.token });
      assert.equal(res.status, 400, `${query}: ${res.text}`);
    }
    // Nothing was recorded by the refused requests.
    const view = await t.request('GET', `/api/v1/reports/${escalated}`, { token: office61.token });
    assert.equal(view.body.ombudsman.findings, null);
    // A close without any body at all is read as no message (and refused here for the order).
    const bare = await t.request('POST', `/api/v1/reports/${escalated}/ombudsman/close`, { token: office61.token });
    assert.equal(bare.status, 409, bare.text);
  });

  test('two take-overs at once: one wins, the other is 409, one event', async () => {
    const id = await routedReport({ title: 'Bantuan sosial tidak tersalurkan' });
    await escalate(id, 'ombudsman-61', '2026-11-24T01:30:00Z');
    const results = await Promise.all([step(office61, id, 'take-over'), step(root, id, 'take-over')]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const events = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_events WHERE report_id = $1 AND type = 'ombudsman_taken_over'`,
      [await reportIdOf(id)],
    );
    assert.equal(events[0]!.n, 1);
  });

  test('Ombudsman RI acts on an office’s report as itself', async () => {
    const id = await routedReport({ title: 'Sertifikat tanah tidak kunjung terbit' });
    await escalate(id, 'ombudsman-61', '2026-11-24T01:40:00Z');
    const res = await step(root, id, 'take-over');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.ombudsman.officer, root.name);
    const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: root.token });
    const taken = timeline.body.find((e: { type: string }) => e.type === 'ombudsman_taken_over');
    assert.equal(taken.actor.body.id, await t.bodyId('ombudsman-ri'));
    assertNoIdentity(timeline, 'timeline');
  });
});

describe('availableActions lists the Ombudsman’s steps', () => {
  test('take-over, then findings, then recommendation, then close, as each applies; none for another office or once closed', async () => {
    const id = await routedReport();
    await escalate(id, 'ombudsman-61', '2027-01-24T00:00:00Z');
    const actions = async (user: TestUser) => {
      const res = await t.request('GET', `/api/v1/reports/${id}`, { token: user.token });
      assert.equal(res.status, 200, res.text);
      return res.body.availableActions as string[];
    };
    assert.deepEqual(await actions(office61), ['ombudsman_take_over']);
    assert.deepEqual(await actions(office51), [], 'another office reads the public report and can do nothing');
    assert.ok(!(await actions(agency)).some((a) => a.startsWith('ombudsman_')), 'the body is not the Ombudsman');
    assert.equal((await step(office61, id, 'take-over', {})).status, 200);
    assert.deepEqual(await actions(office61), ['ombudsman_findings']);
    assert.equal((await step(office61, id, 'findings', { findings: 'Maladministrasi: penundaan berlarut.' })).status, 200);
    assert.deepEqual(await actions(office61), ['ombudsman_findings', 'ombudsman_recommendation']);
    assert.equal((await step(office61, id, 'recommendation', { recommendation: 'Perbaiki dalam 14 hari.' })).status, 200);
    assert.deepEqual(await actions(office61), ['ombudsman_findings', 'ombudsman_recommendation', 'ombudsman_close']);
    assert.deepEqual(await actions(root), ['ombudsman_findings', 'ombudsman_recommendation', 'ombudsman_close'], 'Ombudsman RI too');
    assert.equal((await step(office61, id, 'close', {})).status, 200);
    assert.deepEqual(await actions(office61), []);
  });
});
