import type { Queryable } from '../../db/db.ts';
import type { Visibility } from '../../domain/workflow.ts';

/**
 * Writing a report's timeline (append-only, enforced by a trigger). Lifecycle actions, the clocks,
 * the sweep and the Ombudsman all write here; each reader's view of it is a projection in
 * reports.repository.ts.
 */

export interface NewEvent {
  reportId: number;
  at: Date;
  type: string;
  actorId: number | null;
  actorRole: string;
  actorBodyId: number | null;
  visibility: Visibility;
  fromStatus: string | null;
  toStatus: string | null;
  message: string | null;
  data?: Record<string, unknown>;
}

export async function insertEvent(db: Queryable, e: NewEvent): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO report_events (report_id, at, type, actor_id, actor_role, actor_body_id, visibility, from_status, to_status, message, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      e.reportId,
      e.at,
      e.type,
      e.actorId,
      e.actorRole,
      e.actorBodyId,
      e.visibility,
      e.fromStatus,
      e.toStatus,
      e.message,
      JSON.stringify(e.data ?? {}),
    ],
  );
  return rows[0]!.id;
}

/** An event written by the system (clocks, the sweep): no person acts, so no actor and no body. */
export function insertSystemEvent(
  db: Queryable,
  e: {
    reportId: number;
    at: Date;
    type: string;
    visibility: Visibility;
    data: Record<string, unknown>;
    message?: string | null;
    fromStatus?: string | null;
    toStatus?: string | null;
  },
): Promise<number> {
  return insertEvent(db, {
    actorId: null,
    actorRole: 'system',
    actorBodyId: null,
    fromStatus: null,
    toStatus: null,
    message: null,
    ...e,
  });
}
