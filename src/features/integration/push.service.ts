import type { AppDeps } from '../../deps.ts';
import type { Queryable } from '../../db/db.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Classification } from '../../domain/report.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import {
  type IntegrationPush,
  type IntegratorApp,
  findIntegrator,
  integrationHandle,
  replyMessageId,
} from '../channels/integration.service.ts';
import { processStored, storeInbound } from '../channels/intake.ts';
import { type StoredFile, discardFiles, prepareFiles } from '../reports/report-files.ts';
import { checkSubmission } from '../reports/reports.service.ts';
import { type AppReportJson, appReportJson, findAppReport } from './changes.service.ts';

/**
 * Pushes from an app (issue 11 §4): a report for one of its citizens under the app's own id, a
 * reply under the app's own reply id. Each is checked first (a bad push is refused with a 400 and
 * never stored), its files checked, stripped and stored, then the push is stored raw through the
 * intake — de-duplicated by (integration, the app's account, the app's id) — and handled in a
 * transaction of its own. The same push again, one after the other or at the same moment, is the
 * same row: it changes nothing and gets the same answer.
 */

export interface PushReportInput {
  externalId: string;
  citizen: { id: string; name?: string | null; email?: string | null; phone?: string | null };
  classification: Classification;
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
}

export interface PushReplyInput {
  replyId: string;
  message: string;
}

export type PushOutcome<T> =
  | { state: 'done'; value: T; replayed: boolean }
  /** Stored, but its handling failed for now (the database, say): it is handled again shortly, and the same push answers then. */
  | { state: 'pending'; replayed: boolean };

async function appOf(db: Queryable, principal: Principal): Promise<IntegratorApp> {
  const app = principal.role === 'integrator' ? await findIntegrator(db, principal.userId) : null;
  if (!app) throw new AppError('forbidden', 'Hanya untuk aplikasi integrasi / Integration apps only');
  return app;
}

interface StoredPush {
  id: number;
  status: string;
  outcome: string | null;
  reason: string | null;
  report_id: number | null;
}

async function findPush(db: Queryable, appId: number, messageId: string): Promise<StoredPush | null> {
  const [row] = await db.query<StoredPush>(
    `SELECT id, status, outcome, reason, report_id FROM inbound_messages WHERE channel = 'integration' AND gateway = $1 AND message_id = $2`,
    [String(appId), messageId],
  );
  return row ?? null;
}

/** The app's top-level body (its own, or the one its unit belongs to): where its reports go unless it says otherwise. */
async function defaultBodyOf(db: Queryable, app: IntegratorApp): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    `SELECT t.id FROM bodies b JOIN bodies t ON t.id = b.path[1]
      WHERE b.id = $1 AND t.active AND t.kind NOT IN ('unit', 'ombudsman')`,
    [app.bodyId],
  );
  return row?.id ?? null;
}

/**
 * Stores a push unless it is there already, handles it (or waits for the request handling it), and
 * returns its row. Files are prepared before storing, and dropped again when the push turns out to
 * be a duplicate.
 */
async function storeAndHandle(
  deps: AppDeps,
  app: IntegratorApp,
  messageId: string,
  prepare: () => Promise<{ push: IntegrationPush; sender: string | null; text: string }>,
): Promise<{ row: StoredPush; replayed: boolean }> {
  let row = await findPush(deps.db, app.id, messageId);
  let replayed = row !== null;
  if (!row) {
    const { push, sender, text } = await prepare();
    let stored: { id: number; duplicate: boolean };
    try {
      stored = await storeInbound(deps.db, {
        channel: 'integration',
        gateway: String(app.id),
        messageId,
        sender,
        receiver: null,
        text,
        raw: push as unknown as Record<string, unknown>,
        receivedAt: deps.now(),
      });
    } catch (err) {
      await discardFiles(push.files, deps.storage);
      throw err;
    }
    // Another request stored the same push a moment before: its files are the ones kept.
    if (stored.duplicate) await discardFiles(push.files, deps.storage);
    replayed = stored.duplicate;
    row = { id: stored.id, status: 'pending', outcome: null, reason: null, report_id: null };
  }
  if (row.status === 'pending') {
    await processStored(deps, row.id);
    row = (await findPush(deps.db, app.id, messageId))!;
  }
  return { row, replayed };
}

