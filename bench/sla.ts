/**
 * Deadline sweep benchmark (npm run bench:sla): how long sweepDueClocks takes to fire the clocks
 * that are due among a million open reports, and whether that time follows the number due (it
 * should: the sweep reads a partial index on next_fire_at) rather than the number open.
 *
 *  1. (Re)creates the database named by BENCH_DATABASE_URL, migrates it, loads the reference data,
 *     and gives every body an admin with an email address (each breach notifies the body's admins).
 *  2. Bulk-loads open reports (status 'dispositioned') with a running 'resolution' clock each, in
 *     one INSERT … SELECT generate_series per table: due times spread over the next 60 days, 1 % of
 *     them already past. VACUUM ANALYZE.
 *  3. EXPLAIN (ANALYZE, BUFFERS) of the sweep's SELECT, to show the partial index at work.
 *  4. Sweeps, each timed, with the statements it ran counted and timed by kind:
 *       (a) 1,000,000 open / 10,000 due   (b) 1,000,000 open / 1,000 due   (idle) 1,000,000 open / 0 due
 *       (c) 100,000 open / 10,000 due     (TRUNCATE and reload)
 *  5. A summary with the target: the sweep of 10k due among 1M in ≤ 1 s.
 *
 * Always exits 0 once it has run (it is a benchmark, not a test); 1 when it could not run.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   postgres://postgres@127.0.0.1:5432/lapor_bench_sla — DROPPED and re-created
 *   BENCH_OPEN           open reports in the large runs, default 1000000 (the small run has a tenth)
 *   BENCH_BATCH_SIZE     the sweep's batch size, default its own (200)
 *   BENCH_CONCURRENCY    batches the sweep runs at once, default its own (2)
 *   BENCH_SRC_DIR        checkout whose src/features/sla/sweep.ts is timed, default this one (A/B runs
 *                        of a changed sweep against the same data)
 *   BENCH_QUIET_WAIT     seconds to wait before each sweep for other work on the machine to settle, default 20
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Db, type Queryable, type Tx, openDb } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedReference } from '../src/db/seed/reference.ts';
import { DEFAULT_SLA_LIMITS } from '../src/domain/sla.ts';
import type { SweepResult, sweepDueClocks as SweepFn, sendMissedDigests as DigestFn } from '../src/features/sla/sweep.ts';
import { type MachineTicks, TICKS_PER_SECOND, machinePercent, machineTicks, readTicks, recreateDatabase, waitForQuiet } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/lapor_bench_sla';
function posInt(raw: string | undefined, fallback: number): number {
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${raw}"`);
  return n;
}
const OPEN = posInt(env.BENCH_OPEN, 1_000_000);
const BATCH_SIZE = env.BENCH_BATCH_SIZE ? posInt(env.BENCH_BATCH_SIZE, 200) : undefined;
const CONCURRENCY = env.BENCH_CONCURRENCY ? posInt(env.BENCH_CONCURRENCY, 2) : undefined;
const SRC_DIR = path.resolve(env.BENCH_SRC_DIR?.trim() || ROOT);
const TARGET_MS = 1000;
const QUIET_WAIT_SECONDS = env.BENCH_QUIET_WAIT ? Number(env.BENCH_QUIET_WAIT) : 20;
/** Machine busy share (% of one core) under which it counts as quiet. */
const QUIET_BUSY_PCT = 25;
/** The instant the sweeps run at: a Tuesday morning in Jakarta. */
const NOW = new Date('2026-11-24T02:00:00Z');

// ---------------------------------------------------------------------------------------------
// Small helpers

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const pad = (s: string, n: number) => s.padStart(n);
const padEnd = (s: string, n: number) => s.padEnd(n);
const int = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc: who used the cores during a sweep (other work on the machine skews it)

/** All PostgreSQL processes, reaped children included. */
function postgresTicks(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += readTicks(Number(pid), true);
    } catch {
      // gone
    }
  }
  return total;
}

interface CpuSample {
  at: number;
  machine: MachineTicks;
  postgres: number;
  self: number;
}
interface CpuShare {
  machine: number;
  iowait: number;
  postgres: number;
  bench: number;
  other: number;
}

function sampleCpu(): CpuSample {
  const self = process.cpuUsage();
  return { at: performance.now(), machine: machineTicks(), postgres: postgresTicks(), self: self.user + self.system };
}

