/**
 * `deadline`: computes the due instant of an H+N time limit, for checking calendars and deadlines by hand.
 * Pure apart from reading the calendar file; no clock is read.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CalendarDay,
  CalendarFormatError,
  WorkingCalendar,
  addCalendarDays,
  addWorkingDays,
  formatInstant,
  loadShippedCalendar,
  localDate,
  parseCalendarCsv,
  parseCalendarJson,
  startOfLocalDay,
} from '../domain/calendar.ts';

const DEADLINE_USAGE = `Usage: deadline --from ISO (--working-days N | --calendar-days N) --tz ZONE [--calendar FILE]

Prints the due instant of an H+N time limit as ISO-8601 with the zone's offset (one line).
Day 0 is the local day of --from, whatever the hour; the limit ends at 23:59:59 local of day N.

  --from ISO           start instant with an offset or Z, e.g. 2026-03-17T09:00:00+07:00;
                       a date alone (2026-03-17) means 00:00 of that day in --tz
  --working-days N     count N working days (weekends, holidays, cuti bersama and regional days skipped)
  --calendar-days N    count N calendar days (every day counts)
  --tz ZONE            the body's time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA),
                       Asia/Jayapura (WIT), or any other IANA zone
  --calendar FILE      a CSV calendar with the header date,kind,name that replaces the shipped
                       national calendar (a .json file in the shipped format is also read)

Exit status: 0 on success, 2 for bad arguments or a bad calendar file.`;

/** Where runDeadline writes; each call gets whole lines ending in '\n'. Defaults to the process streams. */
export interface DeadlineIo {
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** The most days accepted, so a typo cannot make the command count for minutes (about 100 years). */
const MAX_DAYS = 36_500;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

class UsageError extends Error {}
/** A problem with the calendar file: reported without the usage text, which would bury the line. */
class InputError extends Error {}

/** Parses --from: an instant with an offset or Z, or a date alone (00:00 of that day in timeZone). */
function parseFrom(value: string, timeZone: string): Date {
  const m = ISO_RE.exec(value.trim());
  if (!m) throw new UsageError(`--from ${JSON.stringify(value)} is not an ISO-8601 date or instant (e.g. 2026-03-17T09:00:00+07:00)`);
  const [, y, mo, d, hh, mi, ss, frac, z, sign, oh, om] = m;
  const date = `${y}-${mo}-${d}`;
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
    throw new UsageError(`--from ${JSON.stringify(value)}: the date ${date} does not exist`);
  }
  if (hh === undefined) return startOfLocalDay(date, timeZone);
  if (z === undefined && sign === undefined) {
    throw new UsageError(`--from ${JSON.stringify(value)} has a time but no offset: add Z or an offset such as +07:00`);
  }
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss ?? 0);
  if (hour > 23 || minute > 59 || second > 59) throw new UsageError(`--from ${JSON.stringify(value)}: the time of day is out of range`);
  let offsetMin = 0;
  if (sign !== undefined) {
    const h = Number(oh);
    const mm = Number(om ?? 0);
    if (h > 23 || mm > 59) throw new UsageError(`--from ${JSON.stringify(value)}: the offset is out of range`);
    offsetMin = (sign === '-' ? -1 : 1) * (h * 60 + mm);
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, minute, second, ms) - offsetMin * 60_000);
}

function parseCount(option: string, value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`${option} must be a whole number of days (0 or more), got ${JSON.stringify(value)}`);
  const n = Number(value.trim());
  if (n > MAX_DAYS) throw new UsageError(`${option} must be at most ${MAX_DAYS}, got ${value}`);
  return n;
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new UsageError(
      `--tz ${JSON.stringify(timeZone)} is not a known IANA time zone (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)`,
    );
  }
}

async function readCalendarFile(path: string): Promise<CalendarDay[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason =
      err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err);
    throw new InputError(`--calendar ${path}: cannot read the file (${reason})`);
  }
  try {
    return extname(path).toLowerCase() === '.json' ? parseCalendarJson(text) : parseCalendarCsv(text);
  } catch (err) {
    if (err instanceof CalendarFormatError) throw new InputError(`--calendar ${path}: ${err.message}`);
    throw err;
  }
}

/** Warnings for a count that runs through years the shipped calendar does not have in full. */
function coverageWarnings(fromDate: string, dueDate: string, years: ReturnType<typeof loadShippedCalendar>['years']): string[] {
  const warnings: string[] = [];
  for (let y = Number(fromDate.slice(0, 4)); y <= Number(dueDate.slice(0, 4)); y++) {
    const info = years[String(y)];
    if (!info) warnings.push(`warning: the shipped calendar has no entries for ${y}; only weekends were skipped in that year`);
    else if (info.status === 'provisional') {
      warnings.push(`warning: the ${y} calendar is provisional${info.note ? ` (${info.note})` : ''}`);
    }
  }
  return warnings;
}

const DEADLINE_OPTIONS = {
  from: { type: 'string' },
  'working-days': { type: 'string' },
  'calendar-days': { type: 'string' },
  tz: { type: 'string' },
  calendar: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseDeadlineArgs(args: string[]) {
  try {
    return parseArgs({ args, options: DEADLINE_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export async function runDeadline(args: string[], io: DeadlineIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  const err = io.err ?? ((text: string) => void process.stderr.write(text));
  try {
    const values = parseDeadlineArgs(args);
    if (values.help) {
      out(`${DEADLINE_USAGE}\n`);
      return 0;
    }
    const problems: string[] = [];
    if (values.from === undefined) problems.push('--from is required');
    if (values.tz === undefined) problems.push('--tz is required');
    const working = values['working-days'];
    const calendarDays = values['calendar-days'];
    if (working === undefined && calendarDays === undefined) problems.push('one of --working-days or --calendar-days is required');
    if (working !== undefined && calendarDays !== undefined) problems.push('give either --working-days or --calendar-days, not both');
    if (problems.length > 0) throw new UsageError(problems.join('\n'));

    const timeZone = values.tz!;
    checkTimeZone(timeZone);
    const from = parseFrom(values.from!, timeZone);
    if (calendarDays !== undefined) {
      const n = parseCount('--calendar-days', calendarDays);
      if (values.calendar !== undefined) await readCalendarFile(values.calendar); // still checked, though unused
      out(`${formatInstant(addCalendarDays(from, n, timeZone), timeZone)}\n`);
      return 0;
    }
    const n = parseCount('--working-days', working!);
    let days: CalendarDay[];
    let warnings: (due: Date) => string[] = () => [];
    if (values.calendar !== undefined) {
      days = await readCalendarFile(values.calendar);
    } else {
      const shipped = loadShippedCalendar();
      days = shipped.days;
      warnings = (due) => coverageWarnings(localDate(from, timeZone), localDate(due, timeZone), shipped.years);
    }
    const due = addWorkingDays(from, n, timeZone, new WorkingCalendar(days));
    out(`${formatInstant(due, timeZone)}\n`);
    for (const w of warnings(due)) err(`${w}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`deadline: ${e.message}\n\n${DEADLINE_USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      err(`deadline: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
