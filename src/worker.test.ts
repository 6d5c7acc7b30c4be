import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type TestApp, reportInput, startTestApp } from '../test/support/app.ts';
import { drainOutbox, startWorker } from './worker.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('the worker runs the sweep on pg-boss by itself and delivers what it wrote to the outbox', async () => {
  const citizen = await t.user('reporter');
  const national = await t.user('national_admin');
  const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
  assert.equal(filed.status, 201);
  // The worker's clock is past the verification deadline (Friday 27 Nov, 23:59:59 WIB).
  const later = new Date('2026-11-28T01:00:00Z');
  const worker = await startWorker({
    db: t.deps.db,
    config: t.deps.config,
    now: () => later,
    dispatch: () => drainOutbox({ db: t.deps.db, now: () => later, email: null }),
    log: () => undefined,
  });
  try {
    let breaches = 0;
    for (let i = 0; i < 60 && breaches === 0; i++) {
      await sleep(250);
      breaches = (await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sla_breaches`))[0]!.n;
    }
    assert.equal(breaches, 1, 'the start-up sweep job ran');
    // …and the national admin got the in-app digest of missed deadlines through the outbox.
    let items: { template: string }[] = [];
    for (let i = 0; i < 40 && items.length === 0; i++) {
      await sleep(250);
      t.setNow(later);
      items = (await t.request('GET', '/api/v1/notifications', { token: national.token })).body.items ?? [];
    }
    assert.ok(
      items.some((n) => n.template === 'deadline.missed_digest'),
      JSON.stringify(items),
    );
  } finally {
    await worker.stop();
  }
});
