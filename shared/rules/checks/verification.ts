// Routine verification of vocational students (HN 二, 三.5, 四.1, 四.2): which tasks a student missed,
// and what follows — R-PART-TIME, R-LEAVE-EXEMPT, R-APPEAL, R-MISS-2-4, R-AID-STOP, R-VERIFY-TERM,
// R-LEAVE-15, R-ABSENT-3M. Pure: a term of tasks, check-ins, leaves and appeals in; findings out.
import {
  addWorkdays,
  type CalendarAnswer,
  type WorkCalendar,
  workdaysBetween,
} from '../../calendar/calendar';
import { addMonths, dayNumber, fromDayNumber, maxDate, minDate, type Ymd } from '../../calendar/dates';
import { STUDENT_STATUSES } from '../../domain/codes';
import { ruleName } from '../ids';
import type { RuleSettings } from '../settings';
import type {
  AbsenceFact,
  AppealFact,
  CheckinFact,
  Finding,
  LeaveFact,
  RuleLevel,
  StudentFacts,
  TaskFact,
  TermFacts,
} from '../types';

export type VerificationFacts = {
  /** the day of evaluation: a task whose window ended before it and has no pass is missed */
  date: Ymd;
  term?: TermFacts;
  student: StudentFacts;
  tasks: readonly TaskFact[];
  checkins: readonly CheckinFact[];
  leaves: readonly LeaveFact[];
  appeals: readonly AppealFact[];
  absences?: readonly AbsenceFact[];
};

/**
 * passed: a pass check-in. exempt: approved leave overlapping the window (R-LEAVE-EXEMPT). open: the
 * window has not ended (its last day included). appealUpheld: missed, but an appeal was upheld (R-APPEAL).
 * missed: ended without a pass and without a valid reason.
 */
export type TaskOutcomeKind = 'passed' | 'exempt' | 'open' | 'appealUpheld' | 'missed';

export type TaskOutcome = {
  task: TaskFact;
  outcome: TaskOutcomeKind;
  /** counts towards R-MISS-2-4: issued by an upper level (province or bureau) and ending within the term */
  counts: boolean;
};

export const OUTCOME_LABELS: Record<TaskOutcomeKind, string> = {
  passed: '已通过',
  exempt: '请假免核验',
  open: '未截止',
  appealUpheld: '申诉已通过',
  missed: '未按时核验',
};

const label = (t: TaskFact) => `“${t.name ?? t.id}”`;

/** The last day a leave covers: its end, or the day before the return (销假) when earlier. */
export function leaveEnd(l: LeaveFact): Ymd {
  if (!l.returnedOn) return l.to;
  const dayBefore = fromDayNumber((dayNumber(l.returnedOn) ?? 0) - 1);
  return maxDate(l.from, minDate(l.to, dayBefore));
}

const approved = (leaves: readonly LeaveFact[]) => leaves.filter((l) => l.status === 'approved');

/**
 * R-LEAVE-EXEMPT (HN 三.5): "学生学籍处于请假状态，不参与请假期间的学籍核验" — approved leave overlapping the
 * task's window by at least one day. The leave must have been approved by the window's last day: a leave
 * approved afterwards does not turn a miss into an exemption (that is what an appeal is for, HN 四.2).
 */
export function onLeaveDuring(task: TaskFact, leaves: readonly LeaveFact[]): boolean {
  return approved(leaves).some(
    (l) =>
      l.from <= task.end &&
      leaveEnd(l) >= task.start &&
      (l.approvedOn === undefined || l.approvedOn <= task.end),
  );
}

function inTerm(task: TaskFact, term: TermFacts | undefined): boolean {
  return !term || (task.end >= term.start && task.end <= term.end);
}

