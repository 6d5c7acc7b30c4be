import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PDFDocument, PDFString } from '@cantoo/pdf-lib';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/attachments');

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
let agency: TestUser;
let unit: TestUser;

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
});
after(() => t.close());

test('one report from submission to rating, through the HTTP API', async () => {
  const form = new FormData();
  for (const [k, v] of Object.entries(reportInput({ suggestedBodyId: await t.bodyId('pemkot-61.71') }))) form.set(k, String(v));
  form.append('attachments', new File([fs.readFileSync(path.join(FIXTURES, 'photo-gps.jpg'))], 'foto.jpg', { type: 'image/jpeg' }));
  const created = await t.request('POST', '/api/v1/reports', { token: citizen.token, form });
  assert.equal(created.status, 201, created.text);
  const id: string = created.body.trackingId;
  assert.match(id, /^[34679AFHKMNPRXY]{8}$/);
  assert.equal(created.body.status, 'submitted');
  assert.equal(created.body.statusLabel.id, 'Belum Terverifikasi');
  assert.equal(created.body.attachments.length, 1);

  // The stored photo has lost its GPS and camera.
  const photo = await t.request('GET', created.body.attachments[0].url, { token: citizen.token });
  assert.equal(photo.status, 200);
  assert.equal(photo.headers.get('content-type'), 'image/jpeg');

  // Not public before verification: the verifier may still mark it rahasia or anonim.
  assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 404);

  const step = async (user: TestUser, action: string, json: unknown, expected: string) => {
    const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json });
    assert.equal(res.status, 200, `${action}: ${res.text}`);
    assert.equal(res.body.status, expected, action);
    return res.body;
  };

  const verified = await step(national, 'verify', { resolutionClass: 5, title: 'Jalan berlubang di depan Pasar Flamboyan' }, 'submitted');
  assert.equal(verified.statusLabel.id, 'Terverifikasi');
  // Verified, so public: anyone can read it by tracking ID.
  const pub = await t.request('GET', `/api/v1/reports/${id}`);
  assert.equal(pub.status, 200);
  assert.equal(pub.body.statusLabel.id, 'Terverifikasi');
  const routed = await step(national, 'route', { bodyId: await t.bodyId('pemkot-61.71') }, 'dispositioned');
  assert.equal(routed.responsibleBody.name, 'Pemerintah Kota Pontianak');
  await step(agency, 'disposition', { unitId: await t.bodyId('pemkot-61.71/dinas-pupr') }, 'dispositioned');
  await step(unit, 'disposition', { unitId: await t.bodyId('pemkot-61.71/dinas-pupr/bina-marga') }, 'dispositioned');
  await step(unit, 'follow-ups', { message: 'Tim akan meninjau lokasi besok pagi.' }, 'in_progress');

  // A promise is not an answer.
  const promise = await t.request('POST', `/api/v1/reports/${id}/answer`, {
    token: unit.token,
    json: { message: 'Terima kasih. Laporan akan kami tindaklanjuti.' },
  });
  assert.equal(promise.status, 422);
  assert.equal(promise.body.error.code, 'answer_only_promises');

  const answer = new FormData();
  answer.set('message', 'Lubang di depan Pasar Flamboyan sudah ditambal dengan aspal hotmix pada 23 November 2026.');
  answer.append(
    'attachments',
    new File([fs.readFileSync(path.join(FIXTURES, 'document.pdf'))], 'berita-acara.pdf', { type: 'application/pdf' }),
  );
  const answered = await t.request('POST', `/api/v1/reports/${id}/answer`, { token: unit.token, form: answer });
  assert.equal(answered.status, 200, answered.text);
  assert.equal(answered.body.status, 'answered');

  // The reporter is not satisfied, replies (reopens), gets a second answer, accepts and rates.
  await step(citizen, 'reply', { message: 'Tambalan sudah lepas lagi setelah hujan kemarin.' }, 'in_progress');
  const again = new FormData();
  again.set('message', 'Jalan sudah diaspal ulang sepanjang 20 meter dan diperiksa oleh pengawas pada 24 November 2026.');
  again.append(
    'attachments',
    new File([fs.readFileSync(path.join(FIXTURES, 'document.pdf'))], 'foto-akhir.pdf', { type: 'application/pdf' }),
  );
  assert.equal((await t.request('POST', `/api/v1/reports/${id}/answer`, { token: unit.token, form: again })).status, 200);
  await step(citizen, 'accept', {}, 'closed');
  const rated = await step(citizen, 'rate', { rating: 5, message: 'Terima kasih, cepat.' }, 'closed');
  assert.equal(rated.rating, 5);

  // Rating twice is refused with the reason.
  const twice = await t.request('POST', `/api/v1/reports/${id}/rate`, { token: citizen.token, json: { rating: 4 } });
  assert.equal(twice.status, 409);
  assert.match(twice.body.error.message, /sudah dinilai/);

  // The timeline holds every step, in order, with actor and role.
  const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: national.token });
  assert.equal(timeline.status, 200);
  const types: string[] = timeline.body.map((e: { type: string }) => e.type);
  assert.deepEqual(
    types.filter((type) => !type.startsWith('clock_')),
    [
      'submitted',
      'verified',
      'routed',
      'dispositioned',
      'dispositioned',
      'followed_up',
      'answer_refused', // the promise posted as an answer: counted, for staff only
      'answered',
      'reporter_replied',
      'answered',
      'accepted',
      'rated',
    ],
  );
  assert.ok(timeline.body.every((e: { at: string; actor: { role: string } }) => e.at && e.actor.role));
  // Every answer keeps its score; the refused attempt keeps its own, and the body that tried.
  const refused = timeline.body.find((e: { type: string }) => e.type === 'answer_refused');
  assert.equal(refused.visibility, 'staff');
  assert.ok(refused.data.answerScore < 0.5 && refused.data.verdict === 'non_answer');
  for (const answered of timeline.body.filter((e: { type: string }) => e.type === 'answered')) {
    assert.ok(answered.data.answerScore >= 0.5 && answered.data.verdict === 'answer', JSON.stringify(answered.data));
  }
  // Every clock start and stop is on the staff timeline, with its due time.
  const started = timeline.body
    .filter((e: { type: string }) => e.type === 'clock_started')
    .map((e: { data: { clock: string } }) => e.data.clock);
  assert.deepEqual(started, ['verification', 'ombudsman', 'first_follow_up', 'resolution', 'reply_window', 'resolution', 'reply_window']);
  assert.ok(
    timeline.body
      .filter((e: { type: string }) => e.type === 'clock_started')
      .every((e: { data: { dueAt: string } }) => /\+07:00$/.test(e.data.dueAt)),
  );

  // The public sees the public steps only: no internal disposition, no reporter reply.
  const publicTimeline = await t.request('GET', `/api/v1/reports/${id}/timeline`);
  const publicTypes = publicTimeline.body.map((e: { type: string }) => e.type);
  assert.ok(!publicTypes.includes('dispositioned'));
  assert.ok(!publicTypes.includes('reporter_replied'));
  assert.ok(!publicTypes.includes('answer_refused'));
  assert.ok(publicTypes.includes('answered'));
});

