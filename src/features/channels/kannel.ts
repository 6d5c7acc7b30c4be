import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.ts';
import { smsSize } from '../../domain/sms.ts';
import type { SmsMessage, SmsTransport } from '../notifications/outbox.ts';

/**
 * Kannel's HTTP interface (issue 11 §2). Outgoing SMS (MT) leave through smsbox's `sendsms`,
 * with a `dlr-url` that brings Kannel's delivery reports back to `/channels/kannel/dlr`.
 */

export type { SmsMessage, SmsTransport } from '../notifications/outbox.ts';

/** Delivery-report values of Kannel's %d, as the outbox records them. */
export const DLR_STATUS: Record<number, 'delivered' | 'failed' | 'buffered' | 'accepted' | 'rejected'> = {
  1: 'delivered',
  2: 'failed',
  4: 'buffered',
  8: 'accepted',
  16: 'rejected',
};

/** The signature a delivery report's URL carries for one outbox row: nobody else can report on it. */
export function dlrSignature(config: Config, outboxId: number): string {
  return createHmac('sha256', callbackSecret(config)).update(`dlr:${outboxId}`).digest('base64url').slice(0, 32);
}

export function dlrSignatureValid(config: Config, outboxId: number, signature: string): boolean {
  const expected = Buffer.from(dlrSignature(config, outboxId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function callbackSecret(config: Config): string {
  return `${config.kannelIncomingKey ?? ''}\u0000${config.kannelPassword ?? ''}\u0000${config.kannelUsername ?? ''}`;
}

/** The sendsms request for one message (exported for the tests and the docs). */
export function sendsmsUrl(config: Config, message: SmsMessage): URL {
  const url = new URL(config.kannelSendsmsUrl!);
  const size = smsSize(message.text);
  const dlr = new URL(config.kannelDlrUrl);
  dlr.searchParams.set('o', String(message.outboxId));
  dlr.searchParams.set('a', String(message.attempt));
  dlr.searchParams.set('sig', dlrSignature(config, message.outboxId));
  const params: Record<string, string> = {
    username: config.kannelUsername ?? '',
    password: config.kannelPassword ?? '',
    from: config.smsShortCode,
    to: message.to,
    text: message.text,
    charset: 'UTF-8',
    // GSM-7 where the text allows it; UCS-2 (coding 2) otherwise, or phones would show "?"
    coding: size.coding === 'ucs2' ? '2' : '0',
    // the final word only: delivered (1), failed (2), rejected by the SMSC (16)
    'dlr-mask': '19',
    // Kannel fills in %d (the delivery status) and %T (its time) when it calls back.
    'dlr-url': `${dlr.toString()}&status=%d&at=%T`,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url;
}

export function createKannelTransport(config: Config, fetchImpl: typeof fetch = fetch): SmsTransport | null {
  if (!config.kannelSendsmsUrl) return null;
  return {
    name: 'kannel',
    async send(message) {
      const size = smsSize(message.text);
      const res = await fetchImpl(sendsmsUrl(config, message), { signal: AbortSignal.timeout(15_000) });
      const body = (await res.text()).trim().slice(0, 200);
      // 202 "0: Accepted for delivery" (or 200 with a queued note); anything else is Kannel saying no.
      if (res.status !== 202 && res.status !== 200) {
        throw Object.assign(new Error(`kannel sendsms answered ${res.status}: ${body}`), { responseCode: res.status });
      }
      return { id: `kannel:${message.outboxId}:${message.attempt}`, segments: size.segments };
    },
  };
}
