import type { Queryable } from '../../db/db.ts';
import { listOfferedCategories } from '../categories/categories.service.ts';

/** Read-only reference data: regions (Kemendagri codes), the body directory, the category tree. */

export async function listRegions(db: Queryable, parent: string | undefined) {
  const rows = await db.query<{ code: string; name: string; level: number; parent_code: string | null }>(
    parent
      ? 'SELECT code, name, level, parent_code FROM regions WHERE parent_code = $1 ORDER BY code'
      : 'SELECT code, name, level, parent_code FROM regions WHERE level = 1 ORDER BY code',
    parent ? [parent] : [],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
}

export interface BodyFilters {
  q?: string;
  parentId?: number;
  regionCode?: string;
  kind?: string;
  limit: number;
}

/** Bodies by name, region or kind; the units of a body by parentId. Units appear only when asked for. */
export async function listBodies(db: Queryable, f: BodyFilters) {
  const rows = await db.query<{
    id: number;
    code: string;
    name: string;
    kind: string;
    parent_id: number | null;
    region_code: string | null;
    time_zone: string;
  }>(
    `SELECT id, code, name, kind, parent_id, region_code, time_zone FROM bodies
      WHERE active
        AND ($1::text IS NULL OR name ILIKE '%' || $1 || '%')
        AND ($2::bigint IS NULL OR parent_id = $2)
        AND ($3::text IS NULL OR region_code = $3)
        AND ($4::text IS NULL OR kind = $4)
        AND ($2::bigint IS NOT NULL OR $4::text IS NOT NULL OR kind <> 'unit')
      ORDER BY name LIMIT $5`,
    [f.q ?? null, f.parentId ?? null, f.regionCode ?? null, f.kind ?? null, f.limit],
  );
  return rows.map((b) => ({
    id: b.id,
    code: b.code,
    name: b.name,
    kind: b.kind,
    parentId: b.parent_id,
    regionCode: b.region_code,
    timeZone: b.time_zone,
  }));
}

/** The categories a report may be given: national ones, and with `bodyId` that body's own too. */
export function listCategories(db: Queryable, bodyId: number | null = null) {
  return listOfferedCategories(db, bodyId);
}
