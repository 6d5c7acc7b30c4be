import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';
import { CLOCK_KINDS, countsAgainstBody } from '../../domain/sla.ts';
import { sweepDueClocks } from './sweep.ts';

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
let agency: TestUser;
let unit: TestUser;
let pontianak: number;
let pupr: number;

before(async () => {
  // The clock jumps months ahead; tokens must outlive it.
  t = await startTestApp({ sessionTtlHours: 24 * 365 });
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  pontianak = await t.bodyId('pemkot-61.71');
  pupr = await t.bodyId('pemkot-61.71/dinas-pupr');
});
after(() => t.close());

const sweep = (at: string) => sweepDueClocks({ db: t.deps.db, limits: t.deps.config.sla }, new Date(at));

async function file(at: string, overrides: Record<string, unknown> = {}): Promise<string> {
  t.setNow(at);
  const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput(overrides) });
  assert.equal(res.status, 201, res.text);
  return res.body.trackingId;
}

async function act(user: TestUser, id: string, action: string, json: unknown, at: string) {
  t.setNow(at);
  const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json });
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  return res.body;
}

async function clocks(id: string, at: string, token = national.token) {
  t.setNow(at);
  const res = await t.request('GET', `/api/v1/reports/${id}`, { token });
  assert.equal(res.status, 200);
  return Object.fromEntries(
    res.body.clocks.filter((c: { state: string }) => c.state !== 'stopped').map((c: { kind: string }) => [c.kind, c]),
  ) as Record<
    string,
    { state: string; dueAt: string | null; left: { workingDays: number; overdue: boolean } | null; breachedAt: string | null }
  >;
}

const count = async (sql: string, params: unknown[] = []) => (await t.deps.db.query<{ n: number }>(sql, params))[0]!.n;

test('submission starts the verification (H+3 working days) and Ombudsman (60 days) clocks, shown with time left', async () => {
  // Tuesday 24 Nov 2026, 10:00 WIB.
  const id = await file('2026-11-24T03:00:00Z');
  const c = await clocks(id, '2026-11-24T03:00:00Z');
  assert.equal(c.verification!.dueAt, '2026-11-27T23:59:59+07:00');
  assert.equal(c.verification!.left!.workingDays, 3);
  assert.equal(c.ombudsman!.dueAt, '2027-01-23T23:59:59+07:00');
  // Not public before verification; then the public sees the clocks too: deadlines are a public commitment.
  assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 404);
  const verified = await t.request('POST', `/api/v1/reports/${id}/verify`, { token: national.token, json: { resolutionClass: 14 } });
  assert.equal(verified.status, 200, verified.text);
  const pub = await t.request('GET', `/api/v1/reports/${id}`);
  assert.equal(pub.body.clocks.length, 2);
});

