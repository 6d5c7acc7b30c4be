import { serve } from '@hono/node-server';
import { openReadyDb } from './bootstrap.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/lock.ts';
import { DEMO_PASSWORD, seedDemo } from './demo.ts';
import { LocalDiskStorage } from './features/attachments/storage.ts';
import { createApp } from './http/app.ts';
import type { AppDeps } from './deps.ts';
import { assertNodeVersion } from './runtime.ts';
import { createEmailTransport } from './features/notifications/email.ts';
import { drainOutbox, startWorker } from './worker.ts';
import { chatStatusLines, createChatTransport } from './features/channels/chat-senders.ts';
import { createKannelTransport } from './features/channels/kannel.ts';
import {
  createGammuLink,
  createGammuTransport,
  describeGammuUrl,
  GAMMU_POLL_MS,
  type GammuPoller,
  startGammuPoller,
} from './features/channels/gammu.ts';
import { createWebhookTransport } from './features/integration/webhook-sender.ts';
import { replayPending } from './features/channels/intake.ts';
import { startInboundSmtp } from './features/channels/email.service.ts';
import { createOutboxPump } from './features/notifications/pump.ts';
import { createLogger } from './logger.ts';
import { checkApiKeyBodies } from './features/open311/open311.service.ts';

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
  // An Open311 key naming a body the directory does not have would file its reports nowhere.
  const keyProblems = await checkApiKeyBodies(db, config);
  if (keyProblems.length > 0) {
    await db.close();
    throw new ConfigError(keyProblems);
  }
  const logger = createLogger(config.logLevel);
  const email = createEmailTransport(config);
  // One SMS gateway (config.smsGateway: SMS_GATEWAY, else the one configured).
  const gammu = config.smsGateway === 'gammu' ? createGammuLink(config.gammuDatabaseUrl!) : null;
  const sms = config.smsGateway === 'kannel' ? createKannelTransport(config) : gammu ? createGammuTransport(gammu) : null;
  const chat = createChatTransport(config);
  const webhook = createWebhookTransport({ db, config, now: () => new Date() });
  const dispatchDeps = { db, now: () => new Date(), email, sms, chat, webhook };
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
  console.log(smsStartLine(config, mode));
  const inboundSmtp = mode !== 'worker' && config.inboundEmail ? await startInboundSmtp(deps) : null;
  console.log(
    inboundSmtp
      ? `Email in: SMTP on ${config.inboundEmail!.host}:${inboundSmtp.port} for ${config.inboundEmail!.address}`
      : 'INBOUND_SMTP_PORT not set: email into lapor is off / Email masuk nonaktif',
  );
  console.log(
    config.open311ApiKeys.length > 0
      ? `Open311 GeoReport v2 at /open311/v2, posting for ${config.open311ApiKeys.map((k) => k.name).join(', ')}`
      : 'OPEN311_API_KEYS not set: Open311 is read-only (GET) / Open311 hanya baca',
  );
  for (const line of chatStatusLines(config)) console.log(line);
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
  // Gammu's inbox and sentitems are read by the worker (FOR UPDATE SKIP LOCKED: several may run).
  const gammuPoller: GammuPoller | null = gammu && mode !== 'api' ? startGammuPoller(deps, gammu) : null;
  const stopGammu = async () => {
    await gammuPoller?.stop();
    await gammu?.close();
  };
  if (mode === 'worker') {
    const stopWorker = async () => {
      await stopGammu();
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
      Promise.all([stopGammu().then(() => worker?.stop()), inboundSmtp ? inboundSmtp.close() : Promise.resolve()]).finally(() =>
        db.close().finally(() => process.exit(0)),
      );
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** What the start says about SMS: which gateway, or why none. */
function smsStartLine(config: Config, mode: Mode): string {
  if (config.smsGateway === 'kannel') {
    const line = `SMS on through Kannel (${new URL(config.kannelSendsmsUrl!).origin}), sender ${config.smsShortCode}`;
    return `${line}; Gammu SMSD is off (${config.gammuDatabaseUrl ? 'SMS_GATEWAY=kannel' : 'GAMMU_DATABASE_URL not set'})`;
  }
  if (config.smsGateway === 'gammu') {
    const reading =
      mode === 'api'
        ? 'its inbox and delivery statuses are read by the worker process'
        : `its inbox and sentitems read every ${GAMMU_POLL_MS / 1000} s`;
    const line = `SMS on through Gammu SMSD (database ${describeGammuUrl(config.gammuDatabaseUrl!)}): ${reading}`;
    return config.kannelSendsmsUrl ? `${line}; Kannel is off (SMS_GATEWAY=gammu)` : line;
  }
  return 'KANNEL_SENDSMS_URL and GAMMU_DATABASE_URL not set: SMS is off, through Kannel and Gammu SMSD alike (SMS messages wait in the outbox) / SMS nonaktif';
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
