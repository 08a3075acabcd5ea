// Who a task calls (the roll), and the facts the rules take from the records of one student. The server
// builds the roll when a task is published and the rules' facts for every evaluation; the app builds the
// same facts for its screens — one copy of each (shared/rules/checks/verification.ts decides).

import { chinaDate } from '../calendar/china';
import type { Ymd } from '../calendar/dates';
import type { Student } from '../domain/student';
import { leaveDays, onLeaveDuring } from '../rules/checks/verification';
import type { AppealFact, CheckinFact, LeaveFact, StudentFacts, TaskFact } from '../rules/types';
import type { AppealDoc, LeaveDoc, ResultState, VerificationRecordDoc, VerificationTaskDoc } from './schemas';

/** The window of a task as days (Beijing dates), as the rules count. */
export function taskDays(t: Pick<VerificationTaskDoc, 'start' | 'end'>): { start: Ymd; end: Ymd } {
  // The last instant of the window is just before `end`: a window ending at 00:00 ends the day before.
  return { start: chinaDate(t.start), end: chinaDate(Date.parse(t.end) - 1) };
}

/** A leave as the rules see it (absences are not leave). */
export function leaveFact(l: LeaveDoc): LeaveFact | null {
  if (l.kind !== 'leave' || !l.to) return null;
  const status = l.status === 'recorded' ? 'approved' : l.status;
  return {
    from: l.from,
    to: l.to,
    status,
    ...(l.returnedOn ? { returnedOn: l.returnedOn } : {}),
    ...(l.status === 'approved' && l.decidedAt ? { approvedOn: chinaDate(l.decidedAt) } : {}),
  };
}

/** Why a student is not called by a task, or null when the student is called. */
export type RollExclusion = 'school' | 'status' | 'partTime' | 'grade' | 'class';

/** R-PART-TIME (HN 二): "学习形式为全日制学习的学生参加常态化核验" — and only students in school (在校). */
export function rollExclusion(
  task: Pick<VerificationTaskDoc, 'scope'>,
  s: Pick<Student, 'schoolId' | 'status' | 'studyForm' | 'grade' | 'classId'>,
): RollExclusion | null {
  if (!task.scope.schoolIds.includes(s.schoolId)) return 'school';
  if (s.status !== 'enrolled') return 'status';
  if (s.studyForm === '2') return 'partTime';
  if (task.scope.grades?.length && !task.scope.grades.includes(s.grade)) return 'grade';
  if (task.scope.classIds?.length && !task.scope.classIds.includes(s.classId)) return 'class';
  return null;
}

/**
 * R-LEAVE-EXEMPT (HN 三.5): the state a called student starts with — exempt when an approved leave covers
 * a day of the window (approved before the window ended), otherwise pending. The rule is the rules'.
 */
export function initialState(
  task: Pick<VerificationTaskDoc, 'start' | 'end'>,
  leaves: readonly LeaveDoc[],
): 'exempt' | 'pending' {
  const facts = leaves.map(leaveFact).filter((f): f is LeaveFact => f !== null);
  return onLeaveDuring({ id: '', issuer: 'bureau', ...taskDays(task) }, facts) ? 'exempt' : 'pending';
}

/** A task as the rules see it; `closed` once its closing instant has passed. */
export function taskFact(t: VerificationTaskDoc, now: number): TaskFact {
  return {
    id: t.id,
    issuer: t.issuer,
    ...taskDays(t),
    name: t.name,
    ...(Date.parse(t.end) <= now ? { closed: true } : {}),
  };
}

/** The student's facts for the rules (studyForm 2 = 非全日制; aid applied for and not yet withdrawn). */
export function studentFactsOf(
  s: Pick<Student, 'schoolId' | 'name' | 'status' | 'studyForm' | 'aid'>,
  record?: Pick<VerificationRecordDoc, 'aidWithdrawal'>,
): StudentFacts {
  const facts: StudentFacts = { schoolId: s.schoolId, name: s.name, status: s.status };
  if (s.studyForm === '1') facts.studyForm = 'fullTime';
  if (s.studyForm === '2') facts.studyForm = 'partTime';
  // R-AID-STOP: whether this term's aid was paid out is not in the roster; it counts as unpaid until the
  // aid office records the withdrawal (or that nothing is left to withdraw) on the record.
  const paid = record?.aidWithdrawal !== undefined;
  const aid = [
    ...(s.aid?.grant ? [{ kind: 'grant' as const, paid }] : []),
    ...(s.aid?.feeWaiver ? [{ kind: 'feeWaiver' as const, paid }] : []),
  ];
  if (aid.length > 0) facts.aid = aid;
  return facts;
}

const PASSED: ResultState[] = ['passed'];

/** The check-ins the rules see: a pass per passed task. */
export function checkinFacts(record: Pick<VerificationRecordDoc, 'results'> | undefined): CheckinFact[] {
  return Object.entries(record?.results ?? {})
    .filter(([, r]) => PASSED.includes(r.s))
    .map(([task]) => ({ task, result: 'pass' as const }));
}

/** The appeals the rules see: upheld ones by task (an upheld result on the record counts as well). */
export function appealFacts(
  appeals: readonly AppealDoc[],
  record: Pick<VerificationRecordDoc, 'results'> | undefined,
): AppealFact[] {
  const upheld = new Set<string>();
  for (const a of appeals) if (a.status === 'upheld') for (const t of a.taskIds) upheld.add(t);
  for (const [t, r] of Object.entries(record?.results ?? {})) if (r.s === 'appealUpheld') upheld.add(t);
  return [...upheld].map((task) => ({ task, upheld: true }));
}

/** R-LEAVE-15: the approved leave days of a term (each day once, a return ending the leave). */
export function termLeaveDays(leaves: readonly LeaveDoc[], term: { start: Ymd; end: Ymd }): number {
  return leaveDays(
    leaves.map(leaveFact).filter((f): f is LeaveFact => f !== null),
    term,
  ).length;
}
