/**
 * Burying and appealing (issue 9, section 2): a body cannot bury a report it was only offered —
 * its archive is a request that a national admin confirms or rejects — and the reporter appeals an
 * archive once, to the national admin. Each rule as it is seen from outside: statuses, who may do
 * what, who reads the request, who is told.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

let t: TestApp;
let citizen: TestUser;
let stranger: TestUser;
let national: TestUser;
let agency: TestUser; // Pontianak: the body the reports are offered to
let metroAgency: TestUser;
let pontianak = 0;

let clock = Date.parse('2026-11-24T03:00:00Z');
function tick(): void {
  clock += 60_000;
  t.setNow(new Date(clock));
}

before(async () => {
  t = await startTestApp();
  t.setNow(new Date(clock));
  citizen = await t.user('reporter');
  stranger = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  metroAgency = await t.user('agency_admin', 'pemkot-18.72');
  pontianak = await t.bodyId('pemkot-61.71');
});
after(() => t.close());

function post(user: TestUser, id: string, action: string, json: Record<string, unknown> = {}) {
  tick();
  return t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json });
}
async function must(user: TestUser, id: string, action: string, json: Record<string, unknown> = {}) {
  const res = await post(user, id, action, json);
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  return res.body;
}
async function offered(verified = true): Promise<string> {
  tick();
  const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ suggestedBodyId: pontianak }) });
  assert.equal(res.status, 201, res.text);
  if (verified) await must(national, res.body.trackingId, 'verify', { resolutionClass: 14 });
  return res.body.trackingId;
}
const view = async (id: string, user?: TestUser) =>
  (await t.request('GET', `/api/v1/reports/${id}`, user ? { token: user.token } : {})).body;
const types = async (id: string, user?: TestUser) =>
  ((await t.request('GET', `/api/v1/reports/${id}/timeline`, user ? { token: user.token } : {})).body as { type: string }[]).map(
    (e) => e.type,
  );
/** Who was sent which template about this report: "userId template" per in-app row. */
async function told(id: string): Promise<string[]> {
  const rows = await t.deps.db.query<{ who: number; template: string }>(
    `SELECT recipient_user_id AS who, template FROM outbox WHERE channel = 'in_app' AND payload->>'trackingId' = $1 ORDER BY id`,
    [id],
  );
  return rows.map((r) => `${r.who} ${r.template}`);
}