/** Shares in % of one core over the interval. */
function cpuShare(a: CpuSample, b: CpuSample): CpuShare {
  const secs = (b.at - a.at) / 1000;
  const machine = machinePercent(a.machine, b.machine);
  const iowait = machinePercent(a.machine, b.machine, 'iowait');
  const postgres = (100 * (b.postgres - a.postgres)) / TICKS_PER_SECOND / secs;
  const bench = (100 * (b.self - a.self)) / 1e6 / secs;
  return { machine, iowait, postgres, bench, other: Math.max(0, machine - postgres - bench) };
}

// ---------------------------------------------------------------------------------------------
// A Db that counts and times every statement the sweep sends, grouped by what it does

interface StatementStats {
  count: number;
  ms: number;
}

class Profiler {
  readonly byKind = new Map<string, StatementStats>();
  statements = 0;
  transactions = 0;
  ms = 0;
  reset(): void {
    this.byKind.clear();
    this.statements = 0;
    this.transactions = 0;
    this.ms = 0;
  }
  record(sql: string, ms: number): void {
    const kind = sql
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^(SELECT .*? FROM (\w+)).*$/i, 'SELECT … FROM $2')
      .replace(/^(UPDATE \w+ SET \w+).*$/i, '$1 …')
      .replace(/^(INSERT INTO \w+).*$/i, '$1 …')
      .replace(/^(WITH \w+).*$/i, '$1 …')
      .slice(0, 60);
    const s = this.byKind.get(kind) ?? { count: 0, ms: 0 };
    s.count += 1;
    s.ms += ms;
    this.byKind.set(kind, s);
    this.statements += 1;
    this.ms += ms;
  }
}

