import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runDeadline } from '../cli/deadline.ts';
import {
  type CalendarDay,
  CalendarFormatError,
  TIME_ZONE_OFFSETS,
  WorkingCalendar,
  addCalendarDays,
  addWorkingDays,
  endOfLocalDay,
  formatInstant,
  loadShippedCalendar,
  localDate,
  parseCalendarCsv,
  parseCalendarJson,
  startOfLocalDay,
  toCalendarCsv,
  workingDaysBetween,
  workingTimeLeft,
  zoneOffsetMs,
} from './calendar.ts';

const SHIPPED = loadShippedCalendar();
const NATIONAL = new WorkingCalendar(SHIPPED.days);
const WIB = 'Asia/Jakarta';
const WITA = 'Asia/Makassar';
const WIT = 'Asia/Jayapura';

interface DeadlineCase {
  description: string;
  from: string;
  n: number;
  tz: string;
  expected: string;
  calendar?: WorkingCalendar;
}

function runTable(cases: DeadlineCase[], add: (c: DeadlineCase) => Date): void {
  for (const c of cases) {
    test(c.description, () => {
      assert.equal(formatInstant(add(c), c.tz), c.expected);
    });
  }
}

const working = (c: DeadlineCase) => addWorkingDays(new Date(c.from), c.n, c.tz, c.calendar ?? NATIONAL);
const calendarDays = (c: DeadlineCase) => addCalendarDays(new Date(c.from), c.n, c.tz);

describe('addWorkingDays: weekends', () => {
  runTable(
    [
      { description: 'filed Friday 6 Mar 2026 10:00 → H+1 is Monday 9 Mar', from: '2026-03-06T10:00:00+07:00', n: 1, tz: WIB, expected: '2026-03-09T23:59:59+07:00' },
      { description: 'filed Saturday 7 Mar → day 0 is Saturday, H+1 is Monday 9 Mar', from: '2026-03-07T10:00:00+07:00', n: 1, tz: WIB, expected: '2026-03-09T23:59:59+07:00' },
      { description: 'filed Sunday 8 Mar → day 0 is Sunday, H+1 is Monday 9 Mar', from: '2026-03-08T10:00:00+07:00', n: 1, tz: WIB, expected: '2026-03-09T23:59:59+07:00' },
      { description: 'filed Saturday, H+0 → end of that Saturday (day 0 need not be a working day)', from: '2026-03-07T10:00:00+07:00', n: 0, tz: WIB, expected: '2026-03-07T23:59:59+07:00' },
      { description: 'filed Sunday 8 Mar, H+5 → Mon 9 … Fri 13 Mar', from: '2026-03-08T10:00:00+07:00', n: 5, tz: WIB, expected: '2026-03-13T23:59:59+07:00' },
      { description: 'filed Friday 6 Mar, H+5 → skips the weekend: 9, 10, 11, 12, 13 Mar', from: '2026-03-06T16:00:00+07:00', n: 5, tz: WIB, expected: '2026-03-13T23:59:59+07:00' },
      { description: 'filed Monday 9 Mar at 00:00:00 → H+1 is Tuesday (the hour does not matter)', from: '2026-03-09T00:00:00+07:00', n: 1, tz: WIB, expected: '2026-03-10T23:59:59+07:00' },
      { description: 'filed Monday 9 Mar at 23:59:59 → H+1 is still Tuesday', from: '2026-03-09T23:59:59+07:00', n: 1, tz: WIB, expected: '2026-03-10T23:59:59+07:00' },
      { description: 'H+0 on a working day → end of the start day', from: '2026-03-09T08:00:00+07:00', n: 0, tz: WIB, expected: '2026-03-09T23:59:59+07:00' },
    ],
    working,
  );
});

describe('addWorkingDays: Idul Fitri 1447 H (18–24 Mar 2026: cuti, Nyepi, cuti, Idul Fitri Sat–Sun, cuti, cuti)', () => {
  runTable(
    [
      {
        description:
          'filed Tue 17 Mar, H+3: day 0 = 17 Mar; 18 cuti bersama Nyepi, 19 Nyepi, 20 cuti Idul Fitri, 21–22 Idul Fitri (Sat/Sun), 23–24 cuti Idul Fitri are all off; day 1 = Wed 25, day 2 = Thu 26, day 3 = Fri 27 Mar',
        from: '2026-03-17T09:00:00+07:00',
        n: 3,
        tz: WIB,
        expected: '2026-03-27T23:59:59+07:00',
      },
      { description: 'filed Tue 17 Mar, H+1 → Wed 25 Mar, the first working day after the break', from: '2026-03-17T09:00:00+07:00', n: 1, tz: WIB, expected: '2026-03-25T23:59:59+07:00' },
      { description: 'filed Tue 17 Mar, H+5 → 25, 26, 27, (28–29 weekend) 30, 31 Mar', from: '2026-03-17T09:00:00+07:00', n: 5, tz: WIB, expected: '2026-03-31T23:59:59+07:00' },
      { description: 'filed Fri 13 Mar, H+3 → Mon 16, Tue 17, then Wed 25 after the break', from: '2026-03-13T14:00:00+07:00', n: 3, tz: WIB, expected: '2026-03-25T23:59:59+07:00' },
      { description: 'filed on cuti bersama Wed 18 Mar (day 0 anyway), H+1 → Wed 25 Mar', from: '2026-03-18T10:00:00+07:00', n: 1, tz: WIB, expected: '2026-03-25T23:59:59+07:00' },
      { description: 'filed on Idul Fitri Sat 21 Mar, H+0 → end of 21 Mar', from: '2026-03-21T10:00:00+07:00', n: 0, tz: WIB, expected: '2026-03-21T23:59:59+07:00' },
      {
        description: 'filed Mon 16 Mar, H+10 → 17, 25, 26, 27, 30, 31 Mar, 1, 2 Apr, (3 Apr Wafat Yesus Kristus, 4–5 weekend/Paskah) 6, 7 Apr',
        from: '2026-03-16T09:00:00+07:00',
        n: 10,
        tz: WIB,
        expected: '2026-04-07T23:59:59+07:00',
      },
    ],
    working,
  );
});

