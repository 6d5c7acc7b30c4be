import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';
import { renderMessage } from '../notifications/templates.ts';

/**
 * A province's or a body's own days off move the deadlines of the reports it handles, so they
 * apply only when a national admin approves them, and every deadline they move says so on its
 * report's timeline. Before this, a body's admin could push its own deadlines back by a month.
 */

let t: TestApp;
let national: TestUser;
let national2: TestUser;
let pontianakAdmin: TestUser; // Pemerintah Kota Pontianak (province 61)
let metroAdmin: TestUser; // Pemerintah Kota Metro (province 18)
let kalbarAdmin: TestUser; // Pemerintah Provinsi Kalimantan Barat (61)
let citizen: TestUser;
let pontianak: number;
let metro: number;

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
  national2 = await t.user('national_admin');
  pontianakAdmin = await t.user('agency_admin', 'pemkot-61.71');
  metroAdmin = await t.user('agency_admin', 'pemkot-18.72');
  kalbarAdmin = await t.user('agency_admin', 'pemprov-61');
  citizen = await t.user('reporter');
  pontianak = await t.bodyId('pemkot-61.71');
  metro = await t.bodyId('pemkot-18.72');
});
after(() => t.close());

const NOW = '2026-11-24T04:00:00Z';

/** A report filed on Tuesday 24 Nov 2026, verified (14 working days) and routed to a body. */
async function reportFor(bodyId: number): Promise<string> {
  t.setNow('2026-11-24T03:00:00Z');
  const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
  assert.equal(filed.status, 201, filed.text);
  const id = filed.body.trackingId as string;
  t.setNow(NOW);
  for (const [action, json] of [
    ['verify', { resolutionClass: 14 }],
    ['route', { bodyId }],
  ] as const) {
    const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: national.token, json });
    assert.equal(res.status, 200, `${action}: ${res.text}`);
  }
  return id;
}

/** The due times of a report's running body clocks. */
async function dues(id: string): Promise<Record<string, string>> {
  const res = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
  assert.equal(res.status, 200, res.text);
  const running = res.body.clocks.filter((c: { state: string; kind: string }) => c.state === 'running' && c.kind !== 'ombudsman');
  return Object.fromEntries(running.map((c: { kind: string; dueAt: string }) => [c.kind, c.dueAt]));
}

interface TimelineEvent {
  type: string;
  visibility: string;
  actor: { role: string; name: string | null };
  data: Record<string, any>;
}

async function timeline(id: string, token?: string): Promise<{ events: TimelineEvent[]; text: string }> {
  const res = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token });
  assert.equal(res.status, 200, res.text);
  return { events: res.body, text: res.text };
}

const moves = async (id: string, token = national.token) => (await timeline(id, token)).events.filter((e) => e.type === 'deadline_moved');

const decide = (requestId: number | string, verdict: 'approve' | 'reject', user: TestUser, json: unknown = {}) =>
  t.request('POST', `/api/v1/calendar/change-requests/${requestId}/${verdict}`, { token: user.token, json });

const outbox = async (template: string, userId: number) =>
  t.deps.db.query<{ payload: Record<string, unknown>; channel: string }>(
    'SELECT payload, channel FROM outbox WHERE template = $1 AND recipient_user_id = $2 ORDER BY id',
    [template, userId],
  );

