// Routine verification's commands (HN 三, 四): publishing and cancelling a task, entering, deciding and
// ending a leave, raising, deciding and withdrawing an appeal, the aid office's withdrawal note. Each
// decides with the same shared functions the server runs on the push (shared/verification), writes the
// document locally, and the sync pushes it; the server checks it again, applies its effects (the roll, the
// exemptions, an upheld appeal's restore) and records the history event in the same transaction (R-WHO:
// the signed-in user, the server's time). These records need the provincial account: without it there is
// nobody the server could record.

import { chinaDate } from '../../../../shared/calendar/china';
import { refuse } from '../../../../shared/commands/types';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import type { SyncUser } from '../../../../shared/sync/protocol';
import { appealChangeProblems, newAppealProblems } from '../../../../shared/verification/appeal';
import { leaveChangeProblems, newLeaveProblems } from '../../../../shared/verification/leave';
import type {
  AppealDoc,
  LeaveDoc,
  VerificationRecordDoc,
  VerificationTaskDoc,
} from '../../../../shared/verification/schemas';
import { newTask, taskProblems, taskUpdateProblems } from '../../../../shared/verification/task';
import { readAccount } from '../../sync/account';
import type { CommandContext } from '../command-context';

const NO_ACCOUNT = {
  field: 'account',
  code: 'NO_ACCOUNT',
  message: '核验、请假和申诉记录需要登录省级平台后办理（同步页面登录）',
};

async function userOf(ctx: CommandContext): Promise<SyncUser | null> {
  return (await readAccount(ctx.db))?.user ?? null;
}

async function orgMap(ctx: CommandContext): Promise<Map<string, OrgDoc>> {
  const docs = await ctx.db.orgs.find().exec();
  return new Map(docs.map((d) => [d.id, d.toJSON() as OrgDoc]));
}

async function studentOf(ctx: CommandContext, id: string): Promise<Student | null> {
  const doc = await ctx.db.students.findOne(id).exec();
  return doc ? (doc.toJSON() as unknown as Student) : null;
}

async function tasksOf(ctx: CommandContext, ids: readonly string[]): Promise<VerificationTaskDoc[]> {
  const docs = await ctx.db.verifications.findByIds([...ids]).exec();
  return [...docs.values()]
    .map((d) => d.toJSON() as unknown as VerificationTaskDoc)
    .filter((t) => t.kind === 'task');
}

const plain = <T>(doc: T) => JSON.parse(JSON.stringify(doc)) as T;

