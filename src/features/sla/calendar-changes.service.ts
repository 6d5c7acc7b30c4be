import type { CalendarDay } from '../../domain/calendar.ts';
import type { Principal } from '../../domain/principal.ts';
import type { AppDeps } from '../../deps.ts';
import * as calendars from '../calendars/calendars.service.ts';
import { recomputeClocks } from './clocks.service.ts';

/**
 * Every change to a working calendar, with its consequence: the open deadlines it touches move,
 * in the same transaction. The calendar feature knows days; this one knows what they do to clocks.
 */

export async function importCalendarYear(
  deps: AppDeps,
  principal: Principal,
  scope: Parameters<typeof calendars.resolveScope>[1],
  year: number,
  text: string,
  format: 'csv' | 'json',
  meta: Parameters<typeof calendars.importYear>[5],
): Promise<{ imported: number; deadlinesMoved: number }> {
  const ref = await calendars.resolveScope(deps.db, scope);
  const days = calendars.parseExchange(text, format);
  return deps.db.transaction(async (tx) => {
    const imported = await calendars.importYear(tx, principal, ref, year, days, meta, deps.now());
    const moved = await recomputeClocks(
      tx,
      { scopeKey: calendars.scopeKeyOf(ref), dates: [`${year}-01-01`, `${year}-12-31`] },
      deps.config.sla,
      deps.now(),
    );
    return { ...imported, deadlinesMoved: moved };
  });
}

export async function addCalendarDay(
  deps: AppDeps,
  principal: Principal,
  input: Parameters<typeof calendars.resolveScope>[1] & { date: string; kind: string; name: string; provisional?: boolean },
) {
  const ref = await calendars.resolveScope(deps.db, input);
  const day = calendars.validateDay({ date: input.date, kind: input.kind, name: input.name });
  return deps.db.transaction(async (tx) => {
    const created = await calendars.createDay(tx, principal, ref, { ...day, provisional: input.provisional });
    await recomputeClocks(tx, { scopeKey: created.scope_key, dates: [created.date] }, deps.config.sla, deps.now());
    return created;
  });
}

export function changeCalendarDay(deps: AppDeps, principal: Principal, id: number, patch: Partial<CalendarDay>) {
  return deps.db.transaction(async (tx) => {
    const { before, after } = await calendars.changeDay(tx, principal, id, patch, deps.now());
    await recomputeClocks(tx, { scopeKey: after.scope_key, dates: [before.date, after.date] }, deps.config.sla, deps.now());
    return after;
  });
}

export function removeCalendarDay(deps: AppDeps, principal: Principal, id: number): Promise<void> {
  return deps.db.transaction(async (tx) => {
    const removed = await calendars.removeDay(tx, principal, id);
    await recomputeClocks(tx, { scopeKey: removed.scope_key, dates: [removed.date] }, deps.config.sla, deps.now());
  });
}
