import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openEmptyDb } from '../../test/support/db.ts';
import type { Db } from './db.ts';
import { listMigrations, migrate } from './migrate.ts';

// Migrations that move data are tested from the schema before them, with rows in it.
// On PostgreSQL (DATABASE_URL) the public schema of that database is dropped first.
let db: Db;

before(async () => {
  db = await openEmptyDb();
});
after(async () => {
  await db?.close();
});

/** Applies the migrations named before `name`, the way migrate() records them. */
async function migrateUpTo(name: string): Promise<void> {
  await db.exec('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  for (const m of listMigrations().filter((m) => m.name < name)) {
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
    });
  }
}

test('0004 moves every breach from the sla_breaches table onto its clock, and the view lists them as before', async () => {
  await migrateUpTo('0004');
  const [city] = await db.query<{ id: number }>(
    `INSERT INTO bodies (code, name, kind, path, time_zone) VALUES ('pemkot-x', 'Pemkot X', 'city', '{}', 'Asia/Jakarta') RETURNING id`,
  );
  const [unit] = await db.query<{ id: number }>(
    `INSERT INTO bodies (code, name, kind, parent_id, path, time_zone) VALUES ('pemkot-x/dinas', 'Dinas', 'unit', $1, '{}', 'Asia/Jakarta') RETURNING id`,
    [city!.id],
  );
  const [reporter] = await db.query<{ id: number }>(
    `INSERT INTO users (role, name, email) VALUES ('reporter', 'Warga', 'warga@example.test') RETURNING id`,
  );
  const [report] = await db.query<{ id: number }>(
    `INSERT INTO reports (tracking_id, classification, title, body, incident_date, status, reporter_id, channel)
     VALUES ('ABCDEFGH', 'pengaduan', 'Jalan rusak', 'Jalan rusak di depan pasar.', '2026-11-20', 'dispositioned', $1, 'web') RETURNING id`,
    [reporter!.id],
  );
  const clock = (kind: string, state: string) =>
    db.query<{ id: number }>(
      `INSERT INTO report_clocks (report_id, kind, cycle, state, limit_days, limit_unit, time_zone, started_at, counted_from, count_days, due_at, breached_at)
       VALUES ($1, $2, 1, $3, 5, 'working', 'Asia/Jakarta', '2026-11-20T01:00:00Z', '2026-11-20T01:00:00Z', 5, '2026-11-27T16:59:59Z',
               CASE WHEN $3 = 'expired' THEN '2026-11-28T00:00:00Z'::timestamptz END) RETURNING id`,
      [report!.id, kind, state],
    );
  const [late] = await clock('resolution', 'expired');
  const [running] = await clock('ombudsman', 'running');
  await db.query(
    `INSERT INTO sla_breaches (report_id, clock_id, kind, body_id, unit_id, due_at, breached_at)
     VALUES ($1, $2, 'resolution', $3, $4, '2026-11-27T16:59:59Z', '2026-11-28T00:00:00Z')`,
    [report!.id, late!.id, city!.id, unit!.id],
  );

  assert.deepEqual(
    await migrate(db),
    listMigrations()
      .map((m) => m.name)
      .filter((n) => n >= '0004'),
  );

  const clocks = await db.query<{ id: number; breach_body_id: number | null; breach_unit_id: number | null }>(
    'SELECT id, breach_body_id, breach_unit_id FROM report_clocks ORDER BY id',
  );
  assert.deepEqual(clocks, [
    { id: late!.id, breach_body_id: city!.id, breach_unit_id: unit!.id },
    { id: running!.id, breach_body_id: null, breach_unit_id: null },
  ]);
  const ledger = await db.query<Record<string, unknown>>('SELECT clock_id, report_id, kind, body_id, unit_id FROM sla_breaches');
  assert.deepEqual(ledger, [{ clock_id: late!.id, report_id: report!.id, kind: 'resolution', body_id: city!.id, unit_id: unit!.id }]);
});
