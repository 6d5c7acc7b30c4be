import type { Queryable } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { localDate } from '../../domain/calendar.ts';
import type { Principal } from '../../domain/principal.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import { AppError } from '../../errors.ts';
import { type ChatAddress, type ChatPlatform, enqueue } from '../notifications/outbox.ts';
import { performAction } from '../reports/report-actions.service.ts';
import { submitReport } from '../reports/reports.service.ts';
import { type ChatInbound, type ChatLocation, MalformedMessage } from './chat-message.ts';
import type { Handled, InboundRow } from './intake.ts';
import { createChannelReporter, knownReporter, lockIdentity } from './reporters.ts';
import { MediaUnavailable } from './media.ts';
import { statusText, titleOf } from './sms.service.ts';
import { downloadTelegramFile, telegramInbound } from './telegram.ts';
import { downloadWhatsAppMedia, whatsappInbound } from './whatsapp.ts';

/**
 * WhatsApp and Telegram (issue 11 §5): a conversation, not a command line. The SMS keywords work
 * here too (LAPOR, CEK, BALAS, TERIMA, NILAI, the regional ones), and the tracking ID may be left
 * out: it is then the sender's open report. Beyond them the chat is read as people write it:
 *
 *   a message, with no report open          a new report (at least 20 characters, as by SMS)
 *   a photo or a location, no report open   kept for a moment (CHAT_PART_WAIT_MS), and joined to the
 *                                           report the next message files
 *   anything, with a report open            added to that report: a reply on its timeline (completing
 *                                           a report on hold), a photo as its attachment, a location
 *                                           onto the report when it has none
 *   anything, while the answer awaits       not taken as a reply (a "terima kasih" would reopen it):
 *                                           the sender is asked for TERIMA or BALAS <pesan>
 *   /start, /help, INFO, BANTUAN            the help text
 *
 * "Open" is the sender's latest report from this platform that is not closed or archived;
 * `LAPOR <isi>` files a new one all the same. Every answer goes back on the same chat.
 */

/** A photo or a location sent before the words waits this long for the message that files the report. */
export const CHAT_PART_WAIT_MS = 30 * 60_000;
/** A report's text, as by SMS: shorter is refused with what to send instead. */
export const MIN_REPORT_CHARS = 20;

const HELP =
  'LAPOR! — Layanan Aspirasi dan Pengaduan Online Rakyat. Tulis laporan Anda: apa, di mana, kapan (minimal 20 huruf); ' +
  'foto dan lokasi boleh dikirim menyusul. Pesan berikutnya ditambahkan ke laporan yang masih berjalan. ' +
  'Perintah: CEK (status), TERIMA (menerima jawaban), BALAS <pesan>, NILAI <1-5>, LAPOR <isi> (laporan baru).\n\n' +
  'Write your report: what, where, when; photos and a location may follow. Later messages are added to your open report. ' +
  'Commands: CEK (status), TERIMA (accept the answer), BALAS <message>, NILAI <1-5>, LAPOR <text> (a new report).';

const NAMES: Record<Exclude<ChatPlatform, 'x'>, string> = { whatsapp: 'Pelapor WhatsApp', telegram: 'Pelapor Telegram' };

/** Photos fetched before the handling transaction opens, by inbound message id. */
export interface ChatPrepared {
  files: Map<number, File>;
  /** Photos that will never come (too large, gone), with the reason. */
  missing: Map<number, string>;
}

/** The stored message as the flow reads it; MalformedMessage when it does not hold what its platform sends. */
export function chatInboundOf(deps: AppDeps, m: Pick<InboundRow, 'channel' | 'raw'>): ChatInbound {
  if (m.channel === 'whatsapp') return whatsappInbound(m.raw);
  if (m.channel === 'telegram') return telegramInbound(m.raw, deps.config.maxAttachmentBytes);
  throw new MalformedMessage(`not a chat channel: ${m.channel}`);
}

