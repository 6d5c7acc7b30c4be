import { type Sql, sql } from '../../db/sql.ts';
import type { Visibility } from '../../domain/workflow.ts';
import type { Principal } from '../../domain/principal.ts';

/**
 * How a caller reads reports. Each reader is its own projection: what rows it may see (a SQL
 * condition, never a filter after fetching) and which timeline events and attachments.
 */
export type ReaderKind = 'public' | 'reporter' | 'staff' | 'overseer' | 'national';

const VISIBLE_TO: Record<ReaderKind, readonly Visibility[]> = {
  public: ['public'],
  reporter: ['public', 'reporter'],
  staff: ['public', 'reporter', 'staff'],
  overseer: ['public', 'reporter', 'staff'],
  national: ['public', 'reporter', 'staff', 'national'],
};

/**
 * The rows a principal may work on as staff (or oversee), as a condition on `r` (reports).
 * Null means "none as staff".
 */
export function staffScope(principal: Principal | null): Sql | null {
  if (!principal) return null;
  const bodyId = principal.bodyId;
  switch (principal.role) {
    case 'national_admin':
    case 'monitor':
      return sql`TRUE`;
    case 'agency_admin':
      // its own reports, and unrouted ones suggested to it (a body may verify its own, hold it for
      // completion, and see it while it waits for the reporter)
      return sql`(r.body_id = ${bodyId}::bigint OR (r.body_id IS NULL AND r.status IN ('submitted', 'on_hold') AND r.suggested_body_id = ${bodyId}::bigint))`;
    case 'unit_officer':
      return sql`r.unit_id IN (SELECT b.id FROM bodies b WHERE b.path @> ARRAY[${bodyId}::bigint])`;
    case 'ombudsman':
      // an office sees what was escalated to it; Ombudsman RI (the root) sees every office's
      return sql`(r.escalated_at IS NOT NULL AND r.ombudsman_body_id IN (SELECT b.id FROM bodies b WHERE b.path @> ARRAY[${bodyId}::bigint]))`;
    default:
      return null;
  }
}

/**
 * The rows a principal may act on as their handler: the one rule, in SQL, for every lifecycle
 * action. Narrower than reading: a reporter holds only their own reports, an overseer none, and
 * staff exactly their scope (an agency admin of another body may read a public report, never act
 * on it).
 */
export function handlerScope(principal: Principal): Sql {
  switch (principal.role) {
    case 'reporter':
      return sql`r.reporter_id = ${principal.userId}::bigint`;
    case 'national_admin':
    case 'agency_admin':
    case 'unit_officer':
      return staffScope(principal)!;
    default:
      return sql`FALSE`;
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
