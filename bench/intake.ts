/**
 * Intake benchmark (npm run bench:intake): how many reports per second POST /api/v1/reports takes,
 * at what latency, and how that compares with what PostgreSQL itself can do for the same SQL.
 *
 *  1. (Re)creates the database named by BENCH_DATABASE_URL (default lapor_bench on 127.0.0.1),
 *     starts the real server (`node src/main.ts`) on a free port against it, registers reporters.
 *  2. Closed loop: N clients each submit, wait for the 201, submit again; at several N. The best
 *     rate is the API's peak.
 *  3. Open loop: submissions at a fixed rate, half the peak, whatever the responses do; latency is
 *     measured from the moment each request was due, so a slow server cannot hide its queue.
 *  4. pgbench with bench/intake.sql, the same statements in one transaction, at the same client
 *     counts, -M extended (unnamed statements, as node-pg sends them): PostgreSQL's own ceiling.
 *     At the API's peak client count, also with bench/intake-response.sql appended (the two reads
 *     the route runs to build its 201 body) and both again with -M prepared (plans reused).
 *  5. A summary with the targets: API peak ≥ 0.5 × pgbench ceiling, p99 ≤ 50 ms at half the peak.
 *
 * CPU is accounted per phase from /proc (server, PostgreSQL backends of this database, the load
 * generator, pgbench, everything else), so a figure skewed by other work on the machine says so.
 *
 * Always exits 0 once it has run (it is a benchmark, not a test); 1 when it could not run.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   postgres://postgres@127.0.0.1:5432/lapor_bench — DROPPED and re-created
 *   BENCH_LEVELS         closed-loop and pgbench client counts, default 1,4,16,32
 *   BENCH_SECONDS        seconds per closed-loop level and per pgbench run, default 8
 *   BENCH_OPEN_SECONDS   seconds of the open-loop run, default 20
 *   BENCH_OPEN_RATE      open-loop rate per second, default half the closed-loop peak
 *   BENCH_USERS          reporter accounts, default 8
 *   BENCH_SERVER_DIR     checkout whose src/main.ts is started, default this one (for A/B runs)
 *   BENCH_SERVER_ARGS    arguments to src/main.ts, default "api" (no in-process worker); "" for both
 *   BENCH_PROFILE        1 (or a folder, to keep the .cpuprofile there): start the server with
 *                        --cpu-prof and print where its CPU time went
 *   BENCH_PGBENCH        0: skip pgbench (A/B runs of the API alone)
 *   BENCH_QUIET_WAIT     seconds to wait for other work on the machine to settle first, default 30
 *   PGBENCH              path to pgbench, default: PATH, then /usr/lib/postgresql/<v>/bin
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  type MachineTicks,
  TICKS_PER_SECOND,
  freePort,
  keepLastLines,
  machinePercent,
  machineTicks,
  readTicks,
  recreateDatabase,
  stopChild,
  waitForQuiet,
  waitUntilHealthy,
} from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BENCH_DIR = import.meta.dirname;

// ---------------------------------------------------------------------------------------------
// Settings

function intList(raw: string | undefined, fallback: number[]): number[] {
  if (!raw) return fallback;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`expected a list of positive integers, got "${raw}"`);
  return list;
}
function posNumber(raw: string | undefined, fallback: number): number {
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got "${raw}"`);
  return n;
}

const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/lapor_bench';
const DATABASE_NAME = decodeURIComponent(new URL(DATABASE_URL).pathname.replace(/^\//, ''));
const LEVELS = intList(env.BENCH_LEVELS, [1, 4, 16, 32]);
const LEVEL_SECONDS = posNumber(env.BENCH_SECONDS, 8);
const OPEN_SECONDS = posNumber(env.BENCH_OPEN_SECONDS, 20);
const USERS = Math.round(posNumber(env.BENCH_USERS, 8));
const SERVER_DIR = path.resolve(env.BENCH_SERVER_DIR?.trim() || ROOT);
/** `api`: the HTTP API without the in-process worker, whose deadline sweeps are not part of intake. */
const SERVER_ARGS = (env.BENCH_SERVER_ARGS ?? 'api').split(/\s+/).filter(Boolean);
const PROFILE_RAW = env.BENCH_PROFILE?.trim() ?? '';
const PROFILE = PROFILE_RAW !== '' && !/^(0|false|no|off)$/i.test(PROFILE_RAW);
/** BENCH_PROFILE=<folder> keeps the .cpuprofile there (open it in Chrome DevTools); 1 keeps it in a temp folder that is removed. */
const PROFILE_KEEP_DIR = PROFILE && !/^(1|true|yes|on)$/i.test(PROFILE_RAW) ? path.resolve(PROFILE_RAW) : null;
const WARMUP_SECONDS = 3;
/** Caps so every phase stops by itself even if the clock misbehaves. */
const MAX_REQUESTS_PER_PHASE = 200_000;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_IN_FLIGHT = 2_000;
const TARGET_RATIO = 0.5;
/** Machine busy share (% of one core) under which it counts as quiet, and "other" above which a phase is flagged. */
const QUIET_BUSY_PCT = 25;
const INTERFERENCE_PCT = 20;
const QUIET_WAIT_SECONDS = posNumber(env.BENCH_QUIET_WAIT, 30);
/** BENCH_OPEN_RATE fixes the open-loop rate (per second) instead of half the measured peak, to compare builds at one rate. */
const OPEN_RATE = env.BENCH_OPEN_RATE ? posNumber(env.BENCH_OPEN_RATE, 1) : null;
/** BENCH_PGBENCH=0 skips the pgbench part (quicker A/B runs of the API alone). */
const SKIP_PGBENCH = /^(0|false|no|off)$/i.test(env.BENCH_PGBENCH ?? '');
const TARGET_P99_MS = 50;