/**
 * Downloads, outside any transaction, the photo a message carries and, for a message that may
 * file a report, the photos waiting for it. A photo that will never come is noted, and the
 * message goes on without it; a platform that does not answer now throws, and the message stays
 * pending for the replay.
 */
export async function prepareChat(deps: AppDeps, m: InboundRow): Promise<ChatPrepared> {
  const prepared: ChatPrepared = { files: new Map(), missing: new Map() };
  let msg: ChatInbound;
  try {
    msg = chatInboundOf(deps, m);
  } catch (err) {
    if (err instanceof MalformedMessage) return prepared; // the handler says why
    throw err;
  }
  const wanted: { id: number; ref: string }[] = msg.photo ? [{ id: m.id, ref: msg.photo.ref }] : [];
  if (msg.text && msg.chatId) {
    for (const p of await waitingParts(deps.db, m)) {
      try {
        const part = chatInboundOf(deps, { channel: m.channel, raw: p.raw });
        if (part.photo) wanted.push({ id: p.id, ref: part.photo.ref });
      } catch {
        // a malformed part is not joined
      }
    }
  }
  for (const { id, ref } of wanted.slice(0, deps.config.maxAttachments)) {
    try {
      prepared.files.set(id, await downloadPhoto(deps, m.channel, ref));
    } catch (err) {
      if (!(err instanceof MediaUnavailable)) throw err;
      prepared.missing.set(id, err.message);
    }
  }
  return prepared;
}

function downloadPhoto(deps: AppDeps, channel: InboundRow['channel'], ref: string): Promise<File> {
  const max = deps.config.maxAttachmentBytes;
  if (channel === 'whatsapp' && deps.config.whatsapp) return downloadWhatsAppMedia(deps.config.whatsapp, ref, max);
  if (channel === 'telegram' && deps.config.telegram) return downloadTelegramFile(deps.config.telegram, ref, max);
  throw new Error(`${channel} is not configured: the photo cannot be fetched now`);
}

/** Photos and locations of this sender waiting for the report's words. */
function waitingParts(db: Queryable, m: InboundRow, lock = false) {
  return db.query<{ id: number; raw: Record<string, unknown> }>(
    `SELECT id, raw FROM inbound_messages
      WHERE channel = $1 AND sender = $2 AND status = 'partial' AND received_at >= $3 AND id <> $4
      ORDER BY id ${lock ? 'FOR UPDATE' : ''}`,
    [m.channel, m.sender, new Date(m.received_at.getTime() - CHAT_PART_WAIT_MS), m.id],
  );
}

interface KeywordRow {
  keyword: string;
  command: 'report' | 'status' | 'reply' | 'accept' | 'rate' | 'help';
  region_code: string | null;
  body_id: number | null;
}

interface OpenReport {
  id: number;
  tracking_id: string;
  status: string;
  latitude: number | null;
}

