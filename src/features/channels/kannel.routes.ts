import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { clientAddress } from '../../http/client-address.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { SMS_DELIVERY_ATTEMPTS } from '../notifications/outbox.ts';
import { DLR_STATUS, dlrSignatureValid } from './kannel.ts';
import { receiveInbound } from './intake.ts';

/**
 * Kannel's callbacks (issue 11 §2, docs/integration.md):
 *
 *   GET|POST /channels/kannel/incoming   an sms-service's get-url / post-url: one MO
 *     ?id=%I&from=%p&to=%P&text=%a&time=%T&smsc=%i&coding=%c&charset=%C&udh=%u[&key=…]
 *   GET      /channels/kannel/dlr        a sendsms dlr-url: a delivery report
 *     ?o=<outbox id>&a=<attempt>&sig=<signature>&status=%d&at=%T
 *
 * The answer to an MO is an empty text/plain 200 once the message is stored (the reply goes out
 * through the outbox and sendsms, with a delivery report of its own); a 503 when it could not be
 * stored, so that Kannel tries again. Without KANNEL_INCOMING_KEY, only this machine may call.
 */

/** Longer than any SMS joined from 255 parts; a longer text is not an SMS. */
const MAX_TEXT = 40_000;

export function registerKannelRoutes(app: App, deps: AppDeps): void {
  const incoming = async (c: Context<AppEnv>) => {
    const denied = gate(c, deps);
    if (denied) return denied;
    const q = c.req.query();
    const header = (name: string) => c.req.header(`x-kannel-${name}`) ?? undefined;
    let text = q.text;
    if (text === undefined && c.req.method === 'POST') {
      const body = await c.req.text().catch(() => '');
      text = body;
    }
    const from = q.from ?? header('from');
    const to = q.to ?? header('to');
    if (!from && !text) return plain(c, 400, 'missing "from" and "text": nothing to store');
    if (text && text.length > MAX_TEXT) return plain(c, 413, `text longer than ${MAX_TEXT} characters`);
    const time = q.time ?? header('time');
    const raw: Record<string, unknown> = {
      from: from ?? null,
      to: to ?? null,
      text: text ?? null,
      time: time ?? null,
      smsc: q.smsc ?? header('smsc') ?? null,
      coding: q.coding ?? header('coding') ?? null,
      charset: q.charset ?? header('charset') ?? null,
      udh: q.udh || header('udh') || null,
      id: q.id ?? null,
    };
    // Kannel's own id for the message (%I) is the same on each retry of the callback; without one,
    // what the message is made of stands for it.
    const messageId =
      q.id?.trim().slice(0, 200) ||
      `sha256:${createHash('sha256')
        .update(JSON.stringify([from, to, time, text, raw.udh]))
        .digest('hex')}`;
    try {
      const result = await receiveInbound(deps, {
        channel: 'sms',
        gateway: 'kannel',
        messageId,
        sender: from ?? null,
        receiver: to ?? null,
        text: text ?? null,
        raw,
        receivedAt: deps.now(),
      });
      c.get('log').info(
        {
          inboundId: result.id,
          duplicate: result.duplicate,
          status: result.handled?.status ?? null,
          outcome: result.handled?.outcome ?? null,
        },
        'sms received',
      );
      return plain(c, 200, '');
    } catch (err) {
      c.get('log').error({ err: { message: (err as Error).message } }, 'sms could not be stored; the gateway will try again');
      return plain(c, 503, 'not stored, try again');
    }
  };
  app.get('/channels/kannel/incoming', incoming);
  app.post('/channels/kannel/incoming', incoming);

  app.get('/channels/kannel/dlr', async (c) => {
    // The signature on each message's dlr-url is what proves a delivery report; with no key
    // configured (a signature from the Kannel credentials alone), only this machine may call.
    const denied = deps.config.kannelIncomingKey ? null : gate(c, deps);
    if (denied) return denied;
    const q = c.req.query();
    const outboxId = Number(q.o);
    const code = Number(q.status);
    if (!Number.isSafeInteger(outboxId) || outboxId <= 0) return plain(c, 400, 'o must be an outbox id');
    if (!q.sig || !dlrSignatureValid(deps.config, outboxId, q.sig)) return plain(c, 403, 'bad signature');
    const status = DLR_STATUS[code];
    if (!status) return plain(c, 400, 'status must be one of 1, 2, 4, 8, 16');
    const now = deps.now();
    // One statement: the report recorded, and the message's status with it. A final word
    // (delivered, failed, rejected) is not overwritten by a late "accepted" or "buffered".
    const [found] = await deps.db.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO delivery_reports (outbox_id, status, code, raw, received_at)
         SELECT id, $2, $3, $4, $5 FROM outbox WHERE id = $1 RETURNING outbox_id
       ), upd AS (
         UPDATE outbox SET delivery_status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN $5::timestamptz ELSE delivered_at END
          WHERE id IN (SELECT outbox_id FROM ins)
            AND (delivery_status IS NULL OR delivery_status IN ('accepted', 'buffered') OR $2 IN ('delivered', 'failed', 'rejected'))
          RETURNING id
       )
       SELECT count(*)::int AS n FROM ins`,
      [outboxId, status, code, JSON.stringify(q), now],
    );
    if (!found || found.n === 0) return plain(c, 404, 'no such message');
    // The network could not deliver it (failed, rejected by the SMSC): sent again, at most
    // SMS_DELIVERY_ATTEMPTS times in all, after a short wait. A later report on an earlier
    // attempt (its `a`) changes nothing more.
    if ((status === 'failed' || status === 'rejected') && Number(q.a) > 0) {
      const resent = await deps.db.query(
        `UPDATE outbox SET status = 'pending', available_at = $3, last_error = $4
          WHERE id = $1 AND channel = 'sms' AND status = 'sent' AND attempts = $2 AND attempts < $5 RETURNING id`,
        [outboxId, Number(q.a), new Date(now.getTime() + 5_000), `delivery report: ${status}`, SMS_DELIVERY_ATTEMPTS],
      );
      if (resent.length > 0) deps.kickOutbox?.();
    }
    c.get('log').info({ outboxId, status }, 'sms delivery report');
    return plain(c, 200, 'ok');
  });
}

function plain(c: Context<AppEnv>, status: 200 | 400 | 403 | 404 | 413 | 503, text: string) {
  return c.body(text, status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
}

/** The shared key when one is configured; else only this machine (Kannel beside lapor). */
function gate(c: Context<AppEnv>, deps: AppDeps): Response | null {
  const key = deps.config.kannelIncomingKey;
  if (key) {
    const given = Buffer.from(c.req.query('key') ?? '');
    const expected = Buffer.from(key);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
    c.get('log').warn({ path: c.req.path }, 'sms gateway callback with a wrong key');
    return plain(c, 403, 'wrong key');
  }
  const address = clientAddress(c, deps.config.trustProxy);
  if (address === 'unknown' || isLoopback(address)) return null; // 'unknown': in-process (tests)
  c.get('log').warn({ path: c.req.path, address }, 'sms gateway callback from another machine without KANNEL_INCOMING_KEY');
  return plain(c, 403, 'set KANNEL_INCOMING_KEY to accept gateway callbacks from other machines');
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
