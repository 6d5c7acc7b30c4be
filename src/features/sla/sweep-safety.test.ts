/**
 * The deadline sweep under the two things that happen to it in production: two workers running it
 * at once, and a worker killed in the middle of it. Either way every due clock must fire exactly
 * once: one breach row, one 'deadline_missed' event, and one place in one digest per body and sweep,
 * nothing lost and nothing repeated.
 *
 * Runs on the embedded engine by default and on PostgreSQL when DATABASE_URL is set; the kill test
 * uses a real data folder on the embedded engine, and the test's own database on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeOn } from '../../../test/support/engine.ts';
import { type TestApp, reportInput, startTestApp } from '../../../test/support/app.ts';
import { type Config, loadConfig } from '../../config.ts';
import { type Db, type Queryable, openDb } from '../../db/db.ts';
import { migrate } from '../../db/migrate.ts';
import { seedReference } from '../../db/seed/reference.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { startWorker } from '../../worker.ts';
import { createStaffUser, registerReporter } from '../accounts/accounts.service.ts';
import { LocalDiskStorage } from '../attachments/storage.ts';
import { submitReport } from '../reports/reports.service.ts';
import { type SweepResult, sweepDueClocks } from './sweep.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'src/cli.ts');

// Filed on a Tuesday morning (10:00 WIB): verification is due on Friday 27 November, 23:59:59 WIB,
// with its reminder 24 hours earlier. The Ombudsman clock (60 days) stays far off.
const FILED_AT = new Date('2026-11-24T03:00:00Z');
const BEFORE_ANYTHING = new Date('2026-11-24T04:00:00Z');
const REMIND_AT = new Date('2026-11-27T05:00:00Z'); // after the reminder, before the deadline
const SWEEP_AT = new Date('2026-12-01T03:00:00Z'); // every verification deadline has passed

interface Effects {
  breaches: number;
  expiredClocks: number;
  missedEvents: number;
  missedEventReports: number;
  reminderEvents: number;
  remindedClocks: number;
  outboxRows: number;
  outboxKeys: number;
  /** Outbox rows per (clock, recipient, channel) beyond the first: must be 0. */
  outboxDuplicates: number;
  /** Breaches listed across the digests (each digest counted once, however many it went to). */
  digestedBreaches: number;
  digests: number;
  digestMessages: number;
  /** Breached clocks not yet in any digest. */
  undigested: number;
  reminderMessages: number;
  /** Running clocks still due at the instant asked about. */
  dueLeft: number;
  /** Half-done work: a clock expired without its breach or event, or a breach without an expired clock. */
  torn: number;
}

async function effects(db: Queryable, now: Date): Promise<Effects> {
  const [row] = await db.query<Effects>(
    `SELECT
       (SELECT count(*) FROM sla_breaches) AS "breaches",
       (SELECT count(*) FROM report_clocks WHERE state = 'expired' AND breached_at IS NOT NULL) AS "expiredClocks",
       (SELECT count(*) FROM report_events WHERE type = 'deadline_missed') AS "missedEvents",
       (SELECT count(DISTINCT report_id) FROM report_events WHERE type = 'deadline_missed') AS "missedEventReports",
       (SELECT count(*) FROM report_events WHERE type = 'deadline_reminder') AS "reminderEvents",
       (SELECT count(*) FROM report_clocks WHERE reminded_at IS NOT NULL) AS "remindedClocks",
       (SELECT count(*) FROM outbox) AS "outboxRows",
       (SELECT count(DISTINCT idempotency_key) FROM outbox) AS "outboxKeys",
       (SELECT coalesce(sum(n - 1), 0) FROM (
          SELECT count(*) AS n FROM outbox
           GROUP BY regexp_replace(idempotency_key, ':[a-z_]+:[0-9]+$', ''), template, recipient_user_id, channel) d) AS "outboxDuplicates",
       (SELECT coalesce(sum(c), 0) FROM (
          SELECT DISTINCT regexp_replace(idempotency_key, ':[a-z_]+:[0-9]+$', '') AS k, (payload->>'count')::int AS c
            FROM outbox WHERE template = 'deadline.missed_digest') d) AS "digestedBreaches",
       (SELECT count(DISTINCT regexp_replace(idempotency_key, ':[a-z_]+:[0-9]+$', ''))
          FROM outbox WHERE template = 'deadline.missed_digest') AS "digests",
       (SELECT count(*) FROM outbox WHERE template = 'deadline.missed_digest') AS "digestMessages",
       (SELECT count(*) FROM breach_digest_queue) AS "undigested",
       (SELECT count(*) FROM outbox WHERE template = 'deadline.reminder') AS "reminderMessages",
       (SELECT count(*) FROM report_clocks WHERE state = 'running' AND next_fire_at <= $1) AS "dueLeft",
       (SELECT count(*) FROM report_clocks c
         WHERE c.state = 'expired'
           AND (c.breached_at IS NULL
                OR NOT EXISTS (SELECT 1 FROM report_events e
                                WHERE e.report_id = c.report_id AND e.type = 'deadline_missed' AND e.data->>'clock' = c.kind)))
       + (SELECT count(*) FROM report_clocks WHERE state <> 'expired' AND breached_at IS NOT NULL)
       AS "torn"`,
    [now],
  );
  return row!;
}

