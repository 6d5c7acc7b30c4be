/**
 * SMS to 1708 through the intake, in-process (the real-gateway run is kannel.test.ts): each
 * command, duplicates, long messages in parts, a crash between storing and handling, delivery
 * reports, and who an SMS reporter is.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { pngOfSize } from '../../../test/support/png.ts';
import { registerReporter } from '../accounts/accounts.service.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { renderSms } from '../notifications/templates.ts';
import { dlrSignature, type SmsMessage, sendsmsUrl } from './kannel.ts';
import { replayPending, storeInbound } from './intake.ts';

let t: TestApp;
let national: TestUser;
let seq = 0;

const CITIZEN = '081234567890';
const CITIZEN_HANDLE = '+6281234567890';

/** An MO as Kannel's get-url sends it. */
function mo(from: string, text: string, extra: Record<string, string> = {}) {
  seq += 1;
  const q = new URLSearchParams({ id: `kannel-${seq}-${process.pid}`, from, to: '1708', text, time: '1764900000', ...extra });
  return t.request('GET', `/channels/kannel/incoming?${q}`);
}

interface Out {
  id: number;
  template: string;
  recipient_address: string | null;
  recipient_user_id: number | null;
  payload: Record<string, unknown>;
}
let mark = 0;
async function sentSms(): Promise<Out[]> {
  const rows = await t.deps.db.query<Out>(
    `SELECT id, template, recipient_address, recipient_user_id, payload FROM outbox WHERE channel = 'sms' AND id > $1 ORDER BY id`,
    [mark],
  );
  if (rows.length) mark = rows.at(-1)!.id;
  return rows;
}
const textOf = (o: Out) => renderSms(o.template, o.payload);

async function lastInbound() {
  const [row] = await t.deps.db.query<{
    id: number;
    status: string;
    outcome: string | null;
    reason: string | null;
    report_id: number | null;
  }>('SELECT id, status, outcome, reason, report_id FROM inbound_messages ORDER BY id DESC LIMIT 1');
  return row!;
}

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
});
after(() => t.close());

