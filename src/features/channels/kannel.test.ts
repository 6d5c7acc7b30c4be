/**
 * SMS to 1708 through a real Kannel (Debian's bearerbox and smsbox, the repository's own
 * deploy/kannel/kannel.conf) with its fake SMSC, against lapor served over HTTP on 127.0.0.1:
 * each command with its reply on the phone, long and Unicode messages both ways, a gateway retry
 * of the same message, delivery reports, and Kannel restarting mid-burst.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { type Kannel, kannelAvailable, NO_KANNEL, startKannel } from '../../../test/support/kannel.ts';
import { drainOutbox } from '../../worker.ts';
import { createOutboxPump, type OutboxPump } from '../notifications/pump.ts';
import { createKannelTransport } from './kannel.ts';

const skip = kannelAvailable() ? false : NO_KANNEL;

let t: TestApp;
let kannel: Kannel;
let server: ReturnType<typeof serve>;
let pump: OutboxPump;
let national: TestUser;
/** Requests to /channels/kannel/incoming to answer 503 after handling them (an answer lost on the way back). */
let dropAnswers = 0;
let incomingCalls = 0;

async function freePort(): Promise<number> {
  const s = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

let phone = 0;
const newPhone = () => `0813${String(process.pid % 1000).padStart(3, '0')}${String(++phone).padStart(5, '0')}`;
const handle = (p: string) => `+62${p.slice(1)}`;
const mtsTo = (p: string) => kannel.mts.filter((m) => m.to === handle(p));

async function reportsFrom(p: string) {
  return t.deps.db.query<{ id: number; tracking_id: string; body: string; title: string }>(
    `SELECT r.id, r.tracking_id, r.body, r.title FROM reports r JOIN channel_identities ci ON ci.user_id = r.reporter_id
      WHERE ci.channel = 'sms' AND ci.handle = $1 ORDER BY r.id`,
    [handle(p)],
  );
}

describe('SMS through Kannel', { skip }, () => {
  before(async () => {
    const port = await freePort();
    const laporUrl = `http://127.0.0.1:${port}`;
    kannel = await startKannel({ laporUrl });
    t = await startTestApp({
      kannelSendsmsUrl: kannel.sendsmsUrl,
      kannelUsername: kannel.username,
      kannelPassword: kannel.password,
      kannelIncomingKey: kannel.incomingKey,
      kannelDlrUrl: `${laporUrl}/channels/kannel/dlr`,
    });
    const sms = createKannelTransport(t.deps.config)!;
    // The real clock: Kannel's delivery reports and the retries run in real time.
    t.deps.now = () => new Date();
    pump = createOutboxPump(() => drainOutbox({ db: t.deps.db, now: () => new Date(), email: null, sms }));
    t.deps.kickOutbox = () => pump.kick();
    national = await t.user('national_admin');
    server = serve({
      port,
      hostname: '127.0.0.1',
      fetch: async (req) => {
        const res = await t.app.fetch(req);
        if (new URL(req.url).pathname === '/channels/kannel/incoming') {
          incomingCalls += 1;
          if (dropAnswers > 0) {
            dropAnswers -= 1;
            return new Response('lost', { status: 503 });
          }
        }
        return res;
      },
    });
    await new Promise((r) => server.once('listening', r));
  });
  after(async () => {
    await kannel?.stop();
    await new Promise((r) => server?.close(r));
    pump?.stop();
    await pump?.idle();
    await t?.close();
  });

  test('LAPOR: the report is filed and the receipt with its tracking ID reaches the phone within 5 seconds', async () => {
    const p = newPhone();
    const started = Date.now();
    kannel.sendMo(p, 'LAPOR Jalan berlubang besar di Jl. Sungai Raya Dalam dekat Gang Karya Baru, sudah dua minggu.');
    await kannel.waitForMts((m) => m.some((x) => x.to === handle(p)), 5000);
    const elapsed = Date.now() - started;
    const [report] = await reportsFrom(p);
    assert.ok(report, 'a report');
    const [receipt] = mtsTo(p);
    assert.equal(receipt!.from, '1708');
    assert.ok(receipt!.text.includes(report.tracking_id), receipt!.text);
    assert.ok(elapsed < 5000, `${elapsed} ms`);
  });

  test('CEK, BALAS and an unknown keyword each get their reply on the phone', async () => {
    const p = newPhone();
    kannel.sendMo(p, 'LAPOR Lampu penerangan jalan di Jl. Ahmad Yani padam sejak hari Senin malam.');
    await kannel.waitForMts(() => mtsTo(p).length === 1);
    const [report] = await reportsFrom(p);
    kannel.sendMo(p, `CEK ${report!.tracking_id}`);
    await kannel.waitForMts(() => mtsTo(p).length === 2);
    assert.match(mtsTo(p)[1]!.text, /Belum Terverifikasi\. Ditangani: Admin Nasional/);
    kannel.sendMo(p, `BALAS ${report!.tracking_id} Ada 6 titik lampu yang padam.`);
    await kannel.waitForMts(() => mtsTo(p).length === 3);
    assert.match(mtsTo(p)[2]!.text, /Balasan Anda pada laporan/);
    kannel.sendMo(p, 'halo apa kabar');
    await kannel.waitForMts(() => mtsTo(p).length === 4);
    assert.match(mtsTo(p)[3]!.text, /kirim LAPOR <isi laporan>/);
  });

  test('Unicode both ways: an emoji report arrives intact, and its UCS-2 receipt reads right on the phone', async () => {
    const p = newPhone();
    kannel.sendMo(p, 'LAPOR Banjir 🌊 di Gang Mawar, air masuk rumah warga setinggi lutut.');
    await kannel.waitForMts(() => mtsTo(p).length === 1);
    const [report] = await reportsFrom(p);
    assert.equal(report!.body, 'Banjir 🌊 di Gang Mawar, air masuk rumah warga setinggi lutut.');
    const [receipt] = mtsTo(p);
    assert.ok(receipt!.text.includes('🌊'), receipt!.text);
    // The phone can have it before the sender has recorded the send: wait for the record.
    let segments: number | null = null;
    for (const until = Date.now() + 5000; segments === null && Date.now() < until; ) {
      const [row] = await t.deps.db.query<{ segments: number | null }>(
        `SELECT segments FROM outbox WHERE channel = 'sms' AND recipient_address = $1 AND status = 'sent'`,
        [handle(p)],
      );
      segments = row?.segments ?? null;
      if (segments === null) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(segments, receipt!.parts, 'the segments recorded are the segments sent');
    assert.ok(receipt!.parts >= 2, 'a UCS-2 receipt of this length takes more than one segment');
  });

  test('a long SMS in parts arrives as one report with the whole text', async () => {
    const p = newPhone();
    const parts = [
      'LAPOR Saluran air di Jalan Tanjungpura depan ruko nomor 12 sampai 20 tersumbat sampah plastik dan lumpur, setiap hujan air meluap ke jalan dan masuk ke to',
      'ko-toko warga. Sudah kami laporkan ke RT tetapi belum ada tindakan. Mohon dinas terkait segera mengeruk saluran tersebut sebelum musim hujan.',
    ];
    kannel.sendMoParts(p, parts, 0x42);
    await kannel.waitForMts(() => mtsTo(p).length === 1);
    const reports = await reportsFrom(p);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.body, parts.join('').slice('LAPOR '.length));
  });

  test('a callback whose answer was lost is sent again by Kannel, and stays one report with one receipt', async () => {
    const p = newPhone();
    const callsBefore = incomingCalls;
    dropAnswers = 1;
    kannel.sendMo(p, 'LAPOR Pungutan liar di loket Samsat Kota Pontianak untuk perpanjangan STNK.');
    await kannel.waitForMts(() => mtsTo(p).length === 1);
    // Kannel's retry comes after its queue delay (2 s); wait for it, then check nothing doubled.
    const until = Date.now() + 15_000;
    while (incomingCalls < callsBefore + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.ok(incomingCalls >= callsBefore + 2, 'Kannel tried again');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await reportsFrom(p)).length, 1);
    assert.equal(mtsTo(p).length, 1);
  });

  test('delivery reports come back and are recorded on the message', async () => {
    const p = newPhone();
    kannel.sendMo(p, 'LAPOR Pelayanan KTP elektronik di Disdukcapil sangat lambat, antre sejak subuh.');
    await kannel.waitForMts(() => mtsTo(p).length === 1);
    const until = Date.now() + 10_000;
    let status: string | null = null;
    while (Date.now() < until) {
      const [row] = await t.deps.db.query<{ delivery_status: string | null }>(
        `SELECT delivery_status FROM outbox WHERE channel = 'sms' AND recipient_address = $1`,
        [handle(p)],
      );
      status = row?.delivery_status ?? null;
      if (status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 'delivered');
    const reports = await t.deps.db.query<{ status: string }>(
      `SELECT d.status FROM delivery_reports d JOIN outbox o ON o.id = d.outbox_id WHERE o.recipient_address = $1 ORDER BY d.id`,
      [handle(p)],
    );
    assert.ok(reports.some((r) => r.status === 'delivered'));
  });

  test('the body’s question reaches the SMS reporter as an SMS', async () => {
    const p = newPhone();
    kannel.sendMo(p, 'LAPOR Sekolah memungut biaya seragam Rp750.000 padahal sudah ada dana BOS.');
    await kannel.waitForMts(() => mtsTo(p).length === 1);
    const [report] = await reportsFrom(p);
    const res = await t.request('POST', `/api/v1/reports/${report!.tracking_id}/hold`, {
      token: national.token,
      json: { message: 'Mohon sebutkan nama sekolahnya.' },
    });
    assert.equal(res.status, 200, res.text);
    pump.kick();
    await kannel.waitForMts(() => mtsTo(p).length === 2);
    assert.match(mtsTo(p)[1]!.text, /Mohon sebutkan nama sekolahnya/);
    assert.match(mtsTo(p)[1]!.text, new RegExp(`BALAS ${report!.tracking_id}`));
  });

  test('Kannel restarting mid-burst: every message Kannel took becomes one report, and every receipt arrives', async () => {
    const phones = Array.from({ length: 40 }, () => newPhone());
    for (const [i, p] of phones.slice(0, 20).entries())
      kannel.sendMo(p, `LAPOR Laporan uji beruntun nomor ${i + 1}: jalan rusak di RT ${i + 1}.`);
    // Part of the first half is through; then the gateway restarts under it.
    await kannel.waitForMts(() => phones.slice(0, 20).filter((p) => mtsTo(p).length > 0).length >= 5, 15_000);
    await kannel.restart();
    for (const [i, p] of phones.slice(20).entries())
      kannel.sendMo(p, `LAPOR Laporan uji beruntun nomor ${i + 21}: jalan rusak di RT ${i + 21}.`);
    await kannel.moQueueEmpty();
    await new Promise((r) => setTimeout(r, 1000));
    // The fake SMSC is the phone network: an MO it tried while bearerbox was down never left it.
    // What bearerbox accepted (its access log) it must deliver: each becomes one report.
    const accepted = new Set(kannel.mosAccepted().filter((s) => phones.includes(s)));
    assert.ok(accepted.size >= 30, `${accepted.size} accepted`);
    const until = Date.now() + 30_000;
    const filedPhones = async () =>
      (await Promise.all(phones.map(async (p) => ((await reportsFrom(p)).length > 0 ? p : null)))).filter(Boolean);
    while ((await filedPhones()).length < accepted.size && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(new Set(await filedPhones()), accepted, 'every MO Kannel accepted became a report, none other');
    // Receipts sent while Kannel was down were tried again. Each report's receipt is Kannel's to
    // deliver, and the fake SMSC acknowledges it ("delivered") as it writes it to the phone's link;
    // the harness replaces that link for every MO, so a receipt written to a link as it closes is
    // acknowledged and never printed: the phone's view is checked for nearly all, Kannel's word for all.
    const receiptRows = async () =>
      t.deps.db.query<{
        recipient_address: string;
        status: string;
        delivery_status: string | null;
        attempts: number;
        last_error: string | null;
      }>(
        `SELECT recipient_address, status, delivery_status, attempts, last_error FROM outbox
          WHERE channel = 'sms' AND template = 'report.received' AND recipient_address = ANY($1::text[])`,
        [[...accepted].map(handle)],
      );
    let rows = await receiptRows();
    for (const until = Date.now() + 30_000; Date.now() < until; rows = await receiptRows()) {
      if (rows.length === accepted.size && rows.every((r) => r.status === 'sent' && r.delivery_status === 'delivered')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(rows.length, accepted.size, 'one receipt for each report');
    const notDelivered = rows.filter((r) => r.status !== 'sent' || r.delivery_status !== 'delivered');
    assert.deepEqual(notDelivered, [], 'every receipt sent, and delivered by Kannel’s own report');
    const seen = [...accepted].filter((p) => mtsTo(p).length > 0).length;
    assert.ok(seen >= accepted.size * 0.9, `${seen} of ${accepted.size} receipts seen on the phones`);
    for (const p of phones) {
      assert.ok((await reportsFrom(p)).length <= 1, `${p}: one report at most`);
      if (!accepted.has(p)) assert.equal(mtsTo(p).length, 0, `${p}: no receipt without a report`);
    }
  });
});
