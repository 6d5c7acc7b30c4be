import type { Queryable } from '../../db/db.ts';
import type { CalendarDay } from '../../domain/calendar.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError, invalidInput } from '../../errors.ts';
import * as repo from './calendars.repository.ts';
import { type ScopeRef, assertCanManage, scopeKeyOf, validateDay } from './calendars.service.ts';
import type { ChangePayload, ChangeRequestRow } from './change-requests.repository.ts';

/**
 * One change to one calendar layer, as asked: planned (checked: the caller may manage the layer,
 * the day is valid, it can apply now), then either applied at once (a national admin's change) or
 * kept as a request until a national admin approves it (src/features/sla/calendar-changes.service.ts).
 */
export type YearMeta = { status: 'decreed' | 'provisional'; source: string; note?: string | null };

export type CalendarChange =
  | { action: 'add'; ref: ScopeRef; day: CalendarDay }
  | { action: 'change'; ref: ScopeRef; dayId: number; before: CalendarDay; after: CalendarDay }
  | { action: 'remove'; ref: ScopeRef; dayId: number; before: CalendarDay }
  | { action: 'import'; ref: ScopeRef; year: number; days: CalendarDay[]; meta: YearMeta };

/** A day a change touched, as the timeline shows it. */
export interface TouchedDay {
  date: string;
  kind: CalendarDay['kind'];
  name: string;
  effect: 'added' | 'removed' | 'changed';
}

export interface AppliedChange {
  scopeKey: string;
  /** The dates whose meaning changed: the open clocks counting over them are recomputed. */
  dates: string[];
  days: TouchedDay[];
  /** add and change: the day as it now is. */
  row: repo.CalendarDayRow | null;
  imported: number | null;
}

const asDay = (r: { date: string; kind: CalendarDay['kind']; name: string; provisional: boolean }): CalendarDay => ({
  date: r.date,
  kind: r.kind,
  name: r.name,
  ...(r.provisional ? { provisional: true } : {}),
});

export const sameDay = (a: CalendarDay, b: CalendarDay) =>
  a.date === b.date && a.kind === b.kind && a.name === b.name && (a.provisional ?? false) === (b.provisional ?? false);

const refOf = (row: { scope: ScopeRef['scope']; province_code: string | null; body_id: number | null }): ScopeRef => ({
  scope: row.scope,
  provinceCode: row.province_code,
  bodyId: row.body_id,
});

function dateTaken(date: string): AppError {
  return new AppError('conflict', `Tanggal ${date} sudah ada di kalender ini / ${date} is already in this calendar`, {
    date: 'sudah ada / exists',
  });
}

async function lockDay(db: Queryable, id: number): Promise<repo.CalendarDayRow | null> {
  const rows = await db.query<repo.CalendarDayRow>(
    'SELECT id, scope, province_code, body_id, scope_key, date, kind, name, provisional FROM calendar_days WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0] ?? null;
}

async function dateInLayer(db: Queryable, scopeKey: string, date: string, exceptId: number | null): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM calendar_days WHERE scope_key = $1 AND date = $2 AND id IS DISTINCT FROM $3', [
    scopeKey,
    date,
    exceptId,
  ]);
  return rows.length > 0;
}

export async function planAdd(db: Queryable, principal: Principal, ref: ScopeRef, day: CalendarDay): Promise<CalendarChange> {
  await assertCanManage(db, principal, ref);
  if (await dateInLayer(db, scopeKeyOf(ref), day.date, null)) throw dateTaken(day.date);
  return { action: 'add', ref, day };
}

export async function planChange(db: Queryable, principal: Principal, id: number, patch: Partial<CalendarDay>): Promise<CalendarChange> {
  const existing = await lockDay(db, id);
  if (!existing) throw new AppError('not_found', 'Hari kalender tidak ditemukan / Calendar day not found');
  await assertCanManage(db, principal, refOf(existing));
  const day = validateDay({ date: patch.date ?? existing.date, kind: patch.kind ?? existing.kind, name: patch.name ?? existing.name });
  const after = asDay({ ...day, provisional: patch.provisional ?? existing.provisional });
  if (await dateInLayer(db, existing.scope_key, after.date, id)) throw dateTaken(after.date);
  return { action: 'change', ref: refOf(existing), dayId: id, before: asDay(existing), after };
}

export async function planRemove(db: Queryable, principal: Principal, id: number): Promise<CalendarChange> {
  const existing = await lockDay(db, id);
  if (!existing) throw new AppError('not_found', 'Hari kalender tidak ditemukan / Calendar day not found');
  await assertCanManage(db, principal, refOf(existing));
  return { action: 'remove', ref: refOf(existing), dayId: id, before: asDay(existing) };
}

export async function planImport(
  db: Queryable,
  principal: Principal,
  ref: ScopeRef,
  year: number,
  days: CalendarDay[],
  meta: YearMeta,
): Promise<CalendarChange> {
  await assertCanManage(db, principal, ref);
  const outside = days.findIndex((d) => !d.date.startsWith(`${year}-`));
  if (outside >= 0) {
    throw invalidInput({ [`days.${outside}`]: `${days[outside]!.date} bukan tahun ${year} / is not in ${year}` });
  }
  return { action: 'import', ref, year, days, meta: { status: meta.status, source: meta.source, note: meta.note ?? null } };
}

