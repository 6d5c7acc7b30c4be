import { serve } from '@hono/node-server';
import { openReadyDb } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/lock.ts';
import { DEMO_PASSWORD, seedDemo } from './db/seed/demo.ts';
import { LocalDiskStorage } from './features/attachments/storage.ts';
import { createApp } from './http/app.ts';
import type { AppDeps } from './http/context.ts';
import { assertNodeVersion } from './runtime.ts';

assertNodeVersion();

async function main(): Promise<void> {
  const config = loadConfig();
  const started = performance.now();
  const db = await openReadyDb(config);
  const deps: AppDeps = { db, config, storage: new LocalDiskStorage(config.attachmentsDir), now: () => new Date() };
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
      db.close().finally(() => process.exit(0));
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
