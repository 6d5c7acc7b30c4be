import type { Queryable } from '../../db/db.ts';
import { type Sql, allOf, query, sql } from '../../db/sql.ts';

export interface CategoryRow {
  id: number;
  code: string;
  parent_id: number | null;
  parent_code: string | null;
  parent_name_id: string | null;
  parent_name_en: string | null;
  parent_active: boolean | null;
  body_id: number | null;
  body_name: string | null;
  name_id: string;
  name_en: string;
  active: boolean;
}

const COLUMNS = sql`c.id, c.code, c.parent_id, p.code AS parent_code, p.name_id AS parent_name_id, p.name_en AS parent_name_en,
  p.active AS parent_active, c.body_id, b.name AS body_name, c.name_id, c.name_en, c.active`;
const FROM = sql`FROM categories c LEFT JOIN categories p ON p.id = c.parent_id LEFT JOIN bodies b ON b.id = c.body_id`;

/**
 * The one rule for a category a report may be given: it is active and so is its parent. `c` and
 * `p` are the category and its parent (LEFT JOIN). The reference list and the checks on a
 * submission or a correction both use it.
 */
export const OFFERED: Sql = sql`c.active AND (p.id IS NULL OR p.active)`;

/** National categories, and those of `bodyId` when given. */
export const NATIONAL_OR = (bodyId: number | null): Sql =>
  bodyId === null ? sql`c.body_id IS NULL` : sql`(c.body_id IS NULL OR c.body_id = ${bodyId})`;

/** The tree's order: each top-level category, then what is below it (national first, then a body's). */
const TREE_ORDER = sql`COALESCE(p.code, c.code), c.parent_id IS NOT NULL, c.body_id IS NOT NULL, c.code`;

export interface CategoryFilter {
  /** The categories listed: national ones (null) or national ones and this body's. */
  bodyId: number | null;
  /** Only this body's own (true) or only national ones (false); null: both. */
  own: boolean | null;
  q: string | null;
  active: boolean | null;
  limit: number;
  offset: number;
}

export async function selectCategories(db: Queryable, f: CategoryFilter): Promise<{ rows: CategoryRow[]; total: number }> {
  const where: Sql[] = [NATIONAL_OR(f.bodyId)];
  if (f.own === true) where.push(f.bodyId === null ? sql`FALSE` : sql`c.body_id = ${f.bodyId}`);
  if (f.own === false) where.push(sql`c.body_id IS NULL`);
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql`(c.name_id ILIKE ${pattern} OR c.name_en ILIKE ${pattern} OR c.code ILIKE ${pattern})`);
  }
  if (f.active !== null) where.push(sql`c.active = ${f.active}`);
  const condition = allOf(where);
  const rows = await query<CategoryRow>(
    db,
    sql`SELECT ${COLUMNS} ${FROM} WHERE ${condition} ORDER BY ${TREE_ORDER} LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  const [count] = await query<{ n: number }>(db, sql`SELECT count(*)::int AS n ${FROM} WHERE ${condition}`);
  return { rows, total: count!.n };
}

/** The categories a report may be given now, parents before children (the reference list). */
export async function selectOffered(db: Queryable, bodyId: number | null): Promise<CategoryRow[]> {
  return query<CategoryRow>(
    db,
    sql`SELECT ${COLUMNS} ${FROM} WHERE ${OFFERED} AND ${NATIONAL_OR(bodyId)} ORDER BY c.parent_id NULLS FIRST, c.code`,
  );
}

/** A national category a citizen may give a report now, by its code (an Open311 service_code). */
export async function selectOfferedNationalByCode(db: Queryable, code: string): Promise<CategoryRow | null> {
  const rows = await query<CategoryRow>(db, sql`SELECT ${COLUMNS} ${FROM} WHERE c.code = ${code} AND ${OFFERED} AND ${NATIONAL_OR(null)}`);
  return rows[0] ?? null;
}

export async function selectCategory(db: Queryable, id: number): Promise<CategoryRow | null> {
  const rows = await query<CategoryRow>(db, sql`SELECT ${COLUMNS} ${FROM} WHERE c.id = ${id}`);
  return rows[0] ?? null;
}

/** Whether a report handled by `bodyId` (null: none yet) may be given this category. */
export async function isOffered(db: Queryable, id: number, bodyId: number | null): Promise<boolean> {
  const rows = await query(db, sql`SELECT 1 ${FROM} WHERE c.id = ${id} AND ${OFFERED} AND ${NATIONAL_OR(bodyId)}`);
  return rows.length > 0;
}

/** Inserts a category; null when its code is taken. */
export async function insertCategory(
  db: Queryable,
  c: { code: string; parentId: number | null; bodyId: number | null; nameId: string; nameEn: string },
): Promise<number | null> {
  const rows = await query<{ id: number }>(
    db,
    sql`INSERT INTO categories (code, parent_id, body_id, name_id, name_en)
        VALUES (${c.code}, ${c.parentId}, ${c.bodyId}, ${c.nameId}, ${c.nameEn})
        ON CONFLICT (code) DO NOTHING RETURNING id`,
  );
  return rows[0]?.id ?? null;
}

export async function updateCategory(db: Queryable, id: number, c: { nameId: string; nameEn: string; active: boolean }): Promise<void> {
  await query(db, sql`UPDATE categories SET name_id = ${c.nameId}, name_en = ${c.nameEn}, active = ${c.active} WHERE id = ${id}`);
}

export async function selectBodyCode(db: Queryable, bodyId: number): Promise<string | null> {
  const rows = await query<{ code: string }>(db, sql`SELECT code FROM bodies WHERE id = ${bodyId}`);
  return rows[0]?.code ?? null;
}
