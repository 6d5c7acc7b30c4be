import { createHmac } from 'node:crypto';
import type { WhatsAppConfig } from '../../config.ts';
import type { ChatMessage } from '../notifications/outbox.ts';
import { type ChatInbound, MalformedMessage } from './chat-message.ts';
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
 * WhatsApp Business Cloud API (issue 11 §5): the webhook's verification and signature, its
 * payload read into messages and statuses, media downloaded through the Graph API, and text
 * messages sent through `POST /{phone-number-id}/messages`.
 */

// ---- verify ----

/** `X-Hub-Signature-256: sha256=<hex>`: the HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
export function whatsappSignatureValid(appSecret: string, rawBody: Uint8Array, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
  return sameSecret(header.toLowerCase(), expected);
}

// ---- parse ----

/** One message of a webhook, as the intake stores it: the message with its contact and metadata. */
export interface WhatsAppItem {
  messageId: string;
  from: string | null;
  phoneNumberId: string | null;
  text: string | null;
  raw: { message: unknown; contact: unknown; metadata: unknown };
}

export interface WhatsAppStatus {
  /** The wamid the send answered with (the outbox row's external_id). */
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date | null;
  error: string | null;
  raw: Record<string, unknown>;
}

export interface WhatsAppWebhook {
  messages: WhatsAppItem[];
  statuses: WhatsAppStatus[];
  /** What could not be understood, for the 400 answer. */
  problems: string[];
}

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/**
 * A webhook body: `entry[].changes[].value` with `messages` (and their `contacts`) and
 * `statuses`. Throws MalformedMessage when it is not a WhatsApp Business Account webhook at all.
 */
export function parseWhatsAppWebhook(body: unknown): WhatsAppWebhook {
  if (!isRecord(body) || !Array.isArray(body.entry)) throw new MalformedMessage('not a WhatsApp webhook: no "entry" array');
  if (body.object !== 'whatsapp_business_account') throw new MalformedMessage(`"object" is not "whatsapp_business_account"`);
  const out: WhatsAppWebhook = { messages: [], statuses: [], problems: [] };
  for (const entry of body.entry) {
    if (!isRecord(entry) || !Array.isArray(entry.changes)) {
      out.problems.push('an entry without "changes"');
      continue;
    }
    for (const change of entry.changes) {
      if (!isRecord(change) || !isRecord(change.value)) {
        out.problems.push('a change without "value"');
        continue;
      }
      if (change.field !== 'messages') continue; // account updates, template reviews: not for the intake
      const value = change.value;
      const contacts = Array.isArray(value.contacts) ? value.contacts.filter(isRecord) : [];
      for (const message of Array.isArray(value.messages) ? value.messages : []) {
        const id = isRecord(message) ? stringOf(message.id) : null;
        if (!id || !isRecord(message)) {
          out.problems.push('a message without an id');
          continue;
        }
        const from = stringOf(message.from);
        const contact = contacts.find((c) => stringOf(c.wa_id) === from) ?? contacts[0] ?? null;
        const text = isRecord(message.text)
          ? stringOf(message.text.body)
          : isRecord(message.image)
            ? stringOf(message.image.caption)
            : null;
        out.messages.push({
          messageId: id.slice(0, 200),
          from,
          phoneNumberId: isRecord(value.metadata) ? stringOf(value.metadata.phone_number_id) : null,
          text,
          raw: { message, contact, metadata: value.metadata ?? null },
        });
        if (!from) out.problems.push(`message ${id.slice(0, 80)} has no "from"`);
      }
      for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
        const id = isRecord(status) ? stringOf(status.id) : null;
        const word = isRecord(status) ? stringOf(status.status) : null;
        if (!id || !word || !isRecord(status)) {
          out.problems.push('a status without an id or a status');
          continue;
        }
        if (!STATUSES.has(word)) continue; // 'deleted', 'warning'…: nothing to record
        const seconds = Number(status.timestamp);
        const errors = Array.isArray(status.errors) ? status.errors.filter(isRecord) : [];
        const first = errors[0];
        out.statuses.push({
          id,
          status: word as WhatsAppStatus['status'],
          at: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null,
          error: first ? `${stringOf(first.code) ?? '?'} ${stringOf(first.title) ?? stringOf(first.message) ?? ''}`.trim() : null,
          raw: status,
        });
      }
    }
  }
  return out;
}

/** Kinds the flow does not take, named for the sender and the admin. */
const UNSUPPORTED: Record<string, string> = {
  audio: 'pesan suara / a voice message',
  video: 'video',
  sticker: 'stiker / a sticker',
  document: 'dokumen / a document',
  contacts: 'kontak / a contact card',
  reaction: 'reaksi / a reaction',
};

