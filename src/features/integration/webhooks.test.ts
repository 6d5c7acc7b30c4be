/**
 * Webhooks to local government apps (issue 11 §4), delivered by the outbox's dispatcher to a real
 * HTTP receiver on 127.0.0.1: one outbox row per event and app, written with the event; each POST
 * signed (HMAC-SHA256 over "<t>.<body>", checked here with node:crypto); a receiver that answers
 * 500 is tried again after 1, then 2 minutes; every attempt in the delivery log; a removed
 * webhook stops; private addresses refused outside tests (SSRF); no identity of an anonim
 * reporter in any payload.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { type DispatchDeps, dispatchOutbox } from '../notifications/dispatcher.ts';
import { setOwnWebhook } from './integration.service.ts';
import { createWebhookTransport } from './webhook-sender.ts';
import { checkWebhookUrl, isBlockedAddress } from './webhook-url.ts';

const PONTIANAK = 'pemkot-61.71';
const CITIZEN = { id: 'warga-7', name: 'Rahmat Hidayat Putra', email: 'rahmat.hidayat@example.test', phone: '081298765432' };

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let t: TestApp;
let agency: TestUser;
let metroAgency: TestUser;
let gencil: TestUser;
let key = '';
let secret = '';
let receiver: http.Server;
let hookUrl = '';
const received: Received[] = [];
/** The statuses the receiver answers with next, in order; 200 once they run out. */
const answers: number[] = [];
let dispatch: DispatchDeps;

function trackingOf(filed: { body: { trackingId: string } }) {
  return filed.body.trackingId;
}

async function pushReport(overrides: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/v1/integration/reports', {
    token: key,
    json: {
      externalId: `HOOK-${Math.random().toString(36).slice(2, 10)}`,
      citizen: CITIZEN,
      title: 'Lampu jalan padam di Jl. Ahmad Yani',
      body: 'Tiga tiang lampu jalan di depan kantor pos padam sejak Senin malam, jalan gelap dan rawan.',
      incidentDate: '2026-11-21',
      ...overrides,
    },
  });
  assert.equal(res.status, 201, res.text);
  return res;
}

async function act(trackingId: string, action: string, json: unknown) {
  const res = await t.request('POST', `/api/v1/reports/${trackingId}/${action}`, { token: agency.token, json });
  assert.equal(res.status, 200, `${action}: ${res.text}`);
}

/** Runs the dispatcher once and returns what the receiver got meanwhile. */
async function deliver(): Promise<Received[]> {
  const from = received.length;
  await dispatchOutbox(dispatch);
  return received.slice(from);
}

