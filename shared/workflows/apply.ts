// What approval does to a student (issue 12): status, school, class, grade, major, study form, key
// fields — each type its own change, a restore re-applying the state before an earlier change, a
// 普通高中 student resuming into a lower grade (or registered new) getting a new 学籍辅号 (YQ 二(一)(四)).
// The server applies it in the transaction that accepts the last approval (server/workflows); the
// history event and the change-roster entry come with it.
import type { EventDoc } from '../domain/schemas';
import type { Student } from '../domain/student';
import { valueEqual } from '../sync/equal';
import { isLowerGrade, type WorkflowFacts, withItems } from './checks';
import { definitionOf, levelOf } from './definitions';
import { type RosterEntry, rosterEntriesOf } from './roster';
import { type AppliedChange, CHANGE_TYPES, type ChangeRequestDoc } from './types';

/** Does approval give this student a new 学籍辅号 (普通高中: enrolment without one, resumption into a lower grade). */
export function needsNewAuxNo(
  req: ChangeRequestDoc,
  s: Student,
  facts: Pick<WorkflowFacts, 'orgs'>,
): boolean {
  const level = levelOf(facts.orgs.find((o) => o.id === req.schoolId));
  if (level !== 'senior') return false;
  if (req.type === 'enrolment') return !s.auxNo;
  if (req.type === 'resumption') return isLowerGrade(s.grade, req.details.toGrade ?? s.grade);
  return false;
}

/** The fields approval sets on one student (undefined: the field is removed). */
function targetFields(req: ChangeRequestDoc, s: Student, facts: WorkflowFacts): Record<string, unknown> {
  const d = req.details;
  const auxNo = needsNewAuxNo(req, s, facts) ? facts.server?.newAuxNos?.[s.id] : undefined;
  switch (req.type) {
    case 'enrolment':
      return auxNo ? { auxNo } : {};
    case 'graduation':
      return { status: 'graduated' };
    case 'transfer':
      return { schoolId: req.schoolId, orgPath: req.orgPath, grade: d.toGrade, classId: d.toClass };
    case 'majorChange':
      return { major: d.toMajor };
    case 'repeat':
    case 'skip':
      return { grade: d.toGrade, classId: d.toClass };
    case 'suspension':
      return { status: 'suspended' };
    case 'resumption':
      return { status: 'enrolled', grade: d.toGrade, classId: d.toClass, ...(auxNo ? { auxNo } : {}) };
    case 'withdrawal':
      return { status: 'withdrawn' };
    case 'cancellation':
      return { status: 'cancelled' };
    case 'death':
      return { status: 'deceased' };
    case 'abroad':
      return { status: 'abroad' };
    case 'studyFormChange':
      return { studyForm: d.toForm };
    case 'restore': {
      const target = facts.requests.find((r) => r.id === d.restoreOf);
      const change = target?.applied?.changes.find((c) => c.studentId === s.id);
      return change
        ? Object.fromEntries(Object.entries(change.before).map(([k, v]) => [k, v ?? undefined]))
        : {};
    }
    case 'infoChange': {
      const next = withItems(s, req.items ?? []);
      return Object.fromEntries(
        (req.items ?? []).map((it) => [it.field, (next as unknown as Record<string, unknown>)[it.field]]),
      );
    }
  }
}

export type StudentApplication = { next: Student; change: AppliedChange };

/** One student after approval, and the fields it changed (before → after; null: the field was absent). */
export function applyToStudent(
  req: ChangeRequestDoc,
  s: Student,
  facts: WorkflowFacts,
  by: string,
): StudentApplication {
  const target = targetFields(req, s, facts);
  const record = s as unknown as Record<string, unknown>;
  const next: Record<string, unknown> = { ...record };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(target)) {
    if (valueEqual(record[k] ?? null, v ?? null)) continue;
    before[k] = record[k] ?? null;
    after[k] = v ?? null;
    if (v === undefined || v === null) delete next[k];
    else next[k] = v;
  }
  next.updatedAt = facts.now;
  next.updatedBy = by;
  return { next: next as unknown as Student, change: { studentId: s.id, before, after } };
}

/** The history event of an applied change on the student (R-WHO: the approving person, the request). */
export function applicationEvent(
  req: ChangeRequestDoc,
  app: StudentApplication,
  facts: Pick<WorkflowFacts, 'now'>,
  by: { id: string; name: string },
): EventDoc {
  const route = req.route.map((s) => s.orgName).join(' → ');
  return {
    id: `ev-${req.id}-${app.next.id}`.slice(0, 64),
    schoolId: app.next.schoolId,
    entity: 'student',
    entityId: app.next.id,
    action: 'change-apply',
    at: facts.now,
    by: by.id,
    byName: by.name.slice(0, 50),
    reason: `${CHANGE_TYPES[req.type]}（申请 ${req.id}，${route} 审批通过）：${req.reason}`.slice(0, 500),
    ...withSchoolNames(req, app.change),
  };
}

/** A move between schools reads by the schools' names in the history (the ids and paths are not listed). */
function withSchoolNames(req: ChangeRequestDoc, change: StudentApplication['change']) {
  if (change.before.schoolId === change.after.schoolId) return { before: change.before, after: change.after };
  const from = req.students.find((s) => s.id === change.studentId)?.schoolName ?? req.fromSchoolName ?? '';
  return {
    before: { ...change.before, ...(from ? { schoolName: from } : {}) },
    after: { ...change.after, schoolName: req.route[0]?.orgName ?? '' },
  };
}

/**
 * What approval of `req` does to `student`: the student's next state, its history event and the
 * request's change-roster entries (变动名册; a transfer: 转入 at the receiving school, 转出 at the sending).
 */
export function applyApproval(
  req: ChangeRequestDoc,
  student: Student,
  facts: WorkflowFacts,
  by: { id: string; name: string },
): { student: Student; change: AppliedChange; events: EventDoc[]; rosterEntries: RosterEntry[] } {
  const app = applyToStudent(req, student, facts, by.id);
  const applied = { at: facts.now, on: facts.today, changes: [app.change] };
  const withApplied = { ...req, status: 'approved' as const, applied };
  return {
    student: app.next,
    change: app.change,
    events: [applicationEvent(req, app, facts, by)],
    rosterEntries: definitionOf(req.type).roster
      ? rosterEntriesOf(withApplied).filter((e) => e.studentId === student.id)
      : [],
  };
}
