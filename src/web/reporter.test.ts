/**
 * The reporter in the portal: their reports and notifications, and each action the lifecycle
 * offers them, as a plain form on the tracking page, with errors by the form that failed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';
import { openSession } from '../features/accounts/accounts.service.ts';
import { dispatchOutbox } from '../features/notifications/dispatcher.ts';

const PDF = fs.readFileSync(path.resolve(import.meta.dirname, '../../test/fixtures/attachments/document.pdf'));
let t: TestApp;
let citizen: TestUser;
let stranger: TestUser;
let national: TestUser;
let agency: TestUser;
let unit: TestUser;
let cookie = '';
let strangerCookie = '';

async function api(user: TestUser, id: string, action: string, body: Record<string, unknown> | FormData = {}) {
  const res =
    body instanceof FormData
      ? await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, form: body })
      : await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json: body });
  assert.equal(res.status, 200, `${action}: ${res.text}`);
}

/** A report of the citizen's, taken to "answered" through the API. */
async function answered(): Promise<string> {
  const res = await t.request('POST', '/api/v1/reports', {
    token: citizen.token,
    json: reportInput({ title: 'Lampu jalan mati di Jl. Merdeka' }),
  });
  const id = res.body.trackingId as string;
  await api(national, id, 'verify', { resolutionClass: 14 });
  await api(national, id, 'route', { bodyId: await t.bodyId('pemkot-61.71') });
  await api(agency, id, 'disposition', { unitId: await t.bodyId('pemkot-61.71/dinas-pupr') });
  const form = new FormData();
  form.set('message', 'Lampu jalan di Jl. Merdeka sudah diganti dengan lampu LED baru pada 25 November 2026.');
  form.append('attachments', new File([PDF], 'berita-acara.pdf', { type: 'application/pdf' }));
  await api(unit, id, 'answer', form);
  return id;
}

const post = (url: string, fields: Record<string, string>, who = cookie) =>
  t.app.request(url, {
    method: 'POST',
    headers: { origin: 'http://localhost', cookie: who, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const get = (url: string, who = cookie) => t.app.request(url, { headers: { cookie: who } });

before(async () => {
  t = await startTestApp({ cookieSecure: false });
  citizen = await t.user('reporter');
  stranger = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  cookie = `lapor_session=${(await openSession(t.deps.db, t.deps.config, citizen.principal.userId, 'cookie', new Date())).token}`;
  strangerCookie = `lapor_session=${(await openSession(t.deps.db, t.deps.config, stranger.principal.userId, 'cookie', new Date())).token}`;
});
after(() => t.close());

describe('the tracking page offers the reporter what they can do now', () => {
  test('an answered report: reply, accept, reopen and close are offered to its reporter, nothing to others', async () => {
    const id = await answered();
    const html = await (await get(`/laporan/${id}`)).text();
    for (const a of ['reply', 'accept', 'reopen', 'close']) assert.match(html, new RegExp(`name="aksi" value="${a}"`), a);
    assert.doesNotMatch(html, /name="aksi" value="rate"/, 'rating comes after closing');
    const other = await (await get(`/laporan/${id}`, strangerCookie)).text();
    assert.doesNotMatch(other, /name="aksi"/);
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, ids.length, 'no id twice on the page');
  });

  test('reopen without a message: the error sits by that form, in the reader’s language; nothing changes', async () => {
    const id = await answered();
    const res = await post(`/laporan/${id}/tindakan?lang=en`, { aksi: 'reopen', message: '' });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /id="msg-reopen-error">Required</);
    const row = await t.deps.db.query<{ status: string }>('SELECT status FROM reports WHERE tracking_id = $1', [id]);
    assert.equal(row[0]!.status, 'answered');
  });

  test('accept, then rate 2: the report reopens and the page says so; a rating out of range is refused by its form', async () => {
    const id = await answered();
    const accepted = await post(`/laporan/${id}/tindakan`, { aksi: 'accept' });
    assert.equal(accepted.status, 303);
    assert.match(accepted.headers.get('location') ?? '', new RegExp(`^/laporan/${id}\\?selesai=accept`));
    const page = await (await get(accepted.headers.get('location')!)).text();
    assert.match(page, /Jawaban diterima. Terima kasih./);
    assert.match(page, /name="aksi" value="rate"/);
    const bad = await post(`/laporan/${id}/tindakan`, { aksi: 'rate', rating: '9' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /role="alert">Pilih nilai 1–5</);
    const rated = await post(`/laporan/${id}/tindakan`, { aksi: 'rate', rating: '2', message: 'Lampu mati lagi.' });
    assert.equal(rated.status, 303);
    const row = await t.deps.db.query<{ status: string; rating: number }>('SELECT status, rating FROM reports WHERE tracking_id = $1', [
      id,
    ]);
    assert.deepEqual(row[0], { status: 'in_progress', rating: 2 });
  });

  test('another reporter cannot act on the report (it is public, but not theirs), and nothing changes', async () => {
    const id = await answered();
    const res = await post(`/laporan/${id}/tindakan`, { aksi: 'accept' }, strangerCookie);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Bukan laporan Anda/);
    const anon = await t.app.request(`/laporan/${id}/tindakan`, {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'aksi=accept',
    });
    assert.equal(anon.status, 303, 'signed out: asked to sign in');
    const row = await t.deps.db.query<{ status: string }>('SELECT status FROM reports WHERE tracking_id = $1', [id]);
    assert.equal(row[0]!.status, 'answered');
  });

  test('an unknown action is refused with a page, never a 500', async () => {
    const id = await answered();
    const res = await post(`/laporan/${id}/tindakan`, { aksi: 'verify' });
    assert.equal(res.status, 400);
  });
});

describe('my account', () => {
  test('my reports, secret ones included, with their status; my notifications, and marking them read', async () => {
    const secret = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      json: reportInput({ title: 'Pungutan liar di loket KTP', secret: true }),
    });
    assert.equal(secret.status, 201);
    const mine = await (await get('/akun')).text();
    assert.ok(mine.includes('Pungutan liar di loket KTP'));
    assert.match(mine, /Rahasia/);
    assert.ok(!(await (await get('/akun', strangerCookie)).text()).includes('Pungutan liar'));

    await dispatchOutbox({ db: t.deps.db, now: () => new Date(), email: null });
    const notes = await (await get('/akun/pemberitahuan')).text();
    assert.match(notes, /Laporan [A-Z0-9]{8} diterima/);
    assert.match(notes, /Tandai semua sudah dibaca/);
    const marked = await post('/akun/pemberitahuan/baca', {});
    assert.equal(marked.status, 303);
    assert.doesNotMatch(await (await get('/akun/pemberitahuan')).text(), /Tandai semua sudah dibaca/);
    assert.equal((await get('/akun', '')).status, 303, 'signed out: asked to sign in');
  });

  test('email choices: untick report updates, and the next update comes in-app only', async () => {
    const page = await (await get('/akun')).text();
    assert.match(page, /<input type="checkbox" id="email-report_updates" name="report_updates" value="true" checked>/);
    const saved = await post('/akun/email', { deadlines: 'true', ombudsman: 'true' });
    assert.equal(saved.status, 303);
    assert.match(await (await get(saved.headers.get('location')!)).text(), /Pilihan email tersimpan/);
    const id = await answered();
    const rows = await t.deps.db.query<{ channel: string }>(
      `SELECT channel FROM outbox WHERE template = 'report.answered' AND recipient_user_id = $1 AND payload->>'trackingId' = $2`,
      [citizen.principal.userId, id],
    );
    assert.deepEqual(
      rows.map((r) => r.channel),
      ['in_app'],
    );
  });
});
