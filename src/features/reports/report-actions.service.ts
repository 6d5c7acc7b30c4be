import type { Queryable } from '../../db/db.ts';
import { type AnswerScore, clausesWithoutSubstance, scoreAnswer } from '../../domain/answer-check.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import { type Action, type Status, type Visibility, decideTransition } from '../../domain/workflow.ts';
import { AppError, invalidInput } from '../../errors.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { query, sql } from '../../db/sql.ts';
import { handlerScope, staffReaderKind } from './access.ts';
import { isEvidence } from '../attachments/image-size.ts';
import { type StoredFile, discardFiles, prepareFiles, recordFiles } from './report-files.ts';
import { clockPlan } from '../../domain/sla.ts';
import { CalendarCache, applyClockPlan } from '../sla/clocks.service.ts';
import { insertEvent } from '../timeline/timeline.repository.ts';
import { notifyEvent } from '../notifications/lifecycle.ts';
import { type ArchiveRequest, type ReportPatch, updateReport } from './reports.repository.ts';
import { type PreparedFiles, type ReportJson, resolveReader, viewReport } from './reports.service.ts';
import { isCategoryOffered } from '../categories/categories.service.ts';

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
  archive_request: ArchiveRequest | null;
  appealed_at: Date | null;
  appeal_decided_at: Date | null;
  /** The caller may act on it as its handler: `handlerScope` in SQL, the one rule. */
  may_handle: boolean;
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

