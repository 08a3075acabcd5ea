// The demo province (`xueji server --demo`): one province, two cities, three counties, six schools
// (vocational and K-12) with a few hundred seeded students each, and accounts for every role.
import { randomBytes } from 'node:crypto';
import type { OrgDoc, SchoolType } from '../../shared/domain/schemas';
import { generateStudents } from '../../shared/seed/roster';
import type { Role } from '../../shared/sync/protocol';
import { createUser } from '../auth/accounts';
import type { Db } from '../store/db';
import { writeAsServer } from '../sync/store';
import { seedDemoChanges } from './changes';

export type DemoAccount = { username: string; password: string; role: Role; orgId: string; orgName: string };

type DemoOrg = Omit<OrgDoc, 'path' | 'updatedAt'> & { students?: number };

const AT = '2026-09-01T08:00:00.000+08:00';
const DEMO_TERM = { start: '2026-09-01', end: '2027-01-22', name: '2026—2027学年第一学期' };

export const DEMO_ORGS: readonly DemoOrg[] = [
  { id: '41', kind: 'province', name: '河南省教育厅' },
  { id: '4101', kind: 'city', name: '郑州市教育局', parentId: '41' },
  { id: '4103', kind: 'city', name: '洛阳市教育局', parentId: '41' },
  // Each county bureau publishes its schools' term (docs/rules.md: a bureau sets term dates).
  { id: '410105', kind: 'county', name: '金水区教育局', parentId: '4101', term: DEMO_TERM },
  { id: '410122', kind: 'county', name: '中牟县教育局', parentId: '4101', term: DEMO_TERM },
  { id: '410305', kind: 'county', name: '涧西区教育局', parentId: '4103', term: DEMO_TERM },
  {
    id: 'S41010501',
    kind: 'school',
    name: '郑州市金水区职业中等专业学校',
    parentId: '410105',
    schoolType: 'vocational',
    students: 320,
  },
  {
    id: 'S41010502',
    kind: 'school',
    name: '郑州市金水区第七十六中学',
    parentId: '410105',
    schoolType: 'k12',
    students: 300,
  },
  {
    id: 'S41012201',
    kind: 'school',
    name: '中牟县职业教育中心',
    parentId: '410122',
    schoolType: 'vocational',
    students: 280,
  },
  {
    id: 'S41012202',
    kind: 'school',
    name: '中牟县第一初级中学',
    parentId: '410122',
    schoolType: 'k12',
    students: 260,
  },
  {
    id: 'S41030501',
    kind: 'school',
    name: '洛阳市涧西区职业高级中学',
    parentId: '410305',
    schoolType: 'vocational',
    students: 300,
  },
  {
    id: 'S41030502',
    kind: 'school',
    name: '洛阳市东升第二中学',
    parentId: '410305',
    schoolType: 'k12',
    students: 240,
  },
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
  return DEMO_ORGS.map(({ students: _s, ...o }) => {
    const path = `${o.parentId ? paths.get(o.parentId) : '/'}${o.id}/`;
    paths.set(o.id, path);
    return { ...o, path, updatedAt: AT };
  });
}

export async function isSeeded(db: Db): Promise<boolean> {
  const [row] = await db.query(`select 1 from server_settings where key = 'demo_seeded'`);
  return row !== undefined;
}

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
      at: AT,
    });
    await writeAsServer(db, 'students', students as unknown as Record<string, unknown>[], channel);
  }

  const accounts: (DemoAccount & { displayName: string; classIds?: string[]; enforcementId?: string })[] = [];
  const add = (
    username: string,
    role: Role,
    orgId: string,
    displayName: string,
    extra: { classIds?: string[]; enforcementId?: string } = {},
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
  add('sheng.admin', 'province', '41', '省厅学籍管理员');
  add('zz.bureau', 'bureau', '4101', '郑州市教育局学籍科');
  add('ly.bureau', 'bureau', '4103', '洛阳市教育局学籍科');
  add('jinshui.bureau', 'bureau', '410105', '金水区教育局学籍股');
  add('zhongmou.bureau', 'bureau', '410122', '中牟县教育局学籍股');
  add('jianxi.bureau', 'bureau', '410305', '涧西区教育局学籍股');
  add('zz.inspector1', 'inspector', '4101', '王督学', { enforcementId: '豫教执 4101-0001' });
  add('zz.inspector2', 'inspector', '4101', '李督学', { enforcementId: '豫教执 4101-0002' });
  add('ly.inspector1', 'inspector', '4103', '赵督学', { enforcementId: '豫教执 4103-0001' });
  for (const o of DEMO_ORGS)
    if (o.kind === 'school') add(`${o.id.toLowerCase()}.admin`, 'schoolAdmin', o.id, `${o.name}学籍管理员`);
  // A counselor of the first school holds its first two classes.
  const [firstSchool] = DEMO_ORGS.filter((o) => o.kind === 'school');
  if (firstSchool) {
    const rows = await db.query<{ class_id: string }>(
      `select distinct class_id from docs where collection = 'students' and school_id = $1 order by class_id limit 2`,
      [firstSchool.id],
    );
    add(`${firstSchool.id.toLowerCase()}.counselor`, 'counselor', firstSchool.id, '班主任 陈老师', {
      classIds: rows.map((r) => r.class_id),
    });
  }
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
        },
        now,
      );
    }
    await tx.query(`insert into server_settings (key, value) values ('demo_seeded', $1)`, [
      now.toISOString(),
    ]);
  });
  await seedDemoChanges(db, channel, now);
  return accounts.map(({ username, password, role, orgId, orgName }) => ({
    username,
    password,
    role,
    orgId,
    orgName,
  }));
}
