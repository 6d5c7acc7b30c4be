import type { Db } from '../../db/db.ts';
import { type EmailTransport, messageIdFor } from './email.ts';
import {
  deliverInApp,
  failOutbox,
  leaseOutbox,
  lockDueOutbox,
  markOutboxSent,
  type NewNotification,
  type OutboxRow,
  renewOutboxLease,
  rescheduleOutbox,
} from './notifications.repository.ts';
import { chatAddressOf } from './lifecycle.ts';
import type { ChatTransport, OutboxChannel, SmsTransport, WebhookTransport } from './outbox.ts';
import { renderChat, renderMessage, renderSms } from './templates.ts';

export interface DispatchDeps {
  db: Db;
  now: () => Date;
  /** null: no SMTP server is configured, and email delivery is switched off. */
  email: EmailTransport | null;
  /** null or absent: SMS is off (no gateway configured), and SMS rows wait in the outbox until it is on. */
  sms?: SmsTransport | null;
  /** null or absent: X, WhatsApp and Telegram are all off; chat rows of a platform that is off wait for it. */
  chat?: ChatTransport | null;
  /** null or absent: webhook rows wait in the outbox (a process without the integration sender). */
  webhook?: WebhookTransport | null;
}

export interface DispatchResult {
  delivered: number;
  failed: number;
  retried: number;
}

/** After this many attempts a message is given up ('failed'), its last error kept. */
export const MAX_ATTEMPTS = 8;
/**
 * How long a claimed row belongs to its sender. Sends must end well inside it (the SMTP transport
 * gives up after 40 s); the lease is renewed before each send, so a long batch keeps its rows.
 */
export const LEASE_MS = 60_000;
const FIRST_RETRY_MS = 60_000;
// An SMS reply is awaited on the phone: a gateway restart is retried within seconds (5, 10, 20 … s).
const FIRST_SMS_RETRY_MS = 5_000;
const LONGEST_RETRY_MS = 60 * 60_000;

export const SMTP_NOT_CONFIGURED = 'smtp not configured';

// The channels this dispatcher delivers: SMS once a gateway is configured, chat once a platform
// is, webhooks once their sender is given.
function channelsOf(deps: DispatchDeps): OutboxChannel[] {
  const channels: OutboxChannel[] = ['in_app', 'email'];
  if (deps.sms) channels.push('sms');
  if (deps.chat && deps.chat.platforms.length > 0) channels.push('chat');
  if (deps.webhook) channels.push('webhook');
  return channels;
}

/** SMS and chat messages are awaited on a phone; they are sent several at a time and retried within seconds. */
const isConversational = (channel: OutboxChannel) => channel === 'sms' || channel === 'chat';

/**
 * The wait before the next try after a failed attempt: 1, 2, 4 … minutes, at most an hour. Eight
 * attempts span about two hours, long enough to ride out a mail server restart or a short outage.
 * SMS and chat start at 5 seconds: a gateway or platform that hiccups is tried again at once.
 */
export function retryDelayMs(attempt: number, channel: OutboxChannel = 'email'): number {
  return Math.min((isConversational(channel) ? FIRST_SMS_RETRY_MS : FIRST_RETRY_MS) * 2 ** Math.max(0, attempt - 1), LONGEST_RETRY_MS);
}

/**
 * Delivers the outbox rows that are due, one batch.
 *
 * A short transaction claims the rows with FOR UPDATE SKIP LOCKED; in-app rows are delivered right
 * there (a notification row is just another insert), and email rows get a lease ('sending' until
 * now + LEASE_MS, one more attempt counted). The emails are then sent outside any transaction: a
 * transaction held open across the network would hold row locks on a server and, on the embedded
 * database (one session), stop every other query. Each result is recorded only while the lease is
 * still this sender's; the attempt number fences off a sender whose lease ran out.
 *
 * Delivery is at least once: a sender that dies after the mail server accepted a message, but before
 * recording it, leaves a row that is sent again when its lease expires — with the same Message-ID.
 */
