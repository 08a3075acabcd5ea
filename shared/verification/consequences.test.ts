// The consequences of a term as the server evaluates them (evaluateStudent calls the rules engine's
// checkVerification): hand-made terms named by rule ID — consecutive against total misses, leave over a
// window, part-time students, an upheld appeal, a miss on the last day of a window, the school's own roll
// call, a term boundary, a due date across the National Day holidays — and what follows: handled actions,
// R-ESCALATE, R-APPEAL's restore, idempotence.
import { describe, expect, it } from 'vitest';
import { standardCalendar } from '../calendar/calendar';
import { fromChinaTime } from '../calendar/china';
import { withDefaults } from '../rules/settings';
import {
  type EvaluationInput,
  escalationOf,
  evaluateStudent,
  openActions,
  type StudentState,
} from './consequences';
import { initialState, rollExclusion, termLeaveDays } from './roll';
import type { AppealDoc, LeaveDoc, ResultState, VerificationRecordDoc, VerificationTaskDoc } from './schemas';
import { termFor } from './time';

const TERM = { start: '2026-09-01', end: '2027-01-22', name: '2026—2027学年第一学期' };
const term = termFor('2026-10-09', TERM);
const STUDENT: StudentState = {
  id: 'st1',
  schoolId: 'VA',
  orgPath: '/41/4101/410101/VA/',
  name: '王颖瑶',
  status: 'enrolled',
  studyForm: '1',
  classId: '计算机2601班',
  grade: '2026级',
};

/** A task whose window is one Beijing day, 08:00–18:00. */
function task(
  id: string,
  day: string,
  issuer: VerificationTaskDoc['issuer'] = 'bureau',
): VerificationTaskDoc {
  return {
    id,
    kind: 'task',
    schoolId: issuer === 'school' ? 'VA' : '410101',
    orgPath: issuer === 'school' ? '/41/4101/410101/VA/' : '/41/4101/410101/',
    termKey: '2026-08-01',
    issuer,
    issuerName: issuer === 'school' ? '甲县职业中专' : '甲县教育局',
    name: `核验${id}`,
    start: fromChinaTime(`${day} 08:00`) as string,
    end: fromChinaTime(`${day} 18:00`) as string,
    scope: { schoolIds: ['VA'] },
    fences: { VA: { lat: 34.7, lng: 113.6, radiusM: 500 } },
    ...(issuer === 'school' ? { test: true } : {}),
    status: 'published',
    createdAt: '2026-09-01T00:00:00.000Z',
    createdBy: 'u',
    updatedAt: '2026-09-01T00:00:00.000Z',
    updatedBy: 'u',
  };
}

function record(
  results: Record<string, ResultState>,
  extra: Partial<VerificationRecordDoc> = {},
): VerificationRecordDoc {
  return {
    id: `vr:st1:${term.key}`,
    kind: 'record',
    schoolId: 'VA',
    orgPath: STUDENT.orgPath,
    studentId: 'st1',
    termKey: term.key,
    term: { start: term.start, end: term.end, name: term.name },
    results: Object.fromEntries(Object.entries(results).map(([k, s]) => [k, { s }])),
    updatedAt: 'x',
    updatedBy: 'server',
    ...extra,
  };
}

const leave = (from: string, to: string, over: Partial<LeaveDoc> = {}): LeaveDoc => ({
  id: `lv-${from}`,
  kind: 'leave',
  schoolId: 'VA',
  orgPath: STUDENT.orgPath,
  studentId: 'st1',
  from,
  to,
  reason: '病假',
  status: 'approved',
  via: 'desk',
  requestedAt: `${from}T00:00:00.000Z`,
  requestedBy: 'teacher',
  decidedAt: `${from}T00:00:00.000Z`,
  decidedBy: 'teacher',
  updatedAt: 'x',
  updatedBy: 'teacher',
  ...over,
});

const appeal = (taskIds: string[], status: AppealDoc['status']): AppealDoc => ({
  id: `ap-${taskIds.join('-')}`,
  schoolId: 'VA',
  orgPath: STUDENT.orgPath,
  studentId: 'st1',
  taskIds,
  reason: '当天在校，手机定位故障',
  via: 'school',
  status,
  submittedAt: 'x',
  submittedBy: 'admin',
  updatedAt: 'x',
  updatedBy: 'admin',
});

const TASKS = [
  task('t1', '2026-09-15'),
  task('t2', '2026-09-29'),
  task('t3', '2026-10-13'),
  task('t4', '2026-10-20'),
  task('t5', '2026-10-27'),
  task('t6', '2026-11-03'),
  task('t7', '2026-11-10'),
  task('ts', '2026-09-22', 'school'),
  task('early', '2026-08-28'),
];
const BY_ID = new Map(TASKS.map((t) => [t.id, t]));

