// Who may publish which task (HN 三.3, 三.4), the life of a leave (HN 三.5) and of an appeal (HN 四.2):
// the decisions the app checks before queueing and the server checks on every pushed row.
import { describe, expect, it } from 'vitest';
import type { OrgDoc } from '../domain/schemas';
import type { SyncUser } from '../sync/protocol';
import { appealChangeProblems, mayDecide, newAppealProblems } from './appeal';
import { leaveChangeProblems, newLeaveProblems } from './leave';
import type { AppealDoc, LeaveDoc, VerificationTaskDoc } from './schemas';
import { newTask, taskProblems, taskUpdateProblems } from './task';

const campus = { lat: 34.7, lng: 113.6, radiusM: 500 };
const ORGS: OrgDoc[] = [
  { id: '41', kind: 'province', name: '省教育厅', path: '/41/', updatedAt: 'x' },
  { id: '4101', kind: 'city', name: '甲市教育局', path: '/41/4101/', parentId: '41', updatedAt: 'x' },
  {
    id: '410101',
    kind: 'county',
    name: '甲县教育局',
    path: '/41/4101/410101/',
    parentId: '4101',
    updatedAt: 'x',
  },
  {
    id: 'VA',
    kind: 'school',
    name: '甲县职专',
    path: '/41/4101/410101/VA/',
    schoolType: 'vocational',
    campus,
    updatedAt: 'x',
  },
  {
    id: 'VN',
    kind: 'school',
    name: '甲县职教中心',
    path: '/41/4101/410101/VN/',
    schoolType: 'vocational',
    updatedAt: 'x',
  },
  {
    id: 'KA',
    kind: 'school',
    name: '甲县一中',
    path: '/41/4101/410101/KA/',
    schoolType: 'k12',
    campus,
    updatedAt: 'x',
  },
  {
    id: 'VC',
    kind: 'school',
    name: '乙市职校',
    path: '/41/4102/VC/',
    schoolType: 'vocational',
    campus,
    updatedAt: 'x',
  },
];
const org = (id: string) => ORGS.find((o) => o.id === id);
const user = (id: string, role: SyncUser['role'], orgId: string): SyncUser => ({
  id,
  username: id,
  displayName: id,
  role,
  orgId,
  orgName: org(orgId)?.name ?? orgId,
  orgPath: org(orgId)?.path ?? '/',
  classIds: [],
});
const county = user('c1', 'bureau', '410101');
const schoolAdmin = user('a1', 'schoolAdmin', 'VA');
const NOW = Date.parse('2026-10-09T00:00:00.000Z');

function draft(
  who: SyncUser,
  schools: string[],
  over: Partial<VerificationTaskDoc> = {},
): VerificationTaskDoc {
  return {
    ...newTask({
      id: 'vt-1',
      user: who,
      issuerName: who.orgName,
      name: '十月核验',
      start: '2026-10-09T00:00:00.000Z',
      end: '2026-10-09T10:00:00.000Z',
      scope: { schoolIds: schools },
      org,
      orgPath: who.orgPath,
      now: '2026-10-09T00:00:00.000Z',
    }),
    ...over,
  };
}
const problems = (t: VerificationTaskDoc, who: SyncUser) =>
  taskProblems(t, { user: who, org, now: NOW }).map((p) => `${p.field}: ${p.message}`);