function profiled(db: Db, profiler: Profiler): Db {
  const wrap = <Q extends Queryable>(q: Q): Q =>
    ({
      ...q,
      query: async <T>(sql: string, params?: unknown[]) => {
        const started = performance.now();
        try {
          return await q.query<T>(sql, params);
        } finally {
          profiler.record(sql, performance.now() - started);
        }
      },
    }) as Q;
  return {
    ...wrap(db),
    kind: db.kind,
    url: db.url,
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    transaction: (fn) => {
      profiler.transactions += 1;
      return db.transaction((tx: Tx) => fn({ ...wrap(tx), exec: (sql) => tx.exec(sql) }));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Data

const BODIES = [
  'Lampu penerangan jalan umum di gang ini mati sejak awal bulan sehingga jalan gelap di malam hari.',
  'Jalan berlubang besar di depan pasar sudah dua bulan dan membahayakan pengendara sepeda motor.',
  'Pelayanan pembuatan KTP elektronik di kecamatan sangat lambat dan antrean tidak tertib.',
  'Sampah menumpuk di tempat pembuangan sementara dan tidak diangkut selama seminggu.',
  'Air PDAM tidak mengalir ke rumah warga selama tiga hari tanpa pemberitahuan.',
  'Guru honorer belum menerima gaji selama dua bulan terakhir.',
  'Saluran drainase tersumbat sehingga jalan tergenang setiap kali hujan.',
  'Pungutan liar saat pengurusan surat keterangan di kantor kelurahan.',
];

/** Bodies that hold reports: every body but units and Ombudsman offices. */
const HOLDER_BODIES = `SELECT id FROM bodies WHERE kind NOT IN ('unit', 'ombudsman') AND active`;

async function prepareReference(db: Db): Promise<{ reporterId: number; bodies: number; admins: number }> {
  const [reporter] = await db.query<{ id: number }>(
    `INSERT INTO users (role, name, email) VALUES ('reporter', 'Warga Bench', 'warga.bench@example.test') RETURNING id`,
  );
  // One admin with an email per body: a breach then makes two outbox rows (in-app and email).
  const admins = await db.query<{ id: number }>(
    `INSERT INTO users (role, name, email, body_id)
     SELECT 'agency_admin', 'Admin ' || b.code, 'admin.' || b.id || '@example.test', b.id FROM (${HOLDER_BODIES}) h JOIN bodies b ON b.id = h.id
     RETURNING id`,
  );
  const [bodies] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM (${HOLDER_BODIES}) h`);
  return { reporterId: reporter!.id, bodies: bodies!.n, admins: admins.length };
}

/**
 * `open` reports with a running resolution clock each; every (open/due)-th one is already past
 * its deadline (spread through the table, as real late clocks are), the rest due within 60 days.
 */
async function load(db: Db, reporterId: number, open: number, due: number): Promise<{ reportsMs: number; clocksMs: number }> {
  const every = Math.floor(open / due);
  const reports = await timed(() =>
    db.query(
      `WITH holders AS (SELECT array_agg(id ORDER BY id) AS ids FROM (${HOLDER_BODIES}) h),
            texts AS (SELECT $4::text[] AS bodies)
       INSERT INTO reports (tracking_id, classification, title, body, incident_date, region_code, status, resolution_class,
                            body_id, reporter_id, channel, verified_at, created_at, updated_at)
       SELECT 'B' || lpad(g::text, 9, '0'), 'pengaduan', 'Laporan warga nomor ' || g,
              texts.bodies[1 + (g % cardinality(texts.bodies))], DATE '2026-09-01', NULL, 'dispositioned', 14,
              holders.ids[1 + floor(random() * cardinality(holders.ids))::int], $1, 'web',
              $2::timestamptz - interval '3 days', $2::timestamptz - interval '5 days', $2::timestamptz - interval '3 days'
         FROM generate_series(1, $3::int) g, holders, texts`,
      [reporterId, NOW, open, BODIES],
    ),
  );
  const clocks = await timed(() =>
    db.query(
      `INSERT INTO report_clocks (report_id, kind, cycle, state, limit_days, limit_unit, calendar_body_id, time_zone,
                                  started_at, counted_from, count_days, due_at, reminder_at, next_fire_at)
       SELECT r.id, 'resolution', 1, 'running', 60, 'calendar', r.body_id, 'Asia/Jakarta', r.verified_at, r.verified_at, 60,
              d.due, NULL, d.due
         FROM reports r
         CROSS JOIN LATERAL (SELECT CASE WHEN r.id % $2 = 0 AND r.id / $2 <= $3
                                         THEN $1::timestamptz - random() * interval '7 days'
                                         ELSE $1::timestamptz + interval '1 minute' + random() * interval '60 days' END AS due) d`,
      [NOW, every, due],
    ),
  );
  return { reportsMs: reports.ms, clocksMs: clocks.ms };
}

async function clear(db: Db): Promise<void> {
  await db.exec('TRUNCATE report_clocks, notifications, outbox, report_events, reports RESTART IDENTITY CASCADE');
}

async function vacuumAnalyze(db: Db): Promise<number> {
  const started = performance.now();
  for (const table of ['reports', 'report_clocks', 'outbox', 'report_events', 'notifications']) {
    await db.exec(`VACUUM ANALYZE ${table}`);
  }
  return performance.now() - started;
}

async function counts(db: Queryable): Promise<{ open: number; due: number }> {
  const [row] = await db.query<{ open: number; due: number }>(
    `SELECT count(*) FILTER (WHERE state = 'running') AS open,
            count(*) FILTER (WHERE state = 'running' AND next_fire_at <= $1) AS due
       FROM report_clocks`,
    [NOW],
  );
  return row!;
}

/** The sweep's SELECT as sweep.ts sends it, explained in a transaction that is rolled back (it takes row locks). */
async function explainSweepSelect(db: Db, claimSql: string, batchSize: number): Promise<string[]> {
  return db
    .transaction(async (tx) => {
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${claimSql}`, [NOW, batchSize]);
      throw Object.assign(new Error('rollback'), { plan: rows.map((r) => r['QUERY PLAN']) });
    })
    .catch((err: { plan?: string[] }) => {
      if (!err.plan) throw err;
      return err.plan;
    });
}

interface Run {
  label: string;
  open: number;
  due: number;
  ms: number;
  /** The missed-deadline digests written after the firing (0 when the version measured has none). */
  digestMs: number;
  walBytes: number;
  checkpoints: number;
  /** Busy share of the machine before the sweep (after waiting for quiet), and who used the CPU during it. */
  busyBefore: number;
  cpu: CpuShare;
  result: SweepResult;
  statements: number;
  transactions: number;
  dbMs: number;
  byKind: Map<string, StatementStats>;
}

/**
 * WAL position and checkpoints so far: what a sweep writes, and whether a checkpoint fell inside it.
 * Both are server-wide: other databases' writes during the sweep count too.
 */
