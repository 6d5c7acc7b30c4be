/**
 * Everyone hears what concerns them, and nobody else: each lifecycle event, taken through the API
 * (and the sweep), leaves exactly the outbox rows the notice table promises — to whom, which
 * message, on which channel — and a staff message never names an anonim reporter.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';
import { submitReport } from '../reports/reports.service.ts';
import { sweepDueClocks } from '../sla/sweep.ts';
import { dispatchOutbox } from './dispatcher.ts';
import { EVENT_NOTICES, reporterMessages } from './lifecycle.ts';
import { renderMessage } from './templates.ts';

const PDF = fs.readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/attachments/document.pdf'));
const ORIGIN = 'https://lapor.example.go.id';

let t: TestApp;
let citizen: TestUser;
let anonCitizen: TestUser;
let national: TestUser;
let agency: TestUser; // Pontianak
let agency2: TestUser; // Pontianak
let metroAgency: TestUser;
let unit: TestUser; // Pontianak, Dinas PUPR
const ids = { pontianak: 0, metro: 0, pupr: 0 };
const names = new Map<number, string>();

let clock = Date.parse('2026-11-24T03:00:00Z');
function tick(): void {
  clock += 60_000;
  t.setNow(new Date(clock));
}

interface Row {
  id: number;
  template: string;
  channel: string;
  recipient_user_id: number | null;
  recipient_address: string | null;
  payload: Record<string, unknown>;
}

let mark = 0;
/** The outbox rows written since the last call. */
async function fresh(): Promise<Row[]> {
  const rows = await t.deps.db.query<Row>(
    'SELECT id, template, channel, recipient_user_id, recipient_address, payload FROM outbox WHERE id > $1 ORDER BY id',
    [mark],
  );
  if (rows.length > 0) mark = rows.at(-1)!.id;
  return rows;
}

/** "who template channel" for each row, sorted: the whole of what was said, to whom, how. */
const said = (rows: Row[]) =>
  rows.map((r) => `${names.get(r.recipient_user_id!) ?? r.recipient_user_id} ${r.template} ${r.channel}`).sort();

const both = (who: string, template: string) => [`${who} ${template} email`, `${who} ${template} in_app`];

async function act(user: TestUser, id: string, action: string, body: Record<string, unknown> | FormData = {}) {
  tick();
  const res =
    body instanceof FormData
      ? await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, form: body })
      : await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json: body });
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  return res.body;
}

function evidence(message: string): FormData {
  const form = new FormData();
  form.set('message', message);
  form.append('attachments', new File([PDF], 'berita-acara.pdf', { type: 'application/pdf' }));
  return form;
}

async function file(user: TestUser, overrides: Record<string, unknown> = {}): Promise<string> {
  tick();
  const res = await t.request('POST', '/api/v1/reports', {
    token: user.token,
    json: reportInput({ suggestedBodyId: ids.pontianak, ...overrides }),
  });
  assert.equal(res.status, 201, res.text);
  return res.body.trackingId;
}

before(async () => {
  t = await startTestApp({ publicOrigin: ORIGIN });
  t.setNow(new Date(clock));
  const named = async (label: string, role: Parameters<TestApp['user']>[0], body?: string) => {
    const u = await t.user(role, body);
    names.set(u.principal.userId, label);
    return u;
  };
  citizen = await named('citizen', 'reporter');
  anonCitizen = await named('anon', 'reporter');
  national = await named('national', 'national_admin');
  await named('national2', 'national_admin');
  agency = await named('agency', 'agency_admin', 'pemkot-61.71');
  agency2 = await named('agency2', 'agency_admin', 'pemkot-61.71');
  metroAgency = await named('metro', 'agency_admin', 'pemkot-18.72');
  unit = await named('unit', 'unit_officer', 'pemkot-61.71/dinas-pupr');
  // a sub-unit's officer: not told of its parent unit's work (every expected set below leaves it out)
  await named('subunit', 'unit_officer', 'pemkot-61.71/dinas-pupr/bina-marga');
  ids.pontianak = await t.bodyId('pemkot-61.71');
  ids.metro = await t.bodyId('pemkot-18.72');
  ids.pupr = await t.bodyId('pemkot-61.71/dinas-pupr');
  await fresh();
});
after(() => t.close());

