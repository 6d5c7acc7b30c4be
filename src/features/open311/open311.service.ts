import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config, Open311ApiKey } from '../../config.ts';
import type { Queryable } from '../../db/db.ts';
import { type Sql, sql } from '../../db/sql.ts';
import type { AppDeps } from '../../deps.ts';
import { formatInstant } from '../../domain/calendar.ts';
import {
  ARCHIVE_REASON_LABELS,
  DESCRIPTION_MAX,
  type FieldError,
  type FormFields,
  GEOREPORT_V2,
  LIST_LIMIT,
  type RequestFilters,
  SERVICE_ATTRIBUTES,
  STATUSES_OF,
  open311Status,
  parseServiceRequest,
  reporterHandle,
} from '../../domain/open311.ts';
import type { ArchiveReason } from '../../domain/report.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import { statusLabel } from '../../domain/workflow.ts';
import { AppError, invalidInput } from '../../errors.ts';
import { findOfferedCategoryByCode, listOfferedCategories } from '../categories/categories.service.ts';
import { receiveInbound } from '../channels/intake.ts';
import { type Open311Raw, prepareServiceRequest } from '../channels/open311.ts';
import { type ReportViewRow, listReportViews, selectAttachmentsOf } from '../reports/reports.repository.ts';
import * as repo from './open311.repository.ts';

/**
 * Open311 GeoReport v2 (issue 11 §6, docs/integration.md): our categories as its services, our
 * reports as its service requests. Reading is public and reads the public projection only
 * (`r.is_public`: verified, not secret, not archived as spam or abuse), and of it only what a
 * GeoReport request has: never a reporter, anonymous or not. Posting needs an app's key
 * (OPEN311_API_KEYS) and goes through the one intake (features/channels/open311.ts).
 */

/** Changes when the API's shape does; the service list is small enough to read each time. */
export const OPEN311_CHANGESET = '2026-12-04T00:00:00+07:00';
const NATIONAL_ZONE = 'Asia/Jakarta';

const w3 = (d: Date) => formatInstant(d, NATIONAL_ZONE);
const bilingual = (label: { id: string; en: string }) => `${label.id} / ${label.en}`;

// ---- keys ----

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The app whose key this is; a missing or wrong key is a 403 (compared in constant time, over every key). */
export function findApiKey(config: Pick<Config, 'open311ApiKeys'>, given: string | null): Open311ApiKey {
  if (!given) throw new AppError('forbidden', 'api_key wajib untuk mengirim laporan / api_key is required to post a service request');
  const offered = digest(given);
  let found: Open311ApiKey | null = null;
  for (const key of config.open311ApiKeys) if (timingSafeEqual(digest(key.secret), offered)) found = key;
  if (!found) throw new AppError('forbidden', 'api_key tidak valid / Invalid api_key');
  return found;
}

/** Every key that names a body the directory does not have as an active K/L/D: for the start-up check. */
export async function checkApiKeyBodies(db: Queryable, config: Pick<Config, 'open311ApiKeys'>): Promise<string[]> {
  const named = config.open311ApiKeys.filter((k) => k.bodyCode !== null);
  const active = await repo.selectActiveBodyCodes(
    db,
    named.map((k) => k.bodyCode!),
  );
  return named
    .filter((k) => !active.has(k.bodyCode!))
    .map((k) => `OPEN311_API_KEYS: "${k.name}" names body "${k.bodyCode}", which is not an active body (a K/L/D, not a unit)`);
}

// ---- discovery and services ----

