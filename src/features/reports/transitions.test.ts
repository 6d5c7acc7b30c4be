import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatTrackingId } from '../../domain/tracking-id.ts';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';
import { pngOfSize } from '../../../test/support/png.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/attachments');
const PDF = fs.readFileSync(path.join(FIXTURES, 'document.pdf'));

let t: TestApp;
let citizen: TestUser;
let otherCitizen: TestUser;
let national: TestUser;
let agency: TestUser; // Pontianak
let metroAgency: TestUser; // Metro
let unit: TestUser; // Pontianak, Dinas PUPR
let subUnit: TestUser; // Pontianak, Dinas PUPR, Bina Marga
const ids = { pontianak: 0, metro: 0, pupr: 0, binaMarga: 0, metroPupr: 0 };

// Each action happens a minute after the one before, so every event's time can be checked exactly.
let clock = Date.parse('2026-11-24T03:00:00Z');
function tick(): string {
  clock += 60_000;
  t.setNow(new Date(clock));
  return new Date(clock).toISOString();
}

before(async () => {
  t = await startTestApp();
  t.setNow(new Date(clock));
  citizen = await t.user('reporter');
  otherCitizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  metroAgency = await t.user('agency_admin', 'pemkot-18.72');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  subUnit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr/bina-marga');
  ids.pontianak = await t.bodyId('pemkot-61.71');
  ids.metro = await t.bodyId('pemkot-18.72');
  ids.pupr = await t.bodyId('pemkot-61.71/dinas-pupr');
  ids.binaMarga = await t.bodyId('pemkot-61.71/dinas-pupr/bina-marga');
  ids.metroPupr = await t.bodyId('pemkot-18.72/dinas-pupr');
});
after(() => t.close());

type Body = Record<string, unknown> | FormData;

function post(user: TestUser, id: string, action: string, body: Body = {}) {
  return body instanceof FormData
    ? t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, form: body })
    : t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json: body });
}

async function must(user: TestUser, id: string, action: string, body: Body = {}) {
  tick();
  const res = await post(user, id, action, body);
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  return res.body;
}

async function timeline(id: string, user?: TestUser) {
  const res = await t.request('GET', `/api/v1/reports/${id}/timeline`, user ? { token: user.token } : {});
  assert.equal(res.status, 200, res.text);
  return res.body as {
    type: string;
    at: string;
    visibility: string;
    fromStatus: string | null;
    toStatus: string | null;
    message: string | null;
    actor: { role: string; name: string | null; body: { id: number; name: string } | null };
    data: Record<string, unknown>;
  }[];
}

interface Expected {
  status: string;
  event: string;
  role: string;
  visibility: 'public' | 'reporter' | 'staff' | 'national';
}

/** Takes one action and checks the resulting status and the timeline event it left. */
async function step(user: TestUser, id: string, action: string, body: Body, expected: Expected) {
  const before = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
  const at = tick();
  const res = await post(user, id, action, body);
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  assert.equal(res.body.status, expected.status, `${action} → status`);
  const events = await timeline(id, national);
  const event = events.at(-1)!;
  assert.equal(event.type, expected.event, `${action} → event`);
  assert.equal(event.actor.role, expected.role, `${action} → actor role`);
  assert.equal(event.at, at, `${action} → event time`);
  assert.equal(event.visibility, expected.visibility, `${action} → visibility`);
  assert.equal(event.fromStatus, before.body.status, `${action} → fromStatus`);
  assert.equal(event.toStatus, expected.status, `${action} → toStatus`);
  assert.equal(res.body.updatedAt, at);
  return { report: res.body, event };
}

function evidence(message: string): FormData {
  const form = new FormData();
  form.set('message', message);
  form.append('attachments', new File([PDF], 'berita-acara.pdf', { type: 'application/pdf' }));
  return form;
}
const ANSWER = 'Lubang di depan Pasar Flamboyan sudah ditambal dengan aspal hotmix pada 23 November 2026.';

async function file(overrides: Record<string, unknown> = {}, reporter = citizen): Promise<string> {
  tick();
  const res = await t.request('POST', '/api/v1/reports', {
    token: reporter.token,
    json: reportInput({ suggestedBodyId: ids.pontianak, ...overrides }),
  });
  assert.equal(res.status, 201, res.text);
  return res.body.trackingId;
}

type State = 'submitted' | 'on_hold' | 'verified' | 'dispositioned' | 'in_progress' | 'answered' | 'closed' | 'archived';

