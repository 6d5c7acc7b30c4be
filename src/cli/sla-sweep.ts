/**
 * `sla:sweep`: runs every timer due at an instant, as the worker would (catching up after an
 * outage). Every argument is checked before the database is opened.
 *
 * A sweep at a future instant fires deadlines before they are due: missed-deadline records are
 * append-only, reports get auto-closed, archived or escalated, and messages go out. So `--now`
 * beyond a minute ahead of the clock is refused unless `--test-database` says the database is a
 * test one, and that claim is checked: an embedded database in a folder under the system's
 * temporary directory, or a PostgreSQL database whose name contains "test".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openReadyDb } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { createEmailTransport } from '../features/notifications/email.ts';
import { MAX_SWEEP_CONCURRENCY } from '../config.ts';
import { sweepDueClocks } from '../features/sla/sweep.ts';
import { drainOutbox } from '../worker.ts';

export const SLA_SWEEP_USAGE = `  sla:sweep [--now ISO] [--batch-size N] [--concurrency N] [--test-database]
                 Run every timer due at that instant (default: now), as the worker would (catching up
                 after an outage). --concurrency is at most ${MAX_SWEEP_CONCURRENCY}. An instant more than a minute ahead
                 of the clock is refused: it would fire deadlines before they are due. --test-database
                 allows it on a test database only (embedded DATA_DIR under ${os.tmpdir()}, or a
                 PostgreSQL database whose name contains "test").`;

/** How far --now may be ahead of this machine's clock (clock skew between machines) without --test-database. */
export const FUTURE_SKEW_MS = 60_000;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function realpathOrResolve(p: string): string {
  // The folder may not exist yet: resolve the part that does.
  let dir = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(dir), ...rest);
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return path.resolve(p);
      rest.unshift(path.basename(dir));
      dir = parent;
    }
  }
}

/**
 * Why the configured database is not plausibly a test one, or null if it is: an embedded database
 * in a folder inside the system's temporary directory (never the directory itself), or a PostgreSQL
 * database whose name contains "test" (the rule the test helpers use before they reset a database).
 */
export function notATestDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, tmpdir = os.tmpdir()): string | null {
  if (config.databaseUrl) {
    let name = '';
    try {
      name = decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1));
    } catch {
      // reported as not a test database below
    }
    return /test/i.test(name) ? null : `the PostgreSQL database "${name}" does not have "test" in its name`;
  }
  const tmp = realpathOrResolve(tmpdir);
  const dir = realpathOrResolve(config.dataDir);
  return dir.startsWith(tmp + path.sep) ? null : `DATA_DIR ${config.dataDir} is not a folder inside the temporary directory ${tmp}`;
}

/** Where runSlaSweep writes; each call gets one message. Defaults to the process streams. */
export interface SweepCliIo {
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** The clock --now is compared with. */
  clock?: () => Date;
}

export async function runSlaSweep(args: string[], config: Config, usage: string, io: SweepCliIo = {}): Promise<number> {
  const out = io.out ?? ((t: string) => console.log(t));
  const err = io.err ?? ((t: string) => console.error(t));
  const { values } = parseArgs({
    args,
    options: {
      now: { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      'test-database': { type: 'boolean' },
    },
    strict: true,
  });
  const positive = (flag: 'batch-size' | 'concurrency') => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 ? n : null;
  };
  const batchSize = positive('batch-size');
  const concurrency = positive('concurrency');
  if (batchSize === null || concurrency === null) {
    err(`--batch-size and --concurrency must be positive integers\n\n${usage}`);
    return 2;
  }
  if (concurrency !== undefined && concurrency > MAX_SWEEP_CONCURRENCY) {
    err(
      `--concurrency must be at most ${MAX_SWEEP_CONCURRENCY}, got ${concurrency}: each batch in flight holds one database connection ` +
        `and the pool has ten, some of which the API and the worker need\n\n${usage}`,
    );
    return 2;
  }
  const clock = io.clock?.() ?? new Date();
  const now = values.now ? new Date(values.now) : clock;
  if (values.now && (!ISO_INSTANT.test(values.now) || Number.isNaN(now.getTime()))) {
    err(`--now must be an ISO instant with an offset, e.g. 2026-11-24T09:00:00+07:00\n\n${usage}`);
    return 2;
  }
  // The flag is a claim about the database, checked whenever it is made.
  if (values['test-database']) {
    const why = notATestDatabase(config);
    if (why) {
      err(
        `--test-database refused: ${why}. Only an embedded database in a temporary folder or a PostgreSQL ` +
          `database whose name contains "test" counts as a test database.`,
      );
      return 2;
    }
  } else if (now.getTime() > clock.getTime() + FUTURE_SKEW_MS) {
    err(
      `--now ${values.now} is in the future (the clock says ${clock.toISOString()}): a sweep there would fire deadlines ` +
        `before they are due, and a missed deadline cannot be undone. On a test database, add --test-database.`,
    );
    return 2;
  }
  const db = await openReadyDb(config);
  try {
    const result = await sweepDueClocks({ db, limits: config.sla, publicOrigin: config.publicOrigin }, now, {
      batchSize,
      concurrency: concurrency ?? config.slaSweepConcurrency,
    });
    // Then deliver what the sweep wrote to the outbox, as the worker does after each sweep.
    const email = createEmailTransport(config);
    try {
      await drainOutbox({ db, now: () => now, email });
    } finally {
      email?.close();
    }
    out(JSON.stringify({ now: now.toISOString(), ...result }));
    return 0;
  } finally {
    await db.close();
  }
}
