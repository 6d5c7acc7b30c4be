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

/** The account behind a normalised login: an email in lower case, or a phone number in +62 form. */
export async function findUserByLogin(db: Queryable, login: string): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1) OR phone = $1 LIMIT 1`, [login]);
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

// ---- attempt counters (auth_throttle) ----

export interface WindowCount {
  /** Attempts in the window, this one included (capped a little above the limit). */
  attempts: number;
  windowStart: Date;
}

/**
 * Counts one attempt under a key in a fixed window, in one statement: the row lock of the upsert
 * makes parallel callers, in one process or several, each see the count before theirs.
 */
export async function countAttempt(db: Queryable, key: string, max: number, now: Date, windowOpenedAfter: Date): Promise<WindowCount> {
  const rows = await db.query<{ attempts: number; window_start: Date }>(
    `INSERT INTO auth_throttle AS t (key, window_start, attempts) VALUES ($1, $2::timestamptz, 1)
     ON CONFLICT (key) DO UPDATE SET
       window_start = CASE WHEN t.window_start > $3::timestamptz THEN t.window_start ELSE $2::timestamptz END,
       attempts = CASE WHEN t.window_start > $3::timestamptz THEN LEAST(t.attempts + 1, $4::int + 1) ELSE 1 END
     RETURNING attempts, window_start`,
    [key, now, windowOpenedAfter, max],
  );
  return { attempts: rows[0]!.attempts, windowStart: rows[0]!.window_start };
}

export interface AccountReservation {
  granted: boolean;
  /** Attempts since the last success, this one included when granted. */
  attempts: number;
  /** When the next attempt may be checked. */
  nextAt: Date;
}

/**
 * Reserves one password check at an account, in one statement, before the password is looked
 * at. Granted only once the account's wait has passed; then the wait before the next one grows:
 * none for the first `free` attempts, then 1, 2, 4 … seconds, at most `maxDelaySeconds`. An
 * account left alone for a window after its wait ended starts again from nothing.
 */
export async function reserveAccountAttempt(
  db: Queryable,
  key: string,
  limits: { free: number; maxDelaySeconds: number },
  now: Date,
  windowOpenedAfter: Date,
): Promise<AccountReservation> {
  const delay = (n: string) =>
    `make_interval(secs => CASE WHEN ${n} < $3::int THEN 0 ELSE LEAST(power(2, LEAST(${n} - $3::int, 30)), $4::int) END)`;
  // Fresh once the account could have been tried for a whole window and nobody did: a guesser who
  // keeps coming back as soon as the longest wait ends never gets the free attempts again.
  const fresh = 't.next_at <= $5::timestamptz';
  const attemptsAfter = `CASE WHEN ${fresh} THEN 1 ELSE t.attempts + 1 END`;
  const rows = await db.query<{ granted: boolean; attempts: number; next_at: Date }>(
    `INSERT INTO auth_throttle AS t (key, window_start, attempts, next_at, granted)
     VALUES ($1, $2::timestamptz, 1, $2::timestamptz + ${delay('1')}, true)
     ON CONFLICT (key) DO UPDATE SET
       granted = t.next_at <= $2::timestamptz,
       attempts = CASE WHEN t.next_at > $2::timestamptz THEN t.attempts ELSE ${attemptsAfter} END,
       window_start = CASE WHEN t.next_at > $2::timestamptz THEN t.window_start ELSE $2::timestamptz END,
       next_at = CASE WHEN t.next_at > $2::timestamptz THEN t.next_at ELSE $2::timestamptz + ${delay(attemptsAfter)} END
     RETURNING granted, attempts, next_at`,
    [key, now, limits.free, limits.maxDelaySeconds, windowOpenedAfter],
  );
  const row = rows[0]!;
  return { granted: row.granted, attempts: row.attempts, nextAt: row.next_at };
}

/** Gives back one counted attempt (a sign-in that turned out to be the owner's). */
export async function refundAttempt(db: Queryable, key: string): Promise<void> {
  await db.query('UPDATE auth_throttle SET attempts = GREATEST(attempts - 1, 0) WHERE key = $1', [key]);
}

export async function clearThrottle(db: Queryable, keys: string[]): Promise<void> {
  await db.query('DELETE FROM auth_throttle WHERE key = ANY($1::text[])', [keys]);
}

/**
 * Drops what no limit reads any more: counters whose window and wait are over, and codes and reset
 * tokens a day after they expired. Attackers make a row per address and per unknown login, so
 * without this the table would only grow.
 */
export async function pruneAccountSecurity(
  db: Queryable,
  now: Date,
  oldestWindowStart: Date,
): Promise<{ counters: number; codes: number; resets: number; sessions: number }> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const counters = await db.query('DELETE FROM auth_throttle WHERE window_start < $1 AND next_at < $2 RETURNING 1', [
    oldestWindowStart,
    now,
  ]);
  const codes = await db.query('DELETE FROM sign_in_codes WHERE expires_at < $1 RETURNING 1', [dayAgo]);
  const resets = await db.query('DELETE FROM password_resets WHERE expires_at < $1 RETURNING 1', [dayAgo]);
  const sessions = await db.query('DELETE FROM sessions WHERE expires_at < $1 RETURNING 1', [now]);
  return { counters: counters.length, codes: codes.length, resets: resets.length, sessions: sessions.length };
}

// ---- sessions ----

export async function deleteSessionsOf(db: Queryable, userId: number, except: Buffer | null = null): Promise<number> {
  const rows = await db.query('DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2::bytea) RETURNING 1', [
    userId,
    except,
  ]);
  return rows.length;
}

// ---- one-time sign-in codes ----

export async function insertSignInCode(
  db: Queryable,
  code: {
    challengeHash: Buffer;
    userId: number | null;
    codeHash: Buffer;
    now: Date;
    expiresAt: Date;
    sentToPhone?: string | null;
    sentToEmail?: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO sign_in_codes (challenge_hash, user_id, code_hash, created_at, expires_at, sent_to_phone, sent_to_email)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [code.challengeHash, code.userId, code.codeHash, code.now, code.expiresAt, code.sentToPhone ?? null, code.sentToEmail ?? null],
  );
}

/** Counts one guess at a live code before it is compared; null when the code is used, expired or out of guesses. */
export async function reserveCodeAttempt(
  db: Queryable,
  challengeHash: Buffer,
  maxAttempts: number,
  now: Date,
): Promise<{ id: number; user_id: number | null; code_hash: Buffer; sent_to_phone: string | null; sent_to_email: string | null } | null> {
  const rows = await db.query<{
    id: number;
    user_id: number | null;
    code_hash: Buffer;
    sent_to_phone: string | null;
    sent_to_email: string | null;
  }>(
    `UPDATE sign_in_codes SET attempts = attempts + 1
     WHERE challenge_hash = $1 AND used_at IS NULL AND expires_at > $2 AND attempts < $3
     RETURNING id, user_id, code_hash, sent_to_phone, sent_to_email`,
    [challengeHash, now, maxAttempts],
  );
  return rows[0] ?? null;
}

/** Uses a code up; false when a parallel request already did. Every other live code of the account goes with it. */
export async function consumeSignInCode(db: Queryable, id: number, userId: number, now: Date): Promise<boolean> {
  const rows = await db.query('UPDATE sign_in_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id', [id, now]);
  if (rows.length === 0) return false;
  await db.query('UPDATE sign_in_codes SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [userId, now]);
  return true;
}

// ---- password resets ----

export async function insertPasswordReset(
  db: Queryable,
  reset: { tokenHash: Buffer; userId: number; now: Date; expiresAt: Date },
): Promise<void> {
  await db.query('INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    reset.tokenHash,
    reset.userId,
    reset.now,
    reset.expiresAt,
  ]);
}

/** Uses a live reset token up (once, whatever runs in parallel) and every other one of its account. */
export async function consumePasswordReset(db: Queryable, tokenHash: Buffer, now: Date): Promise<number | null> {
  const rows = await db.query<{ user_id: number }>(
    `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
    [tokenHash, now],
  );
  const userId = rows[0]?.user_id ?? null;
  if (userId !== null) await db.query('UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [userId, now]);
  return userId;
}

