// Every rule check, table-driven and named by rule ID: limits exactly met and exceeded, a window's first
// and last day, holidays (the 2026 National Day week), unknown years. Cases go through the case parser
// and the registry exactly as `xueji rules check` runs them.
import { describe, expect, it } from 'vitest';
import { standardCalendar } from '../calendar/calendar';
import { type CaseError, evaluateCase, parseRuleCase } from './case';
import { eligibleInspectors, inspectionDeadlines, mayInspect } from './checks/inspection';
import { missTally, taskOutcomes } from './checks/verification';
import { withDefaults } from './settings';
import type { Finding } from './types';

type Json = Record<string, unknown>;

const SCHOOLS: Json = {
  A: { name: '甲中学', level: '初中', ownership: '公办', countyCode: '140302', cityCode: '1403', years: 3 },
  B: { name: '乙中学', level: '初中', ownership: '公办', countyCode: '140303', cityCode: '1403', years: 3 },
  C: { name: '丙中学', level: '初中', ownership: '公办', countyCode: '140402', cityCode: '1404', years: 3 },
  P: { name: '民办高中', level: '普通高中', ownership: '民办', enrolmentZone: 'Z1', countyCode: '140302' },
  G: { name: '公办高中', level: '普通高中', ownership: '公办', enrolmentZone: 'Z2', countyCode: '140303' },
  M: {
    name: '示范高中',
    level: '普通高中',
    ownership: '公办',
    provincialModel: true,
    enrolmentZone: 'Z3',
    countyCode: '140303',
  },
  N: { name: '一般高中', level: '普通高中', ownership: '公办', enrolmentZone: 'Z1', countyCode: '140302' },
  V: { name: '职业中专', level: '中职', ownership: '公办', countyCode: '140302', years: 3 },
  E: { name: '小学', level: '小学', ownership: '公办', countyCode: '140302' },
  F: { name: '另一小学', level: '小学', ownership: '公办', countyCode: '140303' },
};
const TERM = { start: '2026-09-01', end: '2027-01-22' };

function run(c: Json) {
  return evaluateCase(parseRuleCase({ schools: SCHOOLS, ...c }));
}
const of = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

function transferCase(over: {
  from?: string;
  to?: string;
  year?: number;
  appliedOn?: string;
  flexible?: boolean;
  settings?: Json;
}) {
  return {
    date: over.appliedOn ?? '2026-09-10',
    term: TERM,
    student: {
      schoolId: over.from ?? 'A',
      year: over.year ?? 2,
      studyForm: '全日制',
      flexible: over.flexible ?? false,
      status: '在校',
    },
    change: { type: '转学', toSchoolId: over.to ?? 'B', appliedOn: over.appliedOn ?? '2026-09-10' },
    ...(over.settings ? { settings: over.settings } : {}),
  };
}

describe('R-TX-WINDOW: transfers within one month before or after the term starts', () => {
  it.each([
    ['2026-08-01', true, 'the window’s first day'],
    ['2026-09-01', true, 'the term’s first day'],
    ['2026-10-01', true, 'the window’s last day'],
    ['2026-07-31', false, 'the day before the window'],
    ['2026-10-02', false, 'the day after the window (mid-term)'],
    ['2026-12-15', false, 'mid-term'],
  ])('applied on %s → allowed %s (%s)', (appliedOn, allowed) => {
    const r = run(transferCase({ appliedOn }));
    expect(r.allowed).toBe(allowed);
    expect(of(r.findings, 'R-TX-WINDOW').length).toBe(allowed ? 0 : 1);
  });

  it('names the window and says mid-term transfers are refused in principle', () => {
    const [f] = of(run(transferCase({ appliedOn: '2026-10-02' })).findings, 'R-TX-WINDOW');
    expect(f?.level).toBe('refuse');
    expect(f?.message).toContain('R-TX-WINDOW 转学只在开学前后一个月内办理');
    expect(f?.message).toContain('2026-08-01 至 2026-10-01');
    expect(f?.message).toContain('学期中原则上不得转学');
    expect(
      of(run(transferCase({ appliedOn: '2026-07-31' })).findings, 'R-TX-WINDOW')[0]?.message,
    ).not.toContain('学期中');
  });

  it('reads the window from the settings', () => {
    expect(
      run(transferCase({ appliedOn: '2026-10-20', settings: { transferWindowMonths: 2 } })).allowed,
    ).toBe(true);
  });
});