describe('a body asks, a national admin decides', () => {
  test('the offered body’s admin archiving as spam leaves the report open and public: it is a request (this was the hole)', async () => {
    const id = await offered();
    const res = await must(agency, id, 'archive', { reason: 'spam_hoax', message: 'Isi laporan tidak masuk akal.' });
    assert.equal(res.status, 'submitted', 'not archived by the body');
    assert.equal(res.archiveReason, null);
    assert.equal(res.archiveRequest.reason, 'spam_hoax');
    assert.equal(res.archiveRequest.bodyId, pontianak);
    assert.ok(!res.availableActions.includes('archive'), 'one request at a time');
    // Still public (it was verified), and nobody outside the staff reads the request.
    const pub = await t.request('GET', `/api/v1/reports/${id}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.archiveRequest, null);
    assert.equal((await view(id, citizen)).archiveRequest, null);
    assert.ok(!(await types(id)).includes('archive_requested'));
    assert.ok(!(await types(id, citizen)).includes('archive_requested'));
    assert.ok((await types(id, national)).includes('archive_requested'));
    // The national admins are asked; the reporter is not told of a request.
    const nationalView = await view(id, national);
    assert.ok(nationalView.availableActions.includes('confirm_archive'));
    assert.ok(nationalView.availableActions.includes('reject_archive'));
    assert.ok((await told(id)).includes(`${national.principal.userId} report.archive_requested`));
    assert.ok(!(await told(id)).some((line) => line.startsWith(`${citizen.principal.userId} report.archive`)));
  });

  test('every archive reason by a body is a request; a second request while one waits is 409', async () => {
    for (const reason of ['abusive', 'not_public_service', 'incomplete']) {
      const id = await offered(false);
      const res = await must(agency, id, 'archive', { reason });
      assert.equal(res.status, 'submitted', reason);
      const again = await post(agency, id, 'archive', { reason: 'spam_hoax' });
      assert.equal(again.status, 409, again.text);
    }
  });

  test('only a national admin decides: the body’s admin, another body and the reporter get 403', async () => {
    const id = await offered();
    await must(agency, id, 'archive', { reason: 'spam_hoax' });
    for (const user of [agency, metroAgency, citizen]) {
      for (const action of ['archive/confirm', 'archive/reject']) {
        const res = await post(user, id, action, { message: 'x' });
        assert.ok([403, 404].includes(res.status), `${action} by ${user.principal.role}: ${res.status}`);
      }
    }
    assert.equal((await view(id, national)).status, 'submitted');
  });

  test('confirm without a request, or reject without a reason: refused, nothing changes', async () => {
    const id = await offered();
    assert.equal((await post(national, id, 'archive/confirm')).status, 409);
    await must(agency, id, 'archive', { reason: 'spam_hoax' });
    const noReason = await post(national, id, 'archive/reject', {});
    assert.equal(noReason.status, 400, noReason.text);
    assert.equal((await view(id, national)).archiveRequest.reason, 'spam_hoax');
  });

  test('rejected: the report stays with the body to handle, and the body is told', async () => {
    const id = await offered();
    await must(agency, id, 'archive', { reason: 'spam_hoax' });
    const res = await must(national, id, 'archive/reject', { message: 'Laporan ini jelas tentang jalan rusak.' });
    assert.equal(res.status, 'submitted');
    assert.equal(res.archiveRequest, null);
    assert.ok((await told(id)).includes(`${agency.principal.userId} report.archive_rejected`));
    assert.ok(!(await told(id)).some((line) => line.startsWith(`${citizen.principal.userId} report.archive`)));
    // The body can still take it, and could ask again later.
    const routed = await must(agency, id, 'route', {});
    assert.equal(routed.status, 'dispositioned');
  });

  test('confirmed: archived with the body’s reason, hidden from the public as spam; the reporter and the body are told', async () => {
    const id = await offered();
    await must(agency, id, 'archive', { reason: 'spam_hoax' });
    const res = await must(national, id, 'archive/confirm', {});
    assert.equal(res.status, 'archived');
    assert.equal(res.archiveReason, 'spam_hoax');
    assert.equal(res.archiveRequest, null);
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 404, 'spam leaves the public feed');
    const lines = await told(id);
    assert.ok(lines.includes(`${citizen.principal.userId} report.archived`));
    assert.ok(lines.includes(`${agency.principal.userId} report.archive_confirmed`));
    const citizenView = await view(id, citizen);
    assert.ok(citizenView.availableActions.includes('appeal'));
  });

  test('routing a report a body asked to archive settles the request', async () => {
    const id = await offered();
    await must(agency, id, 'archive', { reason: 'not_public_service' });
    const res = await must(national, id, 'route', { bodyId: pontianak });
    assert.equal(res.archiveRequest, null);
  });

  test('a national admin still archives at once', async () => {
    const id = await offered();
    const res = await must(national, id, 'archive', { reason: 'abusive' });
    assert.equal(res.status, 'archived');
    assert.equal(res.archiveReason, 'abusive');
  });
});

describe('the reporter appeals an archive once, to the national admin', () => {
  test('appeal: a reason is required; only the reporter; the national admins are told; the archive message says how', async () => {
    const id = await offered();
    await must(national, id, 'archive', { reason: 'not_public_service' });
    const archivedMsg = await t.deps.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE template = 'report.archived' AND recipient_user_id = $1 AND payload->>'trackingId' = $2`,
      [citizen.principal.userId, id],
    );
    assert.equal(archivedMsg[0]!.payload.appealOpen, true);
    assert.equal((await post(citizen, id, 'appeal', {})).status, 400);
    const other = await post(stranger, id, 'appeal', { message: 'Saya juga keberatan.' });
    assert.ok([403, 404].includes(other.status), other.text);
    assert.equal((await post(agency, id, 'appeal', { message: 'x' })).status, 403);

    const res = await must(citizen, id, 'appeal', { message: 'Ini tentang layanan PDAM, pelayanan publik.' });
    assert.equal(res.status, 'archived');
    assert.ok(res.appeal.appealedAt);
    assert.equal(res.appeal.decidedAt, null);
    assert.ok(!res.availableActions.includes('appeal'));
    assert.ok((await told(id)).includes(`${national.principal.userId} report.appealed`));
    assert.ok((await types(id, citizen)).includes('appealed'));
    assert.ok(!(await types(id)).includes('appealed'), 'the public does not read the appeal');
    const twice = await post(citizen, id, 'appeal', { message: 'Sekali lagi.' });
    assert.equal(twice.status, 409, twice.text);
    assert.match(twice.body.error.message, /sekali|once/);
    const nationalView = await view(id, national);
    assert.ok(nationalView.availableActions.includes('grant_appeal') && nationalView.availableActions.includes('reject_appeal'));
  });

  test('rejected: the archive stands, the reporter is told why, and there is no second appeal', async () => {
    const id = await offered();
    await must(national, id, 'archive', { reason: 'duplicate', duplicateOf: await offered() });
    await must(citizen, id, 'appeal', { message: 'Laporan saya berbeda lokasinya.' });
    assert.equal((await post(agency, id, 'appeal/reject', { message: 'x' })).status, 403);
    const res = await must(national, id, 'appeal/reject', { message: 'Lokasi dan isi laporan sama dengan laporan sebelumnya.' });
    assert.equal(res.status, 'archived');
    assert.ok(res.appeal.decidedAt);
    const rows = await t.deps.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE template = 'report.appeal_rejected' AND recipient_user_id = $1 AND channel = 'in_app'`,
      [citizen.principal.userId],
    );
    assert.equal(rows.at(-1)!.payload.quote, 'Lokasi dan isi laporan sama dengan laporan sebelumnya.');
    assert.equal((await post(citizen, id, 'appeal', { message: 'Banding lagi.' })).status, 409);
    assert.equal((await post(national, id, 'appeal/grant', { message: 'x' })).status, 409, 'decided once');
  });

  test('granted: back at the national desk to verify and route again; archived again later, it cannot be appealed a second time', async () => {
    const id = await offered();
    await must(national, id, 'archive', { reason: 'spam_hoax' });
    await must(citizen, id, 'appeal', { message: 'Laporan saya benar, ada fotonya.' });
    const res = await must(national, id, 'appeal/grant', { message: 'Setelah ditinjau, laporan ini valid.' });
    assert.equal(res.status, 'submitted');
    assert.equal(res.archiveReason, null);
    assert.equal(res.responsibleBody, null);
    assert.ok((await told(id)).includes(`${citizen.principal.userId} report.appeal_granted`));
    assert.equal((await t.request('GET', `/api/v1/reports/${id}`)).status, 200, 'public again once it is no longer spam');
    const routed = await must(national, id, 'route', { bodyId: pontianak });
    assert.equal(routed.status, 'dispositioned');

    const second = await offered();
    await must(national, second, 'archive', { reason: 'spam_hoax' });
    await must(citizen, second, 'appeal', { message: 'Keberatan.' });
    await must(national, second, 'appeal/grant', { message: 'Diterima.' });
    await must(national, second, 'archive', { reason: 'duplicate', duplicateOf: id });
    assert.ok(!(await view(second, citizen)).availableActions.includes('appeal'));
    assert.equal((await post(citizen, second, 'appeal', { message: 'Lagi.' })).status, 409);
    const last = await t.deps.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE template = 'report.archived' AND channel = 'in_app' AND payload->>'trackingId' = $1 ORDER BY id DESC LIMIT 1`,
      [second],
    );
    assert.equal(last[0]!.payload.appealOpen, false, 'the message does not offer an appeal already used');
  });
});