function evaluate(over: Partial<EvaluationInput> & { at: string }) {
  return evaluateStudent({
    now: Date.parse(fromChinaTime(over.at) as string),
    student: STUDENT,
    record: undefined,
    term,
    tasks: BY_ID,
    leaves: [],
    appeals: [],
    settings: withDefaults(),
    calendar: standardCalendar(),
    by: 'server',
    ...over,
  });
}

const rules = (r: VerificationRecordDoc | null) => openActions(r ?? { actions: [] }).map((a) => a.rule);

describe('R-MISS-2-4 on hand-made terms', () => {
  it('2 consecutive misses of upper-level tasks: due 5 working days after the second, across National Day', () => {
    const e = evaluate({ at: '2026-09-30 09:00', record: record({ t1: 'missed', t2: 'missed' }) });
    const [a] = openActions(e.record ?? {});
    expect(a).toMatchObject({ rule: 'R-MISS-2-4', due: '2026-10-12', taskIds: ['t1', 't2'] });
    expect(a?.before).toEqual({ status: 'enrolled', studyForm: '1' });
    expect(a?.message).toContain('R-MISS-2-4');
    expect(a?.message).toContain('连续 2 次');
    expect(a?.message).toContain('2026-10-12 前');
  });

  it('4 misses in total, none consecutive: due 5 working days after the fourth', () => {
    const results = {
      t1: 'missed',
      t2: 'passed',
      t3: 'missed',
      t4: 'passed',
      t5: 'missed',
      t6: 'passed',
    } as const;
    expect(rules(evaluate({ at: '2026-11-04 09:00', record: record(results) }).record)).toEqual([]);
    const e = evaluate({ at: '2026-11-11 09:00', record: record({ ...results, t7: 'missed' }) });
    const [a] = openActions(e.record ?? {});
    expect(a).toMatchObject({ rule: 'R-MISS-2-4', due: '2026-11-17', taskIds: ['t1', 't3', 't5', 't7'] });
    expect(a?.message).toContain('累计 4 次');
  });

  it('the school’s own roll call (联调测试) neither counts nor breaks a run', () => {
    expect(
      rules(evaluate({ at: '2026-09-23 09:00', record: record({ t1: 'missed', ts: 'missed' }) }).record),
    ).toEqual([]);
    const e = evaluate({
      at: '2026-09-30 09:00',
      record: record({ t1: 'missed', ts: 'passed', t2: 'missed' }),
    });
    expect(rules(e.record)).toEqual(['R-MISS-2-4']);
  });

  it('a miss on the last day of a window counts once the window has closed (18:00), not before', () => {
    const r = record({ t1: 'missed', t2: 'failed' });
    expect(rules(evaluate({ at: '2026-09-29 12:00', record: r }).record)).toEqual([]);
    const e = evaluate({ at: '2026-09-29 18:30', record: record({ t1: 'missed', t2: 'missed' }) });
    expect(openActions(e.record ?? {})[0]).toMatchObject({ rule: 'R-MISS-2-4', due: '2026-10-12' });
  });

  it('a term boundary: a task before the configured term starts does not count', () => {
    expect(
      rules(evaluate({ at: '2026-09-16 09:00', record: record({ early: 'missed', t1: 'missed' }) }).record),
    ).toEqual([]);
  });

  it('leave overlapping a window: the student is exempt from it (R-LEAVE-EXEMPT), the run goes on', () => {
    const leaves = [leave('2026-09-28', '2026-09-30')];
    expect(initialState(BY_ID.get('t2') as VerificationTaskDoc, leaves)).toBe('exempt');
    expect(initialState(BY_ID.get('t1') as VerificationTaskDoc, leaves)).toBe('pending');
    // approved after the window closed: no exemption (an appeal is the way)
    const late = [leave('2026-09-28', '2026-09-30', { decidedAt: '2026-10-08T02:00:00.000Z' })];
    expect(initialState(BY_ID.get('t2') as VerificationTaskDoc, late)).toBe('pending');
    const e = evaluate({
      at: '2026-10-14 09:00',
      leaves,
      record: record({ t1: 'missed', t2: 'exempt', t3: 'missed' }),
    });
    expect(openActions(e.record ?? {})[0]).toMatchObject({ rule: 'R-MISS-2-4', taskIds: ['t1', 't3'] });
  });

  it('part-time students are not called (R-PART-TIME) and their misses never count', () => {
    const t = BY_ID.get('t1') as VerificationTaskDoc;
    expect(rollExclusion(t, { ...STUDENT, studyForm: '2' })).toBe('partTime');
    expect(rollExclusion(t, { ...STUDENT, status: 'suspended' })).toBe('status');
    expect(rollExclusion(t, { ...STUDENT, schoolId: 'VB' })).toBe('school');
    expect(rollExclusion({ scope: { schoolIds: ['VA'], classIds: ['x'] } }, STUDENT)).toBe('class');
    expect(rollExclusion(t, STUDENT)).toBeNull();
    const e = evaluate({
      at: '2026-09-30 09:00',
      student: { ...STUDENT, studyForm: '2' },
      record: record({ t1: 'missed', t2: 'missed' }),
    });
    expect(rules(e.record)).toEqual([]);
    expect(e.findings.map((f) => f.rule)).toContain('R-PART-TIME');
  });

  it('an upheld appeal removes a miss: the open action is void, a rejected appeal changes nothing', () => {
    const first = evaluate({ at: '2026-09-30 09:00', record: record({ t1: 'missed', t2: 'missed' }) });
    const rejected = evaluate({
      at: '2026-10-02 09:00',
      record: first.record ?? undefined,
      appeals: [appeal(['t2'], 'rejected')],
    });
    expect(rules(rejected.record)).toEqual(['R-MISS-2-4']);
    const upheld = evaluate({
      at: '2026-10-02 09:00',
      record: first.record ?? undefined,
      appeals: [appeal(['t2'], 'upheld')],
    });
    expect(rules(upheld.record)).toEqual([]);
    expect(upheld.record?.results.t2?.s).toBe('appealUpheld');
    expect(upheld.record?.actions?.[0]).toMatchObject({
      state: 'void',
      closedHow: '申诉已通过，不再需要处理（R-APPEAL）',
    });
    expect(upheld.restore).toBeNull();
  });
});

