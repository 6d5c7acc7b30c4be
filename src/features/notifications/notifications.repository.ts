import type { Queryable } from '../../db/db.ts';
import type { OutboxChannel } from './outbox.ts';

// ---- the outbox, as the dispatcher sees it ----

export interface OutboxRow {
  id: number;
  channel: OutboxChannel;
  recipient_user_id: number | null;
  recipient_address: string | null;
  template: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  available_at: Date;
  locked_until: Date | null;
}

const OUTBOX_COLUMNS =
  'id, channel, recipient_user_id, recipient_address, template, payload, idempotency_key, status, attempts, available_at, locked_until';

/**
 * Locks the due rows of the given channels for the caller's transaction: pending rows whose time
 * has come, and rows left 'sending' by a sender whose lease has run out (it crashed or hung).
 * SKIP LOCKED lets several dispatchers claim side by side, each getting different rows.
 * A claimed row's available_at is never in the future, so both cases use the pending index.
 */
export async function lockDueOutbox(
  tx: Queryable,
  channels: OutboxChannel[],
  now: Date,
  limit: number,
  /** Chat rows only for these platforms (the configured ones); the others wait. */
  chatPlatforms: readonly string[] = [],
): Promise<OutboxRow[]> {
  return tx.query<OutboxRow>(
    `SELECT ${OUTBOX_COLUMNS} FROM outbox
     WHERE status IN ('pending', 'sending') AND available_at <= $2
       AND (status = 'pending' OR locked_until < $2)
       AND channel = ANY($1::text[])
       AND (channel <> 'chat' OR payload->'chat'->>'platform' = ANY($4::text[]))
     ORDER BY available_at, id
     LIMIT $3
     FOR UPDATE SKIP LOCKED`,
    [channels, now, limit, chatPlatforms],
  );
}

/** Takes a lease on locked rows: 'sending' until lockedUntil, one more attempt counted. */
export async function leaseOutbox(tx: Queryable, ids: number[], lockedUntil: Date): Promise<{ id: number; attempts: number }[]> {
  if (ids.length === 0) return [];
  return tx.query<{ id: number; attempts: number }>(
    `UPDATE outbox SET status = 'sending', attempts = attempts + 1, locked_until = $2
     WHERE id = ANY($1::bigint[]) RETURNING id, attempts`,
    [ids, lockedUntil],
  );
}

/**
 * Extends the lease of a row this sender still holds. The attempt number is the fencing token:
 * once another sender has taken the row over (after the lease ran out), it no longer matches.
 */
export async function renewOutboxLease(db: Queryable, id: number, attempt: number, lockedUntil: Date): Promise<boolean> {
  const rows = await db.query(`UPDATE outbox SET locked_until = $3 WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id`, [
    id,
    attempt,
    lockedUntil,
  ]);
  return rows.length > 0;
}

/** Marks a sent row; its payload loses `secret` (a sign-in code, a reset token), which is needed no more. */
export async function markOutboxSent(
  db: Queryable,
  id: number,
  attempt: number,
  externalId: string,
  now: Date,
  /** What the send learned: the SMS segments it took, the Message-ID an email went out with. */
  sent: { segments?: number | null; messageId?: string | null } = {},
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE outbox SET status = 'sent', sent_at = $4, external_id = $3, locked_until = NULL, last_error = NULL,
       payload = payload - 'secret', segments = COALESCE($5::smallint, segments), message_id = COALESCE($6, message_id)
     WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id`,
    [id, attempt, externalId, now, sent.segments ?? null, sent.messageId ?? null],
  );
  return rows.length > 0;
}

/** Back to 'pending' for another try at availableAt, keeping the error that caused it. */
export async function rescheduleOutbox(db: Queryable, id: number, attempt: number, availableAt: Date, error: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE outbox SET status = 'pending', available_at = $3, locked_until = NULL, last_error = $4
     WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id`,
    [id, attempt, availableAt, error],
  );
  return rows.length > 0;
}

/**
 * Gives up on rows: 'failed' with the reason, and without their payload's `secret`. attempt null:
 * whatever state the locked row is in.
 */
export async function failOutbox(db: Queryable, ids: number[], error: string, attempt: number | null = null): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.query(
    `UPDATE outbox SET status = 'failed', locked_until = NULL, last_error = $2, payload = payload - 'secret'
     WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'sending') AND ($3::int IS NULL OR attempts = $3::int)
     RETURNING id`,
    [ids, error, attempt],
  );
  return rows.length;
}

