import type { Db } from '../db.ts';
import { loadShippedCalendar } from '../../domain/calendar.ts';

/**
 * Loads the shipped national calendar one year at a time, only for years not yet entered, so that
 * an admin's later edits (and the SKB's dates replacing provisional ones) are never overwritten.
 */
export async function seedNationalCalendar(db: Db): Promise<{ years: number[] }> {
  const shipped = loadShippedCalendar();
  const loaded: number[] = [];
  for (const [yearText, meta] of Object.entries(shipped.years)) {
    const year = Number(yearText);
    await db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO calendar_years (scope_key, year, status, source, note) VALUES ('national', $1, $2, $3, $4)
         ON CONFLICT (scope_key, year) DO NOTHING RETURNING year`,
        [year, meta.status, meta.source, meta.note ?? null],
      );
      if (inserted.length === 0) return;
      for (const day of shipped.days.filter((d) => d.date.startsWith(`${year}-`))) {
        await tx.query(
          `INSERT INTO calendar_days (scope, date, kind, name, provisional) VALUES ('national', $1, $2, $3, $4)
           ON CONFLICT (scope_key, date) DO NOTHING`,
          [day.date, day.kind, day.name, day.provisional ?? false],
        );
      }
      loaded.push(year);
    });
  }
  return { years: loaded };
}