describe('R-TX-GRADES: no transfer in the starting or the final grade within one city', () => {
  it.each([
    ['A', 'B', 1, false, '初中 first year, same city'],
    ['A', 'B', 3, false, '初中 final year, same city'],
    ['A', 'B', 2, true, '初中 second year'],
    ['A', 'C', 1, true, 'another city'],
    ['E', 'F', 6, false, '小学 (6 years by default) final year'],
    ['E', 'F', 5, true, '小学 fifth year'],
  ])('%s → %s in year %i → allowed %s (%s)', (from, to, year, allowed) => {
    const r = run(transferCase({ from, to, year }));
    expect(of(r.findings, 'R-TX-GRADES').length).toBe(allowed ? 0 : 1);
    if (!allowed) expect(of(r.findings, 'R-TX-GRADES')[0]?.message).toMatch(/起始年级|毕业年级/);
  });

  it('does not apply to vocational schools', () => {
    const r = run({
      ...transferCase({ from: 'V', to: 'B', year: 1 }),
      schools: { ...SCHOOLS, B: { ...(SCHOOLS.B as Json), level: '中职' } },
    });
    expect(of(r.findings, 'R-TX-GRADES')).toEqual([]);
  });
});

describe('R-TX-4NO: the four refusals of 普通高中 transfers, each on its own', () => {
  it.each([
    ['P', 'G', '民办高中不能转入公办高中'],
    ['N', 'M', '一般普通高中不能转入省级示范高中'],
    ['N', 'P', '同一招生区域普通高中之间不能转学'],
    ['V', 'G', '普通高中不得接收中等职业教育学校学生转入'],
  ])('%s → %s is refused: %s', (from, to, clause) => {
    const r = run(transferCase({ from, to }));
    expect(r.allowed).toBe(false);
    const f = of(r.findings, 'R-TX-4NO');
    expect(f).toHaveLength(1);
    expect(f[0]?.level).toBe('refuse');
    expect(f[0]?.message).toContain(clause);
  });

  it.each([
    ['G', 'P', 'public → private'],
    ['M', 'G', 'model → ordinary'],
    ['M', 'M2', 'model → model'],
    ['G', 'N', 'different zones'],
    ['G', 'V', 'into a vocational school'],
  ])('%s → %s is not refused (%s)', (from, to) => {
    const schools = { ...SCHOOLS, M2: { ...(SCHOOLS.M as Json), enrolmentZone: 'Z9' } };
    const r = evaluateCase(parseRuleCase({ ...transferCase({ from, to }), schools }));
    expect(of(r.findings, 'R-TX-4NO')).toEqual([]);
  });

  it('reports every clause that applies', () => {
    const schools = { ...SCHOOLS, Q: { ...(SCHOOLS.M as Json), enrolmentZone: 'Z1' } };
    const r = evaluateCase(parseRuleCase({ ...transferCase({ from: 'P', to: 'Q' }), schools }));
    expect(of(r.findings, 'R-TX-4NO').map((f) => f.message.split('：')[1]?.split('（')[0])).toEqual([
      '民办高中不能转入公办高中',
      '一般普通高中不能转入省级示范高中',
      '同一招生区域普通高中之间不能转学',
    ]);
  });
});

describe('R-FLEX: flexible-study students in principle no transfer, change of major or suspension', () => {
  it.each([
    ['转学', true],
    ['转专业', true],
    ['休学', true],
    ['退学', false],
    ['复学', false],
  ])('%s → warning %s', (type, warned) => {
    const r = run({
      date: '2026-09-10',
      term: TERM,
      student: { schoolId: 'V', year: 2, flexible: true },
      change: { type, toSchoolId: type === '转学' ? 'B' : undefined, appliedOn: '2026-09-10' },
    });
    const f = of(r.findings, 'R-FLEX');
    expect(f.length).toBe(warned ? 1 : 0);
    if (warned) {
      expect(f[0]?.level).toBe('warn');
      expect(f[0]?.message).toContain('书面说明理由');
    }
  });

  it('a warning alone does not refuse; a student not in flexible study gets none', () => {
    expect(run(transferCase({ from: 'V', to: 'B', flexible: true })).allowed).toBe(true);
    expect(of(run(transferCase({ from: 'V', to: 'B' })).findings, 'R-FLEX')).toEqual([]);
  });
});

