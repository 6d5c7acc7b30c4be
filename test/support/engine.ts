import { describe, test } from 'node:test';

export type Engine = 'postgres' | 'embedded';

/** The engine the tests run on: PostgreSQL when DATABASE_URL is set, the embedded one otherwise. */
export const ENGINE: Engine = process.env.DATABASE_URL?.trim() ? 'postgres' : 'embedded';

/**
 * A suite that can run on one engine only. On the other it is reported as one skipped test that
 * names the suite and why, so the runner's "skipped" count says what did not run (a skipped
 * suite alone counts nothing).
 */
export function describeOn(engine: Engine, name: string, reason: string, fn: () => void): void {
  if (engine === ENGINE) {
    describe(name, fn);
    return;
  }
  test(`${name} (${engine === 'postgres' ? 'PostgreSQL' : 'embedded database'} only)`, { skip: reason }, () => {});
}