/** How many outbox rows one notification to the national admins makes: in-app, plus email where there is an address. */
async function nationalAdminChannels(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT coalesce(sum(1 + (email IS NOT NULL)::int), 0) AS n FROM users WHERE role = 'national_admin' AND disabled_at IS NULL`,
  );
  return row!.n;
}

const sum = (results: SweepResult[], key: keyof SweepResult) => results.reduce((n, r) => n + r[key], 0);

/** Files `count` reports through the service at `deps.now()`, each with its verification and Ombudsman clocks. */
async function fileReports(deps: AppDeps, reporter: Principal, count: number, label: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await submitReport(
      deps,
      reporter,
      {
        classification: 'pengaduan',
        title: `Lampu penerangan jalan mati ${label}-${i}`,
        body: 'Lampu penerangan jalan umum di gang ini sudah mati sejak awal bulan sehingga jalan gelap di malam hari.',
        incidentDate: '2026-11-20',
        regionCode: '61.71.01',
        anonymous: false,
        secret: false,
        channel: 'web',
      },
      [],
    );
  }
}

// ---------------------------------------------------------------------------------------------

describe('two sweeps racing', () => {
  const N = 60;
  let t: TestApp;
  let second: Db;
  let recipients = 0;

  before(async () => {
    t = await startTestApp();
    t.setNow(FILED_AT);
    await t.user('national_admin');
    await t.user('national_admin');
    recipients = await nationalAdminChannels(t.deps.db);
    assert.ok(recipients >= 4, 'two national admins with email: 4 messages per missed verification deadline');
    const citizen = await t.user('reporter');
    for (let i = 0; i < N; i++) {
      const res = await t.request('POST', '/api/v1/reports', {
        token: citizen.token,
        json: reportInput({ title: `Jalan rusak nomor ${i}` }),
      });
      assert.equal(res.status, 201, res.text);
    }
    // On PostgreSQL the second worker has its own pool, so the two really run side by side.
    second = t.deps.db.kind === 'postgres' ? await openDb({ databaseUrl: t.deps.db.url!, poolSize: 4 }) : t.deps.db;
  });

  after(async () => {
    if (second && second !== t.deps.db) await second.close();
    await t?.close();
  });

  test('N verification clocks are running, none due yet', async () => {
    const [row] = await t.deps.db.query<{ n: number; overdue: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE due_at < $1 AND reminder_at < $2 AND reminder_at > $3) AS overdue
         FROM report_clocks WHERE kind = 'verification' AND state = 'running'`,
      [SWEEP_AT, REMIND_AT, BEFORE_ANYTHING],
    );
    assert.deepEqual(row, { n: N, overdue: N });
    assert.equal((await effects(t.deps.db, BEFORE_ANYTHING)).dueLeft, 0);
  });

  test('racing reminders: each clock reminded once', async () => {
    const limits = t.deps.config.sla;
    const results = await Promise.all([
      sweepDueClocks({ db: t.deps.db, limits }, REMIND_AT, { batchSize: 5 }),
      sweepDueClocks({ db: second, limits }, REMIND_AT, { batchSize: 5 }),
    ]);
    console.log(`# reminders split between the two workers: ${results.map((r) => r.reminders).join(' + ')}`);
    assert.equal(sum(results, 'reminders'), N);
    assert.equal(sum(results, 'breaches'), 0);
    const e = await effects(t.deps.db, REMIND_AT);
    assert.equal(e.reminderEvents, N);
    assert.equal(e.remindedClocks, N);
    assert.equal(e.reminderMessages, N * recipients);
    assert.equal(e.outboxRows, e.outboxKeys);
    assert.equal(e.outboxDuplicates, 0);
    assert.equal(e.dueLeft, 0);
  });

  test('racing breaches: each clock breached once, one event and one message per recipient and channel', async () => {
    const limits = t.deps.config.sla;
    // The first worker also runs three batches at once (on PostgreSQL; the embedded database runs one).
    const results = await Promise.all([
      sweepDueClocks({ db: t.deps.db, limits }, SWEEP_AT, { batchSize: 5, concurrency: 3 }),
      sweepDueClocks({ db: second, limits }, SWEEP_AT, { batchSize: 5 }),
    ]);
    console.log(`# breaches split between the two workers: ${results.map((r) => r.breaches).join(' + ')} (${t.deps.db.kind})`);
    assert.equal(sum(results, 'breaches'), N);
    assert.equal(sum(results, 'reminders'), 0, 'a reminder whose deadline has passed is not sent');
    assert.equal(sum(results, 'escalated'), 0);
    const e = await effects(t.deps.db, SWEEP_AT);
    assert.equal(e.breaches, N);
    assert.equal(e.expiredClocks, N);
    assert.equal(e.missedEvents, N);
    assert.equal(e.missedEventReports, N);
    // One digest per worker that found breaches (not one message per breach), listing each breach once.
    assert.equal(e.digestedBreaches, N);
    assert.equal(e.undigested, 0);
    assert.ok(e.digests >= 1 && e.digests <= 2, `${e.digests} digests`);
    assert.equal(sum(results, 'digests'), e.digests);
    assert.equal(e.digestMessages, e.digests * recipients);
    assert.equal(e.outboxRows, e.outboxKeys, 'idempotency keys are unique');
    assert.equal(e.outboxDuplicates, 0, 'one outbox row per (clock, recipient, channel)');
    assert.equal(e.dueLeft, 0);
    assert.equal(e.torn, 0);
  });

  test('sweeping again changes nothing', async () => {
    const before = await effects(t.deps.db, SWEEP_AT);
    const again = await Promise.all([
      sweepDueClocks({ db: t.deps.db, limits: t.deps.config.sla }, SWEEP_AT, { batchSize: 5 }),
      sweepDueClocks({ db: second, limits: t.deps.config.sla }, SWEEP_AT),
    ]);
    for (const r of again)
      assert.deepEqual(
        { ...r, batches: 0 },
        { reminders: 0, breaches: 0, autoClosed: 0, archivedIncomplete: 0, escalated: 0, batches: 0, digests: 0 },
      );
    // Three lanes on PostgreSQL each look once and find nothing, then the closing pass looks once
    // more; the embedded database runs one.
    const idle = await sweepDueClocks({ db: t.deps.db, limits: t.deps.config.sla }, SWEEP_AT, { concurrency: 3 });
    assert.equal(idle.batches, t.deps.db.kind === 'postgres' ? 4 : 1);
    assert.deepEqual(await effects(t.deps.db, SWEEP_AT), before);
  });
});

