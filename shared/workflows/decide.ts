// The decisions of the workflow (issue 12 "On the server"): what a change of a request is — a draft, a
// submission, the decision of a step, a late decision, a withdrawal, the filing of the paper copy — and
// whether this person may make it now. The app runs it before writing a request; the server runs it on
// every pushed request (server/workflows) with the facts only it has, and stores what it returns. A
// refusal names the rule or what is wrong, in Chinese, and the field.
import type { Finding } from '../rules/types';
import { canonicalJson } from '../sync/equal';
import { applyToStudent } from './apply';
import { checkRequest, isEscalated, refusal, snapshotOf, type WorkflowFacts } from './checks';
import { definitionOf } from './definitions';
import { resolveRoute, stepLabel } from './route';
import { deriveState, withDerived } from './state';
import {
  CHANGE_TYPES,
  type ChangeRequestDoc,
  type Decision,
  isChangeType,
  REQUEST_STATUSES,
  type RouteStep,
  type WorkflowActor,
  type WorkflowRefusal,
} from './types';

export type TransitionKind = 'create' | 'edit' | 'submit' | 'decide' | 'late' | 'withdraw' | 'file';

export type TransitionOk = {
  ok: true;
  kind: TransitionKind;
  /** the request to store: the pushed one with its derived fields, and the server's fields when it decides */
  doc: ChangeRequestDoc;
  findings?: Finding[];
  /** the decision this change made (submit, decide, late) */
  decision?: Decision;
};

export type TransitionRefused = WorkflowRefusal & {
  kind?: TransitionKind;
  /**
   * A refused submission keeps the school's work: the request stays a draft with what was pushed (the
   * server stores this and records the refusal on it).
   */
  draft?: ChangeRequestDoc;
};

export type TransitionResult = TransitionOk | TransitionRefused;

/** Fields that never change once a request exists. */
const IDENTITY = ['id', 'type', 'schoolId', 'orgPath', 'createdAt', 'createdBy'] as const;
/** Fields the server computes (it overwrites what a client sends). */
export const SERVER_FIELDS = ['route', 'findings', 'applied', 'escalated'] as const;
/** Derived from the decisions (state.ts): a push must agree with them. */
const DERIVED = ['status', 'step'] as const;
/** Bookkeeping of every write. */
const STAMPS = ['updatedAt', 'updatedBy'] as const;

const IGNORED_FOR_LOCK = new Set<string>([
  ...SERVER_FIELDS,
  ...DERIVED,
  ...STAMPS,
  'decisions',
  'withdrawn',
  'filed',
]);

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** Can this person decide this step: the role and the org the route names. */
export function mayDecide(
  actor: Pick<WorkflowActor, 'role' | 'orgId'>,
  step: RouteStep | undefined,
): boolean {
  return step !== undefined && step.orgId !== '' && actor.role === step.role && actor.orgId === step.orgId;
}

/** Why this person may not decide this step. */
function notYours(req: ChangeRequestDoc, actor: WorkflowActor, index: number): WorkflowRefusal {
  const s = req.route[index];
  const label = stepLabel(req.route, index);
  if (actor.orgId === req.schoolId && index > 0 && s?.level !== 'school')
    return refusal(
      'SELF_APPROVAL',
      `学校不能审批本校提交的申请：${label}须由${s?.orgName ?? '教育行政部门'}办理`,
      'decisions',
    );
  return refusal(
    'WRONG_PARTY',
    `${actor.orgName}不能办理这一步：${label}须由${s?.orgName ?? ''}的${s?.role === 'schoolAdmin' ? '学籍管理员' : s?.role === 'province' ? '省教育厅' : '教育局'}办理`,
    'decisions',
  );
}

function stateName(status: string, step: number, route: readonly RouteStep[]): string {
  const name = REQUEST_STATUSES[status as keyof typeof REQUEST_STATUSES] ?? status;
  return status === 'submitted' ? `${name}（${stepLabel(route, step)}）` : name;
}

