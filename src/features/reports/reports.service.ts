import type { Queryable } from '../../db/db.ts';
import { latestIndonesianDate } from '../../domain/dates.ts';
import { generateTrackingId, normalizeTrackingId } from '../../domain/tracking-id.ts';
import { type OmbudsmanAction, availableOmbudsmanActions } from '../../domain/ombudsman.ts';
import { type Action, type Actor, availableActions, statusLabel } from '../../domain/workflow.ts';
import { AppError, invalidInput } from '../../errors.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { type Sql, sql } from '../../db/sql.ts';
import { type ReaderKind, staffReaderKind, staffScope } from './access.ts';
import { type StoredFile, discardFiles, prepareFiles, recordFiles } from './report-files.ts';
import { CLOCK_LABELS, type ClockKind, clockPlan } from '../../domain/sla.ts';
import { formatInstant } from '../../domain/calendar.ts';
import { CalendarCache, applyClockPlan, clockViews } from '../sla/clocks.service.ts';
import * as repo from './reports.repository.ts';
import { insertEvent } from '../timeline/timeline.repository.ts';
import { filedReportFacts, notifyEvent } from '../notifications/lifecycle.ts';
import type { ARCHIVE_REASONS, CHANNELS } from '../../domain/report.ts';
import { isCategoryOffered } from '../categories/categories.service.ts';

export interface SubmitInput {
  classification: 'pengaduan' | 'aspirasi' | 'permintaan_informasi';
  title: string;
  body: string;
  incidentDate: string;
  regionCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  categoryId?: number | null;
  suggestedBodyId?: number | null;
  anonymous: boolean;
  secret: boolean;
  /** web and mobile from the API; the channel intake files the others (sms, …). */
  channel: (typeof CHANNELS)[number];
  /**
   * The raw message a channel report came from (its sender, the gateway's id…), readable by the
   * reporter and national admins only. Written with the report, so its receipt can answer in the
   * same chat (`chat`: the platform and chat id, and on X the tweet to reply under).
   */
  channelMessage?: Record<string, unknown> | null;
}

export interface ListFilters {
  q?: string;
  regionCode?: string;
  bodyId?: number;
  categoryId?: number;
  classification?: string;
  status?: string;
  from?: string;
  to?: string;
  /** Newest first (the default), or the most urgent first: overdue, then the soonest due. */
  order?: 'newest' | 'urgent';
  /** Only reports whose nearest staff deadline has passed (staff lists). */
  overdueOnly?: boolean;
  page: number;
  perPage: number;
}

/** References a report points at must exist; each missing one is named. */
async function checkReferences(db: Queryable, input: SubmitInput): Promise<void> {
  const fields: Record<string, string> = {};
  if (input.regionCode) {
    const rows = await db.query('SELECT 1 FROM regions WHERE code = $1', [input.regionCode]);
    if (rows.length === 0) fields.regionCode = 'Wilayah tidak dikenal / Unknown region';
  }
  // a citizen picks from the national tree; a body's own categories are its staff's to give
  if (input.categoryId && !(await isCategoryOffered(db, input.categoryId, null)))
    fields.categoryId = 'Kategori tidak dikenal / Unknown category';
  if (input.suggestedBodyId) {
    const rows = await db.query(`SELECT 1 FROM bodies WHERE id = $1 AND kind NOT IN ('unit', 'ombudsman') AND active`, [
      input.suggestedBodyId,
    ]);
    if (rows.length === 0) fields.suggestedBodyId = 'Instansi tidak dikenal / Unknown body';
  }
  if (Object.keys(fields).length > 0) throw invalidInput(fields);
}

/**
 * What submission refuses before anything is written: an incident date in the future, a region,
 * category or suggested body that does not exist. A channel that stores a message before
 * handling it (the integration API) asks first, so a bad push is refused, not stored.
 */
export async function checkSubmission(db: Queryable, input: SubmitInput, now: Date): Promise<void> {
  if (input.incidentDate > latestIndonesianDate(now)) {
    throw invalidInput({ incidentDate: 'Tanggal kejadian tidak boleh di masa depan / The incident date cannot be in the future' });
  }
  await checkReferences(db, input);
}

/** Files already checked, stripped and stored by the caller (a channel that stored them with its raw message), kept on failure. */
export interface PreparedFiles {
  prepared: StoredFile[];
}

