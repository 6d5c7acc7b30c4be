import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { type EmailConfig, emailDomainOf } from '../../config.ts';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** With angle brackets. Stable per outbox row, so a retried send carries the same id. */
  messageId: string;
  /** The message this one answers (a citizen's email that became the report), so mail clients keep the thread. */
  inReplyTo?: string;
  references?: string[];
}

/** Sends one email. Throws on any failure; the dispatcher decides whether to retry. */
export interface EmailTransport {
  send(msg: EmailMessage): Promise<{ id: string }>;
  /** The domain for Message-IDs (the sender's); 'lapor.invalid' when absent. */
  readonly messageIdDomain?: string;
}

// The whole send must end well inside the dispatcher's one-minute lease, or another dispatcher
// could take the row over and send it a second time. Nodemailer's defaults (2 min to connect,
// 10 min of socket silence) are far longer than that.
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;
const SEND_TIMEOUT_MS = 40_000;

/** SMTP through nodemailer, with a small connection pool so a batch reuses one session. */
export class SmtpTransport implements EmailTransport {
  readonly messageIdDomain: string;
  private readonly from: string;
  private readonly mailer: ReturnType<typeof nodemailer.createTransport>;

  constructor(options: { url: string; from: string }) {
    this.from = options.from;
    this.messageIdDomain = emailDomainOf(options.from) ?? 'lapor.invalid';
    this.mailer = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: 2,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
  }

  async send(msg: EmailMessage): Promise<{ id: string }> {
    const info = await this.mailer.sendMail({
      from: this.from,
      to: msg.to,
      subject: msg.subject,
      text: msg.text,
      messageId: msg.messageId,
      ...(msg.inReplyTo ? { inReplyTo: msg.inReplyTo, references: msg.references ?? [msg.inReplyTo] } : {}),
      // Automatic mail: no out-of-office replies back to the sender (RFC 3834).
      headers: { 'Auto-Submitted': 'auto-generated' },
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    // With one recipient a refusal already throws; this catches a server that accepted the
    // envelope for nobody without saying so.
    if (info.rejected.length > 0 || info.accepted.length === 0) {
      throw new Error(`recipient refused: ${info.response}`);
    }
    return { id: info.serverMessageId ?? info.messageId };
  }

  /** Closes idle pooled connections; call on shutdown. */
  close(): void {
    this.mailer.close();
  }
}

/** The transport the configuration asks for, or null when no SMTP server is configured. */
export function createEmailTransport(config: EmailConfig): SmtpTransport | null {
  if (!config.smtpUrl) return null;
  if (!config.smtpFrom) throw new Error('SMTP_FROM is required when SMTP_URL is set');
  return new SmtpTransport({ url: config.smtpUrl, from: config.smtpFrom });
}

/**
 * A Message-ID made from the outbox idempotency key: every attempt at one row carries the same id,
 * so a receiving server or mail client can recognise a retry (after a send whose acknowledgement was
 * lost) as the same message. The readable part helps support staff; the hash keeps it unique after
 * characters that a Message-ID cannot hold are replaced.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const readable = idempotencyKey
    .replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 80)
    .replace(/\.+$/, '');
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
  return `<lapor.${readable ? `${readable}.` : ''}${hash}@${domain}>`;
}
