// Pushed rows of the verification collections: the content checks that need the server's data (a task's
// schools and their registered campus, an appeal's results) and the effects of an accepted row, in the
// row's savepoint — a task's roll, a leave's exemptions, an upheld appeal's restore, the consequences
// evaluated again, the history event (R-WHO: who is the authenticated user, when is the server's time).
import type { RowScope } from '../../shared/authority/relation';
import { chinaDate } from '../../shared/calendar/china';
import type { SyncDoc } from '../../shared/sync/protocol';
import { docTitle, type RuleRefusal } from '../../shared/sync/rules';
import type { FieldError } from '../../shared/validate/fields';
import { appealChangeProblems, newAppealProblems } from '../../shared/verification/appeal';
import { leaveChangeProblems, newLeaveProblems } from '../../shared/verification/leave';
import type {
  AidWithdrawal,
  AppealDoc,
  LeaveDoc,
  VerificationDoc,
  VerificationRecordDoc,
  VerificationTaskDoc,
} from '../../shared/verification/schemas';
import { taskProblems, taskUpdateProblems } from '../../shared/verification/task';
import type { Effect, EffectContext } from '../sync/effects';
import type { Notices, RowCheck } from '../sync/store';
import {
  applyAppeal,
  applyLeave,
  cancelTask,
  evaluateStudents,
  publishTask,
  type Writer,
  writeEvent,
} from './service';
import { appealsOf, leavesOf, orgsById, recordsOfStudents, tasksById } from './store';

const refusal = (collection: string, doc: SyncDoc, p: FieldError | undefined): RuleRefusal | null =>
  p
    ? {
        code: p.code === 'ROLE' || p.code === 'OUT_OF_SCOPE' ? p.code : 'INVALID',
        reason: `${docTitle(collection, doc) || '记录'}：${p.message}`,
        field: p.field,
      }
    : null;

const AID_FIELDS = new Set(['aidWithdrawal', 'updatedAt', 'updatedBy']);

function aidProblem(
  before: VerificationRecordDoc,
  after: VerificationRecordDoc,
  userId: string,
): FieldError | null {
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (k.startsWith('_') || AID_FIELDS.has(k)) continue;
    if (
      JSON.stringify((before as Record<string, unknown>)[k]) !==
      JSON.stringify((after as Record<string, unknown>)[k])
    )
      return { field: k, code: 'IMMUTABLE', message: '核验结果由服务器写入，学校只能登记资助撤回情况' };
  }
  const a = after.aidWithdrawal as AidWithdrawal | undefined;
  if (JSON.stringify(a) === JSON.stringify(before.aidWithdrawal)) return null;
  if (!a) return { field: 'aidWithdrawal', code: 'IMMUTABLE', message: '资助撤回登记不能删除' };
  if (before.aidWithdrawal)
    return { field: 'aidWithdrawal', code: 'IMMUTABLE', message: '资助撤回已登记，不能修改' };
  if (a.by !== userId) return { field: 'aidWithdrawal', code: 'INVALID', message: '登记人应为当前账号' };
  if (!(before.actions ?? []).some((x) => x.rule === 'R-AID-STOP' && x.state === 'open'))
    return { field: 'aidWithdrawal', code: 'INVALID', message: '该生没有待办的资助撤回事项（R-AID-STOP）' };
  return null;
}

