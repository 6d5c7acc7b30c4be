import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import pg from 'pg';

/** Drops and creates the benchmark's own database (never `postgres`), so every run starts empty. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL: unusual database name "${name}"`);
  if (name === 'postgres') throw new Error('BENCH_DATABASE_URL must not name the postgres database: it is dropped');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc: who used the cores during a measurement

export const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime, plus cutime + cstime with `children`: what exited children (reaped) used. */
export function readTicks(pid: number | 'self', children = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  } catch {
    return 0;
  }
}

export interface MachineTicks {
  busy: number;
  iowait: number;
  total: number;
}

/** The whole machine's CPU ticks so far: busy (neither idle nor waiting on I/O), I/O wait, total. */
export function machineTicks(): MachineTicks {
  try {
    const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - v[3]! - v[4]!, iowait: v[4]!, total };
  } catch {
    return { busy: 0, iowait: 0, total: 0 };
  }
}

/** A share of the machine between two samples, in % of one core (200 % is both cores of two). */
export function machinePercent(a: MachineTicks, b: MachineTicks, field: 'busy' | 'iowait' = 'busy'): number {
  const dt = b.total - a.total;
  return dt > 0 ? ((b[field] - a[field]) / dt) * 100 * os.availableParallelism() : 0;
}

/**
 * Waits (up to `maxSeconds`) until the machine has been quiet (under `quietPct` of one core) for
 * two seconds in a row: other work on the same cores skews every figure. Says once that it waits.
 * Returns the busy share seen last, in % of one core.
 */
export async function waitForQuiet(maxSeconds: number, quietPct: number): Promise<number> {
  const deadline = performance.now() + maxSeconds * 1000;
  let quiet = 0;
  let said = false;
  for (;;) {
    const a = machineTicks();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = machinePercent(a, machineTicks());
    quiet = busy < quietPct ? quiet + 1 : 0;
    if (quiet >= 2 || performance.now() > deadline) return busy;
    if (!said && busy >= quietPct) {
      console.log(
        `  the machine is busy (${busy.toFixed(0)}% of one core) with other work; waiting up to ${maxSeconds} s for it to settle…`,
      );
      said = true;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The server under measurement: a child process on a free loopback port

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Keeps the last 200 lines the child prints, for the error when it fails to start. */
export function keepLastLines(child: ChildProcess, log: string[]): void {
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log.push(line);
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
}

/** Waits until the server answers /healthz; a server that exits, or takes longer than `withinMs`, is an error with its log. */
export async function waitUntilHealthy(child: ChildProcess, base: string, log: string[], withinMs: number): Promise<string> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log.join('\n')}`);
    }
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return base;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer /healthz within ${withinMs / 1000} s:\n${log.join('\n')}`);
}

/** SIGTERM, so main.ts closes its pool (and with --cpu-prof writes its profile); SIGKILL after 8 s. */
export async function stopChild(child: ChildProcess | null | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
  await exited;
  clearTimeout(timer);
}
