/**
 * A Telegram bot end to end (issue 11 §5): Updates as the Bot API posts them (fixtures in
 * test/fixtures/channels/telegram) with the webhook's secret token, into the intake; answers
 * through a fake Bot API on 127.0.0.1 (`sendMessage` on the same chat, each request checked as the
 * Bot API documents it); photos through `getFile`, the largest size within the limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TelegramConfig } from '../../config.ts';
import { type TestApp, startTestApp } from '../../../test/support/app.ts';
import { type FakePlatform, channelFixture, startFakePlatform, withLogLines } from '../../../test/support/fake-platform.ts';
import { fixtureBytes } from '../../../test/support/files.ts';
import { createApp } from '../../http/app.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { createChatTransport } from './chat-senders.ts';
import { chatCommand } from './chat.service.ts';
import { telegramInbound } from './telegram.ts';

const BOT_TOKEN = '7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'rahasia_webhook-LAPOR_1708';
const JPEG = fixtureBytes('photo-gps.jpg');

let fake: FakePlatform;
let t: TestApp;
let nextId = 900;
const BLOCKED = 6666000001;
const BUSY = 6666000002;

before(async () => {
  fake = await startFakePlatform((req) => {
    if (req.method === 'POST' && req.path === `/bot${BOT_TOKEN}/sendMessage`) {
      if (req.json.chat_id === BLOCKED)
        return { status: 403, json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
      if (req.json.chat_id === BUSY)
        return {
          status: 429,
          json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
        };
      nextId += 1;
      return {
        json: {
          ok: true,
          result: { message_id: nextId, chat: { id: req.json.chat_id, type: 'private' }, date: 1795489090, text: req.json.text },
        },
      };
    }
    if (req.method === 'POST' && req.path === `/bot${BOT_TOKEN}/getFile`) {
      return {
        json: {
          ok: true,
          result: { file_id: req.json.file_id, file_unique_id: 'AQADlarge', file_size: JPEG.byteLength, file_path: 'photos/file_12.jpg' },
        },
      };
    }
    if (req.method === 'GET' && req.path === `/file/bot${BOT_TOKEN}/photos/file_12.jpg`)
      return { body: JPEG, headers: { 'content-type': 'image/jpeg' } };
    return undefined;
  });
  const telegram: TelegramConfig = { botToken: BOT_TOKEN, secretToken: SECRET, apiUrl: fake.url };
  t = await startTestApp({ telegram });
});
after(async () => {
  await t.close();
  await fake.close();
});

function post(body: unknown, secret: string | null = SECRET) {
  return t.request('POST', '/channels/telegram/webhook', {
    raw: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
  });
}

function update(name: string, change: (u: any) => void = () => {}) {
  const body = channelFixture('telegram', name);
  change(body);
  return body;
}

/** /start's update again, with another id and text. */
function command(updateId: number, messageId: number, text: string) {
  return update('start', (u) => {
    u.update_id = updateId;
    u.message.message_id = messageId;
    u.message.text = text;
  });
}

const dispatch = () => dispatchOutbox({ db: t.deps.db, now: t.deps.now, email: null, chat: createChatTransport(t.deps.config) });
const sends = () => fake.take().filter((r) => r.path === `/bot${BOT_TOKEN}/sendMessage`);

async function inbound(updateId: number) {
  const [row] = await t.deps.db.query<{
    status: string;
    outcome: string | null;
    reason: string | null;
    report_id: number | null;
    sender: string | null;
  }>(`SELECT status, outcome, reason, report_id, sender FROM inbound_messages WHERE channel = 'telegram' AND message_id = $1`, [
    String(updateId),
  ]);
  return row;
}

describe('the webhook’s secret token', () => {
  test('without the header 401, with a wrong one 403; both logged, nothing stored', async () => {
    const { app, lines } = withLogLines(t);
    const body = JSON.stringify(update('text', (u) => (u.update_id = 1)));
    const none = await app.request('/channels/telegram/webhook', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(none.status, 401);
    const wrong = await app.request('/channels/telegram/webhook', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'rahasia_webhook-LAPOR_1709' },
    });
    assert.equal(wrong.status, 403);
    assert.deepEqual(
      lines()
        .filter((l) => String(l.msg).startsWith('Telegram webhook refused'))
        .map((l) => l.status),
      [401, 403],
    );
    assert.equal(await inbound(1), undefined);
  });

  test('not configured: 404', async () => {
    const off = createApp({ ...t.deps, config: { ...t.deps.config, telegram: null } });
    const res = await off.request('/channels/telegram/webhook', {
      method: 'POST',
      body: '{}',
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
    });
    assert.equal(res.status, 404);
  });
});

