// Student commands: the decision comes from shared/commands, this file only writes it.
import { decideStudentCreate, type StudentCreateInput } from '../../../../shared/commands/student-create';
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

  /**
   * 新增学生: one student added by hand. The decision (shared/commands/student-create) checks the form as
   * the import and the student page do, and R-ONE against the students this database holds with the same
   * ID number or 校内学号. Student and event are written together or not at all (R-WHO).
   */
  async 'student-create'(ctx: CommandContext, args: StudentCreateInput) {
    const settings = ctx.settings;
    const school = settings ? await ctx.db.orgs.findOne(settings.schoolId).exec() : null;
    if (!settings || !school)
      return refuse({ field: 'school', code: 'NO_SCHOOL', message: '尚未建立学校档案，不能新增学生' });
    const idNo = (args.fields.idNo ?? '').trim().toUpperCase();
    const schoolNo = (args.fields.schoolNo ?? '').trim();
    const or = [...(idNo ? [{ idNo }] : []), ...(schoolNo ? [{ schoolNo }] : [])];
    const existing =
      or.length > 0
        ? (await ctx.db.students.find({ selector: { $or: or } }).exec()).map((d) => d.toJSON())
        : [];
    const decision = decideStudentCreate(
      args,
      { schoolId: settings.schoolId, orgPath: school.path, schoolType: settings.schoolType, existing },
      ctx.env,
    );
    if (!decision.ok) return decision;
    await ctx.db.students.insert(decision.student);
    try {
      await ctx.db.events.insert(decision.event);
    } catch (error) {
      // Nothing is half-written: without its event the new record is taken back (R-WHO).
      await (await ctx.db.students.findOne(decision.student.id).exec())?.remove();
      throw error;
    }
    return { ok: true as const, id: decision.student.id, name: decision.student.name };
  },
};