test('the full path: reminder, missed deadline recorded once, routing, escalation to the Ombudsman of the province', async () => {
  const id = await file('2026-11-24T03:00:00Z', { regionCode: '61.71.01' });
  const reportId = (await t.deps.db.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [id]))[0]!.id;

  // 24 hours before the verification deadline (Fri 23:59:59 WIB) the holder is reminded, once.
  const r1 = await sweep('2026-11-26T17:00:00Z');
  assert.ok(r1.reminders >= 1);
  const reminders = await count(`SELECT count(*)::int AS n FROM report_events WHERE report_id = $1 AND type = 'deadline_reminder'`, [
    reportId,
  ]);
  assert.equal(reminders, 1);
  assert.ok(
    (await count(`SELECT count(*)::int AS n FROM outbox WHERE template = 'deadline.reminder' AND recipient_user_id = $1`, [
      national.principal.userId,
    ])) >= 1,
  );
  await sweep('2026-11-26T18:00:00Z');
  assert.equal(
    await count(`SELECT count(*)::int AS n FROM report_events WHERE report_id = $1 AND type = 'deadline_reminder'`, [reportId]),
    1,
  );

  // Past the deadline: one breach, never two, kept for evaluation and told to the national desk.
  await sweep('2026-11-28T00:00:00Z');
  await sweep('2026-11-29T00:00:00Z');
  assert.equal(await count(`SELECT count(*)::int AS n FROM sla_breaches WHERE report_id = $1 AND kind = 'verification'`, [reportId]), 1);
  assert.equal(
    await count(`SELECT count(*)::int AS n FROM report_events WHERE report_id = $1 AND type = 'deadline_missed'`, [reportId]),
    1,
  );
  const c1 = await clocks(id, '2026-11-29T00:00:00Z');
  assert.equal(c1.verification!.state, 'expired');
  assert.ok(c1.verification!.breachedAt);

  // Verified and routed on Monday 30 Nov: H+5 for the first follow-up, 14 working days to resolve.
  await act(national, id, 'verify', { resolutionClass: 14 }, '2026-11-30T02:00:00Z');
  await act(national, id, 'route', { bodyId: pontianak }, '2026-11-30T02:00:00Z');
  await act(agency, id, 'disposition', { unitId: pupr }, '2026-11-30T03:00:00Z');
  const c2 = await clocks(id, '2026-11-30T03:00:00Z');
  assert.equal(c2.first_follow_up!.dueAt, '2026-12-07T23:59:59+07:00');
  assert.equal(c2.resolution!.dueAt, '2026-12-18T23:59:59+07:00');

  // Nobody acts. On 24 Jan 2027, 61 days after receipt, the report goes to the Ombudsman office of Kalimantan Barat.
  const r3 = await sweep('2027-01-24T00:00:00Z');
  assert.ok(r3.escalated >= 1);
  const row = (
    await t.deps.db.query<{ code: string; escalated_at: Date | null; status: string }>(
      `SELECT o.code, r.escalated_at, r.status FROM reports r JOIN bodies o ON o.id = r.ombudsman_body_id WHERE r.id = $1`,
      [reportId],
    )
  )[0]!;
  assert.equal(row.code, 'ombudsman-61');
  assert.equal(row.status, 'dispositioned', 'escalation is a flag beside the state');
  assert.equal(
    await count(`SELECT count(*)::int AS n FROM sla_breaches WHERE report_id = $1`, [reportId]),
    4,
    'verification, follow-up, resolution, ombudsman',
  );
  // Each breach counts against whoever held the report when the deadline passed: the national desk
  // for verification (no body yet), the city and its unit for the later ones.
  const ledger = await t.deps.db.query<{ kind: string; body_id: number | null; unit_id: number | null }>(
    `SELECT kind, body_id, unit_id FROM sla_breaches WHERE report_id = $1 ORDER BY breached_at, kind`,
    [reportId],
  );
  assert.deepEqual(ledger, [
    { kind: 'verification', body_id: null, unit_id: null },
    { kind: 'first_follow_up', body_id: pontianak, unit_id: pupr },
    { kind: 'ombudsman', body_id: pontianak, unit_id: pupr },
    { kind: 'resolution', body_id: pontianak, unit_id: pupr },
  ]);
  // The body's admin hears of its missed deadlines in one digest per sweep, never one by one.
  const digests = await t.deps.db.query<{ payload: { count: number; items: { trackingId: string; clock: string }[] } }>(
    `SELECT payload FROM outbox WHERE template = 'deadline.missed_digest' AND recipient_user_id = $1 AND channel = 'in_app'`,
    [agency.principal.userId],
  );
  const listed = digests.flatMap((d) => d.payload.items.filter((i) => i.trackingId === id).map((i) => i.clock)).sort();
  assert.deepEqual(listed, ['first_follow_up', 'ombudsman', 'resolution'], 'each of the body’s breaches in a digest, once');
  assert.equal(await count(`SELECT count(*)::int AS n FROM outbox WHERE template = 'deadline.missed'`, []), 0);
  // The escalation is told to the reporter and to the body's admin (and to the office's officers, none yet).
  const escalated = await t.deps.db.query<{ who: number }>(
    `SELECT DISTINCT recipient_user_id AS who FROM outbox WHERE template = 'report.escalated' AND payload->>'trackingId' = $1`,
    [id],
  );
  assert.deepEqual(new Set(escalated.map((r) => r.who)), new Set([citizen.principal.userId, agency.principal.userId]));

  // The Ombudsman office takes it over; the body still sees it, marked as escalated.
  const ombudsman = await t.user('ombudsman', 'ombudsman-61');
  t.setNow('2027-01-25T02:00:00Z');
  const list = await t.request('GET', '/api/v1/inbox', { token: ombudsman.token });
  assert.ok(list.body.items.some((r: { trackingId: string }) => r.trackingId === id));
  const inbox = await t.request('GET', `/api/v1/inbox?q=${id}`, { token: agency.token });
  assert.ok(inbox.body.items[0].escalatedAt);
  const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`);
  assert.ok(timeline.body.some((e: { type: string }) => e.type === 'escalated_to_ombudsman'));
  const taken = await t.request('POST', `/api/v1/reports/${id}/ombudsman/take-over`, { token: ombudsman.token, json: {} });
  assert.equal(taken.status, 200, taken.text);
  const mine = await t.request('GET', '/api/v1/ombudsman/reports?status=taken', { token: ombudsman.token });
  assert.ok(mine.body.items.some((r: { trackingId: string }) => r.trackingId === id));
});

test('on hold the clocks pause and resume where they stopped; the reporter has 10 working days to complete', async () => {
  const id = await file('2026-11-24T03:00:00Z');
  await act(national, id, 'hold', { message: 'Mohon lengkapi lokasi persisnya.' }, '2026-11-25T03:00:00Z');
  const paused = await clocks(id, '2026-11-25T03:00:00Z');
  assert.equal(paused.verification!.state, 'paused');
  assert.equal(paused.verification!.dueAt, null);
  assert.equal(paused.completion!.dueAt, '2026-12-09T23:59:59+07:00');
  // A paused clock never fires, however late.
  await sweep('2026-12-05T00:00:00Z');
  assert.equal((await clocks(id, '2026-12-05T00:00:00Z')).verification!.state, 'paused');

  // Completed on Wednesday 2 Dec: the two verification days left run from there.
  await act(citizen, id, 'reply', { message: 'Lokasinya di depan SDN 12, Jl. Gajah Mada.' }, '2026-12-02T03:00:00Z');
  const resumed = await clocks(id, '2026-12-02T03:00:00Z');
  assert.equal(resumed.verification!.state, 'running');
  assert.equal(resumed.verification!.dueAt, '2026-12-04T23:59:59+07:00');
  assert.equal(resumed.completion, undefined, 'the completion clock stopped');
});

test('no completion within 10 working days: the report is archived as incomplete, and the reporter told', async () => {
  const id = await file('2026-11-24T03:00:00Z');
  await act(national, id, 'hold', { message: 'Mohon lampirkan foto.' }, '2026-11-24T04:00:00Z');
  const result = await sweep('2026-12-09T17:00:01Z');
  assert.ok(result.archivedIncomplete >= 1);
  t.setNow('2026-12-10T00:00:00Z');
  const report = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
  assert.equal(report.status, 200, report.text);
  assert.equal(report.body.status, 'archived');
  assert.equal(report.body.archiveReason, 'incomplete');
  assert.ok(
    (await count(
      `SELECT count(*)::int AS n FROM outbox WHERE template = 'report.archived' AND recipient_user_id = $1 AND payload->>'reason' = 'incomplete'`,
      [citizen.principal.userId],
    )) >= 1,
  );
  assert.equal(
    await count(
      `SELECT count(*)::int AS n FROM sla_breaches b JOIN reports r ON r.id = b.report_id WHERE r.tracking_id = $1 AND b.kind = 'completion'`,
      [id],
    ),
    0,
    'the reporter’s window does not count against a body',
  );
});

test('no reply within 10 working days of the answer: the report closes by itself', async () => {
  const id = await file('2026-11-24T03:00:00Z', { classification: 'permintaan_informasi' });
  await act(national, id, 'verify', { resolutionClass: 5 }, '2026-11-24T04:00:00Z');
  await act(national, id, 'route', { bodyId: pontianak }, '2026-11-24T04:00:00Z');
  await act(agency, id, 'disposition', { unitId: pupr }, '2026-11-24T05:00:00Z');
  await act(
    unit,
    id,
    'answer',
    { message: 'Jadwal pelayanan KTP-el di kantor dinas adalah Senin sampai Jumat pukul 08.00 sampai 15.00 WIB.' },
    '2026-11-25T03:00:00Z',
  );
  const c = await clocks(id, '2026-11-25T03:00:00Z');
  assert.equal(c.reply_window!.dueAt, '2026-12-09T23:59:59+07:00');
  assert.equal(c.ombudsman!.state, 'paused', 'the Ombudsman clock waits while the reporter considers the answer');
  await sweep('2026-12-10T00:00:00Z');
  t.setNow('2026-12-10T00:00:00Z');
  const report = await t.request('GET', `/api/v1/reports/${id}`);
  assert.equal(report.body.status, 'closed');
  const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`);
  assert.ok(timeline.body.some((e: { type: string; actor: { role: string } }) => e.type === 'auto_closed' && e.actor.role === 'system'));
});