describe('R-1WEEK: done within one week of the application (calendar days)', () => {
  const c = (type: string, date: string, extra: Json = {}, school = 'A') =>
    run({ date, student: { schoolId: school }, change: { type, appliedOn: '2026-09-10', ...extra } });

  it.each([
    ['休学', '2026-09-17', '2026-09-17', false],
    ['复学', '2026-09-11', '2026-09-17', false],
    ['死亡', '2026-09-18', '2026-09-17', true],
    ['出国(境)', '2026-09-10', '2026-09-17', false],
    ['基本信息变更', '2026-09-12', '2026-09-17', false],
  ])('%s applied 2026-09-10, evaluated %s → due %s, overdue %s', (type, date, due, overdue) => {
    const [f] = of(c(type, date).findings, 'R-1WEEK');
    expect(f).toMatchObject({ level: 'action', due });
    expect(f?.message.includes('已逾期')).toBe(overdue);
  });

  it('does not move the deadline for holidays: 2026-09-28 + one week = 2026-10-05', () => {
    const r = run({
      date: '2026-09-28',
      student: { schoolId: 'A' },
      change: { type: '休学', appliedOn: '2026-09-28' },
    });
    expect(of(r.findings, 'R-1WEEK')[0]?.due).toBe('2026-10-05');
  });

  it('completed on the last day: nothing; a day late: a note of the lateness', () => {
    expect(of(c('休学', '2026-09-20', { doneOn: '2026-09-17' }).findings, 'R-1WEEK')).toEqual([]);
    const [late] = of(c('休学', '2026-09-20', { doneOn: '2026-09-18' }).findings, 'R-1WEEK');
    expect(late).toMatchObject({ level: 'info' });
    expect(late?.message).toContain('超过期限 1 天');
  });

  it('withdrawal counts for 普通高中 students only; transfers have their own window', () => {
    expect(of(c('退学', '2026-09-10', {}, 'G').findings, 'R-1WEEK')).toHaveLength(1);
    expect(of(c('退学', '2026-09-10', {}, 'A').findings, 'R-1WEEK')).toEqual([]);
    expect(of(run(transferCase({})).findings, 'R-1WEEK')).toEqual([]);
  });
});

describe('R-GRAD-JUNE: graduate data and review by the end of June', () => {
  const c = (date: string, extra: Json = {}, settings?: Json) =>
    run({
      date,
      student: { schoolId: 'G', year: 3 },
      change: { type: '毕业', appliedOn: '2026-05-20', ...extra },
      ...(settings ? { settings } : {}),
    });
  it('due 30 June of the year; overdue from 1 July', () => {
    expect(of(c('2026-06-30').findings, 'R-GRAD-JUNE')[0]).toMatchObject({
      level: 'action',
      due: '2026-06-30',
    });
    expect(of(c('2026-06-30').findings, 'R-GRAD-JUNE')[0]?.message).not.toContain('逾期');
    expect(of(c('2026-07-01').findings, 'R-GRAD-JUNE')[0]?.message).toContain('已逾期 1 天');
  });
  it('done in time → nothing; late → a note; the month-day is a setting', () => {
    expect(of(c('2026-07-05', { doneOn: '2026-06-30' }).findings, 'R-GRAD-JUNE')).toEqual([]);
    expect(of(c('2026-07-05', { doneOn: '2026-07-02' }).findings, 'R-GRAD-JUNE')[0]?.level).toBe('info');
    expect(of(c('2026-07-05', {}, { graduationDeadline: '07-15' }).findings, 'R-GRAD-JUNE')[0]?.due).toBe(
      '2026-07-15',
    );
  });
});

const VOC = { schoolId: 'V', year: 2, studyForm: '全日制', status: '在校' };
const bureauTask = (id: string, start: string, end: string, issuer = 'bureau') => ({
  id,
  issuer,
  start,
  end,
});

function term(over: Json) {
  return run({ date: '2026-11-30', term: TERM, student: VOC, tasks: [], checkins: [], ...over });
}