const requestCount = async () => (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM calendar_change_requests'))[0]!.n;

/** Every weekday of December 2026, as a body's days off. */
function decemberOff(name: string): { date: string; kind: string; name: string }[] {
  const days = [];
  for (let d = 1; d <= 31; d += 1) {
    const date = `2026-12-${String(d).padStart(2, '0')}`;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push({ date, kind: 'regional', name });
  }
  return days;
}

test('a national admin’s own change to a body’s calendar applies at once and names itself on the timeline', async () => {
  const id = await reportFor(metro);
  const before = await dues(id);
  assert.equal(before.first_follow_up, '2026-12-01T23:59:59+07:00');
  const added = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'body', bodyId: metro, date: '2026-11-30', kind: 'regional', name: 'Hari Jadi Kota Metro' },
  });
  assert.equal(added.status, 201, added.text);
  const after = await dues(id);
  assert.equal(after.first_follow_up, '2026-12-02T23:59:59+07:00');
  const moved = (await moves(id)).find((e) => e.data.clock === 'first_follow_up');
  assert.ok(moved, 'the move is on the timeline');
  assert.equal(moved.data.change.requestId, null, 'no request: the national admin made it');
  assert.equal(moved.data.change.layer, `body:${metro}`);
  assert.deepEqual(moved.data.change.days, [{ date: '2026-11-30', kind: 'regional', name: 'Hari Jadi Kota Metro', effect: 'added' }]);
  assert.equal(moved.data.previousDueAt, before.first_follow_up);
  assert.equal(moved.data.dueAt, after.first_follow_up);
  assert.equal(moved.actor.role, 'national_admin');
  assert.equal(moved.actor.name, national.name);
  assert.equal(await requestCount(), 0, 'a national admin’s change is no request');
});

test('a body admin’s day off is only a request; rejected, it moves nothing and the requester hears why', async () => {
  const id = await reportFor(pontianak);
  const before = await dues(id);
  const asked = await t.request('POST', '/api/v1/calendar/days', {
    token: pontianakAdmin.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-11-26', kind: 'regional', name: 'Libur tambahan', reason: 'Rapat kerja' },
  });
  assert.equal(asked.status, 202, asked.text);
  assert.equal(asked.body.status, 'pending');
  assert.equal(asked.body.action, 'add');
  assert.equal(asked.body.reason, 'Rapat kerja');
  assert.deepEqual(await dues(id), before, 'asked, not applied');

  const noReason = await decide(asked.body.id, 'reject', national, {});
  assert.equal(noReason.status, 400, 'a rejection needs a reason');
  assert.equal((await decide(asked.body.id, 'reject', pontianakAdmin, { reason: 'Tidak jadi' })).status, 403);
  const rejected = await decide(asked.body.id, 'reject', national, { reason: 'Tidak ada dasar hukum (Perda/Perwali).' });
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal(rejected.body.status, 'rejected');
  assert.equal(rejected.body.decidedBy.id, national.principal.userId);
  assert.ok(rejected.body.decidedAt);

  assert.deepEqual(await dues(id), before, 'rejected: nothing moved');
  assert.deepEqual(await moves(id), []);
  const cal = await t.request('GET', `/api/v1/bodies/${pontianak}/calendar?year=2026`);
  assert.ok(!cal.body.days.some((d: { date: string }) => d.date === '2026-11-26'), 'the day is not in the calendar');

  const told = await outbox('calendar.change_decided', pontianakAdmin.principal.userId);
  assert.equal(told.filter((m) => m.channel === 'in_app').length, 1);
  const message = renderMessage('calendar.change_decided', told[0]!.payload);
  assert.match(message.title, /ditolak \/ .*rejected/);
  assert.match(message.body, /Tidak ada dasar hukum/);

  // Decided once.
  assert.equal((await decide(asked.body.id, 'approve', national)).status, 409);
  assert.equal((await decide(asked.body.id, 'reject', national2, { reason: 'Sekali lagi' })).status, 409);
  assert.deepEqual(await dues(id), before);
});