/** A fresh report in the given state, taken there through the API. */
async function reportIn(state: State, overrides: Record<string, unknown> = {}): Promise<string> {
  const id = await file(overrides);
  if (state === 'submitted') return id;
  if (state === 'on_hold') {
    await must(national, id, 'hold', { message: 'Mohon lengkapi alamat lengkapnya.' });
    return id;
  }
  if (state === 'archived') {
    await must(national, id, 'archive', { reason: 'incomplete' });
    return id;
  }
  await must(national, id, 'verify', { resolutionClass: 14 });
  if (state === 'verified') return id;
  await must(national, id, 'route', { bodyId: ids.pontianak });
  await must(agency, id, 'disposition', { unitId: ids.pupr });
  if (state === 'dispositioned') return id;
  await must(unit, id, 'follow-ups', { message: 'Tim sudah dijadwalkan meninjau lokasi.' });
  if (state === 'in_progress') return id;
  await must(unit, id, 'answer', evidence(ANSWER));
  if (state === 'answered') return id;
  await must(citizen, id, 'accept', {});
  return id;
}

describe('verification, hold and archive', () => {
  test('submitted → on_hold (hold) → submitted (the reporter completes it)', async () => {
    const id = await reportIn('submitted');
    const held = await step(national, id, 'hold', { message: 'Mohon lengkapi alamat lengkapnya.' }, {
      status: 'on_hold',
      event: 'put_on_hold',
      role: 'national_admin',
      visibility: 'reporter',
    });
    assert.equal(held.report.statusLabel.id, 'Tertunda');
    assert.equal(held.event.message, 'Mohon lengkapi alamat lengkapnya.');
    assert.equal(held.event.actor.name, national.name);

    const completed = await step(citizen, id, 'reply', { message: 'Alamatnya Jl. Gajah Mada No. 12, depan Pasar Flamboyan.' }, {
      status: 'submitted',
      event: 'completed',
      role: 'reporter',
      visibility: 'reporter',
    });
    assert.equal(completed.event.actor.name, null, 'a reporter is never named in the timeline');
    // Not verified yet, so not public at all.
    assert.equal((await t.request('GET', `/api/v1/reports/${id}/timeline`)).status, 404);
    // The reporter sees both.
    assert.deepEqual((await timeline(id, citizen)).map((e) => e.type), ['submitted', 'put_on_hold', 'completed']);
  });

  test('the admin of the suggested body may verify it and route it into its own body', async () => {
    const id = await reportIn('submitted');
    const verified = await step(agency, id, 'verify', { resolutionClass: 5, classification: 'aspirasi' }, {
      status: 'submitted',
      event: 'verified',
      role: 'agency_admin',
      visibility: 'public',
    });
    assert.equal(verified.event.actor.body?.id, ids.pontianak);
    assert.equal(verified.report.resolutionClass, 5);
    assert.equal(verified.report.classification, 'aspirasi');
    assert.equal(verified.report.verifiedAt, verified.event.at);
    const routed = await step(agency, id, 'route', {}, { status: 'dispositioned', event: 'routed', role: 'agency_admin', visibility: 'public' });
    assert.equal(routed.report.responsibleBody.id, ids.pontianak);
    assert.equal(routed.report.statusLabel.id, 'Terdisposisi – Belum Ditindaklanjuti');
  });

  for (const reason of ['incomplete', 'not_public_service', 'spam_hoax', 'abusive'] as const) {
    test(`submitted → archived (${reason})`, async () => {
      const id = await reportIn('submitted');
      const { report, event } = await step(national, id, 'archive', { reason, message: 'Alasan pengarsipan.' }, {
        status: 'archived',
        event: 'archived',
        role: 'national_admin',
        visibility: 'public',
      });
      assert.equal(report.archiveReason, reason);
      assert.equal(report.duplicateOf, null);
      assert.equal(report.statusLabel.id, 'Arsip');
      assert.deepEqual(event.data, { reason });
      // Archived before verification: it never became public, whatever the reason.
      const pub = await t.request('GET', `/api/v1/reports/${id}`);
      assert.equal(pub.status, 404);
      const own = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
      assert.equal(own.status, 200);
      assert.equal(own.body.archiveReason, reason);
    });
  }

  test('submitted → archived as a duplicate links the original (typed in any case, with a dash)', async () => {
    // a public original (verified), so the public archive event may name it
    const original = await reportIn('verified');
    const copy = await reportIn('submitted');
    const { report, event } = await step(
      national,
      copy,
      'archive',
      { reason: 'duplicate', duplicateOf: formatTrackingId(original).toLowerCase() },
      { status: 'archived', event: 'archived', role: 'national_admin', visibility: 'public' },
    );
    assert.equal(report.archiveReason, 'duplicate');
    assert.equal(report.duplicateOf, original);
    assert.deepEqual(event.data, { reason: 'duplicate', duplicateOf: original });
    const rows = await t.deps.db.query<{ dup: string }>(
      'SELECT o.tracking_id AS dup FROM reports r JOIN reports o ON o.id = r.duplicate_of_id WHERE r.tracking_id = $1',
      [copy],
    );
    assert.deepEqual(rows, [{ dup: original }]);
  });

  test('a duplicate needs an existing original other than itself', async () => {
    const id = await reportIn('submitted');
    for (const duplicateOf of [undefined, '34679AFH', id]) {
      const res = await post(national, id, 'archive', { reason: 'duplicate', ...(duplicateOf ? { duplicateOf } : {}) });
      assert.equal(res.status, 400, res.text);
      assert.ok(res.body.error.fields.duplicateOf, res.text);
    }
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: national.token })).body.status, 'submitted');
  });

  test('on_hold → archived by a national admin; a body’s admin only asks (archive-appeal.test.ts)', async () => {
    const id = await reportIn('on_hold');
    await step(agency, id, 'archive', { reason: 'incomplete' }, {
      status: 'on_hold',
      event: 'archive_requested',
      role: 'agency_admin',
      visibility: 'staff',
    });
    const { report } = await step(national, id, 'archive/confirm', {}, {
      status: 'archived',
      event: 'archived',
      role: 'national_admin',
      visibility: 'public',
    });
    assert.equal(report.archiveReason, 'incomplete');
  });
});