describe('handling, R-ESCALATE and R-APPEAL’s restore', () => {
  const raised =
    evaluate({ at: '2026-09-30 09:00', record: record({ t1: 'missed', t2: 'missed' }) }).record ?? undefined;

  it('a change of study form to part-time handles the action and sets R-ESCALATE', () => {
    const e = evaluate({ at: '2026-10-09 10:00', record: raised, student: { ...STUDENT, studyForm: '2' } });
    expect(e.record?.actions?.[0]).toMatchObject({
      rule: 'R-MISS-2-4',
      state: 'done',
      closedHow: '已把学习形式变更为非全日制',
      after: { status: 'enrolled', studyForm: '2' },
    });
    expect(escalationOf([e.record as VerificationRecordDoc])).toMatchObject({ rule: 'R-MISS-2-4' });
    expect(e.record?.escalated?.reason).toContain('R-ESCALATE');
  });

  it('suspension and withdrawal handle it too; any other change just closes it', () => {
    for (const [status, how] of [
      ['suspended', '已办理休学'],
      ['withdrawn', '已办理退学'],
    ] as const) {
      const e = evaluate({ at: '2026-10-09 10:00', record: raised, student: { ...STUDENT, status } });
      expect(e.record?.actions?.[0]).toMatchObject({ state: 'done', closedHow: how });
    }
    const moved = evaluate({
      at: '2026-10-09 10:00',
      record: raised,
      student: { ...STUDENT, status: 'transferredOut' },
    });
    expect(moved.record?.actions?.[0]).toMatchObject({ state: 'void' });
    expect(moved.record?.escalated).toBeUndefined();
  });

  it('an upheld appeal after the change restores the earlier state, clears R-ESCALATE, once', () => {
    const handled = evaluate({
      at: '2026-10-09 10:00',
      record: raised,
      student: { ...STUDENT, studyForm: '2' },
    }).record;
    const partTime = { ...STUDENT, studyForm: '2' };
    const e = evaluate({
      at: '2026-10-15 10:00',
      record: handled ?? undefined,
      student: partTime,
      appeals: [appeal(['t2'], 'upheld')],
    });
    expect(e.restore).toMatchObject({ patch: { studyForm: '1' }, actionKey: 'R-MISS-2-4:t2' });
    expect(e.restore?.reason).toBe(
      'R-APPEAL 申诉通过恢复原学籍状态：申诉通过，恢复原学籍状态（学习形式 非全日制 → 全日制）',
    );
    expect(e.record?.escalated).toBeUndefined();
    expect(e.record?.actions?.[0]?.restoredAt).toBeDefined();
    // idempotent: the restored student evaluated again changes nothing and restores nothing
    const again = evaluate({
      at: '2026-10-15 11:00',
      record: e.record ?? undefined,
      student: STUDENT,
      appeals: [appeal(['t2'], 'upheld')],
    });
    expect(again.changed).toBe(false);
    expect(again.restore).toBeNull();
  });

  it('no automatic restore when the student changed again meanwhile: an action asks a person', () => {
    const handled = evaluate({
      at: '2026-10-09 10:00',
      record: raised,
      student: { ...STUDENT, studyForm: '2' },
    }).record;
    const e = evaluate({
      at: '2026-10-15 10:00',
      record: handled ?? undefined,
      student: { ...STUDENT, studyForm: '2', status: 'suspended' },
      appeals: [appeal(['t2'], 'upheld')],
    });
    expect(e.restore).toBeNull();
    expect(openActions(e.record ?? {})).toMatchObject([{ rule: 'R-APPEAL', key: 'R-APPEAL:R-MISS-2-4:t2' }]);
  });

  it('an appeal that leaves the condition in place restores nothing', () => {
    const three = evaluate({
      at: '2026-10-14 09:00',
      record: record({ t1: 'missed', t2: 'missed', t3: 'missed' }),
    }).record;
    const handled = evaluate({
      at: '2026-10-15 09:00',
      record: three ?? undefined,
      student: { ...STUDENT, studyForm: '2' },
    }).record;
    const e = evaluate({
      at: '2026-10-16 09:00',
      record: handled ?? undefined,
      student: { ...STUDENT, studyForm: '2' },
      appeals: [appeal(['t1'], 'upheld')],
    });
    expect(e.restore).toBeNull();
  });

  it('evaluating the same facts twice changes nothing', () => {
    const first = evaluate({ at: '2026-09-30 09:00', record: record({ t1: 'missed', t2: 'missed' }) });
    const second = evaluate({ at: '2026-09-30 10:00', record: first.record ?? undefined });
    expect(second.changed).toBe(false);
    expect(second.record?.actions).toEqual(first.record?.actions);
  });
});

