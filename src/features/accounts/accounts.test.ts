import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { describeOn } from '../../../test/support/engine.ts';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const LOGIN_MAX_ATTEMPTS = 3;
const PASSWORD = 'kata-sandi-uji-123';

let t: TestApp;
let national: TestUser;
let agency: TestUser;
let citizen: TestUser;
let unit: TestUser;
const ids = { pontianak: 0, metro: 0, pupr: 0, binaMarga: 0, metroPupr: 0 };

// Tests sign in from one (in-process) client address, which the sign-in throttle counts as one
// client; each test starts in a fresh throttle window so failures in one cannot block the next.
let clock = Date.parse('2026-11-24T03:00:00Z');
function advance(seconds: number): void {
  clock += seconds * 1000;
  t.setNow(new Date(clock));
}

before(async () => {
  t = await startTestApp({ loginMaxAttempts: LOGIN_MAX_ATTEMPTS });
  t.setNow(new Date(clock));
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  citizen = await t.user('reporter');
  ids.pontianak = await t.bodyId('pemkot-61.71');
  ids.metro = await t.bodyId('pemkot-18.72');
  ids.pupr = await t.bodyId('pemkot-61.71/dinas-pupr');
  ids.binaMarga = await t.bodyId('pemkot-61.71/dinas-pupr/bina-marga');
  ids.metroPupr = await t.bodyId('pemkot-18.72/dinas-pupr');
});
after(() => t.close());
beforeEach(() => {
  if (t) advance(t.deps.config.loginWindowSeconds + 1);
});

let seq = 0;
const uniqueEmail = () => `warga.${++seq}.${process.pid}@akun.test`;

function register(json: Record<string, unknown>) {
  return t.request('POST', '/api/v1/auth/register', { json: { name: 'Budi Santoso', password: PASSWORD, ...json } });
}
function login(loginValue: string, password = PASSWORD) {
  return t.request('POST', '/api/v1/auth/login', { json: { login: loginValue, password } });
}

/** No response about an account may carry its password or its hash. */
function assertNoSecrets(text: string) {
  assert.doesNotMatch(text, /argon2|password_hash|passwordHash|"password"/i);
  assert.ok(!text.includes(PASSWORD));
}

