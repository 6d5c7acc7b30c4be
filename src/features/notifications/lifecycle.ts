import type { Queryable } from '../../db/db.ts';
import { formatInstant } from '../../domain/calendar.ts';
import {
  CHAT_PLATFORMS,
  type ChatAddress,
  type ChatPlatform,
  type Recipient,
  type UserMessage,
  emailGroupOf,
  messagesFor,
} from './outbox.ts';

/**
 * Who hears about each event on a report's timeline, and what they are told: one table, so that
 * every lifecycle event reaches the people it concerns and nobody else, whichever path wrote it
 * (a user's action, the sweep, the Ombudsman).
 *
 * Two kinds of message come out of it. The reporter's go on the channel the report came by (SMS
 * for a report sent by SMS; back on X, WhatsApp or Telegram for a report from there; email
 * otherwise, and always in-app) and may carry the body's words
 * (the question, the follow-up, the answer). Staff messages carry only what a staff reader of the
 * report may see and never anything of the reporter: not a name, a contact or the reporter's own
 * words, so an anonim reporter is never named to a body by a message.
 */

type Audience =
  /** The reporter, on the report's own channel. */
  | 'reporter'
  /** The handling body's admins (the national admins while no body holds it). */
  | 'body_admins'
  /** Whoever works the report now: its unit's officers, else the body's admins, else the national desk. */
  | 'holder'
  /** The officers of the unit it was dispositioned to (the body's admins if the unit has none). */
  | 'unit_officers'
  | 'national_admins'
  /** The admins of the body that asked for an archive (event data `requestedByBodyId`). */
  | 'requesting_body'
  /** The officers of the Ombudsman office the report was escalated to. */
  | 'ombudsman_office';

interface Notice {
  to: Audience;
  template: string;
  /** When the notice applies, judged on the event's data; always when absent. */
  when?: (data: Record<string, unknown>) => boolean;
}

const REPORTER_OMBUDSMAN = (template: string): Notice[] => [
  { to: 'reporter', template },
  { to: 'body_admins', template },
];

const TO_A_BODY: Notice[] = [
  { to: 'reporter', template: 'report.routed' },
  { to: 'body_admins', template: 'report.assigned' },
];

/** Every event that tells someone something. Events not listed (clock ticks, edits, internal notes) tell no one. */
export const EVENT_NOTICES: Readonly<Record<string, readonly Notice[]>> = {
  submitted: [{ to: 'reporter', template: 'report.received' }],
  verified: [{ to: 'reporter', template: 'report.published' }],
  put_on_hold: [{ to: 'reporter', template: 'report.on_hold' }],
  completed: [{ to: 'holder', template: 'report.completed' }],
  // forwarded to another body is, to the reporter and that body, the same news as routed
  routed: TO_A_BODY,
  forwarded: TO_A_BODY,
  returned_to_national: [{ to: 'national_admins', template: 'report.returned' }],
  dispositioned: [{ to: 'unit_officers', template: 'report.dispositioned' }],
  followed_up: [{ to: 'reporter', template: 'report.followed_up' }],
  answered: [{ to: 'reporter', template: 'report.answered' }],
  reporter_replied: [{ to: 'holder', template: 'report.reporter_replied' }],
  reopened: [{ to: 'holder', template: 'report.reopened' }],
  rated: [{ to: 'holder', template: 'report.low_rating', when: (d) => typeof d.rating === 'number' && d.rating <= 2 }],
  auto_closed: [{ to: 'reporter', template: 'report.auto_closed' }],
  archive_requested: [{ to: 'national_admins', template: 'report.archive_requested' }],
  archive_rejected: [{ to: 'requesting_body', template: 'report.archive_rejected' }],
  archived: [
    { to: 'reporter', template: 'report.archived' },
    { to: 'requesting_body', template: 'report.archive_confirmed', when: (d) => d.confirmed === true },
  ],
  appealed: [{ to: 'national_admins', template: 'report.appealed' }],
  appeal_granted: [{ to: 'reporter', template: 'report.appeal_granted' }],
  appeal_rejected: [{ to: 'reporter', template: 'report.appeal_rejected' }],
  escalated_to_ombudsman: [
    { to: 'reporter', template: 'report.escalated' },
    { to: 'ombudsman_office', template: 'report.escalated' },
    { to: 'body_admins', template: 'report.escalated' },
  ],
  ombudsman_taken_over: REPORTER_OMBUDSMAN('ombudsman.taken_over'),
  ombudsman_findings_recorded: REPORTER_OMBUDSMAN('ombudsman.findings'),
  ombudsman_recommendation_issued: REPORTER_OMBUDSMAN('ombudsman.recommendation'),
  ombudsman_closed: REPORTER_OMBUDSMAN('ombudsman.closed'),
};