describe('a private chat with the bot', () => {
  let trackingId = '';

  test('/start is answered with the help text through sendMessage, on the same chat', async () => {
    assert.equal((await post(update('start'))).status, 200);
    assert.equal((await inbound(874512000))!.outcome, 'help');
    await dispatch();
    const [send] = sends();
    assert.equal(send!.method, 'POST');
    assert.match(String(send!.headers['content-type']), /^application\/json/);
    assert.deepEqual(Object.keys(send!.json).sort(), ['chat_id', 'link_preview_options', 'reply_parameters', 'text']);
    assert.equal(send!.json.chat_id, 5123456789);
    assert.deepEqual(send!.json.link_preview_options, { is_disabled: true });
    assert.deepEqual(send!.json.reply_parameters, { message_id: 511, allow_sending_without_reply: true });
    assert.match(send!.json.text, /^LAPOR! — Layanan Aspirasi dan Pengaduan Online Rakyat/);
    assert.match(send!.json.text, /Write your report/);
  });

  test('/help, and /help@bot in the form Telegram writes it, give the help text too', async () => {
    await post(command(874512002, 513, '/help'));
    await post(command(874512003, 514, '/help@LaporSP4NBot'));
    assert.equal((await inbound(874512002))!.outcome, 'help');
    assert.equal((await inbound(874512003))!.outcome, 'help');
    await dispatch();
    assert.equal(sends().length, 2);
  });

  test('a text message is a report; the receipt goes back through sendMessage', async () => {
    await post(update('text'));
    const m = (await inbound(874512001))!;
    assert.equal(m.outcome, 'report');
    assert.equal(m.sender, '5123456789');
    const [r] = await t.deps.db.query<{ tracking_id: string; channel: string; reporter_id: number; channel_message: any }>(
      'SELECT tracking_id, channel, reporter_id, channel_message FROM reports WHERE id = $1',
      [m.report_id],
    );
    trackingId = r!.tracking_id;
    assert.equal(r!.channel, 'telegram');
    assert.deepEqual(r!.channel_message.chat, { platform: 'telegram', chatId: '5123456789' });
    const [who] = await t.deps.db.query<{ name: string; handle: string }>(
      `SELECT u.name, ci.handle FROM users u JOIN channel_identities ci ON ci.user_id = u.id AND ci.channel = 'telegram' WHERE u.id = $1`,
      [r!.reporter_id],
    );
    assert.deepEqual(who, { name: 'Dewi Lestari', handle: '5123456789' });
    await dispatch();
    const [send] = sends();
    assert.equal(send!.json.chat_id, 5123456789);
    assert.match(send!.json.text, new RegExp(`nomor pelacakan ${trackingId}`));
    const [row] = await t.deps.db.query<{ external_id: string; status: string }>(
      `SELECT external_id, status FROM outbox WHERE channel = 'chat' AND template = 'report.received' AND payload->>'trackingId' = $1`,
      [trackingId],
    );
    assert.deepEqual(row, { external_id: `5123456789:${nextId}`, status: 'sent' });
  });

  test('Telegram delivering the same update again is one message and one report', async () => {
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    await Promise.all([post(update('text')), post(update('text'))]);
    const afterCount = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    assert.equal(afterCount[0]!.n, before[0]!.n);
    await dispatch();
    assert.equal(sends().length, 0);
  });

  test('/cek@bot with the tracking ID gives the status', async () => {
    await post(command(874512004, 515, `/cek@LaporSP4NBot ${trackingId}`));
    assert.equal((await inbound(874512004))!.outcome, 'status');
    await dispatch();
    assert.match(sends()[0]!.json.text, new RegExp(`Laporan ${trackingId}: Belum Terverifikasi`));
  });
});

