import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedReference } from '../../db/seed/reference.ts';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';

let t: TestApp;
let national: TestUser;
let kalbar: TestUser; // admin of Pemerintah Provinsi Kalimantan Barat
let pontianak: TestUser;
let citizen: TestUser;
let pontianakId: number;

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
  kalbar = await t.user('agency_admin', 'pemprov-61');
  pontianak = await t.user('agency_admin', 'pemkot-61.71');
  citizen = await t.user('reporter');
  pontianakId = await t.bodyId('pemkot-61.71');
});
after(() => t.close());

/** A province's or a body's admin only asks (202); a national admin approves, and then it applies. */
async function approve(asked: { status: number; text: string; body: { id: number } }) {
  assert.equal(asked.status, 202, asked.text);
  const res = await t.request('POST', `/api/v1/calendar/change-requests/${asked.body.id}/approve`, { token: national.token, json: {} });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

test('the shipped national calendar is loaded with its source: 2026 decreed, 2027 provisional', async () => {
  const y2026 = await t.request('GET', '/api/v1/calendar?scope=national&year=2026');
  assert.equal(y2026.status, 200);
  assert.equal(y2026.body.status, 'decreed');
  assert.match(y2026.body.source, /SKB/);
  assert.equal(y2026.body.days.filter((d: { kind: string }) => d.kind === 'holiday').length, 17);
  assert.equal(y2026.body.days.filter((d: { kind: string }) => d.kind === 'cuti_bersama').length, 8);
  const y2027 = await t.request('GET', '/api/v1/calendar?scope=national&year=2027');
  assert.equal(y2027.body.status, 'provisional');
  assert.deepEqual(
    y2027.body.days.map((d: { date: string }) => d.date),
    ['2027-01-01', '2027-05-01', '2027-06-01', '2027-08-17', '2027-12-25'],
  );
});

test('a year exports as CSV with the header date,kind,name', async () => {
  const res = await t.request('GET', '/api/v1/calendar?scope=national&year=2026&format=csv');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /text\/csv/);
  const lines = res.text.trim().split(/\r?\n/);
  assert.equal(lines[0], 'date,kind,name');
  assert.ok(lines.some((l) => l.startsWith('2026-03-19,holiday,')));
});

