import type { Db, Queryable } from '../../db/db.ts';
import { formatInstant } from '../../domain/calendar.ts';
import { type ClockKind, type SlaLimits, clockPlan, countsAgainstBody } from '../../domain/sla.ts';
import { type Status, decideTransition } from '../../domain/workflow.ts';
import { messagesFor, notifyUsers } from '../notifications/outbox.ts';
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
      if (due.length === 0) return 0;
      // Set-based: a handful of statements per batch, whatever its size.
      const reminders = due.filter((c) => c.due_at > now);
      const expired = due.filter((c) => c.due_at <= now);
      if (reminders.length > 0) await fireReminders(tx, reminders, now, result);
      if (expired.length > 0) {
        await fireBreaches(tx, expired, now, result);
        const calendars = new CalendarCache(tx);
        for (const clock of expired) await followUp(tx, clock, now, deps.limits, calendars, result);
      }
      return due.length;
    });
    result.batches += 1;
    if (processed < batchSize) return result;
  }
}

function payloadOf(clock: DueClock) {
  return {
    trackingId: clock.tracking_id,
    title: clock.title,
    clock: clock.kind,
    dueAt: formatInstant(clock.due_at, clock.time_zone),
    timeZone: clock.time_zone,
  };
}

/** One INSERT for many system events on clocks. */
async function insertClockEvents(tx: Queryable, clocks: DueClock[], type: string, visibility: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO report_events (report_id, at, type, actor_id, actor_role, actor_body_id, visibility, from_status, to_status, message, data)
     SELECT x.report_id, $3, $4, NULL, 'system', NULL, $5, NULL, NULL, NULL, x.data
       FROM unnest($1::bigint[], $2::jsonb[]) AS x(report_id, data)`,
    [
      clocks.map((c) => c.report_id),
      clocks.map((c) => JSON.stringify({ clock: c.kind, cycle: c.cycle, dueAt: formatInstant(c.due_at, c.time_zone) })),
      now,
      type,
      visibility,
    ],
  );
}

type Audience = { users: number[] } | { unitOrAdmins: { unit: number; body: number | null } } | { admins: number | null };

/** Who hears about each clock (the holder, or a body's admins) for a whole batch: one SELECT, then one INSERT into the outbox. */
async function notifyAudiences(
  tx: Queryable,
  items: { clock: DueClock; audience: Audience }[],
  template: string,
  keyPart: string,
  now: Date,
): Promise<void> {
  const units = new Set<number>();
  const bodies = new Set<number>();
  const userIds = new Set<number>();
  let national = false;
  for (const { audience } of items) {
    if ('users' in audience) for (const id of audience.users) userIds.add(id);
    else if ('unitOrAdmins' in audience) {
      units.add(audience.unitOrAdmins.unit);
      if (audience.unitOrAdmins.body === null) national = true;
      else bodies.add(audience.unitOrAdmins.body);
    } else if (audience.admins === null) national = true;
    else bodies.add(audience.admins);
  }
  const users = await tx.query<{ id: number; role: string; body_id: number | null; email: string | null }>(
    `SELECT id, role, body_id, email FROM users
      WHERE disabled_at IS NULL AND (
        id = ANY($1::bigint[])
        OR (role = 'unit_officer' AND body_id = ANY($2::bigint[]))
        OR (role = 'agency_admin' AND body_id = ANY($3::bigint[]))
        OR (role = 'national_admin' AND $4))
      ORDER BY id`,
    [[...userIds], [...units], [...bodies], national],
  );
  const byId = new Map(users.map((u) => [u.id, u]));
  const admins = (body: number | null) =>
    users.filter((u) => (body === null ? u.role === 'national_admin' : u.role === 'agency_admin' && u.body_id === body));
  const rows: { channel: string; user: number; address: string | null; payload: string; key: string }[] = [];
  for (const { clock, audience } of items) {
    let to: { id: number; email: string | null }[];
    if ('users' in audience) to = audience.users.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    else if ('unitOrAdmins' in audience) {
      const unit = audience.unitOrAdmins.unit;
      const officers = users.filter((u) => u.role === 'unit_officer' && u.body_id === unit);
      to = officers.length > 0 ? officers : admins(audience.unitOrAdmins.body);
    } else to = admins(audience.admins);
    const payload = JSON.stringify(payloadOf(clock));
    const key = `clock:${clock.id}:${keyPart}`;
    for (const u of to) {
      for (const m of messagesFor(u, key)) {
        rows.push({ channel: m.channel, user: u.id, address: m.recipientAddress, payload, key: m.idempotencyKey });
      }
    }
  }
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO outbox (channel, recipient_user_id, recipient_address, template, payload, idempotency_key, available_at, created_at)
     SELECT x.channel, x.user_id, x.address, $6, x.payload, x.key, $7, $7
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::jsonb[], $5::text[]) AS x(channel, user_id, address, payload, key)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [rows.map((r) => r.channel), rows.map((r) => r.user), rows.map((r) => r.address), rows.map((r) => r.payload), rows.map((r) => r.key), template, now],
  );
}

function holderAudience(clock: DueClock): Audience {
  if (clock.kind === 'reply_window' || clock.kind === 'completion') return { users: [clock.reporter_id] };
  if (clock.kind !== 'verification' && clock.unit_id !== null) return { unitOrAdmins: { unit: clock.unit_id, body: clock.body_id } };
  return { admins: clock.kind === 'verification' ? null : clock.body_id };
}

async function fireReminders(tx: Queryable, clocks: DueClock[], now: Date, result: SweepResult): Promise<void> {
  await tx.query('UPDATE report_clocks SET reminded_at = $2, reminder_at = NULL, next_fire_at = due_at WHERE id = ANY($1::bigint[])', [
    clocks.map((c) => c.id),
    now,
  ]);
  await insertClockEvents(tx, clocks, 'deadline_reminder', 'staff', now);
  await notifyAudiences(tx, clocks.map((clock) => ({ clock, audience: holderAudience(clock) })), 'deadline.reminder', 'reminder', now);
  result.reminders += clocks.length;
}

async function fireBreaches(tx: Queryable, clocks: DueClock[], now: Date, result: SweepResult): Promise<void> {
  await tx.query(
    `UPDATE report_clocks SET state = 'expired', breached_at = $2, reminder_at = NULL, next_fire_at = NULL WHERE id = ANY($1::bigint[])`,
    [clocks.map((c) => c.id), now],
  );
  const counted = clocks.filter((c) => countsAgainstBody(c.kind));
  if (counted.length === 0) return;
  const inserted = await tx.query<{ clock_id: number }>(
    `INSERT INTO sla_breaches (report_id, clock_id, kind, body_id, unit_id, due_at, breached_at)
     SELECT x.report_id, x.clock_id, x.kind, x.body_id, x.unit_id, x.due_at, $7
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::timestamptz[])
            AS x(report_id, clock_id, kind, body_id, unit_id, due_at)
     ON CONFLICT (clock_id) DO NOTHING RETURNING clock_id`,
    [
      counted.map((c) => c.report_id),
      counted.map((c) => c.id),
      counted.map((c) => c.kind),
      counted.map((c) => c.body_id),
      counted.map((c) => c.unit_id),
      counted.map((c) => c.due_at),
      now,
    ],
  );
  const fresh = new Set(inserted.map((r) => r.clock_id));
  const missed = counted.filter((c) => fresh.has(c.id));
  if (missed.length === 0) return;
  await insertClockEvents(tx, missed, 'deadline_missed', 'public', now);
  await notifyAudiences(tx, missed.map((clock) => ({ clock, audience: { admins: clock.body_id } })), 'deadline.missed', 'missed', now);
  result.breaches += missed.length;
}

/** What a missed deadline does beyond the breach (auto-close, archive, escalation): rare, so one clock at a time. */
async function followUp(
  tx: Queryable,
  clock: DueClock,
  now: Date,
  limits: SlaLimits,
  calendars: CalendarCache,
  result: SweepResult,
): Promise<void> {
  const payload = payloadOf(clock);
  const event = (type: string, visibility: 'staff' | 'public', data: Record<string, unknown> = {}) =>
    insertSystemEvent(tx, {
      reportId: clock.report_id,
      at: now,
      type,
      visibility,
      data: { clock: clock.kind, cycle: clock.cycle, dueAt: payload.dueAt, ...data },
    });
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

/** A body's admins, or the national admins for reports no body holds yet. */
async function adminsOf(tx: Queryable, bodyId: number | null): Promise<number[]> {
  const rows =
    bodyId === null
      ? await tx.query<{ id: number }>(`SELECT id FROM users WHERE role = 'national_admin' AND disabled_at IS NULL`)
      : await tx.query<{ id: number }>(`SELECT id FROM users WHERE role = 'agency_admin' AND body_id = $1 AND disabled_at IS NULL`, [bodyId]);
  return rows.map((r) => r.id);
}
