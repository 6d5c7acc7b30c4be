/**
 * The back office's integration page (/kantor/integrasi) over HTTP: a body's admin sees its own
 * apps only, makes a key (shown once, on that page only), rotates it with a grace period, revokes
 * it, sets and stops the webhook (its secret shown once) and reads the delivery log; another
 * body's app is a 404 page, other roles a 403 page; garbage in every form is a 400 page or the
 * form again with the error at its field, never a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../test/support/app.ts';
import { openSession } from '../features/accounts/accounts.service.ts';

const PONTIANAK = 'pemkot-61.71';

let t: TestApp;
let gencil: TestUser;
let metroApp: TestUser;
const cookies: Record<string, string> = {};

const cookieOf = async (user: TestUser) =>
  `lapor_session=${(await openSession(t.deps.db, t.deps.config, user.principal.userId, 'cookie', t.deps.now())).token}`;
const get = (url: string, who: string) => t.app.request(url, { headers: { cookie: who }, redirect: 'manual' });
const post = (url: string, who: string, fields: Record<string, string> = {}) =>
  t.app.request(url, {
    method: 'POST',
    headers: { origin: 'http://localhost', cookie: who, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
const tokenIn = (page: string) => /<code class="mono">(lpr_live_[A-Za-z0-9_-]+)<\/code>/.exec(page)?.[1] ?? null;
const works = async (token: string) => (await t.request('GET', '/api/v1/integration/changes', { token })).status;

before(async () => {
  t = await startTestApp({ cookieSecure: false, webhookAllowPrivate: true });
  for (const [name, role, body] of [
    ['national', 'national_admin', undefined],
    ['agency', 'agency_admin', PONTIANAK],
    ['metro', 'agency_admin', 'pemkot-18.72'],
    ['unit', 'unit_officer', `${PONTIANAK}/dinas-pupr`],
  ] as const) {
    cookies[name] = await cookieOf(await t.user(role, body));
  }
  gencil = await t.user('integrator', PONTIANAK);
  metroApp = await t.user('integrator', 'pemkot-18.72');
});
after(() => t.close());

describe('/kantor/integrasi', () => {
  test('who may see it: body admins (their own apps), national admins (all); others 403, signed out to the sign-in', async () => {
    const list = await get('/kantor/integrasi', cookies.agency!);
    assert.equal(list.status, 200);
    const page = await list.text();
    assert.ok(page.includes(`href="/kantor/integrasi/${gencil.principal.userId}"`));
    assert.ok(!page.includes(`href="/kantor/integrasi/${metroApp.principal.userId}"`), 'not another body’s app');
    assert.ok(page.includes('href="/kantor/integrasi" aria-current="page"'), 'in the nav');
    const all = await (await get('/kantor/integrasi', cookies.national!)).text();
    assert.ok(all.includes(`/kantor/integrasi/${metroApp.principal.userId}`));
    assert.equal((await get('/kantor/integrasi', cookies.unit!)).status, 403);
    const out = await get('/kantor/integrasi', '');
    assert.equal(out.status, 303);
    assert.match(out.headers.get('location')!, /^\/masuk\?next=/);
    assert.equal((await get(`/kantor/integrasi/${gencil.principal.userId}`, cookies.metro!)).status, 404);
    assert.equal((await post(`/kantor/integrasi/${gencil.principal.userId}/kunci`, cookies.metro!, { name: 'x' })).status, 404);
    assert.equal((await get('/kantor/integrasi/abc', cookies.agency!)).status, 400);
    assert.equal((await get('/kantor/integrasi?page=0', cookies.agency!)).status, 400);
  });

  test('a key made on the page is shown once, there; rotated with a grace period; revoked', async () => {
    const base = `/kantor/integrasi/${gencil.principal.userId}`;
    const made = await post(`${base}/kunci`, cookies.agency!, { name: 'server produksi' });
    assert.equal(made.status, 200);
    assert.match(made.headers.get('cache-control')!, /no-store/);
    const madePage = await made.text();
    const token = tokenIn(madePage);
    assert.ok(token, 'the key is on the page that made it');
    assert.ok(madePage.includes('hanya ditampilkan sekali'));
    assert.equal(await works(token!), 200);
    const again = await (await get(base, cookies.agency!)).text();
    assert.equal(tokenIn(again), null, 'and on no other');
    assert.ok(!again.includes(token!));
    assert.ok(again.includes(`${token!.slice(0, 15)}…`), 'its prefix tells it apart');

    const [key] = await t.deps.db.query<{ id: number }>(
      'SELECT id FROM integration_keys WHERE integrator_id = $1 ORDER BY id DESC LIMIT 1',
      [gencil.principal.userId],
    );
    const rotated = await post(`${base}/kunci/${key!.id}/ganti`, cookies.agency!, { graceMinutes: '60' });
    assert.equal(rotated.status, 200);
    const rotatedPage = await rotated.text();
    const newToken = tokenIn(rotatedPage);
    assert.ok(newToken && newToken !== token);
    assert.match(rotatedPage, /tetap berlaku sampai/);
    assert.equal(await works(token!), 200, 'the old key during its grace period');
    assert.equal(await works(newToken!), 200);

    const [fresh] = await t.deps.db.query<{ id: number }>(
      'SELECT id FROM integration_keys WHERE integrator_id = $1 ORDER BY id DESC LIMIT 1',
      [gencil.principal.userId],
    );
    const revoked = await post(`${base}/kunci/${fresh!.id}/cabut`, cookies.agency!);
    assert.equal(revoked.status, 200);
    assert.match(await revoked.text(), /dicabut/);
    assert.equal(await works(newToken!), 401);
  });

  test('garbage in the key forms: the form again with the error, or a 404 page', async () => {
    const base = `/kantor/integrasi/${gencil.principal.userId}`;
    const empty = await post(`${base}/kunci`, cookies.agency!, { name: '   ' });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /Wajib diisi/);
    const long = await post(`${base}/kunci?lang=en`, cookies.agency!, { name: 'x'.repeat(101) });
    assert.equal(long.status, 400);
    assert.match(await long.text(), /At most 100 characters/);
    const [key] = await t.deps.db.query<{ id: number }>('SELECT id FROM integration_keys WHERE integrator_id = $1 ORDER BY id LIMIT 1', [
      gencil.principal.userId,
    ]);
    for (const grace of ['-1', 'abc', '99999999', '']) {
      const res = await post(`${base}/kunci/${key!.id}/ganti`, cookies.agency!, { graceMinutes: grace });
      assert.ok(res.status === 400 || res.status === 409, `${grace}: ${res.status}`);
    }
    assert.equal((await post(`${base}/kunci/abc/cabut`, cookies.agency!)).status, 404);
    assert.equal((await post(`${base}/kunci/999999/cabut`, cookies.agency!)).status, 404);
    const nul = await post(`${base}/kunci`, cookies.agency!, { name: 'a\u0000b' });
    assert.equal(nul.status, 400);
  });

  test('the webhook: set with its secret shown once, refused when it is no URL, stopped; the delivery log', async () => {
    const base = `/kantor/integrasi/${gencil.principal.userId}`;
    const bad = await post(`${base}/webhook`, cookies.agency!, { url: 'ftp://gencil.example/hook' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /http:\/\/ atau https:\/\//);
    const set = await post(`${base}/webhook`, cookies.agency!, { url: 'http://127.0.0.1:9/lapor' });
    assert.equal(set.status, 200);
    const setPage = await set.text();
    assert.match(setPage, /<code class="mono">whsec_[A-Za-z0-9_-]+<\/code>/);
    const same = await (await post(`${base}/webhook`, cookies.agency!, { url: 'http://127.0.0.1:9/lapor2' })).text();
    assert.doesNotMatch(same, /whsec_/, 'the URL alone changes, the secret stays and is not shown');

    const [outbox] = await t.deps.db.query<{ id: number }>(
      `INSERT INTO outbox (channel, recipient_user_id, recipient_address, template, payload, idempotency_key, available_at, created_at, status, attempts)
       VALUES ('webhook', $1, 'http://127.0.0.1:9/lapor2', 'integration.event', '{}', 'page-test', $2, $2, 'pending', 1) RETURNING id`,
      [gencil.principal.userId, t.deps.now()],
    );
    await t.deps.db.query(
      `INSERT INTO webhook_deliveries (outbox_id, integrator_id, attempt, url, at, http_status, latency_ms, error)
       VALUES ($1, $2, 1, 'http://127.0.0.1:9/lapor2', $3, 502, 1234, 'HTTP 502')`,
      [outbox!.id, gencil.principal.userId, t.deps.now()],
    );
    const withLog = await (await get(`${base}?lang=en`, cookies.agency!)).text();
    assert.match(withLog, /Webhook delivery log/);
    assert.match(withLog, /<td>502<\/td>/);
    assert.match(withLog, /1,234 ms/);
    assert.match(withLog, /HTTP 502/);

    const stopped = await post(`${base}/webhook/hapus`, cookies.agency!);
    assert.equal(stopped.status, 200);
    assert.match(await stopped.text(), /Webhook dihentikan/);
    assert.equal((await get(`${base}?page=x`, cookies.agency!)).status, 400);
  });
});
