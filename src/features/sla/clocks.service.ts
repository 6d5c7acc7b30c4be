import type { Queryable } from '../../db/db.ts';
import {
  WorkingCalendar,
  addCalendarDays,
  addWorkingDays,
  formatInstant,
  localDate,
  workingDaysBetween,
  workingTimeLeft,
} from '../../domain/calendar.ts';
import { CLOCK_LABELS, type ClockKind, type ClockOp, type LimitUnit, type SlaLimits, limitFor } from '../../domain/sla.ts';
import type { Status } from '../../domain/workflow.ts';
import { selectLayers } from '../calendars/calendars.repository.ts';
import { layersOf } from '../calendars/calendars.service.ts';
import { insertEvent, insertSystemEvent } from '../timeline/timeline.repository.ts';

const NATIONAL_TIME_ZONE = 'Asia/Jakarta';
const DAY_MS = 86_400_000;

export interface ClockRow {
  id: number;
  report_id: number;
  kind: ClockKind;
  cycle: number;
  state: 'running' | 'paused' | 'stopped' | 'expired';
  limit_days: number;
  limit_unit: LimitUnit;
  calendar_body_id: number | null;
  time_zone: string;
  started_at: Date;
  counted_from: Date;
  count_days: number;
  due_at: Date | null;
  paused_at: Date | null;
  remaining_days: number | null;
  reminder_at: Date | null;
  reminded_at: Date | null;
  breached_at: Date | null;
  stopped_at: Date | null;
}

const CLOCK_COLUMNS = `id, report_id, kind, cycle, state, limit_days, limit_unit, calendar_body_id, time_zone, started_at,
  counted_from, count_days, due_at, paused_at, remaining_days, reminder_at, reminded_at, breached_at, stopped_at`;

/** The report facts the clocks depend on. */
export interface ClockReport {
  id: number;
  body_id: number | null;
  resolution_class: number | null;
}

/**
 * Calendars are loaded per body and per pair of years (a 60-day or 14-working-day limit never
 * spans more), and kept for the rest of one operation.
 */
