import type { Queryable } from '../../db/db.ts';
import type { Status, Visibility } from '../../domain/workflow.ts';
import { type Sql, allOf, joinSql, query, rawSql, sql } from '../../db/sql.ts';
import { neutralFileNameSql } from '../attachments/file-names.ts';
import { type ReaderKind, visibilitiesFor } from './access.ts';

export interface ReportViewRow {
  id: number;
  tracking_id: string;
  classification: string;
  title: string;
  body: string;
  incident_date: string;
  status: Status;
  region_code: string | null;
  region_name: string | null;
  latitude: number | null;
  longitude: number | null;
  category_id: number | null;
  category_code: string | null;
  category_name_id: string | null;
  category_name_en: string | null;
  suggested_body_id: number | null;
  suggested_body_name: string | null;
  body_id: number | null;
  body_name: string | null;
  unit_id: number | null;
  unit_name: string | null;
  is_anonymous: boolean;
  is_secret: boolean;
  resolution_class: number | null;
  archive_reason: string | null;
  duplicate_of: string | null;
  channel: string;
  channel_message: unknown;
  rating: number | null;
  reporter_name: string | null;
  reporter_email: string | null;
  reporter_phone: string | null;
  created_at: Date;
  updated_at: Date;
  verified_at: Date | null;
  answered_at: Date | null;
  closed_at: Date | null;
  rated_at: Date | null;
  escalated_at: Date | null;
  ombudsman_body_id: number | null;
  ombudsman_body_name: string | null;
  ombudsman_taken_at: Date | null;
  ombudsman_officer_name: string | null;
  ombudsman_findings: string | null;
  ombudsman_recommendation: string | null;
  ombudsman_closed_at: Date | null;
  /** Staff only: a body's archive request waiting for a national admin. */
  archive_request: ArchiveRequest | null;
  /** The reporter and staff only. */
  appealed_at: Date | null;
  appeal_decided_at: Date | null;
}

/**
 * The reporter's identity per reader. Only the reporter reads it in full. Everyone else gets it
 * only for a report that is not anonymous, and the public only the name. National admins see an
 * anonymous reporter only through the audited identity endpoint, never in a view.
 */
const IDENTITY_COLUMNS: Record<ReaderKind, string> = {
  reporter: 'u.name AS reporter_name, u.email AS reporter_email, u.phone AS reporter_phone',
  public: `CASE WHEN r.is_anonymous THEN NULL ELSE u.name END AS reporter_name,
           NULL::text AS reporter_email, NULL::text AS reporter_phone`,
  staff: `CASE WHEN r.is_anonymous THEN NULL ELSE u.name END AS reporter_name,
          CASE WHEN r.is_anonymous THEN NULL ELSE u.email END AS reporter_email,
          CASE WHEN r.is_anonymous THEN NULL ELSE u.phone END AS reporter_phone`,
  overseer: '',
  national: '',
};
IDENTITY_COLUMNS.overseer = IDENTITY_COLUMNS.staff;
IDENTITY_COLUMNS.national = IDENTITY_COLUMNS.staff;

/** The raw channel message carries the sender's number or handle: reporter and national only. */
const RAW_MESSAGE: Record<ReaderKind, string> = {
  reporter: 'r.channel_message',
  national: 'CASE WHEN r.is_anonymous THEN NULL ELSE r.channel_message END',
  public: 'NULL::jsonb',
  staff: 'NULL::jsonb',
  overseer: 'NULL::jsonb',
};

/** A duplicate may point at a secret original: its ID reaches only readers who handle reports. */
const DUPLICATE_OF: Record<ReaderKind, string> = {
  public: 'CASE WHEN dup.is_public THEN dup.tracking_id END',
  reporter: 'CASE WHEN dup.is_public THEN dup.tracking_id END',
  staff: 'dup.tracking_id',
  overseer: 'dup.tracking_id',
  national: 'dup.tracking_id',
};

/** The Ombudsman officer's name: like other staff names, for staff, overseers and national admins only. */
const OMBUDSMAN_OFFICER: Record<ReaderKind, string> = {
  public: 'NULL::text',
  reporter: 'NULL::text',
  staff: 'ou.name',
  overseer: 'ou.name',
  national: 'ou.name',
};

/**
 * The Ombudsman's findings and recommendation: the parties (the reporter, the handling body),
 * overseers and national admins read them as they are written; the public once the case is closed.
 */
const STAFF_ONLY = (kind: ReaderKind, expression: string, type: string) =>
  kind === 'public' || kind === 'reporter' ? `NULL::${type}` : expression;
const NOT_PUBLIC = (kind: ReaderKind, expression: string, type: string) => (kind === 'public' ? `NULL::${type}` : expression);