// ---------------------------------------------------------------------------------------------
// The child server, and cleaning up after it whatever happens

let server: ChildProcess | null = null;
let pgbenchChild: ChildProcess | null = null;
const serverLog: string[] = [];
let profileDir: string | null = null;
let attachmentsDir: string | null = null;

function killServer(signal: NodeJS.Signals = 'SIGKILL'): void {
  if (server && server.exitCode === null && server.signalCode === null) server.kill(signal);
}
process.on('exit', () => {
  killServer('SIGKILL');
  if (pgbenchChild && pgbenchChild.exitCode === null && pgbenchChild.signalCode === null) pgbenchChild.kill('SIGKILL');
  if (attachmentsDir) fs.rmSync(attachmentsDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the server and exiting`);
    killServer('SIGKILL');
    process.exit(130);
  });
}

async function startServer(port: number): Promise<string> {
  attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-'));
  const args: string[] = [];
  if (PROFILE) {
    profileDir = PROFILE_KEEP_DIR ?? path.join(attachmentsDir, 'profile');
    args.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  args.push(path.join(SERVER_DIR, 'src/main.ts'), ...SERVER_ARGS);
  server = spawn(process.execPath, args, {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      DATABASE_URL,
      DEMO: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(attachmentsDir, 'data'),
      ATTACHMENTS_DIR: path.join(attachmentsDir, 'attachments'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  keepLastLines(server, serverLog);
  return waitUntilHealthy(server, `http://127.0.0.1:${port}`, serverLog, 60_000);
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc: who used the 2 cores during a phase

/**
 * PostgreSQL's CPU for this database: its backends and the server's own helper processes (WAL
 * writer, checkpointer…). Backends come and go (pgbench's, and the pool closes idle connections
 * after 10 s), so a sampler adds up each process's ticks every 250 ms and a backend that exits
 * loses at most its last 250 ms. Backends of other databases are left out: other work.
 */
const pgSeen = new Map<number, number>();
let pgAccumulated = 0;

function samplePostgres(): void {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return;
  }
  const now = new Map<number, number>();
  for (const pid of pids) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const isBackend = /\(\d+\)|\[local\]/.test(cmdline);
      if (isBackend && !cmdline.includes(` ${DATABASE_NAME} `)) continue;
      now.set(Number(pid), readTicks(Number(pid)));
    } catch {
      // gone
    }
  }
  for (const [pid, ticks] of now) {
    const before = pgSeen.get(pid);
    // A process first seen now: its whole life so far is ours unless it predates the bench,
    // which only the long-lived helper processes do (seen at the first sample).
    pgAccumulated += before === undefined ? (pgSamplerStarted ? ticks : 0) : ticks - before;
  }
  pgSeen.clear();
  for (const [pid, ticks] of now) pgSeen.set(pid, ticks);
  pgSamplerStarted = true;
}
let pgSamplerStarted = false;

function postgresTicks(): number {
  samplePostgres();
  return pgAccumulated;
}

interface CpuSample {
  at: number;
  machine: MachineTicks;
  server: number;
  postgres: number;
  /** This process's reaped children: pgbench. */
  children: number;
  self: number; // microseconds
}
interface CpuShare {
  /** Percent of one core, so 200 % is both cores of a 2-core machine. */
  server: number;
  postgres: number;
  loadgen: number;
  /** pgbench, when it ran in the window. */
  pgbench: number;
  machineBusy: number;
  /** Everything else on the machine: other work competing for the same cores. */
  other: number;
}

function sampleCpu(): CpuSample {
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    machine: machineTicks(),
    server: server?.pid ? readTicks(server.pid) : 0,
    postgres: postgresTicks(),
    children: readTicks('self', true) - readTicks('self'),
    self: self.user + self.system,
  };
}

