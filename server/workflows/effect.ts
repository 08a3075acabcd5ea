// The side effects of an accepted change request, in the pushed row's savepoint (server/sync/effects.ts):
// its history event (R-WHO: submitted, each decision, a late decision, withdrawn, filed), and at approval
// what it does to each student — the student row with its new scope, the history event on the student,
// the student's dependents re-scoped. A transfer moves the student to the receiving school; its history
// and scans up to the transfer stay readable by the sending school (a party of them), nothing after it.
// All or nothing: if anything throws, the request and everything written here are rolled back together.
import type { RowScope } from '../../shared/authority/relation';
import { clipJson, type EventDoc } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import type { SyncDoc } from '../../shared/sync/protocol';
import { applicationEvent } from '../../shared/workflows/apply';
import { stepLabel } from '../../shared/workflows/route';
import { type ChangeRequestDoc, DECISION_LABELS } from '../../shared/workflows/types';
import type { Effect, EffectContext } from '../sync/effects';
import { rescope } from '../sync/rescope';

const CONTENT = [
  'studentIds',
  'details',
  'items',
  'reason',
  'applicant',
  'appliedOn',
  'proofs',
  'warnReasons',
  'basis',
];

type Kind = 'create' | 'edit' | 'submit' | 'approve' | 'reject' | 'late' | 'withdraw' | 'file';

/** What happened to the request in this write, and the decision it made. */
function transition(before: ChangeRequestDoc | null, after: ChangeRequestDoc) {
  const known = new Set((before?.decisions ?? []).map((d) => d.id));
  const fresh = after.decisions.find((d) => !known.has(d.id));
  if (fresh) {
    if (fresh.late) return { kind: 'late' as Kind, decision: fresh };
    if (fresh.step === 0) return { kind: 'submit' as Kind, decision: fresh };
    return { kind: (fresh.decision === 'reject' ? 'reject' : 'approve') as Kind, decision: fresh };
  }
  if (!before?.withdrawn && after.withdrawn) return { kind: 'withdraw' as Kind };
  if (!before?.filed && after.filed) return { kind: 'file' as Kind };
  return { kind: (before ? 'edit' : 'create') as Kind };
}

const ACTIONS: Record<Kind, string> = {
  create: 'change-create',
  edit: 'change-edit',
  submit: 'change-submit',
  approve: 'change-approve',
  reject: 'change-reject',
  late: 'change-late',
  withdraw: 'change-withdraw',
  file: 'change-file',
};

function requestEvent(
  ctx: EffectContext,
  before: ChangeRequestDoc | null,
  after: ChangeRequestDoc,
): EventDoc | null {
  const t = transition(before, after);
  const at = ctx.now().toISOString();
  const changed = CONTENT.filter(
    (k) =>
      JSON.stringify((before as Record<string, unknown> | null)?.[k] ?? null) !==
      JSON.stringify((after as Record<string, unknown>)[k] ?? null),
  );
  if (t.kind === 'edit' && changed.length === 0) return null;
  const d = t.decision;
  const reason =
    t.kind === 'withdraw'
      ? after.withdrawn?.reason
      : d
        ? `${stepLabel(after.route, d.step)}：${DECISION_LABELS[d.decision]}${d.opinion ? `，${d.opinion}` : ''}${d.late ? '（该步骤已由他人先行办理，本意见未采用）' : ''}`
        : undefined;
  const pick = (doc: ChangeRequestDoc | null, keys: readonly string[]) =>
    Object.fromEntries(keys.map((k) => [k, clipJson((doc as Record<string, unknown> | null)?.[k] ?? null)]));
  const keys = t.kind === 'create' || t.kind === 'edit' ? changed : ['status'];
  return {
    id: `ev-${after.id}-${ACTIONS[t.kind]}-${after.decisions.length}-${after.updatedAt}`.slice(0, 64),
    schoolId: after.schoolId,
    entity: 'changeRequest',
    entityId: after.id,
    action: ACTIONS[t.kind],
    at,
    by: ctx.user.id,
    byName: ctx.user.displayName.slice(0, 50),
    ...(reason ? { reason: reason.slice(0, 500) } : {}),
    before: pick(before, keys),
    after: pick(after, keys),
  };
}

/** The scope of a student as the server computes it (scope.ts): its school's path and its class. */
function studentScope(s: Pick<Student, 'orgPath' | 'classId'>): RowScope {
  return { owner: s.classId ? { path: s.orgPath, classId: s.classId } : { path: s.orgPath } };
}

async function applyTo(ctx: EffectContext, req: ChangeRequestDoc): Promise<void> {
  const counted = req.decisions.filter((d) => !d.late);
  const last = counted[counted.length - 1];
  const by = { id: last?.by ?? ctx.user.id, name: last?.byName ?? ctx.user.displayName };
  for (const change of req.applied?.changes ?? []) {
    const [row] = await ctx.tx.query<{ data: Student; scope: RowScope; school_id: string }>(
      `select data, scope, school_id from docs where collection = 'students' and id = $1 and not deleted for update`,
      [change.studentId],
    );
    if (!row) throw new Error(`apply ${req.id}: student ${change.studentId} is gone`);
    const current = row.data as unknown as Record<string, unknown>;
    // Decided in this same transaction from this same row: a difference is a bug, never a silent overwrite.
    for (const [k, v] of Object.entries(change.before))
      if (JSON.stringify(current[k] ?? null) !== JSON.stringify(v ?? null))
        throw new Error(`apply ${req.id}: ${k} of ${change.studentId} changed meanwhile`);
    const next: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(change.after))
      if (v === null || v === undefined) delete next[k];
      else next[k] = v;
    next.updatedAt = ctx.now().toISOString();
    next.updatedBy = by.id;
    const student = next as unknown as Student;
    const scope = studentScope(student);
    const moved = row.school_id !== student.schoolId;
    await ctx.write('students', next as SyncDoc, scope);
    ctx.notify('students', row.scope);
    // History, scans and conflicts follow the student; after a transfer the sending school stays a party
    // of what it holds up to the transfer.
    await rescope(
      ctx,
      { collection: 'students', id: student.id, schoolId: student.schoolId, scope },
      moved ? { schoolId: row.school_id, party: { path: row.scope.owner?.path ?? '' } } : undefined,
    );
    const event = applicationEvent(req, { next: student, change }, { now: next.updatedAt as string }, by);
    const eventScope: RowScope = moved
      ? { ...scope, parties: [{ path: row.scope.owner?.path ?? '' }] }
      : scope;
    await ctx.write('events', event as unknown as SyncDoc, eventScope);
  }
}

export const applyChangeRequests: Effect = {
  name: 'apply-change-request',
  collections: ['changeRequests'],
  async run(ctx) {
    const before = (ctx.before?.data ?? null) as unknown as ChangeRequestDoc | null;
    const after = ctx.after.data as unknown as ChangeRequestDoc;
    if (ctx.after.data._deleted === true) return;
    const event = requestEvent(ctx, before, after);
    if (event) await ctx.write('events', event as unknown as SyncDoc, ctx.after.scope);
    if (after.status === 'approved' && before?.status !== 'approved') await applyTo(ctx, after);
  },
};
