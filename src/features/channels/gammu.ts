import { createHash } from 'node:crypto';
import { type Db, openDb } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { concatInfo, splitSegments } from '../../domain/sms.ts';
import { SMS_DELIVERY_ATTEMPTS, type SmsTransport } from '../notifications/outbox.ts';
import { type InboundInput, receiveInbound } from './intake.ts';

/**
 * Gammu SMSD in its SQL mode (issue 11 §3): a modem (or a phone) on the machine, and Gammu's own
 * PostgreSQL database between it and lapor (GAMMU_DATABASE_URL). Nothing calls lapor: it reads.
 *
 *   in    Gammu writes each SMS it receives into `inbox` ("Processed" = false). The poller takes
 *         those rows (FOR UPDATE SKIP LOCKED: two lapor processes never take the same one), stores
 *         and handles each through the one intake, and marks it processed in the same Gammu
 *         transaction, which commits only after lapor committed the message. A crash between the
 *         two leaves the row unprocessed: it is taken again and the intake keeps it once.
 *   out   `createGammuTransport` writes each SMS into `outbox` (a long one as its parts, the first
 *         in `outbox`, the others in `outbox_multipart`, each with its concatenation header).
 *         Gammu sends it and moves each part to `sentitems` with a status; the poller reads those
 *         back into lapor's outbox (`delivery_status`, each change in `delivery_reports`).
 */

// ---- the connection ----

export interface GammuLink {
  /** Gammu's database, connected on first use, and again after a failed attempt. Throws while it cannot be reached. */
  db(): Promise<Db>;
  close(): Promise<void>;
}

/** lapor starts whether or not Gammu's database answers: the first poll or send connects. */
export function createGammuLink(url: string): GammuLink {
  let opening: Promise<Db> | null = null;
  return {
    db() {
      opening ??= openDb({ databaseUrl: url, poolSize: 4 }).catch((err) => {
        opening = null;
        throw err;
      });
      return opening;
    },
    async close() {
      const was = opening;
      opening = null;
      const db = await was?.catch(() => null);
      await db?.close();
    },
  };
}

/** Where the log says Gammu is: host and database, never the password. */
export function describeGammuUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'GAMMU_DATABASE_URL';
  }
}

// ---- in: Gammu's inbox ----

export interface GammuInboxRow {
  id: number;
  /** "ReceivingDateTime": the network's time stamp of the message, in Gammu's local time. */
  received: string;
  sender: string;
  /** "RecipientID": the Gammu phone (PhoneID) that received it. */
  recipient: string;
  text_decoded: string;
  /** "Text": the message's own text as hex UCS-2 (its bytes as hex for 8-bit data). */
  text_hex: string;
  udh: string;
  coding: string;
  smsc: string;
  class: number;
}

/** Inbox rows taken in one Gammu transaction. */
export const INBOX_BATCH = 50;

const TEXT_CODINGS = new Set(['Default_No_Compression', 'Unicode_No_Compression']);

/**
 * The intake's message for one inbox row. Its id is the row's ID with a fingerprint of what the
 * row holds from the network (its time stamp, sender, header and text): the same row read twice
 * is the same message, and after Gammu's database is emptied and its IDs start again at 1, a new
 * message with an old ID is not mistaken for the old one.
 *
 * A long SMS arrives as one row per part, each with its header in "UDH". Gammu writes the whole
 * text into the first part's "TextDecoded" and leaves the others' empty; each part's own text is
 * in its "Text", so each part brings its own, and the SMS service joins them in order.
 */
export function inboundFromInbox(row: GammuInboxRow, receivedAt: Date): InboundInput {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([row.received, row.sender, row.udh, row.text_hex]))
    .digest('hex')
    .slice(0, 16);
  let text: string | null = TEXT_CODINGS.has(row.coding) ? row.text_decoded : row.text_decoded || null;
  const part = concatInfo(row.udh || null);
  if (part && part.total >= 2 && TEXT_CODINGS.has(row.coding)) text = decodeUcs2Hex(row.text_hex) ?? text;
  return {
    channel: 'sms',
    gateway: 'gammu',
    messageId: `${row.id}:${fingerprint}`,
    sender: row.sender || null,
    // The number it was sent to is the modem's own, which Gammu does not know; RecipientID names the phone.
    receiver: null,
    text: text === null ? null : withoutNul(text),
    raw: {
      id: row.id,
      from: row.sender,
      time: row.received,
      recipientId: row.recipient,
      smsc: row.smsc,
      coding: row.coding,
      class: row.class,
      udh: row.udh || null,
      textDecoded: withoutNul(row.text_decoded),
      text: row.text_hex,
    },
    receivedAt,
  };
}

