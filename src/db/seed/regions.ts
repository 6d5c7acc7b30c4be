import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db, Tx } from '../db.ts';

export interface RegionCounts {
  provinces: number;
  regencies: number;
  districts: number;
  villages: number;
}

export interface RegionRow {
  code: string;
  parentCode: string | null;
  level: 1 | 2 | 3 | 4;
  name: string;
}

// Parent columns by level; the package names them after the parent's level.
const SOURCES = [
  { file: 'provinces', level: 1, parentColumn: null },
  { file: 'regencies', level: 2, parentColumn: 'province_code' },
  { file: 'districts', level: 3, parentColumn: 'regency_code' },
  { file: 'villages', level: 4, parentColumn: 'district_code' },
] as const;

// Kemendagri codes: 2 digits, then 2, 2 and 4 (villages) digit segments joined by dots.
const CODE_PATTERN = [/^\d{2}$/, /^\d{2}\.\d{2}$/, /^\d{2}\.\d{2}\.\d{2}$/, /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/];

const BATCH_SIZE = 5000;
/** Serialises concurrent seeders on one server; any constant shared by lapor processes works. */
export const SEED_LOCK_KEY = 4_711_709;

/**
 * Parses RFC 4180 CSV: quoted fields may hold commas, line breaks and doubled quotes
 * (the village file has names like `"Soka""an"` and `"Lubuk Pakam I,II"`).
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      // A quoted field runs to the first quote not followed by another quote.
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) throw new Error('CSV: unterminated quoted field');
        field += text.slice(i, close);
        if (text[close + 1] === '"') {
          field += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw new Error(`CSV: unexpected character after quoted field at offset ${i}`);
      }
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      // Unquoted run: copy up to the next delimiter in one slice instead of char by char.
      let end = i;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === 44 || c === 10 || c === 13) break;
        end++;
      }
      field += text.slice(i, end);
      i = end;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function sourcePath(file: string): string {
  // Resolved through the package so a hoisted or relocated node_modules still works.
  return fileURLToPath(import.meta.resolve(`idn-area-data/data/${file}.csv`));
}

/** Reads every region from the `idn-area-data` CSVs, checked for shape, ordered parents first. */
export function readRegionSource(): RegionRow[] {
  const all: RegionRow[] = [];
  const known = new Set<string>();
  for (const source of SOURCES) {
    const [header, ...records] = parseCsv(fs.readFileSync(sourcePath(source.file), 'utf8'));
    const codeAt = header.indexOf('code');
    const nameAt = header.indexOf('name');
    const parentAt = source.parentColumn ? header.indexOf(source.parentColumn) : -1;
    if (codeAt < 0 || nameAt < 0 || (source.parentColumn && parentAt < 0)) {
      throw new Error(`${source.file}.csv: unexpected header ${header.join(',')}`);
    }
    for (const [index, record] of records.entries()) {
      if (record.length === 1 && record[0] === '') continue;
      const where = `${source.file}.csv line ${index + 2}`;
      if (record.length !== header.length) throw new Error(`${where}: expected ${header.length} fields`);
      const code = record[codeAt];
      const name = record[nameAt].trim();
      const parentCode = parentAt >= 0 ? record[parentAt] : null;
      if (!CODE_PATTERN[source.level - 1].test(code)) throw new Error(`${where}: bad code ${code}`);
      if (!name) throw new Error(`${where}: empty name`);
      // The code embeds its parent's; a mismatch would silently attach a region to the wrong parent.
      if (parentCode !== null && (!code.startsWith(`${parentCode}.`) || !known.has(parentCode))) {
        throw new Error(`${where}: parent ${parentCode} does not match ${code}`);
      }
      known.add(code);
      all.push({ code, parentCode, level: source.level, name });
    }
  }
  return all;
}

async function countRegions(db: Pick<Tx, 'query'>): Promise<RegionCounts> {
  const rows = await db.query<{ level: number; n: number }>('SELECT level, count(*)::int AS n FROM regions GROUP BY level');
  const at = (level: number) => rows.find((r) => r.level === level)?.n ?? 0;
  return { provinces: at(1), regencies: at(2), districts: at(3), villages: at(4) };
}

function countSource(rows: RegionRow[]): RegionCounts {
  const counts = { provinces: 0, regencies: 0, districts: 0, villages: 0 };
  for (const row of rows) {
    if (row.level === 1) counts.provinces++;
    else if (row.level === 2) counts.regencies++;
    else if (row.level === 3) counts.districts++;
    else counts.villages++;
  }
  return counts;
}

/**
 * Loads every province, regency/city, district and village. Existing codes are left as they
 * are, so it is safe to run at every start; when the table already holds as many regions per
 * level as the source, nothing is written at all.
 */
export async function seedRegions(db: Db): Promise<RegionCounts> {
  const source = readRegionSource();
  const expected = countSource(source);
  const before = await countRegions(db);
  if (
    before.provinces === expected.provinces &&
    before.regencies === expected.regencies &&
    before.districts === expected.districts &&
    before.villages === expected.villages
  ) {
    return before;
  }
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    // Source order is parents first; a child in the same batch as its parent is fine because
    // foreign keys are checked at the end of each statement.
    for (let start = 0; start < source.length; start += BATCH_SIZE) {
      const batch = source.slice(start, start + BATCH_SIZE);
      await tx.query(
        `INSERT INTO regions (code, parent_code, level, name)
         SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[])
         ON CONFLICT (code) DO NOTHING`,
        [batch.map((r) => r.code), batch.map((r) => r.parentCode), batch.map((r) => r.level), batch.map((r) => r.name)],
      );
    }
  });
  return countRegions(db);
}
