/**
 * Working-day calendars and deadline arithmetic ("H+N"), as pure functions: time is always an argument,
 * nothing here reads the clock. The only I/O is `loadShippedCalendar`, which reads the national calendar
 * shipped beside this file.
 *
 * Counting rule (domain.md, "Time limits"): the local day of the start instant is day 0, whatever the hour
 * and whether or not it is a working day; day 1 is the next working day after it; the deadline is the end
 * (23:59:59 local) of the Nth working day. Limits in calendar days count every day the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type DayKind = 'holiday' | 'cuti_bersama' | 'regional' | 'workday';

const DAY_KINDS: readonly DayKind[] = ['holiday', 'cuti_bersama', 'regional', 'workday'];

export interface CalendarDay {
  /** 'YYYY-MM-DD', a local date (it means the same calendar day in every zone). */
  date: string;
  kind: DayKind;
  name: string;
  /** Entered before the decree that fixes it (e.g. an expected lunar holiday). */
  provisional?: boolean;
}

export type IndonesianTimeZone = 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';

/** UTC offsets in hours: WIB, WITA, WIT. Indonesia has kept these offsets, without DST, since 1988. */
export const TIME_ZONE_OFFSETS: Readonly<Record<IndonesianTimeZone, number>> = {
  'Asia/Jakarta': 7,
  'Asia/Makassar': 8,
  'Asia/Jayapura': 9,
};

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01), so iteration never goes through a time zone.