describe('a report’s whole life, and who hears of each step', () => {
  let id = '';

  test('filed: the reporter gets the receipt with the tracking ID, and nobody else hears', async () => {
    id = await file(citizen);
    const rows = await fresh();
    assert.deepEqual(said(rows), both('citizen', 'report.received'));
    assert.equal(rows[0]!.payload.trackingId, id);
    assert.equal(rows[0]!.payload.link, `${ORIGIN}/laporan/${id}`);
    const email = rows.find((r) => r.channel === 'email')!;
    assert.equal(email.recipient_address, citizen.email);
    const text = renderMessage(email.template, email.payload);
    assert.match(text.title, new RegExp(id));
    assert.match(text.body, /nomor pelacakan/);
    assert.match(text.body, /tracking ID/);
    assert.ok(text.body.endsWith(`${ORIGIN}/laporan/${id}`), 'the message links to the report');
  });

  test('verified: the reporter hears it is published; the verifier is not told of their own act', async () => {
    await act(national, id, 'verify', { resolutionClass: 14 });
    const rows = await fresh();
    assert.deepEqual(said(rows), both('citizen', 'report.published'));
    assert.equal(rows[0]!.payload.isPublic, true);
    assert.match(renderMessage('report.published', rows[0]!.payload).body, /dapat dilihat publik/);
  });

  test('held with a question: the reporter gets the question; completed: the national desk hears', async () => {
    await act(national, id, 'hold', { message: 'Mohon sebutkan nomor rumah terdekat.' });
    const held = await fresh();
    assert.deepEqual(said(held), both('citizen', 'report.on_hold'));
    assert.equal(held[0]!.payload.quote, 'Mohon sebutkan nomor rumah terdekat.');
    assert.match(renderMessage('report.on_hold', held[0]!.payload).body, /Mohon sebutkan nomor rumah terdekat/);

    await act(citizen, id, 'reply', { message: 'Depan rumah nomor 17.' });
    const completed = await fresh();
    assert.deepEqual(said(completed), [...both('national', 'report.completed'), ...both('national2', 'report.completed')].sort());
  });

  test('routed: the reporter hears which body has it; the body’s admins hear it is theirs', async () => {
    await act(national, id, 'route', { bodyId: ids.pontianak });
    const rows = await fresh();
    assert.deepEqual(
      said(rows),
      [...both('citizen', 'report.routed'), ...both('agency', 'report.assigned'), ...both('agency2', 'report.assigned')].sort(),
    );
    const toCitizen = rows.find((r) => r.recipient_user_id === citizen.principal.userId)!;
    assert.match(String(toCitizen.payload.bodyName), /Pontianak/);
    assert.match(renderMessage('report.routed', toCitizen.payload).title, /Pontianak/);
    const toBody = rows.find((r) => r.recipient_user_id === agency.principal.userId)!;
    assert.equal(toBody.payload.link, `${ORIGIN}/kantor/laporan/${id}`);
  });

  test('dispositioned: the unit’s officers hear, not its sub-unit, not the other admin', async () => {
    await act(agency, id, 'disposition', { unitId: ids.pupr });
    assert.deepEqual(said(await fresh()), both('unit', 'report.dispositioned'));
  });

  test('an internal note tells nobody; a public follow-up tells the reporter, with its words', async () => {
    await act(unit, id, 'follow-ups', { message: 'Catatan internal: tunggu alat berat.', internal: true });
    assert.deepEqual(said(await fresh()), []);
    await act(unit, id, 'follow-ups', { message: 'Tim sudah meninjau lokasi pada 25 November.' });
    const rows = await fresh();
    assert.deepEqual(said(rows), both('citizen', 'report.followed_up'));
    assert.equal(rows[0]!.payload.quote, 'Tim sudah meninjau lokasi pada 25 November.');
  });

  test('the reporter replies: the unit hears (not the reporter’s words); answered: the reporter hears until when to respond', async () => {
    await act(citizen, id, 'reply', { message: 'Terima kasih, mohon segera.' });
    const replied = await fresh();
    assert.deepEqual(said(replied), both('unit', 'report.reporter_replied'));
    assert.ok(!JSON.stringify(replied).includes('mohon segera'), 'the reporter’s words stay on the report');

    await act(unit, id, 'answer', evidence('Lubang sudah ditambal dengan aspal hotmix pada 26 November 2026.'));
    const answered = await fresh();
    assert.deepEqual(said(answered), both('citizen', 'report.answered'));
    const payload = answered[0]!.payload;
    // Ten working days from Tue 24 Nov: Tue 8 Dec, 23:59:59 WIB.
    assert.equal(payload.replyDueAt, '2026-12-08T23:59:59+07:00');
    const text = renderMessage('report.answered', payload);
    assert.match(text.body, /sampai 8 Des 2026 23:59 WIB/);
    assert.match(text.body, /by 8 Dec 2026 23:59 WIB/);
    assert.match(text.body, /Lubang sudah ditambal/);
  });

  test('reopened, then a low rating: the unit hears each; accepting and a good rating tell nobody', async () => {
    await act(citizen, id, 'reopen', { message: 'Masih ada lubang di sisi kiri.' });
    assert.deepEqual(said(await fresh()), both('unit', 'report.reopened'));
    await act(unit, id, 'answer', evidence('Sisi kiri jalan sudah ditambal pada 27 November 2026, seluas 4 meter persegi.'));
    assert.deepEqual(said(await fresh()), both('citizen', 'report.answered'));
    await act(citizen, id, 'accept', {});
    assert.deepEqual(said(await fresh()), []);
    await act(citizen, id, 'rate', { rating: 2 });
    const rows = await fresh();
    assert.deepEqual(said(rows), both('unit', 'report.low_rating'));
    assert.equal(rows[0]!.payload.rating, 2);
    assert.match(renderMessage('report.low_rating', rows[0]!.payload).title, /2\/5/);
  });

  test('forwarded to another body: the reporter hears of the new body, and that body’s admin hears it is theirs', async () => {
    const other = await file(citizen);
    await act(national, other, 'verify', { resolutionClass: 14 });
    await act(national, other, 'route', { bodyId: ids.pontianak });
    await fresh();
    await act(agency, other, 'forward', { bodyId: ids.metro, message: 'Lokasi berada di wilayah Kota Metro.' });
    const rows = await fresh();
    assert.deepEqual(said(rows), [...both('citizen', 'report.routed'), ...both('metro', 'report.assigned')].sort());
    assert.match(String(rows.find((r) => r.recipient_user_id === citizen.principal.userId)!.payload.bodyName), /Metro/);
    await act(metroAgency, other, 'forward', { toNational: true, message: 'Bukan kewenangan kami.' });
    assert.deepEqual(said(await fresh()), [...both('national', 'report.returned'), ...both('national2', 'report.returned')].sort());
  });

  test('every message was written once: delivering twice sends nothing new', async () => {
    const first = await dispatchOutbox({ db: t.deps.db, now: () => new Date(clock), email: null });
    const second = await dispatchOutbox({ db: t.deps.db, now: () => new Date(clock), email: null });
    assert.ok(first.delivered > 0);
    assert.equal(second.delivered, 0);
    const inbox = await t.request('GET', '/api/v1/notifications', { token: citizen.token });
    assert.equal(inbox.status, 200, inbox.text);
    const items = inbox.body.items as { title: string }[];
    assert.ok(
      items.some((n) => /dijawab/.test(n.title)),
      JSON.stringify(items.map((n) => n.title)),
    );
  });
});