/** Why a caller outside the handler scope is refused, in its own terms. */
function outOfScope(principal: Principal, r: LockedReport): AppError {
  switch (principal.role) {
    case 'reporter':
      return forbidden('Bukan laporan Anda / Not your report');
    case 'agency_admin':
      return forbidden('Laporan di luar instansi Anda / Report outside your body');
    case 'unit_officer':
      return r.unit_id === null
        ? forbidden('Laporan belum didisposisikan ke unit Anda / Not dispositioned to your unit')
        : forbidden('Laporan di luar unit Anda / Report outside your unit');
    default:
      return forbidden('Peran Anda tidak dapat menangani laporan / Your role cannot handle reports');
  }
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
  files: File[] | PreparedFiles = [],
): Promise<ReportJson> {
  const trackingId = normalizeTrackingId(rawTrackingId);
  // Visibility first: a caller who cannot even read the report learns nothing about it.
  await resolveReader(deps.db, principal, rawTrackingId);
  const now = deps.now();
  const ours = Array.isArray(files);
  const stored: StoredFile[] = !ours ? files.prepared : files.length > 0 ? await prepareFiles(files, deps.config, deps.storage, now) : [];
  try {
    const reportId = await deps.db.transaction(async (tx) => {
      const rows = await query<LockedReport>(
        tx,
        sql`SELECT r.id, r.status, r.classification, r.reporter_id, r.body_id, r.unit_id, r.suggested_body_id,
                   r.is_anonymous, r.is_secret, r.verified_at, r.closed_at, r.rated_at, r.resolution_class,
                   r.archive_request, r.appealed_at, r.appeal_decided_at,
                   COALESCE(${handlerScope(principal)}, false) AS may_handle
              FROM reports r WHERE r.tracking_id = ${trackingId} FOR UPDATE`,
      );
      const r = rows[0];
      if (!r) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
      const role = principal.role;
      // The table answers "may this role ever do this" (403) before scope, and "now" (409) after it.
      decideTransitionRoleOnly(r.status, action, principal);
      if (!r.may_handle) throw outOfScope(principal, r);
      const decision = decideTransition(r.status, action, role, {
        verified: r.verified_at !== null,
        rating: input.rating,
        alreadyRated: r.rated_at !== null && r.closed_at !== null && r.rated_at >= r.closed_at,
        toNational: input.toNational === true,
        internal: input.internal === true,
        archiveRequested: r.archive_request !== null,
        appealed: r.appealed_at !== null,
        appealPending: r.appealed_at !== null && r.appeal_decided_at === null,
      });
      const rule = ACTION_RULES[action];
      if (!rule) throw forbidden(`Tindakan ${action} bukan untuk pengguna / Action ${action} is not for users`);
      const change = await rule({ db: tx, principal, report: r, input, files: stored, now });
      await updateReport(tx, r.id, { ...change.columns, status: decision.to, updatedAt: now });
      // Clock changes first, so the action's own event closes the step on the timeline.
      await applyClockPlan(tx, clockPlan(decision.event, decision.from, decision.to), {
        report: {
          id: r.id,
          body_id: change.columns.bodyId !== undefined ? change.columns.bodyId : r.body_id,
          resolution_class: change.columns.resolutionClass ?? r.resolution_class,
        },
        now,
        limits: deps.config.sla,
        calendars: new CalendarCache(tx),
      });
      const visibility: Visibility = decision.visibility;
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
      await notifyEvent(
        tx,
        { eventId, reportId: r.id, type: decision.event, actorId: principal.userId, at: now, message: change.message, data: change.data },
        { publicOrigin: deps.config.publicOrigin },
      );
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
    if (ours) await discardFiles(stored, deps.storage);
    if (err instanceof RefusedAnswer) await recordRefusedAnswer(deps, principal, err, now);
    throw err;
  }
}

/**
 * A refused final answer, with what the check found. The action's transaction rolls back, so
 * the attempt is recorded after it, in a statement of its own (`recordRefusedAnswer`): how often a
 * body tries to close with a non-answer can then be counted from the timeline.
 */
class RefusedAnswer extends AppError {
  readonly reportId: number;
  readonly bodyId: number | null;
  readonly result: AnswerScore;
  constructor(reportId: number, bodyId: number | null, result: AnswerScore) {
    const weak = clausesWithoutSubstance(result);
    const shown = weak.length > 0 ? weak : result.clauses;
    const fields: Record<string, string> = { message: result.advice };
    for (const [i, clause] of shown.slice(0, 10).entries()) {
      fields[`clauses.${i}`] = `"${clause.text}": ${CLAUSE_LABEL[clause.kind]} — ${clause.reasons.join('; ')}`;
    }
    const quoted = shown
      .slice(0, 3)
      .map((c) => `"${c.text}"`)
      .join(', ');
    super(
      'answer_only_promises',
      'Jawaban belum menyebut apa yang sudah dilakukan; kirim sebagai tindak lanjut, bukan jawaban akhir / ' +
        'The answer does not say what was done; post it as a follow-up, not as the final answer' +
        (quoted ? ` (${quoted})` : ''),
      fields,
    );
    this.reportId = reportId;
    this.bodyId = bodyId;
    this.result = result;
  }
}

const CLAUSE_LABEL: Record<string, string> = {
  promise: 'hanya janji / only a promise',
  handing_on: 'hanya diteruskan atau diterima / only handed on or received',
  waiting: 'masih menunggu / still waiting',
  request: 'meminta data tambahan / asks for more data',
  vague: 'tidak menyebut tindakan / names no deed',
  courtesy: 'salam / courtesy',
  substance: 'isi / substance',
};

/** The refused attempt on the report's timeline, for staff only: its score and the body that tried. */
async function recordRefusedAnswer(deps: AppDeps, principal: Principal, err: RefusedAnswer, now: Date): Promise<void> {
  try {
    await insertEvent(deps.db, {
      reportId: err.reportId,
      at: now,
      type: 'answer_refused',
      actorId: principal.userId,
      actorRole: principal.role,
      actorBodyId: principal.bodyId,
      visibility: 'staff',
      fromStatus: null,
      toStatus: null,
      message: null,
      data: {
        answerScore: err.result.score,
        verdict: err.result.verdict,
        bodyId: err.bodyId,
        kinds: err.result.clauses.map((c) => c.kind),
      },
    });
  } catch (recordError) {
    // The officer's 422 matters more than the count: never turn it into a 500.
    deps.logger?.warn({ err: recordError, reportId: err.reportId }, 'answer_refused event not recorded');
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
  columns: Omit<ReportPatch, 'status' | 'updatedAt'>;
  message: string | null;
  data: Record<string, unknown>;
  extraEvents: { type: string; visibility: Visibility; message: string | null; data: Record<string, unknown> }[];
}

interface RuleContext {
  db: Queryable;
  principal: Principal;
  report: LockedReport;
  input: ActionInput;
  files: StoredFile[];
  now: Date;
}

/** An action's own rules beyond the transition table: what it must carry, and what it changes. */
type Rule = (ctx: RuleContext) => Promise<Change> | Change;

function requireMessage(input: ActionInput, what = 'message'): string {
  const message = input.message?.trim();
  if (!message) throw invalidInput({ [what]: 'Wajib diisi / Required' });
  return message;
}

function change(input: ActionInput, parts: Partial<Change> = {}): Change {
  return { columns: {}, message: input.message?.trim() || null, data: {}, extraEvents: [], ...parts };
}

/** Message-only actions: a hold's question, a follow-up, a reporter's reply. */
const withMessage: Rule = ({ input }) => change(input, { message: requireMessage(input) });

async function verify({ db, report: r, input, now }: RuleContext): Promise<Change> {
  // Anonim and rahasia only ever go on: no body, and no admin, can take them off.
  const fields: Record<string, string> = {};
  if (input.anonymous === false && r.is_anonymous) fields.anonymous = 'Anonim tidak dapat dicabut / Anonymity cannot be removed';
  if (input.secret === false && r.is_secret) fields.secret = 'Rahasia tidak dapat dicabut / Secrecy cannot be removed';
  if (input.resolutionClass === undefined) fields.resolutionClass = 'Wajib diisi: 5, 14 atau 60 / Required: 5, 14 or 60';
  if (input.categoryId && !(await isCategoryOffered(db, input.categoryId, r.body_id))) {
    fields.categoryId = 'Kategori tidak dikenal / Unknown category';
  }
  if (Object.keys(fields).length > 0) throw invalidInput(fields);
  const flags: Record<string, boolean> = {};
  if (input.anonymous && !r.is_anonymous) flags.anonymous = true;
  if (input.secret && !r.is_secret) flags.secret = true;
  return change(input, {
    columns: {
      resolutionClass: input.resolutionClass,
      verifiedAt: now,
      classification: input.classification,
      categoryId: input.categoryId,
      title: input.title || undefined,
      isAnonymous: flags.anonymous,
      isSecret: flags.secret,
    },
    data: {
      resolutionClass: input.resolutionClass,
      ...(input.classification ? { classification: input.classification } : {}),
      ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
      ...(input.title ? { titleEdited: true } : {}),
    },
    extraEvents: Object.keys(flags).length > 0 ? [{ type: 'privacy_flags_set', visibility: 'staff', message: null, data: flags }] : [],
  });
}

/**
 * A correction after verification: title, category, classification, and anonim/rahasia (which
 * only go on). By the national admin, or the agency admin of the body that handles the report.
 * Its own event, never a second verification.
 */
async function edit({ db, principal, report: r, input }: RuleContext): Promise<Change> {
  if (principal.role === 'agency_admin' && r.body_id !== principal.bodyId) {
    throw forbidden('Hanya admin instansi yang menangani laporan ini / Only the admin of the handling body');
  }
  const fields: Record<string, string> = {};
  if (input.anonymous === false && r.is_anonymous) fields.anonymous = 'Anonim tidak dapat dicabut / Anonymity cannot be removed';
  if (input.secret === false && r.is_secret) fields.secret = 'Rahasia tidak dapat dicabut / Secrecy cannot be removed';
  if (input.categoryId && !(await isCategoryOffered(db, input.categoryId, r.body_id))) {
    fields.categoryId = 'Kategori tidak dikenal / Unknown category';
  }
  if (Object.keys(fields).length > 0) throw invalidInput(fields);
  const flags: Record<string, boolean> = {};
  if (input.anonymous && !r.is_anonymous) flags.anonymous = true;
  if (input.secret && !r.is_secret) flags.secret = true;
  const edited = [
    ...(input.title ? ['title'] : []),
    ...(input.categoryId !== undefined ? ['categoryId'] : []),
    ...(input.classification && input.classification !== r.classification ? ['classification'] : []),
  ];
  if (edited.length === 0 && Object.keys(flags).length === 0) {
    throw invalidInput({ title: 'Tidak ada yang diubah / Nothing to change' });
  }
  return change(input, {
    columns: {
      title: input.title || undefined,
      categoryId: input.categoryId,
      classification: input.classification,
      isAnonymous: flags.anonymous,
      isSecret: flags.secret,
    },
    // which fields changed, never their old values (a title may have named someone)
    data: {
      fields: edited,
      ...(input.classification ? { classification: input.classification } : {}),
      ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
    },
    extraEvents: Object.keys(flags).length > 0 ? [{ type: 'privacy_flags_set', visibility: 'staff', message: null, data: flags }] : [],
  });
}

/**
 * Archiving, with a reason. A national admin archives at once; a body's admin only asks (the
 * report stays where it is, and a national admin confirms or rejects), so a body cannot bury a
 * report it was only offered. The reason and the duplicate are checked when asked.
 */
async function archive({ db, principal, report: r, input, now }: RuleContext): Promise<Change> {
  if (!input.reason) throw invalidInput({ reason: 'Wajib diisi / Required' });
  const result = change(input, { data: { reason: input.reason } });
  let duplicateOfId: number | null = null;
  if (input.reason !== 'duplicate') {
    if (input.duplicateOf) throw invalidInput({ duplicateOf: 'Hanya untuk alasan duplicate / Only with reason duplicate' });
  } else {
    const original = await findOriginal(db, r.id, input.duplicateOf);
    duplicateOfId = original.id;
    linkDuplicate(result, original);
  }
  if (principal.role === 'agency_admin') {
    result.columns.archiveRequest = {
      reason: input.reason,
      duplicateOfId,
      byUserId: principal.userId,
      byBodyId: principal.bodyId,
      at: now.toISOString(),
      message: result.message,
    };
    return result;
  }
  result.columns = { archiveReason: input.reason, duplicateOfId: duplicateOfId ?? undefined, archiveRequest: null };
  return result;
}

async function findOriginal(db: Queryable, reportId: number, duplicateOf: string | undefined) {
  const original = duplicateOf ? normalizeTrackingId(duplicateOf) : null;
  if (!original) throw invalidInput({ duplicateOf: 'Wajib diisi untuk duplikat / Required for a duplicate' });
  const rows = await db.query<{ id: number; is_public: boolean; tracking_id: string }>(
    'SELECT id, is_public, tracking_id FROM reports WHERE tracking_id = $1 AND id <> $2',
    [original, reportId],
  );
  if (!rows[0]) throw invalidInput({ duplicateOf: 'Laporan asli tidak ditemukan / Original report not found' });
  return rows[0];
}

/** The archive event is public; a secret original's ID goes only on a staff event. */
function linkDuplicate(result: Change, original: { is_public: boolean; tracking_id: string }): void {
  if (original.is_public) result.data.duplicateOf = original.tracking_id;
  else
    result.extraEvents.push({ type: 'duplicate_linked', visibility: 'staff', message: null, data: { duplicateOf: original.tracking_id } });
}

/** A national admin confirms a body's archive request: archived with the reason the body gave. */
async function confirmArchive({ db, report: r, input }: RuleContext): Promise<Change> {
  const request = r.archive_request!;
  const result = change(input, {
    columns: { archiveReason: request.reason, duplicateOfId: request.duplicateOfId ?? undefined, archiveRequest: null },
    data: { reason: request.reason, requestedByBodyId: request.byBodyId, requestedBy: request.byUserId, confirmed: true },
  });
  if (request.duplicateOfId !== null) {
    const rows = await db.query<{ is_public: boolean; tracking_id: string }>('SELECT is_public, tracking_id FROM reports WHERE id = $1', [
      request.duplicateOfId,
    ]);
    if (rows[0]) linkDuplicate(result, rows[0]);
  }
  return result;
}

const rejectArchive: Rule = ({ report: r, input }) =>
  change(input, {
    message: requireMessage(input),
    columns: { archiveRequest: null },
    data: { reason: r.archive_request!.reason, requestedByBodyId: r.archive_request!.byBodyId, requestedBy: r.archive_request!.byUserId },
  });

const appeal: Rule = ({ input, now }) => change(input, { message: requireMessage(input), columns: { appealedAt: now } });

/** A granted appeal sends the report back to the national desk, to be verified or routed again. */
const grantAppeal: Rule = ({ report: r, input, now }) =>
  change(input, {
    message: requireMessage(input),
    columns: { appealDecidedAt: now, archiveReason: null, duplicateOfId: null, bodyId: null, unitId: null },
    data: { previousBodyId: r.body_id },
  });

const rejectAppeal: Rule = ({ input, now }) => change(input, { message: requireMessage(input), columns: { appealDecidedAt: now } });

async function route({ db, principal, input }: RuleContext): Promise<Change> {
  const bodyId = input.bodyId ?? (principal.role === 'agency_admin' ? principal.bodyId : undefined);
  if (!bodyId) throw invalidInput({ bodyId: 'Wajib diisi / Required' });
  const body = await findBody(db, bodyId);
  if (!body || !isTopLevelBody(body)) throw invalidInput({ bodyId: 'Instansi tidak dikenal / Unknown body' });
  if (principal.role === 'agency_admin' && bodyId !== principal.bodyId) {
    throw forbidden('Admin instansi hanya dapat menerima untuk instansinya / An agency admin can only take it into its own body');
  }
  // routing settles the report: a body's archive request for it no longer stands
  return change(input, { columns: { bodyId, unitId: null, archiveRequest: null }, data: { bodyId } });
}

async function disposition({ db, principal, report: r, input }: RuleContext): Promise<Change> {
  if (!input.unitId) throw invalidInput({ unitId: 'Wajib diisi / Required' });
  const unit = await findBody(db, input.unitId);
  if (!unit?.active || unit.kind !== 'unit' || r.body_id === null || !unit.path.includes(r.body_id)) {
    throw invalidInput({ unitId: 'Unit tidak ada di instansi ini / No such unit in this body' });
  }
  // A unit passes work down to its own sub-units, never sideways or up.
  if (
    principal.role === 'unit_officer' &&
    (principal.bodyId === null || unit.id === principal.bodyId || !unit.path.includes(principal.bodyId))
  ) {
    throw forbidden('Hanya ke sub-unit Anda / Only to your own sub-units');
  }
  return change(input, { columns: { unitId: unit.id }, data: { unitId: unit.id, fromUnitId: r.unit_id } });
}

async function forward({ db, report: r, input }: RuleContext): Promise<Change> {
  const message = requireMessage(input, 'message');
  if (input.toNational) {
    if (input.bodyId)
      throw invalidInput({ bodyId: 'Pilih instansi atau admin nasional, bukan keduanya / Either a body or the national admin' });
    // The body has said it is not theirs: the citizen's suggestion no longer gives it the report back.
    return change(input, {
      message,
      columns: { bodyId: null, unitId: null, suggestedBodyId: null },
      data: { fromBodyId: r.body_id, toNational: true, previousSuggestedBodyId: r.suggested_body_id },
    });
  }
  if (!input.bodyId) throw invalidInput({ bodyId: 'Wajib diisi / Required' });
  const body = await findBody(db, input.bodyId);
  if (!body || !isTopLevelBody(body)) throw invalidInput({ bodyId: 'Instansi tidak dikenal / Unknown body' });
  if (body.id === r.body_id) throw invalidInput({ bodyId: 'Sudah di instansi ini / Already with this body' });
  return change(input, { message, columns: { bodyId: body.id, unitId: null }, data: { fromBodyId: r.body_id, toBodyId: body.id } });
}

/**
 * A final answer must be one (domain/answer-check.ts: 422 with the clauses that only promise and
 * the advice), and a complaint's answer carries evidence: a document, or a photo of at least
 * 320 × 240 (attachments/image-size.ts). The score is kept on the answer's event.
 */
function answer({ report: r, input, files, now }: RuleContext): Change {
  const message = requireMessage(input);
  const result = scoreAnswer(message);
  if (result.verdict === 'non_answer') throw new RefusedAnswer(r.id, r.body_id, result);
  if (r.classification === 'pengaduan') {
    if (files.length === 0) {
      throw invalidInput({ attachments: 'Jawaban pengaduan wajib disertai bukti / A complaint answer needs evidence' });
    }
    if (!files.some(isEvidence)) {
      throw invalidInput({
        attachments:
          'Bukti harus berupa dokumen (PDF/Office) atau foto minimal 320 × 240 piksel / ' +
          'Evidence must be a document (PDF/Office) or a photo of at least 320 × 240 pixels',
      });
    }
  }
  return change(input, { message, columns: { answeredAt: now }, data: { answerScore: result.score, verdict: result.verdict } });
}

const reopen: Rule = ({ input }) => change(input, { message: requireMessage(input), columns: { closedAt: null } });
const closeReport: Rule = ({ input, now }) => change(input, { columns: { closedAt: now } });

function rate({ input, now }: RuleContext): Change {
  if (!input.rating) throw invalidInput({ rating: 'Wajib diisi: 1–5 / Required: 1–5' });
  // A low rating reopens the report, so it is no longer closed.
  return change(input, {
    columns: { rating: input.rating, ratedAt: now, closedAt: input.rating <= 2 ? null : undefined },
    data: { rating: input.rating },
  });
}

/** Every user action and its rules; the sweep's own actions (auto-close, escalation) are not here. */
const ACTION_RULES: Partial<Record<Action, Rule>> = {
  verify,
  edit,
  hold: withMessage,
  archive,
  confirm_archive: confirmArchive,
  reject_archive: rejectArchive,
  appeal,
  grant_appeal: grantAppeal,
  reject_appeal: rejectAppeal,
  route,
  disposition,
  forward,
  follow_up: withMessage,
  answer,
  reply: withMessage,
  reopen,
  accept: closeReport,
  close: closeReport,
  rate,
};
