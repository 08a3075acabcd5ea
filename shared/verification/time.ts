// Instants and terms of routine verification. A task's window is two instants; the rules count in days
// (shared/calendar), and a day is a day in China (shared/calendar/china.ts): a window ending at 23:30
// Beijing time ends on that Beijing date, whatever the server's time zone.
import type { Ymd } from '../calendar/dates';
import type { TermDates } from '../domain/schemas';
import type { TermRef } from './schemas';

/** An ISO instant as Date.toISOString writes it (the form tasks store). */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 24) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}

export type Term = TermRef & { key: string };

/**
 * The term a day falls in. The usual semester (autumn from 1 August to the end of January, spring from
 * 1 February to the end of July) unless the term dates the school's bureau set (effectiveSettings
 * `term`) overlap that semester: then those dates, so every day of the semester — a task just before the
 * configured start too — lands in one record, and the rules count only what lies inside the dates
 * (a term boundary). The key is the term's first day.
 */
export function termFor(date: Ymd, configured: TermDates | null | undefined): Term {
  const semester = defaultSemester(date);
  if (configured && configured.start <= semester.end && configured.end >= semester.start)
    return {
      key: configured.start,
      start: configured.start,
      end: configured.end,
      ...(configured.name ? { name: configured.name } : {}),
    };
  return semester;
}

function defaultSemester(date: Ymd): Term {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  if (m >= 2 && m <= 7)
    return { key: `${y}-02-01`, start: `${y}-02-01`, end: `${y}-07-31`, name: `${y - 1}—${y}学年第二学期` };
  const first = m >= 8 ? y : y - 1;
  return {
    key: `${first}-08-01`,
    start: `${first}-08-01`,
    end: `${first + 1}-01-31`,
    name: `${first}—${first + 1}学年第一学期`,
  };
}
