// Accounts administered for real (issue 11): within one's own area and below one's own level only — nobody
// grants a role above their own or outside their subtree. Bureaus create bureau users of the areas below
// them, inspectors (执法证号 and declared conflicts of interest, R-INSP-2 / R-INSP-RECUSE) and school admins; a
// school admin creates the school's counselors and assigns their classes (HN 三.2: 学校学籍管理员根据本校学生管理
// 实际增设若干学生辅导员（班主任）帐户，并为学生分配学生辅导员（班主任）). Pure: the server's account API and the
// app's account screens call the same functions.
import { type AuthDecision, type AuthUser, decide, type RowScope } from '../authority/relation';
import type { OrgKind } from '../domain/schemas';
import { ROLE_LABELS, type Role } from '../sync/protocol';

/** The level of each role: one acts at one's own org only on accounts of a lower level. */
export const ROLE_RANK: Record<Role, number> = {
  province: 5,
  bureau: 4,
  inspector: 3,
  schoolAdmin: 2,
  counselor: 1,
};

/** Which kinds of org each role's accounts belong to. */
export const ROLE_ORG_KINDS: Record<Role, readonly OrgKind[]> = {
  province: ['province'],
  bureau: ['city', 'county'],
  inspector: ['province', 'city', 'county'],
  schoolAdmin: ['school'],
  counselor: ['school'],
};

export const ACCOUNT_LIMITS = {
  usernameMin: 3,
  usernameMax: 40,
  displayName: 50,
  classes: 30,
  classId: 40,
  enforcementId: 40,
  conflicts: 200,
} as const;

/** What a person enters for an account (the form, a sheet row, the API body). */
export type AccountInput = {
  username?: string;
  displayName?: string;
  role?: Role;
  orgId?: string;
  /** counselor: the classes they hold (HN 三.2) */
  classIds?: string[];
  /** inspector: 执法证号 (R-INSP-2) */
  enforcementId?: string;
  /** inspector: the schools they declared a conflict of interest with (R-INSP-RECUSE), by org id */
  conflicts?: string[];
};

export const ACCOUNT_INPUT_FIELDS = [
  'username',
  'displayName',
  'role',
  'orgId',
  'classIds',
  'enforcementId',
  'conflicts',
] as const satisfies readonly (keyof AccountInput)[];

/** What may change on an existing account; role and org never do (the table's updateWorkflow: nobody). */
export const ACCOUNT_EDITABLE_FIELDS = ['displayName', 'classIds', 'enforcementId', 'conflicts'] as const;

export const ACCOUNT_FIELD_LABELS: Record<(typeof ACCOUNT_INPUT_FIELDS)[number], string> = {
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  orgId: '所属单位',
  classIds: '所带班级',
  enforcementId: '执法证号',
  conflicts: '申报回避的学校',
};

/** An account as the admin API shows it: never a password or its hash. */
export type AccountView = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgId: string;
  orgName: string;
  orgPath: string;
  classIds: string[];
  enforcementId: string | null;
  conflicts: string[];
  disabled: boolean;
  mustChangePassword: boolean;
  passwordChangedAt: string;
  createdAt: string;
  createdBy: string | null;
  lastSeenAt: string | null;
};

/** The org an account belongs to (or would), as the server knows it. */
export type AccountOrg = { id: string; kind: OrgKind; name: string; path: string; disabled?: boolean };

/** The scope of an account for the authority table: its org, and the account itself (`self`). */
export function accountScope(account: { id?: string; orgPath: string }): RowScope {
  return { owner: { path: account.orgPath }, ...(account.id ? { users: [account.id] } : {}) };
}

const refuse = (d: AuthDecision, code: string, reason: string): AuthDecision => ({
  ...d,
  allow: false,
  code,
  reason,
});

/**
 * Whether `actor` may create (or, with op 'update', edit, disable, enable or reset the password of) an account
 * of `role` at the org with path `orgPath`: the authority table's `users` row on the account's scope, then
 * the level rule — never on oneself, at one's own org only on roles below one's own, and a role only at the
 * kind of org it belongs to.
 */