// ---- account changes ----

export async function updatePassword(db: Queryable, userId: number, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

export async function updateProfile(
  db: Queryable,
  userId: number,
  changes: { name: string; email: string | null; phone: string | null },
): Promise<UserRow> {
  const rows = await db.query<UserRow>(`UPDATE users SET name = $2, email = $3, phone = $4 WHERE id = $1 RETURNING ${USER_COLUMNS}`, [
    userId,
    changes.name,
    changes.email,
    changes.phone,
  ]);
  return rows[0]!;
}

export async function setDisabled(db: Queryable, userId: number, disabledAt: Date | null): Promise<UserRow> {
  const rows = await db.query<UserRow>(
    `UPDATE users SET disabled_at = CASE WHEN $2::timestamptz IS NULL THEN NULL ELSE COALESCE(disabled_at, $2::timestamptz) END
     WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [userId, disabledAt],
  );
  return rows[0]!;
}

export const ACCOUNT_ACTIONS = [
  'created',
  'role_changed',
  'disabled',
  'enabled',
  'password_changed',
  'password_reset',
  'signed_out_everywhere',
  'profile_changed',
  'phone_verified',
  'channel_linked',
  'channel_unlinked',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export async function insertAccountEvent(
  db: Queryable,
  event: { userId: number; actorId: number | null; action: AccountAction; at: Date; data?: Record<string, unknown> },
): Promise<void> {
  await db.query('INSERT INTO account_events (user_id, actor_id, action, at, data) VALUES ($1, $2, $3, $4, $5)', [
    event.userId,
    event.actorId,
    event.action,
    event.at,
    JSON.stringify(event.data ?? {}),
  ]);
}

export interface AccountEventRow {
  id: number;
  action: AccountAction;
  at: Date;
  actor_id: number | null;
  actor_name: string | null;
  actor_role: Role | null;
  data: Record<string, unknown>;
}

export async function listAccountEvents(db: Queryable, userId: number, limit = 200, offset = 0): Promise<AccountEventRow[]> {
  return db.query<AccountEventRow>(
    `SELECT e.id, e.action, e.at, e.actor_id, a.name AS actor_name, a.role AS actor_role, e.data
       FROM account_events e LEFT JOIN users a ON a.id = e.actor_id
      WHERE e.user_id = $1 ORDER BY e.id DESC LIMIT $2 OFFSET $3`,
    [userId, limit, offset],
  );
}

export async function countAccountEvents(db: Queryable, userId: number): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM account_events WHERE user_id = $1', [userId]);
  return rows[0]!.n;
}

export async function updatePlacement(db: Queryable, userId: number, role: Role, bodyId: number | null): Promise<void> {
  await db.query('UPDATE users SET role = $2, body_id = $3 WHERE id = $1', [userId, role, bodyId]);
}

/** Locks an account's row for a change decided from what it is now. */
export async function lockUser(db: Queryable, userId: number): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [userId]);
  return rows[0] ?? null;
}

// ---- the admin's view ----

export interface AdminUserRow extends UserRow {
  created_at: Date;
  body_name: string | null;
}

/**
 * The accounts an admin may manage: every account for a national admin (scopeBodyId null), or
 * the staff accounts of a body and every unit below it.
 */
function scopeCondition(param: string): string {
  return `(${param}::bigint IS NULL OR EXISTS (SELECT 1 FROM bodies sb WHERE sb.id = u.body_id AND sb.path @> ARRAY[${param}::bigint]))`;
}

export async function listUsers(
  db: Queryable,
  filter: {
    scopeBodyId: number | null;
    q: string | null;
    role: Role | null;
    status: 'active' | 'disabled' | null;
    limit: number;
    offset: number;
  },
): Promise<{ rows: AdminUserRow[]; total: number }> {
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
  const where = `${scopeCondition('$1')}
      AND ($2::text IS NULL OR u.name ILIKE $2 OR u.email ILIKE $2 OR u.phone LIKE $2)
      AND ($3::text IS NULL OR u.role = $3)
      AND ($4::text IS NULL OR ($4 = 'disabled') = (u.disabled_at IS NOT NULL))`;
  const params = [filter.scopeBodyId, pattern, filter.role, filter.status];
  const rows = await db.query<AdminUserRow>(
    `SELECT u.id, u.role, u.name, u.email, u.phone, u.password_hash, u.body_id, u.disabled_at, u.created_at, b.name AS body_name
       FROM users u LEFT JOIN bodies b ON b.id = u.body_id
      WHERE ${where}
      ORDER BY u.created_at DESC, u.id DESC
      LIMIT $5 OFFSET $6`,
    [...params, filter.limit, filter.offset],
  );
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u WHERE ${where}`, params);
  return { rows, total: count!.n };
}

/** The account, when it is in the admin's scope (see listUsers). */
export async function findUserInScope(db: Queryable, userId: number, scopeBodyId: number | null): Promise<AdminUserRow | null> {
  const rows = await db.query<AdminUserRow>(
    `SELECT u.id, u.role, u.name, u.email, u.phone, u.password_hash, u.body_id, u.disabled_at, u.created_at, b.name AS body_name
       FROM users u LEFT JOIN bodies b ON b.id = u.body_id
      WHERE u.id = $2 AND ${scopeCondition('$1')}`,
    [scopeBodyId, userId],
  );
  return rows[0] ?? null;
}

export async function bodyExists(db: Queryable, bodyId: number): Promise<{ kind: string; active: boolean } | null> {
  const rows = await db.query<{ kind: string; active: boolean }>('SELECT kind, active FROM bodies WHERE id = $1', [bodyId]);
  return rows[0] ?? null;
}

export async function isBodyWithin(db: Queryable, bodyId: number, ancestorId: number): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM bodies WHERE id = $1 AND path @> ARRAY[$2]::bigint[]', [bodyId, ancestorId]);
  return rows.length > 0;
}

