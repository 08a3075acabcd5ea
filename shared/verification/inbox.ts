// Routine verification's items in the 待办 inbox (R-DAILY): the consequences the server found with their
// due dates (R-MISS-2-4 within 5 working days, R-LEAVE-15, R-ABSENT-3M; overdue ones are marked by the
// inbox and listed first — escalated), R-AID-STOP for the aid office, leave waiting for approval, appeals
// waiting for the upper level's decision, and tasks the school is called by while their window is open.
// Pure: the records this copy holds (already scoped by the server) and the user in, the items out.

import { chinaDate, chinaTime } from '../calendar/china';
import type { InboxContext, InboxItem, InboxProvider } from '../inbox/types';
import { actionRequestRoute, actionRequests } from './prefill';
import type { AppealDoc, LeaveDoc, VerificationDoc, VerificationTaskDoc } from './schemas';

type Records = Readonly<Record<string, readonly Record<string, unknown>[]>>;

const RULE_TITLES: Record<string, string> = {
  'R-MISS-2-4': '核验未通过的处理（转为非全日制或申请休学、退学）',
  'R-AID-STOP': '停止并收回资助',
  'R-LEAVE-15': '请假超过 15 天，应办理休学',
  'R-ABSENT-3M': '连续 3 个月未到校，应办理退学',
};

const SCHOOL_ROLES = new Set(['schoolAdmin', 'counselor']);

function actionItems(docs: readonly VerificationDoc[], ctx: InboxContext): InboxItem[] {
  if (!SCHOOL_ROLES.has(ctx.user.role)) return [];
  const out: InboxItem[] = [];
  for (const r of docs) {
    if (r.kind !== 'record') continue;
    for (const a of r.actions ?? []) {
      if (a.state !== 'open' || a.rule === 'R-APPEAL') continue;
      // The aid office is the school admin's (a counselor does not handle aid).
      if (a.rule === 'R-AID-STOP' && ctx.user.role !== 'schoolAdmin') continue;
      const name = r.studentName ?? r.studentId;
      // a counselor sees the action; the requests are the registrar's (the school admin's)
      const requests = ctx.user.role === 'schoolAdmin' ? actionRequests(a) : [];
      out.push({
        id: `verificationAction:${r.id}:${a.key}`,
        kind: 'verificationAction',
        section: 'waiting',
        title: `${RULE_TITLES[a.rule] ?? a.rule}：${name}`,
        detail: `${a.rule}：${a.message}`,
        subject: { kind: 'student', id: r.studentId, name },
        ...(a.due
          ? { due: { date: a.due, rule: a.rule, ...(a.dueUncertain ? { uncertain: true } : {}) } }
          : {}),
        // the student page shows the action with its requests; each link opens one pre-filled
        route: `/students/${encodeURIComponent(r.studentId)}`,
        ...(requests.length > 0
          ? {
              links: requests.map((q) => ({
                label: q.label,
                route: actionRequestRoute(r.studentId, r.id, a.key, q.type),
              })),
            }
          : {}),
        since: a.since,
      });
    }
  }
  return out;
}

function taskItems(docs: readonly VerificationDoc[], ctx: InboxContext): InboxItem[] {
  if (!SCHOOL_ROLES.has(ctx.user.role)) return [];
  const out: InboxItem[] = [];
  for (const t of docs) {
    if (t.kind !== 'task' || t.status !== 'published') continue;
    const task = t as VerificationTaskDoc;
    if (!task.scope.schoolIds.includes(ctx.user.orgId)) continue;
    if (chinaDate(task.end) < ctx.today || chinaDate(task.start) > ctx.today) continue;
    out.push({
      id: `verificationTask:${task.id}`,
      kind: 'verificationTask',
      section: 'info',
      title: `核验进行中：${task.name}`,
      detail: `${task.issuerName}，${chinaTime(task.start)} 至 ${chinaTime(task.end)}；请提醒学生在校内用手机完成核验`,
      subject: { kind: 'school', id: ctx.user.orgId, name: ctx.user.orgName },
      due: { date: chinaDate(task.end), rule: 'HN 三.4' },
      route: `/verification/tasks/${encodeURIComponent(task.id)}`,
      since: task.createdAt,
    });
  }
  return out;
}

function leaveItems(docs: readonly LeaveDoc[], ctx: InboxContext): InboxItem[] {
  if (!SCHOOL_ROLES.has(ctx.user.role)) return [];
  return docs
    .filter((l) => l.kind === 'leave' && l.status === 'pending')
    .map((l) => ({
      id: `leave:${l.id}`,
      kind: 'leave',
      section: 'waiting' as const,
      title: `审批请假：${l.studentName ?? l.studentId}（${l.from} 至 ${l.to ?? ''}）`,
      detail: l.reason ? `事由：${l.reason}` : undefined,
      subject: { kind: 'student' as const, id: l.studentId, name: l.studentName ?? l.studentId },
      route: '/leaves',
      since: l.requestedAt,
    }));
}

function appealItems(docs: readonly AppealDoc[], ctx: InboxContext): InboxItem[] {
  const deciding = ctx.user.role === 'bureau' || ctx.user.role === 'province';
  if (!deciding && ctx.user.role !== 'schoolAdmin') return [];
  return docs
    .filter((a) => a.status === 'submitted')
    .map((a) => ({
      id: `appeal:${a.id}`,
      kind: 'appeal',
      section: deciding ? ('waiting' as const) : ('started' as const),
      title: `${deciding ? '决定申诉' : '申诉待上级决定'}：${a.studentName ?? a.studentId}`,
      detail: `理由：${a.reason}`,
      subject: { kind: 'student' as const, id: a.studentId, name: a.studentName ?? a.studentId },
      route: '/appeals',
      since: a.submittedAt,
    }));
}

/** The verification provider of the inbox (shared/inbox/providers.ts). */
export const verificationInbox: InboxProvider<Records> = {
  kind: 'verification',
  items(records, ctx) {
    const v = (records.verifications ?? []) as unknown as VerificationDoc[];
    return [
      ...actionItems(v, ctx),
      ...taskItems(v, ctx),
      ...leaveItems((records.leaves ?? []) as unknown as LeaveDoc[], ctx),
      ...appealItems((records.appeals ?? []) as unknown as AppealDoc[], ctx),
    ];
  },
};
