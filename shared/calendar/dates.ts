// Calendar dates as "YYYY-MM-DD" strings, computed in whole days (UTC day numbers) so that no time zone
// or daylight-saving rule of the machine can move a date.

export type Ymd = string;

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The day number (days since 1970-01-01) of a valid date, or null for anything else (2026-02-30, "x"). */
export function dayNumber(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = YMD.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function isYmd(value: unknown): value is Ymd {
  return dayNumber(value) !== null;
}

function must(date: Ymd): number {
  const n = dayNumber(date);
  if (n === null) throw new RangeError(`不是有效日期（应为 YYYY-MM-DD）：${String(date)}`);
  return n;
}

export function fromDayNumber(n: number): Ymd {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: Ymd, n: number): Ymd {
  return fromDayNumber(must(date) + n);
}

/** Days from `from` to `to` (positive when `to` is later). */
export function diffDays(from: Ymd, to: Ymd): number {
  return must(to) - must(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: Ymd): number {
  return (((must(date) + 4) % 7) + 7) % 7;
}

export function yearOf(date: Ymd): number {
  must(date);
  return Number(date.slice(0, 4));
}

/**
 * The same day `n` months later; a day the target month lacks becomes its last day
 * (2026-01-31 + 1 month = 2026-02-28), as a person counting "one month" on a wall calendar does.
 */
export function addMonths(date: Ymd, n: number): Ymd {
  must(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const d = Number(date.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return fromDayNumber(Date.UTC(ty, tm, Math.min(d, last)) / DAY_MS);
}

/** Inclusive day count of [from, to]; 0 when `to` is before `from`. */
export function daysInclusive(from: Ymd, to: Ymd): number {
  return Math.max(0, diffDays(from, to) + 1);
}

export function minDate(a: Ymd, b: Ymd): Ymd {
  return a <= b ? a : b;
}

export function maxDate(a: Ymd, b: Ymd): Ymd {
  return a >= b ? a : b;
}

/** "2026年10月15日" */
export function formatYmdCn(date: Ymd): string {
  must(date);
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}