export async function dispatchOutbox(deps: DispatchDeps, options: { batchSize?: number } = {}): Promise<DispatchResult> {
  const batchSize = options.batchSize ?? 50;
  const result: DispatchResult = { delivered: 0, failed: 0, retried: 0 };

  const leased = await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const rows = await lockDueOutbox(tx, channelsOf(deps), now, batchSize, deps.chat?.platforms ?? []);
    const inApp: NewNotification[] = [];
    const toSend: OutboxRow[] = [];
    const failures = new Map<string, number[]>();
    const fail = (row: OutboxRow, reason: string) => failures.set(reason, [...(failures.get(reason) ?? []), row.id]);

    for (const row of rows) {
      if (row.channel === 'in_app') {
        if (row.recipient_user_id === null) {
          fail(row, 'in-app message without a recipient user');
          continue;
        }
        const { title, body } = renderMessage(row.template, row.payload);
        const trackingId = typeof row.payload?.trackingId === 'string' ? row.payload.trackingId : null;
        inApp.push({ outboxId: row.id, userId: row.recipient_user_id, template: row.template, title, body, trackingId });
      } else if (row.channel === 'email' && !deps.email) {
        fail(row, SMTP_NOT_CONFIGURED);
      } else if (row.channel === 'chat' && !chatAddressOf(row.payload?.chat)) {
        fail(row, 'chat message without a platform and chat id in its payload');
      } else if (!row.recipient_address) {
        fail(row, `${row.channel} message without a recipient address`);
      } else if (row.attempts >= MAX_ATTEMPTS) {
        // Its sender stopped during the last attempt; whether that one arrived is unknown.
        fail(row, `no result after ${row.attempts} attempts (the sender stopped before recording the last one)`);
      } else {
        toSend.push(row);
      }
    }

    result.delivered += await deliverInApp(tx, inApp, now);
    for (const [reason, ids] of failures) result.failed += await failOutbox(tx, ids, reason);
    const leases = await leaseOutbox(
      tx,
      toSend.map((r) => r.id),
      new Date(now.getTime() + LEASE_MS),
    );
    const attemptOf = new Map(leases.map((l) => [l.id, l.attempts]));
    return toSend.map((row) => ({ row, attempt: attemptOf.get(row.id)! }));
  });

  const leasedAt = Date.now();
  const count = (outcome: keyof DispatchResult | 'skipped') => {
    if (outcome !== 'skipped') result[outcome] += 1;
  };
  // SMS and chat messages go out several at a time (a gateway takes thousands a second; one at a
  // time, the round trips would cap a burst of replies well below the rate citizens send). Email
  // stays one at a time, as SMTP servers prefer.
  const quick = leased.filter((l) => isConversational(l.row.channel));
  let next = 0;
  const worker = async () => {
    while (next < quick.length) {
      const { row, attempt } = quick[next++]!;
      count(await (row.channel === 'sms' ? sendSms(deps, row, attempt, leasedAt) : sendChat(deps, row, attempt, leasedAt)));
    }
  };
  const quickDone = Promise.all(Array.from({ length: Math.min(SMS_CONCURRENCY, quick.length) }, worker));
  // Webhooks go to many receivers, some slow: several apps at a time, so one slow app does not
  // hold up the others, but each app's one at a time and in order, so its server is not flooded
  // and a report's events arrive as they happened (a retry can still overtake: apps order by event id).
  const byApp = new Map<number | null, typeof leased>();
  for (const l of leased) {
    if (l.row.channel === 'webhook') byApp.set(l.row.recipient_user_id, [...(byApp.get(l.row.recipient_user_id) ?? []), l]);
  }
  const apps = [...byApp.values()];
  let nextApp = 0;
  const hookWorker = async () => {
    while (nextApp < apps.length) {
      for (const { row, attempt } of apps[nextApp++]!) count(await sendWebhook(deps, row, attempt));
    }
  };
  const hooksDone = Promise.all(Array.from({ length: Math.min(WEBHOOK_CONCURRENCY, apps.length) }, hookWorker));
  for (const { row, attempt } of leased) {
    if (row.channel === 'email') count(await sendEmail(deps, row, attempt));
  }
  await quickDone;
  await hooksDone;
  return result;
}

/** SMS handed to the gateway at once by one dispatcher run. */
export const SMS_CONCURRENCY = 16;
/** Apps whose webhooks one dispatcher run delivers at once (each app's one after the other). */
export const WEBHOOK_CONCURRENCY = 8;

async function sendWebhook(deps: DispatchDeps, row: OutboxRow, attempt: number): Promise<keyof DispatchResult | 'skipped'> {
  // A delivery may wait for a slow receiver: the lease is renewed before each one, as for email.
  if (!(await renewOutboxLease(deps.db, row.id, attempt, new Date(deps.now().getTime() + LEASE_MS)))) return 'skipped';
  try {
    const sent = await deps.webhook!.send({
      outboxId: row.id,
      attempt,
      integratorId: row.recipient_user_id!,
      url: row.recipient_address!,
      payload: row.payload,
    });
    await markOutboxSent(deps.db, row.id, attempt, sent.id, deps.now());
    return 'delivered';
  } catch (err) {
    if ((err as { permanent?: unknown }).permanent === true) {
      return (await failOutbox(deps.db, [row.id], describeError(err, attempt), attempt)) > 0 ? 'failed' : 'skipped';
    }
    return retryOrFail(deps, row, attempt, err);
  }
}

