import type { Queryable } from '../../db/db.ts';
import { isPromiseOnly } from '../../domain/answer-check.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import { type Action, type Status, type Visibility, decideTransition } from '../../domain/workflow.ts';
import { AppError, invalidInput } from '../../errors.ts';
import type { AppDeps, Principal } from '../../http/context.ts';
import { staffReaderKind } from './access.ts';
import { type StoredFile, discardFiles, prepareFiles, recordFiles } from './report-files.ts';
import { clockPlan } from '../../domain/sla.ts';
import { CalendarCache, applyClockPlan } from '../sla/clocks.service.ts';
import { insertEvent } from './reports.repository.ts';
import { type ReportJson, resolveReader, viewReport } from './reports.service.ts';

/** What each action may carry; the route schemas validate the shapes, this file the rules. */
export interface ActionInput {
  message?: string;
  classification?: 'pengaduan' | 'aspirasi' | 'permintaan_informasi';
  categoryId?: number | null;
  resolutionClass?: 5 | 14 | 60;
  title?: string;
  anonymous?: boolean;
  secret?: boolean;
  reason?: 'duplicate' | 'incomplete' | 'not_public_service' | 'spam_hoax' | 'abusive';
  duplicateOf?: string;
  bodyId?: number;
  unitId?: number;
  toNational?: boolean;
  internal?: boolean;
  rating?: number;
}

interface LockedReport {
  id: number;
  status: Status;
  classification: string;
  reporter_id: number;
  body_id: number | null;
  unit_id: number | null;
  suggested_body_id: number | null;
  is_anonymous: boolean;
  is_secret: boolean;
  verified_at: Date | null;
  closed_at: Date | null;
  rated_at: Date | null;
  resolution_class: number | null;
}

interface BodyRow {
  id: number;
  kind: string;
  path: number[];
  active: boolean;
}

async function findBody(db: Queryable, id: number): Promise<BodyRow | null> {
  const rows = await db.query<BodyRow>('SELECT id, kind, path, active FROM bodies WHERE id = $1', [id]);
  return rows[0] ?? null;
}

const isTopLevelBody = (b: BodyRow) => b.active && b.kind !== 'unit' && b.kind !== 'ombudsman';
const forbidden = (why: string) => new AppError('forbidden', why);

/**
 * May this principal act on this report as its handler? Reading is decided elsewhere; this is the
 * narrower question of holding it (an agency admin of another body may read a public report, never act on it).
 */
async function checkHandlerScope(db: Queryable, principal: Principal, r: LockedReport): Promise<void> {
  if (principal.role === 'reporter') {
    if (r.reporter_id !== principal.userId) throw forbidden('Bukan laporan Anda / Not your report');
    return;
  }
  if (principal.role === 'national_admin') return;
  if (principal.role === 'agency_admin') {
    const own = r.body_id !== null && r.body_id === principal.bodyId;
    // Unrouted and suggested to it: the table decides, by status, what the body may do with it.
    const suggestedToIt = r.body_id === null && r.suggested_body_id === principal.bodyId && ['submitted', 'on_hold'].includes(r.status);
    if (!own && !suggestedToIt) throw forbidden('Laporan di luar instansi Anda / Report outside your body');
    return;
  }
  if (principal.role === 'unit_officer') {
    if (r.unit_id === null) throw forbidden('Laporan belum didisposisikan ke unit Anda / Not dispositioned to your unit');
    const unit = await findBody(db, r.unit_id);
    if (!unit || principal.bodyId === null || !unit.path.includes(principal.bodyId)) {
      throw forbidden('Laporan di luar unit Anda / Report outside your unit');
    }
    return;
  }
  throw forbidden('Peran Anda tidak dapat menangani laporan / Your role cannot handle reports');
}

export interface ActionResult {
  report: ReportJson;
}

/**
 * Applies one lifecycle action: lock the report, check role and scope, ask the transition table,
 * apply the action's own rules, write the change and its timeline event in one transaction.
 */
