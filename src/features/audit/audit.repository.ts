import type { Queryable } from '../../db/db.ts';

export interface IdentityAccessRow {
  id: number;
  at: Date;
  reason: string;
  admin_id: number;
  admin_name: string;
  tracking_id: string;
}

export interface IdentityAccessFilter {
  trackingId?: string;
  adminId?: number;
  /** At or after this instant. */
  from?: Date;
  /** Before this instant. */
  before?: Date;
  limit: number;
  offset: number;
}

/** The identity-access log, newest first, with the admin's name and the report's tracking ID. */
export async function selectIdentityAccess(
  db: Queryable,
  filter: IdentityAccessFilter,
): Promise<{ rows: IdentityAccessRow[]; total: number }> {
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.trackingId !== undefined) where.push(`r.tracking_id = ${param(filter.trackingId)}`);
  if (filter.adminId !== undefined) where.push(`l.user_id = ${param(filter.adminId)}::bigint`);
  if (filter.from !== undefined) where.push(`l.at >= ${param(filter.from)}::timestamptz`);
  if (filter.before !== undefined) where.push(`l.at < ${param(filter.before)}::timestamptz`);
  const from = `FROM identity_access_log l
       JOIN users u ON u.id = l.user_id
       JOIN reports r ON r.id = l.report_id
      WHERE ${where.length > 0 ? where.join(' AND ') : 'TRUE'}`;
  const filterParams = [...params];
  const rows = await db.query<IdentityAccessRow>(
    `SELECT l.id, l.at, l.reason, l.user_id AS admin_id, u.name AS admin_name, r.tracking_id
       ${from}
      ORDER BY l.at DESC, l.id DESC
      LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
    params,
  );
  const total = await db.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, filterParams);
  return { rows, total: total[0]!.total };
}