describe('an anonim reporter is never named to a body', () => {
  test('nothing the body, its unit or the national desk is sent holds the reporter’s name, email or phone', async () => {
    await t.deps.db.query(`UPDATE users SET phone = '+6281298765432' WHERE id = $1`, [anonCitizen.principal.userId]);
    const id = await file(anonCitizen, { anonymous: true, title: 'Pungutan liar di loket pelayanan' });
    await act(national, id, 'verify', { resolutionClass: 14 });
    await act(national, id, 'route', { bodyId: ids.pontianak });
    await act(agency, id, 'disposition', { unitId: ids.pupr });
    await act(anonCitizen, id, 'reply', { message: `Saya ${anonCitizen.name}, bisa dihubungi di ${anonCitizen.email}.` });
    await act(unit, id, 'answer', evidence('Petugas loket yang memungut biaya sudah diberi sanksi disiplin pada 26 November 2026.'));
    await act(anonCitizen, id, 'accept', {});
    await act(anonCitizen, id, 'rate', { rating: 1 });
    const rows = await fresh();
    const toStaff = rows.filter((r) => r.recipient_user_id !== anonCitizen.principal.userId);
    assert.deepEqual([...new Set(toStaff.map((r) => r.template))].sort(), [
      'report.assigned',
      'report.dispositioned',
      'report.low_rating',
      'report.reporter_replied',
    ]);
    const secrets = [anonCitizen.name, anonCitizen.email, '6281298765432', '81298765432'].map((s) => s.toLowerCase());
    for (const r of toStaff) {
      const rendered = renderMessage(r.template, r.payload);
      const text = `${JSON.stringify(r.payload)} ${rendered.title} ${rendered.body} ${r.recipient_address ?? ''}`.toLowerCase();
      for (const s of secrets)
        assert.ok(!text.includes(s), `${r.template} to ${names.get(r.recipient_user_id!)} names the reporter (${s})`);
    }
    // The reporter still hears everything, at their own address.
    assert.ok(rows.some((r) => r.recipient_user_id === anonCitizen.principal.userId && r.template === 'report.answered'));
  });
});

