import { parseArgs } from 'node:util';
import { openReadyDb } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/lock.ts';
import { seedDemo } from './demo.ts';
import { seedReference } from './db/seed/reference.ts';
import { ROLES, type Role } from './domain/roles.ts';
import { runDeadline } from './cli/deadline.ts';
import { runSlaSweep, SLA_SWEEP_USAGE } from './cli/sla-sweep.ts';
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
${SLA_SWEEP_USAGE}
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
    case 'sla:sweep':
      return runSlaSweep(rest, config, USAGE);
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
