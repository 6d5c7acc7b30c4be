import type { ChatPlatform } from '../notifications/outbox.ts';

/**
 * A WhatsApp or Telegram message as the chat flow reads it (chat.service.ts), whatever the
 * platform's shape. Each platform's parser (whatsapp.ts, telegram.ts) makes it from the raw
 * message the intake stored, so a replay reads exactly what the first handling read.
 */

export interface ChatMedia {
  /** The platform's handle for the file: a WhatsApp media id, a Telegram file_id. */
  ref: string;
  mimeType: string | null;
  /** As the platform declares it, when it does. */
  size: number | null;
}

export interface ChatLocation {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
}

export interface ChatInbound {
  platform: Exclude<ChatPlatform, 'x'>;
  /** Where the answer goes, and the sender's channel identity: a WhatsApp wa_id, a Telegram chat id. */
  chatId: string;
  /** The name the sender's profile shows, for a new reporter. */
  name: string | null;
  /** The text, or a photo's caption. */
  text: string | null;
  /** A photo (the largest size Telegram offers within the limit). */
  photo: ChatMedia | null;
  location: ChatLocation | null;
  /** The message's own id on the platform, which an answer quotes. */
  messageRef: string | null;
  /** Not a message the flow takes (a voice note, a sticker, a group), with the reason; it is kept for an admin. */
  unsupported: string | null;
  /** Not answered at all: a group chat, another bot, an update that is not a message. */
  quiet?: boolean;
}

/** A stored message's raw body did not hold what its platform sends: kept unparsed with this reason. */
export class MalformedMessage extends Error {}