describe('the reporter’s channel', () => {
  test('a report sent by SMS is answered by SMS (in-app too), never by email', async () => {
    const sender = await t.user('reporter');
    await t.deps.db.query(`UPDATE users SET phone = '+6281311112222', email = NULL WHERE id = $1`, [sender.principal.userId]);
    tick();
    const { trackingId } = await submitReport(
      t.deps,
      sender.principal,
      { ...reportInput(), anonymous: false, secret: false, channel: 'sms' } as unknown as Parameters<typeof submitReport>[2],
      [],
    );
    await act(national, trackingId, 'verify', { resolutionClass: 5 });
    const rows = (await fresh()).filter((r) => r.recipient_user_id === sender.principal.userId);
    assert.deepEqual(rows.map((r) => `${r.template} ${r.channel} ${r.recipient_address ?? ''}`.trim()).sort(), [
      'report.published in_app',
      'report.published sms +6281311112222',
      'report.received in_app',
      'report.received sms +6281311112222',
    ]);
    // SMS rows wait in the outbox for the SMS sender (the channels issue); the email dispatcher leaves them.
    await dispatchOutbox({ db: t.deps.db, now: () => new Date(clock), email: null });
    const pending = await t.deps.db.query<{ status: string }>(
      `SELECT status FROM outbox WHERE channel = 'sms' AND recipient_user_id = $1`,
      [sender.principal.userId],
    );
    assert.deepEqual(
      pending.map((p) => p.status),
      ['pending', 'pending'],
    );
  });

  test('the choice of channel: SMS for an SMS report, email otherwise, the other contact when one is missing, and the email opt-out kept', () => {
    const key = 'k';
    const user = { id: 7, email: 'a@example.test', phone: '+6281', email_opt_out: [] as string[] };
    const channels = (u: typeof user, channel: string, template = 'report.answered') =>
      reporterMessages(u, key, template, channel).map((m) => `${m.channel}:${m.recipientAddress ?? ''}`);
    assert.deepEqual(channels(user, 'web'), ['in_app:', 'email:a@example.test']);
    assert.deepEqual(channels(user, 'sms'), ['in_app:', 'sms:+6281']);
    assert.deepEqual(channels({ ...user, phone: null as unknown as string }, 'sms'), ['in_app:', 'email:a@example.test']);
    assert.deepEqual(channels({ ...user, email: null as unknown as string }, 'web'), ['in_app:', 'sms:+6281']);
    // Opted out of report updates by email: in-app only, and no SMS in its place.
    assert.deepEqual(channels({ ...user, email_opt_out: ['report_updates'] }, 'web'), ['in_app:']);
    assert.deepEqual(channels({ ...user, email_opt_out: ['report_updates'] }, 'sms'), ['in_app:', 'sms:+6281']);
  });
});