test('a holiday added after the clock started moves the deadline that falls on it', async () => {
  const id = await file('2026-11-24T03:00:00Z');
  await act(national, id, 'verify', { resolutionClass: 5 }, '2026-11-24T04:00:00Z');
  await act(national, id, 'route', { bodyId: pontianak }, '2026-11-24T04:00:00Z');
  const before = await clocks(id, '2026-11-24T04:00:00Z');
  assert.equal(before.first_follow_up!.dueAt, '2026-12-01T23:59:59+07:00');
  // Pontianak declares 1 December a regional day off: once a national admin approves it, its
  // deadlines move, Metro's do not.
  t.setNow('2026-11-25T02:00:00Z');
  const asked = await t.request('POST', '/api/v1/calendar/days', {
    token: agency.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-12-01', kind: 'regional', name: 'Hari libur daerah' },
  });
  assert.equal(asked.status, 202, asked.text);
  assert.equal((await clocks(id, '2026-11-25T02:00:00Z')).first_follow_up!.dueAt, '2026-12-01T23:59:59+07:00', 'not before approval');
  const approve = (requestId: number) =>
    t.request('POST', `/api/v1/calendar/change-requests/${requestId}/approve`, { token: national.token, json: {} });
  const added = await approve(asked.body.id);
  assert.equal(added.status, 200, added.text);
  const afterAdd = await clocks(id, '2026-11-25T02:00:00Z');
  assert.equal(afterAdd.first_follow_up!.dueAt, '2026-12-02T23:59:59+07:00');
  assert.equal(afterAdd.resolution!.dueAt, '2026-12-02T23:59:59+07:00');
  // Removing it (asked, then approved) moves them back.
  const removal = await t.request('DELETE', `/api/v1/calendar/days/${added.body.dayId}`, { token: agency.token });
  assert.equal(removal.status, 202, removal.text);
  assert.equal((await approve(removal.body.id)).status, 200);
  assert.equal((await clocks(id, '2026-11-25T02:00:00Z')).first_follow_up!.dueAt, '2026-12-01T23:59:59+07:00');
});

