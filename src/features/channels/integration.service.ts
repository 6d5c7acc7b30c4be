import type { Queryable } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Classification } from '../../domain/report.ts';
import { AppError } from '../../errors.ts';
import { type StoredFile, discardFiles } from '../reports/report-files.ts';
import { performAction } from '../reports/report-actions.service.ts';
import { submitReport } from '../reports/reports.service.ts';
import type { Handled, InboundRow } from './intake.ts';
import { createChannelReporter, lockIdentity } from './reporters.ts';

/**
 * Local government apps (issue 11 §4) through the one intake. The integration API checks a push,
 * prepares its files, and stores it raw (channel 'integration', gateway the integrator's id,
 * message id the app's own id); this handles it, once: a report filed for the app's citizen, or a
 * reply on one of the app's reports. A refusal is the push's answer, kept on its row, so a retry
 * of the same push gets the same answer.
 */

/** A citizen as the app knows them. Nobody proved the contacts; they stay with the identity. */
export interface PushCitizen {
  id: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface PushedReportFields {
  classification: Classification;
  title: string;
  body: string;
  incidentDate: string;
  regionCode: string | null;
  latitude: number | null;
  longitude: number | null;
  categoryId: number | null;
  suggestedBodyId: number | null;
  anonymous: boolean;
  secret: boolean;
}

/** What the integration API stores as a push's raw message. */
export type IntegrationPush =
  | { kind: 'report'; externalId: string; citizen: PushCitizen; report: PushedReportFields; files: StoredFile[] }
  | { kind: 'reply'; externalId: string; replyId: string; message: string; files: StoredFile[] };

export interface IntegratorApp {
  id: number;
  name: string;
  bodyId: number;
}

/** The integrator account behind a gateway id: an active account with the role, or null. */
export async function findIntegrator(db: Queryable, id: number): Promise<IntegratorApp | null> {
  if (!Number.isSafeInteger(id)) return null;
  const [row] = await db.query<{ id: number; name: string; body_id: number }>(
    `SELECT id, name, body_id FROM users WHERE id = $1 AND role = 'integrator' AND disabled_at IS NULL`,
    [id],
  );
  return row ? { id: row.id, name: row.name, bodyId: row.body_id } : null;
}

/** The channel handle of an app's citizen: the same app user of the same body is one reporter. */
export const integrationHandle = (bodyId: number, appUserId: string) => `${bodyId}:${appUserId}`;

/** The inbound message id of a push: the app's report id, and a reply's under its report's. */
export const replyMessageId = (externalId: string, replyId: string) => `${externalId}/replies/${replyId}`;

export async function handleIntegrationPush(deps: AppDeps, tx: Queryable, m: InboundRow): Promise<Handled> {
  const push = m.raw as unknown as IntegrationPush;
  try {
    const app = await findIntegrator(tx, Number(m.gateway));
    if (!app) throw new AppError('forbidden', 'Akun aplikasi nonaktif / The app account is disabled');
    if (push.kind === 'report') return await fileReport(deps, tx, m, app, push);
    if (push.kind === 'reply') return await fileReply(deps, tx, app, push);
    throw new AppError('invalid_input', 'Jenis kiriman tidak dikenal / Unknown kind of push');
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // Refused for good: its files are nobody's now.
    await discardFiles(push.files ?? [], deps.storage);
    return { status: 'processed', outcome: 'rejected', reason: `${err.code}: ${err.message}`.slice(0, 500) };
  }
}

async function fileReport(
  deps: AppDeps,
  tx: Queryable,
  m: InboundRow,
  app: IntegratorApp,
  push: Extract<IntegrationPush, { kind: 'report' }>,
): Promise<Handled> {
  const reporter = await integrationReporter(tx, app, push.citizen, deps.now());
  const filed = await submitReport(deps, reporter, { ...push.report, channel: 'integration' }, { prepared: push.files });
  // What the report came from, without the citizen: the raw push (with them) stays in the store.
  await tx.query('UPDATE reports SET channel_message = $2 WHERE id = $1', [
    filed.reportId,
    JSON.stringify({ app: app.name, integratorId: app.id, externalId: push.externalId, receivedAt: m.received_at }),
  ]);
  await tx.query(
    'INSERT INTO integration_reports (report_id, integrator_id, external_id, inbound_id, created_at) VALUES ($1, $2, $3, $4, $5)',
    [filed.reportId, app.id, push.externalId, m.id, deps.now()],
  );
  // The events written before the report was the app's (its receipt): a change and a webhook too.
  await tx.query(
    `SELECT integration_note_event(id, report_id, at) FROM report_events
      WHERE report_id = $1 AND visibility IN ('public', 'reporter') ORDER BY id`,
    [filed.reportId],
  );
  return { status: 'processed', outcome: 'report', reportId: filed.reportId, userId: reporter.userId };
}

async function fileReply(
  deps: AppDeps,
  tx: Queryable,
  app: IntegratorApp,
  push: Extract<IntegrationPush, { kind: 'reply' }>,
): Promise<Handled> {
  const [target] = await tx.query<{ id: number; tracking_id: string; reporter_id: number; name: string }>(
    `SELECT r.id, r.tracking_id, r.reporter_id, u.name
       FROM integration_reports ir JOIN reports r ON r.id = ir.report_id JOIN users u ON u.id = r.reporter_id
      WHERE ir.integrator_id = $1 AND ir.external_id = $2`,
    [app.id, push.externalId],
  );
  if (!target) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
  const reporter: Principal = { userId: target.reporter_id, role: 'reporter', name: target.name, bodyId: null };
  await performAction(deps, reporter, target.tracking_id, 'reply', { message: push.message }, { prepared: push.files });
  return { status: 'processed', outcome: 'reply', reportId: target.id, userId: target.reporter_id };
}

/**
 * The reporter behind an app's user, made on first contact (as an SMS sender is): an account
 * without a password or contact, known by the channel identity `integration` /
 * `<body id>:<app user id>`. The name the app gives is the account's name; the name and contacts
 * are kept with the identity as the app last sent them, for a national admin, never on the
 * account: nobody proved them, so no code, reset link or message of ours goes to them, and an
 * address typed by an app never opens a stranger's reports to its owner.
 */
export async function integrationReporter(tx: Queryable, app: IntegratorApp, citizen: PushCitizen, now: Date): Promise<Principal> {
  const handle = integrationHandle(app.bodyId, citizen.id);
  const details = JSON.stringify({ name: citizen.name ?? null, email: citizen.email ?? null, phone: citizen.phone ?? null, app: app.id });
  const held = await lockIdentity(tx, 'integration', handle);
  if (held) {
    if (!held.usable) throw new AppError('forbidden', 'Akun pelapor ini nonaktif / This reporter’s account is disabled');
    await tx.query(`UPDATE channel_identities SET details = $2 WHERE channel = 'integration' AND handle = $1`, [handle, details]);
    return held.principal;
  }
  return createChannelReporter(
    tx,
    'integration',
    handle,
    { name: citizen.name?.trim() || `Pengguna ${app.name}`.slice(0, 120) },
    now,
    details,
  );
}
