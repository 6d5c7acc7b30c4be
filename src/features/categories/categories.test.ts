import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

/**
 * Managing the category tree through /api/v1/admin/categories: national admins add and rename
 * national categories (two levels); an agency admin adds its body's own sub-categories under a
 * national top-level one and renames or retires only those (a national one: 403; another
 * body's: 404). A retired category is no longer offered, to a citizen or to staff; a body's own
 * are offered only to the staff of the body that handles the report.
 */

const URL = '/api/v1/admin/categories';
const PONTIANAK = 'pemkot-61.71';

let t: TestApp;
let national: TestUser;
let agency: TestUser;
let metroAgency: TestUser;
let citizen: TestUser;
let infra = 0;
let jalan = 0;
let pontianak = 0;

const post = (user: TestUser | null, url: string, json?: unknown) => t.request('POST', url, { token: user?.token, json: json ?? {} });
const patch = (user: TestUser, url: string, json: unknown) => t.request('PATCH', url, { token: user.token, json });
const offered = async (query = '') =>
  (await t.request('GET', `/api/v1/categories${query}`)).body as { id: number; code: string; bodyId: number | null }[];

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', PONTIANAK);
  metroAgency = await t.user('agency_admin', 'pemkot-18.72');
  citizen = await t.user('reporter');
  pontianak = await t.bodyId(PONTIANAK);
  const all = await offered();
  infra = all.find((c) => c.code === 'infrastruktur')!.id;
  jalan = all.find((c) => c.code === 'infrastruktur.jalan')!.id;
});
after(() => t.close());

describe('national categories', () => {
  test('a national admin adds a top-level category and one under it; codes follow the tree', async () => {
    const top = await post(national, URL, { code: 'kebencanaan', name: 'Kebencanaan', nameEn: 'Disasters' });
    assert.equal(top.status, 201, top.text);
    assert.equal(top.body.code, 'kebencanaan');
    assert.equal(top.body.parentId, null);
    assert.equal(top.body.body, null);
    const sub = await post(national, URL, { code: 'gempa', parentId: top.body.id, name: 'Gempa Bumi', nameEn: 'Earthquakes' });
    assert.equal(sub.status, 201, sub.text);
    assert.equal(sub.body.code, 'kebencanaan.gempa');
    assert.equal(sub.body.parent.name, 'Kebencanaan');
    assert.ok((await offered()).some((c) => c.code === 'kebencanaan.gempa'));
    const taken = await post(national, URL, { code: 'gempa', parentId: top.body.id, name: 'Gempa', nameEn: 'Quakes' });
    assert.equal(taken.status, 409);
    const deep = await post(national, URL, { code: 'susulan', parentId: sub.body.id, name: 'Gempa Susulan', nameEn: 'Aftershocks' });
    assert.equal(deep.status, 400, 'two levels');
    assert.match(deep.body.error.fields.parentId, /dua tingkat/);
  });

  test('renames in both languages and retires; a retired parent takes its children out of the offer', async () => {
    const top = (await post(national, URL, { code: 'uji-pensiun', name: 'Uji Pensiun', nameEn: 'Retirement test' })).body;
    const sub = (await post(national, URL, { code: 'anak', parentId: top.id, name: 'Anak Uji', nameEn: 'Child test' })).body;
    const renamed = await patch(national, `${URL}/${sub.id}`, { name: 'Anak Uji Baru', nameEn: 'New child test' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.name, 'Anak Uji Baru');
    assert.equal(renamed.body.nameEn, 'New child test');
    const off = await patch(national, `${URL}/${top.id}`, { active: false });
    assert.equal(off.body.active, false);
    const codes = (await offered()).map((c) => c.code);
    assert.ok(!codes.includes('uji-pensiun'));
    assert.ok(!codes.includes('uji-pensiun.anak'), 'under a retired parent');
    const listed = await t.request('GET', `${URL}?q=Anak%20Uji`, { token: national.token });
    assert.equal(listed.body.items[0].active, true);
    assert.equal(listed.body.items[0].offered, false);
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ categoryId: sub.id }) });
    assert.equal(filed.status, 400, filed.text);
    assert.ok(filed.body.error.fields.categoryId);
    await patch(national, `${URL}/${top.id}`, { active: true });
    assert.ok(
      (await offered()).some((c) => c.code === 'uji-pensiun.anak'),
      'restored with its parent',
    );
    assert.equal((await patch(national, `${URL}/${top.id}`, { active: true })).status, 400, 'nothing changes');
  });
});