export const verificationCommands = {
  /** 发布核验任务 (HN 三.4; a school admin: its own 联调测试, HN 三.3). */
  async 'verification-task-publish'(
    ctx: CommandContext,
    args: {
      name: string;
      reason?: string;
      start: string;
      end: string;
      schoolIds: string[];
      grades?: string[];
      classIds?: string[];
    },
  ) {
    const user = await userOf(ctx);
    if (!user) return refuse(NO_ACCOUNT);
    const orgs = await orgMap(ctx);
    const own = orgs.get(user.orgId);
    const now = ctx.env.now();
    const task = newTask({
      id: `vt-${ctx.env.newId()}`,
      user,
      issuerName: own?.name ?? user.orgName,
      name: args.name,
      reason: args.reason,
      start: args.start,
      end: args.end,
      scope: { schoolIds: args.schoolIds, grades: args.grades, classIds: args.classIds },
      org: (id) => orgs.get(id),
      orgPath: own?.path ?? user.orgPath,
      now,
    });
    const problems = taskProblems(task, { user, org: (id) => orgs.get(id), now: Date.parse(now) });
    if (problems.length > 0) return refuse(...problems);
    await ctx.db.verifications.insert(task as never);
    return { ok: true as const, id: task.id };
  },

  /** 撤销核验任务: its issuer, before the window ends. */
  async 'verification-task-cancel'(ctx: CommandContext, args: { id: string; reason: string }) {
    const user = await userOf(ctx);
    if (!user) return refuse(NO_ACCOUNT);
    const doc = await ctx.db.verifications.findOne(args.id).exec();
    const before = doc?.toJSON() as unknown as VerificationTaskDoc | undefined;
    if (!doc || before?.kind !== 'task')
      return refuse({ field: 'id', code: 'NOT_FOUND', message: '没有这个核验任务' });
    const now = ctx.env.now();
    const after: VerificationTaskDoc = {
      ...plain(before),
      status: 'cancelled',
      cancelReason: args.reason.trim(),
      cancelledAt: now,
      updatedAt: now,
      updatedBy: user.id,
    };
    if (!after.cancelReason) return refuse({ field: 'reason', code: 'REQUIRED', message: '请填写撤销原因' });
    const problems = taskUpdateProblems(before, after, { user, now: Date.parse(now) });
    if (problems.length > 0) return refuse(...problems);
    await doc.incrementalPatch(after as never);
    return { ok: true as const };
  },

  /** 请假 entered on the desk by the counselor or the school admin: approved at once (HN 三.5). */
  async 'leave-create'(
    ctx: CommandContext,
    args: { studentId: string; from: string; to?: string; reason: string; kind?: 'leave' | 'absence' },
  ) {
    const user = await userOf(ctx);
    if (!user) return refuse(NO_ACCOUNT);
    const s = await studentOf(ctx, args.studentId);
    if (!s) return refuse({ field: 'studentId', code: 'NOT_FOUND', message: '请选择学生' });
    const now = ctx.env.now();
    const kind = args.kind ?? 'leave';
    const leave: LeaveDoc = {
      id: `lv-${ctx.env.newId()}`,
      kind,
      schoolId: s.schoolId,
      orgPath: s.orgPath,
      ...(s.classId ? { classId: s.classId } : {}),
      studentId: s.id,
      studentName: s.name,
      from: args.from,
      ...(args.to ? { to: args.to } : {}),
      reason: args.reason.trim(),
      status: kind === 'absence' ? 'recorded' : 'approved',
      via: 'desk',
      requestedAt: now,
      requestedBy: user.id,
      requestedByName: user.displayName.slice(0, 50),
      ...(kind === 'leave'
        ? { decidedAt: now, decidedBy: user.id, decidedByName: user.displayName.slice(0, 50) }
        : {}),
      updatedAt: now,
      updatedBy: user.id,
    };
    const problems = newLeaveProblems(leave, {
      id: user.id,
      via: 'desk',
      today: chinaDate(Date.parse(now)),
    });
    if (problems.length > 0) return refuse(...problems);
    await ctx.db.leaves.insert(leave as never);
    return { ok: true as const, id: leave.id };
  },

  /** 审批 (approve or reject a pending leave), 销假 (the day back) or 撤销 (cancel). */
  async 'leave-update'(
    ctx: CommandContext,
    args: { id: string } & (
      | { step: 'approve' | 'reject'; opinion?: string }
      | { step: 'return'; on: string }
      | { step: 'cancel' }
      | { step: 'end'; on: string }
    ),
  ) {
    const user = await userOf(ctx);
    if (!user) return refuse(NO_ACCOUNT);
    const doc = await ctx.db.leaves.findOne(args.id).exec();
    if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '没有这条请假记录' });
    const before = doc.toJSON() as unknown as LeaveDoc;
    const now = ctx.env.now();
    const after: LeaveDoc = { ...plain(before), updatedAt: now, updatedBy: user.id };
    const name = user.displayName.slice(0, 50);
    if (args.step === 'approve' || args.step === 'reject') {
      after.status = args.step === 'approve' ? 'approved' : 'rejected';
      after.decidedAt = now;
      after.decidedBy = user.id;
      after.decidedByName = name;
      if (args.opinion?.trim()) after.opinion = args.opinion.trim();
    } else if (args.step === 'return') {
      if (before.returnedOn)
        return refuse({
          field: 'returnedOn',
          code: 'IMMUTABLE',
          message: `该请假已于 ${before.returnedOn} 销假`,
        });
      after.returnedOn = args.on;
      after.returnedAt = now;
      after.returnedBy = user.id;
    } else if (args.step === 'end') after.to = args.on;
    else after.status = 'cancelled';
    const problems = leaveChangeProblems(before, after, {
      id: user.id,
      via: 'desk',
      today: chinaDate(Date.parse(now)),
    });
    if (problems.length > 0) return refuse(...problems);
    await doc.incrementalPatch(after as never);
    return { ok: true as const };
  },

  /** 申诉 by the school against missed results (and the consequence they caused, R-APPEAL). */
  async 'appeal-create'(
    ctx: CommandContext,
    args: { studentId: string; taskIds: string[]; reason: string; rule?: string },
  ) {
    const user = await userOf(ctx);
    if (!user) return refuse(NO_ACCOUNT);
    const s = await studentOf(ctx, args.studentId);
    if (!s) return refuse({ field: 'studentId', code: 'NOT_FOUND', message: '请选择学生' });
    const now = ctx.env.now();
    const appeal: AppealDoc = {
      id: `ap-${ctx.env.newId()}`,
      schoolId: s.schoolId,
      orgPath: s.orgPath,
      ...(s.classId ? { classId: s.classId } : {}),
      studentId: s.id,
      studentName: s.name,
      taskIds: args.taskIds,
      ...(args.rule ? { rule: args.rule } : {}),
      reason: args.reason.trim(),
      via: 'school',
      status: 'submitted',
      submittedAt: now,
      submittedBy: user.id,
      submittedByName: user.displayName.slice(0, 50),
      updatedAt: now,
      updatedBy: user.id,
    };
    const records = (await ctx.db.verifications.find({ selector: { studentId: s.id } }).exec()).map(
      (d) => d.toJSON() as unknown as VerificationRecordDoc,
    );
    const tasks = new Map((await tasksOf(ctx, args.taskIds)).map((t) => [t.id, t]));
    const others = (await ctx.db.appeals.find({ selector: { studentId: s.id } }).exec()).map(
      (d) => d.toJSON() as unknown as AppealDoc,
    );
    const problems = newAppealProblems(
      appeal,
      { id: user.id, via: 'school' },
      { records, task: (id) => tasks.get(id), others, now: Date.parse(now) },
    );
    if (problems.length > 0) return refuse(...problems);
    await ctx.db.appeals.insert(appeal as never);
    return { ok: true as const, id: appeal.id };
  },

  /** 申诉的决定 (the upper level: upheld or rejected, with its opinion) or 撤回 (the school). */
  async 'appeal-decide'(
    ctx: CommandContext,
    args: { id: string; decision: 'upheld' | 'rejected' | 'withdrawn'; opinion?: string },
  ) {
    const user = await userOf(ctx);
    if (!user) return refuse(NO_ACCOUNT);
    const doc = await ctx.db.appeals.findOne(args.id).exec();
    if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '没有这件申诉' });
    const before = doc.toJSON() as unknown as AppealDoc;
    const now = ctx.env.now();
    const after: AppealDoc = { ...plain(before), status: args.decision, updatedAt: now, updatedBy: user.id };
    if (args.decision !== 'withdrawn') {
      const orgs = await orgMap(ctx);
      after.decidedAt = now;
      after.decidedBy = user.id;
      after.decidedByName = user.displayName.slice(0, 50);
      after.decidedOrgId = user.orgId;
      after.decidedOrgName = (orgs.get(user.orgId)?.name ?? user.orgName).slice(0, 100);
      if (args.opinion?.trim()) after.opinion = args.opinion.trim();
    }
    const problems = appealChangeProblems(before, after, user, await tasksOf(ctx, before.taskIds));
    if (problems.length > 0) return refuse(...problems);
    await doc.incrementalPatch(after as never);
    return { ok: true as const };
  },

  /** R-AID-STOP: the aid office records that the withdrawal is submitted (or nothing is left to withdraw). */
  async 'aid-withdrawal-record'(
    ctx: CommandContext,
    args: { recordId: string; state: 'submitted' | 'notNeeded'; note?: string },
  ) {
    const user = await userOf(ctx);
    if (!user) return refuse(NO_ACCOUNT);
    const doc = await ctx.db.verifications.findOne(args.recordId).exec();
    const before = doc?.toJSON() as unknown as VerificationRecordDoc | undefined;
    if (!doc || before?.kind !== 'record')
      return refuse({ field: 'recordId', code: 'NOT_FOUND', message: '没有这名学生的核验记录' });
    if (before.aidWithdrawal)
      return refuse({ field: 'aidWithdrawal', code: 'IMMUTABLE', message: '资助撤回已登记，不能修改' });
    if (!(before.actions ?? []).some((a) => a.rule === 'R-AID-STOP' && a.state === 'open'))
      return refuse({
        field: 'aidWithdrawal',
        code: 'INVALID',
        message: '该生没有待办的资助撤回事项（R-AID-STOP）',
      });
    const now = ctx.env.now();
    await doc.incrementalPatch({
      aidWithdrawal: {
        state: args.state,
        at: now,
        by: user.id,
        byName: user.displayName.slice(0, 50),
        ...(args.note?.trim() ? { note: args.note.trim().slice(0, 200) } : {}),
      },
      updatedAt: now,
      updatedBy: user.id,
    } as never);
    return { ok: true as const };
  },
};
