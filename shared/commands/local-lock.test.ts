import { describe, expect, it } from 'vitest';
import { checkIdleMinutes, checkLocalPassword, DEFAULT_IDLE_MINUTES, lockEvent } from './local-lock';

const env = {
  actor: { id: 'local:王老师', name: '王老师' },
  now: () => '2026-09-01T08:00:00.000Z',
  newId: () => 'e-1',
};

describe('R-SECURE: the local password and the idle lock', () => {
  it('R-SECURE: a local password has 8+ characters with letters and digits, typed twice alike', () => {
    expect(checkLocalPassword('abc12345', 'abc12345')).toEqual([]);
    expect(checkLocalPassword('', '')[0]?.message).toContain('R-SECURE');
    expect(checkLocalPassword('abc123', 'abc123')[0]?.message).toBe('本机密码至少 8 位');
    expect(checkLocalPassword('abcdefgh', 'abcdefgh')[0]?.code).toBe('WEAK');
    expect(checkLocalPassword('abc12345', 'abc12346')).toEqual([
      { field: 'localPasswordConfirm', code: 'MISMATCH', message: '两次输入的本机密码不一致' },
    ]);
  });

  it('the idle time is a setting of whole minutes, 10 by default', () => {
    expect(DEFAULT_IDLE_MINUTES).toBe(10);
    expect(checkIdleMinutes(10)).toBeNull();
    expect(checkIdleMinutes(0)?.field).toBe('idleMinutes');
    expect(checkIdleMinutes(2.5)).not.toBeNull();
    expect(checkIdleMinutes('10')).not.toBeNull();
  });

  it('R-WHO: a lock change is an event that never holds the password', () => {
    const e = lockEvent(env, 'S1', { kind: 'password', source: 'local' });
    expect(e).toMatchObject({
      action: 'local-password-set',
      by: 'local:王老师',
      after: { localPassword: '（已设置）' },
    });
    expect(JSON.stringify(e)).not.toMatch(/abc|hash|salt/);
    expect(lockEvent(env, 'S1', { kind: 'idle', before: 10, after: 5 })).toMatchObject({
      action: 'lock-settings',
      before: { idleMinutes: 10 },
      after: { idleMinutes: 5 },
    });
  });
});