/** The day asked about must still be as it was when the change was asked. */
async function currentDay(db: Queryable, dayId: number, before: CalendarDay): Promise<repo.CalendarDayRow> {
  const current = await lockDay(db, dayId);
  if (!current) {
    throw new AppError(
      'conflict',
      `Hari ${before.date} sudah tidak ada di kalender ini; perubahan tidak dapat diterapkan / ` +
        `${before.date} is no longer in this calendar; the change cannot apply`,
    );
  }
  if (!sameDay(asDay(current), before)) {
    throw new AppError(
      'conflict',
      `Hari ${before.date} sudah diubah setelah perubahan ini diajukan; perubahan tidak dapat diterapkan / ` +
        `${before.date} was changed after this change was asked; the change cannot apply`,
    );
  }
  return current;
}

/**
 * Applies a planned (or approved) change in the caller's transaction. A change that can no
 * longer apply (its day was removed or changed meanwhile, its date taken) is a conflict, and
 * nothing is written.
 */
export async function applyChange(tx: Queryable, change: CalendarChange, userId: number, now: Date): Promise<AppliedChange> {
  const scopeKey = scopeKeyOf(change.ref);
  const touched = (day: CalendarDay, effect: TouchedDay['effect']): TouchedDay => ({
    date: day.date,
    kind: day.kind,
    name: day.name,
    effect,
  });
  switch (change.action) {
    case 'add': {
      const row = await repo.insertDay(tx, change.ref, change.day, userId);
      if (!row) throw dateTaken(change.day.date);
      return { scopeKey, dates: [row.date], days: [touched(change.day, 'added')], row, imported: null };
    }
    case 'change': {
      await currentDay(tx, change.dayId, change.before);
      if (await dateInLayer(tx, scopeKey, change.after.date, change.dayId)) throw dateTaken(change.after.date);
      let row: repo.CalendarDayRow;
      try {
        row = (await repo.updateDay(tx, change.dayId, change.after, now))!;
      } catch (err) {
        // another transaction took the date between the check and the update
        if ((err as { code?: string }).code === '23505') throw dateTaken(change.after.date);
        throw err;
      }
      const days =
        change.before.date === change.after.date
          ? [touched(change.after, 'changed')]
          : [touched(change.before, 'removed'), touched(change.after, 'added')];
      return { scopeKey, dates: [change.before.date, change.after.date], days, row, imported: null };
    }
    case 'remove': {
      await currentDay(tx, change.dayId, change.before);
      await repo.deleteDay(tx, change.dayId);
      return { scopeKey, dates: [change.before.date], days: [touched(change.before, 'removed')], row: null, imported: null };
    }
    case 'import': {
      const old = new Map(
        (await repo.selectDays(tx, scopeKey, `${change.year}-01-01`, `${change.year}-12-31`)).map((r) => [r.date, asDay(r)]),
      );
      await repo.deleteYear(tx, scopeKey, change.year);
      const fresh = new Map<string, CalendarDay>();
      for (const day of change.days) {
        if (await repo.insertDay(tx, change.ref, day, userId)) fresh.set(day.date, day);
      }
      await repo.upsertYear(
        tx,
        { scope_key: scopeKey, year: change.year, status: change.meta.status, source: change.meta.source, note: change.meta.note ?? null },
        now,
      );
      // Only the days that differ from before can move a deadline.
      const days: TouchedDay[] = [];
      for (const date of [...new Set([...old.keys(), ...fresh.keys()])].sort()) {
        const was = old.get(date);
        const is = fresh.get(date);
        if (was && !is) days.push(touched(was, 'removed'));
        else if (!was && is) days.push(touched(is, 'added'));
        else if (was && is && (was.kind !== is.kind || was.name !== is.name)) days.push(touched(is, 'changed'));
      }
      return { scopeKey, dates: days.map((d) => d.date), days, row: null, imported: fresh.size };
    }
  }
}

/** What a request stores of a change, and back. */
export function toRequestParts(change: CalendarChange): { dayId: number | null; year: number | null; payload: ChangePayload } {
  switch (change.action) {
    case 'add':
      return { dayId: null, year: null, payload: { day: change.day } };
    case 'change':
      return { dayId: change.dayId, year: null, payload: { before: change.before, after: change.after } };
    case 'remove':
      return { dayId: change.dayId, year: null, payload: { before: change.before } };
    case 'import':
      return {
        dayId: null,
        year: change.year,
        payload: { days: change.days, yearStatus: change.meta.status, source: change.meta.source, yearNote: change.meta.note ?? null },
      };
  }
}

export function changeOfRequest(row: ChangeRequestRow): CalendarChange {
  const ref = refOf(row);
  const p = row.payload;
  switch (row.action) {
    case 'add':
      return { action: 'add', ref, day: p.day! };
    case 'change':
      return { action: 'change', ref, dayId: row.day_id!, before: p.before!, after: p.after! };
    case 'remove':
      return { action: 'remove', ref, dayId: row.day_id!, before: p.before! };
    case 'import':
      return {
        action: 'import',
        ref,
        year: row.year!,
        days: p.days ?? [],
        meta: { status: p.yearStatus ?? 'decreed', source: p.source ?? '', note: p.yearNote ?? null },
      };
  }
}
