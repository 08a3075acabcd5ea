// The consequences of a student's term (HN 三.5, 四.1, 四.2), evaluated by the server after every relevant
// write and daily: the rules engine's findings (shared/rules/checks/verification.ts) become actions on the
// student's term record, each with its due date, kept until handled (done) or no longer applying (void).
// Handling an R-MISS-2-4 action by a change of study form or status sets R-ESCALATE; an upheld appeal that
// removes the condition restores the state recorded when the action was raised (R-APPEAL). Idempotent:
// evaluating the same facts twice changes nothing.
import type { WorkCalendar } from '../calendar/calendar';
import { chinaDate } from '../calendar/china';
import { STUDENT_STATUSES } from '../domain/codes';
import type { Student } from '../domain/student';
import {
  checkVerification,
  missTally,
  taskOutcomes,
  type VerificationFacts,
} from '../rules/checks/verification';
import { ruleName } from '../rules/ids';
import type { RuleSettings } from '../rules/settings';
import type { AbsenceFact, Finding } from '../rules/types';
import { canonicalJson } from '../sync/equal';
import { appealFacts, checkinFacts, leaveFact, studentFactsOf, taskFact } from './roll';
import type {
  AppealDoc,
  LeaveDoc,
  TaskResult,
  VerificationAction,
  VerificationRecordDoc,
  VerificationTaskDoc,
} from './schemas';
import type { Term } from './time';

/** The consequences stored as actions (R-VERIFY-TERM is a list of the term, R-APPEAL is applied). */
export const ACTION_RULES = ['R-MISS-2-4', 'R-AID-STOP', 'R-LEAVE-15', 'R-ABSENT-3M', 'R-APPEAL'] as const;

export type StudentState = Pick<
  Student,
  'id' | 'schoolId' | 'orgPath' | 'name' | 'status' | 'studyForm' | 'aid' | 'classId' | 'grade'
>;

export type EvaluationInput = {
  now: number;
  student: StudentState;
  /** the stored record of this term, if any */
  record: VerificationRecordDoc | undefined;
  term: Term;
  /** the tasks the record has results of (cancelled ones do not count) */
  tasks: ReadonlyMap<string, VerificationTaskDoc>;
  leaves: readonly LeaveDoc[];
  appeals: readonly AppealDoc[];
  settings: RuleSettings;
  calendar: WorkCalendar;
  by: string;
};

/** What an upheld appeal gives back to the student record (R-APPEAL), applied by the server. */
export type Restore = {
  patch: { status?: Student['status']; studyForm?: string };
  before: { status?: string; studyForm?: string };
  reason: string;
  actionKey: string;
};

export type Evaluation = {
  /** the record to store (null: none is needed); `changed` says whether it differs from the stored one */
  record: VerificationRecordDoc | null;
  changed: boolean;
  restore: Restore | null;
  findings: Finding[];
  warnings: string[];
};

export const recordId = (studentId: string, termKey: string) => `vr:${studentId}:${termKey}`;

const statusName = (s: string | undefined) =>
  s ? (STUDENT_STATUSES[s as keyof typeof STUDENT_STATUSES] ?? s) : '—';
const formName = (f: string | undefined) => (f === '2' ? '非全日制' : f === '1' ? '全日制' : '—');

/** How the school handled an action, judged by the student's state now (null: not handled). */
function handledHow(
  a: VerificationAction,
  s: StudentState,
  r: Pick<VerificationRecordDoc, 'aidWithdrawal'>,
): string | null {
  const before = a.before ?? {};
  switch (a.rule) {
    case 'R-MISS-2-4':
      if (s.studyForm === '2' && before.studyForm !== '2') return '已把学习形式变更为非全日制';
      if (s.status === 'suspended' && before.status !== 'suspended') return '已办理休学';
      if (s.status === 'withdrawn' && before.status !== 'withdrawn') return '已办理退学';
      return null;
    case 'R-LEAVE-15':
      return s.status === 'suspended' && before.status !== 'suspended' ? '已办理休学' : null;
    case 'R-ABSENT-3M':
      return s.status === 'withdrawn' && before.status !== 'withdrawn' ? '已办理退学' : null;
    case 'R-AID-STOP':
      if (r.aidWithdrawal?.state === 'submitted') return '已向资助部门提交撤回资助、免学费的申请';
      if (r.aidWithdrawal?.state === 'notNeeded') return '资助部门核实：本学期资助、免学费已发放或无需撤回';
      return null;
    default:
      return null;
  }
}

