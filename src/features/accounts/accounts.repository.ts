import type { Queryable } from '../../db/db.ts';
import type { Role } from '../../domain/roles.ts';

export interface UserRow {
  id: number;
  role: Role;
  name: string;
  email: string | null;
  phone: string | null;
  password_hash: string | null;
  body_id: number | null;
  disabled_at: Date | null;
}

const USER_COLUMNS = 'id, role, name, email, phone, password_hash, body_id, disabled_at';

export async function findUserByLogin(db: Queryable, login: string): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1) OR phone = $1 LIMIT 1`,
    [login],
  );
  return rows[0] ?? null;
}

export async function findUserById(db: Queryable, id: number): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function insertUser(
  db: Queryable,
  user: { role: Role; name: string; email: string | null; phone: string | null; passwordHash: string | null; bodyId: number | null },
): Promise<UserRow> {
  const rows = await db.query<UserRow>(
    `INSERT INTO users (role, name, email, phone, password_hash, body_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
    [user.role, user.name, user.email, user.phone, user.passwordHash, user.bodyId],
  );
  return rows[0]!;
}

export async function insertSession(
  db: Queryable,
  session: { tokenHash: Buffer; userId: number; kind: 'cookie' | 'bearer'; expiresAt: Date },
): Promise<void> {
  await db.query(`INSERT INTO sessions (token_hash, user_id, kind, expires_at) VALUES ($1, $2, $3, $4)`, [
    session.tokenHash,
    session.userId,
    session.kind,
    session.expiresAt,
  ]);
}

export interface SessionPrincipalRow {
  user_id: number;
  role: Role;
  name: string;
  body_id: number | null;
  kind: 'cookie' | 'bearer';
}

export async function findActiveSession(db: Queryable, tokenHash: Buffer, now: Date): Promise<SessionPrincipalRow | null> {
  const rows = await db.query<SessionPrincipalRow>(
    `SELECT u.id AS user_id, u.role, u.name, u.body_id, s.kind
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

export async function deleteSession(db: Queryable, tokenHash: Buffer): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

/** Failed sign-ins within the current window, per key; an expired window starts again at zero. */
export async function readThrottle(
  db: Queryable,
  key: string,
  windowStart: Date,
): Promise<{ failures: number; windowStart: Date | null }> {
  const rows = await db.query<{ failures: number; window_start: Date }>(
    'SELECT failures, window_start FROM login_throttle WHERE key = $1 AND window_start > $2',
    [key, windowStart],
  );
  return { failures: rows[0]?.failures ?? 0, windowStart: rows[0]?.window_start ?? null };
}

export async function recordFailure(db: Queryable, key: string, now: Date, windowStart: Date): Promise<void> {
  await db.query(
    `INSERT INTO login_throttle (key, window_start, failures) VALUES ($1, $2, 1)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.window_start > $3 THEN login_throttle.failures + 1 ELSE 1 END,
       window_start = CASE WHEN login_throttle.window_start > $3 THEN login_throttle.window_start ELSE $2 END`,
    [key, now, windowStart],
  );
}

export async function clearThrottle(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}

export async function bodyExists(db: Queryable, bodyId: number): Promise<{ kind: string } | null> {
  const rows = await db.query<{ kind: string }>('SELECT kind FROM bodies WHERE id = $1', [bodyId]);
  return rows[0] ?? null;
}

export async function isBodyWithin(db: Queryable, bodyId: number, ancestorId: number): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM bodies WHERE id = $1 AND path @> ARRAY[$2]::bigint[]', [bodyId, ancestorId]);
  return rows.length > 0;
}
