import type { Config } from '../../config.ts';
import type { ChatPlatform, ChatTransport } from '../notifications/outbox.ts';
import { platformError } from './media.ts';
import { sendTelegram } from './telegram.ts';
import { sendWhatsApp } from './whatsapp.ts';
import { sendTweet } from './x.ts';

/**
 * The outbox's 'chat' sender: each message to its platform, by `payload.chat.platform`. Null when
 * no platform is configured; a platform that is off leaves its rows waiting in the outbox.
 */
export function createChatTransport(config: Config): ChatTransport | null {
  const platforms: ChatPlatform[] = [];
  if (config.x) platforms.push('x');
  if (config.whatsapp) platforms.push('whatsapp');
  if (config.telegram) platforms.push('telegram');
  if (platforms.length === 0) return null;
  return {
    platforms,
    async send(message) {
      switch (message.to.platform) {
        case 'x':
          if (config.x) return sendTweet(config.x, message);
          break;
        case 'whatsapp':
          if (config.whatsapp) return sendWhatsApp(config.whatsapp, message);
          break;
        case 'telegram':
          if (config.telegram) return sendTelegram(config.telegram, message);
          break;
      }
      throw platformError(`${message.to.platform} is not configured`, { permanent: false });
    },
  };
}

/** What main.ts prints at start, one line per platform. */
export function chatStatusLines(config: Config): string[] {
  return [
    config.x
      ? `X on: mentions of account ${config.x.accountId} with #lapor at /channels/x/webhook, replies through ${new URL(config.x.apiUrl).origin}`
      : 'X_CONSUMER_SECRET not set: X is off / X nonaktif',
    config.whatsapp
      ? `WhatsApp on: phone number ${config.whatsapp.phoneNumberId} at /channels/whatsapp/webhook, through ${new URL(config.whatsapp.apiUrl).origin}`
      : 'WHATSAPP_APP_SECRET not set: WhatsApp is off / WhatsApp nonaktif',
    config.telegram
      ? `Telegram on: bot ${config.telegram.botToken.split(':')[0]} at /channels/telegram/webhook, through ${new URL(config.telegram.apiUrl).origin}`
      : 'TELEGRAM_BOT_TOKEN not set: Telegram is off / Telegram nonaktif',
  ];
}