describe('publishing a task', () => {
  it('a bureau publishes for its vocational schools; the fences come from their campus', () => {
    const t = draft(county, ['VA']);
    expect(t.fences).toEqual({ VA: campus });
    expect(t.issuer).toBe('bureau');
    expect(problems(t, county)).toEqual([]);
  });
  it('refuses schools outside its area, K-12 schools and schools without a registered campus, by name', () => {
    expect(problems(draft(county, ['VC', 'KA', 'VN']), county)).toEqual([
      'scope.schoolIds: 学校“VC”不在本单位管辖范围内',
      'scope.schoolIds: “甲县一中”不是中等职业学校，不参加常态化核验（HN 一、二）',
      'fences.VN: “甲县职教中心”尚未登记办学地址的位置和范围，请先由教育局在单位信息中登记校区位置',
    ]);
  });
  it('refuses a fence that is not the campus the server has (a stale copy)', () => {
    const t = draft(county, ['VA'], { fences: { VA: { ...campus, radiusM: 5000 } } });
    expect(problems(t, county)).toEqual([
      'fences.VA: “甲县职专”的校区位置与省级平台登记的不一致（可能刚更新），请同步后重新发布',
    ]);
  });
  it('a school admin only publishes a test roll call of its own school (HN 三.3)', () => {
    const t = draft(schoolAdmin, ['VA']);
    expect(t).toMatchObject({ issuer: 'school', test: true });
    expect(problems(t, schoolAdmin)).toEqual([]);
    expect(problems(draft(schoolAdmin, ['VA'], { test: undefined }), schoolAdmin)).toEqual([
      'test: 学校发布的点名核验只能是联调测试（HN 三.3），不计入上级核验次数',
    ]);
    expect(problems(draft(county, ['VA'], { test: true }), county)).toEqual([
      'test: 只有学校发布的点名核验是联调测试',
    ]);
  });
  it('checks the window: order, length, already over', () => {
    expect(problems(draft(county, ['VA'], { end: '2026-10-09T00:05:00.000Z' }), county)[0]).toContain(
      '至少晚 10 分钟',
    );
    expect(
      problems(draft(county, ['VA'], { end: '2026-12-09T00:00:00.000Z', termKey: '2026-08-01' }), county)[0],
    ).toContain('不能超过 31 天');
    const past = draft(county, ['VA'], {
      start: '2026-10-08T00:00:00.000Z',
      end: '2026-10-08T10:00:00.000Z',
    });
    expect(problems(past, county)[0]).toContain('已过');
  });
  it('a counselor publishes nothing; a task is published in the publisher’s own name', () => {
    expect(problems(draft(county, ['VA']), user('t', 'counselor', 'VA'))[0]).toContain(
      '只有省教育厅、教育局',
    );
    expect(problems(draft(county, ['VA'], { schoolId: '4101' }), county)).toContain(
      'schoolId: 核验任务只能以本单位的名义发布',
    );
  });
  it('only cancellation before the end changes a published task', () => {
    const t = draft(county, ['VA']);
    const cancel = { ...t, status: 'cancelled' as const, cancelReason: '时间冲突', updatedBy: 'c1' };
    expect(taskUpdateProblems(t, cancel, { user: county, now: NOW })).toEqual([]);
    expect(taskUpdateProblems(t, { ...cancel, cancelReason: '' }, { user: county, now: NOW })[0]?.field).toBe(
      'cancelReason',
    );
    expect(
      taskUpdateProblems(
        t,
        { ...t, end: '2026-10-10T00:00:00.000Z', updatedBy: 'c1' },
        { user: county, now: NOW },
      )[0]?.code,
    ).toBe('IMMUTABLE');
    expect(
      taskUpdateProblems(t, cancel, { user: county, now: Date.parse('2026-10-09T10:00:00.000Z') })[0]
        ?.message,
    ).toContain('任务已截止，不能撤销');
  });
});

const leave = (over: Partial<LeaveDoc> = {}): LeaveDoc => ({
  id: 'lv1',
  kind: 'leave',
  schoolId: 'VA',
  orgPath: '/41/4101/410101/VA/',
  studentId: 's1',
  from: '2026-10-10',
  to: '2026-10-12',
  reason: '病假',
  status: 'pending',
  via: 'desk',
  requestedAt: 'x',
  requestedBy: 't1',
  updatedAt: 'x',
  updatedBy: 't1',
  ...over,
});
const desk = { id: 't1', via: 'desk' as const, today: '2026-10-09' };
const phone = { id: 'student:s1', via: 'phone' as const, today: '2026-10-09' };

describe('leave (请假/销假) and absences', () => {
  it('a student asks on the phone (pending); a counselor may enter an approved leave at once', () => {
    expect(newLeaveProblems(leave({ via: 'phone', requestedBy: 'student:s1' }), phone)).toEqual([]);
    expect(
      newLeaveProblems(leave({ via: 'phone', requestedBy: 'student:s1', status: 'approved' }), phone)[0]
        ?.message,
    ).toBe('学生提交的请假须经辅导员或学校批准');
    expect(newLeaveProblems(leave({ status: 'approved', decidedBy: 't1', decidedAt: 'x' }), desk)).toEqual(
      [],
    );
  });
  it('dates: order, at most 180 days, no reason, 30 days back at most', () => {
    expect(newLeaveProblems(leave({ to: '2026-10-01' }), desk)[0]?.field).toBe('to');
    expect(newLeaveProblems(leave({ to: '2027-06-01' }), desk)[0]?.message).toContain('最多 180 天');
    expect(newLeaveProblems(leave({ reason: ' ' }), desk)[0]?.field).toBe('reason');
    expect(newLeaveProblems(leave({ from: '2026-08-01' }), desk)[0]?.message).toContain('30 天以内');
  });
  it('approve or reject (with an opinion) on the desk only; 销假 once, within the leave', () => {
    const p = leave();
    const ok = { ...p, status: 'approved' as const, decidedBy: 't1', decidedAt: 'y' };
    expect(leaveChangeProblems(p, ok, desk)).toEqual([]);
    expect(leaveChangeProblems(p, ok, phone)[0]?.code).toBe('ROLE');
    expect(
      leaveChangeProblems(p, { ...p, status: 'rejected', decidedBy: 't1', decidedAt: 'y' }, desk)[0]?.field,
    ).toBe('opinion');
    const back = { ...ok, returnedOn: '2026-10-09', returnedBy: 't1' };
    expect(leaveChangeProblems(ok, back, { ...desk, today: '2026-10-11' })[0]?.message).toContain(
      '应在请假开始日期与今天之间',
    );
    const back2 = { ...ok, returnedOn: '2026-10-11', returnedBy: 'student:s1' };
    expect(leaveChangeProblems(ok, back2, { ...phone, today: '2026-10-11' })).toEqual([]);
    expect(
      leaveChangeProblems(back2, { ...back2, returnedOn: '2026-10-12' }, { ...phone, today: '2026-10-12' })[0]
        ?.code,
    ).toBe('IMMUTABLE');
    expect(leaveChangeProblems(p, { ...p, from: '2026-10-11' }, desk)[0]?.code).toBe('IMMUTABLE');
  });
  it('an approved leave is cancelled only before it begins; a started one is ended by 销假', () => {
    const ok = leave({ status: 'approved', decidedBy: 't1', decidedAt: 'y' });
    expect(leaveChangeProblems(ok, { ...ok, status: 'cancelled' }, desk)).toEqual([]);
    expect(
      leaveChangeProblems(ok, { ...ok, status: 'cancelled' }, { ...desk, today: '2026-10-10' })[0]?.message,
    ).toBe('已开始的请假不能撤销，请办理销假');
  });
  it('an absence is recorded by the school, ended once, not in the future', () => {
    const a = leave({ kind: 'absence', status: 'recorded', to: undefined, from: '2026-10-01' });
    expect(newLeaveProblems(a, desk)).toEqual([]);
    expect(newLeaveProblems({ ...a, via: 'phone', requestedBy: 'student:s1' }, phone)[0]?.code).toBe('ROLE');
    expect(leaveChangeProblems(a, { ...a, to: '2026-10-08' }, desk)).toEqual([]);
    expect(leaveChangeProblems(a, { ...a, to: '2026-10-20' }, desk)[0]?.field).toBe('to');
  });
});