describeOn('postgres', 'two pg-boss workers', 'the embedded database is held by one process', () => {
  const N = 30;
  let t: TestApp;
  let second: Db;

  before(async () => {
    t = await startTestApp();
    t.setNow(FILED_AT);
    await t.user('national_admin');
    const citizen = await t.user('reporter');
    await fileReports(t.deps, citizen.principal, N, 'boss');
    second = await openDb({ databaseUrl: t.deps.db.url!, poolSize: 4 });
  });

  after(async () => {
    await second?.close();
    await t?.close();
  });

  test('two workers on one queue, extra sweep jobs sent by both: every clock fires once', async () => {
    const quiet = () => undefined;
    const workers = [
      await startWorker({ db: t.deps.db, config: t.deps.config, now: () => SWEEP_AT, log: quiet }),
      await startWorker({ db: second, config: t.deps.config, now: () => SWEEP_AT, log: quiet }),
    ];
    try {
      // More jobs than needed, from both: pg-boss delivers at least once; the sweep must absorb repeats.
      for (const w of workers) for (let i = 0; i < 3; i++) await w.boss.send('sla.sweep', {});
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [row] = await t.deps.db.query<{ due: number; pending: number }>(
          `SELECT (SELECT count(*) FROM report_clocks WHERE state = 'running' AND next_fire_at <= $1) AS due,
                  (SELECT count(*) FROM pgboss.job WHERE name = 'sla.sweep' AND state IN ('created', 'retry', 'active')) AS pending`,
          [SWEEP_AT],
        );
        if (row!.due === 0 && row!.pending === 0) break;
        assert.ok(Date.now() < deadline, `workers did not finish: ${JSON.stringify(row)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const jobs = await t.deps.db.query<{ state: string; n: number }>(
        `SELECT state, count(*) AS n FROM pgboss.job WHERE name = 'sla.sweep' GROUP BY state ORDER BY state`,
      );
      assert.ok(
        jobs.some((j) => j.state === 'completed' && j.n >= 2),
        JSON.stringify(jobs),
      );
      assert.ok(!jobs.some((j) => j.state === 'failed'), JSON.stringify(jobs));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const recipients = await nationalAdminChannels(t.deps.db);
    const e = await effects(t.deps.db, SWEEP_AT);
    assert.equal(e.breaches, N);
    assert.equal(e.missedEvents, N);
    // One digest per worker that found breaches (not one message per breach), listing each breach once.
    assert.equal(e.digestedBreaches, N);
    assert.equal(e.undigested, 0);
    assert.ok(e.digests >= 1, `${e.digests} digests`);
    assert.equal(e.digestMessages, e.digests * recipients);
    assert.equal(e.outboxRows, e.outboxKeys);
    assert.equal(e.outboxDuplicates, 0);
    assert.equal(e.torn, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// A worker killed mid-sweep

interface ChildRun {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function spawnSweep(now: Date, env: Record<string, string>, batchSize = 1): ChildRun {
  const child = spawn(process.execPath, [CLI, 'sla:sweep', '--now', now.toISOString(), '--batch-size', String(batchSize)], {
    cwd: ROOT,
    env: { ...process.env, DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited };
}

async function sweepToTheEnd(now: Date, env: Record<string, string>): Promise<SweepResult> {
  const run = spawnSweep(now, env, 7);
  const done = await run.exited;
  assert.equal(done.code, 0, `sla:sweep failed: ${done.stderr}`);
  return JSON.parse(done.stdout.trim().split('\n').at(-1)!) as SweepResult;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function assertAllFiredOnce(e: Effects, clocks: number, recipients: number): void {
  assert.equal(e.dueLeft, 0, 'nothing left due');
  assert.equal(e.breaches, clocks, 'one breach row per clock');
  assert.equal(e.expiredClocks, clocks);
  assert.equal(e.missedEvents, clocks, "one 'deadline_missed' event per clock");
  assert.equal(e.missedEventReports, clocks);
  assert.equal(e.digestedBreaches, clocks, 'every breach is in exactly one digest');
  assert.equal(e.undigested, 0);
  assert.equal(e.digestMessages, e.digests * recipients, 'each digest to every recipient on every channel');
  assert.equal(e.outboxRows, e.outboxKeys);
  assert.equal(e.outboxDuplicates, 0);
  assert.equal(e.torn, 0);
}

describeOn('embedded', 'a sweep killed mid-way, then run again (embedded data folder)', 'see the PostgreSQL variant', () => {
  const BATCH = 300;
  let dataDir: string;
  let config: Config;
  let reporter: Principal;

  const open = () => openDb({ databaseUrl: null, dataDir });
  const childEnv = () => ({ DATA_DIR: dataDir, DATABASE_URL: '' });

  async function addClocks(count: number, label: string): Promise<void> {
    const db = await open();
    try {
      const deps: AppDeps = { db, config, storage: new LocalDiskStorage(path.join(dataDir, 'attachments')), now: () => FILED_AT };
      await fileReports(deps, reporter, count, label);
    } finally {
      await db.close();
    }
  }

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-sweep-kill-'));
    config = { ...loadConfig({ DATA_DIR: dataDir }), demo: false };
    const db = await open();
    try {
      await migrate(db);
      await seedReference(db);
      await createStaffUser(db, 'cli', {
        role: 'national_admin',
        name: 'Admin Nasional',
        email: 'admin.nasional@test.lapor.go.id',
        phone: null,
        password: 'kata-sandi-uji-123',
        bodyId: null,
      });
      const row = await registerReporter(db, { name: 'Warga', email: 'warga@test.lapor.go.id', password: 'kata-sandi-uji-123' });
      reporter = { userId: row.id, role: row.role, name: row.name, bodyId: null };
    } finally {
      await db.close();
    }
    await addClocks(BATCH, 'a');
  });

  after(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('killed with SIGKILL part-way: nothing half-done; the rerun takes over the stale lock and finishes; each clock fires once', async () => {
    // A sweep at an instant before anything is due costs only the start-up: how long to wait before killing.
    const dryStart = performance.now();
    const dry = await sweepToTheEnd(BEFORE_ANYTHING, childEnv());
    const startup = performance.now() - dryStart;
    assert.equal(dry.breaches + dry.reminders, 0);

    let total = BATCH;
    let delay = startup + 300;
    let partial: { processed: number; due: number } | null = null;
    let staleLocks = 0;
    for (let attempt = 0; attempt < 10 && !partial; attempt++) {
      let db = await open();
      const dueBefore = (await effects(db, SWEEP_AT)).dueLeft;
      await db.close();
      const run = spawnSweep(SWEEP_AT, childEnv(), 1);
      const pid = run.child.pid!;
      const finished = await Promise.race([run.exited.then(() => true), sleep(delay).then(() => false)]);
      if (!finished) {
        run.child.kill('SIGKILL');
        const end = await run.exited;
        assert.equal(end.signal, 'SIGKILL');
        // The dead process left its lock behind (unless it died before taking it); opening must take
        // it over, since its pid no longer runs.
        const lockFile = path.join(dataDir, 'lapor.lock');
        if (fs.existsSync(lockFile)) {
          assert.equal(fs.readFileSync(lockFile, 'utf8').trim(), String(pid));
          staleLocks += 1;
        }
      }
      db = await open();
      const e = await effects(db, SWEEP_AT);
      await db.close();
      assert.equal(e.torn, 0, 'a killed batch leaves no half-done clock');
      assert.equal(e.breaches, e.expiredClocks);
      assert.equal(e.missedEvents, e.breaches);
      const processed = dueBefore - e.dueLeft;
      console.log(
        `# attempt ${attempt + 1}: killed after ${delay.toFixed(0)} ms (start-up ${startup.toFixed(0)} ms): ${processed} of ${dueBefore} due clocks swept${finished ? ' (finished before the kill)' : ''}`,
      );
      if (processed > 0 && e.dueLeft > 0) partial = { processed, due: dueBefore };
      else if (processed === 0) delay *= 1.4;
      else {
        // It finished: more clocks, and kill sooner.
        await addClocks(BATCH, `retry${attempt}`);
        total += BATCH;
        delay = Math.max(startup, delay * 0.8);
      }
    }
    assert.ok(partial, 'could not kill the sweep part-way through');
    assert.ok(staleLocks > 0, 'the killed sweep left its lock file, and it was taken over');

    const db0 = await open();
    const left = (await effects(db0, SWEEP_AT)).dueLeft;
    const recipients = await nationalAdminChannels(db0);
    await db0.close();
    const rerun = await sweepToTheEnd(SWEEP_AT, childEnv());
    assert.equal(rerun.breaches, left, 'the rerun fires exactly what was left');

    const db = await open();
    try {
      assertAllFiredOnce(await effects(db, SWEEP_AT), total, recipients);
      const again = await sweepDueClocks({ db, limits: config.sla }, SWEEP_AT, { batchSize: 1 });
      assert.equal(again.breaches + again.reminders, 0);
    } finally {
      await db.close();
    }
  });
});