export const verificationChecks: RowCheck = {
  name: 'verification-content',
  collections: ['verifications', 'leaves', 'appeals'],
  async check({ tx, collection, before, after, user, now }) {
    const at = now().getTime();
    const today = chinaDate(at);
    if (collection === 'verifications') {
      const doc = after as unknown as VerificationDoc;
      const prev = before?.data as unknown as VerificationDoc | undefined;
      if (!prev) {
        if (doc.kind !== 'task')
          return {
            code: 'ROLE',
            reason: '核验结果由服务器根据学生的核验记录写入，不能由客户端新建',
            field: 'kind',
          };
        const orgs = await orgsById(tx, [user.orgId, ...(doc.scope?.schoolIds ?? []).slice(0, 2000)]);
        return refusal(collection, after, taskProblems(doc, { user, org: (id) => orgs.get(id), now: at })[0]);
      }
      if (prev.kind === 'task')
        return refusal(
          collection,
          after,
          taskUpdateProblems(prev, doc as VerificationTaskDoc, { user, now: at })[0],
        );
      return refusal(
        collection,
        after,
        aidProblem(prev as VerificationRecordDoc, doc as VerificationRecordDoc, user.id) ?? undefined,
      );
    }
    if (collection === 'leaves') {
      const l = after as unknown as LeaveDoc;
      const actor = { id: user.id, via: 'desk' as const, today };
      if (before)
        return refusal(
          collection,
          after,
          leaveChangeProblems(before.data as unknown as LeaveDoc, l, actor)[0],
        );
      const p = newLeaveProblems(l, actor)[0];
      if (p) return refusal(collection, after, p);
      return overlapRefusal(l, await leavesOf(tx, [l.studentId]), after);
    }
    const a = after as unknown as AppealDoc;
    const records = await recordsOfStudents(tx, [a.studentId]);
    const tasks = await tasksById(tx, a.taskIds ?? []);
    if (!before) {
      const others = await appealsOf(tx, [a.studentId]);
      return refusal(
        collection,
        after,
        newAppealProblems(
          a,
          { id: user.id, via: 'school' },
          { records, task: (id) => tasks.get(id), others, now: at },
        )[0],
      );
    }
    return refusal(
      collection,
      after,
      appealChangeProblems(before.data as unknown as AppealDoc, a, user, [...tasks.values()])[0],
    );
  },
};

/** A leave overlapping one the student already has (pending or approved) is refused: one leave per day. */
export function overlapRefusal(l: LeaveDoc, mine: readonly LeaveDoc[], doc: SyncDoc): RuleRefusal | null {
  if (l.kind !== 'leave' || !l.to) return null;
  const to = l.to;
  const clash = mine.find(
    (o) =>
      o.id !== l.id &&
      o.kind === 'leave' &&
      (o.status === 'pending' || o.status === 'approved') &&
      o.from <= to &&
      (o.returnedOn ?? o.to ?? o.from) >= l.from,
  );
  return clash
    ? {
        code: 'INVALID',
        reason: `${docTitle('leaves', doc)}：与已有的请假（${clash.from} 至 ${clash.to ?? ''}）日期重叠`,
        field: 'from',
      }
    : null;
}

/** Forwards the notices a service function collected to the push's own. */
function forward(ctx: EffectContext, notices: Notices): void {
  for (const [collection, scopes] of notices)
    for (const scope of scopes.values()) ctx.notify(collection, scope);
}

const leaveAction = (before: LeaveDoc | null, after: LeaveDoc): string => {
  if (after.kind === 'absence') {
    if (!before) return 'absence-record';
    return after.status === 'cancelled' ? 'absence-cancel' : 'absence-end';
  }
  if (!before) return after.status === 'approved' ? 'leave-approve' : 'leave-request';
  if (before.status !== after.status)
    return after.status === 'approved'
      ? 'leave-approve'
      : after.status === 'rejected'
        ? 'leave-reject'
        : 'leave-cancel';
  return 'leave-return';
};

const appealAction = (before: AppealDoc | null, after: AppealDoc): string =>
  !before
    ? 'appeal-submit'
    : after.status === 'upheld'
      ? 'appeal-uphold'
      : after.status === 'rejected'
        ? 'appeal-reject'
        : 'appeal-withdraw';

