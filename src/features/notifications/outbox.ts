import type { Queryable } from '../../db/db.ts';

export type OutboxChannel = 'in_app' | 'email' | 'sms' | 'chat' | 'webhook';

/** One SMS as the outbox hands it to a gateway (Kannel's sendsms: features/channels/kannel.ts; Gammu's outbox table: gammu.ts). */
export interface SmsMessage {
  outboxId: number;
  attempt: number;
  to: string;
  text: string;
}

/**
 * An SMS the network reports as not delivered (failed, or rejected by the SMSC) is sent again, up
 * to this many sends in all, whichever gateway reported it.
 */
export const SMS_DELIVERY_ATTEMPTS = 3;

export interface SmsTransport {
  readonly name: string;
  /** Hands one SMS to the gateway. Resolves once the gateway accepted it; throws when it did not. */
  send(message: SmsMessage): Promise<{ id: string; segments: number }>;
}

export type ChatPlatform = 'x' | 'whatsapp' | 'telegram';
export const CHAT_PLATFORMS: readonly ChatPlatform[] = ['x', 'whatsapp', 'telegram'];

/**
 * Where a chat message goes, kept in the outbox row's payload (`payload.chat`): the platform, the
 * chat on it (an X user id, a WhatsApp wa_id, a Telegram chat id), and the message it answers
 * (the tweet a reply tweet hangs under; the message a WhatsApp or Telegram reply quotes).
 */
export interface ChatAddress {
  platform: ChatPlatform;
  chatId: string;
  replyTo?: string | null;
}

/** One chat message as the outbox hands it to its platform (features/channels/chat-senders.ts). */
export interface ChatMessage {
  outboxId: number;
  attempt: number;
  to: ChatAddress;
  text: string;
}

export interface ChatTransport {
  /** The platforms configured: rows for another wait in the outbox until it is on. */
  readonly platforms: readonly ChatPlatform[];
  /**
   * Hands one message to its platform; resolves with the platform's id for it. Throws when it was
   * not taken; an error with `permanent: true` (the user blocked the bot, the text is refused) is
   * not tried again.
   */
  send(message: ChatMessage): Promise<{ id: string }>;
}

/** One webhook delivery as the outbox hands it to its sender (features/integration/webhook-sender.ts). */
export interface WebhookMessage {
  outboxId: number;
  attempt: number;
  /** The app (integrator account) the webhook belongs to. */
  integratorId: number;
  /** The URL when the event was written; the sender posts to the app's URL as it is now. */
  url: string;
  payload: Record<string, unknown>;
}

export interface WebhookTransport {
  readonly name: string;
  /**
   * Delivers one webhook. Resolves once the receiver answered 2xx; throws otherwise. An error
   * with `permanent: true` (the webhook removed, an address refused) is not tried again.
   */
  send(message: WebhookMessage): Promise<{ id: string }>;
}

export interface OutboundMessage {
  channel: OutboxChannel;
  recipientUserId?: number | null;
  recipientAddress?: string | null;
  /** Dotted id of what is said, e.g. 'deadline.reminder'; the payload fills it in. */
  template: string;
  /**
   * What the template needs. Anything secret (a sign-in code, a password-reset token) goes under
   * `secret`, which the dispatcher removes from the row once the message is sent or given up.
   */
  payload: Record<string, unknown> & { secret?: Record<string, unknown> };
  /** The same key twice is one message: re-running whatever caused it sends nothing new. */
  idempotencyKey: string;
  availableAt: Date;
}

/**
 * Writes an outbound message in the caller's transaction, so it exists exactly when the change
 * that caused it commits. Delivery happens later, in the worker. Returns false for a duplicate key.
 */
export async function enqueue(tx: Queryable, message: OutboundMessage): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO outbox (channel, recipient_user_id, recipient_address, template, payload, idempotency_key, available_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [
      message.channel,
      message.recipientUserId ?? null,
      message.recipientAddress ?? null,
      message.template,
      JSON.stringify(message.payload),
      message.idempotencyKey,
      message.availableAt,
    ],
  );
  return rows.length > 0;
}

/**
 * The messages one user gets for one event: in-app always, email where they have an address.
 * Every path that notifies (here, and the sweep's batch insert) builds its keys this way, so the
 * same event can never reach the same person twice by two routes.
 */
export interface UserMessage {
  channel: OutboxChannel;
  recipientUserId: number;
  recipientAddress: string | null;
  idempotencyKey: string;
  /** For a chat message: where on the platform it goes (added to the row's payload). */
  chat?: ChatAddress;
}

/** The groups of messages a user may choose not to get by email (in-app ones always arrive). */
export const EMAIL_GROUPS = ['report_updates', 'deadlines', 'ombudsman'] as const;
export type EmailGroup = (typeof EMAIL_GROUPS)[number];

/** A template's group; null for security messages (sign-in codes, resets), which always go. */
export function emailGroupOf(template: string): EmailGroup | null {
  if (template.startsWith('account.')) return null;
  // a calendar change moves deadlines: its requests and decisions go with them
  if (template.startsWith('deadline.') || template.startsWith('calendar.')) return 'deadlines';
  if (template.startsWith('ombudsman.')) return 'ombudsman';
  return 'report_updates';
}

export interface Recipient {
  id: number;
  email: string | null;
  /** The groups this user does not want by email. */
  email_opt_out?: readonly string[] | null;
}

export function messagesFor(user: Recipient, key: string, template: string): UserMessage[] {
  const messages: UserMessage[] = [
    { channel: 'in_app', recipientUserId: user.id, recipientAddress: null, idempotencyKey: `${key}:in_app:${user.id}` },
  ];
  const group = emailGroupOf(template);
  const optedOut = group !== null && (user.email_opt_out ?? []).includes(group);
  if (user.email && !optedOut) {
    messages.push({ channel: 'email', recipientUserId: user.id, recipientAddress: user.email, idempotencyKey: `${key}:email:${user.id}` });
  }
  return messages;
}

/**
 * Notifies users in-app and, where they have an email address, by email: one outbox row per
 * user and channel, keyed so that the same event never notifies anyone twice.
 */
export async function notifyUsers(
  tx: Queryable,
  userIds: number[],
  message: { template: string; payload: Record<string, unknown>; key: string; at: Date },
): Promise<void> {
  if (userIds.length === 0) return;
  const users = await tx.query<Recipient>(
    'SELECT id, email, email_opt_out FROM users WHERE id = ANY($1::bigint[]) AND disabled_at IS NULL',
    [userIds],
  );
  for (const user of users) {
    for (const m of messagesFor(user, message.key, message.template)) {
      await enqueue(tx, { ...m, template: message.template, payload: message.payload, availableAt: message.at });
    }
  }
}