describe('R-LEAVE-15: approved leave above 15 days a term ⇒ propose 休学', () => {
  it.each([
    [[{ from: '2026-09-15', to: '2026-09-29', status: 'approved' }], 0, 'exactly 15 days'],
    [[{ from: '2026-09-15', to: '2026-09-30', status: 'approved' }], 1, '16 days'],
    [[{ from: '2026-09-15', to: '2026-09-30', status: 'pending' }], 0, 'pending leave does not count'],
    [[{ from: '2026-09-15', to: '2026-09-30', status: 'rejected' }], 0, 'rejected leave does not count'],
    [
      [
        { from: '2026-09-15', to: '2026-09-25', status: 'approved' },
        { from: '2026-09-20', to: '2026-09-29', status: 'approved' },
      ],
      0,
      'overlapping leaves count each day once (15 days)',
    ],
    [
      [{ from: '2026-09-15', to: '2026-10-10', status: 'approved', returnedOn: '2026-09-30' }],
      0,
      'a return ends the leave',
    ],
    [[{ from: '2026-08-20', to: '2026-09-15', status: 'approved' }], 0, 'days before the term do not count'],
    [
      [
        { from: '2026-03-01', to: '2026-06-30', status: 'approved' },
        { from: '2026-09-01', to: '2026-09-10', status: 'approved' },
      ],
      0,
      'another term does not count',
    ],
  ])('%j → %i finding (%s)', (leaves, n, _why) => {
    expect(of(term({ leaves }).findings, 'R-LEAVE-15')).toHaveLength(n);
  });

  it('due 5 working days after the first day over the limit, across National Day', () => {
    const [f] = of(
      term({ leaves: [{ from: '2026-09-15', to: '2026-09-30', status: 'approved' }] }).findings,
      'R-LEAVE-15',
    );
    expect(f).toMatchObject({ level: 'action', due: '2026-10-13' });
    expect(f?.message).toContain('累计 16 天，超过 15 天（2026-09-30 起超出）');
  });

  it('applies without verification tasks, to part-time students too, and reads the limit setting', () => {
    const leaves = [{ from: '2026-09-15', to: '2026-09-30', status: 'approved' }];
    expect(
      of(run({ date: '2026-10-01', term: TERM, student: VOC, leaves }).findings, 'R-LEAVE-15'),
    ).toHaveLength(1);
    expect(
      of(
        run({ date: '2026-10-01', term: TERM, student: { ...VOC, studyForm: '非全日制' }, leaves }).findings,
        'R-LEAVE-15',
      ),
    ).toHaveLength(1);
    expect(of(term({ leaves, settings: { leaveLimitDays: 16 } }).findings, 'R-LEAVE-15')).toEqual([]);
  });
});

describe('R-ABSENT-3M: absent without leave for more than 3 months ⇒ propose 退学', () => {
  const c = (date: string, absences: Json[], leaves: Json[] = []) =>
    run({ date, term: TERM, student: VOC, absences, leaves });
  it.each([
    ['2026-11-30', [{ from: '2026-09-01' }], 0, 'exactly 3 months'],
    ['2026-12-01', [{ from: '2026-09-01' }], 1, 'the day after 3 months'],
    ['2027-01-10', [{ from: '2026-09-01', to: '2026-11-30' }], 0, 'returned on the last day'],
    ['2026-12-05', [{ from: '2026-09-01' }], 0, 'broken by approved leave'],
  ])('%s %j → %i', (date, absences, n, why) => {
    const leaves =
      why === 'broken by approved leave'
        ? [{ from: '2026-10-08', to: '2026-10-09', status: 'approved' }]
        : [];
    expect(of(c(date, absences, leaves).findings, 'R-ABSENT-3M')).toHaveLength(n);
  });
  it('is due within the action deadline (working days) after the limit', () => {
    expect(of(c('2026-12-01', [{ from: '2026-09-01' }]).findings, 'R-ABSENT-3M')[0]).toMatchObject({
      level: 'action',
      due: '2026-12-08',
    });
  });
});

describe('R-LEAVE-EXEMPT: approved leave during a task exempts the student from it', () => {
  const task = bureauTask('t1', '2026-09-10', '2026-09-12');
  it.each([
    [{ from: '2026-09-05', to: '2026-09-09', status: 'approved' }, false, 'ends the day before the window'],
    [{ from: '2026-09-05', to: '2026-09-10', status: 'approved' }, true, 'covers the window’s first day'],
    [{ from: '2026-09-12', to: '2026-09-20', status: 'approved' }, true, 'covers the window’s last day'],
    [{ from: '2026-09-13', to: '2026-09-20', status: 'approved' }, false, 'starts the day after'],
    [{ from: '2026-09-05', to: '2026-09-15', status: 'pending' }, false, 'not approved'],
    [
      { from: '2026-09-05', to: '2026-09-15', status: 'approved', returnedOn: '2026-09-10' },
      false,
      'returned before',
    ],
  ])('%j → exempt %s (%s)', (leave, exempt, _why) => {
    const r = term({ tasks: [task], leaves: [leave] });
    expect(of(r.findings, 'R-LEAVE-EXEMPT').length).toBe(exempt ? 1 : 0);
  });
});