/** Templates whose message to the reporter quotes the event's text (the body's or the Ombudsman's words). */
const QUOTES_EVENT_TEXT = new Set([
  'report.on_hold',
  'report.followed_up',
  'report.answered',
  'report.appeal_rejected',
  'report.appeal_granted',
]);
const QUOTE_LIMIT = 300;

export interface TimelineEventNotice {
  eventId: number;
  reportId: number;
  type: string;
  /** The person who acted; they are not told of their own act (except the reporter's receipt). */
  actorId: number | null;
  at: Date;
  message: string | null;
  data: Record<string, unknown>;
}

export interface NoticeOptions {
  /** The site's own address (PUBLIC_URL), for links; without it the messages name the tracking ID only. */
  publicOrigin: string | null;
}

export interface ReportFacts {
  id: number;
  tracking_id: string;
  title: string;
  reporter_id: number;
  channel: string;
  body_id: number | null;
  body_name: string | null;
  unit_id: number | null;
  unit_name: string | null;
  ombudsman_body_id: number | null;
  ombudsman_name: string | null;
  archive_reason: string | null;
  is_public: boolean;
  appealed_at: Date | null;
  reply_due_at: Date | null;
  reply_time_zone: string | null;
  /** For a report from X, WhatsApp or Telegram: the chat it came from (reports.channel_message.chat). */
  channel_chat: ChatAddress | null;
}

interface UserRow extends Recipient {
  role: string;
  phone: string | null;
  /** The reporter's chat on the report's platform, while the identity is still theirs (only read for the reporter). */
  chat?: ChatAddress | null;
}

/** Where a report lives for its reporter (the citizen portal) and for staff (the back office). */
export const reportLink = (origin: string | null, trackingId: string, forStaff: boolean): string | null =>
  origin ? `${origin}${forStaff ? '/kantor/laporan/' : '/laporan/'}${encodeURIComponent(trackingId)}` : null;

/**
 * Writes the outbox rows an event causes, in the caller's transaction: they exist exactly when the
 * event does. Keys are per event, template, channel and person, so nothing is told twice.
 * Returns how many rows were written.
 */