describeOn('postgres', 'a sweep killed mid-way, then run again (PostgreSQL)', 'set DATABASE_URL to run on PostgreSQL', () => {
  const BATCH = 300;
  const APP_NAME = `lapor-sweep-kill-${process.pid}`;
  let t: TestApp;
  let reporter: Principal;

  before(async () => {
    t = await startTestApp();
    t.setNow(FILED_AT);
    await t.user('national_admin');
    reporter = (await t.user('reporter')).principal;
    await fileReports(t.deps, reporter, BATCH, 'a');
  });

  after(async () => {
    await t?.close();
  });

  /** Until the killed child's server sessions are gone, its open transaction still holds row locks. */
  async function childSessionsGone(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [row] = await t.deps.db.query<{ n: number }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [
        APP_NAME,
      ]);
      if (row!.n === 0) return;
      assert.ok(Date.now() < deadline, 'the killed sweep’s sessions did not end');
      await sleep(20);
    }
  }

  test('killed with SIGKILL part-way: its batch rolls back; the rerun finishes; each clock fires once', async () => {
    // node-postgres names its sessions from PGAPPNAME, so the child's sessions can be told apart.
    const env = { DATABASE_URL: t.deps.db.url!, PGAPPNAME: APP_NAME };
    let total = BATCH;
    let partial = false;
    for (let attempt = 0; attempt < 5 && !partial; attempt++) {
      const dueBefore = (await effects(t.deps.db, SWEEP_AT)).dueLeft;
      const breachesBefore = (await effects(t.deps.db, SWEEP_AT)).breaches;
      const run = spawnSweep(SWEEP_AT, env, 1);
      let finished = false;
      void run.exited.then(() => (finished = true));
      // Watch the breach ledger grow and kill the worker once a tenth of the clocks are done.
      for (;;) {
        if (finished) break;
        const [row] = await t.deps.db.query<{ n: number }>('SELECT count(*) AS n FROM sla_breaches');
        if (row!.n - breachesBefore >= dueBefore / 10) break;
        await sleep(5);
      }
      const killed = !finished && run.child.kill('SIGKILL');
      await run.exited;
      await childSessionsGone();
      const e = await effects(t.deps.db, SWEEP_AT);
      assert.equal(e.torn, 0, 'a killed batch leaves no half-done clock');
      const processed = dueBefore - e.dueLeft;
      console.log(
        `# attempt ${attempt + 1}: ${processed} of ${dueBefore} due clocks swept${killed ? ' before the kill' : ' (it finished first)'}`,
      );
      if (processed > 0 && e.dueLeft > 0) partial = true;
      else {
        await fileReports(t.deps, reporter, BATCH, `retry${attempt}`);
        total += BATCH;
      }
    }
    assert.ok(partial, 'could not kill the sweep part-way through');

    const left = (await effects(t.deps.db, SWEEP_AT)).dueLeft;
    const rerun = await sweepToTheEnd(SWEEP_AT, env);
    assert.equal(rerun.breaches, left, 'the rerun fires exactly what was left');
    assertAllFiredOnce(await effects(t.deps.db, SWEEP_AT), total, await nationalAdminChannels(t.deps.db));
    const again = await sweepDueClocks({ db: t.deps.db, limits: t.deps.config.sla }, SWEEP_AT);
    assert.equal(again.breaches + again.reminders, 0);
  });
});