describe('LAPOR files a report and the receipt with its tracking ID goes back by SMS', () => {
  let trackingId = '';
  test('a report, its raw message, and the receipt to the sender', async () => {
    const res = await mo(CITIZEN, 'LAPOR Lampu jalan di Jl. Gajah Mada depan SDN 12 mati sejak seminggu, gelap dan rawan.');
    assert.equal(res.status, 200);
    assert.equal(res.text, '', 'the reply goes out through the outbox, not in the HTTP answer');
    const m = await lastInbound();
    assert.equal(m.status, 'processed');
    assert.equal(m.outcome, 'report');
    const [report] = await t.deps.db.query<{
      tracking_id: string;
      channel: string;
      title: string;
      body: string;
      channel_message: Record<string, unknown>;
    }>('SELECT tracking_id, channel, title, body, channel_message FROM reports WHERE id = $1', [m.report_id]);
    assert.equal(report!.channel, 'sms');
    assert.equal(report!.title, 'Lampu jalan di Jl');
    assert.match(report!.body, /^Lampu jalan di Jl\. Gajah Mada/);
    assert.equal(report!.channel_message.from, CITIZEN_HANDLE);
    trackingId = report!.tracking_id;
    const out = await sentSms();
    assert.equal(out.length, 1);
    assert.equal(out[0]!.template, 'report.received');
    assert.equal(out[0]!.recipient_address, CITIZEN_HANDLE);
    assert.ok(textOf(out[0]!).includes(trackingId), textOf(out[0]!));
    assert.ok(textOf(out[0]!).includes(`CEK ${trackingId}`));
  });

  test('the same message delivered again (a gateway retry) is one message and one report', async () => {
    const q = new URLSearchParams({
      id: 'retry-1',
      from: CITIZEN,
      to: '1708',
      text: 'LAPOR Sampah menumpuk di TPS Jalan Tanjungpura sudah tiga hari tidak diangkut.',
    });
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    const [a, b] = await Promise.all([
      t.request('GET', `/channels/kannel/incoming?${q}`),
      t.request('GET', `/channels/kannel/incoming?${q}`),
    ]);
    const c = await t.request('GET', `/channels/kannel/incoming?${q}`);
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 200]);
    const afterCount = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    assert.equal(afterCount[0]!.n, before[0]!.n + 1);
    const rows = await t.deps.db.query('SELECT id FROM inbound_messages WHERE message_id = $1', ['retry-1']);
    assert.equal(rows.length, 1);
    assert.equal((await sentSms()).length, 1, 'one receipt');
  });

  test('CEK gives the status and who holds it; the reporter sees their unverified report', async () => {
    await mo(CITIZEN, `cek ${trackingId.toLowerCase()}`);
    const [out] = await sentSms();
    assert.equal(out!.template, 'sms.reply');
    assert.match(textOf(out!), new RegExp(`Laporan ${trackingId}: Belum Terverifikasi\\. Ditangani: Admin Nasional`));
    assert.match(textOf(out!), /Batas: /, 'the running deadline');
  });

  test('CEK from another number does not reveal an unverified report', async () => {
    await mo('085700001111', `CEK ${trackingId}`);
    const [out] = await sentSms();
    assert.match(textOf(out!), /tidak ditemukan/);
    assert.doesNotMatch(textOf(out!), /Lampu/);
  });

  test('BALAS adds the reporter’s reply to the report’s timeline', async () => {
    await mo(CITIZEN, `BALAS ${trackingId} Lampunya ada 4 titik, dekat tiang listrik nomor 17.`);
    const [out] = await sentSms();
    assert.match(textOf(out!), /Balasan Anda pada laporan .* diterima/);
    const events = await t.deps.db.query<{ type: string; message: string }>(
      `SELECT e.type, e.message FROM report_events e JOIN reports r ON r.id = e.report_id WHERE r.tracking_id = $1 ORDER BY e.id`,
      [trackingId],
    );
    assert.equal(events.at(-1)!.type, 'reporter_replied');
    assert.equal(events.at(-1)!.message, 'Lampunya ada 4 titik, dekat tiang listrik nomor 17.');
  });

  test('BALAS on someone else’s report is "not found", and changes nothing', async () => {
    const before = await t.deps.db.query('SELECT id FROM report_events');
    await mo('085700002222', `BALAS ${trackingId} saya ikut menambahkan keterangan palsu`);
    const [out] = await sentSms();
    assert.match(textOf(out!), /tidak ditemukan/);
    assert.equal((await t.deps.db.query('SELECT id FROM report_events')).length, before.length);
  });

  test('the body’s question reaches the SMS reporter by SMS', async () => {
    const hold = await t.request('POST', `/api/v1/reports/${trackingId}/hold`, {
      token: national.token,
      json: { message: 'Mohon sebutkan nomor tiang terdekat.' },
    });
    assert.equal(hold.status, 200, hold.text);
    const [out] = await sentSms();
    assert.equal(out!.template, 'report.on_hold');
    assert.equal(out!.recipient_address, CITIZEN_HANDLE);
    assert.match(textOf(out!), /Mohon sebutkan nomor tiang terdekat/);
    assert.match(textOf(out!), new RegExp(`BALAS ${trackingId}`));
  });
});