describe('photos and locations', () => {
  let reportId = 0;

  test('a photo is a report with its largest size, fetched through getFile', async () => {
    await post(update('photo'));
    const requests = fake.take();
    const getFile = requests.find((r) => r.path === `/bot${BOT_TOKEN}/getFile`)!;
    assert.deepEqual(getFile.json, { file_id: 'AgACAgUAAxkBAAIBGmc1large' });
    assert.ok(requests.some((r) => r.method === 'GET' && r.path === `/file/bot${BOT_TOKEN}/photos/file_12.jpg`));
    const m = (await inbound(874512010))!;
    assert.equal(m.outcome, 'report');
    reportId = m.report_id!;
    const files = await t.deps.db.query<{ media_type: string }>('SELECT media_type FROM attachments WHERE report_id = $1', [reportId]);
    assert.deepEqual(files, [{ media_type: 'image/jpeg' }]);
  });

  test('a location sent afterwards goes onto the report', async () => {
    await post(update('location'));
    const m = (await inbound(874512011))!;
    assert.equal(m.outcome, 'reply');
    assert.equal(m.report_id, reportId);
    const [r] = await t.deps.db.query<{ latitude: number; longitude: number }>('SELECT latitude, longitude FROM reports WHERE id = $1', [
      reportId,
    ]);
    assert.deepEqual(r, { latitude: -5.1131, longitude: 105.3067 });
    await dispatch();
    fake.take();
  });

  test('the largest size within the attachment limit is the one taken', () => {
    const photo = channelFixture('telegram', 'photo');
    assert.equal(telegramInbound(photo, 3000).photo!.ref, 'AgACAgUAAxkBAAIBGmc1medium');
    assert.equal(telegramInbound(photo, 10_000).photo!.ref, 'AgACAgUAAxkBAAIBGmc1large');
  });
});

describe('what is not a report', () => {
  test('a message in a group is kept, unparsed, and not answered', async () => {
    await post(update('group'));
    const m = (await inbound(874512020))!;
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /grup/);
    await dispatch();
    assert.equal(sends().length, 0);
  });

  test('an edited message is kept, unparsed, and not answered', async () => {
    await post(update('edited'));
    const m = (await inbound(874512030))!;
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /edited_message/);
    await dispatch();
    assert.equal(sends().length, 0);
  });

  test('malformed: not JSON, or no update_id, is 400; a message without a chat is stored and 400', async () => {
    const notJson = await post('{"update_id": 5,');
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.reason, /not JSON/);
    const noId = await post({ message: { text: 'halo' } });
    assert.equal(noId.status, 400);
    assert.match(noId.body.reason, /update_id/);
    const noChat = await post(
      update('text', (u) => {
        u.update_id = 874512040;
        delete u.message.chat;
      }),
    );
    assert.equal(noChat.status, 400);
    assert.match(noChat.body.reason, /no chat/);
    const m = (await inbound(874512040))!;
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /malformed/);
  });
});

describe('sending', () => {
  const text = (updateId: number, chatId: number) =>
    update('text', (u) => {
      u.update_id = updateId;
      u.message.chat.id = chatId;
      u.message.from.id = chatId;
      u.message.text = 'Jembatan gantung di Desa Sungai Ambawang rusak, papan lantainya banyak yang lepas dan berbahaya.';
    });

  test('a user who blocked the bot: the message fails at once (403), with the reason', async () => {
    await post(text(874512050, BLOCKED));
    const result = await dispatch();
    assert.equal(result.failed, 1);
    const [row] = await t.deps.db.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM outbox WHERE channel = 'chat' AND recipient_address = $1`,
      [`telegram:${BLOCKED}`],
    );
    assert.equal(row!.status, 'failed');
    assert.match(row!.last_error, /403.*blocked by the user/);
    fake.take();
  });

  test('Too Many Requests (429) is tried again after 5 s', async () => {
    await post(text(874512051, BUSY));
    assert.equal((await dispatch()).retried, 1);
    const [row] = await t.deps.db.query<{ status: string; available_at: Date }>(
      `SELECT status, available_at FROM outbox WHERE channel = 'chat' AND recipient_address = $1`,
      [`telegram:${BUSY}`],
    );
    assert.equal(row!.status, 'pending');
    assert.equal(row!.available_at.getTime() - t.deps.now().getTime(), 5_000);
    fake.take();
  });
});

test('chat commands: the keyword with or without a slash, a bot suffix or a colon', () => {
  assert.deepEqual(chatCommand('/start'), { keyword: 'START', rest: '' });
  assert.deepEqual(chatCommand('/cek@LaporSP4NBot 7KMX3PRA'), { keyword: 'CEK', rest: '7KMX3PRA' });
  assert.deepEqual(chatCommand('Lapor: jalan rusak'), { keyword: 'LAPOR', rest: 'jalan rusak' });
  assert.deepEqual(chatCommand('Terima kasih'), { keyword: 'TERIMA', rest: 'kasih' });
  assert.deepEqual(chatCommand('  '), { keyword: '', rest: '' });
});