test('an anonymous reporter’s files reach the body without the identity inside them (photo owner and camera, PDF author)', async () => {
  const NAME = 'Budi Santoso Rahasia';
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.addPage().drawText('Bukti pungutan liar');
  // A plain-text Info dictionary, as scanners and office suites write it.
  const info = pdf.context.obj({ Author: PDFString.of(NAME), Creator: PDFString.of(`Dipindai oleh ${NAME}`) });
  pdf.context.trailerInfo.Info = pdf.context.register(info);
  const pdfBytes = await pdf.save({ useObjectStreams: false });
  assert.ok(Buffer.from(pdfBytes).includes(NAME), 'the upload carries the name');
  const photo = fs.readFileSync(path.join(FIXTURES, 'photo-gps.jpg'));
  for (const text of ['Budi Santoso', 'SM-A546E', 'R58T90ABCDE']) assert.ok(photo.includes(text), `the photo carries ${text}`);

  const form = new FormData();
  for (const [k, v] of Object.entries(reportInput({ anonymous: true }))) form.set(k, String(v));
  form.append('attachments', new File([pdfBytes], 'bukti.pdf', { type: 'application/pdf' }));
  form.append('attachments', new File([photo], 'foto.jpg', { type: 'image/jpeg' }));
  const created = await t.request('POST', '/api/v1/reports', { token: citizen.token, form });
  assert.equal(created.status, 201, created.text);
  const id: string = created.body.trackingId;
  for (const [action, json] of [
    ['verify', { resolutionClass: 5 }],
    ['route', { bodyId: await t.bodyId('pemkot-61.71') }],
  ] as const) {
    assert.equal((await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: national.token, json })).status, 200, action);
  }
  const seen = await t.request('GET', `/api/v1/reports/${id}`, { token: agency.token });
  assert.equal(seen.status, 200);
  assert.equal(seen.body.reporter, null, 'the body does not see who filed it');
  assert.equal(seen.body.attachments.length, 2);
  for (const attachment of seen.body.attachments as { url: string }[]) {
    const res = await t.app.request(attachment.url, { headers: { authorization: `Bearer ${agency.token}` } });
    assert.equal(res.status, 200, attachment.url);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.ok(!bytes.includes(NAME), `${attachment.url}: no name inside`);
    for (const text of ['Budi Santoso', 'SM-A546E', 'R58T90ABCDE'])
      assert.ok(!bytes.includes(text), `${attachment.url}: no ${text} (owner, camera, serial)`);
    if (res.headers.get('content-type') === 'application/pdf') {
      assert.equal((await PDFDocument.load(bytes)).getPageCount(), 1, 'the PDF still opens');
    }
  }
});
