/**
 * X through the Account Activity API end to end (issue 11 §5): the CRC, signed deliveries as X
 * posts them (fixtures in test/fixtures/channels/x), a mention of the national account with
 * #lapor into a report, and its reply tweets through a fake X API v2 on 127.0.0.1
 * (`POST /2/tweets` with `reply.in_reply_to_tweet_id`), public replies that never carry the body's words.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { XConfig } from '../../config.ts';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { type FakePlatform, channelFixture, startFakePlatform, withLogLines } from '../../../test/support/fake-platform.ts';
import { createApp } from '../../http/app.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { createChatTransport } from './chat-senders.ts';
import { readTweet, reportText } from './x.ts';

const SECRET = 'xConsumerSecretUji1708abcdefghijklmnopqrstuvwxyz0123';
const ACCOUNT = '1104302858';
const USER_TOKEN = 'x-oauth2-user-token-uji';
const ORIGIN = 'https://lapor.example.go.id';
const TWEET = '1993112233445566778';

let fake: FakePlatform;
let t: TestApp;
let national: TestUser;
let tweets = 0;
let refuse = false;

before(async () => {
  fake = await startFakePlatform((req) => {
    if (req.method === 'POST' && req.path === '/2/tweets') {
      if (refuse)
        return {
          status: 403,
          json: {
            title: 'Forbidden',
            detail: 'You are not allowed to create a Tweet with duplicate content.',
            type: 'about:blank',
            status: 403,
          },
        };
      tweets += 1;
      return {
        status: 201,
        json: { data: { id: `19931122334455670${String(tweets).padStart(2, '0')}`, text: req.json.text, edit_history_tweet_ids: [] } },
      };
    }
    return undefined;
  });
  const x: XConfig = { consumerSecret: SECRET, accountId: ACCOUNT, screenName: null, apiUrl: fake.url, bearerToken: USER_TOKEN };
  t = await startTestApp({ x, publicOrigin: ORIGIN });
  national = await t.user('national_admin');
});
after(async () => {
  await t.close();
  await fake.close();
});

const sign = (raw: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('base64')}`;

function post(body: unknown) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return t.request('POST', '/channels/x/webhook', {
    raw,
    headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(raw) },
  });
}

const dispatch = () => dispatchOutbox({ db: t.deps.db, now: t.deps.now, email: null, chat: createChatTransport(t.deps.config) });
const replies = () => fake.take().filter((r) => r.path === '/2/tweets');

async function inbound(tweetId: string) {
  const [row] = await t.deps.db.query<{ status: string; outcome: string | null; reason: string | null; report_id: number | null }>(
    `SELECT status, outcome, reason, report_id FROM inbound_messages WHERE channel = 'x' AND message_id = $1`,
    [tweetId],
  );
  return row;
}

describe('the CRC and the signature', () => {
  test('the CRC answers sha256= and the base64 HMAC of crc_token with the consumer secret', async () => {
    const res = await t.request('GET', '/channels/x/webhook?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553');
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /application\/json/);
    const expected = `sha256=${createHmac('sha256', SECRET).update('9b4507b3-9040-4669-9ca3-6b94edb50553').digest('base64')}`;
    assert.deepEqual(res.body, { response_token: expected });
    assert.equal((await t.request('GET', '/channels/x/webhook')).status, 400);
  });

  test('a POST without x-twitter-webhooks-signature is 401, with a wrong one 403; logged, nothing stored', async () => {
    const { app, lines } = withLogLines(t);
    const body = channelFixture('x', 'mention');
    body.tweet_create_events[0].id_str = '1993000000000000001';
    const raw = JSON.stringify(body);
    const none = await app.request('/channels/x/webhook', { method: 'POST', body: raw, headers: { 'content-type': 'application/json' } });
    assert.equal(none.status, 401);
    const wrong = await app.request('/channels/x/webhook', {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(raw, 'another-consumer-secret') },
    });
    assert.equal(wrong.status, 403);
    assert.deepEqual(
      lines()
        .filter((l) => String(l.msg).startsWith('X webhook refused'))
        .map((l) => l.status),
      [401, 403],
    );
    assert.equal(await inbound('1993000000000000001'), undefined);
  });

  test('not configured: 404 for the CRC and the events', async () => {
    const off = createApp({ ...t.deps, config: { ...t.deps.config, x: null } });
    assert.equal((await off.request('/channels/x/webhook?crc_token=abc')).status, 404);
    assert.equal((await off.request('/channels/x/webhook', { method: 'POST', body: '{}' })).status, 404);
  });
});

describe('a mention with #lapor is a report, answered under the tweet', () => {
  let trackingId = '';

  test('the report has the text without the mention and the hashtag; the reply tweet gives the tracking ID', async () => {
    assert.equal((await post(channelFixture('x', 'mention'))).status, 200);
    const m = (await inbound(TWEET))!;
    assert.equal(m.status, 'processed');
    assert.equal(m.outcome, 'report');
    const [r] = await t.deps.db.query<{
      tracking_id: string;
      channel: string;
      title: string;
      body: string;
      reporter_id: number;
      channel_message: any;
    }>('SELECT tracking_id, channel, title, body, reporter_id, channel_message FROM reports WHERE id = $1', [m.report_id]);
    trackingId = r!.tracking_id;
    assert.equal(r!.channel, 'x');
    assert.equal(
      r!.body,
      'Lampu lalu lintas di simpang Jl. Gajah Mada – Jl. Tanjungpura Pontianak mati sejak kemarin sore, macet parah tiap jam pulang kantor dan sudah dua kali hampir tabrakan. Mohon Dishub segera turun.',
    );
    assert.equal(r!.title, 'Lampu lalu lintas di simpang Jl');
    assert.deepEqual(r!.channel_message.chat, { platform: 'x', chatId: '2847561930', replyTo: TWEET });
    const [who] = await t.deps.db.query<{ name: string; handle: string }>(
      `SELECT u.name, ci.handle FROM users u JOIN channel_identities ci ON ci.user_id = u.id AND ci.channel = 'x' WHERE u.id = $1`,
      [r!.reporter_id],
    );
    assert.deepEqual(who, { name: 'Rudi Hartono', handle: '2847561930' });

    await dispatch();
    const [reply] = replies();
    assert.ok(reply, 'a reply tweet');
    assert.equal(reply.method, 'POST');
    assert.equal(reply.headers.authorization, `Bearer ${USER_TOKEN}`);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.deepEqual(reply.json, {
      text: `Laporan ${trackingId} diterima / Report ${trackingId} received ${ORIGIN}/laporan/${trackingId}`,
      reply: { in_reply_to_tweet_id: TWEET },
    });
    const [row] = await t.deps.db.query<{ external_id: string; status: string }>(
      `SELECT external_id, status FROM outbox WHERE channel = 'chat' AND template = 'report.received' AND payload->>'trackingId' = $1`,
      [trackingId],
    );
    assert.deepEqual(row, { external_id: '1993112233445567001', status: 'sent' });
  });

  test('the same event delivered twice is one report and one reply', async () => {
    await Promise.all([post(channelFixture('x', 'mention')), post(channelFixture('x', 'mention'))]);
    assert.equal((await t.deps.db.query(`SELECT id FROM reports WHERE channel = 'x'`)).length, 1);
    await dispatch();
    assert.equal(replies().length, 0);
  });

  test('later news goes under the same tweet, public: the title and the link, never the body’s words', async () => {
    const hold = await t.request('POST', `/api/v1/reports/${trackingId}/hold`, {
      token: national.token,
      json: { message: 'Mohon sebutkan nomor telepon Anda untuk dihubungi petugas.' },
    });
    assert.equal(hold.status, 200, hold.text);
    await dispatch();
    const [reply] = replies();
    assert.deepEqual(reply!.json, {
      text: `Laporan ${trackingId} perlu dilengkapi / Report ${trackingId} needs more information ${ORIGIN}/laporan/${trackingId}`,
      reply: { in_reply_to_tweet_id: TWEET },
    });
    assert.ok(!reply!.json.text.includes('nomor telepon'));
  });
});

describe('what stays in the store and hears nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['retweet', '1993112233445566830', /a retweet/],
    ['own', '1993112233445566790', /own tweet/],
    ['no-hashtag', '1993112233445566801', /a mention without #lapor/],
  ];
  for (const [fixture, id, reason] of cases) {
    test(`${fixture}: stored, unparsed, with the reason`, async () => {
      assert.equal((await post(channelFixture('x', fixture))).status, 200);
      const m = (await inbound(id))!;
      assert.equal(m.status, 'unparsed');
      assert.match(m.reason!, reason);
      assert.equal(m.report_id, null);
      await dispatch();
      assert.equal(replies().length, 0);
    });
  }

  test('a #lapor mention too short to act on gets one reply with what to write', async () => {
    const body = channelFixture('x', 'no-hashtag');
    const tweet = body.tweet_create_events[0];
    tweet.id_str = '1993112233445566900';
    tweet.text = '@lapor1708 jalan rusak #lapor';
    tweet.entities.hashtags = [{ text: 'lapor', indices: [23, 29] }];
    await post(body);
    const m = (await inbound('1993112233445566900'))!;
    assert.equal(m.status, 'unparsed');
    await dispatch();
    const [reply] = replies();
    assert.match(reply!.json.text, /terlalu singkat/);
    assert.deepEqual(reply!.json.reply, { in_reply_to_tweet_id: '1993112233445566900' });
  });

  test('likes and follows are answered 200 and not stored', async () => {
    const before = await t.deps.db.query('SELECT id FROM inbound_messages');
    const res = await post({
      for_user_id: ACCOUNT,
      favorite_events: [{ id: 'a7ba59eab0bfcba386f7acedac279542', created_at: 'Tue Nov 24 03:20:00 +0000 2026' }],
    });
    assert.equal(res.status, 200);
    assert.equal((await t.deps.db.query('SELECT id FROM inbound_messages')).length, before.length);
  });

  test('malformed: not JSON, no for_user_id, another account: 400; a tweet without its user is stored and 400', async () => {
    assert.match((await post('{"for_user_id": "1104302858", ')).body.reason, /not JSON/);
    assert.match((await post({ tweet_create_events: [] })).body.reason, /for_user_id/);
    assert.match((await post({ for_user_id: '42', tweet_create_events: [] })).body.reason, /not the national account/);
    const body = channelFixture('x', 'no-hashtag');
    body.tweet_create_events[0].id_str = '1993112233445566950';
    delete body.tweet_create_events[0].user;
    const res = await post(body);
    assert.equal(res.status, 400);
    assert.match(res.body.reason, /no "user.id_str"/);
    const m = (await inbound('1993112233445566950'))!;
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /malformed: the tweet has no author/);
  });
});

describe('sending', () => {
  test('a reply X refuses (403) fails at once, with X’s reason', async () => {
    const body = channelFixture('x', 'mention');
    const tweet = body.tweet_create_events[0];
    tweet.id_str = '1993112233445567777';
    tweet.user.id_str = '3111222333';
    await post(body);
    refuse = true;
    try {
      assert.equal((await dispatch()).failed, 1);
    } finally {
      refuse = false;
    }
    const [row] = await t.deps.db.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM outbox WHERE channel = 'chat' AND recipient_address = 'x:3111222333'`,
    );
    assert.equal(row!.status, 'failed');
    assert.match(row!.last_error, /403: You are not allowed to create a Tweet with duplicate content/);
    fake.take();
  });
});

describe('reading a tweet', () => {
  const account = { id: ACCOUNT, screenName: null };

  test('the account’s mention and #lapor go; other mentions, words and links stay', () => {
    assert.equal(
      reportText('@lapor1708 @DishubPontianak Lampu mati #Lapor di simpang', 'lapor1708'),
      '@DishubPontianak Lampu mati di simpang',
    );
    assert.equal(reportText('Sampah &amp; limbah #lapor @LAPOR1708', 'lapor1708'), 'Sampah & limbah');
    assert.equal(reportText('#laporan bukan tagar kita #lapor', null), '#laporan bukan tagar kita');
  });

  test('a mention from a user the account has blocked is not a report', () => {
    const raw = channelFixture('x', 'mention');
    const reading = readTweet({ ...raw, tweet: raw.tweet_create_events[0], user_has_blocked: 'true' }, account);
    assert.deepEqual(reading, { kind: 'ignored', reason: 'from a user the national account has blocked' });
  });

  test('the mention is found by the screen name when configured, whatever its case', () => {
    const raw = channelFixture('x', 'mention');
    const tweet = raw.tweet_create_events[0];
    for (const m of tweet.extended_tweet.entities.user_mentions) m.id_str = '0';
    assert.equal(readTweet({ tweet }, account).kind, 'ignored');
    assert.equal(readTweet({ tweet }, { id: ACCOUNT, screenName: 'LAPOR1708' }).kind, 'report');
  });
});
