import { PgBoss, fromPglite } from 'pg-boss';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { pruneAccountSecurity } from './features/accounts/accounts.service.ts';
import { type DispatchDeps, dispatchOutbox } from './features/notifications/dispatcher.ts';
import { sweepDueClocks } from './features/sla/sweep.ts';
import { purgeExpiredIdempotencyKeys } from './http/idempotency.ts';

/** Delivers due outbox rows until a batch comes back short. */
export async function drainOutbox(deps: DispatchDeps): Promise<{ delivered: number; failed: number; retried: number }> {
  const batchSize = 50;
  const total = { delivered: 0, failed: 0, retried: 0 };
  for (let round = 0; round < 100; round++) {
    const r = await dispatchOutbox(deps, { batchSize });
    total.delivered += r.delivered;
    total.failed += r.failed;
    total.retried += r.retried;
    if (r.delivered + r.failed + r.retried < batchSize) break;
  }
  return total;
}

const JOBS = {
  sweep: 'sla.sweep',
  dispatch: 'outbox.dispatch',
  pruneAccounts: 'accounts.prune',
  replayInbound: 'channels.replay',
} as const;

export interface WorkerDeps {
  db: Db;
  config: Config;
  now: () => Date;
  /** Delivers due outbox rows; wired by main.ts. */
  dispatch?: () => Promise<unknown>;
  /** Handles inbound messages left pending (a failed attempt, a crash); wired by main.ts. */
  replayInbound?: () => Promise<unknown>;
  log?: (line: string) => void;
}

export interface Worker {
  readonly boss: PgBoss;
  stop(): Promise<void>;
}

/**
 * The background worker: pg-boss on the same database (in-process on the embedded one), a cron
 * schedule that makes one sweep job a minute however many workers run, and workers for it.
 * The sweep itself is safe to run concurrently and to repeat (see sweep.ts), so pg-boss's
 * at-least-once delivery never turns into a double effect.
 */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const boss =
    deps.db.kind === 'embedded'
      ? new PgBoss({ db: fromPglite(deps.db.pglite! as never), backend: 'pglite', schema: 'pgboss' })
      : new PgBoss({ connectionString: deps.db.url!, schema: 'pgboss', max: 4 });
  boss.on('error', (err: Error) => console.error('worker error:', err.message));
  await boss.start();
  for (const name of Object.values(JOBS)) {
    // 'singleton': at most one job of each kind is active at a time across all workers.
    await boss.createQueue(name, { policy: 'singleton' }).catch((err: Error) => {
      if (!/already exists/i.test(err.message)) throw err;
    });
  }
  await boss.schedule(JOBS.sweep, '* * * * *');
  await boss.schedule(JOBS.dispatch, '* * * * *');
  await boss.schedule(JOBS.pruneAccounts, '17 * * * *');
  await boss.schedule(JOBS.replayInbound, '* * * * *');

  await boss.work(JOBS.sweep, async () => {
    const result = await sweepDueClocks({ db: deps.db, limits: deps.config.sla, publicOrigin: deps.config.publicOrigin }, deps.now(), {
      concurrency: deps.config.slaSweepConcurrency,
    });
    if (result.reminders + result.breaches + result.escalated + result.autoClosed + result.archivedIncomplete > 0) {
      log(`sla.sweep: ${JSON.stringify(result)}`);
    }
    await purgeExpiredIdempotencyKeys(deps.db, deps.now());
    // What the sweep wrote to the outbox goes out now rather than at the next dispatch tick.
    if (deps.dispatch) await deps.dispatch();
  });
  await boss.work(JOBS.dispatch, async () => {
    if (deps.dispatch) await deps.dispatch();
  });
  await boss.work(JOBS.replayInbound, async () => {
    if (deps.replayInbound) await deps.replayInbound();
  });
  await boss.work(JOBS.pruneAccounts, async () => {
    await pruneAccountSecurity(deps.db, deps.config, deps.now());
  });
  // A first sweep at start catches up after downtime without waiting for the next minute.
  await boss.send(JOBS.sweep, {});
  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
