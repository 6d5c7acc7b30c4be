import type { Context } from 'hono';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { MalformedMessage } from './chat-message.ts';
import { recordChatDelivery } from './chat.service.ts';
import { type InboundInput, receiveInboundBatch } from './intake.ts';
import { sameSecret } from './media.ts';
import { botIdOf, parseTelegramUpdate, telegramSecretValid } from './telegram.ts';
import { parseWhatsAppWebhook, whatsappSignatureValid } from './whatsapp.ts';
import { crcResponseToken, parseXWebhook, xSignatureValid } from './x.ts';

/**
 * The chat platforms' webhooks (issue 11 §5, docs/integration.md):
 *
 *   GET  /channels/x/webhook          X's CRC: {response_token: sha256=…}
 *   POST /channels/x/webhook          Account Activity events, x-twitter-webhooks-signature checked
 *   GET  /channels/whatsapp/webhook   Meta's verification: hub.mode=subscribe, hub.verify_token, hub.challenge echoed
 *   POST /channels/whatsapp/webhook   messages and statuses, X-Hub-Signature-256 checked
 *   POST /channels/telegram/webhook   an Update, X-Telegram-Bot-Api-Secret-Token checked
 *
 * Each verifies the sender on the raw body before reading it (401 without a signature, 403 with a
 * wrong one, both logged), stores every message it carries before handling any (the intake), and
 * answers 200 once they are stored; a body it cannot read is a 400 with the reason, after storing
 * whatever message in it could be identified. A platform that is not configured answers 404.
 */

type Status = 200 | 400 | 401 | 403 | 404 | 503;

const answer = (c: Context<AppEnv>, status: Status, body: Record<string, unknown> = { ok: true }) =>
  c.json(body, status, { 'cache-control': 'no-store' });

const off = (c: Context<AppEnv>, platform: string) =>
  answer(c, 404, { error: 'not_configured', reason: `${platform} is not configured on this server` });

const refused = (c: Context<AppEnv>, platform: string, status: 401 | 403, reason: string) => {
  c.get('log').warn({ path: c.req.path, platform, status }, `${platform} webhook refused: ${reason}`);
  return answer(c, status, { error: status === 401 ? 'unauthenticated' : 'forbidden', reason });
};

const malformed = (c: Context<AppEnv>, platform: string, reason: string, extra: Record<string, unknown> = {}) => {
  c.get('log').warn({ path: c.req.path, platform, reason }, `${platform} webhook malformed`);
  return answer(c, 400, { error: 'malformed', reason, ...extra });
};

function jsonBody(raw: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new MalformedMessage('the body is not JSON');
  }
}

/** Stores and handles the messages; 503 when they could not be stored, so the platform sends them again. */
async function intake(c: Context<AppEnv>, deps: AppDeps, platform: string, inputs: InboundInput[]): Promise<Response | null> {
  if (inputs.length === 0) return null;
  try {
    const results = await receiveInboundBatch(deps, inputs);
    for (const r of results) {
      c.get('log').info(
        { platform, inboundId: r.id, duplicate: r.duplicate, status: r.handled?.status ?? null, outcome: r.handled?.outcome ?? null },
        `${platform} message received`,
      );
    }
    return null;
  } catch (err) {
    c.get('log').error(
      { platform, err: { message: (err as Error).message } },
      `${platform} message could not be stored; it will come again`,
    );
    return answer(c, 503, { error: 'not_stored', reason: 'not stored, try again' });
  }
}

