import type { Status } from './workflow.ts';

export const CLOCK_KINDS = ['verification', 'first_follow_up', 'resolution', 'reply_window', 'completion', 'ombudsman'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];
export type LimitUnit = 'working' | 'calendar';

/** The limits of domain.md ("Time limits"); every number is configurable. */
export interface SlaLimits {
  verificationWorkingDays: number;
  firstFollowUpWorkingDays: number;
  /** By resolution class: 5 and 14 are working days, 60 is calendar days. */
  resolution: Record<5 | 14 | 60, { days: number; unit: LimitUnit }>;
  replyWindowWorkingDays: number;
  completionWorkingDays: number;
  ombudsmanCalendarDays: number;
  /** How long before a deadline the holder is reminded. */
  reminderLeadHours: number;
}

export const DEFAULT_SLA_LIMITS: SlaLimits = {
  verificationWorkingDays: 3,
  firstFollowUpWorkingDays: 5,
  resolution: { 5: { days: 5, unit: 'working' }, 14: { days: 14, unit: 'working' }, 60: { days: 60, unit: 'calendar' } },
  replyWindowWorkingDays: 10,
  completionWorkingDays: 10,
  ombudsmanCalendarDays: 60,
  reminderLeadHours: 24,
};

export const CLOCK_LABELS: Record<ClockKind, { id: string; en: string }> = {
  verification: { id: 'Verifikasi', en: 'Verification' },
  first_follow_up: { id: 'Tindak lanjut pertama', en: 'First follow-up' },
  resolution: { id: 'Penyelesaian', en: 'Resolution' },
  reply_window: { id: 'Tanggapan pelapor', en: 'Reporter’s reply window' },
  completion: { id: 'Kelengkapan laporan', en: 'Completion by the reporter' },
  ombudsman: { id: 'Batas eskalasi Ombudsman', en: 'Ombudsman escalation' },
};

export function limitFor(kind: ClockKind, limits: SlaLimits, resolutionClass: number | null): { days: number; unit: LimitUnit } {
  switch (kind) {
    case 'verification':
      return { days: limits.verificationWorkingDays, unit: 'working' };
    case 'first_follow_up':
      return { days: limits.firstFollowUpWorkingDays, unit: 'working' };
    case 'resolution':
      return limits.resolution[(resolutionClass ?? 14) as 5 | 14 | 60] ?? limits.resolution[14];
    case 'reply_window':
      return { days: limits.replyWindowWorkingDays, unit: 'working' };
    case 'completion':
      return { days: limits.completionWorkingDays, unit: 'working' };
    case 'ombudsman':
      return { days: limits.ombudsmanCalendarDays, unit: 'calendar' };
  }
}

/** Whether missing this clock counts against a body (the reporter's own windows do not). */
export function countsAgainstBody(kind: ClockKind): boolean {
  return kind !== 'reply_window' && kind !== 'completion';
}

export type ClockOp =
  | { op: 'start'; kind: ClockKind }
  | { op: 'stop'; kind: ClockKind | 'all'; except?: ClockKind }
  | { op: 'pause'; kind: ClockKind | 'all' }
  | { op: 'resume'; kind: ClockKind | 'all' };

/**
 * What a timeline event does to a report's clocks, as a pure table: the lifecycle decides the
 * event, this decides the clocks. Order matters: stops and pauses come before starts.
 */
export function clockPlan(event: string, from: Status | null, to: Status): ClockOp[] {
  switch (event) {
    case 'submitted':
      return [
        { op: 'start', kind: 'verification' },
        { op: 'start', kind: 'ombudsman' },
      ];
    case 'put_on_hold':
      // every clock waits for the reporter, who now has a clock of their own
      return [
        { op: 'pause', kind: 'all' },
        { op: 'start', kind: 'completion' },
      ];
    case 'completed':
      return [
        { op: 'stop', kind: 'completion' },
        { op: 'resume', kind: 'all' },
      ];
    case 'routed':
      return [
        { op: 'stop', kind: 'verification' },
        { op: 'start', kind: 'first_follow_up' },
        { op: 'start', kind: 'resolution' },
      ];
    case 'forwarded':
      // a new body gets its own time, counted on its own calendar
      return [
        { op: 'stop', kind: 'first_follow_up' },
        { op: 'stop', kind: 'resolution' },
        { op: 'start', kind: 'first_follow_up' },
        { op: 'start', kind: 'resolution' },
      ];
    case 'returned_to_national':
      return [
        { op: 'stop', kind: 'first_follow_up' },
        { op: 'stop', kind: 'resolution' },
        { op: 'start', kind: 'verification' },
      ];
    case 'followed_up':
      return [{ op: 'stop', kind: 'first_follow_up' }];
    case 'answered':
      // the Ombudsman clock waits while the reporter considers the answer
      return [
        { op: 'stop', kind: 'first_follow_up' },
        { op: 'stop', kind: 'resolution' },
        { op: 'pause', kind: 'ombudsman' },
        { op: 'start', kind: 'reply_window' },
      ];
    case 'reporter_replied':
    case 'reopened':
      if (from !== 'answered') return [];
      return [
        { op: 'stop', kind: 'reply_window' },
        { op: 'resume', kind: 'ombudsman' },
        { op: 'start', kind: 'resolution' },
      ];
    case 'rated':
      // a low rating reopens it: not completed, so the Ombudsman clock runs on from where it stood
      return to === 'in_progress'
        ? [
            { op: 'resume', kind: 'ombudsman' },
            { op: 'start', kind: 'resolution' },
          ]
        : [];
    case 'appeal_granted':
      // back to the national desk: verified again (or routed) in its own time, and the Ombudsman
      // clock runs on without the days the report lay archived
      return [
        { op: 'resume', kind: 'ombudsman' },
        { op: 'start', kind: 'verification' },
      ];
    case 'accepted':
    case 'closed_by_reporter':
    case 'auto_closed':
    case 'archived':
      // Closed is not completed for good: a low rating (or an appeal) reopens it. The Ombudsman
      // clock waits rather than stops, so it resumes without counting the days it was closed.
      return [
        { op: 'stop', kind: 'all', except: 'ombudsman' },
        { op: 'pause', kind: 'ombudsman' },
      ];
    default:
      return [];
  }
}
