import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';
import { openSession } from '../features/accounts/accounts.service.ts';

/**
 * Bad input gets a clear error, never a crash: every route of the OpenAPI document, as each kind
 * of caller, with path parameters, query strings and bodies of the wrong shape, type and size.
 * A 500 here is a bug. Deterministic (a seeded generator), so a failure can be replayed.
 */

let t: TestApp;
const callers: Record<string, TestUser | null> = {};
let trackingId = '';

before(async () => {
  t = await startTestApp();
  callers.public = null;
  callers.reporter = await t.user('reporter');
  callers.national = await t.user('national_admin');
  callers.agency = await t.user('agency_admin', 'pemkot-61.71');
  callers.unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  callers.ombudsman = await t.user('ombudsman', 'ombudsman-61');
  callers.monitor = await t.user('monitor');
  // a local government app (its session here; its API key resolves to the same principal)
  callers.integrator = await t.user('integrator', 'pemkot-61.71');
  const filed = await t.request('POST', '/api/v1/reports', { token: callers.reporter!.token, json: reportInput() });
  assert.equal(filed.status, 201, filed.text);
  trackingId = filed.body.trackingId;
});
after(() => t.close());

let seed = 20261203;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const WEIRD_STRINGS = [
  '',
  ' ',
  'x'.repeat(10_001),
  '\u202e\u200b',
  '\u0000',
  '%00',
  '../../etc/passwd',
  "'; DROP TABLE reports; --",
  '9'.repeat(40),
  '-1',
  '1e308',
  'NaN',
  '2026-02-30',
  '0000-01-01',
  '61.71.01.1001',
  'AAAA-AAAA',
  '😀'.repeat(300),
  '<script>alert(1)</script>',
];
const WEIRD_VALUES: unknown[] = [
  ...WEIRD_STRINGS,
  0,
  -0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  {},
  [1, 'a', null],
  { nested: { deeper: [1, 2, 3] } },
];

function weirdBody(properties: string[]): unknown {
  const shape = random();
  if (shape < 0.1) return pick(WEIRD_VALUES);
  const body: Record<string, unknown> = {};
  for (const name of properties) if (random() < 0.7) body[name] = pick(WEIRD_VALUES);
  if (random() < 0.2) body[pick(['anonim', 'extra', 'constructor', 'toString'])] = pick(WEIRD_VALUES);
  return body;
}

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string }[];
  bodyProperties: string[] | null;
}

function operations(doc: {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}): Operation[] {
  const resolve = (schema: unknown): { properties?: Record<string, unknown> } => {
    const ref = (schema as { $ref?: string } | undefined)?.$ref;
    return (ref ? doc.components.schemas[ref.split('/').pop()!] : schema) as { properties?: Record<string, unknown> };
  };
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const o = op as { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: unknown }> } };
      const json = o.requestBody?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        params: o.parameters ?? [],
        bodyProperties: json ? Object.keys(resolve(json)?.properties ?? {}) : null,
      });
    }
  }
  return out;
}

test('no route answers bad input with a 500, for any caller', async () => {
  const doc = (await t.request('GET', '/openapi.json')).body;
  const ops = operations(doc);
  assert.ok(ops.length > 40, `the document lists the routes (${ops.length})`);
  const failures: string[] = [];
  let requests = 0;
  const statuses = new Map<number, number>();
  for (const op of ops) {
    for (let round = 0; round < 40; round++) {
      const caller = callers[pick(Object.keys(callers))];
      let url = op.path.replace(/{(\w+)}/g, (_, name: string) =>
        encodeURIComponent(name === 'trackingId' && random() < 0.5 ? trackingId : String(pick(WEIRD_VALUES.filter((v) => v !== '')))),
      );
      const query = op.params.filter((p) => p.in === 'query');
      if (query.length > 0) {
        const qs = new URLSearchParams();
        for (const p of query) if (random() < 0.6) qs.set(p.name, String(pick(WEIRD_VALUES)));
        if (random() < 0.2) qs.set('unknownParam', 'x');
        url += `?${qs}`;
      }
      // A fresh session each time: the fuzz also signs out, disables and changes passwords.
      const token = caller ? (await openSession(t.deps.db, t.deps.config, caller.principal.userId, 'bearer', new Date())).token : undefined;
      const options: Parameters<TestApp['request']>[2] = { token };
      if (op.method !== 'GET' && op.method !== 'HEAD' && (op.bodyProperties !== null || random() < 0.3)) {
        options.raw = JSON.stringify(weirdBody(op.bodyProperties ?? []));
        options.headers = { 'content-type': 'application/json' };
      }
      const res = await t.request(op.method, url, options);
      requests++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500)
        failures.push(`${op.method} ${url} ${options.raw?.toString().slice(0, 200) ?? ''} → ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  assert.ok(requests > 1000);
  // The inputs reach past the front door: validation, scope and state refusals all occur.
  for (const status of [400, 401, 403, 404]) assert.ok(statuses.get(status), `some ${status}: ${JSON.stringify([...statuses])}`);
  assert.deepEqual(failures, [], `server errors:\n${failures.join('\n')}`);
});
