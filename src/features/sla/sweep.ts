import { DEFAULT_SWEEP_CONCURRENCY, MAX_SWEEP_CONCURRENCY } from '../../config.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { formatInstant } from '../../domain/calendar.ts';
import { type ClockKind, type SlaLimits, clockPlan, countsAgainstBody } from '../../domain/sla.ts';
import { type Status, decideTransition } from '../../domain/workflow.ts';
import { notifyEvent } from '../notifications/lifecycle.ts';
import { type Recipient, messagesFor } from '../notifications/outbox.ts';
import { insertSystemEvent } from '../timeline/timeline.repository.ts';
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
  /** due_at as the clock's own zone shows it (computed once per clock, for events and messages). */
  dueAtText: string;
}

export interface SweepResult {
  reminders: number;
  breaches: number;
  autoClosed: number;
  archivedIncomplete: number;
  escalated: number;
  batches: number;
  /** Missed-deadline digests written: one per body with new breaches (each to all its admins). */
  digests: number;
}

export interface SweepDeps {
  db: Db;
  limits: SlaLimits;
  /** The site's address (PUBLIC_URL), for the links in messages. */
  publicOrigin?: string | null;
}

/** How many batches a sweep runs at once on PostgreSQL, each in its own transaction and connection. */
const DEFAULT_SWEEP_BATCH_SIZE = 200;

export interface SweepOptions {
  batchSize?: number;
  /**
   * Batches in flight at once (PostgreSQL only; the embedded database has one session, so there it
   * is always 1). The batches split the due clocks between them exactly as separate workers do.
   */
  concurrency?: number;
  /**
   * Then write the missed-deadline digests (default true). Their breaches wait in a queue written
   * with each breach, so a caller may run `sendMissedDigests` on its own instead (the benchmark
   * times the two apart).
   */
  digest?: boolean;
}

/**
 * Fires every clock that is due at `now`: reminders, missed deadlines and their effects.
 *
 * Each batch is one transaction that locks its clocks and their reports with SKIP LOCKED, so
 * several workers (and the parallel batches of one sweep) split the work without touching the same
 * clock, and a crash rolls back only the batches in flight. Every effect is recorded on the clock
 * (reminded_at; state, breached_at and who held the report) in the same transaction, and a clock
 * is only fired while it is running and due, so nothing fires twice.
 * The sweep reads only clocks whose next_fire_at has come (a partial index), so its cost grows
 * with the number due, not the number open.
 */
export async function sweepDueClocks(deps: SweepDeps, now: Date, options: SweepOptions = {}): Promise<SweepResult> {
  const batchSize = options.batchSize ?? DEFAULT_SWEEP_BATCH_SIZE;
  const concurrency = deps.db.kind === 'postgres' ? (options.concurrency ?? DEFAULT_SWEEP_CONCURRENCY) : 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_SWEEP_CONCURRENCY) {
    throw new RangeError(`sweep concurrency must be an integer from 1 to ${MAX_SWEEP_CONCURRENCY}, got ${concurrency}`);
  }
  const result = emptyResult();
  // Each lane takes batches until it finds fewer due than it asked for: then the rest is either
  // done or locked by another lane (or worker), which carries on with it.
  const lane = async () => {
    for (;;) {
      // Counted into the total only once the batch has committed.
      const batch = emptyResult();
      const processed = await deps.db.transaction((tx) => sweepBatch(tx, deps, now, batchSize, batch));
      for (const key of Object.keys(result) as (keyof SweepResult)[]) result[key] += batch[key];
      result.batches += 1;
      if (processed < batchSize) return;
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: concurrency }, lane));
  const failed = lanes.find((l) => l.status === 'rejected');
  if (failed) throw failed.reason;
  // A lane skips a clock whose *report* another lane holds (a report's verification and Ombudsman
  // clocks can fall due together), and that lane need not take it. One more pass, alone, fires
  // what is left; only other workers' locks can hold anything back now.
  if (concurrency > 1) await lane();
  // Then one digest per body of the deadlines it missed, however many lanes found them.
  if (options.digest !== false) {
    result.digests += await deps.db.transaction((tx) => sendMissedDigests(tx, now, deps.publicOrigin ?? null));
  }
  return result;
}

