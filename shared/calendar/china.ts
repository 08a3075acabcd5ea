// Days and times as a person in China reads them (UTC+8, no daylight saving), whatever the machine's or
// the server's time zone: a record written at 07:30 Beijing time on 3 December is from 3 December,
// although its ISO instant still says 2 December (23:30 UTC). Every screen, form and rule that shows or
// counts a day of an instant takes it from here.
import { dayNumber, type Ymd } from './dates';

const CHINA_OFFSET_MS = 8 * 3_600_000;

function instant(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

/** The Beijing date of an instant (ISO text or epoch milliseconds); a text that is no instant is cut to a date. */
export function chinaDate(at: string | number): Ymd {
  const ms = instant(at);
  if (Number.isNaN(ms)) return typeof at === 'string' ? at.slice(0, 10) : '';
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2026-10-09 08:00" in Beijing time, for messages, screens and printed forms. */
export function chinaTime(at: string | number): string {
  const ms = instant(at);
  if (Number.isNaN(ms)) return typeof at === 'string' ? at.slice(0, 16).replace('T', ' ') : '';
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Today's Beijing date. */
export function chinaToday(now: Date | number = Date.now()): Ymd {
  return chinaDate(typeof now === 'number' ? now : now.getTime());
}

/** The instant of a Beijing wall-clock time "YYYY-MM-DDTHH:mm" (form input) as an ISO instant, or null. */
export function fromChinaTime(local: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/.exec(local.trim());
  if (!m?.[1] || dayNumber(m[1]) === null) return null;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 23 || min > 59) return null;
  const ms = Date.parse(`${m[1]}T00:00:00.000Z`) + (h * 60 + min) * 60_000 - CHINA_OFFSET_MS;
  return new Date(ms).toISOString();
}