function cpuShare(a: CpuSample, b: CpuSample): CpuShare {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks: number) => (100 * ticks) / TICKS_PER_SECOND / seconds;
  const machineBusy = machinePercent(a.machine, b.machine);
  const server = pct(b.server - a.server);
  const postgres = pct(b.postgres - a.postgres);
  const loadgen = (100 * (b.self - a.self)) / 1e6 / seconds;
  const pgbench = pct(b.children - a.children);
  return { server, postgres, loadgen, pgbench, machineBusy, other: Math.max(0, machineBusy - server - postgres - loadgen - pgbench) };
}

/** CPU milliseconds per unit of work, from a share in % of one core and a rate per second. */
const perReq = (pctOfCore: number, rate: number) => (rate > 0 ? ((10 * pctOfCore) / rate).toFixed(2) : '–');

const fmtCpu = (c: CpuShare) =>
  `cpu (% of one core, ${os.availableParallelism() * 100}% = all): machine ${c.machineBusy.toFixed(0)}%, ` +
  `server ${c.server.toFixed(0)}%, postgres ${c.postgres.toFixed(0)}%, load generator ${c.loadgen.toFixed(0)}%, other ${c.other.toFixed(0)}%`;

// ---------------------------------------------------------------------------------------------
// Load generation

interface Reporter {
  token: string;
}

const TITLE = 'Jalan rusak di depan pasar';
const BODY = 'Jalan berlubang besar di depan pasar sudah dua bulan dan membahayakan pengendara, terutama malam hari saat hujan.';
const REGION = '61.71.01';

/** Two days ago in UTC: never "in the future" anywhere in Indonesia. */
function incidentDate(): string {
  return new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
}
const INCIDENT_DATE = incidentDate();

let submitted = 0;
function submissionBody(): string {
  submitted += 1;
  return JSON.stringify({
    classification: 'pengaduan',
    title: `${TITLE} ${submitted}`,
    body: BODY,
    incidentDate: INCIDENT_DATE,
    regionCode: REGION,
  });
}

class Recorder {
  latencies: number[] = [];
  errors = new Map<string, number>();
  ok = 0;
  record(ms: number, outcome: string): void {
    if (outcome === '201') {
      this.ok += 1;
      this.latencies.push(ms);
    } else {
      this.errors.set(outcome, (this.errors.get(outcome) ?? 0) + 1);
    }
  }
  get errorCount(): number {
    let n = 0;
    for (const v of this.errors.values()) n += v;
    return n;
  }
  errorText(): string {
    if (this.errors.size === 0) return 'errors 0';
    return `errors ${this.errorCount} (${[...this.errors].map(([k, v]) => `${k}: ${v}`).join(', ')})`;
  }
}

interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function summarize(values: number[]): LatencySummary {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1]!, mean: sum / sorted.length };
}

/** One submission; resolves with the outcome ('201', another status, or a network error name). */
async function submit(base: string, reporter: Reporter): Promise<string> {
  try {
    const res = await fetch(`${base}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reporter.token}` },
      body: submissionBody(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return String(res.status);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'network');
  }
}

interface ClosedResult {
  clients: number;
  seconds: number;
  rate: number;
  latency: LatencySummary;
  rec: Recorder;
  cpu: CpuShare;
  dbTransactionsPerRequest: number | null;
}

