import type { Queryable } from '../../db/db.ts';
import type { CalendarDay } from '../../domain/calendar.ts';
import type { Principal } from '../../domain/principal.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError, invalidInput } from '../../errors.ts';
import * as calendars from '../calendars/calendars.service.ts';
import * as requestsRepo from '../calendars/change-requests.repository.ts';
import { type ChangeRequestJson, createRequest, messagePayload, toRequestJson } from '../calendars/change-requests.service.ts';
import {
  type AppliedChange,
  type CalendarChange,
  applyChange,
  changeOfRequest,
  planAdd,
  planChange,
  planImport,
  planRemove,
  sameDay,
} from '../calendars/changes.service.ts';
import { notifyUsers } from '../notifications/outbox.ts';
import { recomputeClocks } from './clocks.service.ts';

/**
 * Every change to a working calendar, with its consequence: the open deadlines it touches move,
 * in the same transaction. The calendar feature knows days; this one knows what they do to clocks.
 *
 * A national admin's change applies at once. A province's or a body's admin may only ask: the
 * change is kept as a request, and applies (with its deadlines moved) when a national admin
 * approves it, so that no body can push its own deadlines back by itself.
 */

/** At most this many days are named on each timeline event (an import may touch a whole year). */
const DAYS_ON_EVENT = 40;

export type Outcome<T> = { applied: true; result: T } | { applied: false; request: ChangeRequestJson };

/** Plans a change in one transaction, then applies it (national admin) or stores it as a request. */
function submit<T>(
  deps: AppDeps,
  principal: Principal,
  reason: string | null | undefined,
  plan: (tx: Queryable) => Promise<CalendarChange>,
  result: (applied: AppliedChange, deadlinesMoved: number) => T,
): Promise<Outcome<T>> {
  return deps.db.transaction(async (tx): Promise<Outcome<T>> => {
    const change = await plan(tx);
    const now = deps.now();
    if (principal.role !== 'national_admin') {
      if (change.action === 'change' && sameDay(change.before, change.after)) {
        throw invalidInput({ body: 'Tidak ada yang berubah / Nothing changes' }, 'Tidak ada yang berubah / Nothing changes');
      }
      return { applied: false, request: toRequestJson(await createRequest(tx, principal, change, reason?.trim() || null, now)) };
    }
    const applied = await applyChange(tx, change, principal.userId, now);
    const moved = await moveDeadlines(tx, deps, applied, {
      requestId: null,
      action: change.action,
      layerName: await calendars.layerName(tx, change.ref),
      actor: principal,
      now,
    });
    return { applied: true, result: result(applied, moved) };
  });
}

function moveDeadlines(
  tx: Queryable,
  deps: AppDeps,
  applied: AppliedChange,
  c: { requestId: number | null; action: CalendarChange['action']; layerName: string | null; actor: Principal; now: Date },
): Promise<number> {
  return recomputeClocks(
    tx,
    {
      scopeKey: applied.scopeKey,
      dates: applied.dates,
      cause: {
        actor: { userId: c.actor.userId, role: c.actor.role, bodyId: c.actor.bodyId },
        change: {
          requestId: c.requestId,
          action: c.action,
          layer: applied.scopeKey,
          layerName: c.layerName,
          days: applied.days.slice(0, DAYS_ON_EVENT),
          dayCount: applied.days.length,
          // a request is approved; a national admin's own change is simply made
          ...(c.requestId === null ? { appliedAt: c.now.toISOString() } : { approvedAt: c.now.toISOString() }),
        },
      },
    },
    deps.config.sla,
    c.now,
  );
}

export async function importCalendarYear(
  deps: AppDeps,
  principal: Principal,
  scope: Parameters<typeof calendars.resolveScope>[1],
  year: number,
  text: string,
  format: 'csv' | 'json',
  meta: { status: 'decreed' | 'provisional'; source: string; note?: string | null; reason?: string | null },
) {
  const ref = await calendars.resolveScope(deps.db, scope);
  const days = calendars.parseExchange(text, format);
  return submit(
    deps,
    principal,
    meta.reason,
    (tx) => planImport(tx, principal, ref, year, days, meta),
    (applied, moved) => ({ imported: applied.imported ?? 0, deadlinesMoved: moved }),
  );
}

export async function addCalendarDay(
  deps: AppDeps,
  principal: Principal,
  input: Parameters<typeof calendars.resolveScope>[1] & {
    date: string;
    kind: string;
    name: string;
    provisional?: boolean;
    reason?: string;
  },
) {
  const ref = await calendars.resolveScope(deps.db, input);
  const day = calendars.validateDay({ date: input.date, kind: input.kind, name: input.name });
  return submit(
    deps,
    principal,
    input.reason,
    (tx) => planAdd(tx, principal, ref, { ...day, ...(input.provisional ? { provisional: true } : {}) }),
    (applied, moved) => ({ day: applied.row!, deadlinesMoved: moved }),
  );
}

