import { joinTransaction } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { localDate } from '../../domain/calendar.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Classification } from '../../domain/report.ts';
import { AppError } from '../../errors.ts';
import { submitReport } from '../reports/reports.service.ts';
import type { InboundChannel, InboundOutcome, InboundStatus } from './intake.ts';
import { emailReporter, emailSenderOf } from './email.service.ts';
import { CHAT_PLATFORMS, type ChatPlatform } from '../notifications/outbox.ts';
import { chatReporter } from './chat.service.ts';
import { smsHandle, smsReporter } from './sms.service.ts';

/**
 * The raw store as a national admin works it (issue 11 §1): a message that could not be
 * understood stays with its reason; the admin reads it, and turns it into a report by hand (for
 * the sender, who is told by their channel) or closes it as not a report. Nothing is deleted.
 * The store holds senders' numbers and words, so only national admins read it.
 */

export interface InboundJson {
  id: number;
  channel: InboundChannel;
  gateway: string;
  sender: string | null;
  receiver: string | null;
  text: string | null;
  receivedAt: string;
  status: InboundStatus;
  outcome: InboundOutcome | null;
  reason: string | null;
  report: { trackingId: string } | null;
  handledBy: { id: number; name: string } | null;
}

interface Row {
  id: number;
  channel: InboundChannel;
  gateway: string;
  sender: string | null;
  receiver: string | null;
  text: string | null;
  received_at: Date;
  status: InboundStatus;
  outcome: InboundOutcome | null;
  reason: string | null;
  tracking_id: string | null;
  handled_by: number | null;
  handler_name: string | null;
}

const COLUMNS = `m.id, m.channel, m.gateway, m.sender, m.receiver, m.text, m.received_at, m.status, m.outcome, m.reason,
  r.tracking_id, m.handled_by, h.name AS handler_name`;
const FROM = `FROM inbound_messages m LEFT JOIN reports r ON r.id = m.report_id LEFT JOIN users h ON h.id = m.handled_by`;

function toJson(row: Row): InboundJson {
  return {
    id: row.id,
    channel: row.channel,
    gateway: row.gateway,
    sender: row.sender,
    receiver: row.receiver,
    text: row.text,
    receivedAt: row.received_at.toISOString(),
    status: row.status,
    outcome: row.outcome,
    reason: row.reason,
    report: row.tracking_id ? { trackingId: row.tracking_id } : null,
    handledBy: row.handled_by === null ? null : { id: row.handled_by, name: row.handler_name ?? '' },
  };
}

function requireNationalAdmin(principal: Principal): void {
  if (principal.role !== 'national_admin') {
    throw new AppError('forbidden', 'Hanya admin nasional yang membaca pesan masuk / Only national admins read inbound messages');
  }
}

export const INBOUND_STATUSES = ['pending', 'processed', 'unparsed', 'partial'] as const;

export async function listInbound(
  deps: AppDeps,
  principal: Principal,
  filters: { status?: InboundStatus; channel?: InboundChannel; page: number; perPage: number },
): Promise<{ items: InboundJson[]; total: number; page: number; perPage: number }> {
  requireNationalAdmin(principal);
  const where: string[] = [];
  const params: unknown[] = [];
  if (filters.status) {
    params.push(filters.status);
    where.push(`m.status = $${params.length}`);
  }
  if (filters.channel) {
    params.push(filters.channel);
    where.push(`m.channel = $${params.length}`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ n }] = (await deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages m ${clause}`, params)) as [
    { n: number },
  ];
  const rows = await deps.db.query<Row>(
    `SELECT ${COLUMNS} ${FROM} ${clause} ORDER BY m.received_at DESC, m.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, filters.perPage, (filters.page - 1) * filters.perPage],
  );
  return { items: rows.map(toJson), total: n, page: filters.page, perPage: filters.perPage };
}

