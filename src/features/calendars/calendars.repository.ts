import type { Queryable } from '../../db/db.ts';
import type { CalendarDay, DayKind } from '../../domain/calendar.ts';

export interface CalendarDayRow {
  id: number;
  scope: 'national' | 'province' | 'body';
  province_code: string | null;
  body_id: number | null;
  scope_key: string;
  date: string;
  kind: DayKind;
  name: string;
  provisional: boolean;
}

const COLUMNS = 'id, scope, province_code, body_id, scope_key, date, kind, name, provisional';

export async function selectDays(db: Queryable, scopeKey: string, from: string, to: string): Promise<CalendarDayRow[]> {
  return db.query<CalendarDayRow>(`SELECT ${COLUMNS} FROM calendar_days WHERE scope_key = $1 AND date BETWEEN $2 AND $3 ORDER BY date`, [
    scopeKey,
    from,
    to,
  ]);
}

export async function selectDay(db: Queryable, id: number): Promise<CalendarDayRow | null> {
  const rows = await db.query<CalendarDayRow>(`SELECT ${COLUMNS} FROM calendar_days WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The layers of one effective calendar, national first, so later layers win when merged. */
export async function selectLayers(db: Queryable, scopeKeys: string[], from: string, to: string): Promise<CalendarDay[][]> {
  const rows = await db.query<CalendarDayRow>(
    `SELECT ${COLUMNS} FROM calendar_days WHERE scope_key = ANY($1::text[]) AND date BETWEEN $2 AND $3 ORDER BY date`,
    [scopeKeys, from, to],
  );
  return scopeKeys.map((key) =>
    rows.filter((r) => r.scope_key === key).map((r) => ({ date: r.date, kind: r.kind, name: r.name, provisional: r.provisional })),
  );
}

export interface ScopeRef {
  scope: 'national' | 'province' | 'body';
  provinceCode: string | null;
  bodyId: number | null;
}

export async function insertDay(db: Queryable, ref: ScopeRef, day: CalendarDay, userId: number | null): Promise<CalendarDayRow | null> {
  const rows = await db.query<CalendarDayRow>(
    `INSERT INTO calendar_days (scope, province_code, body_id, date, kind, name, provisional, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (scope_key, date) DO NOTHING
     RETURNING ${COLUMNS}`,
    [ref.scope, ref.provinceCode, ref.bodyId, day.date, day.kind, day.name, day.provisional ?? false, userId],
  );
  return rows[0] ?? null;
}

export async function updateDay(db: Queryable, id: number, day: CalendarDay, now: Date): Promise<CalendarDayRow | null> {
  const rows = await db.query<CalendarDayRow>(
    `UPDATE calendar_days SET date = $2, kind = $3, name = $4, provisional = $5, updated_at = $6
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, day.date, day.kind, day.name, day.provisional ?? false, now],
  );
  return rows[0] ?? null;
}

export async function deleteDay(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM calendar_days WHERE id = $1', [id]);
}

export async function deleteYear(db: Queryable, scopeKey: string, year: number): Promise<void> {
  await db.query('DELETE FROM calendar_days WHERE scope_key = $1 AND date BETWEEN $2 AND $3', [scopeKey, `${year}-01-01`, `${year}-12-31`]);
}

export interface CalendarYearRow {
  scope_key: string;
  year: number;
  status: 'decreed' | 'provisional';
  source: string;
  note: string | null;
}

export async function selectYear(db: Queryable, scopeKey: string, year: number): Promise<CalendarYearRow | null> {
  const rows = await db.query<CalendarYearRow>(
    'SELECT scope_key, year, status, source, note FROM calendar_years WHERE scope_key = $1 AND year = $2',
    [scopeKey, year],
  );
  return rows[0] ?? null;
}

export async function upsertYear(db: Queryable, row: CalendarYearRow, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO calendar_years (scope_key, year, status, source, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (scope_key, year) DO UPDATE SET status = $3, source = $4, note = $5, updated_at = $6`,
    [row.scope_key, row.year, row.status, row.source, row.note, now],
  );
}
