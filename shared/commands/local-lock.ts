// The local lock (R-SECURE, YQ 三: a dedicated person and machine, no leaking): the app opens locked, locks
// itself after an idle time and on 退出登录, and unlocks offline with the local password, of which only a
// salted hash is kept. Every profile has one: a local or demo profile sets it at setup; a profile
// downloaded from the provincial server takes the password of its login. The rules are here; the
// renderer keeps the hash (renderer/src/sync/credentials.ts) and the lock state.
import type { EventDoc } from '../domain/schemas';
import type { FieldError } from '../validate/fields';
import type { CommandEnv } from './types';

/** Minutes without a key press or mouse movement before the app locks itself (a setting). */
export const DEFAULT_IDLE_MINUTES = 10;
export const MIN_IDLE_MINUTES = 1;
export const MAX_IDLE_MINUTES = 240;

export const LOCAL_PASSWORD_MIN = 8;

/**
 * R-SECURE: the local password — at least 8 characters with letters and digits (the provincial server's
 * own rule for its passwords), typed twice alike. Errors name the form field.
 */
export function checkLocalPassword(password: string, confirm: string, field = 'localPassword'): FieldError[] {
  const errors: FieldError[] = [];
  if (!password)
    errors.push({ field, code: 'REQUIRED', message: '请设置本机密码（R-SECURE：本机数据须凭密码打开）' });
  else if (password.length < LOCAL_PASSWORD_MIN)
    errors.push({ field, code: 'TOO_SHORT', message: `本机密码至少 ${LOCAL_PASSWORD_MIN} 位` });
  else if (!/[A-Za-z]/.test(password) || !/\d/.test(password))
    errors.push({ field, code: 'WEAK', message: '本机密码须同时包含字母和数字' });
  else if (password.length > 128) errors.push({ field, code: 'TOO_LONG', message: '本机密码最多 128 位' });
  if (password && confirm !== password)
    errors.push({ field: `${field}Confirm`, code: 'MISMATCH', message: '两次输入的本机密码不一致' });
  return errors;
}

/** The idle time setting, in whole minutes. */
export function checkIdleMinutes(value: unknown): FieldError | null {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < MIN_IDLE_MINUTES ||
    value > MAX_IDLE_MINUTES
  )
    return {
      field: 'idleMinutes',
      code: 'RANGE',
      message: `无操作自动锁定的时间应为 ${MIN_IDLE_MINUTES}–${MAX_IDLE_MINUTES} 之间的整数分钟`,
    };
  return null;
}

/** Where the local password came from: set on this machine, or the last good login to the server. */
export type LockSource = 'local' | 'server';

/** The history event of a lock change (R-WHO): who and when, never the password or its hash. */
export function lockEvent(
  env: CommandEnv,
  schoolId: string,
  change: { kind: 'password'; source: LockSource } | { kind: 'idle'; before: number; after: number },
): EventDoc {
  return {
    id: env.newId(),
    schoolId,
    entity: 'org',
    entityId: schoolId,
    action: change.kind === 'password' ? 'local-password-set' : 'lock-settings',
    at: env.now(),
    by: env.actor.id,
    byName: env.actor.name,
    reason:
      change.kind === 'password'
        ? change.source === 'server'
          ? '本机密码改为最近一次登录省级平台的密码'
          : '设置本机密码'
        : `无操作自动锁定：${change.before} 分钟 → ${change.after} 分钟`,
    before: change.kind === 'idle' ? { idleMinutes: change.before } : {},
    after: change.kind === 'idle' ? { idleMinutes: change.after } : { localPassword: '（已设置）' },
  };
}