export function registerChatRoutes(app: App, deps: AppDeps): void {
  // ---- X ----
  app.get('/channels/x/webhook', (c) => {
    const x = deps.config.x;
    if (!x) return off(c, 'X');
    const token = c.req.query('crc_token');
    if (!token) return malformed(c, 'X', 'crc_token is missing');
    return answer(c, 200, { response_token: crcResponseToken(x.consumerSecret, token) });
  });
  app.post('/channels/x/webhook', async (c) => {
    const x = deps.config.x;
    if (!x) return off(c, 'X');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const signature = c.req.header('x-twitter-webhooks-signature');
    if (!signature) return refused(c, 'X', 401, 'no x-twitter-webhooks-signature');
    if (!xSignatureValid(x.consumerSecret, raw, signature)) return refused(c, 'X', 403, 'bad x-twitter-webhooks-signature');
    let parsed: ReturnType<typeof parseXWebhook>;
    try {
      parsed = parseXWebhook(jsonBody(raw), x);
    } catch (err) {
      if (err instanceof MalformedMessage) return malformed(c, 'X', err.message);
      throw err;
    }
    const now = deps.now();
    const failed = await intake(
      c,
      deps,
      'X',
      parsed.tweets.map((t) => ({
        channel: 'x',
        gateway: 'account-activity',
        messageId: t.tweetId,
        sender: t.authorId,
        receiver: x.accountId,
        text: t.text,
        raw: t.raw,
        receivedAt: now,
      })),
    );
    if (failed) return failed;
    if (parsed.problems.length > 0) return malformed(c, 'X', parsed.problems.join('; '));
    return answer(c, 200);
  });

  // ---- WhatsApp ----
  app.get('/channels/whatsapp/webhook', (c) => {
    const wa = deps.config.whatsapp;
    if (!wa) return off(c, 'WhatsApp');
    const q = c.req.query();
    if (q['hub.mode'] !== 'subscribe' || !q['hub.challenge'])
      return malformed(c, 'WhatsApp', 'expected hub.mode=subscribe and hub.challenge');
    if (!sameSecret(q['hub.verify_token'], wa.verifyToken)) return refused(c, 'WhatsApp', 403, 'wrong hub.verify_token');
    return c.text(q['hub.challenge'], 200, { 'cache-control': 'no-store' });
  });
  app.post('/channels/whatsapp/webhook', async (c) => {
    const wa = deps.config.whatsapp;
    if (!wa) return off(c, 'WhatsApp');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const signature = c.req.header('x-hub-signature-256');
    if (!signature) return refused(c, 'WhatsApp', 401, 'no X-Hub-Signature-256');
    if (!whatsappSignatureValid(wa.appSecret, raw, signature)) return refused(c, 'WhatsApp', 403, 'bad X-Hub-Signature-256');
    let parsed: ReturnType<typeof parseWhatsAppWebhook>;
    try {
      parsed = parseWhatsAppWebhook(jsonBody(raw));
    } catch (err) {
      if (err instanceof MalformedMessage) return malformed(c, 'WhatsApp', err.message);
      throw err;
    }
    const now = deps.now();
    const failed = await intake(
      c,
      deps,
      'WhatsApp',
      parsed.messages.map((m) => ({
        channel: 'whatsapp',
        gateway: 'cloud-api',
        messageId: m.messageId,
        sender: m.from,
        receiver: m.phoneNumberId,
        text: m.text,
        raw: m.raw,
        receivedAt: now,
      })),
    );
    if (failed) return failed;
    let unknown = 0;
    for (const s of parsed.statuses) {
      const code = Number(Array.isArray(s.raw.errors) ? (s.raw.errors[0] as { code?: unknown })?.code : Number.NaN);
      const found = await recordChatDelivery(
        deps.db,
        { externalId: s.id, status: s.status, at: s.at, code: Number.isSafeInteger(code) ? code : null, error: s.error, raw: s.raw },
        now,
      );
      if (!found) unknown += 1;
      c.get('log').info({ platform: 'WhatsApp', status: s.status, found }, 'WhatsApp delivery status');
    }
    if (parsed.problems.length > 0) return malformed(c, 'WhatsApp', parsed.problems.join('; '));
    return answer(c, 200, unknown > 0 ? { ok: true, unknownStatuses: unknown } : { ok: true });
  });

  // ---- Telegram ----
  app.post('/channels/telegram/webhook', async (c) => {
    const tg = deps.config.telegram;
    if (!tg) return off(c, 'Telegram');
    const header = c.req.header('x-telegram-bot-api-secret-token');
    if (!header) return refused(c, 'Telegram', 401, 'no X-Telegram-Bot-Api-Secret-Token');
    if (!telegramSecretValid(tg, header)) return refused(c, 'Telegram', 403, 'wrong X-Telegram-Bot-Api-Secret-Token');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    let body: unknown;
    let update: ReturnType<typeof parseTelegramUpdate>;
    try {
      body = jsonBody(raw);
      update = parseTelegramUpdate(body);
    } catch (err) {
      if (err instanceof MalformedMessage) return malformed(c, 'Telegram', err.message);
      throw err;
    }
    const failed = await intake(c, deps, 'Telegram', [
      {
        channel: 'telegram',
        gateway: 'bot-api',
        messageId: update.updateId,
        sender: update.chatId,
        receiver: botIdOf(tg),
        text: update.text,
        raw: body as Record<string, unknown>,
        receivedAt: deps.now(),
      },
    ]);
    if (failed) return failed;
    const message = (body as { message?: unknown }).message;
    if (message !== undefined && update.chatId === null) return malformed(c, 'Telegram', 'the message has no chat', { stored: true });
    return answer(c, 200);
  });
}
