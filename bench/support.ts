import pg from 'pg';

/** Drops and creates the benchmark's own database (never `postgres`), so every run starts empty. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL: unusual database name "${name}"`);
  if (name === 'postgres') throw new Error('BENCH_DATABASE_URL must not name the postgres database: it is dropped');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