describe('routing', () => {
  test('submitted (verified) → dispositioned via route', async () => {
    const id = await reportIn('verified');
    const { report, event } = await step(national, id, 'route', { bodyId: ids.pontianak, message: 'Wewenang Pemkot Pontianak.' }, {
      status: 'dispositioned',
      event: 'routed',
      role: 'national_admin',
      visibility: 'public',
    });
    assert.deepEqual(report.responsibleBody, { id: ids.pontianak, name: 'Pemerintah Kota Pontianak' });
    assert.equal(report.unit, null);
    assert.deepEqual(event.data, { bodyId: ids.pontianak });
    // The public sees the routing.
    assert.ok((await timeline(id)).some((e) => e.type === 'routed'));
  });

  test('disposition to a unit, then from the unit to its sub-unit; both are staff-only events', async () => {
    const id = await reportIn('verified');
    await must(national, id, 'route', { bodyId: ids.pontianak });
    const first = await step(agency, id, 'disposition', { unitId: ids.pupr }, {
      status: 'dispositioned',
      event: 'dispositioned',
      role: 'agency_admin',
      visibility: 'staff',
    });
    assert.equal(first.report.unit.id, ids.pupr);
    assert.deepEqual(first.event.data, { unitId: ids.pupr, fromUnitId: null });
    const second = await step(unit, id, 'disposition', { unitId: ids.binaMarga }, {
      status: 'dispositioned',
      event: 'dispositioned',
      role: 'unit_officer',
      visibility: 'staff',
    });
    assert.equal(second.report.unit.id, ids.binaMarga);
    assert.equal(second.event.actor.body?.id, ids.pupr);
    assert.deepEqual(second.event.data, { unitId: ids.binaMarga, fromUnitId: ids.pupr });
    // The sub-unit can now work it.
    await must(subUnit, id, 'follow-ups', { message: 'Tim Bina Marga sudah dijadwalkan ke lokasi.' });
    assert.ok(!(await timeline(id)).some((e) => e.type === 'dispositioned'));
    assert.ok(!(await timeline(id, citizen)).some((e) => e.type === 'dispositioned'));
  });

  test('forward to another body: the body changes, the unit is cleared, and the old body lets go', async () => {
    const id = await reportIn('in_progress');
    const { report, event } = await step(
      agency,
      id,
      'forward',
      { bodyId: ids.metro, message: 'Lokasi kejadian ada di Kota Metro, bukan wewenang kami.' },
      { status: 'dispositioned', event: 'forwarded', role: 'agency_admin', visibility: 'public' },
    );
    assert.equal(report.responsibleBody.id, ids.metro);
    assert.equal(report.unit, null);
    assert.deepEqual(event.data, { fromBodyId: ids.pontianak, toBodyId: ids.metro });
    assert.equal(event.message, 'Lokasi kejadian ada di Kota Metro, bukan wewenang kami.');
    // The new body works it; the old body and its unit no longer may.
    const again = await step(metroAgency, id, 'disposition', { unitId: ids.metroPupr }, {
      status: 'dispositioned',
      event: 'dispositioned',
      role: 'agency_admin',
      visibility: 'staff',
    });
    assert.equal(again.report.unit.id, ids.metroPupr);
    for (const user of [agency, unit]) {
      const res = await post(user, id, 'follow-ups', { message: 'Masih kami pantau.' });
      assert.ok(res.status === 403 || res.status === 404, res.text);
    }
  });

  test('forward back to the national admin: submitted again, no body, and it can be re-routed', async () => {
    const id = await reportIn('dispositioned');
    const { report, event } = await step(
      agency,
      id,
      'forward',
      { toNational: true, message: 'Bukan wewenang pemerintah kota; mohon dialihkan.' },
      { status: 'submitted', event: 'returned_to_national', role: 'agency_admin', visibility: 'public' },
    );
    assert.equal(report.responsibleBody, null);
    assert.equal(report.unit, null);
    // verified once: it goes back to be routed again, not verified again
    assert.equal(report.statusLabel.id, 'Terverifikasi');
    assert.deepEqual(event.data, { fromBodyId: ids.pontianak, toNational: true, previousSuggestedBodyId: ids.pontianak });
    // The body said it is not theirs: the citizen's suggestion no longer hands it back to them.
    assert.equal(report.suggestedBody, null);
    const takeBack = await post(agency, id, 'verify', { resolutionClass: 5 });
    assert.ok(takeBack.status === 403 || takeBack.status === 404, takeBack.text);
    const inbox = await t.request('GET', '/api/v1/inbox?perPage=100', { token: agency.token });
    assert.ok(!inbox.body.items.some((r: { trackingId: string }) => r.trackingId === id));
    const rerouted = await step(national, id, 'route', { bodyId: ids.metro }, {
      status: 'dispositioned',
      event: 'routed',
      role: 'national_admin',
      visibility: 'public',
    });
    assert.equal(rerouted.report.responsibleBody.id, ids.metro);
  });
});

