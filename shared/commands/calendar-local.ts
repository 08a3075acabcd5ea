// `calendar-local-set`: this machine's emergency corrections of the working-day calendar (the local layer
// of shared/calendar, e.g. a closure announced before the province's override arrives by sync). The list
// replaces the previous one; the change is an event (who, when, before, after; R-WHO).
import type { CalendarOverride } from '../calendar/calendar';
import type { EventDoc } from '../domain/schemas';
import { validateCalendarOverrides } from '../rules/settings';
import { type CommandEnv, type Decision, refuse } from './types';

/** The local document `calendar-local`. */
export type LocalCalendar = { entries: CalendarOverride[]; updatedAt: string; updatedBy: string };

export const LOCAL_CALENDAR_ID = 'calendar-local';

export function decideLocalCalendar(
  input: { entries: unknown },
  current: LocalCalendar | null,
  schoolId: string,
  env: CommandEnv,
): Decision<{ calendar: LocalCalendar; event: EventDoc }> {
  const v = validateCalendarOverrides(input.entries, 'entries');
  if (!v.ok) {
    const p = v.problems[0];
    return refuse({ field: p?.field ?? 'entries', code: 'INVALID', message: p?.message ?? '调整日期有误' });
  }
  if (v.value.length > 200)
    return refuse({
      field: 'entries',
      code: 'TOO_MANY',
      message: '本机临时调整最多 200 条；整年的安排请由省教育厅发布',
    });
  const at = env.now();
  const calendar: LocalCalendar = { entries: v.value, updatedAt: at, updatedBy: env.actor.id };
  const event: EventDoc = {
    id: env.newId(),
    schoolId,
    entity: 'org',
    entityId: schoolId,
    action: 'calendar-local',
    at,
    by: env.actor.id,
    byName: env.actor.name,
    before: { entries: current?.entries ?? [] },
    after: { entries: v.value },
  };
  return { ok: true, calendar, event };
}