describe('a whole lifecycle by SMS', () => {
  test('verified, routed, followed up, answered: each reaches the phone; TERIMA and NILAI close and rate it', async () => {
    const phone = '081344445555';
    const agency = await t.user('agency_admin', 'pemkot-61.71');
    const unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
    await mo(phone, 'LAPOR Jembatan penyeberangan di Jl. Tanjungpura karatan dan lantainya berlubang, bahaya untuk pejalan kaki.');
    const [r] = await t.deps.db.query<{ tracking_id: string }>('SELECT tracking_id FROM reports ORDER BY id DESC LIMIT 1');
    const id = r!.tracking_id;
    const act = async (token: string, action: string, body: Record<string, unknown> | FormData) => {
      const res =
        body instanceof FormData
          ? await t.request('POST', `/api/v1/reports/${id}/${action}`, { token, form: body })
          : await t.request('POST', `/api/v1/reports/${id}/${action}`, { token, json: body });
      assert.equal(res.status, 200, `${action}: ${res.text}`);
    };
    await sentSms();
    await act(national.token, 'verify', { resolutionClass: 14 });
    await act(national.token, 'route', { bodyId: await t.bodyId('pemkot-61.71') });
    await act(agency.token, 'disposition', { unitId: await t.bodyId('pemkot-61.71/dinas-pupr') });
    await act(unit.token, 'follow-ups', { message: 'Tim sudah memasang pembatas di jembatan pada 25 November.' });
    const evidence = new FormData();
    evidence.set('message', 'Lantai jembatan sudah diganti dengan pelat baja baru dan dicat anti karat pada 27 November 2026.');
    evidence.append('attachments', new File([Buffer.from(pngOfSize(640, 480))], 'foto.png', { type: 'image/png' }));
    await act(unit.token, 'answer', evidence);
    const steps = await sentSms();
    assert.deepEqual(
      steps.map((o) => o.template),
      ['report.published', 'report.routed', 'report.followed_up', 'report.answered'],
    );
    assert.ok(steps.every((o) => o.recipient_address === '+6281344445555'));
    const answered = textOf(steps.at(-1)!);
    assert.match(answered, /pelat baja baru/, 'the answer itself, quoted');
    assert.match(answered, new RegExp(`TERIMA ${id}`));
    assert.match(textOf(steps[1]!), /Pontianak/, 'routed: to which body');
    await mo(phone, `TERIMA ${id}`);
    await mo(phone, `NILAI ${id} 5 terima kasih cepat sekali`);
    const [done] = await t.deps.db.query<{ status: string; rating: number }>('SELECT status, rating FROM reports WHERE tracking_id = $1', [
      id,
    ]);
    assert.deepEqual(done, { status: 'closed', rating: 5 });
    const replies = await sentSms();
    assert.match(textOf(replies[0]!), /selesai/);
    assert.match(textOf(replies.at(-1)!), /penilaian 5/);
  });
});

describe('the other messages', () => {
  test('an unknown keyword gets the help text and stays for an admin, with the reason', async () => {
    await mo(CITIZEN, 'jalan rusak parah di depan rumah saya mohon diperbaiki');
    const m = await lastInbound();
    assert.equal(m.status, 'unparsed');
    assert.equal(m.outcome, 'help');
    assert.match(m.reason!, /unknown keyword "JALAN"/);
    const [out] = await sentSms();
    assert.match(textOf(out!), /kirim LAPOR <isi laporan>/);
  });

  test('an empty message gets the help text', async () => {
    const res = await mo(CITIZEN, '   ');
    assert.equal(res.status, 200);
    assert.equal((await lastInbound()).reason, 'empty message');
    assert.equal((await sentSms()).length, 1);
  });

  test('a report too short to act on is refused with what to send instead', async () => {
    await mo(CITIZEN, 'LAPOR jalan rusak');
    const m = await lastInbound();
    assert.equal(m.status, 'unparsed');
    assert.equal(m.outcome, 'rejected');
    const [out] = await sentSms();
    assert.match(textOf(out!), /terlalu singkat/);
  });

  test('a regional keyword routes to that region and its body', async () => {
    await mo('081399998888', 'LAPORYAI Pungutan liar di loket pembuatan KTP Kelurahan Yosomulyo Rp50.000.');
    const m = await lastInbound();
    const [r] = await t.deps.db.query<{ region_code: string; suggested_body_id: number }>(
      'SELECT region_code, suggested_body_id FROM reports WHERE id = $1',
      [m.report_id],
    );
    assert.equal(r!.region_code, '18.72');
    assert.equal(r!.suggested_body_id, await t.bodyId('pemkot-18.72'));
    await sentSms();
  });

  test('a long SMS in parts (the gateway did not join them) becomes one report with the whole text, in order', async () => {
    const part2 = 'mohon segera diperbaiki karena anak-anak sekolah lewat setiap pagi.';
    const part1 = 'LAPOR Jembatan kayu di Gang Mawar RT 04 RW 02 patah sebagian papannya, ';
    const reportsBefore = (await t.deps.db.query('SELECT id FROM reports')).length;
    await mo('081311112222', part2, { udh: '050003A70202' });
    assert.equal((await lastInbound()).status, 'partial');
    assert.equal((await sentSms()).length, 0, 'nothing is said while a part is missing');
    await mo('081311112222', part1, { udh: '050003A70201' });
    const m = await lastInbound();
    assert.equal(m.outcome, 'report');
    const [r] = await t.deps.db.query<{ body: string }>('SELECT body FROM reports WHERE id = $1', [m.report_id]);
    assert.equal(r!.body, `${part1}${part2}`.slice('LAPOR '.length).trim());
    assert.equal((await t.deps.db.query('SELECT id FROM reports')).length, reportsBefore + 1);
    const parts = await t.deps.db.query<{ status: string; outcome: string }>(
      `SELECT status, outcome FROM inbound_messages WHERE sender = '081311112222' ORDER BY id`,
    );
    assert.deepEqual(parts, [
      { status: 'processed', outcome: 'combined' },
      { status: 'processed', outcome: 'report' },
    ]);
    await sentSms();
  });

  test('a message stored but never handled (a crash) is handled by the replay, once', async () => {
    await storeInbound(t.deps.db, {
      channel: 'sms',
      gateway: 'kannel',
      messageId: 'crash-1',
      sender: '081355556666',
      receiver: '1708',
      text: 'LAPOR Air PDAM di Perumahan Bumi Indah keruh dan berbau sejak kemarin sore.',
      raw: {},
      receivedAt: t.deps.now(),
    });
    assert.equal(await replayPending(t.deps), 1);
    assert.equal(await replayPending(t.deps), 0);
    const [m] = await t.deps.db.query<{ status: string; report_id: number }>(
      `SELECT status, report_id FROM inbound_messages WHERE message_id = 'crash-1'`,
    );
    assert.equal(m!.status, 'processed');
    assert.ok(m!.report_id);
    assert.equal((await sentSms()).length, 1);
  });
});