async function walMark(db: Queryable): Promise<{ lsn: string; checkpoints: number }> {
  const [row] = await db.query<{ lsn: string; checkpoints: number }>(
    `SELECT pg_current_wal_lsn()::text AS lsn, (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) AS checkpoints`,
  );
  return row!;
}

async function sweepRun(label: string, db: Db, sweep: typeof SweepFn, digest?: typeof DigestFn): Promise<Run> {
  const before = await counts(db);
  const profiler = new Profiler();
  const wrapped = profiled(db, profiler);
  const busyBefore = await waitForQuiet(QUIET_WAIT_SECONDS, QUIET_BUSY_PCT);
  const wal0 = await walMark(db);
  const cpu0 = sampleCpu();
  // Firing the clocks (the target), then the missed-deadline digests, timed apart.
  const { value: result, ms } = await timed(() =>
    sweep({ db: wrapped, limits: DEFAULT_SLA_LIMITS }, NOW, { batchSize: BATCH_SIZE, concurrency: CONCURRENCY, digest: false }),
  );
  const digestStart = performance.now();
  if (digest) result.digests = await wrapped.transaction((tx) => digest(tx, NOW, null));
  const digestMs = performance.now() - digestStart;
  const cpu = cpuShare(cpu0, sampleCpu());
  const wal1 = await walMark(db);
  const [wal] = await db.query<{ bytes: number }>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) AS bytes', [wal1.lsn, wal0.lsn]);
  const after = await counts(db);
  if (after.due !== 0) throw new Error(`${label}: ${after.due} clocks still due after the sweep`);
  const fired = result.breaches + result.reminders;
  if (fired !== before.due) throw new Error(`${label}: ${before.due} were due, the sweep fired ${fired}`);
  return {
    label,
    open: before.open,
    due: before.due,
    ms,
    digestMs,
    walBytes: wal!.bytes,
    checkpoints: wal1.checkpoints - wal0.checkpoints,
    busyBefore,
    cpu,
    result,
    statements: profiler.statements,
    transactions: profiler.transactions,
    dbMs: profiler.ms,
    byKind: new Map(profiler.byKind),
  };
}

function printRun(run: Run): void {
  const fired = run.result.breaches + run.result.reminders;
  console.log(
    `  ${run.label}: ${int(run.open)} open, ${int(run.due)} due → ${f0(run.ms)} ms; breaches ${int(run.result.breaches)}, reminders ${int(run.result.reminders)}, ` +
      `${run.result.batches} batches; ${fired > 0 ? `${int(Math.round((fired / run.ms) * 1000))} clocks/s` : 'nothing to fire'}`,
  );
  console.log(
    `    then the missed-deadline digests: ${run.result.digests ?? 0} bodies in ${f0(run.digestMs)} ms (firing + digests: ${f0(run.ms + run.digestMs)} ms)`,
  );
  console.log(
    `    ${int(run.statements)} statements (${fired > 0 ? (run.statements / fired).toFixed(2) : '–'} per clock) in ${run.transactions} transactions; ` +
      (run.dbMs <= run.ms
        ? `${f0(run.dbMs)} ms awaiting the database (${f0((100 * run.dbMs) / run.ms)} %), ${f0(run.ms - run.dbMs)} ms in JavaScript between statements`
        : `${f0(run.dbMs)} ms awaiting the database, summed over the batches that ran side by side (${f1(run.dbMs / run.ms)}× the sweep's time)`),
  );
  console.log(
    `    WAL written ${f1(run.walBytes / 2 ** 20)} MiB (${fired > 0 ? int(Math.round(run.walBytes / fired)) : '–'} bytes per clock)` +
      `${run.checkpoints > 0 ? `, ${run.checkpoints} checkpoint(s) during the sweep` : ''}`,
  );
  const c = run.cpu;
  console.log(
    `    cpu (% of one core, ${os.availableParallelism() * 100}% = all): machine ${f0(c.machine)}%, postgres ${f0(c.postgres)}%, ` +
      `bench process ${f0(c.bench)}%, other ${f0(c.other)}%, iowait ${f0(c.iowait)}%; machine ${f0(run.busyBefore)}% busy just before` +
      (c.other > 20 || run.busyBefore >= QUIET_BUSY_PCT ? ' — NOT QUIET, this figure is skewed' : ''),
  );
}