describe('R-AID-STOP, R-LEAVE-15, R-ABSENT-3M as actions', () => {
  it('R-AID-STOP with R-MISS-2-4 for unpaid aid; the aid office’s record handles it', () => {
    const student = { ...STUDENT, aid: { grant: true, feeWaiver: true, lowIncome: false } };
    const e = evaluate({ at: '2026-09-30 09:00', student, record: record({ t1: 'missed', t2: 'missed' }) });
    expect(rules(e.record)).toEqual(['R-MISS-2-4', 'R-AID-STOP']);
    const aid = { state: 'submitted' as const, at: '2026-10-09T02:00:00.000Z', by: 'admin' };
    const next = evaluate({
      at: '2026-10-09 10:00',
      student,
      record: { ...(e.record as VerificationRecordDoc), aidWithdrawal: aid },
    });
    expect(next.record?.actions?.find((a) => a.rule === 'R-AID-STOP')).toMatchObject({
      state: 'done',
      closedHow: '已向资助部门提交撤回资助、免学费的申请',
    });
  });

  it('R-LEAVE-15: the 16th day of approved leave raises an action; 休学 handles it', () => {
    const leaves = [leave('2026-10-08', '2026-10-15'), leave('2026-11-02', '2026-11-09')];
    expect(termLeaveDays(leaves, term)).toBe(16);
    const e = evaluate({ at: '2026-11-10 09:00', leaves });
    expect(openActions(e.record ?? {})).toMatchObject([{ rule: 'R-LEAVE-15', due: '2026-11-16' }]);
    const done = evaluate({
      at: '2026-11-12 09:00',
      leaves,
      record: e.record ?? undefined,
      student: { ...STUDENT, status: 'suspended' },
    });
    expect(done.record?.actions?.[0]).toMatchObject({ state: 'done', closedHow: '已办理休学' });
    // 销假 early: the days end the day before the return
    expect(termLeaveDays([leave('2026-10-08', '2026-10-15', { returnedOn: '2026-10-10' })], term)).toBe(2);
  });

  it('R-ABSENT-3M: an absence without leave over 3 months', () => {
    const absent: LeaveDoc = {
      ...leave('2026-09-07', '2026-09-07'),
      id: 'ab1',
      kind: 'absence',
      status: 'recorded',
      to: undefined,
    };
    expect(rules(evaluate({ at: '2026-12-06 09:00', leaves: [absent] }).record)).toEqual([]);
    const e = evaluate({ at: '2026-12-07 09:00', leaves: [absent] });
    expect(rules(e.record)).toEqual(['R-ABSENT-3M']);
  });

  it('no record is made for a student with nothing to record', () => {
    expect(evaluate({ at: '2026-10-09 09:00' }).record).toBeNull();
  });
});
