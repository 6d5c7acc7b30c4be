import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../db.ts';
import { openEmptyDb } from '../../../test/support/db.ts';
import { migrate } from '../migrate.ts';
import { DEMO_GOVERNMENT_CODES, timeZoneForProvince } from './bodies.ts';
import { parseCsv, readRegionSource } from './regions.ts';
import { ensureReference, referenceFingerprint, seedReference, type ReferenceSummary } from './reference.ts';

describe('parseCsv', () => {
  test('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = '\uFEFFcode,name\r\n1,"Lubuk Pakam I,II"\r\n2,"Soka""an"\n3,"two\nlines"\n4,\n5,plain';
    assert.deepEqual(parseCsv(text), [
      ['code', 'name'],
      ['1', 'Lubuk Pakam I,II'],
      ['2', 'Soka"an'],
      ['3', 'two\nlines'],
      ['4', ''],
      ['5', 'plain'],
    ]);
  });

  test('rejects an unterminated quote', () => {
    assert.throws(() => parseCsv('a,"b\n'), /unterminated/);
  });
});

describe('timeZoneForProvince', () => {
  test('maps the three zones', () => {
    assert.equal(timeZoneForProvince('31'), 'Asia/Jakarta');
    assert.equal(timeZoneForProvince('61'), 'Asia/Jakarta');
    assert.equal(timeZoneForProvince('62'), 'Asia/Jakarta');
    assert.equal(timeZoneForProvince('51'), 'Asia/Makassar');
    assert.equal(timeZoneForProvince('65'), 'Asia/Makassar');
    assert.equal(timeZoneForProvince('75'), 'Asia/Makassar');
    assert.equal(timeZoneForProvince('81'), 'Asia/Jayapura');
    assert.equal(timeZoneForProvince('96'), 'Asia/Jayapura');
  });

  test('takes the province from any region code', () => {
    assert.equal(timeZoneForProvince('91.71'), 'Asia/Jayapura');
    assert.equal(timeZoneForProvince('73.71.01.1001'), 'Asia/Makassar');
  });

  test('knows every province in the region data and nothing else', () => {
    const provinces = readRegionSource().filter((r) => r.level === 1);
    assert.equal(provinces.length, 38);
    for (const p of provinces) assert.doesNotThrow(() => timeZoneForProvince(p.code), p.name);
    assert.throws(() => timeZoneForProvince('99'), /No time zone/);
  });
});

// node-postgres hands back bigint[] elements as strings while PGlite gives numbers (db.ts only
// maps scalar int8), so paths are compared as numbers.
const asIds = (path: unknown[]) => path.map(Number);