describe('R-VERIFY-TERM: every full-time student verified at least once a term', () => {
  it('no pass this term → action due at the end of registration (5 working days after term start)', () => {
    const [f] = of(
      run({ date: '2026-09-03', term: TERM, student: VOC, tasks: [] }).findings,
      'R-VERIFY-TERM',
    );
    expect(f).toMatchObject({ level: 'action', due: '2026-09-08' });
  });
  it('a pass of any task this term (the school’s own roll call too) satisfies it', () => {
    const tasks = [bureauTask('s1', '2026-09-02', '2026-09-02', 'school')];
    expect(of(term({ tasks, checkins: [{ task: 's1', result: 'pass' }] }).findings, 'R-VERIFY-TERM')).toEqual(
      [],
    );
    expect(
      of(term({ tasks, checkins: [{ task: 's1', result: 'fail' }] }).findings, 'R-VERIFY-TERM'),
    ).toHaveLength(1);
  });
  it('not before the term starts, not for part-time students', () => {
    expect(
      of(run({ date: '2026-08-30', term: TERM, student: VOC, tasks: [] }).findings, 'R-VERIFY-TERM'),
    ).toEqual([]);
    expect(of(term({ student: { ...VOC, studyForm: '非全日制' } }).findings, 'R-VERIFY-TERM')).toEqual([]);
  });
});

describe('R-PART-TIME: part-time students take no routine verification', () => {
  it('their misses count for nothing', () => {
    const r = term({
      student: { ...VOC, studyForm: '非全日制' },
      tasks: [bureauTask('t1', '2026-09-10', '2026-09-10'), bureauTask('t2', '2026-09-20', '2026-09-20')],
    });
    expect(r.findings.map((f) => f.rule)).toEqual(['R-PART-TIME']);
    expect(r.findings[0]?.level).toBe('info');
  });
});