describe('addWorkingDays: time zones (the day of the instant is taken in the body zone)', () => {
  runTable(
    [
      { description: '2026-03-12T15:30Z is Thu 22:30 WIB → H+1 Fri 13 Mar', from: '2026-03-12T15:30:00Z', n: 1, tz: WIB, expected: '2026-03-13T23:59:59+07:00' },
      { description: '2026-03-12T15:30Z is Thu 23:30 WITA → H+1 Fri 13 Mar', from: '2026-03-12T15:30:00Z', n: 1, tz: WITA, expected: '2026-03-13T23:59:59+08:00' },
      { description: '2026-03-12T15:30Z is already Fri 00:30 WIT → H+1 Mon 16 Mar', from: '2026-03-12T15:30:00Z', n: 1, tz: WIT, expected: '2026-03-16T23:59:59+09:00' },
      { description: 'Fri 13 Mar 23:30 WIT (14:30Z) is still Friday in WIT → H+0 ends Friday', from: '2026-03-13T23:30:00+09:00', n: 0, tz: WIT, expected: '2026-03-13T23:59:59+09:00' },
      { description: 'Fri 13 Mar 23:30 WIT (14:30Z) → H+1 Mon 16 Mar in WIT', from: '2026-03-13T23:30:00+09:00', n: 1, tz: WIT, expected: '2026-03-16T23:59:59+09:00' },
      { description: 'the same instant (Fri 21:30 WIB) → H+1 Mon 16 Mar in WIB', from: '2026-03-13T14:30:00Z', n: 1, tz: WIB, expected: '2026-03-16T23:59:59+07:00' },
      { description: 'Fri 13 Mar 23:30 WIB (16:30Z), counted in WIB → H+0 ends Friday', from: '2026-03-13T23:30:00+07:00', n: 0, tz: WIB, expected: '2026-03-13T23:59:59+07:00' },
      { description: 'Fri 13 Mar 23:30 WIB (16:30Z) is Sat 01:30 WIT → H+0 ends Saturday in WIT', from: '2026-03-13T23:30:00+07:00', n: 0, tz: WIT, expected: '2026-03-14T23:59:59+09:00' },
      { description: 'Fri 23:30 WIB, counted in WIT (Saturday) → H+1 is still Mon 16 Mar', from: '2026-03-13T23:30:00+07:00', n: 1, tz: WIT, expected: '2026-03-16T23:59:59+09:00' },
      { description: 'Thu 12 Mar 23:30 WIB → H+1 Fri 13 Mar in WIB', from: '2026-03-12T23:30:00+07:00', n: 1, tz: WIB, expected: '2026-03-13T23:59:59+07:00' },
      { description: 'Thu 12 Mar 23:30 WIB is Fri 01:30 WIT → H+1 Mon 16 Mar in WIT', from: '2026-03-12T23:30:00+07:00', n: 1, tz: WIT, expected: '2026-03-16T23:59:59+09:00' },
      { description: 'Tue 17 Mar 23:30 WIB is Wed 18 Mar 01:30 WIT (cuti) → H+1 Wed 25 Mar either way', from: '2026-03-17T23:30:00+07:00', n: 1, tz: WIT, expected: '2026-03-25T23:59:59+09:00' },
    ],
    working,
  );
});

describe('addWorkingDays: the turn of the year 2026 → 2027', () => {
  runTable(
    [
      { description: 'filed Wed 30 Dec 2026, H+1 → Thu 31 Dec (a working day)', from: '2026-12-30T10:00:00+07:00', n: 1, tz: WIB, expected: '2026-12-31T23:59:59+07:00' },
      { description: 'filed Wed 30 Dec 2026, H+2 → 31 Dec, (1 Jan Tahun Baru, 2–3 Jan weekend) Mon 4 Jan 2027', from: '2026-12-30T10:00:00+07:00', n: 2, tz: WIB, expected: '2027-01-04T23:59:59+07:00' },
      { description: 'filed Thu 31 Dec 2026, H+1 → Mon 4 Jan 2027', from: '2026-12-31T10:00:00+07:00', n: 1, tz: WIB, expected: '2027-01-04T23:59:59+07:00' },
      { description: 'filed Wed 23 Dec 2026, H+1 → (24 cuti Natal, 25 Natal, 26–27 weekend) Mon 28 Dec', from: '2026-12-23T10:00:00+07:00', n: 1, tz: WIB, expected: '2026-12-28T23:59:59+07:00' },
      { description: 'filed Wed 23 Dec 2026, H+5 → 28, 29, 30, 31 Dec, 4 Jan 2027', from: '2026-12-23T10:00:00+07:00', n: 5, tz: WIB, expected: '2027-01-04T23:59:59+07:00' },
      { description: 'filed on cuti bersama Thu 24 Dec 2026, H+3 → 28, 29, 30 Dec', from: '2026-12-24T10:00:00+07:00', n: 3, tz: WIB, expected: '2026-12-30T23:59:59+07:00' },
      { description: '31 Dec 2026 23:30 WIB counted in WIB: H+0 ends 31 Dec', from: '2026-12-31T23:30:00+07:00', n: 0, tz: WIB, expected: '2026-12-31T23:59:59+07:00' },
      { description: '31 Dec 2026 23:30 WIB is 1 Jan 2027 01:30 WIT: H+0 ends 1 Jan (the holiday is day 0)', from: '2026-12-31T23:30:00+07:00', n: 0, tz: WIT, expected: '2027-01-01T23:59:59+09:00' },
      { description: '31 Dec 2026 23:30 WIB in WIT: H+1 → Mon 4 Jan 2027', from: '2026-12-31T23:30:00+07:00', n: 1, tz: WIT, expected: '2027-01-04T23:59:59+09:00' },
    ],
    working,
  );
});