describe('handling and answering', () => {
  test('dispositioned → in_progress via a follow-up; an internal follow-up is staff-only', async () => {
    const id = await reportIn('dispositioned');
    const { report, event } = await step(unit, id, 'follow-ups', { message: 'Tim akan meninjau lokasi besok pagi.' }, {
      status: 'in_progress',
      event: 'followed_up',
      role: 'unit_officer',
      visibility: 'public',
    });
    assert.equal(report.statusLabel.id, 'Terdisposisi – Sedang Diproses');
    assert.equal(event.message, 'Tim akan meninjau lokasi besok pagi.');
    const internal = await step(agency, id, 'follow-ups', { message: 'Catatan internal: anggaran tersedia.', internal: true }, {
      status: 'in_progress',
      event: 'internal_note',
      role: 'agency_admin',
      visibility: 'staff',
    });
    assert.equal(internal.event.message, 'Catatan internal: anggaran tersedia.');
    const messages = (await timeline(id, citizen)).map((e) => e.message);
    assert.ok(messages.includes('Tim akan meninjau lokasi besok pagi.'));
    assert.ok(!messages.includes('Catatan internal: anggaran tersedia.'));
  });

  test('in_progress → answered, with evidence that the public may download', async () => {
    const id = await reportIn('in_progress');
    const { report, event } = await step(unit, id, 'answer', evidence(ANSWER), {
      status: 'answered',
      event: 'answered',
      role: 'unit_officer',
      visibility: 'public',
    });
    assert.equal(report.statusLabel.id, 'Menunggu Tanggapan Pelapor');
    assert.equal(report.answeredAt, event.at);
    assert.equal(event.message, ANSWER);
    const pub = await t.request('GET', `/api/v1/reports/${id}`);
    assert.equal(pub.body.attachments.length, 1);
    assert.equal((await t.request('GET', pub.body.attachments[0].url)).status, 200);
  });

  test('dispositioned → answered directly; an information request needs no evidence', async () => {
    const id = await reportIn('dispositioned', { classification: 'permintaan_informasi' });
    await step(agency, id, 'answer', { message: 'Jadwal pelayanan KTP di Disdukcapil adalah Senin sampai Jumat pukul 08.00–15.00.' }, {
      status: 'answered',
      event: 'answered',
      role: 'agency_admin',
      visibility: 'public',
    });
  });

  test('a complaint answer without evidence, or one that only promises, is refused and changes nothing', async () => {
    const id = await reportIn('in_progress');
    const noEvidence = await post(unit, id, 'answer', { message: ANSWER });
    assert.equal(noEvidence.status, 400);
    assert.ok(noEvidence.body.error.fields.attachments);
    const promise = await post(unit, id, 'answer', evidence('Terima kasih. Laporan akan kami tindaklanjuti.'));
    assert.equal(promise.status, 422);
    assert.equal(promise.body.error.code, 'answer_only_promises');
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: national.token })).body.status, 'in_progress');
    const rows = await t.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM attachments a JOIN reports r ON r.id = a.report_id WHERE r.tracking_id = $1',
      [id],
    );
    assert.equal(rows[0]!.n, 0, 'the refused evidence is not kept');
  });

  test('a 1 × 1 picture is not evidence; a 640 × 480 photo is, and the answer keeps its score', async () => {
    const id = await reportIn('in_progress');
    const withPicture = (png: Uint8Array<ArrayBuffer>) => {
      const form = new FormData();
      form.set('message', ANSWER);
      form.append('attachments', new File([png], 'foto.png', { type: 'image/png' }));
      return form;
    };
    const tiny = await post(unit, id, 'answer', withPicture(pngOfSize(1, 1)));
    assert.equal(tiny.status, 400, tiny.text);
    assert.match(tiny.body.error.fields.attachments, /320 × 240/);
    const photo = await must(unit, id, 'answer', withPicture(pngOfSize(640, 480)));
    assert.equal(photo.status, 'answered');
    const answered = (await timeline(id, national)).findLast((e) => e.type === 'answered')!;
    assert.equal(answered.data.verdict, 'answer');
    assert.ok((answered.data.answerScore as number) >= 0.5);
  });

  test('a refused answer names the clauses that only promise and what would make it an answer; the attempt is counted for staff', async () => {
    const id = await reportIn('in_progress');
    const refused = await post(
      unit,
      id,
      'answer',
      evidence('Terima kasih atas laporan Bapak. Laporan ini ditindaklanjuti oleh bidang terkait sesuai prosedur yang berlaku, dan perbaikan akan segera dijadwalkan.'),
    );
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.code, 'answer_only_promises');
    const fields = refused.body.error.fields as Record<string, string>;
    const clauses = Object.entries(fields).filter(([k]) => k.startsWith('clauses.')).map(([, v]) => v);
    assert.ok(clauses.some((c) => c.includes('ditindaklanjuti oleh bidang terkait')), JSON.stringify(fields));
    assert.ok(clauses.some((c) => c.includes('akan segera dijadwalkan') && /janji|promise/.test(c)), JSON.stringify(fields));
    assert.match(fields.message!, /what was done|what would|names nothing/);
    assert.match(refused.body.error.message, /Jawaban .* \/ The answer/);
    // Refused, yet recorded (after the rollback), for staff only, with the score and the body.
    const staff = await timeline(id, national);
    const attempt = staff.findLast((e) => e.type === 'answer_refused')!;
    assert.equal(attempt.visibility, 'staff');
    assert.ok((attempt.data.answerScore as number) < 0.5);
    assert.equal(attempt.data.bodyId, ids.pontianak);
    assert.ok(!(await timeline(id, citizen)).some((e) => e.type === 'answer_refused'));
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: national.token })).body.status, 'in_progress');
  });

  test('issue 9: "Lubang sudah ditambal." closes with evidence; the template "ditindaklanjuti … sesuai prosedur" does not', async () => {
    const id = await reportIn('in_progress');
    assert.equal((await post(unit, id, 'answer', evidence('Laporan ini ditindaklanjuti oleh bidang terkait sesuai prosedur yang berlaku'))).status, 422);
    assert.equal((await must(unit, id, 'answer', evidence('Lubang sudah ditambal.'))).status, 'answered');
  });
});

