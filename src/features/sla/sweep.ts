import type { Db, Queryable } from '../../db/db.ts';
import { formatInstant } from '../../domain/calendar.ts';
import { type ClockKind, type SlaLimits, clockPlan, countsAgainstBody } from '../../domain/sla.ts';
import { type Status, decideTransition } from '../../domain/workflow.ts';
import { notifyUsers } from '../notifications/outbox.ts';
import { insertSystemEvent } from '../reports/reports.repository.ts';
import { CalendarCache, applyClockPlan } from './clocks.service.ts';

interface DueClock {
  id: number;
  report_id: number;
  kind: ClockKind;
  cycle: number;
  time_zone: string;
  due_at: Date;
  reminder_at: Date | null;
  reminded_at: Date | null;
  breached_at: Date | null;
  status: Status;
  tracking_id: string;
  title: string;
  body_id: number | null;
  unit_id: number | null;
  reporter_id: number;
  region_code: string | null;
  resolution_class: number | null;
}

export interface SweepResult {
  reminders: number;
  breaches: number;
  autoClosed: number;
  archivedIncomplete: number;
  escalated: number;
  batches: number;
}

export interface SweepDeps {
  db: Db;
  limits: SlaLimits;
}

/**
 * Fires every clock that is due at `now`: reminders, missed deadlines and their effects.
 *
 * Each batch is one transaction that locks its clocks and their reports with SKIP LOCKED, so
 * several workers split the work without touching the same clock, and a crash rolls back only
 * the batch in flight. Every effect is recorded on the clock (reminded_at, breached_at) in the same
 * transaction, and the breach ledger has one row per clock at most, so nothing fires twice.
 * The sweep reads only clocks whose next_fire_at has come (a partial index), so its cost grows
 * with the number due, not the number open.
 */
export async function sweepDueClocks(deps: SweepDeps, now: Date, options: { batchSize?: number } = {}): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 200;
  const result: SweepResult = { reminders: 0, breaches: 0, autoClosed: 0, archivedIncomplete: 0, escalated: 0, batches: 0 };
  for (;;) {
    const processed = await deps.db.transaction(async (tx) => {
      const due = await tx.query<DueClock>(
        `SELECT c.id, c.report_id, c.kind, c.cycle, c.time_zone, c.due_at, c.reminder_at, c.reminded_at, c.breached_at,
                r.status, r.tracking_id, r.title, r.body_id, r.unit_id, r.reporter_id, r.region_code, r.resolution_class
           FROM report_clocks c JOIN reports r ON r.id = c.report_id
          WHERE c.next_fire_at <= $1 AND c.state = 'running'
          ORDER BY c.next_fire_at
          LIMIT $2
          FOR UPDATE OF c, r SKIP LOCKED`,
        [now, batchSize],
      );
      const calendars = new CalendarCache(tx);
      for (const clock of due) await fireClock(tx, clock, now, deps.limits, calendars, result);
      return due.length;
    });
    result.batches += 1;
    if (processed < batchSize) return result;
  }
}

