// 申诉 (HN 四.2: "学生或学校对核验结果、应届生高考报名资格有异议的，可以通过备案系统…向上级管理部门进行咨询和
// 申诉，申诉通过的，恢复原学籍状态"). Who may appeal which result, and who decides: the department that
// issued the task (or one above it) — the school's own test roll call counts for nothing and is not appealed.
import type { SyncUser } from '../sync/protocol';
import type { FieldError } from '../validate/fields';
import type { AppealDoc, VerificationRecordDoc, VerificationTaskDoc } from './schemas';

export const APPEAL_STATUS_LABELS: Record<AppealDoc['status'], string> = {
  submitted: '待上级决定',
  upheld: '申诉通过',
  rejected: '申诉未通过',
  withdrawn: '已撤回',
};

const err = (field: string, code: string, message: string): FieldError => ({ field, code, message });

export type AppealContext = {
  /** the student's term records (their results), and the tasks they name */
  records: readonly Pick<VerificationRecordDoc, 'results'>[];
  task: (id: string) => VerificationTaskDoc | undefined;
  /** other appeals of the student (one open appeal per task) */
  others: readonly AppealDoc[];
  now: number;
};

/** Problems of a new appeal by a school (push) or a student (phone API). */
export function newAppealProblems(
  a: AppealDoc,
  by: { id: string; via: 'phone' | 'school' },
  ctx: AppealContext,
): FieldError[] {
  const out: FieldError[] = [];
  if (a.via !== by.via) out.push(err('via', 'INVALID', '申诉来源不对'));
  if (a.submittedBy !== by.id) out.push(err('submittedBy', 'INVALID', '申诉人应为当前账号'));
  if (a.status !== 'submitted') out.push(err('status', 'INVALID', '新的申诉状态应为“待上级决定”'));
  for (const k of ['decidedAt', 'decidedBy', 'decidedOrgId', 'opinion'] as const)
    if (a[k] !== undefined) out.push(err(k, 'INVALID', '申诉提交时不能带有决定'));
  if (!a.reason?.trim()) out.push(err('reason', 'REQUIRED', '请写明申诉理由'));
  if (a.taskIds.length === 0) out.push(err('taskIds', 'REQUIRED', '请选择申诉的核验结果'));
  if (new Set(a.taskIds).size !== a.taskIds.length)
    out.push(err('taskIds', 'INVALID', '申诉的核验任务有重复'));
  for (const id of a.taskIds) {
    const t = ctx.task(id);
    const r = ctx.records.map((x) => x.results[id]).find((x) => x !== undefined);
    if (!t || !r) {
      out.push(err('taskIds', 'NOT_FOUND', '该生没有这次核验的结果'));
      continue;
    }
    if (t.test === true || t.issuer === 'school')
      out.push(err('taskIds', 'INVALID', `“${t.name}”是学校的联调测试，不计入核验次数，无需申诉`));
    else if (Date.parse(t.end) > ctx.now)
      out.push(err('taskIds', 'INVALID', `“${t.name}”尚未截止，截止前仍可完成核验`));
    else if (r.s !== 'missed')
      out.push(err('taskIds', 'INVALID', `“${t.name}”的结果不是“未按时核验”，无需申诉`));
    if (ctx.others.some((o) => o.id !== a.id && o.status === 'submitted' && o.taskIds.includes(id)))
      out.push(err('taskIds', 'DUPLICATE', `“${t.name}”已有一件待决定的申诉`));
  }
  return out;
}

/** Whether the user's org issued every appealed task or lies above the issuer: the deciding level. */
export function mayDecide(user: Pick<SyncUser, 'role' | 'orgPath'>, tasks: readonly VerificationTaskDoc[]) {
  if (user.role !== 'province' && user.role !== 'bureau') return false;
  return tasks.length > 0 && tasks.every((t) => t.orgPath.startsWith(user.orgPath));
}

const IMMUTABLE: (keyof AppealDoc)[] = [
  'id',
  'schoolId',
  'studentId',
  'taskIds',
  'rule',
  'reason',
  'via',
  'submittedAt',
  'submittedBy',
];

/** Problems of a decision (upheld or rejected, by the deciding level) or a withdrawal (by the school). */
export function appealChangeProblems(
  before: AppealDoc,
  after: AppealDoc,
  user: Pick<SyncUser, 'id' | 'role' | 'orgId' | 'orgPath'>,
  tasks: readonly VerificationTaskDoc[],
): FieldError[] {
  const out: FieldError[] = [];
  for (const k of IMMUTABLE)
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      out.push(err(k, 'IMMUTABLE', '申诉的内容提交后不能修改'));
  if (out.length > 0) return out;
  const decided = [
    'decidedAt',
    'decidedBy',
    'decidedByName',
    'decidedOrgId',
    'decidedOrgName',
    'opinion',
  ] as const;
  if (before.status === after.status) {
    // Nothing decided: only what is neither content nor decision may change (e.g. a stamp).
    for (const k of decided)
      if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        out.push(err(k, 'IMMUTABLE', '申诉的决定只能随决定一同记录，不能单独修改'));
    return out;
  }
  if (before.status !== 'submitted')
    return [err('status', 'DECIDED', `该申诉已${APPEAL_STATUS_LABELS[before.status]}，不能再改`)];
  if (after.status === 'withdrawn') {
    if (user.role !== 'schoolAdmin') return [err('status', 'ROLE', '只有提出申诉的学校可以撤回')];
    return out;
  }
  if (after.status !== 'upheld' && after.status !== 'rejected')
    return [err('status', 'INVALID', '申诉只能被决定（通过或不通过）或撤回')];
  if (!mayDecide(user, tasks))
    return [err('status', 'ROLE', '申诉由发起该次核验的教育行政部门或其上级决定（HN 四.2）')];
  if (after.decidedBy !== user.id || after.decidedOrgId !== user.orgId || !after.decidedAt)
    out.push(err('decidedBy', 'INVALID', '决定人应为当前账号，并记录单位和时间'));
  if (!after.opinion?.trim()) out.push(err('opinion', 'REQUIRED', '请填写决定意见'));
  return out;
}
