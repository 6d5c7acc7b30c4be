/**
 * `sla:sweep` on the command line: a future --now is refused unless the database is a test one,
 * and --concurrency has an upper bound. Refusals happen before the database is opened. The child
 * processes use an embedded database in a temporary folder, whatever DATABASE_URL says.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/db.ts';
import { DEFAULT_SLA_LIMITS } from '../domain/sla.ts';
import { MAX_SWEEP_CONCURRENCY } from '../config.ts';
import { sweepDueClocks } from '../features/sla/sweep.ts';
import { FUTURE_SKEW_MS, notATestDatabase, runSlaSweep } from './sla-sweep.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

let dataDir: string;
before(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-sweep-cli-'));
});
after(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DEMO: 'false', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  delete childEnv.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'src/cli.ts'), 'sla:sweep', ...args], { cwd: ROOT, env: childEnv });
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

const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString().replace('Z', '+00:00');

describe('sla:sweep refuses, before opening the database', () => {
  test('a --now in the future (beyond a minute), with a message that says why and what to do', async () => {
    const future = inFuture(24 * 3600_000);
    const res = await cli(['--now', future]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /is in the future/);
    assert.ok(res.stderr.includes(future), res.stderr);
    assert.match(res.stderr, /--test-database/);
    assert.equal(res.stdout, '');
    assert.ok(!fs.existsSync(path.join(dataDir, 'pgdata')), 'the database was not opened');
  });

  test(`--concurrency above ${MAX_SWEEP_CONCURRENCY}, naming the bound; SLA_SWEEP_CONCURRENCY too`, async () => {
    for (const n of [MAX_SWEEP_CONCURRENCY + 1, 1000]) {
      const res = await cli(['--now', '2026-11-28T00:00:00+07:00', '--concurrency', String(n)]);
      assert.equal(res.code, 2, res.stderr);
      assert.ok(res.stderr.includes(`--concurrency must be at most ${MAX_SWEEP_CONCURRENCY}, got ${n}`), res.stderr);
      assert.equal(res.stdout, '');
    }
    const env = await cli(['--now', '2026-11-28T00:00:00+07:00'], { SLA_SWEEP_CONCURRENCY: '64' });
    assert.equal(env.code, 2, env.stderr);
    assert.match(env.stderr, new RegExp(`SLA_SWEEP_CONCURRENCY must be an integer from 1 to ${MAX_SWEEP_CONCURRENCY}, got "64"`));
    assert.ok(!fs.existsSync(path.join(dataDir, 'pgdata')), 'the database was not opened');
  });

  test('--test-database on a database that is not plausibly a test one (a PostgreSQL name without "test", a DATA_DIR outside the temporary folder)', async () => {
    const future = inFuture(24 * 3600_000);
    // Never connected to: the port is closed, and the refusal comes first.
    const pg = await cli(['--now', future, '--test-database'], { DATABASE_URL: 'postgres://lapor@127.0.0.1:1/lapor_produksi' });
    assert.equal(pg.code, 2, pg.stderr);
    assert.match(pg.stderr, /--test-database refused: the PostgreSQL database "lapor_produksi" does not have "test" in its name/);
    // Outside the temporary directory wherever the checkout lives (CI may clone into /tmp).
    const notTmp = '/srv/lapor-bukan-uji/data';
    const embedded = await cli(['--now', future, '--test-database'], { DATA_DIR: notTmp });
    assert.equal(embedded.code, 2, embedded.stderr);
    assert.match(embedded.stderr, /--test-database refused: DATA_DIR .* is not a folder inside the temporary directory/);
    assert.ok(!fs.existsSync(notTmp));
    // The flag is a claim, checked even where the instant is in the past.
    const past = await cli(['--now', '2026-11-28T00:00:00+07:00', '--test-database'], { DATA_DIR: notTmp });
    assert.equal(past.code, 2, past.stderr);
    assert.match(past.stderr, /--test-database refused/);
  });
});

describe('sla:sweep runs', () => {
  test(`a future --now with --test-database on a temporary data folder, at --concurrency ${MAX_SWEEP_CONCURRENCY}`, async () => {
    const future = new Date(Date.now() + 30 * 24 * 3600_000);
    const res = await cli(['--now', future.toISOString(), '--test-database', '--concurrency', String(MAX_SWEEP_CONCURRENCY)]);
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.now, future.toISOString());
  });

  test('a --now within a minute ahead of the clock (clock skew between machines), and one in the past', async () => {
    const soon = new Date(Date.now() + 30_000);
    const res = await cli(['--now', soon.toISOString()]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(JSON.parse(res.stdout.trim().split('\n').at(-1)!).now, soon.toISOString());
    const past = await cli(['--now', new Date(Date.now() - 7 * 24 * 3600_000).toISOString()]);
    assert.equal(past.code, 0, past.stderr);
  });
});

describe('the rules, in process', () => {
  const config = loadConfig({ DATA_DIR: path.join(os.tmpdir(), 'lapor-never-opened'), DEMO: 'false' });
  const clock = new Date('2026-11-24T03:00:00Z');
  const run = async (args: string[], conf = config) => {
    const err: string[] = [];
    const code = await runSlaSweep(args, conf, 'USAGE', { clock: () => clock, err: (t) => err.push(t), out: () => assert.fail('ran') });
    return { code, err: err.join('\n') };
  };

  test(`the skew allowed is one minute: ${FUTURE_SKEW_MS} ms ahead passes the check, one more is refused`, async () => {
    assert.equal(FUTURE_SKEW_MS, 60_000);
    const refused = await run(['--now', new Date(clock.getTime() + FUTURE_SKEW_MS + 1000).toISOString()]);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /in the future \(the clock says 2026-11-24T03:00:00.000Z\)/);
    // Within the skew the check passes and the command goes on to open the database: with a
    // PostgreSQL URL on a closed port that fails to connect, which shows it got past the check.
    const pgConfig = { ...config, databaseUrl: 'postgres://lapor@127.0.0.1:1/lapor_test' };
    await assert.rejects(run(['--now', new Date(clock.getTime() + FUTURE_SKEW_MS - 1000).toISOString()], pgConfig), /ECONNREFUSED|connect/);
  });

  test('what counts as a test database', () => {
    const tmp = os.tmpdir();
    assert.equal(notATestDatabase({ databaseUrl: null, dataDir: path.join(tmp, 'lapor-x') }), null);
    assert.equal(notATestDatabase({ databaseUrl: null, dataDir: path.join(tmp, 'a', 'b') }), null);
    assert.match(notATestDatabase({ databaseUrl: null, dataDir: tmp })!, /not a folder inside the temporary directory/);
    assert.match(notATestDatabase({ databaseUrl: null, dataDir: '/srv/lapor/data' })!, /not a folder inside/);
    assert.match(notATestDatabase({ databaseUrl: null, dataDir: `${tmp}-lain/x` })!, /not a folder inside/);
    assert.match(notATestDatabase({ databaseUrl: null, dataDir: path.join(tmp, '..', 'etc') })!, /not a folder inside/);
    for (const name of ['test_ops', 'lapor_test', 'TEST']) {
      assert.equal(notATestDatabase({ databaseUrl: `postgres://u@h:5432/${name}`, dataDir: '/srv/x' }), null, name);
    }
    for (const name of ['lapor', 'lapor_prod', '']) {
      assert.match(
        notATestDatabase({ databaseUrl: `postgres://u@h:5432/${name}`, dataDir: path.join(tmp, 'x') })!,
        /does not have "test"/,
        name,
      );
    }
  });

  test('the sweep itself refuses a concurrency above the bound', async () => {
    const db = { kind: 'postgres' } as unknown as Db;
    await assert.rejects(
      sweepDueClocks({ db, limits: DEFAULT_SLA_LIMITS }, clock, { concurrency: MAX_SWEEP_CONCURRENCY + 1 }),
      new RegExp(`from 1 to ${MAX_SWEEP_CONCURRENCY}`),
    );
  });
});
