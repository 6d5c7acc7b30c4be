import type { Queryable } from '../../db/db.ts';
import type { CalendarDay } from '../../domain/calendar.ts';
import type { ScopeRef } from './calendars.repository.ts';

export type ChangeAction = 'add' | 'change' | 'remove' | 'import';
export type RequestStatus = 'pending' | 'approved' | 'rejected';

/** What was asked, as stored in `payload`: one shape per action. */
export interface ChangePayload {
  /** add: the day to add */
  day?: CalendarDay;
  /** change and remove: the day as it was when the change was asked */
  before?: CalendarDay;
  /** change: the day as it is to be */
  after?: CalendarDay;
  /** import: the whole year, and its status and source */
  days?: CalendarDay[];
  yearStatus?: 'decreed' | 'provisional';
  source?: string;
  yearNote?: string | null;
}

export interface ChangeRequestRow {
  id: number;
  action: ChangeAction;
  scope: 'province' | 'body';
  province_code: string | null;
  body_id: number | null;
  scope_key: string;
  layer_name: string | null;
  day_id: number | null;
  year: number | null;
  payload: ChangePayload;
  reason: string | null;
  status: RequestStatus;
  requested_by: number;
  requested_by_name: string;
  requested_at: Date;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  deadlines_moved: number | null;
}

const SELECT = `
  SELECT q.id, q.action, q.scope, q.province_code, q.body_id, q.scope_key,
         COALESCE(b.name, rg.name) AS layer_name, q.day_id, q.year, q.payload, q.reason, q.status,
         q.requested_by, ru.name AS requested_by_name, q.requested_at,
         q.decided_by, du.name AS decided_by_name, q.decided_at, q.decision_reason, q.deadlines_moved
    FROM calendar_change_requests q
    JOIN users ru ON ru.id = q.requested_by
    LEFT JOIN users du ON du.id = q.decided_by
    LEFT JOIN bodies b ON b.id = q.body_id
    LEFT JOIN regions rg ON rg.code = q.province_code`;

export async function insertRequest(
  db: Queryable,
  r: {
    action: ChangeAction;
    ref: ScopeRef;
    dayId: number | null;
    year: number | null;
    payload: ChangePayload;
    reason: string | null;
    requestedBy: number;
    at: Date;
  },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO calendar_change_requests (action, scope, province_code, body_id, day_id, year, payload, reason, requested_by, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [r.action, r.ref.scope, r.ref.provinceCode, r.ref.bodyId, r.dayId, r.year, JSON.stringify(r.payload), r.reason, r.requestedBy, r.at],
  );
  return rows[0]!.id;
}

export async function selectRequest(db: Queryable, id: number): Promise<ChangeRequestRow | null> {
  const rows = await db.query<ChangeRequestRow>(`${SELECT} WHERE q.id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Locks one request for a decision. Two national admins deciding at once: the second waits here
 * for the first to commit and then reads the request as decided.
 */
export async function lockRequest(db: Queryable, id: number): Promise<{ status: RequestStatus } | null> {
  const rows = await db.query<{ status: RequestStatus }>('SELECT status FROM calendar_change_requests WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

export async function markDecided(
  db: Queryable,
  id: number,
  d: { status: 'approved' | 'rejected'; by: number; at: Date; reason: string | null; deadlinesMoved: number | null; dayId?: number | null },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE calendar_change_requests
        SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5, deadlines_moved = $6, day_id = COALESCE($7, day_id)
      WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id, d.status, d.by, d.at, d.reason, d.deadlinesMoved, d.dayId ?? null],
  );
  return rows.length > 0;
}

/** Requests, newest first; `scopeKeys` null means every layer. */
export async function listRequests(
  db: Queryable,
  filter: { scopeKeys: string[] | null; status: RequestStatus | 'all'; limit: number; offset: number },
): Promise<{ rows: ChangeRequestRow[]; total: number }> {
  const where = `WHERE ($1::text[] IS NULL OR q.scope_key = ANY($1::text[])) AND ($2::text = 'all' OR q.status = $2::text)`;
  const params = [filter.scopeKeys, filter.status];
  const rows = await db.query<ChangeRequestRow>(`${SELECT} ${where} ORDER BY q.id DESC LIMIT $3 OFFSET $4`, [
    ...params,
    filter.limit,
    filter.offset,
  ]);
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM calendar_change_requests q ${where}`, params);
  return { rows, total: count[0]!.n };
}