const ombudsmanText = (kind: ReaderKind, column: string) =>
  kind === 'public' ? `CASE WHEN r.ombudsman_closed_at IS NOT NULL THEN r.${column} END` : `r.${column}`;

function viewSelect(kind: ReaderKind): string {
  return `SELECT r.id, r.tracking_id, r.classification, r.title, r.body, r.incident_date, r.status,
       r.region_code, rg.name AS region_name, r.latitude, r.longitude,
       r.category_id, c.code AS category_code, c.name_id AS category_name_id, c.name_en AS category_name_en,
       r.suggested_body_id, sb.name AS suggested_body_name, r.body_id, b.name AS body_name,
       r.unit_id, un.name AS unit_name, r.is_anonymous, r.is_secret, r.resolution_class, r.archive_reason,
       ${DUPLICATE_OF[kind]} AS duplicate_of, r.channel, ${RAW_MESSAGE[kind]} AS channel_message, r.rating,
       ${IDENTITY_COLUMNS[kind]},
       r.created_at, r.updated_at, r.verified_at, r.answered_at, r.closed_at, r.rated_at, r.escalated_at,
       r.ombudsman_body_id, ob.name AS ombudsman_body_name, r.ombudsman_taken_at,
       ${OMBUDSMAN_OFFICER[kind]} AS ombudsman_officer_name,
       ${ombudsmanText(kind, 'ombudsman_findings')} AS ombudsman_findings,
       ${ombudsmanText(kind, 'ombudsman_recommendation')} AS ombudsman_recommendation, r.ombudsman_closed_at,
       ${STAFF_ONLY(kind, 'r.archive_request', 'jsonb')} AS archive_request,
       ${NOT_PUBLIC(kind, 'r.appealed_at', 'timestamptz')} AS appealed_at,
       ${NOT_PUBLIC(kind, 'r.appeal_decided_at', 'timestamptz')} AS appeal_decided_at
  FROM reports r
  JOIN users u ON u.id = r.reporter_id
  LEFT JOIN regions rg ON rg.code = r.region_code
  LEFT JOIN categories c ON c.id = r.category_id
  LEFT JOIN bodies sb ON sb.id = r.suggested_body_id
  LEFT JOIN bodies b ON b.id = r.body_id
  LEFT JOIN bodies un ON un.id = r.unit_id
  LEFT JOIN reports dup ON dup.id = r.duplicate_of_id
  LEFT JOIN bodies ob ON ob.id = r.ombudsman_body_id
  LEFT JOIN users ou ON ou.id = r.ombudsman_officer_id`;
}

export async function selectReportView(db: Queryable, kind: ReaderKind, reportId: number): Promise<ReportViewRow | null> {
  const rows = await db.query<ReportViewRow>(`${viewSelect(kind)} WHERE r.id = $1`, [reportId]);
  return rows[0] ?? null;
}

/**
 * A clock of `c` that says how urgent report `r` is for staff now: the step staff owe (verify,
 * first follow-up, resolve, the Ombudsman limit), not the reporter's windows; running, or expired
 * while the report still waits at that step; of the latest cycle of its kind only.
 */
export const PENDING_STAFF_CLOCK = `c.report_id = r.id AND c.due_at IS NOT NULL
   AND (c.state = 'running' OR (c.state = 'expired' AND CASE c.kind
         WHEN 'verification' THEN r.status = 'submitted'
         WHEN 'first_follow_up' THEN r.status = 'dispositioned'
         WHEN 'resolution' THEN r.status IN ('dispositioned', 'in_progress')
         WHEN 'ombudsman' THEN r.status NOT IN ('closed', 'archived')
         ELSE false END))
   AND c.kind IN ('verification', 'first_follow_up', 'resolution', 'ombudsman')
   AND NOT EXISTS (SELECT 1 FROM report_clocks c2 WHERE c2.report_id = c.report_id AND c2.kind = c.kind AND c2.cycle > c.cycle)`;

/** The due time of the nearest pending staff clock of `r`, or null. */
const NEXT_STAFF_DUE = `(SELECT min(c.due_at) FROM report_clocks c WHERE ${PENDING_STAFF_CLOCK})`;

/** The orders a list may be sorted in: SQL text from this fixed set only. */
const LIST_ORDERS = {
  newest: 'r.created_at DESC, r.id DESC',
  newestEscalation: 'r.escalated_at DESC, r.id DESC',
  // overdue first (their due time has passed), then the soonest due; reports with no staff clock last
  urgent: `${NEXT_STAFF_DUE} ASC NULLS LAST, r.created_at DESC, r.id DESC`,
} as const;

