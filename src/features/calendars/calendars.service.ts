import type { Queryable } from '../../db/db.ts';
import {
  type CalendarDay,
  CalendarFormatError,
  WorkingCalendar,
  parseCalendarCsv,
  parseCalendarJson,
  toCalendarCsv,
} from '../../domain/calendar.ts';
import { AppError, invalidInput } from '../../errors.ts';
import type { Principal } from '../../domain/principal.ts';
import * as repo from './calendars.repository.ts';

export type ScopeRef = repo.ScopeRef;

export function scopeKeyOf(ref: ScopeRef): string {
  if (ref.scope === 'national') return 'national';
  return ref.scope === 'province' ? `province:${ref.provinceCode}` : `body:${ref.bodyId}`;
}

/** Checks that the layer named by a request exists: a province code, or a top-level body. */
export async function resolveScope(
  db: Queryable,
  input: { scope: 'national' | 'province' | 'body'; provinceCode?: string; bodyId?: number },
): Promise<ScopeRef> {
  if (input.scope === 'national') return { scope: 'national', provinceCode: null, bodyId: null };
  if (input.scope === 'province') {
    const rows = input.provinceCode ? await db.query('SELECT 1 FROM regions WHERE code = $1 AND level = 1', [input.provinceCode]) : [];
    if (rows.length === 0) throw invalidInput({ provinceCode: 'Kode provinsi tidak dikenal / Unknown province code' });
    return { scope: 'province', provinceCode: input.provinceCode!, bodyId: null };
  }
  const rows = input.bodyId ? await db.query(`SELECT 1 FROM bodies WHERE id = $1 AND kind <> 'unit'`, [input.bodyId]) : [];
  if (rows.length === 0)
    throw invalidInput({
      bodyId: 'Instansi tidak dikenal (unit memakai kalender instansinya) / Unknown body (units use their body’s calendar)',
    });
  return { scope: 'body', provinceCode: null, bodyId: input.bodyId! };
}

/**
 * National admins manage every layer. A province government's admin manages its province's
 * days; any body's admin manages its own body's days.
 */
export async function assertCanManage(db: Queryable, principal: Principal, ref: ScopeRef): Promise<void> {
  if (principal.role === 'national_admin') return;
  const denied = new AppError('forbidden', 'Tidak boleh mengubah kalender ini / Not allowed to change this calendar');
  if (principal.role !== 'agency_admin' || principal.bodyId === null) throw denied;
  if (ref.scope === 'body' && ref.bodyId === principal.bodyId) return;
  if (ref.scope === 'province') {
    const rows = await db.query(`SELECT 1 FROM bodies WHERE id = $1 AND kind = 'province' AND region_code = $2`, [
      principal.bodyId,
      ref.provinceCode,
    ]);
    if (rows.length > 0) return;
  }
  throw denied;
}

/**
 * The layers a principal manages, as scope keys: null for every layer (national admins), else
 * the admin's own body and, for a province government's admin, its province; none for others.
 */
export async function managedScopeKeys(db: Queryable, principal: Principal): Promise<string[] | null> {
  if (principal.role === 'national_admin') return null;
  if (principal.role !== 'agency_admin' || principal.bodyId === null) return [];
  const rows = await db.query<{ region_code: string | null; kind: string }>('SELECT region_code, kind FROM bodies WHERE id = $1', [
    principal.bodyId,
  ]);
  const keys = [`body:${principal.bodyId}`];
  if (rows[0]?.kind === 'province' && rows[0].region_code) keys.push(`province:${rows[0].region_code}`);
  return keys;
}

export interface ManagedLayer {
  ref: ScopeRef;
  key: string;
  /** The body's or the province's name; null for the national layer. */
  name: string | null;
}

/**
 * The layers a principal edits (national admins: the national layer, at once) or asks changes
 * to (an agency admin: its body's, and a province government's admin its province's too).
 */