describe('register', () => {
  test('201 with a token that works on GET /api/v1/me', async () => {
    const email = uniqueEmail();
    const res = await register({ email });
    assert.equal(res.status, 201, res.text);
    assertNoSecrets(res.text);
    assert.equal(res.body.user.role, 'reporter');
    assert.equal(res.body.user.email, email);
    assert.equal(res.body.user.bodyId, null);
    assert.equal(typeof res.body.token, 'string');
    const me = await t.request('GET', '/api/v1/me', { token: res.body.token });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.body, res.body.user);
    assertNoSecrets(me.text);
    // and the account can file a report with it
    const filed = await t.request('POST', '/api/v1/reports', { token: res.body.token, json: reportInput() });
    assert.equal(filed.status, 201, filed.text);
  });

  test('the email is stored in lower case; a duplicate in any case → 409 naming email', async () => {
    const email = uniqueEmail();
    assert.equal((await register({ email: email.toUpperCase() })).body.user.email, email);
    for (const again of [email, email.toUpperCase()]) {
      const dup = await register({ email: again, name: 'Orang Lain' });
      assert.equal(dup.status, 409, `${again}: ${dup.text}`);
      assert.equal(dup.body.error.code, 'conflict');
      assert.ok(dup.body.error.fields.email);
    }
  });

  test('phone numbers are normalised: 0812… and +62812… are the same account', async () => {
    const res = await register({ phone: '0812-5550-1234' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.user.phone, '+6281255501234');
    assert.equal(res.body.user.email, null);
    for (const phone of ['+6281255501234', '62 812 5550 1234', '081255501234']) {
      const dup = await register({ phone });
      assert.equal(dup.status, 409, `${phone}: ${dup.text}`);
      assert.equal(dup.body.error.code, 'conflict');
      assert.ok(dup.body.error.fields.phone, dup.text);
    }
  });

  test('neither email nor phone → 400 naming both', async () => {
    for (const json of [{}, { email: null, phone: null }, { phone: '   ' }]) {
      const res = await register(json);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.ok(res.body.error.fields.email && res.body.error.fields.phone, res.text);
    }
  });

  test('a short password, a bad email, a bad phone, a missing name → 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ email: uniqueEmail(), password: 'pendek' }, 'password'],
      [{ email: uniqueEmail(), password: '' }, 'password'],
      [{ email: uniqueEmail(), password: undefined }, 'password'],
      [{ email: 'bukan-email' }, 'email'],
      [{ phone: '12345' }, 'phone'],
      [{ phone: '+1 202 555 0100' }, 'phone'],
      [{ email: uniqueEmail(), name: '' }, 'name'],
      [{ email: uniqueEmail(), name: '   ' }, 'name'],
    ];
    for (const [json, field] of cases) {
      const res = await register(json);
      assert.equal(res.status, 400, `${JSON.stringify(json)}: ${res.text}`);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.ok(res.body.error.fields[field], `${field}: ${res.text}`);
    }
    const [{ n }] = (await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email = 'bukan-email'`)) as [
      { n: number },
    ];
    assert.equal(n, 0);
  });

  test('the password is stored as a salted argon2id PHC string, and never returned', async () => {
    const a = await register({ email: uniqueEmail() });
    const b = await register({ email: uniqueEmail() });
    const rows = await t.deps.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[a.body.user.id, b.body.user.id]],
    );
    assert.equal(rows.length, 2);
    for (const { password_hash } of rows) {
      assert.match(password_hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      assert.ok(!password_hash.includes(PASSWORD));
      const m = /m=(\d+),t=(\d+)/.exec(password_hash)!;
      assert.ok(Number(m[1]) >= 19_456 && Number(m[2]) >= 2, 'at least OWASP’s argon2id minimum');
    }
    assert.notEqual(rows[0]!.password_hash, rows[1]!.password_hash, 'same password, different salt');
    const sessions = await t.deps.db.query<{ token_hash: Buffer }>('SELECT token_hash FROM sessions');
    assert.ok(
      sessions.every((s) => !Buffer.from(s.token_hash).toString('utf8').includes(a.body.token)),
      'tokens are stored hashed',
    );
  });
});

describe('login', () => {
  test('by email (any case) and by phone (any format) → a token', async () => {
    const email = uniqueEmail();
    await register({ email, phone: '0813-7000-1111' });
    for (const loginValue of [email, email.toUpperCase(), '081370001111', '+62 813-7000-1111', '6281370001111']) {
      const res = await login(loginValue);
      assert.equal(res.status, 200, `${loginValue}: ${res.text}`);
      assertNoSecrets(res.text);
      assert.equal(res.body.user.email, email);
      assert.equal(new Date(res.body.expiresAt).getTime(), clock + t.deps.config.sessionTtlHours * 3_600_000);
      const me = await t.request('GET', '/api/v1/me', { token: res.body.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.email, email);
    }
  });

  test('a wrong password, or an unknown login → 401 invalid_credentials with the same message', async () => {
    const email = uniqueEmail();
    await register({ email });
    const wrong = await login(email, 'salah-sandi-123');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'invalid_credentials');
    assert.equal(wrong.body.token, undefined);
    const unknown = await login('tidak.ada@akun.test', PASSWORD);
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, 'invalid_credentials');
    assert.equal(unknown.body.error.message, wrong.body.error.message, 'no hint that the account exists');
  });

  test('a session expires after its time to live', async () => {
    const email = uniqueEmail();
    await register({ email });
    const { body } = await login(email);
    const signedInAt = clock;
    try {
      advance(t.deps.config.sessionTtlHours * 3600 - 60);
      assert.equal((await t.request('GET', '/api/v1/me', { token: body.token })).status, 200);
      advance(120);
      assert.equal((await t.request('GET', '/api/v1/me', { token: body.token })).status, 401);
    } finally {
      // back to the sign-in time, so the accounts made in before() stay valid for the other tests
      clock = signedInAt;
      t.setNow(new Date(clock));
    }
  });

  test(`after ${LOGIN_MAX_ATTEMPTS} failures even the right password gets 429 with Retry-After, until the window passes`, async () => {
    const email = uniqueEmail();
    await register({ email });
    for (let i = 0; i < LOGIN_MAX_ATTEMPTS; i++) assert.equal((await login(email, 'salah-sandi-123')).status, 401);
    const blocked = await login(email);
    assert.equal(blocked.status, 429, blocked.text);
    assert.equal(blocked.body.error.code, 'too_many_attempts');
    assert.equal(blocked.body.token, undefined);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, `Retry-After: ${blocked.headers.get('retry-after')}`);
    // the cookie sign-in is throttled the same way
    assert.equal((await t.request('POST', '/api/v1/auth/session', { json: { login: email, password: PASSWORD } })).status, 429);
    advance(t.deps.config.loginWindowSeconds + 1);
    const again = await login(email);
    assert.equal(again.status, 200, again.text);
  });

  // Retry-After is when the refusing limit opens again (the end of the address-and-account window
  // here), so a client that obeys it is not refused again.
  test('a client that waits as long as Retry-After says may sign in again', async () => {
    const email = uniqueEmail();
    await register({ email });
    for (let i = 0; i < LOGIN_MAX_ATTEMPTS; i++) await login(email, 'salah-sandi-123');
    const blocked = await login(email);
    assert.equal(blocked.status, 429);
    advance(Number(blocked.headers.get('retry-after')) + 1);
    const retried = await login(email);
    assert.equal(retried.status, 200, `still refused after waiting Retry-After (${blocked.headers.get('retry-after')} s): ${retried.text}`);
  });

  test('bad login bodies → 400 naming the fields', async () => {
    for (const [json, fields] of [
      [{}, ['login', 'password']],
      [{ login: '', password: '' }, ['login', 'password']],
      [{ login: 42, password: PASSWORD }, ['login']],
    ] as const) {
      const res = await t.request('POST', '/api/v1/auth/login', { json });
      assert.equal(res.status, 400, res.text);
      for (const f of fields) assert.ok(res.body.error.fields[f], `${f}: ${res.text}`);
    }
  });
});

describe('cookie sessions', () => {
  async function cookieSignIn(): Promise<{ cookie: string; setCookie: string; text: string }> {
    const email = uniqueEmail();
    await register({ email });
    const res = await t.request('POST', '/api/v1/auth/session', { json: { login: email, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    const setCookie = res.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0]!, setCookie, text: res.text };
  }

  test('POST /api/v1/auth/session sets an HttpOnly; Secure; SameSite=Lax cookie and puts no token in the body', async () => {
    const { cookie, setCookie, text } = await cookieSignIn();
    assert.match(cookie, /^lapor_session=[A-Za-z0-9_-]{20,}$/);
    const attributes = setCookie.split(';').map((a) => a.trim().toLowerCase());
    assert.ok(attributes.includes('httponly'), setCookie);
    assert.ok(attributes.includes('secure'), setCookie);
    assert.ok(attributes.includes('samesite=lax'), setCookie);
    assert.ok(attributes.includes('path=/'), setCookie);
    const body = JSON.parse(text);
    assert.equal(body.token, undefined);
    assert.ok(!text.includes(cookie.split('=')[1]!), 'the cookie value is not in the body');
    assertNoSecrets(text);
  });

  test('the cookie authenticates GET /api/v1/me; it is no bearer token, and a bearer token is no cookie', async () => {
    const { cookie } = await cookieSignIn();
    const me = await t.request('GET', '/api/v1/me', { headers: { cookie } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.role, 'reporter');
    assert.equal((await t.request('GET', '/api/v1/me', { token: cookie.split('=')[1]! })).status, 401);
    assert.equal((await t.request('GET', '/api/v1/me', { headers: { cookie: `lapor_session=${citizen.token}` } })).status, 401);
  });

  test('a state-changing request with the cookie from a foreign origin → 403; from the same origin it works', async () => {
    const { cookie } = await cookieSignIn();
    const submit = (headers: Record<string, string>) =>
      t.request('POST', '/api/v1/reports', { headers: { cookie, ...headers }, json: reportInput() });
    const [{ n: before }] = (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')) as [{ n: number }];
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'http://localhost.evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      {},
    ];
    for (const headers of crossSite) {
      const res = await submit(headers);
      assert.equal(res.status, 403, `${JSON.stringify(headers)}: ${res.text}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
    const [{ n: after }] = (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')) as [{ n: number }];
    assert.equal(after, before, 'nothing filed cross-site');
    const same = await submit({ origin: 'http://localhost' });
    assert.equal(same.status, 201, same.text);
    const fetchMeta = await submit({ 'sec-fetch-site': 'same-origin' });
    assert.equal(fetchMeta.status, 201, fetchMeta.text);
    // reading is allowed from anywhere (a GET changes nothing)
    assert.equal((await t.request('GET', '/api/v1/me', { headers: { cookie, origin: 'https://evil.example' } })).status, 200);
  });

  test('logout with the cookie ends the session and clears the cookie', async () => {
    const { cookie } = await cookieSignIn();
    const out = await t.request('POST', '/api/v1/auth/logout', { headers: { cookie, origin: 'http://localhost' } });
    assert.equal(out.status, 204, out.text);
    assert.match(out.headers.get('set-cookie') ?? '', /lapor_session=;.*Max-Age=0/i);
    assert.equal((await t.request('GET', '/api/v1/me', { headers: { cookie } })).status, 401);
  });
});