describe('who an SMS reporter is', () => {
  test('a number someone registered without proving it does not give them the sender’s reports', async () => {
    const squatter = await registerReporter(t.deps.db, { name: 'Penyerobot', phone: '081366667777', password: 'kata-sandi-uji-123' });
    await mo('081366667777', 'LAPOR Ada pungutan liar di parkiran Puskesmas Kecamatan Pontianak Barat.');
    const m = await lastInbound();
    const [r] = await t.deps.db.query<{ reporter_id: number }>('SELECT reporter_id FROM reports WHERE id = $1', [m.report_id]);
    assert.notEqual(r!.reporter_id, squatter.id);
    const [out] = await sentSms();
    assert.equal(out!.recipient_user_id, r!.reporter_id);
    assert.equal(out!.recipient_address, '+6281366667777', 'the receipt still goes to the number it came from');
  });

  test('a number verified by its account holder is that reporter', async () => {
    const owner = await registerReporter(t.deps.db, { name: 'Pemilik Nomor', phone: '081377778888', password: 'kata-sandi-uji-123' });
    await t.deps.db.query('UPDATE users SET phone_verified_at = now() WHERE id = $1', [owner.id]);
    await mo('081377778888', 'LAPOR Trotoar di depan Pasar Flamboyan rusak dan berlubang besar.');
    const [r] = await t.deps.db.query<{ reporter_id: number }>('SELECT reporter_id FROM reports WHERE id = $1', [
      (await lastInbound()).report_id,
    ]);
    assert.equal(r!.reporter_id, owner.id);
    await sentSms();
  });
});