describe('the reporter’s response', () => {
  test('answered → in_progress by a reply', async () => {
    const id = await reportIn('answered');
    const { event } = await step(citizen, id, 'reply', { message: 'Tambalan sudah lepas lagi setelah hujan kemarin.' }, {
      status: 'in_progress',
      event: 'reporter_replied',
      role: 'reporter',
      visibility: 'reporter',
    });
    assert.equal(event.message, 'Tambalan sudah lepas lagi setelah hujan kemarin.');
    assert.ok(!(await timeline(id)).some((e) => e.type === 'reporter_replied'));
  });

  test('answered → in_progress by reopen', async () => {
    const id = await reportIn('answered');
    const { report } = await step(citizen, id, 'reopen', { message: 'Jalan belum diperbaiki sama sekali.' }, {
      status: 'in_progress',
      event: 'reopened',
      role: 'reporter',
      visibility: 'public',
    });
    assert.equal(report.closedAt, null);
  });

  test('answered → closed by accept', async () => {
    const id = await reportIn('answered');
    const { report, event } = await step(citizen, id, 'accept', {}, {
      status: 'closed',
      event: 'accepted',
      role: 'reporter',
      visibility: 'public',
    });
    assert.equal(report.closedAt, event.at);
    assert.equal(report.statusLabel.id, 'Selesai');
  });

  for (const rating of [1, 2]) {
    test(`closed → in_progress by a rating of ${rating}`, async () => {
      const id = await reportIn('closed');
      const { report, event } = await step(citizen, id, 'rate', { rating, message: 'Tidak puas.' }, {
        status: 'in_progress',
        event: 'rated',
        role: 'reporter',
        visibility: 'public',
      });
      assert.equal(report.rating, rating);
      assert.deepEqual(event.data, { rating });
      // The body can answer again, and once closed again the reporter may rate the new answer.
      await must(unit, id, 'answer', evidence('Jalan sudah diaspal ulang sepanjang 20 meter dan diperiksa pengawas pada 25 November 2026.'));
      await must(citizen, id, 'accept', {});
      const rerated = await must(citizen, id, 'rate', { rating: 5 });
      assert.equal(rerated.status, 'closed');
      assert.equal(rerated.rating, 5);
    });
  }

  test('a report reopened by a low rating is no longer shown as closed', async () => {
    const id = await reportIn('closed');
    const reopened = await must(citizen, id, 'rate', { rating: 1 });
    assert.equal(reopened.status, 'in_progress');
    assert.equal(reopened.closedAt, null);
  });

  for (const rating of [3, 4, 5]) {
    test(`a rating of ${rating} keeps it closed, and a second rating is refused`, async () => {
      const id = await reportIn('closed');
      const closedAt = (await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token })).body.closedAt;
      const { report } = await step(citizen, id, 'rate', { rating }, {
        status: 'closed',
        event: 'rated',
        role: 'reporter',
        visibility: 'public',
      });
      assert.equal(report.rating, rating);
      assert.equal(report.closedAt, closedAt);
      tick();
      const twice = await post(citizen, id, 'rate', { rating: 1 });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.code, 'illegal_transition');
      assert.match(twice.body.error.message, /sudah dinilai|already been rated/);
      const after = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
      assert.equal(after.body.status, 'closed');
      assert.equal(after.body.rating, rating);
    });
  }

  for (const state of ['submitted', 'on_hold', 'dispositioned', 'in_progress', 'answered'] as const) {
    test(`the reporter closes a report that is ${state}`, async () => {
      const id = await reportIn(state);
      const { report, event } = await step(citizen, id, 'close', { message: 'Sudah tidak diperlukan.' }, {
        status: 'closed',
        event: 'closed_by_reporter',
        role: 'reporter',
        visibility: 'public',
      });
      assert.equal(report.closedAt, event.at);
      assert.equal(event.fromStatus, state);
    });
  }

  test('another reporter may not act on someone else’s report', async () => {
    const id = await reportIn('answered');
    const res = await post(otherCitizen, id, 'accept', {});
    assert.equal(res.status, 403);
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token })).body.status, 'answered');
  });
});