export function discovery(origin: string) {
  return {
    changeset: OPEN311_CHANGESET,
    contact: `SP4N-LAPOR!, Kementerian PANRB: ${origin}/tentang`,
    key_service:
      'Kunci API untuk aplikasi instansi diberikan oleh admin nasional LAPOR! / API keys for a body’s app are issued by the LAPOR! national admins',
    endpoints: [
      {
        specification: GEOREPORT_V2,
        url: `${origin}/open311/v2`,
        changeset: OPEN311_CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

/** Every national category a citizen may choose, parents first: a top-level category is a service of its own group too. */
export async function listServices(db: Queryable) {
  const categories = await listOfferedCategories(db, null);
  const byId = new Map(categories.map((c) => [c.id, c]));
  return categories.map((c) => {
    const parent = c.parentId === null ? c : (byId.get(c.parentId) ?? c);
    return {
      service_code: c.code,
      service_name: c.name,
      description: `${c.name} / ${c.nameEn}`,
      metadata: true,
      type: 'realtime',
      keywords: [...new Set([c.nameEn, parent.name, parent.nameEn])].join(', '),
      group: parent.name,
    };
  });
}

export async function getServiceDefinition(db: Queryable, serviceCode: string) {
  const category = await findOfferedCategoryByCode(db, serviceCode);
  if (!category) throw new AppError('not_found', `service_code "${serviceCode}" tidak dikenal / unknown service_code`);
  return {
    service_code: category.code,
    attributes: SERVICE_ATTRIBUTES.map((a) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatypeDescription,
      order: a.order,
      description: a.description,
      ...(a.values.length > 0 ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
    })),
  };
}

// ---- POST requests ----

/**
 * The message id of a request: an HMAC with the app's secret over what it sent (api_key aside),
 * so the same request posted again — a client's retry — is one message and one report, and the
 * id, which is also the token a POST may answer with, is known only to whoever holds the key.
 */
export function messageIdFor(key: Open311ApiKey, fields: FormFields): string {
  const canonical = Object.keys(fields)
    .filter((name) => name !== 'api_key')
    .sort()
    .map((name) => [name, fields[name]]);
  return createHmac('sha256', key.secret).update(JSON.stringify(canonical)).digest('hex');
}

function fieldErrors(errors: FieldError[]): AppError {
  const fields: Record<string, string> = {};
  for (const e of errors) fields[e.field] = e.message;
  return invalidInput(fields, errors.map((e) => e.message).join('; '));
}

export type PostOutcome = { serviceRequestId: string; token?: never } | { token: string; serviceRequestId?: never };

/**
 * POST Service Request: checked whole before anything is stored (a bad request is a 400 and not
 * a message), then stored raw and handled through the intake. The answer is the tracking ID at
 * once; a request stored but not handled yet (a retry racing the first, a failure that the
 * worker will replay) is answered with a token for `tokens/{token}`.
 */
export async function postServiceRequest(deps: AppDeps, key: Open311ApiKey, fields: FormFields): Promise<PostOutcome> {
  const parsed = parseServiceRequest(fields);
  if (!parsed.request) throw fieldErrors(parsed.errors);
  const now = deps.now();
  await prepareServiceRequest(deps.db, parsed.request, key.bodyCode, now);
  const { api_key: _key, ...kept } = fields;
  const raw: Open311Raw = { fields: kept };
  const stored = await receiveInbound(deps, {
    channel: 'open311',
    gateway: key.name,
    messageId: messageIdFor(key, fields),
    sender: reporterHandle(key.name, parsed.request),
    receiver: null,
    text: parsed.request.description,
    raw: raw as unknown as Record<string, unknown>,
    receivedAt: now,
  });
  const outcome = await repo.selectInboundOutcome(deps.db, stored.id);
  if (outcome?.tracking_id) return { serviceRequestId: outcome.tracking_id };
  if (!outcome || outcome.status === 'pending') return { token: outcome?.message_id ?? messageIdFor(key, fields) };
  throw refusal(outcome.reason);
}

/**
 * A stored request that was refused, as the error it answers with. Handling writes its refusals
 * as `<error code>: <message>`; a failure (`error: …`, after the worker's attempts) keeps its own
 * message for the log and the admins.
 */
function refusal(reason: string | null): AppError {
  const match = /^([a-z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (!match || match[1] === 'error')
    return new AppError('invalid_input', 'Permintaan tidak dapat diproses / The request could not be processed');
  if (match[1] === 'not_found') return new AppError('not_found', match[2]!);
  if (match[1] === 'forbidden') return new AppError('forbidden', match[2]!);
  return new AppError('invalid_input', match[2]!);
}

export function serviceNotice(deps: AppDeps): string {
  const days = deps.config.sla.verificationWorkingDays;
  return `Laporan diterima dan diverifikasi dalam ${days} hari kerja; setelah terverifikasi tampil untuk publik. / Received; verified within ${days} working days, and public once verified.`;
}

/** GET tokens/{token}: the request's ID once it is one; a token never answered is not found. */
export async function tokenStatus(db: Queryable, token: string): Promise<{ token: string; service_request_id?: string }> {
  const outcome = /^[0-9a-f]{64}$/.test(token) ? await repo.selectOutcomeByToken(db, token) : null;
  if (!outcome) throw new AppError('not_found', 'Token tidak ditemukan / Token not found');
  if (outcome.tracking_id) return { service_request_id: outcome.tracking_id, token };
  if (outcome.status === 'pending') return { token };
  throw refusal(outcome.reason);
}

// ---- GET requests ----

export type ServiceRequestJson = {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string | null;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
};

/** Every level of a region code, most specific first: 61.71.01 → 61.71.01, 61.71, 61. */
function regionLevels(code: string): string[] {
  const parts = code.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

function descriptionOf(row: ReportViewRow): string {
  const text = row.body.startsWith(row.title) ? row.body : `${row.title}\n\n${row.body}`;
  const chars = [...text];
  return chars.length > DESCRIPTION_MAX ? `${chars.slice(0, DESCRIPTION_MAX - 1).join('')}…` : text;
}

/** Public reports as GeoReport requests: the public projection's rows, and only a request's fields of them. */
async function toRequests(deps: AppDeps, rows: ReportViewRow[], origin: string): Promise<ServiceRequestJson[]> {
  const ids = rows.map((r) => r.id);
  const [regions, clocks, attachments] = await Promise.all([
    repo.selectRegionNames(deps.db, [...new Set(rows.flatMap((r) => (r.region_code ? regionLevels(r.region_code) : [])))]),
    repo.selectResolutionClocks(deps.db, ids),
    selectAttachmentsOf(deps.db, 'public', ids),
  ]);
  return rows.map((row) => {
    const status = open311Status(row.status);
    const label = bilingual(statusLabel(row.status, row.verified_at !== null));
    const reason = row.archive_reason ? ARCHIVE_REASON_LABELS[row.archive_reason as ArchiveReason] : null;
    const clock = clocks.get(row.id);
    const media = attachments.get(row.id)?.[0];
    const address = row.region_code
      ? regionLevels(row.region_code)
          .map((code) => regions.get(code))
          .filter((name): name is string => name !== undefined)
          .join(', ')
      : '';
    return {
      service_request_id: row.tracking_id,
      status,
      status_notes: reason ? `${label}: ${bilingual(reason)}` : label,
      service_name: row.category_name_id,
      service_code: row.category_code,
      description: descriptionOf(row),
      agency_responsible: row.body_name,
      service_notice: null,
      requested_datetime: w3(row.created_at),
      // the spec: for a closed request, when it was closed
      updated_datetime: w3(row.status === 'closed' && row.closed_at ? row.closed_at : row.updated_at),
      expected_datetime:
        status === 'open' && clock?.state === 'running' && clock.due_at ? formatInstant(clock.due_at, clock.time_zone) : null,
      address: address || null,
      address_id: row.region_code,
      lat: row.latitude,
      long: row.longitude,
      // citizens' files are never public; a body's answer evidence is
      media_url: media ? `${origin}/api/v1/reports/${row.tracking_id}/attachments/${media.id}` : null,
    };
  });
}

/** GET requests: public reports only, newest first, at most the spec's 1000. */
export async function listServiceRequests(deps: AppDeps, filters: RequestFilters, origin: string): Promise<ServiceRequestJson[]> {
  const where: Sql[] = [sql`r.is_public`];
  if (filters.ids) {
    // the spec: service_request_id overrides every other argument
    where.push(sql`r.tracking_id = ANY(${filters.ids}::text[])`);
  } else {
    where.push(sql`r.created_at >= ${filters.start}`, sql`r.created_at <= ${filters.end}`);
    if (filters.serviceCodes)
      where.push(sql`r.category_id IN (SELECT id FROM categories WHERE code = ANY(${filters.serviceCodes}::text[]))`);
    if (filters.statuses) where.push(sql`r.status = ANY(${filters.statuses.flatMap((s) => STATUSES_OF[s])}::text[])`);
  }
  const { rows } = await listReportViews(deps.db, 'public', { where, orderBy: 'newest', limit: LIST_LIMIT, offset: 0 });
  return toRequests(deps, rows, origin);
}

/** GET requests/{id}: one public report, or not found (a secret or unverified one is not found, like one that does not exist). */
export async function getServiceRequest(deps: AppDeps, rawId: string, origin: string): Promise<ServiceRequestJson> {
  const id = normalizeTrackingId(rawId);
  const notFound = new AppError('not_found', 'Laporan tidak ditemukan / Service request not found');
  if (!id) throw notFound;
  const { rows } = await listReportViews(deps.db, 'public', {
    where: [sql`r.is_public`, sql`r.tracking_id = ${id}`],
    orderBy: 'newest',
    limit: 1,
    offset: 0,
  });
  if (rows.length === 0) throw notFound;
  return (await toRequests(deps, rows, origin))[0]!;
}