describe('addWorkingDays: a holiday added after the clock started moves the deadline', () => {
  const calendarB = WorkingCalendar.merge(SHIPPED.days, [{ date: '2026-07-09', kind: 'regional', name: 'Hari Jadi (added later)' }]);
  const calendarC = WorkingCalendar.merge(SHIPPED.days, [{ date: '2026-07-10', kind: 'holiday', name: 'Libur tambahan (added later)' }]);
  runTable(
    [
      { description: 'calendar A: filed Mon 6 Jul 2026, H+3 → Thu 9 Jul', from: '2026-07-06T08:00:00+07:00', n: 3, tz: WIB, expected: '2026-07-09T23:59:59+07:00' },
      { description: 'calendar B (9 Jul made a regional day): the same report → Fri 10 Jul', from: '2026-07-06T08:00:00+07:00', n: 3, tz: WIB, expected: '2026-07-10T23:59:59+07:00', calendar: calendarB },
      { description: 'calendar A: filed Mon 6 Jul 2026, H+4 → Fri 10 Jul', from: '2026-07-06T08:00:00+07:00', n: 4, tz: WIB, expected: '2026-07-10T23:59:59+07:00' },
      { description: 'calendar C (Fri 10 Jul made a holiday): H+4 → over the weekend to Mon 13 Jul', from: '2026-07-06T08:00:00+07:00', n: 4, tz: WIB, expected: '2026-07-13T23:59:59+07:00', calendar: calendarC },
    ],
    working,
  );
});

describe('addCalendarDays', () => {
  runTable(
    [
      { description: 'filed 17 Mar 2026, 60 days → 16 May 2026 (14 left in March + 30 in April + 16)', from: '2026-03-17T09:00:00+07:00', n: 60, tz: WIB, expected: '2026-05-16T23:59:59+07:00' },
      { description: 'filed 30 Dec 2026, 60 days → 28 Feb 2027 (holidays count like any day)', from: '2026-12-30T09:00:00+07:00', n: 60, tz: WIB, expected: '2027-02-28T23:59:59+07:00' },
      { description: 'leap year: filed 15 Jan 2028, 60 days → 15 Mar 2028 (29 Feb counts)', from: '2028-01-15T09:00:00+07:00', n: 60, tz: WIB, expected: '2028-03-15T23:59:59+07:00' },
      { description: 'n = 0 → end of the start day', from: '2026-03-21T09:00:00+07:00', n: 0, tz: WIB, expected: '2026-03-21T23:59:59+07:00' },
      { description: 'filed Saturday 7 Mar, 1 day → Sunday 8 Mar (weekends count)', from: '2026-03-07T09:00:00+07:00', n: 1, tz: WIB, expected: '2026-03-08T23:59:59+07:00' },
      { description: 'Fri 13 Mar 23:30 WIB, 1 day in WIB → Sat 14 Mar', from: '2026-03-13T23:30:00+07:00', n: 1, tz: WIB, expected: '2026-03-14T23:59:59+07:00' },
      { description: 'the same instant in WIT is Sat 01:30, 1 day → Sun 15 Mar', from: '2026-03-13T23:30:00+07:00', n: 1, tz: WIT, expected: '2026-03-15T23:59:59+09:00' },
      { description: 'WITA, 60 days from 1 Jun 2026 → 31 Jul 2026', from: '2026-06-01T09:00:00+08:00', n: 60, tz: WITA, expected: '2026-07-31T23:59:59+08:00' },
    ],
    calendarDays,
  );
});

describe('argument checks', () => {
  const start = new Date('2026-03-17T09:00:00+07:00');
  for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    test(`n = ${n} is a RangeError`, () => {
      assert.throws(() => addWorkingDays(start, n, WIB, NATIONAL), RangeError);
      assert.throws(() => addCalendarDays(start, n, WIB), RangeError);
    });
  }
  test('an unknown zone or an invalid instant is a RangeError', () => {
    assert.throws(() => addWorkingDays(start, 1, 'Mars/Olympus', NATIONAL), RangeError);
    assert.throws(() => addWorkingDays(new Date('nope'), 1, WIB, NATIONAL), RangeError);
    assert.throws(() => localDate(new Date('nope'), 'Europe/Paris'), RangeError);
  });
  test('an impossible date is a RangeError', () => {
    assert.throws(() => NATIONAL.isWorkingDay('2026-02-30'), RangeError);
    assert.throws(() => endOfLocalDay('2026-2-3', WIB), RangeError);
    assert.throws(() => new WorkingCalendar([{ date: '2026-01-01', kind: 'libur' as never, name: 'x' }]), RangeError);
  });
});

