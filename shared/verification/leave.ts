// 请假/销假 (HN 三.5: "学生可利用“职校家园 APP”请假和销假，学校管理员和学生辅导员（班主任）对学生请假批准后，
// 学生学籍处于请假状态，不参与请假期间的学籍核验") and absences without leave recorded by the school
// (R-ABSENT-3M). What a write of a leave may change, for the app's commands, the server's push check
// and the phone API alike.
import { addDays, dayNumber, diffDays, type Ymd } from '../calendar/dates';
import type { FieldError } from '../validate/fields';
import type { LeaveDoc } from './schemas';

/** The longest leave one request may ask for (days); longer absences are 休学 (R-LEAVE-15). */
export const MAX_LEAVE_DAYS = 180;

export const LEAVE_STATUS_LABELS: Record<LeaveDoc['status'], string> = {
  pending: '待审批',
  approved: '已批准',
  rejected: '未批准',
  cancelled: '已撤销',
  recorded: '已登记',
};

export type LeaveActor = {
  id: string;
  /** desk: a counselor or the school admin in the app; phone: the student */
  via: 'desk' | 'phone';
  /** Beijing date today */
  today: Ymd;
};

const err = (field: string, code: string, message: string): FieldError => ({ field, code, message });

function dateProblems(l: LeaveDoc, out: FieldError[]): void {
  if (dayNumber(l.from) === null) out.push(err('from', 'INVALID', '开始日期应为 YYYY-MM-DD'));
  if (l.kind === 'leave' && l.to === undefined) out.push(err('to', 'REQUIRED', '请填写请假结束日期'));
  if (l.to !== undefined && dayNumber(l.to) === null)
    out.push(err('to', 'INVALID', '结束日期应为 YYYY-MM-DD'));
  if (out.length > 0 || l.to === undefined) return;
  if (l.to < l.from) out.push(err('to', 'INVALID', `结束日期 ${l.to} 早于开始日期 ${l.from}`));
  else if (l.kind === 'leave' && diffDays(l.from, l.to) + 1 > MAX_LEAVE_DAYS)
    out.push(err('to', 'INVALID', `一次请假最多 ${MAX_LEAVE_DAYS} 天；长期不能到校的应办理休学`));
}

const IMMUTABLE: (keyof LeaveDoc)[] = [
  'id',
  'kind',
  'schoolId',
  'studentId',
  'from',
  'via',
  'requestedAt',
  'requestedBy',
];

/** Problems of a new leave or absence (empty: it may be stored). */
export function newLeaveProblems(l: LeaveDoc, actor: LeaveActor): FieldError[] {
  const out: FieldError[] = [];
  if (l.via !== actor.via) out.push(err('via', 'INVALID', '请假来源不对'));
  if (l.requestedBy !== actor.id) out.push(err('requestedBy', 'INVALID', '申请人应为当前账号'));
  if ((l.reason ?? '').trim() === '') out.push(err('reason', 'REQUIRED', '请填写请假事由'));
  dateProblems(l, out);
  if (l.kind === 'absence') {
    if (actor.via !== 'desk') out.push(err('kind', 'ROLE', '缺勤只能由学校登记'));
    if (l.status !== 'recorded') out.push(err('status', 'INVALID', '缺勤登记的状态应为“已登记”'));
    if (l.from > actor.today) out.push(err('from', 'INVALID', '缺勤开始日期不能晚于今天'));
    if (l.to !== undefined && l.to > actor.today) out.push(err('to', 'INVALID', '缺勤结束日期不能晚于今天'));
    return out;
  }
  if (l.returnedOn !== undefined) out.push(err('returnedOn', 'INVALID', '新的请假不能同时销假'));
  if (actor.via === 'phone') {
    if (l.status !== 'pending') out.push(err('status', 'INVALID', '学生提交的请假须经辅导员或学校批准'));
  } else if (l.status === 'approved') {
    // A counselor entering a leave on the student's behalf approves it at once (HN 三.5).
    if (l.decidedBy !== actor.id || !l.decidedAt)
      out.push(err('decidedBy', 'INVALID', '批准人应为当前账号，并记录批准时间'));
  } else if (l.status !== 'pending') out.push(err('status', 'INVALID', '新的请假只能是“待审批”或“已批准”'));
  if (dayNumber(l.from) !== null && l.from < addDays(actor.today, -30))
    out.push(err('from', 'INVALID', '只能补登 30 天以内开始的请假'));
  return out;
}

