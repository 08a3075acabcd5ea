// A small province for the verification tests: two vocational schools in one county (with registered
// campuses), a vocational school elsewhere, a K-12 school; accounts for every role; helpers that publish
// tasks, issue the students' phone accounts and check in through the documented API.
import { generateStudents } from '../../shared/seed/roster';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { VerificationTaskDoc } from '../../shared/verification/schemas';
import { newTask } from '../../shared/verification/task';
import type { XuejiServer } from '../app';
import { createUser } from '../auth/accounts';
import { writeAsServer } from '../sync/store';
import { login, PASSWORD, pushRows } from './helpers';

export const CAMPUS_A = { lat: 34.7466, lng: 113.6253, radiusM: 500 };
export const CAMPUS_B = { lat: 34.8, lng: 113.7, radiusM: 300 };
export const CAMPUS_C = { lat: 34.62, lng: 112.45, radiusM: 800 };
export const TERM = { start: '2026-09-01', end: '2027-01-22', name: '2026—2027学年第一学期' };

export const V_ORGS = [
  { id: '41', kind: 'province', name: '测试省教育厅' },
  { id: '4101', kind: 'city', name: '甲市教育局', parentId: '41' },
  { id: '410101', kind: 'county', name: '甲县教育局', parentId: '4101', term: TERM },
  {
    id: 'VA',
    kind: 'school',
    name: '甲县职业中专',
    parentId: '410101',
    schoolType: 'vocational',
    campus: CAMPUS_A,
  },
  {
    id: 'VB',
    kind: 'school',
    name: '甲县职教中心',
    parentId: '410101',
    schoolType: 'vocational',
    campus: CAMPUS_B,
  },
  { id: 'KA', kind: 'school', name: '甲县第一中学', parentId: '410101', schoolType: 'k12' },
  { id: '4102', kind: 'city', name: '乙市教育局', parentId: '41', term: TERM },
  {
    id: 'VC',
    kind: 'school',
    name: '乙市职业学校',
    parentId: '4102',
    schoolType: 'vocational',
    campus: CAMPUS_C,
  },
];
export const V_PATHS: Record<string, string> = {};
for (const o of V_ORGS) V_PATHS[o.id] = `${o.parentId ? V_PATHS[o.parentId] : '/'}${o.id}/`;

export type People = Record<string, { token: string; user: SyncUser }>;

/** Orgs, students (every tenth of a vocational school part-time), accounts; returns everyone logged in. */
export async function seedVerification(app: XuejiServer, students = 40, studentsOfA = 100): Promise<People> {
  await writeAsServer(
    app.db,
    'orgs',
    V_ORGS.map((o) => ({ ...o, path: V_PATHS[o.id], updatedAt: '2026-09-01T00:00:00.000Z' })),
    app.channel,
  );
  let seed = 31;
  for (const id of ['VA', 'VB', 'VC', 'KA']) {
    const docs = generateStudents({
      // VA has three classes (45 a class): class-scoped reads are tested there.
      count: id === 'VA' ? studentsOfA : students,
      seed: seed++,
      schoolId: id,
      orgPath: V_PATHS[id],
      schoolType: id === 'KA' ? 'k12' : 'vocational',
      // Every tenth student of a vocational school studies part-time (R-PART-TIME: not called).
    }).map((s, i) => (id === 'KA' ? s : { ...s, studyForm: i % 10 === 9 ? '2' : '1' }));
    await writeAsServer(app.db, 'students', docs as unknown as SyncDoc[], app.channel);
  }
  const [firstClass] = await app.db.query<{ class_id: string }>(
    `select min(class_id) as class_id from docs where collection = 'students' and school_id = 'VA'`,
  );
  const at = new Date('2026-09-01T00:00:00Z');
  const users: [string, SyncUser['role'], string, object?][] = [
    ['prov', 'province', '41'],
    ['cityA', 'bureau', '4101'],
    ['countyA', 'bureau', '410101'],
    ['cityB', 'bureau', '4102'],
    ['adminVA', 'schoolAdmin', 'VA'],
    ['adminVB', 'schoolAdmin', 'VB'],
    ['adminVC', 'schoolAdmin', 'VC'],
    ['teacherVA', 'counselor', 'VA', { classIds: [firstClass?.class_id ?? ''] }],
  ];
  for (const [username, role, orgId, extra] of users)
    await createUser(
      app.db,
      { username, displayName: username, password: PASSWORD, role, orgId, ...extra },
      at,
    );
  const people: People = {};
  for (const [username] of users) {
    const r = await login(app, username);
    people[username] = { token: r.token, user: r.user as unknown as SyncUser };
  }
  return people;
}

/** A task as the app's publish form builds it, for the schools given (fences from the seeded campuses). */
export function taskFor(
  who: { user: SyncUser },
  o: { id: string; schools: string[]; start: string; end: string; name?: string; classIds?: string[] },
): VerificationTaskDoc {
  const orgs = new Map(V_ORGS.map((x) => [x.id, { ...x, path: V_PATHS[x.id] }]));
  return newTask({
    id: o.id,
    user: who.user,
    issuerName: who.user.orgName,
    name: o.name ?? `核验 ${o.id}`,
    reason: '常态化核验',
    start: o.start,
    end: o.end,
    scope: { schoolIds: o.schools, ...(o.classIds ? { classIds: o.classIds } : {}) },
    org: (id) => orgs.get(id) as never,
    orgPath: who.user.orgPath,
    now: o.start,
  });
}

export async function publish(app: XuejiServer, who: { token: string }, task: VerificationTaskDoc) {
  return pushRows(app, who.token, [{ newDocumentState: task as unknown as SyncDoc }], 'verifications');
}

/** Issues the phone accounts of the admin's school (the codes are only in this answer). */
export async function issueAccounts(app: XuejiServer, admin: { token: string }, studentIds?: string[]) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/verification/student-accounts',
    headers: { authorization: `Bearer ${admin.token}` },
    payload: studentIds ? { studentIds } : {},
  });
  if (res.statusCode !== 200) throw new Error(`issue: ${res.statusCode} ${res.body}`);
  return (res.json() as { accounts: { studentId: string; login: string; code: string; classId: string }[] })
    .accounts;
}

export async function phoneLogin(app: XuejiServer, a: { login: string; code: string }) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/checkin/login',
    payload: { login: a.login, code: a.code },
  });
  if (res.statusCode !== 200) throw new Error(`phone login: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

export async function checkin(
  app: XuejiServer,
  token: string,
  taskId: string,
  body: { checkinId: string; lat: number; lng: number; accuracy?: number; at?: string },
) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/checkin/tasks/${encodeURIComponent(taskId)}/checkins`,
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}