function emptyResult(): SweepResult {
  return { reminders: 0, breaches: 0, autoClosed: 0, archivedIncomplete: 0, escalated: 0, batches: 0, digests: 0 };
}

/**
 * The due clocks of one batch ($1 now, $2 batch size), locked with their reports; the clocks others
 * hold are skipped. The partial index on next_fire_at makes this cost follow the number due.
 */
export const CLAIM_DUE_CLOCKS_SQL = `SELECT c.id, c.report_id, c.kind, c.cycle, c.time_zone, c.due_at, c.reminder_at, c.reminded_at, c.breached_at,
       r.status, r.tracking_id, r.title, r.body_id, r.unit_id, r.reporter_id, r.region_code, r.resolution_class
  FROM report_clocks c JOIN reports r ON r.id = c.report_id
 WHERE c.next_fire_at <= $1 AND c.state = 'running'
 ORDER BY c.next_fire_at
 LIMIT $2
 FOR UPDATE OF c, r SKIP LOCKED`;

/** One batch: lock up to `batchSize` due clocks and their reports, and fire them. Returns how many it locked. */
async function sweepBatch(tx: Queryable, deps: SweepDeps, now: Date, batchSize: number, result: SweepResult): Promise<number> {
  const rows = await tx.query<Omit<DueClock, 'dueAtText'>>(CLAIM_DUE_CLOCKS_SQL, [now, batchSize]);
  if (rows.length === 0) return 0;
  const due: DueClock[] = rows.map((c) => ({ ...c, dueAtText: formatInstant(c.due_at, c.time_zone) }));
  // Set-based: a handful of statements per batch, whatever its size.
  const reminders = due.filter((c) => c.due_at > now);
  const expired = due.filter((c) => c.due_at <= now);
  if (reminders.length > 0) await fireReminders(tx, reminders, now, result);
  if (expired.length > 0) {
    await fireBreaches(tx, expired, now, result);
    const calendars = new CalendarCache(tx);
    for (const clock of expired) await followUp(tx, clock, now, deps, calendars, result);
  }
  return due.length;
}

function payloadOf(clock: DueClock) {
  return {
    trackingId: clock.tracking_id,
    title: clock.title,
    clock: clock.kind,
    dueAt: clock.dueAtText,
    timeZone: clock.time_zone,
  };
}