describe('illegal transitions', () => {
  const cases: { name: string; state: State; user: () => TestUser; action: string; body: Body | (() => Body); status: string }[] = [
    { name: 'answer a submitted report', state: 'submitted', user: () => agency, action: 'answer', body: () => evidence(ANSWER), status: 'submitted' },
    { name: 'route an unverified report', state: 'submitted', user: () => national, action: 'route', body: () => ({ bodyId: ids.pontianak }), status: 'submitted' },
    { name: 'accept a dispositioned report', state: 'dispositioned', user: () => citizen, action: 'accept', body: {}, status: 'dispositioned' },
    { name: 'reopen a closed report', state: 'closed', user: () => citizen, action: 'reopen', body: { message: 'Buka lagi.' }, status: 'closed' },
    { name: 'verify an archived report', state: 'archived', user: () => national, action: 'verify', body: { resolutionClass: 5 }, status: 'archived' },
    { name: 'hold a dispositioned report', state: 'dispositioned', user: () => national, action: 'hold', body: { message: 'Mohon lengkapi.' }, status: 'dispositioned' },
    { name: 'rate an open report', state: 'in_progress', user: () => citizen, action: 'rate', body: { rating: 4 }, status: 'in_progress' },
    { name: 'rate an answered report', state: 'answered', user: () => citizen, action: 'rate', body: { rating: 5 }, status: 'answered' },
    { name: 'follow up a closed report', state: 'closed', user: () => unit, action: 'follow-ups', body: { message: 'Tambahan.' }, status: 'closed' },
    { name: 'archive a dispositioned report', state: 'dispositioned', user: () => national, action: 'archive', body: { reason: 'spam_hoax' }, status: 'dispositioned' },
    { name: 'reply to an archived report', state: 'archived', user: () => citizen, action: 'reply', body: { message: 'Halo?' }, status: 'archived' },
  ];
  for (const c of cases) {
    test(`${c.name} → 409 with the reason, and nothing changes`, async () => {
      const id = await reportIn(c.state);
      const eventsBefore = (await timeline(id, national)).length;
      const res = await post(c.user(), id, c.action, typeof c.body === 'function' ? c.body() : c.body);
      assert.equal(res.status, 409, res.text);
      assert.equal(res.body.error.code, 'illegal_transition');
      if (c.action === 'route') assert.match(res.body.error.message, /diverifikasi|verified/);
      else assert.ok(res.body.error.message.includes(`'${c.status}'`), res.body.error.message);
      const after = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
      assert.equal(after.body.status, c.status);
      assert.equal((await timeline(id, national)).length, eventsBefore);
    });
  }

  test('a role that may never take the action gets 403, not 409', async () => {
    // verified, so public: every caller below can read it
    const id = await reportIn('verified');
    for (const [user, action, body] of [
      [citizen, 'edit', { title: 'Judul yang dikoreksi pelapor' }],
      [unit, 'route', { bodyId: ids.pontianak }],
      [national, 'accept', {}],
      [agency, 'close', {}],
    ] as const) {
      const res = await post(user, id, action, body);
      assert.equal(res.status, 403, `${action}: ${res.text}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
  });

  test('an answered report offers the reporter exactly its four actions, and the public none', async () => {
    const id = await reportIn('answered');
    const asReporter = await t.request('GET', `/api/v1/reports/${id}`, { token: citizen.token });
    assert.deepEqual([...asReporter.body.availableActions].sort(), ['accept', 'close', 'reopen', 'reply']);
    const asPublic = await t.request('GET', `/api/v1/reports/${id}`);
    assert.deepEqual(asPublic.body.availableActions, []);
  });
});

describe('verified once; corrections are edits', () => {
  test('the label says Terverifikasi once verified; a second verify is 409 and changes nothing', async () => {
    const id = await reportIn('submitted');
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`, { token: national.token })).body.statusLabel.id, 'Belum Terverifikasi');
    const first = await must(national, id, 'verify', { resolutionClass: 14 });
    assert.deepEqual(first.statusLabel, { id: 'Terverifikasi', en: 'Verified' });
    const events = (await timeline(id, national)).length;
    tick();
    const again = await post(agency, id, 'verify', { resolutionClass: 5, classification: 'aspirasi' });
    assert.equal(again.status, 409, again.text);
    assert.match(again.body.error.message, /sudah diverifikasi.*\/.*already verified/);
    const after = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
    assert.equal(after.body.resolutionClass, 14);
    assert.equal(after.body.classification, 'pengaduan');
    assert.equal(after.body.verifiedAt, first.verifiedAt);
    assert.equal((await timeline(id, national)).length, events);
    assert.ok(!after.body.availableActions.includes('verify'));
    assert.ok(after.body.availableActions.includes('edit'));
  });

  test('an edit corrects title, category and classification, with its own event; flags only go on', async () => {
    const id = await reportIn('dispositioned');
    const categories = (await t.request('GET', '/api/v1/categories')).body as { id: number; code: string }[];
    const category = categories.find((c) => c.code === 'infrastruktur.jalan')!;
    const { report, event } = await step(
      agency,
      id,
      'edit',
      { title: 'Jalan berlubang di depan Pasar Flamboyan', categoryId: category.id, classification: 'aspirasi' },
      { status: 'dispositioned', event: 'edited', role: 'agency_admin', visibility: 'staff' },
    );
    assert.equal(report.title, 'Jalan berlubang di depan Pasar Flamboyan');
    assert.equal(report.category.id, category.id);
    assert.equal(report.classification, 'aspirasi');
    assert.deepEqual(event.data.fields, ['title', 'categoryId', 'classification']);
    const flagged = await must(national, id, 'edit', { anonymous: true });
    assert.equal(flagged.anonymous, true);
    const types = (await timeline(id, national)).map((e) => e.type);
    assert.equal(types.filter((x) => x === 'verified').length, 1, 'still one verification');
    assert.ok(types.includes('privacy_flags_set'));
    // anonim cannot come off again, nor can an empty edit pass
    tick();
    const off = await post(national, id, 'edit', { anonymous: false });
    assert.equal(off.status, 400, off.text);
    assert.equal((await post(national, id, 'edit', {})).status, 400);
    assert.equal((await post(national, id, 'edit', { colour: 'red' })).status, 400, 'strict schema');
  });

  test('who may edit: the national admin and the handling body’s admin; not before verification, not another body', async () => {
    const unverified = await reportIn('submitted');
    tick();
    const early = await post(national, unverified, 'edit', { title: 'Judul dikoreksi sebelum verifikasi' });
    assert.equal(early.status, 409, early.text);
    // suggested to Pontianak but not yet routed: its admin verifies, it does not hold it yet
    const verified = await reportIn('verified');
    assert.equal((await post(agency, verified, 'edit', { title: 'Judul dikoreksi oleh instansi' })).status, 403);
    assert.equal((await post(national, verified, 'edit', { title: 'Judul dikoreksi oleh admin nasional' })).status, 200);
    const routed = await reportIn('dispositioned');
    assert.equal((await post(metroAgency, routed, 'edit', { title: 'Judul dari instansi lain' })).status, 403);
    assert.equal((await post(unit, routed, 'edit', { title: 'Judul dari unit kerja' })).status, 403);
  });
});

