import type { Queryable } from '../db.ts';

/**
 * Regional SMS keywords (issue 11 §2): a report sent with one goes to that region and its body.
 * The national commands (LAPOR, CEK, BALAS, …) are in migration 0013; these need the regions
 * and bodies first. An admin's later change to a keyword is kept: existing rows are left alone.
 */
export const REGIONAL_KEYWORDS = [
  // Kota Metro, Lampung: "LAPORYAI" in the seeds (yai: "father", the city's own word for its mayor's line)
  { keyword: 'LAPORYAI', regionCode: '18.72', bodyCode: 'pemkot-18.72', note: 'Pemerintah Kota Metro' },
] as const;

export async function seedSmsKeywords(db: Queryable): Promise<number> {
  let inserted = 0;
  for (const k of REGIONAL_KEYWORDS) {
    const rows = await db.query(
      `INSERT INTO sms_keywords (keyword, command, region_code, body_code, note)
       SELECT $1, 'report', $2, $3, $4 WHERE EXISTS (SELECT 1 FROM regions WHERE code = $2)
       ON CONFLICT (keyword) DO NOTHING RETURNING keyword`,
      [k.keyword, k.regionCode, k.bodyCode, k.note],
    );
    inserted += rows.length;
  }
  return inserted;
}