export function decideAccountWrite(
  actor: AuthUser,
  op: 'create' | 'update',
  target: { id?: string; role: Role; orgPath: string; orgKind: OrgKind },
): AuthDecision {
  const d = decide(actor, 'users', op, accountScope(target));
  if (!d.allow) return d;
  if (target.id !== undefined && target.id === actor.id)
    return refuse(d, 'SELF', '不能在账号管理中修改自己的账号：请在“我的账号”中修改密码');
  if (!ROLE_ORG_KINDS[target.role].includes(target.orgKind))
    return refuse(
      d,
      'ROLE_ORG',
      `${ROLE_LABELS[target.role]}账号只能开设在${ROLE_ORG_KINDS[target.role].map((k) => ORG_KIND_NAMES[k]).join('或')}`,
    );
  if (target.orgPath === actor.orgPath && ROLE_RANK[target.role] >= ROLE_RANK[actor.role])
    return refuse(
      d,
      'LEVEL',
      target.role === actor.role
        ? target.role === 'province'
          ? `省级管理员账号由部署运维人员在服务器上开设和维护（见部署说明），不能由同级账号${op === 'create' ? '开设' : '修改、停用或重置密码'}`
          : `本单位的${ROLE_LABELS[target.role]}账号由上级单位开设和维护，不能由同级账号${op === 'create' ? '开设' : '修改、停用或重置密码'}`
        : `不能${op === 'create' ? '开设' : '管理'}比本人级别高的${ROLE_LABELS[target.role]}账号`,
    );
  return d;
}

const ORG_KIND_NAMES: Record<OrgKind, string> = {
  province: '省教育厅',
  city: '市教育局',
  county: '县（区）教育局',
  school: '学校',
};

/** The roles `actor` may give accounts at an org of `orgKind` and path `orgPath` (for the form's choices). */
export function grantableRoles(actor: AuthUser, org: { kind: OrgKind; path: string }): Role[] {
  return (Object.keys(ROLE_RANK) as Role[]).filter(
    (role) => decideAccountWrite(actor, 'create', { role, orgPath: org.path, orgKind: org.kind }).allow,
  );
}

export type AccountProblem = { field: string; code: string; message: string };

export type AccountContext = {
  /** the org the account belongs to (new: the chosen one; edit: its own) */
  org: AccountOrg;
  /** the stored account, for an edit */
  existing?: Pick<
    AccountView,
    'id' | 'username' | 'displayName' | 'role' | 'orgId' | 'classIds' | 'enforcementId' | 'conflicts'
  > | null;
  /** the classes known at the school (from its roster): a class not among them is a notice, not an error */
  knownClasses?: ReadonlySet<string>;
  /** the schools an inspector may declare a conflict with: those of the inspector's area, id → name */
  schoolsInArea?: ReadonlyMap<string, string>;
};

export type AccountValidation =
  | { ok: true; account: NormalizedAccount; notices: string[] }
  | { ok: false; problems: AccountProblem[]; notices: string[] };

export type NormalizedAccount = {
  username: string;
  displayName: string;
  role: Role;
  orgId: string;
  classIds: string[];
  enforcementId: string | null;
  conflicts: string[];
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const USERNAME = /^[a-z0-9][a-z0-9._-]*$/;

/** Whether a text holds a control character (C0, DEL, C1, line separators): never in an id, a name or a code. */
export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

/** An id the database may be asked about: 1–`max` characters without control characters (PostgreSQL refuses NUL). */
export function isSoundId(id: unknown, max = 100): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= max && !CONTROL.test(id);
}

/** Why a username cannot be used, or null: 3–40 lower-case letters, digits and . _ - (e.g. s41010501.admin). */
export function usernameProblem(username: string): string | null {
  const { usernameMin: min, usernameMax: max } = ACCOUNT_LIMITS;
  if (username.length < min || username.length > max) return `用户名应为 ${min}–${max} 个字符`;
  if (/[A-Z]/.test(username)) return '用户名只用小写字母（登录时区分大小写，小写不易输错）';
  if (!USERNAME.test(username)) return '用户名只能由小写字母、数字和 . _ - 组成，并以字母或数字开头';
  return null;
}

