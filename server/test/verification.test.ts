// Routine verification through the real server on PGlite and PostgreSQL: a bureau publishes, the roll calls
// the full-time students in scope, phones check in through the check-in API (every refusal case of the
// issue), results reach the right records and no one else's, closed windows become misses, R-MISS-2-4
// appears with its working-day due date, leave exempts, an upheld appeal takes the action away and restores
// the student, crafted pushes are refused. Each test file works in a fresh schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromChinaTime } from '../../shared/calendar/china';
import type { SyncDoc } from '../../shared/sync/protocol';
import { judgeCheckin, nextResult } from '../../shared/verification/checkin';
import type { LeaveDoc, ResultState, VerificationRecordDoc } from '../../shared/verification/schemas';
import { SERVER_EFFECTS } from '../app';
import { writeAsServer } from '../sync/store';
import { BACKENDS, dropSchema, makeEnv, pullAll, pushRows, serverDoc, type TestEnv } from './helpers';
import {
  CAMPUS_A,
  CAMPUS_C,
  checkin,
  issueAccounts,
  type People,
  phoneLogin,
  publish,
  seedVerification,
  taskFor,
} from './verification-helpers';

const bj = (local: string) => fromChinaTime(local) as string;
/** The refusal a push answer carries for its first row. */
const refusalOf = (r: { body: SyncDoc[] }) =>
  (r.body[0]?._refusal ?? { code: '', reason: '' }) as { code: string; reason: string };
const FAR = { lat: CAMPUS_A.lat + 0.02, lng: CAMPUS_A.lng };

type Account = { studentId: string; login: string; code: string; classId: string };