test('a body admin’s whole month of days off moves none of its deadlines until a national admin approves it', async () => {
  const id = await reportFor(pontianak);
  const control = await reportFor(metro);
  const before = await dues(id);
  const controlBefore = await dues(control);
  assert.ok(before.first_follow_up && before.resolution, JSON.stringify(before));
  const url = `/api/v1/calendar?scope=body&bodyId=${pontianak}&year=2026&source=${encodeURIComponent('Surat Edaran Wali Kota')}`;
  const asked = await t.request('PUT', url, { token: pontianakAdmin.token, json: decemberOff('Libur akhir tahun Kota Pontianak') });
  // The hole: before, this applied at once and the city's deadlines moved into January.
  assert.deepEqual(await dues(id), before, `a body's admin must not move its own deadlines (${asked.status} ${asked.text})`);
  assert.equal(asked.status, 202, asked.text);
  assert.equal(asked.body.status, 'pending');
  assert.equal(asked.body.import.days.length, 23);

  // Before approval nothing has moved: not the deadlines, not the calendar, not the timeline.
  assert.deepEqual(await dues(id), before);
  const cal = await t.request('GET', `/api/v1/bodies/${pontianak}/calendar?year=2026`);
  assert.ok(!cal.body.days.some((d: { date: string }) => d.date === '2026-12-01'));
  assert.deepEqual(await moves(id), []);

  // The national admins hear of it, and see it among the pending requests; so does the body's admin.
  for (const admin of [national, national2]) {
    const heard = await outbox('calendar.change_requested', admin.principal.userId);
    const m = heard.find((row) => row.payload.requestId === asked.body.id);
    assert.ok(m, 'told of the request');
    assert.match(renderMessage('calendar.change_requested', m.payload).title, /Pemerintah Kota Pontianak.* \/ Calendar change/);
  }
  const pendingList = await t.request('GET', '/api/v1/calendar/change-requests', { token: national.token });
  assert.equal(pendingList.status, 200, pendingList.text);
  assert.ok(pendingList.body.items.some((r: { id: number }) => r.id === asked.body.id));
  const own = await t.request('GET', '/api/v1/calendar/change-requests?status=all', { token: pontianakAdmin.token });
  assert.ok(own.body.items.some((r: { id: number }) => r.id === asked.body.id));

  const approved = await decide(asked.body.id, 'approve', national);
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.body.status, 'approved');
  assert.equal(approved.body.decidedBy.id, national.principal.userId);
  assert.ok(approved.body.decidedAt);
  assert.ok(approved.body.deadlinesMoved >= 2, JSON.stringify(approved.body));

  // Now the deadlines are a month later; Metro's are as they were.
  const after = await dues(id);
  assert.match(after.first_follow_up!, /^2027-01-/);
  assert.match(after.resolution!, /^2027-01-/);
  assert.deepEqual(await dues(control), controlBefore);
  assert.deepEqual(await moves(control), []);

  // Each moved deadline is on the report's timeline, naming the request, the days, the layer and the approver.
  const events = await moves(id);
  assert.deepEqual(events.map((e) => e.data.clock).sort(), ['first_follow_up', 'resolution']);
  for (const e of events) {
    assert.equal(e.data.change.requestId, asked.body.id);
    assert.equal(e.data.change.action, 'import');
    assert.equal(e.data.change.layer, `body:${pontianak}`);
    assert.equal(e.data.change.layerName, 'Pemerintah Kota Pontianak');
    assert.equal(e.data.change.dayCount, 23);
    assert.deepEqual(e.data.change.days[0], {
      date: '2026-12-01',
      kind: 'regional',
      name: 'Libur akhir tahun Kota Pontianak',
      effect: 'added',
    });
    assert.ok(e.data.change.approvedAt);
    assert.equal(e.data.previousDueAt, before[e.data.clock]);
    assert.equal(e.data.dueAt, after[e.data.clock]);
    assert.equal(e.actor.role, 'national_admin');
    assert.equal(e.actor.name, national.name, 'staff see who approved it');
  }

  // The reporter sees their deadlines move and why, but not who approved it by name; the public does not see it.
  const mine = await timeline(id, citizen.token);
  const seen = mine.events.filter((e) => e.type === 'deadline_moved');
  assert.equal(seen.length, 2);
  assert.equal(seen[0]!.visibility, 'reporter');
  assert.equal(seen[0]!.data.change.requestId, asked.body.id);
  assert.equal(seen[0]!.data.previousDueAt, before[seen[0]!.data.clock]);
  assert.equal(seen[0]!.actor.role, 'national_admin');
  assert.equal(seen[0]!.actor.name, null);
  const pub = await timeline(id);
  assert.ok(pub.events.length > 0, 'the report is public');
  assert.ok(!pub.events.some((e) => e.type === 'deadline_moved'));

  // The requester is told.
  const told = await outbox('calendar.change_decided', pontianakAdmin.principal.userId);
  const m = told.find((row) => row.payload.requestId === asked.body.id && row.channel === 'in_app');
  assert.ok(m);
  assert.match(renderMessage('calendar.change_decided', m.payload).title, /disetujui \/ .*approved/);
});

