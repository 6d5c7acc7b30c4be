import { createHash } from 'node:crypto';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Queryable } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { localDate } from '../../domain/calendar.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError } from '../../errors.ts';
import { enqueue } from '../notifications/outbox.ts';
import { performAction } from '../reports/report-actions.service.ts';
import { submitReport } from '../reports/reports.service.ts';
import { type Handled, type InboundRow, receiveInbound } from './intake.ts';
import { createChannelReporter, knownReporter, lockIdentity } from './reporters.ts';

/**
 * Email into lapor (issue 11 §5): an SMTP server (nodemailer's smtp-server) on
 * INBOUND_SMTP_HOST:INBOUND_SMTP_PORT, for mail to INBOUND_EMAIL_ADDRESS. Normally it sits behind
 * the organisation's own MTA, which relays to it. Each message is stored raw (its whole source)
 * before the SMTP transaction is acknowledged; a temporary failure (451) makes the sending server
 * try again, and the de-duplication by Message-ID makes a second delivery one message.
 *
 * Then: a reply to one of lapor's own messages (In-Reply-To / References naming a Message-ID lapor
 * sent, or the report's first message) from the report's reporter goes onto that report; any
 * other message is a new report, its subject the title, its text the body, its files attached
 * (through the same checks as the portal's). Automatic mail (out-of-office, bounces, lists) is
 * kept and never answered, so two robots cannot write to each other for ever.
 */

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

const MESSAGE_ID = /^message-id:\s*(<[^>\r\n]{1,900}>)/im;

export function startInboundSmtp(deps: AppDeps): Promise<InboundSmtp> {
  const cfg = deps.config.inboundEmail!;
  const accepted = cfg.address.toLowerCase();
  const server = new SMTPServer({
    name: cfg.hostname,
    banner: 'LAPOR! SP4N',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: cfg.maxBytes,
    logger: false,
    // no DNS lookups of the client: the answer would not change what is stored
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() !== accepted) {
        const err = Object.assign(new Error(`No such recipient here: only ${cfg.address}`), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error(`Message larger than ${cfg.maxBytes} bytes`), { responseCode: 552 }));
        }
        const source = Buffer.concat(chunks);
        const text = source.toString('utf8');
        const utf8 = Buffer.from(text, 'utf8').equals(source);
        const end = text.search(/\r?\n\r?\n/);
        const head = end >= 0 ? text.slice(0, end) : text;
        const messageId = MESSAGE_ID.exec(head)?.[1] ?? `sha256:${createHash('sha256').update(source).digest('hex')}`;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        receiveInbound(deps, {
          channel: 'email',
          gateway: 'smtp',
          messageId,
          sender: from,
          receiver: cfg.address,
          text: null,
          raw: {
            source: utf8 ? text : source.toString('base64'),
            encoding: utf8 ? 'utf8' : 'base64',
            envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) },
            remoteAddress: session.remoteAddress,
          },
          receivedAt: deps.now(),
        }).then(
          () => callback(),
          (err: Error) => {
            deps.logger?.error({ err: { message: err.message } }, 'inbound email could not be stored; the sender will try again');
            callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => {
      const address = server.server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : cfg.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): string | null {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const o of list) for (const v of o.value) if (v.address) return v.address.toLowerCase();
  return null;
}

/** The reply's own words: without the quoted message below ("On … wrote:", "> …") or a signature. */
export function ownWords(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*>/.test(line)) break;
    if (/^(On|Pada)\b.{0,200}(wrote|menulis):\s*$/i.test(line.trim())) break;
    if (/^-{2,}\s*(Original Message|Pesan Asli)/i.test(line.trim())) break;
    if (line.trim() === '--') break;
    out.push(line);
  }
  return out.join('\n').trim();
}