const task = (id: string, over: Partial<VerificationTaskDoc> = {}) =>
  ({ ...draft(county, ['VA']), id, name: `核验${id}`, ...over }) as VerificationTaskDoc;
const appeal = (over: Partial<AppealDoc> = {}): AppealDoc => ({
  id: 'ap1',
  schoolId: 'VA',
  orgPath: '/41/4101/410101/VA/',
  studentId: 's1',
  taskIds: ['t1'],
  reason: '当天在校',
  via: 'school',
  status: 'submitted',
  submittedAt: 'x',
  submittedBy: 'a1',
  updatedAt: 'x',
  updatedBy: 'a1',
  ...over,
});

describe('appeals (申诉, HN 四.2)', () => {
  const tasks = new Map([
    ['t1', task('t1')],
    ['ts', task('ts', { issuer: 'school', test: true })],
    ['open', task('open', { end: '2026-10-20T00:00:00.000Z' })],
  ]);
  const ctx = (over = {}) => ({
    records: [
      {
        results: {
          t1: { s: 'missed' as const },
          ts: { s: 'missed' as const },
          open: { s: 'pending' as const },
        },
      },
    ],
    task: (id: string) => tasks.get(id),
    others: [] as AppealDoc[],
    now: Date.parse('2026-10-12T00:00:00.000Z'),
    ...over,
  });
  it('a school appeals a missed result of an upper-level task that has closed', () => {
    expect(newAppealProblems(appeal(), { id: 'a1', via: 'school' }, ctx())).toEqual([]);
  });
  it('not a test roll call, not a task still open, not a result that is no miss, not twice', () => {
    const msgs = (a: AppealDoc, c = ctx()) =>
      newAppealProblems(a, { id: 'a1', via: 'school' }, c).map((p) => p.message);
    expect(msgs(appeal({ taskIds: ['ts'] }))[0]).toContain('联调测试');
    expect(msgs(appeal({ taskIds: ['open'] }))[0]).toContain('尚未截止');
    expect(msgs(appeal({ taskIds: ['nope'] }))[0]).toBe('该生没有这次核验的结果');
    expect(msgs(appeal(), ctx({ others: [appeal({ id: 'ap0' })] }))[0]).toContain('已有一件待决定的申诉');
  });
  it('decided by the issuing bureau or one above it, with an opinion; withdrawn by the school', () => {
    const t = [tasks.get('t1') as VerificationTaskDoc];
    expect(mayDecide(county, t)).toBe(true);
    expect(mayDecide(user('p', 'province', '41'), t)).toBe(true);
    expect(mayDecide(user('c2', 'bureau', 'VA'), t)).toBe(false);
    const a = appeal();
    const upheld = {
      ...a,
      status: 'upheld' as const,
      decidedBy: 'c1',
      decidedOrgId: '410101',
      decidedAt: 'y',
      opinion: '属实',
    };
    expect(appealChangeProblems(a, upheld, county, t)).toEqual([]);
    expect(appealChangeProblems(a, { ...upheld, opinion: '' }, county, t)[0]?.field).toBe('opinion');
    expect(appealChangeProblems(a, upheld, schoolAdmin, t)[0]?.code).toBe('ROLE');
    expect(appealChangeProblems(a, { ...a, status: 'withdrawn' }, schoolAdmin, t)).toEqual([]);
    expect(appealChangeProblems(upheld, { ...upheld, status: 'rejected' }, county, t)[0]?.code).toBe(
      'DECIDED',
    );
    expect(appealChangeProblems(a, { ...a, reason: '改了' }, schoolAdmin, t)[0]?.code).toBe('IMMUTABLE');
  });
});
