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

/**
 * R-SECURE (YQ 三: 账户的密码要根据系统提示及时进行修改): a password is due for change this many days after it
 * was set. The server's default (server/auth/accounts.ts) is this value; a deployment may set another, and
 * its login answer says which (`passwordMaxAgeDays`).
 */
export const PASSWORD_MAX_AGE_DAYS = 90;
/** How many days before it is due the app starts saying so. */
export const PASSWORD_WARN_DAYS = 14;

export type PasswordAge = {
  /** when the password is due (ISO) */
  dueAt: string;
  /** whole days left until it is due (0 on the last day, negative once it is overdue) */
  daysLeft: number;
  /** the password must be changed now (overdue, or the server asked for it) */
  due: boolean;
  /** due within PASSWORD_WARN_DAYS: the app shows it */
  soon: boolean;
  /** what the person reads, e.g. "密码还有 5 天到期（2026年9月6日）" */
  message: string;
};

const DAY_MS = 86_400_000;

/**
 * R-SECURE: when the password set at `changedAt` is due under a maximum age of `maxAgeDays`, and what the
 * app says about it. `mustChange`: the server asked for a change (an initial or reset password).
 */
export function passwordAge(
  changedAt: string,
  now: Date,
  maxAgeDays: number = PASSWORD_MAX_AGE_DAYS,
  mustChange = false,
): PasswordAge {
  const changed = new Date(changedAt);
  const start = Number.isNaN(changed.getTime()) ? 0 : changed.getTime();
  const due = new Date(start + maxAgeDays * DAY_MS);
  const daysLeft = Math.floor((due.getTime() - now.getTime()) / DAY_MS);
  const overdue = now.getTime() >= due.getTime();
  // The day as a person in China reads it (UTC+8), whatever the machine's time zone.
  const cn = new Date(due.getTime() + 8 * 3_600_000);
  const day = `${cn.getUTCFullYear()}年${cn.getUTCMonth() + 1}月${cn.getUTCDate()}日`;
  const message = mustChange
    ? '这是初始密码或管理员重置的密码，请先修改密码（R-SECURE）'
    : overdue
      ? `密码已于 ${day} 到期，请立即修改（R-SECURE：密码须定期修改，每 ${maxAgeDays} 天一次）`
      : daysLeft === 0
        ? `密码今天到期（${day}），请尽快修改（R-SECURE）`
        : `密码还有 ${daysLeft} 天到期（${day}），请及时修改（R-SECURE）`;
  return {
    dueAt: due.toISOString(),
    daysLeft: overdue ? Math.min(-1, daysLeft) : daysLeft,
    due: mustChange || overdue,
    soon: mustChange || overdue || daysLeft <= PASSWORD_WARN_DAYS,
    message,
  };
}

/** Characters of generated passwords: no 0/O, 1/l/I and the like, so a slip is read without mistakes. */
const PASSWORD_LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const PASSWORD_DIGITS = '23456789';

/**
 * An initial password for an account slip (R-SECURE): 8 letters and 4 digits from unambiguous
 * characters (≈ 57 bits), made from random bytes the caller supplies (shared/ has no randomness of its own;
 * the server passes crypto.randomBytes(24)). Satisfies passwordProblem for any username.
 */
export function initialPassword(random: Uint8Array): string {
  if (random.length < 24) throw new Error('initialPassword needs 24 random bytes');
  // Two bytes per character, reduced modulo the alphabet: the bias of 65536 mod 47 is below 0.1 %.
  const pick = (alphabet: string, i: number) =>
    alphabet[(((random[2 * i] as number) << 8) | (random[2 * i + 1] as number)) % alphabet.length];
  let letters = '';
  for (let i = 0; i < 8; i++) letters += pick(PASSWORD_LETTERS, i);
  let digits = '';
  for (let i = 8; i < 12; i++) digits += pick(PASSWORD_DIGITS, i);
  return `${letters.slice(0, 4)}${digits.slice(0, 2)}${letters.slice(4)}${digits.slice(2)}`;
}