test('the breach ledger (sla_breaches) lists expired clocks of exactly the kinds that count against a body', async () => {
  const id = await file('2026-11-24T03:00:00Z');
  const reportId = (await t.deps.db.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [id]))[0]!.id;
  // One expired clock of every kind, in a cycle of their own.
  for (const kind of CLOCK_KINDS) {
    await t.deps.db.query(
      `INSERT INTO report_clocks (report_id, kind, cycle, state, limit_days, limit_unit, time_zone, started_at, counted_from,
                                  count_days, due_at, breached_at, breach_body_id)
       VALUES ($1, $2, 90, 'expired', 1, 'working', 'Asia/Jakarta', $3, $3, 1, $3, $3, $4)`,
      [reportId, kind, new Date('2026-11-25T17:00:00Z'), pontianak],
    );
  }
  const listed = await t.deps.db.query<{ kind: string }>(
    `SELECT kind FROM sla_breaches WHERE report_id = $1 AND cycle = 90 ORDER BY kind`,
    [reportId],
  );
  assert.deepEqual(
    listed.map((r) => r.kind),
    CLOCK_KINDS.filter(countsAgainstBody).toSorted(),
    'the view and countsAgainstBody (src/domain/sla.ts) name the same kinds',
  );
});

test('a recorded breach is kept: its clock cannot be deleted, nor what the ledger shows of it changed', async () => {
  const id = await file('2026-11-24T03:00:00Z');
  await sweep('2026-11-28T00:00:00Z');
  const [clock] = await t.deps.db.query<{ id: number }>(
    `SELECT c.id FROM report_clocks c JOIN reports r ON r.id = c.report_id WHERE r.tracking_id = $1 AND c.kind = 'verification'`,
    [id],
  );
  const [breach] = await t.deps.db.query<{ clock_id: number }>('SELECT clock_id FROM sla_breaches WHERE clock_id = $1', [clock!.id]);
  assert.ok(breach, 'the missed verification deadline is in the ledger');
  await assert.rejects(t.deps.db.query('DELETE FROM report_clocks WHERE id = $1', [clock!.id]), /kept for evaluation/);
  for (const set of ['breached_at = NULL', `breach_body_id = ${pontianak}`, `due_at = due_at + interval '1 day'`, 'cycle = 7']) {
    await assert.rejects(t.deps.db.query(`UPDATE report_clocks SET ${set} WHERE id = $1`, [clock!.id]), /cannot be changed/, set);
  }
  // Anything else on the row may change (e.g. it is stopped later); the breach stays as it was.
  await t.deps.db.query(`UPDATE report_clocks SET stopped_at = now() WHERE id = $1`, [clock!.id]);
  assert.equal(await count('SELECT count(*)::int AS n FROM sla_breaches WHERE clock_id = $1', [clock!.id]), 1);
});

