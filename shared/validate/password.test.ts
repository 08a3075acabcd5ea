import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, passwordProblem } from './password';

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
