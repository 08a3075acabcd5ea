// One check-in on a student's phone (HN 三.4: "学生应在指定时间内打开“职校家园 APP”，在省教育厅备案注册的
// 办学地址范围内完成状态核验"): inside the task's window by the server's clock, inside the school's registered
// campus by the great-circle distance. Pure: the server passes its clock and the task's fence.

import { chinaTime } from '../calendar/china';
import type { Fence, ResultState, TaskResult, VerificationTaskDoc } from './schemas';

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Why a check-in did not pass, with the words the phone shows. */
export const CHECKIN_REASONS = {
  NOT_STARTED: '核验尚未开始',
  ENDED: '核验已截止',
  CANCELLED: '该核验任务已撤销',
  OUTSIDE: '不在学校备案的办学地址范围内',
  ACCURACY: '定位精度不足，无法确认是否在办学地址范围内',
  CLOCK: '手机时间与服务器时间相差过大，请校准手机时间后重试',
} as const;
export type CheckinReasonCode = keyof typeof CHECKIN_REASONS;

/** How far the phone's clock may differ from the server's before a check-in is refused (minutes). */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

export type CheckinAttempt = {
  lat: number;
  lng: number;
  /** the phone's reported accuracy (metres), when it gives one */
  accuracyM?: number;
  /** the phone's own clock at the attempt (ISO), recorded and compared with the server's */
  at?: string;
};

export type CheckinJudgement =
  | { outcome: 'pass'; distanceM: number }
  | { outcome: 'fail'; code: CheckinReasonCode; reason: string; distanceM?: number };

/**
 * Judges one attempt against the task window (server time decides: a phone's clock is not evidence) and
 * the school's fence. A position whose accuracy circle reaches beyond the fence is not a pass: it may be
 * outside.
 */
export function judgeCheckin(
  task: Pick<VerificationTaskDoc, 'start' | 'end' | 'status'>,
  fence: Fence,
  attempt: CheckinAttempt,
  serverNow: number,
): CheckinJudgement {
  const fail = (code: CheckinReasonCode, extra = '', distance?: number): CheckinJudgement => ({
    outcome: 'fail',
    code,
    reason: `${CHECKIN_REASONS[code]}${extra}`,
    ...(distance === undefined ? {} : { distanceM: distance }),
  });
  if (task.status === 'cancelled') return fail('CANCELLED');
  if (serverNow < Date.parse(task.start)) return fail('NOT_STARTED', `（${chinaTime(task.start)} 开始）`);
  if (serverNow >= Date.parse(task.end)) return fail('ENDED', `（${chinaTime(task.end)} 截止）`);
  if (attempt.at !== undefined) {
    const phone = Date.parse(attempt.at);
    if (!Number.isFinite(phone) || Math.abs(phone - serverNow) > MAX_CLOCK_SKEW_MS) return fail('CLOCK');
  }
  const d = Math.round(distanceM(fence, attempt));
  if (d > fence.radiusM) return fail('OUTSIDE', `（距学校约 ${d} 米，范围 ${fence.radiusM} 米）`, d);
  if (attempt.accuracyM !== undefined && d + attempt.accuracyM > fence.radiusM)
    return fail('ACCURACY', `（精度 ${Math.round(attempt.accuracyM)} 米）`, d);
  return { outcome: 'pass', distanceM: d };
}

/**
 * The result after one more attempt: a pass is never overridden (later attempts are recorded, the result
 * stays), an exempt or appealed result is not changed by an attempt, a failed attempt counts.
 */
export function nextResult(current: TaskResult | undefined, j: CheckinJudgement, at: string): TaskResult {
  const n = (current?.n ?? 0) + 1;
  const keep: ResultState[] = ['passed', 'exempt', 'appealUpheld'];
  if (current && keep.includes(current.s)) return { ...current, n };
  if (j.outcome === 'pass') return { s: 'passed', at, n, d: j.distanceM };
  return {
    s: current?.s === 'missed' ? 'missed' : 'failed',
    at,
    n,
    code: j.code,
    ...(j.distanceM === undefined ? {} : { d: j.distanceM }),
  };
}

/** What the screens call each result. */
export const RESULT_LABELS: Record<ResultState, string> = {
  pending: '未核验',
  failed: '未通过（可重试）',
  passed: '已通过',
  missed: '未按时核验',
  exempt: '请假免核验',
  appealUpheld: '申诉已通过',
};
