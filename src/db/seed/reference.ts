import type { Db } from '../db.ts';
import { seedBodies } from './bodies.ts';
import { seedNationalCalendar } from './calendar.ts';
import { seedCategories } from './categories.ts';
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
  const regions = await seedRegions(db);
  const { total, inserted } = await seedBodies(db);
  const categories = await seedCategories(db);
  const calendar = await seedNationalCalendar(db);
  return { regions, bodies: { total, inserted }, categories, calendarYears: calendar.years, ms: Math.round(performance.now() - started) };
}
