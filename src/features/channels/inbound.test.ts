/**
 * The raw store as a national admin works it: a message that could not be understood waits
 * with its reason, and becomes a report for its sender by hand, or is closed as not a report;
 * nothing is deleted, nobody else reads it, bad input is a clear error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';

let t: TestApp;
let national: TestUser;
let agency: TestUser;
let seq = 0;

async function unparsed(from: string, text: string): Promise<number> {
  seq += 1;
  const q = new URLSearchParams({ id: `inb-${seq}`, from, to: '1708', text });
  assert.equal((await t.request('GET', `/channels/kannel/incoming?${q}`)).status, 200);
  const [row] = await t.deps.db.query<{ id: number; status: string }>('SELECT id, status FROM inbound_messages ORDER BY id DESC LIMIT 1');
  assert.equal(row!.status, 'unparsed');
  return row!.id;
}

function form(fields: Record<string, string>) {
  return { raw: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
});
after(() => t.close());

describe('the raw store', () => {
  test('only national admins read it', async () => {
    await unparsed('081200000001', 'jalan rusak di depan SD 12 mohon diperbaiki segera');
    const list = await t.request('GET', '/api/v1/channels/inbound?status=unparsed', { token: national.token });
    assert.equal(list.status, 200);
    assert.equal(list.body.items[0].sender, '081200000001');
    assert.match(list.body.items[0].reason, /unknown keyword/);
    assert.equal((await t.request('GET', '/api/v1/channels/inbound', { token: agency.token })).status, 403);
    assert.equal((await t.request('GET', '/api/v1/channels/inbound')).status, 401);
  });

  test('an unparsed message becomes a report for its sender, who gets the receipt by SMS', async () => {
    const id = await unparsed('081200000002', 'Lampu jalan di Gang Mawar mati sudah seminggu tolong');
    const res = await t.request('POST', `/api/v1/channels/inbound/${id}/report`, {
      token: national.token,
      json: { title: 'Lampu jalan Gang Mawar mati', body: 'Lampu jalan di Gang Mawar mati sudah seminggu tolong', regionCode: '61.71' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.inbound.status, 'processed');
    assert.equal(res.body.inbound.outcome, 'report');
    assert.equal(res.body.inbound.handledBy.id, national.principal.userId);
    const [report] = await t.deps.db.query<{ channel: string; region_code: string; channel_message: { inboundId: number } }>(
      'SELECT channel, region_code, channel_message FROM reports WHERE tracking_id = $1',
      [res.body.trackingId],
    );
    assert.equal(report!.channel, 'sms');
    assert.equal(report!.region_code, '61.71');
    assert.equal(report!.channel_message.inboundId, id);
    const sms = await t.deps.db.query<{ template: string }>(
      `SELECT template FROM outbox WHERE channel = 'sms' AND recipient_address = '+6281200000002' ORDER BY id`,
    );
    assert.deepEqual(
      sms.map((s) => s.template),
      ['sms.reply', 'report.received'],
      'the help text when it arrived, then the receipt',
    );
    const again = await t.request('POST', `/api/v1/channels/inbound/${id}/report`, {
      token: national.token,
      json: { title: 'Lagi lagi lagi', body: 'Lampu jalan di Gang Mawar mati sudah seminggu' },
    });
    assert.equal(again.status, 409, 'handled once');
  });

  test('closed as not a report, with the reason; it stays in the store', async () => {
    const id = await unparsed('081200000003', 'halo selamat pagi');
    const res = await t.request('POST', `/api/v1/channels/inbound/${id}/dismiss`, {
      token: national.token,
      json: { reason: 'salam saja' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.outcome, 'rejected');
    assert.equal(res.body.reason, 'dismissed: salam saja');
    assert.equal((await t.request('GET', `/api/v1/channels/inbound/${id}`, { token: national.token })).body.text, 'halo selamat pagi');
  });

  test('bad input is a clear 400 or 404, never a 500', async () => {
    const id = await unparsed('081200000004', 'apa kabar semuanya');
    for (const json of [
      {},
      { title: 'abc', body: 'x' },
      { title: 'Judul cukup', body: 'a'.repeat(12_000) },
      { title: 1, body: null },
      { title: 'Judul cukup', body: 'Isi yang cukup panjang sekali', regionCode: 'DROP' },
    ]) {
      const res = await t.request('POST', `/api/v1/channels/inbound/${id}/report`, { token: national.token, json });
      assert.equal(res.status, 400, `${JSON.stringify(json).slice(0, 60)} → ${res.status}`);
    }
    assert.equal(
      (await t.request('POST', '/api/v1/channels/inbound/999999/dismiss', { token: national.token, json: { reason: 'tidak ada' } })).status,
      404,
    );
    assert.equal((await t.request('GET', '/api/v1/channels/inbound/abc', { token: national.token })).status, 400);
    assert.equal((await t.request('GET', '/api/v1/channels/inbound?status=nope', { token: national.token })).status, 400);
  });
});

describe('the back office page', () => {
  let cookie = '';
  before(async () => {
    const { openSession } = await import('../accounts/accounts.service.ts');
    const { token } = await openSession(t.deps.db, t.deps.config, national.principal.userId, 'cookie', t.deps.now());
    cookie = `lapor_session=${token}`;
  });
  const page = (method: string, url: string, extra: { raw?: string; headers?: Record<string, string> } = {}) =>
    t.request(method, url, { ...extra, headers: { cookie, origin: 'http://localhost', ...(extra.headers ?? {}) } });

  test('lists what needs handling, and files one as a report from its form', async () => {
    const id = await unparsed('081200000005', 'Saluran air di Jalan Merdeka tersumbat sampah sejak Senin');
    const list = await page('GET', '/kantor/pesan');
    assert.equal(list.status, 200);
    assert.match(list.text, /Saluran air di Jalan Merdeka/);
    const detail = await page('GET', `/kantor/pesan/${id}`);
    assert.match(detail.text, /Jadikan laporan/);
    const bad = await page('POST', `/kantor/pesan/${id}/laporan`, form({ title: 'ab', body: 'pendek' }));
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Minimal 5 karakter/);
    const ok = await page(
      'POST',
      `/kantor/pesan/${id}/laporan`,
      form({
        classification: 'pengaduan',
        title: 'Saluran air tersumbat',
        body: 'Saluran air di Jalan Merdeka tersumbat sampah sejak Senin',
      }),
    );
    assert.equal(ok.status, 200, ok.text.slice(0, 500));
    assert.match(ok.text, /dibuat untuk pengirim/);
  });

  test('garbage never gives a 500', async () => {
    const id = await unparsed('081200000006', 'tes tes');
    for (const [url, fields] of [
      [`/kantor/pesan/${id}/laporan`, { classification: 'x'.repeat(5000), title: '\u0000', body: '<script>' }],
      [`/kantor/pesan/${id}/tutup`, { reason: '' }],
      ['/kantor/pesan/0/tutup', { reason: 'abc' }],
      ['/kantor/pesan/99999999999999999999/laporan', {}],
    ] as const) {
      const res = await page('POST', url, form(fields as Record<string, string>));
      assert.ok(res.status >= 400 && res.status < 500, `${url} → ${res.status}`);
    }
    assert.equal((await page('GET', '/kantor/pesan?status=bogus')).status, 400);
    assert.equal((await page('GET', '/kantor/pesan?page=-1')).status, 400);
  });
});
