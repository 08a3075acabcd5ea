// `school-setup` and `demo-load`: the first start creates the local school profile (an org under its
// county) and the local settings, or a demo school whose roster comes from the same generator as
// `xueji seed`.
import type { EventDoc, OrgDoc, SchoolType } from '../domain/schemas';
import type { Student } from '../domain/student';
import { generateStudents } from '../seed/roster';
import type { Role, SyncUser } from '../sync/protocol';
import type { FieldError } from '../validate/fields';
import { type CommandEnv, type Decision, refuse } from './types';

/**
 * Who an installation was adopted for at its first download from the provincial server: kept with the
 * settings so that the desk (navigation, what may be done) stays the same offline and after 退出登录.
 */
export type DeskUser = Pick<SyncUser, 'id' | 'username' | 'role' | 'orgId' | 'orgPath' | 'classIds'>;

/** The settings local document (`settings`) of a school desk: one school per installation. */
export type LocalSettings = {
  schoolId: string;
  schoolType: SchoolType;
  operatorName: string;
  demo: boolean;
  /** the account the school was downloaded for (absent: a local profile or the demo school) */
  user?: DeskUser;
};

/**
 * The settings of a desk above the schools (a county or city bureau, the province, an inspector): the org
 * it serves. Its schools arrive by sync; there is no local profile of a bureau.
 */
export type AreaSettings = {
  kind: 'area';
  orgId: string;
  operatorName: string;
  demo: false;
  user: DeskUser;
};

/** What the `settings` local document holds: a school desk, or an area desk. */
export type InstallationSettings = LocalSettings | AreaSettings;

export function isAreaSettings(s: InstallationSettings): s is AreaSettings {
  return (s as Partial<AreaSettings>).kind === 'area';
}

/** The org an installation serves: its school, or the bureau / province of an area desk. */
export function installationOrgId(s: InstallationSettings): string {
  return isAreaSettings(s) ? s.orgId : s.schoolId;
}

/** Roles whose desk holds one school (the school's registrar and its counselors). */
export const SCHOOL_DESK_ROLES: ReadonlySet<Role> = new Set<Role>(['schoolAdmin', 'counselor']);

/** The part of a login's user an installation keeps. */
export function deskUserOf(user: SyncUser): DeskUser {
  const { id, username, role, orgId, orgPath, classIds } = user;
  return { id, username, role, orgId, orgPath, classIds: [...classIds] };
}

export type SchoolProfileInput = {
  name: string;
  /** 学校标识码: the national 10-digit school code */
  schoolCode: string;
  schoolType: SchoolType;
  countyName: string;
  /** 6-digit county division code, e.g. 410105 */
  countyCode: string;
  creditCode?: string;
  address?: string;
  head?: string;
  operatorName: string;
};

