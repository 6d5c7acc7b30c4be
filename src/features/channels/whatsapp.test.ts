/**
 * WhatsApp Business Cloud API end to end (issue 11 §5): webhooks as Meta sends them (fixtures in
 * test/fixtures/channels/whatsapp), signed with the app secret, into the intake; the replies and
 * lifecycle messages out through a fake Graph API on 127.0.0.1, each request checked as the
 * Cloud API documents it; photos downloaded through the media endpoint, locations onto the
 * report, statuses recorded on the outbox row.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ConfigError, type WhatsAppConfig, loadConfig } from '../../config.ts';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { type FakePlatform, channelFixture, startFakePlatform, withLogLines } from '../../../test/support/fake-platform.ts';
import { PHOTO_IDENTITY, fixtureBytes, includesText } from '../../../test/support/files.ts';
import { createApp } from '../../http/app.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { chatStatusLines, createChatTransport } from './chat-senders.ts';
import { CHAT_PART_WAIT_MS } from './chat.service.ts';

const APP_SECRET = 'wa-app-secret-uji-1708';
const VERIFY_TOKEN = 'verifikasi-lapor-1708';
const TOKEN = 'EAAGuji0TokenSistem1708';
const PHONE_ID = '106540352242922';
const ORIGIN = 'https://lapor.example.go.id';
const JPEG = fixtureBytes('photo-gps.jpg');
const PDF = fs.readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/attachments/document.pdf'));

let fake: FakePlatform;
let t: TestApp;
let national: TestUser;
let agency: TestUser;
let sent = 0;
/** How the fake Graph API answers a send, by default a wamid of its own. */
let sendAnswer: (() => { status: number; json: unknown }) | null = null;

before(async () => {
  fake = await startFakePlatform((req) => {
    if (req.method === 'POST' && req.path === `/v23.0/${PHONE_ID}/messages`) {
      if (sendAnswer) return sendAnswer();
      sent += 1;
      return {
        json: {
          messaging_product: 'whatsapp',
          contacts: [{ input: req.json.to, wa_id: req.json.to }],
          messages: [{ id: `wamid.LAPOR${sent}` }],
        },
      };
    }
    const media = /^\/v23\.0\/(\w+)$/.exec(req.path);
    if (req.method === 'GET' && media) {
      const id = media[1]!;
      if (id === 'gone') return { status: 404, json: { error: { message: 'Unsupported get request', code: 100 } } };
      return {
        json: {
          messaging_product: 'whatsapp',
          url: `${fake.url}/whatsapp_business/attachments/?mid=${id}`,
          mime_type: 'image/jpeg',
          sha256: 'a'.repeat(64),
          file_size: id === 'toolarge' ? String(50 * 1024 * 1024) : String(JPEG.byteLength),
          id,
        },
      };
    }
    if (req.method === 'GET' && req.path === '/whatsapp_business/attachments/') {
      return { body: JPEG, headers: { 'content-type': 'image/jpeg' } };
    }
    return undefined;
  });
  const whatsapp: WhatsAppConfig = {
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    token: TOKEN,
    phoneNumberId: PHONE_ID,
    apiUrl: `${fake.url}/v23.0`,
  };
  t = await startTestApp({ whatsapp, publicOrigin: ORIGIN });
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
});
after(async () => {
  await t.close();
  await fake.close();
});