export async function notifyEvent(
  tx: Queryable,
  event: TimelineEventNotice,
  options: NoticeOptions,
  /** What the caller already holds of the report (a report just filed), so it is not read again. */
  known?: ReportFacts,
): Promise<number> {
  const notices = (EVENT_NOTICES[event.type] ?? []).filter((n) => !n.when || n.when(event.data));
  if (notices.length === 0) return 0;
  const facts = known ?? (await reportFacts(tx, event.reportId));
  if (!facts) return 0;
  const rows: OutboxRow[] = [];
  for (const notice of notices) {
    const forReporter = notice.to === 'reporter';
    const users = await audience(tx, notice.to, facts, event);
    const payload = forReporter ? reporterPayload(facts, event, notice.template, options) : staffPayload(facts, event, options);
    const key = `event:${event.eventId}:${notice.template}`;
    for (const user of users) {
      // Nobody is told of their own act; the reporter's receipt is the one exception.
      if (user.id === event.actorId && event.type !== 'submitted') continue;
      const messages = forReporter ? reporterMessages(user, key, notice.template, facts.channel) : messagesFor(user, key, notice.template);
      for (const m of messages) {
        rows.push({
          channel: m.channel,
          user_id: user.id,
          address: m.recipientAddress,
          template: notice.template,
          payload: m.chat ? { ...payload, chat: m.chat } : payload,
          key: m.idempotencyKey,
        });
      }
    }
  }
  if (rows.length === 0) return 0;
  // One statement for all of them: a report filed pays two statements for its receipt, not five.
  const written = await tx.query(
    `INSERT INTO outbox (channel, recipient_user_id, recipient_address, template, payload, idempotency_key, available_at, created_at)
     SELECT x.channel, x.user_id, x.address, x.template, x.payload, x.key, $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(channel text, user_id bigint, address text, template text, payload jsonb, key text)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [JSON.stringify(rows), event.at],
  );
  return written.length;
}

interface OutboxRow {
  channel: string;
  user_id: number;
  address: string | null;
  template: string;
  payload: Record<string, unknown>;
  key: string;
}

/** The facts of a report just filed, from what its filer holds: nobody handles it yet. */
export function filedReportFacts(r: {
  id: number;
  trackingId: string;
  title: string;
  reporterId: number;
  channel: string;
  channelMessage?: Record<string, unknown> | null;
}): ReportFacts {
  return {
    id: r.id,
    tracking_id: r.trackingId,
    title: r.title,
    reporter_id: r.reporterId,
    channel: r.channel,
    body_id: null,
    body_name: null,
    unit_id: null,
    unit_name: null,
    ombudsman_body_id: null,
    ombudsman_name: null,
    archive_reason: null,
    is_public: false,
    appealed_at: null,
    reply_due_at: null,
    reply_time_zone: null,
    channel_chat: chatAddressOf(r.channelMessage?.chat),
  };
}

/** A chat address read back from a report's channel_message (jsonb written by any version): checked, never trusted. */
export function chatAddressOf(value: unknown): ChatAddress | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (!CHAT_PLATFORMS.includes(v.platform as ChatPlatform) || typeof v.chatId !== 'string' || v.chatId === '') return null;
  return { platform: v.platform as ChatPlatform, chatId: v.chatId, replyTo: typeof v.replyTo === 'string' ? v.replyTo : null };
}

const isChatChannel = (channel: string): channel is ChatPlatform => CHAT_PLATFORMS.includes(channel as ChatPlatform);

async function reportFacts(tx: Queryable, reportId: number): Promise<ReportFacts | null> {
  const rows = await tx.query<ReportFacts & { channel_chat: unknown }>(
    `SELECT r.id, r.tracking_id, r.title, r.reporter_id, r.channel, r.body_id, b.name AS body_name,
            r.unit_id, un.name AS unit_name, r.ombudsman_body_id, ob.name AS ombudsman_name,
            r.archive_reason, r.is_public, r.appealed_at, rw.due_at AS reply_due_at, rw.time_zone AS reply_time_zone,
            r.channel_message->'chat' AS channel_chat
       FROM reports r
       LEFT JOIN bodies b ON b.id = r.body_id
       LEFT JOIN bodies un ON un.id = r.unit_id
       LEFT JOIN bodies ob ON ob.id = r.ombudsman_body_id
       LEFT JOIN LATERAL (
         SELECT c.due_at, c.time_zone FROM report_clocks c
          WHERE c.report_id = r.id AND c.kind = 'reply_window' AND c.state = 'running'
          ORDER BY c.cycle DESC LIMIT 1) rw ON true
      WHERE r.id = $1`,
    [reportId],
  );
  const row = rows[0];
  return row ? { ...row, channel_chat: chatAddressOf(row.channel_chat) } : null;
}

// A number an SMS came from (channel_identities) is proven, so it is where SMS go; the account's own
// phone otherwise. An email-born reporter whose address another account holds is reached at it.
const USER_COLUMNS = `id, role, email_opt_out,
  COALESCE(email, (SELECT ci.handle FROM channel_identities ci WHERE ci.user_id = users.id AND ci.channel = 'email' ORDER BY ci.id LIMIT 1)) AS email,
  COALESCE((SELECT ci.handle FROM channel_identities ci WHERE ci.user_id = users.id AND ci.channel = 'sms' ORDER BY ci.id LIMIT 1),
           phone) AS phone`;

async function usersWhere(tx: Queryable, where: string, params: unknown[]): Promise<UserRow[]> {
  return tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE disabled_at IS NULL AND ${where} ORDER BY id`, params);
}

