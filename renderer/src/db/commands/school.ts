// First-start commands: the local school profile, or the demo school.
import {
  type DemoInput,
  decideDemoSchool,
  decideSchoolSetup,
  type SchoolProfileInput,
} from '../../../../shared/commands/school-setup';
import { refuse } from '../../../../shared/commands/types';
import type { CommandContext } from '../command-context';
import { SETTINGS_ID } from '../settings';

const ALREADY = refuse({
  field: 'schoolId',
  code: 'ALREADY_SET_UP',
  message: '本机已建立学校档案，不能重复建立',
});

export const schoolCommands = {
  async 'school-setup'(ctx: CommandContext, args: SchoolProfileInput) {
    if (ctx.settings) return ALREADY;
    const env = {
      ...ctx.env,
      actor: { id: `local:${args.operatorName.trim()}`, name: args.operatorName.trim() },
    };
    const decision = decideSchoolSetup(args, env);
    if (!decision.ok) return decision;
    await ctx.db.orgs.bulkUpsert(decision.orgs);
    await ctx.db.events.insert(decision.event);
    // Written last: the app counts as set up only once everything above is stored.
    await ctx.db.upsertLocal(SETTINGS_ID, decision.settings);
    return decision;
  },

  /** Loads a seeded demo roster in one bulkInsert (20,000 students take a few seconds). */
  async 'demo-load'(ctx: CommandContext, args: DemoInput) {
    if (ctx.settings) return ALREADY;
    const decision = decideDemoSchool(args, ctx.env);
    if (!decision.ok) return decision;
    const { error } = await ctx.db.students.bulkInsert(decision.students);
    if (error.length > 0)
      return refuse({
        field: 'students',
        code: 'WRITE_FAILED',
        message: `有 ${error.length} 名演示学生未能写入本地数据库（${error[0]?.status ?? ''}）`,
      });
    await ctx.db.orgs.bulkUpsert(decision.orgs);
    await ctx.db.events.insert(decision.event);
    await ctx.db.upsertLocal(SETTINGS_ID, decision.settings);
    return { ok: true as const, students: decision.students.length, settings: decision.settings };
  },
};