export async function performAction(
  deps: AppDeps,
  principal: Principal,
  rawTrackingId: string,
  action: Action,
  input: ActionInput,
  files: File[] = [],
): Promise<ReportJson> {
  const trackingId = normalizeTrackingId(rawTrackingId);
  // Visibility first: a caller who cannot even read the report learns nothing about it.
  await resolveReader(deps.db, principal, rawTrackingId);
  const now = deps.now();
  const stored: StoredFile[] = files.length > 0 ? await prepareFiles(files, deps.config, deps.storage, now) : [];
  try {
    const reportId = await deps.db.transaction(async (tx) => {
      const rows = await tx.query<LockedReport>(
        `SELECT id, status, classification, reporter_id, body_id, unit_id, suggested_body_id, is_anonymous, is_secret,
                verified_at, closed_at, rated_at, resolution_class
           FROM reports WHERE tracking_id = $1 FOR UPDATE`,
        [trackingId],
      );
      const r = rows[0];
      if (!r) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
      const role = principal.role;
      // The table answers "may this role ever do this" (403) before scope, and "now" (409) after it.
      decideTransitionRoleOnly(r.status, action, principal);
      await checkHandlerScope(tx, principal, r);
      const decision = decideTransition(r.status, action, role, {
        verified: r.verified_at !== null,
        rating: input.rating,
        alreadyRated: r.rated_at !== null && r.closed_at !== null && r.rated_at >= r.closed_at,
        toNational: input.toNational === true,
      });
      const change = await applyRules(tx, principal, r, action, input, stored, now);
      const sets: string[] = ['status = $2', 'updated_at = $3'];
      const params: unknown[] = [r.id, decision.to, now];
      for (const [column, value] of Object.entries(change.columns)) {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      }
      await tx.query(`UPDATE reports SET ${sets.join(', ')} WHERE id = $1`, params);
      // Clock changes first, so the action's own event closes the step on the timeline.
      await applyClockPlan(tx, clockPlan(decision.event, decision.from, decision.to), {
        report: {
          id: r.id,
          body_id: 'body_id' in change.columns ? (change.columns.body_id as number | null) : r.body_id,
          resolution_class: (change.columns.resolution_class as number | undefined) ?? r.resolution_class,
        },
        now,
        limits: deps.config.sla,
        calendars: new CalendarCache(tx),
      });
      const visibility: Visibility = action === 'follow_up' && input.internal ? 'staff' : decision.visibility;
      const eventId = await insertEvent(tx, {
        reportId: r.id,
        at: now,
        type: decision.event,
        actorId: principal.userId,
        actorRole: role,
        actorBodyId: principal.bodyId,
        visibility,
        fromStatus: decision.from,
        toStatus: decision.to,
        message: change.message,
        data: change.data,
      });
      // Evidence posted by a body follows its event; a reporter's files are never public.
      const fileVisibility: Visibility = role === 'reporter' ? 'reporter' : visibility;
      await recordFiles(tx, stored, { reportId: r.id, eventId, visibility: fileVisibility, uploadedBy: principal.userId });
      for (const extra of change.extraEvents) {
        await insertEvent(tx, {
          reportId: r.id,
          at: now,
          actorId: principal.userId,
          actorRole: role,
          actorBodyId: principal.bodyId,
          fromStatus: null,
          toStatus: null,
          ...extra,
        });
      }
      return r.id;
    });
    const reader = principal.role === 'reporter' ? 'reporter' : staffReaderKind(principal);
    return await viewReport(deps.db, reader, principal, reportId);
  } catch (err) {
    await discardFiles(stored, deps.storage);
    throw err;
  }
}

/** 403 for a role that may never take the action, whatever the report's state. */
function decideTransitionRoleOnly(status: Status, action: Action, principal: Principal): void {
  try {
    decideTransition(status, action, principal.role);
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden') throw err;
  }
}

interface Change {
  columns: Record<string, unknown>;
  message: string | null;
  data: Record<string, unknown>;
  extraEvents: { type: string; visibility: Visibility; message: string | null; data: Record<string, unknown> }[];
}

