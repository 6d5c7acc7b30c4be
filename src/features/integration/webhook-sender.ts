import { createHmac } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/db.ts';
import type { WebhookMessage, WebhookTransport } from '../notifications/outbox.ts';
import { eventForApp } from './changes.service.ts';
import { insertDelivery, selectWebhook } from './integration.repository.ts';
import { isBlockedAddress } from './webhook-url.ts';

/**
 * The webhook sender: the outbox's `webhook` rows (one per event and app, written with the event)
 * become signed POSTs to the app's URL. Each attempt is written to the delivery log with its
 * time, HTTP status, latency and error; the dispatcher retries a failed one with exponential
 * backoff (dispatcher.ts, `retryDelayMs`).
 *
 * The body is the event as the app's changes feed shows it (changes.service.ts), built when it is
 * sent from the event, which never changes. The signature header is
 * `X-Lapor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the app's secret>`;
 * the timestamp lets the app refuse a replayed delivery.
 */

export const SIGNATURE_HEADER = 'x-lapor-signature';
/** A receiver has this long to answer; no redirect is followed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const USER_AGENT = 'LAPOR-Webhook/1';

/** Why a delivery failed; `permanent` failures (the webhook removed, an address refused) are not tried again. */
export class WebhookFailure extends Error {
  readonly permanent: boolean;
  readonly httpStatus: number | null;
  constructor(message: string, options: { permanent?: boolean; httpStatus?: number | null } = {}) {
    super(message);
    this.name = 'WebhookFailure';
    this.permanent = options.permanent ?? false;
    this.httpStatus = options.httpStatus ?? null;
  }
}

/** The signature header's value for a body at a time (exported for the tests and the docs' example). */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export interface WebhookSenderDeps {
  db: Db;
  config: Pick<Config, 'webhookAllowPrivate' | 'publicOrigin'>;
  now: () => Date;
}

export function createWebhookTransport(deps: WebhookSenderDeps): WebhookTransport {
  return {
    name: 'webhook',
    async send(message: WebhookMessage) {
      const eventId = typeof message.payload.eventId === 'number' ? message.payload.eventId : null;
      const at = deps.now();
      const log = (url: string, outcome: { httpStatus?: number | null; latencyMs?: number | null; error?: string | null }) =>
        insertDelivery(deps.db, {
          outboxId: message.outboxId,
          integratorId: message.integratorId,
          eventId,
          attempt: message.attempt,
          url,
          at,
          httpStatus: outcome.httpStatus ?? null,
          latencyMs: outcome.latencyMs ?? null,
          error: outcome.error ?? null,
        });

      // The app's webhook as it is now: a URL changed since the event goes to the new one.
      const webhook = await selectWebhook(deps.db, message.integratorId);
      if (!webhook?.active || !webhook.app_active) {
        const failure = new WebhookFailure(webhook?.active ? 'app account disabled' : 'webhook removed', { permanent: true });
        await log(message.url, { error: failure.message });
        throw failure;
      }
      const item = eventId === null ? null : await eventForApp(deps.db, message.integratorId, eventId, deps.config.publicOrigin);
      if (!item) {
        const failure = new WebhookFailure('event not visible to this app', { permanent: true });
        await log(webhook.url, { error: failure.message });
        throw failure;
      }
      const body = JSON.stringify({ type: 'report.event', ...item });
      const t = Math.floor(at.getTime() / 1000);
      const started = performance.now();
      try {
        const status = await postJson(
          webhook.url,
          body,
          {
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            'x-lapor-event-id': String(item.event.id),
            'x-lapor-delivery': `${message.outboxId}.${message.attempt}`,
            [SIGNATURE_HEADER]: signWebhook(webhook.secret, body, t),
          },
          deps.config.webhookAllowPrivate,
        );
        const latencyMs = Math.round(performance.now() - started);
        if (status < 200 || status > 299) {
          await log(webhook.url, { httpStatus: status, latencyMs, error: `HTTP ${status}` });
          throw new WebhookFailure(`HTTP ${status}`, { httpStatus: status });
        }
        await log(webhook.url, { httpStatus: status, latencyMs });
        return { id: `${status}` };
      } catch (err) {
        if (err instanceof WebhookFailure && err.httpStatus !== null) throw err;
        const failure = err instanceof WebhookFailure ? err : new WebhookFailure((err as Error).message ?? String(err));
        await log(webhook.url, { latencyMs: Math.round(performance.now() - started), error: failure.message.slice(0, 500) });
        throw failure;
      }
    },
  };
}

/**
 * A resolver that refuses any address a webhook may not reach, used for the connection itself:
 * the address checked is the address connected to, so a name that resolves to an internal host
 * now (DNS rebinding) is refused even though it did not when the URL was registered.
 */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err);
    const list = addresses as dns.LookupAddress[];
    const blocked = list.find((a) => isBlockedAddress(a.address));
    if (blocked || list.length === 0) {
      return callback(new WebhookFailure(`refused: ${hostname} resolves to an internal address`, { permanent: true }));
    }
    if (options.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

/** One POST, no redirects, a time limit; resolves with the status code (the answer's body is read and dropped). */
function postJson(target: string, body: string, headers: Record<string, string>, allowPrivate: boolean): Promise<number> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate && isIP(host) !== 0 && isBlockedAddress(host)) {
    return Promise.reject(new WebhookFailure(`refused: ${host} is an internal address`, { permanent: true }));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: WEBHOOK_TIMEOUT_MS,
        ...(allowPrivate ? {} : { lookup: guardedLookup as never }),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}
