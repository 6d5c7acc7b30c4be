/**
 * The data-folder lock, on real processes: a zombie owner, an unrelated process that got the
 * owner's pid, a live owner, a dead one, a race, and a real lapor server killed with SIGKILL while
 * its parent does not reap it. The lock is about the embedded database, but it needs no database,
 * so this file runs the same under DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import {
  acquireDataDirLock,
  currentOwner,
  DataDirLockedError,
  hasProc,
  type LockOwner,
  ownerIsAlive,
  readBootId,
  readLock,
  readProcStat,
} from './lock.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LINUX = hasProc();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const children: ChildProcess[] = [];
function track(child: ChildProcess): ChildProcess {
  children.push(child);
  return child;
}
after(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

/** Resolves with the first line a child prints on stdout. */
function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no output in time (${err})`)), 60_000);
    child.stderr?.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${out}${err}`)));
  });
}

async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * A real zombie: `sh` starts a child that exits at once, then becomes `sleep` (exec keeps the pid)
 * and never waits for it, so the child stays in state Z, as a killed process does under a parent
 * that does not reap (a container without an init).
 */
async function spawnZombie(): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = track(spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const pid = Number(await firstLine(parent, 'zombie maker'));
  await waitFor(() => readProcStat(pid)?.state === 'Z', `process ${pid} to become a zombie`);
  return { pid, parent };
}

/** A live process that is not lapor. */
async function spawnSleeper(): Promise<ChildProcess> {
  const child = track(spawn('sleep', ['60'], { stdio: 'ignore' }));
  await once(child, 'spawn');
  return child;
}

/** Writes a lock as lapor does: `lapor.lock` with the pid, and its record link naming start time and boot. */
function writeLock(dir: string, owner: LockOwner): void {
  const record = path.join(dir, `lapor.lock.${owner.pid}.${owner.startTime ?? '-'}.${owner.bootId ?? '-'}`);
  fs.writeFileSync(record, String(owner.pid));
  fs.linkSync(record, path.join(dir, 'lapor.lock'));
}

/** A lock as older versions wrote it: the pid alone. */
function writePidOnlyLock(dir: string, pid: number): void {
  fs.writeFileSync(path.join(dir, 'lapor.lock'), String(pid));
}

const lockFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('lapor.lock'))
    .sort();

function assertTakenOver(dir: string): void {
  const lock = acquireDataDirLock(dir);
  try {
    const found = readLock(dir);
    assert.deepEqual(found?.owner, currentOwner(), 'the lock now names this process');
    assert.equal(lockFiles(dir).length, LINUX ? 2 : 1, `the stale record is gone: ${lockFiles(dir).join(', ')}`);
  } finally {
    lock.release();
  }
  assert.deepEqual(lockFiles(dir), [], 'released: nothing left');
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-lock-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the lock file', () => {
  test('names the pid in lapor.lock, and the start time and boot in its second name; release removes both', () => {
    const lock = acquireDataDirLock(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'lapor.lock'), 'utf8'), String(process.pid));
    if (LINUX) {
      const me = readProcStat(process.pid)!;
      const record = `lapor.lock.${process.pid}.${me.startTime}.${readBootId()}`;
      assert.deepEqual(lockFiles(dir), ['lapor.lock', record]);
      assert.equal(fs.statSync(path.join(dir, record)).ino, fs.statSync(path.join(dir, 'lapor.lock')).ino, 'one file, two names');
      assert.deepEqual(readLock(dir)?.owner, { pid: process.pid, startTime: me.startTime, bootId: readBootId() });
    }
    lock.release();
    assert.deepEqual(lockFiles(dir), []);
  });

  test('a second open in the same process is refused', () => {
    const lock = acquireDataDirLock(dir);
    try {
      assert.throws(() => acquireDataDirLock(dir), DataDirLockedError);
      assert.equal(lockFiles(dir).length, LINUX ? 2 : 1, 'the refused attempt leaves the lock as it was');
    } finally {
      lock.release();
    }
  });
});