describe.each(BACKENDS)('routine verification on %s', (backend) => {
  let env: TestEnv;
  let p: People;
  /** phone tokens by student, with the (test) time they were issued: a phone token lives a day */
  const phones = new Map<string, { token: string; at: number }>();
  let accountsA: Account[] = [];
  let accountsC: Account[] = [];
  const at = (local: string) => {
    env.now.value = new Date(bj(local));
  };
  const recordsOf = async (who: keyof People | string) =>
    (await pullAll(env.app, p[who]?.token ?? '', 'verifications', 500)).docs.filter((d) => !d._deleted);
  const record = async (studentId: string) =>
    (
      await env.app.db.query<{ data: VerificationRecordDoc }>(
        `select data from docs where collection = 'verifications' and data->>'studentId' = $1 and data->>'termKey' = '2026-09-01'`,
        [studentId],
      )
    )[0]?.data;
  const phone = async (a: Account) => {
    const cached = phones.get(a.studentId);
    if (cached && env.now.value.getTime() - cached.at < 12 * 3_600_000) return cached.token;
    const token = await phoneLogin(env.app, a);
    phones.set(a.studentId, { token, at: env.now.value.getTime() });
    return token;
  };
  const fullTimeOf = async (school: string) =>
    (
      await env.app.db.query<{ id: string; class_id: string }>(
        `select id, class_id from docs where collection = 'students' and school_id = $1
            and data->>'status' = 'enrolled' and data->>'studyForm' = '1' order by id`,
        [school],
      )
    ).map((r) => r.id);
  const partTimeOf = async (school: string) =>
    (
      await env.app.db.query<{ id: string }>(
        `select id from docs where collection = 'students' and school_id = $1 and data->>'studyForm' = '2' order by id`,
        [school],
      )
    ).map((r) => r.id);

  beforeAll(async () => {
    env = await makeEnv(backend, {
      seed: false,
      auth: {
        loginPerMinutePerAddress: 10_000,
        loginPerMinutePerAccount: 1000,
        accessTokenSeconds: 400 * 86_400,
      },
      app: {
        verification: {
          tickMs: 0,
          flushDelayMs: 5,
          taskCacheMs: 0,
          limits: { checkinsPerMinutePerStudent: 1000 },
        },
      },
    });
    at('2026-09-15 07:00');
    p = await seedVerification(env.app);
    accountsA = await issueAccounts(env.app, p.adminVA as never);
    accountsC = await issueAccounts(env.app, p.adminVC as never);
  }, 180_000);

  afterAll(async () => {
    await env?.close();
    if (env?.schema) await dropSchema(env.schema);
  });

  it('a school issues its phone accounts: enrolled students only, codes once, a counselor cannot', async () => {
    expect(accountsA.length).toBe(100);
    expect(accountsA[0]?.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const stored = await env.app.db.query<{ code_hash: string }>(
      'select code_hash from student_accounts limit 1',
    );
    expect(stored[0]?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/verification/student-accounts',
      headers: { authorization: `Bearer ${p.teacherVA?.token}` },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe('学生核验账号由本校学籍管理员生成');
    const other = await env.app.inject({
      method: 'POST',
      url: '/api/verification/student-accounts',
      headers: { authorization: `Bearer ${p.adminVB?.token}` },
      payload: { studentIds: [accountsA[0]?.studentId] },
    });
    expect(other.statusCode).toBe(400);
  });

  it('a bureau publishes: the roll calls the full-time students in scope; everyone pulls only their share', async () => {
    const t1 = taskFor(p.countyA as never, {
      id: 'vt-1',
      schools: ['VA', 'VB'],
      start: bj('2026-09-15 08:00'),
      end: bj('2026-09-15 18:00'),
    });
    const r = await publish(env.app, p.countyA as never, t1);
    expect(r).toEqual({ status: 200, body: [] });
    const fullA = await fullTimeOf('VA');
    expect(fullA.length).toBe(90);
    const roll = await env.app.db.query<{ n: number }>(
      `select count(*)::int as n from verification_roll where task_id = 'vt-1'`,
    );
    expect(roll[0]?.n).toBe(126);
    const a = await recordsOf('adminVA');
    expect(a.filter((d) => d.kind === 'task').map((d) => d.id)).toEqual(['vt-1']);
    const recs = a.filter((d) => d.kind === 'record');
    expect(recs.length).toBe(90);
    expect(new Set(recs.map((d) => d.schoolId))).toEqual(new Set(['VA']));
    expect(recs.every((d) => (d.results as Record<string, { s: string }>)['vt-1']?.s === 'pending')).toBe(
      true,
    );
    for (const id of await partTimeOf('VA')) expect(recs.some((d) => d.studentId === id)).toBe(false);
    const teacher = await recordsOf('teacherVA');
    const myClass = p.teacherVA?.user.classIds[0];
    expect(teacher.filter((d) => d.kind === 'task').length).toBe(1);
    expect(teacher.filter((d) => d.kind === 'record').every((d) => d.classId === myClass)).toBe(true);
    expect(teacher.filter((d) => d.kind === 'record').length).toBe(
      (
        await env.app.db.query<{ n: number }>(
          `select count(*)::int as n from docs where collection = 'students' and school_id = 'VA' and data->>'classId' = $1 and data->>'studyForm' = '1'`,
          [myClass],
        )
      )[0]?.n,
    );
    expect(teacher.filter((d) => d.kind === 'record').length).toBeLessThan(45);
    expect((await recordsOf('adminVB')).filter((d) => d.kind === 'record').length).toBe(36);
    expect(await recordsOf('adminVC')).toEqual([]);
    expect(await recordsOf('cityB')).toEqual([]);
    for (const up of ['countyA', 'cityA', 'prov']) expect((await recordsOf(up)).length).toBe(127);
    // the history says who published, with the roll's size
    const [ev] = await env.app.db.query<{ data: SyncDoc }>(
      `select data from docs where collection = 'events' and data->>'entityId' = 'vt-1'`,
    );
    expect(ev?.data).toMatchObject({
      action: 'task-publish',
      by: p.countyA?.user.id,
      after: { called: 126, exempt: 0 },
    });
  });

  it('check-in: a pass inside the campus, a failure outside it, a replay, a duplicate after the pass', async () => {
    at('2026-09-15 09:00');
    const a = accountsA.find(
      (x) => x.classId === p.teacherVA?.user.classIds[0] && !x.login.startsWith('x'),
    ) as Account;
    const token = await phone(a);
    const fail = await checkin(env.app, token, 'vt-1', { checkinId: 'attempt-0001', ...FAR });
    expect(fail.status).toBe(201);
    expect(fail.body).toMatchObject({
      replay: false,
      attempt: { outcome: 'fail', code: 'OUTSIDE' },
      result: { state: 'failed', attempts: 1 },
    });
    expect(String((fail.body.attempt as { reason: string }).reason)).toContain(
      '不在学校备案的办学地址范围内',
    );
    const pass = await checkin(env.app, token, 'vt-1', {
      checkinId: 'attempt-0002',
      ...CAMPUS_A,
      accuracy: 20,
    });
    expect(pass.body).toMatchObject({
      attempt: { outcome: 'pass', distanceM: 0 },
      result: { state: 'passed', attempts: 2 },
    });
    const replay = await checkin(env.app, token, 'vt-1', { checkinId: 'attempt-0002', ...FAR });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      replay: true,
      attempt: { outcome: 'pass' },
      result: { state: 'passed', attempts: 2 },
    });
    const again = await checkin(env.app, token, 'vt-1', { checkinId: 'attempt-0003', ...FAR });
    expect(again.body).toMatchObject({
      attempt: { outcome: 'fail' },
      result: { state: 'passed', attempts: 3 },
    });
    const rows = await env.app.db.query<{ n: number }>(
      `select count(*)::int as n from checkins where student_id = $1`,
      [a.studentId],
    );
    expect(rows[0]?.n).toBe(3);
    await env.app.verification.flush();
    expect((await record(a.studentId))?.results['vt-1']).toMatchObject({
      s: 'passed',
      n: 3,
      d: 0,
      at: bj('2026-09-15 09:00'),
    });
    // the counselor of the class sees it; the other school does not
    const mine = await recordsOf('teacherVA');
    expect(mine.find((d) => d.studentId === a.studentId)?.results).toMatchObject({ 'vt-1': { s: 'passed' } });
  });

  it('wrong window, wrong clock, bad input: refused with a reason, nothing half written', async () => {
    const future = taskFor(p.countyA as never, {
      id: 'vt-later',
      schools: ['VA'],
      start: bj('2026-09-16 08:00'),
      end: bj('2026-09-16 18:00'),
    });
    expect((await publish(env.app, p.countyA as never, future)).body).toEqual([]);
    const a = accountsA[1] as Account;
    const token = await phone(a);
    const early = await checkin(env.app, token, 'vt-later', { checkinId: 'early-0001', ...CAMPUS_A });
    expect(early.body).toMatchObject({
      attempt: { outcome: 'fail', code: 'NOT_STARTED' },
      result: { state: 'failed' },
    });
    // the county withdraws it again (a cancelled task counts for nothing)
    const master = (await recordsOf('countyA')).find((d) => d.id === 'vt-later') as SyncDoc;
    const cancel = { ...master, status: 'cancelled', cancelReason: '改期', updatedBy: p.countyA?.user.id };
    expect(
      (
        await pushRows(
          env.app,
          p.countyA?.token ?? '',
          [{ assumedMasterState: master, newDocumentState: cancel }],
          'verifications',
        )
      ).body,
    ).toEqual([]);
    const skew = await checkin(env.app, token, 'vt-1', {
      checkinId: 'skew-00001',
      ...CAMPUS_A,
      at: bj('2026-09-15 09:30'),
    });
    expect(skew.body).toMatchObject({ attempt: { outcome: 'fail', code: 'CLOCK' } });
    for (const bad of [
      { checkinId: 'x', ...CAMPUS_A },
      { checkinId: 'bad-input-01', lat: 200, lng: 1 },
      { checkinId: 'bad-input-02', lat: 'north', lng: 1 },
      { checkinId: 'bad-input-03', ...CAMPUS_A, accuracy: -1 },
    ]) {
      const r = await checkin(env.app, token, 'vt-1', bad as never);
      expect(r.status).toBe(400);
      expect(String(r.body.message)).toMatch(/checkinId|lat|accuracy/);
    }
  });

  it('another school’s task, a student not in scope, an unknown task: 404 with the same words', async () => {
    const c = accountsC[0] as Account;
    const other = await checkin(env.app, await phone(c), 'vt-1', { checkinId: 'other-0001', ...CAMPUS_C });
    expect(other).toMatchObject({
      status: 404,
      body: { message: '没有这个核验任务，或你不在本次核验范围内' },
    });
    const partTime = (await partTimeOf('VA'))[0] as string;
    const pt = accountsA.find((x) => x.studentId === partTime) as Account;
    const notCalled = await checkin(env.app, await phone(pt), 'vt-1', {
      checkinId: 'pt-000001',
      ...CAMPUS_A,
    });
    expect(notCalled).toMatchObject({
      status: 404,
      body: { message: '没有这个核验任务，或你不在本次核验范围内' },
    });
    const unknown = await checkin(env.app, await phone(pt), 'vt-none', {
      checkinId: 'pt-000002',
      ...CAMPUS_A,
    });
    expect(unknown.body.message).toBe(other.body.message);
    const none = await env.app.db.query<{ n: number }>(
      `select count(*)::int as n from checkins where student_id = any($1::text[])`,
      [[c.studentId, pt.studentId]],
    );
    expect(none[0]?.n).toBe(0);
  });

  it('a student token does nothing on the sync API, a sync token nothing on the check-in API', async () => {
    const token = await phone(accountsA[0] as Account);
    for (const url of [
      '/api/sync/students/pull',
      '/api/sync/verifications/pull',
      '/api/auth/me',
      '/api/devices',
    ])
      expect(
        (await env.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }))
          .statusCode,
      ).toBe(401);
    const push = await env.app.inject({
      method: 'POST',
      url: '/api/sync/verifications/push',
      headers: { authorization: `Bearer ${token}` },
      payload: [],
    });
    expect(push.statusCode).toBe(401);
    const admin = p.adminVA?.token;
    const r = await checkin(env.app, admin ?? '', 'vt-1', { checkinId: 'admin-0001', ...CAMPUS_A });
    expect(r.status).toBe(401);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/checkin/tasks',
          headers: { authorization: `Bearer ${admin}` },
        })
      ).statusCode,
    ).toBe(401);
    const bad = await env.app.inject({
      method: 'POST',
      url: '/api/checkin/login',
      payload: { login: accountsA[0]?.login, code: 'AAAA-AAAA-AAAA-AAAA' },
    });
    const unknown = await env.app.inject({
      method: 'POST',
      url: '/api/checkin/login',
      payload: { login: 'G000', code: 'AAAA-AAAA-AAAA-AAAA' },
    });
    expect([bad.statusCode, bad.json().message]).toEqual([401, '账号或激活码错误']);
    expect(unknown.json()).toEqual(bad.json());
  });

  it('a reissued code or a disabled account ends the phone session at once', async () => {
    const a = accountsA[2] as Account;
    const token = await phone(a);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/checkin/tasks',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(200);
    const [again] = await issueAccounts(env.app, p.adminVA as never, [a.studentId]);
    expect(again?.login).toBe(a.login);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/checkin/tasks',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(401);
    const fresh = await phoneLogin(env.app, again as Account);
    await env.app.inject({
      method: 'POST',
      url: '/api/verification/student-accounts/disable',
      headers: { authorization: `Bearer ${p.adminVA?.token}` },
      payload: { studentIds: [a.studentId] },
    });
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/checkin/tasks',
          headers: { authorization: `Bearer ${fresh}` },
        })
      ).statusCode,
    ).toBe(401);
    await issueAccounts(env.app, p.adminVA as never, [a.studentId]).then(([x]) => {
      accountsA[2] = x as Account;
      phones.delete(a.studentId);
    });
  });

  it('the roll update is exactly nextResult for every state and outcome', async () => {
    const a = accountsA[3] as Account;
    const token = await phone(a);
    let n = 0;
    for (const s of ['pending', 'failed', 'passed', 'exempt', 'appealUpheld'] as ResultState[])
      for (const where of [CAMPUS_A, FAR]) {
        await env.app.db.query(
          `update verification_roll set state = $3, attempts = 1, passed_at = null, last_at = null, last_code = null,
             last_distance = null where task_id = $1 and student_id = $2`,
          ['vt-1', a.studentId, s],
        );
        const r = await checkin(env.app, token, 'vt-1', {
          checkinId: `matrix-${String(n++).padStart(4, '0')}`,
          ...where,
        });
        const j = judgeCheckin(
          { start: bj('2026-09-15 08:00'), end: bj('2026-09-15 18:00'), status: 'published' },
          CAMPUS_A,
          where,
          env.now.value.getTime(),
        );
        const expected = nextResult({ s, n: 1 }, j, env.now.value.toISOString());
        expect(r.body.result).toEqual({ state: expected.s, attempts: expected.n });
      }
    await env.app.db.query(
      `update verification_roll set state = 'pending', attempts = 0 where task_id = 'vt-1' and student_id = $1`,
      [a.studentId],
    );
  });

  it('the window closes: the rest is missed; the second miss in a row raises R-MISS-2-4 due 5 working days later', async () => {
    at('2026-09-15 18:01');
    const { finalized } = await env.app.verification.tick();
    expect(finalized).toEqual(['vt-1']);
    const a = accountsA[4] as Account;
    expect((await record(a.studentId))?.results['vt-1']?.s).toBe('missed');
    // the second task: 29 September, before the National Day week
    at('2026-09-29 07:00');
    const t2 = taskFor(p.cityA as never, {
      id: 'vt-2',
      schools: ['VA'],
      start: bj('2026-09-29 08:00'),
      end: bj('2026-09-29 18:00'),
    });
    expect((await publish(env.app, p.cityA as never, t2)).body).toEqual([]);
    at('2026-09-29 18:00');
    await env.app.verification.tick();
    const r = await record(a.studentId);
    expect(r?.results['vt-2']?.s).toBe('missed');
    expect(r?.actions?.filter((x) => x.state === 'open' && x.rule === 'R-MISS-2-4')).toMatchObject([
      {
        rule: 'R-MISS-2-4',
        due: '2026-10-12',
        taskIds: ['vt-1', 'vt-2'],
        before: { status: 'enrolled', studyForm: '1' },
      },
    ]);
    // the student who passed vt-1 has no action
    const passer = accountsA.find(
      (x) => x.classId === p.teacherVA?.user.classIds[0] && !x.login.startsWith('x'),
    ) as Account;
    expect((await record(passer.studentId))?.actions ?? []).toEqual([]);
    // evaluated again (the daily run): nothing changes
    const before = await serverDoc(env.app, r?.id as string, 'verifications');
    await env.app.verification.daily(true);
    expect((await serverDoc(env.app, r?.id as string, 'verifications'))?.seq).toBe(before?.seq);
  });

  it('a school’s own roll call (联调测试) calls its students but never counts', async () => {
    at('2026-09-30 07:00');
    const own = taskFor(p.adminVA as never, {
      id: 'vt-own',
      schools: ['VA'],
      start: bj('2026-09-30 08:00'),
      end: bj('2026-09-30 09:00'),
    });
    expect(own.test).toBe(true);
    expect((await publish(env.app, p.adminVA as never, own)).body).toEqual([]);
    at('2026-09-30 09:00');
    await env.app.verification.tick();
    const a = accountsA[5] as Account;
    const r = await record(a.studentId);
    expect(r?.results['vt-own']?.s).toBe('missed');
    expect(
      r?.actions?.filter((x) => x.state === 'open' && x.rule === 'R-MISS-2-4').map((x) => x.taskIds),
    ).toEqual([['vt-1', 'vt-2']]);
    // it is not appealed either
    const ap = appealDoc('ap-own', a.studentId, ['vt-own']);
    const res = await pushRows(env.app, p.adminVA?.token ?? '', [{ newDocumentState: ap }], 'appeals');
    expect(String(res.body[0]?._refusal && (res.body[0]._refusal as { reason: string }).reason)).toContain(
      '联调测试',
    );
  });

  const appealDoc = (id: string, studentId: string, taskIds: string[]): SyncDoc => ({
    id,
    schoolId: 'VA',
    orgPath: '/41/4101/410101/VA/',
    studentId,
    taskIds,
    reason: '当天该生在校，手机定位故障，有班主任证明',
    via: 'school',
    status: 'submitted',
    submittedAt: env.now.value.toISOString(),
    submittedBy: p.adminVA?.user.id,
    updatedAt: env.now.value.toISOString(),
    updatedBy: p.adminVA?.user.id,
  });

  it('an upheld appeal takes the action away; after a change of study form it restores the student everywhere', async () => {
    at('2026-10-09 10:00');
    const a = accountsA[4] as Account;
    // the school handles R-MISS-2-4: the study form becomes part-time (applied as the workflow's approval does)
    const [student] = await env.app.db.query<{ data: SyncDoc }>(
      `select data from docs where collection = 'students' and id = $1`,
      [a.studentId],
    );
    await writeAsServer(
      env.app.db,
      'students',
      [{ ...(student?.data as SyncDoc), studyForm: '2' }],
      env.app.channel,
      'workflow',
      SERVER_EFFECTS,
    );
    let r = await record(a.studentId);
    expect(r?.actions?.[0]).toMatchObject({ state: 'done', closedHow: '已把学习形式变更为非全日制' });
    expect(r?.escalated).toMatchObject({ rule: 'R-MISS-2-4' });
    // the school appeals the second miss; a county bureau may not decide a city task's appeal
    at('2026-10-10 09:00');
    const ap = appealDoc('ap-1', a.studentId, ['vt-2']);
    expect(
      (await pushRows(env.app, p.adminVA?.token ?? '', [{ newDocumentState: ap }], 'appeals')).body,
    ).toEqual([]);
    const dup = await pushRows(
      env.app,
      p.adminVA?.token ?? '',
      [{ newDocumentState: { ...ap, id: 'ap-2' } }],
      'appeals',
    );
    expect(refusalOf(dup).reason).toContain('已有一件待决定的申诉');
    const decision = (who: keyof People, status: string) => ({
      ...ap,
      status,
      decidedAt: env.now.value.toISOString(),
      decidedBy: p[who]?.user.id,
      decidedByName: String(who),
      decidedOrgId: p[who]?.user.orgId,
      opinion: '经核实，该生当日在校，定位故障属实',
      updatedAt: env.now.value.toISOString(),
      updatedBy: p[who]?.user.id,
    });
    const [master] = (await pullAll(env.app, p.countyA?.token ?? '', 'appeals')).docs;
    const county = await pushRows(
      env.app,
      p.countyA?.token ?? '',
      [{ assumedMasterState: master, newDocumentState: decision('countyA', 'upheld') }],
      'appeals',
    );
    expect(refusalOf(county).reason).toContain('申诉由发起该次核验的教育行政部门或其上级决定');
    const city = await pushRows(
      env.app,
      p.cityA?.token ?? '',
      [{ assumedMasterState: master, newDocumentState: decision('cityA', 'upheld') }],
      'appeals',
    );
    expect(city.body).toEqual([]);
    r = await record(a.studentId);
    expect(r?.results['vt-2']?.s).toBe('appealUpheld');
    expect(r?.actions?.[0]?.restoredAt).toBeDefined();
    expect(r?.escalated).toBeUndefined();
    const restored = await serverDoc(env.app, a.studentId);
    expect(restored?.studyForm).toBe('1');
    const [ev] = await env.app.db.query<{ data: SyncDoc }>(
      `select data from docs where collection = 'events' and data->>'entityId' = $1 and data->>'action' = 'verification-restore'`,
      [a.studentId],
    );
    expect(ev?.data).toMatchObject({
      before: { studyForm: '2' },
      after: { studyForm: '1' },
      by: p.cityA?.user.id,
    });
    expect(String(ev?.data.reason)).toContain('R-APPEAL');
    // the restored state reaches the school's copy and the counselor does not get another class's student
    const schoolCopy = (await pullAll(env.app, p.adminVA?.token ?? '')).docs.find(
      (d) => d.id === a.studentId,
    );
    expect(schoolCopy?.studyForm).toBe('1');
    const appeals = (await pullAll(env.app, p.adminVB?.token ?? '', 'appeals')).docs;
    expect(appeals).toEqual([]);
  });

  it('leave on the phone, approved by the counselor: exempt from the open task (R-LEAVE-EXEMPT)', async () => {
    at('2026-10-13 07:00');
    const t3 = taskFor(p.countyA as never, {
      id: 'vt-3',
      schools: ['VA'],
      start: bj('2026-10-13 08:00'),
      end: bj('2026-10-14 18:00'),
    });
    expect((await publish(env.app, p.countyA as never, t3)).body).toEqual([]);
    const a = accountsA.find(
      (x) => x.classId === p.teacherVA?.user.classIds[0] && x !== accountsA[0],
    ) as Account;
    const token = await phone(a);
    const asked = await env.app.inject({
      method: 'POST',
      url: '/api/checkin/leaves',
      headers: { authorization: `Bearer ${token}` },
      payload: { requestId: 'leave-0001', from: '2026-10-13', to: '2026-10-15', reason: '发烧就医' },
    });
    expect(asked.json()).toMatchObject({ replay: false });
    expect(asked.statusCode).toBe(201);
    const leave = asked.json().leave as LeaveDoc;
    expect(leave).toMatchObject({ status: 'pending', via: 'phone', studentId: a.studentId });
    const replay = await env.app.inject({
      method: 'POST',
      url: '/api/checkin/leaves',
      headers: { authorization: `Bearer ${token}` },
      payload: { requestId: 'leave-0001', from: '2026-10-13', to: '2026-10-15', reason: '发烧就医' },
    });
    expect(replay.statusCode).toBe(200);
    const overlap = await env.app.inject({
      method: 'POST',
      url: '/api/checkin/leaves',
      headers: { authorization: `Bearer ${token}` },
      payload: { requestId: 'leave-0002', from: '2026-10-14', to: '2026-10-16', reason: '复查' },
    });
    expect(overlap.statusCode).toBe(400);
    // the counselor pulls it and approves it
    const pulled = (await pullAll(env.app, p.teacherVA?.token ?? '', 'leaves')).docs;
    const master = pulled.find((d) => d.id === leave.id) as SyncDoc;
    expect(master).toBeDefined();
    const approved = {
      ...master,
      status: 'approved',
      decidedAt: env.now.value.toISOString(),
      decidedBy: p.teacherVA?.user.id,
      decidedByName: '班主任',
      updatedAt: env.now.value.toISOString(),
      updatedBy: p.teacherVA?.user.id,
    };
    const res = await pushRows(
      env.app,
      p.teacherVA?.token ?? '',
      [{ assumedMasterState: master, newDocumentState: approved }],
      'leaves',
    );
    expect(res.body).toEqual([]);
    await env.app.verification.flush();
    expect((await record(a.studentId))?.results['vt-3']?.s).toBe('exempt');
    const events = await env.app.db.query<{ data: SyncDoc }>(
      `select data from docs where collection = 'events' and data->>'entityId' = $1 order by seq`,
      [leave.id],
    );
    expect(events.map((e) => e.data.action)).toEqual(['leave-request', 'leave-approve']);
    // a counselor of another class may not approve (the authority table)
    const other = accountsA.find((x) => x.classId !== p.teacherVA?.user.classIds[0]) as Account;
    const foreign: SyncDoc = {
      ...leave,
      id: 'lv-foreign',
      studentId: other.studentId,
      status: 'approved',
      via: 'desk',
      requestedBy: p.teacherVA?.user.id,
      decidedBy: p.teacherVA?.user.id,
      decidedAt: 'x',
      from: '2026-10-20',
      to: '2026-10-21',
    } as unknown as SyncDoc;
    const refused = await pushRows(
      env.app,
      p.teacherVA?.token ?? '',
      [{ newDocumentState: foreign }],
      'leaves',
    );
    expect(refusalOf(refused).code).toBe('OUT_OF_SCOPE');
  });

  it('crafted pushes are refused: records by a client, tasks by a counselor or for another county, edits of a task', async () => {
    at('2026-10-20 07:00');
    const forged: SyncDoc = {
      id: 'vr:forged:2026-09-01',
      kind: 'record',
      schoolId: 'VA',
      orgPath: '/41/4101/410101/VA/',
      studentId: accountsA[6]?.studentId,
      termKey: '2026-09-01',
      term: { start: '2026-09-01', end: '2027-01-22' },
      results: { 'vt-1': { s: 'passed' } },
      updatedAt: 'x',
      updatedBy: 'x',
    };
    const r1 = await pushRows(
      env.app,
      p.adminVA?.token ?? '',
      [{ newDocumentState: forged }],
      'verifications',
    );
    expect(refusalOf(r1).reason).toContain('核验结果由服务器');
    const counselorTask = taskFor(p.teacherVA as never, {
      id: 'vt-x',
      schools: ['VA'],
      start: bj('2026-10-20 08:00'),
      end: bj('2026-10-20 18:00'),
    });
    const r2 = await pushRows(
      env.app,
      p.teacherVA?.token ?? '',
      [{ newDocumentState: counselorTask as unknown as SyncDoc }],
      'verifications',
    );
    expect(refusalOf(r2).code).toBe('ROLE');
    const wide = taskFor(p.countyA as never, {
      id: 'vt-y',
      schools: ['VA', 'VC'],
      start: bj('2026-10-20 08:00'),
      end: bj('2026-10-20 18:00'),
    });
    const r3 = await pushRows(
      env.app,
      p.countyA?.token ?? '',
      [{ newDocumentState: wide as unknown as SyncDoc }],
      'verifications',
    );
    expect(refusalOf(r3).reason).toContain('学校“VC”不在本单位管辖范围内');
    // an own record's results: a school may not edit them
    const own = (await recordsOf('adminVA')).find((d) => d.kind === 'record') as SyncDoc;
    const r4 = await pushRows(
      env.app,
      p.adminVA?.token ?? '',
      [{ assumedMasterState: own, newDocumentState: { ...own, results: {} } }],
      'verifications',
    );
    expect(refusalOf(r4).code).toBe('WORKFLOW_FIELD');
    const task = (await recordsOf('countyA')).find((d) => d.id === 'vt-3') as SyncDoc;
    const r5 = await pushRows(
      env.app,
      p.countyA?.token ?? '',
      [{ assumedMasterState: task, newDocumentState: { ...task, end: bj('2026-10-30 18:00') } }],
      'verifications',
    );
    expect(refusalOf(r5).code).toBe('IMMUTABLE');
    const r6 = await pushRows(
      env.app,
      p.adminVA?.token ?? '',
      [{ assumedMasterState: task, newDocumentState: { ...task, status: 'cancelled', cancelReason: 'x' } }],
      'verifications',
    );
    expect(refusalOf(r6).code).toBe('ROLE');
    // nothing of the refused rows was written
    expect(await serverDoc(env.app, 'vr:forged:2026-09-01', 'verifications')).toBeUndefined();
    expect(await serverDoc(env.app, 'vt-y', 'verifications')).toBeUndefined();
    const roll = await env.app.db.query<{ n: number }>(
      `select count(*)::int as n from verification_roll where task_id in ('vt-x', 'vt-y')`,
    );
    expect(roll[0]?.n).toBe(0);
  });

  it('the issuer cancels a task before it ends: check-ins are refused from then on', async () => {
    at('2026-10-21 07:00');
    const t = taskFor(p.countyA as never, {
      id: 'vt-c',
      schools: ['VA'],
      start: bj('2026-10-21 08:00'),
      end: bj('2026-10-21 18:00'),
    });
    expect((await publish(env.app, p.countyA as never, t)).body).toEqual([]);
    const master = (await recordsOf('countyA')).find((d) => d.id === 'vt-c') as SyncDoc;
    const cancelled = {
      ...master,
      status: 'cancelled',
      cancelReason: '与期中考试冲突',
      cancelledAt: env.now.value.toISOString(),
      updatedAt: env.now.value.toISOString(),
      updatedBy: p.countyA?.user.id,
    };
    expect(
      (
        await pushRows(
          env.app,
          p.countyA?.token ?? '',
          [{ assumedMasterState: master, newDocumentState: cancelled }],
          'verifications',
        )
      ).body,
    ).toEqual([]);
    at('2026-10-21 09:00');
    const res = await checkin(env.app, await phone(accountsA[7] as Account), 'vt-c', {
      checkinId: 'cancel-0001',
      ...CAMPUS_A,
    });
    expect(res.body).toMatchObject({ attempt: { outcome: 'fail', code: 'CANCELLED' } });
    at('2026-10-21 18:30');
    await env.app.verification.tick();
    expect((await record((accountsA[7] as Account).studentId))?.results['vt-c']?.s).toBe('failed');
  });

  it('a burst: check-ins arriving together are written in batches, each judged alone; a resend at the same moment is recorded once; a disabled account is refused inside the batch', async () => {
    at('2026-10-22 07:00');
    const t = taskFor(p.countyA as never, {
      id: 'vt-burst',
      schools: ['VA'],
      start: bj('2026-10-22 08:00'),
      end: bj('2026-10-22 18:00'),
    });
    expect((await publish(env.app, p.countyA as never, t)).body).toEqual([]);
    at('2026-10-22 09:00');
    const full = new Set(await fullTimeOf('VA'));
    const called = accountsA.filter((a) => full.has(a.studentId));
    const partTime = accountsA.find((a) => !full.has(a.studentId)) as Account;
    const tokens = new Map<string, string>();
    for (const a of [...called, partTime]) tokens.set(a.studentId, await phone(a));
    const [twice, both, gone, ...rest] = called as [Account, Account, Account, ...Account[]];
    // the account of `gone` is disabled after its phone signed in: its token is still well signed
    await env.app.inject({
      method: 'POST',
      url: '/api/verification/student-accounts/disable',
      headers: { authorization: `Bearer ${p.adminVA?.token}` },
      payload: { studentIds: [gone.studentId] },
    });
    const send = (a: Account, id: string, where: { lat: number; lng: number }) =>
      checkin(env.app, tokens.get(a.studentId) ?? '', 'vt-burst', { checkinId: id, ...where });
    const answers = await Promise.all([
      ...rest.map((a, i) => send(a, `burst-${i}-00`, i % 3 === 0 ? FAR : CAMPUS_A)),
      send(twice, 'burst-twice-0', CAMPUS_A),
      send(twice, 'burst-twice-0', CAMPUS_A),
      send(both, 'burst-both-1', FAR),
      send(both, 'burst-both-2', CAMPUS_A),
      send(gone, 'burst-gone-0', CAMPUS_A),
      send(partTime, 'burst-pt-000', CAMPUS_A),
    ]);
    rest.forEach((a, i) => {
      const r = answers[i];
      expect([a.studentId, r?.status, r?.body.result]).toEqual([
        a.studentId,
        201,
        i % 3 === 0 ? { state: 'failed', attempts: 1 } : { state: 'passed', attempts: 1 },
      ]);
    });
    const [t1, t2, b1, b2, g, pt] = answers.slice(rest.length);
    expect([t1?.status, t2?.status].sort()).toEqual([200, 201]);
    expect([t1, t2].find((x) => x?.status === 200)?.body).toMatchObject({
      replay: true,
      attempt: { outcome: 'pass' },
      result: { state: 'passed', attempts: 1 },
    });
    expect([b1?.status, b2?.status]).toEqual([201, 201]);
    expect([b1?.body.result, b2?.body.result]).toContainEqual({ state: 'passed', attempts: 2 });
    expect(g?.status).toBe(401);
    expect(pt?.status).toBe(404);
    const rows = await env.app.db.query<{ student_id: string; n: number }>(
      `select student_id, count(*)::int as n from checkins where task_id = 'vt-burst' group by student_id`,
    );
    const n = new Map(rows.map((r) => [r.student_id, r.n]));
    expect([
      n.get(twice.studentId),
      n.get(both.studentId),
      n.get(gone.studentId),
      n.get(partTime.studentId),
    ]).toEqual([1, 2, undefined, undefined]);
    expect(rows.length).toBe(rest.length + 2);
    await env.app.verification.flush();
    expect((await record(both.studentId))?.results['vt-burst']).toMatchObject({ s: 'passed', n: 2 });
    expect((await record(rest[0]?.studentId ?? ''))?.results['vt-burst']).toMatchObject({
      s: 'failed',
      n: 1,
    });
    await issueAccounts(env.app, p.adminVA as never, [gone.studentId]).then(([x]) => {
      accountsA[accountsA.findIndex((a) => a.studentId === gone.studentId)] = x as Account;
      phones.delete(gone.studentId);
    });
  });
});