test('an agency admin cannot decide a request, nor see another body’s', async () => {
  const asked = await t.request('POST', '/api/v1/calendar/days', {
    token: pontianakAdmin.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-09-14', kind: 'regional', name: 'Hari uji' },
  });
  assert.equal(asked.status, 202, asked.text);
  assert.equal((await decide(asked.body.id, 'approve', pontianakAdmin)).status, 403, 'not its own');
  assert.equal((await decide(asked.body.id, 'approve', metroAdmin)).status, 403);
  assert.equal((await decide(asked.body.id, 'approve', kalbarAdmin)).status, 403, 'not its province’s government either');
  assert.equal((await decide(asked.body.id, 'approve', citizen)).status, 403);
  assert.equal((await t.request('POST', `/api/v1/calendar/change-requests/${asked.body.id}/approve`, { json: {} })).status, 401);
  const still = await t.request('GET', `/api/v1/calendar/change-requests/${asked.body.id}`, { token: pontianakAdmin.token });
  assert.equal(still.status, 200);
  assert.equal(still.body.status, 'pending');
  const cal = await t.request('GET', `/api/v1/bodies/${pontianak}/calendar?year=2026`);
  assert.ok(!cal.body.days.some((d: { date: string }) => d.date === '2026-09-14'));

  assert.equal((await t.request('GET', `/api/v1/calendar/change-requests/${asked.body.id}`, { token: metroAdmin.token })).status, 404);
  const metroList = await t.request('GET', '/api/v1/calendar/change-requests?status=all', { token: metroAdmin.token });
  assert.equal(metroList.status, 200);
  assert.ok(!metroList.body.items.some((r: { layer: { key: string } }) => r.layer.key !== `body:${metro}`), 'only its own layer');
  assert.equal((await t.request('GET', '/api/v1/calendar/change-requests', { token: citizen.token })).status, 403);
  assert.equal((await t.request('GET', '/api/v1/calendar/change-requests')).status, 401);
});

test('an agency admin cannot ask for a change to another body’s layer', async () => {
  const day = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-10-01', kind: 'regional', name: 'Hari Pontianak' },
  });
  assert.equal(day.status, 201, day.text);
  const count = await requestCount();
  const cases: [string, TestUser, () => Promise<{ status: number; text: string }>][] = [
    [
      'add to another body',
      metroAdmin,
      () =>
        t.request('POST', '/api/v1/calendar/days', {
          token: metroAdmin.token,
          json: { scope: 'body', bodyId: pontianak, date: '2026-10-02', kind: 'regional', name: 'Bukan milik Metro' },
        }),
    ],
    [
      'add to a city as its province’s government',
      kalbarAdmin,
      () =>
        t.request('POST', '/api/v1/calendar/days', {
          token: kalbarAdmin.token,
          json: { scope: 'body', bodyId: pontianak, date: '2026-10-02', kind: 'regional', name: 'Bukan milik provinsi' },
        }),
    ],
    [
      'add to another province',
      metroAdmin,
      () =>
        t.request('POST', '/api/v1/calendar/days', {
          token: metroAdmin.token,
          json: { scope: 'province', provinceCode: '18', date: '2026-10-02', kind: 'regional', name: 'Bukan pemprov' },
        }),
    ],
    [
      'change another body’s day',
      metroAdmin,
      () => t.request('PATCH', `/api/v1/calendar/days/${day.body.id}`, { token: metroAdmin.token, json: { name: 'x' } }),
    ],
    [
      'remove another body’s day',
      metroAdmin,
      () => t.request('DELETE', `/api/v1/calendar/days/${day.body.id}`, { token: metroAdmin.token }),
    ],
    [
      'import another body’s year',
      metroAdmin,
      () =>
        t.request('PUT', `/api/v1/calendar?scope=body&bodyId=${pontianak}&year=2026&source=Surat`, {
          token: metroAdmin.token,
          json: [],
        }),
    ],
  ];
  for (const [name, , call] of cases) {
    const res = await call();
    assert.equal(res.status, 403, `${name}: ${res.text}`);
  }
  assert.equal(await requestCount(), count, 'no request was stored');
});

