// The one-click requests of routine verification's consequences (issue 13): per rule, which requests an
// open action leads to and what each is pre-filled with (R-MISS-2-4, R-LEAVE-15, R-ABSENT-3M).
import { describe, expect, it } from 'vitest';
import { actionRequestRoute, actionRequests, prefillRequest } from './prefill';
import type { VerificationAction } from './schemas';

const action = (rule: string, over: Partial<VerificationAction> = {}): VerificationAction => ({
  key: `${rule}:vt-2`,
  rule,
  message: `${rule} 未按时核验的处理：该生连续 2 次未按时完成核验`,
  due: '2026-10-12',
  since: '2026-09-30T10:00:00.000Z',
  state: 'open',
  ...over,
});
const TODAY = '2026-10-09';

describe('pre-filled requests from verification actions', () => {
  it('R-MISS-2-4 (HN 四.1): part-time, 休学 or 退学; the study form becomes part-time as of today', () => {
    const a = action('R-MISS-2-4');
    expect(actionRequests(a).map((r) => [r.type, r.label])).toEqual([
      ['studyFormChange', '转为非全日制'],
      ['suspension', '申请休学'],
      ['withdrawal', '申请退学'],
    ]);
    const p = prefillRequest(a, 'studyFormChange', TODAY);
    expect(p?.details).toEqual({ toForm: '2', effectiveDate: TODAY });
    expect(p?.reason).toBe(`常态化核验结果处理（R-MISS-2-4，HN 四.1，须在 2026-10-12 前办理）：${a.message}`);
    expect(prefillRequest(a, 'suspension', TODAY)?.details).toEqual({ startDate: TODAY });
    expect(prefillRequest(a, 'withdrawal', TODAY)?.details).toEqual({ leaveDate: TODAY });
  });

  it('R-LEAVE-15 (HN 三.5) leads to 休学 only, R-ABSENT-3M (HN 三.5) to 退学 only', () => {
    const leave = action('R-LEAVE-15');
    expect(actionRequests(leave).map((r) => r.type)).toEqual(['suspension']);
    expect(prefillRequest(leave, 'suspension', TODAY)).toEqual({
      details: { startDate: TODAY },
      reason: `常态化核验结果处理（R-LEAVE-15，HN 三.5，须在 2026-10-12 前办理）：${leave.message}`,
    });
    expect(prefillRequest(leave, 'withdrawal', TODAY)).toBeNull();
    const absent = action('R-ABSENT-3M', { due: undefined });
    expect(actionRequests(absent).map((r) => r.type)).toEqual(['withdrawal']);
    expect(prefillRequest(absent, 'withdrawal', TODAY)?.reason).toBe(
      `常态化核验结果处理（R-ABSENT-3M，HN 三.5）：${absent.message}`,
    );
    expect(prefillRequest(absent, 'studyFormChange', TODAY)).toBeNull();
  });

  it('a handled or void action, and R-AID-STOP, lead to no request', () => {
    expect(actionRequests(action('R-MISS-2-4', { state: 'done' }))).toEqual([]);
    expect(actionRequests(action('R-MISS-2-4', { state: 'void' }))).toEqual([]);
    expect(actionRequests(action('R-AID-STOP'))).toEqual([]);
    expect(prefillRequest(action('R-AID-STOP'), 'withdrawal', TODAY)).toBeNull();
  });

  it('the reason stays within the request’s 500 characters; the route carries record and action', () => {
    const long = prefillRequest(action('R-MISS-2-4', { message: '很'.repeat(600) }), 'withdrawal', TODAY);
    expect(long?.reason.length).toBe(500);
    expect(actionRequestRoute('st 1', 'vr:st1:2026-09-01', 'R-MISS-2-4:vt-2', 'studyFormChange')).toBe(
      '/students/st%201/change/studyFormChange/for/vr%3Ast1%3A2026-09-01/R-MISS-2-4%3Avt-2',
    );
  });
});