test('a report reopened after closing by a low rating is not completed: its Ombudsman clock runs again, without the days it was closed', async () => {
  // Ombudsman clock: filed Tue 24 Nov 2026, due 23 Jan 2027.
  const id = await file('2026-11-24T03:00:00Z', { classification: 'permintaan_informasi' });
  await act(national, id, 'verify', { resolutionClass: 5 }, '2026-11-24T04:00:00Z');
  await act(national, id, 'route', { bodyId: pontianak }, '2026-11-24T04:00:00Z');
  await act(agency, id, 'disposition', { unitId: pupr }, '2026-11-24T05:00:00Z');
  await act(
    unit,
    id,
    'answer',
    { message: 'Formulir pindah domisili dapat diunduh di laman Disdukcapil dan diserahkan di loket 3.' },
    '2026-11-25T03:00:00Z',
  );
  // Answered on 25 Nov with 59 days left; accepted the next day: closed, the clock waits.
  await act(citizen, id, 'accept', {}, '2026-11-26T03:00:00Z');
  assert.equal((await clocks(id, '2026-11-26T03:00:00Z')).ombudsman!.state, 'paused');
  // Closed past the original due date: nothing escalates while it is closed.
  const quiet = await sweep('2027-03-01T00:00:00Z');
  const escalatedWhileClosed = await count(`SELECT count(*)::int AS n FROM reports WHERE tracking_id = $1 AND escalated_at IS NOT NULL`, [
    id,
  ]);
  assert.equal(escalatedWhileClosed, 0, JSON.stringify(quiet));
  // A rating of 1 on 1 Mar 2027 reopens it: the 59 days left run from there.
  const reopened = await act(citizen, id, 'rate', { rating: 1 }, '2027-03-01T03:00:00Z');
  assert.equal(reopened.status, 'in_progress');
  const c = await clocks(id, '2027-03-01T03:00:00Z');
  assert.equal(c.ombudsman!.state, 'running');
  assert.equal(c.ombudsman!.dueAt, '2027-04-29T23:59:59+07:00');
  await sweep('2027-04-30T00:00:00Z');
  const rows = await t.deps.db.query<{ code: string }>(
    `SELECT o.code FROM reports r JOIN bodies o ON o.id = r.ombudsman_body_id WHERE r.tracking_id = $1 AND r.escalated_at IS NOT NULL`,
    [id],
  );
  assert.deepEqual(rows, [{ code: 'ombudsman-61' }]);
});