/** A decision record is sound: this person, now or before, an opinion within bounds. */
function checkDecisionRecord(
  d: Decision,
  actor: WorkflowActor,
  facts: WorkflowFacts,
): WorkflowRefusal | null {
  if (d.by !== actor.id || d.orgId !== actor.orgId)
    return refusal('WORKFLOW', '审批记录只能以本人名义提交', 'decisions');
  if (d.decision !== 'approve' && d.decision !== 'reject')
    return refusal('INVALID', '审批结论只能是“同意”或“不同意”', 'decisions');
  if (!Number.isInteger(d.step) || d.step < 0) return refusal('INVALID', '审批步骤不对', 'decisions');
  const at = Date.parse(d.at);
  if (Number.isNaN(at)) return refusal('INVALID', '审批时间不对', 'decisions');
  if (at > Date.parse(facts.now) + 10 * 60_000)
    return refusal('INVALID', '审批时间晚于服务器时间，请检查本机的日期和时间', 'decisions');
  if (d.opinion.length > 500) return refusal('INVALID', '审批意见最多 500 个字', 'decisions');
  if (d.decision === 'reject' && d.opinion.trim().length < 2)
    return refusal('REQUIRED', '退回申请须写明理由（审批意见）', 'decisions');
  return null;
}

/** The fields of `after` that differ from `before`, besides those a transition may change. */
function lockedChanges(before: ChangeRequestDoc, after: ChangeRequestDoc): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter(
    (k) =>
      !k.startsWith('_') &&
      !IGNORED_FOR_LOCK.has(k) &&
      !same((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k]),
  );
}

function locked(before: ChangeRequestDoc, fields: string[]): WorkflowRefusal {
  const what =
    before.status === 'submitted' ? '已提交（审核中）' : `已办结（${REQUEST_STATUSES[before.status]}）`;
  return refusal(
    'LOCKED',
    `${what}的申请不能修改${before.status === 'submitted' ? '；如需更改，请撤回后重新提交' : ''}`,
    fields[0],
  );
}

/** The request as the server (or, with its own copy, the app) completes it: route, snapshots, findings. */
function complete(req: ChangeRequestDoc, facts: WorkflowFacts, opts: { submit: boolean }): ChangeRequestDoc {
  const def = definitionOf(req.type);
  let out: ChangeRequestDoc = { ...req };
  const server = facts.server;
  if (req.type === 'transfer' && server?.transferRecord && 'student' in server.transferRecord) {
    const s = server.transferRecord.student;
    const from = facts.orgs.find((o) => o.id === s.schoolId);
    out = {
      ...out,
      studentIds: [s.id],
      students: [snapshotOf(s, from?.name)],
      fromSchoolName: from?.name ?? out.fromSchoolName,
    };
  } else if (req.type !== 'transfer') {
    const school = facts.orgs.find((o) => o.id === req.schoolId);
    const byId = new Map(facts.students.map((s) => [s.id, s]));
    const snaps = req.studentIds.map((id, i) => {
      const s = byId.get(id);
      return s ? snapshotOf(s, school?.name) : req.students[i];
    });
    if (snaps.length > 0 && snaps.every((s) => s !== undefined))
      out.students = snaps as ChangeRequestDoc['students'];
  }
  const escalated = opts.submit && req.studentIds.some((id) => isEscalated(id, facts.requests, req.id));
  if (escalated) out.escalated = true;
  else delete out.escalated;
  out.route = resolveRoute(def, out, facts.orgs, escalated);
  return out;
}

/** Identity, decisions kept as they were, withdrawal and filing set once. */
function checkHistory(before: ChangeRequestDoc, after: ChangeRequestDoc): WorkflowRefusal | null {
  for (const k of IDENTITY)
    if (!same(before[k], after[k])) return refusal('IMMUTABLE', '申请的类型、所属学校和编号不能修改', k);
  const ids = new Set(after.decisions.map((d) => d.id));
  for (const d of before.decisions) {
    const now = after.decisions.find((x) => x.id === d.id);
    const { late: _a, ...a } = d;
    const { late: _b, ...b } = now ?? ({} as Decision);
    if (!ids.has(d.id) || !same(a, b))
      return refusal('IMMUTABLE', '已有的审批记录不能修改或删除（R-WHO）', 'decisions');
  }
  const order = after.decisions.slice(0, before.decisions.length).map((d) => d.id);
  if (
    !same(
      order,
      before.decisions.map((d) => d.id),
    )
  )
    return refusal('IMMUTABLE', '已有的审批记录不能调整顺序', 'decisions');
  if (before.withdrawn && !same(before.withdrawn, after.withdrawn))
    return refusal('IMMUTABLE', '撤回记录不能修改', 'withdrawn');
  if (before.filed && !same(before.filed, after.filed))
    return refusal('IMMUTABLE', '归档记录不能修改', 'filed');
  return null;
}

