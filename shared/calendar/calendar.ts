// The working-day calendar (DOMAIN.md "Working days"; docs/rules.md "How periods are counted").
//
// Three layers, the later winning for a date:
//   1. the State Council schedule as published in `chinese-days` (2004–2026 in version 1.5.7),
//   2. the province's override entries (OrgSettings.calendar, synced to every copy),
//   3. a local override of this machine, for an emergency notice that has not arrived by sync.
// A year that none of the layers covers is **unknown**: `chinese-days` would silently call every weekday
// of it a workday, so we count weekends only and mark the answer uncertain with a warning naming the year.
import packageData from 'chinese-days/dist/chinese-days.json';
import type { CalendarOverride } from '../domain/schemas';
import { addDays, addMonths, dayNumber, fromDayNumber, weekday, type Ymd, yearOf } from './dates';

export type { CalendarOverride };

export type CalendarLayer = 'stateCouncil' | 'province' | 'local';

export const LAYER_LABELS: Record<CalendarLayer, string> = {
  stateCouncil: '国务院放假安排',
  province: '省级调整',
  local: '本机临时调整',
};

export type CalendarEntry = {
  date: Ymd;
  kind: 'workday' | 'holiday';
  /** the holiday's Chinese name (国庆节) or the override's source note */
  note?: string;
  layer: CalendarLayer;
};

export type WorkCalendar = {
  readonly entries: ReadonlyMap<Ymd, CalendarEntry>;
  /** years whose schedule is loaded (by the package or by an override entry) */
  readonly knownYears: ReadonlySet<number>;
};

/** An answer that depends on the holiday schedule: uncertain when it crossed an unknown year. */
export type CalendarAnswer<T> = {
  value: T;
  uncertain: boolean;
  unknownYears: number[];
  /** one Chinese warning per unknown year, e.g. "2027 年放假安排尚未载入，按周末计算，请以正式通知为准" */
  warnings: string[];
};

export function unknownYearWarning(year: number): string {
  return `${year} 年放假安排尚未载入，按周末计算，请以正式通知为准`;
}

type PackageMap = Record<string, string>;
const data = packageData as { holidays: PackageMap; workdays: PackageMap };

/** "National Day,国庆节,3" → "国庆节" */
function packageName(value: string): string | undefined {
  return value.split(',')[1];
}

function packageEntries(): CalendarEntry[] {
  const out: CalendarEntry[] = [];
  for (const [date, v] of Object.entries(data.holidays))
    out.push({ date, kind: 'holiday', note: packageName(v), layer: 'stateCouncil' });
  for (const [date, v] of Object.entries(data.workdays)) {
    const name = packageName(v);
    out.push({ date, kind: 'workday', note: name ? `${name}调休上班` : '调休上班', layer: 'stateCouncil' });
  }
  return out;
}

const PACKAGE_YEARS: readonly number[] = [
  ...new Set(Object.keys(data.holidays).map((d) => Number(d.slice(0, 4)))),
].sort((a, b) => a - b);

/** The years the State Council schedule of the package covers (2004–2026 in chinese-days 1.5.7). */
export const STATE_COUNCIL_YEARS = {
  first: PACKAGE_YEARS[0] ?? 0,
  last: PACKAGE_YEARS[PACKAGE_YEARS.length - 1] ?? 0,
};

export type CalendarSources = {
  /** the province's published entries (effectiveSettings(...).calendar) */
  overrides?: readonly CalendarOverride[];
  /** this machine's emergency entries */
  local?: readonly CalendarOverride[];
  /** leave out the package (tests of unknown years) */
  withoutPackage?: boolean;
};

/**
 * Builds a calendar. Any override entry for a year marks that year as loaded: the province (or the local
 * administrator) enters a new year's whole schedule, holidays and make-up workdays, at once.
 */
export function makeCalendar(sources: CalendarSources = {}): WorkCalendar {
  const entries = new Map<Ymd, CalendarEntry>();
  const knownYears = new Set<number>(sources.withoutPackage ? [] : PACKAGE_YEARS);
  if (!sources.withoutPackage) for (const e of packageEntries()) entries.set(e.date, e);
  const layer = (list: readonly CalendarOverride[] | undefined, name: CalendarLayer) => {
    for (const o of list ?? []) {
      if (dayNumber(o.date) === null) continue;
      entries.set(o.date, { date: o.date, kind: o.kind, layer: name, ...(o.note ? { note: o.note } : {}) });
      knownYears.add(yearOf(o.date));
    }
  };
  layer(sources.overrides, 'province');
  layer(sources.local, 'local');
  return { entries, knownYears };
}

let standard: WorkCalendar | undefined;

/** The State Council schedule alone (no overrides). */
export function standardCalendar(): WorkCalendar {
  standard ??= makeCalendar();
  return standard;
}

export type DayInfo = {
  date: Ymd;
  workday: boolean;
  /** workday, weekend, holiday (法定节假日 or an override), makeupWorkday (调休上班) */
  kind: 'workday' | 'weekend' | 'holiday' | 'makeupWorkday';
  note?: string;
  /** the layer that decided this date; absent for an ordinary weekday or weekend */
  layer?: CalendarLayer;
  knownYear: boolean;
};