describe('an owner that is gone is told from a live one', { skip: LINUX ? false : 'needs /proc (Linux)' }, () => {
  test('(a) a zombie owner (killed, not reaped: kill(pid, 0) still answers) → taken over', async () => {
    const zombie = await spawnZombie();
    assert.doesNotThrow(() => process.kill(zombie.pid, 0), 'a zombie answers kill(pid, 0): the old check called it alive');
    const stat = readProcStat(zombie.pid)!;
    assert.equal(stat.state, 'Z');
    assert.equal(ownerIsAlive({ pid: zombie.pid, startTime: stat.startTime, bootId: readBootId() }), false);
    writeLock(dir, { pid: zombie.pid, startTime: stat.startTime, bootId: readBootId() });
    assertTakenOver(dir);
    // and a pid-only lock (an older lapor) naming the zombie
    writePidOnlyLock(dir, zombie.pid);
    assertTakenOver(dir);
  });

  test('(b) an unrelated live process with the recorded pid but another start time, or another boot → taken over', async () => {
    const other = await spawnSleeper();
    const stat = readProcStat(other.pid!)!;
    assert.notEqual(stat.state, 'Z');
    const otherStart = String(Number(stat.startTime) - 1);
    assert.equal(ownerIsAlive({ pid: other.pid!, startTime: otherStart, bootId: readBootId() }), false);
    writeLock(dir, { pid: other.pid!, startTime: otherStart, bootId: readBootId() });
    assertTakenOver(dir);
    // the same pid and start time, recorded before a reboot
    const otherBoot = '00000000-0000-4000-8000-000000000000';
    assert.equal(ownerIsAlive({ pid: other.pid!, startTime: stat.startTime, bootId: otherBoot }), false);
    writeLock(dir, { pid: other.pid!, startTime: stat.startTime, bootId: otherBoot });
    assertTakenOver(dir);
    assert.equal(other.exitCode, null, 'the unrelated process is left alone');
  });

  test('(c) a live owner (same pid and start time) → refused with a clear error, and its lock is left as it was', async () => {
    const owner = track(
      spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { acquireDataDirLock } from ${JSON.stringify(path.join(ROOT, 'src/db/lock.ts'))};
acquireDataDirLock(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    assert.equal(await firstLine(owner, 'lock owner'), 'locked');
    const before = lockFiles(dir);
    assert.equal(readLock(dir)?.owner?.pid, owner.pid);
    assert.equal(readLock(dir)?.owner?.startTime, readProcStat(owner.pid!)!.startTime);
    assert.throws(
      () => acquireDataDirLock(dir),
      (err: Error) => {
        assert.ok(err instanceof DataDirLockedError);
        assert.ok(err.message.includes(dir), err.message);
        assert.ok(err.message.includes(`process ${owner.pid}`), err.message);
        assert.match(err.message, /already in use/);
        return true;
      },
    );
    assert.deepEqual(lockFiles(dir), before);
    // the owner is killed: now its lock is stale
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    assert.deepEqual(lockFiles(dir), before, 'a killed process leaves its lock behind');
    assertTakenOver(dir);
  });

  test('a pid-only lock naming a live process that is not a zombie → refused', async () => {
    const other = await spawnSleeper();
    writePidOnlyLock(dir, other.pid!);
    assert.throws(() => acquireDataDirLock(dir), DataDirLockedError);
    assert.equal(fs.readFileSync(path.join(dir, 'lapor.lock'), 'utf8'), String(other.pid));
  });

  test('a lock naming a process that has exited and been reaped → taken over, in either format', async () => {
    const gone = spawn('true');
    await once(gone, 'exit');
    assert.equal(readProcStat(gone.pid!), null);
    writeLock(dir, { pid: gone.pid!, startTime: '12345', bootId: readBootId() });
    assertTakenOver(dir);
    writePidOnlyLock(dir, gone.pid!);
    assertTakenOver(dir);
  });

  test('a pid-only lock naming this very pid, left by an earlier process (containers reuse pids) → taken over', () => {
    writePidOnlyLock(dir, process.pid);
    assertTakenOver(dir);
  });

  test('an unreadable lock file (empty, garbage) → taken over', () => {
    fs.writeFileSync(path.join(dir, 'lapor.lock'), '');
    assertTakenOver(dir);
    fs.writeFileSync(path.join(dir, 'lapor.lock'), 'bukan pid');
    assertTakenOver(dir);
  });

  test('a record link left without its lock by a crash is tidied away; a live one is not', async () => {
    const zombie = await spawnZombie();
    const orphan = `lapor.lock.${zombie.pid}.${readProcStat(zombie.pid)!.startTime}.${readBootId()}`;
    fs.writeFileSync(path.join(dir, orphan), String(zombie.pid));
    const other = await spawnSleeper();
    const live = `lapor.lock.${other.pid}.${readProcStat(other.pid!)!.startTime}.${readBootId()}`;
    fs.writeFileSync(path.join(dir, live), String(other.pid));
    const lock = acquireDataDirLock(dir);
    try {
      assert.ok(!lockFiles(dir).includes(orphan), lockFiles(dir).join(', '));
      assert.ok(lockFiles(dir).includes(live), 'a record of a live process may be about to become its lock');
    } finally {
      lock.release();
    }
  });

  test('of several processes racing for one folder, exactly one wins', async () => {
    const script = `import { acquireDataDirLock } from ${JSON.stringify(path.join(ROOT, 'src/db/lock.ts'))};
try { acquireDataDirLock(${JSON.stringify(dir)}); console.log('locked'); setTimeout(() => {}, 1500); }
catch (err) { console.log(err.code ?? err.message); }`;
    const racers = Array.from({ length: 4 }, () =>
      track(spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })),
    );
    const results = await Promise.all(racers.map((r, i) => firstLine(r, `racer ${i}`)));
    assert.deepEqual(results.sort(), ['data_dir_locked', 'data_dir_locked', 'data_dir_locked', 'locked'], results.join(', '));
    await Promise.all(racers.map((r) => (r.exitCode === null ? once(r, 'exit') : null)));
    assert.deepEqual(lockFiles(dir), [], 'the winner released it on exit');
  });
});

