import type { Queryable } from '../../db/db.ts';
import type { AppDeps } from '../../deps.ts';
import { localDate } from '../../domain/calendar.ts';
import { enqueue } from '../notifications/outbox.ts';
import { submitReport } from '../reports/reports.service.ts';
import { MalformedMessage } from './chat-message.ts';
import { MIN_REPORT_CHARS, chatReporter } from './chat.service.ts';
import type { Handled, InboundRow } from './intake.ts';
import { titleOf } from './sms.service.ts';
import { readTweet } from './x.ts';

/**
 * A stored tweet (issue 11 §5): a mention of the national account with #lapor is a report, and
 * its receipt — the lifecycle's report.received — is a reply tweet under it with the tracking
 * ID. Everything else (the account's own tweets, retweets, mentions without #lapor) stays in the
 * store with the reason and hears nothing: on X every answer is public.
 */
export async function handleX(deps: AppDeps, tx: Queryable, m: InboundRow): Promise<Handled> {
  const config = deps.config.x;
  // The replay tries again once X is configured again.
  if (!config) throw new Error('X is not configured: the tweet waits');
  let reading: ReturnType<typeof readTweet>;
  try {
    reading = readTweet(m.raw, { id: config.accountId, screenName: config.screenName });
  } catch (err) {
    if (err instanceof MalformedMessage) return { status: 'unparsed', outcome: 'rejected', reason: `malformed: ${err.message}` };
    throw err;
  }
  if (reading.kind === 'ignored') return { status: 'unparsed', outcome: null, reason: reading.reason };
  const chat = { platform: 'x' as const, chatId: reading.authorId, replyTo: m.message_id };
  if (reading.text.length < MIN_REPORT_CHARS) {
    await enqueue(tx, {
      channel: 'chat',
      recipientUserId: null,
      recipientAddress: `x:${reading.authorId}`,
      template: 'chat.reply',
      payload: {
        text: `Laporan terlalu singkat: tulis apa, di mana, kapan (minimal ${MIN_REPORT_CHARS} huruf) dengan #lapor. / Too short: what, where, when, with #lapor.`,
        chat,
      },
      idempotencyKey: `inbound:${m.id}:reply`,
      availableAt: deps.now(),
    });
    return { status: 'unparsed', outcome: 'rejected', reason: `report text shorter than ${MIN_REPORT_CHARS} characters` };
  }
  const reporter = await chatReporter(tx, 'x', reading.authorId, reading.authorName, deps.now());
  if (!reporter)
    return { status: 'unparsed', outcome: 'rejected', reason: 'the author’s channel identity belongs to a disabled or staff account' };
  const filed = await submitReport(
    deps,
    reporter,
    {
      classification: 'pengaduan',
      title: titleOf(reading.text),
      body: reading.text.slice(0, 10_000),
      incidentDate: localDate(m.received_at, 'Asia/Jakarta'),
      anonymous: false,
      secret: false,
      channel: 'x',
      channelMessage: {
        inboundId: m.id,
        gateway: m.gateway,
        messageId: m.message_id,
        from: reading.authorId,
        screenName: reading.screenName,
        to: m.receiver,
        text: reading.text,
        receivedAt: m.received_at,
        chat,
      },
    },
    [],
  );
  return { status: 'processed', outcome: 'report', reportId: filed.reportId, userId: reporter.userId };
}
