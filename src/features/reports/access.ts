import type { Principal } from '../../http/context.ts';
import type { Visibility } from '../../domain/workflow.ts';

/**
 * How a caller reads reports. Each reader is its own projection: what rows it may see (a SQL
 * condition, never a filter after fetching) and which timeline events and attachments.
 */
export type ReaderKind = 'public' | 'reporter' | 'staff' | 'overseer' | 'national';

export const VISIBLE_TO: Record<ReaderKind, readonly Visibility[]> = {
  public: ['public'],
  reporter: ['public', 'reporter'],
  staff: ['public', 'reporter', 'staff'],
  overseer: ['public', 'reporter', 'staff'],
  national: ['public', 'reporter', 'staff', 'national'],
};

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * The rows a principal may work on as staff (or oversee), as a condition on `r` (reports).
 * `$n` placeholders are numbered from `offset + 1`. Null means "none as staff".
 */
export function staffScope(principal: Principal | null, offset: number): SqlCondition | null {
  if (!principal) return null;
  const p = `$${offset + 1}`;
  switch (principal.role) {
    case 'national_admin':
    case 'monitor':
      return { sql: 'TRUE', params: [] };
    case 'agency_admin':
      // its own reports, and unrouted ones suggested to it (a body may verify its own, hold it for
      // completion, and see it while it waits for the reporter)
      return {
        sql: `(r.body_id = ${p}::bigint OR (r.body_id IS NULL AND r.status IN ('submitted', 'on_hold') AND r.suggested_body_id = ${p}::bigint))`,
        params: [principal.bodyId],
      };
    case 'unit_officer':
      return {
        sql: `r.unit_id IN (SELECT b.id FROM bodies b WHERE b.path @> ARRAY[${p}::bigint])`,
        params: [principal.bodyId],
      };
    case 'ombudsman':
      // an office sees what was escalated to it; Ombudsman RI (the root) sees every office's
      return {
        sql: `(r.escalated_at IS NOT NULL AND r.ombudsman_body_id IN (SELECT b.id FROM bodies b WHERE b.path @> ARRAY[${p}::bigint]))`,
        params: [principal.bodyId],
      };
    default:
      return null;
  }
}

export function staffReaderKind(principal: Principal): ReaderKind {
  if (principal.role === 'national_admin') return 'national';
  if (principal.role === 'monitor' || principal.role === 'ombudsman') return 'overseer';
  return 'staff';
}

/** Visibilities as a SQL array literal parameter. */
export function visibilitiesFor(kind: ReaderKind): string[] {
  return [...VISIBLE_TO[kind]];
}