export async function submitReport(
  deps: AppDeps,
  principal: Principal,
  input: SubmitInput,
  files: File[] | PreparedFiles,
): Promise<{ reportId: number; trackingId: string }> {
  const now = deps.now();
  await checkSubmission(deps.db, input, now);
  const ours = Array.isArray(files);
  const stored = ours ? await prepareFiles(files, deps.config, deps.storage, now) : files.prepared;
  try {
    return await deps.db.transaction(async (tx) => {
      const report = await insertWithFreshTrackingId(tx, principal, input, now);
      const eventId = await insertEvent(tx, {
        reportId: report.id,
        at: now,
        type: 'submitted',
        actorId: principal.userId,
        actorRole: 'reporter',
        actorBodyId: null,
        visibility: 'public',
        fromStatus: null,
        toStatus: 'submitted',
        message: null,
        data: { channel: input.channel },
      });
      await applyClockPlan(tx, clockPlan('submitted', null, 'submitted'), {
        report: { id: report.id, body_id: null, resolution_class: null },
        now,
        limits: deps.config.sla,
        calendars: new CalendarCache(tx),
      });
      // Citizens' own files can show faces, IDs and homes: never public, whatever the report.
      await recordFiles(tx, stored, { reportId: report.id, eventId, visibility: 'reporter', uploadedBy: principal.userId });
      // The receipt, with the tracking ID, on the channel the report came by.
      await notifyEvent(
        tx,
        { eventId, reportId: report.id, type: 'submitted', actorId: principal.userId, at: now, message: null, data: {} },
        { publicOrigin: deps.config.publicOrigin },
        filedReportFacts({
          id: report.id,
          trackingId: report.tracking_id,
          title: input.title,
          reporterId: principal.userId,
          channel: input.channel,
          channelMessage: input.channelMessage ?? null,
        }),
      );
      return { reportId: report.id, trackingId: report.tracking_id };
    });
  } catch (err) {
    if (ours) await discardFiles(stored, deps.storage);
    throw err;
  }
}

async function insertWithFreshTrackingId(
  db: Queryable,
  principal: Principal,
  input: SubmitInput,
  now: Date,
): Promise<{ id: number; tracking_id: string }> {
  // A clash is one in hundreds of millions; ON CONFLICT keeps the transaction usable when it happens.
  for (let attempt = 0; attempt < 5; attempt++) {
    const rows = await db.query<{ id: number; tracking_id: string }>(
      `INSERT INTO reports (tracking_id, classification, title, body, incident_date, region_code, latitude, longitude,
                            category_id, suggested_body_id, is_anonymous, is_secret, status, reporter_id, channel,
                            channel_message, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'submitted', $13, $14, $16, $15, $15)
       ON CONFLICT (tracking_id) DO NOTHING
       RETURNING id, tracking_id`,
      [
        generateTrackingId(),
        input.classification,
        input.title,
        input.body,
        input.incidentDate,
        input.regionCode ?? null,
        input.latitude ?? null,
        input.longitude ?? null,
        input.categoryId ?? null,
        input.suggestedBodyId ?? null,
        input.anonymous,
        input.secret,
        principal.userId,
        input.channel,
        now,
        input.channelMessage ? JSON.stringify(input.channelMessage) : null,
      ],
    );
    if (rows[0]) return rows[0];
  }
  throw new Error('could not draw a free tracking ID in 5 attempts');
}

/** Who is reading this report, decided in SQL; null when the caller may not see it at all. */
export async function resolveReader(
  db: Queryable,
  principal: Principal | null,
  rawTrackingId: string,
): Promise<{ reportId: number; kind: ReaderKind }> {
  const trackingId = normalizeTrackingId(rawTrackingId);
  const notFound = new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
  if (!trackingId) throw notFound;
  const access = await repo.selectAccess(db, trackingId, principal?.userId ?? null, staffScope(principal));
  if (!access) throw notFound;
  if (principal?.role === 'national_admin') return { reportId: access.id, kind: 'national' };
  if (access.is_own && principal?.role === 'reporter') return { reportId: access.id, kind: 'reporter' };
  if (access.in_scope && principal) return { reportId: access.id, kind: staffReaderKind(principal) };
  if (access.is_public) return { reportId: access.id, kind: 'public' };
  throw notFound;
}