describe('a staff-only follow-up is not the body’s first follow-up', () => {
  test('it neither moves the status to in_progress nor stops the first follow-up clock; a public one does both', async () => {
    const id = await reportIn('dispositioned');
    const clockOf = async () =>
      (await t.request('GET', `/api/v1/reports/${id}`, { token: national.token })).body.clocks.find(
        (c: { kind: string }) => c.kind === 'first_follow_up',
      ).state;
    assert.equal(await clockOf(), 'running');
    const note = await must(unit, id, 'follow-ups', { message: 'Catatan internal: menunggu anggaran.', internal: true });
    assert.equal(note.status, 'dispositioned');
    assert.equal(note.statusLabel.id, 'Terdisposisi – Belum Ditindaklanjuti');
    assert.equal(await clockOf(), 'running');
    const pub = await t.request('GET', `/api/v1/reports/${id}`);
    assert.equal(pub.body.statusLabel.id, 'Terdisposisi – Belum Ditindaklanjuti');
    assert.ok(!(await timeline(id)).some((e) => e.type === 'internal_note' || e.type === 'followed_up'));
    const real = await must(unit, id, 'follow-ups', { message: 'Tim sudah meninjau lokasi dan mengukur kerusakan.' });
    assert.equal(real.status, 'in_progress');
    assert.equal(await clockOf(), 'stopped');
  });
});