/** The day number of a 'YYYY-MM-DD' date, or null when it is malformed or impossible (2026-02-30). */
function dayNumberOf(date: string): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC maps years 0–99 to 1900–1999; the round trip catches that and every overflowing day.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function requireDayNumber(date: string): number {
  const n = dayNumberOf(date);
  if (n === null) throw new RangeError(`Not a valid date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return n;
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOfDayNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function isWeekendDayNumber(n: number): boolean {
  const w = weekdayOfDayNumber(n);
  return w === 0 || w === 6;
}

// ---------------------------------------------------------------------------------------------------
// Time zones

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function isFixedZone(timeZone: string): timeZone is IndonesianTimeZone {
  return Object.hasOwn(TIME_ZONE_OFFSETS, timeZone);
}

function requireValidInstant(instant: Date, what = 'instant'): number {
  const t = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`Invalid ${what}`);
  return t;
}

/**
 * The zone's UTC offset in milliseconds at an instant. The three Indonesian zones come from the fixed
 * table; any other IANA zone is asked of Intl for that very instant (so DST zones work). An unknown zone
 * throws a RangeError.
 */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  if (isFixedZone(timeZone)) return TIME_ZONE_OFFSETS[timeZone] * 3_600_000;
  const t = requireValidInstant(instant);
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }); // RangeError if unknown
    offsetFormatters.set(timeZone, fmt);
  }
  const name = fmt.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (name === 'GMT' || name === 'UTC') return 0;
  const m = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(name);
  if (!m) throw new RangeError(`Cannot determine the UTC offset of time zone ${timeZone} (got ${JSON.stringify(name)})`);
  const sign = m[1] === '-' ? -1 : 1;
  return sign * ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
}

/** The local calendar date ('YYYY-MM-DD') of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const t = requireValidInstant(instant);
  return new Date(t + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
}

function localDayNumber(instant: Date, timeZone: string): number {
  const t = requireValidInstant(instant);
  return Math.floor((t + zoneOffsetMs(instant, timeZone)) / DAY_MS);
}

/**
 * The instant at which the local wall clock reads `msIntoDay` after the start of day `dayNumber`.
 * Zones with DST: an ambiguous wall time (clocks set back) takes the earlier instant; a wall time that
 * does not exist (clocks set forward) is read on the offset before the jump, so it lands just after it.
 * Assumes at most one offset change within a day either side, as in every real zone.
 */
function wallClockInstant(dayNumber: number, msIntoDay: number, timeZone: string): Date {
  const wall = dayNumber * DAY_MS + msIntoDay;
  if (isFixedZone(timeZone)) return new Date(wall - TIME_ZONE_OFFSETS[timeZone] * 3_600_000);
  const before = zoneOffsetMs(new Date(wall - DAY_MS), timeZone);
  const after = zoneOffsetMs(new Date(wall + DAY_MS), timeZone);
  const candidates = [wall - before, wall - after].filter((t, i) => zoneOffsetMs(new Date(t), timeZone) === (i === 0 ? before : after));
  return new Date(candidates.length > 0 ? Math.min(...candidates) : wall - before);
}

const END_OF_DAY_MS = (23 * 3600 + 59 * 60 + 59) * 1000;

/** 23:59:59 (.000) local time on `date` in `timeZone`: the instant a deadline on that day expires. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return wallClockInstant(requireDayNumber(date), END_OF_DAY_MS, timeZone);
}

/** 00:00:00 local time on `date` in `timeZone`. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return wallClockInstant(requireDayNumber(date), 0, timeZone);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * ISO-8601 with the zone's offset at that instant, e.g. `2026-03-30T23:59:59+07:00` (UTC is written
 * `+00:00`). Milliseconds are written only when not zero.
 */
export function formatInstant(instant: Date, timeZone: string): string {
  const t = requireValidInstant(instant);
  const offset = zoneOffsetMs(instant, timeZone);
  const local = new Date(t + offset).toISOString(); // 'YYYY-MM-DDTHH:MM:SS.mmmZ' of the wall clock
  const ms = local.slice(19, 23);
  const abs = Math.abs(offset) / 1000;
  const sign = offset < 0 ? '-' : '+';
  let zone = `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}`;
  if (abs % 60 !== 0) zone += `:${pad(abs % 60)}`; // historical local mean time only
  return `${local.slice(0, 19)}${ms === '.000' ? '' : ms}${zone}`;
}

// ---------------------------------------------------------------------------------------------------
// The calendar

function requireKind(kind: unknown): DayKind {
  if (typeof kind !== 'string' || !(DAY_KINDS as readonly string[]).includes(kind)) {
    throw new RangeError(`Unknown day kind ${JSON.stringify(kind)}; expected one of ${DAY_KINDS.join(', ')}`);
  }
  return kind as DayKind;
}

/**
 * A set of exceptions to the Monday–Friday week. Saturdays and Sundays are off unless the calendar has a
 * 'workday' entry for them; 'holiday', 'cuti_bersama' and 'regional' days are off. When the same date
 * appears twice in the constructor's list, the later entry wins (that is how `merge` layers calendars).
 * A 'workday' entry on a weekday is accepted here (it lets a body's layer cancel a national day off for
 * that body), although the exchange-file parsers refuse it.
 */
const offDaysOf = new WeakMap<WorkingCalendar, Map<number, boolean>>();

/** Whether day number n is a working day (the form the arithmetic below iterates with). */
function isWorkingDayNumber(calendar: WorkingCalendar, n: number): boolean {
  const off = offDaysOf.get(calendar)!.get(n);
  return off === undefined ? !isWeekendDayNumber(n) : !off;
}

export class WorkingCalendar {
  readonly #byDate = new Map<string, CalendarDay>();

  constructor(days: CalendarDay[]) {
    const off = new Map<number, boolean>();
    offDaysOf.set(this, off);
    for (const day of days) {
      const n = requireDayNumber(day.date);
      const kind = requireKind(day.kind);
      const copy: CalendarDay = { date: day.date, kind, name: day.name };
      if (day.provisional) copy.provisional = true;
      this.#byDate.set(day.date, copy);
      off.set(n, kind !== 'workday');
    }
  }

  /** Layers calendars: national, then province, then body… For the same date the later layer wins. */
  static merge(...layers: CalendarDay[][]): WorkingCalendar {
    return new WorkingCalendar(layers.flat());
  }

  /** The entry for a date, if the calendar has one. */
  get(date: string): CalendarDay | undefined {
    requireDayNumber(date);
    const day = this.#byDate.get(date);
    return day ? { ...day } : undefined;
  }

  isWorkingDay(date: string): boolean {
    return isWorkingDayNumber(this, requireDayNumber(date));
  }

  /** Every entry, sorted by date (copies). */
  days(): CalendarDay[] {
    return [...this.#byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map((d) => ({ ...d }));
  }
}

// ---------------------------------------------------------------------------------------------------
// Deadline arithmetic

function requireCount(n: number): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`The number of days must be a non-negative integer, got ${String(n)}`);
  }
}

/** The day number of the Nth working day after day `day0` (n = 0 → day0 itself). */
function nthWorkingDayAfter(day0: number, n: number, calendar: WorkingCalendar): number {
  let day = day0;
  let counted = 0;
  while (counted < n) {
    day += 1;
    if (isWorkingDayNumber(calendar, day)) counted += 1;
  }
  return day;
}

/**
 * H+N in working days: day 0 is the local day (in `timeZone`) of `start`, whatever the hour and whether
 * or not it is a working day; day 1 is the next working day after it; the result is 23:59:59 local of the
 * Nth working day. n = 0 gives the end of the start day itself. Throws a RangeError for a negative or
 * non-integer n, an invalid instant or an unknown zone.
 */
export function addWorkingDays(start: Date, n: number, timeZone: string, calendar: WorkingCalendar): Date {
  requireCount(n);
  const day0 = localDayNumber(start, timeZone);
  return wallClockInstant(nthWorkingDayAfter(day0, n, calendar), END_OF_DAY_MS, timeZone);
}

/** H+N in calendar days: 23:59:59 local of the day N days after the local day of `start`. */
export function addCalendarDays(start: Date, n: number, timeZone: string): Date {
  requireCount(n);
  return wallClockInstant(localDayNumber(start, timeZone) + n, END_OF_DAY_MS, timeZone);
}

function countWorkingDays(afterDay: number, throughDay: number, calendar: WorkingCalendar): number {
  let count = 0;
  for (let d = afterDay + 1; d <= throughDay; d++) if (isWorkingDayNumber(calendar, d)) count += 1;
  return count;
}

/**
 * The number of working days strictly after `from`'s local day up to and including `to`'s local day
 * (so `workingDaysBetween(start, addWorkingDays(start, n, …), …) === n`). Negative when `to`'s day is
 * before `from`'s: `workingDaysBetween(a, b) === -workingDaysBetween(b, a)`. Same day → 0.
 */
export function workingDaysBetween(from: Date, to: Date, timeZone: string, calendar: WorkingCalendar): number {
  const a = localDayNumber(from, timeZone);
  const b = localDayNumber(to, timeZone);
  return b >= a ? countWorkingDays(a, b, calendar) : 0 - countWorkingDays(b, a, calendar) || 0; // never -0
}

export interface WorkingTimeLeft {
  /** `workingDaysBetween(now, due)`: working days after today up to the due day (0 on the due day). */
  workingDays: number;
  /**
   * Working time between now and due, in milliseconds: the length of [now, due) that falls on working
   * days, where a working day is its whole local day (00:00 to the next 00:00, so 23:59:59 is included).
   * Non-working days do not count, so a weekend passing does not eat into it. When overdue, it is the
   * negative of the working time in [due, now): how much working time the deadline has been missed by.
   */
  milliseconds: number;
  /** now > due (a deadline at 23:59:59 is still met at 23:59:59.000 exactly). */
  overdue: boolean;
}

function workingMsInInterval(fromMs: number, toMs: number, timeZone: string, calendar: WorkingCalendar): number {
  if (toMs <= fromMs) return 0;
  const first = localDayNumber(new Date(fromMs), timeZone);
  const last = localDayNumber(new Date(toMs), timeZone);
  let total = 0;
  for (let d = first; d <= last; d++) {
    if (!isWorkingDayNumber(calendar, d)) continue;
    const dayStart = wallClockInstant(d, 0, timeZone).getTime();
    const dayEnd = wallClockInstant(d + 1, 0, timeZone).getTime();
    const lo = Math.max(fromMs, dayStart);
    const hi = Math.min(toMs, dayEnd);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

/** How much working time is left until `due` (see `WorkingTimeLeft` for the exact definitions). */
export function workingTimeLeft(now: Date, due: Date, timeZone: string, calendar: WorkingCalendar): WorkingTimeLeft {
  const nowMs = requireValidInstant(now, 'now');
  const dueMs = requireValidInstant(due, 'due');
  const overdue = nowMs > dueMs;
  const milliseconds = overdue
    ? -workingMsInInterval(dueMs, nowMs, timeZone, calendar)
    : workingMsInInterval(nowMs, dueMs, timeZone, calendar);
  return { workingDays: workingDaysBetween(now, due, timeZone, calendar), milliseconds: milliseconds === 0 ? 0 : milliseconds, overdue };
}

// ---------------------------------------------------------------------------------------------------
// Exchange files

/** A calendar file that cannot be read. `line` is 1-based (null when the problem is not on one line). */
export class CalendarFormatError extends Error {
  readonly line: number | null;
  /** 'header', 'date', 'kind', 'name', 'provisional', 'columns', 'json' or null. */
  readonly field: string | null;

  constructor(message: string, line: number | null, field: string | null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'CalendarFormatError';
    this.line = line;
    this.field = field;
  }
}

const CSV_HEADER = ['date', 'kind', 'name'] as const;

interface CsvRecord {
  line: number;
  fields: string[];
  /** Whether each field was quoted. */
  quoted: boolean[];
}

/** Splits RFC 4180 CSV into records, remembering the line each record starts on. */
function splitCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const len = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // a BOM from a spreadsheet export
  while (i < len) {
    // A comment line: optional blanks, then '#', up to the end of the line (quotes in it mean nothing).
    let j = i;
    while (j < len && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '#') {
      while (j < len && text[j] !== '\n' && text[j] !== '\r') j++;
      i = j < len ? j + (text[j] === '\r' && text[j + 1] === '\n' ? 2 : 1) : j;
      line++;
      continue;
    }
    const startLine = line;
    const fields: string[] = [];
    const quoted: boolean[] = [];
    let field = '';
    let isQuoted = false;
    let atFieldStart = true;
    let endOfRecord = false;
    while (i < len && !endOfRecord) {
      const c = text[i]!;
      if (atFieldStart && c === '"') {
        isQuoted = true;
        atFieldStart = false;
        i++;
        let closed = false;
        while (i < len) {
          const q = text[i]!;
          if (q === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (q === '\n') line++;
          field += q;
          i++;
        }
        if (!closed) throw new CalendarFormatError('a quoted field is not closed', startLine, 'columns');
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CalendarFormatError('unexpected text after a closing quote', line, 'columns');
        }
        continue;
      }
      if (c === ',') {
        fields.push(field);
        quoted.push(isQuoted);
        field = '';
        isQuoted = false;
        atFieldStart = true;
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
        continue;
      }
      if (c === '"') throw new CalendarFormatError('a quote inside an unquoted field', line, 'columns');
      atFieldStart = false;
      field += c;
      i++;
    }
    fields.push(field);
    quoted.push(isQuoted);
    records.push({ line: startLine, fields, quoted });
  }
  return records;
}

function isBlank(r: CsvRecord): boolean {
  return r.fields.length === 1 && !r.quoted[0] && r.fields[0]!.trim() === '';
}

interface RawDay {
  date: unknown;
  kind: unknown;
  name: unknown;
  provisional?: unknown;
}

/** Checks one entry; `where` is its line (CSV, JSON) and `label` how to name it in messages. */
function validateDay(raw: RawDay, line: number | null, label: string): CalendarDay {
  const prefix = label ? `${label}: ` : '';
  if (typeof raw.date !== 'string') throw new CalendarFormatError(`${prefix}date must be a string YYYY-MM-DD`, line, 'date');
  const date = raw.date.trim();
  if (!DATE_RE.test(date))
    throw new CalendarFormatError(`${prefix}date ${JSON.stringify(raw.date)} is not in the form YYYY-MM-DD`, line, 'date');
  const n = dayNumberOf(date);
  if (n === null) throw new CalendarFormatError(`${prefix}date ${date} does not exist`, line, 'date');
  if (typeof raw.kind !== 'string' || !(DAY_KINDS as readonly string[]).includes(raw.kind.trim())) {
    throw new CalendarFormatError(`${prefix}unknown kind ${JSON.stringify(raw.kind)} (expected ${DAY_KINDS.join(', ')})`, line, 'kind');
  }
  const kind = raw.kind.trim() as DayKind;
  if (typeof raw.name !== 'string') throw new CalendarFormatError(`${prefix}name must be a string`, line, 'name');
  const name = raw.name.trim();
  if (name === '') throw new CalendarFormatError(`${prefix}name is empty for ${date}`, line, 'name');
  if (kind === 'workday' && !isWeekendDayNumber(n)) {
    throw new CalendarFormatError(`${prefix}'workday' on ${date}, which is not a Saturday or Sunday`, line, 'kind');
  }
  let provisional = false;
  if (raw.provisional !== undefined) {
    if (typeof raw.provisional === 'boolean') provisional = raw.provisional;
    else if (typeof raw.provisional === 'string' && /^(true|false|)$/i.test(raw.provisional.trim())) {
      provisional = raw.provisional.trim().toLowerCase() === 'true';
    } else {
      throw new CalendarFormatError(
        `${prefix}provisional must be true or false, got ${JSON.stringify(raw.provisional)}`,
        line,
        'provisional',
      );
    }
  }
  const day: CalendarDay = { date, kind, name };
  if (provisional) day.provisional = true;
  return day;
}

function rejectDuplicates(days: { day: CalendarDay; line: number | null; label: string }[]): void {
  const seen = new Map<string, { line: number | null; label: string }>();
  for (const { day, line, label } of days) {
    const first = seen.get(day.date);
    if (first) {
      const where = first.line !== null ? `line ${first.line}` : first.label;
      throw new CalendarFormatError(`${label ? `${label}: ` : ''}duplicate date ${day.date} (already on ${where})`, line, 'date');
    }
    seen.set(day.date, { line, label });
  }
}

/**
 * Parses the CSV exchange format: header `date,kind,name` (an optional fourth column `provisional` with
 * true/false/empty is also accepted), RFC 4180 quoting, CRLF or LF, blank lines and lines starting with
 * `#` ignored, a leading BOM ignored, whitespace around fields trimmed. Throws a CalendarFormatError naming
 * the line for a bad header, a wrong column count, a malformed or impossible date, an unknown kind, an
 * empty name, a date listed twice, or a 'workday' that is not on a Saturday or Sunday.
 */
export function parseCalendarCsv(text: string): CalendarDay[] {
  const records = splitCsv(text).filter((r) => !isBlank(r));
  const header = records.shift();
  if (!header) throw new CalendarFormatError('the file is empty: expected the header date,kind,name', null, 'header');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const withProvisional = names.length === 4 && names[3] === 'provisional';
  if (!(names.length === 3 || withProvisional) || CSV_HEADER.some((h, i) => names[i] !== h)) {
    throw new CalendarFormatError(`bad header ${JSON.stringify(header.fields.join(','))}: expected date,kind,name`, header.line, 'header');
  }
  const width = names.length;
  const parsed: { day: CalendarDay; line: number; label: string }[] = [];
  for (const r of records) {
    if (r.fields.length !== width) {
      throw new CalendarFormatError(`expected ${width} columns (${names.join(',')}), found ${r.fields.length}`, r.line, 'columns');
    }
    const raw: RawDay = { date: r.fields[0], kind: r.fields[1], name: r.fields[2] };
    if (withProvisional) raw.provisional = r.fields[3];
    parsed.push({ day: validateDay(raw, r.line, ''), line: r.line, label: '' });
  }
  rejectDuplicates(parsed);
  return parsed.map((p) => p.day);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes days as CSV (LF line ends, sorted by date). The `provisional` column is added only when some
 * day is provisional, so ordinary calendars stay in the plain `date,kind,name` format.
 * `parseCalendarCsv(toCalendarCsv(days))` gives the days back.
 */
export function toCalendarCsv(days: CalendarDay[]): string {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const withProvisional = sorted.some((d) => d.provisional);
  const lines = [withProvisional ? 'date,kind,name,provisional' : 'date,kind,name'];
  for (const d of sorted) {
    const row = [d.date, d.kind, csvField(d.name)];
    if (withProvisional) row.push(d.provisional ? 'true' : 'false');
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The 1-based line on which each element of the days array starts (root array, or the `days` array of a
 * root object). Only called on text that JSON.parse accepted.
 */
function jsonElementLines(text: string, rootIsArray: boolean): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let targetDepth = rootIsArray ? 1 : -1;
  let expectingValue = false; // inside the target array, before the next element
  let lastKeyAtDepth1: string | null = null;
  let pendingDaysArray = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (depth === targetDepth && expectingValue && c !== ']' && c !== ',') {
      lines.push(line);
      expectingValue = false;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          s += text[i + 1];
          i += 2;
          continue;
        }
        s += text[i];
        i++;
      }
      if (depth === 1 && !rootIsArray) lastKeyAtDepth1 = s;
      continue;
    }
    if (c === ':') {
      pendingDaysArray = depth === 1 && !rootIsArray && lastKeyAtDepth1 === 'days';
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (c === '[' && pendingDaysArray && targetDepth === -1) targetDepth = depth;
      pendingDaysArray = false;
      if (depth === targetDepth && c === '[') expectingValue = true;
      continue;
    }
    if (c === ']' || c === '}') {
      if (depth === targetDepth && c === ']') targetDepth = -2; // done with the days array
      depth--;
      continue;
    }
    if (c === ',' && depth === targetDepth) expectingValue = true;
    pendingDaysArray = false;
  }
  return lines;
}