function actorFor(kind: ReaderKind, principal: Principal | null): Actor | null {
  if (kind === 'public' || !principal) return null;
  if (kind === 'reporter') return 'reporter';
  if (principal.role === 'monitor') return null;
  return principal.role;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * What this caller can do to this report now: its role, its scope (a reader outside it is the
 * public and can do nothing) and the report's state, by the transition table; the Ombudsman's own
 * steps for an office the report was escalated to.
 */
function actionsFor(row: repo.ReportViewRow, kind: ReaderKind, principal: Principal | null): (Action | OmbudsmanAction)[] {
  const actor = actorFor(kind, principal);
  if (!actor || !principal) return [];
  if (actor === 'ombudsman') {
    if (row.escalated_at === null) return [];
    return availableOmbudsmanActions({
      takenAt: row.ombudsman_taken_at,
      findings: row.ombudsman_findings,
      recommendation: row.ombudsman_recommendation,
      closedAt: row.ombudsman_closed_at,
    });
  }
  const ctx = {
    verified: row.verified_at !== null,
    alreadyRated: row.rated_at !== null && row.closed_at !== null && row.rated_at >= row.closed_at,
    archiveRequested: row.archive_request !== null,
    appealed: row.appealed_at !== null,
    appealPending: row.appealed_at !== null && row.appeal_decided_at === null,
  };
  // an agency admin edits only what its own body handles (report-actions.service.ts, `edit`)
  return availableActions(row.status, actor, ctx).filter(
    (a) => a !== 'edit' || principal.role !== 'agency_admin' || row.body_id === principal.bodyId,
  );
}

export function toReportJson(row: repo.ReportViewRow, kind: ReaderKind, principal: Principal | null, attachments: repo.AttachmentRow[]) {
  return {
    trackingId: row.tracking_id,
    classification: row.classification as SubmitInput['classification'],
    title: row.title,
    body: row.body,
    incidentDate: row.incident_date,
    status: row.status,
    statusLabel: statusLabel(row.status, row.verified_at !== null),
    location: { regionCode: row.region_code, regionName: row.region_name, latitude: row.latitude, longitude: row.longitude },
    category:
      row.category_id === null
        ? null
        : { id: row.category_id, code: row.category_code!, name: row.category_name_id!, nameEn: row.category_name_en! },
    suggestedBody: row.suggested_body_id === null ? null : { id: row.suggested_body_id, name: row.suggested_body_name! },
    responsibleBody: row.body_id === null ? null : { id: row.body_id, name: row.body_name! },
    unit: row.unit_id === null ? null : { id: row.unit_id, name: row.unit_name! },
    anonymous: row.is_anonymous,
    secret: row.is_secret,
    resolutionClass: row.resolution_class,
    archiveReason: row.archive_reason as (typeof ARCHIVE_REASONS)[number] | null,
    duplicateOf: row.duplicate_of,
    channel: row.channel as (typeof CHANNELS)[number],
    ...(row.channel_message !== null && row.channel_message !== undefined
      ? { channelMessage: row.channel_message as Record<string, string> }
      : {}),
    reporter:
      row.reporter_name === null
        ? null
        : kind === 'public'
          ? { name: row.reporter_name }
          : { name: row.reporter_name, email: row.reporter_email, phone: row.reporter_phone },
    rating: row.rating,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    verifiedAt: iso(row.verified_at),
    answeredAt: iso(row.answered_at),
    closedAt: iso(row.closed_at),
    escalatedAt: iso(row.escalated_at),
    ombudsman:
      row.escalated_at === null
        ? null
        : {
            escalatedAt: row.escalated_at.toISOString(),
            office: row.ombudsman_body_id === null ? null : { id: row.ombudsman_body_id, name: row.ombudsman_body_name! },
            takenAt: iso(row.ombudsman_taken_at),
            officer: row.ombudsman_officer_name,
            findings: row.ombudsman_findings,
            recommendation: row.ombudsman_recommendation,
            closedAt: iso(row.ombudsman_closed_at),
          },
    archiveRequest:
      row.archive_request === null
        ? null
        : {
            reason: row.archive_request.reason as (typeof ARCHIVE_REASONS)[number],
            requestedAt: row.archive_request.at,
            bodyId: row.archive_request.byBodyId,
            message: row.archive_request.message,
          },
    appeal: row.appealed_at === null ? null : { appealedAt: row.appealed_at.toISOString(), decidedAt: iso(row.appeal_decided_at) },
    attachments: attachments.map((a) => ({
      id: a.id,
      fileName: a.file_name,
      mediaType: a.media_type,
      sizeBytes: a.size_bytes,
      url: `/api/v1/reports/${row.tracking_id}/attachments/${a.id}`,
    })),
    availableActions: actionsFor(row, kind, principal),
  };
}
export type ReportJson = ReturnType<typeof toReportJson>;

/** `attachments` may be passed when the caller knows them (a report just filed without files has none). */
export async function viewReport(
  db: Queryable,
  kind: ReaderKind,
  principal: Principal | null,
  reportId: number,
  attachments?: repo.AttachmentRow[],
) {
  const row = await repo.selectReportView(db, kind, reportId);
  if (!row) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
  return toReportJson(row, kind, principal, attachments ?? (await repo.selectAttachments(db, kind, reportId)));
}

function filterConditions(f: ListFilters): Sql[] {
  const out: Sql[] = [];
  if (f.q) {
    const asId = normalizeTrackingId(f.q);
    const words = sql`r.search @@ websearch_to_tsquery('indonesian', ${f.q})`;
    out.push(asId ? sql`(r.tracking_id = ${asId} OR ${words})` : words);
  }
  if (f.regionCode) out.push(sql`(r.region_code = ${f.regionCode} OR r.region_code LIKE ${`${f.regionCode}.%`})`);
  if (f.bodyId) out.push(sql`r.body_id = ${f.bodyId}`);
  if (f.categoryId) out.push(sql`r.category_id IN (SELECT id FROM categories WHERE id = ${f.categoryId} OR parent_id = ${f.categoryId})`);
  if (f.classification) out.push(sql`r.classification = ${f.classification}`);
  if (f.status) out.push(sql`r.status = ANY(${f.status.split(',')}::text[])`);
  // "from" and "to" are calendar dates in WIB, the national reference time.
  if (f.from) out.push(sql`r.created_at >= (${f.from}::date::timestamp AT TIME ZONE 'Asia/Jakarta')`);
  if (f.to) out.push(sql`r.created_at < ((${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Jakarta')`);
  return out;
}

async function listRowsAs(deps: AppDeps, kind: ReaderKind, principal: Principal | null, base: Sql, filters: ListFilters) {
  const { rows, total } = await repo.listReportViews(deps.db, kind, {
    where: [base, ...filterConditions(filters), ...(filters.overdueOnly ? [repo.overdueCondition(deps.now())] : [])],
    orderBy: filters.order ?? 'newest',
    limit: filters.perPage,
    offset: (filters.page - 1) * filters.perPage,
  });
  const attachments = await repo.selectAttachmentsOf(
    deps.db,
    kind,
    rows.map((r) => r.id),
  );
  const items = rows.map((row) => toReportJson(row, kind, principal, attachments.get(row.id) ?? []));
  return { rows, items, total, page: filters.page, perPage: filters.perPage };
}

async function listAs(deps: AppDeps, kind: ReaderKind, principal: Principal | null, base: Sql, filters: ListFilters) {
  const { items, total, page, perPage } = await listRowsAs(deps, kind, principal, base, filters);
  return { items, total, page, perPage };
}

/** The public feed and search: never a secret report, nor one archived as spam or abuse. */
export function listPublic(deps: AppDeps, filters: ListFilters) {
  return listAs(deps, 'public', null, sql`r.is_public`, filters);
}

export function listOwn(deps: AppDeps, principal: Principal, filters: ListFilters) {
  return listAs(deps, 'reporter', principal, sql`r.reporter_id = ${principal.userId}`, filters);
}

/** A staff member's inbox: exactly the reports in their scope, secret ones included. */
export function listInbox(deps: AppDeps, principal: Principal, filters: ListFilters) {
  const scope = staffScope(principal);
  if (!scope) throw new AppError('forbidden', 'Hanya untuk petugas / Staff only');
  return listAs(deps, staffReaderKind(principal), principal, scope, filters);
}

/** The deadline staff owe on a report next: the nearest pending staff clock. */
export interface NextDeadline {
  kind: string;
  label: { id: string; en: string };
  /** ISO-8601 with the clock's offset. */
  dueAt: string;
  overdue: boolean;
}

/**
 * The inbox with each report's next staff deadline (`deadlines`, by tracking ID): the back
 * office's list, in the same scope as `listInbox`, by default the most urgent first.
 */
export async function listInboxWithDeadlines(deps: AppDeps, principal: Principal, filters: ListFilters) {
  const scope = staffScope(principal);
  if (!scope) throw new AppError('forbidden', 'Hanya untuk petugas / Staff only');
  const { rows, items, total, page, perPage } = await listRowsAs(deps, staffReaderKind(principal), principal, scope, {
    order: 'urgent',
    ...filters,
  });
  const clocks = await repo.selectNextStaffClocks(
    deps.db,
    rows.map((r) => r.id),
  );
  const now = deps.now();
  const deadlines = new Map<string, NextDeadline>();
  for (const row of rows) {
    const clock = clocks.get(row.id);
    if (!clock) continue;
    deadlines.set(row.tracking_id, {
      kind: clock.kind,
      label: CLOCK_LABELS[clock.kind as ClockKind],
      dueAt: formatInstant(clock.due_at, clock.time_zone),
      overdue: clock.due_at <= now,
    });
  }
  return { items, total, page, perPage, deadlines };
}

export async function getTimeline(deps: AppDeps, principal: Principal | null, trackingId: string) {
  const { reportId, kind } = await resolveReader(deps.db, principal, trackingId);
  const events = await repo.selectTimeline(deps.db, kind, reportId);
  return events.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    type: e.type,
    actor: {
      role: e.actor_role,
      name: e.actor_name,
      body: e.actor_body_id === null ? null : { id: e.actor_body_id, name: e.actor_body_name! },
    },
    visibility: e.visibility,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    message: e.message,
    data: e.data,
  }));
}