/** A stored WhatsApp message as the chat flow reads it. */
export function whatsappInbound(raw: Record<string, unknown>): ChatInbound {
  const message = raw.message;
  if (!isRecord(message)) throw new MalformedMessage('no message in the stored body');
  const from = stringOf(message.from);
  if (!from) throw new MalformedMessage('the message has no "from"');
  const contact = isRecord(raw.contact) ? raw.contact : null;
  const profile = contact && isRecord(contact.profile) ? stringOf(contact.profile.name) : null;
  const type = stringOf(message.type) ?? 'unknown';
  const base: ChatInbound = {
    platform: 'whatsapp',
    chatId: from,
    name: profile,
    text: null,
    photo: null,
    location: null,
    messageRef: stringOf(message.id),
    unsupported: null,
  };
  if (type === 'text') {
    const body = isRecord(message.text) ? stringOf(message.text.body) : null;
    if (body === null) throw new MalformedMessage('a text message without text.body');
    return { ...base, text: body };
  }
  if (type === 'image') {
    const image = isRecord(message.image) ? message.image : null;
    const id = image ? stringOf(image.id) : null;
    if (!id) throw new MalformedMessage('an image message without image.id');
    return { ...base, text: stringOf(image!.caption), photo: { ref: id, mimeType: stringOf(image!.mime_type), size: null } };
  }
  if (type === 'location') {
    const l = isRecord(message.location) ? message.location : null;
    const at = l ? coordinates(l.latitude, l.longitude) : null;
    if (!at) throw new MalformedMessage('a location message without a valid latitude and longitude');
    return { ...base, location: { ...at, name: stringOf(l!.name), address: stringOf(l!.address) } };
  }
  return { ...base, unsupported: UNSUPPORTED[type] ?? `pesan jenis ${type.slice(0, 30)} / a ${type.slice(0, 30)} message` };
}

// ---- media ----

/**
 * A photo by its media id: `GET /{media-id}` gives a short-lived URL (and the size), which is then
 * fetched with the same token. Over the limit, it is refused before a byte of it is read.
 */
export async function downloadWhatsAppMedia(config: WhatsAppConfig, mediaId: string, maxBytes: number): Promise<File> {
  const auth = { authorization: `Bearer ${config.token}` };
  const res = await fetch(`${config.apiUrl}/${encodeURIComponent(mediaId)}`, {
    headers: auth,
    signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
  });
  const meta = await jsonOf(res);
  if (res.status === 404 || (res.status === 400 && meta)) throw new MediaUnavailable(`media ${mediaId} is not available (${res.status})`);
  if (!res.ok || !meta) throw new Error(`media lookup answered ${res.status}`);
  const url = stringOf(meta.url);
  if (!url) throw new MediaUnavailable('the media lookup gave no url');
  const size = Number(meta.file_size);
  if (Number.isFinite(size) && size > maxBytes) throw new MediaUnavailable(`the photo is larger than ${maxBytes} bytes`);
  const bytes = await downloadCapped(url, { headers: auth }, maxBytes);
  const type = stringOf(meta.mime_type) ?? 'application/octet-stream';
  return new File([bytes as Uint8Array<ArrayBuffer>], `whatsapp-${mediaId}.${type.split('/')[1] ?? 'bin'}`, { type });
}

// ---- send ----

/** The request body of one text message, as the Cloud API documents it. */
export function whatsappTextBody(message: ChatMessage): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to.chatId,
    type: 'text',
    text: { preview_url: false, body: message.text },
    ...(message.to.replyTo ? { context: { message_id: message.to.replyTo } } : {}),
  };
}

// Errors that will not go away by themselves: a number not on WhatsApp, a user who cannot
// receive this message, a text refused.
const PERMANENT_CODES = new Set([100, 131008, 131009, 131021, 131026, 131047, 131051]);

export async function sendWhatsApp(config: WhatsAppConfig, message: ChatMessage): Promise<{ id: string }> {
  const res = await fetch(`${config.apiUrl}/${config.phoneNumberId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(whatsappTextBody(message)),
    signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
  });
  const body = await jsonOf(res);
  if (res.ok) {
    const id = Array.isArray(body?.messages) && isRecord(body.messages[0]) ? stringOf(body.messages[0].id) : null;
    if (id) return { id };
    throw platformError('WhatsApp answered without a message id', { status: res.status, permanent: false });
  }
  const error = isRecord(body?.error) ? body.error : {};
  const code = Number(error.code);
  throw platformError(`WhatsApp answered ${res.status}: ${stringOf(error.code) ?? ''} ${stringOf(error.message) ?? ''}`.trim(), {
    status: res.status,
    permanent: PERMANENT_CODES.has(code) && res.status !== 429,
  });
}
