import type { Queryable } from '../../db/db.ts';
import { type Sql, allOf, query, sql } from '../../db/sql.ts';

export interface BodyRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  parent_name: string | null;
  path: number[];
  region_code: string | null;
  region_name: string | null;
  time_zone: string;
  active: boolean;
  created_at: Date;
}

const COLUMNS = sql`b.id, b.code, b.name, b.kind, b.parent_id, p.name AS parent_name, b.path, b.region_code,
  g.name AS region_name, b.time_zone, b.active, b.created_at`;
const FROM = sql`FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id LEFT JOIN regions g ON g.code = b.region_code`;

/** `b` is this body or one below it: the scope of an agency admin, whose body is `ancestorId`. */
export const within = (ancestorId: number): Sql => sql`b.path @> ARRAY[${ancestorId}::bigint]`;

export interface BodyFilter {
  /** Only this body and those below it; null: every body. */
  scopeId: number | null;
  q: string | null;
  kind: string | null;
  /** A region and every region inside it (`61` takes `61.71`). */
  regionCode: string | null;
  active: boolean | null;
  limit: number;
  offset: number;
}

function conditions(f: BodyFilter): Sql[] {
  const out: Sql[] = [];
  if (f.scopeId !== null) out.push(within(f.scopeId));
  if (f.q) out.push(sql`b.name ILIKE ${`%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}`);
  if (f.kind) out.push(sql`b.kind = ${f.kind}`);
  // units are listed under their body, unless asked for by kind
  else out.push(sql`b.kind <> 'unit'`);
  if (f.regionCode) out.push(sql`(b.region_code = ${f.regionCode} OR b.region_code LIKE ${`${f.regionCode}.%`})`);
  if (f.active !== null) out.push(sql`b.active = ${f.active}`);
  return out;
}

export async function selectBodies(db: Queryable, f: BodyFilter): Promise<{ rows: BodyRow[]; total: number }> {
  const where = allOf(conditions(f));
  const rows = await query<BodyRow>(
    db,
    sql`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY b.name, b.id LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  const [count] = await query<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM bodies b WHERE ${where}`);
  return { rows, total: count!.n };
}

/** One body, when it is in the scope (null: any body). */
export async function selectBody(db: Queryable, id: number, scopeId: number | null): Promise<BodyRow | null> {
  const rows = await query<BodyRow>(
    db,
    sql`SELECT ${COLUMNS} ${FROM} WHERE b.id = ${id} AND ${scopeId === null ? sql`TRUE` : within(scopeId)}`,
  );
  return rows[0] ?? null;
}

export async function selectBodyByCode(db: Queryable, code: string): Promise<BodyRow | null> {
  const rows = await query<BodyRow>(db, sql`SELECT ${COLUMNS} ${FROM} WHERE b.code = ${code}`);
  return rows[0] ?? null;
}

export interface UnitRow extends BodyRow {
  open_reports: number;
  active_accounts: number;
}

/**
 * Every unit below a body, parents before children and siblings by name (the names along the
 * path), with what each holds itself: its open reports and its active accounts.
 */
export async function selectUnits(db: Queryable, rootId: number): Promise<UnitRow[]> {
  return query<UnitRow>(
    db,
    sql`SELECT ${COLUMNS},
        (SELECT count(*)::int FROM reports r WHERE r.unit_id = b.id AND r.status NOT IN ('closed', 'archived')) AS open_reports,
        (SELECT count(*)::int FROM users u WHERE u.body_id = b.id AND u.disabled_at IS NULL) AS active_accounts
      ${FROM}
      WHERE ${within(rootId)} AND b.id <> ${rootId}
      ORDER BY ARRAY(SELECT x.name FROM unnest(b.path) WITH ORDINALITY AS a (id, n) JOIN bodies x ON x.id = a.id ORDER BY a.n), b.path`,
  );
}

export interface Holdings {
  openReports: number;
  activeAccounts: number;
  activeUnits: number;
}

/** What a body and everything below it still holds: open reports, active accounts, active units under it. */
export async function selectHoldings(db: Queryable, id: number): Promise<Holdings> {
  const [row] = await query<{ open_reports: number; active_accounts: number; active_units: number }>(
    db,
    sql`WITH sub AS (SELECT b.id, b.active FROM bodies b WHERE ${within(id)})
      SELECT
        (SELECT count(*)::int FROM reports r
          WHERE r.status NOT IN ('closed', 'archived')
            AND (r.body_id IN (SELECT id FROM sub) OR r.unit_id IN (SELECT id FROM sub))) AS open_reports,
        (SELECT count(*)::int FROM users u WHERE u.disabled_at IS NULL AND u.body_id IN (SELECT id FROM sub)) AS active_accounts,
        (SELECT count(*)::int FROM sub WHERE sub.active AND sub.id <> ${id}) AS active_units`,
  );
  return { openReports: row!.open_reports, activeAccounts: row!.active_accounts, activeUnits: row!.active_units };
}

export interface NewBody {
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  /** The parent's path (empty for a top-level body); this body's id is appended once known. */
  parentPath: number[];
  regionCode: string | null;
  timeZone: string;
}

/** Inserts a body with its path (the parent's, then its own id); null when the code is taken. */
export async function insertBody(tx: Queryable, b: NewBody): Promise<number | null> {
  const rows = await query<{ id: number }>(
    tx,
    sql`INSERT INTO bodies (code, name, kind, parent_id, path, region_code, time_zone)
        VALUES (${b.code}, ${b.name}, ${b.kind}, ${b.parentId}, '{}', ${b.regionCode}, ${b.timeZone})
        ON CONFLICT (code) DO NOTHING RETURNING id`,
  );
  const id = rows[0]?.id;
  if (id === undefined) return null;
  await query(tx, sql`UPDATE bodies SET path = ${[...b.parentPath, id]}::bigint[] WHERE id = ${id}`);
  return id;
}

export async function updateName(tx: Queryable, id: number, name: string): Promise<void> {
  await query(tx, sql`UPDATE bodies SET name = ${name} WHERE id = ${id}`);
}

export async function updateActive(tx: Queryable, id: number, active: boolean): Promise<void> {
  await query(tx, sql`UPDATE bodies SET active = ${active} WHERE id = ${id}`);
}

/** Locks a body's row, so that two admins' changes to it (or a unit made under it) go one at a time. */
export async function lockBody(tx: Queryable, id: number): Promise<void> {
  await query(tx, sql`SELECT 1 FROM bodies WHERE id = ${id} FOR UPDATE`);
}

export async function selectRegion(db: Queryable, code: string): Promise<{ code: string; level: number } | null> {
  const rows = await query<{ code: string; level: number }>(db, sql`SELECT code, level FROM regions WHERE code = ${code}`);
  return rows[0] ?? null;
}
