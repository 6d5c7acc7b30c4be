import type { AppDeps } from '../../deps.ts';
import type { Queryable } from '../../db/db.ts';
import type { Principal } from '../../domain/principal.ts';
import { type Status, statusLabel } from '../../domain/workflow.ts';
import { AppError, invalidInput } from '../../errors.ts';
import { reportLink } from '../notifications/lifecycle.ts';

/**
 * What an app hears of its reports: every timeline event the reporter may see (visibility public
 * or reporter), as the reporter's own timeline shows it — never a person's name, never the
 * reporter's identity (an anonim report's citizen is known to the app already, and must not be
 * written anywhere else by us). The same item is a webhook's body and an entry of the changes
 * feed, so the two never disagree.
 */

export interface ChangeEvent {
  id: number;
  type: string;
  at: string;
  fromStatus: string | null;
  toStatus: string | null;
  /** The body's words (a question, a follow-up, the answer), or the citizen's own reply. */
  message: string | null;
  data: Record<string, unknown>;
  actor: { role: string; body: string | null };
}

export interface ChangeReport {
  externalId: string;
  trackingId: string;
  /** The report's status now (the event's own step is `event.toStatus`). */
  status: string;
  statusLabel: { id: string; en: string };
  url: string | null;
}

export interface ChangeItem {
  event: ChangeEvent;
  report: ChangeReport;
}

export interface ChangeRow {
  event_id: number;
  type: string;
  at: Date;
  from_status: string | null;
  to_status: string | null;
  message: string | null;
  data: Record<string, unknown>;
  actor_role: string;
  actor_body_name: string | null;
  external_id: string;
  tracking_id: string;
  status: Status;
  verified_at: Date | null;
}

/** The columns of an item; a query joins report_events e, reports r, integration_reports ir and bodies ab. */
export const CHANGE_COLUMNS = `e.id AS event_id, e.type, e.at, e.from_status, e.to_status, e.message, e.data, e.actor_role,
  ab.name AS actor_body_name, ir.external_id, r.tracking_id, r.status, r.verified_at`;
/** The reporter's visibilities: the one rule for what an app hears. */
export const APP_VISIBLE = `e.visibility IN ('public', 'reporter')`;

export function changeItem(row: ChangeRow, publicOrigin: string | null): ChangeItem {
  return {
    event: {
      id: row.event_id,
      type: row.type,
      at: row.at.toISOString(),
      fromStatus: row.from_status,
      toStatus: row.to_status,
      message: row.message,
      data: row.data ?? {},
      actor: { role: row.actor_role, body: row.actor_role === 'reporter' || row.actor_role === 'system' ? null : row.actor_body_name },
    },
    report: {
      externalId: row.external_id,
      trackingId: row.tracking_id,
      status: row.status,
      statusLabel: statusLabel(row.status, row.verified_at !== null),
      url: reportLink(publicOrigin, row.tracking_id, false),
    },
  };
}