describe('R-MISS-2-4: 2 consecutive or 4 total unexcused misses of upper-level tasks', () => {
  const t = (n: number, issuer = 'bureau') =>
    bureauTask(
      `t${n}`,
      `2026-10-${String(10 + n).padStart(2, '0')}`,
      `2026-10-${String(10 + n).padStart(2, '0')}`,
      issuer,
    );
  const pass = (...ns: number[]) => ns.map((n) => ({ task: `t${n}`, result: 'pass' }));
  const miss = (over: Json) => of(term(over).findings, 'R-MISS-2-4');

  it.each([
    [[1, 2], [], 1, '2 consecutive'],
    [[1, 2, 3], [2], 0, 'miss, pass, miss'],
    [[1, 2, 3, 4, 5, 6, 7], [2, 4, 6], 1, '4 total, never two in a row'],
    [[1, 2, 3, 4, 5], [2, 4], 0, '3 total, never two in a row'],
    [[1], [], 0, 'one miss'],
  ])('tasks %j, passed %j → %i (%s)', (tasks, passed, n) => {
    expect(miss({ tasks: tasks.map((x) => t(x)), checkins: pass(...passed) })).toHaveLength(n);
  });

  it('triggers at the 4th total miss, due 5 working days after that task', () => {
    const [f] = miss({ tasks: [1, 2, 3, 4, 5, 6, 7].map((x) => t(x)), checkins: pass(2, 4, 6) });
    // t7 ends on Saturday 2026-10-17: five working days later is Friday 2026-10-23
    expect(f).toMatchObject({ level: 'action', due: '2026-10-23' });
    expect(f?.message).toContain('累计 4 次');
  });

  it('only tasks issued by an upper level count: a school’s own roll call neither counts nor breaks a run', () => {
    expect(miss({ tasks: [t(1, 'school'), t(2)] })).toEqual([]);
    expect(miss({ tasks: [t(1, 'school'), t(2, 'school')] })).toEqual([]);
    const r = miss({ tasks: [t(1), t(2, 'school'), t(3, 'province')], checkins: pass(2) });
    expect(r).toHaveLength(1);
    expect(r[0]?.message).toContain('连续 2 次');
  });

  it('a miss on the last day of the window: not yet a miss that day, a miss the day after', () => {
    const tasks = [bureauTask('a', '2026-10-01', '2026-10-12'), bureauTask('b', '2026-10-13', '2026-10-20')];
    expect(of(run({ date: '2026-10-20', term: TERM, student: VOC, tasks }).findings, 'R-MISS-2-4')).toEqual(
      [],
    );
    expect(
      of(run({ date: '2026-10-21', term: TERM, student: VOC, tasks }).findings, 'R-MISS-2-4'),
    ).toHaveLength(1);
  });

  it('an upheld appeal removes a miss; a rejected one does not', () => {
    const tasks = [t(1), t(2)];
    expect(miss({ tasks, appeals: [{ task: 't2', upheld: true }] })).toEqual([]);
    expect(miss({ tasks, appeals: [{ task: 't2', upheld: false }] })).toHaveLength(1);
  });

  it('leave during a task excuses it without breaking a run', () => {
    const leaves = [{ from: '2026-10-12', to: '2026-10-12', status: 'approved' }];
    expect(miss({ tasks: [t(1), t(2), t(3)], leaves })).toHaveLength(1);
    expect(miss({ tasks: [t(1), t(2)], leaves })).toEqual([]);
  });

  it('a term boundary: tasks of another term do not count', () => {
    const tasks = [bureauTask('old', '2026-06-20', '2026-06-20'), t(1)];
    expect(miss({ tasks })).toEqual([]);
  });

  it('due 5 working days after the task, across the National Day holidays', () => {
    const tasks = [bureauTask('a', '2026-09-22', '2026-09-22'), bureauTask('b', '2026-09-29', '2026-09-29')];
    const [f] = of(run({ date: '2026-10-08', term: TERM, student: VOC, tasks }).findings, 'R-MISS-2-4');
    expect(f?.due).toBe('2026-10-12');
  });

  it('reads the limits from the settings and spares students not enrolled', () => {
    expect(miss({ tasks: [t(1), t(2)], settings: { missConsecutive: 3 } })).toEqual([]);
    expect(miss({ tasks: [t(1), t(2)], student: { ...VOC, status: '休学' } })).toEqual([]);
  });

  it('marks a due date in an unknown year uncertain and says which year', () => {
    const tasks = [bureauTask('a', '2027-03-01', '2027-03-01'), bureauTask('b', '2027-03-08', '2027-03-08')];
    const r = run({
      date: '2027-03-10',
      term: { start: '2027-02-22', end: '2027-07-10' },
      student: VOC,
      tasks,
    });
    const [f] = of(r.findings, 'R-MISS-2-4');
    expect(f).toMatchObject({ due: '2027-03-15', dueUncertain: true });
    expect(f?.message).toContain('2027 年放假安排尚未载入，按周末计算，请以正式通知为准');
    expect(r.warnings).toEqual(['2027 年放假安排尚未载入，按周末计算，请以正式通知为准']);
  });

  it('the tally gives consecutive and total misses for the results screen', () => {
    const f = {
      date: '2026-11-30',
      term: TERM,
      student: {} as never,
      tasks: [t(1), t(2), t(3)],
      checkins: [{ task: 't1', result: 'pass' as const }],
      leaves: [],
      appeals: [],
    };
    const tally = missTally(taskOutcomes(f as Parameters<typeof taskOutcomes>[0]), withDefaults());
    expect([tally.total, tally.consecutive, tally.triggeredBy?.id]).toEqual([2, 2, 't3']);
  });
});

describe('R-ESCALATE: after a verification-driven change, further changes need the province', () => {
  it.each([
    [true, 1],
    [false, 0],
  ])('changedForVerification %s → %i', (flag, n) => {
    const r = run({
      date: '2026-11-02',
      student: { ...VOC, changedForVerification: flag },
      change: { type: '复学' },
    });
    expect(of(r.findings, 'R-ESCALATE')).toHaveLength(n);
    if (n) expect(of(r.findings, 'R-ESCALATE')[0]?.message).toContain('省教育厅批准');
  });
});

