import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';

/**
 * Admins and staff accounts: an account made without a password gets a single-use link by email
 * (nobody but its owner ever knows the password, and no answer carries it); its making and every
 * role or body change are account events; a role change ends the account's sessions; an admin
 * gives only the roles it may create, never to itself, and another body's account is 404.
 */

const PONTIANAK = 'pemkot-61.71';
let t: TestApp;
let national: TestUser;
let agency: TestUser;
let metroAgency: TestUser;
let citizen: TestUser;
const ids = { pontianak: 0, pupr: 0, dinkes: 0, metroPupr: 0, metro: 0 };
let counter = 0;
const email = () => `staf.${++counter}.${process.pid}@test.lapor.go.id`;

const create = (user: TestUser, json: Record<string, unknown>) =>
  t.request('POST', '/api/v1/users', { token: user.token, json: { name: 'Petugas Baru', email: email(), ...json } });
const changeRole = (user: TestUser, id: number, json: Record<string, unknown>) =>
  t.request('POST', `/api/v1/users/${id}/role`, { token: user.token, json });
const events = async (user: TestUser, id: number) => (await t.request('GET', `/api/v1/users/${id}/events`, { token: user.token })).body;

before(async () => {
  t = await startTestApp();
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', PONTIANAK);
  metroAgency = await t.user('agency_admin', 'pemkot-18.72');
  citizen = await t.user('reporter');
  ids.pontianak = await t.bodyId(PONTIANAK);
  ids.pupr = await t.bodyId(`${PONTIANAK}/dinas-pupr`);
  ids.dinkes = await t.bodyId(`${PONTIANAK}/dinkes`);
  ids.metro = await t.bodyId('pemkot-18.72');
  ids.metroPupr = await t.bodyId('pemkot-18.72/dinas-pupr');
});
after(() => t.close());

describe('a staff account made without a password', () => {
  test('has none: its owner sets one with the emailed link, then signs in; the answer carries no secret', async () => {
    const address = email();
    const res = await create(agency, { email: address, role: 'unit_officer', bodyId: ids.pupr });
    assert.equal(res.status, 201, res.text);
    assert.ok(res.body.invitation.expiresAt);
    assert.doesNotMatch(res.text, /token|argon2|password/i);
    const [row] = await t.deps.db.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
    assert.equal(row!.password_hash, null);
    const [mail] = await t.deps.db.query<{ payload: { secret: { token: string }; hours: number }; recipient_address: string }>(
      `SELECT payload, recipient_address FROM outbox WHERE recipient_user_id = $1 AND template = 'account.invitation'`,
      [res.body.id],
    );
    assert.equal(mail!.recipient_address, address);
    assert.equal(mail!.payload.hours, 72);
    const login = () => t.request('POST', '/api/v1/auth/login', { json: { login: address, password: 'sandi-pilihan-sendiri' } });
    assert.equal((await login()).status, 401, 'no password yet');
    const set = await t.request('POST', '/api/v1/auth/password-reset/complete', {
      json: { token: mail!.payload.secret.token, password: 'sandi-pilihan-sendiri' },
    });
    assert.equal(set.status, 204, set.text);
    const signedIn = await login();
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.body.user.role, 'unit_officer');
    const made = (await events(agency, res.body.id)).find((e: { action: string }) => e.action === 'created');
    assert.equal(made.actor.id, agency.principal.userId);
    assert.deepEqual(made.data, { role: 'unit_officer', bodyId: ids.pupr, invited: true });
  });

  test('needs an email for the link; with a password it gets none', async () => {
    const phoneOnly = await t.request('POST', '/api/v1/users', {
      token: national.token,
      json: { name: 'Tanpa Email', phone: '081234500001', role: 'monitor' },
    });
    assert.equal(phoneOnly.status, 400, phoneOnly.text);
    assert.ok(phoneOnly.body.error.fields.email);
    const withPassword = await create(national, { role: 'monitor', password: 'kata-sandi-panjang' });
    assert.equal(withPassword.status, 201);
    assert.equal(withPassword.body.invitation, null);
  });
});

