import { serve } from '@hono/node-server';
import { openReadyDb } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/lock.ts';
import { DEMO_PASSWORD, seedDemo } from './demo.ts';
import { LocalDiskStorage } from './features/attachments/storage.ts';
import { createApp } from './http/app.ts';
import type { AppDeps } from './deps.ts';
import { assertNodeVersion } from './runtime.ts';
import { createEmailTransport } from './features/notifications/email.ts';
import { drainOutbox, startWorker } from './worker.ts';
import { createKannelTransport } from './features/channels/kannel.ts';
import { createWebhookTransport } from './features/integration/webhook-sender.ts';
import { replayPending } from './features/channels/intake.ts';
import { createOutboxPump } from './features/notifications/pump.ts';
import { createLogger } from './logger.ts';

assertNodeVersion();

const MODES = ['all', 'api', 'worker'] as const;
type Mode = (typeof MODES)[number];

async function main(): Promise<void> {
  const mode = (process.argv[2] ?? 'all') as Mode;
  if (!MODES.includes(mode)) {
    console.error(`Usage: node src/main.ts [${MODES.join('|')}]  (default: all — the API and the worker in one process)`);
    process.exit(2);
  }
  const config = loadConfig();
  const started = performance.now();
  const db = await openReadyDb(config);
  const logger = createLogger(config.logLevel);
  const email = createEmailTransport(config);
  const sms = createKannelTransport(config);
  const webhook = createWebhookTransport({ db, config, now: () => new Date() });
  const dispatchDeps = { db, now: () => new Date(), email, sms, webhook };
  const pump = createOutboxPump(
    () => drainOutbox(dispatchDeps),
    (err) => logger.error({ err: { message: (err as Error).message } }, 'outbox run failed'),
  );
  const deps: AppDeps = {
    db,
    config,
    storage: new LocalDiskStorage(config.attachmentsDir),
    now: () => new Date(),
    logger,
    kickOutbox: () => pump.kick(),
  };
  if (mode !== 'api' && !email) console.log('SMTP_URL not set: email notifications are off (in-app notifications still work)');
  console.log(
    sms
      ? `SMS on through Kannel (${new URL(config.kannelSendsmsUrl!).origin}), sender ${config.smsShortCode}`
      : 'KANNEL_SENDSMS_URL not set: SMS is off (SMS messages wait in the outbox) / SMS nonaktif',
  );
  // Messages stored before a crash, and never handled, are handled now.
  const replayed = await replayPending(deps);
  if (replayed > 0) console.log(`Inbound messages replayed at start: ${replayed}`);
  const worker =
    mode === 'api'
      ? null
      : await startWorker({
          db,
          config,
          now: () => new Date(),
          dispatch: () => drainOutbox(dispatchDeps),
          replayInbound: () => replayPending(deps, { olderThanMs: 60_000 }),
        });
  if (worker) console.log('Worker started: deadline sweeps every minute / Pekerja latar berjalan');
  if (mode === 'worker') {
    const stopWorker = async () => {
      await worker!.stop();
      await db.close();
      process.exit(0);
    };
    process.on('SIGINT', stopWorker);
    process.on('SIGTERM', stopWorker);
    return;
  }
  if (config.demo) {
    const demo = await seedDemo(deps);
    console.log(`\nDemo mode / Mode demo${demo.created ? ' (data demo dibuat / demo data created)' : ''}. Sign in with / Masuk dengan:`);
    for (const a of demo.accounts) console.log(`  ${a.role.padEnd(15)} ${a.login.padEnd(40)} ${DEMO_PASSWORD}`);
  }
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const where = config.databaseUrl ? 'PostgreSQL' : `embedded PostgreSQL in ${config.dataDir}`;
    console.log(
      `\nLAPOR! listening on http://localhost:${info.port} (${where}), ready in ${Math.round(performance.now() - started)} ms` +
        `\n  API docs: http://localhost:${info.port}/docs`,
    );
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.close(() => {
      (worker ? worker.stop() : Promise.resolve()).finally(() => db.close().finally(() => process.exit(0)));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