const KNOWN_CODES = new Set<ErrorCode>([
  'invalid_input',
  'forbidden',
  'not_found',
  'conflict',
  'illegal_transition',
  'attachment_too_large',
]);

/** A push refused when it was handled: the same refusal, every time it is sent. */
function refusalOf(row: StoredPush): AppError {
  const match = /^([a-z_]+): ([\s\S]*)$/.exec(row.reason ?? '');
  const code = match && KNOWN_CODES.has(match[1] as ErrorCode) ? (match[1] as ErrorCode) : 'conflict';
  const message = match?.[2] ?? 'Kiriman ini ditolak / This push was refused';
  return new AppError(code, message);
}

async function settled<T>(row: StoredPush, replayed: boolean, value: () => Promise<T>): Promise<PushOutcome<T>> {
  if (row.status === 'pending') return { state: 'pending', replayed };
  if (row.outcome === 'rejected') throw refusalOf(row);
  if (row.status !== 'processed') {
    throw new AppError(
      'conflict',
      'Kiriman ini tidak dapat diproses dan menunggu admin / This push could not be handled and waits for an admin',
    );
  }
  return { state: 'done', value: await value(), replayed };
}

export async function pushReport(
  deps: AppDeps,
  principal: Principal,
  input: PushReportInput,
  files: File[],
): Promise<PushOutcome<AppReportJson>> {
  const app = await appOf(deps.db, principal);
  const { row, replayed } = await storeAndHandle(deps, app, input.externalId, async () => {
    const now = deps.now();
    const report = {
      classification: input.classification,
      title: input.title,
      body: input.body,
      incidentDate: input.incidentDate,
      regionCode: input.regionCode ?? null,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      categoryId: input.categoryId ?? null,
      suggestedBodyId: input.suggestedBodyId ?? (await defaultBodyOf(deps.db, app)),
      anonymous: input.anonymous,
      secret: input.secret,
    };
    await checkSubmission(deps.db, { ...report, channel: 'integration' }, now);
    const prepared: StoredFile[] = files.length > 0 ? await prepareFiles(files, deps.config, deps.storage, now) : [];
    const citizen = {
      id: input.citizen.id,
      name: input.citizen.name ?? null,
      email: input.citizen.email ?? null,
      phone: input.citizen.phone ?? null,
    };
    return {
      push: { kind: 'report', externalId: input.externalId, citizen, report, files: prepared },
      sender: integrationHandle(app.bodyId, input.citizen.id),
      text: input.body,
    };
  });
  return settled(row, replayed, async () => {
    const report = await findAppReport(deps.db, app.id, input.externalId);
    if (!report) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
    return appReportJson(report, deps.config.publicOrigin);
  });
}

export async function pushReply(
  deps: AppDeps,
  principal: Principal,
  externalId: string,
  input: PushReplyInput,
  files: File[],
): Promise<PushOutcome<{ replyId: string; report: AppReportJson }>> {
  const app = await appOf(deps.db, principal);
  const { row, replayed } = await storeAndHandle(deps, app, replyMessageId(externalId, input.replyId), async () => {
    // A reply to a report that is not this app's is refused before anything is stored.
    const report = await findAppReport(deps.db, app.id, externalId);
    if (!report) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
    const prepared: StoredFile[] = files.length > 0 ? await prepareFiles(files, deps.config, deps.storage, deps.now()) : [];
    return {
      push: { kind: 'reply', externalId, replyId: input.replyId, message: input.message, files: prepared },
      sender: null,
      text: input.message,
    };
  });
  return settled(row, replayed, async () => {
    const report = await findAppReport(deps.db, app.id, externalId);
    if (!report) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
    return { replyId: input.replyId, report: appReportJson(report, deps.config.publicOrigin) };
  });
}
