import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import type { Logger } from './logger.ts';

/**
 * Where attachment bytes live. Keys are opaque to callers beyond the rules in
 * `assertValidKey` (features/attachments/storage.ts), so an S3-compatible implementation can use
 * them as object keys unchanged.
 */
export interface BlobStorage {
  put(key: string, data: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
}

/** What services need from the running process: one object, made by main.ts, the CLI or a test. */
export interface AppDeps {
  db: Db;
  config: Config;
  storage: BlobStorage;
  /** The only clock the request path reads; tests pass a fixed one. */
  now: () => Date;
  /** Structured log; by default JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
  /**
   * Asks the outbox sender to run now rather than at the worker's next tick: an SMS command's
   * reply must reach the citizen within seconds. Absent (the CLI, most tests): the tick sends it.
   */
  kickOutbox?: () => void;
}