describe('changing an account’s role or body', () => {
  test('an agency admin moves an officer to another unit: sessions end, the change is an event', async () => {
    const officer = await t.user('unit_officer', `${PONTIANAK}/dinas-pupr`);
    assert.equal((await t.request('GET', '/api/v1/me', { token: officer.token })).status, 200);
    const res = await changeRole(agency, officer.principal.userId, { role: 'unit_officer', bodyId: ids.dinkes });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.before.bodyId, ids.pupr);
    assert.equal(res.body.after.bodyId, ids.dinkes);
    assert.equal(res.body.after.bodyName, 'Dinas Kesehatan');
    assert.equal(res.body.sessionsEnded, 1);
    assert.equal((await t.request('GET', '/api/v1/me', { token: officer.token })).status, 401, 'signed out');
    const [event] = await events(agency, officer.principal.userId);
    assert.equal(event.action, 'role_changed');
    assert.deepEqual(event.data, {
      from: { role: 'unit_officer', bodyId: ids.pupr },
      to: { role: 'unit_officer', bodyId: ids.dinkes },
      sessions: 1,
    });
    // and makes it the body's admin
    const promoted = await changeRole(agency, officer.principal.userId, { role: 'agency_admin', bodyId: ids.pontianak });
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.body.after.role, 'agency_admin');
  });

  test('nobody changes their own role; nothing that is not theirs to give; nothing out of scope', async () => {
    const officer = await t.user('unit_officer', `${PONTIANAK}/dinas-pupr`);
    const metroOfficer = await t.user('unit_officer', 'pemkot-18.72/dinas-pupr');
    const cases: [TestUser, number, Record<string, unknown>, number][] = [
      [agency, agency.principal.userId, { role: 'agency_admin', bodyId: ids.metro }, 403],
      [agency, agency.principal.userId, { role: 'national_admin' }, 403],
      [national, national.principal.userId, { role: 'monitor' }, 403],
      [agency, officer.principal.userId, { role: 'national_admin' }, 403],
      [agency, officer.principal.userId, { role: 'monitor' }, 403],
      [agency, officer.principal.userId, { role: 'agency_admin', bodyId: ids.metro }, 403],
      [agency, officer.principal.userId, { role: 'unit_officer', bodyId: ids.metroPupr }, 403],
      [agency, metroOfficer.principal.userId, { role: 'unit_officer', bodyId: ids.pupr }, 404],
      [metroAgency, officer.principal.userId, { role: 'unit_officer', bodyId: ids.metroPupr }, 404],
      [agency, 999_999, { role: 'unit_officer', bodyId: ids.pupr }, 404],
      [national, citizen.principal.userId, { role: 'monitor' }, 409],
      [national, officer.principal.userId, { role: 'unit_officer', bodyId: ids.pupr }, 400],
      [national, officer.principal.userId, { role: 'agency_admin', bodyId: ids.pupr }, 400],
      [national, officer.principal.userId, { role: 'unit_officer' }, 400],
      [national, officer.principal.userId, { role: 'monitor', bodyId: ids.pupr }, 400],
      [national, officer.principal.userId, { role: 'reporter' }, 400],
      [national, officer.principal.userId, { role: 'raja' }, 400],
    ];
    for (const [actor, id, json, status] of cases) {
      const res = await changeRole(actor, id, json);
      assert.equal(res.status, status, `${actor.principal.role} → ${id} ${JSON.stringify(json)}: ${res.text}`);
    }
    const [row] = await t.deps.db.query<{ role: string; body_id: number }>('SELECT role, body_id FROM users WHERE id = $1', [
      officer.principal.userId,
    ]);
    assert.deepEqual(row, { role: 'unit_officer', body_id: ids.pupr });
    assert.equal((await t.request('GET', '/api/v1/me', { token: officer.token })).status, 200, 'still signed in');
    assert.equal((await t.request('GET', '/api/v1/me', { token: agency.token })).body.role, 'agency_admin');
  });

  test('a national admin makes a monitor an ombudsman officer at a provincial office', async () => {
    const monitor = await t.user('monitor');
    const office = await t.bodyId('ombudsman-61');
    const res = await changeRole(national, monitor.principal.userId, { role: 'ombudsman', bodyId: office });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.after.role, 'ombudsman');
  });

  test('garbage: bad ids, unknown fields, huge strings → 400, never 500', async () => {
    const officer = await t.user('unit_officer', `${PONTIANAK}/dinas-pupr`);
    for (const res of [
      await t.request('POST', '/api/v1/users/abc/role', { token: national.token, json: { role: 'monitor' } }),
      await changeRole(national, officer.principal.userId, {}),
      await changeRole(national, officer.principal.userId, { role: 'monitor', extra: 1 }),
      await changeRole(national, officer.principal.userId, { role: 'x'.repeat(50_000) }),
      await changeRole(national, officer.principal.userId, { role: 'unit_officer', bodyId: 'pupr' }),
      await changeRole(national, officer.principal.userId, { role: 'unit_officer', bodyId: -4 }),
    ]) {
      assert.ok(res.status === 400 || res.status === 413, `${res.status}: ${res.text.slice(0, 200)}`);
    }
    assert.equal((await changeRole(citizen, officer.principal.userId, { role: 'monitor' })).status, 403);
  });
});
