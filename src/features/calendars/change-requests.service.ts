import type { Queryable } from '../../db/db.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError } from '../../errors.ts';
import { notifyUsers } from '../notifications/outbox.ts';
import { managedScopeKeys } from './calendars.service.ts';
import { type CalendarChange, toRequestParts } from './changes.service.ts';
import * as repo from './change-requests.repository.ts';

/**
 * Change requests: a province's or a body's admin asks for a change to its own layer; it takes
 * effect when a national admin approves it (src/features/sla/calendar-changes.service.ts).
 */

/** Who hears of a new request: every active national admin. */
async function nationalAdmins(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM users WHERE role = 'national_admin' AND disabled_at IS NULL ORDER BY id`);
  return rows.map((r) => r.id);
}

/** What the two notification templates need to name a request (no reason: they say "open LAPOR!"). */
export function messagePayload(row: repo.ChangeRequestRow): Record<string, unknown> {
  const p = row.payload;
  const day = p.day ?? p.after ?? p.before;
  return {
    requestId: row.id,
    action: row.action,
    layer: row.scope_key,
    layerName: row.layer_name,
    date: day?.date ?? null,
    dayName: day?.name ?? null,
    year: row.year,
    dayCount: p.days?.length ?? null,
  };
}

/** Stores a planned change as a pending request and tells the national admins, in the caller's transaction. */
export async function createRequest(
  tx: Queryable,
  principal: Principal,
  change: CalendarChange,
  reason: string | null,
  now: Date,
): Promise<repo.ChangeRequestRow> {
  const parts = toRequestParts(change);
  const id = await repo.insertRequest(tx, {
    action: change.action,
    ref: change.ref,
    ...parts,
    reason,
    requestedBy: principal.userId,
    at: now,
  });
  const row = (await repo.selectRequest(tx, id))!;
  await notifyUsers(tx, await nationalAdmins(tx), {
    template: 'calendar.change_requested',
    payload: messagePayload(row),
    key: `calendar_request:${id}:requested`,
    at: now,
  });
  return row;
}

function notVisible(): AppError {
  return new AppError('not_found', 'Permintaan perubahan kalender tidak ditemukan / Calendar change request not found');
}

/** National admins see every request; a layer's admins see their layer's; nobody else any. */
async function assertCanSee(db: Queryable, principal: Principal, row: repo.ChangeRequestRow | null): Promise<repo.ChangeRequestRow> {
  if (!row) throw notVisible();
  const keys = await managedScopeKeys(db, principal);
  if (keys !== null && !keys.includes(row.scope_key)) throw notVisible();
  return row;
}

export async function getRequest(db: Queryable, principal: Principal, id: number): Promise<repo.ChangeRequestRow> {
  return assertCanSee(db, principal, await repo.selectRequest(db, id));
}

export async function listRequests(
  db: Queryable,
  principal: Principal,
  filter: { status: repo.RequestStatus | 'all'; page: number; perPage: number },
) {
  const keys = await managedScopeKeys(db, principal);
  if (keys !== null && keys.length === 0) {
    throw new AppError('forbidden', 'Hanya untuk admin kalender / Calendar admins only');
  }
  const { rows, total } = await repo.listRequests(db, {
    scopeKeys: keys,
    status: filter.status,
    limit: filter.perPage,
    offset: (filter.page - 1) * filter.perPage,
  });
  return { items: rows.map(toRequestJson), total, page: filter.page, perPage: filter.perPage };
}

export function toRequestJson(row: repo.ChangeRequestRow) {
  const p = row.payload;
  return {
    id: row.id,
    status: row.status,
    action: row.action,
    layer: { scope: row.scope, key: row.scope_key, provinceCode: row.province_code, bodyId: row.body_id, name: row.layer_name },
    dayId: row.day_id,
    day: p.day ?? null,
    before: p.before ?? null,
    after: p.after ?? null,
    import:
      row.action === 'import'
        ? { year: row.year!, status: p.yearStatus ?? 'decreed', source: p.source ?? '', note: p.yearNote ?? null, days: p.days ?? [] }
        : null,
    reason: row.reason,
    requestedBy: { id: row.requested_by, name: row.requested_by_name },
    requestedAt: row.requested_at.toISOString(),
    decidedBy: row.decided_by === null ? null : { id: row.decided_by, name: row.decided_by_name ?? '' },
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    decisionReason: row.decision_reason,
    deadlinesMoved: row.deadlines_moved,
  };
}

export type ChangeRequestJson = ReturnType<typeof toRequestJson>;