export function changeCalendarDay(deps: AppDeps, principal: Principal, id: number, patch: Partial<CalendarDay> & { reason?: string }) {
  const { reason, ...dayPatch } = patch;
  return submit(
    deps,
    principal,
    reason,
    (tx) => planChange(tx, principal, id, dayPatch),
    (applied) => applied.row!,
  );
}

export function removeCalendarDay(deps: AppDeps, principal: Principal, id: number, reason?: string) {
  return submit(
    deps,
    principal,
    reason,
    (tx) => planRemove(tx, principal, id),
    (applied, moved) => ({ deadlinesMoved: moved, day: applied.days[0] ?? null }),
  );
}

function assertNational(principal: Principal): void {
  if (principal.role !== 'national_admin') {
    throw new AppError(
      'forbidden',
      'Hanya admin nasional yang dapat memutuskan perubahan kalender / Only national admins decide calendar changes',
    );
  }
}

/**
 * Locks the request and checks it is still pending. A second decision (also one made at the same
 * moment by another national admin, who waits on the lock) is a conflict.
 */
async function lockPending(tx: Queryable, id: number): Promise<requestsRepo.ChangeRequestRow> {
  const locked = await requestsRepo.lockRequest(tx, id);
  if (!locked) throw new AppError('not_found', 'Permintaan perubahan kalender tidak ditemukan / Calendar change request not found');
  if (locked.status !== 'pending') {
    const [inId, inEn] = locked.status === 'approved' ? ['disetujui', 'approved'] : ['ditolak', 'rejected'];
    throw new AppError('conflict', `Permintaan ini sudah ${inId} / This request was already ${inEn}`);
  }
  return (await requestsRepo.selectRequest(tx, id))!;
}

/** Records the decision; the row is locked, so this only fails if the lock was not taken (a bug). */
async function markDecided(tx: Queryable, id: number, d: Parameters<typeof requestsRepo.markDecided>[2]): Promise<void> {
  if (!(await requestsRepo.markDecided(tx, id, d))) {
    throw new AppError('conflict', 'Permintaan ini sudah diputuskan / This request was already decided');
  }
}

async function tellRequester(tx: Queryable, row: requestsRepo.ChangeRequestRow, now: Date): Promise<void> {
  await notifyUsers(tx, [row.requested_by], {
    template: 'calendar.change_decided',
    payload: { ...messagePayload(row), decision: row.status, reason: row.decision_reason, deadlinesMoved: row.deadlines_moved },
    key: `calendar_request:${row.id}:decided`,
    at: now,
  });
}

/**
 * A national admin approves a request: the change applies, the open deadlines it touches move
 * (each with a `deadline_moved` event naming the request), and the requester is told, all in one
 * transaction. A change that can no longer apply (its day was changed or removed meanwhile) is a
 * conflict and the request stays pending, to be rejected.
 */
export async function approveChangeRequest(deps: AppDeps, principal: Principal, id: number, note: string | null) {
  assertNational(principal);
  return deps.db.transaction(async (tx) => {
    const row = await lockPending(tx, id);
    const now = deps.now();
    const change = changeOfRequest(row);
    // The day is entered by whoever asked for it; the approval is on the request.
    const applied = await applyChange(tx, change, row.requested_by, now);
    const moved = await moveDeadlines(tx, deps, applied, {
      requestId: row.id,
      action: row.action,
      layerName: row.layer_name,
      actor: principal,
      now,
    });
    await markDecided(tx, id, {
      status: 'approved',
      by: principal.userId,
      at: now,
      reason: note,
      deadlinesMoved: moved,
      dayId: change.action === 'add' ? applied.row!.id : null,
    });
    const decided = (await requestsRepo.selectRequest(tx, id))!;
    await tellRequester(tx, decided, now);
    return toRequestJson(decided);
  });
}

/** A national admin rejects a request, with a reason the requester is told. Nothing changes. */
export async function rejectChangeRequest(deps: AppDeps, principal: Principal, id: number, reason: string) {
  assertNational(principal);
  return deps.db.transaction(async (tx) => {
    await lockPending(tx, id);
    const now = deps.now();
    await markDecided(tx, id, { status: 'rejected', by: principal.userId, at: now, reason, deadlinesMoved: null });
    const decided = (await requestsRepo.selectRequest(tx, id))!;
    await tellRequester(tx, decided, now);
    return toRequestJson(decided);
  });
}