/** One INSERT for many system events on clocks. */
async function insertClockEvents(tx: Queryable, clocks: DueClock[], type: string, visibility: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO report_events (report_id, at, type, actor_id, actor_role, actor_body_id, visibility, from_status, to_status, message, data)
     SELECT x.report_id, $2, $3, NULL, 'system', NULL, $4, NULL, NULL, NULL, x.data
       FROM jsonb_to_recordset($1::jsonb) AS x(report_id bigint, data jsonb)`,
    [
      JSON.stringify(clocks.map((c) => ({ report_id: c.report_id, data: { clock: c.kind, cycle: c.cycle, dueAt: c.dueAtText } }))),
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
  const users = await tx.query<{ id: number; role: string; body_id: number | null; email: string | null; email_opt_out: string[] }>(
    `SELECT id, role, body_id, email, email_opt_out FROM users
      WHERE disabled_at IS NULL AND (
        id = ANY($1::bigint[])
        OR (role = 'unit_officer' AND body_id = ANY($2::bigint[]))
        OR (role = 'agency_admin' AND body_id = ANY($3::bigint[]))
        OR (role = 'national_admin' AND $4))
      ORDER BY id`,
    [[...userIds], [...units], [...bodies], national],
  );
  const byId = new Map(users.map((u) => [u.id, u]));
  // Admins by body (null: the national admins) and officers by unit, for lookups per clock.
  const adminsByBody = new Map<number | null, typeof users>();
  const officersByUnit = new Map<number, typeof users>();
  const add = <K>(map: Map<K, typeof users>, key: K, u: (typeof users)[number]) => {
    const list = map.get(key);
    if (list) list.push(u);
    else map.set(key, [u]);
  };
  for (const u of users) {
    if (u.role === 'national_admin') add(adminsByBody, null, u);
    else if (u.role === 'agency_admin' && u.body_id !== null) add(adminsByBody, u.body_id, u);
    else if (u.role === 'unit_officer' && u.body_id !== null) add(officersByUnit, u.body_id, u);
  }
  const admins = (body: number | null) => adminsByBody.get(body) ?? [];
  const rows: { channel: string; user_id: number; address: string | null; payload: ReturnType<typeof payloadOf>; key: string }[] = [];
  for (const { clock, audience } of items) {
    let to: Recipient[];
    if ('users' in audience) to = audience.users.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    else if ('unitOrAdmins' in audience) {
      const unit = audience.unitOrAdmins.unit;
      const officers = officersByUnit.get(unit) ?? [];
      to = officers.length > 0 ? officers : admins(audience.unitOrAdmins.body);
    } else to = admins(audience.admins);
    const payload = payloadOf(clock);
    const key = `clock:${clock.id}:${keyPart}`;
    for (const u of to) {
      for (const m of messagesFor(u, key, template)) {
        rows.push({ channel: m.channel, user_id: u.id, address: m.recipientAddress, payload, key: m.idempotencyKey });
      }
    }
  }
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO outbox (channel, recipient_user_id, recipient_address, template, payload, idempotency_key, available_at, created_at)
     SELECT x.channel, x.user_id, x.address, $2, x.payload, x.key, $3, $3
       FROM jsonb_to_recordset($1::jsonb) AS x(channel text, user_id bigint, address text, payload jsonb, key text)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    // One JSON document rather than five arrays: serialised natively, and parsed once by the server.
    [JSON.stringify(rows), template, now],
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
  await notifyAudiences(
    tx,
    clocks.map((clock) => ({ clock, audience: holderAudience(clock) })),
    'deadline.reminder',
    'reminder',
    now,
  );
  result.reminders += clocks.length;
}

/**
 * Marks the clocks expired and records the breach on each clock row: who held the report when the
 * deadline passed (the sla_breaches view lists those that count against a body). The clocks were
 * locked running by this transaction, so each expires here exactly once.
 */
async function fireBreaches(tx: Queryable, clocks: DueClock[], now: Date, result: SweepResult): Promise<void> {
  await tx.query(
    `UPDATE report_clocks c
        SET state = 'expired', breached_at = $4, reminder_at = NULL, next_fire_at = NULL,
            breach_body_id = x.body_id, breach_unit_id = x.unit_id
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS x(id, body_id, unit_id)
      WHERE c.id = x.id`,
    [clocks.map((c) => c.id), clocks.map((c) => c.body_id), clocks.map((c) => c.unit_id), now],
  );
  const missed = clocks.filter((c) => countsAgainstBody(c.kind));
  if (missed.length === 0) return;
  // The public 'deadline_missed' event, and the breach's place in the queue of the digest the
  // body's admins get (sendMissedDigests), not a message each: one statement for both.
  await tx.query(
    `WITH x AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS x(id bigint, report_id bigint, body_id bigint, kind text, cycle int, due_text text, due_at timestamptz,
              time_zone text, tracking_id text, title text)),
     e AS (
       INSERT INTO report_events (report_id, at, type, actor_id, actor_role, actor_body_id, visibility, from_status, to_status, message, data)
       SELECT x.report_id, $2, 'deadline_missed', NULL, 'system', NULL, 'public', NULL, NULL, NULL,
              jsonb_build_object('clock', x.kind, 'cycle', x.cycle, 'dueAt', x.due_text)
         FROM x)
     INSERT INTO breach_digest_queue (clock_id, body_id, breached_at, kind, due_at, time_zone, tracking_id, title)
     SELECT x.id, x.body_id, $2, x.kind, x.due_at, x.time_zone, x.tracking_id, left(x.title, 80) FROM x`,
    [
      JSON.stringify(
        missed.map((c) => ({
          id: c.id,
          report_id: c.report_id,
          body_id: c.body_id,
          kind: c.kind,
          cycle: c.cycle,
          due_text: c.dueAtText,
          due_at: c.due_at,
          time_zone: c.time_zone,
          tracking_id: c.tracking_id,
          title: c.title,
        })),
      ),
      now,
    ],
  );
  result.breaches += missed.length;
}

/** What a missed deadline does beyond the breach (auto-close, archive, escalation): rare, so one clock at a time. */
async function followUp(
  tx: Queryable,
  clock: DueClock,
  now: Date,
  deps: SweepDeps,
  calendars: CalendarCache,
  result: SweepResult,
): Promise<void> {
  const limits = deps.limits;
  const payload = payloadOf(clock);
  // Each effect's event tells whom it concerns (notifications/lifecycle.ts).
  const tell = (eventId: number, type: string, data: Record<string, unknown>) =>
    notifyEvent(
      tx,
      { eventId, reportId: clock.report_id, type, actorId: null, at: now, message: null, data },
      { publicOrigin: deps.publicOrigin ?? null },
    );
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
    const eventId = await transitionEvent(
      tx,
      clock,
      decision,
      now,
      'Ditutup otomatis: tidak ada tanggapan pelapor / Closed: no reply from the reporter',
    );
    await applyClockPlan(tx, clockPlan(decision.event, decision.from, decision.to), { report, now, limits, calendars });
    await tell(eventId, decision.event, {});
    result.autoClosed += 1;
  } else if (clock.kind === 'completion' && clock.status === 'on_hold') {
    const decision = decideTransition(clock.status, 'archive_incomplete', 'system');
    await tx.query(`UPDATE reports SET status = $2, archive_reason = 'incomplete', updated_at = $3 WHERE id = $1`, [
      clock.report_id,
      decision.to,
      now,
    ]);
    const eventId = await transitionEvent(
      tx,
      clock,
      decision,
      now,
      'Diarsipkan: laporan tidak dilengkapi / Archived: not completed by the reporter',
      { reason: 'incomplete' },
    );
    await applyClockPlan(tx, clockPlan(decision.event, decision.from, decision.to), { report, now, limits, calendars });
    await tell(eventId, decision.event, { reason: 'incomplete' });
    result.archivedIncomplete += 1;
  } else if (clock.kind === 'ombudsman') {
    const office = await ombudsmanOfficeFor(tx, clock);
    await tx.query(`UPDATE reports SET escalated_at = $2, ombudsman_body_id = $3, updated_at = $2 WHERE id = $1 AND escalated_at IS NULL`, [
      clock.report_id,
      now,
      office.id,
    ]);
    const data = { ombudsmanBodyId: office.id, ombudsmanOffice: office.name };
    await tell(await event('escalated_to_ombudsman', 'public', data), 'escalated_to_ombudsman', data);
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
): Promise<number> {
  return insertSystemEvent(tx, {
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

/**
 * The Ombudsman office of the handling body's province; for a national body (no region of its
 * own), or while no body holds the report, the office of the report's region; else Ombudsman RI.
 */
async function ombudsmanOfficeFor(tx: Queryable, clock: DueClock): Promise<{ id: number; name: string }> {
  const rows = await tx.query<{ id: number; name: string }>(
    `SELECT o.id, o.name FROM bodies o
      WHERE o.kind = 'ombudsman' AND (
        o.code = 'ombudsman-' || COALESCE(
          (SELECT left(top.region_code, 2) FROM bodies b JOIN bodies top ON top.id = b.path[1]
            WHERE b.id = $2 AND top.region_code IS NOT NULL),
          left($1::text, 2))
        OR o.code = 'ombudsman-ri')
      ORDER BY (o.code = 'ombudsman-ri') ASC
      LIMIT 1`,
    [clock.region_code ?? '', clock.body_id],
  );
  return rows[0]!;
}

/** How many missed deadlines a digest lists by name; the rest it counts. */
const DIGEST_LIST_LIMIT = 20;

/**
 * One message per body (to each of its admins, or the national admins for the national desk's own
 * clocks) listing the deadlines it missed since its last digest. Each breach waits in
 * breach_digest_queue, written with the breach; this takes the queue (SKIP LOCKED, so two workers
 * never list the same breach) and deletes what it lists, in one transaction: a sweep that stops
 * before this step loses nothing, the next one sends it. A handful of statements, whatever the number.
 */
export async function sendMissedDigests(tx: Queryable, now: Date, publicOrigin: string | null): Promise<number> {
  const rows = await tx.query<{
    body_id: number | null;
    n: number;
    kind: ClockKind;
    due_at: Date;
    time_zone: string;
    tracking_id: string;
    title: string;
    body_name: string | null;
    first_clock: number;
  }>(
    `WITH taken AS (
       DELETE FROM breach_digest_queue q
        WHERE q.clock_id IN (SELECT clock_id FROM breach_digest_queue FOR UPDATE SKIP LOCKED)
       RETURNING q.*),
     ranked AS (
       SELECT t.body_id, t.kind, t.due_at, t.time_zone, t.tracking_id, t.title,
              count(*) OVER (PARTITION BY t.body_id)::int AS n,
              min(t.clock_id) OVER (PARTITION BY t.body_id) AS first_clock,
              row_number() OVER (PARTITION BY t.body_id ORDER BY t.due_at, t.clock_id) AS rn
         FROM taken t)
     SELECT k.body_id, k.n, k.kind, k.due_at, k.time_zone, k.tracking_id, k.title, b.name AS body_name, k.first_clock
       FROM ranked k LEFT JOIN bodies b ON b.id = k.body_id
      WHERE k.rn <= ${DIGEST_LIST_LIMIT}
      ORDER BY k.body_id NULLS FIRST, k.rn`,
  );
  if (rows.length === 0) return 0;
  const byBody = new Map<number | null, typeof rows>();
  for (const row of rows) {
    const list = byBody.get(row.body_id);
    if (list) list.push(row);
    else byBody.set(row.body_id, [row]);
  }
  const bodyIds = [...byBody.keys()].filter((id): id is number => id !== null);
  const admins = await tx.query<Recipient & { role: string; body_id: number | null }>(
    `SELECT id, role, body_id, email, email_opt_out FROM users
      WHERE disabled_at IS NULL AND ((role = 'agency_admin' AND body_id = ANY($1::bigint[])) OR (role = 'national_admin' AND $2))
      ORDER BY id`,
    [bodyIds, byBody.has(null)],
  );
  const outbox: { channel: string; user_id: number; address: string | null; payload: unknown; key: string }[] = [];
  for (const [bodyId, missed] of byBody) {
    const first = missed[0]!;
    const payload = {
      bodyName: first.body_name,
      count: first.n,
      items: missed.map((c) => ({
        trackingId: c.tracking_id,
        title: c.title,
        clock: c.kind,
        dueAt: formatInstant(c.due_at, c.time_zone),
        timeZone: c.time_zone,
      })),
      link: publicOrigin ? `${publicOrigin}/kantor?lihat=terlambat` : null,
      at: now.toISOString(),
    };
    // Keyed by the first breach it lists: the same digest is never written twice.
    const key = `digest:missed:${bodyId ?? 'national'}:${first.first_clock}`;
    const to = admins.filter((u) => (bodyId === null ? u.role === 'national_admin' : u.role === 'agency_admin' && u.body_id === bodyId));
    for (const admin of to) {
      for (const m of messagesFor(admin, key, 'deadline.missed_digest')) {
        outbox.push({ channel: m.channel, user_id: admin.id, address: m.recipientAddress, payload, key: m.idempotencyKey });
      }
    }
  }
  if (outbox.length > 0) {
    await tx.query(
      `INSERT INTO outbox (channel, recipient_user_id, recipient_address, template, payload, idempotency_key, available_at, created_at)
       SELECT x.channel, x.user_id, x.address, 'deadline.missed_digest', x.payload, x.key, $2, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(channel text, user_id bigint, address text, payload jsonb, key text)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [JSON.stringify(outbox), now],
    );
  }
  return byBody.size;
}