describe('invariants over all of 2026', () => {
  test('workingDaysBetween(start, addWorkingDays(start, n)) === n, and the due day is a working day', () => {
    for (let t = Date.parse('2026-01-01T05:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 86_400_000) {
      const start = new Date(t);
      for (let n = 0; n <= 12; n++) {
        const due = addWorkingDays(start, n, WIB, NATIONAL);
        assert.equal(workingDaysBetween(start, due, WIB, NATIONAL), n);
        assert.equal(workingDaysBetween(due, start, WIB, NATIONAL), n === 0 ? 0 : -n);
        assert.ok(formatInstant(due, WIB).endsWith('T23:59:59+07:00'));
        if (n > 0) assert.ok(NATIONAL.isWorkingDay(localDate(due, WIB)), `${localDate(due, WIB)} should be a working day`);
      }
    }
  });
  test('the Intl path agrees with the fixed table (Asia/Pontianak is WIB too)', () => {
    for (let t = Date.parse('2026-01-01T00:30:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7 * 3_600_000) {
      const instant = new Date(t);
      assert.equal(localDate(instant, 'Asia/Pontianak'), localDate(instant, WIB));
      assert.equal(zoneOffsetMs(instant, 'Asia/Pontianak'), TIME_ZONE_OFFSETS[WIB] * 3_600_000);
    }
    assert.equal(addWorkingDays(new Date('2026-03-17T09:00:00+07:00'), 3, 'Asia/Pontianak', NATIONAL).toISOString(), '2026-03-27T16:59:59.000Z');
  });
  test('zones with DST: every day ends at 23:59:59 local of that very day', () => {
    for (const tz of ['America/New_York', 'Europe/Berlin', 'America/Santiago', 'Australia/Lord_Howe', 'America/Havana']) {
      for (let n = Date.UTC(2026, 0, 1) / 86_400_000; n < Date.UTC(2027, 0, 1) / 86_400_000; n++) {
        const date = new Date(n * 86_400_000).toISOString().slice(0, 10);
        const end = endOfLocalDay(date, tz);
        assert.equal(localDate(end, tz), date, `${tz} ${date}`);
        assert.equal(formatInstant(end, tz).slice(0, 19), `${date}T23:59:59`, `${tz} ${date}`);
        assert.equal(localDate(startOfLocalDay(date, tz), tz), date, `${tz} ${date}`);
      }
    }
    assert.equal(formatInstant(endOfLocalDay('2026-03-08', 'America/New_York'), 'America/New_York'), '2026-03-08T23:59:59-04:00');
    assert.equal(formatInstant(endOfLocalDay('2026-03-07', 'America/New_York'), 'America/New_York'), '2026-03-07T23:59:59-05:00');
  });
});

describe('formatInstant', () => {
  const cases: { description: string; instant: string; tz: string; expected: string }[] = [
    { description: 'WIB is +07:00', instant: '2026-03-30T16:59:59Z', tz: WIB, expected: '2026-03-30T23:59:59+07:00' },
    { description: 'WITA is +08:00 (already the next day)', instant: '2026-03-30T16:59:59Z', tz: WITA, expected: '2026-03-31T00:59:59+08:00' },
    { description: 'WIT is +09:00', instant: '2026-03-30T16:59:59Z', tz: WIT, expected: '2026-03-31T01:59:59+09:00' },
    { description: 'UTC is written +00:00', instant: '2026-03-30T16:59:59Z', tz: 'UTC', expected: '2026-03-30T16:59:59+00:00' },
    { description: 'a negative DST offset', instant: '2026-03-30T16:59:59Z', tz: 'America/New_York', expected: '2026-03-30T12:59:59-04:00' },
    { description: 'a half-hour offset', instant: '2026-03-30T16:59:59Z', tz: 'Asia/Kolkata', expected: '2026-03-30T22:29:59+05:30' },
    { description: 'a 45-minute offset', instant: '2026-03-30T16:59:59Z', tz: 'Asia/Kathmandu', expected: '2026-03-30T22:44:59+05:45' },
    { description: 'milliseconds only when not zero', instant: '2026-03-30T16:59:59.120Z', tz: WIB, expected: '2026-03-30T23:59:59.120+07:00' },
  ];
  for (const c of cases) {
    test(c.description, () => {
      assert.equal(formatInstant(new Date(c.instant), c.tz), c.expected);
      assert.equal(new Date(c.expected).getTime(), new Date(c.instant).getTime(), 'the output parses back to the same instant');
    });
  }
  test('localDate, endOfLocalDay and startOfLocalDay in the three zones', () => {
    const instant = new Date('2026-03-13T16:30:00Z');
    assert.deepEqual([WIB, WITA, WIT].map((tz) => localDate(instant, tz)), ['2026-03-13', '2026-03-14', '2026-03-14']);
    assert.equal(endOfLocalDay('2026-03-13', WIT).toISOString(), '2026-03-13T14:59:59.000Z');
    assert.equal(startOfLocalDay('2026-03-13', WITA).toISOString(), '2026-03-12T16:00:00.000Z');
  });
});

describe('workingDaysBetween and workingTimeLeft', () => {
  const filed = new Date('2026-03-17T09:00:00+07:00');
  const due = addWorkingDays(filed, 3, WIB, NATIONAL); // 2026-03-27T23:59:59+07:00
  const H = 3_600_000;
  const D = 24 * H;
  const cases: { description: string; now: string; expected: { workingDays: number; milliseconds: number; overdue: boolean } }[] = [
    {
      description: 'at filing (Tue 17 Mar 09:00): 15 h left of 17 Mar + 25 and 26 Mar + 27 Mar up to 23:59:59',
      now: '2026-03-17T09:00:00+07:00',
      expected: { workingDays: 3, milliseconds: 15 * H + 2 * D + (D - 1000), overdue: false },
    },
    {
      description: 'during the break (Sat 21 Mar noon): the break does not use up time',
      now: '2026-03-21T12:00:00+07:00',
      expected: { workingDays: 3, milliseconds: 2 * D + (D - 1000), overdue: false },
    },
    { description: 'on the due day at 18:00', now: '2026-03-27T18:00:00+07:00', expected: { workingDays: 0, milliseconds: 6 * H - 1000, overdue: false } },
    { description: 'exactly at the due instant: met, nothing left', now: '2026-03-27T23:59:59+07:00', expected: { workingDays: 0, milliseconds: 0, overdue: false } },
    { description: 'one second later (Sat 00:00): overdue by 1 s of working time', now: '2026-03-28T00:00:00+07:00', expected: { workingDays: 0, milliseconds: -1000, overdue: true } },
    {
      description: 'Monday 30 Mar 10:00: overdue by 1 s + 10 h (the weekend does not count), one working day late',
      now: '2026-03-30T10:00:00+07:00',
      expected: { workingDays: -1, milliseconds: -(1000 + 10 * H), overdue: true },
    },
  ];
  for (const c of cases) {
    test(c.description, () => {
      assert.deepEqual(workingTimeLeft(new Date(c.now), due, WIB, NATIONAL), c.expected);
    });
  }
  test('workingDaysBetween counts after from’s day, up to and including to’s day', () => {
    assert.equal(workingDaysBetween(new Date('2026-03-17T23:00:00+07:00'), new Date('2026-03-17T01:00:00+07:00'), WIB, NATIONAL), 0);
    assert.equal(workingDaysBetween(new Date('2026-03-06T10:00:00+07:00'), new Date('2026-03-09T00:00:00+07:00'), WIB, NATIONAL), 1);
    assert.equal(workingDaysBetween(new Date('2026-03-09T10:00:00+07:00'), new Date('2026-03-06T00:00:00+07:00'), WIB, NATIONAL), -1);
    // Same instants, different zone: the Thursday-night instant is Friday in WIT.
    assert.equal(workingDaysBetween(new Date('2026-03-12T23:30:00+07:00'), new Date('2026-03-13T12:00:00+07:00'), WIB, NATIONAL), 1);
    assert.equal(workingDaysBetween(new Date('2026-03-12T23:30:00+07:00'), new Date('2026-03-13T12:00:00+07:00'), WIT, NATIONAL), 0);
  });
});

describe('WorkingCalendar', () => {
  test('weekends are off, weekdays on, listed days off', () => {
    const cases: [string, boolean][] = [
      ['2026-03-06', true],
      ['2026-03-07', false],
      ['2026-03-08', false],
      ['2026-03-19', false],
      ['2026-03-20', false],
      ['2026-03-25', true],
      ['2026-12-31', true],
      ['2027-01-01', false],
    ];
    for (const [date, expected] of cases) assert.equal(NATIONAL.isWorkingDay(date), expected, date);
  });
  const province: CalendarDay[] = [
    { date: '2026-03-14', kind: 'workday', name: 'Sabtu masuk kerja' },
    { date: '2026-07-09', kind: 'regional', name: 'Hari Jadi Provinsi' },
  ];
  const cases: { description: string; layers: CalendarDay[][]; date: string; working: boolean; name?: string }[] = [
    { description: 'a workday entry makes a Saturday a working day', layers: [SHIPPED.days, province], date: '2026-03-14', working: true, name: 'Sabtu masuk kerja' },
    { description: 'another Saturday stays off', layers: [SHIPPED.days, province], date: '2026-03-07', working: false },
    { description: 'a regional day is off', layers: [SHIPPED.days, province], date: '2026-07-09', working: false, name: 'Hari Jadi Provinsi' },
    {
      description: 'a later layer wins: a body marks the province day a workday',
      layers: [SHIPPED.days, province, [{ date: '2026-07-09', kind: 'workday', name: 'Dinas tetap buka' }]],
      date: '2026-07-09',
      working: true,
      name: 'Dinas tetap buka',
    },
    {
      description: 'a later layer wins: the body takes the province workday Saturday off again',
      layers: [SHIPPED.days, province, [{ date: '2026-03-14', kind: 'regional', name: 'Libur dinas' }]],
      date: '2026-03-14',
      working: false,
      name: 'Libur dinas',
    },
    { description: 'order matters: the national layer last overrides the province', layers: [province, SHIPPED.days], date: '2026-03-14', working: true },
    {
      description: 'a province regional day on top of a national holiday keeps it off, with the later name',
      layers: [SHIPPED.days, [{ date: '2026-08-17', kind: 'regional', name: 'Upacara' }]],
      date: '2026-08-17',
      working: false,
      name: 'Upacara',
    },
  ];
  for (const c of cases) {
    test(`merge: ${c.description}`, () => {
      const cal = WorkingCalendar.merge(...c.layers);
      assert.equal(cal.isWorkingDay(c.date), c.working);
      if (c.name !== undefined) assert.equal(cal.get(c.date)?.name, c.name);
      assert.equal(cal.days().filter((d) => d.date === c.date).length, cal.get(c.date) ? 1 : 0);
    });
  }
  test('days() is sorted and a copy', () => {
    const cal = new WorkingCalendar([
      { date: '2026-05-01', kind: 'holiday', name: 'B' },
      { date: '2026-01-01', kind: 'holiday', name: 'A' },
    ]);
    const days = cal.days();
    assert.deepEqual(days.map((d) => d.date), ['2026-01-01', '2026-05-01']);
    days[0]!.kind = 'workday';
    assert.equal(cal.isWorkingDay('2026-01-01'), false);
  });
});

describe('the shipped national calendar', () => {
  const of = (year: string, kind: string) => SHIPPED.days.filter((d) => d.date.startsWith(year) && d.kind === kind).map((d) => d.date);
  test('2026: exactly the 17 holidays of SKB 1497/2025, 2/2025, 5/2025', () => {
    const holidays = [
      '2026-01-01', '2026-01-16', '2026-02-17', '2026-03-19', '2026-03-21', '2026-03-22', '2026-04-03', '2026-04-05', '2026-05-01',
      '2026-05-14', '2026-05-27', '2026-05-31', '2026-06-01', '2026-06-16', '2026-08-17', '2026-08-25', '2026-12-25',
    ];
    assert.equal(holidays.length, 17);
    assert.deepEqual(of('2026', 'holiday'), holidays);
  });
  test('2026: exactly the 8 days of cuti bersama', () => {
    const cuti = ['2026-02-16', '2026-03-18', '2026-03-20', '2026-03-23', '2026-03-24', '2026-05-15', '2026-05-28', '2026-12-24'];
    assert.deepEqual(of('2026', 'cuti_bersama'), cuti);
    assert.equal(SHIPPED.days.filter((d) => d.date.startsWith('2026')).length, 25, 'nothing else in 2026');
  });
  test('2026 is decreed and names its SKB', () => {
    assert.equal(SHIPPED.years['2026']?.status, 'decreed');
    assert.match(SHIPPED.years['2026']!.source, /1497 Tahun 2025/);
    assert.match(SHIPPED.years['2026']!.source, /19 September 2025/);
    assert.ok(SHIPPED.source.length > 0);
  });
  test('2027 is provisional and holds only the five fixed-date holidays', () => {
    const y = SHIPPED.years['2027'];
    assert.equal(y?.status, 'provisional');
    assert.match(y!.note ?? '', /cuti bersama/);
    assert.match(y!.note ?? '', /SKB/);
    assert.deepEqual(
      SHIPPED.days.filter((d) => d.date.startsWith('2027')).map((d) => [d.date, d.kind]),
      [['2027-01-01', 'holiday'], ['2027-05-01', 'holiday'], ['2027-06-01', 'holiday'], ['2027-08-17', 'holiday'], ['2027-12-25', 'holiday']],
    );
  });
  test('only 2026 and 2027, every name filled in, no workday entries', () => {
    assert.deepEqual(Object.keys(SHIPPED.years).sort(), ['2026', '2027']);
    for (const d of SHIPPED.days) {
      assert.ok(d.name.length > 3, d.date);
      assert.notEqual(d.kind, 'workday');
    }
  });
});

interface ParseErrorCase {
  description: string;
  text: string;
  line: number | null;
  field: string | null;
  message: RegExp;
}

function formatErrorOf(fn: () => unknown): CalendarFormatError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CalendarFormatError, `expected a CalendarFormatError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a CalendarFormatError');
}

describe('parseCalendarCsv', () => {
  const errors: ParseErrorCase[] = [
    { description: 'an empty file', text: '', line: null, field: 'header', message: /empty/ },
    { description: 'only comments', text: '# nothing\n\n', line: null, field: 'header', message: /empty/ },
    { description: 'a bad header', text: 'tanggal,kind,name\n2026-01-01,holiday,A\n', line: 1, field: 'header', message: /^line 1: bad header/ },
    { description: 'a bad header after comments', text: '# kalender\n\ndate,kind\n', line: 3, field: 'header', message: /^line 3: bad header/ },
    { description: 'too few columns', text: 'date,kind,name\n2026-01-01,holiday\n', line: 2, field: 'columns', message: /^line 2: expected 3 columns .* found 2/ },
    { description: 'too many columns', text: 'date,kind,name\n2026-01-01,holiday,Tahun Baru,extra\n', line: 2, field: 'columns', message: /^line 2: expected 3 columns/ },
    { description: 'an impossible date', text: 'date,kind,name\n# comment\n2026-02-30,holiday,X\n', line: 3, field: 'date', message: /^line 3: date 2026-02-30 does not exist/ },
    { description: 'a malformed date', text: 'date,kind,name\n1/1/2026,holiday,X\n', line: 2, field: 'date', message: /^line 2: date "1\/1\/2026" is not in the form YYYY-MM-DD/ },
    { description: 'an unknown kind', text: 'date,kind,name\n2026-01-01,libur,X\n', line: 2, field: 'kind', message: /^line 2: unknown kind "libur"/ },
    { description: 'an empty name', text: 'date,kind,name\n2026-01-01,holiday,   \n', line: 2, field: 'name', message: /^line 2: name is empty/ },
    { description: 'an empty quoted name', text: 'date,kind,name\n2026-01-01,holiday,""\n', line: 2, field: 'name', message: /^line 2: name is empty/ },
    {
      description: 'a date twice in one file',
      text: 'date,kind,name\n2026-01-01,holiday,A\n2026-01-16,holiday,B\n2026-01-01,cuti_bersama,C\n',
      line: 4,
      field: 'date',
      message: /^line 4: duplicate date 2026-01-01 \(already on line 2\)/,
    },
    { description: 'a workday on a Monday', text: 'date,kind,name\n2026-03-09,workday,Masuk\n', line: 2, field: 'kind', message: /^line 2: 'workday' on 2026-03-09, which is not a Saturday or Sunday/ },
    { description: 'an unclosed quote', text: 'date,kind,name\n2026-01-01,holiday,"Tahun Baru\n', line: 2, field: 'columns', message: /^line 2: a quoted field is not closed/ },
    { description: 'a stray quote', text: 'date,kind,name\n2026-01-01,holiday,Tahun "Baru"\n', line: 2, field: 'columns', message: /^line 2: a quote inside an unquoted field/ },
    {
      description: 'line numbers count the lines inside a quoted field',
      text: 'date,kind,name\n2026-01-01,holiday,"Tahun\nBaru"\n2026-13-01,holiday,X\n',
      line: 4,
      field: 'date',
      message: /^line 4: date 2026-13-01 does not exist/,
    },
    { description: 'CRLF line ends', text: 'date,kind,name\r\n2026-01-01,holiday,A\r\n2026-01-01,holiday,B\r\n', line: 3, field: 'date', message: /^line 3: duplicate/ },
    { description: 'a bad provisional value', text: 'date,kind,name,provisional\n2026-01-01,holiday,A,maybe\n', line: 2, field: 'provisional', message: /^line 2: provisional must be true or false/ },
  ];
  for (const c of errors) {
    test(`error: ${c.description}`, () => {
      const err = formatErrorOf(() => parseCalendarCsv(c.text));
      assert.equal(err.line, c.line);
      assert.equal(err.field, c.field);
      assert.match(err.message, c.message);
    });
  }

  test('accepts quoting, CRLF, a BOM, blank and comment lines, and spaces around fields', () => {
    const text =
      '\uFEFF# Kalender Provinsi Bali 2026\r\n  # another comment with "quotes", and commas\r\n\r\nDate, Kind ,name\r\n' +
      '2026-03-14, workday ,Sabtu masuk kerja\r\n\r\n"2026-07-09",regional,"Hari Jadi, ""Provinsi""\r\n(dua baris)"\r\n2026-03-22,holiday,Idul Fitri';
    assert.deepEqual(parseCalendarCsv(text), [
      { date: '2026-03-14', kind: 'workday', name: 'Sabtu masuk kerja' },
      { date: '2026-07-09', kind: 'regional', name: 'Hari Jadi, "Provinsi"\r\n(dua baris)' },
      { date: '2026-03-22', kind: 'holiday', name: 'Idul Fitri' },
    ]);
  });

  test('round trip: the shipped calendar through CSV', () => {
    const csv = toCalendarCsv(SHIPPED.days);
    assert.ok(csv.startsWith('date,kind,name\n2026-01-01,holiday,Tahun Baru Masehi\n'));
    assert.deepEqual(parseCalendarCsv(csv), new WorkingCalendar(SHIPPED.days).days());
  });

  test('round trip: awkward names and provisional days', () => {
    const days: CalendarDay[] = [
      { date: '2027-03-10', kind: 'holiday', name: 'Idul Fitri 1448 H, "perkiraan"', provisional: true },
      { date: '2027-01-02', kind: 'workday', name: 'Sabtu\nmasuk' },
      { date: '2027-02-06', kind: 'regional', name: '# bukan komentar' },
    ];
    const csv = toCalendarCsv(days);
    assert.match(csv, /^date,kind,name,provisional\n/);
    assert.deepEqual(parseCalendarCsv(csv), new WorkingCalendar(days).days());
    assert.deepEqual(parseCalendarCsv(toCalendarCsv(parseCalendarCsv(csv))), parseCalendarCsv(csv));
  });
});

describe('parseCalendarJson', () => {
  const errors: ParseErrorCase[] = [
    { description: 'not JSON (the line comes from the JSON parser)', text: '[\n{"date": "2026-01-01",]', line: 2, field: 'json', message: /^line 2: not valid JSON/ },
    { description: 'neither an array nor {days}', text: '{"hari": []}', line: null, field: 'json', message: /expected an array of days/ },
    {
      description: 'an impossible date names the line and the index',
      text: '[\n  {"date": "2026-01-01", "kind": "holiday", "name": "A"},\n  {"date": "2026-02-30", "kind": "holiday", "name": "B"}\n]',
      line: 3,
      field: 'date',
      message: /^line 3: days\[1\]: date 2026-02-30 does not exist/,
    },
    {
      description: 'inside {days}, pretty-printed, after other keys',
      text: '{\n  "source": "x [not an array]",\n  "years": {"2026": {"status": "decreed"}},\n  "days": [\n    {\n      "date": "2026-01-01",\n      "kind": "libur",\n      "name": "A"\n    }\n  ]\n}',
      line: 5,
      field: 'kind',
      message: /^line 5: days\[0\]: unknown kind "libur"/,
    },
    {
      description: 'a duplicate date',
      text: '{"days": [\n{"date": "2026-01-01", "kind": "holiday", "name": "A"},\n{"date": "2026-01-01", "kind": "holiday", "name": "B"}]}',
      line: 3,
      field: 'date',
      message: /^line 3: days\[1\]: duplicate date 2026-01-01 \(already on line 2\)/,
    },
    { description: 'an unknown property', text: '[{"date": "2026-01-01", "kind": "holiday", "name": "A", "provisonal": true}]', line: 1, field: 'provisonal', message: /unknown property "provisonal"/ },
    { description: 'a workday on a weekday', text: '[{"date": "2026-01-02", "kind": "workday", "name": "A"}]', line: 1, field: 'kind', message: /not a Saturday or Sunday/ },
    { description: 'an empty name', text: '[{"date": "2026-01-02", "kind": "holiday", "name": ""}]', line: 1, field: 'name', message: /name is empty/ },
    { description: 'a provisional that is not a boolean', text: '[{"date": "2026-01-02", "kind": "holiday", "name": "A", "provisional": "yes"}]', line: 1, field: 'provisional', message: /provisional must be true or false/ },
  ];
  for (const c of errors) {
    test(`error: ${c.description}`, () => {
      const err = formatErrorOf(() => parseCalendarJson(c.text));
      assert.equal(err.line, c.line);
      assert.equal(err.field, c.field);
      assert.match(err.message, c.message);
    });
  }
  test('an array or {days}, with provisional', () => {
    const days = [{ date: '2027-03-10', kind: 'holiday', name: 'Idul Fitri (perkiraan)', provisional: true }];
    assert.deepEqual(parseCalendarJson(JSON.stringify(days)), days);
    assert.deepEqual(parseCalendarJson(JSON.stringify({ source: 'x', days })), days);
    assert.deepEqual(parseCalendarJson('[{"date":"2026-01-01","kind":"holiday","name":"A","provisional":false}]'), [{ date: '2026-01-01', kind: 'holiday', name: 'A' }]);
  });
});

describe('CLI: deadline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-calendar-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const goodCsv = join(dir, 'good.csv');
  writeFileSync(goodCsv, 'date,kind,name\n2026-03-19,holiday,Nyepi\n');
  const badCsv = join(dir, 'bad.csv');
  writeFileSync(badCsv, 'date,kind,name\n2026-03-19,holiday,Nyepi\n2026-02-30,holiday,Salah\n');

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runDeadline(args, {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    });
    return { code, out, err };
  }

  const cases: { description: string; args: string[]; code: number; out?: string; err?: RegExp }[] = [
    {
      description: 'the Idul Fitri example',
      args: ['--from', '2026-03-17T09:00:00+07:00', '--working-days', '3', '--tz', 'Asia/Jakarta'],
      code: 0,
      out: '2026-03-27T23:59:59+07:00\n',
    },
    { description: 'a date alone is 00:00 in --tz', args: ['--from', '2026-03-17', '--working-days', '3', '--tz', 'Asia/Jayapura'], code: 0, out: '2026-03-27T23:59:59+09:00\n' },
    { description: 'a Z instant counted in WIT', args: ['--from', '2026-03-12T15:30:00Z', '--working-days', '1', '--tz', 'Asia/Jayapura'], code: 0, out: '2026-03-16T23:59:59+09:00\n' },
    { description: '--option=value form', args: ['--from=2026-03-12T15:30:00Z', '--working-days=1', '--tz=Asia/Jakarta'], code: 0, out: '2026-03-13T23:59:59+07:00\n' },
    { description: 'calendar days', args: ['--from', '2026-03-17T09:00:00+07:00', '--calendar-days', '60', '--tz', 'Asia/Jakarta'], code: 0, out: '2026-05-16T23:59:59+07:00\n' },
    {
      description: 'into the provisional 2027: the due on stdout, a warning on stderr',
      args: ['--from', '2026-12-30T10:00:00+07:00', '--working-days', '2', '--tz', 'Asia/Jakarta'],
      code: 0,
      out: '2027-01-04T23:59:59+07:00\n',
      err: /warning: the 2027 calendar is provisional/,
    },
    {
      description: '--calendar replaces the shipped calendar (cuti bersama gone, only Nyepi off): 18, 20, 23 Mar',
      args: ['--from', '2026-03-17T09:00:00+07:00', '--working-days', '3', '--tz', 'Asia/Jakarta', '--calendar', goodCsv],
      code: 0,
      out: '2026-03-23T23:59:59+07:00\n',
    },
    { description: 'a bad line in --calendar', args: ['--from', '2026-03-17', '--working-days', '3', '--tz', 'Asia/Jakarta', '--calendar', badCsv], code: 2, err: /bad\.csv: line 3: date 2026-02-30 does not exist/ },
    { description: 'a missing --calendar file', args: ['--from', '2026-03-17', '--working-days', '3', '--tz', 'Asia/Jakarta', '--calendar', join(dir, 'none.csv')], code: 2, err: /none\.csv: cannot read the file \(no such file\)/ },
    { description: 'no --tz', args: ['--from', '2026-03-17', '--working-days', '3'], code: 2, err: /--tz is required/ },
    { description: 'no count', args: ['--from', '2026-03-17', '--tz', 'Asia/Jakarta'], code: 2, err: /one of --working-days or --calendar-days is required/ },
    { description: 'both counts', args: ['--from', '2026-03-17', '--tz', 'Asia/Jakarta', '--working-days', '1', '--calendar-days', '1'], code: 2, err: /not both/ },
    { description: 'a time without an offset', args: ['--from', '2026-03-17T09:00', '--working-days', '3', '--tz', 'Asia/Jakarta'], code: 2, err: /has a time but no offset/ },
    { description: 'an impossible --from date', args: ['--from', '2026-02-30', '--working-days', '3', '--tz', 'Asia/Jakarta'], code: 2, err: /2026-02-30 does not exist/ },
    { description: 'a fractional count', args: ['--from', '2026-03-17', '--working-days=1.5', '--tz', 'Asia/Jakarta'], code: 2, err: /whole number/ },
    { description: 'an unknown zone', args: ['--from', '2026-03-17', '--working-days', '1', '--tz', 'Asia/Bandung'], code: 2, err: /not a known IANA time zone/ },
    { description: 'an unknown option', args: ['--from', '2026-03-17', '--working-days', '1', '--tz', 'Asia/Jakarta', '--zone', 'x'], code: 2, err: /--zone/ },
  ];
  for (const c of cases) {
    test(c.description, async () => {
      const r = await run(c.args);
      assert.equal(r.code, c.code, r.err);
      if (c.out !== undefined) assert.equal(r.out, c.out);
      if (c.code !== 0) assert.equal(r.out, '');
      if (c.err) assert.match(r.err, c.err);
      else assert.equal(r.err, '');
    });
  }
  test('--help prints the usage', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: deadline --from ISO/);
  });
});
