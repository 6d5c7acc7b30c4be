import { parseArgs } from 'node:util';
import { openReadyDb } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/lock.ts';
import { seedDemo } from './demo.ts';
import { seedReference } from './db/seed/reference.ts';
import { ROLES, type Role } from './domain/roles.ts';
import { runDeadline } from './cli/deadline.ts';
import { createEmailTransport } from './features/notifications/email.ts';
import { sweepDueClocks } from './features/sla/sweep.ts';
import { drainOutbox } from './worker.ts';
import { AppError } from './errors.ts';
import { createStaffUser } from './features/accounts/accounts.service.ts';
import { LocalDiskStorage } from './features/attachments/storage.ts';
import { assertNodeVersion } from './runtime.ts';

assertNodeVersion();

const USAGE = `Usage: npm run lapor -- <command> [options]

Commands:
  users:create --role ROLE --email E --password P [--name N] [--phone P] [--body CODE]
                 Create a staff account (the first national_admin is made this way).
  seed [--demo]  Load reference data (regions, bodies, categories); --demo adds demo accounts and reports.
  migrate        Apply database migrations.
  sla:sweep --now ISO [--batch-size N] [--concurrency N]
                 Run every timer due at that instant, as the worker would (catching up after an outage).
  deadline --from ISO (--working-days N | --calendar-days N) --tz ZONE [--calendar FILE]
                 Print the due instant of an H+N limit (see \`npm run lapor -- deadline --help\`).

Uses DATABASE_URL when set, otherwise the embedded database in DATA_DIR (default ./data).`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Pure arithmetic: needs no database and no configuration.
  if (command === 'deadline') return runDeadline(rest);
  const config = loadConfig();
  switch (command) {
    case 'users:create': {
      const { values } = parseArgs({
        args: rest,
        options: {
          role: { type: 'string' },
          email: { type: 'string' },
          phone: { type: 'string' },
          password: { type: 'string' },
          name: { type: 'string' },
          body: { type: 'string' },
        },
        strict: true,
      });
      const problems: string[] = [];
      if (!values.role || !(ROLES as readonly string[]).includes(values.role)) problems.push(`--role must be one of ${ROLES.join(', ')}`);
      if (!values.email && !values.phone) problems.push('--email or --phone is required');
      if (!values.password || values.password.length < 8) problems.push('--password of at least 8 characters is required');
      if (problems.length > 0) {
        console.error(`${problems.join('\n')}\n\n${USAGE}`);
        return 2;
      }
      const db = await openReadyDb(config);
      try {
        let bodyId: number | null = null;
        if (values.body) {
          const rows = await db.query<{ id: number }>('SELECT id FROM bodies WHERE code = $1', [values.body]);
          if (!rows[0]) throw new AppError('invalid_input', `Unknown body code ${values.body}`);
          bodyId = rows[0].id;
        }
        const user = await createStaffUser(db, 'cli', {
          role: values.role as Role,
          name: values.name ?? values.email ?? values.phone!,
          email: values.email ?? null,
          phone: values.phone ?? null,
          password: values.password!,
          bodyId,
        });
        console.log(`Created ${user.role} #${user.id} ${user.email ?? user.phone}`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } }, strict: true });
      const db = await openReadyDb(config, { seed: false });
      try {
        const summary = await seedReference(db);
        console.log(`Reference data: ${JSON.stringify(summary)}`);
        if (values.demo) {
          const deps = { db, config, storage: new LocalDiskStorage(config.attachmentsDir), now: () => new Date() };
          const demo = await seedDemo(deps);
          console.log(demo.created ? 'Demo data created' : 'Demo data already present');
        }
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'sla:sweep': {
      const { values } = parseArgs({
        args: rest,
        options: { now: { type: 'string' }, 'batch-size': { type: 'string' }, concurrency: { type: 'string' } },
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
        console.error(`--batch-size and --concurrency must be positive integers\n\n${USAGE}`);
        return 2;
      }
      const now = values.now ? new Date(values.now) : new Date();
      if (values.now && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(values.now) || Number.isNaN(now.getTime()))) {
        console.error(`--now must be an ISO instant with an offset, e.g. 2026-11-24T09:00:00+07:00\n\n${USAGE}`);
        return 2;
      }
      const db = await openReadyDb(config);
      try {
        const result = await sweepDueClocks({ db, limits: config.sla }, now, {
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
        console.log(JSON.stringify({ now: now.toISOString(), ...result }));
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'migrate': {
      const db = await openReadyDb(config, { seed: false });
      await db.close();
      console.log('Migrations applied');
      return 0;
    }
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof AppError) {
      const fields = err.fields ? ` ${JSON.stringify(err.fields)}` : '';
      console.error(`${err.code}: ${err.message}${fields}`);
      process.exit(2);
    }
    if (String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(err as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (err instanceof ConfigError || err instanceof DataDirLockedError) {
      console.error((err as Error).message);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);