async function closedLoop(base: string, reporters: Reporter[], clients: number, seconds: number): Promise<ClosedResult> {
  const rec = new Recorder();
  const xacts0 = await dbTransactions();
  const cpu0 = sampleCpu();
  const started = performance.now();
  const end = started + seconds * 1000;
  let issued = 0;
  const client = async (i: number) => {
    const reporter = reporters[i % reporters.length]!;
    while (performance.now() < end && issued < MAX_REQUESTS_PER_PHASE) {
      issued += 1;
      const t0 = performance.now();
      const outcome = await submit(base, reporter);
      rec.record(performance.now() - t0, outcome);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuShare(cpu0, sampleCpu());
  const xacts1 = await dbTransactions();
  return {
    clients,
    seconds: elapsed,
    rate: rec.ok / elapsed,
    latency: summarize(rec.latencies),
    rec,
    cpu,
    dbTransactionsPerRequest: xacts0 !== null && xacts1 !== null && issued > 0 ? (xacts1 - xacts0) / issued : null,
  };
}

interface OpenResult {
  targetRate: number;
  achievedRate: number;
  completedRate: number;
  /** From the moment each request was due: includes any wait for the load generator itself. */
  latency: LatencySummary;
  /** From the moment fetch() was called. */
  service: LatencySummary;
  lateStarts: LatencySummary;
  rec: Recorder;
  cpu: CpuShare;
  /** Second by second (by due time): latencies and who used the CPU. */
  timeline: { latency: LatencySummary; count: number; cpu: CpuShare | null }[];
}

async function openLoop(base: string, reporters: Reporter[], rate: number, seconds: number): Promise<OpenResult> {
  const rec = new Recorder();
  const service: number[] = [];
  const late: number[] = [];
  const interval = 1000 / rate;
  const total = Math.min(MAX_REQUESTS_PER_PHASE, Math.floor(rate * seconds));
  const inFlight = new Set<Promise<void>>();
  const cpu0 = sampleCpu();
  const t0 = performance.now() + 5;
  const buckets: number[][] = Array.from({ length: Math.ceil(seconds) }, () => []);
  const cpuBySecond: CpuShare[] = [];
  let lastSample = cpu0;
  const sampler = setInterval(() => {
    const next = sampleCpu();
    cpuBySecond.push(cpuShare(lastSample, next));
    lastSample = next;
  }, 1000);
  let sent = 0;
  const fire = (due: number, reporter: Reporter) => {
    const start = performance.now();
    late.push(start - due);
    const p = submit(base, reporter).then((outcome) => {
      const now = performance.now();
      rec.record(now - due, outcome);
      if (outcome === '201') {
        service.push(now - start);
        buckets[Math.min(buckets.length - 1, Math.floor((due - t0) / 1000))]!.push(now - due);
      }
      inFlight.delete(p);
    });
    inFlight.add(p);
  };
  while (sent < total) {
    const now = performance.now();
    while (sent < total && t0 + sent * interval <= now) {
      if (inFlight.size >= MAX_IN_FLIGHT) rec.record(0, 'dropped: too many in flight');
      else fire(t0 + sent * interval, reporters[sent % reporters.length]!);
      sent += 1;
    }
    if (sent < total) await sleep(Math.max(0, t0 + sent * interval - performance.now()));
  }
  const sendingSeconds = (performance.now() - t0) / 1000;
  await Promise.all(inFlight);
  clearInterval(sampler);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuShare(cpu0, sampleCpu());
  const timeline = buckets.map((b, i) => ({ latency: summarize(b), count: b.length, cpu: cpuBySecond[i] ?? null }));
  return {
    targetRate: rate,
    achievedRate: sent / sendingSeconds,
    completedRate: rec.ok / elapsed,
    latency: summarize(rec.latencies),
    service: summarize(service),
    lateStarts: summarize(late),
    rec,
    cpu,
    timeline,
  };
}

// ---------------------------------------------------------------------------------------------
// The database side: transaction counts and pgbench

let statsClient: pg.Client | null = null;

/** Committed transactions in the bench database so far (each autocommit statement counts as one). */
async function dbTransactions(): Promise<number | null> {
  if (!statsClient) return null;
  try {
    // Backends publish their counts when they go idle, at most once a second.
    await sleep(1100);
    await statsClient.query('SELECT pg_stat_clear_snapshot()');
    const rows = await statsClient.query<{ n: string }>(
      'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows.rows[0]?.n ?? NaN);
  } catch {
    return null;
  }
}

interface ClockRowLite {
  kind: string;
  limit_days: number;
  limit_unit: string;
  time_zone: string;
  due_at: Date | null;
  reminder_at: Date | null;
  next_fire_at: Date | null;
}

/**
 * The values for the clock statements in intake.sql, taken from the clocks the API itself started
 * for its last report, so the pgbench rows look like the API's. Fails when the code starts other
 * clocks than the script does: then intake.sql is out of date.
 */
async function clockVars(db: pg.Client, now: Date): Promise<Record<string, string>> {
  const last = await db.query<{ id: string | null }>('SELECT max(report_id)::text AS id FROM report_clocks');
  const reportId = last.rows[0]?.id;
  if (!reportId) throw new Error('the API started no SLA clocks: bench/intake.sql (which starts two) no longer matches the code');
  const clocks = (
    await db.query<ClockRowLite>(
      `SELECT kind, limit_days, limit_unit, time_zone, due_at, reminder_at, next_fire_at FROM report_clocks WHERE report_id = $1 ORDER BY id`,
      [reportId],
    )
  ).rows;
  const events = (
    await db.query<{ data: unknown }>(`SELECT data FROM report_events WHERE report_id = $1 AND type = 'clock_started' ORDER BY id`, [
      reportId,
    ])
  ).rows;
  const kinds = clocks.map((c) => c.kind).join(',');
  if (kinds !== 'verification,ombudsman' || events.length !== 2) {
    throw new Error(
      `a submission now starts the clocks [${kinds}] with ${events.length} events: update bench/intake.sql to match the code`,
    );
  }
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric' }).format(now));
  const iso = (d: Date | null) => (d ? d.toISOString() : '');
  const one = (prefix: string, c: ClockRowLite, data: unknown) => ({
    [`${prefix}_kind`]: c.kind,
    [`${prefix}_days`]: String(c.limit_days),
    [`${prefix}_unit`]: c.limit_unit,
    [`${prefix}_tz`]: c.time_zone,
    [`${prefix}_due`]: iso(c.due_at),
    [`${prefix}_reminder`]: iso(c.reminder_at),
    [`${prefix}_next`]: iso(c.next_fire_at),
    [`${prefix}_data`]: JSON.stringify(data),
  });
  return {
    scope_keys: '{national}',
    cal_from: `${year}-01-01`,
    cal_to: `${year + 1}-12-31`,
    clock_event_type: 'clock_started',
    system_role: 'system',
    staff_visibility: 'staff',
    ...one('v', clocks[0]!, events[0]!.data),
    ...one('o', clocks[1]!, events[1]!.data),
  };
}

function findPgbench(): string | null {
  const candidates: string[] = [];
  if (env.PGBENCH) candidates.push(env.PGBENCH);
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'pgbench'));
  try {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join('/usr/lib/postgresql', v, 'bin/pgbench'));
  } catch {
    // no Debian PostgreSQL packages
  }
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return null;
}