function verify(r: Received, withSecret = secret): { t: number; payload: any } {
  const header = String(r.headers['x-lapor-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  assert.ok(match, `signature header: ${header}`);
  const expected = createHmac('sha256', withSecret).update(`${match[1]}.${r.body}`).digest();
  assert.ok(timingSafeEqual(expected, Buffer.from(match[2]!, 'hex')), 'the signature is the HMAC of t.body under the secret');
  return { t: Number(match[1]), payload: JSON.parse(r.body) };
}

async function webhookRows(eventType: string, trackingId: string) {
  return t.deps.db.query<{
    id: number;
    status: string;
    attempts: number;
    available_at: Date;
    last_error: string | null;
    idempotency_key: string;
  }>(
    `SELECT o.id, o.status, o.attempts, o.available_at, o.last_error, o.idempotency_key
       FROM outbox o JOIN report_events e ON e.id = (o.payload->>'eventId')::bigint JOIN reports r ON r.id = e.report_id
      WHERE o.channel = 'webhook' AND e.type = $1 AND r.tracking_id = $2`,
    [eventType, trackingId],
  );
}

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lapor/webhook`;
  t = await startTestApp({ webhookAllowPrivate: true, publicOrigin: 'https://lapor.example.go.id' });
  agency = await t.user('agency_admin', PONTIANAK);
  metroAgency = await t.user('agency_admin', 'pemkot-18.72');
  gencil = await t.user('integrator', PONTIANAK);
  const made = await t.request('POST', `/api/v1/admin/integrations/${gencil.principal.userId}/keys`, {
    token: agency.token,
    json: { name: 'server' },
  });
  key = made.body.token;
  dispatch = { db: t.deps.db, now: t.deps.now, email: null, webhook: createWebhookTransport(t.deps) };
});
after(async () => {
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('registering a webhook', () => {
  test('the app sets its URL and gets the signing secret once; the URL alone changes keep the secret', async () => {
    const set = await t.request('POST', '/api/v1/integration/webhook', { token: key, json: { url: hookUrl } });
    assert.equal(set.status, 200, set.text);
    assert.match(set.body.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.equal(set.headers.get('cache-control'), 'no-store');
    secret = set.body.secret;
    const read = await t.request('GET', '/api/v1/integration/webhook', { token: key });
    assert.equal(read.body.webhook.url, hookUrl);
    assert.ok(!read.text.includes(secret), 'the secret is not shown again');
    const admin = await t.request('GET', `/api/v1/admin/integrations/${gencil.principal.userId}`, { token: agency.token });
    assert.ok(!admin.text.includes(secret));
    const same = await t.request('POST', '/api/v1/integration/webhook', { token: key, json: { url: hookUrl } });
    assert.equal(same.body.secret, null, `the secret stays: ${same.text}`);
  });

  test('URLs must be http(s), without credentials; private and loopback addresses are refused in production (SSRF)', async () => {
    for (const url of ['ftp://example.com/x', 'not a url', 'javascript:alert(1)', 'https://user:pw@example.com/hook', '']) {
      const res = await t.request('POST', '/api/v1/integration/webhook', { token: key, json: { url } });
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.ok(res.body.error.fields.url, url);
    }
    const production = { ...t.deps, config: { ...t.deps.config, webhookAllowPrivate: false } };
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://192.168.1.10/hook',
      'http://172.16.0.5/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/',
      'http://api.internal/hook',
    ]) {
      await assert.rejects(
        setOwnWebhook(production, gencil.principal, { url }),
        (err: { code?: string; fields?: Record<string, string> }) => err.code === 'invalid_input' && Boolean(err.fields?.url),
        url,
      );
      await assert.rejects(checkWebhookUrl(url, { allowPrivate: false }), url);
    }
    assert.equal(await checkWebhookUrl('https://8.8.8.8/hook', { allowPrivate: false }), 'https://8.8.8.8/hook');
    assert.equal(isBlockedAddress('203.0.113.9'), true);
    assert.equal(isBlockedAddress('36.89.0.1'), false);
    assert.equal(isBlockedAddress('2001:4860:4860::8888'), false);
  });
});

describe('deliveries: signed, one per event, retried with backoff, logged', () => {
  test('each event the reporter may see is one signed POST; an anonim reporter is in none of them', async () => {
    const filed = await pushReport({ anonymous: true });
    const id = trackingOf(filed);
    let got = await deliver();
    assert.equal(got.length, 1, 'the receipt');
    const first = verify(got[0]!);
    assert.equal(first.t, Math.floor(t.deps.now().getTime() / 1000), 'signed at the time of sending');
    assert.equal(first.payload.type, 'report.event');
    assert.equal(first.payload.event.type, 'submitted');
    assert.equal(first.payload.report.externalId, filed.body.externalId);
    assert.equal(first.payload.report.trackingId, id);
    assert.equal(first.payload.report.url, `https://lapor.example.go.id/laporan/${id}`);
    assert.equal(got[0]!.headers['x-lapor-event-id'], String(first.payload.event.id));
    assert.equal(got[0]!.headers['content-type'], 'application/json');

    await act(id, 'verify', { resolutionClass: 14 });
    await act(id, 'route', {});
    await act(id, 'follow-ups', { message: 'Catatan internal: menunggu anggaran.', internal: true });
    await act(id, 'follow-ups', { message: 'Petugas PLN dan Dinas PU dijadwalkan memperbaiki besok.' });
    got = await deliver();
    const types = got.map((r) => verify(r).payload.event.type);
    assert.deepEqual(types, ['verified', 'routed', 'followed_up']);
    const followUp = verify(got[2]!).payload;
    assert.equal(followUp.event.message, 'Petugas PLN dan Dinas PU dijadwalkan memperbaiki besok.');
    assert.equal(followUp.event.actor.role, 'agency_admin');
    assert.equal(followUp.event.actor.body, 'Pemerintah Kota Pontianak');
    assert.equal(followUp.report.status, 'in_progress');
    assert.ok(!got.some((r) => r.body.includes('internal')), 'a staff-only note is never sent');
    for (const r of [...got, { body: JSON.stringify(first.payload), headers: {} }]) {
      for (const s of [CITIZEN.name, 'Rahmat', CITIZEN.email, '81298765432', agency.name]) assert.ok(!r.body.includes(s), s);
    }
    const rows = await webhookRows('verified', id);
    assert.equal(rows.length, 1, 'one row per event and app');
    assert.match(rows[0]!.idempotency_key, new RegExp(`^webhook:\\d+:${gencil.principal.userId}$`));
    assert.equal(rows[0]!.status, 'sent');
    assert.equal((await deliver()).length, 0, 'nothing is sent twice');
  });

  test('a receiver that answers 500 is tried again after 1, then 2 minutes, and the log shows every attempt', async () => {
    const filed = await pushReport();
    const id = trackingOf(filed);
    await deliver();
    answers.push(500, 503);
    await act(id, 'verify', { resolutionClass: 5 });
    const start = t.deps.now();
    let got = await deliver();
    assert.equal(got.length, 1);
    let [row] = await webhookRows('verified', id);
    assert.equal(row!.status, 'pending');
    assert.equal(row!.attempts, 1);
    assert.equal(row!.available_at.getTime() - start.getTime(), 60_000, 'the first retry after a minute');
    assert.match(row!.last_error!, /HTTP 500/);
    assert.equal((await deliver()).length, 0, 'not before its time');

    t.setNow(new Date(start.getTime() + 60_000));
    got = await deliver();
    assert.equal(got.length, 1);
    [row] = await webhookRows('verified', id);
    assert.equal(row!.attempts, 2);
    assert.equal(row!.available_at.getTime() - t.deps.now().getTime(), 120_000, 'then after two minutes');

    t.setNow(new Date(start.getTime() + 180_000));
    got = await deliver();
    assert.equal(got.length, 1);
    const delivered = verify(got[0]!);
    assert.equal(delivered.payload.event.type, 'verified');
    assert.equal(got[0]!.headers['x-lapor-delivery'], `${row!.id}.3`);
    [row] = await webhookRows('verified', id);
    assert.equal(row!.status, 'sent');

    const log = await t.request('GET', `/api/v1/admin/integrations/${gencil.principal.userId}/deliveries?perPage=3`, {
      token: agency.token,
    });
    assert.equal(log.status, 200, log.text);
    const attempts = log.body.items.filter((d: { eventId: number }) => d.eventId === delivered.payload.event.id);
    assert.deepEqual(
      attempts.map((d: { attempt: number; httpStatus: number; error: string | null }) => [d.attempt, d.httpStatus, d.error]),
      [
        [3, 200, null],
        [2, 503, 'HTTP 503'],
        [1, 500, 'HTTP 500'],
      ],
    );
    assert.ok(attempts.every((d: { latencyMs: number; url: string }) => d.latencyMs >= 0 && d.url === hookUrl));
    assert.deepEqual(
      attempts.map((d: { at: string }) => d.at),
      [new Date(start.getTime() + 180_000), new Date(start.getTime() + 60_000), start].map((d) => d.toISOString()),
    );
    const own = await t.request('GET', '/api/v1/integration/webhook/deliveries', { token: key });
    assert.equal(own.status, 200);
    assert.equal(own.body.total, log.body.total);
    const other = await t.request('GET', `/api/v1/admin/integrations/${gencil.principal.userId}/deliveries`, { token: metroAgency.token });
    assert.equal(other.status, 404, 'another body’s admin reads no log');
  });

  test('a receiver that cannot be reached is retried, and the log says why', async () => {
    const filed = await pushReport();
    await deliver();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await t.deps.db.query('UPDATE integration_webhooks SET url = $2 WHERE integrator_id = $1', [
      gencil.principal.userId,
      `http://127.0.0.1:${port}/gone`,
    ]);
    try {
      await act(trackingOf(filed), 'verify', { resolutionClass: 5 });
      await deliver();
      const [row] = await webhookRows('verified', trackingOf(filed));
      assert.equal(row!.status, 'pending');
      assert.match(row!.last_error!, /ECONNREFUSED/);
      const [logged] = await t.deps.db.query<{ http_status: number | null; error: string }>(
        'SELECT http_status, error FROM webhook_deliveries WHERE outbox_id = $1',
        [row!.id],
      );
      assert.equal(logged!.http_status, null);
      assert.match(logged!.error, /ECONNREFUSED/);
    } finally {
      await t.deps.db.query('UPDATE integration_webhooks SET url = $2 WHERE integrator_id = $1', [gencil.principal.userId, hookUrl]);
    }
    t.setNow(new Date(t.deps.now().getTime() + 60_000));
    const got = await deliver();
    assert.deepEqual(
      got.map((r) => verify(r).payload.event.type),
      ['verified'],
      'the retry goes to the webhook’s URL as it is now',
    );
  });

  test('the sender refuses an internal address at delivery time too (DNS rebinding), for good', async () => {
    const filed = await pushReport();
    await deliver();
    const production = {
      ...dispatch,
      webhook: createWebhookTransport({ ...t.deps, config: { ...t.deps.config, webhookAllowPrivate: false } }),
    };
    const port = (receiver.address() as AddressInfo).port;
    for (const [url, action, json] of [
      [`http://127.0.0.1:${port}/x`, 'verify', { resolutionClass: 5 }],
      [`http://localhost:${port}/x`, 'route', {}],
    ] as const) {
      await t.deps.db.query('UPDATE integration_webhooks SET url = $2 WHERE integrator_id = $1', [gencil.principal.userId, url]);
      const before = received.length;
      await act(trackingOf(filed), action, json);
      await dispatchOutbox(production);
      assert.equal(received.length, before, `${url}: nothing reached the receiver`);
      const [failed] = await t.deps.db.query<{ status: string; last_error: string }>(
        `SELECT status, last_error FROM outbox WHERE channel = 'webhook' ORDER BY id DESC LIMIT 1`,
      );
      assert.equal(failed!.status, 'failed', url);
      assert.match(failed!.last_error, /refused/);
    }
    await t.deps.db.query('UPDATE integration_webhooks SET url = $2 WHERE integrator_id = $1', [gencil.principal.userId, hookUrl]);
  });

  test('a removed webhook: nothing more is written, and what was waiting is given up', async () => {
    const filed = await pushReport();
    await deliver();
    answers.push(500);
    await act(trackingOf(filed), 'verify', { resolutionClass: 5 });
    await deliver();
    const removed = await t.request('DELETE', '/api/v1/integration/webhook', { token: key });
    assert.equal(removed.body.removed, true);
    t.setNow(new Date(t.deps.now().getTime() + 60_000));
    await deliver();
    const [row] = await webhookRows('verified', trackingOf(filed));
    assert.equal(row!.status, 'failed');
    assert.match(row!.last_error!, /webhook removed/);
    await act(trackingOf(filed), 'route', {});
    assert.equal((await webhookRows('routed', trackingOf(filed))).length, 0);
    // changes can still be pulled
    const changes = await t.request('GET', '/api/v1/integration/changes?limit=500', { token: key });
    assert.ok(
      changes.body.items.some(
        (i: { event: { type: string }; report: { trackingId: string } }) =>
          i.event.type === 'routed' && i.report.trackingId === trackingOf(filed),
      ),
    );
    const again = await t.request('POST', '/api/v1/integration/webhook', { token: key, json: { url: hookUrl, rotateSecret: true } });
    assert.notEqual(again.body.secret, secret);
    secret = again.body.secret;
  });

  test('a disabled app hears nothing more: its waiting deliveries are given up', async () => {
    const app = await t.user('integrator', PONTIANAK);
    const made = await t.request('POST', `/api/v1/admin/integrations/${app.principal.userId}/keys`, {
      token: agency.token,
      json: { name: 'x' },
    });
    const appKey = made.body.token as string;
    assert.equal((await t.request('POST', '/api/v1/integration/webhook', { token: appKey, json: { url: hookUrl } })).status, 200);
    const filed = await t.request('POST', '/api/v1/integration/reports', {
      token: appKey,
      json: {
        externalId: 'OFF-1',
        citizen: { id: 'c1' },
        title: 'Trotoar rusak di depan sekolah',
        body: 'Trotoar di depan SDN 3 berlubang dan membahayakan anak-anak yang berjalan kaki.',
        incidentDate: '2026-11-21',
      },
    });
    assert.equal(filed.status, 201, filed.text);
    assert.equal((await t.request('POST', `/api/v1/users/${app.principal.userId}/disable`, { token: agency.token })).status, 200);
    const before = received.length;
    await deliver();
    assert.equal(received.length, before);
    const [row] = await webhookRows('submitted', filed.body.trackingId);
    assert.equal(row!.status, 'failed');
    assert.match(row!.last_error!, /app account disabled/);
  });
});
