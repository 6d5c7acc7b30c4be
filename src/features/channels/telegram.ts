import type { TelegramConfig } from '../../config.ts';
import type { ChatMessage } from '../notifications/outbox.ts';
import { type ChatInbound, type ChatMedia, MalformedMessage } from './chat-message.ts';
import {
  MediaUnavailable,
  PLATFORM_TIMEOUT_MS,
  coordinates,
  downloadCapped,
  isRecord,
  jsonOf,
  platformError,
  sameSecret,
  stringOf,
} from './media.ts';

/**
 * A Telegram bot (issue 11 §5): the webhook's secret token, an Update read into a message, photos
 * through `getFile`, and answers through `sendMessage` on the same chat.
 */

/** `X-Telegram-Bot-Api-Secret-Token` is the secret_token given to setWebhook, compared in constant time. */
export function telegramSecretValid(config: TelegramConfig, header: string | undefined): boolean {
  return sameSecret(header, config.secretToken);
}

/** The bot's own id: the part of its token before the colon. */
export const botIdOf = (config: TelegramConfig): string => config.botToken.split(':')[0]!;

/** An Update as the intake stores it: its update_id (the same on every retry of the webhook) and its chat. */
export interface TelegramUpdate {
  updateId: string;
  chatId: string | null;
  text: string | null;
}

/** Throws MalformedMessage when the body is not an Update (no update_id). */
export function parseTelegramUpdate(body: unknown): TelegramUpdate {
  if (!isRecord(body)) throw new MalformedMessage('not a Telegram Update: the body is not a JSON object');
  const updateId = body.update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId)) throw new MalformedMessage('not a Telegram Update: no "update_id"');
  const message = isRecord(body.message) ? body.message : null;
  const chat = message && isRecord(message.chat) ? message.chat : null;
  return {
    updateId: String(updateId),
    chatId: chat ? stringOf(chat.id) : null,
    text: message ? (stringOf(message.text) ?? stringOf(message.caption)) : null,
  };
}

const UNSUPPORTED: Record<string, string> = {
  voice: 'pesan suara / a voice message',
  audio: 'audio',
  video: 'video',
  video_note: 'video',
  sticker: 'stiker / a sticker',
  animation: 'animasi / an animation',
  document: 'dokumen / a document',
  contact: 'kontak / a contact card',
  poll: 'polling / a poll',
};

/** A stored Update as the chat flow reads it. Only a private chat's new message is one. */
export function telegramInbound(raw: Record<string, unknown>, maxBytes: number): ChatInbound {
  const message = isRecord(raw.message) ? raw.message : null;
  if (!message) {
    const kind = Object.keys(raw).find((k) => k !== 'update_id') ?? 'empty';
    return unsupportedUpdate(raw, `pembaruan ${kind.slice(0, 40)} / a ${kind.slice(0, 40)} update`);
  }
  const chat = isRecord(message.chat) ? message.chat : null;
  const chatId = chat ? stringOf(chat.id) : null;
  if (!chat || !chatId) throw new MalformedMessage('the message has no chat');
  const from = isRecord(message.from) ? message.from : null;
  const name = from ? [stringOf(from.first_name), stringOf(from.last_name)].filter(Boolean).join(' ') || null : null;
  const base: ChatInbound = {
    platform: 'telegram',
    chatId,
    name,
    text: stringOf(message.text) ?? stringOf(message.caption),
    photo: null,
    location: null,
    messageRef: stringOf(message.message_id),
    unsupported: null,
  };
  if (chat.type !== 'private') return { ...base, unsupported: 'pesan di grup / a message in a group', quiet: true };
  if (from?.is_bot === true) return { ...base, unsupported: 'pesan dari bot / a message from a bot', quiet: true };
  if (Array.isArray(message.photo)) {
    const photo = largestPhoto(message.photo, maxBytes);
    if (!photo) throw new MalformedMessage('a photo message without a usable size');
    return { ...base, photo };
  }
  if (isRecord(message.location)) {
    const at = coordinates(message.location.latitude, message.location.longitude);
    if (!at) throw new MalformedMessage('a location without a valid latitude and longitude');
    return { ...base, location: { ...at, name: null, address: null } };
  }
  if (isRecord(message.venue) && isRecord(message.venue.location)) {
    const at = coordinates(message.venue.location.latitude, message.venue.location.longitude);
    if (at) return { ...base, location: { ...at, name: stringOf(message.venue.title), address: stringOf(message.venue.address) } };
  }
  if (base.text !== null) return base;
  const kind = Object.keys(UNSUPPORTED).find((k) => k in message);
  return { ...base, unsupported: kind ? UNSUPPORTED[kind]! : 'pesan tanpa teks / a message without text' };
}

