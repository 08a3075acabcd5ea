// Every change type through a real server (PGlite, HTTP, live stream) with school, bureau and province
// clients: RxDB clients in worker threads replicating students, change requests, history, conflicts and
// orgs. The four-party transfer between schools of two counties — started offline, pushed on reconnect —
// moves the student from one school's copy to the other's with its history; two bureau devices decide
// one step offline; each other type goes from the school's device through its route to approval, and
// every party's copy ends with the same request. The server's clock is the test's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/accounts';
import { type RunningServer, startServer } from '../../server/main';
import { writeAsServer } from '../../server/sync/store';
import type { Student } from '../../shared/domain/student';
import type { SyncDoc } from '../../shared/sync/protocol';
import { type Clock, newDraft, withDecision, withSubmission } from '../../shared/workflows/build';
import type { ChangeRequestDoc, ChangeType, WorkflowActor } from '../../shared/workflows/types';
import { wfOrgDocs, wfStudents } from '../fixtures/workflows';
import { type Device, device, eventually } from './support/device';

const ORGS = wfOrgDocs();
const org = (id: string) => ORGS.find((o) => o.id === id) as (typeof ORGS)[number];
const STUDENTS = [...wfStudents('H1', 16, 31), ...wfStudents('H2', 10, 32), ...wfStudents('V1', 12, 33)];
const PASSWORD = 'Passw0rd-test';
const BASE = Date.parse('2026-09-10T02:00:00.000Z');
const APPLICANT = { name: '王志刚', relation: '父亲', phone: '13803712345' };

type Who = { username: string; role: WorkflowActor['role']; orgId: string };
const PEOPLE: Record<string, Who> = {
  h1: { username: 'h1.admin', role: 'schoolAdmin', orgId: 'H1' },
  h2: { username: 'h2.admin', role: 'schoolAdmin', orgId: 'H2' },
  v1: { username: 'v1.admin', role: 'schoolAdmin', orgId: 'V1' },
  jinshui: { username: 'jinshui.a', role: 'bureau', orgId: '410105' },
  jinshui2: { username: 'jinshui.b', role: 'bureau', orgId: '410105' },
  zhongmou: { username: 'zhongmou', role: 'bureau', orgId: '410122' },
  city: { username: 'zz.city', role: 'bureau', orgId: '4101' },
  prov: { username: 'prov', role: 'province', orgId: '41' },
};

let server: RunningServer;
let started = 0;
const devices: Record<string, Device> = {};
const actors: Record<string, WorkflowActor> = {};
let n = 0;
const clock: Clock = {
  now: () => new Date(BASE + (Date.now() - started)).toISOString(),
  newId: () => `${(++n).toString(16).padStart(8, '0')}-it`,
};

const dev = (who: string): Device => {
  const d = devices[who];
  if (!d) throw new Error(`no device ${who}`);
  return d;
};
const get = (who: string, id: string) => dev(who).call<ChangeRequestDoc | null>('doc', 'changeRequests', id);
const put = (who: string, doc: ChangeRequestDoc) => dev(who).call('put', 'changeRequests', doc);
const studentOn = (who: string, id: string) => dev(who).call<Student | null>('doc', 'students', id);
/** Students already changed by an earlier test (each test takes its own). */
const used = new Set<string>();

/** Waits until `who`'s copy holds the request in a state `ok` accepts. */
const until = (who: string, id: string, ok: (r: ChangeRequestDoc) => boolean, what: string) =>
  eventually(
    () => get(who, id),
    (r) => r !== null && ok(r),
    `${who}: ${what}`,
  ) as Promise<ChangeRequestDoc>;

/** Decides the step waiting on `who`'s device, once its copy shows the request at `step`. */
async function decide(
  who: string,
  id: string,
  step: number,
  decision: 'approve' | 'reject' = 'approve',
  opinion = '同意',
) {
  const cur = await until(who, id, (r) => r.status === 'submitted' && r.step === step, `step ${step}`);
  await put(who, withDecision(cur, decision, opinion, actors[who] as WorkflowActor, clock));
}

