import type { Config } from './config.ts';
import { type Db, openDb } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { ensureReference } from './db/seed/reference.ts';

/** Opens the database the config names, brings its schema up to date and makes sure reference data is there (and current). */
export async function openReadyDb(config: Config, options: { seed?: boolean; poolSize?: number } = {}): Promise<Db> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: options.poolSize });
  try {
    await migrate(db);
    if (options.seed !== false) await ensureReference(db);
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}