test('admins import a year from CSV; a bad line is named and nothing changes', async () => {
  const csv = 'date,kind,name\n2026-09-01,regional,Hari Jadi Kota Pontianak\n2026-10-23,regional,"Hari Jadi Pontianak, ke-255"\n';
  const url = `/api/v1/calendar?scope=body&bodyId=${pontianakId}&year=2026&source=${encodeURIComponent('Keputusan Wali Kota Pontianak')}`;
  const ok = await t.request('PUT', url, { token: pontianak.token, raw: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(ok.body.import.days.length, 2);
  await approve(ok);

  const bad = 'date,kind,name\n2026-09-02,regional,Hari lain\n2026-02-30,holiday,Tidak ada\n';
  const refused = await t.request('PUT', url, { token: pontianak.token, raw: bad, headers: { 'content-type': 'text/csv' } });
  assert.equal(refused.status, 400);
  assert.ok(refused.body.error.fields['line 3'], JSON.stringify(refused.body));
  assert.match(refused.body.error.fields['line 3'], /2026-02-30/);
  const after = await t.request('GET', `/api/v1/calendar?scope=body&bodyId=${pontianakId}&year=2026`);
  assert.deepEqual(
    after.body.days.map((d: { date: string }) => d.date),
    ['2026-09-01', '2026-10-23'],
  );
  assert.equal(after.body.source, 'Keputusan Wali Kota Pontianak');

  const wrongYear = await t.request('PUT', url, {
    token: pontianak.token,
    raw: 'date,kind,name\n2025-09-01,regional,Tahun lalu\n',
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(wrongYear.status, 400);
});

test('import as JSON, and bad JSON names the line', async () => {
  const url = `/api/v1/calendar?scope=province&provinceCode=61&year=2026&source=${encodeURIComponent('Pergub Kalbar')}`;
  const ok = await t.request('PUT', url, {
    token: kalbar.token,
    json: [{ date: '2026-08-28', kind: 'regional', name: 'Hari Jadi Provinsi Kalimantan Barat' }],
  });
  await approve(ok);
  const national200 = await t.request('PUT', url, {
    token: national.token,
    json: [{ date: '2026-08-28', kind: 'regional', name: 'Hari Jadi Provinsi Kalimantan Barat' }],
  });
  assert.equal(national200.status, 200, 'a national admin’s import applies at once');
  assert.equal(national200.body.imported, 1);
  const bad = await t.request('PUT', url, {
    token: kalbar.token,
    raw: '[\n{"date":"2026-08-28","kind":"libur","name":"x"}\n]',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body.error.fields), /line 2/);
});

test('who may change which calendar (a province’s or a body’s admin only asks: 202)', async () => {
  const day = (scope: Record<string, unknown>, date: string) => ({ ...scope, date, kind: 'regional', name: 'Hari uji' });
  const cases: [string, TestUser | null, Record<string, unknown>, number][] = [
    ['national admin, national', national, { scope: 'national' }, 201],
    ['province admin, own province', kalbar, { scope: 'province', provinceCode: '61' }, 202],
    ['province admin, another province', kalbar, { scope: 'province', provinceCode: '51' }, 403],
    ['province admin, national', kalbar, { scope: 'national' }, 403],
    ['city admin, own body', pontianak, { scope: 'body', bodyId: pontianakId }, 202],
    ['national admin, a body', national, { scope: 'body', bodyId: pontianakId }, 201],
    ['city admin, its province', pontianak, { scope: 'province', provinceCode: '61' }, 403],
    ['reporter, own nothing', citizen, { scope: 'national' }, 403],
    ['no token', null, { scope: 'national' }, 401],
  ];
  let d = 1;
  for (const [name, user, scope, expected] of cases) {
    const date = `2026-07-${String(d++).padStart(2, '0')}`;
    const res = await t.request('POST', '/api/v1/calendar/days', { token: user?.token, json: day(scope, date) });
    assert.equal(res.status, expected, `${name}: ${res.text}`);
  }
});

test('day edits are validated; duplicates conflict; change and delete work', async () => {
  const weekdayWorkday = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'national', date: '2026-11-25', kind: 'workday', name: 'Hari kerja pengganti' },
  });
  assert.equal(weekdayWorkday.status, 400, 'a workday must be a weekend day');
  const impossible = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'national', date: '2026-13-01', kind: 'holiday', name: 'x' },
  });
  assert.equal(impossible.status, 400);
  assert.ok(impossible.body.error.fields.date);
  const duplicate = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'national', date: '2026-08-17', kind: 'holiday', name: 'Lagi' },
  });
  assert.equal(duplicate.status, 409);

  const created = await t.request('POST', '/api/v1/calendar/days', {
    token: national.token,
    json: { scope: 'national', date: '2026-12-31', kind: 'cuti_bersama', name: 'Cuti Bersama Tahun Baru' },
  });
  assert.equal(created.status, 201, created.text);
  const changed = await t.request('PATCH', `/api/v1/calendar/days/${created.body.id}`, {
    token: national.token,
    json: { name: 'Cuti bersama akhir tahun' },
  });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.name, 'Cuti bersama akhir tahun');
  const forbidden = await t.request('DELETE', `/api/v1/calendar/days/${created.body.id}`, { token: pontianak.token });
  assert.equal(forbidden.status, 403);
  const removed = await t.request('DELETE', `/api/v1/calendar/days/${created.body.id}`, { token: national.token });
  assert.equal(removed.status, 204);
  const gone = await t.request('DELETE', `/api/v1/calendar/days/${created.body.id}`, { token: national.token });
  assert.equal(gone.status, 404);
});

test('a unit works on its body’s calendar: national, province and body days merged', async () => {
  const unit = await t.bodyId('pemkot-61.71/dinas-pupr');
  const res = await t.request('GET', `/api/v1/bodies/${unit}/calendar?year=2026`);
  assert.equal(res.status, 200);
  assert.equal(res.body.timeZone, 'Asia/Jakarta');
  assert.deepEqual(res.body.layers, ['national', 'province:61', `body:${pontianakId}`]);
  const dates = res.body.days.map((d: { date: string }) => d.date);
  assert.ok(dates.includes('2026-08-17'), 'national');
  assert.ok(dates.includes('2026-08-28'), 'province');
  assert.ok(dates.includes('2026-09-01'), 'body');
  const metro = await t.request('GET', `/api/v1/bodies/${await t.bodyId('pemkot-18.72')}/calendar?year=2026`);
  assert.ok(!metro.body.days.some((d: { date: string }) => d.date === '2026-09-01'), 'another body does not get Pontianak’s day');
});

test('the shipped calendar is loaded once: a deleted shipped day stays deleted after a restart', async () => {
  const list = await t.request('GET', '/api/v1/calendar?scope=national&year=2026');
  const day = list.body.days.find((d: { date: string }) => d.date === '2026-12-24');
  assert.ok(day);
  const rows = await t.deps.db.query<{ id: number }>(`SELECT id FROM calendar_days WHERE scope_key = 'national' AND date = '2026-12-24'`);
  assert.equal((await t.request('DELETE', `/api/v1/calendar/days/${rows[0]!.id}`, { token: national.token })).status, 204);
  await seedReference(t.deps.db);
  const again = await t.request('GET', '/api/v1/calendar?scope=national&year=2026');
  assert.ok(!again.body.days.some((d: { date: string }) => d.date === '2026-12-24'));
});
