// Student commands: the decision comes from shared/commands, this file only writes it.
import { decideStudentUpdate, type StudentPatch } from '../../../../shared/commands/student-update';
import { refuse } from '../../../../shared/commands/types';
import type { CommandContext } from '../command-context';

export const studentCommands = {
  /**
   * Edits non-key fields of one student and records the event (R-WHO). The decision is re-taken inside
   * RxDB's incrementalModify, so it always applies to the latest revision of the document.
   */
  async 'student-update'(ctx: CommandContext, args: { id: string; patch: StudentPatch; reason?: string }) {
    const doc = await ctx.db.students.findOne(args.id).exec();
    if (!doc)
      return refuse({
        field: 'id',
        code: 'NOT_FOUND',
        message: '找不到该学生，可能已被删除；请返回花名册刷新',
      });
    let decision = decideStudentUpdate(
      { student: doc.toMutableJSON(), patch: args.patch, keyFields: ctx.keyFields, reason: args.reason },
      ctx.env,
    );
    if (!decision.ok || !decision.event) return decision;
    await doc.incrementalModify((current) => {
      decision = decideStudentUpdate(
        { student: current, patch: args.patch, keyFields: ctx.keyFields, reason: args.reason },
        ctx.env,
      );
      return decision.ok ? decision.next : current;
    });
    if (!decision.ok || !decision.event) return decision;
    const event = decision.event;
    try {
      await ctx.db.events.insert(event);
    } catch (error) {
      // Nothing is half-written: without its event the edit is taken back (R-WHO).
      await doc.incrementalModify((current) => {
        const restored: Record<string, unknown> = { ...current };
        for (const [field, value] of Object.entries(event.before))
          if (value === null) delete restored[field];
          else restored[field] = value;
        return restored as typeof current;
      });
      throw error;
    }
    return decision;
  },
};