export async function managedLayers(db: Queryable, principal: Principal): Promise<ManagedLayer[]> {
  if (principal.role === 'national_admin')
    return [{ ref: { scope: 'national', provinceCode: null, bodyId: null }, key: 'national', name: null }];
  if (principal.role !== 'agency_admin' || principal.bodyId === null) return [];
  const rows = await db.query<{ name: string; kind: string; region_code: string | null; region_name: string | null }>(
    'SELECT b.name, b.kind, b.region_code, g.name AS region_name FROM bodies b LEFT JOIN regions g ON g.code = b.region_code WHERE b.id = $1',
    [principal.bodyId],
  );
  const body = rows[0];
  if (!body || body.kind === 'unit') return [];
  const layers: ManagedLayer[] = [
    { ref: { scope: 'body', provinceCode: null, bodyId: principal.bodyId }, key: `body:${principal.bodyId}`, name: body.name },
  ];
  if (body.kind === 'province' && body.region_code) {
    layers.push({
      ref: { scope: 'province', provinceCode: body.region_code, bodyId: null },
      key: `province:${body.region_code}`,
      name: body.region_name,
    });
  }
  return layers;
}

/** One year of a layer the principal manages, with each day's id (to change or remove it). */
export async function listLayerDays(db: Queryable, principal: Principal, ref: ScopeRef, year: number): Promise<repo.CalendarDayRow[]> {
  await assertCanManage(db, principal, ref);
  return repo.selectDays(db, scopeKeyOf(ref), `${year}-01-01`, `${year}-12-31`);
}

/** A layer's name as people know it: the body's or the province's; null for the national layer. */
export async function layerName(db: Queryable, ref: ScopeRef): Promise<string | null> {
  if (ref.scope === 'national') return null;
  const rows =
    ref.scope === 'body'
      ? await db.query<{ name: string }>('SELECT name FROM bodies WHERE id = $1', [ref.bodyId])
      : await db.query<{ name: string }>('SELECT name FROM regions WHERE code = $1', [ref.provinceCode]);
  return rows[0]?.name ?? null;
}

/** The layers that make up a body's calendar: national, its province, the body (units use their body's). */
export async function layersOf(db: Queryable, bodyId: number): Promise<{ scopeKeys: string[]; timeZone: string }> {
  const rows = await db.query<{ top_id: number; region_code: string | null; time_zone: string }>(
    `SELECT top.id AS top_id, top.region_code, b.time_zone
       FROM bodies b JOIN bodies top ON top.id = b.path[1]
      WHERE b.id = $1`,
    [bodyId],
  );
  const row = rows[0];
  if (!row) throw new AppError('not_found', 'Instansi tidak ditemukan / Body not found');
  const keys = ['national'];
  if (row.region_code) keys.push(`province:${row.region_code.slice(0, 2)}`);
  keys.push(`body:${row.top_id}`);
  return { scopeKeys: keys, timeZone: row.time_zone };
}

export async function effectiveCalendar(db: Queryable, bodyId: number, fromYear: number, toYear: number) {
  const { scopeKeys, timeZone } = await layersOf(db, bodyId);
  const layers = await repo.selectLayers(db, scopeKeys, `${fromYear}-01-01`, `${toYear}-12-31`);
  return { calendar: WorkingCalendar.merge(...layers), timeZone, scopeKeys };
}

/** One day as entered by an admin, checked by the same rules as an imported file. */
export function validateDay(input: { date: string; kind: string; name: string }): CalendarDay {
  try {
    const [day] = parseCalendarJson(JSON.stringify([input]));
    return day!;
  } catch (err) {
    if (err instanceof CalendarFormatError) throw invalidInput({ [err.field ?? 'date']: err.message });
    throw err;
  }
}

/** Parses an exchange file; a format error becomes a 400 naming the line. */
export function parseExchange(text: string, format: 'csv' | 'json'): CalendarDay[] {
  try {
    return format === 'csv' ? parseCalendarCsv(text) : parseCalendarJson(text);
  } catch (err) {
    if (err instanceof CalendarFormatError) {
      const where = err.line === null ? 'file' : `line ${err.line}`;
      throw invalidInput({ [where]: err.message }, `Berkas kalender tidak valid / Invalid calendar file: ${err.message}`);
    }
    throw err;
  }
}

export async function exportYear(db: Queryable, ref: ScopeRef, year: number) {
  const key = scopeKeyOf(ref);
  const rows = await repo.selectDays(db, key, `${year}-01-01`, `${year}-12-31`);
  const meta = await repo.selectYear(db, key, year);
  const days: CalendarDay[] = rows.map((r) => ({
    date: r.date,
    kind: r.kind,
    name: r.name,
    ...(r.provisional ? { provisional: true } : {}),
  }));
  return {
    scope: key,
    year,
    status: meta?.status ?? null,
    source: meta?.source ?? null,
    note: meta?.note ?? null,
    days,
    csv: () => toCalendarCsv(days),
  };
}
