import type { Config } from './config.ts';
import { type Db, openDb } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { seedReference } from './db/seed/reference.ts';

/** Opens the database the config names, brings its schema up to date and makes sure reference data is there. */
export async function openReadyDb(config: Config, options: { seed?: boolean; poolSize?: number } = {}): Promise<Db> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: options.poolSize });
  try {
    await migrate(db);
    if (options.seed !== false) await seedReference(db);
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}