const isRole = (v: unknown): v is Role => typeof v === 'string' && v in ROLE_RANK;

function stringList(
  raw: unknown,
  field: string,
  label: string,
  maxItems: number,
  maxLength: number,
  problems: AccountProblem[],
): string[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ field, code: 'TYPE', message: `${label}应为列表` });
    return undefined;
  }
  if (raw.length > maxItems) {
    problems.push({
      field,
      code: 'TOO_MANY',
      message: `${label}最多 ${maxItems} 个（现有 ${raw.length} 个）`,
    });
    return undefined;
  }
  const out: string[] = [];
  for (const [i, v] of raw.entries()) {
    const s = typeof v === 'string' ? v.trim() : '';
    if (!s || s.length > maxLength || CONTROL.test(s)) {
      problems.push({
        field: `${field}[${i}]`,
        code: 'ITEM',
        message: `${label}第 ${i + 1} 项应为 1–${maxLength} 个字的文字`,
      });
      return undefined;
    }
    if (out.includes(s)) {
      problems.push({ field: `${field}[${i}]`, code: 'DUPLICATE', message: `${label}中“${s}”重复` });
      return undefined;
    }
    out.push(s);
  }
  return out;
}

/**
 * Validates an account as entered: a new one (`ctx.existing` absent: username, role and org required) or
 * an edit (role, org and username cannot change). Role-specific fields: classes for a counselor (at least
 * one), an enforcement ID for an inspector (R-INSP-2) and the schools of the inspector's area with a declared
 * conflict (R-INSP-RECUSE); other roles carry none of them.
 */