describe('availableActions: this caller, this report, now', () => {
  test('an agency admin of another body reading a public report gets none; the handling body its own', async () => {
    const id = await reportIn('in_progress');
    const foreign = await t.request('GET', `/api/v1/reports/${id}`, { token: metroAgency.token });
    assert.equal(foreign.status, 200);
    assert.deepEqual(foreign.body.availableActions, []);
    const own = await t.request('GET', `/api/v1/reports/${id}`, { token: agency.token });
    assert.deepEqual([...own.body.availableActions].sort(), ['answer', 'disposition', 'edit', 'follow_up', 'forward']);
    const asUnit = await t.request('GET', `/api/v1/reports/${id}`, { token: unit.token });
    assert.deepEqual([...asUnit.body.availableActions].sort(), ['answer', 'disposition', 'follow_up']);
    const otherReporter = await t.request('GET', `/api/v1/reports/${id}`, { token: otherCitizen.token });
    assert.deepEqual(otherReporter.body.availableActions, []);
  });

  test('state is counted: route only once verified, verify only before, rate only once', async () => {
    const id = await reportIn('submitted');
    const before = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
    assert.deepEqual([...before.body.availableActions].sort(), ['archive', 'hold', 'verify']);
    await must(national, id, 'verify', { resolutionClass: 5 });
    const after = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
    assert.deepEqual([...after.body.availableActions].sort(), ['archive', 'edit', 'hold', 'route']);
    const closed = await reportIn('closed');
    assert.deepEqual((await t.request('GET', `/api/v1/reports/${closed}`, { token: citizen.token })).body.availableActions, ['rate']);
    await must(citizen, closed, 'rate', { rating: 4 });
    assert.deepEqual((await t.request('GET', `/api/v1/reports/${closed}`, { token: citizen.token })).body.availableActions, []);
  });
});