function printProfile(run: Run): void {
  console.log(`  statements of run ${run.label}, by kind (time is wall time awaiting each, round trip included):`);
  console.log(`    ${padEnd('statement', 60)} ${pad('count', 7)} ${pad('total ms', 9)} ${pad('µs each', 8)}`);
  const sorted = [...run.byKind].sort((a, b) => b[1].ms - a[1].ms);
  for (const [kind, s] of sorted) {
    console.log(`    ${padEnd(kind, 60)} ${pad(int(s.count), 7)} ${pad(f0(s.ms), 9)} ${pad(f0((s.ms / s.count) * 1000), 8)}`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const began = performance.now();
  const sweepModule = path.join(SRC_DIR, 'src/features/sla/sweep.ts');
  const { sweepDueClocks, CLAIM_DUE_CLOCKS_SQL, sendMissedDigests } = (await import(pathToFileURL(sweepModule).href)) as {
    sweepDueClocks: typeof SweepFn;
    CLAIM_DUE_CLOCKS_SQL: string;
    /** Absent in versions before the digest (an A/B run against an older checkout). */
    sendMissedDigests?: typeof DigestFn;
  };

  console.log(`Deadline sweep benchmark — ${new Date().toISOString()}`);
  console.log(
    `Node ${process.version}, ${os.type()} ${os.release()}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? '?'}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  console.log(
    `database ${DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@')}; sweep ${path.relative(process.cwd(), sweepModule) || sweepModule}; batch size ${BATCH_SIZE ?? 'default (200)'}; concurrency ${CONCURRENCY ?? 'default (2)'}`,
  );

  await recreateDatabase(DATABASE_URL);
  const db = await openDb({ databaseUrl: DATABASE_URL, poolSize: 4 });
  try {
    const [version] = await db.query<{ server_version: string }>('SHOW server_version');
    const settings = await db.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings
        WHERE name IN ('synchronous_commit', 'fsync', 'full_page_writes', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout') ORDER BY name`,
    );
    console.log(`PostgreSQL ${version!.server_version}: ${settings.map((s) => `${s.name}=${s.setting}`).join(', ')}`);

    const setup = await timed(async () => {
      await migrate(db);
      return seedReference(db);
    });
    const ref = await prepareReference(db);
    console.log(
      `schema and reference data in ${seconds(setup.ms)}; ${ref.bodies} bodies hold reports, ${ref.admins} body admins (one each, with email)`,
    );

    const runs: Run[] = [];
    const bigDue = Math.round(OPEN / 100);
    const smallOpen = Math.round(OPEN / 10);

    // -------- 1M open, 10k due
    console.log(`\nLoad: ${int(OPEN)} open reports, one running resolution clock each, ${int(bigDue)} already past due`);
    const big = await load(db, ref.reporterId, OPEN, bigDue);
    const vac = await vacuumAnalyze(db);
    // The load wrote about a gigabyte: checkpoint now so that the sweep starts from a steady state
    // rather than inside a checkpoint the load set off.
    const ckpt = await timed(() => db.exec('CHECKPOINT'));
    const c1 = await counts(db);
    console.log(
      `  reports ${seconds(big.reportsMs)}, clocks ${seconds(big.clocksMs)}, VACUUM ANALYZE ${seconds(vac)}, CHECKPOINT ${seconds(ckpt.ms)}; ` +
        `${int(c1.open)} running clocks, ${int(c1.due)} due (${int(Math.round(((OPEN * 2) / (big.reportsMs + big.clocksMs)) * 1000))} rows/s loaded)`,
    );
    const [sizes] = await db.query<{ clocks: string; idx: string; reports: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('report_clocks')) AS clocks,
              pg_size_pretty(pg_relation_size('report_clocks_next_fire_idx')) AS idx,
              pg_size_pretty(pg_total_relation_size('reports')) AS reports`,
    );
    console.log(`  sizes: reports ${sizes!.reports}, report_clocks ${sizes!.clocks}, partial index on next_fire_at ${sizes!.idx}`);

    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the sweep's SELECT, batch of ${BATCH_SIZE ?? 200} (rolled back):`);
    for (const line of await explainSweepSelect(db, CLAIM_DUE_CLOCKS_SQL, BATCH_SIZE ?? 200)) console.log(`  ${line}`);

    console.log('\nSweeps (each at the same instant; every due clock is a missed deadline):');
    runs.push(await sweepRun('a', db, sweepDueClocks, sendMissedDigests));
    printRun(runs.at(-1)!);

    // -------- 1M open, 1k due: move a thousand other clocks into the past
    await db.query(
      `UPDATE report_clocks SET due_at = $1::timestamptz - interval '1 hour', next_fire_at = $1::timestamptz - interval '1 hour'
        WHERE state = 'running' AND id % $2 = 7 AND id / $2 < $3`,
      [NOW, Math.floor(OPEN / (bigDue / 10)), bigDue / 10],
    );
    await db.exec('VACUUM ANALYZE report_clocks');
    await db.exec('CHECKPOINT');
    runs.push(await sweepRun('b', db, sweepDueClocks, sendMissedDigests));
    printRun(runs.at(-1)!);

    // -------- nothing due: what the every-minute tick costs on a quiet minute
    runs.push(await sweepRun('idle', db, sweepDueClocks, sendMissedDigests));
    printRun(runs.at(-1)!);

    // -------- 100k open, 10k due
    const reload = await timed(async () => {
      await clear(db);
      await load(db, ref.reporterId, smallOpen, bigDue);
      await vacuumAnalyze(db);
      await db.exec('CHECKPOINT');
    });
    console.log(`  (reloaded ${int(smallOpen)} open with ${int(bigDue)} due in ${seconds(reload.ms)})`);
    runs.push(await sweepRun('c', db, sweepDueClocks, sendMissedDigests));
    printRun(runs.at(-1)!);

    console.log('');
    printProfile(runs[0]!);

    // -------- summary
    console.log('\nSummary');
    console.log(
      `  ${padEnd('run', 5)} ${pad('open', 10)} ${pad('due', 7)} ${pad('sweep ms', 9)} ${pad('digest ms', 10)} ${pad('clocks/s', 9)} ${pad('ms per 1k due', 14)} ${pad('stmts/clock', 12)} ${pad('WAL/clock', 10)} ${pad('other cpu', 9)}`,
    );
    for (const r of runs) {
      const fired = r.result.breaches + r.result.reminders;
      console.log(
        `  ${padEnd(r.label, 5)} ${pad(int(r.open), 10)} ${pad(int(r.due), 7)} ${pad(f0(r.ms), 9)} ${pad(f0(r.digestMs), 10)} ${pad(fired ? int(Math.round((fired / r.ms) * 1000)) : '–', 9)} ` +
          `${pad(fired ? f0((r.ms / fired) * 1000) : '–', 14)} ${pad(fired ? (r.statements / fired).toFixed(2) : '–', 12)} ${pad(fired ? `${f1(r.walBytes / fired / 1024)} KiB` : '–', 10)} ${pad(`${f0(r.cpu.other)}%`, 9)}`,
      );
    }
    const [a, b, , c] = runs;
    console.log(
      `  time follows the number due: (a)/(b) = ${f1(a!.ms / b!.ms)}× for 10× the due clocks; ` +
        `the number open does not: (a)/(c) = ${f1(a!.ms / c!.ms)}× for 10× the open clocks`,
    );
    const met = a!.ms <= TARGET_MS;
    console.log(
      `  target: ${int(a!.due)} due among ${int(a!.open)} open fired in ≤ ${TARGET_MS} ms — ${f0(a!.ms)} ms: ${met ? 'MET' : 'NOT MET'}` +
        ` (the digests to ${int(a!.result.digests ?? 0)} bodies took ${f0(a!.digestMs)} ms more, in their own transaction)`,
    );
    if (!met) {
      const fired = Math.max(1, a!.result.breaches + a!.result.reminders);
      console.log(
        `  where the time went in (a): ${(a!.statements / fired).toFixed(2)} statements per clock, ${f0((a!.dbMs / a!.statements) * 1000)} µs each on average, ` +
          `${f0((100 * a!.dbMs) / a!.ms)} % of the sweep awaiting the database; ${f1(a!.walBytes / fired / 1024)} KiB of WAL per clock ` +
          `(against ${f1(c!.walBytes / Math.max(1, c!.result.breaches + c!.result.reminders) / 1024)} KiB in (c), with a tenth of the rows open)`,
      );
    }
    console.log(`  total time: ${seconds(performance.now() - began)}`);
  } finally {
    await db.close();
  }
}

main()
  .catch((err) => {
    console.error(`\nbench:sla failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => process.exit(process.exitCode ?? 0));