/** The pushed status, step and late marks agree with what the decisions give. */
function checkDerived(after: ChangeRequestDoc, route: readonly RouteStep[]): WorkflowRefusal | null {
  const d = deriveState(route, after.decisions, after.withdrawn);
  const lateOk = d.decisions.every((x, i) => (x.late === true) === (after.decisions[i]?.late === true));
  if (d.status === after.status && d.step === after.step && lateOk) return null;
  return refusal(
    'STATE',
    `申请的状态由各步的审批记录决定：按现有审批记录应为“${stateName(d.status, d.step, route)}”，不能改为“${stateName(after.status, after.step, route)}”（不能跳过审批步骤）`,
    'status',
  );
}

function isSchoolAdminOf(actor: WorkflowActor, schoolId: string): boolean {
  return actor.role === 'schoolAdmin' && actor.orgId === schoolId;
}

/**
 * decideSubmission: the school submits (the decision of step 0, "同意上报"). Everything of the request
 * is checked (checks.ts); on success the request is complete (route, snapshots, findings) and, when its
 * route has one step (K-9 graduation), approved with what approval does.
 */
export function decideSubmission(
  after: ChangeRequestDoc,
  d: Decision,
  actor: WorkflowActor,
  facts: WorkflowFacts,
): TransitionResult {
  const draftOf = (): ChangeRequestDoc =>
    withDerived({ ...after, decisions: after.decisions.filter((x) => x.id !== d.id) });
  const refuse = (r: WorkflowRefusal): TransitionRefused => ({ ...r, kind: 'submit', draft: draftOf() });
  if (!isSchoolAdminOf(actor, after.schoolId))
    return { ...refusal('WRONG_PARTY', '申请只能由发起学校的学籍管理员提交', 'decisions'), kind: 'submit' };
  const bad = checkDecisionRecord(d, actor, facts);
  if (bad) return refuse(bad);
  if (d.step !== 0 || d.decision !== 'approve')
    return refuse(refusal('WORKFLOW', '提交申请即学校同意上报：第 1 步只能是“同意”', 'decisions'));
  if (after.decisions.length !== 1)
    return refuse(refusal('WORKFLOW', '提交时只能有学校的一条意见', 'decisions'));
  const completed = complete(after, facts, { submit: true });
  const escalated = completed.escalated === true;
  const checked = checkRequest(completed, facts, escalated);
  if (!checked.ok) return refuse(checked);
  let doc = withDerived({ ...completed, findings: checked.findings });
  if (doc.status === 'approved') doc = withApplied(doc, facts, d);
  return { ok: true, kind: 'submit', doc, findings: checked.findings, decision: d };
}

/** The request with what approval did to each student (the server's facts name the students). */
function withApplied(doc: ChangeRequestDoc, facts: WorkflowFacts, by: Decision): ChangeRequestDoc {
  if (!facts.server) return doc;
  const byId = new Map(facts.students.map((s) => [s.id, s]));
  const changes = doc.studentIds
    .map((id) => byId.get(id))
    .filter((s) => s !== undefined)
    .map((s) => applyToStudent(doc, s, facts, by.by).change);
  return { ...doc, applied: { at: facts.now, on: facts.today, changes } };
}

/**
 * decideStep: a decision of the step waiting — by the role and org the route names, never the school
 * of the request for a bureau's step, never a step ahead. A decision of a step already decided (it
 * reached the server second) is kept, marked late, and changes nothing. An approval re-runs the checks
 * (the student's state may have changed); the last approval applies the change.
 */
