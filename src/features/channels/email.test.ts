/**
 * Email into lapor through its own SMTP server on 127.0.0.1, sent with a real SMTP client
 * (nodemailer): a new message becomes a report, the receipt keeps the thread, a reply onto it
 * (threaded by its headers) goes onto the report, and automatic or misaddressed mail is kept
 * and never answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { type TestApp, startTestApp } from '../../../test/support/app.ts';
import { pngOfSize } from '../../../test/support/png.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { SmtpTransport } from '../notifications/email.ts';
import { type InboundSmtp, ownWords, startInboundSmtp } from './email.service.ts';

interface Received {
  to: string[];
  raw: string;
}

let t: TestApp;
let inbound: InboundSmtp;
let relay: { url: string; received: Received[]; close(): Promise<void> };
let outgoing: SmtpTransport;
let client: ReturnType<typeof nodemailer.createTransport>;
const CITIZEN = 'budi.santoso@contoh.co.id';

async function startRelay() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as { port: number };
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function header(raw: string, name: string): string | null {
  const head = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (line.slice(0, i).toLowerCase() === name) return line.slice(i + 1).trim();
  }
  return null;
}

const deliver = () => dispatchOutbox({ db: t.deps.db, now: t.deps.now, email: outgoing });
const lastInbound = async () =>
  (
    await t.deps.db.query<{ id: number; status: string; outcome: string | null; reason: string | null; report_id: number | null }>(
      'SELECT id, status, outcome, reason, report_id FROM inbound_messages ORDER BY id DESC LIMIT 1',
    )
  )[0]!;

before(async () => {
  t = await startTestApp({
    inboundEmail: { host: '127.0.0.1', port: 0, address: 'lapor@lapor.go.id', hostname: 'lapor.go.id', maxBytes: 300_000 },
  });
  inbound = await startInboundSmtp(t.deps);
  relay = await startRelay();
  outgoing = new SmtpTransport({ url: relay.url, from: 'LAPOR! <noreply@lapor.go.id>' });
  client = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
});
after(async () => {
  client.close();
  outgoing.close();
  await inbound.close();
  await relay.close();
  await t.close();
});

describe('email into lapor', () => {
  let trackingId = '';
  let receiptId = '';

  test('a new message is a report: its subject the title, its text the body, its photo attached', async () => {
    await client.sendMail({
      from: `Budi Santoso <${CITIZEN}>`,
      to: 'lapor@lapor.go.id',
      subject: 'Jalan rusak di Jalan Parit Haji Husin',
      text: 'Selamat pagi. Jalan di depan SDN 14 berlubang besar sejak dua minggu, sudah dua motor jatuh.\n\nTerima kasih,\nBudi',
      messageId: '<laporan-1@contoh.co.id>',
      attachments: [{ filename: 'lubang-jalan.png', content: Buffer.from(pngOfSize(640, 480)), contentType: 'image/png' }],
    });
    const m = await lastInbound();
    assert.equal(m.status, 'processed', m.reason ?? '');
    assert.equal(m.outcome, 'report');
    const [r] = await t.deps.db.query<{ tracking_id: string; title: string; body: string; channel: string }>(
      'SELECT tracking_id, title, body, channel FROM reports WHERE id = $1',
      [m.report_id],
    );
    assert.equal(r!.channel, 'email');
    assert.equal(r!.title, 'Jalan rusak di Jalan Parit Haji Husin');
    assert.match(r!.body, /^Selamat pagi\. Jalan di depan SDN 14/);
    trackingId = r!.tracking_id;
    const files = await t.deps.db.query('SELECT id FROM attachments WHERE report_id = $1', [m.report_id]);
    assert.equal(files.length, 1);
  });

  test('the receipt goes back to the sender, in the same thread', async () => {
    await deliver();
    const receipt = relay.received.find((x) => x.to.includes(CITIZEN) && x.raw.includes(trackingId));
    assert.ok(receipt, 'a receipt with the tracking ID');
    assert.equal(header(receipt.raw, 'in-reply-to'), '<laporan-1@contoh.co.id>');
    assert.match((await simpleParser(receipt.raw)).subject ?? '', /^Re: Jalan rusak di Jalan Parit Haji Husin - Laporan/);
    receiptId = header(receipt.raw, 'message-id')!;
    assert.ok(receiptId);
  });

  test('a reply onto lapor’s message goes onto the report, without the quoted text', async () => {
    await client.sendMail({
      from: CITIZEN,
      to: 'lapor@lapor.go.id',
      subject: 'Re: Jalan rusak',
      text: 'Lubangnya ada tiga, yang paling besar dekat tiang listrik.\n\nPada Sen, 24 Nov 2026 LAPOR! menulis:\n> Laporan Anda diterima',
      inReplyTo: receiptId,
      references: [receiptId],
    });
    const m = await lastInbound();
    assert.equal(m.outcome, 'reply', m.reason ?? '');
    const events = await t.deps.db.query<{ type: string; message: string }>(
      `SELECT e.type, e.message FROM report_events e JOIN reports r ON r.id = e.report_id WHERE r.tracking_id = $1 ORDER BY e.id`,
      [trackingId],
    );
    assert.equal(events.at(-1)!.type, 'reporter_replied');
    assert.equal(events.at(-1)!.message, 'Lubangnya ada tiga, yang paling besar dekat tiang listrik.');
  });

  test('a "reply" from someone else is kept for an admin, not put on the report', async () => {
    await client.sendMail({
      from: 'orang.lain@contoh.co.id',
      to: 'lapor@lapor.go.id',
      subject: 'Re: Jalan rusak',
      text: 'Saya ikut menambahkan keterangan yang tidak benar.',
      inReplyTo: receiptId,
    });
    const m = await lastInbound();
    assert.equal(m.status, 'unparsed');
    assert.match(m.reason!, /not its reporter/);
  });

  test('the same message delivered twice is one report', async () => {
    const send = () =>
      client.sendMail({
        from: 'siti@contoh.co.id',
        to: 'lapor@lapor.go.id',
        subject: 'Pungutan liar di kelurahan',
        text: 'Petugas kelurahan meminta Rp50.000 untuk surat pengantar KTP.',
        messageId: '<dua-kali@contoh.co.id>',
      });
    await send();
    await send();
    const rows = await t.deps.db.query(`SELECT id FROM inbound_messages WHERE message_id = '<dua-kali@contoh.co.id>'`);
    assert.equal(rows.length, 1);
    const reports = await t.deps.db.query(`SELECT id FROM reports WHERE title = 'Pungutan liar di kelurahan'`);
    assert.equal(reports.length, 1);
  });

  test('automatic mail is kept and never answered', async () => {
    const outBefore = (await t.deps.db.query(`SELECT id FROM outbox WHERE channel = 'email'`)).length;
    await client.sendMail({
      from: 'kantor@contoh.co.id',
      to: 'lapor@lapor.go.id',
      subject: 'Out of office',
      text: 'Saya sedang cuti sampai 1 Desember; email Anda akan saya baca setelahnya.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const m = await lastInbound();
    assert.equal(m.outcome, 'rejected');
    assert.match(m.reason!, /automatic mail/);
    assert.equal((await t.deps.db.query(`SELECT id FROM outbox WHERE channel = 'email'`)).length, outBefore);
  });

  test('a message too short to act on gets an answer saying what to write', async () => {
    await client.sendMail({ from: 'singkat@contoh.co.id', to: 'lapor@lapor.go.id', subject: 'tolong', text: 'jalan rusak' });
    const m = await lastInbound();
    assert.equal(m.status, 'unparsed');
    await deliver();
    const answer = relay.received.find((x) => x.to.includes('singkat@contoh.co.id'));
    assert.ok(answer);
    assert.match(answer.raw, /terlalu singkat/);
  });

  test('a national admin files a message that was not understood as a report for its writer', async () => {
    const national = await t.user('national_admin');
    await client.sendMail({
      from: 'Rina <rina@contoh.co.id>',
      to: 'lapor@lapor.go.id',
      subject: 'tolong',
      text: 'air mati',
      envelope: { from: 'bounce+rina@contoh.co.id', to: 'lapor@lapor.go.id' },
    });
    const m = await lastInbound();
    assert.equal(m.status, 'unparsed');
    const res = await t.request('POST', `/api/v1/channels/inbound/${m.id}/report`, {
      token: national.token,
      json: { title: 'Air PDAM mati', body: 'Air PDAM mati di rumah pelapor (pesan email singkat, dilengkapi admin).' },
    });
    assert.equal(res.status, 201, res.text);
    const [owner] = await t.deps.db.query<{ handle: string }>(
      `SELECT ci.handle FROM reports r JOIN channel_identities ci ON ci.user_id = r.reporter_id AND ci.channel = 'email' WHERE r.tracking_id = $1`,
      [res.body.trackingId],
    );
    assert.equal(owner!.handle, 'rina@contoh.co.id', 'the From address, not the envelope’s bounce address');
  });

  test('mail for another address, or too large, is refused by the SMTP server', async () => {
    await assert.rejects(
      client.sendMail({ from: CITIZEN, to: 'orang@lapor.go.id', subject: 'x', text: 'x' }),
      (err: Error & { responseCode?: number }) => err.responseCode === 550,
    );
    await assert.rejects(
      client.sendMail({ from: CITIZEN, to: 'lapor@lapor.go.id', subject: 'besar', text: 'a'.repeat(400_000) }),
      (err: Error & { responseCode?: number }) => err.responseCode === 552,
    );
  });
});

test('the reply’s own words, without the quote or the signature', () => {
  assert.equal(ownWords('Baik, terima kasih.\n\nOn Mon, 24 Nov 2026 at 10:00 LAPOR! wrote:\n> Laporan'), 'Baik, terima kasih.');
  assert.equal(ownWords('Sudah saya cek.\n--\nBudi'), 'Sudah saya cek.');
  assert.equal(ownWords('> hanya kutipan'), '');
});
