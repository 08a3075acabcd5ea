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
  /** days from today to the due date, as dates in China (0 on the last day, negative once it is overdue) */
  daysLeft: number;
  /** the password must be changed now (overdue, or the server asked for it) */
  due: boolean;
  /** due within PASSWORD_WARN_DAYS: the app shows it */
  soon: boolean;
  /** what the person reads, e.g. "密码还有 5 天到期（2026年9月6日）" */
  message: string;
  /** the same in a few characters, for the header: "密码 5 天后到期", "密码已到期", "请修改初始密码" */
  label: string;
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
  const overdue = now.getTime() >= due.getTime();
  // Days as a person in China counts them (UTC+8), whatever the machine's time zone: from today's date
  // to the due date, so a password just changed has its 90 days and one due this evening is due today.
  const cnDay = (t: number) => Math.floor((t + 8 * 3_600_000) / DAY_MS);
  const daysLeft = cnDay(due.getTime()) - cnDay(now.getTime());
  const cn = new Date(due.getTime() + 8 * 3_600_000);
  const day = `${cn.getUTCFullYear()}年${cn.getUTCMonth() + 1}月${cn.getUTCDate()}日`;
  const message = mustChange
    ? '这是初始密码或管理员重置的密码，请先修改密码（R-SECURE）'
    : overdue
      ? `密码已于 ${day} 到期，请立即修改（R-SECURE：密码须定期修改，每 ${maxAgeDays} 天一次）`
      : daysLeft === 0
        ? `密码今天到期（${day}），请尽快修改（R-SECURE）`
        : `密码还有 ${daysLeft} 天到期（${day}），请及时修改（R-SECURE）`;
  const label = mustChange
    ? '请修改初始密码'
    : overdue
      ? '密码已到期'
      : daysLeft === 0
        ? '密码今天到期'
        : `密码 ${daysLeft} 天后到期`;
  return {
    dueAt: due.toISOString(),
    daysLeft: overdue ? Math.min(-1, daysLeft) : daysLeft,
    label,
    due: mustChange || overdue,
    soon: mustChange || overdue || daysLeft <= PASSWORD_WARN_DAYS,
    message,
  };
}

/** What a login says of its password (the server's answer, kept with the account on this machine). */
export type LoginPassword = {
  passwordChangedAt?: string;
  passwordMaxAgeDays?: number;
  /** the server asks for a change: an initial or reset password, or one past its maximum age */
  mustChangePassword?: boolean;
};

/**
 * R-SECURE: the age of a login's password as the app shows it. The server's mustChangePassword stands for
 * both an initial (or reset) password and one past its age; the date tells them apart, so an expired
 * password reads "密码已到期", not as an initial one. Null when the login gave no date and asks nothing.
 */
export function loginPasswordAge(login: LoginPassword, now: Date): PasswordAge | null {
  const maxAge = login.passwordMaxAgeDays ?? PASSWORD_MAX_AGE_DAYS;
  if (!login.passwordChangedAt)
    return login.mustChangePassword ? passwordAge(new Date(0).toISOString(), now, maxAge, true) : null;
  const age = passwordAge(login.passwordChangedAt, now, maxAge);
  if (age.due || !login.mustChangePassword) return age;
  return passwordAge(login.passwordChangedAt, now, maxAge, true);
}

/** R-SECURE: whether a password must be changed before anything else (the server's check). */
export function passwordDue(changedAt: string, now: Date, maxAgeDays: number, mustChange: boolean): boolean {
  return mustChange || passwordAge(changedAt, now, maxAgeDays).due;
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