export function decideStep(
  before: ChangeRequestDoc,
  after: ChangeRequestDoc,
  d: Decision,
  actor: WorkflowActor,
  facts: WorkflowFacts,
): TransitionResult {
  const route = before.route;
  const fail = (r: WorkflowRefusal): TransitionRefused => ({ ...r, kind: 'decide' });
  const bad = checkDecisionRecord(d, actor, facts);
  if (bad) return fail(bad);
  const changed = lockedChanges(before, after);
  if (changed.length > 0) return fail(locked(before, changed));
  if (before.withdrawn || after.withdrawn !== before.withdrawn || !same(after.filed, before.filed))
    return fail(refusal('WORKFLOW', '一次只能办理一项：审批、撤回或归档', 'decisions'));
  if (d.step >= route.length) return fail(refusal('INVALID', `该申请只有 ${route.length} 步`, 'decisions'));
  const state = deriveState(route, before.decisions, before.withdrawn);
  const decidedSteps = state.counted.size;
  const late = state.status !== 'submitted' || d.step < state.step;
  if (!late && d.step > state.step)
    return fail(
      refusal(
        'SKIP',
        `不能跳过审批步骤：现在等待${stepLabel(route, state.step)}，第 ${d.step + 1} 步要在它之后办理`,
        'decisions',
      ),
    );
  if (late && d.step >= decidedSteps)
    return fail(
      refusal('WORKFLOW', `该申请已${REQUEST_STATUSES[state.status]}，这一步无需再办理`, 'decisions'),
    );
  if (!mayDecide(actor, route[d.step])) return fail(notYours(before, actor, d.step));
  if (late) {
    const doc = withDerived({ ...after, ...serverFieldsOf(before) });
    const derivedProblem = checkDerived(after, route);
    if (derivedProblem) return fail(derivedProblem);
    return { ok: true, kind: 'late', doc, decision: d };
  }
  const derivedProblem = checkDerived(after, route);
  if (derivedProblem) return fail(derivedProblem);
  let doc = withDerived({ ...after, ...serverFieldsOf(before) });
  let findings: Finding[] | undefined;
  if (d.decision === 'approve') {
    const checked = checkRequest(doc, facts, doc.escalated === true);
    if (!checked.ok)
      return fail({
        ...checked,
        reason: `不能同意：${checked.reason}`,
      });
    findings = checked.findings;
    doc = { ...doc, findings };
    if (doc.status === 'approved') doc = withApplied(doc, facts, d);
  }
  return { ok: true, kind: 'decide', doc, decision: d, ...(findings ? { findings } : {}) };
}

function serverFieldsOf(req: ChangeRequestDoc): Partial<ChangeRequestDoc> {
  const out: Record<string, unknown> = {};
  for (const k of SERVER_FIELDS) out[k] = (req as Record<string, unknown>)[k];
  out.students = req.students;
  out.studentIds = req.studentIds;
  if (req.fromSchoolName) out.fromSchoolName = req.fromSchoolName;
  return out as Partial<ChangeRequestDoc>;
}

/** Drops the keys whose value is undefined (a stored document has none). */
function clean(doc: ChangeRequestDoc): ChangeRequestDoc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as ChangeRequestDoc;
}

/**
 * What a change of a request is, and whether `actor` may make it now. `before` is the stored request
 * (null for a new one). Returns the request to store, or why not.
 */
export function decideTransition(
  before: ChangeRequestDoc | null,
  after: ChangeRequestDoc,
  actor: WorkflowActor,
  facts: WorkflowFacts,
): TransitionResult {
  const r = decideInner(before, after, actor, facts);
  if (r.ok) return { ...r, doc: clean(r.doc) };
  return r.draft ? { ...r, draft: clean(r.draft) } : r;
}

