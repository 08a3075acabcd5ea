// The demo province (`xueji server --demo`): one province, two cities and five counties with schools of every
// kind the rules tell apart — vocational schools with registered campuses, public and private 普通高中, two
// provincial model schools, two enrolment zones in one city, 初中 and 小学 — seeded students, and accounts for
// every role: bureaus at both levels, inspectors with 执法证号 and declared conflicts of interest, a school admin
// per school and counselors with classes. So every later workflow can be tried: transfers across counties,
// 四不转 refusals (R-TX-4NO), verification geofences, inspections. The six schools and the accounts of the
// first demo keep their ids, names, student counts and usernames (tests and the README use them).
import { randomBytes } from 'node:crypto';
import type { OrgDoc, SchoolType } from '../../shared/domain/schemas';
import { generateStudents } from '../../shared/seed/roster';
import type { Role } from '../../shared/sync/protocol';
import { creditCodeCheckChar } from '../../shared/validate/credit-code';
import { createUser } from '../auth/accounts';
import type { Db } from '../store/db';
import { writeAsServer } from '../sync/store';
import { seedDemoChanges } from './changes';
import { seedDemoInspections } from './inspections';
import { seedVerificationDemo } from './verification';

export type DemoAccount = { username: string; password: string; role: Role; orgId: string; orgName: string };

type DemoOrg = Omit<OrgDoc, 'path' | 'updatedAt'> & {
  students?: number;
  /** the 学段 of a K-12 school's seeded pupils (shared/seed k12Level) */
  stage?: 'primary' | 'junior' | 'senior';
};

const AT = '2026-09-01T08:00:00.000+08:00';
const DEMO_TERM = { start: '2026-09-01', end: '2027-01-22', name: '2026—2027学年第一学期' };

/** 组织机构代码 (GB 11714): 8 characters and a check digit, weights 3 7 9 10 5 8 4 2, mod 11 ("X" for 10). */
function orgCode(serial: number): string {
  const body = String(serial).padStart(8, '0');
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, ch, i) => acc + Number(ch) * (weights[i] as number), 0);
  const c = 11 - (sum % 11);
  return `${body}${c === 10 ? 'X' : c === 11 ? '0' : String(c)}`;
}

/**
 * A demo 统一社会信用代码 that passes GB 32100: 12 (机构编制·事业单位) for public schools, 52 (民政·民办非企业单位) for
 * private ones, the county's division code, an organisation code and the computed check character.
 */