beforeAll(async () => {
  started = Date.now();
  server = await startServer({ port: 0, now: () => new Date(BASE + (Date.now() - started)) });
  const db = server.app.db;
  await writeAsServer(db, 'orgs', ORGS as never, server.app.channel);
  await writeAsServer(db, 'students', STUDENTS as never, server.app.channel);
  for (const w of Object.values(PEOPLE))
    await createUser(
      db,
      {
        username: w.username,
        displayName: `${w.username}经办人`,
        password: PASSWORD,
        role: w.role,
        orgId: w.orgId,
      },
      new Date(BASE),
    );
  await Promise.all(
    Object.entries(PEOPLE).map(async ([key, w]) => {
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: w.username, password: PASSWORD, deviceId: `it-${key}-device` }),
      });
      const body = (await res.json()) as {
        token: string;
        user: { id: string; displayName: string; orgName: string; orgPath: string };
      };
      actors[key] = {
        id: body.user.id,
        name: body.user.displayName,
        role: w.role,
        orgId: w.orgId,
        orgName: body.user.orgName,
        orgPath: body.user.orgPath,
      };
      devices[key] = await device({
        name: key,
        url: server.url,
        token: body.token,
        userId: body.user.id,
        collections: ['students', 'syncIssues', 'changeRequests', 'events', 'orgs'],
      });
    }),
  );
  await Promise.all(Object.values(devices).map((d) => d.call('awaitInSync')));
}, 180_000);

afterAll(async () => {
  for (const d of Object.values(devices)) {
    await d.call('close').catch(() => {});
    await d.worker.terminate();
  }
  await server?.close();
});

