import { AppError } from '../../errors.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import * as repository from './audit.repository.ts';

/** Who may read the identity-access log: the national admins whose looks it records, and monitors. */
export const AUDIT_READERS = ['national_admin', 'monitor'] as const;

export interface IdentityAccessQuery {
  trackingId?: string;
  adminId?: number;
  from?: Date;
  before?: Date;
  page: number;
  perPage: number;
}

export interface IdentityAccessEntry {
  id: number;
  at: string;
  admin: { id: number; name: string };
  report: { trackingId: string };
  reason: string;
}

/** Every look a national admin took at the identity behind a report, newest first. */
export async function listIdentityAccess(deps: AppDeps, principal: Principal, query: IdentityAccessQuery) {
  if (!(AUDIT_READERS as readonly string[]).includes(principal.role)) {
    throw new AppError('forbidden', 'Hanya admin nasional dan pemantau / National admins and monitors only');
  }
  const { rows, total } = await repository.selectIdentityAccess(deps.db, {
    trackingId: query.trackingId,
    adminId: query.adminId,
    from: query.from,
    before: query.before,
    limit: query.perPage,
    offset: (query.page - 1) * query.perPage,
  });
  const items: IdentityAccessEntry[] = rows.map((row) => ({
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    admin: { id: Number(row.admin_id), name: row.admin_name },
    report: { trackingId: row.tracking_id },
    reason: row.reason,
  }));
  return { items, total, page: query.page, perPage: query.perPage };
}
