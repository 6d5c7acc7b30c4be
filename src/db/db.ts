import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';

/** Anything that runs one parameterised statement. Repositories take this, so they work in and out of a transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Tx extends Queryable {
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Tx {
  readonly kind: 'embedded' | 'postgres';
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Embedded only: the whole data dir as a tarball (the test template is built with it). */
  dump?(): Promise<Blob>;
  /** Embedded only: the PGlite instance itself, for libraries that run on it in-process (pg-boss). */
  readonly pglite?: PGlite;
  /** Server only: the connection string, for libraries that open their own pool (pg-boss). */
  readonly url?: string;
}

const MAX_NAMED_STATEMENTS = 500;
const OID_INT8 = 20;
const OID_NUMERIC = 1700;
const OID_DATE = 1082;
const OID_INT8_ARRAY = 1016;

// Both engines must hand back the same JavaScript values: bigint ids and counts as numbers,
// calendar dates as 'YYYY-MM-DD' strings (never a Date at local midnight).
const parseNumber = (value: string) => Number(value);
const keepText = (value: string) => value;

export interface OpenDbOptions {
  databaseUrl: string | null;
  /** Folder of the embedded database; ignored with databaseUrl. */
  dataDir?: string;
  /** An embedded database held only in memory, optionally started from a dumped data dir. */
  memory?: { loadDataDir?: Blob };
  poolSize?: number;
  /**
   * PostgreSQL only: the server ends a session left idle inside a transaction this long (ms; 0:
   * never), which releases its row locks. Default one minute: no transaction here waits on
   * anything but the database, so only a hung or vanished process ever reaches it.
   */
  idleInTransactionTimeoutMs?: number;
}

export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.idleInTransactionTimeoutMs ?? 60_000);
  return openEmbedded(options);
}

async function openPostgres(url: string, poolSize: number, idleInTransactionTimeoutMs: number): Promise<Db> {
  const parsers = new Map<number, (v: string) => unknown>([
    [OID_INT8, parseNumber],
    [OID_NUMERIC, parseNumber],
    [OID_DATE, keepText],
    // PGlite already returns bigint[] (body paths) as numbers; node-postgres returns strings.
    [OID_INT8_ARRAY, (v: string) => (pg.types.getTypeParser(OID_INT8_ARRAY as never)(v) as string[]).map(Number)],
  ]);
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      parsers.get(oid) ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  // A worker that hangs or whose machine vanishes in the middle of a sweep batch must not keep the
  // batch's clocks locked (other workers skip locked clocks): the server ends such a session after
  // the idle-in-transaction timeout, and notices a dead peer by TCP keepalive within about two
  // minutes instead of the operating system's default two hours. Set per session with SET rather
  // than as startup options, which connection poolers such as PgBouncer refuse; pg-pool awaits
  // onConnect before it hands the connection out.
  const sessionSettings =
    `SET idle_in_transaction_session_timeout = ${Math.max(0, Math.floor(idleInTransactionTimeoutMs))}; ` +
    'SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 6';
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    onConnect: async (client) => {
      await client.query(sessionSettings);
    },
  });
  pool.on('error', (err) => console.error('postgres pool error:', err.message));
  // Named statements are parsed and planned once per connection instead of on every call; for the
  // nine-way join of a report view that is most of the query's cost (docs/benchmarks.md). The
  // name is a hash of the text, so one name always means one text; past the bound, SQL built on
  // the fly runs unnamed rather than filling every connection with plans.
  const names = new Map<string, string>();
  const nameFor = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (!name && names.size < MAX_NAMED_STATEMENTS) {
      name = `lapor_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
      names.set(sql, name);
    }
    return name;
  };
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (await client.query({ name: nameFor(sql), text: sql, values: params as unknown[] })).rows as T[];
  // Fail at start, with the server's own message, rather than on the first request.
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    url,
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      // A checked-out client that loses its connection (server restart, an ended session) emits
      // 'error'; unheard, that would crash the process. The statement in flight fails anyway, and
      // the broken client is dropped from the pool below.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

async function openEmbedded(options: OpenDbOptions): Promise<Db> {
  const parsers = { [OID_INT8]: parseNumber, [OID_NUMERIC]: parseNumber, [OID_DATE]: keepText };
  let lock: DataDirLock | null = null;
  let client: PGlite;
  if (options.memory) {
    client = await PGlite.create({ parsers, loadDataDir: options.memory.loadDataDir });
  } else {
    if (!options.dataDir) throw new Error('openDb: dataDir is required for the embedded database');
    fs.mkdirSync(options.dataDir, { recursive: true });
    // PGlite has no lock of its own: a second process on the same folder silently corrupts it.
    lock = acquireDataDirLock(options.dataDir);
    try {
      client = await PGlite.create(path.join(options.dataDir, 'pgdata'), { parsers });
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  return {
    kind: 'embedded',
    pglite: client,
    query: async (sql, params) => (await client.query(sql, params)).rows as never,
    exec: async (sql) => {
      await client.exec(sql);
    },
    transaction: (fn) =>
      client.transaction((tx) =>
        fn({
          query: async (sql, params) => (await tx.query(sql, params)).rows as never,
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    dump: () => client.dumpDataDir('none'),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

let savepoints = 0;

/**
 * `db` as seen from inside the open transaction `tx`: queries run in `tx`, and a service's own
 * `transaction(fn)` becomes a savepoint in it. A caller that must commit its own rows together
 * with what a service writes (the channel intake marks a raw message handled in the transaction
 * that files its report) passes this to the service instead of the pool. A savepoint rolled back
 * undoes only the service's part: the caller's transaction stays usable, and decides.
 */
export function joinTransaction(db: Db, tx: Tx): Db {
  const joined: Db = {
    kind: db.kind,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: async (fn) => {
      savepoints += 1;
      const name = `joined_${savepoints}`;
      await tx.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        await tx.exec(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        throw err;
      }
    },
    close: async () => {
      throw new Error('joinTransaction: a joined database is closed by its owner');
    },
  };
  return joined;
}
