import type { Queryable } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { localDate } from '../../domain/calendar.ts';
import { normalizePhone } from '../../domain/phone.ts';
import type { Principal } from '../../domain/principal.ts';
import { concatInfo, fitSegments, splitCommand } from '../../domain/sms.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import { AppError } from '../../errors.ts';
import { formatDue } from '../notifications/templates.ts';
import { enqueue } from '../notifications/outbox.ts';
import { performAction } from '../reports/report-actions.service.ts';
import { getReportWithClocks, submitReport } from '../reports/reports.service.ts';
import type { Handled, InboundRow } from './intake.ts';
import { createChannelReporter, knownReporter, linkIdentity, lockIdentity } from './reporters.ts';

/**
 * SMS to 1708 (issue 11 §2): the commands, configured as data in `sms_keywords`.
 *
 *   LAPOR <text>              files a report; the receipt with its tracking ID goes out by SMS
 *   LAPORYAI <text>, …        the same, for the keyword's region and body
 *   CEK <tracking ID>         its status, who holds it, the running deadline
 *   BALAS <tracking ID> <text> a reply on one's own report (completes a held one, reopens an answer)
 *   TERIMA <tracking ID>      accepts an answer
 *   NILAI <tracking ID> <1–5> rates the outcome
 *   anything else             a short help text; the message is kept for an admin to handle
 */

/** The longest reply a command sends: three segments (459 GSM-7 characters, 201 UCS-2). */
export const SMS_REPLY_SEGMENTS = 3;

/** Parts of a long SMS that did not arrive together wait this long for the others. */
export const PART_WAIT_MS = 10 * 60_000;

const HELP =
  'LAPOR! 1708: kirim LAPOR <isi laporan>; CEK <nomor>; BALAS <nomor> <pesan>; TERIMA <nomor>; NILAI <nomor> <1-5>. ' +
  'Send LAPOR <your report>; CEK <tracking ID> for its status.';

interface KeywordRow {
  keyword: string;
  command: 'report' | 'status' | 'reply' | 'accept' | 'rate' | 'help';
  region_code: string | null;
  body_id: number | null;
}

