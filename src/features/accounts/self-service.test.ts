/**
 * What account holders and admins expect (issue 8, section 1): one-time codes, password change and
 * reset, sign out everywhere, profile edits, admin list / disable / enable in scope, and no
 * caching of anything that carries a token.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { type Response, type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { SmtpTransport } from '../notifications/email.ts';
import { pruneAccountSecurity } from './accounts.service.ts';

const PASSWORD = 'kata-sandi-uji-123';
const NEW_PASSWORD = 'kata-sandi-baru-456';

let t: TestApp;
let national: TestUser;
let agency: TestUser;
let otherAgency: TestUser;
let clock = Date.parse('2026-11-24T03:00:00Z');
function advance(seconds: number): void {
  clock += seconds * 1000;
  t.setNow(new Date(clock));
}

before(async () => {
  t = await startTestApp({ trustProxy: true, accountMailMaxPerWindow: 3, loginMaxAttempts: 10, registerMaxPerAddress: 1000 });
  t.setNow(new Date(clock));
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  otherAgency = await t.user('agency_admin', 'pemkot-18.72');
});
after(() => t.close());

let seq = 0;
let addressSeq = 0;
const newAddress = () => `203.0.113.${++addressSeq % 250}`;
const uniqueEmail = () => `pemilik.${++seq}.${process.pid}@akun.test`;

async function account(extra: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const res = await t.request('POST', '/api/v1/auth/register', { json: { name: 'Siti Aminah', email, password: PASSWORD, ...extra } });
  assert.equal(res.status, 201, res.text);
  return { email, id: res.body.user.id as number, token: res.body.token as string };
}
const post = (url: string, json: unknown, options: { token?: string; headers?: Record<string, string> } = {}) =>
  t.request('POST', url, { json, ...options, headers: { 'x-forwarded-for': newAddress(), ...options.headers } });
const login = (loginValue: string, password = PASSWORD) => post('/api/v1/auth/login', { login: loginValue, password });
const me = (token: string) => t.request('GET', '/api/v1/me', { token });

async function outboxOf(userId: number, template: string) {
  return t.deps.db.query<{ id: number; payload: Record<string, any>; status: string; recipient_address: string }>(
    'SELECT id, payload, status, recipient_address FROM outbox WHERE recipient_user_id = $1 AND template = $2 ORDER BY id',
    [userId, template],
  );
}
async function lastSecret(userId: number, template: string): Promise<Record<string, string>> {
  const rows = await outboxOf(userId, template);
  assert.ok(rows.length > 0, `a ${template} message was queued`);
  return rows.at(-1)!.payload.secret;
}

function assertNoStore(res: Response, what: string) {
  assert.equal(res.headers.get('cache-control'), 'no-store', what);
  assert.equal(res.headers.get('pragma'), 'no-cache', what);
}

describe('one-time sign-in codes', () => {
  test('the request answers the same whether or not the account exists; only a real account gets a message', async () => {
    const owner = await account();
    const before = (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox'))[0]!.n;
    const known = await post('/api/v1/auth/code', { login: owner.email });
    const unknown = await post('/api/v1/auth/code', { login: `tidak.ada.${process.pid}@akun.test` });
    for (const res of [known, unknown]) {
      assert.equal(res.status, 202, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['challenge', 'expiresAt']);
      assert.match(res.body.challenge, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(res.body.expiresAt, new Date(clock + t.deps.config.signInCodeTtlSeconds * 1000).toISOString());
    }
    const after = (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox'))[0]!.n;
    assert.equal(after - before, 1, 'one email, to the real account');
    const [row] = await outboxOf(owner.id, 'account.sign_in_code');
    assert.equal(row!.recipient_address, owner.email);
    // the code is not stored in the clear, nor the challenge
    const stored = await t.deps.db.query<{ challenge_hash: Buffer; code_hash: Buffer }>(
      'SELECT challenge_hash, code_hash FROM sign_in_codes WHERE user_id = $1',
      [owner.id],
    );
    assert.equal(stored.length, 1);
    assert.ok(!Buffer.from(stored[0]!.code_hash).toString('latin1').includes(row!.payload.secret.code));
  });

  test('a code works once, for the challenge it was sent with, and not after it expires', async () => {
    const owner = await account();
    const a = await post('/api/v1/auth/code', { login: owner.email });
    const codeA = (await lastSecret(owner.id, 'account.sign_in_code')).code!;
    const b = await post('/api/v1/auth/code', { login: owner.email });
    const codeB = (await lastSecret(owner.id, 'account.sign_in_code')).code!;
    if (codeA !== codeB) {
      assert.equal(
        (await post('/api/v1/auth/code/login', { challenge: b.body.challenge, code: codeA })).status,
        401,
        'another challenge’s code',
      );
    }
    const first = await post('/api/v1/auth/code/session', { challenge: a.body.challenge, code: codeA });
    assert.equal(first.status, 200, first.text);
    assert.match(first.headers.get('set-cookie') ?? '', /^lapor_session=[A-Za-z0-9_-]{20,};.*HttpOnly/i);
    assertNoStore(first, 'code session');
    const again = await post('/api/v1/auth/code/login', { challenge: a.body.challenge, code: codeA });
    assert.equal(again.status, 401, 'single use');
    assert.equal(again.body.error.code, 'invalid_credentials');
    // signing in used up every live code of the account
    assert.equal((await post('/api/v1/auth/code/login', { challenge: b.body.challenge, code: codeB })).status, 401);

    const c = await post('/api/v1/auth/code', { login: owner.email });
    const codeC = (await lastSecret(owner.id, 'account.sign_in_code')).code!;
    advance(t.deps.config.signInCodeTtlSeconds);
    assert.equal((await post('/api/v1/auth/code/login', { challenge: c.body.challenge, code: codeC })).status, 401, 'expired');
  });

  test(`a code allows ${5} guesses; then even the right one is refused`, async () => {
    const owner = await account();
    const asked = await post('/api/v1/auth/code', { login: owner.email });
    const code = (await lastSecret(owner.id, 'account.sign_in_code')).code!;
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: 12 }, () => post('/api/v1/auth/code/login', { challenge: asked.body.challenge, code: wrong })),
    );
    assert.ok(guesses.every((r) => r.status === 401));
    const [{ attempts }] = (await t.deps.db.query<{ attempts: number }>('SELECT attempts FROM sign_in_codes WHERE user_id = $1', [
      owner.id,
    ])) as [{ attempts: number }];
    assert.equal(attempts, t.deps.config.signInCodeMaxAttempts, 'guesses past the limit are not even compared');
    assert.equal((await post('/api/v1/auth/code/login', { challenge: asked.body.challenge, code })).status, 401);
  });

  test('an inbox cannot be flooded: past the per-account limit the answer stays 202, and nothing more is sent', async () => {
    const owner = await account();
    const results = await Promise.all(Array.from({ length: 6 }, () => post('/api/v1/auth/code', { login: owner.email })));
    assert.ok(results.every((r) => r.status === 202));
    assert.equal((await outboxOf(owner.id, 'account.sign_in_code')).length, t.deps.config.accountMailMaxPerWindow);
    // one address asking too often is told so: that says nothing about any account
    const address = newAddress();
    const many = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        post('/api/v1/auth/code', { login: `x${i}@akun.test` }, { headers: { 'x-forwarded-for': address } }),
      ),
    );
    assert.equal(many.filter((r) => r.status === 202).length, t.deps.config.loginMaxAttempts);
    assert.ok(Number(many.find((r) => r.status === 429)!.headers.get('retry-after')) > 0);
  });

  test('a disabled account gets no code, and a code sent before cannot sign it in', async () => {
    const owner = await account();
    const asked = await post('/api/v1/auth/code', { login: owner.email });
    const code = (await lastSecret(owner.id, 'account.sign_in_code')).code!;
    assert.equal((await post(`/api/v1/users/${owner.id}/disable`, {}, { token: national.token })).status, 200);
    assert.equal((await post('/api/v1/auth/code/login', { challenge: asked.body.challenge, code })).status, 401);
    assert.equal((await post('/api/v1/auth/code', { login: owner.email })).status, 202);
    assert.equal((await outboxOf(owner.id, 'account.sign_in_code')).length, 1);
  });

  test('the code is emailed (Bahasa Indonesia first) and leaves the outbox row once delivered', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const transport = new SmtpTransport({
      url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
      from: 'LAPOR! <noreply@lapor.go.id>',
    });
    try {
      const owner = await account();
      const asked = await post('/api/v1/auth/code', { login: owner.email });
      const code = (await lastSecret(owner.id, 'account.sign_in_code')).code!;
      await dispatchOutbox({ db: t.deps.db, now: () => new Date(clock), email: transport });
      const mail = received.find((m) => m.includes(owner.email));
      assert.ok(mail, 'the email arrived');
      assert.ok(mail.includes(code), 'with the code');
      assert.match(mail, /Kode masuk/);
      const [row] = await outboxOf(owner.id, 'account.sign_in_code');
      assert.equal(row!.status, 'sent');
      assert.equal(row!.payload.secret, undefined, 'no code left in the outbox');
      assert.ok(!JSON.stringify(row!.payload).includes(code));
      const res = await post('/api/v1/auth/code/login', { challenge: asked.body.challenge, code });
      assert.equal(res.status, 200, res.text);
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('password reset by email', () => {
  test('202 whether or not the account exists; the link sets a new password once and ends every session', async () => {
    const owner = await account();
    const second = (await login(owner.email)).body.token;
    const cookie = (await post('/api/v1/auth/session', { login: owner.email, password: PASSWORD })).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const unknown = await post('/api/v1/auth/password-reset', { login: `tidak.ada.${process.pid}@akun.test` });
    const known = await post('/api/v1/auth/password-reset', { login: owner.email });
    for (const res of [known, unknown]) {
      assert.equal(res.status, 202, res.text);
      assert.equal(res.text, '');
    }
    const { token } = await lastSecret(owner.id, 'account.password_reset');
    assert.match(token!, /^[A-Za-z0-9_-]{43}$/);

    const short = await post('/api/v1/auth/password-reset/complete', { token, password: 'pendek' });
    assert.equal(short.status, 400);
    assert.match(short.body.error.fields.password, /8/);
    const done = await post('/api/v1/auth/password-reset/complete', { token, password: NEW_PASSWORD });
    assert.equal(done.status, 204, done.text);
    assert.equal((await outboxOf(owner.id, 'account.password_changed'))[0]!.payload.how, 'reset');
    for (const tok of [owner.token, second]) assert.equal((await me(tok)).status, 401, 'bearer tokens revoked');
    assert.equal((await t.request('GET', '/api/v1/me', { headers: { cookie } })).status, 401, 'cookie session ended');
    assert.equal((await login(owner.email)).status, 401, 'the old password is gone');
    assert.equal((await login(owner.email, NEW_PASSWORD)).status, 200);
    const reused = await post('/api/v1/auth/password-reset/complete', { token, password: 'lagi-kata-sandi-789' });
    assert.equal(reused.status, 400, 'single use');
    assert.ok(reused.body.error.fields.token);
  });

  test('a reset link expires', async () => {
    const owner = await account();
    await post('/api/v1/auth/password-reset', { login: owner.email });
    const { token } = await lastSecret(owner.id, 'account.password_reset');
    advance(t.deps.config.passwordResetTtlSeconds + 1);
    assert.equal((await post('/api/v1/auth/password-reset/complete', { token, password: NEW_PASSWORD })).status, 400);
    assert.equal((await login(owner.email)).status, 200, 'the password is unchanged');
  });
});

describe('the signed-in account', () => {
  test('change password: the current one is required; every other session ends, this one stays', async () => {
    const owner = await account();
    const other = (await login(owner.email)).body.token;
    const wrong = await post(
      '/api/v1/me/password',
      { currentPassword: 'bukan-ini-123', newPassword: NEW_PASSWORD },
      { token: owner.token },
    );
    assert.equal(wrong.status, 400, wrong.text);
    assert.ok(wrong.body.error.fields.currentPassword);
    const ok = await post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, { token: owner.token });
    assert.equal(ok.status, 204, ok.text);
    assert.equal((await me(owner.token)).status, 200, 'this session stays');
    assert.equal((await me(other)).status, 401, 'the other session ended');
    assert.equal((await login(owner.email)).status, 401);
    assert.equal((await login(owner.email, NEW_PASSWORD)).status, 200);
    // the owner is told, by email and in-app, without the password in it
    const told = await outboxOf(owner.id, 'account.password_changed');
    assert.deepEqual(told.map((r) => r.recipient_address).sort(), [owner.email, null].sort());
    assert.ok(!JSON.stringify(told).includes(NEW_PASSWORD));
  });

  test('change password from a cookie session keeps that cookie and ends the bearer tokens', async () => {
    const owner = await account();
    const cookie = (await post('/api/v1/auth/session', { login: owner.email, password: PASSWORD })).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const res = await post(
      '/api/v1/me/password',
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      { headers: { cookie, origin: 'http://localhost' } },
    );
    assert.equal(res.status, 204, res.text);
    assert.equal((await t.request('GET', '/api/v1/me', { headers: { cookie } })).status, 200);
    assert.equal((await me(owner.token)).status, 401);
  });

  test('guessing the current password through a stolen session is slowed like a sign-in', async () => {
    const owner = await account();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post('/api/v1/me/password', { currentPassword: `tebak-${i}-xx`, newPassword: NEW_PASSWORD }, { token: owner.token }),
      ),
    );
    assert.ok(results.filter((r) => r.status === 400).length <= t.deps.config.loginFreeAttempts);
    assert.ok(results.some((r) => r.status === 429));
  });

  test('sign out everywhere ends every session of the account, and only of that account', async () => {
    const owner = await account();
    const other = (await login(owner.email)).body.token;
    const bystander = await account();
    const res = await post('/api/v1/auth/logout-all', {}, { token: owner.token });
    assert.equal(res.status, 204, res.text);
    assertNoStore(res, 'logout-all');
    for (const tok of [owner.token, other]) assert.equal((await me(tok)).status, 401);
    assert.equal((await me(bystander.token)).status, 200);
  });

  test('edit the profile: the name freely; the email or phone only with the current password', async () => {
    const owner = await account();
    const patch = (json: unknown) => t.request('PATCH', '/api/v1/me', { token: owner.token, json });
    const named = await patch({ name: '  Siti Rahma  ' });
    assert.equal(named.status, 200, named.text);
    assert.equal(named.body.name, 'Siti Rahma');
    assertNoStore(named, 'PATCH /me');

    const newEmail = uniqueEmail();
    const without = await patch({ email: newEmail });
    assert.equal(without.status, 400);
    assert.ok(without.body.error.fields.currentPassword);
    const wrong = await patch({ email: newEmail, currentPassword: 'salah-sandi-1' });
    assert.equal(wrong.status, 400);
    assert.ok(wrong.body.error.fields.currentPassword);
    const changed = await patch({ email: newEmail.toUpperCase(), phone: '0812 3333 4444', currentPassword: PASSWORD });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.email, newEmail);
    assert.equal(changed.body.phone, '+6281233334444');
    assert.equal((await login('081233334444')).status, 200);
    // the old address hears of it: a hijacker who changes the email is still seen
    const told = await outboxOf(owner.id, 'account.contact_changed');
    assert.ok(
      told.some((r) => r.recipient_address === owner.email),
      'sent to the address the account had',
    );
    assert.deepEqual(told[0]!.payload.fields, ['email', 'phone']);

    const taken = await patch({ email: national.email, currentPassword: PASSWORD });
    assert.equal(taken.status, 409);
    assert.ok(taken.body.error.fields.email);
    const none = await patch({ email: null, phone: null, currentPassword: PASSWORD });
    assert.equal(none.status, 400);
    const tooLong = await patch({ name: 'x'.repeat(121) });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error.fields.name, /Paling banyak 120 karakter \/ At most 120 characters/);
    const unknown = await patch({ nama: 'Budi' });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.body.error.fields), /nama/);
    const role = await patch({ role: 'national_admin' });
    assert.equal(role.status, 400, 'no promoting oneself');
    assert.equal((await me(owner.token)).body.role, 'reporter');
  });
});

describe('admins: list, disable and re-enable the accounts in their scope', () => {
  test('a national admin lists every account, paged and searchable', async () => {
    const a = await account({ name: 'Wayan Pencarian Unik' });
    const list = await t.request('GET', '/api/v1/users?q=pencarian%20unik', { token: national.token });
    assert.equal(list.status, 200, list.text);
    assertNoStore(list, 'GET /users');
    assert.deepEqual(
      list.body.items.map((u: { id: number }) => u.id),
      [a.id],
    );
    assert.equal(list.body.items[0].disabledAt, null);
    assert.ok(!list.text.includes('argon2'));
    const paged = await t.request('GET', '/api/v1/users?pageSize=2&page=2', { token: national.token });
    assert.equal(paged.body.items.length, 2);
    assert.ok(paged.body.total >= 5);
    const staff = await t.request('GET', '/api/v1/users?role=agency_admin', { token: national.token });
    assert.ok(staff.body.items.every((u: { role: string }) => u.role === 'agency_admin'));
    assert.ok(staff.body.items.some((u: { id: number }) => u.id === otherAgency.principal.userId));
    const bad = await t.request('GET', '/api/v1/users?page=0&bogus=1', { token: national.token });
    assert.equal(bad.status, 400);
  });

  test('an agency admin sees and manages only its body and the units below it', async () => {
    const officer = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
    const elsewhere = await t.user('unit_officer', 'pemkot-18.72/dinas-pupr');
    const citizen = await account();
    const list = await t.request('GET', '/api/v1/users?pageSize=100', { token: agency.token });
    assert.equal(list.status, 200, list.text);
    const ids = list.body.items.map((u: { id: number }) => u.id);
    assert.ok(ids.includes(officer.principal.userId));
    assert.ok(ids.includes(agency.principal.userId));
    for (const hidden of [elsewhere.principal.userId, otherAgency.principal.userId, citizen.id, national.principal.userId]) {
      assert.ok(!ids.includes(hidden), `account ${hidden} is not in the agency's scope`);
    }
    for (const target of [elsewhere.principal.userId, citizen.id, national.principal.userId]) {
      const res = await post(`/api/v1/users/${target}/disable`, {}, { token: agency.token });
      assert.equal(res.status, 404, res.text);
    }
    assert.equal((await me(elsewhere.token)).status, 200, 'untouched');
    assert.equal((await t.request('GET', `/api/v1/users/${elsewhere.principal.userId}/events`, { token: agency.token })).status, 404);

    const disabled = await post(`/api/v1/users/${officer.principal.userId}/disable`, {}, { token: agency.token });
    assert.equal(disabled.status, 200, disabled.text);
    assert.ok(disabled.body.disabledAt);
    assert.equal((await me(officer.token)).status, 401, 'its sessions ended');
    assert.equal((await login(officer.email)).status, 401, 'it cannot sign in');
    const enabled = await post(`/api/v1/users/${officer.principal.userId}/enable`, {}, { token: agency.token });
    assert.equal(enabled.status, 200, enabled.text);
    assert.equal(enabled.body.disabledAt, null);
    assert.equal((await login(officer.email)).status, 200);

    const events = await t.request('GET', `/api/v1/users/${officer.principal.userId}/events`, { token: agency.token });
    assert.equal(events.status, 200, events.text);
    assert.deepEqual(
      events.body.map((e: { action: string }) => e.action),
      ['enabled', 'disabled'],
    );
    assert.equal(events.body[1].actor.id, agency.principal.userId);
    assert.equal(events.body[1].data.sessions, 1);
  });

  test('nobody disables themselves; reporters and officers manage no accounts', async () => {
    for (const admin of [national, agency]) {
      const res = await post(`/api/v1/users/${admin.principal.userId}/disable`, {}, { token: admin.token });
      assert.equal(res.status, 403, res.text);
    }
    const citizen = await account();
    const officer = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
    for (const token of [citizen.token, officer.token]) {
      assert.equal((await t.request('GET', '/api/v1/users', { token })).status, 403);
      assert.equal((await post(`/api/v1/users/${agency.principal.userId}/disable`, {}, { token })).status, 403);
    }
    assert.equal((await t.request('GET', '/api/v1/users')).status, 401);
  });

  test('a national admin disables a reporter; the audit trail is append-only', async () => {
    const citizen = await account();
    assert.equal((await post(`/api/v1/users/${citizen.id}/disable`, {}, { token: national.token })).status, 200);
    assert.equal((await me(citizen.token)).status, 401);
    await assert.rejects(t.deps.db.query(`UPDATE account_events SET action = 'enabled' WHERE user_id = $1`, [citizen.id]), /append-only/);
  });
});

describe('login CSRF', () => {
  test('a cookie sign-in takes JSON only, which a foreign page cannot send without a preflight', async () => {
    const owner = await account();
    for (const [url, body] of [
      ['/api/v1/auth/session', { login: owner.email, password: PASSWORD }],
      ['/api/v1/auth/code/session', { challenge: 'x'.repeat(43), code: '123456' }],
    ] as const) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await t.request('POST', url, { raw: JSON.stringify(body), headers: { 'content-type': type } });
        assert.equal(res.status, 415, `${url} ${type}: ${res.text}`);
        assert.equal(res.headers.get('set-cookie'), null);
      }
    }
  });
});

describe('Cache-Control: no-store on everything that carries a token or a session', () => {
  test('sign-in, registration, the account and sign-out', async () => {
    const owner = await account();
    const responses: [string, Response][] = [
      ['register', await t.request('POST', '/api/v1/auth/register', { json: { name: 'Ani', email: uniqueEmail(), password: PASSWORD } })],
      ['login', await login(owner.email)],
      ['session', await post('/api/v1/auth/session', { login: owner.email, password: PASSWORD })],
      ['failed login', await login(owner.email, 'salah-salah')],
      ['me', await me(owner.token)],
      ['logout', await post('/api/v1/auth/logout', {}, { token: (await login(owner.email)).body.token })],
    ];
    for (const [what, res] of responses) {
      assert.ok(res.status < 500, `${what}: ${res.text}`);
      assertNoStore(res, what);
    }
  });
});

describe('clean-up', () => {
  test('the hourly prune drops finished counters, old codes, old reset tokens and expired sessions, and nothing live', async () => {
    const owner = await account();
    await login(owner.email, 'salah-salah');
    await post('/api/v1/auth/code', { login: owner.email });
    await post('/api/v1/auth/password-reset', { login: owner.email });
    const count = async () =>
      (
        await t.deps.db.query<{ c: number; s: number; r: number }>(
          `SELECT (SELECT count(*)::int FROM auth_throttle WHERE key = $2) AS c,
                  (SELECT count(*)::int FROM sign_in_codes WHERE user_id = $1) AS s,
                  (SELECT count(*)::int FROM password_resets WHERE user_id = $1) AS r`,
          [owner.id, `acct:${owner.id}`],
        )
      )[0]!;
    await pruneAccountSecurity(t.deps.db, t.deps.config, new Date(clock));
    assert.deepEqual(await count(), { c: 1, s: 1, r: 1 }, 'live rows stay');
    assert.equal((await me(owner.token)).status, 200);
    const later = new Date(clock + 2 * 86_400_000);
    await pruneAccountSecurity(t.deps.db, t.deps.config, later);
    assert.deepEqual(await count(), { c: 0, s: 0, r: 0 });
    const sessions = await t.deps.db.query('SELECT 1 FROM sessions WHERE expires_at < $1', [later]);
    assert.equal(sessions.length, 0);
  });
});

test('every accounts endpoint is in the OpenAPI document, with strict request schemas', async () => {
  const doc = (await t.request('GET', '/openapi.json')).body;
  for (const [path, method] of [
    ['/api/v1/auth/code', 'post'],
    ['/api/v1/auth/code/login', 'post'],
    ['/api/v1/auth/code/session', 'post'],
    ['/api/v1/auth/password-reset', 'post'],
    ['/api/v1/auth/password-reset/complete', 'post'],
    ['/api/v1/auth/logout-all', 'post'],
    ['/api/v1/me', 'patch'],
    ['/api/v1/me/password', 'post'],
    ['/api/v1/users', 'get'],
    ['/api/v1/users/{id}/disable', 'post'],
    ['/api/v1/users/{id}/enable', 'post'],
    ['/api/v1/users/{id}/events', 'get'],
  ]) {
    assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
  }
  assert.ok(doc.paths['/api/v1/auth/login'].post.responses['429']);
  for (const name of ['LoginRequest', 'RegisterRequest', 'ProfileUpdate', 'ChangePasswordRequest', 'SignInCodeLogin']) {
    assert.equal(doc.components.schemas[name].additionalProperties, false, `${name} refuses unknown fields`);
  }
});