/** Outcome of every task for the student, ordered by the end of the window (then start, then id). */
export function taskOutcomes(f: VerificationFacts): TaskOutcome[] {
  const passed = new Set(f.checkins.filter((c) => c.result === 'pass').map((c) => c.task));
  const upheld = new Set(f.appeals.filter((a) => a.upheld === true).map((a) => a.task));
  const sorted = [...f.tasks].sort(
    (a, b) => a.end.localeCompare(b.end) || a.start.localeCompare(b.start) || a.id.localeCompare(b.id),
  );
  return sorted.map((task) => {
    const outcome: TaskOutcomeKind = passed.has(task.id)
      ? 'passed'
      : onLeaveDuring(task, f.leaves)
        ? 'exempt'
        : task.end >= f.date && task.closed !== true
          ? 'open'
          : upheld.has(task.id)
            ? 'appealUpheld'
            : 'missed';
    // R-MISS-2-4: "对于上级教育行政部门发起的学籍核验通知" — a school's own roll call never counts.
    return { task, outcome, counts: task.issuer !== 'school' && inTerm(task, f.term) };
  });
}

export type MissTally = {
  /** misses of counted tasks in the term, and the current run of consecutive ones */
  total: number;
  consecutive: number;
  missed: TaskFact[];
  /** the task whose miss completed the condition (2 in a row or 4 in all, the settings), if any */
  triggeredBy: TaskFact | null;
  /** the misses that made the condition */
  cause: TaskFact[];
  kind: 'consecutive' | 'total' | null;
};

/**
 * Counts the misses of R-MISS-2-4. Only counted tasks take part; a pass or an upheld appeal ends a run of
 * consecutive misses; a task the student was exempt from (leave) or that is still open neither counts nor
 * ends a run (the student was not part of it, or it is not decided yet).
 */
export function missTally(outcomes: readonly TaskOutcome[], s: RuleSettings): MissTally {
  const t: MissTally = { total: 0, consecutive: 0, missed: [], triggeredBy: null, cause: [], kind: null };
  let run: TaskFact[] = [];
  for (const o of outcomes) {
    if (!o.counts) continue;
    if (o.outcome === 'passed' || o.outcome === 'appealUpheld') {
      run = [];
      t.consecutive = 0;
    } else if (o.outcome === 'missed') {
      run.push(o.task);
      t.missed.push(o.task);
      t.consecutive = run.length;
      t.total++;
      if (!t.triggeredBy && (run.length >= s.missConsecutive || t.total >= s.missTotal)) {
        t.triggeredBy = o.task;
        t.kind = run.length >= s.missConsecutive ? 'consecutive' : 'total';
        t.cause = t.kind === 'consecutive' ? [...run] : [...t.missed];
      }
    }
  }
  return t;
}

/** A finding with a working-day due date, carrying the calendar's uncertainty into its message. */
function dueFinding(
  rule: string,
  level: RuleLevel,
  message: string,
  due: CalendarAnswer<Ymd>,
  date: Ymd,
  cal: WorkCalendar,
  warnings: string[],
): Finding {
  let text = message;
  if (date > due.value) text += `；已逾期 ${workdaysBetween(cal, due.value, date).value} 个工作日`;
  if (due.uncertain) {
    text += `（${due.warnings.join('；')}）`;
    warnings.push(...due.warnings);
  }
  return { rule, level, message: text, due: due.value, ...(due.uncertain ? { dueUncertain: true } : {}) };
}

const isEnrolled = (st: StudentFacts) => st.status === undefined || st.status === 'enrolled';

/** The union of approved leave days (day numbers), clipped to the term when there is one. */
export function leaveDays(leaves: readonly LeaveFact[], term: TermFacts | undefined): number[] {
  const days = new Set<number>();
  for (const l of approved(leaves)) {
    const from = term ? maxDate(l.from, term.start) : l.from;
    const to = term ? minDate(leaveEnd(l), term.end) : leaveEnd(l);
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (a === null || b === null) continue;
    for (let d = a; d <= b; d++) days.add(d);
  }
  return [...days].sort((x, y) => x - y);
}

/**
 * R-LEAVE-15 (HN 三.5): "学生每学期累计请假时间不得超过 15 天，超出者按休学处理". Approved leave days of
 * the term are added up (calendar days, each day once, a return ending the leave); above the limit the
 * school proposes 休学 within the action deadline (a setting) after the first day over the limit.
 */