// ---- in-app notifications ----

export interface NewNotification {
  outboxId: number;
  userId: number;
  template: string;
  title: string;
  body: string;
  trackingId: string | null;
}

/**
 * Delivers in-app messages and marks their outbox rows sent, in the caller's transaction. A row
 * delivered before (re-queued by hand, say) keeps its one notification: ON CONFLICT (outbox_id).
 */
export async function deliverInApp(tx: Queryable, items: NewNotification[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  await tx.query(
    `INSERT INTO notifications (outbox_id, user_id, template, title, body, tracking_id, created_at)
     SELECT o, u, tpl, ti, bo, tr, $7
     FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(o, u, tpl, ti, bo, tr)
     ON CONFLICT (outbox_id) DO NOTHING`,
    [
      items.map((i) => i.outboxId),
      items.map((i) => i.userId),
      items.map((i) => i.template),
      items.map((i) => i.title),
      items.map((i) => i.body),
      items.map((i) => i.trackingId),
      now,
    ],
  );
  const sent = await tx.query(
    `UPDATE outbox o SET status = 'sent', attempts = o.attempts + 1, sent_at = $2, external_id = n.id::text,
       locked_until = NULL, last_error = NULL
     FROM notifications n
     WHERE n.outbox_id = o.id AND o.id = ANY($1::bigint[])
     RETURNING o.id`,
    [items.map((i) => i.outboxId), now],
  );
  return sent.length;
}

export interface NotificationRow {
  id: number;
  template: string;
  title: string;
  body: string;
  tracking_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

const NOTIFICATION_COLUMNS = 'id, template, title, body, tracking_id, created_at, read_at';

/** One user's notifications, newest first. The user is a condition of the query, never a filter after it. */
export async function selectNotifications(
  db: Queryable,
  userId: number,
  options: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ rows: NotificationRow[]; total: number; unread: number }> {
  const rows = await db.query<NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
     WHERE user_id = $1 AND ($2::boolean = false OR read_at IS NULL)
     ORDER BY id DESC LIMIT $3 OFFSET $4`,
    [userId, options.unreadOnly, options.limit, options.offset],
  );
  const counts = await db.query<{ total: number; unread: number }>(
    `SELECT count(*) FILTER (WHERE $2::boolean = false OR read_at IS NULL) AS total,
            count(*) FILTER (WHERE read_at IS NULL) AS unread
     FROM notifications WHERE user_id = $1`,
    [userId, options.unreadOnly],
  );
  return { rows, total: counts[0]?.total ?? 0, unread: counts[0]?.unread ?? 0 };
}

/** Marks one of the user's notifications read (the first reading counts); null when it is not theirs. */
export async function markNotificationRead(db: Queryable, userId: number, id: number, now: Date): Promise<NotificationRow | null> {
  const rows = await db.query<NotificationRow>(
    `UPDATE notifications SET read_at = COALESCE(read_at, $3)
     WHERE id = $1 AND user_id = $2 RETURNING ${NOTIFICATION_COLUMNS}`,
    [id, userId, now],
  );
  return rows[0] ?? null;
}

export async function markAllNotificationsRead(db: Queryable, userId: number, now: Date): Promise<number> {
  const rows = await db.query<{ count: number }>(
    `WITH marked AS (UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL RETURNING 1)
     SELECT count(*) AS count FROM marked`,
    [userId, now],
  );
  return rows[0]?.count ?? 0;
}

// ---- a user's email choices ----

export async function selectEmailOptOut(db: Queryable, userId: number): Promise<string[]> {
  const rows = await db.query<{ email_opt_out: string[] }>('SELECT email_opt_out FROM users WHERE id = $1', [userId]);
  return rows[0]?.email_opt_out ?? [];
}

export async function updateEmailOptOut(db: Queryable, userId: number, groups: string[]): Promise<string[]> {
  const rows = await db.query<{ email_opt_out: string[] }>(
    'UPDATE users SET email_opt_out = $2::text[] WHERE id = $1 RETURNING email_opt_out',
    [userId, groups],
  );
  return rows[0]?.email_opt_out ?? [];
}
