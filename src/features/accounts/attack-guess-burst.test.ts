/**
 * Attack: a burst of parallel password guesses at one account (issue 8, section 1).
 *
 * Before the fix every guess of a burst was checked, because failures were counted after the
 * password check: 150 parallel guesses were all checked and the right one signed in. Now each
 * attempt is reserved in one statement before argon2 runs, so only the attempts the limits allow
 * are ever checked, in one process or several; and the owner still gets in with a code by email.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDb } from '../../db/db.ts';
import { createApp } from '../../http/app.ts';
import { addressKey } from './accounts.service.ts';
import { type Response, type TestApp, reportInput, startTestApp } from '../../../test/support/app.ts';

const PASSWORD = 'kata-sandi-uji-123';
const FREE = 5;
const PER_PAIR = 10;
const PER_ADDRESS = 60;

let t: TestApp;
let clock = Date.parse('2026-11-24T03:00:00Z');
function advance(seconds: number): void {
  clock += seconds * 1000;
  t.setNow(new Date(clock));
}

before(async () => {
  t = await startTestApp({
    trustProxy: true,
    loginFreeAttempts: FREE,
    loginMaxAttempts: PER_PAIR,
    loginMaxAttemptsPerAddress: PER_ADDRESS,
    loginDelayMaxSeconds: 64,
    registerMaxPerAddress: 4,
  });
  t.setNow(new Date(clock));
});
after(() => t.close());

let seq = 0;
let addressSeq = 0;
/** A fresh client address: a botnet has as many as it likes. */
const newAddress = () => `198.51.${Math.floor(++addressSeq / 250)}.${addressSeq % 250}`;

async function victim(extra: Record<string, unknown> = {}) {
  const email = `korban.${++seq}.${process.pid}@serangan.test`;
  const res = await t.request('POST', '/api/v1/auth/register', {
    json: { name: 'Korban Serangan', email, password: PASSWORD, ...extra },
    headers: { 'x-forwarded-for': newAddress() },
  });
  assert.equal(res.status, 201, res.text);
  return { email, id: res.body.user.id as number };
}

async function guess(login: string, password: string, address = newAddress(), app = t.app): Promise<Response> {
  const res = await app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ login, password }),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text), headers: res.headers };
}

const checked = (results: Response[]) => results.filter((r) => r.status !== 429);

