/**
 * `npm run check`'s second half: the whole suite again on a PostgreSQL server, when one answers,
 * so the suites that only PostgreSQL can run (several workers racing, a worker killed mid-sweep)
 * run too. DATABASE_URL names the server; by default the local one's `test` database. Without a
 * server it says so and what was not run, and does not fail: `npm test` alone needs no server.
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';
const shown = url.replace(/\/\/[^@/]*@/, '//…@');

const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query('SELECT 1');
} catch (err) {
  console.log(`\nPostgreSQL at ${shown} does not answer (${(err as Error).message}):`);
  console.log('the PostgreSQL suites were NOT run. Set DATABASE_URL to a test database to run them.');
  process.exit(0);
} finally {
  await client.end().catch(() => undefined);
}

console.log(`\n== the suite again on PostgreSQL (${shown})`);
const run = spawnSync('npm', ['test'], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url } });
process.exit(run.status ?? 1);