export async function handleSms(deps: AppDeps, tx: Queryable, m: InboundRow): Promise<Handled> {
  const sender = smsHandle(m.sender);
  if (!sender) return { status: 'unparsed', outcome: 'rejected', reason: 'no sender number' };
  const reply = (text: string, userId: number | null) => sendReply(tx, deps, m, sender, text, userId);

  // One part of a long SMS the gateway did not put together: wait for the others.
  const combined = await combineParts(tx, m, sender);
  if (combined === 'waiting') return { status: 'partial', outcome: null, reason: 'waiting for the other parts of a long SMS' };
  const text = (combined ?? m.text ?? '').trim();

  if (text === '') {
    await reply(HELP, null);
    return { status: 'unparsed', outcome: 'help', reason: 'empty message' };
  }
  const { keyword, rest } = splitCommand(text);
  const [kw] = await tx.query<KeywordRow>(
    `SELECT k.keyword, k.command, k.region_code, b.id AS body_id
       FROM sms_keywords k LEFT JOIN bodies b ON b.code = k.body_code AND b.active
      WHERE k.keyword = $1 AND k.active`,
    [keyword],
  );
  if (!kw || kw.command === 'help') {
    await reply(HELP, null);
    // Kept for an admin: "jalan rusak di depan rumah" without LAPOR is a report all the same.
    return kw
      ? { status: 'processed', outcome: 'help' }
      : { status: 'unparsed', outcome: 'help', reason: `unknown keyword "${keyword.slice(0, 20)}"` };
  }

  if (kw.command === 'report') {
    if (rest.length < 20) {
      await reply(
        `Laporan terlalu singkat (minimal 20 huruf). Kirim ${kw.keyword} <apa, di mana, kapan>. / Too short: at least 20 characters.`,
        null,
      );
      return { status: 'unparsed', outcome: 'rejected', reason: 'report text shorter than 20 characters' };
    }
    const reporter = await smsReporter(tx, sender, deps.now());
    const filed = await submitReport(
      deps,
      reporter,
      {
        classification: 'pengaduan',
        title: titleOf(rest),
        body: rest.slice(0, 10_000),
        incidentDate: localDate(deps.now(), 'Asia/Jakarta'),
        regionCode: kw.region_code,
        suggestedBodyId: kw.body_id,
        anonymous: false,
        secret: false,
        channel: 'sms',
      },
      [],
    );
    await tx.query('UPDATE reports SET channel_message = $2 WHERE id = $1', [
      filed.reportId,
      JSON.stringify({ gateway: m.gateway, messageId: m.message_id, from: sender, to: m.receiver, text, receivedAt: m.received_at }),
    ]);
    // The receipt with the tracking ID is the lifecycle's own message (report.received), sent by SMS.
    return { status: 'processed', outcome: 'report', reportId: filed.reportId, userId: reporter.userId };
  }

  // The other commands name a report: "CEK ABC123", "BALAS ABC123 teks".
  const [first = '', ...words] = rest.split(/\s+/);
  const trackingId = normalizeTrackingId(first);
  if (!trackingId) {
    await reply(`Nomor laporan tidak dikenali. Contoh: ${kw.keyword} ${exampleFor(kw.command)}. / Tracking ID not recognised.`, null);
    return { status: 'processed', outcome: 'rejected', reason: 'no tracking ID' };
  }
  const reporter = await knownReporter(tx, 'sms', sender);
  try {
    if (kw.command === 'status') {
      await reply(await statusText(deps, reporter, trackingId), reporter?.userId ?? null);
      return { status: 'processed', outcome: 'status', userId: reporter?.userId ?? null };
    }
    if (!reporter) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
    const message = words.join(' ').trim();
    if (kw.command === 'reply') {
      if (message.length === 0) {
        await reply(`Tulis pesannya: BALAS ${trackingId} <pesan>. / Write the message after the tracking ID.`, reporter.userId);
        return { status: 'processed', outcome: 'rejected', reason: 'reply without text' };
      }
      const report = await performAction(deps, reporter, trackingId, 'reply', { message: message.slice(0, 5000) });
      await reply(
        `Balasan Anda pada laporan ${trackingId} diterima. Status: ${report.statusLabel.id}. / Your reply was received.`,
        reporter.userId,
      );
      return { status: 'processed', outcome: 'reply', userId: reporter.userId, reportId: await reportIdOf(tx, trackingId) };
    }
    if (kw.command === 'accept') {
      await performAction(deps, reporter, trackingId, 'accept', {});
      await reply(
        `Terima kasih. Laporan ${trackingId} selesai. Beri nilai: NILAI ${trackingId} <1-5>. / Thank you; rate it with NILAI.`,
        reporter.userId,
      );
      return { status: 'processed', outcome: 'reply', userId: reporter.userId, reportId: await reportIdOf(tx, trackingId) };
    }
    // rate
    const rating = Number(words[0]);
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
      await reply(`Nilai 1 sampai 5. Contoh: NILAI ${trackingId} 4. / A rating from 1 to 5.`, reporter.userId);
      return { status: 'processed', outcome: 'rejected', reason: 'rating not 1-5' };
    }
    const comment = words.slice(1).join(' ').trim();
    await performAction(deps, reporter, trackingId, 'rate', { rating, ...(comment ? { message: comment.slice(0, 5000) } : {}) });
    await reply(`Terima kasih atas penilaian ${rating} untuk laporan ${trackingId}. / Thank you for rating it.`, reporter.userId);
    return { status: 'processed', outcome: 'reply', userId: reporter.userId, reportId: await reportIdOf(tx, trackingId) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // A refusal is an answer too: the citizen hears why, in words (not found, not now, not allowed).
    const why = err.code === 'forbidden' || err.code === 'not_found' ? 'Laporan tidak ditemukan / Report not found' : err.message;
    await reply(`${trackingId}: ${why}`, reporter?.userId ?? null);
    return {
      status: 'processed',
      outcome: 'rejected',
      reason: `${err.code}: ${err.message}`.slice(0, 300),
      userId: reporter?.userId ?? null,
    };
  }
}

/** The sender as the channel identity keeps it: +62… for an Indonesian number, else its digits with a +. */
export function smsHandle(sender: string | null): string | null {
  if (!sender) return null;
  const phone = normalizePhone(sender);
  if (phone) return phone;
  const digits = sender.replace(/[^\d]/g, '');
  return digits.length >= 3 && digits.length <= 20 ? `+${digits.replace(/^00/, '')}` : null;
}

/** A title from the first sentence or the first words, 5 to 80 characters. */
export function titleOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^(.{5,80}?)[.!?](\s|$)/.exec(flat)?.[1];
  if (sentence) return sentence;
  if (flat.length <= 80) return flat;
  const cut = flat.slice(0, 80);
  const space = cut.lastIndexOf(' ');
  return `${space > 40 ? cut.slice(0, space) : cut}…`;
}

function exampleFor(command: KeywordRow['command']): string {
  if (command === 'reply') return '<nomor> <pesan>';
  if (command === 'rate') return '<nomor> <1-5>';
  return '<nomor>';
}

