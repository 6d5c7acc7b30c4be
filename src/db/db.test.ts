import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOn } from '../../test/support/engine.ts';
import { type Db, openDb } from './db.ts';

const databaseUrl = process.env.DATABASE_URL?.trim() || null;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(w.message));

describeOn('postgres', 'PostgreSQL sessions', 'set DATABASE_URL to run on PostgreSQL', () => {
  const table = `idle_probe_${process.pid}`;
  let hung: Db;
  let other: Db;

  before(async () => {
    hung = await openDb({ databaseUrl, poolSize: 1, idleInTransactionTimeoutMs: 300 });
    other = await openDb({ databaseUrl, poolSize: 2 });
    await other.exec(`CREATE TABLE ${table} (id int PRIMARY KEY); INSERT INTO ${table} VALUES (1)`);
  });
  after(async () => {
    await other?.exec(`DROP TABLE IF EXISTS ${table}`);
    await hung?.close();
    await other?.close();
  });

  test('the session settings are in place before a new connection is used, without queueing on a busy client', async () => {
    const fresh = await openDb({ databaseUrl, poolSize: 3, idleInTransactionTimeoutMs: 4321 });
    try {
      const rows = await Promise.all(
        Array.from({ length: 6 }, () =>
          fresh.query<{ idle: string }>(`SELECT current_setting('idle_in_transaction_session_timeout') AS idle`),
        ),
      );
      assert.deepEqual(new Set(rows.map((r) => r[0]!.idle)), new Set(['4321ms']));
    } finally {
      await fresh.close();
    }
    // Node emits a deprecation once per process, so this listens from the file's first connection on.
    assert.deepEqual(warnings, [], 'node-postgres deprecates sending a query while the client runs another');
  });

  test('every session keeps TCP keepalives short and a one-minute idle-in-transaction limit by default', async () => {
    const [row] = await other.query<Record<string, string>>(
      `SELECT current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('tcp_keepalives_idle') AS keepalive,
              current_setting('tcp_keepalives_interval') AS interval, current_setting('tcp_keepalives_count') AS count`,
    );
    assert.deepEqual(row, { idle: '1min', keepalive: '60', interval: '10', count: '6' });
  });

  test('a process that hangs inside a transaction loses its session, and its row locks go with it', async () => {
    const stuck = hung.transaction(async (tx) => {
      await tx.query(`SELECT id FROM ${table} WHERE id = 1 FOR UPDATE`);
      await sleep(1500); // hangs, as a stuck worker would, holding the lock
      return tx.query('SELECT 1');
    });
    const failed = assert.rejects(stuck, /idle-in-transaction|terminat|connection error/i);
    // While it is stuck the row is locked; once the server has ended its session it is free.
    await sleep(100);
    assert.deepEqual(await other.transaction((tx) => tx.query(`SELECT id FROM ${table} FOR UPDATE SKIP LOCKED`)), []);
    await sleep(900);
    assert.deepEqual(await other.transaction((tx) => tx.query(`SELECT id FROM ${table} FOR UPDATE SKIP LOCKED`)), [{ id: 1 }]);
    await failed;
    // The pool replaces the ended connection.
    assert.deepEqual(await hung.query('SELECT 1 AS ok'), [{ ok: 1 }]);
  });
});