export async function getAttachment(deps: AppDeps, principal: Principal | null, trackingId: string, attachmentId: number) {
  const { reportId, kind } = await resolveReader(deps.db, principal, trackingId);
  const found = (await repo.selectAttachments(deps.db, kind, reportId)).find((a) => a.id === attachmentId);
  if (!found) throw new AppError('not_found', 'Lampiran tidak ditemukan / Attachment not found');
  const bytes = await deps.storage.get(found.storage_key);
  if (!bytes) throw new AppError('not_found', 'Berkas lampiran hilang / Attachment file missing');
  return { bytes, mediaType: found.media_type, fileName: found.file_name };
}

/** The identity behind a report, for national admins only; every look is written to an append-only log. */
export async function revealIdentity(deps: AppDeps, principal: Principal, trackingId: string, reason: string) {
  if (principal.role !== 'national_admin') {
    throw new AppError('forbidden', 'Hanya admin nasional / National admins only');
  }
  const { reportId } = await resolveReader(deps.db, principal, trackingId);
  return deps.db.transaction(async (tx) => {
    await tx.query('INSERT INTO identity_access_log (report_id, user_id, reason, at) VALUES ($1, $2, $3, $4)', [
      reportId,
      principal.userId,
      reason,
      deps.now(),
    ]);
    const rows = await tx.query<{ name: string; email: string | null; phone: string | null; anonymous: boolean }>(
      `SELECT u.name, u.email, u.phone, r.is_anonymous AS anonymous FROM reports r JOIN users u ON u.id = r.reporter_id WHERE r.id = $1`,
      [reportId],
    );
    return rows[0]!;
  });
}