export function checkLeaveLimit(
  f: VerificationFacts,
  s: RuleSettings,
  cal: WorkCalendar,
  warnings: string[],
): Finding[] {
  if (!isEnrolled(f.student)) return [];
  const days = leaveDays(f.leaves, f.term);
  if (days.length <= s.leaveLimitDays) return [];
  const over = fromDayNumber(days[s.leaveLimitDays] as number);
  const due = addWorkdays(cal, over, s.leaveActionWorkdays);
  const span = f.term ? `本学期（${f.term.start} 至 ${f.term.end}）` : '';
  return [
    dueFinding(
      'R-LEAVE-15',
      'action',
      `${ruleName('R-LEAVE-15')}：${span}已批准请假累计 ${days.length} 天，超过 ${s.leaveLimitDays} 天（${over} 起超出），应按休学处理，学校须在 ${s.leaveActionWorkdays} 个工作日内（${due.value} 前）提出休学`,
      due,
      f.date,
      cal,
      warnings,
    ),
  ];
}

/**
 * R-ABSENT-3M (HN 三.5): "学生未履行请假手续超过 3 个月的，学生电子学籍按退学处理". An unbroken stretch of
 * absence not covered by approved leave, from day S: on S + 3 months (the setting) it exceeds the limit.
 */
export function checkAbsence(
  f: VerificationFacts,
  s: RuleSettings,
  cal: WorkCalendar,
  warnings: string[],
): Finding[] {
  if (!isEnrolled(f.student) || !f.absences?.length) return [];
  const leave = new Set(leaveDays(f.leaves, undefined));
  const absent = new Set<number>();
  const today = dayNumber(f.date) as number;
  for (const a of f.absences) {
    const from = dayNumber(a.from);
    const to = Math.min(dayNumber(a.to ?? f.date) ?? today, today);
    if (from === null) continue;
    for (let d = from; d <= to; d++) if (!leave.has(d)) absent.add(d);
  }
  const days = [...absent].sort((x, y) => x - y);
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && (days[j + 1] as number) === (days[j] as number) + 1) j++;
    const start = fromDayNumber(days[i] as number);
    const end = fromDayNumber(days[j] as number);
    const over = addMonths(start, s.absenceLimitMonths);
    if (over <= end) {
      const due = addWorkdays(cal, over, s.leaveActionWorkdays);
      return [
        dueFinding(
          'R-ABSENT-3M',
          'action',
          `${ruleName('R-ABSENT-3M')}：该生自 ${start} 起未履行请假手续缺勤，至 ${over} 已超过 ${s.absenceLimitMonths} 个月，学生电子学籍应按退学处理，学校须在 ${s.leaveActionWorkdays} 个工作日内（${due.value} 前）提出退学`,
          due,
          f.date,
          cal,
          warnings,
        ),
      ];
    }
    i = j + 1;
  }
  return [];
}

const AID_NAMES = { grant: '国家助学金（资助金）', feeWaiver: '国家免学费资金' } as const;