function assertRefusal(res: Response) {
  assert.equal(res.status, 429, res.text);
  assert.equal(res.body.error.code, 'too_many_attempts');
  assert.equal(res.body.token, undefined);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${res.headers.get('retry-after')}`);
}

describe('a burst of parallel guesses at one account', () => {
  test('150 parallel guesses from 150 addresses, the right one last: only the allowed few are checked', async () => {
    const { email } = await victim();
    const passwords = Array.from({ length: 150 }, (_, i) => (i === 149 ? PASSWORD : `tebakan-salah-${i}`));
    const results = await Promise.all(passwords.map((p) => guess(email, p)));
    const seen = checked(results);
    assert.ok(seen.length <= FREE, `${seen.length} guesses were checked; at most ${FREE} may be`);
    assert.ok(seen.length >= 1, 'the first guesses are checked');
    for (const r of results.filter((r) => r.status === 429)) assertRefusal(r);
    assert.equal(results.length - seen.length, 150 - seen.length);
    assert.ok(
      seen.every((r) => r.status === 401),
      'every checked guess was wrong',
    );
    assertRefusal(results[149]!);
    // and the right password is still refused while the account waits
    assertRefusal(await guess(email, PASSWORD));
  });

  test('150 parallel guesses that all carry the right password: only the allowed few are even checked', async () => {
    const { email } = await victim();
    const results = await Promise.all(Array.from({ length: 150 }, () => guess(email, PASSWORD)));
    // A success clears the account's wait, so the right password can get in more than once; but
    // never more often than the guesses the limits allow at once.
    const seen = checked(results);
    assert.ok(seen.length <= FREE * 2, `${seen.length} checked`);
    assert.ok(results.filter((r) => r.status === 429).length >= 150 - FREE * 2);
  });

  test('150 parallel wrong guesses first, then the right password: refused, with a Retry-After it can trust', async () => {
    const { email } = await victim();
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => guess(email, `salah-${i}`)));
    assert.equal(checked(results).length, FREE);
    const blocked = await guess(email, PASSWORD);
    assertRefusal(blocked);
    assert.equal(blocked.headers.get('retry-after'), '1', 'after the free attempts, the first wait is one second');
    advance(1);
    const owner = await guess(email, PASSWORD);
    assert.equal(owner.status, 200, owner.text);
    assert.ok(owner.body.token);
  });

  test('across two API processes with their own database pools, the count is one', {
    skip: process.env.DATABASE_URL ? false : 'PGlite is one in-process database: a second process cannot open it',
  }, async () => {
    const { email } = await victim();
    const second = await openDb({ databaseUrl: t.deps.db.url!, poolSize: 5 });
    try {
      const other = createApp({ ...t.deps, db: second });
      const results = await Promise.all(
        Array.from({ length: 150 }, (_, i) => guess(email, i === 149 ? PASSWORD : `salah-${i}`, newAddress(), i % 2 === 0 ? t.app : other)),
      );
      const seen = checked(results);
      assert.ok(seen.length <= FREE, `${seen.length} checked across two processes; at most ${FREE} may be`);
      assert.ok(seen.every((r) => r.status === 401));
      assertRefusal(await guess(email, PASSWORD, newAddress(), other));
    } finally {
      await second.close();
    }
  });
});

describe('one account is one key, whatever the login', () => {
  test('guesses by email and by phone, in any form, share one count', async () => {
    const { email } = await victim({ phone: '0812-7777-0001' });
    const logins = [email, '081277770001', email.toUpperCase(), '+62 812-7777-0001', '6281277770001'];
    for (const login of logins) assert.equal((await guess(login, 'salah')).status, 401, login);
    for (const login of [email, '081277770001', '+6281277770001']) assertRefusal(await guess(login, PASSWORD));
  });

  test('an unknown login is counted the same way and answered the same way', async () => {
    const known = await victim();
    const unknown = `tidak.ada.${process.pid}@serangan.test`;
    const a = await Promise.all(Array.from({ length: 20 }, () => guess(known.email, 'salah')));
    const b = await Promise.all(Array.from({ length: 20 }, () => guess(unknown, 'salah')));
    assert.deepEqual(a.map((r) => r.status).sort(), b.map((r) => r.status).sort());
    assert.equal(a.find((r) => r.status === 401)!.body.error.message, b.find((r) => r.status === 401)!.body.error.message);
    assert.equal(a.find((r) => r.status === 429)!.headers.get('retry-after'), b.find((r) => r.status === 429)!.headers.get('retry-after'));
  });
});

describe('slowing guesses down', () => {
  test('after the free attempts each further one waits 1, 2, 4 … s, up to the cap', async () => {
    const { email } = await victim();
    for (let i = 0; i < FREE; i++) assert.equal((await guess(email, 'salah')).status, 401);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const refused = await guess(email, 'salah');
      assertRefusal(refused);
      const wait = Number(refused.headers.get('retry-after'));
      waits.push(wait);
      advance(wait - 1);
      assertRefusal(await guess(email, 'salah')); // a second early is still too early
      advance(1);
      assert.equal((await guess(email, 'salah')).status, 401);
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64, 64, 64]);
    // the owner waits out the current delay and gets in; the wait starts again from nothing
    advance(64);
    assert.equal((await guess(email, PASSWORD)).status, 200);
    for (let i = 0; i < FREE; i++) assert.equal((await guess(email, 'salah')).status, 401);
  });

  test('an account left alone for the window starts again from nothing', async () => {
    const { email } = await victim();
    for (let i = 0; i < FREE + 2; i++) {
      advance(10);
      assert.equal((await guess(email, 'salah')).status, 401);
    }
    const refused = await guess(email, 'salah');
    assertRefusal(refused);
    // a whole window after the wait ended
    advance(Number(refused.headers.get('retry-after')) + t.deps.config.loginWindowSeconds);
    for (let i = 0; i < FREE; i++) assert.equal((await guess(email, 'salah')).status, 401);
  });

  test('a guesser who comes back as soon as the longest wait ends never gets the free attempts again', async () => {
    // The longest wait as long as the window: the case where "left alone for a window" could be
    // mistaken for a guesser who waits exactly as told.
    const slow = await startTestApp({ trustProxy: true, loginFreeAttempts: 2, loginDelayMaxSeconds: 120, loginWindowSeconds: 120 });
    try {
      let now = clock;
      slow.setNow(new Date(now));
      const email = `sabar.${process.pid}@serangan.test`;
      assert.equal(
        (await slow.request('POST', '/api/v1/auth/register', { json: { name: 'Korban', email, password: PASSWORD } })).status,
        201,
      );
      const waits: number[] = [];
      for (let i = 0; i < 40 && waits.length < 10; i++) {
        const res = await guess(email, 'salah', newAddress(), slow.app);
        if (res.status === 429) {
          const wait = Number(res.headers.get('retry-after'));
          waits.push(wait);
          now += wait * 1000;
          slow.setNow(new Date(now));
        } else {
          assert.equal(res.status, 401);
        }
      }
      assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64, 120, 120, 120]);
    } finally {
      await slow.close();
    }
  });

  test(`one address gets at most ${PER_PAIR} guesses at one account per window, however slowly it goes`, async () => {
    const { email } = await victim();
    const attacker = newAddress();
    for (let i = 0; i < PER_PAIR; i++) {
      advance(65); // past any delay
      assert.equal((await guess(email, 'salah', attacker)).status, 401, `guess ${i + 1}`);
    }
    advance(65);
    const refused = await guess(email, PASSWORD, attacker);
    assertRefusal(refused);
    assert.ok(Number(refused.headers.get('retry-after')) > 65, 'until the end of the window');
    // the owner, elsewhere, is not held by the attacker's address
    assert.equal((await guess(email, PASSWORD)).status, 200);
    advance(Number(refused.headers.get('retry-after')));
    assert.equal((await guess(email, PASSWORD, attacker)).status, 200, 'the window passed');
  });

  test(`one address gets at most ${PER_ADDRESS} guesses per window across accounts`, async () => {
    const sprayer = newAddress();
    const accounts = await Promise.all(Array.from({ length: 13 }, () => victim()));
    let allowed = 0;
    for (const { email } of accounts) {
      // the free attempts at each account: no account's own wait is in the way
      const results = await Promise.all(Array.from({ length: FREE }, () => guess(email, 'salah', sprayer)));
      allowed += results.filter((r) => r.status === 401).length;
    }
    assert.equal(allowed, PER_ADDRESS);
    const fresh = await victim();
    assertRefusal(await guess(fresh.email, PASSWORD, sprayer));
    assert.equal((await guess(fresh.email, PASSWORD)).status, 200);
  });

  test('many people signing in from one address (a carrier NAT, an office) never use up its budget', async () => {
    const office = newAddress();
    const staff = await Promise.all(Array.from({ length: PER_ADDRESS + 5 }, () => victim()));
    for (const [i, { email }] of staff.entries()) {
      const res = await guess(email, PASSWORD, office);
      assert.equal(res.status, 200, `sign-in ${i + 1} from the shared address: ${res.text}`);
    }
    // Failures still count there: the budget is for guesses, and it still runs out.
    let refused = false;
    for (let i = 0; i < PER_ADDRESS + 1 && !refused; i++) refused = (await guess(staff[i]!.email, 'salah', office)).status === 429;
    assert.ok(refused, 'wrong passwords from the shared address are still limited');
  });

  test('a sprayer who signs in to an own account between guesses gains no guess by it', async () => {
    const sprayer = newAddress();
    const own = await victim();
    const targets = await Promise.all(Array.from({ length: 13 }, () => victim()));
    let checked = 0;
    for (const { email } of targets) {
      for (let i = 0; i < FREE; i++) {
        const res = await guess(email, 'salah', sprayer);
        if (res.status === 401) checked++;
        await guess(own.email, PASSWORD, sprayer); // "refund" attempt
      }
    }
    // Each refund gives back only the sign-in's own attempt: the guesses alone fill the budget.
    assert.equal(checked, PER_ADDRESS, `guesses checked: ${checked}`);
  });
});

describe('the address a guess is counted under', () => {
  test('behind the proxy, a forged X-Forwarded-For entry does not give a new address', async () => {
    const { email } = await victim();
    const real = newAddress();
    const results: Response[] = [];
    for (let i = 0; i < PER_PAIR + 3; i++) {
      advance(65);
      results.push(await guess(email, 'salah', `10.0.0.${i}, ${real}`));
    }
    assert.equal(results.filter((r) => r.status === 401).length, PER_PAIR, 'counted under the address the proxy saw');
  });

  test('IPv6 addresses count by their /64; IPv4-mapped ones as IPv4', () => {
    assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:ffff::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8:0000:0002::'), '2001:db8:0:2::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
  });
});

describe('the owner has a way in that a guesser does not', () => {
  async function codeFromOutbox(userId: number): Promise<string> {
    const rows = await t.deps.db.query<{ payload: { secret?: { code?: string } } }>(
      `SELECT payload FROM outbox WHERE template = 'account.sign_in_code' AND recipient_user_id = $1 ORDER BY id DESC LIMIT 1`,
      [userId],
    );
    const code = rows[0]?.payload.secret?.code;
    assert.match(code ?? '', /^\d{6}$/);
    return code!;
  }

  test('while the account is under attack, the owner signs in with the emailed code', async () => {
    const { email, id } = await victim();
    const owner = newAddress();
    // the attack: bursts from many addresses, before and during the owner's sign-in
    const attack = () => Promise.all(Array.from({ length: 50 }, (_, i) => guess(email, `serangan-${i}`)));
    await attack();
    assertRefusal(await guess(email, PASSWORD, owner));

    const asked = await t.request('POST', '/api/v1/auth/code', { json: { login: email }, headers: { 'x-forwarded-for': owner } });
    assert.equal(asked.status, 202, asked.text);
    assert.equal(asked.headers.get('cache-control'), 'no-store');
    const code = await codeFromOutbox(id);
    await attack();

    const [signedIn] = await Promise.all([
      t.request('POST', '/api/v1/auth/code/login', {
        json: { challenge: asked.body.challenge, code },
        headers: { 'x-forwarded-for': owner },
      }),
      attack(),
    ]);
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.body.user.email, email);
    assert.equal(signedIn.headers.get('cache-control'), 'no-store');
    assert.equal((await t.request('GET', '/api/v1/me', { token: signedIn.body.token })).status, 200);
    // the password is still being slowed down for everyone, the owner included
    assertRefusal(await guess(email, PASSWORD, owner));
  });

  test('a guesser who knows the login cannot use up the owner’s code', async () => {
    const { email, id } = await victim();
    const owner = await t.request('POST', '/api/v1/auth/code', { json: { login: email }, headers: { 'x-forwarded-for': newAddress() } });
    const code = await codeFromOutbox(id);
    // the attacker asks for codes of its own and guesses at them
    for (let i = 0; i < 3; i++) {
      const mine = await t.request('POST', '/api/v1/auth/code', { json: { login: email }, headers: { 'x-forwarded-for': newAddress() } });
      assert.equal(mine.status, 202);
      const tries = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          t.request('POST', '/api/v1/auth/code/login', {
            json: { challenge: mine.body.challenge, code: String(n).padStart(6, '0') },
            headers: { 'x-forwarded-for': newAddress() },
          }),
        ),
      );
      assert.ok(
        tries.every((r) => r.status === 401),
        'no guess gets in',
      );
    }
    const res = await t.request('POST', '/api/v1/auth/code/login', { json: { challenge: owner.body.challenge, code } });
    assert.equal(res.status, 200, res.text);
  });
});

describe('registration is throttled per address; a new reporter still files at once', () => {
  test('four registrations from one address, then 429 with Retry-After; another address is not held', async () => {
    const address = newAddress();
    const register = (email: string, from = address) =>
      t.request('POST', '/api/v1/auth/register', {
        json: { name: 'Warga Baru', email, password: PASSWORD },
        headers: { 'x-forwarded-for': from },
      });
    const first = await register(`baru.1.${process.pid}@serangan.test`);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    // the token works at once: the citizen files without waiting for any email
    const filed = await t.request('POST', '/api/v1/reports', { token: first.body.token, json: reportInput() });
    assert.equal(filed.status, 201, filed.text);

    // probing for existing accounts counts too (409 says an email is taken)
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => register(i % 2 ? first.body.user.email : `baru.probe.${i}.${process.pid}@serangan.test`)),
    );
    assert.equal(results.filter((r) => r.status !== 429).length, 3, 'four per window, the first one included');
    const refused = results.find((r) => r.status === 429)!;
    assertRefusal(refused);
    assert.ok(Number(refused.headers.get('retry-after')) <= t.deps.config.registerWindowSeconds);
    assert.equal((await register(`baru.lain.${process.pid}@serangan.test`, newAddress())).status, 201);
    advance(t.deps.config.registerWindowSeconds);
    assert.equal((await register(`baru.nanti.${process.pid}@serangan.test`)).status, 201);
  });
});