const nationalAdmins = (tx: Queryable) => usersWhere(tx, `role = 'national_admin'`, []);
const adminsOfBody = (tx: Queryable, bodyId: number | null) =>
  bodyId === null ? nationalAdmins(tx) : usersWhere(tx, `role = 'agency_admin' AND body_id = $1`, [bodyId]);

async function unitOfficersOr(tx: Queryable, facts: ReportFacts): Promise<UserRow[]> {
  if (facts.unit_id !== null) {
    const officers = await usersWhere(tx, `role = 'unit_officer' AND body_id = $1`, [facts.unit_id]);
    if (officers.length > 0) return officers;
  }
  return adminsOfBody(tx, facts.body_id);
}

/**
 * The reporter, and for a report from a chat platform the chat to answer on: the one the report
 * came from while that identity is still the reporter's (an unlinked identity hears nothing more),
 * else another of theirs on the same platform. On X, a reply hangs under the report's own tweet.
 */
async function reporterOf(tx: Queryable, facts: ReportFacts): Promise<UserRow[]> {
  if (!isChatChannel(facts.channel)) return usersWhere(tx, 'id = $1', [facts.reporter_id]);
  const from = facts.channel_chat?.platform === facts.channel ? facts.channel_chat : null;
  const rows = await tx.query<UserRow & { chat_handle: string | null }>(
    `SELECT ${USER_COLUMNS},
            (SELECT ci.handle FROM channel_identities ci WHERE ci.user_id = users.id AND ci.channel = $2
              ORDER BY (ci.handle IS NOT DISTINCT FROM $3::text) DESC, ci.id LIMIT 1) AS chat_handle
       FROM users WHERE disabled_at IS NULL AND id = $1`,
    [facts.reporter_id, facts.channel, from?.chatId ?? null],
  );
  return rows.map(({ chat_handle, ...user }) => ({
    ...user,
    chat: chat_handle
      ? {
          platform: facts.channel as ChatPlatform,
          chatId: chat_handle,
          replyTo: chat_handle === from?.chatId ? (from.replyTo ?? null) : null,
        }
      : null,
  }));
}

async function audience(tx: Queryable, to: Audience, facts: ReportFacts, event: TimelineEventNotice): Promise<UserRow[]> {
  switch (to) {
    case 'reporter':
      return reporterOf(tx, facts);
    case 'body_admins':
      return adminsOfBody(tx, facts.body_id);
    case 'holder':
    case 'unit_officers':
      return unitOfficersOr(tx, facts);
    case 'national_admins':
      return nationalAdmins(tx);
    case 'requesting_body': {
      const bodyId = event.data.requestedByBodyId;
      return typeof bodyId === 'number' ? usersWhere(tx, `role = 'agency_admin' AND body_id = $1`, [bodyId]) : [];
    }
    case 'ombudsman_office':
      return facts.ombudsman_body_id === null ? [] : usersWhere(tx, `role = 'ombudsman' AND body_id = $1`, [facts.ombudsman_body_id]);
  }
}