describe('missed deadlines: one digest per body per sweep', () => {
  test('three reports of one body miss their first follow-up: each admin gets one digest naming all three, and the next sweep sends none', async () => {
    const reports: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await file(citizen, { title: `Saluran tersumbat nomor ${i + 1}` });
      await act(national, id, 'verify', { resolutionClass: 14 });
      await act(national, id, 'route', { bodyId: ids.pontianak });
      reports.push(id);
    }
    await fresh();
    // Routed on Tue 24 Nov: the first follow-up was due Tue 1 Dec. Swept on Thu 3 Dec.
    const result = await sweepDueClocks(
      { db: t.deps.db, limits: t.deps.config.sla, publicOrigin: ORIGIN },
      new Date('2026-12-03T03:00:00Z'),
    );
    assert.ok(result.breaches >= 3);
    const digests = (await fresh()).filter((r) => r.template === 'deadline.missed_digest');
    const toPontianak = digests.filter(
      (r) => r.recipient_user_id === agency.principal.userId || r.recipient_user_id === agency2.principal.userId,
    );
    assert.deepEqual(said(toPontianak), [...both('agency', 'deadline.missed_digest'), ...both('agency2', 'deadline.missed_digest')].sort());
    const listed = (toPontianak[0]!.payload.items as { trackingId: string; clock: string }[]).filter((i) => reports.includes(i.trackingId));
    assert.deepEqual(listed.map((i) => i.trackingId).sort(), [...reports].sort());
    assert.ok(listed.every((i) => i.clock === 'first_follow_up'));
    const text = renderMessage('deadline.missed_digest', toPontianak[0]!.payload);
    for (const r of reports) assert.match(text.body, new RegExp(r));
    assert.match(text.title, /batas waktu terlewati/);
    assert.ok(!digests.some((r) => r.recipient_user_id === metroAgency.principal.userId), 'another body hears nothing');
    assert.ok(!digests.some((r) => r.recipient_user_id === unit.principal.userId), 'digests go to the body’s admins');

    const again = await sweepDueClocks({ db: t.deps.db, limits: t.deps.config.sla }, new Date('2026-12-03T03:01:00Z'));
    assert.equal(again.digests, 0);
    assert.deepEqual(
      (await fresh()).filter((r) => r.template === 'deadline.missed_digest'),
      [],
    );
  });

  test('a long digest names twenty and counts the rest', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({
      trackingId: `ID${i}`,
      title: 'x',
      clock: 'resolution',
      dueAt: '2026-12-01T23:59:59+07:00',
      timeZone: 'Asia/Jakarta',
    }));
    const text = renderMessage('deadline.missed_digest', { count: 45, items, bodyName: 'Pemerintah Kota Pontianak' });
    assert.match(text.title, /^45 batas waktu terlewati di Pemerintah Kota Pontianak/);
    assert.match(text.body, /dan 25 lainnya \/ and 25 more/);
  });
});

test('every template in the notice table renders in both languages, without falling back to the generic message', () => {
  const templates = new Set(Object.values(EVENT_NOTICES).flatMap((notices) => notices.map((n) => n.template)));
  assert.ok(templates.size >= 20);
  for (const template of templates) {
    const { title, body } = renderMessage(template, { trackingId: 'ABCD2345', title: 'Jalan rusak', bodyName: 'Dinas', rating: 1 });
    assert.doesNotMatch(title, /^Pembaruan laporan/, `${template} has no text of its own`);
    assert.match(`${title} ${body}`, /ABCD2345/);
    assert.ok(title.includes(' / '), `${template}: Bahasa Indonesia / English`);
  }
});