const sign = (raw: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

function post(body: unknown, headers?: Record<string, string>) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return t.request('POST', '/channels/whatsapp/webhook', {
    raw,
    headers: headers ?? { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
  });
}

/** A fixture with its first message (or status) changed. */
function fixture(name: string, change: (m: any) => void = () => {}) {
  const body = channelFixture('whatsapp', name);
  const value = body.entry[0].changes[0].value;
  change(value.messages?.[0] ?? value.statuses?.[0]);
  return body;
}

const dispatch = () => dispatchOutbox({ db: t.deps.db, now: t.deps.now, email: null, chat: createChatTransport(t.deps.config) });

async function inbound(messageId: string) {
  const [row] = await t.deps.db.query<{
    id: number;
    status: string;
    outcome: string | null;
    reason: string | null;
    report_id: number | null;
  }>('SELECT id, status, outcome, reason, report_id FROM inbound_messages WHERE channel = $1 AND message_id = $2', ['whatsapp', messageId]);
  return row;
}

async function reportOf(id: number) {
  const [r] = await t.deps.db.query<{
    id: number;
    tracking_id: string;
    channel: string;
    status: string;
    title: string;
    body: string;
    latitude: number | null;
    longitude: number | null;
    reporter_id: number;
    channel_message: Record<string, any>;
  }>('SELECT id, tracking_id, channel, status, title, body, latitude, longitude, reporter_id, channel_message FROM reports WHERE id = $1', [
    id,
  ]);
  return r!;
}

/** The messages the fake received on the send endpoint since the last call. */
const sends = () => fake.take().filter((r) => r.method === 'POST' && r.path === `/v23.0/${PHONE_ID}/messages`);

describe('the webhook’s verification and signature', () => {
  test('GET echoes hub.challenge for the verify token; another token is 403', async () => {
    const ok = await t.request(
      'GET',
      `/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    assert.equal(ok.status, 200);
    assert.equal(ok.text, '1158201444');
    const wrong = await t.request('GET', '/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=tebakan&hub.challenge=1158201444');
    assert.equal(wrong.status, 403);
    assert.equal((await t.request('GET', '/channels/whatsapp/webhook?hub.challenge=1')).status, 400);
  });

  test('a POST without a signature is 401, with a wrong one 403; both are logged and nothing is stored', async () => {
    const { app, lines } = withLogLines(t);
    const raw = JSON.stringify(fixture('text', (m) => (m.id = 'wamid.forged')));
    const none = await app.request('/channels/whatsapp/webhook', {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(none.status, 401);
    const forged = await app.request('/channels/whatsapp/webhook', {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, 'rahasia-lain') },
    });
    assert.equal(forged.status, 403);
    // signed, then one byte changed
    const tampered = await app.request('/channels/whatsapp/webhook', {
      method: 'POST',
      body: raw.replace('Ahmad Yani', 'Ahmad Yanu'),
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
    });
    assert.equal(tampered.status, 403);
    const refused = lines().filter((l) => String(l.msg).startsWith('WhatsApp webhook refused'));
    assert.deepEqual(
      refused.map((l) => l.status),
      [401, 403, 403],
    );
    assert.equal(await inbound('wamid.forged'), undefined);
  });

  test('not configured: every WhatsApp endpoint is 404', async () => {
    const off = createApp({ ...t.deps, config: { ...t.deps.config, whatsapp: null } });
    assert.equal((await off.request('/channels/whatsapp/webhook?hub.mode=subscribe')).status, 404);
    assert.equal((await off.request('/channels/whatsapp/webhook', { method: 'POST', body: '{}' })).status, 404);
  });
});

describe('a text message is a report, answered on the same chat', () => {
  const first = fixture('text');
  const wamid = first.entry[0].changes[0].value.messages[0].id as string;
  let reportId = 0;
  let trackingId = '';

  test('the report, its reporter by channel identity, and the receipt through POST /{phone-number-id}/messages', async () => {
    const res = await post(first);
    assert.equal(res.status, 200, res.text);
    const m = (await inbound(wamid))!;
    assert.equal(m.status, 'processed');
    assert.equal(m.outcome, 'report');
    const r = await reportOf(m.report_id!);
    reportId = r.id;
    trackingId = r.tracking_id;
    assert.equal(r.channel, 'whatsapp');
    assert.equal(r.title, 'Jalan Ahmad Yani di depan Pasar Flamboyan berlubang besar sejak dua minggu');
    assert.deepEqual(r.channel_message.chat, { platform: 'whatsapp', chatId: '6281256780001' });
    const [who] = await t.deps.db.query<{ name: string; role: string; email: string | null; password_hash: string | null; handle: string }>(
      `SELECT u.name, u.role, u.email, u.password_hash, ci.handle FROM users u JOIN channel_identities ci ON ci.user_id = u.id
        WHERE u.id = $1 AND ci.channel = 'whatsapp'`,
      [r.reporter_id],
    );
    assert.deepEqual(who, { name: 'Siti Rahmawati', role: 'reporter', email: null, password_hash: null, handle: '6281256780001' });

    assert.deepEqual(await dispatch(), { delivered: 2, failed: 0, retried: 0 }, 'in-app and the WhatsApp receipt');
    const [send] = sends();
    assert.ok(send, 'the receipt was sent');
    assert.equal(send.headers.authorization, `Bearer ${TOKEN}`);
    assert.match(String(send.headers['content-type']), /^application\/json/);
    assert.deepEqual(Object.keys(send.json).sort(), ['messaging_product', 'recipient_type', 'text', 'to', 'type']);
    assert.equal(send.json.messaging_product, 'whatsapp');
    assert.equal(send.json.recipient_type, 'individual');
    assert.equal(send.json.to, '6281256780001');
    assert.equal(send.json.type, 'text');
    assert.equal(send.json.text.preview_url, false);
    assert.match(send.json.text.body, new RegExp(`nomor pelacakan ${trackingId}`));
    assert.match(send.json.text.body, /pesan berikutnya di sini ditambahkan ke laporan ini/);
    assert.ok(send.json.text.body.endsWith(`${ORIGIN}/laporan/${trackingId}`));
    const [row] = await t.deps.db.query<{ status: string; external_id: string; recipient_address: string; payload: any }>(
      `SELECT status, external_id, recipient_address, payload FROM outbox WHERE channel = 'chat' AND template = 'report.received' AND payload->>'trackingId' = $1`,
      [trackingId],
    );
    assert.equal(row!.status, 'sent');
    assert.equal(row!.external_id, `wamid.LAPOR${sent}`);
    assert.equal(row!.recipient_address, 'whatsapp:6281256780001');
    assert.deepEqual(row!.payload.chat, { platform: 'whatsapp', chatId: '6281256780001', replyTo: null });
  });

  test('the same webhook delivered again (at once, and later) is one message and one report', async () => {
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    const answers = await Promise.all([post(first), post(first)]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200],
    );
    assert.equal((await post(first)).status, 200);
    const afterCount = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    assert.equal(afterCount[0]!.n, before[0]!.n);
    assert.equal((await t.deps.db.query('SELECT 1 FROM inbound_messages WHERE message_id = $1', [wamid])).length, 1);
    await dispatch();
    assert.equal(sends().length, 0, 'no second receipt');
  });

  test('status webhooks are recorded on the outbox row: delivered, a late "sent" changes nothing, then read', async () => {
    const [row] = await t.deps.db.query<{ id: number; external_id: string }>(
      `SELECT id, external_id FROM outbox WHERE channel = 'chat' AND template = 'report.received' AND payload->>'trackingId' = $1`,
      [trackingId],
    );
    const status = (word: string, seconds: number) =>
      fixture('status-delivered', (s) => {
        s.id = row!.external_id;
        s.status = word;
        s.timestamp = String(seconds);
      });
    assert.equal((await post(status('delivered', 1795489100))).status, 200);
    assert.equal((await post(status('sent', 1795489090))).status, 200);
    let [o] = await t.deps.db.query<{ delivery_status: string; delivered_at: Date; status: string }>(
      'SELECT delivery_status, delivered_at, status FROM outbox WHERE id = $1',
      [row!.id],
    );
    assert.equal(o!.delivery_status, 'delivered');
    assert.equal(o!.delivered_at.toISOString(), new Date(1795489100 * 1000).toISOString());
    assert.equal(o!.status, 'sent');
    await post(status('read', 1795489200));
    [o] = await t.deps.db.query('SELECT delivery_status, delivered_at, status FROM outbox WHERE id = $1', [row!.id]);
    assert.equal(o!.delivery_status, 'read');
    const reports = await t.deps.db.query<{ status: string; raw: any }>(
      'SELECT status, raw FROM delivery_reports WHERE outbox_id = $1 ORDER BY id',
      [row!.id],
    );
    assert.deepEqual(
      reports.map((r) => r.status),
      ['delivered', 'sent', 'read'],
    );
    assert.equal(reports[0]!.raw.recipient_id, '6281256780001');
    const unknown = await post(fixture('status-delivered', (s) => (s.id = 'wamid.bukan-milik-kita')));
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body.unknownStatuses, 1);
  });

  test('CEK without a tracking ID answers with the open report’s status; free text is added to it', async () => {
    const text = (id: string, body: string) =>
      fixture('text', (m) => {
        m.id = id;
        m.text.body = body;
      });
    await post(text('wamid.cek-1', 'cek'));
    await dispatch();
    const [status] = sends();
    assert.match(status!.json.text.body, new RegExp(`Laporan ${trackingId}: Belum Terverifikasi`));
    assert.deepEqual(status!.json.context, { message_id: 'wamid.cek-1' }, 'the answer quotes the question');

    await post(text('wamid.tambah-1', 'Lubangnya sekitar satu meter, persis di depan halte bus.'));
    const m = (await inbound('wamid.tambah-1'))!;
    assert.equal(m.outcome, 'reply');
    assert.equal(m.report_id, reportId);
    const [event] = await t.deps.db.query<{ type: string; message: string }>(
      'SELECT type, message FROM report_events WHERE report_id = $1 ORDER BY id DESC LIMIT 1',
      [reportId],
    );
    assert.deepEqual(event, { type: 'reporter_replied', message: 'Lubangnya sekitar satu meter, persis di depan halte bus.' });
    await dispatch();
    assert.match(sends()[0]!.json.text.body, new RegExp(`Pesan Anda ditambahkan pada laporan ${trackingId}`));
  });

  test('the officer’s question reaches the chat; the answer in the chat completes the report', async () => {
    const hold = await t.request('POST', `/api/v1/reports/${trackingId}/hold`, {
      token: national.token,
      json: { message: 'Mohon kirim foto lubang dan patokan terdekat.' },
    });
    assert.equal(hold.status, 200, hold.text);
    await dispatch();
    const [question] = sends();
    assert.equal(question!.json.to, '6281256780001');
    assert.match(question!.json.text.body, /Mohon kirim foto lubang dan patokan terdekat/);
    assert.match(question!.json.text.body, /Balas di sini dengan keterangan yang diminta/);
    await post(
      fixture('text', (m) => {
        m.id = 'wamid.lengkapi-1';
        m.text.body = 'Patokannya halte bus Flamboyan, lubang di lajur kiri.';
      }),
    );
    assert.equal((await reportOf(reportId)).status, 'submitted', 'completed: back to the desk');
    await dispatch();
    sends();
  });

  test('while the answer awaits, free text asks for TERIMA or BALAS; TERIMA accepts it', async () => {
    assert.equal(
      (await t.request('POST', `/api/v1/reports/${trackingId}/verify`, { token: national.token, json: { resolutionClass: 5 } })).status,
      200,
    );
    assert.equal(
      (
        await t.request('POST', `/api/v1/reports/${trackingId}/route`, {
          token: national.token,
          json: { bodyId: await t.bodyId('pemkot-61.71') },
        })
      ).status,
      200,
    );
    const form = new FormData();
    form.set('message', 'Lubang di Jl. Ahmad Yani depan Pasar Flamboyan sudah ditambal dengan aspal pada 25 November 2026.');
    form.append('attachments', new File([PDF], 'berita-acara.pdf', { type: 'application/pdf' }));
    const answered = await t.request('POST', `/api/v1/reports/${trackingId}/answer`, { token: agency.token, form });
    assert.equal(answered.status, 200, answered.text);
    await dispatch();
    const answer = sends().at(-1)!;
    assert.match(answer.json.text.body, /sudah ditambal/);
    assert.match(answer.json.text.body, /Kirim TERIMA bila selesai/);

    await post(
      fixture('text', (m) => {
        m.id = 'wamid.makasih-1';
        m.text.body = 'Terima kasih banyak, sudah rapi sekarang';
      }),
    );
    const thanks = (await inbound('wamid.makasih-1'))!;
    assert.equal(thanks.status, 'unparsed', 'kept for an admin');
    assert.equal((await reportOf(reportId)).status, 'answered', '"terima kasih" does not reopen it');
    await dispatch();
    assert.match(sends()[0]!.json.text.body, /Kirim TERIMA bila selesai, BALAS <pesan> bila belum/);

    await post(
      fixture('text', (m) => {
        m.id = 'wamid.terima-1';
        m.text.body = 'TERIMA';
      }),
    );
    assert.equal((await reportOf(reportId)).status, 'closed');
    await dispatch();
    assert.match(sends()[0]!.json.text.body, new RegExp(`Laporan ${trackingId} selesai`));
  });

  test('staff messages about a WhatsApp report never carry the chat or the number', async () => {
    const staff = await t.deps.db.query<{ payload: unknown }>(
      `SELECT o.payload FROM outbox o JOIN users u ON u.id = o.recipient_user_id WHERE u.role <> 'reporter' AND o.payload->>'trackingId' = $1`,
      [trackingId],
    );
    assert.ok(staff.length > 0, 'staff were told things');
    for (const { payload } of staff) {
      const text = JSON.stringify(payload);
      assert.ok(!text.includes('6281256780001'), text);
      assert.ok(!text.includes('"chat"'), text);
      assert.ok(!text.includes('Siti'), text);
    }
  });
});

describe('photos and locations', () => {
  test('an image with a caption is a report with the photo, fetched through the Graph API and stripped', async () => {
    const body = fixture('image');
    await post(body);
    const requests = fake.take();
    const lookup = requests.find((r) => r.path === '/v23.0/1479537139650973')!;
    assert.equal(lookup.method, 'GET');
    assert.equal(lookup.headers.authorization, `Bearer ${TOKEN}`);
    const download = requests.find((r) => r.path === '/whatsapp_business/attachments/')!;
    assert.equal(download.query.get('mid'), '1479537139650973');
    assert.equal(download.headers.authorization, `Bearer ${TOKEN}`, 'the media URL needs the token too');
    const m = (await inbound(body.entry[0].changes[0].value.messages[0].id))!;
    assert.equal(m.outcome, 'report');
    const r = await reportOf(m.report_id!);
    assert.match(r.body, /^Tumpukan sampah di TPS Jalan Tanjungpura/);
    const files = await t.deps.db.query<{ storage_key: string; media_type: string; visibility: string }>(
      'SELECT storage_key, media_type, visibility FROM attachments WHERE report_id = $1',
      [r.id],
    );
    assert.equal(files.length, 1);
    assert.equal(files[0]!.media_type, 'image/jpeg');
    assert.equal(files[0]!.visibility, 'reporter', 'a citizen’s photo is never public');
    const stored = (await t.deps.storage.get(files[0]!.storage_key))!;
    for (const trace of PHOTO_IDENTITY) assert.ok(!includesText(stored, trace), `${trace} was stripped`);
    await dispatch();
    fake.take();
  });

  test('a location from the same chat afterwards goes onto the report and its timeline', async () => {
    const body = fixture('location');
    await post(body);
    const m = (await inbound(body.entry[0].changes[0].value.messages[0].id))!;
    assert.equal(m.outcome, 'reply');
    const r = await reportOf(m.report_id!);
    assert.equal(r.latitude, -0.0263303);
    assert.equal(r.longitude, 109.3425039);
    const [event] = await t.deps.db.query<{ message: string }>(
      'SELECT message FROM report_events WHERE report_id = $1 ORDER BY id DESC LIMIT 1',
      [r.id],
    );
    assert.match(event!.message, /Lokasi \/ Location: -0\.026330, 109\.342504 \(TPS Jalan Tanjungpura, Jl\. Tanjungpura/);
    await dispatch();
    assert.match(sends()[0]!.json.text.body, /Lokasi Anda ditambahkan pada laporan/);
  });

  test('a photo sent just before the words (one webhook) waits for them and joins the report', async () => {
    const body = fixture('batch');
    const [photo, words] = body.entry[0].changes[0].value.messages;
    await post(body);
    const p = (await inbound(photo.id))!;
    const w = (await inbound(words.id))!;
    assert.equal(w.outcome, 'report');
    assert.equal(p.status, 'processed');
    assert.equal(p.outcome, 'combined');
    assert.equal(p.report_id, w.report_id);
    const files = await t.deps.db.query('SELECT id FROM attachments WHERE report_id = $1', [w.report_id]);
    assert.equal(files.length, 1);
    await dispatch();
    const texts = sends().map((s) => s.json.text.body as string);
    assert.ok(
      texts.some((x) => /^Foto diterima/.test(x)),
      'the photo was acknowledged',
    );
    assert.ok(
      texts.some((x) => /nomor pelacakan/.test(x)),
      'then the receipt',
    );
  });

  test('a photo without words waits; a report filed after the wait leaves it', async () => {
    const from = '6281299990001';
    const photo = fixture('image', (m) => {
      m.id = 'wamid.foto-tunggu';
      m.from = from;
      delete m.image.caption;
      m.image.id = 'foto-tunggu';
    });
    photo.entry[0].changes[0].value.contacts[0].wa_id = from;
    await post(photo);
    assert.equal((await inbound('wamid.foto-tunggu'))!.status, 'partial');
    const later = new Date(t.deps.now().getTime() + CHAT_PART_WAIT_MS + 60_000);
    t.setNow(later);
    await post(
      fixture('text', (m) => {
        m.id = 'wamid.terlambat';
        m.from = from;
        m.text.body = 'Pohon tumbang menutup Jl. Sultan Abdurrahman sejak subuh, belum ada petugas yang datang.';
      }),
    );
    const w = (await inbound('wamid.terlambat'))!;
    assert.equal(w.outcome, 'report');
    assert.equal((await inbound('wamid.foto-tunggu'))!.status, 'partial', 'too old to join');
    assert.equal((await t.deps.db.query('SELECT id FROM attachments WHERE report_id = $1', [w.report_id])).length, 0);
    await dispatch();
    fake.take();
  });

  test('a photo over the size limit is never downloaded: the report is filed without it, and the sender is told', async () => {
    const body = fixture('image', (m) => {
      m.id = 'wamid.besar';
      m.from = '6281377770002';
      m.image.id = 'toolarge';
    });
    await post(body);
    assert.ok(!fake.requests.some((r) => r.path === '/whatsapp_business/attachments/' && r.query.get('mid') === 'toolarge'));
    const m = (await inbound('wamid.besar'))!;
    assert.equal(m.outcome, 'report');
    assert.equal((await t.deps.db.query('SELECT id FROM attachments WHERE report_id = $1', [m.report_id])).length, 0);
    await dispatch();
    const texts = sends().map((s) => s.json.text.body as string);
    assert.ok(
      texts.some((x) => /1 foto tidak dapat dilampirkan/.test(x)),
      texts.join('\n'),
    );
  });
});

describe('what is not a report', () => {
  test('a voice note is told what we take, and kept for an admin with the reason', async () => {
    const body = fixture('audio');
    await post(body);
    const m = (await inbound(body.entry[0].changes[0].value.messages[0].id))!;
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /pesan suara/);
    await dispatch();
    assert.match(sends()[0]!.json.text.body, /pesan suara belum dapat kami terima/);
  });

  test('a short greeting is refused with what to write, and kept', async () => {
    await post(
      fixture('text', (m) => {
        m.id = 'wamid.halo';
        m.from = '6281388880003';
        m.text.body = 'Halo min';
      }),
    );
    const m = (await inbound('wamid.halo'))!;
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /shorter than 20/);
    await dispatch();
    assert.match(sends()[0]!.json.text.body, /terlalu singkat/);
  });

  test('malformed: a body that is not JSON is 400; a message without "from" is stored, unparsed, and 400 with the reason', async () => {
    const notJson = await post('{"object":"whatsapp_business_account","entry":[');
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.reason, /not JSON/);
    const wrongShape = await post({ hello: 'world' });
    assert.equal(wrongShape.status, 400);
    assert.match(wrongShape.body.reason, /entry/);
    const noSender = await post(
      fixture('text', (m) => {
        m.id = 'wamid.tanpa-pengirim';
        delete m.from;
      }),
    );
    assert.equal(noSender.status, 400);
    assert.match(noSender.body.reason, /has no "from"/);
    const m = (await inbound('wamid.tanpa-pengirim'))!;
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /malformed: the message has no "from"/);
  });
});

describe('sending', () => {
  test('a send refused for good (131026: not on WhatsApp) fails at once; a 5xx is tried again after 5 s', async () => {
    const from = '6281311112222';
    await post(
      fixture('text', (m) => {
        m.id = 'wamid.kirim-gagal';
        m.from = from;
        m.text.body = 'Pungutan liar di loket pembuatan SIM Polresta Pontianak, diminta Rp150.000 di luar biaya resmi.';
      }),
    );
    sendAnswer = () => ({ status: 500, json: { error: { message: 'Service temporarily unavailable', code: 2, type: 'OAuthException' } } });
    const first = await dispatch();
    assert.equal(first.retried, 1);
    t.setNow(new Date(t.deps.now().getTime() + 5_000));
    sendAnswer = () => ({
      status: 400,
      json: { error: { message: '(#131026) Message Undeliverable', code: 131026, type: 'OAuthException' } },
    });
    const second = await dispatch();
    assert.equal(second.failed, 1);
    sendAnswer = null;
    const [row] = await t.deps.db.query<{ status: string; attempts: number; last_error: string }>(
      `SELECT status, attempts, last_error FROM outbox WHERE channel = 'chat' AND recipient_address = $1`,
      [`whatsapp:${from}`],
    );
    assert.equal(row!.status, 'failed');
    assert.equal(row!.attempts, 2);
    assert.match(row!.last_error, /131026/);
    fake.take();
  });

  test('a message WhatsApp reports failed (outside the 24-hour window) is recorded with the reason, and not sent again', async () => {
    const [row] = await t.deps.db.query<{ id: number; external_id: string }>(
      `SELECT id, external_id FROM outbox WHERE channel = 'chat' AND status = 'sent' AND external_id LIKE 'wamid.LAPOR%' ORDER BY id DESC LIMIT 1`,
    );
    await post(fixture('status-failed', (s) => (s.id = row!.external_id)));
    const [o] = await t.deps.db.query<{ delivery_status: string; status: string; last_error: string }>(
      'SELECT delivery_status, status, last_error FROM outbox WHERE id = $1',
      [row!.id],
    );
    assert.equal(o!.delivery_status, 'failed');
    assert.equal(o!.status, 'sent');
    assert.match(o!.last_error, /131047 Re-engagement message/);
    const [report] = await t.deps.db.query<{ code: number }>(
      'SELECT code FROM delivery_reports WHERE outbox_id = $1 ORDER BY id DESC LIMIT 1',
      [row!.id],
    );
    assert.equal(report!.code, 131047);
  });

  test('a chat message for a platform that is off waits in the outbox', async () => {
    await t.deps.db.query(
      `INSERT INTO outbox (channel, recipient_address, template, payload, idempotency_key, available_at)
       VALUES ('chat', 'telegram:5123456789', 'chat.reply', $1, 'test:telegram-off', $2)`,
      [JSON.stringify({ text: 'Halo', chat: { platform: 'telegram', chatId: '5123456789' } }), t.deps.now()],
    );
    await dispatch();
    const [row] = await t.deps.db.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM outbox WHERE idempotency_key = 'test:telegram-off'`,
    );
    assert.deepEqual(row, { status: 'pending', attempts: 0 });
  });
});

describe('by hand, and after an identity is unlinked', () => {
  test('a national admin files an unparsed WhatsApp message as a report: the receipt goes back on WhatsApp', async () => {
    const from = '6281244440004';
    await post(
      fixture('text', (m) => {
        m.id = 'wamid.pendek';
        m.from = from;
        m.text.body = 'Air PDAM mati';
      }),
    );
    await dispatch();
    sends();
    const m = (await inbound('wamid.pendek'))!;
    assert.equal(m.status, 'unparsed');
    const filed = await t.request('POST', `/api/v1/channels/inbound/${m.id}/report`, {
      token: national.token,
      json: {
        classification: 'pengaduan',
        title: 'Air PDAM mati',
        body: 'Air PDAM mati di Jl. Merdeka sejak kemarin sore, dilaporkan lewat WhatsApp.',
      },
    });
    assert.equal(filed.status, 201, filed.text);
    await dispatch();
    const [receipt] = sends();
    assert.equal(receipt!.json.to, from);
    assert.match(receipt!.json.text.body, new RegExp(`nomor pelacakan ${filed.body.trackingId}`));
  });

  test('once the reporter unlinks the WhatsApp identity, nothing more goes to that chat', async () => {
    const [r] = await t.deps.db.query<{ tracking_id: string; reporter_id: number }>(
      `SELECT tracking_id, reporter_id FROM reports WHERE channel = 'whatsapp' AND channel_message->>'from' = '6281244440004'`,
    );
    await t.deps.db.query(`DELETE FROM channel_identities WHERE user_id = $1 AND channel = 'whatsapp'`, [r!.reporter_id]);
    const hold = await t.request('POST', `/api/v1/reports/${r!.tracking_id}/hold`, {
      token: national.token,
      json: { message: 'Mohon sebutkan nomor pelanggan PDAM Anda.' },
    });
    assert.equal(hold.status, 200, hold.text);
    const rows = await t.deps.db.query<{ channel: string }>(
      `SELECT channel FROM outbox WHERE template = 'report.on_hold' AND payload->>'trackingId' = $1`,
      [r!.tracking_id],
    );
    assert.deepEqual(
      rows.map((x) => x.channel),
      ['in_app'],
      'in-app only: the account has no other contact',
    );
  });
});

describe('configuration', () => {
  const all = {
    WHATSAPP_APP_SECRET: 's',
    WHATSAPP_VERIFY_TOKEN: 'v',
    WHATSAPP_TOKEN: 't',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  };

  test('each platform is off without its variables, on with all of them', () => {
    const none = loadConfig({});
    assert.deepEqual([none.x, none.whatsapp, none.telegram], [null, null, null]);
    assert.deepEqual(chatStatusLines(none), [
      'X_CONSUMER_SECRET not set: X is off / X nonaktif',
      'WHATSAPP_APP_SECRET not set: WhatsApp is off / WhatsApp nonaktif',
      'TELEGRAM_BOT_TOKEN not set: Telegram is off / Telegram nonaktif',
    ]);
    assert.equal(createChatTransport(none), null);
    const on = loadConfig({ ...all, TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_SECRET_TOKEN: 'rahasia' });
    assert.equal(on.whatsapp!.apiUrl, 'https://graph.facebook.com/v23.0');
    assert.equal(on.telegram!.apiUrl, 'https://api.telegram.org');
    assert.deepEqual(createChatTransport(on)!.platforms, ['whatsapp', 'telegram']);
    assert.match(chatStatusLines(on)[1]!, /^WhatsApp on: phone number 106540352242922/);
  });

  test('a platform half configured names every missing variable', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    assert.deepEqual(problems({ WHATSAPP_APP_SECRET: 's' }), [
      'WhatsApp needs WHATSAPP_VERIFY_TOKEN, WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID as well (set all of WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, or none)',
    ]);
    assert.match(
      problems({ X_CONSUMER_SECRET: 's', X_ACCOUNT_ID: 'lapor1708', X_BEARER_TOKEN: 't' })[0]!,
      /X_ACCOUNT_ID must be the account's numeric user id/,
    );
    assert.match(
      problems({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_SECRET_TOKEN: 'ada spasi' })[0]!,
      /TELEGRAM_SECRET_TOKEN must be 1 to 256/,
    );
    assert.match(problems({ ...all, WHATSAPP_API_URL: 'graph.facebook.com' })[0]!, /WHATSAPP_API_URL must be an http/);
  });
});