describe('change requests through a real server with school, bureau and province devices', () => {
  it('a transfer between schools of two counties: started offline, four parties, the student changes copies', async () => {
    const st = STUDENTS.find((s) => s.schoolId === 'H1' && s.grade === '高二') as Student;
    used.add(st.id);
    expect(await studentOn('h1', st.id)).toMatchObject({ schoolId: 'H1' });
    expect(await studentOn('h2', st.id)).toBeNull();
    // the receiving school fills in and submits without a connection (the R-ONE lookup was made before)
    await devices.h2?.call('setOnline', false);
    const draft = newDraft(
      {
        type: 'transfer',
        school: org('H2'),
        transferIn: {
          student: { name: st.name, gender: st.gender, idNo: st.idNo, grade: '高二', classId: '' },
          fromSchoolId: 'H1',
          fromSchoolName: org('H1').name,
        },
        details: { toGrade: '高二', toClass: '高二(5)班' },
        reason: '父母工作调动至中牟县，户籍随迁',
        applicant: APPLICANT,
        appliedOn: '2026-09-08',
        proofs: [
          { kind: 'application', name: '转学申请.pdf', attachmentId: `H2:${'a'.repeat(64)}` },
          { kind: 'jobMove', name: '工作调动证明.pdf', attachmentId: `H2:${'b'.repeat(64)}` },
        ],
      },
      actors.h2 as WorkflowActor,
      ORGS,
      clock,
    );
    await put('h2', withSubmission(draft, '同意接收', actors.h2 as WorkflowActor, clock));
    expect(await get('zhongmou', draft.id)).toBeNull();
    await devices.h2?.call('setOnline', true);
    // the server completes the route and the student; the receiving bureau's copy gets it live
    const atBureau = await until(
      'zhongmou',
      draft.id,
      (r) => r.step === 1 && r.studentIds[0] === st.id,
      'submitted',
    );
    expect(atBureau.route.map((r) => r.orgId)).toEqual(['H2', '410122', 'H1', '410105']);
    await decide('zhongmou', draft.id, 1);
    await decide('h1', draft.id, 2);
    await decide('jinshui', draft.id, 3, 'approve', '同意转出');
    for (const who of ['h2', 'zhongmou', 'h1', 'jinshui', 'city', 'prov'])
      await until(who, draft.id, (r) => r.status === 'approved' && r.applied !== undefined, 'approved');
    // the student: now on the receiving school's copy, gone from the sending school's (its copy drops it)
    await eventually(
      () => studentOn('h2', st.id),
      (s) => s?.schoolId === 'H2' && s.classId === '高二(5)班',
      'student at H2',
    );
    await eventually(
      () => studentOn('h1', st.id),
      (s) => s === null,
      'student gone from H1',
    );
    await eventually(
      () => studentOn('jinshui', st.id),
      (s) => s === null,
      'student gone from the sending county',
    );
    await eventually(
      () => studentOn('zhongmou', st.id),
      (s) => s?.schoolId === 'H2',
      'student at the receiving county',
    );
    expect((await studentOn('city', st.id))?.schoolId).toBe('H2');
    // history: the transfer is on the student on both schools' copies
    const applied = (who: string) =>
      devices[who]
        ?.call<SyncDoc[]>('all', 'events')
        .then((es) => es.filter((e) => e.entityId === st.id && e.action === 'change-apply'));
    await eventually(
      () => applied('h2') as Promise<SyncDoc[]>,
      (es) => es.length === 1,
      'transfer event at H2',
    );
    await eventually(
      () => applied('h1') as Promise<SyncDoc[]>,
      (es) => es.length === 1,
      'transfer event at H1',
    );
    for (const d of Object.values(devices))
      expect((await d.call<string[]>('errors')).filter((e) => !e.includes('offline (simulated)'))).toEqual(
        [],
      );
  });

  it('two bureau devices decide one step offline: the first to reach the server decides, the other is kept late', async () => {
    const st = STUDENTS.find((s) => s.schoolId === 'H1' && s.grade === '高一') as Student;
    used.add(st.id);
    const d = newDraft(
      {
        type: 'suspension',
        school: org('H1'),
        students: [st],
        details: { startDate: '2026-09-10', endDate: '2027-01-22' },
        reason: '因病住院治疗',
        applicant: APPLICANT,
        appliedOn: '2026-09-09',
        proofs: [
          { kind: 'signedForm', name: '审批表.pdf', attachmentId: `H1:${'c'.repeat(64)}` },
          { kind: 'medical', name: '诊断证明.pdf', attachmentId: `H1:${'d'.repeat(64)}` },
        ],
      },
      actors.h1 as WorkflowActor,
      ORGS,
      clock,
    );
    await put('h1', withSubmission(d, '同意上报', actors.h1 as WorkflowActor, clock));
    const seen = await until('jinshui', d.id, (r) => r.step === 1, 'at bureau A');
    await until('jinshui2', d.id, (r) => r.step === 1, 'at bureau B');
    await devices.jinshui?.call('setOnline', false);
    await devices.jinshui2?.call('setOnline', false);
    await put('jinshui', withDecision(seen, 'approve', '同意休学', actors.jinshui as WorkflowActor, clock));
    await put(
      'jinshui2',
      withDecision(seen, 'reject', '请补充诊断证明原件', actors.jinshui2 as WorkflowActor, clock),
    );
    await devices.jinshui?.call('setOnline', true);
    await until('h1', d.id, (r) => r.status === 'approved', 'approved by A');
    await devices.jinshui2?.call('setOnline', true);
    // B's device meets A's decision; its conflict handler keeps it, adds its own, the server marks it late
    const final = await until('h1', d.id, (r) => r.decisions.length === 3, 'late decision arrived');
    expect(final.status).toBe('approved');
    expect(final.decisions.map((x) => [x.by, x.decision, x.late === true])).toEqual([
      [actors.h1?.id, 'approve', false],
      [actors.jinshui?.id, 'approve', false],
      [actors.jinshui2?.id, 'reject', true],
    ]);
    await until(
      'jinshui2',
      d.id,
      (r) => r.decisions.length === 3 && r.status === 'approved',
      'B sees who decided',
    );
    await eventually(
      () => studentOn('h1', st.id),
      (s) => s?.status === 'suspended',
      'suspended',
    );
  });

  type Case = {
    type: ChangeType;
    school: 'h1' | 'h2' | 'v1';
    pick: (s: Student) => boolean;
    details: Record<string, string>;
    proofs: ChangeRequestDoc['proofs'][number]['kind'][];
    route: string[];
    expect: (s: Student) => boolean;
    basis?: ChangeRequestDoc['basis'];
    items?: (s: Student) => ChangeRequestDoc['items'];
  };
  const CASES: Case[] = [
    {
      type: 'majorChange',
      school: 'v1',
      pick: () => true,
      details: { toMajor: '电子商务', effectiveDate: '2026-09-15' },
      proofs: ['application'],
      route: ['jinshui'],
      expect: (s) => s.major === '电子商务',
    },
    {
      type: 'repeat',
      school: 'h1',
      pick: (s) => s.grade === '高二',
      details: { toGrade: '高一', toClass: '高一(3)班' },
      proofs: ['application'],
      route: ['jinshui'],
      expect: (s) => s.grade === '高一',
    },
    {
      type: 'skip',
      school: 'h1',
      pick: (s) => s.grade === '高一',
      details: { toGrade: '高二', toClass: '高二(3)班' },
      proofs: ['application'],
      route: ['jinshui'],
      expect: (s) => s.grade === '高二',
    },
    {
      type: 'withdrawal',
      school: 'v1',
      pick: () => true,
      details: { leaveDate: '2026-09-12' },
      proofs: ['signedForm', 'application'],
      route: ['jinshui'],
      expect: (s) => s.status === 'withdrawn',
    },
    {
      type: 'cancellation',
      school: 'v1',
      pick: () => true,
      details: { cancelDate: '2026-09-12' },
      proofs: ['other'],
      route: ['jinshui'],
      expect: (s) => s.status === 'cancelled',
    },
    {
      type: 'death',
      school: 'h1',
      pick: (s) => s.grade === '高三',
      details: { deathDate: '2026-09-05' },
      proofs: ['signedForm', 'deathCertificate'],
      route: ['jinshui'],
      expect: (s) => s.status === 'deceased',
    },
    {
      type: 'abroad',
      school: 'h2',
      pick: (s) => s.grade === '高二',
      details: { destination: '新加坡', leaveDate: '2026-09-20' },
      proofs: ['signedForm', 'abroadProof'],
      route: ['zhongmou'],
      expect: (s) => s.status === 'abroad',
    },
    {
      type: 'graduation',
      school: 'h2',
      pick: (s) => s.grade === '高三',
      details: { graduationDate: '2026-06-30' },
      proofs: [],
      route: ['city'],
      expect: (s) => s.status === 'graduated',
    },
    {
      type: 'enrolment',
      school: 'v1',
      pick: () => true,
      details: { enrolDate: '2026-09-01' },
      proofs: ['enrolmentList'],
      route: [],
      expect: (s) => s.status === 'enrolled',
    },
    {
      type: 'infoChange',
      school: 'v1',
      pick: () => true,
      details: {},
      items: (s) => [
        { field: 'name', before: s.name, after: `${s.name.slice(0, 1)}颖瑶`, reason: '按户口簿更正' },
      ],
      proofs: ['idProof'],
      route: ['jinshui'],
      expect: (s) => s.name.endsWith('颖瑶'),
    },
  ];

  async function run(c: Case, st: Student) {
    const d = newDraft(
      {
        type: c.type,
        school: org(actors[c.school]?.orgId as string),
        students: [st],
        details: c.details,
        ...(c.items ? { items: c.items(st) } : {}),
        ...(c.basis ? { basis: c.basis } : {}),
        reason: `${c.type} 申请原因`,
        applicant: APPLICANT,
        appliedOn: '2026-09-09',
        proofs: c.proofs.map((k, i) => ({
          kind: k,
          name: `${k}.pdf`,
          attachmentId: `${st.schoolId}:${String(i).repeat(64)}`,
        })),
      },
      actors[c.school] as WorkflowActor,
      ORGS,
      clock,
    );
    await put(c.school, withSubmission(d, '同意上报', actors[c.school] as WorkflowActor, clock));
    for (const [i, who] of c.route.entries()) await decide(who, d.id, i + 1);
    await until(c.school, d.id, (r) => r.status === 'approved', `${c.type} approved`);
    return eventually(
      () => studentOn(c.school, st.id) as Promise<Student>,
      (s) => s !== null && c.expect(s),
      `${c.type} applied`,
    );
  }

  it.each(CASES.map((c) => [c.type, c] as const))(
    '%s: from the school’s device through its route to approval',
    async (_t, c) => {
      const st = STUDENTS.find(
        (s) =>
          s.schoolId === actors[c.school]?.orgId && !used.has(s.id) && c.pick(s) && s.status === 'enrolled',
      ) as Student;
      used.add(st.id);
      await run(c, st);
    },
  );

  it('suspension, then resumption into a lower grade (a 普通高中 student gets a new 学籍辅号)', async () => {
    const st = STUDENTS.find((s) => s.schoolId === 'H1' && s.grade === '高二' && !used.has(s.id)) as Student;
    used.add(st.id);
    await run(
      {
        type: 'suspension',
        school: 'h1',
        pick: () => true,
        details: { startDate: '2026-09-10', endDate: '2026-12-31' },
        proofs: ['signedForm', 'medical'],
        route: ['jinshui'],
        expect: (s) => s.status === 'suspended',
      },
      st,
    );
    const back = await run(
      {
        type: 'resumption',
        school: 'h1',
        pick: () => true,
        details: { resumeDate: '2026-09-20', toGrade: '高一', toClass: '高一(1)班' },
        proofs: ['signedForm', 'application'],
        route: ['jinshui'],
        expect: (s) => s.status === 'enrolled',
      },
      { ...st, status: 'suspended' },
    );
    expect(back.auxNo).toMatch(/^412026\d{6}$/);
    expect(back.auxNo).not.toBe(st.auxNo);
  });

  it('a study-form change for R-MISS-2-4, then its restore: escalated to the province (R-ESCALATE), re-applied state', async () => {
    const st = STUDENTS.find((s) => s.schoolId === 'V1' && !used.has(s.id) && s.studyForm === '1') as Student;
    used.add(st.id);
    await run(
      {
        type: 'studyFormChange',
        school: 'v1',
        pick: () => true,
        basis: { rule: 'R-MISS-2-4' },
        details: { toForm: '2', effectiveDate: '2026-09-15' },
        proofs: ['other'],
        route: ['jinshui'],
        expect: (s) => s.studyForm === '2',
      },
      st,
    );
    const all = (await devices.v1?.call<ChangeRequestDoc[]>('all', 'changeRequests')) ?? [];
    const change = all.find(
      (r) => r.type === 'studyFormChange' && r.studentIds.includes(st.id),
    ) as ChangeRequestDoc;
    const restored = await run(
      {
        type: 'restore',
        school: 'v1',
        pick: () => true,
        details: { restoreOf: change.id, appealNo: '豫教职成申〔2026〕12号' },
        proofs: ['appealDecision'],
        route: ['jinshui', 'prov'],
        expect: (s) => s.studyForm === '1',
      },
      { ...st, studyForm: '2' },
    );
    expect(restored.studyForm).toBe('1');
  });

  it('in the end every party’s copy holds the same requests as the server, none lost and none doubled', async () => {
    const ids = async (who: string) =>
      ((await devices[who]?.call<ChangeRequestDoc[]>('all', 'changeRequests')) ?? [])
        .map((r) => `${r.id}:${r.status}:${r.decisions.length}`)
        .sort();
    await Promise.all(Object.values(devices).map((d) => d.call('awaitInSync')));
    const city = await ids('city');
    expect(await ids('prov')).toEqual(city);
    expect((await ids('jinshui')).length + (await ids('zhongmou')).length).toBeGreaterThanOrEqual(
      city.length,
    );
    expect(city.every((x) => /:approved:/.test(x))).toBe(true);
  });
});