/** Public counts, over public reports only. */
export async function publicStats(deps: AppDeps) {
  const rows = await deps.db.query<{ status: string; classification: string; n: number }>(
    `SELECT status, classification, count(*)::int AS n FROM reports r WHERE r.is_public GROUP BY status, classification`,
  );
  const byStatus: Record<string, number> = {};
  const byClassification: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    byClassification[r.classification] = (byClassification[r.classification] ?? 0) + r.n;
    total += r.n;
  }
  return { total, byStatus, byClassification };
}

/** Public reports by province and by top-level category (public reports only), largest first. */
export async function publicBreakdown(deps: AppDeps) {
  const [provinces, categories] = await Promise.all([
    deps.db.query<{ code: string; name: string; n: number }>(
      `SELECT g.code, g.name, count(*)::int AS n FROM reports r JOIN regions g ON g.code = left(r.region_code, 2)
        WHERE r.is_public GROUP BY g.code, g.name ORDER BY n DESC, g.code LIMIT 40`,
    ),
    deps.db.query<{ id: number; name_id: string; name_en: string; n: number }>(
      `SELECT top.id, top.name_id, top.name_en, count(*)::int AS n
         FROM reports r JOIN categories c ON c.id = r.category_id JOIN categories top ON top.id = COALESCE(c.parent_id, c.id)
        WHERE r.is_public GROUP BY top.id, top.name_id, top.name_en ORDER BY n DESC, top.id LIMIT 40`,
    ),
  ]);
  return { provinces, categories };
}

/** One report as the caller may see it, with each of its clocks: due time and working time left. */
export async function getReportWithClocks(deps: AppDeps, principal: Principal | null, trackingId: string) {
  const { reportId, kind } = await resolveReader(deps.db, principal, trackingId);
  const report = await viewReport(deps.db, kind, principal, reportId);
  return { ...report, clocks: await clockViews(deps.db, reportId, deps.now()) };
}
