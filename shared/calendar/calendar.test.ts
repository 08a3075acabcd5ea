// The working-day calendar: the 2026 State Council schedule (DOMAIN.md "Working days"), override layers,
// unknown years, and the counting conventions of docs/rules.md.
import { describe, expect, it } from 'vitest';
import {
  addWorkdays,
  dateWarnings,
  dayInfo,
  isWorkday,
  makeCalendar,
  periodEnd,
  STATE_COUNCIL_YEARS,
  standardCalendar,
  unknownYearWarning,
  workdaysBetween,
} from './calendar';
import { addMonths, dayNumber, daysInclusive, weekday } from './dates';

const cal = standardCalendar();

describe('dates', () => {
  it('accepts only real dates', () => {
    expect(dayNumber('2026-02-28')).not.toBeNull();
    expect(dayNumber('2026-02-29')).toBeNull();
    expect(dayNumber('2028-02-29')).not.toBeNull();
    expect(dayNumber('2026-13-01')).toBeNull();
    expect(dayNumber('2026-9-1')).toBeNull();
    expect(dayNumber(20260901)).toBeNull();
  });
  it('knows the weekday (2026-10-01 is a Thursday)', () => {
    expect(weekday('2026-10-01')).toBe(4);
    expect(weekday('2026-10-10')).toBe(6);
  });
  it('counts months on the wall calendar, a missing day becoming the month end', () => {
    expect(addMonths('2026-09-01', 1)).toBe('2026-10-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-09-01', -1)).toBe('2026-08-01');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(daysInclusive('2026-09-01', '2026-09-15')).toBe(15);
  });
});

describe('the State Council schedule (chinese-days)', () => {
  it('covers 2004–2026', () => {
    expect(STATE_COUNCIL_YEARS).toEqual({ first: 2004, last: 2026 });
  });

  it('2026: DOMAIN.md holidays are off, make-up days are workdays', () => {
    for (const d of [
      '2026-01-01',
      '2026-02-16',
      '2026-04-06',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-07',
    ])
      expect(isWorkday(cal, d).value, d).toBe(false);
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])
      expect(isWorkday(cal, d).value, d).toBe(true);
    expect(dayInfo(cal, '2026-10-10')).toMatchObject({ kind: 'makeupWorkday', layer: 'stateCouncil' });
    expect(dayInfo(cal, '2026-10-01')).toMatchObject({ kind: 'holiday', note: '国庆节' });
    expect(dayInfo(cal, '2026-10-17')).toMatchObject({ kind: 'weekend', workday: false });
    expect(isWorkday(cal, '2026-10-12')).toEqual({
      value: true,
      uncertain: false,
      unknownYears: [],
      warnings: [],
    });
  });

  it('"within N working days" counts from the next day, across National Day (R-REPORT-10)', () => {
    expect(addWorkdays(cal, '2026-09-24', 10).value).toBe('2026-10-15');
    expect(addWorkdays(cal, '2026-09-28', 10).value).toBe('2026-10-16');
    expect(addWorkdays(cal, '2026-09-24', 20).value).toBe('2026-10-29');
    // a Friday + 1 is the next Monday; the day itself is never counted
    expect(addWorkdays(cal, '2026-10-16', 1).value).toBe('2026-10-19');
    expect(addWorkdays(cal, '2026-10-16', 0).value).toBe('2026-10-16');
    // backwards
    expect(addWorkdays(cal, '2026-10-15', -10).value).toBe('2026-09-24');
  });

  it('workdaysBetween counts after `from` up to and including `to`, negative when reversed', () => {
    expect(workdaysBetween(cal, '2026-09-24', '2026-10-15').value).toBe(10);
    expect(workdaysBetween(cal, '2026-09-28', '2026-10-16').value).toBe(10);
    expect(workdaysBetween(cal, '2026-10-15', '2026-09-24').value).toBe(-10);
    expect(workdaysBetween(cal, '2026-10-01', '2026-10-07').value).toBe(0);
    expect(workdaysBetween(cal, '2026-10-15', '2026-10-15').value).toBe(0);
  });
});

describe('unknown years', () => {
  it('2027 counts weekends only and says so, naming the year', () => {
    const r = addWorkdays(cal, '2027-01-04', 5);
    expect(r.value).toBe('2027-01-11');
    expect(r.uncertain).toBe(true);
    expect(r.unknownYears).toEqual([2027]);
    expect(r.warnings).toEqual(['2027 年放假安排尚未载入，按周末计算，请以正式通知为准']);
    expect(isWorkday(cal, '2027-10-01')).toMatchObject({ value: true, uncertain: true });
    expect(isWorkday(cal, '2027-10-02').value).toBe(false);
  });

  it('a count that runs from a known year into an unknown one is uncertain', () => {
    const r = addWorkdays(cal, '2026-12-28', 10);
    expect(r.value).toBe('2027-01-11');
    expect(r.unknownYears).toEqual([2027]);
    expect(addWorkdays(cal, '2026-12-21', 4)).toMatchObject({ value: '2026-12-25', uncertain: false });
    expect(workdaysBetween(cal, '2026-12-30', '2027-01-04')).toMatchObject({ value: 3, uncertain: true });
  });

  it('a province override entry loads the year; the local layer wins over both', () => {
    const withOverrides = makeCalendar({
      overrides: [
        { date: '2027-01-01', kind: 'holiday', note: '国办发明电〔2026〕X号 元旦' },
        { date: '2026-10-12', kind: 'holiday', note: '测试：省里临时放假' },
      ],
      local: [{ date: '2026-10-12', kind: 'workday', note: '本机：补班' }],
    });
    expect(isWorkday(withOverrides, '2027-01-01')).toMatchObject({ value: false, uncertain: false });
    expect(dayInfo(withOverrides, '2026-10-12')).toMatchObject({ workday: true, layer: 'local' });
    expect(addWorkdays(withOverrides, '2026-12-28', 10)).toMatchObject({
      value: '2027-01-12',
      uncertain: false,
    });
    const provinceOnly = makeCalendar({ overrides: [{ date: '2026-10-12', kind: 'holiday' }] });
    expect(addWorkdays(provinceOnly, '2026-09-24', 10).value).toBe('2026-10-16');
  });

  it('without the package every year is unknown', () => {
    const bare = makeCalendar({ withoutPackage: true });
    expect(isWorkday(bare, '2026-10-01')).toMatchObject({
      value: true,
      uncertain: true,
      unknownYears: [2026],
    });
  });

  it('dateWarnings names each unknown year once', () => {
    expect(dateWarnings(cal, ['2027-01-05', '2026-03-01', '2027-02-01', undefined, '2028-01-01'])).toEqual([
      unknownYearWarning(2027),
      unknownYearWarning(2028),
    ]);
  });
});

describe('periods', () => {
  it('calendar-day periods ignore holidays and are never uncertain', () => {
    expect(periodEnd(cal, '2026-09-28', { unit: 'weeks', count: 1 })).toEqual({
      value: '2026-10-05',
      uncertain: false,
      unknownYears: [],
      warnings: [],
    });
    expect(periodEnd(cal, '2027-03-01', { unit: 'days', count: 7 }).value).toBe('2027-03-08');
    expect(periodEnd(cal, '2026-09-01', { unit: 'months', count: 1 }).value).toBe('2026-10-01');
    expect(periodEnd(cal, '2026-09-24', { unit: 'workdays', count: 10 }).value).toBe('2026-10-15');
  });
});
