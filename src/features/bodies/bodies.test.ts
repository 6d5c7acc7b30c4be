import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

/**
 * Managing the body directory through /api/v1/admin/bodies: a national admin adds top-level
 * bodies (checked against the region and its time zone), renames and retires any; an agency
 * admin sees its own body and the units below it, adds units under them (the path runs from the
 * top body down), renames and retires them, and gets 404 for everything else, as an attacker
 * trying another body's ids would. Retiring is refused while something is still held.
 */

const URL = '/api/v1/admin/bodies';
const PONTIANAK = 'pemkot-61.71';

let t: TestApp;
let national: TestUser;
let agency: TestUser;
let metroAgency: TestUser;
let citizen: TestUser;
const ids = { pontianak: 0, pupr: 0, metro: 0, metroPupr: 0 };

const post = (user: TestUser | null, url: string, json?: unknown) => t.request('POST', url, { token: user?.token, json: json ?? {} });
const patch = (user: TestUser, url: string, json: unknown) => t.request('PATCH', url, { token: user.token, json });
const get = (user: TestUser | null, url: string) => t.request('GET', url, { token: user?.token });

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', PONTIANAK);
  metroAgency = await t.user('agency_admin', 'pemkot-18.72');
  citizen = await t.user('reporter');
  ids.pontianak = await t.bodyId(PONTIANAK);
  ids.pupr = await t.bodyId(`${PONTIANAK}/dinas-pupr`);
  ids.metro = await t.bodyId('pemkot-18.72');
  ids.metroPupr = await t.bodyId('pemkot-18.72/dinas-pupr');
});
after(() => t.close());

describe('a national admin', () => {
  test('lists every body by name, filtered by kind, region, status and name, one page at a time', async () => {
    const cities = await get(national, `${URL}?kind=city&regionCode=61&perPage=5`);
    assert.equal(cities.status, 200, cities.text);
    assert.ok(cities.body.total >= 2, 'Pontianak and Singkawang');
    assert.ok(cities.body.items.length <= 5);
    assert.ok(cities.body.items.every((b: { kind: string; regionCode: string }) => b.kind === 'city' && b.regionCode.startsWith('61.')));
    const named = await get(national, `${URL}?q=${encodeURIComponent('Kota Pontianak')}`);
    assert.deepEqual(
      named.body.items.map((b: { id: number }) => b.id),
      [ids.pontianak],
    );
    const units = await get(national, `${URL}?kind=unit&q=Bina%20Marga&perPage=100`);
    assert.ok(units.body.items.length >= 5, 'units only when asked for');
    const none = await get(national, `${URL}?q=Bina%20Marga`);
    assert.equal(none.body.total, 0, 'units are not listed with the bodies');
    const second = await get(national, `${URL}?page=2&perPage=10`);
    assert.equal(second.body.page, 2);
    assert.equal(second.body.items.length, 10);
    assert.equal(second.headers.get('cache-control'), 'private, no-store');
  });

  test('adds a top-level body with its path, region and time zone; a taken code is 409', async () => {
    const json = {
      code: 'pemkab-uji-61.99',
      name: 'Pemerintah Kabupaten Uji',
      kind: 'agency',
      regionCode: '61.71',
      timeZone: 'Asia/Jakarta',
    };
    const res = await post(national, URL, json);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.path, [res.body.id]);
    assert.equal(res.body.parentId, null);
    assert.equal(res.body.regionName, 'Kota Pontianak');
    assert.equal(res.body.active, true);
    const again = await post(national, URL, json);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.error.fields.code, 'Kode sudah dipakai / Code already in use');
    const listed = await t.request('GET', '/api/v1/bodies?q=Kabupaten%20Uji');
    assert.equal(listed.body.length, 1, 'in the public directory');
  });

  test('a regional government needs a region of its level, in its own time zone', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'province' }, 'regionCode'],
      [{ kind: 'province', regionCode: '61.71' }, 'regionCode'],
      [{ kind: 'city', regionCode: '61' }, 'regionCode'],
      [{ kind: 'city', regionCode: '99.99' }, 'regionCode'],
      [{ kind: 'city', regionCode: '73.71', timeZone: 'Asia/Jakarta' }, 'timeZone'],
      [{ kind: 'agency', regionCode: '61.71.01' }, 'regionCode'],
      [{ kind: 'unit' }, 'kind'],
      [{ kind: 'ombudsman' }, 'kind'],
      [{ code: 'Bukan Kode!' }, 'code'],
      [{ code: '' }, 'code'],
      [{ name: ' ' }, 'name'],
      [{ timeZone: 'Europe/Paris' }, 'timeZone'],
    ];
    for (const [change, field] of cases) {
      const json = { code: 'uji-wilayah', name: 'Instansi Uji', kind: 'agency', timeZone: 'Asia/Jakarta', ...change };
      const res = await post(national, URL, json);
      assert.equal(res.status, 400, `${JSON.stringify(change)}: ${res.text}`);
      assert.ok(res.body.error.fields?.[field], `${JSON.stringify(change)} names ${field}: ${res.text}`);
    }
    const wita = await post(national, URL, {
      code: 'uji-makassar',
      name: 'Instansi Uji Makassar',
      kind: 'university',
      regionCode: '73.71',
      timeZone: 'Asia/Makassar',
    });
    assert.equal(wita.status, 201, wita.text);
  });

  test('renames and retires any body; the retired one leaves the public directory and restores', async () => {
    const made = await post(national, URL, { code: 'uji-pensiun', name: 'Instansi Pensiun', kind: 'agency', timeZone: 'Asia/Jakarta' });
    const id = made.body.id as number;
    const renamed = await patch(national, `${URL}/${id}`, { name: '  Badan   Uji Pensiun ' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.name, 'Badan Uji Pensiun');
    const same = await patch(national, `${URL}/${id}`, { name: 'Badan Uji Pensiun' });
    assert.equal(same.status, 400);
    const off = await post(national, `${URL}/${id}/deactivate`);
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.active, false);
    assert.equal((await t.request('GET', '/api/v1/bodies?q=Uji%20Pensiun')).body.length, 0);
    assert.equal((await get(national, `${URL}?status=inactive&q=Uji%20Pensiun`)).body.total, 1);
    assert.equal((await post(national, `${URL}/${id}/deactivate`)).status, 409, 'already inactive');
    const on = await post(national, `${URL}/${id}/activate`);
    assert.equal(on.body.active, true);
  });
});

