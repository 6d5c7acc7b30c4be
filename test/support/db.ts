import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type Db, openDb } from '../../src/db/db.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { referenceFingerprint, seedReference } from '../../src/db/seed/reference.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Changes to the schema or the reference data make a new template; nothing else does. */
function templateKey(): string {
  const hash = createHash('sha256').update(referenceFingerprint());
  for (const m of listMigrations()) hash.update(m.name).update(m.sql);
  hash.update(JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version);
  return hash.digest('hex').slice(0, 12);
}

/**
 * An empty database, for tests of migrations and seeding themselves: in memory on the embedded
 * engine, or, with DATABASE_URL, that database with its public schema dropped and re-created (its
 * name must contain "test").
 */
export async function openEmptyDb(): Promise<Db> {
  const databaseUrl = process.env.DATABASE_URL?.trim() || null;
  const db = await openDb(databaseUrl ? { databaseUrl, poolSize: 2 } : { databaseUrl: null, memory: {} });
  if (databaseUrl) {
    const name = new URL(databaseUrl).pathname.slice(1);
    if (!/test/i.test(name)) {
      await db.close();
      throw new Error(`Refusing to reset database "${name}": its name must contain "test"`);
    }
    await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  }
  return db;
}

export interface TestDb {
  db: Db;
  close(): Promise<void>;
}

/**
 * A fresh, migrated and seeded database for one test file: the embedded engine by default,
 * PostgreSQL when DATABASE_URL is set. Both start from a template built once, since migrating
 * and loading 83,000 villages for every file would cost seconds each time.
 */
export function createTestDb(): Promise<TestDb> {
  const url = process.env.DATABASE_URL?.trim();
  return url ? createPostgresTestDb(url) : createEmbeddedTestDb();
}

async function createEmbeddedTestDb(): Promise<TestDb> {
  const cacheDir = path.join(ROOT, '.cache');
  const file = path.join(cacheDir, `test-template-${templateKey()}.tar`);
  if (!fs.existsSync(file)) {
    const db = await openDb({ databaseUrl: null, memory: {} });
    await migrate(db);
    await seedReference(db);
    const blob = await db.dump!();
    await db.close();
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, file);
  }
  const db = await openDb({ databaseUrl: null, memory: { loadDataDir: new Blob([fs.readFileSync(file)]) } });
  return { db, close: () => db.close() };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function createPostgresTestDb(url: string): Promise<TestDb> {
  // Every database made here is named after the one in DATABASE_URL, so that several checkouts
  // sharing one server (each with a database of its own) never drop or reuse each other's.
  const prefix =
    new URL(url).pathname
      .slice(1)
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_') || 'lapor';
  const template = `${prefix}_tpl_${templateKey()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // Test files may run in parallel; one builds the template while the others wait on the lock.
    await admin.query('SELECT pg_advisory_lock(4711710)');
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) {
        const building = `${template}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
        await admin.query(`CREATE DATABASE ${building}`);
        const db = await openDb({ databaseUrl: withDatabase(url, building), poolSize: 2 });
        await migrate(db);
        await seedReference(db);
        await db.close();
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
        const stale = await admin.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE starts_with(datname, $2) AND datname <> $1`,
          [template, `${prefix}_tpl_`],
        );
        for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
      }
      const name = `${prefix}_t_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      const db = await openDb({ databaseUrl: withDatabase(url, name), poolSize: 5 });
      return {
        db,
        close: async () => {
          await db.close();
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name}`);
          await c.end();
        },
      };
    } finally {
      await admin.query('SELECT pg_advisory_unlock(4711710)');
    }
  } finally {
    await admin.end();
  }
}