/** Reports whose nearest pending staff clock was due by `now`. */
export const overdueCondition = (now: Date): Sql => sql`${rawSql(NEXT_STAFF_DUE)} <= ${now}`;

export interface PendingClockRow {
  report_id: number;
  kind: string;
  due_at: Date;
  time_zone: string;
}

/** The nearest pending staff clock of each of these reports (none for a report without one). */
export async function selectNextStaffClocks(db: Queryable, reportIds: number[]): Promise<Map<number, PendingClockRow>> {
  const out = new Map<number, PendingClockRow>();
  if (reportIds.length === 0) return out;
  const rows = await db.query<PendingClockRow>(
    `SELECT DISTINCT ON (r.id) r.id AS report_id, c.kind, c.due_at, c.time_zone
       FROM reports r JOIN report_clocks c ON ${PENDING_STAFF_CLOCK}
      WHERE r.id = ANY($1::bigint[])
      ORDER BY r.id, c.due_at`,
    [reportIds],
  );
  for (const row of rows) out.set(row.report_id, row);
  return out;
}

export interface ListQuery {
  where: Sql[];
  orderBy: keyof typeof LIST_ORDERS;
  limit: number;
  offset: number;
}

export async function listReportViews(db: Queryable, kind: ReaderKind, list: ListQuery): Promise<{ rows: ReportViewRow[]; total: number }> {
  const where = allOf(list.where);
  const rows = await query<ReportViewRow>(
    db,
    sql`${rawSql(viewSelect(kind))} WHERE ${where} ORDER BY ${rawSql(LIST_ORDERS[list.orderBy])} LIMIT ${list.limit} OFFSET ${list.offset}`,
  );
  const total = await query<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM reports r WHERE ${where}`);
  return { rows, total: total[0]!.total };
}

/** The facts needed to decide who is reading, without any report content. */
export interface AccessRow {
  id: number;
  is_own: boolean;
  is_public: boolean;
  in_scope: boolean;
}

export async function selectAccess(db: Queryable, trackingId: string, userId: number | null, scope: Sql | null): Promise<AccessRow | null> {
  const rows = await query<AccessRow>(
    db,
    sql`SELECT r.id, COALESCE(r.reporter_id = ${userId}::bigint, false) AS is_own, r.is_public, (${scope ?? sql`FALSE`}) AS in_scope
          FROM reports r WHERE r.tracking_id = ${trackingId}`,
  );
  return rows[0] ?? null;
}

export interface EventRow {
  id: number;
  at: Date;
  type: string;
  actor_role: string;
  actor_name: string | null;
  actor_body_id: number | null;
  actor_body_name: string | null;
  visibility: Visibility;
  from_status: string | null;
  to_status: string | null;
  message: string | null;
  data: Record<string, unknown>;
}

/**
 * A report's timeline for one reader. Names of people appear only to staff and overseers, and
 * never for the reporter's own events (a reporter's name would undo anonymity).
 */
export async function selectTimeline(db: Queryable, kind: ReaderKind, reportId: number): Promise<EventRow[]> {
  const showStaffNames = kind === 'staff' || kind === 'overseer' || kind === 'national';
  return db.query<EventRow>(
    `SELECT e.id, e.at, e.type, e.actor_role,
            ${showStaffNames ? "CASE WHEN e.actor_role IN ('reporter', 'system') THEN NULL ELSE au.name END" : 'NULL::text'} AS actor_name,
            e.actor_body_id, ab.name AS actor_body_name, e.visibility, e.from_status, e.to_status, e.message, e.data
       FROM report_events e
       LEFT JOIN users au ON au.id = e.actor_id
       LEFT JOIN bodies ab ON ab.id = e.actor_body_id
      WHERE e.report_id = $1 AND e.visibility = ANY($2::text[])
      ORDER BY e.id`,
    [reportId, visibilitiesFor(kind)],
  );
}

export interface AttachmentRow {
  id: number;
  event_id: number | null;
  file_name: string;
  media_type: string;
  size_bytes: number;
  storage_key: string;
  visibility: Visibility;
  created_at: Date;
}

export async function selectAttachments(db: Queryable, kind: ReaderKind, reportId: number): Promise<AttachmentRow[]> {
  return (await selectAttachmentsOf(db, kind, [reportId])).get(reportId) ?? [];
}

/**
 * The file name per reader: the original name (which can name the sender: "KTP Budi
 * Santoso.jpg") only for the reporter, a neutral `lampiran-N.<ext>` for everyone else.
 */
const FILE_NAME: Record<ReaderKind, string> = {
  reporter: 'a.file_name',
  public: neutralFileNameSql('a'),
  staff: neutralFileNameSql('a'),
  overseer: neutralFileNameSql('a'),
  national: neutralFileNameSql('a'),
};

/** The attachments of several reports in one query, by report id. */
export async function selectAttachmentsOf(db: Queryable, kind: ReaderKind, reportIds: number[]): Promise<Map<number, AttachmentRow[]>> {
  const byReport = new Map<number, AttachmentRow[]>();
  if (reportIds.length === 0) return byReport;
  const rows = await db.query<AttachmentRow & { report_id: number }>(
    `SELECT a.report_id, a.id, a.event_id, ${FILE_NAME[kind]} AS file_name, a.media_type, a.size_bytes, a.storage_key,
            a.visibility, a.created_at
       FROM attachments a WHERE a.report_id = ANY($1::bigint[]) AND a.visibility = ANY($2::text[]) ORDER BY a.id`,
    [reportIds, visibilitiesFor(kind)],
  );
  for (const row of rows) {
    const list = byReport.get(row.report_id) ?? [];
    list.push(row);
    byReport.set(row.report_id, list);
  }
  return byReport;
}

/** What a lifecycle action or an Ombudsman step may change on a report; `undefined` leaves a column as it is. */
/** What a body asked for when it asked to archive a report (reports.archive_request). */
export interface ArchiveRequest {
  reason: string;
  duplicateOfId: number | null;
  byUserId: number;
  byBodyId: number | null;
  at: string;
  message: string | null;
}

export interface ReportPatch {
  status?: Status;
  updatedAt: Date;
  classification?: string;
  categoryId?: number | null;
  title?: string;
  resolutionClass?: number;
  verifiedAt?: Date;
  isAnonymous?: boolean;
  isSecret?: boolean;
  archiveReason?: string | null;
  duplicateOfId?: number | null;
  /** A body's archive request while it waits for a national admin; null once decided. */
  archiveRequest?: ArchiveRequest | null;
  appealedAt?: Date;
  appealDecidedAt?: Date;
  bodyId?: number | null;
  unitId?: number | null;
  suggestedBodyId?: number | null;
  answeredAt?: Date;
  closedAt?: Date | null;
  rating?: number;
  ratedAt?: Date;
  ombudsmanTakenAt?: Date;
  ombudsmanOfficerId?: number;
  ombudsmanFindings?: string;
  ombudsmanRecommendation?: string;
  ombudsmanClosedAt?: Date;
}

const PATCH_COLUMNS: Record<keyof ReportPatch, string> = {
  status: 'status',
  updatedAt: 'updated_at',
  classification: 'classification',
  categoryId: 'category_id',
  title: 'title',
  resolutionClass: 'resolution_class',
  verifiedAt: 'verified_at',
  isAnonymous: 'is_anonymous',
  isSecret: 'is_secret',
  archiveReason: 'archive_reason',
  duplicateOfId: 'duplicate_of_id',
  archiveRequest: 'archive_request',
  appealedAt: 'appealed_at',
  appealDecidedAt: 'appeal_decided_at',
  bodyId: 'body_id',
  unitId: 'unit_id',
  suggestedBodyId: 'suggested_body_id',
  answeredAt: 'answered_at',
  closedAt: 'closed_at',
  rating: 'rating',
  ratedAt: 'rated_at',
  ombudsmanTakenAt: 'ombudsman_taken_at',
  ombudsmanOfficerId: 'ombudsman_officer_id',
  ombudsmanFindings: 'ombudsman_findings',
  ombudsmanRecommendation: 'ombudsman_recommendation',
  ombudsmanClosedAt: 'ombudsman_closed_at',
};

/** One typed UPDATE for every change to a report; column names come from the fixed map above. */
export async function updateReport(db: Queryable, reportId: number, patch: ReportPatch): Promise<void> {
  const sets = (Object.keys(PATCH_COLUMNS) as (keyof ReportPatch)[])
    .filter((field) => patch[field] !== undefined)
    .map((field) => {
      const value = patch[field];
      // a jsonb column (the archive request) goes as its text, the same on both engines
      const param = value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
      return sql`${rawSql(PATCH_COLUMNS[field])} = ${param}`;
    });
  await query(db, sql`UPDATE reports SET ${joinSql(sets, ', ')} WHERE id = ${reportId}`);
}

export interface NewAttachment {
  reportId: number;
  eventId: number | null;
  storageKey: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  visibility: Visibility;
  uploadedBy: number | null;
}

export async function insertAttachment(db: Queryable, a: NewAttachment): Promise<void> {
  await db.query(
    `INSERT INTO attachments (report_id, event_id, storage_key, file_name, media_type, size_bytes, sha256, visibility, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [a.reportId, a.eventId, a.storageKey, a.fileName, a.mediaType, a.sizeBytes, a.sha256, a.visibility, a.uploadedBy],
  );
}