interface PgbenchResult {
  clients: number;
  tps: number;
  latencyMs: number;
  failed: number;
  cpu: CpuShare;
}

async function runPgbench(
  pgbench: string,
  script: string,
  clients: number,
  seconds: number,
  vars: Record<string, string>,
  mode: 'extended' | 'prepared' = 'extended',
): Promise<PgbenchResult> {
  const args = ['-n', '-M', mode, '-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(seconds), '-f', script];
  for (const [k, v] of Object.entries(vars)) args.push('-D', `${k}=${v}`);
  args.push(DATABASE_URL);
  const cpu0 = sampleCpu();
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(pgbench, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    pgbenchChild = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  const cpu = cpuShare(cpu0, sampleCpu());
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out.stdout);
  if (out.code !== 0 || !tps) throw new Error(`pgbench -c ${clients} failed (exit ${out.code}):\n${out.stderr}\n${out.stdout}`);
  const latency = /latency average = ([\d.]+) ms/.exec(out.stdout);
  const failed = /number of failed transactions: (\d+)/.exec(out.stdout);
  return { clients, tps: Number(tps[1]), latencyMs: latency ? Number(latency[1]) : NaN, failed: failed ? Number(failed[1]) : 0, cpu };
}

// ---------------------------------------------------------------------------------------------

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const pad = (s: string, n: number) => s.padStart(n);

async function registerReporters(base: string, n: number): Promise<Reporter[]> {
  const out: Reporter[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Pelapor Bench ${i + 1}`, email: `pelapor${i + 1}@bench.lapor.test`, password: 'kata-sandi-bench-123' }),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`register: ${res.status} ${text}`);
    out.push({ token: (JSON.parse(text) as { token: string }).token });
  }
  return out;
}

/** Where the server's CPU time went, by self time, from its --cpu-prof profile. */
function printProfile(dir: string): void {
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort((a, b) => fs.statSync(path.join(dir, b)).mtimeMs - fs.statSync(path.join(dir, a)).mtimeMs)
    : [];
  if (files.length === 0) {
    console.log('  (no profile written)');
    return;
  }
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  console.log(`  ${path.join(dir, files[0]!)}`);
  const prof = JSON.parse(fs.readFileSync(path.join(dir, files[0]!), 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfByFn = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const node = byId.get(prof.samples[i]!);
    const dt = prof.timeDeltas[i] ?? 0;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += dt;
    const file = url.replace(/^file:\/\//, '');
    const short = file.includes('node_modules/')
      ? file.slice(file.lastIndexOf('node_modules/') + 13)
      : file.startsWith(SERVER_DIR)
        ? path.relative(SERVER_DIR, file)
        : file || '(native)';
    const fnKey = `${functionName || '(anonymous)'}  ${short}${url ? `:${lineNumber + 1}` : ''}`;
    selfByFn.set(fnKey, (selfByFn.get(fnKey) ?? 0) + dt);
    const area = file.includes('node_modules/')
      ? file
          .slice(file.lastIndexOf('node_modules/') + 13)
          .split('/')
          .slice(0, file.includes('node_modules/@') ? 2 : 1)
          .join('/')
      : file.startsWith(SERVER_DIR)
        ? 'lapor src'
        : url.startsWith('node:')
          ? 'node internals'
          : functionName.startsWith('(')
            ? functionName
            : 'native (syscalls, V8 builtins)';
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + dt);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`  server busy time sampled: ${(total / 1e6).toFixed(1)} s (idle excluded)`);
  console.log('  by area (self time):');
  for (const [k, v] of top(selfByArea, 12)) console.log(`    ${pad(((100 * v) / total).toFixed(1), 5)}%  ${k}`);
  console.log('  by function (self time):');
  for (const [k, v] of top(selfByFn, 25)) console.log(`    ${pad(((100 * v) / total).toFixed(1), 5)}%  ${k}`);
}

async function main(): Promise<void> {
  const began = performance.now();
  const pgbench = SKIP_PGBENCH ? null : findPgbench();
  console.log(`Intake benchmark — ${new Date().toISOString()}`);
  console.log(
    `Node ${process.version}, ${os.type()} ${os.release()}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? '?'}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  console.log(
    `database ${DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@')}; server ${path.relative(process.cwd(), path.join(SERVER_DIR, 'src/main.ts')) || 'src/main.ts'} ${SERVER_ARGS.join(' ')}`,
  );
  if (SKIP_PGBENCH) console.log('pgbench: skipped (BENCH_PGBENCH=0)');
  else if (pgbench) console.log(`pgbench ${spawnSync(pgbench, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${pgbench})`);
  else
    console.log('pgbench: NOT FOUND — install it (Debian: apt-get install postgresql-client) or set PGBENCH; the ceiling will be skipped');

  await recreateDatabase(DATABASE_URL);
  samplePostgres();
  setInterval(samplePostgres, 250).unref();
  statsClient = new pg.Client({ connectionString: DATABASE_URL });
  await statsClient.connect();
  const serverVersion = (await statsClient.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  const settings = (
    await statsClient.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections')`,
    )
  ).rows;
  console.log(`PostgreSQL ${serverVersion}: ${settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ''}`).join(', ')}`);

  const port = await freePort();
  const base = await startServer(port);
  console.log(
    `server ready on ${base} in ${((performance.now() - began) / 1000).toFixed(1)} s (migrations and reference data included)${PROFILE ? ', with --cpu-prof' : ''}`,
  );
  const reporters = await registerReporters(base, USERS);
  console.log(`${reporters.length} reporter accounts registered`);

  // Check one submission end to end before measuring anything.
  const probe = await submit(base, reporters[0]!);
  if (probe !== '201') throw new Error(`a test submission answered ${probe}, not 201:\n${serverLog.slice(-20).join('\n')}`);

  const idle = await waitForQuiet(QUIET_WAIT_SECONDS, QUIET_BUSY_PCT);
  console.log(
    `machine before measuring: ${idle.toFixed(0)}% of one core busy${idle >= QUIET_BUSY_PCT ? ' — NOT QUIET, figures will be low and noisy' : ''}`,
  );

  const warmupClients = Math.max(...LEVELS.filter((n) => n <= 8), 1);
  const warm = await closedLoop(base, reporters, warmupClients, WARMUP_SECONDS);
  console.log(`warm-up: ${warmupClients} clients, ${WARMUP_SECONDS} s, ${f0(warm.rate)} reports/s (not counted), ${warm.rec.errorText()}`);

  console.log(`\nClosed loop — each client submits again as soon as its 201 arrives; ${LEVEL_SECONDS} s per level`);
  console.log(
    `${pad('clients', 7)} ${pad('reports/s', 10)} ${pad('p50 ms', 8)} ${pad('p90 ms', 8)} ${pad('p99 ms', 8)} ${pad('max ms', 8)}  errors  db xacts/req`,
  );
  const closed: ClosedResult[] = [];
  for (const clients of LEVELS) {
    const r = await closedLoop(base, reporters, clients, LEVEL_SECONDS);
    closed.push(r);
    console.log(
      `${pad(String(clients), 7)} ${pad(f0(r.rate), 10)} ${pad(f1(r.latency.p50), 8)} ${pad(f1(r.latency.p90), 8)} ${pad(f1(r.latency.p99), 8)} ${pad(f1(r.latency.max), 8)}  ${pad(String(r.rec.errorCount), 6)}  ${pad(r.dbTransactionsPerRequest === null ? '–' : r.dbTransactionsPerRequest.toFixed(2), 12)}`,
    );
    console.log(`        ${fmtCpu(r.cpu)}`);
    console.log(`        cpu per report: server ${perReq(r.cpu.server, r.rate)} ms, postgres ${perReq(r.cpu.postgres, r.rate)} ms`);
    if (r.rec.errorCount > 0) console.log(`        ${r.rec.errorText()}`);
  }
  const peak = closed.reduce((a, b) => (b.rate > a.rate ? b : a));
  console.log(`API peak: ${f0(peak.rate)} reports/s at ${peak.clients} clients`);

  const half = OPEN_RATE ?? peak.rate / 2;
  console.log(
    `\nOpen loop — ${f0(half)} submissions/s (${OPEN_RATE ? 'BENCH_OPEN_RATE' : 'half the peak'}) for ${OPEN_SECONDS} s, latency from each request's due time`,
  );
  const open = await openLoop(base, reporters, half, OPEN_SECONDS);
  console.log(
    `  offered ${f0(open.achievedRate)}/s, completed ${f0(open.completedRate)}/s; ` +
      `latency p50 ${f1(open.latency.p50)} ms, p90 ${f1(open.latency.p90)} ms, p99 ${f1(open.latency.p99)} ms, max ${f1(open.latency.max)} ms; ${open.rec.errorText()}`,
  );
  console.log(
    `  (from fetch() call: p50 ${f1(open.service.p50)}, p99 ${f1(open.service.p99)} ms; start lateness p99 ${f1(open.lateStarts.p99)} ms, max ${f1(open.lateStarts.max)} ms)`,
  );
  console.log(`  ${fmtCpu(open.cpu)}`);
  console.log(
    `  cpu per report: server ${perReq(open.cpu.server, open.completedRate)} ms, postgres ${perReq(open.cpu.postgres, open.completedRate)} ms`,
  );
  console.log('  second by second (requests due in that second; cpu in % of one core):');
  console.log(
    `  ${pad('s', 3)} ${pad('n', 5)} ${pad('p50', 7)} ${pad('p99', 7)} ${pad('max', 7)}  ${pad('server', 6)} ${pad('pg', 5)} ${pad('loadgen', 7)} ${pad('other', 5)}`,
  );
  open.timeline.forEach((t, i) => {
    const c = t.cpu;
    console.log(
      `  ${pad(String(i + 1), 3)} ${pad(String(t.count), 5)} ${pad(f1(t.latency.p50), 7)} ${pad(f1(t.latency.p99), 7)} ${pad(f1(t.latency.max), 7)}  ` +
        (c ? `${pad(f0(c.server), 6)} ${pad(f0(c.postgres), 5)} ${pad(f0(c.loadgen), 7)} ${pad(f0(c.other), 5)}` : ''),
    );
  });

  await stopChild(server);
  if (PROFILE && profileDir) {
    console.log('\nServer CPU profile (all phases, warm-up included):');
    printProfile(profileDir);
  }

  const pgResults: PgbenchResult[] = [];
  let fullResult: PgbenchResult | null = null;
  let preparedResult: PgbenchResult | null = null;
  let fullPreparedResult: PgbenchResult | null = null;
  let pgbenchError: string | null = null;
  if (pgbench) {
    try {
      const sessions = await statsClient.query<{ h: string }>(
        `SELECT encode(s.token_hash, 'hex') AS h FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE u.role = 'reporter' AND s.kind = 'bearer' ORDER BY s.user_id`,
      );
      const now = new Date();
      const vars: Record<string, string> = {
        ...(await clockVars(statsClient, now)),
        hashes: sessions.rows.map((r) => r.h).join(''),
        nusers: String(sessions.rows.length),
        now: now.toISOString(),
        classification: 'pengaduan',
        title: `${TITLE} pgbench`,
        body: BODY,
        incident_date: INCIDENT_DATE,
        region: REGION,
        anonymous: 'false',
        secret: 'false',
        channel: 'web',
        data: JSON.stringify({ channel: 'web' }),
        event_type: 'submitted',
        actor_role: 'reporter',
        visibility: 'public',
        to_status: 'submitted',
        visibilities: '{public,reporter}',
      };
      const script = path.join(BENCH_DIR, 'intake.sql');
      console.log(
        `\npgbench — bench/intake.sql (session lookup, region check, INSERT reports and report_events, calendar, two SLA clocks ` +
          `with their events, in one transaction), -M extended, ${LEVEL_SECONDS} s per level`,
      );
      console.log(`${pad('clients', 7)} ${pad('tps', 10)} ${pad('avg ms', 8)}  failed`);
      for (const clients of LEVELS) {
        const r = await runPgbench(pgbench, script, clients, LEVEL_SECONDS, vars);
        pgResults.push(r);
        console.log(`${pad(String(clients), 7)} ${pad(f0(r.tps), 10)} ${pad(f1(r.latencyMs), 8)}  ${pad(String(r.failed), 6)}`);
        console.log(
          `        cpu (% of one core): machine ${f0(r.cpu.machineBusy)}%, postgres ${f0(r.cpu.postgres)}%, pgbench ${f0(r.cpu.pgbench)}%, other ${f0(r.cpu.other)}%; ` +
            `postgres ${perReq(r.cpu.postgres, r.tps)} ms per transaction`,
        );
      }
      // At the API's peak client count, for a like-for-like look: the route also reads the report back
      // to answer (same statements, after the COMMIT); -M prepared shows what the same SQL costs
      // once each connection plans it only once.
      const best = pgResults.find((r) => r.clients === peak.clients) ?? pgResults.reduce((a, b) => (b.tps > a.tps ? b : a));
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-pgbench-'));
      const full = path.join(tmp, 'intake-full.sql');
      fs.writeFileSync(full, `${fs.readFileSync(script, 'utf8')}\n${fs.readFileSync(path.join(BENCH_DIR, 'intake-response.sql'), 'utf8')}`);
      try {
        fullResult = await runPgbench(pgbench, full, best.clients, LEVEL_SECONDS, vars);
        preparedResult = await runPgbench(pgbench, script, best.clients, LEVEL_SECONDS, vars, 'prepared');
        fullPreparedResult = await runPgbench(pgbench, full, best.clients, LEVEL_SECONDS, vars, 'prepared');
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      const cell = (r: PgbenchResult) => `${pad(f0(r.tps), 6)} tps (postgres ${perReq(r.cpu.postgres, r.tps)} ms/tx)`;
      console.log(`  variants at ${best.clients} clients:             -M extended                  -M prepared`);
      console.log(`    intake.sql                       ${cell(best)}    ${cell(preparedResult)}`);
      console.log(`    + intake-response.sql            ${cell(fullResult)}    ${cell(fullPreparedResult)}`);
    } catch (err) {
      pgbenchError = err instanceof Error ? err.message : String(err);
      console.log(`\npgbench: not run to the end — ${pgbenchError}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  const ceiling = pgResults.length > 0 ? pgResults.reduce((a, b) => (b.tps > a.tps ? b : a)) : null;
  const ratio = ceiling ? peak.rate / ceiling.tps : NaN;
  const ratioMet = ceiling ? ratio >= TARGET_RATIO : null;
  const p99Met = open.latency.p99 <= TARGET_P99_MS && open.rec.errorCount === 0;
  const errorsTotal = closed.reduce((n, r) => n + r.rec.errorCount, 0) + open.rec.errorCount;
  console.log('\nSummary');
  console.log(`  API peak (closed loop):          ${f0(peak.rate)} reports/s at ${peak.clients} clients (p99 ${f1(peak.latency.p99)} ms)`);
  if (ceiling) {
    console.log(`  pgbench ceiling (-M extended):   ${f0(ceiling.tps)} tps at ${ceiling.clients} clients`);
    if (fullResult && fullPreparedResult && preparedResult) {
      console.log(`  pgbench + the response reads:    ${f0(fullResult.tps)} tps (what the route runs in all)`);
      console.log(
        `  the same, -M prepared:           ${f0(preparedResult.tps)} tps writes only, ${f0(fullPreparedResult.tps)} tps with the reads`,
      );
    }
    console.log(`  ratio API / pgbench:             ${ratio.toFixed(2)} — target ≥ ${TARGET_RATIO}: ${ratioMet ? 'MET' : 'NOT MET'}`);
  } else {
    const why = SKIP_PGBENCH ? 'skipped' : pgbench ? 'pgbench failed, see above' : 'pgbench missing';
    console.log(`  pgbench ceiling:                 not measured (${why}) — ratio target: UNKNOWN`);
  }
  console.log(
    `  open loop at ${OPEN_RATE ? 'BENCH_OPEN_RATE' : 'half peak'}:${OPEN_RATE ? '' : '     '}     ${f0(open.achievedRate)}/s, p99 ${f1(open.latency.p99)} ms — target ≤ ${TARGET_P99_MS} ms: ${p99Met ? 'MET' : 'NOT MET'}`,
  );
  console.log(`  errors (non-201):                ${errorsTotal}${errorsTotal > 0 ? ' — SHOULD BE 0' : ''}`);
  const others = [
    ...closed.map((r) => r.cpu.other),
    open.cpu.other,
    ...[...pgResults, fullResult, preparedResult, fullPreparedResult].map((r) => r?.cpu.other ?? 0),
  ];
  const worst = Math.max(...others);
  console.log(
    `  other work on the machine:       up to ${worst.toFixed(0)}% of one core in a phase` +
      (worst > INTERFERENCE_PCT ? ' — the machine was NOT quiet: the figures above are skewed; run again on a quiet machine' : ' (quiet)'),
  );
  console.log(`  total time:                      ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

main()
  .catch((err) => {
    console.error(`\nbench:intake failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    killServer('SIGKILL');
    await statsClient?.end().catch(() => undefined);
    // Keep-alive sockets and timers must not hold the process open.
    process.exit(process.exitCode ?? 0);
  });