describe('R-AID-STOP: with R-MISS-2-4, unpaid aid of the term gets a withdrawal request', () => {
  const tasks = [bureauTask('a', '2026-10-12', '2026-10-12'), bureauTask('b', '2026-10-13', '2026-10-13')];
  it.each([
    [[{ kind: '国家助学金', paid: false }], tasks, 1],
    [
      [
        { kind: '免学费', paid: false },
        { kind: '国家助学金', paid: true },
      ],
      tasks,
      1,
    ],
    [[{ kind: '国家助学金', paid: true }], tasks, 0],
    [[{ kind: '国家助学金', paid: false }], tasks.slice(0, 1), 0],
  ])('aid %j → %i', (aid, ts, n) => {
    const r = term({ student: { ...VOC, aid }, tasks: ts });
    const f = of(r.findings, 'R-AID-STOP');
    expect(f).toHaveLength(n);
    if (n) expect(f[0]?.due).toBe(of(r.findings, 'R-MISS-2-4')[0]?.due);
  });
});

describe('R-APPEAL: an upheld appeal restores the earlier status', () => {
  const tasks = [bureauTask('a', '2026-10-12', '2026-10-12'), bureauTask('b', '2026-10-13', '2026-10-13')];
  const student = { ...VOC, status: '休学', changedForVerification: true, statusBeforeChange: '在校' };
  it('notes the excused miss and asks for the restore once no miss condition remains', () => {
    const r = term({ student, tasks, appeals: [{ task: 'b', upheld: true }] });
    expect(of(r.findings, 'R-APPEAL').map((f) => f.level)).toEqual(['info', 'action']);
    expect(of(r.findings, 'R-APPEAL')[1]?.message).toContain('恢复原学籍状态（在校）');
  });
  it('no restore while the condition still holds, nor for a pending appeal', () => {
    const four = [
      ...tasks,
      bureauTask('c', '2026-10-14', '2026-10-14'),
      bureauTask('d', '2026-10-15', '2026-10-15'),
    ];
    expect(
      of(term({ student, tasks: four, appeals: [{ task: 'b', upheld: true }] }).findings, 'R-APPEAL').map(
        (f) => f.level,
      ),
    ).toEqual(['info']);
    expect(of(term({ student, tasks, appeals: [{ task: 'b' }] }).findings, 'R-APPEAL')).toEqual([]);
  });
});

const INSPECTORS = [
  { id: 'i1', name: '孙立群', enforcementId: '豫教执 4101-0231' },
  { id: 'i2', name: '周晓梅', enforcementId: '豫教执 4101-0457' },
  { id: 'i3', name: '王强', enforcementId: '豫教执 4101-0999', conflicts: ['V'] },
  { id: 'i4', name: '李四' },
];
const inspect = (ids: string[], over: Json = {}, date = '2026-09-24') =>
  run({
    date,
    inspection: {
      schoolId: 'V',
      date: '2026-09-24',
      inspectors: INSPECTORS.filter((i) => ids.includes(i.id)),
      ...over,
    },
  });

describe('R-INSP-2: at least two inspectors with enforcement IDs', () => {
  it.each([
    [['i1', 'i2'], 0],
    [['i1'], 1],
    [['i1', 'i4'], 1],
    [['i1', 'i3'], 1],
    [['i1', 'i2', 'i3'], 0],
  ])('%j → %i refusal', (ids, n) => {
    expect(of(inspect(ids).findings, 'R-INSP-2')).toHaveLength(n);
  });
  it('names who lacks an enforcement ID; the minimum is a setting', () => {
    expect(of(inspect(['i1', 'i4']).findings, 'R-INSP-2')[0]?.message).toContain('李四 没有执法证号');
    expect(of(inspect(['i1', 'i2'], {}, '2026-09-24').findings, 'R-INSP-2')).toEqual([]);
    expect(
      of(
        run({
          date: '2026-09-24',
          settings: { inspectorsMin: 3 },
          inspection: { schoolId: 'V', date: '2026-09-24', inspectors: INSPECTORS.slice(0, 2) },
        }).findings,
        'R-INSP-2',
      ),
    ).toHaveLength(1);
  });
});