/** Every verification rule for one student and term, in the order HN states them. */
export function checkVerification(
  f: VerificationFacts,
  s: RuleSettings,
  cal: WorkCalendar,
  warnings: string[],
): Finding[] {
  const out: Finding[] = [];
  // R-PART-TIME (HN 二): "学习形式为非全日制学习的学生只需完成每年两次注册学籍".
  if (f.student.studyForm === 'partTime') {
    if (f.tasks.length > 0)
      out.push({
        rule: 'R-PART-TIME',
        level: 'info',
        message: `${ruleName('R-PART-TIME')}：该生为非全日制学习，不参加常态化核验，只需每年完成两次学籍注册；列出的 ${f.tasks.length} 次核验不计`,
      });
    out.push(...checkLeaveLimit(f, s, cal, warnings));
    return out;
  }
  const outcomes = taskOutcomes(f);
  for (const o of outcomes) {
    if (o.outcome === 'exempt')
      out.push({
        rule: 'R-LEAVE-EXEMPT',
        level: 'info',
        message: `${ruleName('R-LEAVE-EXEMPT')}：核验任务${label(o.task)}（${o.task.start} 至 ${o.task.end}）期间该生请假已获批准，不参与本次核验，不计为未核验`,
      });
    if (o.outcome === 'appealUpheld')
      out.push({
        rule: 'R-APPEAL',
        level: 'info',
        message: `${ruleName('R-APPEAL')}：核验任务${label(o.task)}的申诉已通过，不计为未核验`,
      });
  }
  const tally = missTally(outcomes, s);
  if (tally.triggeredBy && isEnrolled(f.student)) {
    const due = addWorkdays(cal, tally.triggeredBy.end, s.missActionWorkdays);
    const how =
      tally.kind === 'consecutive' ? `连续 ${tally.cause.length} 次` : `累计 ${tally.cause.length} 次`;
    const list = tally.cause.map((t) => `${label(t)} ${t.end} 截止`).join('、');
    out.push(
      dueFinding(
        'R-MISS-2-4',
        'action',
        `${ruleName('R-MISS-2-4')}：本学期上级教育行政部门发起的学籍核验，该生${how}未按时完成且无正当理由（${list}），学校学籍管理员须在 ${s.missActionWorkdays} 个工作日内（${due.value} 前）结合实际情况把学习形式变更为非全日制，或办理休学、退学`,
        due,
        f.date,
        cal,
        warnings,
      ),
    );
    // R-AID-STOP (HN 四.1): "该生申请的本学期资助金、国家免学费资金尚未发放的，学校应向资助部门提交撤回…的申请".
    const unpaid = (f.student.aid ?? []).filter((a) => !a.paid);
    if (unpaid.length > 0) {
      const names = [...new Set(unpaid.map((a) => AID_NAMES[a.kind]))].join('、');
      out.push(
        dueFinding(
          'R-AID-STOP',
          'action',
          `${ruleName('R-AID-STOP')}：该生本学期申请的${names}尚未发放，学校应同时（${due.value} 前）向资助部门提交撤回该生资助、免学费的申请`,
          due,
          f.date,
          cal,
          warnings,
        ),
      );
    }
  }
  // R-APPEAL (HN 四.2): "申诉通过的，恢复原学籍状态" — once no miss condition remains.
  const anyUpheld = outcomes.some((o) => o.outcome === 'appealUpheld');
  if (anyUpheld && !tally.triggeredBy && f.student.changedForVerification && f.student.statusBeforeChange) {
    const before =
      STUDENT_STATUSES[f.student.statusBeforeChange as keyof typeof STUDENT_STATUSES] ??
      f.student.statusBeforeChange;
    out.push({
      rule: 'R-APPEAL',
      level: 'action',
      message: `${ruleName('R-APPEAL')}：申诉通过后该生已不再满足未核验处理的条件，应恢复原学籍状态（${before}）`,
    });
  }
  // R-VERIFY-TERM (HN 四.1): "学校应于每学期学生到校注册时完成至少 1 次学籍核验".
  if (f.term && isEnrolled(f.student) && f.date >= f.term.start) {
    const term = f.term;
    const verified = outcomes.some((o) => o.outcome === 'passed' && inTerm(o.task, term));
    if (!verified) {
      const due = addWorkdays(cal, term.start, s.registrationWorkdays);
      out.push(
        dueFinding(
          'R-VERIFY-TERM',
          'action',
          `${ruleName('R-VERIFY-TERM')}：本学期（${term.start} 开学）该生尚无通过的学籍核验，学校须在到校注册期内（开学后 ${s.registrationWorkdays} 个工作日，${due.value} 前）完成至少 1 次核验`,
          due,
          f.date,
          cal,
          warnings,
        ),
      );
    }
  }
  out.push(...checkLeaveLimit(f, s, cal, warnings));
  out.push(...checkAbsence(f, s, cal, warnings));
  return out;
}
