import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import { seedBodies } from './bodies.ts';
import { seedNationalCalendar } from './calendar.ts';
import { seedCategories } from './categories.ts';
import { seedSmsKeywords } from './keywords.ts';
import { seedRegions, type RegionCounts } from './regions.ts';

export interface ReferenceSummary {
  regions: RegionCounts;
  bodies: { total: number; inserted: number };
  categories: { total: number; inserted: number };
  calendarYears: number[];
  ms: number;
}

/**
 * Regions, then bodies (which are built from the regions), then categories. Safe at every
 * start: a second run inserts nothing, and skips writing regions once all of them are there.
 */
export async function seedReference(db: Db): Promise<ReferenceSummary> {
  const started = performance.now();
  const fingerprint = referenceFingerprint();
  const regions = await seedRegions(db);
  const { total, inserted } = await seedBodies(db);
  const categories = await seedCategories(db);
  const calendar = await seedNationalCalendar(db);
  await seedSmsKeywords(db);
  // Complete: later starts with the same code and data can skip all of the above (ensureReference).
  await db.query(
    `INSERT INTO system_state (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [FINGERPRINT_KEY, fingerprint],
  );
  return { regions, bodies: { total, inserted }, categories, calendarYears: calendar.years, ms: Math.round(performance.now() - started) };
}

const SRC = path.resolve(import.meta.dirname, '../..');
const FINGERPRINT_KEY = 'reference_fingerprint';

/**
 * A fingerprint of everything the reference data is built from: the seed code, the shipped
 * calendars and the code that reads them, and the version of the region package. Equal
 * fingerprints build equal reference data.
 */
export function referenceFingerprint(): string {
  const hash = createHash('sha256');
  const files = [
    ...fs
      .readdirSync(path.join(SRC, 'db/seed'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => path.join(SRC, 'db/seed', f)),
    ...fs.readdirSync(path.join(SRC, 'domain/calendars')).map((f) => path.join(SRC, 'domain/calendars', f)),
    path.join(SRC, 'domain/calendar.ts'),
  ].sort();
  for (const file of files) hash.update(path.relative(SRC, file)).update(fs.readFileSync(file));
  const regionPackage = fs.readFileSync(new URL(import.meta.resolve('idn-area-data/package.json')), 'utf8');
  hash.update(String((JSON.parse(regionPackage) as { version?: unknown }).version));
  return hash.digest('hex');
}

/**
 * What every start runs: seeds the reference data unless this database already holds the data
 * this code builds (same fingerprint), which saves re-reading 90,000 region rows on every start
 * and command. Returns null when there was nothing to do. `npm run lapor -- seed` always seeds.
 */
export async function ensureReference(db: Db): Promise<ReferenceSummary | null> {
  const [held] = await db.query<{ value: string }>('SELECT value FROM system_state WHERE key = $1', [FINGERPRINT_KEY]);
  if (held?.value === referenceFingerprint()) return null;
  return seedReference(db);
}