describe('where the system gives less', () => {
  test('a file system without hard links: a pid-only lock, still exclusive, still released', () => {
    const lock = acquireDataDirLock(dir, { hardLinks: false });
    assert.deepEqual(lockFiles(dir), ['lapor.lock']);
    assert.equal(fs.readFileSync(path.join(dir, 'lapor.lock'), 'utf8'), String(process.pid));
    assert.throws(() => acquireDataDirLock(dir, { hardLinks: false }), DataDirLockedError);
    lock.release();
    assert.deepEqual(lockFiles(dir), []);
  });

  test('without /proc, kill(pid, 0) decides: a running pid is alive, an exited one is not', async () => {
    const other = await spawnSleeper();
    assert.equal(ownerIsAlive({ pid: other.pid!, startTime: null, bootId: null }, { proc: false }), true);
    const gone = spawn('true');
    await once(gone, 'exit');
    assert.equal(ownerIsAlive({ pid: gone.pid!, startTime: null, bootId: null }, { proc: false }), false);
  });
});

describe('a real lapor process killed while its parent does not reap it', { skip: LINUX ? false : 'needs /proc (Linux)' }, () => {
  test('(d) the server is killed -9 and stays a zombie; a restart on the same data folder takes the lock over and runs', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, DEMO: 'false', PORT: '0', HOST: '127.0.0.1' };
    delete env.DATABASE_URL;
    delete env.NODE_TEST_CONTEXT;
    const log = `${dir}.log`;
    const logged = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
    // sh starts lapor, prints its pid, then becomes `sleep`, which never reaps it.
    const parent = track(
      spawn('sh', ['-c', `"${process.execPath}" src/main.ts api >"${log}" 2>&1 & echo $!; exec sleep 120`], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const pid = Number(await firstLine(parent, 'lapor under sh'));
    await waitFor(() => /listening on/.test(logged()), `lapor to start (${logged()})`, 120_000);
    assert.equal(readLock(dir)?.owner?.pid, pid);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => readProcStat(pid)?.state === 'Z', `lapor (${pid}) to become a zombie`);
    assert.doesNotThrow(() => process.kill(pid, 0), 'the zombie still answers kill(pid, 0)');
    assert.equal(readLock(dir)?.owner?.pid, pid, 'the killed server left its lock');

    const restart = track(spawn(process.execPath, ['src/cli.ts', 'migrate'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    restart.stdout!.on('data', (d) => (out += d));
    restart.stderr!.on('data', (d) => (out += d));
    const [code] = await once(restart, 'exit');
    assert.equal(code, 0, out);
    assert.match(out, /Migrations applied/);
    assert.deepEqual(lockFiles(dir), [], 'the restart released the lock on exit');
    fs.rmSync(log, { force: true });
  });
});