function decideInner(
  before: ChangeRequestDoc | null,
  after: ChangeRequestDoc,
  actor: WorkflowActor,
  facts: WorkflowFacts,
): TransitionResult {
  if (!isChangeType(after.type))
    return refusal('INVALID', `“${String(after.type)}”不是学籍异动的类型`, 'type');
  if (before) {
    const h = checkHistory(before, after);
    if (h) return h;
  }
  const known = new Set((before?.decisions ?? []).map((d) => d.id));
  const fresh = after.decisions.filter((d) => !known.has(d.id));
  if (new Set(after.decisions.map((d) => d.id)).size !== after.decisions.length)
    return refusal('INVALID', '审批记录的编号重复', 'decisions');
  const withdrawAdded = !before?.withdrawn && after.withdrawn !== undefined;
  const fileAdded = !before?.filed && after.filed !== undefined;
  if (fresh.length + (withdrawAdded ? 1 : 0) + (fileAdded ? 1 : 0) > 1)
    return refusal('WORKFLOW', '一次只能办理一项：提交、审批、撤回或归档', 'decisions');
  const beforeStatus = before
    ? deriveState(before.route, before.decisions, before.withdrawn).status
    : 'draft';
  const label = CHANGE_TYPES[after.type];

  if (fresh.length === 1) {
    const d = fresh[0] as Decision;
    if (beforeStatus === 'draft' && !before?.withdrawn) return decideSubmission(after, d, actor, facts);
    if (!before) return refusal('WORKFLOW', '新申请只能以草稿或提交的方式建立', 'decisions');
    return decideStep(before, after, d, actor, facts);
  }

  if (withdrawAdded) {
    const w = after.withdrawn as NonNullable<ChangeRequestDoc['withdrawn']>;
    if (!isSchoolAdminOf(actor, after.schoolId))
      return refusal('WRONG_PARTY', '申请只能由发起学校撤回', 'withdrawn');
    if (!before) return refusal('WORKFLOW', '新申请不能直接撤回', 'withdrawn');
    if (beforeStatus !== 'submitted' && beforeStatus !== 'draft')
      return refusal('LOCKED', `已办结（${REQUEST_STATUSES[beforeStatus]}）的申请不能撤回`, 'withdrawn');
    if (w.by !== actor.id) return refusal('WORKFLOW', '撤回记录只能以本人名义提交', 'withdrawn');
    if (w.reason.trim().length < 2) return refusal('REQUIRED', '撤回申请须写明原因', 'withdrawn');
    const changed = lockedChanges(before, after);
    if (changed.length > 0 && beforeStatus !== 'draft') return locked(before, changed);
    const problem = checkDerived(after, before.route);
    if (problem) return problem;
    return { ok: true, kind: 'withdraw', doc: withDerived({ ...after, ...serverFieldsOf(before) }) };
  }

  if (fileAdded) {
    const f = after.filed as NonNullable<ChangeRequestDoc['filed']>;
    if (!before || !isSchoolAdminOf(actor, after.schoolId))
      return refusal('WRONG_PARTY', `${label}审批表的纸质件由发起学校归档`, 'filed');
    if (beforeStatus !== 'approved') return refusal('WORKFLOW', '申请审批通过后才能归档纸质审批表', 'filed');
    if (f.by !== actor.id) return refusal('WORKFLOW', '归档记录只能以本人名义提交', 'filed');
    const changed = lockedChanges(before, after);
    if (changed.length > 0) return locked(before, changed);
    const problem = checkDerived(after, before.route);
    if (problem) return problem;
    return { ok: true, kind: 'file', doc: withDerived({ ...after, ...serverFieldsOf(before) }) };
  }

  // No decision, withdrawal or filing: a draft is created or edited, or nothing that matters changed.
  if (before && beforeStatus !== 'draft') {
    const changed = lockedChanges(before, after);
    if (changed.length > 0) return locked(before, changed);
    const problem = checkDerived(after, before.route);
    if (problem) return problem;
    return { ok: true, kind: 'edit', doc: withDerived({ ...after, ...serverFieldsOf(before) }) };
  }
  if (!isSchoolAdminOf(actor, after.schoolId))
    return refusal('WRONG_PARTY', `${label}申请由学校的学籍管理员填写`, 'schoolId');
  if (after.status !== 'draft' || after.step !== 0)
    return refusal(
      'STATE',
      `申请的状态由各步的审批记录决定：没有审批记录的申请只能是“草稿”，不能是“${REQUEST_STATUSES[after.status] ?? after.status}”（不能跳过审批步骤）`,
      'status',
    );
  if (after.studentIds.length > 100)
    return refusal('INVALID', '一次最多办理 100 名学生，请按班级分批', 'studentIds');
  const doc = withDerived(complete(after, facts, { submit: false }));
  return { ok: true, kind: before ? 'edit' : 'create', doc };
}