export function demoCreditCode(ownership: 'public' | 'private', division: string, serial: number): string {
  const first17 = `${ownership === 'public' ? '12' : '52'}${division}${orgCode(serial)}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
}

const school = (
  o: Omit<DemoOrg, 'kind' | 'creditCode' | 'schoolType'> & { division: string; serial: number },
): DemoOrg => {
  const { division, serial, ...rest } = o;
  return {
    ...rest,
    kind: 'school',
    schoolType: (o.level === 'vocational' ? 'vocational' : 'k12') satisfies SchoolType,
    creditCode: demoCreditCode(o.ownership ?? 'public', division, serial),
  };
};

/** Two enrolment zones of 郑州市 (R-TX-4NO: no transfers between high schools of one zone). */
export const DEMO_ZONES = {
  east: '郑州市区东部招生片区',
  west: '郑州市区西部招生片区',
  luoyang: '洛阳市区招生片区',
};

export const DEMO_ORGS: readonly DemoOrg[] = [
  { id: '41', kind: 'province', name: '河南省教育厅', address: '河南省郑州市金水区顺河路11号' },
  { id: '4101', kind: 'city', name: '郑州市教育局', parentId: '41', address: '郑州市中原区淮河西路10号' },
  { id: '4103', kind: 'city', name: '洛阳市教育局', parentId: '41', address: '洛阳市洛龙区开元大道218号' },
  // Each county bureau publishes its schools' term (docs/rules.md: a bureau sets term dates).
  { id: '410105', kind: 'county', name: '金水区教育局', parentId: '4101', term: DEMO_TERM },
  { id: '410122', kind: 'county', name: '中牟县教育局', parentId: '4101', term: DEMO_TERM },
  { id: '410305', kind: 'county', name: '涧西区教育局', parentId: '4103', term: DEMO_TERM },
  { id: '410103', kind: 'county', name: '二七区教育局', parentId: '4101', term: DEMO_TERM },
  { id: '410311', kind: 'county', name: '洛龙区教育局', parentId: '4103', term: DEMO_TERM },
  school({
    id: 'S41010501',
    name: '郑州市金水区职业中等专业学校',
    parentId: '410105',
    level: 'vocational',
    ownership: 'public',
    schoolingYears: 3,
    head: '张建国',
    address: '郑州市金水区文化路82号',
    campus: { lat: 34.7925, lng: 113.6671, radiusM: 400, address: '郑州市金水区文化路82号' },
    division: '410105',
    serial: 41600101,
    students: 320,
  }),
  school({
    id: 'S41010502',
    name: '郑州市金水区第七十六中学',
    parentId: '410105',
    level: 'junior',
    ownership: 'public',
    schoolingYears: 3,
    head: '李红梅',
    address: '郑州市金水区红专路100号',
    division: '410105',
    serial: 41600102,
    students: 300,
  }),
  school({
    id: 'S41012201',
    name: '中牟县职业教育中心',
    parentId: '410122',
    level: 'vocational',
    ownership: 'public',
    schoolingYears: 3,
    head: '王志强',
    address: '中牟县青年路东段',
    campus: { lat: 34.7186, lng: 113.9863, radiusM: 600, address: '中牟县青年路东段' },
    division: '410122',
    serial: 41600201,
    students: 280,
  }),
  school({
    id: 'S41012202',
    name: '中牟县第一初级中学',
    parentId: '410122',
    level: 'junior',
    ownership: 'public',
    schoolingYears: 3,
    head: '赵丽',
    address: '中牟县商都大道',
    division: '410122',
    serial: 41600202,
    students: 260,
  }),
  school({
    id: 'S41030501',
    name: '洛阳市涧西区职业高级中学',
    parentId: '410305',
    level: 'vocational',
    ownership: 'public',
    schoolingYears: 3,
    head: '刘伟',
    address: '洛阳市涧西区南昌路',
    campus: { lat: 34.6637, lng: 112.3995, radiusM: 500, address: '洛阳市涧西区南昌路' },
    division: '410305',
    serial: 41600301,
    students: 300,
  }),
  school({
    id: 'S41030502',
    name: '洛阳市东升第二中学',
    parentId: '410305',
    level: 'junior',
    ownership: 'public',
    schoolingYears: 3,
    head: '孙海燕',
    address: '洛阳市涧西区天津路',
    division: '410305',
    serial: 41600302,
    students: 240,
  }),
  // 二七区: two high schools of the eastern zone (one a provincial model school), a private one of the western
  // zone, a primary school.
  school({
    id: '3441010301',
    name: '郑州市第十一中学',
    parentId: '410103',
    level: 'senior',
    ownership: 'public',
    provincialModel: true,
    enrolmentZone: DEMO_ZONES.east,
    schoolingYears: 3,
    head: '陈志刚',
    address: '郑州市二七区大学路75号',
    division: '410103',
    serial: 41600401,
    students: 180,
    stage: 'senior',
  }),
  school({
    id: '3441010302',
    name: '郑州市二七区实验高级中学',
    parentId: '410103',
    level: 'senior',
    ownership: 'public',
    enrolmentZone: DEMO_ZONES.east,
    schoolingYears: 3,
    head: '周晓东',
    address: '郑州市二七区航海中路',
    division: '410103',
    serial: 41600402,
    students: 150,
    stage: 'senior',
  }),
  school({
    id: '3441010303',
    name: '郑州市二七区育才外国语高级中学',
    parentId: '410103',
    level: 'senior',
    ownership: 'private',
    enrolmentZone: DEMO_ZONES.west,
    schoolingYears: 3,
    head: '吴敏',
    address: '郑州市二七区嵩山南路',
    division: '410103',
    serial: 41600403,
    students: 120,
    stage: 'senior',
  }),
  school({
    id: '2141010304',
    name: '郑州市二七区大学路小学',
    parentId: '410103',
    level: 'primary',
    ownership: 'public',
    schoolingYears: 6,
    head: '郑小芳',
    address: '郑州市二七区大学路',
    division: '410103',
    serial: 41600404,
    students: 150,
    stage: 'primary',
  }),
  // 洛龙区: a provincial model school, a private high school, a vocational school, a primary school.
  school({
    id: '3441031101',
    name: '洛阳市第一高级中学',
    parentId: '410311',
    level: 'senior',
    ownership: 'public',
    provincialModel: true,
    enrolmentZone: DEMO_ZONES.luoyang,
    schoolingYears: 3,
    head: '马建军',
    address: '洛阳市洛龙区开元大道',
    division: '410311',
    serial: 41600501,
    students: 150,
    stage: 'senior',
  }),
  school({
    id: '3441031102',
    name: '洛阳市洛龙区新华外国语高级中学',
    parentId: '410311',
    level: 'senior',
    ownership: 'private',
    enrolmentZone: DEMO_ZONES.luoyang,
    schoolingYears: 3,
    head: '黄丽娟',
    address: '洛阳市洛龙区龙门大道',
    division: '410311',
    serial: 41600502,
    students: 100,
    stage: 'senior',
  }),
  school({
    id: '3641031103',
    name: '洛阳市洛龙区中等专业学校',
    parentId: '410311',
    level: 'vocational',
    ownership: 'public',
    schoolingYears: 3,
    head: '杨帆',
    address: '洛阳市洛龙区学子街',
    campus: { lat: 34.6187, lng: 112.4563, radiusM: 800, address: '洛阳市洛龙区学子街' },
    division: '410311',
    serial: 41600503,
    students: 160,
  }),
  school({
    id: '2141031104',
    name: '洛阳市洛龙区实验小学',
    parentId: '410311',
    level: 'primary',
    ownership: 'public',
    schoolingYears: 6,
    head: '林静',
    address: '洛阳市洛龙区通济街',
    division: '410311',
    serial: 41600504,
    students: 120,
    stage: 'primary',
  }),
];

function demoPassword(): string {
  // Letters and digits (the password policy), unambiguous characters only.
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = randomBytes(8);
  let word = '';
  for (const b of bytes) word += alphabet[b % alphabet.length];
  return `${word}${String(randomBytes(2).readUInt16BE() % 10000).padStart(4, '0')}`;
}

/** Builds the org documents with their paths. */
export function demoOrgDocs(): OrgDoc[] {
  const paths = new Map<string, string>();
  return DEMO_ORGS.map(({ students: _s, stage: _g, ...o }) => {
    const path = `${o.parentId ? paths.get(o.parentId) : '/'}${o.id}/`;
    paths.set(o.id, path);
    return { ...o, path, updatedAt: AT };
  });
}

export async function isSeeded(db: Db): Promise<boolean> {
  const [row] = await db.query(`select 1 from server_settings where key = 'demo_seeded'`);
  return row !== undefined;
}

type PlannedAccount = DemoAccount & {
  displayName: string;
  classIds?: string[];
  enforcementId?: string;
  conflicts?: string[];
};

/** Seeds the demo province; returns its accounts with their (random) passwords. */
export async function seedDemo(db: Db, channel: string, now: Date = new Date()): Promise<DemoAccount[]> {
  const orgs = demoOrgDocs();
  await writeAsServer(db, 'orgs', orgs as unknown as Record<string, unknown>[], channel);
  let seed = 1;
  for (const o of DEMO_ORGS) {
    if (o.kind !== 'school' || !o.students) continue;
    const path = orgs.find((x) => x.id === o.id)?.path ?? '';
    const students = generateStudents({
      count: o.students,
      seed: 1000 + seed++,
      schoolId: o.id,
      orgPath: path,
      schoolType: o.schoolType as SchoolType,
      k12Level: o.stage,
      at: AT,
    });
    await writeAsServer(db, 'students', students as unknown as Record<string, unknown>[], channel);
  }

  const accounts: PlannedAccount[] = [];
  const add = (
    username: string,
    role: Role,
    orgId: string,
    displayName: string,
    extra: { classIds?: string[]; enforcementId?: string; conflicts?: string[] } = {},
  ) => {
    const org = DEMO_ORGS.find((o) => o.id === orgId);
    accounts.push({
      username,
      password: demoPassword(),
      role,
      orgId,
      orgName: org?.name ?? orgId,
      displayName,
      ...extra,
    });
  };
  const classesOf = async (schoolId: string, n: number) =>
    (
      await db.query<{ class_id: string }>(
        `select distinct class_id from docs where collection = 'students' and school_id = $1 order by class_id limit $2`,
        [schoolId, n],
      )
    ).map((r) => r.class_id);
  add('sheng.admin', 'province', '41', '省厅学籍管理员');
  add('zz.bureau', 'bureau', '4101', '郑州市教育局学籍科');
  add('ly.bureau', 'bureau', '4103', '洛阳市教育局学籍科');
  add('jinshui.bureau', 'bureau', '410105', '金水区教育局学籍股');
  add('zhongmou.bureau', 'bureau', '410122', '中牟县教育局学籍股');
  add('jianxi.bureau', 'bureau', '410305', '涧西区教育局学籍股');
  // R-INSP-RECUSE: 李督学's spouse teaches at 七十六中, 赵督学 was head of 涧西职高 until last year.
  add('zz.inspector1', 'inspector', '4101', '王督学', { enforcementId: '豫教执 4101-0001' });
  add('zz.inspector2', 'inspector', '4101', '李督学', {
    enforcementId: '豫教执 4101-0002',
    conflicts: ['S41010502'],
  });
  add('ly.inspector1', 'inspector', '4103', '赵督学', {
    enforcementId: '豫教执 4103-0001',
    conflicts: ['S41030501'],
  });
  for (const o of DEMO_ORGS)
    if (o.kind === 'school' && o.id.startsWith('S'))
      add(`${o.id.toLowerCase()}.admin`, 'schoolAdmin', o.id, `${o.name}学籍管理员`);
  // A counselor of the first school holds its first two classes (the first counselor of the list: tests).
  add('s41010501.counselor', 'counselor', 'S41010501', '班主任 陈老师', {
    classIds: await classesOf('S41010501', 2),
  });
  // ---- added with the richer demo (issue 11) ----
  add('erqi.bureau', 'bureau', '410103', '二七区教育局学籍股');
  add('luolong.bureau', 'bureau', '410311', '洛龙区教育局学籍股');
  add('zz.inspector3', 'inspector', '4101', '孙督学', {
    enforcementId: '豫教执 4101-0003',
    conflicts: ['3441010301'],
  });
  add('ly.inspector2', 'inspector', '4103', '周督学', { enforcementId: '豫教执 4103-0002' });
  add('ly.inspector3', 'inspector', '4103', '吴督学', {
    enforcementId: '豫教执 4103-0003',
    conflicts: ['3441031102'],
  });
  for (const o of DEMO_ORGS)
    if (o.kind === 'school' && !o.id.startsWith('S'))
      add(`${o.id}.admin`, 'schoolAdmin', o.id, `${o.name}学籍管理员`);
  add('s41012201.counselor', 'counselor', 'S41012201', '班主任 刘老师', {
    classIds: await classesOf('S41012201', 2),
  });
  add('3441010301.counselor', 'counselor', '3441010301', '班主任 何老师', {
    classIds: await classesOf('3441010301', 1),
  });
  await db.transaction(async (tx) => {
    for (const a of accounts) {
      await createUser(
        tx,
        {
          username: a.username,
          displayName: a.displayName,
          password: a.password,
          role: a.role,
          orgId: a.orgId,
          classIds: a.classIds,
          enforcementId: a.enforcementId,
          conflicts: a.conflicts,
          createdBy: 'seed',
        },
        now,
      );
    }
    await tx.query(`insert into server_settings (key, value) values ('demo_seeded', $1)`, [
      now.toISOString(),
    ]);
  });
  await seedVerificationDemo(db, channel, now, orgs);
  await seedDemoChanges(db, channel, now);
  await seedDemoInspections(db, channel, now);
  return accounts.map(({ username, password, role, orgId, orgName }) => ({
    username,
    password,
    role,
    orgId,
    orgName,
  }));
}