/** One event of one app's report, as its webhook carries it; null when it is not the app's to hear. */
export async function eventForApp(db: Queryable, appId: number, eventId: number, publicOrigin: string | null): Promise<ChangeItem | null> {
  const [row] = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS}
       FROM report_events e JOIN reports r ON r.id = e.report_id JOIN integration_reports ir ON ir.report_id = r.id
       LEFT JOIN bodies ab ON ab.id = e.actor_body_id
      WHERE e.id = $1 AND ir.integrator_id = $2 AND ${APP_VISIBLE}`,
    [eventId, appId],
  );
  return row ? changeItem(row, publicOrigin) : null;
}

// ---- the feed ----

export const MAX_CHANGES_PAGE = 500;
const CURSOR = /^(\d{1,15})\.(\d{1,15})$/;

/** A cursor is `<transaction>.<change>`: opaque to apps, which send back what they were given. */
export function parseCursor(text: string | undefined): { xid: number; id: number } {
  if (text === undefined || text === '' || text === '0') return { xid: 0, id: 0 };
  const m = CURSOR.exec(text);
  if (!m)
    throw invalidInput({ cursor: 'Kursor tidak dikenal; kirim nextCursor apa adanya / Unknown cursor; send nextCursor as it was given' });
  return { xid: Number(m[1]), id: Number(m[2]) };
}

const cursorOf = (xid: number, id: number) => `${xid}.${id}`;

/**
 * The changes of the app's reports after a cursor, oldest first, with the cursor to ask from
 * next. A change is listed only once the transaction that wrote it, and every transaction older
 * than it, has finished; the order is by that transaction, so a change committed late by a slow
 * transaction can never fall behind a cursor already handed out. Nothing is skipped, nothing
 * comes twice; `event.id` orders the events of one report.
 */
export async function listChanges(deps: AppDeps, app: Principal, options: { cursor?: string; limit: number }) {
  if (app.role !== 'integrator') throw new AppError('forbidden', 'Hanya untuk aplikasi integrasi / Integration apps only');
  const after = parseCursor(options.cursor);
  const limit = Math.min(Math.max(1, options.limit), MAX_CHANGES_PAGE);
  const rows = await deps.db.query<ChangeRow & { change_id: number; xid: number }>(
    `SELECT c.id AS change_id, c.xid, ${CHANGE_COLUMNS}
       FROM integration_changes c
       JOIN report_events e ON e.id = c.event_id
       JOIN reports r ON r.id = c.report_id
       JOIN integration_reports ir ON ir.report_id = c.report_id
       LEFT JOIN bodies ab ON ab.id = e.actor_body_id
      WHERE c.integrator_id = $1 AND (c.xid, c.id) > ($2::bigint, $3::bigint)
        AND c.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
        AND ${APP_VISIBLE}
      ORDER BY c.xid, c.id
      LIMIT $4`,
    [app.userId, after.xid, after.id, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ cursor: cursorOf(r.xid, r.change_id), ...changeItem(r, deps.config.publicOrigin) })),
    nextCursor: last ? cursorOf(last.xid, last.change_id) : cursorOf(after.xid, after.id),
    hasMore: rows.length > limit,
  };
}

// ---- one report, as its app sees it ----

export interface AppReportRow {
  report_id: number;
  external_id: string;
  tracking_id: string;
  status: Status;
  verified_at: Date | null;
  classification: string;
  title: string;
  is_anonymous: boolean;
  is_secret: boolean;
  is_public: boolean;
  body_id: number | null;
  body_name: string | null;
  unit_id: number | null;
  unit_name: string | null;
  created_at: Date;
  updated_at: Date;
  attachments: number;
}

export function appReportJson(r: AppReportRow, publicOrigin: string | null) {
  return {
    externalId: r.external_id,
    trackingId: r.tracking_id,
    status: r.status,
    statusLabel: statusLabel(r.status, r.verified_at !== null),
    classification: r.classification,
    title: r.title,
    anonymous: r.is_anonymous,
    secret: r.is_secret,
    public: r.is_public,
    responsibleBody: r.body_id === null ? null : { id: r.body_id, name: r.body_name! },
    unit: r.unit_id === null ? null : { id: r.unit_id, name: r.unit_name! },
    attachments: r.attachments,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    url: reportLink(publicOrigin, r.tracking_id, false),
  };
}
export type AppReportJson = ReturnType<typeof appReportJson>;

/** One of the app's own reports by its external id; another app's (another body's) is not found. */
export async function findAppReport(db: Queryable, appId: number, externalId: string): Promise<AppReportRow | null> {
  const [row] = await db.query<AppReportRow>(
    `SELECT r.id AS report_id, ir.external_id, r.tracking_id, r.status, r.verified_at, r.classification, r.title,
            r.is_anonymous, r.is_secret, r.is_public, r.body_id, b.name AS body_name, r.unit_id, un.name AS unit_name,
            r.created_at, r.updated_at,
            (SELECT count(*)::int FROM attachments a WHERE a.report_id = r.id AND a.visibility IN ('public', 'reporter')) AS attachments
       FROM integration_reports ir JOIN reports r ON r.id = ir.report_id
       LEFT JOIN bodies b ON b.id = r.body_id LEFT JOIN bodies un ON un.id = r.unit_id
      WHERE ir.integrator_id = $1 AND ir.external_id = $2`,
    [appId, externalId],
  );
  return row ?? null;
}

/** The app's report with its timeline as the reporter sees it. */
export async function getAppReport(deps: AppDeps, app: Principal, externalId: string) {
  if (app.role !== 'integrator') throw new AppError('forbidden', 'Hanya untuk aplikasi integrasi / Integration apps only');
  const row = await findAppReport(deps.db, app.userId, externalId);
  if (!row) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
  const events = await deps.db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS}
       FROM report_events e JOIN reports r ON r.id = e.report_id JOIN integration_reports ir ON ir.report_id = r.id
       LEFT JOIN bodies ab ON ab.id = e.actor_body_id
      WHERE e.report_id = $1 AND ir.integrator_id = $2 AND ${APP_VISIBLE}
      ORDER BY e.id`,
    [row.report_id, app.userId],
  );
  return {
    ...appReportJson(row, deps.config.publicOrigin),
    timeline: events.map((e) => changeItem(e, deps.config.publicOrigin).event),
  };
}