describe('a body’s own sub-categories', () => {
  let own = 0;

  test('an agency admin adds one under a national top-level category, coded with its body', async () => {
    const res = await post(agency, URL, { code: 'parit-kota', parentId: infra, name: 'Parit Kota', nameEn: 'City ditches' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.code, `${PONTIANAK}:infrastruktur.parit-kota`);
    assert.equal(res.body.body.id, pontianak);
    assert.equal(res.body.editable, true);
    own = res.body.id;
    for (const [json, field] of [
      [{ code: 'tanpa-induk', name: 'Tanpa Induk', nameEn: 'No parent' }, 'parentId'],
      [{ code: 'di-bawah-sub', parentId: jalan, name: 'Di bawah sub', nameEn: 'Under a sub' }, 'parentId'],
      [{ code: 'di-bawah-sendiri', parentId: own, name: 'Di bawah sendiri', nameEn: 'Under its own' }, 'parentId'],
    ] as const) {
      const bad = await post(agency, URL, json);
      assert.equal(bad.status, 400, bad.text);
      assert.ok(bad.body.error.fields[field], bad.text);
    }
    // another body may use the same slug: codes never compete across bodies
    const metro = await post(metroAgency, URL, { code: 'parit-kota', parentId: infra, name: 'Parit Kota Metro', nameEn: 'Metro ditches' });
    assert.equal(metro.status, 201, metro.text);
  });

  test('it is offered to the staff of its body only, not to citizens nor to other bodies', async () => {
    assert.ok(!(await offered()).some((c) => c.id === own), 'not in the national list');
    assert.ok((await offered(`?bodyId=${pontianak}`)).some((c) => c.id === own && c.bodyId === pontianak));
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ categoryId: own }) });
    assert.equal(filed.status, 400, 'a citizen picks from the national tree');

    const report = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
    const id = report.body.trackingId as string;
    await t.request('POST', `/api/v1/reports/${id}/verify`, { token: national.token, json: { resolutionClass: 14 } });
    await t.request('POST', `/api/v1/reports/${id}/route`, { token: national.token, json: { bodyId: pontianak } });
    const metroOwn = (await t.request('GET', `${URL}?owner=own`, { token: metroAgency.token })).body.items[0].id as number;
    const wrong = await t.request('POST', `/api/v1/reports/${id}/edit`, { token: agency.token, json: { categoryId: metroOwn } });
    assert.equal(wrong.status, 400, wrong.text);
    const edited = await t.request('POST', `/api/v1/reports/${id}/edit`, { token: agency.token, json: { categoryId: own } });
    assert.equal(edited.status, 200, edited.text);
    assert.equal(edited.body.category.id, own);
  });

  test('an agency admin lists the national tree and its own, edits only its own', async () => {
    const list = await t.request('GET', `${URL}?perPage=100`, { token: agency.token });
    assert.equal(list.status, 200);
    const items = list.body.items as { id: number; body: { id: number } | null; editable: boolean }[];
    assert.ok(items.some((c) => c.id === own && c.editable));
    assert.ok(
      items.every((c) => c.body === null || c.body.id === pontianak),
      'no other body’s',
    );
    assert.ok(items.filter((c) => c.body === null).every((c) => !c.editable));
    const mine = await t.request('GET', `${URL}?owner=own`, { token: agency.token });
    assert.deepEqual(
      mine.body.items.map((c: { id: number }) => c.id),
      [own],
    );

    const national_ = await patch(agency, `${URL}/${jalan}`, { name: 'Jalan Kami' });
    assert.equal(national_.status, 403, national_.text);
    const others = await patch(metroAgency, `${URL}/${own}`, { name: 'Diambil alih' });
    assert.equal(others.status, 404, others.text);
    const retired = await patch(agency, `${URL}/${own}`, { active: false });
    assert.equal(retired.status, 200, retired.text);
    assert.ok(!(await offered(`?bodyId=${pontianak}`)).some((c) => c.id === own));
    const rows = await t.deps.db.query<{ name_id: string }>('SELECT name_id FROM categories WHERE id = $1', [jalan]);
    assert.equal(rows[0]!.name_id, 'Jalan Rusak');
  });
});

describe('garbage and strangers', () => {
  test('missing fields, huge strings, unknown fields, bad ids: 400, never 500; others 403', async () => {
    const huge = 'x'.repeat(100_000);
    for (const res of [
      await post(national, URL, {}),
      await post(national, URL, { code: 'Bukan Kode', name: 'Nama', nameEn: 'Name' }),
      await post(national, URL, { code: 'ok', name: huge, nameEn: huge }),
      await post(national, URL, { code: 'ok-kode', parentId: 'x', name: 'Nama', nameEn: 'Name' }),
      await post(national, URL, { code: 'ok-kode', parentId: 999_999, name: 'Nama', nameEn: 'Name' }),
      await post(national, URL, { code: 'ok-kode', name: 'Nama', nameEn: 'Name', bodyId: 1 }),
      await patch(national, `${URL}/abc`, { name: 'Nama' }),
      await patch(national, `${URL}/${jalan}`, { active: 'yes' }),
      await patch(national, `${URL}/${jalan}`, { name: ' ' }),
      await t.request('GET', `${URL}?owner=everyone`, { token: national.token }),
      await t.request('GET', `${URL}?page=0`, { token: national.token }),
      await t.request('GET', '/api/v1/categories?bodyId=abc'),
    ]) {
      assert.ok(res.status === 400 || res.status === 413, `${res.status}: ${res.text.slice(0, 300)}`);
    }
    assert.equal((await patch(national, `${URL}/999999`, { name: 'Nama' })).status, 404);
    assert.equal((await t.request('GET', URL)).status, 401);
    const unit = await t.user('unit_officer', `${PONTIANAK}/dinas-pupr`);
    for (const user of [unit, citizen, await t.user('monitor')]) {
      assert.equal((await t.request('GET', URL, { token: user.token })).status, 403);
      assert.equal((await post(user, URL, { code: 'coba', name: 'Coba', nameEn: 'Try' })).status, 403);
    }
  });
});
