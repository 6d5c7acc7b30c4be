import { joinTransaction, type Queryable, type Tx } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { handleEmail } from './email.service.ts';
import { handleOpen311 } from './open311.ts';
import { handleChat, prepareChat } from './chat.service.ts';
import { handleIntegrationPush } from './integration.service.ts';
import { handleSms } from './sms.service.ts';
import { handleX } from './x.service.ts';

/**
 * One intake for every channel (issue 11 §1). A message is stored raw and committed before
 * anything else happens to it (`storeInbound`); the same message delivered twice is one row, by
 * its channel, gateway and message id. It is then handled in a transaction of its own
 * (`processInbound`) that writes the report, the reply or the command's answer together with the
 * message's new status, so a crash between the two leaves a pending message that the next start,
 * or the worker, replays (`replayPending`) — and replaying a handled message does nothing.
 */

export type InboundChannel = 'sms' | 'x' | 'whatsapp' | 'telegram' | 'email' | 'integration' | 'open311';

export interface InboundInput {
  channel: InboundChannel;
  gateway: string;
  messageId: string;
  sender: string | null;
  receiver: string | null;
  text: string | null;
  /** Everything the gateway sent, as it sent it. */
  raw: Record<string, unknown>;
  receivedAt: Date;
}

export interface InboundRow {
  id: number;
  channel: InboundChannel;
  gateway: string;
  message_id: string;
  sender: string | null;
  receiver: string | null;
  text: string | null;
  raw: Record<string, unknown>;
  received_at: Date;
  status: InboundStatus;
  attempts: number;
}

export type InboundStatus = 'pending' | 'processed' | 'unparsed' | 'partial';
export type InboundOutcome = 'report' | 'reply' | 'status' | 'help' | 'rejected' | 'combined';

/** What handling a message came to, written onto its row. */
export interface Handled {
  status: Exclude<InboundStatus, 'pending'>;
  outcome: InboundOutcome | null;
  reason?: string | null;
  reportId?: number | null;
  userId?: number | null;
}

/** After this many failed attempts (errors, not refusals) a message is set aside as unparsed, with the error. */
export const MAX_INBOUND_ATTEMPTS = 5;

export async function storeInbound(db: Queryable, input: InboundInput): Promise<{ id: number; duplicate: boolean }> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO inbound_messages (channel, gateway, message_id, sender, receiver, text, raw, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (channel, gateway, message_id) DO NOTHING RETURNING id`,
    [input.channel, input.gateway, input.messageId, input.sender, input.receiver, input.text, JSON.stringify(input.raw), input.receivedAt],
  );
  if (inserted[0]) return { id: inserted[0].id, duplicate: false };
  const [held] = await db.query<{ id: number }>('SELECT id FROM inbound_messages WHERE channel = $1 AND gateway = $2 AND message_id = $3', [
    input.channel,
    input.gateway,
    input.messageId,
  ]);
  return { id: held!.id, duplicate: true };
}

/** Handles one stored message, once. Returns what it came to, or null when it was handled already (or failed, and stays pending). */
export async function processInbound(deps: AppDeps, id: number): Promise<Handled | null> {
  try {
    // What a handler fetches from elsewhere (a chat's photo) is fetched before its transaction
    // opens: no transaction waits on the network.
    const [pending] = await deps.db.query<InboundRow>(
      `SELECT id, channel, gateway, message_id, sender, receiver, text, raw, received_at, status, attempts
         FROM inbound_messages WHERE id = $1 AND status = 'pending'`,
      [id],
    );
    if (!pending) return null;
    const channelHandler = handlerFor(pending);
    const prepared = channelHandler.prepare ? await channelHandler.prepare(deps, pending) : undefined;
    const handled = await deps.db.transaction(async (tx) => {
      const [m] = await tx.query<InboundRow>(
        `SELECT id, channel, gateway, message_id, sender, receiver, text, raw, received_at, status, attempts
           FROM inbound_messages WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (m?.status !== 'pending') return null;
      // The services file reports and replies in their own transactions: here those become
      // savepoints of this one, so the message's status commits with what it caused.
      const joined: AppDeps = { ...deps, db: joinTransaction(deps.db, tx) };
      const result = await channelHandler.handle(joined, tx, m, prepared);
      await tx.query(
        `UPDATE inbound_messages
            SET status = $2, outcome = $3, reason = $4, report_id = COALESCE($5, report_id), user_id = COALESCE($6, user_id),
                attempts = attempts + 1, processed_at = $7
          WHERE id = $1`,
        [m.id, result.status, result.outcome, result.reason ?? null, result.reportId ?? null, result.userId ?? null, deps.now()],
      );
      return result;
    });
    if (handled) deps.kickOutbox?.();
    return handled;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.logger?.error({ inboundId: id, err: { message } }, 'inbound message failed; it stays pending');
    await deps.db.query(
      `UPDATE inbound_messages
          SET attempts = attempts + 1, reason = $2,
              status = CASE WHEN attempts + 1 >= $3 THEN 'unparsed' ELSE status END
        WHERE id = $1 AND status = 'pending'`,
      [id, `error: ${message}`.slice(0, 500), MAX_INBOUND_ATTEMPTS],
    );
    return null;
  }
}