function unsupportedUpdate(raw: Record<string, unknown>, why: string): ChatInbound {
  // an edited message, a button press…: kept with its chat when it has one, answered with nothing
  const inner = Object.values(raw).find(isRecord);
  const chat = inner && isRecord(inner.chat) ? stringOf(inner.chat.id) : null;
  return {
    platform: 'telegram',
    chatId: chat ?? '',
    name: null,
    text: null,
    photo: null,
    location: null,
    messageRef: null,
    unsupported: why,
    quiet: true,
  };
}

/**
 * Telegram sends each photo in several sizes, smallest first: the largest one within the
 * attachment limit (its file_size, when given, says so before anything is downloaded).
 */
function largestPhoto(sizes: unknown[], maxBytes: number): ChatMedia | null {
  const usable = sizes
    .filter(isRecord)
    .map((s) => ({
      ref: stringOf(s.file_id),
      size: typeof s.file_size === 'number' ? s.file_size : null,
      area: (Number(s.width) || 0) * (Number(s.height) || 0),
    }))
    .filter((s): s is { ref: string; size: number | null; area: number } => s.ref !== null);
  if (usable.length === 0) return null;
  const fitting = usable.filter((s) => s.size === null || s.size <= maxBytes);
  const pick = (fitting.length > 0 ? fitting : usable).reduce((a, b) => (b.area >= a.area ? b : a));
  return { ref: pick.ref, mimeType: 'image/jpeg', size: pick.size };
}

// ---- media ----

const method = (config: TelegramConfig, name: string) => `${config.apiUrl}/bot${config.botToken}/${name}`;

/** A photo by its file_id: `getFile` gives its path, then `/file/bot<token>/<path>` its bytes. */
export async function downloadTelegramFile(config: TelegramConfig, fileId: string, maxBytes: number): Promise<File> {
  const res = await fetch(method(config, 'getFile'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ file_id: fileId }),
    signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
  });
  const body = await jsonOf(res);
  // 400 "file is too big" (over the Bot API's 20 MB) or "wrong file_id": it will never come
  if (res.status === 400) throw new MediaUnavailable(`getFile: ${stringOf(body?.description) ?? 'refused'}`);
  if (!res.ok || body?.ok !== true || !isRecord(body.result)) throw new Error(`getFile answered ${res.status}`);
  const path = stringOf(body.result.file_path);
  if (!path) throw new MediaUnavailable('getFile gave no file_path');
  const size = Number(body.result.file_size);
  if (Number.isFinite(size) && size > maxBytes) throw new MediaUnavailable(`the photo is larger than ${maxBytes} bytes`);
  const bytes = await downloadCapped(`${config.apiUrl}/file/bot${config.botToken}/${path}`, {}, maxBytes);
  const name = path.split('/').pop() || `telegram-${fileId.slice(0, 20)}.jpg`;
  return new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'image/jpeg' });
}

// ---- send ----

/** The sendMessage request for one answer: plain text, on the chat it answers, quoting the message when there is one. */
export function telegramSendBody(message: ChatMessage): Record<string, unknown> {
  const chat = /^-?\d+$/.test(message.to.chatId) ? Number(message.to.chatId) : message.to.chatId;
  const replyTo = message.to.replyTo && /^\d+$/.test(message.to.replyTo) ? Number(message.to.replyTo) : null;
  return {
    chat_id: chat,
    text: message.text,
    link_preview_options: { is_disabled: true },
    ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
  };
}

export async function sendTelegram(config: TelegramConfig, message: ChatMessage): Promise<{ id: string }> {
  const res = await fetch(method(config, 'sendMessage'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(telegramSendBody(message)),
    signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
  });
  const body = await jsonOf(res);
  if (res.ok && body?.ok === true && isRecord(body.result)) {
    return { id: `${message.to.chatId}:${stringOf(body.result.message_id) ?? '?'}` };
  }
  const description = stringOf(body?.description) ?? '';
  // 403: the user blocked the bot or never started it; 400: the chat does not exist. 429 and 5xx pass.
  throw platformError(`Telegram answered ${res.status}: ${description}`.trim(), {
    status: res.status,
    permanent: res.status === 403 || res.status === 400,
  });
}
