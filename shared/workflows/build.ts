// Building the next state of a request for one act of one person (the app's commands): a new draft, the
// submission, a decision, a withdrawal, the filing of the paper copy. Each result then passes
// decideTransition with the copy's facts — the same function the server runs on the push.

import { chinaDate } from '../calendar/china';
import type { OrgDoc } from '../domain/schemas';
import type { Student } from '../domain/student';
import { snapshotOf } from './checks';
import { definitionOf } from './definitions';
import { resolveRoute } from './route';
import { withDerived } from './state';
import type {
  ChangeItem,
  ChangeRequestDoc,
  ChangeType,
  DecisionValue,
  Proof,
  StudentSnapshot,
  WarnReason,
  WorkflowActor,
} from './types';

export type Clock = { now: () => string; newId: () => string };

/** "CR-20260915-7F3A9C21": readable on paper, unique without the server (8 hex of a random id). */
export function requestId(nowIso: string, randomId: string): string {
  const day = chinaDate(nowIso).replace(/-/g, '');
  const tail = randomId
    .replace(/[^0-9a-fA-F]/g, '')
    .slice(0, 8)
    .toUpperCase()
    .padEnd(8, '0');
  return `CR-${day}-${tail}`;
}

export type DraftInput = {
  type: ChangeType;
  school: OrgDoc;
  /** the school's own students (every type but a transfer-in) */
  students?: readonly Student[];
  /** a transfer-in: who the family says the student is, and the school R-ONE named */
  transferIn?: { student: StudentSnapshot; fromSchoolId: string; fromSchoolName: string };
  details?: Record<string, string>;
  items?: ChangeItem[];
  reason?: string;
  applicant?: ChangeRequestDoc['applicant'];
  appliedOn?: string;
  proofs?: Proof[];
  warnReasons?: WarnReason[];
  basis?: ChangeRequestDoc['basis'];
};

/** A new draft of the school's request. */
export function newDraft(input: DraftInput, actor: WorkflowActor, orgs: readonly OrgDoc[], clock: Clock) {
  const now = clock.now();
  const def = definitionOf(input.type);
  const students = input.students ?? [];
  const base: ChangeRequestDoc = {
    id: requestId(now, clock.newId()),
    type: input.type,
    schoolId: input.school.id,
    orgPath: input.school.path,
    studentIds: input.transferIn ? [] : students.map((s) => s.id),
    students: input.transferIn
      ? [input.transferIn.student]
      : students.map((s) => snapshotOf(s, input.school.name)),
    ...(input.transferIn
      ? { fromSchoolId: input.transferIn.fromSchoolId, fromSchoolName: input.transferIn.fromSchoolName }
      : {}),
    details: input.details ?? {},
    ...(input.type === 'infoChange' ? { items: input.items ?? [] } : {}),
    reason: input.reason ?? '',
    applicant: input.applicant ?? { name: '' },
    appliedOn: input.appliedOn ?? chinaDate(now),
    proofs: input.proofs ?? [],
    ...(input.warnReasons?.length ? { warnReasons: input.warnReasons } : {}),
    ...(input.basis ? { basis: input.basis } : {}),
    route: [],
    decisions: [],
    status: 'draft',
    step: 0,
    createdAt: now,
    createdBy: actor.id,
    createdByName: actor.name,
    updatedAt: now,
    updatedBy: actor.id,
  };
  return withDerived({ ...base, route: resolveRoute(def, base, orgs, false) });
}

/** The draft with edited content (never its workflow fields). */
export function editDraft(
  doc: ChangeRequestDoc,
  patch: Partial<
    Pick<
      ChangeRequestDoc,
      | 'details'
      | 'items'
      | 'reason'
      | 'applicant'
      | 'appliedOn'
      | 'proofs'
      | 'warnReasons'
      | 'basis'
      | 'students'
      | 'studentIds'
    >
  >,
  actor: WorkflowActor,
  clock: Pick<Clock, 'now'>,
): ChangeRequestDoc {
  const next: Record<string, unknown> = { ...doc, ...patch, updatedAt: clock.now(), updatedBy: actor.id };
  for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
  if (Array.isArray(next.warnReasons) && next.warnReasons.length === 0) delete next.warnReasons;
  return next as ChangeRequestDoc;
}

function decisionOf(
  step: number,
  decision: DecisionValue,
  opinion: string,
  actor: WorkflowActor,
  clock: Clock,
) {
  return {
    id: `d-${clock.newId()}`.slice(0, 60),
    step,
    decision,
    opinion: opinion.trim(),
    by: actor.id,
    byName: actor.name,
    orgId: actor.orgId,
    orgName: actor.orgName,
    at: clock.now(),
  };
}

/** The school submits: its opinion is the decision of step 0 (同意上报). */
export function withSubmission(doc: ChangeRequestDoc, opinion: string, actor: WorkflowActor, clock: Clock) {
  const now = clock.now();
  return withDerived({
    ...doc,
    decisions: [...doc.decisions, decisionOf(0, 'approve', opinion || '同意上报', actor, clock)],
    updatedAt: now,
    updatedBy: actor.id,
  });
}

/** A decision of the step waiting on this copy. */
export function withDecision(
  doc: ChangeRequestDoc,
  decision: DecisionValue,
  opinion: string,
  actor: WorkflowActor,
  clock: Clock,
) {
  const now = clock.now();
  const text = opinion.trim() || (decision === 'approve' ? '同意' : '');
  return withDerived({
    ...doc,
    decisions: [...doc.decisions, decisionOf(doc.step, decision, text, actor, clock)],
    updatedAt: now,
    updatedBy: actor.id,
  });
}

export function withWithdrawal(doc: ChangeRequestDoc, reason: string, actor: WorkflowActor, clock: Clock) {
  const now = clock.now();
  return withDerived({
    ...doc,
    withdrawn: { at: now, by: actor.id, byName: actor.name, reason: reason.trim() },
    updatedAt: now,
    updatedBy: actor.id,
  });
}

export function withFiling(doc: ChangeRequestDoc, actor: WorkflowActor, clock: Pick<Clock, 'now'>) {
  const now = clock.now();
  return {
    ...doc,
    filed: { at: now, by: actor.id, byName: actor.name },
    updatedAt: now,
    updatedBy: actor.id,
  };
}