interface ChannelHandler {
  /** Outside any transaction: what the handling needs from elsewhere; a throw leaves the message pending. */
  prepare?: (deps: AppDeps, m: InboundRow) => Promise<unknown>;
  handle: (deps: AppDeps, tx: Tx, m: InboundRow, prepared: unknown) => Promise<Handled>;
}

function handlerFor(m: InboundRow): ChannelHandler {
  switch (m.channel) {
    case 'sms':
      return { handle: handleSms };
    case 'email':
      return { handle: handleEmail };
    case 'open311':
      return { handle: handleOpen311 };
    case 'whatsapp':
    case 'telegram':
      return {
        prepare: prepareChat,
        handle: (deps, tx, row, prepared) => handleChat(deps, tx, row, prepared as Awaited<ReturnType<typeof prepareChat>>),
      };
    case 'x':
      return { handle: handleX };
    case 'integration':
      return { handle: handleIntegrationPush };
    default:
      return { handle: async () => ({ status: 'unparsed', outcome: null, reason: `no handler for channel ${m.channel} yet` }) };
  }
}

/**
 * Messages handled at once by this process. A gateway sends hundreds of callbacks at a time
 * (smsbox keeps up to 512 open); each handling is one transaction holding a connection of the
 * pool, so without a bound they would queue for the pool ahead of everything else — the outbox
 * sender that delivers their replies first of all. Storing is not bounded: it is one short
 * statement, and a message is stored before it waits.
 */
export const HANDLING_CONCURRENCY = 6;
let handling = 0;
const waiting: (() => void)[] = [];

async function bounded<T>(fn: () => Promise<T>): Promise<T> {
  if (handling >= HANDLING_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  else handling += 1;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else handling -= 1;
  }
}

/**
 * Handles one stored message within the bound, and waits for it: a message another request is
 * handling is answered once that one is done (its row is locked until then), and one still
 * pending is handled here. Returns null when it was handled already.
 */
export function processStored(deps: AppDeps, id: number): Promise<Handled | null> {
  return bounded(() => processInbound(deps, id));
}

/** Stores a message, then handles it. A duplicate is not handled again. */
export async function receiveInbound(
  deps: AppDeps,
  input: InboundInput,
): Promise<{ id: number; duplicate: boolean; handled: Handled | null }> {
  const stored = await storeInbound(deps.db, input);
  if (stored.duplicate) {
    deps.logger?.info(
      { inboundId: stored.id, channel: input.channel, gateway: input.gateway },
      'inbound message delivered again; kept once',
    );
    return { ...stored, handled: null };
  }
  return { ...stored, handled: await bounded(() => processInbound(deps, stored.id)) };
}

/**
 * A webhook that carries several messages (WhatsApp batches them): every one is stored before any
 * is handled, then the new ones are handled in the order they came, so a photo sent just before
 * its words is waiting when the words are read.
 */
export async function receiveInboundBatch(
  deps: AppDeps,
  inputs: InboundInput[],
): Promise<{ id: number; duplicate: boolean; handled: Handled | null }[]> {
  const stored: { id: number; duplicate: boolean }[] = [];
  for (const input of inputs) stored.push(await storeInbound(deps.db, input));
  const results: { id: number; duplicate: boolean; handled: Handled | null }[] = [];
  for (const [i, s] of stored.entries()) {
    if (s.duplicate) {
      deps.logger?.info(
        { inboundId: s.id, channel: inputs[i]!.channel, gateway: inputs[i]!.gateway },
        'inbound message delivered again; kept once',
      );
      results.push({ ...s, handled: null });
    } else {
      results.push({ ...s, handled: await bounded(() => processInbound(deps, s.id)) });
    }
  }
  return results;
}

/**
 * Handles every message still pending: at start (a crash between storing and handling), and by
 * the worker for messages whose handling failed. `olderThanMs` leaves alone the ones a request is
 * handling right now.
 */
export async function replayPending(deps: AppDeps, options: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
  const before = new Date(deps.now().getTime() - (options.olderThanMs ?? 0));
  const rows = await deps.db.query<{ id: number }>(
    `SELECT id FROM inbound_messages WHERE status = 'pending' AND received_at <= $1 ORDER BY received_at, id LIMIT $2`,
    [before, options.limit ?? 1000],
  );
  let handled = 0;
  for (const { id } of rows) if (await processInbound(deps, id)) handled += 1;
  return handled;
}