describe('an agency admin', () => {
  test('reads its own body with its units; every other body is 404, as is the list outside its tree', async () => {
    const own = await get(agency, `${URL}/${ids.pontianak}`);
    assert.equal(own.status, 200, own.text);
    assert.equal(own.body.manageable, false, 'its own body is the national admins’');
    const pupr = own.body.units.find((u: { id: number }) => u.id === ids.pupr);
    assert.equal(pupr.depth, 1);
    assert.ok(
      own.body.units.some((u: { depth: number }) => u.depth === 2),
      'nested units',
    );
    assert.ok(own.body.units.every((u: { path: number[] }) => u.path[0] === ids.pontianak));
    for (const id of [ids.metro, ids.metroPupr, 999_999]) {
      const res = await get(agency, `${URL}/${id}`);
      assert.equal(res.status, 404, `${id}: ${res.text}`);
      assert.doesNotMatch(res.text, /Metro/);
    }
    const listed = await get(agency, `${URL}?kind=unit&perPage=100`);
    assert.ok(listed.body.items.length > 0);
    assert.ok(listed.body.items.every((b: { path: number[] }) => b.path.includes(ids.pontianak)));
    assert.equal((await get(agency, `${URL}?q=Metro`)).body.total, 0);
  });

  test('adds a unit under its body and another under that unit, each path running from the top body down', async () => {
    const unit = await post(agency, `${URL}/${ids.pontianak}/units`, { slug: 'dinas-kominfo', name: 'Dinas Komunikasi dan Informatika' });
    assert.equal(unit.status, 201, unit.text);
    assert.equal(unit.body.code, `${PONTIANAK}/dinas-kominfo`);
    assert.deepEqual(unit.body.path, [ids.pontianak, unit.body.id]);
    assert.equal(unit.body.kind, 'unit');
    assert.equal(unit.body.timeZone, 'Asia/Jakarta');
    assert.equal(unit.body.regionCode, '61.71');
    const sub = await post(agency, `${URL}/${unit.body.id}/units`, { slug: 'bidang-statistik', name: 'Bidang Statistik' });
    assert.equal(sub.status, 201, sub.text);
    assert.deepEqual(sub.body.path, [ids.pontianak, unit.body.id, sub.body.id]);
    assert.equal(sub.body.code, `${PONTIANAK}/dinas-kominfo/bidang-statistik`);
    const again = await post(agency, `${URL}/${unit.body.id}/units`, { slug: 'bidang-statistik', name: 'Bidang Statistik Lagi' });
    assert.equal(again.status, 409);
    assert.ok(again.body.error.fields.slug);
    // the unit is offered for disposition: in the directory under its parent
    const children = await t.request('GET', `/api/v1/bodies?parentId=${unit.body.id}`);
    assert.deepEqual(
      children.body.map((b: { id: number }) => b.id),
      [sub.body.id],
    );
  });

  test('cannot touch another body’s units: 404 for a read, a unit under them, a rename, a retirement', async () => {
    const before = (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bodies'))[0]!.n;
    const name = (
      await t.deps.db.query<{ name: string; active: boolean }>('SELECT name, active FROM bodies WHERE id = $1', [ids.metroPupr])
    )[0]!;
    for (const res of [
      await post(agency, `${URL}/${ids.metroPupr}/units`, { slug: 'bidang-baru', name: 'Bidang Baru' }),
      await post(agency, `${URL}/${ids.metro}/units`, { slug: 'dinas-baru', name: 'Dinas Baru' }),
      await patch(agency, `${URL}/${ids.metroPupr}`, { name: 'Diambil alih' }),
      await post(agency, `${URL}/${ids.metroPupr}/deactivate`),
      await post(agency, `${URL}/${ids.metroPupr}/activate`),
      await post(metroAgency, `${URL}/${ids.pupr}/deactivate`),
    ]) {
      assert.equal(res.status, 404, res.text);
      assert.equal(res.body.error.code, 'not_found');
    }
    assert.equal((await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bodies'))[0]!.n, before);
    const after = (
      await t.deps.db.query<{ name: string; active: boolean }>('SELECT name, active FROM bodies WHERE id = $1', [ids.metroPupr])
    )[0]!;
    assert.deepEqual(after, name);
  });

  test('may not rename or retire its own body, nor add a top-level body', async () => {
    assert.equal((await patch(agency, `${URL}/${ids.pontianak}`, { name: 'Kota Baru' })).status, 403);
    assert.equal((await post(agency, `${URL}/${ids.pontianak}/deactivate`)).status, 403);
    const top = await post(agency, URL, { code: 'uji-agency', name: 'Instansi Agency', kind: 'agency', timeZone: 'Asia/Jakarta' });
    assert.equal(top.status, 403);
  });

  test('retiring is refused while the unit holds an active account, an open report or an active unit below it', async () => {
    const unit = (await post(agency, `${URL}/${ids.pontianak}/units`, { slug: 'dinas-uji', name: 'Dinas Uji' })).body;
    const sub = (await post(agency, `${URL}/${unit.id}/units`, { slug: 'seksi-uji', name: 'Seksi Uji' })).body;
    const officer = await t.request('POST', '/api/v1/users', {
      token: agency.token,
      json: {
        name: 'Petugas Seksi',
        email: 'petugas.seksi@test.lapor.go.id',
        password: 'kata-sandi-uji-123',
        role: 'unit_officer',
        bodyId: sub.id,
      },
    });
    assert.equal(officer.status, 201, officer.text);

    const parent = await post(agency, `${URL}/${unit.id}/deactivate`);
    assert.equal(parent.status, 409);
    assert.match(parent.body.error.message, /1 akun aktif, 1 unit aktif di bawahnya/);
    const held = await post(agency, `${URL}/${sub.id}/deactivate`);
    assert.equal(held.status, 409);
    assert.match(held.body.error.message, /Cannot be deactivated yet: it still has 1 active accounts/);

    await post(agency, `/api/v1/users/${officer.body.id}/disable`);
    // an open report dispositioned to the unit
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
    const id = filed.body.trackingId as string;
    for (const [user, action, json] of [
      [national, 'verify', { resolutionClass: 14 }],
      [national, 'route', { bodyId: ids.pontianak }],
      [agency, 'disposition', { unitId: sub.id }],
    ] as const) {
      const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json });
      assert.equal(res.status, 200, `${action}: ${res.text}`);
    }
    const busy = await post(agency, `${URL}/${sub.id}/deactivate`);
    assert.equal(busy.status, 409);
    assert.match(busy.body.error.message, /1 laporan terbuka/);

    // the report moves back to the body's desk: the unit holds nothing, and retires
    const back = await t.deps.db.query('UPDATE reports SET unit_id = NULL WHERE tracking_id = $1 RETURNING 1', [id]);
    assert.equal(back.length, 1);
    const off = await post(agency, `${URL}/${sub.id}/deactivate`);
    assert.equal(off.status, 200, off.text);
    assert.equal((await post(agency, `${URL}/${unit.id}/deactivate`)).status, 200, 'bottom up');
    // a retired unit is no longer offered, and no unit is made under it
    assert.equal((await t.request('GET', `/api/v1/bodies?parentId=${ids.pontianak}&q=Dinas%20Uji`)).body.length, 0);
    assert.equal((await post(agency, `${URL}/${unit.id}/units`, { slug: 'seksi-baru', name: 'Seksi Baru' })).status, 409);
    const disposition = await t.request('POST', `/api/v1/reports/${id}/disposition`, { token: agency.token, json: { unitId: sub.id } });
    assert.equal(disposition.status, 400, disposition.text);
    // restored top down only
    const orphan = await post(agency, `${URL}/${sub.id}/activate`);
    assert.equal(orphan.status, 409);
    assert.match(orphan.body.error.message, /Aktifkan dulu induknya, Dinas Uji/);
    assert.equal((await post(agency, `${URL}/${unit.id}/activate`)).status, 200);
    assert.equal((await post(agency, `${URL}/${sub.id}/activate`)).status, 200);
  });
});

describe('garbage and strangers', () => {
  test('bad ids, huge strings, unknown kinds and fields: 400, never 500; no sign-in 401; others 403', async () => {
    const huge = 'x'.repeat(100_000);
    for (const res of [
      await get(national, `${URL}/abc`),
      await get(national, `${URL}/0`),
      await get(national, `${URL}/99999999999999999999999`),
      await get(national, `${URL}?kind=raja`),
      await get(national, `${URL}?regionCode=abc`),
      await get(national, `${URL}?page=-1`),
      await get(national, `${URL}?q=${'q'.repeat(101)}`),
      await get(national, `${URL}?unknown=1`),
      await post(national, URL, {}),
      await post(national, URL, { code: huge, name: huge, kind: 'agency', timeZone: 'Asia/Jakarta' }),
      await post(national, URL, { code: 12, name: ['x'], kind: 'agency', timeZone: 'Asia/Jakarta' }),
      await post(national, URL, { code: 'uji-extra', name: 'Instansi', kind: 'agency', timeZone: 'Asia/Jakarta', id: 1 }),
      await post(agency, `${URL}/${ids.pontianak}/units`, { slug: 'A B', name: 'Dinas' }),
      await post(agency, `${URL}/${ids.pontianak}/units`, { slug: 'ok-slug', name: 'ab' }),
      await post(agency, `${URL}/x/units`, { slug: 'ok-slug', name: 'Dinas Baru' }),
      await patch(agency, `${URL}/${ids.pupr}`, { name: '' }),
      await patch(agency, `${URL}/${ids.pupr}`, {}),
    ]) {
      assert.ok(res.status === 400 || res.status === 413, `${res.status}: ${res.text.slice(0, 300)}`);
    }
    assert.equal((await get(null, URL)).status, 401);
    for (const role of ['unit_officer', 'monitor', 'ombudsman', 'reporter'] as const) {
      const user =
        role === 'reporter'
          ? citizen
          : await t.user(role, role === 'unit_officer' ? `${PONTIANAK}/dinas-pupr` : role === 'ombudsman' ? 'ombudsman-61' : undefined);
      assert.equal((await get(user, URL)).status, 403, role);
      assert.equal((await get(user, `${URL}/${ids.pupr}`)).status, 403, role);
      assert.equal((await post(user, `${URL}/${ids.pupr}/units`, { slug: 'unit-lain', name: 'Unit Lain' })).status, 403, role);
    }
  });
});
