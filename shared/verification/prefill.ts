// One click from a consequence of routine verification into the workflow's request (issue 13): the
// requests each action may lead to, and what of the new request the action already knows — the type, the
// student, the reason naming the rule and its finding in Chinese, the dates and the study form. The
// registrar reviews it, adds the signed proofs and submits (shared/workflows checks it as any request).
// Pure: an action in, routes and pre-filled values out.
import type { ChangeType } from '../workflows/types';
import type { VerificationAction } from './schemas';

export type ActionRequest = { type: ChangeType; label: string };

/**
 * The requests an open action leads to:
 * R-MISS-2-4 (HN 四.1): "结合实际情况把学生的学习形式变更为非全日制，或者办理休学、退学";
 * R-LEAVE-15 (HN 三.5): "超出者按休学处理" → 休学; R-ABSENT-3M (HN 三.5): "按退学处理" → 退学.
 */
export function actionRequests(a: Pick<VerificationAction, 'rule' | 'state'>): ActionRequest[] {
  if (a.state !== 'open') return [];
  switch (a.rule) {
    case 'R-MISS-2-4':
      return [
        { type: 'studyFormChange', label: '转为非全日制' },
        { type: 'suspension', label: '申请休学' },
        { type: 'withdrawal', label: '申请退学' },
      ];
    case 'R-LEAVE-15':
      return [{ type: 'suspension', label: '申请休学' }];
    case 'R-ABSENT-3M':
      return [{ type: 'withdrawal', label: '申请退学' }];
    default:
      return [];
  }
}

const SOURCES: Record<string, string> = {
  'R-MISS-2-4': 'HN 四.1',
  'R-LEAVE-15': 'HN 三.5',
  'R-ABSENT-3M': 'HN 三.5',
};

/** The route of the new request pre-filled from an action (renderer/src/features/changes/routes.tsx). */
export function actionRequestRoute(studentId: string, recordId: string, actionKey: string, type: ChangeType) {
  const e = encodeURIComponent;
  return `/students/${e(studentId)}/change/${type}/for/${e(recordId)}/${e(actionKey)}`;
}

export type RequestPrefill = {
  details: Record<string, string>;
  reason: string;
};

/**
 * What the new request of `type` takes from the action: the reason (the rule, its source and the finding's
 * words, the last day to act) and the fields the action decides — the study form becomes part-time (2),
 * the change takes effect, the suspension starts, the student leaves — as of `today`. Null when the action
 * does not lead to that request.
 */
export function prefillRequest(
  a: Pick<VerificationAction, 'rule' | 'state' | 'message' | 'due'>,
  type: ChangeType,
  today: string,
): RequestPrefill | null {
  if (!actionRequests(a).some((r) => r.type === type)) return null;
  const details: Record<string, string> =
    type === 'studyFormChange'
      ? { toForm: '2', effectiveDate: today }
      : type === 'suspension'
        ? { startDate: today }
        : { leaveDate: today };
  const due = a.due ? `，须在 ${a.due} 前办理` : '';
  const reason = `常态化核验结果处理（${a.rule}，${SOURCES[a.rule] ?? 'HN'}${due}）：${a.message}`;
  return { details, reason: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason };
}