/**
 * Problems of a change of a stored leave: approve or reject a pending one, cancel one not yet begun,
 * 销假 (return) of an approved one, the end of a recorded absence. Who may act on which record is the
 * authority table's (counselor: own classes; school admin: the school); the student only on their own,
 * through the phone API (cancel a pending request, return).
 */
export function leaveChangeProblems(before: LeaveDoc, after: LeaveDoc, actor: LeaveActor): FieldError[] {
  const out: FieldError[] = [];
  for (const k of IMMUTABLE)
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      out.push(err(k, 'IMMUTABLE', '请假的学生、类别、开始日期和申请信息不能修改，请撤销后重新提交'));
  if (out.length > 0) return out;
  const from = before.status;
  const to = after.status;
  const same = (k: keyof LeaveDoc) => JSON.stringify(before[k]) === JSON.stringify(after[k]);
  if (before.kind === 'absence') {
    if (to === 'cancelled' && from === 'recorded' && actor.via === 'desk') return out;
    if (to !== 'recorded' || from !== 'recorded') return [err('status', 'INVALID', '缺勤登记只能结束或撤销')];
    if (!same('to') && after.to !== undefined) {
      if (before.to !== undefined) out.push(err('to', 'IMMUTABLE', '缺勤已结束，不能再改结束日期'));
      else if (after.to < after.from || after.to > actor.today)
        out.push(err('to', 'INVALID', '缺勤结束日期应在开始日期与今天之间'));
    }
    return out;
  }
  if (!same('to') || !same('reason')) out.push(err('to', 'IMMUTABLE', '请假的日期和事由不能修改'));
  if (from === to) {
    // 销假: an approved leave gets its return day, once.
    if (!same('returnedOn')) {
      if (from !== 'approved') out.push(err('returnedOn', 'INVALID', '只有已批准的请假可以销假'));
      else if (before.returnedOn !== undefined) out.push(err('returnedOn', 'IMMUTABLE', '该请假已销假'));
      else if (after.returnedOn === undefined || dayNumber(after.returnedOn) === null)
        out.push(err('returnedOn', 'INVALID', '销假日期应为 YYYY-MM-DD'));
      else if (after.returnedOn < before.from || after.returnedOn > actor.today)
        out.push(err('returnedOn', 'INVALID', '销假日期应在请假开始日期与今天之间'));
      else if (before.to && after.returnedOn > addDays(before.to, 1))
        out.push(
          err('returnedOn', 'INVALID', `销假日期不能晚于请假结束日期的次日（${addDays(before.to, 1)}）`),
        );
      if (after.returnedBy !== actor.id) out.push(err('returnedBy', 'INVALID', '销假人应为当前账号'));
    }
    if (!same('decidedAt') || !same('decidedBy') || !same('opinion'))
      out.push(err('opinion', 'IMMUTABLE', '审批意见不能修改'));
    return out;
  }
  if (from === 'pending' && (to === 'approved' || to === 'rejected')) {
    if (actor.via !== 'desk') return [err('status', 'ROLE', '请假由辅导员或学校学籍管理员审批')];
    if (after.decidedBy !== actor.id || !after.decidedAt)
      out.push(err('decidedBy', 'INVALID', '审批人应为当前账号，并记录审批时间'));
    if (to === 'rejected' && !(after.opinion ?? '').trim())
      out.push(err('opinion', 'REQUIRED', '不批准时请填写意见'));
    return out;
  }
  if (to === 'cancelled' && (from === 'pending' || (from === 'approved' && before.from > actor.today))) {
    if (actor.via === 'phone' && from !== 'pending')
      return [err('status', 'ROLE', '已批准的请假请联系辅导员撤销')];
    return out;
  }
  if (to === 'cancelled' && from === 'approved')
    return [err('status', 'INVALID', '已开始的请假不能撤销，请办理销假')];
  return [
    err('status', 'INVALID', `请假不能从“${LEAVE_STATUS_LABELS[from]}”改为“${LEAVE_STATUS_LABELS[to]}”`),
  ];
}