/**
 * Parses a calendar as JSON: an array of {date, kind, name, provisional?} or an object with such an
 * array under `days` (other keys of the object, such as `source` and `years`, are ignored). The same
 * checks as the CSV format; messages name the line of the offending entry and its index.
 */
export function parseCalendarJson(text: string): CalendarDay[] {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const m = /line (\d+)/.exec(msg);
    throw new CalendarFormatError(`not valid JSON: ${msg}`, m ? Number(m[1]) : null, 'json');
  }
  const rootIsArray = Array.isArray(data);
  let list: unknown;
  if (rootIsArray) list = data;
  else if (data !== null && typeof data === 'object' && 'days' in data) list = (data as { days: unknown }).days;
  if (!Array.isArray(list)) throw new CalendarFormatError('expected an array of days or an object {"days": [...]}', null, 'json');
  const lines = jsonElementLines(text, rootIsArray);
  const parsed: { day: CalendarDay; line: number | null; label: string }[] = [];
  list.forEach((entry: unknown, index: number) => {
    const line = lines[index] ?? null;
    const label = `days[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new CalendarFormatError(`${label}: expected an object {date, kind, name}`, line, 'json');
    }
    const unknownKey = Object.keys(entry).find((k) => !['date', 'kind', 'name', 'provisional'].includes(k));
    if (unknownKey !== undefined)
      throw new CalendarFormatError(`${label}: unknown property ${JSON.stringify(unknownKey)}`, line, unknownKey);
    const raw = entry as RawDay;
    if (raw.provisional !== undefined && typeof raw.provisional !== 'boolean') {
      throw new CalendarFormatError(`${label}: provisional must be true or false`, line, 'provisional');
    }
    parsed.push({ day: validateDay(raw, line, label), line, label });
  });
  rejectDuplicates(parsed);
  return parsed.map((p) => p.day);
}

// ---------------------------------------------------------------------------------------------------
// The shipped national calendar

export interface CalendarYear {
  /** 'decreed': the SKB for that year is entered in full; 'provisional': only what is certain so far. */
  status: 'decreed' | 'provisional';
  source: string;
  note?: string;
}

export interface ShippedCalendar {
  source: string;
  years: Record<string, CalendarYear>;
  days: CalendarDay[];
}

const SHIPPED_CALENDAR_PATH = join(import.meta.dirname, 'calendars', 'national.json');

/** Reads and checks `src/domain/calendars/national.json`. */
export function loadShippedCalendar(): ShippedCalendar {
  const text = readFileSync(SHIPPED_CALENDAR_PATH, 'utf8');
  const days = parseCalendarJson(text);
  const data = JSON.parse(text) as { source?: unknown; years?: unknown };
  const fail = (what: string): never => {
    throw new CalendarFormatError(`${SHIPPED_CALENDAR_PATH}: ${what}`, null, 'json');
  };
  if (typeof data.source !== 'string' || data.source.trim() === '') fail('missing "source"');
  if (data.years === null || typeof data.years !== 'object' || Array.isArray(data.years)) fail('missing "years"');
  const years: Record<string, CalendarYear> = {};
  for (const [year, value] of Object.entries(data.years as Record<string, unknown>)) {
    const v = value as Partial<CalendarYear> | null;
    if (!/^\d{4}$/.test(year) || v === null || typeof v !== 'object') fail(`bad entry for year ${year}`);
    if (v!.status !== 'decreed' && v!.status !== 'provisional') fail(`year ${year}: status must be decreed or provisional`);
    if (typeof v!.source !== 'string' || v!.source.trim() === '') fail(`year ${year}: missing source`);
    if (v!.note !== undefined && typeof v!.note !== 'string') fail(`year ${year}: note must be a string`);
    years[year] = { status: v!.status!, source: v!.source!, ...(v!.note !== undefined ? { note: v!.note } : {}) };
  }
  for (const day of days) {
    if (!Object.hasOwn(years, day.date.slice(0, 4))) fail(`${day.date} is in a year not listed under "years"`);
  }
  return { source: data.source as string, years, days };
}
