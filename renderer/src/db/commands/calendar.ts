// The local layer of the working-day calendar (shared/calendar): this machine's emergency corrections,
// kept in a local document; the decision (validation, event) comes from shared/commands/calendar-local.

import type { CalendarOverride } from '../../../../shared/calendar/calendar';
import {
  decideLocalCalendar,
  LOCAL_CALENDAR_ID,
  type LocalCalendar,
} from '../../../../shared/commands/calendar-local';
import { refuse } from '../../../../shared/commands/types';
import type { CommandContext } from '../command-context';

export const calendarCommands = {
  /** Replaces this machine's calendar corrections and records the change as an event (R-WHO). */
  async 'calendar-local-set'(ctx: CommandContext, args: { entries: CalendarOverride[] }) {
    if (!ctx.orgId) return refuse({ field: 'schoolId', code: 'NOT_SET_UP', message: '本机尚未建立学校档案' });
    const current = await ctx.db.getLocal<LocalCalendar>(LOCAL_CALENDAR_ID);
    const decision = decideLocalCalendar(
      args,
      current ? (current.toJSON().data as LocalCalendar) : null,
      ctx.orgId,
      ctx.env,
    );
    if (!decision.ok) return decision;
    // The event first: a correction without its record of who made it is not kept (R-WHO).
    await ctx.db.events.insert(decision.event);
    await ctx.db.upsertLocal(LOCAL_CALENDAR_ID, decision.calendar);
    return decision;
  },
};
