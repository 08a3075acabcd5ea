// The local lock's commands: setting the local password and the idle time (R-SECURE), each recorded as an
// event without the password (R-WHO). Unlocking is not a write and needs no command (db/local-lock.ts).
import { checkIdleMinutes, checkLocalPassword, lockEvent } from '../../../../shared/commands/local-lock';
import { refuse } from '../../../../shared/commands/types';
import type { CommandContext } from '../command-context';
import { checkLockPassword, readLock, writeIdleMinutes, writeLockPassword } from '../local-lock';

export const lockCommands = {
  /** Sets (or changes, with the current one) the local password. */
  async 'local-password-set'(
    ctx: CommandContext,
    args: { password: string; confirm: string; current?: string },
  ) {
    const orgId = ctx.orgId;
    if (!orgId)
      return refuse({ field: 'school', code: 'NO_SCHOOL', message: '尚未建立学校档案，不能设置本机密码' });
    const existing = await readLock(ctx.db);
    if (existing && !(await checkLockPassword(ctx.db, args.current ?? '')))
      return refuse({ field: 'current', code: 'WRONG_PASSWORD', message: '当前的本机密码不正确' });
    const errors = checkLocalPassword(args.password, args.confirm, 'password');
    if (errors.length > 0) return refuse(...errors);
    const event = lockEvent(ctx.env, orgId, { kind: 'password', source: 'local' });
    await writeLockPassword(ctx.db, args.password, 'local', event.at);
    await ctx.db.events.insert(event);
    return { ok: true as const };
  },

  /** The minutes without input after which the app locks itself. */
  async 'lock-settings-update'(ctx: CommandContext, args: { idleMinutes: number }) {
    const orgId = ctx.orgId;
    const lock = await readLock(ctx.db);
    if (!orgId || !lock)
      return refuse({ field: 'idleMinutes', code: 'NO_LOCK', message: '请先设置本机密码' });
    const error = checkIdleMinutes(args.idleMinutes);
    if (error) return refuse(error);
    if (lock.idleMinutes === args.idleMinutes) return { ok: true as const };
    const event = lockEvent(ctx.env, orgId, {
      kind: 'idle',
      before: lock.idleMinutes,
      after: args.idleMinutes,
    });
    await writeIdleMinutes(ctx.db, args.idleMinutes, event.at);
    await ctx.db.events.insert(event);
    return { ok: true as const };
  },
};
