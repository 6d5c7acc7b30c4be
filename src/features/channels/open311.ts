import { joinTransaction, type Queryable, type Tx } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { localDate } from '../../domain/calendar.ts';
import { latestIndonesianDate } from '../../domain/dates.ts';
import { type FormFields, type ServiceRequest, parseServiceRequest, reporterHandle, reporterName } from '../../domain/open311.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError, invalidInput } from '../../errors.ts';
import { findOfferedCategoryByCode } from '../categories/categories.service.ts';
import { submitReport } from '../reports/reports.service.ts';
import type { Handled, InboundRow } from './intake.ts';
import { createChannelReporter, lockIdentity } from './reporters.ts';
import { titleOf } from './sms.service.ts';

/**
 * Open311 GeoReport v2 into the intake (issue 11 §6): a POST Service Request an app sent is
 * stored raw first (`inbound_messages`, channel `open311`, gateway the app's key name), then
 * handled here in its own transaction: read again from what was stored, checked, and filed as a
 * report for the citizen the app names. The HTTP side (routes, the read API, the formats) is
 * features/open311.
 *
 * Who the citizen is: what the app says of them — its own account id, an email, a phone or a
 * device id — scoped to the app (`<key>/email:…`, domain/open311.ts `reporterHandle`). An
 * address that an app types proves nothing, so it never joins a registered account, and it is
 * not written into `users` either: the reporter is a passwordless account holding only the name,
 * reached in-app; the address stays in the raw message and the report's channel message, which
 * only the reporter's and the national admins' projections read. A request that names nobody
 * gets a reporter of its own.
 */

export const OPEN311_REPORTER_NAME = 'Pelapor Open311';

/** What was stored of a POST: its fields as the form carried them, without the api_key. */
export interface Open311Raw {
  fields: FormFields;
}

export interface PreparedRequest {
  categoryId: number;
  regionCode: string | null;
  suggestedBodyId: number | null;
  incidentDate: string;
}

/**
 * Checks a request against the data: its service is a category a citizen may choose now, its
 * address_id a region, its incident date not in the future; the app's body, when its key names
 * one, is the suggested body and lends its region to a request without address_id. The HTTP
 * side runs this before storing, so a bad request is a 400 and not a message; handling runs it
 * again, since the data may have changed in between.
 */
export async function prepareServiceRequest(
  db: Queryable,
  request: ServiceRequest,
  bodyCode: string | null,
  receivedAt: Date,
): Promise<PreparedRequest> {
  const category = await findOfferedCategoryByCode(db, request.serviceCode);
  if (!category) {
    throw new AppError('not_found', `service_code "${request.serviceCode}" tidak dikenal / unknown service_code; see GET services`);
  }
  const [body] = bodyCode
    ? await db.query<{ id: number; region_code: string | null }>(
        `SELECT id, region_code FROM bodies WHERE code = $1 AND active AND kind NOT IN ('unit', 'ombudsman')`,
        [bodyCode],
      )
    : [];
  if (request.addressId !== null) {
    const [region] = await db.query('SELECT 1 FROM regions WHERE code = $1', [request.addressId]);
    if (!region) throw invalidInput({ address_id: 'address_id: wilayah tidak dikenal / unknown region' });
  }
  const incidentDate = request.incidentDate ?? localDate(receivedAt, 'Asia/Jakarta');
  if (incidentDate > latestIndonesianDate(receivedAt)) {
    throw invalidInput({
      'attribute[incident_date]': 'Tanggal kejadian tidak boleh di masa depan / The incident date cannot be in the future',
    });
  }
  return {
    categoryId: category.id,
    regionCode: request.addressId ?? body?.region_code ?? null,
    suggestedBodyId: body?.id ?? null,
    incidentDate,
  };
}

/** The report's text: the description, and where the app said it is. */
export function reportBodyOf(request: ServiceRequest): string {
  return request.addressString ? `${request.description}\n\nLokasi / Location: ${request.addressString}` : request.description;
}

export async function handleOpen311(deps: AppDeps, tx: Tx, m: InboundRow): Promise<Handled> {
  const fields = ((m.raw as Partial<Open311Raw>).fields ?? {}) as FormFields;
  const parsed = parseServiceRequest(fields);
  if (!parsed.request) {
    return {
      status: 'unparsed',
      outcome: 'rejected',
      reason: `invalid_input: ${parsed.errors.map((e) => e.message).join('; ')}`.slice(0, 500),
    };
  }
  const request = parsed.request;
  const key = deps.config.open311ApiKeys.find((k) => k.name === m.gateway);
  const joined: AppDeps = { ...deps, db: joinTransaction(deps.db, tx) };
  try {
    const prepared = await prepareServiceRequest(tx, request, key?.bodyCode ?? null, m.received_at);
    const handle = reporterHandle(m.gateway, request);
    // The reporter and the report together: a refusal leaves no reporter behind.
    const filed = await joined.db.transaction(async (inner) => {
      const reporter = await open311Reporter(inner, handle, reporterName(request), deps.now());
      const report = await submitReport(
        joined,
        reporter,
        {
          classification: request.classification,
          title: (request.title ?? titleOf(request.description)).slice(0, 200),
          body: reportBodyOf(request).slice(0, 10_000),
          incidentDate: prepared.incidentDate,
          regionCode: prepared.regionCode,
          latitude: request.latitude,
          longitude: request.longitude,
          categoryId: prepared.categoryId,
          suggestedBodyId: prepared.suggestedBodyId,
          anonymous: request.anonymous,
          secret: request.secret,
          channel: 'open311',
        },
        [],
      );
      await inner.query('UPDATE reports SET channel_message = $2 WHERE id = $1', [
        report.reportId,
        JSON.stringify({
          inboundId: m.id,
          gateway: m.gateway,
          messageId: m.message_id,
          from: handle,
          receivedAt: m.received_at,
          ...(request.email ? { email: request.email } : {}),
          ...(request.phone ? { phone: request.phone } : {}),
          ...(request.mediaUrl ? { mediaUrl: request.mediaUrl } : {}),
        }),
      ]);
      return { reportId: report.reportId, userId: reporter.userId };
    });
    return { status: 'processed', outcome: 'report', reportId: filed.reportId, userId: filed.userId };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // Refused, not failed: kept with the reason for an admin; the app hears it in the POST's answer.
    const fieldNotes = err.fields ? Object.values(err.fields).join('; ') : '';
    return {
      status: 'unparsed',
      outcome: 'rejected',
      reason: `${err.code}: ${err.message}${fieldNotes ? ` (${fieldNotes})` : ''}`.slice(0, 500),
    };
  }
}

/**
 * The reporter behind a handle, made on first contact (an account without password, email or
 * phone: nobody signs in to it). A request that names nobody gets a reporter of its own. An
 * account an admin disabled stays disabled: its requests are refused.
 */
export async function open311Reporter(tx: Queryable, handle: string | null, name: string | null, now: Date): Promise<Principal> {
  if (handle !== null) {
    const held = await lockIdentity(tx, 'open311', handle);
    if (held) {
      if (!held.usable) throw new AppError('forbidden', 'Akun pelapor ini dinonaktifkan / This reporter’s account is disabled');
      return held.principal;
    }
  }
  return createChannelReporter(tx, 'open311', handle, { name: name ?? OPEN311_REPORTER_NAME }, now);
}