/**
 * The reporter's messages: in-app always, and on the channel the report came by: an SMS to the
 * account's number for a report sent by SMS, a chat message back on X, WhatsApp or Telegram for a
 * report from there, else an email (unless they opted out of that group). A reporter without that
 * contact gets the other one, so nobody who gave a way to reach them is left unheard. SMS and chat
 * rows wait in the outbox until their sender is configured.
 */
export function reporterMessages(
  user: Recipient & { phone: string | null; chat?: ChatAddress | null },
  key: string,
  template: string,
  channel: string,
): UserMessage[] {
  const inApp: UserMessage = {
    channel: 'in_app',
    recipientUserId: user.id,
    recipientAddress: null,
    idempotencyKey: `${key}:in_app:${user.id}`,
  };
  const group = emailGroupOf(template);
  const emailOk = user.email !== null && !(group !== null && (user.email_opt_out ?? []).includes(group));
  const sms = user.phone ? { channel: 'sms' as const, address: user.phone } : null;
  const email = emailOk ? { channel: 'email' as const, address: user.email! } : null;
  const chat = user.chat && user.chat.platform === channel ? { channel: 'chat' as const, address: `${channel}:${user.chat.chatId}` } : null;
  const fallback = email ?? (user.email === null ? sms : null);
  const preferred = channel === 'sms' ? (sms ?? email) : isChatChannel(channel) ? (chat ?? fallback) : fallback;
  if (!preferred) return [inApp];
  return [
    inApp,
    // the row type allows sms and chat: the outbox keeps every channel, and each sender takes its own
    {
      channel: preferred.channel as UserMessage['channel'],
      recipientUserId: user.id,
      recipientAddress: preferred.address,
      idempotencyKey: `${key}:${preferred.channel}:${user.id}`,
      ...(preferred.channel === 'chat' && user.chat ? { chat: user.chat } : {}),
    },
  ];
}

const shortTitle = (title: string) => (title.length > 120 ? `${title.slice(0, 119)}…` : title);

function quote(text: string | null): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT - 1)}…` : flat;
}

/** What a staff message may carry: the report as staff see it, never anything of the reporter. */
function staffPayload(facts: ReportFacts, event: TimelineEventNotice, options: NoticeOptions): Record<string, unknown> {
  const d = event.data;
  return {
    reportId: facts.id,
    trackingId: facts.tracking_id,
    title: shortTitle(facts.title),
    bodyName: facts.body_name,
    unitName: facts.unit_name,
    ...(typeof d.rating === 'number' ? { rating: d.rating } : {}),
    ...(typeof d.reason === 'string' ? { reason: d.reason } : {}),
    ...(facts.ombudsman_name ? { ombudsmanOffice: facts.ombudsman_name } : {}),
    link: reportLink(options.publicOrigin, facts.tracking_id, true),
    at: event.at.toISOString(),
  };
}

/** The reporter's message: what happened to their report, who holds it, and what they can do. */
function reporterPayload(
  facts: ReportFacts,
  event: TimelineEventNotice,
  template: string,
  options: NoticeOptions,
): Record<string, unknown> {
  const d = event.data;
  return {
    reportId: facts.id,
    trackingId: facts.tracking_id,
    title: shortTitle(facts.title),
    bodyName: facts.body_name,
    ...(QUOTES_EVENT_TEXT.has(template) ? { quote: quote(event.message) } : {}),
    ...(typeof d.reason === 'string' ? { reason: d.reason } : {}),
    ...(template === 'report.archived' ? { appealOpen: facts.appealed_at === null } : {}),
    ...(template === 'report.published' ? { isPublic: facts.is_public } : {}),
    ...(template === 'report.answered' && facts.reply_due_at && facts.reply_time_zone
      ? { replyDueAt: formatInstant(facts.reply_due_at, facts.reply_time_zone), timeZone: facts.reply_time_zone }
      : {}),
    ...(facts.ombudsman_name ? { ombudsmanOffice: facts.ombudsman_name } : {}),
    link: reportLink(options.publicOrigin, facts.tracking_id, false),
    at: event.at.toISOString(),
  };
}