describe('seedReference', () => {
  let db: Db;
  let first: ReferenceSummary;

  before(async () => {
    db = await openEmptyDb();
    await migrate(db);
    first = await seedReference(db);
    console.log(`seedReference on ${db.kind}: ${first.ms} ms`);
  });

  after(async () => {
    await db?.close();
  });

  const one = async <T>(sql: string, params: unknown[] = []) => {
    const rows = await db.query<T>(sql, params);
    assert.equal(rows.length, 1, sql);
    return rows[0];
  };

  test('loads every region level', async () => {
    assert.deepEqual(first.regions, { provinces: 38, regencies: 514, districts: 7285, villages: 83762 });
    const total = await one<{ n: number }>('SELECT count(*)::int AS n FROM regions');
    assert.equal(total.n, 38 + 514 + 7285 + 83762);
  });

  test('keeps codes, names and parents', async () => {
    assert.deepEqual(await one('SELECT name, parent_code, level FROM regions WHERE code = $1', ['61.71']), {
      name: 'Kota Pontianak',
      parent_code: '61',
      level: 2,
    });
    const chain = await db.query<{ code: string; level: number }>(
      `WITH RECURSIVE up AS (
         SELECT code, parent_code, level FROM regions WHERE code = '61.71.01.1002'
         UNION ALL
         SELECT r.code, r.parent_code, r.level FROM regions r JOIN up ON r.code = up.parent_code
       ) SELECT code, level FROM up ORDER BY level`,
    );
    assert.deepEqual(chain, [
      { code: '61', level: 1 },
      { code: '61.71', level: 2 },
      { code: '61.71.01', level: 3 },
      { code: '61.71.01.1002', level: 4 },
    ]);
    // Quoted CSV fields survive intact.
    assert.equal((await one<{ name: string }>(`SELECT name FROM regions WHERE code = '35.13.15.2017'`)).name, 'Soka"an');
    assert.equal((await one<{ name: string }>(`SELECT name FROM regions WHERE code = '12.07.28.1007'`)).name, 'Lubuk Pakam I,II');
  });

  test('gives every province and regency/city exactly one government of the right kind', async () => {
    const wrong = await db.query(
      `SELECT r.code, r.name, count(b.id)::int AS n, min(b.kind) AS kind
       FROM regions r
       LEFT JOIN bodies b ON b.region_code = r.code AND b.kind IN ('province', 'regency', 'city')
       WHERE r.level <= 2
       GROUP BY r.code, r.name, r.level
       HAVING count(b.id) <> 1
          OR min(b.kind) <> CASE WHEN r.level = 1 THEN 'province'
                                 WHEN r.name LIKE 'Kota %' THEN 'city' ELSE 'regency' END`,
    );
    assert.deepEqual(wrong, []);
    const pontianak = await one<{ id: number; name: string; kind: string; region_code: string; time_zone: string; path: unknown[] }>(
      `SELECT id, name, kind, region_code, time_zone, path FROM bodies WHERE code = 'pemkot-61.71'`,
    );
    assert.equal(pontianak.name, 'Pemerintah Kota Pontianak');
    assert.equal(pontianak.kind, 'city');
    assert.equal(pontianak.region_code, '61.71');
    assert.equal(pontianak.time_zone, 'Asia/Jakarta');
    assert.deepEqual(asIds(pontianak.path), [pontianak.id]);
    const kabupaten = await one<{ name: string; kind: string }>(`SELECT name, kind FROM bodies WHERE code = 'pemkab-61.01'`);
    assert.equal(kabupaten.kind, 'regency');
    assert.match(kabupaten.name, /^Pemerintah Kabupaten /);
  });

  test('sets time zones from the province', async () => {
    const zone = async (code: string) =>
      (await one<{ time_zone: string }>('SELECT time_zone FROM bodies WHERE code = $1', [code])).time_zone;
    assert.equal(await zone('pemkot-91.71'), 'Asia/Jayapura');
    assert.equal(await zone('pemprov-94'), 'Asia/Jayapura');
    assert.equal(await zone('pemprov-51'), 'Asia/Makassar');
    assert.equal(await zone('pemkot-73.71'), 'Asia/Makassar');
    assert.equal(await zone('pemkot-18.72'), 'Asia/Jakarta');
    assert.equal(await zone('kemenkes'), 'Asia/Jakarta');
    const mismatched = await db.query<{ code: string }>(
      `SELECT code FROM bodies
       WHERE region_code IS NOT NULL
         AND time_zone <> CASE WHEN split_part(region_code, '.', 1) IN ('81','82','91','92','93','94','95','96') THEN 'Asia/Jayapura'
                               WHEN split_part(region_code, '.', 1) IN ('51','52','53','63','64','65','71','72','73','74','75','76') THEN 'Asia/Makassar'
                               ELSE 'Asia/Jakarta' END`,
    );
    assert.deepEqual(mismatched, []);
  });

  test('has national bodies and an Ombudsman office per province', async () => {
    const kinds = await db.query<{ code: string; kind: string }>(
      `SELECT code, kind FROM bodies WHERE code IN ('kemenpanrb', 'ksp', 'ombudsman-ri', 'kemendagri', 'bpjs-kesehatan', 'pln') ORDER BY code`,
    );
    assert.deepEqual(kinds, [
      { code: 'bpjs-kesehatan', kind: 'agency' },
      { code: 'kemendagri', kind: 'ministry' },
      { code: 'kemenpanrb', kind: 'national_oversight' },
      { code: 'ksp', kind: 'national_oversight' },
      { code: 'ombudsman-ri', kind: 'ombudsman' },
      { code: 'pln', kind: 'state_company' },
    ]);
    const ministries = await one<{ n: number }>(`SELECT count(*)::int AS n FROM bodies WHERE kind = 'ministry'`);
    assert.ok(ministries.n >= 30, `${ministries.n} ministries`);
    const offices = await db.query<{ code: string; region_code: string; path_length: number }>(
      `SELECT b.code, b.region_code, cardinality(b.path) AS path_length
       FROM bodies b JOIN bodies p ON p.id = b.parent_id
       WHERE b.kind = 'ombudsman' AND p.code = 'ombudsman-ri'`,
    );
    assert.equal(offices.length, 38);
    for (const office of offices) {
      assert.equal(office.code, `ombudsman-${office.region_code}`);
      assert.equal(office.path_length, 2);
    }
    const kalbar = await one<{ name: string }>(`SELECT name FROM bodies WHERE code = 'ombudsman-61'`);
    assert.equal(kalbar.name, 'Ombudsman RI Perwakilan Kalimantan Barat');
  });

  test('gives demo governments nested units with paths from the government down', async () => {
    const unit = await one<{ path: unknown[]; id: number; parent_id: number; region_code: string; time_zone: string }>(
      `SELECT id, parent_id, path, region_code, time_zone FROM bodies WHERE code = 'pemkot-61.71/dinas-pupr/bina-marga'`,
    );
    const government = await one<{ id: number }>(`SELECT id FROM bodies WHERE code = 'pemkot-61.71'`);
    const dinas = await one<{ id: number; name: string }>(`SELECT id, name FROM bodies WHERE code = 'pemkot-61.71/dinas-pupr'`);
    assert.equal(dinas.name, 'Dinas Pekerjaan Umum dan Penataan Ruang');
    assert.deepEqual(asIds(unit.path), [government.id, dinas.id, unit.id]);
    assert.equal(unit.parent_id, dinas.id);
    assert.equal(unit.region_code, '61.71');
    assert.equal(unit.time_zone, 'Asia/Jakarta');
    for (const code of DEMO_GOVERNMENT_CODES) {
      const units = await one<{ n: number }>(
        `SELECT count(*)::int AS n FROM bodies u JOIN bodies g ON g.id = u.path[1]
         WHERE g.code = $1 AND u.kind = 'unit'`,
        [code],
      );
      assert.ok(units.n >= 8, `${code} has ${units.n} units`);
    }
    const jayapura = await one<{ time_zone: string }>(`SELECT time_zone FROM bodies WHERE code = 'pemkot-91.71/dinkes'`);
    assert.equal(jayapura.time_zone, 'Asia/Jayapura');
  });

  test('stores a consistent path for every body', async () => {
    const broken = await db.query<{ code: string }>(
      `SELECT b.code FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id
       WHERE b.path[cardinality(b.path)] IS DISTINCT FROM b.id
          OR (b.parent_id IS NULL AND cardinality(b.path) <> 1)
          OR (b.parent_id IS NOT NULL AND b.path <> p.path || b.id)`,
    );
    assert.deepEqual(broken, []);
  });

  test('builds a two-level category tree', async () => {
    const orphans = await db.query(
      `SELECT c.code FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
       WHERE (c.code LIKE '%.%') <> (c.parent_id IS NOT NULL)
          OR (p.id IS NOT NULL AND (p.parent_id IS NOT NULL OR c.code NOT LIKE p.code || '.%'))`,
    );
    assert.deepEqual(orphans, []);
    const jalan = await one<{ name_id: string; name_en: string; parent: string }>(
      `SELECT c.name_id, c.name_en, p.code AS parent FROM categories c JOIN categories p ON p.id = c.parent_id
       WHERE c.code = 'infrastruktur.jalan'`,
    );
    assert.deepEqual(jalan, { name_id: 'Jalan Rusak', name_en: 'Damaged roads', parent: 'infrastruktur' });
    const tops = await one<{ n: number }>('SELECT count(*)::int AS n FROM categories WHERE parent_id IS NULL');
    assert.ok(tops.n >= 15);
  });

  test('changes nothing when run again', async () => {
    const counts = () =>
      one<{ regions: number; bodies: number; categories: number }>(
        `SELECT (SELECT count(*)::int FROM regions) AS regions,
                (SELECT count(*)::int FROM bodies) AS bodies,
                (SELECT count(*)::int FROM categories) AS categories`,
      );
    const before = await counts();
    const second = await seedReference(db);
    console.log(`seedReference again on ${db.kind}: ${second.ms} ms`);
    assert.deepEqual(await counts(), before);
    assert.equal(second.bodies.inserted, 0);
    assert.equal(second.categories.inserted, 0);
    assert.deepEqual(second.regions, first.regions);
    assert.equal(first.bodies.inserted, first.bodies.total);
    assert.equal(before.bodies, first.bodies.total);
  });

  test('a start skips the seed when the database holds this code’s reference data, and seeds again when it changed', async () => {
    const held = () => one<{ value: string }>(`SELECT value FROM system_state WHERE key = 'reference_fingerprint'`);
    assert.equal((await held()).value, referenceFingerprint(), 'a complete seed records what it built');
    assert.equal(await ensureReference(db), null, 'same fingerprint: nothing to do');
    // An older version of the code (or of the region package) built what is there: seed again.
    await db.query(`UPDATE system_state SET value = 'older' WHERE key = 'reference_fingerprint'`);
    const again = await ensureReference(db);
    assert.ok(again, 'a changed fingerprint seeds');
    assert.deepEqual(again.regions, first.regions);
    assert.equal((await held()).value, referenceFingerprint());
  });
});