export type SchoolSetupDecision = Decision<{ orgs: OrgDoc[]; settings: LocalSettings; event: EventDoc }>;

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function decideSchoolSetup(input: SchoolProfileInput, env: CommandEnv): SchoolSetupDecision {
  const errors: FieldError[] = [];
  const t = (v: string | undefined) => v?.trim() ?? '';
  const need = (field: keyof SchoolProfileInput, label: string, max: number) => {
    const v = t(input[field] as string);
    if (!v) errors.push({ field, code: 'REQUIRED', message: `${label}不能为空` });
    else if (v.length > max) errors.push({ field, code: 'TOO_LONG', message: `${label}最多 ${max} 个字符` });
    return v;
  };
  const name = need('name', '学校名称', 100);
  const schoolCode = need('schoolCode', '学校标识码', 10);
  const countyName = need('countyName', '所在区县', 50);
  const countyCode = need('countyCode', '区县行政区划代码', 6);
  const operatorName = need('operatorName', '学籍管理员姓名', 50);
  if (schoolCode && !/^\d{10}$/.test(schoolCode))
    errors.push({ field: 'schoolCode', code: 'FORMAT', message: '学校标识码应为 10 位数字' });
  if (countyCode && !/^\d{6}$/.test(countyCode))
    errors.push({ field: 'countyCode', code: 'FORMAT', message: '区县行政区划代码应为 6 位数字，如 410105' });
  const creditCode = t(input.creditCode).toUpperCase();
  if (creditCode && !CREDIT_CODE.test(creditCode))
    errors.push({
      field: 'creditCode',
      code: 'FORMAT',
      message: '统一社会信用代码应为 18 位（数字和大写字母）',
    });
  if (input.schoolType !== 'vocational' && input.schoolType !== 'k12')
    errors.push({ field: 'schoolType', code: 'REQUIRED', message: '请选择学校类型（中职或中小学）' });
  if (errors.length > 0) return refuse(...errors);

  const at = env.now();
  const countyPath = `/${countyCode.slice(0, 2)}/${countyCode.slice(0, 4)}/${countyCode}/`;
  const county: OrgDoc = {
    id: countyCode,
    kind: 'county',
    name: countyName,
    parentId: countyCode.slice(0, 4),
    path: countyPath,
    updatedAt: at,
  };
  const school: OrgDoc = {
    id: schoolCode,
    kind: 'school',
    name,
    parentId: countyCode,
    path: `${countyPath}${schoolCode}/`,
    schoolType: input.schoolType,
    updatedAt: at,
  };
  if (creditCode) school.creditCode = creditCode;
  if (t(input.address)) school.address = t(input.address);
  if (t(input.head)) school.head = t(input.head);
  const settings: LocalSettings = {
    schoolId: schoolCode,
    schoolType: input.schoolType,
    operatorName,
    demo: false,
  };
  const event: EventDoc = {
    id: env.newId(),
    schoolId: schoolCode,
    entity: 'org',
    entityId: schoolCode,
    action: 'school-setup',
    at,
    by: env.actor.id,
    byName: env.actor.name,
    before: {},
    after: { ...school },
  };
  return { ok: true, orgs: [county, school], settings, event };
}

export const DEMO_SIZES = [200, 1500, 5000, 20_000] as const;
export const MAX_DEMO_STUDENTS = 50_000;

export type DemoInput = { students: number; seed: number; schoolType: SchoolType; operatorName: string };

/** The demo school: 郑州市金水区 with a seeded roster (same generator and defaults as `xueji seed`). */
export function decideDemoSchool(
  input: DemoInput,
  env: CommandEnv,
): Decision<{ orgs: OrgDoc[]; settings: LocalSettings; students: Student[]; event: EventDoc }> {
  if (!Number.isInteger(input.students) || input.students < 1 || input.students > MAX_DEMO_STUDENTS)
    return refuse({
      field: 'students',
      code: 'RANGE',
      message: `演示学生人数应为 1 到 ${MAX_DEMO_STUDENTS} 之间的整数`,
    });
  const vocational = input.schoolType === 'vocational';
  const profile = decideSchoolSetup(
    {
      name: vocational ? '郑州市金水区职业中等专业学校（演示）' : '郑州市金水区实验中学（演示）',
      schoolCode: vocational ? '4141010501' : '2141010502',
      schoolType: input.schoolType,
      countyName: '金水区',
      countyCode: '410105',
      address: '河南省郑州市金水区文化路 80 号',
      head: '王建国',
      operatorName: input.operatorName || '演示管理员',
    },
    env,
  );
  if (!profile.ok) return profile;
  const school = profile.orgs[1] as OrgDoc;
  const students = generateStudents({
    count: input.students,
    seed: input.seed,
    schoolType: input.schoolType,
    schoolId: school.id,
    orgPath: school.path,
    at: profile.event.at,
    by: env.actor.id,
    // the archive checks name a person, as archive-mark writes (R-WHO): the demo's operator, who is
    // the actor of every later command (before setup the actor is only a fallback)
    checkedByName: profile.settings.operatorName,
  });
  return {
    ok: true,
    orgs: profile.orgs,
    settings: { ...profile.settings, demo: true },
    students,
    event: {
      ...profile.event,
      action: 'demo-load',
      after: { ...school, students: input.students, seed: input.seed },
    },
  };
}
