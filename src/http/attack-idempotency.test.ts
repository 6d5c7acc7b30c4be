import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';

/**
 * Attack: a phone on a bad network (or a client bent on double effects) sends the same POST
 * several times, in parallel and later, under one Idempotency-Key.
 */

let t: TestApp;
let citizen: TestUser;
let other: TestUser;
let national: TestUser;

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  other = await t.user('reporter');
  national = await t.user('national_admin');
});
after(() => t.close());

const countReports = async (user: TestUser) => {
  const rows = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE reporter_id = $1', [
    user.principal.userId,
  ]);
  return rows[0]!.n;
};
const submit = (user: TestUser, key: string, input = reportInput()) =>
  t.request('POST', '/api/v1/reports', { token: user.token, json: input, headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  test('three parallel submissions with one key file one report, and all three get its response', async () => {
    const before = await countReports(citizen);
    const responses = await Promise.all([
      submit(citizen, 'k-parallel-1'),
      submit(citizen, 'k-parallel-1'),
      submit(citizen, 'k-parallel-1'),
    ]);
    for (const res of responses) assert.equal(res.status, 201, res.text);
    assert.equal(new Set(responses.map((r) => r.body.trackingId)).size, 1, 'one tracking ID');
    assert.equal(await countReports(citizen), before + 1);
    assert.equal(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 2);
  });

  test('a retry later gets the first response again; another body under the key is 422', async () => {
    const first = await submit(citizen, 'k-retry');
    assert.equal(first.status, 201);
    t.setNow(new Date(Date.parse('2026-11-24T03:00:00Z') + 23 * 3_600_000));
    const again = await submit(citizen, 'k-retry');
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const changed = await submit(citizen, 'k-retry', reportInput({ title: 'Judul lain sama sekali' }));
    assert.equal(changed.status, 422, changed.text);
    assert.equal(changed.body.error.code, 'idempotency_key_reused');
    // The same key sent to another route is another request too.
    const elsewhere = await t.request('POST', `/api/v1/reports/${first.body.trackingId}/close`, {
      token: citizen.token,
      json: {},
      headers: { 'idempotency-key': 'k-retry' },
    });
    assert.equal(elsewhere.status, 422);
    // After 24 hours the key is free again.
    t.setNow(new Date(Date.parse('2026-11-24T03:00:00Z') + 25 * 3_600_000));
    const later = await submit(citizen, 'k-retry');
    assert.equal(later.status, 201);
    assert.notEqual(later.body.trackingId, first.body.trackingId);
    t.setNow('2026-11-24T03:00:00Z');
  });

  test('keys are per account: another reporter with the same key gets its own effect', async () => {
    const mine = await submit(citizen, 'k-shared');
    const theirs = await submit(other, 'k-shared');
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.trackingId, mine.body.trackingId);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
  });

  test('JSON key order and multipart boundaries do not make a retry a new request', async () => {
    const input = reportInput({ title: 'Urutan kunci berbeda' });
    const first = await submit(citizen, 'k-order', input);
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    const again = await submit(citizen, 'k-order', reordered as typeof input);
    assert.equal(again.status, 201);
    assert.equal(again.body.trackingId, first.body.trackingId);

    const form = () => {
      const f = new FormData();
      for (const [k, v] of Object.entries(reportInput({ title: 'Lewat formulir' }))) f.set(k, String(v));
      return f;
    };
    const a = await t.request('POST', '/api/v1/reports', { token: citizen.token, form: form(), headers: { 'idempotency-key': 'k-form' } });
    const b = await t.request('POST', '/api/v1/reports', { token: citizen.token, form: form(), headers: { 'idempotency-key': 'k-form' } });
    assert.equal(a.status, 201, a.text);
    assert.equal(b.body.trackingId, a.body.trackingId);
  });

  test('a refused request is not remembered: corrected and sent again under its key, it goes through', async () => {
    const bad = await submit(citizen, 'k-fix', reportInput({ title: 'abc' }));
    assert.equal(bad.status, 400);
    const good = await submit(citizen, 'k-fix');
    assert.equal(good.status, 201, good.text);
  });

  test('follow-ups, answers and replies: parallel posts with one key make one timeline event', async () => {
    const filed = await submit(citizen, 'k-reply-report');
    const id = filed.body.trackingId;
    const reply = () =>
      t.request('POST', `/api/v1/reports/${id}/reply`, {
        token: citizen.token,
        json: { message: 'Tambahan: lubangnya makin besar' },
        headers: { 'idempotency-key': 'k-reply' },
      });
    const results = await Promise.all([reply(), reply(), reply()]);
    for (const r of results) assert.equal(r.status, 200, r.text);
    const timeline = await t.request('GET', `/api/v1/reports/${id}/timeline`, { token: citizen.token });
    const replies = timeline.body.filter((e: { type: string; message: string | null }) => e.message === 'Tambahan: lubangnya makin besar');
    assert.equal(replies.length, 1, 'one reply on the timeline');
  });

  test('registration: parallel retries with one key make one account and return the same token', async () => {
    const body = { name: 'Warga Baru', email: 'baru.idem@test.lapor.go.id', password: 'kata-sandi-panjang' };
    const register = () => t.request('POST', '/api/v1/auth/register', { json: body, headers: { 'idempotency-key': 'k-register' } });
    const results = await Promise.all([register(), register(), register()]);
    for (const r of results) assert.equal(r.status, 201, r.text);
    assert.equal(new Set(results.map((r) => r.body.token)).size, 1);
    const rows = await t.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE email = 'baru.idem@test.lapor.go.id'");
    assert.equal(rows[0]!.n, 1);
  });

  test('staff accounts: a retried creation makes one account', async () => {
    const body = { name: 'Operator Baru', email: 'operator.idem@test.lapor.go.id', password: 'kata-sandi-panjang', role: 'monitor' };
    const create = () =>
      t.request('POST', '/api/v1/users', { token: national.token, json: body, headers: { 'idempotency-key': 'k-staff' } });
    const [a, b] = await Promise.all([create(), create()]);
    assert.equal(a.status, 201, a.text);
    assert.equal(b.status, 201, b.text);
    assert.equal(a.body.id, b.body.id);
  });

  test('what is stored reveals nothing: neither the response nor the request is readable in the table', async () => {
    const body = { name: 'Warga Rahasia', email: 'rahasia.idem@test.lapor.go.id', password: 'kata-sandi-panjang' };
    const res = await t.request('POST', '/api/v1/auth/register', { json: body, headers: { 'idempotency-key': 'k-secret' } });
    assert.equal(res.status, 201);
    const rows = await t.deps.db.query<{ response: Uint8Array; fingerprint: Uint8Array }>(
      "SELECT response, fingerprint FROM idempotency_keys WHERE key = 'k-secret'",
    );
    const stored = Buffer.concat([Buffer.from(rows[0]!.response), Buffer.from(rows[0]!.fingerprint)]).toString('latin1');
    assert.ok(!stored.includes(res.body.token), 'the bearer token is not stored in clear');
    assert.ok(!stored.includes('rahasia.idem'), 'the email is not stored in clear');
  });

  test('a claim abandoned by a crashed process is taken over after its lease', async () => {
    const input = reportInput({ title: 'Setelah server mati' });
    const first = await submit(citizen, 'k-crash', input);
    assert.equal(first.status, 201);
    // Pretend the first process died after claiming: the row is pending with an expired lease.
    await t.deps.db.query("UPDATE idempotency_keys SET state = 'pending', response = NULL, locked_until = $1 WHERE key = 'k-crash'", [
      new Date('2026-11-24T02:00:00Z'),
    ]);
    const retried = await submit(citizen, 'k-crash', input);
    assert.equal(retried.status, 201, retried.text);
    const fresh = await t.deps.db.query<{ state: string }>("SELECT state FROM idempotency_keys WHERE key = 'k-crash'");
    assert.equal(fresh[0]!.state, 'done');
  });

  test('a malformed key is refused', async () => {
    const res = await submit(citizen, 'kunci dengan spasi');
    assert.equal(res.status, 400);
    assert.ok(res.body.error.fields['Idempotency-Key']);
  });
});
