/**
 * The integration API's examples for app developers (docs/examples/), as docs/integration.md
 * shows them verbatim, run against the real server over HTTP on 127.0.0.1: the push script twice
 * (201, then 200 with the same tracking ID) and its pull of the changes; the webhook receiver as
 * its own process, which must accept a real, signed delivery and refuse a forged one.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { dispatchOutbox } from '../notifications/dispatcher.ts';
import { createWebhookTransport, signWebhook } from './webhook-sender.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PUSH = path.join(ROOT, 'docs/examples/push-report.mjs');
const VERIFY = path.join(ROOT, 'docs/examples/verify-webhook.mjs');
const run = promisify(execFile);

let t: TestApp;
let server: ReturnType<typeof serve>;
let base = '';
let agency: TestUser;
let key = '';
const children: ChildProcess[] = [];

before(async () => {
  t = await startTestApp({ webhookAllowPrivate: true });
  agency = await t.user('agency_admin', 'pemkot-61.71');
  const app = await t.user('integrator', 'pemkot-61.71');
  key = (
    await t.request('POST', `/api/v1/admin/integrations/${app.principal.userId}/keys`, { token: agency.token, json: { name: 'docs' } })
  ).body.token;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
after(async () => {
  for (const child of children) child.kill();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

test('docs/integration.md shows both examples verbatim', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/integration.md'), 'utf8');
  assert.match(doc, /^## Local government apps: the integration API$/m);
  for (const file of [PUSH, VERIFY]) {
    const code = fs.readFileSync(file, 'utf8').trimEnd();
    assert.ok(doc.includes(`\`\`\`js\n${code}\n\`\`\``), `${path.basename(file)} is in the doc as it is`);
  }
});

test('the push example files a report, the same again answers the same report, and it pulls the changes', async () => {
  const env = { ...process.env, LAPOR_URL: base, LAPOR_API_KEY: key };
  const first = await run(process.execPath, [PUSH], { env });
  const [status, trackingId] = first.stdout.split('\n')[0]!.split(' ');
  assert.equal(status, '201', first.stdout + first.stderr);
  assert.match(trackingId!, /^[0-9A-Z]{8}$/);
  assert.match(first.stdout, /^next cursor \S+$/m);
  // A change is listed once every older transaction on the server has finished (at once on the
  // embedded database; on a PostgreSQL server other test files write to, a moment later).
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
    const changes = await t.request('GET', '/api/v1/integration/changes', { token: key });
    if (changes.body.items.length > 0) break;
    assert.ok(Date.now() - started < 10_000, 'the change is listed');
  }

  const second = await run(process.execPath, [PUSH], { env });
  assert.equal(second.stdout.split('\n')[0], `200 ${trackingId} Not yet verified`, 'the same report');
  assert.match(second.stdout, /^submitted GNC-2026-000123 submitted$/m);
  const cursor = /^next cursor (\S+)$/m.exec(second.stdout)?.[1];
  assert.ok(cursor && cursor !== '0.0', second.stdout);
  const third = await run(process.execPath, [PUSH], { env: { ...env, LAPOR_CURSOR: cursor } });
  assert.equal(third.stdout.split('\n')[0], `200 ${trackingId} Not yet verified`);
  assert.doesNotMatch(third.stdout, /^submitted/m, 'nothing new after the cursor');
  const filed = await t.deps.db.query(`SELECT 1 FROM integration_reports WHERE external_id = 'GNC-2026-000123'`);
  assert.equal(filed.length, 1);
});

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

test('the receiver example accepts a signed delivery and refuses a forged or stale one', async () => {
  const { verifyLaporSignature } = (await import(VERIFY)) as {
    verifyLaporSignature: (secret: string, header: string | undefined, body: string, now?: number) => boolean;
  };
  const now = Math.floor(Date.now() / 1000);
  assert.equal(verifyLaporSignature('whsec_x', signWebhook('whsec_x', '{"a":1}', now), '{"a":1}'), true);
  assert.equal(verifyLaporSignature('whsec_x', signWebhook('whsec_x', '{"a":1}', now), '{"a":2}'), false, 'another body');
  assert.equal(verifyLaporSignature('whsec_y', signWebhook('whsec_x', '{"a":1}', now), '{"a":1}'), false, 'another secret');
  assert.equal(verifyLaporSignature('whsec_x', signWebhook('whsec_x', '{"a":1}', now - 600), '{"a":1}'), false, 'ten minutes old');
  assert.equal(verifyLaporSignature('whsec_x', undefined, '{"a":1}'), false);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/lapor`;
  const set = await t.request('POST', '/api/v1/integration/webhook', { token: key, json: { url } });
  assert.equal(set.status, 200, set.text);
  const child = spawn(process.execPath, [VERIFY], {
    env: { ...process.env, PORT: String(port), LAPOR_WEBHOOK_SECRET: set.body.secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const lines = async (pattern: RegExp) => {
    for (const started = Date.now(); !pattern.test(out); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() - started > 10_000) throw new Error(`waited for ${pattern}: ${out}`);
    }
  };
  await lines(/listening on/);

  const forged = await fetch(url, {
    method: 'POST',
    headers: { 'x-lapor-signature': signWebhook('whsec_wrong', '{}', now) },
    body: '{}',
  });
  assert.equal(forged.status, 401);

  // A report the app filed is verified; the dispatcher delivers it, signed with the time now.
  const pushed = await t.request('POST', '/api/v1/integration/reports', {
    token: key,
    json: {
      externalId: 'GNC-2026-000777',
      citizen: { id: 'u-1' },
      title: 'Sampah menumpuk di TPS Jl. Merdeka',
      body: 'TPS di Jl. Merdeka tidak diangkut sejak lima hari, bau dan lalat ke rumah warga.',
      incidentDate: '2026-11-22',
    },
  });
  assert.equal(pushed.status, 201, pushed.text);
  const verified = await t.request('POST', `/api/v1/reports/${pushed.body.trackingId}/verify`, {
    token: agency.token,
    json: { resolutionClass: 5 },
  });
  assert.equal(verified.status, 200, verified.text);
  const result = await dispatchOutbox({
    db: t.deps.db,
    now: t.deps.now,
    email: null,
    webhook: createWebhookTransport({ ...t.deps, now: () => new Date() }),
  });
  assert.ok(result.delivered >= 2, JSON.stringify(result));
  await lines(/GNC-2026-000777 verified submitted/);
  assert.match(out, /GNC-2026-000777 submitted submitted/);
  const log = await t.deps.db.query<{ http_status: number }>(`SELECT http_status FROM webhook_deliveries WHERE url = $1 ORDER BY id`, [
    url,
  ]);
  assert.deepEqual(
    log.map((l) => l.http_status),
    [204, 204],
  );
});