async function fireClock(
  tx: Queryable,
  clock: DueClock,
  now: Date,
  limits: SlaLimits,
  calendars: CalendarCache,
  result: SweepResult,
): Promise<void> {
  const payload = {
    trackingId: clock.tracking_id,
    title: clock.title,
    clock: clock.kind,
    dueAt: formatInstant(clock.due_at, clock.time_zone),
    timeZone: clock.time_zone,
  };
  const event = (type: string, visibility: 'staff' | 'public', data: Record<string, unknown> = {}) =>
    insertSystemEvent(tx, {
      reportId: clock.report_id,
      at: now,
      type,
      visibility,
      data: { clock: clock.kind, cycle: clock.cycle, dueAt: payload.dueAt, ...data },
    });

  if (clock.due_at > now) {
    // Only the reminder is due. (A reminder whose deadline has also passed is skipped: the breach says more.)
    await tx.query('UPDATE report_clocks SET reminded_at = $2, reminder_at = NULL, next_fire_at = due_at WHERE id = $1', [clock.id, now]);
    await event('deadline_reminder', 'staff');
    await notifyUsers(tx, await holdersOf(tx, clock), {
      template: 'deadline.reminder',
      payload,
      key: `clock:${clock.id}:reminder`,
      at: now,
    });
    result.reminders += 1;
    return;
  }

  await tx.query(
    `UPDATE report_clocks SET state = 'expired', breached_at = $2, reminder_at = NULL, next_fire_at = NULL WHERE id = $1`,
    [clock.id, now],
  );
  if (countsAgainstBody(clock.kind)) {
    const inserted = await tx.query(
      `INSERT INTO sla_breaches (report_id, clock_id, kind, body_id, unit_id, due_at, breached_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (clock_id) DO NOTHING RETURNING id`,
      [clock.report_id, clock.id, clock.kind, clock.body_id, clock.unit_id, clock.due_at, now],
    );
    if (inserted.length > 0) {
      await event('deadline_missed', 'public');
      await notifyUsers(tx, await adminsOf(tx, clock.body_id), {
        template: 'deadline.missed',
        payload,
        key: `clock:${clock.id}:missed`,
        at: now,
      });
      result.breaches += 1;
    }
  }

  const report = { id: clock.report_id, body_id: clock.body_id, resolution_class: clock.resolution_class };
  if (clock.kind === 'reply_window' && clock.status === 'answered') {
    const decision = decideTransition(clock.status, 'auto_close', 'system');
    await tx.query(`UPDATE reports SET status = $2, closed_at = $3, updated_at = $3 WHERE id = $1`, [clock.report_id, decision.to, now]);
    await transitionEvent(tx, clock, decision, now, 'Ditutup otomatis: tidak ada tanggapan pelapor / Closed: no reply from the reporter');
    await applyClockPlan(tx, clockPlan(decision.event, decision.from, decision.to), { report, now, limits, calendars });
    await notifyUsers(tx, [clock.reporter_id], { template: 'report.auto_closed', payload, key: `clock:${clock.id}:auto_closed`, at: now });
    result.autoClosed += 1;
  } else if (clock.kind === 'completion' && clock.status === 'on_hold') {
    const decision = decideTransition(clock.status, 'archive_incomplete', 'system');
    await tx.query(`UPDATE reports SET status = $2, archive_reason = 'incomplete', updated_at = $3 WHERE id = $1`, [
      clock.report_id,
      decision.to,
      now,
    ]);
    await transitionEvent(tx, clock, decision, now, 'Diarsipkan: laporan tidak dilengkapi / Archived: not completed by the reporter', {
      reason: 'incomplete',
    });
    await applyClockPlan(tx, clockPlan(decision.event, decision.from, decision.to), { report, now, limits, calendars });
    await notifyUsers(tx, [clock.reporter_id], { template: 'report.archived_incomplete', payload, key: `clock:${clock.id}:archived`, at: now });
    result.archivedIncomplete += 1;
  } else if (clock.kind === 'ombudsman') {
    const office = await ombudsmanOfficeFor(tx, clock);
    await tx.query(`UPDATE reports SET escalated_at = $2, ombudsman_body_id = $3, updated_at = $2 WHERE id = $1 AND escalated_at IS NULL`, [
      clock.report_id,
      now,
      office.id,
    ]);
    await event('escalated_to_ombudsman', 'public', { ombudsmanBodyId: office.id, ombudsmanOffice: office.name });
    const officers = await tx.query<{ id: number }>(`SELECT id FROM users WHERE role = 'ombudsman' AND body_id = $1 AND disabled_at IS NULL`, [
      office.id,
    ]);
    await notifyUsers(tx, [...officers.map((u) => u.id), ...(await adminsOf(tx, clock.body_id))], {
      template: 'report.escalated',
      payload: { ...payload, ombudsmanOffice: office.name },
      key: `clock:${clock.id}:escalated`,
      at: now,
    });
    result.escalated += 1;
  }
}

async function transitionEvent(
  tx: Queryable,
  clock: DueClock,
  decision: { from: Status; to: Status; event: string; visibility: 'public' | 'reporter' | 'staff' | 'national' },
  now: Date,
  message: string,
  data: Record<string, unknown> = {},
) {
  await insertSystemEvent(tx, {
    reportId: clock.report_id,
    at: now,
    type: decision.event,
    visibility: decision.visibility,
    fromStatus: decision.from,
    toStatus: decision.to,
    message,
    data: { clock: clock.kind, ...data },
  });
}

/** The Ombudsman office of the report's province; of the handling body's province; else Ombudsman RI. */
async function ombudsmanOfficeFor(tx: Queryable, clock: DueClock): Promise<{ id: number; name: string }> {
  const rows = await tx.query<{ id: number; name: string }>(
    `SELECT o.id, o.name FROM bodies o
      WHERE o.kind = 'ombudsman' AND (
        o.code = 'ombudsman-' || left($1::text, 2)
        OR o.code = 'ombudsman-' || (SELECT left(top.region_code, 2) FROM bodies b JOIN bodies top ON top.id = b.path[1] WHERE b.id = $2)
        OR o.code = 'ombudsman-ri')
      ORDER BY (o.code = 'ombudsman-' || left($1::text, 2)) DESC, (o.code = 'ombudsman-ri') ASC
      LIMIT 1`,
    [clock.region_code ?? '', clock.body_id],
  );
  return rows[0]!;
}

/** Whoever holds the report: the reporter for their own windows, else the unit, the body, or the national desk. */
async function holdersOf(tx: Queryable, clock: DueClock): Promise<number[]> {
  if (clock.kind === 'reply_window' || clock.kind === 'completion') return [clock.reporter_id];
  if (clock.kind !== 'verification' && clock.unit_id !== null) {
    const officers = await tx.query<{ id: number }>(`SELECT id FROM users WHERE role = 'unit_officer' AND body_id = $1 AND disabled_at IS NULL`, [
      clock.unit_id,
    ]);
    if (officers.length > 0) return officers.map((u) => u.id);
  }
  return adminsOf(tx, clock.kind === 'verification' ? null : clock.body_id);
}

/** A body's admins, or the national admins for reports no body holds yet. */
async function adminsOf(tx: Queryable, bodyId: number | null): Promise<number[]> {
  const rows =
    bodyId === null
      ? await tx.query<{ id: number }>(`SELECT id FROM users WHERE role = 'national_admin' AND disabled_at IS NULL`)
      : await tx.query<{ id: number }>(`SELECT id FROM users WHERE role = 'agency_admin' AND body_id = $1 AND disabled_at IS NULL`, [bodyId]);
  return rows.map((r) => r.id);
}