describe('R-INSP-RECUSE: an inspector with a conflict of interest recuses', () => {
  it('refuses a conflicted inspector, by name', () => {
    const r = inspect(['i1', 'i2', 'i3']);
    expect(r.allowed).toBe(false);
    expect(of(r.findings, 'R-INSP-RECUSE')[0]?.message).toContain('王强 与检查对象 职业中专 有利害关系');
  });
  it('plain-data helpers for the draw', () => {
    expect(mayInspect(INSPECTORS[2] as never, 'V')).toBe(false);
    expect(mayInspect(INSPECTORS[2] as never, 'A')).toBe(true);
    expect(eligibleInspectors(INSPECTORS, 'V').map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(eligibleInspectors(INSPECTORS, 'A').map((i) => i.id)).toEqual(['i1', 'i2', 'i3']);
  });
});

describe('R-REPORT-10 and R-PUBLISH-20: 10 and 20 working days after the check', () => {
  it('a check on 2026-09-24: report due 2026-10-15, publication 2026-10-29 (National Day)', () => {
    const r = inspect(['i1', 'i2']);
    expect(of(r.findings, 'R-REPORT-10')[0]).toMatchObject({ level: 'action', due: '2026-10-15' });
    expect(of(r.findings, 'R-PUBLISH-20')[0]).toMatchObject({ level: 'action', due: '2026-10-29' });
    expect(of(r.findings, 'R-PUBLISH-20')[0]?.message).toContain('原则上');
    const d = inspectionDeadlines('2026-09-28', standardCalendar(), withDefaults());
    expect([d.report.value, d.publish.value]).toEqual(['2026-10-16', '2026-10-30']);
  });
  it('counts from the end of a check of several days', () => {
    expect(of(inspect(['i1', 'i2'], { endDate: '2026-09-28' }).findings, 'R-REPORT-10')[0]?.due).toBe(
      '2026-10-16',
    );
  });
  it.each([
    ['2026-10-15', 0, ''],
    ['2026-10-16', 1, 'info'],
  ])('reported on %s → %i finding %s', (reportedOn, n, level) => {
    const f = of(inspect(['i1', 'i2'], { reportedOn }, '2026-10-20').findings, 'R-REPORT-10');
    expect(f).toHaveLength(n);
    if (n) expect(f[0]).toMatchObject({ level });
  });
  it('overdue in working days', () => {
    expect(of(inspect(['i1', 'i2'], {}, '2026-10-19').findings, 'R-REPORT-10')[0]?.message).toContain(
      '已逾期 2 个工作日',
    );
  });
  it('a check in an unknown year warns', () => {
    const r = run({
      date: '2027-03-01',
      inspection: { schoolId: 'V', date: '2027-03-01', inspectors: INSPECTORS.slice(0, 2) },
    });
    expect(of(r.findings, 'R-REPORT-10')[0]).toMatchObject({ due: '2027-03-15', dueUncertain: true });
    expect(r.warnings).toEqual(['2027 年放假安排尚未载入，按周末计算，请以正式通知为准']);
  });
  it('a calendar override in the case loads the year', () => {
    const r = run({
      date: '2027-03-01',
      calendar: [{ date: '2027-03-05', kind: 'holiday', note: '测试' }],
      inspection: { schoolId: 'V', date: '2027-03-01', inspectors: INSPECTORS.slice(0, 2) },
    });
    expect(of(r.findings, 'R-REPORT-10')[0]).toMatchObject({ due: '2027-03-16' });
    expect(r.warnings).toEqual([]);
  });
});

describe('case format errors name the field', () => {
  it.each([
    [{ date: '2026-02-30', student: VOC }, 'date'],
    [{ date: '2026-09-01', student: { ...VOC, studyFrom: '全日制' } }, 'student.studyFrom'],
    [{ date: '2026-09-01', student: { ...VOC, schoolId: 'X' } }, 'student.schoolId'],
    [{ date: '2026-09-01', student: VOC, change: { type: '转学', toSchoolId: 'B' } }, 'term'],
    [{ date: '2026-09-01', student: VOC, change: { type: '转校' } }, 'change.type'],
    [
      {
        date: '2026-09-01',
        student: VOC,
        tasks: [{ id: 't', issuer: 'bureau', start: '2026-09-02', end: '2026-09-01' }],
      },
      'tasks[0].end',
    ],
    [
      { date: '2026-09-01', student: VOC, tasks: [], checkins: [{ task: 'x', result: 'pass' }] },
      'checkins[0].task',
    ],
    [{ date: '2026-09-01', student: VOC, settings: { leaveLimitDays: 0 } }, 'settings.leaveLimitDays'],
    [{ date: '2026-09-01' }, 'student'],
    [{ date: '2026-09-01', tasks: [] }, 'student'],
  ])('%j → %s', (c, field) => {
    let error: CaseError | undefined;
    try {
      parseRuleCase({ schools: SCHOOLS, ...c });
    } catch (e) {
      error = e as CaseError;
    }
    expect(error?.field).toBe(field);
    expect(error?.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