export class CalendarCache {
  private readonly cache = new Map<string, Promise<{ calendar: WorkingCalendar; timeZone: string }>>();
  private readonly db: Queryable;
  constructor(db: Queryable) {
    this.db = db;
  }
  get(bodyId: number | null, year: number): Promise<{ calendar: WorkingCalendar; timeZone: string }> {
    const key = `${bodyId ?? 'national'}:${year}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.load(bodyId, year);
      this.cache.set(key, found);
    }
    return found;
  }
  private async load(bodyId: number | null, year: number) {
    const { scopeKeys, timeZone } =
      bodyId === null ? { scopeKeys: ['national'], timeZone: NATIONAL_TIME_ZONE } : await layersOf(this.db, bodyId);
    const layers = await selectLayers(this.db, scopeKeys, `${year}-01-01`, `${year + 1}-12-31`);
    return { calendar: WorkingCalendar.merge(...layers), timeZone };
  }
}

async function dueFrom(
  calendars: CalendarCache,
  bodyId: number | null,
  from: Date,
  days: number,
  unit: LimitUnit,
): Promise<{ due: Date; timeZone: string }> {
  const { calendar, timeZone } = await calendars.get(bodyId, Number(localDate(from, NATIONAL_TIME_ZONE).slice(0, 4)));
  const due = unit === 'working' ? addWorkingDays(from, days, timeZone, calendar) : addCalendarDays(from, days, timeZone);
  return { due, timeZone };
}

function reminderFor(due: Date, countedFrom: Date, limits: SlaLimits): Date | null {
  const at = new Date(due.getTime() - limits.reminderLeadHours * 3_600_000);
  return at > countedFrom ? at : null;
}

const nextFire = (reminder: Date | null, due: Date | null) => (reminder && due ? (reminder < due ? reminder : due) : (due ?? reminder));

/** Which body's calendar a clock counts on: the national desk verifies; bodies do the rest. */
function calendarBodyFor(kind: ClockKind, report: ClockReport): number | null {
  return kind === 'verification' ? null : report.body_id;
}

export interface PlanContext {
  report: ClockReport;
  now: Date;
  limits: SlaLimits;
  calendars: CalendarCache;
}

async function clockEvent(
  tx: Queryable,
  ctx: PlanContext,
  type: string,
  clock: { kind: ClockKind; due: Date | null; timeZone: string; cycle: number },
) {
  // Clocks are the system's bookkeeping, whoever's action moved them.
  await insertSystemEvent(tx, {
    reportId: ctx.report.id,
    at: ctx.now,
    type,
    visibility: 'staff',
    data: {
      clock: clock.kind,
      cycle: clock.cycle,
      ...(clock.due ? { dueAt: formatInstant(clock.due, clock.timeZone) } : {}),
    },
  });
}

/** Applies what a lifecycle event does to the report's clocks, in the caller's transaction. */
export async function applyClockPlan(tx: Queryable, ops: ClockOp[], ctx: PlanContext): Promise<void> {
  for (const op of ops) {
    if (op.op === 'start') await startClock(tx, op.kind, ctx);
    else if (op.op === 'stop') await stopClocks(tx, op.kind, ctx, op.except);
    else if (op.op === 'pause') await pauseClocks(tx, op.kind, ctx);
    else await resumeClocks(tx, op.kind, ctx);
  }
}

async function startClock(tx: Queryable, kind: ClockKind, ctx: PlanContext): Promise<void> {
  const { days, unit } = limitFor(kind, ctx.limits, ctx.report.resolution_class);
  const bodyId = calendarBodyFor(kind, ctx.report);
  const { due, timeZone } = await dueFrom(ctx.calendars, bodyId, ctx.now, days, unit);
  const reminder = reminderFor(due, ctx.now, ctx.limits);
  const rows = await tx.query<{ cycle: number }>(
    `INSERT INTO report_clocks (report_id, kind, cycle, state, limit_days, limit_unit, calendar_body_id, time_zone,
                                started_at, counted_from, count_days, due_at, reminder_at, next_fire_at)
     SELECT $1, $2, COALESCE(MAX(cycle), 0) + 1, 'running', $3, $4, $5, $6, $7, $7, $3, $8, $9, $10
       FROM report_clocks WHERE report_id = $1 AND kind = $2
     RETURNING cycle`,
    [ctx.report.id, kind, days, unit, bodyId, timeZone, ctx.now, due, reminder, nextFire(reminder, due)],
  );
  await clockEvent(tx, ctx, 'clock_started', { kind, due, timeZone, cycle: rows[0]!.cycle });
}

async function activeClocks(tx: Queryable, reportId: number, kind: ClockKind | 'all', states: string[]): Promise<ClockRow[]> {
  return tx.query<ClockRow>(
    `SELECT ${CLOCK_COLUMNS} FROM report_clocks
      WHERE report_id = $1 AND ($2 = 'all' OR kind = $2) AND state = ANY($3::text[])
      ORDER BY id FOR UPDATE`,
    [reportId, kind, states],
  );
}

async function stopClocks(tx: Queryable, kind: ClockKind | 'all', ctx: PlanContext, except?: ClockKind): Promise<void> {
  for (const clock of await activeClocks(tx, ctx.report.id, kind, ['running', 'paused'])) {
    if (clock.kind === except) continue;
    await tx.query(`UPDATE report_clocks SET state = 'stopped', stopped_at = $2, next_fire_at = NULL WHERE id = $1`, [clock.id, ctx.now]);
    await clockEvent(tx, ctx, 'clock_stopped', { kind: clock.kind, due: clock.due_at, timeZone: clock.time_zone, cycle: clock.cycle });
  }
}

async function daysLeft(ctx: PlanContext, clock: ClockRow): Promise<number> {
  if (!clock.due_at) return clock.remaining_days ?? clock.count_days;
  if (clock.limit_unit === 'calendar') {
    const left = Math.round(
      (Date.parse(localDate(clock.due_at, clock.time_zone)) - Date.parse(localDate(ctx.now, clock.time_zone))) / DAY_MS,
    );
    return Math.max(0, left);
  }
  const { calendar } = await ctx.calendars.get(clock.calendar_body_id, Number(localDate(ctx.now, clock.time_zone).slice(0, 4)));
  return Math.max(0, workingDaysBetween(ctx.now, clock.due_at, clock.time_zone, calendar));
}

async function pauseClocks(tx: Queryable, kind: ClockKind | 'all', ctx: PlanContext): Promise<void> {
  for (const clock of await activeClocks(tx, ctx.report.id, kind, ['running'])) {
    // The day of the pause counts as used: on resume the clock has the days after it.
    const remaining = await daysLeft(ctx, clock);
    await tx.query(
      `UPDATE report_clocks SET state = 'paused', paused_at = $2, remaining_days = $3, due_at = NULL, reminder_at = NULL, next_fire_at = NULL
        WHERE id = $1`,
      [clock.id, ctx.now, remaining],
    );
    await clockEvent(tx, ctx, 'clock_paused', { kind: clock.kind, due: null, timeZone: clock.time_zone, cycle: clock.cycle });
  }
}

async function resumeClocks(tx: Queryable, kind: ClockKind | 'all', ctx: PlanContext): Promise<void> {
  for (const clock of await activeClocks(tx, ctx.report.id, kind, ['paused'])) {
    const days = clock.remaining_days ?? clock.count_days;
    const { due, timeZone } = await dueFrom(ctx.calendars, clock.calendar_body_id, ctx.now, days, clock.limit_unit);
    const reminder = clock.reminded_at ? null : reminderFor(due, ctx.now, ctx.limits);
    await tx.query(
      `UPDATE report_clocks SET state = 'running', paused_at = NULL, remaining_days = NULL, counted_from = $2, count_days = $3,
              due_at = $4, reminder_at = $5, next_fire_at = $6
        WHERE id = $1`,
      [clock.id, ctx.now, days, due, reminder, nextFire(reminder, due)],
    );
    await clockEvent(tx, ctx, 'clock_resumed', { kind: clock.kind, due, timeZone, cycle: clock.cycle });
  }
}

/**
 * What moved a deadline, for the `deadline_moved` event on the report's timeline: the national
 * admin who made or approved the calendar change is its actor, and `change` names the change
 * (request, layer, days). Nothing in it may be internal: the reporter reads the event too.
 */
export interface DeadlineCause {
  actor: { userId: number; role: string; bodyId: number | null };
  change: Record<string, unknown>;
}

/**
 * After a calendar change, moves every running working-day clock whose count the changed dates
 * touch (Zammad did not; its deadlines went stale). Calendar-day clocks ignore holidays.
 */
export async function recomputeClocks(
  tx: Queryable,
  change: { scopeKey: string; dates: string[]; cause: DeadlineCause },
  limits: SlaLimits,
  now: Date,
): Promise<number> {
  if (change.dates.length === 0) return 0;
  const sorted = [...change.dates].sort();
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  // Which bodies' calendars include the changed layer ($3).
  const layerFilter =
    change.scopeKey === 'national'
      ? '$3::text = $3::text'
      : change.scopeKey.startsWith('province:')
        ? `c.calendar_body_id IN (SELECT b.id FROM bodies b JOIN bodies top ON top.id = b.path[1] WHERE 'province:' || left(top.region_code, 2) = $3)`
        : `c.calendar_body_id IN (SELECT b.id FROM bodies b WHERE 'body:' || b.path[1]::text = $3)`;
  // Only clocks whose counting span overlaps the changed dates (a day of slack for the zones).
  const clocks = await tx.query<ClockRow>(
    `SELECT ${CLOCK_COLUMNS.split(',')
      .map((c) => `c.${c.trim()}`)
      .join(', ')} FROM report_clocks c
      WHERE c.state = 'running' AND c.limit_unit = 'working'
        AND c.counted_from < $2::date + 2
        AND c.due_at >= $1::date - 1
        AND ${layerFilter}
      FOR UPDATE OF c`,
    [first, last, change.scopeKey],
  );
  const calendars = new CalendarCache(tx);
  let moved = 0;
  for (const clock of clocks) {
    const { due } = await dueFrom(calendars, clock.calendar_body_id, clock.counted_from, clock.count_days, 'working');
    if (clock.due_at && due.getTime() === clock.due_at.getTime()) continue;
    const reminder = clock.reminded_at ? null : reminderFor(due, clock.counted_from, limits);
    await tx.query(`UPDATE report_clocks SET due_at = $2, reminder_at = $3, next_fire_at = $4, breached_at = breached_at WHERE id = $1`, [
      clock.id,
      due,
      reminder,
      clock.breached_at ? null : nextFire(reminder, due),
    ]);
    // A deadline is a commitment to the reporter as much as to the desk: the reporter sees it
    // move and why (the days are public calendar data); the public sees only the new due time.
    await insertEvent(tx, {
      reportId: clock.report_id,
      at: now,
      type: 'deadline_moved',
      actorId: change.cause.actor.userId,
      actorRole: change.cause.actor.role,
      actorBodyId: change.cause.actor.bodyId,
      visibility: 'reporter',
      fromStatus: null,
      toStatus: null,
      message: null,
      data: {
        clock: clock.kind,
        cycle: clock.cycle,
        dueAt: formatInstant(due, clock.time_zone),
        previousDueAt: clock.due_at && formatInstant(clock.due_at, clock.time_zone),
        change: change.cause.change,
      },
    });
    moved += 1;
  }
  return moved;
}

export interface ClockView {
  kind: ClockKind;
  label: { id: string; en: string };
  cycle: number;
  state: ClockRow['state'];
  limit: { days: number; unit: LimitUnit };
  startedAt: string;
  dueAt: string | null;
  timeZone: string;
  left: { workingDays: number; milliseconds: number; overdue: boolean } | null;
  remindedAt: string | null;
  breachedAt: string | null;
}

/** Each clock of a report, with its due time and the working time left as of `now`. */
export async function clockViews(db: Queryable, reportId: number, now: Date, calendars = new CalendarCache(db)): Promise<ClockView[]> {
  const clocks = await db.query<ClockRow>(`SELECT ${CLOCK_COLUMNS} FROM report_clocks WHERE report_id = $1 ORDER BY id`, [reportId]);
  const views: ClockView[] = [];
  for (const c of clocks) {
    let left: ClockView['left'] = null;
    if (c.state === 'running' && c.due_at && c.limit_unit === 'working') {
      const { calendar } = await calendars.get(c.calendar_body_id, Number(localDate(now, c.time_zone).slice(0, 4)));
      left = workingTimeLeft(now, c.due_at, c.time_zone, calendar);
    } else if (c.state === 'running' && c.due_at) {
      // a limit in calendar days: every day counts
      const days = Math.round((Date.parse(localDate(c.due_at, c.time_zone)) - Date.parse(localDate(now, c.time_zone))) / DAY_MS);
      left = { workingDays: days, milliseconds: c.due_at.getTime() - now.getTime(), overdue: now > c.due_at };
    }
    views.push({
      kind: c.kind,
      label: CLOCK_LABELS[c.kind],
      cycle: c.cycle,
      state: c.state,
      limit: { days: c.limit_days, unit: c.limit_unit },
      startedAt: formatInstant(c.started_at, c.time_zone),
      dueAt: c.due_at ? formatInstant(c.due_at, c.time_zone) : null,
      timeZone: c.time_zone,
      left,
      remindedAt: c.reminded_at ? formatInstant(c.reminded_at, c.time_zone) : null,
      breachedAt: c.breached_at ? formatInstant(c.breached_at, c.time_zone) : null,
    });
  }
  return views;
}

export type { Status };
