import { describe, expect, it } from 'vitest';
import {
  initialPassword,
  loginPasswordAge,
  PASSWORD_MAX_LENGTH,
  passwordAge,
  passwordDue,
  passwordProblem,
} from './password';

describe('R-SECURE password policy (YQ 三)', () => {
  it('R-SECURE: accepts 8 or more characters with letters and digits', () => {
    expect(passwordProblem('Passw0rd')).toBeNull();
    expect(passwordProblem('abc12345')).toBeNull();
    expect(passwordProblem('学籍管理2026ab')).toBeNull();
    expect(passwordProblem('a1'.repeat(PASSWORD_MAX_LENGTH / 2))).toBeNull();
  });

  it('R-SECURE: refuses a short, a too long, a letters-only and a digits-only password', () => {
    expect(passwordProblem('short1')).toBe('新密码至少 8 位');
    expect(passwordProblem('a1'.repeat(PASSWORD_MAX_LENGTH / 2 + 1))).toBe('新密码最多 128 位');
    expect(passwordProblem('onlyletters')).toBe('新密码须同时包含字母和数字');
    expect(passwordProblem('1234567890')).toBe('新密码须同时包含字母和数字');
  });

  it('R-SECURE: refuses the username (any letter case) and the old password', () => {
    expect(passwordProblem('Admin1234', { username: 'admin1234' })).toBe('新密码不能与用户名相同');
    expect(passwordProblem('Passw0rd-x', { oldPassword: 'Passw0rd-x' })).toBe('新密码不能与原密码相同');
    expect(passwordProblem('Passw0rd-y', { username: 'adminA', oldPassword: 'Passw0rd-x' })).toBeNull();
  });
});

describe('R-SECURE password age (YQ 三: 密码要根据系统提示及时进行修改)', () => {
  const changed = '2026-06-01T02:00:00.000Z';
  it('R-SECURE: counts the days left until the maximum age and says when it is due', () => {
    const a = passwordAge(changed, new Date('2026-08-20T02:00:00Z'), 90);
    expect(a.dueAt).toBe('2026-08-30T02:00:00.000Z');
    expect(a.daysLeft).toBe(10);
    expect(a.soon).toBe(true);
    expect(a.due).toBe(false);
    expect(a.message).toBe('密码还有 10 天到期（2026年8月30日），请及时修改（R-SECURE）');
  });

  it('R-SECURE: is quiet long before the due date and insists once it is over', () => {
    expect(passwordAge(changed, new Date('2026-06-10T00:00:00Z'), 90).soon).toBe(false);
    const over = passwordAge(changed, new Date('2026-09-02T00:00:00Z'), 90);
    expect(over.due).toBe(true);
    expect(over.daysLeft).toBeLessThan(0);
    expect(over.message).toContain('已于 2026年8月30日 到期');
    expect(passwordAge(changed, new Date('2026-08-29T20:00:00Z'), 90).message).toContain('今天到期');
  });

  it('R-SECURE: an initial or reset password is due at once', () => {
    const a = passwordAge(changed, new Date('2026-06-01T03:00:00Z'), 90, true);
    expect(a.due).toBe(true);
    expect(a.message).toContain('请先修改密码');
  });

  it('R-SECURE: the header label says how soon, from 14 days before', () => {
    expect(passwordAge(changed, new Date('2026-08-20T02:00:00Z'), 90).label).toBe('密码 10 天后到期');
    expect(passwordAge(changed, new Date('2026-08-29T20:00:00Z'), 90).label).toBe('密码今天到期');
    expect(passwordAge(changed, new Date('2026-09-02T00:00:00Z'), 90).label).toBe('密码已到期');
    expect(passwordAge(changed, new Date('2026-08-16T02:00:00Z'), 90).label).toBe('密码 14 天后到期');
    expect(passwordAge(changed, new Date('2026-08-15T02:00:00Z'), 90).soon).toBe(false);
    expect(passwordAge(changed, new Date('2026-06-01T03:00:00Z'), 90, true).label).toBe('请修改初始密码');
  });

  it("R-SECURE: a login's password: an expired one is not read as an initial one", () => {
    const late = new Date('2026-09-02T00:00:00Z');
    // the server asks for the change of an expired password as of an initial one
    const expired = loginPasswordAge(
      { passwordChangedAt: changed, passwordMaxAgeDays: 90, mustChangePassword: true },
      late,
    );
    expect(expired?.label).toBe('密码已到期');
    expect(expired?.message).toContain('已于 2026年8月30日 到期');
    const initial = loginPasswordAge(
      { passwordChangedAt: changed, mustChangePassword: true },
      new Date(changed),
    );
    expect(initial?.label).toBe('请修改初始密码');
    expect(loginPasswordAge({ passwordChangedAt: changed, passwordMaxAgeDays: 30 }, late)?.due).toBe(true);
    expect(loginPasswordAge({}, late)).toBeNull();
    expect(loginPasswordAge({ mustChangePassword: true }, late)?.due).toBe(true);
  });

  it('R-SECURE: counts days by the dates in China: a password just changed has its 90 days', () => {
    expect(passwordAge(changed, new Date(changed), 90).daysLeft).toBe(90);
    // 23:59 and 00:00 in Beijing (UTC+8) on the day of the change and the next
    expect(passwordAge(changed, new Date('2026-06-01T15:59:00Z'), 90).daysLeft).toBe(90);
    expect(passwordAge(changed, new Date('2026-06-01T16:00:00Z'), 90).daysLeft).toBe(89);
  });

  it('R-SECURE: the server asks for the change from the due moment on, or when it asked for it', () => {
    expect(passwordDue(changed, new Date('2026-08-30T01:59:59Z'), 90, false)).toBe(false);
    expect(passwordDue(changed, new Date('2026-08-30T02:00:00Z'), 90, false)).toBe(true);
    expect(passwordDue(changed, new Date(changed), 90, true)).toBe(true);
  });

  it('R-SECURE: generated initial passwords follow the policy and use unambiguous characters', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 200; n++) {
      const bytes = Uint8Array.from({ length: 24 }, (_, i) => (n * 97 + i * 31 + ((n * i) % 251)) & 255);
      const p = initialPassword(bytes);
      expect(p).toMatch(/^[a-zA-Z]{4}\d{2}[a-zA-Z]{4}\d{2}$/);
      expect(p).not.toMatch(/[0O1lI]/);
      expect(passwordProblem(p, { username: 'anyone' })).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(() => initialPassword(new Uint8Array(8))).toThrow();
  });
});
