/**
 * SMS through a real Gammu SMSD (Debian's gammu-smsd, SQL mode, native_pgsql, the repository's
 * deploy/gammu/smsdrc) with its dummy phone, on a PostgreSQL database of its own: messages in
 * through its inbox, out through its outbox, and what Gammu did read back from its sentitems.
 * The rules that need no Gammu (statuses, message ids, configuration, an unreachable database)
 * run everywhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from '../../../test/support/app.ts';
import { type Gammu, gammuSkipReason, type SentMessage, startGammu } from '../../../test/support/gammu.ts';
import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/db.ts';
import { smsSize } from '../../domain/sms.ts';
import { drainOutbox } from '../../worker.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { enqueue } from '../notifications/outbox.ts';
import { createOutboxPump, type OutboxPump } from '../notifications/pump.ts';
import {
  createGammuLink,
  createGammuTransport,
  type GammuInboxRow,
  type GammuLink,
  type GammuPoller,
  gammuDeliveryStatus,
  inboundFromInbox,
  parseGammuExternalId,
  pollGammuInbox,
  startGammuPoller,
} from './gammu.ts';

const skip = await gammuSkipReason();

let phone = 0;
const newPhone = () => `+62813${String(process.pid % 10_000).padStart(4, '0')}${String(++phone).padStart(4, '0')}`;

describe('Gammu statuses, message ids and configuration (no Gammu needed)', () => {
  test('a message is delivered when every part is, not delivered when one part is not, and unknown until every part is in', () => {
    assert.equal(gammuDeliveryStatus([], 1), null);
    assert.equal(gammuDeliveryStatus(['SendingOK'], 2), null, 'one part of two sent: no word yet');
    assert.equal(gammuDeliveryStatus(['SendingOK'], 1), 'accepted');
    assert.equal(gammuDeliveryStatus(['SendingOKNoReport'], 1), 'accepted');
    assert.equal(gammuDeliveryStatus(['DeliveryOK', 'SendingOK'], 2), 'accepted', 'one part delivered, the other not yet');
    assert.equal(gammuDeliveryStatus(['DeliveryOK', 'DeliveryOK'], 2), 'delivered');
    assert.equal(gammuDeliveryStatus(['DeliveryOK', 'DeliveryPending'], 2), 'buffered');
    assert.equal(gammuDeliveryStatus(['DeliveryOK', 'DeliveryFailed'], 2), 'failed');
    assert.equal(gammuDeliveryStatus(['SendingOK', 'SendingError'], 2), 'rejected', 'Gammu gave up sending a part');
    assert.equal(gammuDeliveryStatus(['Error'], 1), 'failed');
    assert.equal(gammuDeliveryStatus(['DeliveryUnknown'], 1), 'accepted');
  });

  const row = (over: Partial<GammuInboxRow> = {}): GammuInboxRow => ({
    id: 7,
    received: '2026-11-24 10:00:00',
    sender: '+6281234567890',
    recipient: 'modem-1',
    text_decoded: 'CEK 7KMX3PRA',
    text_hex: '00430045004B00200037004B004D00580033005000520041',
    udh: '',
    coding: 'Default_No_Compression',
    smsc: '+6281100000000',
    class: -1,
    ...over,
  });

  test('an inbox row read twice is one message; a new message that got an old ID after a Gammu reset is another', () => {
    const now = new Date();
    assert.equal(inboundFromInbox(row(), now).messageId, inboundFromInbox(row(), now).messageId);
    assert.notEqual(inboundFromInbox(row(), now).messageId, inboundFromInbox(row({ received: '2026-12-01 08:00:00' }), now).messageId);
    assert.notEqual(inboundFromInbox(row(), now).messageId, inboundFromInbox(row({ id: 8 }), now).messageId);
    const m = inboundFromInbox(row(), now);
    assert.equal(m.channel, 'sms');
    assert.equal(m.gateway, 'gammu');
    assert.equal(m.text, 'CEK 7KMX3PRA');
    assert.equal(m.sender, '+6281234567890');
  });

  test('each part of a long SMS brings its own text (Gammu puts the whole text on the first part only)', () => {
    const hex = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase();
    const first = inboundFromInbox(row({ udh: '050003770201', text_decoded: 'LAPOR satu dua', text_hex: hex('LAPOR satu ') }), new Date());
    const second = inboundFromInbox(row({ id: 8, udh: '050003770202', text_decoded: '', text_hex: hex('dua') }), new Date());
    assert.equal(first.text, 'LAPOR satu ');
    assert.equal(second.text, 'dua');
    assert.equal(first.raw.udh, '050003770201');
    assert.equal(first.raw.textDecoded, 'LAPOR satu dua');
  });

  test('SMS_GATEWAY picks one gateway; both configured without it is refused at start', () => {
    const kannel = { KANNEL_SENDSMS_URL: 'http://127.0.0.1:13013/cgi-bin/sendsms', KANNEL_USERNAME: 'lapor' };
    const gammu = { GAMMU_DATABASE_URL: 'postgres://smsd@127.0.0.1:5432/smsd' };
    assert.equal(loadConfig({}).smsGateway, null);
    assert.equal(loadConfig(kannel).smsGateway, 'kannel');
    assert.equal(loadConfig(gammu).smsGateway, 'gammu');
    assert.equal(loadConfig({ ...kannel, ...gammu, SMS_GATEWAY: 'gammu' }).smsGateway, 'gammu');
    assert.equal(loadConfig({ ...kannel, ...gammu, SMS_GATEWAY: 'kannel' }).smsGateway, 'kannel');
    assert.throws(() => loadConfig({ ...kannel, ...gammu }), /choose the SMS gateway with SMS_GATEWAY/);
    assert.throws(() => loadConfig({ ...kannel, SMS_GATEWAY: 'gammu' }), /SMS_GATEWAY=gammu needs GAMMU_DATABASE_URL/);
    assert.throws(() => loadConfig({ SMS_GATEWAY: 'twilio' }), /SMS_GATEWAY must be kannel or gammu/);
    assert.throws(() => loadConfig({ GAMMU_DATABASE_URL: 'mysql://x' }), /GAMMU_DATABASE_URL must start with postgres/);
    assert.throws(
      () => loadConfig({ DATABASE_URL: gammu.GAMMU_DATABASE_URL, DEMO: 'false', ...gammu }),
      /Gammu SMSD's own database, not lapor's/,
    );
  });

  test('Gammu’s database unreachable: lapor starts, the poller says so and goes on, an SMS waits in the outbox for a retry', async () => {
    const t = await startTestApp();
    const link = createGammuLink('postgres://postgres@127.0.0.1:1/nothing');
    const logged: string[] = [];
    t.deps.logger = { error: (_o: unknown, msg: string) => logged.push(msg), info: () => undefined } as never;
    try {
      await assert.rejects(link.db());
      const poller = startGammuPoller(t.deps, link, { intervalMs: 60_000 });
      await poller.poll();
      await poller.poll();
      await poller.stop();
      assert.equal(logged.filter((m) => /could not be read/.test(m)).length, 1, 'said once, not at every poll');
      await enqueue(t.deps.db, {
        channel: 'sms',
        recipientAddress: '+6281234567890',
        template: 'sms.reply',
        payload: { text: 'Laporan diterima' },
        idempotencyKey: `gammu-down-${process.pid}`,
        availableAt: t.deps.now(),
      });
      const r = await dispatchOutbox({ db: t.deps.db, now: t.deps.now, email: null, sms: createGammuTransport(link) });
      assert.equal(r.retried, 1);
      const [row] = await t.deps.db.query<{ status: string; last_error: string }>(
        `SELECT status, last_error FROM outbox WHERE idempotency_key = $1`,
        [`gammu-down-${process.pid}`],
      );
      assert.equal(row!.status, 'pending');
      assert.match(row!.last_error, /ECONNREFUSED|connect/);
    } finally {
      await link.close();
      await t.close();
    }
  });
});

// A skipped suite counts nothing in the runner's summary; this one skipped test says what did not run.
if (skip) test('SMS through Gammu SMSD (a real gammu-smsd)', { skip }, () => {});
describe('SMS through Gammu SMSD', { skip }, () => {
  let t: TestApp;
  let gammu: Gammu;
  let link: GammuLink;
  let pump: OutboxPump;
  let poller: GammuPoller;

  async function reportsFrom(p: string) {
    return t.deps.db.query<{ id: number; tracking_id: string; body: string }>(
      `SELECT r.id, r.tracking_id, r.body FROM reports r JOIN channel_identities ci ON ci.user_id = r.reporter_id
        WHERE ci.channel = 'sms' AND ci.handle = $1 ORDER BY r.id`,
      [p],
    );
  }
  async function smsOutboxTo(p: string) {
    return t.deps.db.query<{
      id: number;
      external_id: string | null;
      segments: number | null;
      delivery_status: string | null;
      attempts: number;
    }>(
      `SELECT id, external_id, segments, delivery_status, attempts FROM outbox WHERE channel = 'sms' AND recipient_address = $1 ORDER BY id`,
      [p],
    );
  }
  /** One message, every part of it sent. */
  const sentWhole = (m: SentMessage[]) => m.length === 1 && m[0]!.complete && m[0]!.statuses.every((s) => s === 'SendingOK');
  async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await get();
    while (!ok(value)) {
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; have ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
      value = await get();
    }
    return value;
  }

  before(async () => {
    gammu = await startGammu();
    t = await startTestApp({ gammuDatabaseUrl: gammu.url, smsGateway: 'gammu' });
    // The real clock: Gammu's time stamps and its sending run in real time.
    t.deps.now = () => new Date();
    link = createGammuLink(gammu.url);
    const sms = createGammuTransport(link);
    pump = createOutboxPump(() => drainOutbox({ db: t.deps.db, now: () => new Date(), email: null, sms }));
    t.deps.kickOutbox = () => pump.kick();
    poller = startGammuPoller(t.deps, link, { intervalMs: 200 });
  });
  after(async () => {
    await poller?.stop();
    pump?.stop();
    await pump?.idle();
    await link?.close();
    await gammu?.stop();
    await t?.close();
  });

  test('LAPOR: a report, its receipt through Gammu’s outbox to sentitems, and what Gammu and the network said, recorded', async () => {
    const p = newPhone();
    const text = 'LAPOR Jalan berlubang besar di Jl. Sungai Raya Dalam dekat Gang Karya Baru, sudah dua minggu.';
    gammu.receive(p, text);
    await waitFor('the receipt sent', () => gammu.messagesTo(p), sentWhole);
    const [receipt] = await gammu.sentItems(p);
    const [report] = await reportsFrom(p);
    assert.ok(report, 'a report');
    assert.equal(report.body, text.slice('LAPOR '.length));
    const [inboxRow] = await gammu.inbox(p);
    assert.equal(inboxRow!.processed, true, 'marked processed in Gammu’s inbox');

    const messages = await gammu.messagesTo(p);
    assert.equal(messages.length, 1, 'one receipt');
    assert.ok(messages[0]!.text.includes(report.tracking_id), messages[0]!.text);
    assert.equal(receipt!.creator, 'lapor');
    assert.equal(receipt!.coding, 'Default_No_Compression');
    const [out] = await waitFor(
      'the status in lapor',
      () => smsOutboxTo(p),
      (rows) => rows[0]?.delivery_status === 'accepted',
    );
    assert.equal(parseGammuExternalId(out!.external_id!)?.id, messages[0]!.id, 'external_id names Gammu’s outbox row');
    assert.equal(out!.segments, messages[0]!.parts);

    // The network's delivery report, for each part.
    for (let i = 0; i < messages[0]!.parts; i++) gammu.deliveryReport(p, 'Delivered');
    await gammu.waitForSent(p, (items) => items.every((i) => i.status === 'DeliveryOK'));
    await waitFor(
      'delivered in lapor',
      () => smsOutboxTo(p),
      (rows) => rows[0]?.delivery_status === 'delivered',
    );
    const words = await t.deps.db.query<{ status: string }>('SELECT status FROM delivery_reports WHERE outbox_id = $1 ORDER BY id', [
      out!.id,
    ]);
    assert.deepEqual(
      words.map((w) => w.status),
      ['accepted', 'delivered'],
      'each change recorded once',
    );
  });

  test('CEK: the status of one’s report comes back through Gammu', async () => {
    const p = newPhone();
    gammu.receive(p, 'LAPOR Lampu penerangan jalan di Jl. Ahmad Yani padam sejak hari Senin malam.');
    await waitFor('the receipt', () => gammu.messagesTo(p), sentWhole);
    const [report] = await reportsFrom(p);
    gammu.receive(p, `cek ${report!.tracking_id}`);
    const messages = await waitFor(
      'the answer',
      () => gammu.messagesTo(p),
      (m) => m.length === 2 && m[1]!.complete,
    );
    assert.match(messages[1]!.text, new RegExp(`Laporan ${report!.tracking_id}: Belum Terverifikasi\\. Ditangani: Admin Nasional`));
  });

  test('Unicode both ways: an emoji report arrives intact, and its UCS-2 receipt leaves in parts Gammu sends', async () => {
    const p = newPhone();
    gammu.receive(p, 'LAPOR Banjir 🌊 di Gang Mawar, air masuk rumah warga.');
    const messages = await waitFor('the receipt', () => gammu.messagesTo(p), sentWhole);
    const [report] = await reportsFrom(p);
    assert.equal(report!.body, 'Banjir 🌊 di Gang Mawar, air masuk rumah warga.');
    const items = await gammu.sentItems(p);
    assert.ok(items.length >= 2, 'a UCS-2 receipt of this length takes more than one part');
    assert.ok(items.every((i) => i.coding === 'Unicode_No_Compression'));
    assert.ok(messages[0]!.text.includes('🌊') && messages[0]!.text.includes(report!.tracking_id), messages[0]!.text);
    items.forEach((item, i) => {
      assert.equal(item.udh.slice(0, 6), '050003', 'a concatenation header');
      assert.equal(Number.parseInt(item.udh.slice(8, 10), 16), items.length, 'the number of parts');
      assert.equal(Number.parseInt(item.udh.slice(10, 12), 16), i + 1, 'its place');
      assert.ok(item.text.length <= 67, `part ${i + 1} fits a UCS-2 segment (${item.text.length} units)`);
    });
    const [out] = await smsOutboxTo(p);
    assert.equal(out!.segments, items.length, 'the segments recorded are the parts sent');
  });

  test('a long SMS in parts, each an inbox row of its own, is one report with the whole text', async () => {
    const p = newPhone();
    const parts = [
      'LAPOR Saluran air di Jalan Tanjungpura depan ruko nomor 12 sampai 20 tersumbat sampah plastik dan lumpur, setiap hujan air meluap ke jalan dan masuk ke to',
      'ko-toko warga. Mohon dinas terkait segera mengeruk saluran tersebut.',
    ];
    gammu.receiveParts(p, parts, 0x42);
    await waitFor('the receipt', () => gammu.messagesTo(p), sentWhole);
    const rows = await gammu.inbox(p);
    assert.equal(rows.length, 2, 'two rows in Gammu’s inbox');
    assert.ok(rows.every((r) => r.processed));
    const reports = await reportsFrom(p);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.body, parts.join('').slice('LAPOR '.length));
  });

  test('a crash after lapor stored a message and before Gammu’s row was marked: taken again, it stays one report', async () => {
    // This test drives the polls itself.
    await poller.stop();
    try {
      const p = newPhone();
      gammu.receive(p, 'LAPOR Pungutan liar di loket Samsat Kota Pontianak untuk perpanjangan STNK.');
      const [row] = await waitFor(
        'Gammu’s inbox row',
        () => gammu.inbox(p),
        (rows) => rows.length === 1,
      );
      const real = await link.db();
      // The process "dies" as it marks the row: lapor has committed the message and its report.
      const crashing: Db = {
        ...real,
        transaction: (fn) =>
          real.transaction((tx) =>
            fn({
              ...tx,
              query: (sql, params) => (/UPDATE inbox/.test(sql) ? Promise.reject(new Error('killed')) : tx.query(sql, params)),
            }),
          ),
      };
      await assert.rejects(pollGammuInbox(t.deps, crashing), /killed/);
      assert.equal((await reportsFrom(p)).length, 1, 'the report was filed before the crash');
      assert.equal((await gammu.inbox(p))[0]!.processed, false, 'Gammu’s row is still unprocessed');

      const again = await pollGammuInbox(t.deps, real);
      assert.ok(again.duplicates >= 1, JSON.stringify(again));
      assert.equal((await gammu.inbox(p))[0]!.processed, true);
      assert.equal((await reportsFrom(p)).length, 1, 'one report');
      const stored = await t.deps.db.query(`SELECT id FROM inbound_messages WHERE gateway = 'gammu' AND message_id LIKE $1`, [
        `${row!.id}:%`,
      ]);
      assert.equal(stored.length, 1, 'one stored message');
      await pump.idle();
      assert.equal((await smsOutboxTo(p)).length, 1, 'one receipt');
    } finally {
      poller = startGammuPoller(t.deps, link, { intervalMs: 200 });
    }
  });

  test('two workers polling at once take each inbox row once', async () => {
    await poller.stop();
    try {
      const senders = Array.from({ length: 6 }, () => newPhone());
      for (const [i, p] of senders.entries()) {
        await gammu.db.query(
          `INSERT INTO inbox ("SenderNumber", "TextDecoded", "Text", "UDH", "RecipientID") VALUES ($1, $2, '', '', $3)`,
          [p, `LAPOR Laporan uji serentak nomor ${i + 1}: jalan rusak di RT ${i + 1}.`, gammu.phoneId],
        );
      }
      const real = await link.db();
      const [a, b] = await Promise.all([pollGammuInbox(t.deps, real), pollGammuInbox(t.deps, real)]);
      assert.equal(a!.taken + b!.taken, senders.length, `${a!.taken} + ${b!.taken}: no row taken by both`);
      assert.equal(a!.duplicates + b!.duplicates, 0);
      for (const p of senders) {
        assert.equal((await reportsFrom(p)).length, 1, `${p}: one report`);
        assert.ok((await gammu.inbox(p)).every((r) => r.processed));
      }
    } finally {
      poller = startGammuPoller(t.deps, link, { intervalMs: 200 });
    }
  });

  test('the network reports a receipt not delivered: recorded, and the receipt goes out again through Gammu', async () => {
    const p = newPhone();
    gammu.receive(p, 'LAPOR Pelayanan KTP elektronik di Disdukcapil sangat lambat, antre sejak subuh.');
    const [first] = await waitFor('the receipt sent', () => gammu.messagesTo(p), sentWhole);
    // Its first word (accepted) is in before the network's.
    await waitFor(
      'accepted in lapor',
      () => smsOutboxTo(p),
      (rows) => rows[0]?.delivery_status === 'accepted',
    );
    for (let i = 0; i < first!.parts; i++) gammu.deliveryReport(p, 'Failed');
    const messages = await waitFor(
      'the receipt sent again',
      () => gammu.messagesTo(p),
      (m) => m.length === 2 && m[1]!.complete,
      20_000,
    );
    assert.equal(messages[1]!.text, messages[0]!.text, 'the same receipt');
    assert.ok(messages[0]!.statuses.includes('DeliveryFailed'));
    const [out] = await waitFor(
      'the second send’s status',
      () => smsOutboxTo(p),
      (rows) => rows[0]?.attempts === 2 && rows[0]?.delivery_status === 'accepted',
    );
    assert.equal(parseGammuExternalId(out!.external_id!)?.id, messages[1]!.id, 'the row follows the new send');
    const words = await t.deps.db.query<{ status: string }>('SELECT status FROM delivery_reports WHERE outbox_id = $1 ORDER BY id', [
      out!.id,
    ]);
    assert.deepEqual(
      words.map((w) => w.status),
      ['accepted', 'failed', 'accepted'],
    );
  });

  test('a GSM-7 text with extension characters is cut so that no part is longer than a segment', async () => {
    const p = newPhone();
    // Each € takes two septets: 100 of them are 200 septets, two parts of at most 153.
    const text = `${'€'.repeat(100)} {ok}`;
    await enqueue(t.deps.db, {
      channel: 'sms',
      recipientAddress: p,
      template: 'sms.reply',
      payload: { text },
      idempotencyKey: `gammu-ext-${process.pid}`,
      availableAt: new Date(),
    });
    pump.kick();
    await waitFor('the message sent', () => gammu.messagesTo(p), sentWhole);
    const items = await gammu.sentItems(p);
    assert.ok(items.length >= 2, `${items.length} parts`);
    assert.equal(items.map((i) => i.text).join(''), text);
    for (const item of items) {
      assert.equal(item.coding, 'Default_No_Compression');
      assert.ok(smsSize(item.text).units <= 153, `${smsSize(item.text).units} septets`);
    }
  });
});