const isAutomatic = (headers: Map<string, unknown>, from: string | null): string | null => {
  const auto = String(headers.get('auto-submitted') ?? '').toLowerCase();
  if (auto && auto !== 'no') return `automatic mail (Auto-Submitted: ${auto})`;
  const precedence = String(headers.get('precedence') ?? '').toLowerCase();
  if (['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) return `automatic mail (Precedence: ${precedence})`;
  if (headers.has('list-id')) return 'mailing-list mail';
  if (from && /^(mailer-daemon|postmaster|no-?reply)@/i.test(from)) return `automatic mail (from ${from})`;
  return null;
};

/** A stored email, parsed again from its source; null when the row holds no source. */
export async function parseStored(raw: Record<string, unknown>) {
  const r = raw as { source?: string; encoding?: string };
  if (typeof r.source !== 'string') return null;
  const source = r.encoding === 'base64' ? Buffer.from(r.source, 'base64') : Buffer.from(r.source, 'utf8');
  return simpleParser(source, { skipHtmlToText: false, skipTextLinks: true });
}

/** Who wrote a stored email: its From address, else the envelope sender. */
export async function emailSenderOf(raw: Record<string, unknown>, envelopeSender: string | null): Promise<string | null> {
  const mail = await parseStored(raw);
  return (mail ? firstAddress(mail.from) : null) ?? (envelopeSender ? envelopeSender.toLowerCase() : null);
}

export async function handleEmail(deps: AppDeps, tx: Queryable, m: InboundRow): Promise<Handled> {
  const mail = await parseStored(m.raw);
  if (!mail) return { status: 'unparsed', outcome: 'rejected', reason: 'no message source' };
  const from = firstAddress(mail.from) ?? (m.sender ? m.sender.toLowerCase() : null);
  if (!from) return { status: 'unparsed', outcome: 'rejected', reason: 'no sender address' };
  const automatic = isAutomatic(mail.headers, from);
  if (automatic) return { status: 'processed', outcome: 'rejected', reason: automatic };
  if (from === deps.config.inboundEmail?.address.toLowerCase())
    return { status: 'processed', outcome: 'rejected', reason: 'mail from lapor itself' };

  const subject = (mail.subject ?? '').replace(/\s+/g, ' ').trim();
  const text = (mail.text ?? '').trim();
  const refs = [mail.inReplyTo, ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])]
    .filter((r): r is string => typeof r === 'string' && r.length > 0)
    .slice(0, 50);
  const reply = (body: string, userId: number | null) => sendEmailReply(tx, deps, m, from, `Re: ${subject || 'LAPOR!'}`, body, userId);

  // A reply onto a report: threaded by the headers lapor's own messages carry.
  if (refs.length > 0) {
    const [thread] = await tx.query<{ tracking_id: string }>(
      `SELECT r.tracking_id FROM outbox o JOIN reports r ON r.tracking_id = o.payload->>'trackingId'
        WHERE o.message_id = ANY($1::text[])
       UNION
       SELECT tracking_id FROM reports WHERE channel = 'email' AND channel_message->>'messageId' = ANY($1::text[])
       LIMIT 1`,
      [refs],
    );
    if (thread) {
      const reporter = await knownReporter(tx, 'email', from);
      const words = ownWords(text);
      if (!reporter) {
        return { status: 'unparsed', outcome: 'rejected', reason: `a reply on ${thread.tracking_id} from someone who is not its reporter` };
      }
      if (words.length === 0) {
        await reply('Balasan Anda kosong; tulis pesannya di atas kutipan. / Your reply was empty.', reporter.userId);
        return { status: 'processed', outcome: 'rejected', reason: 'empty reply', userId: reporter.userId };
      }
      try {
        await performAction(deps, reporter, thread.tracking_id, 'reply', { message: words.slice(0, 5000) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        await reply(`Balasan tidak dapat dicatat: ${err.message}`, reporter.userId);
        return { status: 'processed', outcome: 'rejected', reason: `${err.code}: ${err.message}`.slice(0, 300), userId: reporter.userId };
      }
      const [r] = await tx.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [thread.tracking_id]);
      return { status: 'processed', outcome: 'reply', reportId: r?.id ?? null, userId: reporter.userId };
    }
  }

  // A new report.
  const body = ownWords(text) || text;
  if (body.length < 20) {
    await reply(
      'Laporan Anda terlalu singkat (minimal 20 huruf): tulis apa, di mana dan kapan terjadi. / Your report is too short: say what, where and when.',
      null,
    );
    return { status: 'unparsed', outcome: 'rejected', reason: 'report text shorter than 20 characters' };
  }
  const title = subject.length >= 5 ? subject.slice(0, 200) : body.replace(/\s+/g, ' ').slice(0, 80);
  const reporter = await emailReporter(tx, from, deps.now());
  const files = mail.attachments
    .filter((a) => a.contentDisposition !== 'inline' || a.contentType.startsWith('image/'))
    .slice(0, deps.config.maxAttachments)
    .map((a) => new File([new Uint8Array(a.content)], a.filename ?? 'lampiran', { type: a.contentType }));
  const input = {
    classification: 'pengaduan' as const,
    title,
    body: body.slice(0, 10_000),
    incidentDate: localDate(m.received_at, 'Asia/Jakarta'),
    anonymous: false,
    secret: false,
    channel: 'email' as const,
  };
  let filed: { reportId: number; trackingId: string };
  let note: string | null = null;
  try {
    filed = await submitReport(deps, reporter, input, files);
  } catch (err) {
    // A file the portal would refuse (a type, a size) does not cost the citizen the report.
    if (!(err instanceof AppError) || err.code !== 'invalid_input' || files.length === 0) throw err;
    note = `attachments refused: ${err.message}`.slice(0, 300);
    filed = await submitReport(deps, reporter, input, []);
  }
  await tx.query('UPDATE reports SET channel_message = $2 WHERE id = $1', [
    filed.reportId,
    JSON.stringify({ gateway: 'smtp', messageId: m.message_id, from, subject, receivedAt: m.received_at }),
  ]);
  return { status: 'processed', outcome: 'report', reportId: filed.reportId, userId: reporter.userId, reason: note };
}

async function sendEmailReply(
  tx: Queryable,
  deps: AppDeps,
  m: InboundRow,
  to: string,
  subject: string,
  text: string,
  userId: number | null,
): Promise<void> {
  await enqueue(tx, {
    channel: 'email',
    recipientUserId: userId,
    recipientAddress: to,
    template: 'email.reply',
    payload: { subject: subject.slice(0, 200), text, inReplyTo: m.message_id.startsWith('<') ? m.message_id : null },
    idempotencyKey: `inbound:${m.id}:reply`,
    availableAt: deps.now(),
  });
}

/**
 * The reporter behind an address, made on first contact. An account that registered the address
 * is that reporter only once it proved it (signed in with a code sent to it): until then the
 * sender gets an account of their own, reached through its channel identity.
 */
export async function emailReporter(tx: Queryable, address: string, now: Date): Promise<Principal> {
  const held = await lockIdentity(tx, 'email', address);
  if (held) {
    if (held.usable) return held.principal;
    throw new AppError('forbidden', 'Akun pelapor alamat ini nonaktif / This address’s reporter account is disabled');
  }
  const [taken] = await tx.query<{ id: number }>('SELECT id FROM users WHERE lower(email) = $1', [address]);
  return createChannelReporter(
    tx,
    'email',
    address,
    { name: `Pelapor email ${address.split('@')[0]!.slice(0, 40)}`, email: taken ? null : address },
    now,
  );
}
