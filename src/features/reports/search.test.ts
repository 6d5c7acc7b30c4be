import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
const ids: Record<string, string> = {};

async function file(key: string, overrides: Record<string, unknown>, at: string) {
  t.setNow(at);
  const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput(overrides) });
  assert.equal(res.status, 201, res.text);
  ids[key] = res.body.trackingId;
}

const trackingIds = (res: { body: { items: { trackingId: string }[] } }) => res.body.items.map((i) => i.trackingId).sort();

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  const infra = (await t.request('GET', '/api/v1/categories')).body.find((c: { code: string }) => c.code === 'infrastruktur.jalan');
  await file(
    'road',
    {
      title: 'Jalan berlubang di Pontianak',
      body: 'Kerusakan jalan yang parah di dekat sekolah, banyak lubang besar.',
      regionCode: '61.71.01',
      categoryId: infra.id,
      incidentDate: '2026-11-01',
    },
    '2026-11-02T02:00:00Z',
  );
  await file(
    'ktp',
    {
      title: 'KTP-el belum jadi',
      body: 'Sudah tiga bulan menunggu pencetakan KTP elektronik di kantor dukcapil.',
      regionCode: '18.72',
      classification: 'permintaan_informasi',
      incidentDate: '2026-11-05',
    },
    '2026-11-10T02:00:00Z',
  );
  await file(
    'flood',
    {
      title: 'Banjir karena drainase',
      body: 'Saluran drainase tersumbat sehingga jalan tergenang setiap hujan deras.',
      regionCode: '61.71.02',
      classification: 'aspirasi',
      incidentDate: '2026-11-15',
    },
    '2026-11-20T02:00:00Z',
  );
  t.setNow('2026-11-24T03:00:00Z');
  // public once verified: the two left unrouted are verified, the road report verified and routed
  for (const key of ['ktp', 'flood']) {
    const verified = await t.request('POST', `/api/v1/reports/${ids[key]}/verify`, { token: national.token, json: { resolutionClass: 5 } });
    assert.equal(verified.status, 200, verified.text);
  }
  const route = await t.request('POST', `/api/v1/reports/${ids.road}/verify`, { token: national.token, json: { resolutionClass: 14 } });
  assert.equal(route.status, 200);
  const routed = await t.request('POST', `/api/v1/reports/${ids.road}/route`, {
    token: national.token,
    json: { bodyId: await t.bodyId('pemkot-61.71') },
  });
  assert.equal(routed.status, 200);
});
after(() => t.close());

test('keyword search uses the Indonesian stemmer: "kerusakan" finds "rusak", "berlubang" finds "lubang"', async () => {
  const res = await t.request('GET', '/api/v1/reports?q=rusak');
  assert.deepEqual(trackingIds(res), [ids.road]);
  const res2 = await t.request('GET', '/api/v1/reports?q=lubang');
  assert.deepEqual(trackingIds(res2), [ids.road]);
  const none = await t.request('GET', '/api/v1/reports?q=gempa');
  assert.equal(none.body.total, 0);
});

test('search by tracking ID, in any case and with a dash', async () => {
  const id = ids.ktp!;
  const res = await t.request('GET', `/api/v1/reports?q=${id.slice(0, 4).toLowerCase()}-${id.slice(4)}`);
  assert.deepEqual(trackingIds(res), [id]);
});

test('filters: region (with everything inside it), body, category, classification, status, dates', async () => {
  assert.deepEqual(trackingIds(await t.request('GET', '/api/v1/reports?regionCode=61.71')), [ids.road, ids.flood].sort());
  assert.deepEqual(trackingIds(await t.request('GET', '/api/v1/reports?regionCode=61.71.02')), [ids.flood]);
  const body = await t.bodyId('pemkot-61.71');
  assert.deepEqual(trackingIds(await t.request('GET', `/api/v1/reports?bodyId=${body}`)), [ids.road]);
  const parent = (await t.request('GET', '/api/v1/categories')).body.find((c: { code: string }) => c.code === 'infrastruktur');
  assert.deepEqual(
    trackingIds(await t.request('GET', `/api/v1/reports?categoryId=${parent.id}`)),
    [ids.road],
    'a parent category includes its children',
  );
  assert.deepEqual(trackingIds(await t.request('GET', '/api/v1/reports?classification=aspirasi')), [ids.flood]);
  assert.deepEqual(trackingIds(await t.request('GET', '/api/v1/reports?status=dispositioned')), [ids.road]);
  assert.deepEqual(trackingIds(await t.request('GET', '/api/v1/reports?status=submitted,dispositioned')).length, 3);
  assert.deepEqual(trackingIds(await t.request('GET', '/api/v1/reports?from=2026-11-10&to=2026-11-10')), [ids.ktp]);
  assert.deepEqual(trackingIds(await t.request('GET', '/api/v1/reports?from=2026-11-03')), [ids.ktp, ids.flood].sort());
});

test('the feed is newest first and paginates', async () => {
  const page1 = await t.request('GET', '/api/v1/reports?perPage=2&page=1');
  assert.equal(page1.body.total, 3);
  assert.deepEqual(
    page1.body.items.map((i: { trackingId: string }) => i.trackingId),
    [ids.flood, ids.ktp],
  );
  const page2 = await t.request('GET', '/api/v1/reports?perPage=2&page=2');
  assert.deepEqual(
    page2.body.items.map((i: { trackingId: string }) => i.trackingId),
    [ids.road],
  );
});

test('my reports list only my own, in full', async () => {
  const other = await t.user('reporter');
  const mine = await t.request('GET', '/api/v1/me/reports', { token: citizen.token });
  assert.equal(mine.body.total, 3);
  assert.equal(mine.body.items[0].reporter.email, citizen.email);
  const theirs = await t.request('GET', '/api/v1/me/reports', { token: other.token });
  assert.equal(theirs.body.total, 0);
});