test('a report reinstated on appeal is not completed: its Ombudsman clock runs again, without the days it lay archived', async () => {
  // Ombudsman clock: filed Tue 24 Nov 2026, due 23 Jan 2027. Archived on 25 Nov with 59 days left.
  const id = await file('2026-11-24T03:00:00Z');
  await act(national, id, 'archive', { reason: 'not_public_service' }, '2026-11-25T04:00:00Z');
  const archived = await clocks(id, '2026-11-25T04:00:00Z');
  assert.equal(archived.ombudsman!.state, 'paused');
  assert.equal(archived.verification, undefined, 'the verification clock stopped');
  await act(citizen, id, 'appeal', { message: 'Ini tentang layanan air bersih PDAM, pelayanan publik.' }, '2026-11-26T03:00:00Z');
  assert.equal((await clocks(id, '2026-11-26T03:00:00Z')).ombudsman!.state, 'paused', 'an appeal alone does not reopen it');
  // Granted on Tue 1 Dec: back at the national desk, verified again within 3 working days,
  // and the 59 days left run from there.
  const granted = await act(
    national,
    id,
    'appeal/grant',
    { message: 'Benar, PDAM adalah penyelenggara pelayanan publik.' },
    '2026-12-01T03:00:00Z',
  );
  assert.equal(granted.status, 'submitted');
  assert.equal(granted.archiveReason, null);
  const c = await clocks(id, '2026-12-01T03:00:00Z');
  assert.equal(c.ombudsman!.state, 'running');
  assert.equal(c.ombudsman!.dueAt, '2027-01-29T23:59:59+07:00');
  assert.equal(c.verification!.state, 'running');
  assert.equal(c.verification!.dueAt, '2026-12-04T23:59:59+07:00');
});

test('escalation goes to the Ombudsman office of the handling body’s province; the report’s region only for a national body', async () => {
  // Filed about Pontianak (61), routed to Kota Metro (18, Lampung); another routed to a ministry.
  const toMetro = await file('2026-11-24T03:00:00Z', { regionCode: '61.71.01' });
  await act(national, toMetro, 'verify', { resolutionClass: 60 }, '2026-11-24T04:00:00Z');
  await act(national, toMetro, 'route', { bodyId: await t.bodyId('pemkot-18.72') }, '2026-11-24T04:00:00Z');
  const toMinistry = await file('2026-11-24T03:00:00Z', { regionCode: '61.71.01' });
  await act(national, toMinistry, 'verify', { resolutionClass: 60 }, '2026-11-24T04:00:00Z');
  await act(national, toMinistry, 'route', { bodyId: await t.bodyId('kemendagri') }, '2026-11-24T04:00:00Z');
  const unrouted = await file('2026-11-24T03:00:00Z', { regionCode: '18.72' });
  await sweep('2027-01-24T00:00:00Z');
  const office = async (id: string) =>
    (
      await t.deps.db.query<{ code: string }>(
        `SELECT o.code FROM reports r JOIN bodies o ON o.id = r.ombudsman_body_id WHERE r.tracking_id = $1 AND r.escalated_at IS NOT NULL`,
        [id],
      )
    )[0]?.code;
  assert.equal(await office(toMetro), 'ombudsman-18', 'the handling body’s province, not the report’s region');
  assert.equal(await office(toMinistry), 'ombudsman-61', 'a national body: the report’s region');
  assert.equal(await office(unrouted), 'ombudsman-18', 'no body yet: the report’s region');
});