function keyOf(f: Finding, trigger: string | null, term: Term): string {
  if (f.rule === 'R-MISS-2-4' || f.rule === 'R-AID-STOP') return `${f.rule}:${trigger ?? term.key}`;
  return `${f.rule}:${term.key}`;
}

const state = (s: StudentState) => ({
  ...(s.status ? { status: s.status } : {}),
  ...(s.studyForm ? { studyForm: s.studyForm } : {}),
});

/** Evaluates one student's term; see the file comment. */
export function evaluateStudent(i: EvaluationInput): Evaluation {
  const nowIso = new Date(i.now).toISOString();
  const s = i.student;
  const stored = i.record;
  const base: VerificationRecordDoc = stored ?? {
    id: recordId(s.id, i.term.key),
    kind: 'record',
    schoolId: s.schoolId,
    orgPath: s.orgPath,
    studentId: s.id,
    termKey: i.term.key,
    term: { start: i.term.start, end: i.term.end, ...(i.term.name ? { name: i.term.name } : {}) },
    results: {},
    updatedAt: nowIso,
    updatedBy: i.by,
  };
  // An upheld appeal takes the miss away (R-APPEAL, HN 四.2 "申诉通过的，恢复原学籍状态").
  const results: Record<string, TaskResult> = { ...base.results };
  for (const a of i.appeals) {
    if (a.status !== 'upheld') continue;
    for (const t of a.taskIds) {
      const r = results[t];
      if (r && (r.s === 'missed' || r.s === 'failed' || r.s === 'pending'))
        results[t] = { ...r, s: 'appealUpheld' };
    }
  }
  const tasks = Object.keys(results)
    .map((id) => i.tasks.get(id))
    .filter((t): t is VerificationTaskDoc => t !== undefined && t.status !== 'cancelled')
    .map((t) => taskFact(t, i.now));
  const absences: AbsenceFact[] = i.leaves
    .filter((l) => l.kind === 'absence' && l.status === 'recorded')
    .map((l) => ({ from: l.from, ...(l.to ? { to: l.to } : {}) }));
  const facts: VerificationFacts = {
    date: chinaDate(i.now),
    term: { start: i.term.start, end: i.term.end },
    student: studentFactsOf(s, base),
    tasks,
    checkins: checkinFacts({ results }),
    leaves: i.leaves.map(leaveFact).filter((f) => f !== null),
    appeals: appealFacts(i.appeals, { results }),
    absences,
  };
  const warnings: string[] = [];
  const findings = checkVerification(facts, i.settings, i.calendar, warnings);
  // The miss condition as it stands whatever the student's state now (a student made part-time for it
  // still has the misses; an appeal may have taken them away).
  const tally = missTally(taskOutcomes(facts), i.settings);
  const upheld = (ids: readonly string[] | undefined) =>
    (ids ?? []).some((t) => results[t]?.s === 'appealUpheld');

  const prev = base.actions ?? [];
  const found = new Map<string, { f: Finding; taskIds?: string[] }>();
  for (const f of findings) {
    if (
      f.level !== 'action' ||
      !(ACTION_RULES as readonly string[]).includes(f.rule) ||
      f.rule === 'R-APPEAL'
    )
      continue;
    const miss = f.rule === 'R-MISS-2-4' || f.rule === 'R-AID-STOP';
    found.set(keyOf(f, tally.triggeredBy?.id ?? null, i.term), {
      f,
      ...(miss ? { taskIds: tally.cause.map((t) => t.id) } : {}),
    });
  }
  let escalated = base.escalated;
  let restore: Restore | null = null;
  const extra: VerificationAction[] = [];
  const actions: VerificationAction[] = prev.map((a) => {
    const now = found.get(a.key);
    if (now) {
      found.delete(a.key);
      if (a.state !== 'open') return a;
      return {
        ...a,
        message: now.f.message,
        ...(now.f.due ? { due: now.f.due } : {}),
        ...(now.f.dueUncertain ? { dueUncertain: true } : { dueUncertain: undefined }),
      };
    }
    if (a.state === 'open') {
      const how = handledHow(a, s, base);
      if (how) {
        if (a.rule === 'R-MISS-2-4' && !escalated)
          escalated = {
            since: nowIso,
            rule: 'R-MISS-2-4',
            reason: `${ruleName('R-ESCALATE')}：因核验未通过（R-MISS-2-4）${how}，此后再次异动该生学籍须学校逐级提请省教育厅批准`,
          };
        return { ...a, state: 'done', closedAt: nowIso, closedHow: how, after: state(s) };
      }
      return {
        ...a,
        state: 'void',
        closedAt: nowIso,
        closedHow: upheld(a.taskIds) ? '申诉已通过，不再需要处理（R-APPEAL）' : '已不再满足处理条件',
      };
    }
    // R-APPEAL: a change made because of R-MISS-2-4 whose misses an upheld appeal took away.
    if (
      a.rule === 'R-MISS-2-4' &&
      a.state === 'done' &&
      !a.restoredAt &&
      upheld(a.taskIds) &&
      !tally.triggeredBy
    ) {
      const after = a.after ?? {};
      const unchanged =
        (after.status ?? '') === (s.status ?? '') && (after.studyForm ?? '') === (s.studyForm ?? '');
      const before = a.before ?? {};
      if (unchanged) {
        const patch: Restore['patch'] = {};
        if (before.status && before.status !== s.status) patch.status = before.status as Student['status'];
        if (before.studyForm && before.studyForm !== s.studyForm) patch.studyForm = before.studyForm;
        const what = [
          patch.status ? `学籍状态 ${statusName(s.status)} → ${statusName(patch.status)}` : '',
          patch.studyForm ? `学习形式 ${formName(s.studyForm)} → ${formName(patch.studyForm)}` : '',
        ]
          .filter(Boolean)
          .join('，');
        restore = {
          patch,
          before: state(s),
          actionKey: a.key,
          reason: `${ruleName('R-APPEAL')}：申诉通过，恢复原学籍状态（${what || '无变化'}）`,
        };
        if (escalated?.rule === 'R-MISS-2-4') escalated = undefined;
        return { ...a, restoredAt: nowIso, closedHow: `${a.closedHow ?? ''}；申诉通过，已恢复原学籍状态` };
      }
      const key = `R-APPEAL:${a.key}`;
      if (!prev.some((p) => p.key === key))
        extra.push({
          key,
          rule: 'R-APPEAL',
          message: `${ruleName('R-APPEAL')}：申诉已通过，该生应恢复原学籍状态（${statusName(before.status)}，${formName(before.studyForm)}）；但该生此后学籍又有变动（现为${statusName(s.status)}，${formName(s.studyForm)}），请核对后办理恢复学籍`,
          since: nowIso,
          state: 'open',
          before,
          ...(a.taskIds ? { taskIds: a.taskIds } : {}),
        });
    }
    return a;
  });
  for (const [key, { f, taskIds }] of found)
    actions.push({
      key,
      rule: f.rule,
      message: f.message,
      ...(f.due ? { due: f.due } : {}),
      ...(f.dueUncertain ? { dueUncertain: true } : {}),
      since: nowIso,
      state: 'open',
      before: state(s),
      ...(taskIds ? { taskIds } : {}),
    });
  actions.push(...extra);
  const clean = actions.map((a) => {
    const { dueUncertain, ...rest } = a;
    return dueUncertain ? { ...rest, dueUncertain } : rest;
  });

  const next: VerificationRecordDoc = {
    ...base,
    orgPath: s.orgPath,
    ...(s.classId ? { classId: s.classId } : {}),
    ...(s.grade ? { grade: s.grade } : {}),
    studentName: s.name,
    results,
  };
  if (clean.length > 0) next.actions = clean;
  else delete next.actions;
  if (escalated) next.escalated = escalated;
  else delete next.escalated;
  const comparable = ({ updatedAt: _a, updatedBy: _b, ...rest }: VerificationRecordDoc) =>
    canonicalJson(rest);
  const changed = !stored || comparable(stored) !== comparable(next);
  if (!stored && Object.keys(results).length === 0 && clean.length === 0)
    return { record: null, changed: false, restore: null, findings, warnings };
  return {
    record: changed ? { ...next, updatedAt: nowIso, updatedBy: i.by } : next,
    changed,
    restore,
    findings,
    warnings,
  };
}

/** R-ESCALATE as the workflows read it: the student's escalation on any of their records, if any. */
export function escalationOf(records: readonly Pick<VerificationRecordDoc, 'escalated'>[]) {
  return records.find((r) => r.escalated)?.escalated ?? null;
}

/** The open actions of a record (what the inbox lists). */
export function openActions(r: Pick<VerificationRecordDoc, 'actions'>): VerificationAction[] {
  return (r.actions ?? []).filter((a) => a.state === 'open');
}