export async function getInbound(deps: AppDeps, principal: Principal, id: number): Promise<InboundJson> {
  requireNationalAdmin(principal);
  const [row] = await deps.db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE m.id = $1`, [id]);
  if (!row) throw new AppError('not_found', 'Pesan tidak ditemukan / Message not found');
  return toJson(row);
}

export interface FileByHandInput {
  classification: Classification;
  title: string;
  body: string;
  regionCode?: string | null;
  categoryId?: number | null;
  suggestedBodyId?: number | null;
}

/** Locks an unparsed message for a decision; anything else is a 404 or a 409 that says why. */
async function lockUnparsed(tx: { query: AppDeps['db']['query'] }, id: number) {
  const [m] = await tx.query<{
    id: number;
    channel: InboundChannel;
    gateway: string;
    message_id: string;
    sender: string | null;
    receiver: string | null;
    text: string | null;
    raw: Record<string, unknown>;
    status: InboundStatus;
    received_at: Date;
  }>(
    'SELECT id, channel, gateway, message_id, sender, receiver, text, raw, status, received_at FROM inbound_messages WHERE id = $1 FOR UPDATE',
    [id],
  );
  if (!m) throw new AppError('not_found', 'Pesan tidak ditemukan / Message not found');
  if (m.status !== 'unparsed') {
    throw new AppError('conflict', 'Pesan ini sudah ditangani / This message has been handled already');
  }
  return m;
}

/**
 * Files an unparsed message as a report for its sender, by hand. The report is the sender's
 * (their receipt goes out on their channel), its channel the message's, and the message points to it.
 */
export async function fileInboundAsReport(
  deps: AppDeps,
  principal: Principal,
  id: number,
  input: FileByHandInput,
): Promise<{ inbound: InboundJson; trackingId: string }> {
  requireNationalAdmin(principal);
  const trackingId = await deps.db.transaction(async (tx) => {
    const m = await lockUnparsed(tx, id);
    const now = deps.now();
    const chat = CHAT_PLATFORMS.includes(m.channel as ChatPlatform) ? (m.channel as ChatPlatform) : null;
    let reporter: Principal | null;
    if (m.channel === 'sms') {
      const handle = smsHandle(m.sender);
      if (!handle) throw new AppError('conflict', 'Pengirim pesan tidak diketahui / The sender is unknown');
      reporter = await smsReporter(tx, handle, now);
    } else if (m.channel === 'email') {
      const address = await emailSenderOf(m.raw, m.sender);
      if (!address?.includes('@')) throw new AppError('conflict', 'Pengirim pesan tidak diketahui / The sender is unknown');
      reporter = await emailReporter(tx, address, now);
    } else if (chat) {
      if (!m.sender) throw new AppError('conflict', 'Pengirim pesan tidak diketahui / The sender is unknown');
      reporter = await chatReporter(tx, chat, m.sender, null, now);
    } else {
      throw new AppError('conflict', `Pesan ${m.channel} belum dapat dijadikan laporan di sini / Not yet for ${m.channel} messages`);
    }
    if (!reporter)
      throw new AppError('conflict', 'Pengirim pesan adalah akun staf atau akun nonaktif / The sender is a staff or disabled account');
    const joined: AppDeps = { ...deps, db: joinTransaction(deps.db, tx) };
    const filed = await submitReport(
      joined,
      reporter,
      {
        classification: input.classification,
        title: input.title,
        body: input.body,
        incidentDate: localDate(m.received_at, 'Asia/Jakarta'),
        regionCode: input.regionCode ?? null,
        categoryId: input.categoryId ?? null,
        suggestedBodyId: input.suggestedBodyId ?? null,
        anonymous: false,
        secret: false,
        channel: m.channel,
        channelMessage: {
          inboundId: m.id,
          gateway: m.gateway,
          messageId: m.message_id,
          from: m.sender,
          to: m.receiver,
          text: m.text,
          receivedAt: m.received_at,
          // the receipt goes back on the chat it came from; on X, under the tweet
          ...(chat ? { chat: { platform: chat, chatId: m.sender, ...(chat === 'x' ? { replyTo: m.message_id } : {}) } } : {}),
        },
      },
      [],
    );
    await tx.query(
      `UPDATE inbound_messages SET status = 'processed', outcome = 'report', report_id = $2, user_id = $3, handled_by = $4,
              processed_at = $5, reason = COALESCE(reason, '') || ' (filed by hand)'
        WHERE id = $1`,
      [id, filed.reportId, reporter.userId, principal.userId, now],
    );
    return filed.trackingId;
  });
  deps.kickOutbox?.();
  return { inbound: await getInbound(deps, principal, id), trackingId };
}

/** Closes an unparsed message as not a report (a greeting, spam), with the reason; it stays in the store. */
export async function dismissInbound(deps: AppDeps, principal: Principal, id: number, reason: string): Promise<InboundJson> {
  requireNationalAdmin(principal);
  await deps.db.transaction(async (tx) => {
    await lockUnparsed(tx, id);
    await tx.query(
      `UPDATE inbound_messages SET status = 'processed', outcome = 'rejected', handled_by = $2, processed_at = $3,
              reason = $4 WHERE id = $1`,
      [id, principal.userId, deps.now(), `dismissed: ${reason}`.slice(0, 500)],
    );
  });
  return getInbound(deps, principal, id);
}