export function dayInfo(cal: WorkCalendar, date: Ymd): DayInfo {
  const entry = cal.entries.get(date);
  const knownYear = cal.knownYears.has(yearOf(date));
  const weekend = weekday(date) === 0 || weekday(date) === 6;
  if (entry) {
    const base = { date, knownYear, layer: entry.layer, ...(entry.note ? { note: entry.note } : {}) };
    if (entry.kind === 'holiday') return { ...base, workday: false, kind: 'holiday' };
    return { ...base, workday: true, kind: weekend ? 'makeupWorkday' : 'workday' };
  }
  return weekend
    ? { date, workday: false, kind: 'weekend', knownYear }
    : { date, workday: true, kind: 'workday', knownYear };
}

function answer<T>(cal: WorkCalendar, value: T, years: Iterable<number>): CalendarAnswer<T> {
  const unknownYears = [...new Set(years)].filter((y) => !cal.knownYears.has(y)).sort((a, b) => a - b);
  return {
    value,
    uncertain: unknownYears.length > 0,
    unknownYears,
    warnings: unknownYears.map(unknownYearWarning),
  };
}

function yearsBetween(fromDay: number, toDay: number): number[] {
  const a = Number(fromDayNumber(Math.min(fromDay, toDay)).slice(0, 4));
  const b = Number(fromDayNumber(Math.max(fromDay, toDay)).slice(0, 4));
  const out: number[] = [];
  for (let y = a; y <= b; y++) out.push(y);
  return out;
}

function dayOf(date: Ymd): number {
  const n = dayNumber(date);
  if (n === null) throw new RangeError(`不是有效日期（应为 YYYY-MM-DD）：${String(date)}`);
  return n;
}

export function isWorkday(cal: WorkCalendar, date: Ymd): CalendarAnswer<boolean> {
  return answer(cal, dayInfo(cal, date).workday, [yearOf(date)]);
}

/** Bounds a search so that a calendar of nothing but holidays cannot loop for ever. */
const MAX_SCAN_DAYS = 366 * 20;

/**
 * The n-th working day after `date` ("within n working days" counts from the next day: 2026-09-24 + 10 =
 * 2026-10-15 across the National Day holidays). n = 0 is `date` itself; a negative n counts backwards.
 */
export function addWorkdays(cal: WorkCalendar, date: Ymd, n: number): CalendarAnswer<Ymd> {
  if (!Number.isInteger(n)) throw new RangeError(`工作日数应为整数：${n}`);
  const start = dayOf(date);
  const step = n < 0 ? -1 : 1;
  let day = start;
  let left = Math.abs(n);
  let scanned = 0;
  while (left > 0) {
    day += step;
    if (++scanned > MAX_SCAN_DAYS) throw new RangeError(`${date} 起 20 年内找不到第 ${n} 个工作日`);
    if (dayInfo(cal, fromDayNumber(day)).workday) left--;
  }
  return answer(cal, fromDayNumber(day), n === 0 ? [] : yearsBetween(start + step, day));
}

/**
 * Working days after `from` up to and including `to` (so addWorkdays(from, n) = to gives n). When `to` is
 * before `from` the count is negative: −(working days after `to` up to and including `from`).
 */
export function workdaysBetween(cal: WorkCalendar, from: Ymd, to: Ymd): CalendarAnswer<number> {
  const a = dayOf(from);
  const b = dayOf(to);
  if (a === b) return answer(cal, 0, []);
  const [lo, hi, sign] = a < b ? [a, b, 1] : [b, a, -1];
  if (hi - lo > MAX_SCAN_DAYS) throw new RangeError(`日期相隔超过 20 年：${from} 至 ${to}`);
  let count = 0;
  for (let d = lo + 1; d <= hi; d++) if (dayInfo(cal, fromDayNumber(d)).workday) count++;
  return answer(cal, sign * count, yearsBetween(lo + 1, hi));
}

/** A period as the regulations state it. */
export type Period =
  | { unit: 'workdays'; count: number }
  | { unit: 'days'; count: number }
  | { unit: 'weeks'; count: number }
  | { unit: 'months'; count: number };

/**
 * The last day of a period that starts after `date`: n working days (the calendar decides), or n calendar
 * days, weeks or months (wall-calendar counts: no holiday moves them, so they are never uncertain).
 */
export function periodEnd(cal: WorkCalendar, date: Ymd, period: Period): CalendarAnswer<Ymd> {
  switch (period.unit) {
    case 'workdays':
      return addWorkdays(cal, date, period.count);
    case 'days':
      return answer(cal, addDays(date, period.count), []);
    case 'weeks':
      return answer(cal, addDays(date, 7 * period.count), []);
    case 'months':
      return answer(cal, addMonths(date, period.count), []);
  }
}

export function periodLabel(period: Period): string {
  const unit = { workdays: '个工作日', days: '天', weeks: '周', months: '个月' }[period.unit];
  return `${period.count} ${unit}`;
}

/** Warnings for dates shown on a screen or a form whose year's schedule is not loaded. */
export function dateWarnings(cal: WorkCalendar, dates: readonly (Ymd | undefined)[]): string[] {
  const years = dates.filter((d): d is Ymd => dayNumber(d) !== null).map(yearOf);
  return answer(cal, null, years).warnings;
}
