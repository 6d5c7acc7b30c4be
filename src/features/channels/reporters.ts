import type { Queryable } from '../../db/db.ts';
import type { Principal } from '../../domain/principal.ts';

/**
 * A channel's sender as a reporter (issue 11 §1): the account a handle (an SMS number, an email
 * address, a chat id, an app's user, an Open311 citizen) is, through `channel_identities`. Every
 * channel makes its reporters with these three steps; what differs is only what the new account
 * holds (a proven number, an address nobody else has, a profile name) and what an identity held by
 * a disabled or staff account means to it.
 */

export type IdentityChannel = 'sms' | 'email' | 'x' | 'whatsapp' | 'telegram' | 'integration' | 'open311';

const reporter = (row: { id: number; name: string }): Principal => ({ userId: row.id, role: 'reporter', name: row.name, bodyId: null });

/** The reporter a handle is already, or null (also when its account is disabled or staff). Reads only. */
export async function knownReporter(tx: Queryable, channel: IdentityChannel, handle: string): Promise<Principal | null> {
  const [row] = await tx.query<{ id: number; name: string }>(
    `SELECT u.id, u.name FROM channel_identities ci JOIN users u ON u.id = ci.user_id
      WHERE ci.channel = $1 AND ci.handle = $2 AND u.disabled_at IS NULL AND u.role = 'reporter'`,
    [channel, handle],
  );
  return row ? reporter(row) : null;
}

/**
 * Locks the handle for the rest of the transaction — two messages from a new sender at once must
 * make one reporter — and says who holds it: the account, and whether it may still report (a
 * reporter, not disabled). Null for a handle nobody holds yet.
 */
export async function lockIdentity(
  tx: Queryable,
  channel: IdentityChannel,
  handle: string,
): Promise<{ principal: Principal; usable: boolean } | null> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`channel:${channel}:${handle}`]);
  const [row] = await tx.query<{ id: number; name: string; usable: boolean }>(
    `SELECT u.id, u.name, (u.disabled_at IS NULL AND u.role = 'reporter') AS usable
       FROM channel_identities ci JOIN users u ON u.id = ci.user_id WHERE ci.channel = $1 AND ci.handle = $2`,
    [channel, handle],
  );
  return row ? { principal: reporter(row), usable: row.usable } : null;
}

/** Makes `handle` the identity of an existing reporter account (one that proved it holds it). */
export async function linkIdentity(
  tx: Queryable,
  userId: number,
  channel: IdentityChannel,
  handle: string,
  now: Date,
  details: string | null = null,
): Promise<void> {
  await tx.query('INSERT INTO channel_identities (user_id, channel, handle, created_at, details) VALUES ($1, $2, $3, $4, $5)', [
    userId,
    channel,
    handle,
    now,
    details,
  ]);
}

/**
 * A new reporter account without a password (nobody signs in to it with one) for a handle, and
 * its identity; `handle` null: an account of its own with no identity. `account` holds only what
 * the channel proved: a number an SMS came from, an address mail came from when nobody else has it.
 */
export async function createChannelReporter(
  tx: Queryable,
  channel: IdentityChannel,
  handle: string | null,
  account: { name: string; email?: string | null; phone?: string | null; phoneVerifiedAt?: Date | null },
  now: Date,
  details: string | null = null,
): Promise<Principal> {
  const [row] = await tx.query<{ id: number; name: string }>(
    `INSERT INTO users (role, name, email, phone, phone_verified_at, password_hash, created_at)
     VALUES ('reporter', $1, $2, $3, $4, NULL, $5) RETURNING id, name`,
    [account.name, account.email ?? null, account.phone ?? null, account.phoneVerifiedAt ?? null, now],
  );
  if (handle !== null) await linkIdentity(tx, row!.id, channel, handle, now, details);
  return reporter(row!);
}