describe('the gateway’s side', () => {
  test('delivery reports are recorded on the message, a late "accepted" does not undo "delivered"', async () => {
    const [row] = await t.deps.db.query<{ id: number }>(`SELECT id FROM outbox WHERE channel = 'sms' ORDER BY id LIMIT 1`);
    const id = row!.id;
    const sig = dlrSignature(t.deps.config, id);
    assert.equal((await t.request('GET', `/channels/kannel/dlr?o=${id}&a=1&sig=${sig}&status=1`)).status, 200);
    assert.equal((await t.request('GET', `/channels/kannel/dlr?o=${id}&a=1&sig=${sig}&status=8`)).status, 200);
    const [o] = await t.deps.db.query<{ delivery_status: string }>('SELECT delivery_status FROM outbox WHERE id = $1', [id]);
    assert.equal(o!.delivery_status, 'delivered');
    const reports = await t.deps.db.query('SELECT status FROM delivery_reports WHERE outbox_id = $1 ORDER BY id', [id]);
    assert.deepEqual(reports, [{ status: 'delivered' }, { status: 'accepted' }]);
  });

  test('a forged or malformed delivery report is refused', async () => {
    const [row] = await t.deps.db.query<{ id: number }>(`SELECT id FROM outbox WHERE channel = 'sms' ORDER BY id LIMIT 1`);
    const other = dlrSignature(t.deps.config, row!.id + 1);
    assert.equal((await t.request('GET', `/channels/kannel/dlr?o=${row!.id}&sig=${other}&status=2`)).status, 403);
    assert.equal((await t.request('GET', `/channels/kannel/dlr?o=abc&sig=x&status=2`)).status, 400);
    assert.equal(
      (await t.request('GET', `/channels/kannel/dlr?o=${row!.id}&sig=${dlrSignature(t.deps.config, row!.id)}&status=3`)).status,
      400,
    );
  });

  test('a request that is not a message is refused, with a reason', async () => {
    const res = await t.request('GET', '/channels/kannel/incoming');
    assert.equal(res.status, 400);
    assert.match(res.text, /missing "from" and "text"/);
  });

  test('the SMS sender hands each message to sendsms, GSM-7 or UCS-2 as its text needs', async () => {
    const calls: URL[] = [];
    const fake = (async (url: URL) => {
      calls.push(new URL(url));
      return new Response('0: Accepted for delivery', { status: 202 });
    }) as unknown as typeof fetch;
    const { createKannelTransport } = await import('./kannel.ts');
    const config = {
      ...t.deps.config,
      kannelSendsmsUrl: 'http://127.0.0.1:9/cgi-bin/sendsms',
      kannelUsername: 'lapor',
      kannelPassword: 'rahasia',
    };
    const sms = createKannelTransport(config, fake)!;
    await t.deps.db.query(`UPDATE outbox SET status = 'sent' WHERE channel <> 'sms'`);
    const r = await dispatchOutbox({ db: t.deps.db, now: t.deps.now, email: null, sms });
    assert.ok(r.delivered > 5, JSON.stringify(r));
    assert.ok(calls.every((u) => u.searchParams.get('from') === '1708' && u.searchParams.get('username') === 'lapor'));
    assert.ok(calls.every((u) => u.searchParams.get('dlr-url')!.includes('status=%d')));
    const pending = await t.deps.db.query(`SELECT id FROM outbox WHERE channel = 'sms' AND status <> 'sent'`);
    assert.equal(pending.length, 0);
    const segments = await t.deps.db.query<{ segments: number }>(`SELECT segments FROM outbox WHERE channel = 'sms'`);
    assert.ok(segments.every((s) => s.segments >= 1 && s.segments <= 4));
    const unicode: SmsMessage = { outboxId: 1, attempt: 1, to: '+628123', text: 'Laporan diterima 🙏' };
    assert.equal(sendsmsUrl(config, unicode).searchParams.get('coding'), '2');
    assert.equal(sendsmsUrl(config, { ...unicode, text: 'Laporan diterima.' }).searchParams.get('coding'), '0');
  });
});

describe('a shared key guards the callbacks when one is configured', () => {
  let keyed: TestApp;
  before(async () => {
    keyed = await startTestApp({ kannelIncomingKey: 'k3y-rahasia' });
  });
  after(() => keyed.close());
  test('without the key, or with a wrong one, nothing is stored', async () => {
    const q = 'from=0812&to=1708&text=LAPOR%20coba&id=x1';
    assert.equal((await keyed.request('GET', `/channels/kannel/incoming?${q}`)).status, 403);
    assert.equal((await keyed.request('GET', `/channels/kannel/incoming?${q}&key=salah`)).status, 403);
    assert.equal((await keyed.deps.db.query('SELECT id FROM inbound_messages')).length, 0);
    assert.equal((await keyed.request('GET', `/channels/kannel/incoming?${q}&key=k3y-rahasia`)).status, 200);
    assert.equal((await keyed.deps.db.query('SELECT id FROM inbound_messages')).length, 1);
  });
});