/** "/cek@LaporBot ABC" and "CEK: ABC" alike: the keyword in upper case and what follows. */
export function chatCommand(text: string): { keyword: string; rest: string } {
  const m = /^\s*\/?([A-Za-z][A-Za-z0-9]{0,19})(?:@\w+)?(?=$|[\s:.#,;-])[\s:.#,;-]*/.exec(text);
  if (!m) return { keyword: '', rest: text.trim() };
  return { keyword: m[1]!.toUpperCase(), rest: text.slice(m[0].length).trim() };
}

export async function handleChat(deps: AppDeps, tx: Queryable, m: InboundRow, prepared: ChatPrepared | undefined): Promise<Handled> {
  let msg: ChatInbound;
  try {
    msg = chatInboundOf(deps, m);
  } catch (err) {
    if (err instanceof MalformedMessage) return { status: 'unparsed', outcome: 'rejected', reason: `malformed: ${err.message}` };
    throw err;
  }
  const platform = msg.platform;
  const chat: ChatAddress = { platform, chatId: msg.chatId, replyTo: msg.messageRef };
  const reply = (text: string, userId: number | null, suffix = 'reply') => sendChatReply(tx, deps, m, chat, text, userId, suffix);
  if (msg.unsupported) {
    // a group or another bot hears nothing back; a person is told what we take
    const answer = msg.chatId !== '' && !msg.quiet;
    if (answer)
      await reply(
        `Maaf, ${msg.unsupported.split(' / ')[0]} belum dapat kami terima. Kirim teks, foto atau lokasi. / Please send text, a photo or a location.`,
        null,
      );
    return { status: 'unparsed', outcome: answer ? 'help' : null, reason: `not handled: ${msg.unsupported}` };
  }
  // One sender's messages are handled one at a time: two quick messages from a new sender make one
  // reporter and one report, the second added to the first.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`chat:${platform}:${msg.chatId}`]);

  const ctx: Ctx = { deps, tx, m, msg, prepared: prepared ?? { files: new Map(), missing: new Map() }, reply };
  const text = msg.text?.trim() ?? '';
  const { keyword, rest } = text ? chatCommand(text) : { keyword: '', rest: '' };
  const [kw] = keyword
    ? await tx.query<KeywordRow>(
        `SELECT k.keyword, k.command, k.region_code, b.id AS body_id
           FROM sms_keywords k LEFT JOIN bodies b ON b.code = k.body_code AND b.active
          WHERE k.keyword = $1 AND k.active`,
        [keyword],
      )
    : [];
  const known = await knownReporter(tx, platform, msg.chatId);

  if (keyword === 'START' || (kw?.command === 'help' && rest === '')) {
    await reply(HELP, known?.userId ?? null);
    return { status: 'processed', outcome: 'help', userId: known?.userId ?? null };
  }
  if (kw?.command === 'report') return fileReport(ctx, rest, kw);

  // The other keywords take a tracking ID, or act on the sender's own report without one. A
  // keyword followed by words that are not its arguments ("Cek dulu jalan…", "Terima kasih") is
  // just the start of a message.
  const [first = '', ...others] = rest.split(/\s+/);
  const named = normalizeTrackingId(first);
  try {
    if (kw?.command === 'status' && (rest === '' || (named && others.length === 0))) {
      const trackingId = named ?? (known ? (await latestReport(tx, known.userId, platform))?.tracking_id : null);
      if (!trackingId) {
        await reply('Anda belum memiliki laporan di sini. Tulis laporan Anda untuk memulai. / You have no report here yet.', null);
        return { status: 'processed', outcome: 'rejected', reason: 'no report to check' };
      }
      await reply(await statusText(deps, known, trackingId), known?.userId ?? null);
      return { status: 'processed', outcome: 'status', userId: known?.userId ?? null };
    }
    if (kw?.command === 'reply' && rest !== '') {
      return replyOn(ctx, named ? others.join(' ') : rest, named, known);
    }
    if (kw?.command === 'accept' && (rest === '' || (named && others.length === 0))) {
      const target = await targetOf(ctx, named, known, 'open');
      if (!target) return noReport(ctx);
      await performAction(deps, known!, target, 'accept', {});
      await reply(
        `Terima kasih. Laporan ${target} selesai. Beri nilai: NILAI <1-5>. / Thank you; rate it with NILAI <1-5>.`,
        known!.userId,
      );
      return { status: 'processed', outcome: 'reply', userId: known!.userId, reportId: await reportIdOf(tx, target) };
    }
    const rating = /^(?:(\S{8,12})\s+)?([1-5])(?:\s+([\s\S]*))?$/.exec(rest);
    if (kw?.command === 'rate' && rating && (!rating[1] || normalizeTrackingId(rating[1]))) {
      const target = await targetOf(ctx, rating[1] ? normalizeTrackingId(rating[1]) : null, known, 'latest');
      if (!target) return noReport(ctx);
      const value = Number(rating[2]);
      const comment = rating[3]?.trim();
      await performAction(deps, known!, target, 'rate', { rating: value, ...(comment ? { message: comment.slice(0, 5000) } : {}) });
      await reply(`Terima kasih atas penilaian ${value} untuk laporan ${target}. / Thank you for rating it.`, known!.userId);
      return { status: 'processed', outcome: 'reply', userId: known!.userId, reportId: await reportIdOf(tx, target) };
    }
  } catch (err) {
    return refused(ctx, err, named, known);
  }

  // Not a command: a report, or more for the open one.
  const open = known ? await openReport(tx, known.userId, platform) : null;
  if (!open) {
    if (text !== '') return fileReport(ctx, text, null);
    return waitForWords(ctx);
  }
  if (open.status === 'answered') {
    await reply(
      `Laporan ${open.tracking_id} sudah dijawab. Kirim TERIMA bila selesai, BALAS <pesan> bila belum, atau LAPOR <isi> untuk laporan baru. ` +
        `/ Report ${open.tracking_id} has been answered: send TERIMA to accept it, BALAS <message> if it is not resolved.`,
      known!.userId,
    );
    return {
      status: 'unparsed',
      outcome: 'help',
      reason: 'a message while the report’s answer awaits TERIMA or BALAS',
      userId: known!.userId,
      reportId: open.id,
    };
  }
  try {
    return await replyOn(ctx, text, open.tracking_id, known);
  } catch (err) {
    return refused(ctx, err, open.tracking_id, known);
  }
}

interface Ctx {
  deps: AppDeps;
  tx: Queryable;
  m: InboundRow;
  msg: ChatInbound;
  prepared: ChatPrepared;
  reply: (text: string, userId: number | null, suffix?: string) => Promise<void>;
}

async function noReport(ctx: Ctx): Promise<Handled> {
  await ctx.reply('Laporan tidak ditemukan. Kirim CEK untuk status laporan Anda. / Report not found.', null);
  return { status: 'processed', outcome: 'rejected', reason: 'no report to act on' };
}

/** A refusal is an answer too: the sender hears why, in words (not found, not now, not allowed). */
async function refused(ctx: Ctx, err: unknown, trackingId: string | null, known: Principal | null): Promise<Handled> {
  if (!(err instanceof AppError)) throw err;
  if (err.code === 'server_busy') throw err; // the attachment queue is full: the replay tries again
  const why = err.code === 'forbidden' || err.code === 'not_found' ? 'Laporan tidak ditemukan / Report not found' : err.message;
  await ctx.reply(trackingId ? `${trackingId}: ${why}` : why, known?.userId ?? null);
  return { status: 'processed', outcome: 'rejected', reason: `${err.code}: ${err.message}`.slice(0, 300), userId: known?.userId ?? null };
}

/** The report a command without a tracking ID means: the open one (TERIMA, BALAS), or the latest (NILAI). */
async function targetOf(ctx: Ctx, named: string | null, known: Principal | null, which: 'open' | 'latest'): Promise<string | null> {
  if (!known) {
    if (named) throw new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
    return null;
  }
  if (named) return named;
  const row =
    which === 'open'
      ? await openReport(ctx.tx, known.userId, ctx.msg.platform)
      : await latestReport(ctx.tx, known.userId, ctx.msg.platform);
  return row?.tracking_id ?? null;
}

/**
 * Words, a photo or a location added to a report of the sender's: a reply on its timeline (the
 * photo as its attachment, visible to the reporter and staff, never public); a location also onto
 * the report itself when it has none yet.
 */
async function replyOn(ctx: Ctx, words: string, named: string | null, known: Principal | null): Promise<Handled> {
  const { deps, tx, m, msg } = ctx;
  const trackingId = await targetOf(ctx, named, known, 'open');
  if (!trackingId || !known) return noReport(ctx);
  const file = ctx.prepared.files.get(m.id);
  const where = msg.location ? locationWords(msg.location) : null;
  const message = [words.trim(), where, !words.trim() && msg.photo ? 'Foto dari pelapor / A photo from the reporter' : null]
    .filter(Boolean)
    .join('\n')
    .slice(0, 5000);
  if (message === '') return noReport(ctx);
  const files = file ? [file] : [];
  try {
    await performAction(deps, known, trackingId, 'reply', { message }, files);
  } catch (err) {
    if (!(files.length > 0 && photoRefused(err))) throw err;
    await performAction(deps, known, trackingId, 'reply', { message }, []);
    ctx.prepared.missing.set(m.id, (err as AppError).message);
  }
  const reportId = await reportIdOf(tx, trackingId);
  if (msg.location && reportId !== null) await placeReport(tx, reportId, msg.location);
  const what = msg.photo ? 'Foto' : msg.location && !words.trim() ? 'Lokasi' : 'Pesan';
  const missing = ctx.prepared.missing.get(m.id);
  await ctx.reply(
    `${what} Anda ditambahkan pada laporan ${trackingId}.${missing ? ` Foto tidak dapat diterima (${missing}).` : ''} ` +
      `Untuk laporan baru, kirim LAPOR <isi laporan>. / Added to report ${trackingId}.`,
    known.userId,
  );
  return { status: 'processed', outcome: 'reply', userId: known.userId, reportId };
}

const locationWords = (l: ChatLocation) =>
  `Lokasi / Location: ${l.latitude.toFixed(6)}, ${l.longitude.toFixed(6)}${[l.name, l.address].filter(Boolean).length ? ` (${[l.name, l.address].filter(Boolean).join(', ')})` : ''}`;

/** A refused photo (not an image, too large once stripped): the words go on without it. */
function photoRefused(err: unknown): boolean {
  return err instanceof AppError && err.code !== 'server_busy' && Object.keys(err.fields ?? {}).some((k) => k.startsWith('attachments'));
}

/** The report's own place, from a location sent in the chat, when it has none yet. */
async function placeReport(tx: Queryable, reportId: number, l: ChatLocation): Promise<void> {
  await tx.query('UPDATE reports SET latitude = $2, longitude = $3 WHERE id = $1 AND latitude IS NULL AND longitude IS NULL', [
    reportId,
    l.latitude,
    l.longitude,
  ]);
}

/**
 * A new report from the chat, with the photos and the location the sender sent just before it
 * (waiting as parts) and the photo the message itself carries. The receipt with the tracking ID
 * is the lifecycle's own message (report.received), sent back on this chat.
 */
async function fileReport(ctx: Ctx, body: string, kw: KeywordRow | null): Promise<Handled> {
  const { deps, tx, m, msg } = ctx;
  if (body.length < MIN_REPORT_CHARS) {
    const example = kw ? `${kw.keyword} <apa, di mana, kapan>` : 'apa, di mana, kapan';
    await ctx.reply(
      `Laporan terlalu singkat (minimal ${MIN_REPORT_CHARS} huruf). Tulis ${example}. / Too short: at least ${MIN_REPORT_CHARS} characters.`,
      null,
    );
    return { status: 'unparsed', outcome: 'rejected', reason: `report text shorter than ${MIN_REPORT_CHARS} characters` };
  }
  const reporter = await chatReporter(tx, msg.platform, msg.chatId, msg.name, deps.now());
  if (!reporter)
    return { status: 'unparsed', outcome: 'rejected', reason: 'the sender’s channel identity belongs to a disabled or staff account' };

  const parts = await waitingParts(tx, m, true);
  const files: File[] = [];
  const missing: string[] = [];
  let location = msg.location;
  for (const p of parts) {
    let part: ChatInbound;
    try {
      part = chatInboundOf(deps, { channel: m.channel, raw: p.raw });
    } catch {
      continue;
    }
    location ??= part.location;
    const file = ctx.prepared.files.get(p.id);
    if (file) files.push(file);
    else if (part.photo) missing.push(ctx.prepared.missing.get(p.id) ?? 'not fetched in time');
  }
  const own = ctx.prepared.files.get(m.id);
  if (own) files.push(own);
  else if (ctx.prepared.missing.has(m.id)) missing.push(ctx.prepared.missing.get(m.id)!);
  const kept = files.slice(0, deps.config.maxAttachments);
  if (files.length > kept.length) missing.push(`at most ${deps.config.maxAttachments} photos`);

  const input = {
    classification: 'pengaduan' as const,
    title: titleOf(body),
    body: body.slice(0, 10_000),
    incidentDate: localDate(m.received_at, 'Asia/Jakarta'),
    regionCode: kw?.region_code ?? null,
    suggestedBodyId: kw?.body_id ?? null,
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
    anonymous: false,
    secret: false,
    channel: msg.platform,
    channelMessage: {
      inboundId: m.id,
      gateway: m.gateway,
      messageId: m.message_id,
      from: msg.chatId,
      to: m.receiver,
      text: body,
      receivedAt: m.received_at,
      chat: { platform: msg.platform, chatId: msg.chatId },
      ...(location ? { location } : {}),
    },
  };
  let filed: { reportId: number; trackingId: string };
  try {
    filed = await submitReport(deps, reporter, input, kept);
  } catch (err) {
    if (!(kept.length > 0 && photoRefused(err))) throw err;
    missing.push((err as AppError).message);
    filed = await submitReport(deps, reporter, input, []);
  }
  if (parts.length > 0) {
    await tx.query(
      `UPDATE inbound_messages SET status = 'processed', outcome = 'combined', report_id = $2, user_id = $3, reason = $4, processed_at = $5
        WHERE id = ANY($1::bigint[])`,
      [parts.map((p) => p.id), filed.reportId, reporter.userId, `joined into the report of message ${m.id}`, deps.now()],
    );
  }
  if (missing.length > 0) {
    await ctx.reply(
      `Laporan ${filed.trackingId} diterima, tetapi ${missing.length} foto tidak dapat dilampirkan (${missing.join('; ').slice(0, 300)}). ` +
        `/ Report ${filed.trackingId} was received, but ${missing.length} photo(s) could not be attached.`,
      reporter.userId,
      'photos',
    );
  }
  return { status: 'processed', outcome: 'report', reportId: filed.reportId, userId: reporter.userId };
}

/** A photo or a location before any words: kept for the report the next message files. */
async function waitForWords(ctx: Ctx): Promise<Handled> {
  const { msg } = ctx;
  if (!msg.photo && !msg.location) {
    await ctx.reply(HELP, null);
    return { status: 'unparsed', outcome: 'help', reason: 'an empty message' };
  }
  // one prompt for a burst of photos, not one per photo
  const earlier = await waitingParts(ctx.tx, ctx.m);
  if (earlier.length === 0) {
    await ctx.reply(
      `${msg.photo ? 'Foto' : 'Lokasi'} diterima. Sekarang tulis laporan Anda: apa, di mana, kapan (minimal ${MIN_REPORT_CHARS} huruf). ` +
        `/ ${msg.photo ? 'Photo' : 'Location'} received; now write your report.`,
      null,
    );
  }
  return { status: 'partial', outcome: null, reason: `a ${msg.photo ? 'photo' : 'location'} waiting for the report’s words` };
}

async function sendChatReply(
  tx: Queryable,
  deps: AppDeps,
  m: InboundRow,
  chat: ChatAddress,
  text: string,
  userId: number | null,
  suffix: string,
): Promise<void> {
  await enqueue(tx, {
    channel: 'chat',
    recipientUserId: userId,
    recipientAddress: `${chat.platform}:${chat.chatId}`,
    template: 'chat.reply',
    payload: { text, chat },
    idempotencyKey: `inbound:${m.id}:${suffix}`,
    availableAt: deps.now(),
  });
}

async function reportIdOf(tx: Queryable, trackingId: string): Promise<number | null> {
  const [row] = await tx.query<{ id: number }>('SELECT id FROM reports WHERE tracking_id = $1', [trackingId]);
  return row?.id ?? null;
}

function openReport(tx: Queryable, userId: number, platform: ChatPlatform): Promise<OpenReport | undefined> {
  return tx
    .query<OpenReport>(
      `SELECT id, tracking_id, status, latitude FROM reports
        WHERE reporter_id = $1 AND channel = $2 AND status NOT IN ('closed', 'archived')
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [userId, platform],
    )
    .then((rows) => rows[0]);
}

function latestReport(tx: Queryable, userId: number, platform: ChatPlatform): Promise<OpenReport | undefined> {
  return tx
    .query<OpenReport>(
      'SELECT id, tracking_id, status, latitude FROM reports WHERE reporter_id = $1 AND channel = $2 ORDER BY created_at DESC, id DESC LIMIT 1',
      [userId, platform],
    )
    .then((rows) => rows[0]);
}

// ---- who sent it ----

/**
 * The reporter behind a chat (an X user id, a WhatsApp wa_id, a Telegram chat id), made on first
 * contact: a reporter without a password or a contact, known by that identity only, named after
 * the profile (or "Pelapor WhatsApp"…). A staff account is never a channel's reporter; an
 * identity held by a disabled or staff account gives null, and the message is kept for an admin.
 */
export async function chatReporter(
  tx: Queryable,
  channel: ChatPlatform,
  handle: string,
  profileName: string | null,
  now: Date,
): Promise<Principal | null> {
  const held = await lockIdentity(tx, channel, handle);
  if (held) return held.usable ? held.principal : null;
  const name = cleanName(profileName) || (channel === 'x' ? 'Pelapor X' : NAMES[channel]);
  return createChannelReporter(tx, channel, handle, { name }, now);
}

/** A profile name as an account name: one line, at most 100 characters. */
function cleanName(name: string | null): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const flat = (name ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.replace(/\s+/g, ' ').trim().slice(0, 100);
}

// ---- what the platform says about a message sent ----

export interface ChatDelivery {
  /** The platform's id for the message, as the send answered it (the outbox row's external_id). */
  externalId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date | null;
  /** The platform's error code, for a failure. */
  code: number | null;
  error: string | null;
  raw: Record<string, unknown>;
}

/**
 * Records a status webhook (WhatsApp's sent, delivered, read, failed) on the outbox row of the
 * message, in one statement: the report kept in delivery_reports, the row's delivery_status moved
 * on. Statuses arrive out of order, so a status replaces the recorded one only when it says more
 * (sent < delivered < failed < read: a message read was delivered, whatever came late). A failure
 * keeps the platform's reason in last_error; it is not sent again (outside WhatsApp's 24-hour
 * window another try fails the same way). Returns false when no message of ours has that id.
 */
export async function recordChatDelivery(db: Queryable, d: ChatDelivery, now: Date): Promise<boolean> {
  const rank = (column: string) =>
    `CASE ${column} WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 3 WHEN 'read' THEN 4 ELSE 0 END`;
  const [found] = await db.query<{ n: number }>(
    `WITH target AS (
       SELECT id FROM outbox WHERE channel = 'chat' AND external_id = $1 LIMIT 1
     ), ins AS (
       INSERT INTO delivery_reports (outbox_id, status, code, raw, received_at)
       SELECT id, $2, $3, $4, $5 FROM target RETURNING outbox_id
     ), upd AS (
       UPDATE outbox SET delivery_status = $2,
              delivered_at = CASE WHEN $2 IN ('delivered', 'read') THEN COALESCE(delivered_at, $6::timestamptz) ELSE delivered_at END,
              last_error = CASE WHEN $2 = 'failed' THEN $7 ELSE last_error END
        WHERE id IN (SELECT outbox_id FROM ins) AND ${rank('delivery_status')} < ${rank('$2::text')}
        RETURNING id
     )
     SELECT count(*)::int AS n FROM ins`,
    [
      d.externalId,
      d.status,
      d.code,
      JSON.stringify(d.raw),
      now,
      d.at ?? now,
      d.error ? `delivery report: failed: ${d.error}`.slice(0, 1000) : null,
    ],
  );
  return (found?.n ?? 0) > 0;
}