test('a request is decided once: parallel approvals by two national admins apply it once', async () => {
  const id = await reportFor(pontianak);
  const before = await dues(id);
  // The province government asks for Friday 27 Nov off across Kalimantan Barat: Pontianak's deadlines move.
  const internal = 'Catatan internal: agar tenggat akhir bulan aman';
  const url =
    `/api/v1/calendar?scope=province&provinceCode=61&year=2026&source=${encodeURIComponent('Pergub Kalbar')}` +
    `&reason=${encodeURIComponent(internal)}`;
  const asked = await t.request('PUT', url, {
    token: kalbarAdmin.token,
    json: [{ date: '2026-11-27', kind: 'regional', name: 'Cuti daerah Kalimantan Barat' }],
  });
  assert.equal(asked.status, 202, asked.text);
  assert.deepEqual(await dues(id), before);
  const results = await Promise.all([decide(asked.body.id, 'approve', national), decide(asked.body.id, 'approve', national2)]);
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], results.map((r) => r.text).join('\n'));
  const winner = results.find((r) => r.status === 200)!;
  const loser = results.find((r) => r.status === 409)!;
  assert.match(loser.body.error.message, /sudah disetujui \/ .*already approved/);
  const events = (await moves(id)).filter((e) => e.data.change.requestId === asked.body.id);
  assert.equal(events.length, 2, 'each moved deadline once');
  const stored = await t.request('GET', `/api/v1/calendar/change-requests/${asked.body.id}`, { token: national.token });
  assert.equal(stored.body.decidedBy.id, winner.body.decidedBy.id);
  const told = await outbox('calendar.change_decided', kalbarAdmin.principal.userId);
  assert.equal(told.filter((m) => m.payload.requestId === asked.body.id && m.channel === 'in_app').length, 1, 'told once');
  assert.notDeepEqual(await dues(id), before);
  // The province's internal note stays on the request: on no timeline, for no reader.
  assert.equal(stored.body.reason, internal);
  for (const token of [undefined, citizen.token, pontianakAdmin.token, national.token]) {
    const { events, text } = await timeline(id, token);
    assert.ok(!text.includes(internal), `note leaked to ${token ? 'a signed-in reader' : 'the public'}`);
    if (token) assert.equal(events.filter((e) => e.type === 'deadline_moved' && e.data.change.requestId === asked.body.id).length, 2);
  }
  const province = await t.request('GET', '/api/v1/calendar?scope=province&provinceCode=61&year=2026');
  assert.deepEqual(
    province.body.days.map((d: { date: string }) => d.date),
    ['2026-11-27'],
  );
});