function changed(before: SyncDoc | null, after: SyncDoc, fields: readonly string[]) {
  const out: { before: Record<string, unknown>; after: Record<string, unknown> } = { before: {}, after: {} };
  for (const f of fields) {
    const b = before?.[f];
    const a = after[f];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    out.before[f] = b ?? null;
    out.after[f] = a ?? null;
  }
  return out;
}

const LEAVE_EVENT_FIELDS = ['status', 'from', 'to', 'reason', 'returnedOn', 'opinion'];
const APPEAL_EVENT_FIELDS = ['status', 'taskIds', 'reason', 'opinion', 'decidedOrgName'];

/** The effects of accepted rows of the verification collections (and of students and change requests). */
export const verificationEffect: Effect = {
  name: 'verification',
  collections: ['verifications', 'leaves', 'appeals', 'students', 'changeRequests'],
  async run(ctx) {
    const notices: Notices = new Map();
    const w: Writer = { user: ctx.user, deviceId: ctx.deviceId };
    const now = ctx.now();
    const at = now.toISOString();
    const scope: RowScope = ctx.after.scope;
    const data = ctx.after.data;
    const prev = ctx.before?.data ?? null;
    const event = (entity: string, action: string, diff: ReturnType<typeof changed>, reason?: string) =>
      writeEvent(
        ctx.tx,
        w,
        {
          schoolId: String(data.schoolId),
          entity: entity as never,
          entityId: String(data.id),
          action,
          at,
          ...(reason ? { reason: reason.slice(0, 500) } : {}),
          ...diff,
        },
        scope,
        notices,
      );
    switch (ctx.collection) {
      case 'verifications': {
        const doc = data as unknown as VerificationDoc;
        if (doc.kind === 'task') {
          if (!prev) {
            const roll = await publishTask(ctx.tx, doc, now, notices);
            await event(
              'verification',
              'task-publish',
              {
                before: {},
                after: {
                  name: doc.name,
                  start: doc.start,
                  end: doc.end,
                  called: roll.called,
                  exempt: roll.exempt,
                },
              },
              doc.reason,
            );
          } else if (prev.status !== 'cancelled' && doc.status === 'cancelled') {
            await cancelTask(ctx.tx, doc);
            await event('verification', 'task-cancel', changed(prev, data, ['status']), doc.cancelReason);
          }
        } else if (prev && !prev.aidWithdrawal && doc.aidWithdrawal) {
          await event(
            'verification',
            'aid-withdrawal',
            changed(prev, data, ['aidWithdrawal']),
            doc.aidWithdrawal.note,
          );
          await evaluateStudents(ctx.tx, [doc.studentId], now, notices, w);
        }
        break;
      }
      case 'leaves': {
        const l = data as unknown as LeaveDoc;
        await event(
          'leave',
          leaveAction(prev as unknown as LeaveDoc | null, l),
          changed(prev, data, LEAVE_EVENT_FIELDS),
          l.opinion ?? l.reason,
        );
        await applyLeave(ctx.tx, l, now, notices, w);
        break;
      }
      case 'appeals': {
        const a = data as unknown as AppealDoc;
        await event(
          'appeal',
          appealAction(prev as unknown as AppealDoc | null, a),
          changed(prev, data, APPEAL_EVENT_FIELDS),
          a.opinion ?? a.reason,
        );
        if (prev && prev.status !== a.status) await applyAppeal(ctx.tx, a, now, notices, w);
        break;
      }
      case 'students': {
        // Handling a consequence (休学, 退学, 学习形式变更) shows in the student's status or study form.
        if (prev && (prev.status !== data.status || prev.studyForm !== data.studyForm))
          await evaluateStudents(ctx.tx, [String(data.id)], now, notices, w);
        break;
      }
      case 'changeRequests': {
        // An approved request changed the student in an effect before this one (see SERVER_EFFECTS).
        if (typeof data.studentId === 'string')
          await evaluateStudents(ctx.tx, [data.studentId], now, notices, w);
        break;
      }
    }
    forward(ctx, notices);
  },
};
