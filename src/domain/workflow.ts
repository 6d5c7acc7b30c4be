import { AppError } from '../errors.ts';
import type { Role } from './roles.ts';

export const STATUSES = ['submitted', 'on_hold', 'dispositioned', 'in_progress', 'answered', 'closed', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, { id: string; en: string }> = {
  submitted: { id: 'Belum Terverifikasi', en: 'Not yet verified' },
  on_hold: { id: 'Tertunda', en: 'On hold' },
  dispositioned: { id: 'Terdisposisi – Belum Ditindaklanjuti', en: 'Routed – not yet followed up' },
  in_progress: { id: 'Terdisposisi – Sedang Diproses', en: 'Routed – in progress' },
  answered: { id: 'Menunggu Tanggapan Pelapor', en: 'Awaiting the reporter’s response' },
  closed: { id: 'Selesai', en: 'Closed' },
  archived: { id: 'Arsip', en: 'Archived' },
};

/** A submitted report is verified once, and its label says so until it is routed. */
export const VERIFIED_LABEL = { id: 'Terverifikasi', en: 'Verified' } as const;

export function statusLabel(status: Status, verified: boolean): { id: string; en: string } {
  return status === 'submitted' && verified ? VERIFIED_LABEL : STATUS_LABELS[status];
}

export const ACTIONS = [
  'verify',
  'edit',
  'hold',
  'archive',
  'route',
  'disposition',
  'forward',
  'follow_up',
  'answer',
  'reply',
  'reopen',
  'accept',
  'rate',
  'close',
  'auto_close',
  'archive_incomplete',
  'confirm_archive',
  'reject_archive',
  'appeal',
  'grant_appeal',
  'reject_appeal',
] as const;
export type Action = (typeof ACTIONS)[number];

export type Actor = Role | 'system';
/** Who may read a timeline event, from the widest audience to the narrowest. */
export type Visibility = 'public' | 'reporter' | 'staff' | 'national';

/** Facts about the report and the request that some rules depend on. */
export interface TransitionContext {
  verified?: boolean;
  rating?: number;
  alreadyRated?: boolean;
  toNational?: boolean;
  /** A follow-up for staff only (an internal note). */
  internal?: boolean;
  /** A body has asked for the report to be archived, and no national admin has decided yet. */
  archiveRequested?: boolean;
  /** The reporter has appealed an archive (once, ever). */
  appealed?: boolean;
  /** The appeal waits for a national admin's decision. */
  appealPending?: boolean;
}

interface TransitionRule {
  action: Action;
  from: readonly Status[];
  /** 'same' keeps the current status (an event that changes who holds it, or what it says). */
  to: Status | 'same';
  actors: readonly Actor[];
  event: string;
  visibility: Visibility;
  /** Rows of one action are tried in order; the first whose `when` holds is used. */
  when?: (ctx: TransitionContext) => boolean;
  /** A reason why the action cannot happen yet, or null. */
  requires?: (ctx: TransitionContext) => string | null;
}

const OPEN: readonly Status[] = ['submitted', 'on_hold', 'dispositioned', 'in_progress', 'answered'];
const ROUTED: readonly Status[] = ['dispositioned', 'in_progress'];
const VERIFIERS: readonly Actor[] = ['national_admin', 'agency_admin'];
const HANDLERS: readonly Actor[] = ['agency_admin', 'unit_officer'];
const REPORTER: readonly Actor[] = ['reporter'];
const NO_ARCHIVE_REQUEST = 'Tidak ada permintaan arsip dari instansi / No archive request from a body';
const NO_PENDING_APPEAL = 'Tidak ada banding yang menunggu keputusan / No appeal awaits a decision';

/** Every lifecycle transition of domain.md, and nothing else. */
export const TRANSITIONS: readonly TransitionRule[] = [
  // Verified once; corrections after that are edits, with their own event.
  {
    action: 'verify',
    from: ['submitted'],
    to: 'same',
    actors: VERIFIERS,
    event: 'verified',
    visibility: 'public',
    requires: (c) =>
      c.verified
        ? 'Laporan sudah diverifikasi; koreksi dicatat sebagai suntingan (edit) / The report is already verified; corrections are edits'
        : null,
  },
  {
    action: 'edit',
    from: OPEN,
    to: 'same',
    actors: VERIFIERS,
    event: 'edited',
    visibility: 'staff',
    requires: (c) =>
      c.verified ? null : 'Laporan belum diverifikasi; koreksi dilakukan saat verifikasi / Not verified yet; correct it when verifying',
  },
  { action: 'hold', from: ['submitted'], to: 'on_hold', actors: VERIFIERS, event: 'put_on_hold', visibility: 'reporter' },
  // A body cannot bury a report it was only offered: its archive is a request, which a national
  // admin confirms or rejects. National admins archive at once.
  {
    action: 'archive',
    from: ['submitted', 'on_hold'],
    to: 'archived',
    actors: ['national_admin'],
    event: 'archived',
    visibility: 'public',
  },
  {
    action: 'archive',
    from: ['submitted', 'on_hold'],
    to: 'same',
    actors: ['agency_admin'],
    event: 'archive_requested',
    visibility: 'staff',
    requires: (c) =>
      c.archiveRequested
        ? 'Permintaan arsip sudah menunggu keputusan admin nasional / An archive request already awaits the national admin'
        : null,
  },
  {
    action: 'confirm_archive',
    from: ['submitted', 'on_hold'],
    to: 'archived',
    actors: ['national_admin'],
    event: 'archived',
    visibility: 'public',
    requires: (c) => (c.archiveRequested ? null : NO_ARCHIVE_REQUEST),
  },
  {
    action: 'reject_archive',
    from: ['submitted', 'on_hold'],
    to: 'same',
    actors: ['national_admin'],
    event: 'archive_rejected',
    visibility: 'staff',
    requires: (c) => (c.archiveRequested ? null : NO_ARCHIVE_REQUEST),
  },
  // The reporter appeals an archive once, to the national admin. A granted appeal sends the report
  // back to the national desk, not completed: its Ombudsman clock runs on from where it stood.
  {
    action: 'appeal',
    from: ['archived'],
    to: 'same',
    actors: REPORTER,
    event: 'appealed',
    visibility: 'reporter',
    requires: (c) => (c.appealed ? 'Banding hanya dapat diajukan sekali / An archive can be appealed only once' : null),
  },
  {
    action: 'grant_appeal',
    from: ['archived'],
    to: 'submitted',
    actors: ['national_admin'],
    event: 'appeal_granted',
    visibility: 'public',
    requires: (c) => (c.appealPending ? null : NO_PENDING_APPEAL),
  },
  {
    action: 'reject_appeal',
    from: ['archived'],
    to: 'same',
    actors: ['national_admin'],
    event: 'appeal_rejected',
    visibility: 'reporter',
    requires: (c) => (c.appealPending ? null : NO_PENDING_APPEAL),
  },
  {
    action: 'route',
    from: ['submitted'],
    to: 'dispositioned',
    actors: VERIFIERS,
    event: 'routed',
    visibility: 'public',
    requires: (c) => (c.verified ? null : 'Laporan harus diverifikasi dahulu / The report must be verified first'),
  },
  { action: 'disposition', from: ROUTED, to: 'same', actors: HANDLERS, event: 'dispositioned', visibility: 'staff' },
  {
    action: 'forward',
    from: ROUTED,
    to: 'submitted',
    actors: ['agency_admin', 'national_admin'],
    event: 'returned_to_national',
    visibility: 'public',
    when: (c) => c.toNational === true,
  },
  {
    action: 'forward',
    from: ROUTED,
    to: 'dispositioned',
    actors: ['agency_admin', 'national_admin'],
    event: 'forwarded',
    visibility: 'public',
  },
  // A note for staff only is not the body's follow-up: the status and the first follow-up clock stay.
  {
    action: 'follow_up',
    from: ROUTED,
    to: 'same',
    actors: HANDLERS,
    event: 'internal_note',
    visibility: 'staff',
    when: (c) => c.internal === true,
  },
  { action: 'follow_up', from: ROUTED, to: 'in_progress', actors: HANDLERS, event: 'followed_up', visibility: 'public' },
  { action: 'answer', from: ROUTED, to: 'answered', actors: HANDLERS, event: 'answered', visibility: 'public' },
  // A reporter's reply completes an on-hold report, and during the reply window reopens an answer.
  { action: 'reply', from: ['on_hold'], to: 'submitted', actors: REPORTER, event: 'completed', visibility: 'reporter' },
  { action: 'reply', from: ['answered'], to: 'in_progress', actors: REPORTER, event: 'reporter_replied', visibility: 'reporter' },
  {
    action: 'reply',
    from: ['submitted', 'dispositioned', 'in_progress'],
    to: 'same',
    actors: REPORTER,
    event: 'reporter_replied',
    visibility: 'reporter',
  },
  { action: 'reopen', from: ['answered'], to: 'in_progress', actors: REPORTER, event: 'reopened', visibility: 'public' },
  { action: 'accept', from: ['answered'], to: 'closed', actors: REPORTER, event: 'accepted', visibility: 'public' },
  {
    action: 'rate',
    from: ['closed'],
    to: 'in_progress',
    actors: REPORTER,
    event: 'rated',
    visibility: 'public',
    when: (c) => (c.rating ?? 5) <= 2,
    requires: (c) => (c.alreadyRated ? 'Laporan sudah dinilai / The report has already been rated' : null),
  },
  {
    action: 'rate',
    from: ['closed'],
    to: 'same',
    actors: REPORTER,
    event: 'rated',
    visibility: 'public',
    requires: (c) => (c.alreadyRated ? 'Laporan sudah dinilai / The report has already been rated' : null),
  },
  { action: 'close', from: OPEN, to: 'closed', actors: REPORTER, event: 'closed_by_reporter', visibility: 'public' },
  // Timed effects, run by the worker (deadlines issue).
  { action: 'auto_close', from: ['answered'], to: 'closed', actors: ['system'], event: 'auto_closed', visibility: 'public' },
  {
    action: 'archive_incomplete',
    from: ['on_hold'],
    to: 'archived',
    actors: ['system'],
    event: 'archived',
    visibility: 'public',
  },
];

export interface TransitionDecision {
  from: Status;
  to: Status;
  event: string;
  visibility: Visibility;
}

/**
 * Decides what an action does to a report in a given status, for a given actor.
 * Throws AppError('forbidden') when the actor's role may never take the action, and
 * AppError('illegal_transition') with the reason when the status (or a rule) forbids it now.
 */
export function decideTransition(status: Status, action: Action, actor: Actor, ctx: TransitionContext = {}): TransitionDecision {
  const rows = TRANSITIONS.filter((r) => r.action === action);
  if (!rows.some((r) => r.actors.includes(actor))) {
    throw new AppError('forbidden', `Peran ${actor} tidak boleh melakukan '${action}' / Role ${actor} may not '${action}'`);
  }
  const candidates = rows.filter((r) => r.actors.includes(actor) && r.from.includes(status));
  const rule = candidates.find((r) => !r.when || r.when(ctx));
  if (!rule) {
    const allowed = [...new Set(rows.flatMap((r) => r.from))].join(', ');
    throw new AppError(
      'illegal_transition',
      `Tindakan '${action}' tidak dapat dilakukan pada status '${STATUS_LABELS[status].id}' / ` +
        `Action '${action}' is not allowed in status '${status}' (allowed in: ${allowed})`,
    );
  }
  const reason = rule.requires?.(ctx);
  if (reason) throw new AppError('illegal_transition', reason);
  return { from: status, to: rule.to === 'same' ? status : rule.to, event: rule.event, visibility: rule.visibility };
}

/**
 * The actions an actor could take on a report in this status, given what is known of it (for
 * clients to show buttons): a row counts when nothing it requires stands in the way. Rows chosen
 * by the request (`when`: a rating, a target) count whichever the request will be.
 */
export function availableActions(status: Status, actor: Actor, ctx: TransitionContext = {}): Action[] {
  return [
    ...new Set(TRANSITIONS.filter((r) => r.from.includes(status) && r.actors.includes(actor) && !r.requires?.(ctx)).map((r) => r.action)),
  ];
}
