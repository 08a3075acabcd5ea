// First-start commands: the local school profile, or the demo school.

import { checkLocalPassword, lockEvent } from '../../../../shared/commands/local-lock';
import {
  type DemoInput,
  decideDemoSchool,
  decideSchoolSetup,
  type SchoolProfileInput,
} from '../../../../shared/commands/school-setup';
import { refuse } from '../../../../shared/commands/types';
import type { CommandContext } from '../command-context';
import { unlockWindow, writeLockPassword } from '../local-lock';
import { SETTINGS_ID } from '../settings';

/** R-SECURE: every profile is opened with a local password, set here at setup. */
type LocalPasswordInput = { localPassword: string; localPasswordConfirm: string };

const ALREADY = refuse({
  field: 'schoolId',
  code: 'ALREADY_SET_UP',
  message: '本机已建立学校档案，不能重复建立',
});

export const schoolCommands = {
  async 'school-setup'(ctx: CommandContext, args: SchoolProfileInput & LocalPasswordInput) {
    if (ctx.installation) return ALREADY;
    const env = {
      ...ctx.env,
      actor: { id: `local:${(args.operatorName ?? '').trim()}`, name: (args.operatorName ?? '').trim() },
    };
    const decision = decideSchoolSetup(args, env);
    const passwordErrors = checkLocalPassword(args.localPassword ?? '', args.localPasswordConfirm ?? '');
    if (!decision.ok || passwordErrors.length > 0)
      return refuse(...(decision.ok ? [] : decision.errors), ...passwordErrors);
    await ctx.db.orgs.bulkUpsert(decision.orgs);
    await ctx.db.events.insert(decision.event);
    const lock = lockEvent(env, decision.settings.schoolId, { kind: 'password', source: 'local' });
    await writeLockPassword(ctx.db, args.localPassword, 'local', lock.at);
    await ctx.db.events.insert(lock);
    // the person who just set the password is at the machine: the new profile opens unlocked
    unlockWindow();
    // Written last: the app counts as set up only once everything above is stored.
    await ctx.db.upsertLocal(SETTINGS_ID, decision.settings);
    return decision;
  },

  /** Loads a seeded demo roster in one bulkInsert (20,000 students take a few seconds). */
  async 'demo-load'(ctx: CommandContext, args: DemoInput & LocalPasswordInput) {
    if (ctx.installation) return ALREADY;
    const decision = decideDemoSchool(args, ctx.env);
    const passwordErrors = checkLocalPassword(args.localPassword ?? '', args.localPasswordConfirm ?? '');
    if (!decision.ok || passwordErrors.length > 0)
      return refuse(...(decision.ok ? [] : decision.errors), ...passwordErrors);
    const { error } = await ctx.db.students.bulkInsert(decision.students);
    if (error.length > 0)
      return refuse({
        field: 'students',
        code: 'WRITE_FAILED',
        message: `有 ${error.length} 名演示学生未能写入本地数据库（${error[0]?.status ?? ''}）`,
      });
    await ctx.db.orgs.bulkUpsert(decision.orgs);
    await ctx.db.events.insert(decision.event);
    const lock = lockEvent(ctx.env, decision.settings.schoolId, { kind: 'password', source: 'local' });
    await writeLockPassword(ctx.db, args.localPassword, 'local', lock.at);
    await ctx.db.events.insert(lock);
    unlockWindow();
    await ctx.db.upsertLocal(SETTINGS_ID, decision.settings);
    return { ok: true as const, students: decision.students.length, settings: decision.settings };
  },
};
