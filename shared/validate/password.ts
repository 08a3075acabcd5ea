// The password policy, once (R-SECURE, YQ 三: 账户的密码要根据系统提示及时进行修改，防止泄密). The server's
// password change and account creation, and the app's change-password form, all call passwordProblem.

/** Longest password accepted anywhere: bounds the work of one argon2 hash (a 30 MB "password" is a DoS). */
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_LENGTH = 8;

/** The rule as the change-password form states it under the field. */
export const PASSWORD_RULE_TEXT = `${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} 位，同时包含字母和数字，不能与用户名相同`;

export type PasswordContext = {
  /** the account's username: the password may not be it (in any letter case) */
  username?: string;
  /** the current password, when changing it: the new one must differ */
  oldPassword?: string;
};

/**
 * R-SECURE (YQ 三): a new password is 8–128 characters with letters and digits, not the username and
 * not the old password. Returns the Chinese reason, or null when the password is acceptable.
 */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `新密码至少 ${PASSWORD_MIN_LENGTH} 位`;
  if (password.length > PASSWORD_MAX_LENGTH) return `新密码最多 ${PASSWORD_MAX_LENGTH} 位`;
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '新密码须同时包含字母和数字';
  if (context.username && password.toLowerCase() === context.username.trim().toLowerCase())
    return '新密码不能与用户名相同';
  if (context.oldPassword !== undefined && password === context.oldPassword) return '新密码不能与原密码相同';
  return null;
}
