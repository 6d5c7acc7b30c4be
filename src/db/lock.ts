import fs from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

export class DataDirLockedError extends Error {
  readonly code = 'data_dir_locked';
  constructor(dir: string, pid: number) {
    super(
      `The data folder ${dir} is already in use by process ${pid}. ` +
        `Only one lapor process may open an embedded database; stop the other process, ` +
        `use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL server.`,
    );
  }
}

/**
 * The process a lock names. `startTime` (clock ticks since boot, field 22 of /proc/<pid>/stat) and
 * `bootId` (/proc/sys/kernel/random/boot_id) tell this process from a later one that got the same
 * pid; both are null where the system does not give them (no /proc) and in a pid-only lock.
 */
export interface LockOwner {
  pid: number;
  startTime: string | null;
  bootId: string | null;
}

export interface ProcStat {
  /** R, S, D, T, Z (zombie: exited, not yet reaped), X (dead)… */
  state: string;
  startTime: string;
}

const PROC = '/proc';

/** Whether this system has a Linux-style /proc to read process states from. */
export function hasProc(): boolean {
  return fs.existsSync(`${PROC}/self/stat`);
}

/** The state and start time of a process from /proc, or null when /proc has no such process. */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`${PROC}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19]; // field 22 overall; fields[0] is field 3
  if (!state || !startTime || !/^\d+$/.test(startTime)) return null;
  return { state, startTime };
}

export function readBootId(): string | null {
  try {
    return fs.readFileSync(`${PROC}/sys/kernel/random/boot_id`, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** This process, as a lock records it. */
export function currentOwner(): LockOwner {
  return { pid: process.pid, startTime: readProcStat(process.pid)?.startTime ?? null, bootId: readBootId() };
}

/** kill(pid, 0): 'yes' when it runs, 'eperm' when it runs as another user, 'no' when there is none. */
function signalProbe(pid: number): 'yes' | 'eperm' | 'no' {
  try {
    process.kill(pid, 0);
    return 'yes';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'eperm' : 'no';
  }
}

/**
 * Whether the process a lock names still runs. A pid alone is not enough: a killed process that
 * its parent has not reaped (a zombie, common in containers without an init) still answers
 * kill(pid, 0), and after a reboot or a wrap of the pid counter an unrelated process may hold the
 * same pid. So on Linux the owner is alive only if /proc/<pid>/stat exists, its state is neither
 * Z nor X, it started at the recorded clock tick, and the machine has not rebooted since. A
 * pid-only lock (written by an older lapor, or where hard links are not available) is alive if its
 * pid runs and is not a zombie. Without /proc (macOS, BSD) kill(pid, 0) is all there is.
 */
export function ownerIsAlive(owner: LockOwner, options: { proc?: boolean } = {}): boolean {
  if (!(options.proc ?? hasProc())) return signalProbe(owner.pid) !== 'no';
  if (owner.bootId !== null && owner.bootId !== readBootId()) return false;
  const stat = readProcStat(owner.pid);
  if (!stat) {
    // Not in /proc. With hidepid, /proc hides other users' processes while kill still answers
    // EPERM for them: such an owner cannot be inspected, so it counts as alive.
    return signalProbe(owner.pid) !== 'no';
  }
  if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return false;
  if (owner.startTime !== null && owner.startTime !== stat.startTime) return false;
  return true;
}

const LOCK_NAME = 'lapor.lock';
/** `lapor.lock.<pid>.<start time>.<boot id>`, a second name of the lock file itself (a hard link). */
const RECORD_NAME = /^lapor\.lock\.(\d+)\.(\d+|-)\.([0-9a-fA-F-]+|-)$/;

function recordName(owner: LockOwner): string {
  return `${LOCK_NAME}.${owner.pid}.${owner.startTime ?? '-'}.${owner.bootId ?? '-'}`;
}

interface FoundLock {
  owner: LockOwner | null;
  ino: bigint;
  /** The record link that names the owner's start time and boot, when there is one. */
  record: string | null;
}

/** Reads the lock in `dir`: its pid, and the start time and boot from its second name. Null if there is none. */
export function readLock(dir: string): FoundLock | null {
  const file = path.join(dir, LOCK_NAME);
  let stat: fs.BigIntStats;
  let text: string;
  try {
    stat = fs.statSync(file, { bigint: true });
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const pid = /^\d+$/.test(text) ? Number(text) : 0;
  if (!Number.isSafeInteger(pid) || pid <= 0) return { owner: null, ino: stat.ino, record: null };
  if (stat.nlink > 1n) {
    for (const name of fs.readdirSync(dir)) {
      const m = RECORD_NAME.exec(name);
      if (!m || Number(m[1]) !== pid) continue;
      const record = path.join(dir, name);
      try {
        if (fs.statSync(record, { bigint: true }).ino !== stat.ino) continue;
      } catch {
        continue;
      }
      const owner = { pid, startTime: m[2] === '-' ? null : m[2]!, bootId: m[3] === '-' ? null : m[3]! };
      return { owner, ino: stat.ino, record };
    }
  }
  return { owner: { pid, startTime: null, bootId: null }, ino: stat.ino, record: null };
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

function sameInode(file: string, ino: bigint): boolean {
  try {
    return fs.statSync(file, { bigint: true }).ino === ino;
  } catch {
    return false;
  }
}

/** Record links left by a crash between their steps (no lock points at them any more): remove those of dead owners. */
function removeOrphanRecords(dir: string, own: string): void {
  for (const name of fs.readdirSync(dir)) {
    const m = RECORD_NAME.exec(name);
    if (!m || name === own) continue;
    const record = path.join(dir, name);
    try {
      if (fs.statSync(record, { bigint: true }).nlink !== 1n) continue;
    } catch {
      continue;
    }
    const owner = { pid: Number(m[1]), startTime: m[2] === '-' ? null : m[2]!, bootId: m[3] === '-' ? null : m[3]! };
    if (!ownerIsAlive(owner)) unlinkQuietly(record);
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Lock files this process holds: a second open of the same folder here is refused like any other. */
const heldHere = new Set<string>();

/**
 * Takes an exclusive lock on the data folder before the database is opened.
 *
 * `lapor.lock` holds the owner's pid. It is created whole and at once: the owner first writes
 * `lapor.lock.<pid>.<start time>.<boot id>` and then hard-links it to `lapor.lock`, which fails if
 * the lock exists, so of two processes racing only one wins and nobody ever reads a half-written
 * lock. The record link is the same file under a second name, so the start time and boot it names
 * belong to this lock and no other (a pid-only `lapor.lock`, from an older version or a file system
 * without hard links, still works). A lock whose owner is gone (kill -9, power loss, a zombie, a
 * reused pid: see `ownerIsAlive`) is taken over.
 */
export function acquireDataDirLock(dir: string, options: { hardLinks?: boolean } = {}): DataDirLock {
  const file = path.join(dir, LOCK_NAME);
  const me = currentOwner();
  if (heldHere.has(file)) throw new DataDirLockedError(dir, me.pid);
  const record = path.join(dir, recordName(me));
  fs.writeFileSync(record, String(me.pid));
  // Tests turn hard links off to run the path taken on file systems without them.
  let hardLinks = options.hardLinks ?? true;
  let held: DataDirLock | null = null;
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      let ino: bigint | null = null;
      if (hardLinks) {
        try {
          fs.linkSync(record, file);
          ino = fs.statSync(record, { bigint: true }).ino;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? '';
          if (NO_HARD_LINKS.has(code)) hardLinks = false;
          else if (code !== 'EEXIST') throw err;
        }
      }
      if (!hardLinks) {
        try {
          const fd = fs.openSync(file, 'wx');
          try {
            fs.writeSync(fd, String(me.pid));
            ino = fs.fstatSync(fd, { bigint: true }).ino;
          } finally {
            fs.closeSync(fd);
          }
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
      if (ino !== null) {
        held = holdLock(dir, file, hardLinks ? record : null, ino);
        return held;
      }
      const found = readLock(dir);
      if (found === null) continue; // removed in between: race again
      if (found.owner) {
        // A lock naming this very pid was left by an earlier process (containers often give the
        // same pid again, pid 1 under an init-less runtime): this process does not hold it (above).
        if (found.owner.pid !== me.pid && ownerIsAlive(found.owner)) throw new DataDirLockedError(dir, found.owner.pid);
      }
      // Stale: remove that lock (not one another process may have put there meanwhile) and race again.
      if (sameInode(file, found.ino)) unlinkQuietly(file);
      if (found.record) unlinkQuietly(found.record);
    }
    throw new Error(`Could not lock the data folder ${dir}`);
  } finally {
    if (!held || !hardLinks) unlinkQuietly(record);
  }
}

function holdLock(dir: string, file: string, record: string | null, ino: bigint): DataDirLock {
  heldHere.add(file);
  try {
    removeOrphanRecords(dir, record ? path.basename(record) : '');
  } catch {
    // tidying only
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (sameInode(file, ino)) unlinkQuietly(file);
    if (record) unlinkQuietly(record);
    heldHere.delete(file);
    process.off('exit', release);
  };
  process.on('exit', release);
  return { file, release };
}