function requireMessage(input: ActionInput, what = 'message'): string {
  const message = input.message?.trim();
  if (!message) throw invalidInput({ [what]: 'Wajib diisi / Required' });
  return message;
}

async function applyRules(
  db: Queryable,
  principal: Principal,
  r: LockedReport,
  action: Action,
  input: ActionInput,
  files: StoredFile[],
  now: Date,
): Promise<Change> {
  const change: Change = { columns: {}, message: input.message?.trim() || null, data: {}, extraEvents: [] };
  switch (action) {
    case 'verify': {
      // Anonim and rahasia only ever go on: no body, and no admin, can take them off.
      const fields: Record<string, string> = {};
      if (input.anonymous === false && r.is_anonymous) fields.anonymous = 'Anonim tidak dapat dicabut / Anonymity cannot be removed';
      if (input.secret === false && r.is_secret) fields.secret = 'Rahasia tidak dapat dicabut / Secrecy cannot be removed';
      if (input.resolutionClass === undefined) fields.resolutionClass = 'Wajib diisi: 5, 14 atau 60 / Required: 5, 14 or 60';
      if (input.categoryId) {
        const rows = await db.query('SELECT 1 FROM categories WHERE id = $1', [input.categoryId]);
        if (rows.length === 0) fields.categoryId = 'Kategori tidak dikenal / Unknown category';
      }
      if (Object.keys(fields).length > 0) throw invalidInput(fields);
      change.columns.resolution_class = input.resolutionClass;
      change.columns.verified_at = now;
      if (input.classification) change.columns.classification = input.classification;
      if (input.categoryId !== undefined) change.columns.category_id = input.categoryId;
      if (input.title) change.columns.title = input.title;
      change.data = {
        resolutionClass: input.resolutionClass,
        ...(input.classification ? { classification: input.classification } : {}),
        ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
        ...(input.title ? { titleEdited: true } : {}),
      };
      const flags: Record<string, boolean> = {};
      if (input.anonymous && !r.is_anonymous) flags.anonymous = change.columns.is_anonymous = true;
      if (input.secret && !r.is_secret) flags.secret = change.columns.is_secret = true;
      if (Object.keys(flags).length > 0) {
        change.extraEvents.push({ type: 'privacy_flags_set', visibility: 'staff', message: null, data: flags });
      }
      return change;
    }
    case 'hold':
      change.message = requireMessage(input);
      return change;
    case 'archive': {
      if (!input.reason) throw invalidInput({ reason: 'Wajib diisi / Required' });
      change.columns.archive_reason = input.reason;
      change.data = { reason: input.reason };
      if (input.reason === 'duplicate') {
        const original = input.duplicateOf ? normalizeTrackingId(input.duplicateOf) : null;
        if (!original) throw invalidInput({ duplicateOf: 'Wajib diisi untuk duplikat / Required for a duplicate' });
        const rows = await db.query<{ id: number; is_public: boolean }>(
          'SELECT id, is_public FROM reports WHERE tracking_id = $1 AND id <> $2',
          [original, r.id],
        );
        if (!rows[0]) throw invalidInput({ duplicateOf: 'Laporan asli tidak ditemukan / Original report not found' });
        change.columns.duplicate_of_id = rows[0].id;
        // The archive event is public; a secret original's ID goes only on a staff event.
        if (rows[0].is_public) change.data.duplicateOf = original;
        else change.extraEvents.push({ type: 'duplicate_linked', visibility: 'staff', message: null, data: { duplicateOf: original } });
      } else if (input.duplicateOf) {
        throw invalidInput({ duplicateOf: 'Hanya untuk alasan duplicate / Only with reason duplicate' });
      }
      return change;
    }
    case 'route': {
      const bodyId = input.bodyId ?? (principal.role === 'agency_admin' ? principal.bodyId : undefined);
      if (!bodyId) throw invalidInput({ bodyId: 'Wajib diisi / Required' });
      const body = await findBody(db, bodyId);
      if (!body || !isTopLevelBody(body)) throw invalidInput({ bodyId: 'Instansi tidak dikenal / Unknown body' });
      if (principal.role === 'agency_admin' && bodyId !== principal.bodyId) {
        throw forbidden('Admin instansi hanya dapat menerima untuk instansinya / An agency admin can only take it into its own body');
      }
      change.columns.body_id = bodyId;
      change.columns.unit_id = null;
      change.data = { bodyId };
      return change;
    }
    case 'disposition': {
      if (!input.unitId) throw invalidInput({ unitId: 'Wajib diisi / Required' });
      const unit = await findBody(db, input.unitId);
      if (!unit || !unit.active || unit.kind !== 'unit' || r.body_id === null || !unit.path.includes(r.body_id)) {
        throw invalidInput({ unitId: 'Unit tidak ada di instansi ini / No such unit in this body' });
      }
      if (principal.role === 'unit_officer') {
        // a unit passes work down to its own sub-units, never sideways or up
        if (principal.bodyId === null || unit.id === principal.bodyId || !unit.path.includes(principal.bodyId)) {
          throw forbidden('Hanya ke sub-unit Anda / Only to your own sub-units');
        }
      }
      change.columns.unit_id = unit.id;
      change.data = { unitId: unit.id, fromUnitId: r.unit_id };
      return change;
    }
    case 'forward': {
      const reason = requireMessage(input, 'message');
      change.message = reason;
      if (input.toNational) {
        if (input.bodyId) throw invalidInput({ bodyId: 'Pilih instansi atau admin nasional, bukan keduanya / Either a body or the national admin' });
        change.columns.body_id = null;
        change.columns.unit_id = null;
        // The body has said it is not theirs: the citizen's suggestion no longer gives it the report back.
        change.columns.suggested_body_id = null;
        change.data = { fromBodyId: r.body_id, toNational: true, previousSuggestedBodyId: r.suggested_body_id };
        return change;
      }
      if (!input.bodyId) throw invalidInput({ bodyId: 'Wajib diisi / Required' });
      const body = await findBody(db, input.bodyId);
      if (!body || !isTopLevelBody(body)) throw invalidInput({ bodyId: 'Instansi tidak dikenal / Unknown body' });
      if (body.id === r.body_id) throw invalidInput({ bodyId: 'Sudah di instansi ini / Already with this body' });
      change.columns.body_id = body.id;
      change.columns.unit_id = null;
      change.data = { fromBodyId: r.body_id, toBodyId: body.id };
      return change;
    }
    case 'follow_up':
      change.message = requireMessage(input);
      return change;
    case 'answer': {
      const message = requireMessage(input);
      if (isPromiseOnly(message)) {
        throw new AppError(
          'answer_only_promises',
          'Jawaban hanya berisi janji tindak lanjut; kirim sebagai tindak lanjut, bukan jawaban akhir / ' +
            'The answer only promises action; post it as a follow-up, not as the final answer',
          { message: 'Jelaskan apa yang sudah dilakukan dan hasilnya / Say what was done and the outcome' },
        );
      }
      if (r.classification === 'pengaduan' && files.length === 0) {
        throw invalidInput({ attachments: 'Jawaban pengaduan wajib disertai bukti / A complaint answer needs evidence' });
      }
      change.message = message;
      change.columns.answered_at = now;
      return change;
    }
    case 'reply':
      change.message = requireMessage(input);
      return change;
    case 'reopen':
      change.message = requireMessage(input);
      change.columns.closed_at = null;
      return change;
    case 'accept':
    case 'close':
      change.columns.closed_at = now;
      return change;
    case 'rate': {
      if (!input.rating) throw invalidInput({ rating: 'Wajib diisi: 1–5 / Required: 1–5' });
      change.columns.rating = input.rating;
      change.columns.rated_at = now;
      // A low rating reopens the report, so it is no longer closed.
      if (input.rating <= 2) change.columns.closed_at = null;
      change.data = { rating: input.rating };
      return change;
    }
    default:
      throw new AppError('forbidden', `Tindakan ${action} bukan untuk pengguna / Action ${action} is not for users`);
  }
}