describe('logout', () => {
  test('revokes the bearer token; other sessions of the account stay', async () => {
    const email = uniqueEmail();
    await register({ email });
    const first = (await login(email)).body.token;
    const second = (await login(email)).body.token;
    const out = await t.request('POST', '/api/v1/auth/logout', { token: first });
    assert.equal(out.status, 204, out.text);
    const me = await t.request('GET', '/api/v1/me', { token: first });
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'unauthenticated');
    assert.equal((await t.request('POST', '/api/v1/auth/logout', { token: first })).status, 401);
    assert.equal((await t.request('GET', '/api/v1/me', { token: second })).status, 200);
  });

  test('without a session → 401', async () => {
    assert.equal((await t.request('POST', '/api/v1/auth/logout')).status, 401);
  });
});

describe('POST /api/v1/users', () => {
  const staff = (json: Record<string, unknown>) => ({ name: 'Petugas Baru', email: uniqueEmail(), password: PASSWORD, ...json });
  const create = (user: TestUser, json: Record<string, unknown>) =>
    t.request('POST', '/api/v1/users', { token: user.token, json: staff(json) });

  test('a national admin creates an agency admin for a body, who can then sign in', async () => {
    const json = staff({ role: 'agency_admin', bodyId: ids.pontianak });
    const res = await t.request('POST', '/api/v1/users', { token: national.token, json });
    assert.equal(res.status, 201, res.text);
    assertNoSecrets(res.text);
    assert.equal(res.body.role, 'agency_admin');
    assert.equal(res.body.bodyId, ids.pontianak);
    const signedIn = await login(json.email as string);
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.body.user.role, 'agency_admin');
  });

  test('an agency admin needs a body, and a K/L/D rather than a unit', async () => {
    for (const [json, field] of [
      [{ role: 'agency_admin' }, 'bodyId'],
      [{ role: 'agency_admin', bodyId: ids.pupr }, 'bodyId'],
      [{ role: 'agency_admin', bodyId: 999_999 }, 'bodyId'],
      [{ role: 'unit_officer', bodyId: ids.pontianak }, 'bodyId'],
      [{ role: 'monitor', bodyId: ids.pontianak }, 'bodyId'],
      [{ role: 'reporter' }, 'role'],
      [{ role: 'superuser' }, 'role'],
    ] as const) {
      const res = await create(national, json);
      assert.equal(res.status, 400, `${JSON.stringify(json)}: ${res.text}`);
      assert.ok(res.body.error.fields[field], res.text);
    }
  });

  test('an agency admin creates unit officers for the units of its own body', async () => {
    for (const unitId of [ids.pupr, ids.binaMarga]) {
      const res = await create(agency, { role: 'unit_officer', bodyId: unitId });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.role, 'unit_officer');
      assert.equal(res.body.bodyId, unitId);
    }
  });

  test('an agency admin creates another agency admin of its own body', async () => {
    const res = await create(agency, { role: 'agency_admin', bodyId: ids.pontianak });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.bodyId, ids.pontianak);
  });

  test('an agency admin may not create an officer in another body’s unit, nor an admin elsewhere or above it', async () => {
    const before = (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n;
    for (const json of [
      { role: 'unit_officer', bodyId: ids.metroPupr },
      { role: 'agency_admin', bodyId: ids.metro },
      { role: 'national_admin' },
      { role: 'monitor' },
    ]) {
      const res = await create(agency, json);
      assert.equal(res.status, 403, `${JSON.stringify(json)}: ${res.text}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal((await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n, before);
  });

  test('reporters and unit officers may not create accounts; nobody may without signing in', async () => {
    for (const user of [citizen, unit]) {
      for (const json of [
        { role: 'unit_officer', bodyId: ids.pupr },
        { role: 'national_admin' },
        { role: 'agency_admin', bodyId: ids.pontianak },
      ]) {
        const res = await create(user, json);
        assert.equal(res.status, 403, `${user.principal.role} ${JSON.stringify(json)}: ${res.text}`);
      }
    }
    assert.equal((await t.request('POST', '/api/v1/users', { json: staff({ role: 'national_admin' }) })).status, 401);
  });

  test('a taken email → 409', async () => {
    const res = await create(national, { role: 'monitor', email: agency.email });
    assert.equal(res.status, 409, res.text);
    assert.equal(res.body.error.code, 'conflict');
  });
});

// The command line and the data-folder lock are about the embedded database.
describeOn('embedded', 'the command line and the data-folder lock', 'the data-folder lock guards the embedded database', () => {
  let dataDir: string;
  let server: ChildProcess | null = null;

  const childEnv = () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DEMO: 'false', PORT: '0', HOST: '127.0.0.1' };
    delete env.DATABASE_URL;
    delete env.NODE_TEST_CONTEXT;
    return env;
  };

  function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'src', script), ...args], { cwd: ROOT, env: childEnv() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }
  const cli = (...args: string[]) => run('cli.ts', args);

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-cli-'));
  });
  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await once(server, 'exit');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('users:create makes the first national admin; the same call again fails with a conflict', async () => {
    const args = ['users:create', '--role', 'national_admin', '--email', 'admin@cli.test', '--password', 'sandi-admin-123'];
    const first = await cli(...args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Created national_admin #\d+ admin@cli\.test/);
    assert.ok(fs.existsSync(path.join(dataDir, 'pgdata')), 'the embedded database is in DATA_DIR');
    assert.ok(!fs.existsSync(path.join(dataDir, 'lapor.lock')), 'the lock is released on exit');
    const second = await cli(...args);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /conflict/);
    assert.match(second.stderr, /already registered|sudah terdaftar/);
  });

  test('an unknown command → exit 2 with the usage', async () => {
    const res = await cli('frobnicate');
    assert.equal(res.code, 2);
    assert.match(res.stderr, /Usage:/);
    assert.match(res.stderr, /users:create/);
  });

  test('users:create with bad arguments → exit 2 naming each problem', async () => {
    const res = await cli('users:create', '--role', 'kaisar', '--password', 'pendek');
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /--role/);
    assert.match(res.stderr, /--email or --phone/);
    assert.match(res.stderr, /--password/);
    const unknown = await cli('users:create', '--bogus', 'x');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /bogus/);
    const badBody = await cli(
      'users:create',
      '--role',
      'agency_admin',
      '--email',
      'x@cli.test',
      '--password',
      'sandi-admin-123',
      '--body',
      'tidak-ada',
    );
    assert.equal(badBody.code, 2);
    assert.match(badBody.stderr, /tidak-ada/);
  });

  // Minor: the brief asks for usage help on bad arguments; users:create prints only the problems.
  test('users:create with bad arguments also shows the usage', async () => {
    for (const args of [
      ['users:create', '--role', 'kaisar'],
      ['users:create', '--bogus', 'x'],
    ]) {
      const res = await cli(...args);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /Usage:/, `${args.join(' ')} → ${res.stderr}`);
    }
  });

  test('sla:sweep with bad arguments → exit 2 naming the problem, before touching the database', async () => {
    const cases: [string[], RegExp][] = [
      [['sla:sweep', '--now', '2026-11-28T00:00:00'], /--now must be an ISO instant with an offset/],
      [['sla:sweep', '--now', 'kemarin'], /--now must be an ISO instant with an offset/],
      [['sla:sweep', '--batch-size', '0'], /--batch-size and --concurrency must be positive integers/],
      [['sla:sweep', '--concurrency', 'dua'], /--batch-size and --concurrency must be positive integers/],
      [['sla:sweep', '--concurrency', '-1'], /--concurrency|positive integers/],
      [['sla:sweep', '--bogus'], /bogus/],
    ];
    for (const [args, message] of cases) {
      const res = await cli(...args);
      assert.equal(res.code, 2, `${args.join(' ')} → ${res.code}: ${res.stderr}`);
      assert.match(res.stderr, message, args.join(' '));
      assert.equal(res.stdout, '');
    }
  });

  test('sla:sweep --now --concurrency runs and prints what it fired (one batch at a time on the embedded database)', async () => {
    const res = await cli('sla:sweep', '--now', '2026-11-28T00:00:00+07:00', '--concurrency', '3', '--batch-size', '50');
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.now, '2026-11-27T17:00:00.000Z');
    assert.equal(summary.breaches, 0, 'nothing is due in this data folder');
    // Each lane ends with one short batch; three lanes would make three.
    assert.equal(summary.batches, 1, 'the embedded database runs one lane whatever --concurrency says');
  });

  test('while a server holds DATA_DIR a second process is refused; after the server is killed -9 the stale lock is taken over', async () => {
    server = spawn(process.execPath, [path.join(ROOT, 'src', 'main.ts')], { cwd: ROOT, env: childEnv() });
    let out = '';
    server.stderr!.on('data', (d) => (out += d));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
      server!.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      server!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    assert.equal(fs.readFileSync(path.join(dataDir, 'lapor.lock'), 'utf8').trim(), String(server.pid));

    // The admin made by the CLI signs in to the server.
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin@cli.test', password: 'sandi-admin-123' }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { user: { role: string } }).user.role, 'national_admin');

    const refused = await cli('migrate');
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /already in use/);
    assert.ok(refused.stderr.includes(dataDir), refused.stderr);
    assert.ok(refused.stderr.includes(String(server.pid)), refused.stderr);

    server.kill('SIGKILL');
    await once(server, 'exit');
    assert.ok(fs.existsSync(path.join(dataDir, 'lapor.lock')), 'a killed process leaves its lock behind');
    const taken = await cli('migrate');
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stdout, /Migrations applied/);
    assert.ok(!fs.existsSync(path.join(dataDir, 'lapor.lock')));
    // and the data survived the kill
    const again = await cli('users:create', '--role', 'national_admin', '--email', 'admin@cli.test', '--password', 'sandi-admin-123');
    assert.match(again.stderr, /conflict/);
  });
});