export async function bodyNames(db: Queryable, ids: number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return [];
  return db.query<{ id: number; name: string }>('SELECT id, name FROM bodies WHERE id = ANY($1::bigint[])', [ids]);
}

// ---- channel identities (issue 11 §1) ----

export interface ChannelIdentityRow {
  id: number;
  channel: string;
  handle: string;
  created_at: Date;
}

export function selectChannelIdentities(db: Queryable, userId: number): Promise<ChannelIdentityRow[]> {
  return db.query<ChannelIdentityRow>('SELECT id, channel, handle, created_at FROM channel_identities WHERE user_id = $1 ORDER BY id', [
    userId,
  ]);
}

export async function deleteChannelIdentity(db: Queryable, userId: number, id: number): Promise<ChannelIdentityRow | null> {
  const rows = await db.query<ChannelIdentityRow>(
    'DELETE FROM channel_identities WHERE id = $1 AND user_id = $2 RETURNING id, channel, handle, created_at',
    [id, userId],
  );
  return rows[0] ?? null;
}

/** Marks the account's phone verified (a code sent to it by SMS was used). */
export async function verifyPhone(db: Queryable, userId: number, phone: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE users SET phone_verified_at = $3 WHERE id = $1 AND phone = $2 AND phone_verified_at IS NULL AND role = 'reporter' RETURNING id`,
    [userId, phone, now],
  );
  return rows.length > 0;
}

/**
 * Makes a reporter account the one a channel handle (an SMS number, an email address) is, once
 * the account proved it holds it: the handle's identity moves here, and a password-less reporter
 * that the handle's messages made before — with its reports — becomes this account (disabled, its
 * reports and identities moved). Returns whether the identity is new here, and the merged account.
 */
export async function claimChannelIdentity(
  db: Queryable,
  userId: number,
  channel: 'sms' | 'email',
  handle: string,
  now: Date,
): Promise<{ linked: boolean; mergedFrom: number | null }> {
  const [me] = await db.query<{ role: string }>('SELECT role FROM users WHERE id = $1', [userId]);
  if (me?.role !== 'reporter') return { linked: false, mergedFrom: null };
  const [holder] = await db.query<{ user_id: number; channel_born: boolean }>(
    `SELECT ci.user_id, (u.password_hash IS NULL AND u.role = 'reporter') AS channel_born
       FROM channel_identities ci JOIN users u ON u.id = ci.user_id
      WHERE ci.channel = $1 AND ci.handle = $2`,
    [channel, handle],
  );
  if (!holder) {
    await db.query('INSERT INTO channel_identities (user_id, channel, handle, created_at) VALUES ($1, $2, $3, $4)', [
      userId,
      channel,
      handle,
      now,
    ]);
    return { linked: true, mergedFrom: null };
  }
  if (holder.user_id === userId || !holder.channel_born) return { linked: false, mergedFrom: null };
  const from = holder.user_id;
  await db.query('UPDATE reports SET reporter_id = $1 WHERE reporter_id = $2', [userId, from]);
  await db.query('UPDATE channel_identities SET user_id = $1 WHERE user_id = $2', [userId, from]);
  await db.query('UPDATE inbound_messages SET user_id = $1 WHERE user_id = $2', [userId, from]);
  await db.query('UPDATE users SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1', [from, now]);
  await db.query('DELETE FROM sessions WHERE user_id = $1', [from]);
  return { linked: true, mergedFrom: from };
}