async function sendEmail(deps: DispatchDeps, row: OutboxRow, attempt: number): Promise<keyof DispatchResult | 'skipped'> {
  const email = deps.email!;
  // Earlier sends in the batch may have used up part of the lease: extend it, or learn that the
  // row was taken over by another sender, and leave it to that one.
  if (!(await renewOutboxLease(deps.db, row.id, attempt, new Date(deps.now().getTime() + LEASE_MS)))) return 'skipped';

  const { title, body } = renderMessage(row.template, row.payload);
  const messageId = messageIdFor(row.idempotency_key, email.messageIdDomain ?? 'lapor.invalid');
  const thread = await emailThread(deps, row);
  try {
    const sent = await email.send({
      to: row.recipient_address!,
      subject: thread?.subject ? `Re: ${thread.subject.replace(/^(re|balas):\s*/i, '')} - ${title}`.slice(0, 250) : title,
      text: thread
        ? // A report that came by email is answered by email: a reply onto this message reaches it.
          `${body}\n\n--\nBalas email ini untuk menambahkan keterangan pada laporan Anda.\n` +
          `Reply to this email to add to your report.\n`
        : `${body}\n\n--\nPesan ini dikirim otomatis oleh SP4N-LAPOR!; mohon tidak membalas email ini.\n` +
          `This message was sent automatically by SP4N-LAPOR!; please do not reply to it.\n`,
      messageId,
      ...(thread?.inReplyTo ? { inReplyTo: thread.inReplyTo, references: [thread.inReplyTo] } : {}),
    });
    // false: the lease ran out mid-send and another sender owns the row now. The message did go
    // out, and that sender's copy will carry the same Message-ID.
    await markOutboxSent(deps.db, row.id, attempt, sent.id, deps.now(), { messageId });
    return 'delivered';
  } catch (err) {
    return retryOrFail(deps, row, attempt, err);
  }
}

/**
 * The thread an email belongs in: a message about a report that came by email answers that
 * email (In-Reply-To, References, "Re:" its subject); a channel's direct reply names its own.
 */
async function emailThread(deps: DispatchDeps, row: OutboxRow): Promise<{ inReplyTo: string | null; subject: string | null } | null> {
  const p = row.payload ?? {};
  if (typeof p.inReplyTo === 'string') return { inReplyTo: p.inReplyTo, subject: null };
  if (typeof p.trackingId !== 'string') return null;
  const [r] = await deps.db.query<{ message_id: string | null; subject: string | null }>(
    `SELECT channel_message->>'messageId' AS message_id, channel_message->>'subject' AS subject
       FROM reports WHERE tracking_id = $1 AND channel = 'email'`,
    [p.trackingId],
  );
  if (!r) return null;
  return { inReplyTo: r.message_id?.startsWith('<') ? r.message_id : null, subject: r.subject };
}

async function sendSms(deps: DispatchDeps, row: OutboxRow, attempt: number, leasedAt: number): Promise<keyof DispatchResult | 'skipped'> {
  // A send takes milliseconds: the lease is renewed only once half of it is gone.
  if (
    Date.now() - leasedAt > LEASE_MS / 2 &&
    !(await renewOutboxLease(deps.db, row.id, attempt, new Date(deps.now().getTime() + LEASE_MS)))
  ) {
    return 'skipped';
  }
  const text = renderSms(row.template, row.payload);
  try {
    const sent = await deps.sms!.send({ outboxId: row.id, attempt, to: row.recipient_address!, text });
    await markOutboxSent(deps.db, row.id, attempt, sent.id, deps.now(), { segments: sent.segments });
    return 'delivered';
  } catch (err) {
    return retryOrFail(deps, row, attempt, err);
  }
}

async function sendChat(deps: DispatchDeps, row: OutboxRow, attempt: number, leasedAt: number): Promise<keyof DispatchResult | 'skipped'> {
  if (
    Date.now() - leasedAt > LEASE_MS / 2 &&
    !(await renewOutboxLease(deps.db, row.id, attempt, new Date(deps.now().getTime() + LEASE_MS)))
  ) {
    return 'skipped';
  }
  const to = chatAddressOf(row.payload.chat)!;
  const text = renderChat(row.template, row.payload, to.platform);
  try {
    const sent = await deps.chat!.send({ outboxId: row.id, attempt, to, text });
    await markOutboxSent(deps.db, row.id, attempt, sent.id, deps.now());
    return 'delivered';
  } catch (err) {
    return retryOrFail(deps, row, attempt, err);
  }
}

async function retryOrFail(deps: DispatchDeps, row: OutboxRow, attempt: number, err: unknown): Promise<keyof DispatchResult | 'skipped'> {
  const error = describeError(err, attempt);
  // A chat platform said no for good (the user blocked the bot, the chat does not exist): another
  // try changes nothing. Email keeps its retries whatever nodemailer calls permanent (issue 6).
  const refusedForGood = row.channel === 'chat' && (err as { permanent?: unknown })?.permanent === true;
  if (attempt >= MAX_ATTEMPTS || refusedForGood) {
    return (await failOutbox(deps.db, [row.id], error, attempt)) > 0 ? 'failed' : 'skipped';
  }
  const retryAt = new Date(deps.now().getTime() + retryDelayMs(attempt, row.channel));
  return (await rescheduleOutbox(deps.db, row.id, attempt, retryAt, error)) ? 'retried' : 'skipped';
}

function describeError(err: unknown, attempt: number): string {
  const e = err as { message?: unknown; code?: unknown; responseCode?: unknown };
  const parts = [`attempt ${attempt}:`];
  if (typeof e?.code === 'string') parts.push(e.code);
  if (typeof e?.responseCode === 'number') parts.push(String(e.responseCode));
  parts.push(typeof e?.message === 'string' ? e.message : String(err));
  return parts.join(' ').slice(0, 1000);
}