test('a request its day no longer fits gets a clear 409, and stays pending to be rejected', async () => {
  const made = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-10-05', kind: 'regional', name: 'Hari Jadi' },
  });
  assert.equal(made.status, 201, made.text);
  const rename = await t.request('PATCH', `/api/v1/calendar/days/${made.body.id}`, {
    token: pontianakAdmin.token,
    json: { name: 'Hari Jadi Kota Pontianak', reason: 'Nama lengkap' },
  });
  assert.equal(rename.status, 202, rename.text);
  const noop = await t.request('PATCH', `/api/v1/calendar/days/${made.body.id}`, {
    token: pontianakAdmin.token,
    json: { name: 'Hari Jadi' },
  });
  assert.equal(noop.status, 400, 'a request that changes nothing is refused');
  assert.equal(rename.body.before.name, 'Hari Jadi');
  assert.equal(rename.body.after.name, 'Hari Jadi Kota Pontianak');
  const removal = await t.request('DELETE', `/api/v1/calendar/days/${made.body.id}?reason=${encodeURIComponent('Tidak jadi')}`, {
    token: pontianakAdmin.token,
  });
  assert.equal(removal.status, 202, removal.text);
  const stillThere = await t.request('GET', `/api/v1/calendar?scope=body&bodyId=${pontianak}&year=2026`);
  assert.ok(stillThere.body.days.some((d: { date: string; name: string }) => d.date === '2026-10-05' && d.name === 'Hari Jadi'));

  // Meanwhile a national admin changes the day.
  const changed = await t.request('PATCH', `/api/v1/calendar/days/${made.body.id}`, { token: national.token, json: { kind: 'holiday' } });
  assert.equal(changed.status, 200, changed.text);
  for (const asked of [rename, removal]) {
    const res = await decide(asked.body.id, 'approve', national);
    assert.equal(res.status, 409, res.text);
    assert.match(res.body.error.message, /sudah diubah .* \/ .*was changed/);
    const still = await t.request('GET', `/api/v1/calendar/change-requests/${asked.body.id}`, { token: national.token });
    assert.equal(still.body.status, 'pending');
  }
  // ...and then removes it.
  assert.equal((await t.request('DELETE', `/api/v1/calendar/days/${made.body.id}`, { token: national.token })).status, 204);
  const gone = await decide(removal.body.id, 'approve', national);
  assert.equal(gone.status, 409, gone.text);
  assert.match(gone.body.error.message, /sudah tidak ada .* \/ .*no longer/);
  assert.equal((await decide(removal.body.id, 'reject', national, { reason: 'Sudah dihapus' })).status, 200);

  // A day asked to be added whose date was taken meanwhile.
  const add = await t.request('POST', '/api/v1/calendar/days', {
    token: pontianakAdmin.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-10-06', kind: 'regional', name: 'Usulan' },
  });
  assert.equal(add.status, 202, add.text);
  const taken = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-10-06', kind: 'regional', name: 'Sudah ditetapkan' },
  });
  assert.equal(taken.status, 201);
  const conflict = await decide(add.body.id, 'approve', national);
  assert.equal(conflict.status, 409, conflict.text);
  assert.match(conflict.body.error.message, /2026-10-06 sudah ada .* \/ .*already in this calendar/);
  // Asking for a date that is already taken is refused at once.
  const again = await t.request('POST', '/api/v1/calendar/days', {
    token: pontianakAdmin.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-10-06', kind: 'regional', name: 'Usulan lagi' },
  });
  assert.equal(again.status, 409);
});

test('bad request ids and bodies are 400s, unknown requests 404', async () => {
  for (const path of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
    const res = await t.request('POST', `/api/v1/calendar/change-requests/${path}/approve`, { token: national.token, json: {} });
    assert.equal(res.status, 400, `${path}: ${res.text}`);
  }
  assert.equal((await decide(987654, 'approve', national)).status, 404);
  assert.equal((await decide(987654, 'reject', national, { reason: 'Tidak ada' })).status, 404);
  assert.equal((await t.request('GET', '/api/v1/calendar/change-requests/987654', { token: national.token })).status, 404);
  assert.equal((await decide(1, 'approve', national, { note: 5 })).status, 400);
  assert.equal((await decide(1, 'approve', national, { extra: true })).status, 400);
  assert.equal((await decide(1, 'reject', national, { reason: 'x'.repeat(1001) })).status, 400);
  assert.equal((await t.request('GET', '/api/v1/calendar/change-requests?status=open', { token: national.token })).status, 400);
  const long = await t.request('POST', '/api/v1/calendar/days', {
    token: pontianakAdmin.token,
    json: { scope: 'body', bodyId: pontianak, date: '2026-10-07', kind: 'regional', name: 'Hari', reason: 'x'.repeat(1001) },
  });
  assert.equal(long.status, 400);
});