export function validateAccountInput(raw: unknown, ctx: AccountContext): AccountValidation {
  const problems: AccountProblem[] = [];
  const notices: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: [{ field: '', code: 'TYPE', message: '账号信息应为 JSON 对象' }], notices };
  const input = raw as Record<string, unknown>;
  for (const k of Object.keys(input))
    if (!(ACCOUNT_INPUT_FIELDS as readonly string[]).includes(k))
      problems.push({
        field: k.slice(0, 40),
        code: 'UNKNOWN_FIELD',
        message: `不认识的字段“${k.slice(0, 40)}”`,
      });
  const existing = ctx.existing ?? null;
  if (existing)
    for (const f of ['username', 'role', 'orgId'] as const)
      if (input[f] !== undefined && input[f] !== existing[f])
        problems.push({
          field: f,
          code: 'IMMUTABLE',
          message: `账号的${ACCOUNT_FIELD_LABELS[f]}不能修改：请停用该账号，另开新账号`,
        });

  let username = existing?.username ?? '';
  if (!existing) {
    const u = typeof input.username === 'string' ? input.username.trim() : '';
    if (!u) problems.push({ field: 'username', code: 'REQUIRED', message: '请填写用户名' });
    else {
      const p = usernameProblem(u);
      if (p) problems.push({ field: 'username', code: 'USERNAME', message: p });
      else username = u;
    }
  }
  const role = existing?.role ?? input.role;
  if (!isRole(role)) {
    problems.push({ field: 'role', code: 'REQUIRED', message: '请选择角色' });
    return { ok: false, problems, notices };
  }
  const orgId = existing?.orgId ?? (typeof input.orgId === 'string' ? input.orgId : '');
  if (!orgId) problems.push({ field: 'orgId', code: 'REQUIRED', message: '请选择所属单位' });
  if (!existing && ctx.org.disabled)
    problems.push({
      field: 'orgId',
      code: 'ORG_DISABLED',
      message: `“${ctx.org.name}”已停用，不能再开设账号`,
    });

  const rawName = 'displayName' in input ? input.displayName : undefined;
  let displayName = '';
  if (rawName === undefined && existing) displayName = existing.displayName;
  else if (typeof rawName !== 'string' || rawName.trim() === '')
    problems.push({ field: 'displayName', code: 'REQUIRED', message: '请填写姓名（或科室名称）' });
  else if (rawName.trim().length > ACCOUNT_LIMITS.displayName || CONTROL.test(rawName))
    problems.push({
      field: 'displayName',
      code: 'DISPLAY_NAME',
      message: `姓名最多 ${ACCOUNT_LIMITS.displayName} 个字，且不能含控制字符`,
    });
  else displayName = rawName.trim().replace(/\s+/g, ' ');

  const given = (k: 'classIds' | 'enforcementId' | 'conflicts') => k in input && input[k] !== undefined;
  let classIds = existing?.classIds ?? [];
  let enforcementId = existing?.enforcementId ?? null;
  let conflicts = existing?.conflicts ?? [];
  if (role === 'counselor') {
    if (given('classIds') || !existing) {
      const list = stringList(
        input.classIds,
        'classIds',
        '所带班级',
        ACCOUNT_LIMITS.classes,
        ACCOUNT_LIMITS.classId,
        problems,
      );
      if (list) {
        if (list.length === 0)
          problems.push({
            field: 'classIds',
            code: 'REQUIRED',
            message: '请为辅导员/班主任分配至少一个班级（HN 三.2）',
          });
        classIds = list;
        const unknown = ctx.knownClasses ? list.filter((c) => !ctx.knownClasses?.has(c)) : [];
        if (unknown.length > 0)
          notices.push(
            `本校花名册中还没有班级 ${unknown.map((c) => `“${c}”`).join('、')} 的学生：分到该班的学生会出现在此账号中`,
          );
      }
    }
  } else if (given('classIds') && Array.isArray(input.classIds) && input.classIds.length > 0)
    problems.push({ field: 'classIds', code: 'ROLE_FIELD', message: '只有辅导员/班主任账号分配班级' });

  if (role === 'inspector') {
    if (given('enforcementId') || !existing) {
      const e =
        typeof input.enforcementId === 'string' ? input.enforcementId.trim().replace(/\s+/g, ' ') : '';
      if (!e)
        problems.push({
          field: 'enforcementId',
          code: 'REQUIRED',
          message: '督查人员须有执法证号（R-INSP-2：现场检查须由持执法证件的人员进行）',
        });
      else if (e.length < 4 || e.length > ACCOUNT_LIMITS.enforcementId || CONTROL.test(e))
        problems.push({
          field: 'enforcementId',
          code: 'ENFORCEMENT_ID',
          message: `执法证号应为 4–${ACCOUNT_LIMITS.enforcementId} 个字符`,
        });
      else enforcementId = e;
    }
    if (given('conflicts')) {
      const list = stringList(
        input.conflicts,
        'conflicts',
        '申报回避的学校',
        ACCOUNT_LIMITS.conflicts,
        40,
        problems,
      );
      if (list) {
        const outside = ctx.schoolsInArea ? list.filter((id) => !ctx.schoolsInArea?.has(id)) : [];
        if (outside.length > 0)
          problems.push({
            field: 'conflicts',
            code: 'CONFLICT_SCHOOL',
            message: `申报回避的学校 ${outside.slice(0, 5).join('、')} 不是该督查人员所在辖区的学校（R-INSP-RECUSE 只涉及可能被抽中的学校）`,
          });
        else conflicts = list;
      }
    }
  } else {
    if (given('enforcementId') && input.enforcementId !== null && input.enforcementId !== '')
      problems.push({ field: 'enforcementId', code: 'ROLE_FIELD', message: '只有督查人员账号登记执法证号' });
    if (given('conflicts') && Array.isArray(input.conflicts) && input.conflicts.length > 0)
      problems.push({ field: 'conflicts', code: 'ROLE_FIELD', message: '只有督查人员申报回避的学校' });
  }
  if (problems.length > 0) return { ok: false, problems, notices };
  return {
    ok: true,
    account: { username, displayName, role, orgId, classIds, enforcementId, conflicts },
    notices,
  };
}
