import { describe, expect, it } from 'vitest';
import { chinaDate, chinaTime, chinaToday, fromChinaTime } from './china';

// 23:30 UTC on 2 December is 07:30 on 3 December in Beijing: the day a registrar reads on the wall.
const EARLY_MORNING = '2026-12-02T23:30:00.000Z';

describe('days and times in China (UTC+8), whatever the machine runs in', () => {
  it('an instant before 08:00 Beijing time is on the next Beijing day (its UTC date is the day before)', () => {
    expect(chinaDate(EARLY_MORNING)).toBe('2026-12-03');
    expect(chinaDate(Date.parse(EARLY_MORNING))).toBe('2026-12-03');
    expect(chinaTime(EARLY_MORNING)).toBe('2026-12-03 07:30');
    expect(chinaToday(new Date(EARLY_MORNING))).toBe('2026-12-03');
    expect(chinaDate('2026-12-03T15:59:59.999Z')).toBe('2026-12-03');
    expect(chinaDate('2026-12-03T16:00:00.000Z')).toBe('2026-12-04');
  });

  it('a year ends at 16:00 UTC on 31 December', () => {
    expect(chinaDate('2026-12-31T16:00:00.000Z')).toBe('2027-01-01');
  });

  it('a date alone stays that date; a text that is no instant is cut, never thrown on', () => {
    expect(chinaDate('2026-09-01')).toBe('2026-09-01');
    expect(chinaDate('无效')).toBe('无效');
    expect(chinaTime('')).toBe('');
    expect(chinaDate(Number.NaN)).toBe('');
  });

  it('a Beijing wall-clock time of a form goes back to its instant; impossible ones are refused', () => {
    expect(fromChinaTime('2026-12-03T07:30')).toBe(EARLY_MORNING);
    expect(fromChinaTime('2026-12-03 07:30')).toBe(EARLY_MORNING);
    expect(fromChinaTime('2026-02-30T08:00')).toBeNull();
    expect(fromChinaTime('2026-12-03T24:00')).toBeNull();
    expect(chinaTime(fromChinaTime('2026-10-01T00:05') ?? '')).toBe('2026-10-01 00:05');
  });
});