export async function statusText(deps: AppDeps, reporter: Principal | null, trackingId: string): Promise<string> {
  // The sender's own report in full; anyone else's only as the public sees it (a secret or
  // unverified report is "not found" to them, exactly as on the portal).
  const report = await getReportWithClocks(deps, reporter, trackingId);
  const holder = report.unit?.name ?? report.responsibleBody?.name ?? 'Admin Nasional LAPOR!';
  const running = report.clocks.find((c) => c.state === 'running' && c.dueAt);
  const due = running?.dueAt ? formatDue(running.dueAt, running.timeZone).id : null;
  return `Laporan ${report.trackingId}: ${report.statusLabel.id}. Ditangani: ${holder}.${due ? ` Batas: ${due}.` : ''} / ${report.statusLabel.en}.`;
}

async function sendReply(tx: Queryable, deps: AppDeps, m: InboundRow, to: string, text: string, userId: number | null): Promise<void> {
  await enqueue(tx, {
    channel: 'sms',
    recipientUserId: userId,
    recipientAddress: to,
    template: 'sms.reply',
    payload: { text: fitSegments(text, SMS_REPLY_SEGMENTS) },
    idempotencyKey: `inbound:${m.id}:reply`,
    availableAt: deps.now(),
  });
}

async function reportIdOf(tx: Queryable, trackingId: string): Promise<number | null> {
  const [row] = await tx.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [trackingId]);
  return row?.id ?? null;
}

// ---- who sent it ----

/**
 * The reporter behind a number, made on first contact. An SMS from a number proves it: a number
 * already held by a reporter account that verified it is that reporter. A number someone typed
 * into a registration without proving it is not theirs: the sender gets an account of their own,
 * which the number reaches through its channel identity. A staff account is never a channel's reporter.
 */
export async function smsReporter(tx: Queryable, handle: string, now: Date): Promise<Principal> {
  const held = await lockIdentity(tx, 'sms', handle);
  if (held) {
    if (held.usable) return held.principal;
    throw new AppError('forbidden', 'Akun pelapor nomor ini nonaktif / This number’s reporter account is disabled');
  }
  const [verified] = await tx.query<{ id: number; name: string }>(
    `SELECT id, name FROM users WHERE phone = $1 AND phone_verified_at IS NOT NULL AND role = 'reporter' AND disabled_at IS NULL`,
    [handle],
  );
  if (verified) {
    await linkIdentity(tx, verified.id, 'sms', handle, now);
    return { userId: verified.id, role: 'reporter', name: verified.name, bodyId: null };
  }
  const [taken] = await tx.query<{ id: number }>('SELECT id FROM users WHERE phone = $1', [handle]);
  return createChannelReporter(
    tx,
    'sms',
    handle,
    { name: 'Pelapor SMS', phone: taken ? null : handle, phoneVerifiedAt: taken ? null : now },
    now,
  );
}

// ---- long messages in parts ----

/**
 * A long SMS travels as parts with a concatenation header. Kannel normally joins them
 * (`sms-combine-concatenated-mo`); when it hands them over one by one (%u carries the header),
 * they are joined here: each part waits as 'partial', and the last to arrive carries the whole
 * text, in sequence order. Returns null for a message that is not a part, 'waiting' while parts are
 * missing, or the joined text.
 */
async function combineParts(tx: Queryable, m: InboundRow, sender: string): Promise<string | 'waiting' | null> {
  const info = concatInfo(typeof m.raw.udh === 'string' ? m.raw.udh : null);
  if (!info || info.total < 2) return null;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`concat:${sender}:${info.reference}`]);
  const since = new Date(m.received_at.getTime() - PART_WAIT_MS);
  const parts = await tx.query<{ id: number; text: string | null; raw: Record<string, unknown> }>(
    `SELECT id, text, raw FROM inbound_messages
      WHERE channel = 'sms' AND gateway = $1 AND sender = $2 AND status = 'partial' AND received_at >= $3 AND id <> $4
      ORDER BY id FOR UPDATE`,
    [m.gateway, m.sender, since, m.id],
  );
  const bySequence = new Map<number, { id: number | null; text: string }>();
  for (const p of parts) {
    const pi = concatInfo(typeof p.raw.udh === 'string' ? p.raw.udh : null);
    if (pi && pi.reference === info.reference && pi.total === info.total) bySequence.set(pi.sequence, { id: p.id, text: p.text ?? '' });
  }
  bySequence.set(info.sequence, { id: null, text: m.text ?? '' });
  if (bySequence.size < info.total) return 'waiting';
  const ids = [...bySequence.values()].map((p) => p.id).filter((id): id is number => id !== null);
  await tx.query(`UPDATE inbound_messages SET status = 'processed', outcome = 'combined', reason = $2 WHERE id = ANY($1::bigint[])`, [
    ids,
    `joined into message ${m.id}`,
  ]);
  return [...bySequence.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, p]) => p.text)
    .join('');
}
