import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from '../../test/support/app.ts';
import type { Db } from '../db/db.ts';
import { createLogger } from '../logger.ts';
import { createApp } from './app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

/** An app whose log lines are captured, over a database that fails the queries `fails` picks. */
function appWith(fails: (sql: string) => Error | null, config = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const db: Db = {
    ...t.deps.db,
    query: (async (sql: string, params?: unknown[]) => {
      const err = fails(sql);
      if (err) throw err;
      return t.deps.db.query(sql, params);
    }) as Db['query'],
  };
  const app = createApp({ ...t.deps, db, logger, config: { ...t.deps.config, ...config } });
  return { app, lines };
}

describe('errors carry a request ID and never PostgreSQL’s words', () => {
  test('a server fault: 500 in our words, with the request ID that the log line also has', async () => {
    const pgError = Object.assign(new Error('relation "regions" does not exist'), { code: '42P01', detail: 'Key (email)=(warga@x.id)' });
    const { app, lines } = appWith((sql) => (sql.includes('FROM regions') ? pgError : null));
    const res = await app.request('/api/v1/regions');
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.doesNotMatch(text, /relation|regions|42P01/);
    const body = JSON.parse(text);
    assert.equal(body.error.code, 'internal');
    assert.match(body.error.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('x-request-id'), body.error.requestId);
    const logged = lines.filter((l) => l.reqId === body.error.requestId);
    assert.ok(
      logged.some((l) => JSON.stringify(l).includes('relation \\"regions\\" does not exist')),
      `the cause is in the log: ${JSON.stringify(lines)}`,
    );
    assert.ok(logged.some((l) => l.msg === 'request' && l.status === 500 && l.route === '/api/v1/regions'));
    assert.ok(!JSON.stringify(lines).includes('warga@x.id'), "PostgreSQL's detail (personal data) stays out of the log");
  });

  test('a data exception is the client’s 400, without the PostgreSQL message', async () => {
    const pgError = Object.assign(new Error('invalid input syntax for type bigint: "x1"'), { code: '22P02' });
    const { app } = appWith((sql) => (sql.includes('FROM regions') ? pgError : null));
    const res = await app.request('/api/v1/regions');
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.doesNotMatch(text, /syntax|bigint|x1/);
    assert.match(JSON.parse(text).error.message, /Format nilai tidak valid \/ Invalid value format/);
  });

  test('health: a database failure says unavailable, not why', async () => {
    const { app } = appWith(() => new Error('connect ECONNREFUSED 10.0.0.5:5432 password authentication failed for user "lapor"'));
    const res = await app.request('/healthz');
    assert.equal(res.status, 503);
    assert.doesNotMatch(await res.text(), /ECONNREFUSED|password|lapor"/);
  });

  test('validation errors, 404s and 401s carry the request ID; a well-formed ID from a proxy is kept', async () => {
    const invalid = await t.request('GET', '/api/v1/reports?page=0', { headers: { 'x-request-id': 'proxy-abc-12345' } });
    assert.equal(invalid.body.error.requestId, 'proxy-abc-12345');
    const missing = await t.request('GET', '/api/v1/nope');
    assert.ok(missing.body.error.requestId);
    const unauth = await t.request('GET', '/api/v1/me', { headers: { 'x-request-id': 'bad id with spaces {"x":1}' } });
    assert.equal(unauth.status, 401);
    assert.match(unauth.body.error.requestId, /^[0-9a-f-]{36}$/, 'a malformed ID is replaced, never echoed into the log');
  });

  test('log lines name the route pattern, not the path, query or caller', async () => {
    const { app, lines } = appWith(() => null);
    await app.request('/api/v1/reports?q=Budi+Santoso+081234567890', {
      headers: { authorization: `Bearer ${(await t.user('reporter')).token}` },
    });
    const line = lines.find((l) => l.msg === 'request')!;
    assert.equal(line.route, '/api/v1/reports');
    assert.ok(!JSON.stringify(lines).includes('Budi'), 'no query string');
    assert.ok(!JSON.stringify(lines).includes('Bearer'), 'no credentials');
  });
});

describe('security headers on every response', () => {
  const expectBase = (res: Response, where: string) => {
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', where);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', where);
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, where);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', where);
  };

  test('API answers, errors and 404s', async () => {
    for (const [url, init] of [
      ['/api/v1/regions', {}],
      ['/api/v1/reports?page=0', {}],
      ['/api/v1/nope', {}],
      ['/api/v1/me', {}],
      ['/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }],
      ['/openapi.json', {}],
      ['/healthz', {}],
    ] as const) {
      const res = await t.app.request(url, init as RequestInit);
      expectBase(res, url);
      assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/, url);
    }
  });

  test('the API docs page runs only its own scripts: no inline script, nothing from elsewhere', async () => {
    const res = await t.app.request('/docs');
    expectBase(res, '/docs');
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline'[^;]*script|script-src[^;]*unsafe/);
    const html = await res.text();
    assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script');
    const init = await t.app.request('/docs/init.js');
    assert.equal(init.status, 200);
    assert.match(await init.text(), /SwaggerUIBundle/);
  });

  test('HSTS only over HTTPS: directly, through a trusted proxy, or with an https PUBLIC_URL', async () => {
    const plain = await t.app.request('/healthz');
    assert.equal(plain.headers.get('strict-transport-security'), null);
    const direct = await t.app.request('https://lapor.example.go.id/healthz');
    assert.match(direct.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
    const untrusted = await t.app.request('/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(untrusted.headers.get('strict-transport-security'), null, 'a client cannot claim HTTPS without TRUST_PROXY');
    const proxied = appWith(() => null, { trustProxy: true }).app;
    const viaProxy = await proxied.request('/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(viaProxy.headers.get('strict-transport-security') ?? '', /max-age/);
    const publicHttps = appWith(() => null, { publicOrigin: 'https://lapor.example.go.id' }).app;
    assert.match((await publicHttps.request('/healthz')).headers.get('strict-transport-security') ?? '', /max-age/);
  });
});