/** Hex UCS-2 (big-endian UTF-16, as Gammu writes "Text") as a string; null when it is not that. */
export function decodeUcs2Hex(hex: string | null | undefined): string | null {
  if (!hex || hex.length % 4 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  return Buffer.from(hex, 'hex').swap16().toString('utf16le');
}

// PostgreSQL text cannot hold U+0000, and a message must never be refused for it.
const withoutNul = (s: string) => s.replaceAll('\u0000', '');

export interface InboxPollResult {
  taken: number;
  stored: number;
  duplicates: number;
  /** Rows lapor could not store: left unprocessed in Gammu's inbox for the next poll. */
  failed: number;
}

/**
 * One batch of Gammu's unprocessed inbox. The rows stay locked in Gammu's database while lapor
 * stores and handles each (each in lapor's own transactions, committed before the next); they are
 * marked processed at the end, in the same Gammu transaction.
 */
export async function pollGammuInbox(deps: AppDeps, gammu: Db, options: { limit?: number } = {}): Promise<InboxPollResult> {
  return gammu.transaction(async (tx) => {
    const rows = await tx.query<GammuInboxRow>(
      `SELECT "ID" AS id, "ReceivingDateTime"::text AS received, "SenderNumber" AS sender, "RecipientID" AS recipient,
              "TextDecoded" AS text_decoded, "Text" AS text_hex, "UDH" AS udh, "Coding" AS coding,
              "SMSCNumber" AS smsc, "Class" AS class
         FROM inbox WHERE NOT "Processed" ORDER BY "ID" LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [options.limit ?? INBOX_BATCH],
    );
    const result: InboxPollResult = { taken: rows.length, stored: 0, duplicates: 0, failed: 0 };
    const done: number[] = [];
    for (const row of rows) {
      try {
        const received = await receiveInbound(deps, inboundFromInbox(row, deps.now()));
        done.push(row.id);
        if (received.duplicate) result.duplicates += 1;
        else result.stored += 1;
        deps.logger?.info(
          {
            inboundId: received.id,
            gammuInboxId: row.id,
            duplicate: received.duplicate,
            status: received.handled?.status ?? null,
            outcome: received.handled?.outcome ?? null,
          },
          'sms received',
        );
      } catch (err) {
        result.failed += 1;
        deps.logger?.error(
          { gammuInboxId: row.id, err: { message: (err as Error).message } },
          'sms could not be stored; it stays in Gammu’s inbox for the next poll',
        );
      }
    }
    if (done.length > 0) await tx.query(`UPDATE inbox SET "Processed" = true WHERE "ID" = ANY($1::int[])`, [done]);
    return result;
  });
}

// ---- out: Gammu's outbox ----

/** Gammu's "CreatorID" on every message lapor writes (sentitems keeps it). */
export const GAMMU_CREATOR = 'lapor';
/** The most parts Gammu SMSD sends as one message (GSM_MAX_MULTI_SMS). */
export const GAMMU_MAX_PARTS = 50;

const hexBytes = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');

/**
 * The outbox row's id as lapor keeps it (`outbox.external_id`): Gammu's outbox ID, with the
 * "InsertIntoDB" Gammu copies into `sentitems`, so that a sentitems row of a later message that
 * got the same ID (Gammu's database emptied in between) is not taken for this one.
 */
export function gammuExternalId(id: number, insertedAt: string): string {
  return `gammu:${id}@${insertedAt}`;
}

export function parseGammuExternalId(externalId: string): { id: number; insertedAt: string } | null {
  const m = /^gammu:(\d+)@(.+)$/.exec(externalId);
  return m ? { id: Number(m[1]), insertedAt: m[2]! } : null;
}

/**
 * Sends by writing into Gammu's outbox, in one Gammu transaction: a message fitting one SMS is one
 * row; a longer one is cut here into parts, each with its concatenation header (the reference is
 * the lapor outbox id's low byte), the first in `outbox` with "MultiPart", the rest in
 * `outbox_multipart`. GSM-7 where the text allows it, UCS-2 otherwise. A delivery report is asked
 * for each part.
 */
export function createGammuTransport(link: GammuLink): SmsTransport {
  return {
    name: 'gammu',
    async send(message) {
      const { coding, parts } = splitSegments(message.text);
      if (parts.length > GAMMU_MAX_PARTS) throw new Error(`an SMS of ${parts.length} parts: Gammu sends at most ${GAMMU_MAX_PARTS}`);
      const gammuCoding = coding === 'ucs2' ? 'Unicode_No_Compression' : 'Default_No_Compression';
      const reference = message.outboxId % 256;
      const udh = (i: number) => (parts.length === 1 ? null : hexBytes([0x05, 0x00, 0x03, reference, parts.length, i + 1]));
      const db = await link.db();
      const row = await db.transaction(async (tx) => {
        const [first] = await tx.query<{ id: number; inserted: string }>(
          `INSERT INTO outbox ("DestinationNumber", "TextDecoded", "Coding", "UDH", "MultiPart", "CreatorID", "DeliveryReport")
           VALUES ($1, $2, $3, $4, $5, $6, 'yes') RETURNING "ID" AS id, "InsertIntoDB"::text AS inserted`,
          [message.to, parts[0], gammuCoding, udh(0), parts.length > 1, GAMMU_CREATOR],
        );
        for (let i = 1; i < parts.length; i++) {
          await tx.query(
            `INSERT INTO outbox_multipart ("ID", "SequencePosition", "TextDecoded", "Coding", "UDH") VALUES ($1, $2, $3, $4, $5)`,
            [first!.id, i + 1, parts[i], gammuCoding, udh(i)],
          );
        }
        return first!;
      });
      return { id: gammuExternalId(row.id, row.inserted), segments: parts.length };
    },
  };
}

// ---- what Gammu did: sentitems ----

export type DeliveryStatus = 'accepted' | 'buffered' | 'delivered' | 'failed' | 'rejected';

/**
 * What the outbox records for a message from the statuses of its parts in `sentitems`; null while
 * Gammu has not moved every part yet. Gammu writes SendingOK (SendingOKNoReport without a report
 * asked) once the network took a part, SendingError or Error once it gave up sending it, and
 * DeliveryOK, DeliveryFailed, DeliveryPending or DeliveryUnknown as the network's delivery
 * reports come in. The whole message is delivered when every part is, and not delivered when one
 * part is not.
 */
export function gammuDeliveryStatus(partStatuses: readonly string[], expectedParts: number): DeliveryStatus | null {
  if (partStatuses.length === 0 || partStatuses.length < expectedParts) return null;
  if (partStatuses.includes('SendingError')) return 'rejected';
  if (partStatuses.includes('Error') || partStatuses.includes('DeliveryFailed')) return 'failed';
  if (partStatuses.every((s) => s === 'DeliveryOK')) return 'delivered';
  if (partStatuses.includes('DeliveryPending')) return 'buffered';
  return 'accepted';
}

/** How long lapor keeps asking about a message Gammu has not given its final word on. */
export const GAMMU_STATUS_WINDOW_MS = 3 * 24 * 60 * 60_000;
/** lapor outbox rows asked about in one poll; more are asked about in the next ones, in turn. */
export const GAMMU_STATUS_BATCH = 500;

/** A message not delivered is sent again after this long. */
export const RESEND_AFTER_MS = 5_000;

/** Where the last status poll stopped, so that the next one goes on from there. */
export interface SentItemsCursor {
  sentAt: Date | null;
  id: number;
}

export function newSentItemsCursor(): SentItemsCursor {
  return { sentAt: null, id: 0 };
}

interface AwaitingRow {
  id: number;
  external_id: string;
  segments: number | null;
  delivery_status: DeliveryStatus | null;
  sent_at: Date;
}

interface SentItemRow {
  id: number;
  part: number;
  status: string;
  inserted: string;
  delivered: string | null;
  error: number;
}

type StatusDeps = Pick<AppDeps, 'db' | 'now' | 'logger' | 'kickOutbox'>;

/**
 * Reads back what Gammu did with the SMS lapor handed it whose fate is not known yet (no final
 * word: nothing, accepted or buffered), a batch at a time, and records each change: the outbox
 * row's `delivery_status` (with `delivered_at`), and the word in `delivery_reports`. A message the
 * network did not deliver, or that Gammu gave up sending, goes out again after RESEND_AFTER_MS, at most
 * SMS_DELIVERY_ATTEMPTS sends in all; its row then waits for the word on the new send.
 */
export async function pollGammuSentItems(
  deps: StatusDeps,
  gammu: Db,
  cursor: SentItemsCursor,
  options: { limit?: number } = {},
): Promise<{ asked: number; recorded: number; resent: number }> {
  const limit = options.limit ?? GAMMU_STATUS_BATCH;
  const now = deps.now();
  const cutoff = new Date(now.getTime() - GAMMU_STATUS_WINDOW_MS);
  const rows = await deps.db.query<AwaitingRow>(
    `SELECT id, external_id, segments, delivery_status, sent_at FROM outbox
      WHERE channel = 'sms' AND status = 'sent' AND external_id LIKE 'gammu:%'
        AND (delivery_status IS NULL OR delivery_status IN ('accepted', 'buffered'))
        AND sent_at >= $1 AND (sent_at, id) > ($2::timestamptz, $3::bigint)
      ORDER BY sent_at, id LIMIT $4`,
    [cutoff, cursor.sentAt ?? cutoff, cursor.sentAt ? cursor.id : 0, limit],
  );
  // A full batch: the next poll goes on after it; a short one: the next starts from the oldest again.
  const last = rows.at(-1);
  if (rows.length === limit && last) Object.assign(cursor, { sentAt: last.sent_at, id: last.id });
  else Object.assign(cursor, newSentItemsCursor());
  const result = { asked: rows.length, recorded: 0, resent: 0 };
  const wanted = rows.flatMap((r) => {
    const key = parseGammuExternalId(r.external_id);
    return key ? [{ row: r, key }] : [];
  });
  if (wanted.length === 0) return result;

  const items = await gammu.query<SentItemRow>(
    `SELECT "ID" AS id, "SequencePosition" AS part, "Status" AS status, "InsertIntoDB"::text AS inserted,
            "DeliveryDateTime"::text AS delivered, "StatusError" AS error
       FROM sentitems WHERE "ID" = ANY($1::int[]) AND "CreatorID" = $2 ORDER BY "ID", "SequencePosition"`,
    [[...new Set(wanted.map((w) => w.key.id))], GAMMU_CREATOR],
  );
  for (const { row, key } of wanted) {
    const parts = items.filter((i) => i.id === key.id && i.inserted === key.insertedAt);
    const expected = row.segments ?? Math.max(0, ...parts.map((p) => p.part));
    const status = gammuDeliveryStatus(
      parts.map((p) => p.status),
      expected,
    );
    if (!status || status === row.delivery_status) continue;
    const raw = { gateway: 'gammu', id: key.id, insertedAt: key.insertedAt, parts };
    // One statement: the word recorded, and the row's status with it, once however many lapor
    // processes ask (the second finds the status already changed).
    const recorded = await deps.db.query(
      `WITH upd AS (
         UPDATE outbox SET delivery_status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN $4::timestamptz ELSE delivered_at END
          WHERE id = $1 AND external_id = $3 AND status = 'sent'
            AND (delivery_status IS NULL OR delivery_status IN ('accepted', 'buffered')) AND delivery_status IS DISTINCT FROM $2
          RETURNING id
       )
       INSERT INTO delivery_reports (outbox_id, status, code, raw, received_at) SELECT id, $2, NULL, $5, $4 FROM upd RETURNING outbox_id`,
      [row.id, status, row.external_id, now, JSON.stringify(raw)],
    );
    if (recorded.length === 0) continue;
    result.recorded += 1;
    deps.logger?.info({ outboxId: row.id, gammuOutboxId: key.id, status }, 'sms delivery status from Gammu');
    if (status === 'failed' || status === 'rejected') {
      const resent = await deps.db.query(
        `UPDATE outbox SET status = 'pending', available_at = $3, last_error = $4, delivery_status = NULL
          WHERE id = $1 AND external_id = $2 AND status = 'sent' AND attempts < $5 RETURNING id`,
        [
          row.id,
          row.external_id,
          new Date(now.getTime() + RESEND_AFTER_MS),
          `gammu: ${parts.map((p) => p.status).join(', ')}`,
          SMS_DELIVERY_ATTEMPTS,
        ],
      );
      result.resent += resent.length;
    }
  }
  // The sender is asked to run once the messages are due again, not at the worker's next minute.
  if (result.resent > 0 && deps.kickOutbox) setTimeout(deps.kickOutbox, RESEND_AFTER_MS + 50).unref();
  return result;
}

// ---- the poller ----

export interface GammuPoller {
  /** One round now, after any under way (tests). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/** How often Gammu's inbox and sentitems are read: a citizen waits for the reply. */
export const GAMMU_POLL_MS = 1_000;

/**
 * Reads Gammu's inbox and sentitems every `intervalMs` (a full inbox batch is followed by the
 * next at once). While Gammu's database cannot be reached, it says so once, and once again when
 * it can be.
 */
export function startGammuPoller(deps: AppDeps, link: GammuLink, options: { intervalMs?: number } = {}): GammuPoller {
  const intervalMs = options.intervalMs ?? GAMMU_POLL_MS;
  const cursor = newSentItemsCursor();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let failing: string | null = null;

  const round = async () => {
    try {
      const gammu = await link.db();
      let inbox: InboxPollResult;
      do inbox = await pollGammuInbox(deps, gammu);
      while (inbox.taken === INBOX_BATCH && inbox.failed === 0 && !stopped);
      await pollGammuSentItems(deps, gammu, cursor);
      if (failing) deps.logger?.info('Gammu SMSD’s database answers again');
      failing = null;
    } catch (err) {
      const message = (err as Error).message;
      if (failing !== message) deps.logger?.error({ err: { message } }, 'Gammu SMSD’s database could not be read; trying again');
      failing = message;
    }
  };
  const run = async () => {
    while (running) await running;
    running = round().finally(() => {
      running = null;
    });
    await running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void run().finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    poll: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (running) await running;
    },
  };
}
