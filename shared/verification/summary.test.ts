// The results screens' figures (summary.ts) and the 待办 items (inbox.ts) on hand-made records: a task's
// counts by class, R-MISS-2-4's tally through the rules engine (a school's own 联调测试 does not count, an
// exempt task does not end a run, an upheld appeal does), and the inbox's items with due dates.
import { describe, expect, it } from 'vitest';
import { fromChinaTime } from '../calendar/china';
import { collectInbox } from '../inbox/types';
import type { SyncUser } from '../sync/protocol';
import { verificationInbox } from './inbox';
import type { ResultState, VerificationRecordDoc, VerificationTaskDoc } from './schemas';
import { completion, taskCounts, termTally } from './summary';

function task(
  id: string,
  day: string,
  issuer: VerificationTaskDoc['issuer'] = 'bureau',
): VerificationTaskDoc {
  return {
    id,
    kind: 'task',
    schoolId: issuer === 'school' ? 'VA' : '410101',
    orgPath: '/41/4101/410101/',
    termKey: '2026-08-01',
    issuer,
    issuerName: '甲县教育局',
    name: `核验${id}`,
    start: fromChinaTime(`${day} 08:00`) as string,
    end: fromChinaTime(`${day} 18:00`) as string,
    scope: { schoolIds: ['VA'] },
    fences: { VA: { lat: 34.7, lng: 113.6, radiusM: 500 } },
    ...(issuer === 'school' ? { test: true } : {}),
    status: 'published',
    createdAt: '2026-09-01T00:00:00.000Z',
    createdBy: 'u',
    updatedAt: '2026-09-01T00:00:00.000Z',
    updatedBy: 'u',
  };
}

function record(id: string, classId: string, results: Record<string, ResultState>): VerificationRecordDoc {
  return {
    id: `vr:${id}:2026-08-01`,
    kind: 'record',
    schoolId: 'VA',
    orgPath: '/41/4101/410101/VA/',
    classId,
    studentId: id,
    studentName: `学生${id}`,
    termKey: '2026-08-01',
    term: { start: '2026-09-01', end: '2027-01-22' },
    results: Object.fromEntries(Object.entries(results).map(([k, s]) => [k, { s }])),
    updatedAt: '2026-10-01T00:00:00.000Z',
    updatedBy: 'server',
  };
}

const NOW = Date.parse('2026-11-30T00:00:00Z');

describe('task counts', () => {
  it('counts a task by class: passed, exempt (leave or upheld appeal), missed, not yet; others not called', () => {
    const records = [
      record('a', '一班', { t1: 'passed' }),
      record('b', '一班', { t1: 'missed' }),
      record('c', '二班', { t1: 'exempt' }),
      record('d', '二班', { t1: 'failed' }),
      record('e', '二班', { t1: 'appealUpheld' }),
      record('f', '二班', { t2: 'passed' }),
    ];
    const { total, by } = taskCounts(records, 't1');
    expect(total).toEqual({ called: 5, passed: 1, exempt: 2, missed: 1, open: 1 });
    expect(by.get('一班')).toEqual({ called: 2, passed: 1, exempt: 0, missed: 1, open: 0 });
    expect(completion(total)).toBeCloseTo(0.6);
  });
});

describe('R-MISS-2-4 tally of a term record', () => {
  const tasks = new Map(
    [
      task('t1', '2026-09-10'),
      task('t2', '2026-09-20'),
      task('own', '2026-09-25', 'school'),
      task('t3', '2026-10-12'),
      task('t4', '2026-10-20'),
    ].map((t) => [t.id, t]),
  );
  const get = (id: string) => tasks.get(id);

  it('R-MISS-2-4: two upper-level misses in a row; the school’s own 联调测试 between them neither counts nor breaks the run', () => {
    const t = termTally(record('a', '一班', { t1: 'missed', own: 'passed', t2: 'missed' }), get, NOW);
    expect(t).toEqual({ total: 2, consecutive: 2, missedTaskIds: ['t1', 't2'] });
  });

  it('R-MISS-2-4: a pass ends the run; an exempt task does not; an upheld appeal does', () => {
    expect(
      termTally(record('a', '一班', { t1: 'missed', t2: 'passed', t3: 'missed' }), get, NOW),
    ).toMatchObject({
      total: 2,
      consecutive: 1,
    });
    expect(
      termTally(record('a', '一班', { t1: 'missed', t2: 'exempt', t3: 'missed' }), get, NOW),
    ).toMatchObject({
      total: 2,
      consecutive: 2,
    });
    expect(
      termTally(record('a', '一班', { t1: 'missed', t2: 'appealUpheld', t3: 'missed' }), get, NOW),
    ).toMatchObject({ total: 2, consecutive: 1 });
  });

  it('R-MISS-2-4: a cancelled task does not count at all', () => {
    const cancelled = new Map(tasks);
    cancelled.set('t2', { ...(tasks.get('t2') as VerificationTaskDoc), status: 'cancelled' });
    expect(
      termTally(record('a', '一班', { t1: 'missed', t2: 'missed' }), (id) => cancelled.get(id), NOW),
    ).toMatchObject({ total: 1, consecutive: 1 });
  });
});

describe('the 待办 items of routine verification (R-DAILY)', () => {
  const user = (role: SyncUser['role'], orgId = 'VA'): SyncUser => ({
    id: `u-${role}`,
    username: role,
    displayName: role,
    role,
    orgId,
    orgName: '甲县职业中专',
    orgPath: '/41/4101/410101/VA/',
    classIds: [],
  });
  const withActions: VerificationRecordDoc = {
    ...record('a', '一班', { t1: 'missed', t2: 'missed' }),
    actions: [
      {
        key: 'R-MISS-2-4:t2',
        rule: 'R-MISS-2-4',
        message: '连续 2 次未按时核验',
        due: '2026-10-09',
        since: '2026-09-30T10:00:00.000Z',
        state: 'open',
      },
      {
        key: 'R-AID-STOP:t2',
        rule: 'R-AID-STOP',
        message: '停止资助',
        since: '2026-09-30T10:00:00.000Z',
        state: 'open',
      },
      {
        key: 'R-MISS-2-4:old',
        rule: 'R-MISS-2-4',
        message: '已处理',
        since: '2026-09-01T00:00:00.000Z',
        state: 'done',
      },
    ],
  };

  it('R-MISS-2-4: an open consequence with its due date, overdue after its last day; handled ones gone', () => {
    const items = collectInbox(
      [verificationInbox],
      { verifications: [withActions as never] },
      {
        user: user('schoolAdmin'),
        today: '2026-10-10',
      },
    );
    const miss = items.find((i) => i.id.endsWith('R-MISS-2-4:t2'));
    expect(miss).toMatchObject({
      due: { date: '2026-10-09', rule: 'R-MISS-2-4' },
      overdue: true,
      section: 'waiting',
    });
    expect(items.some((i) => i.id.endsWith('R-MISS-2-4:old'))).toBe(false);
    expect(items.some((i) => i.id.endsWith('R-AID-STOP:t2'))).toBe(true);
    const onTime = collectInbox(
      [verificationInbox],
      { verifications: [withActions as never] },
      {
        user: user('schoolAdmin'),
        today: '2026-10-09',
      },
    );
    expect(onTime.find((i) => i.id.endsWith('R-MISS-2-4:t2'))?.overdue).toBe(false);
    // R-MISS-2-4: one click into each pre-filled request (shared/verification/prefill.ts); aid has none
    const oneClick = onTime.find((i) => i.id.endsWith('R-MISS-2-4:t2'));
    expect(oneClick?.route).toBe(`/students/${withActions.studentId}`);
    expect(oneClick?.links?.map((l) => l.label)).toEqual(['转为非全日制', '申请休学', '申请退学']);
    expect(oneClick?.links?.[0]?.route).toBe(
      `/students/${withActions.studentId}/change/studyFormChange/for/${encodeURIComponent(withActions.id)}/${encodeURIComponent('R-MISS-2-4:t2')}`,
    );
    expect(onTime.find((i) => i.id.endsWith('R-AID-STOP:t2'))?.links).toBeUndefined();
  });

  it('R-AID-STOP goes to the school admin (aid office), not a counselor; a bureau gets appeals to decide', () => {
    const counselor = collectInbox(
      [verificationInbox],
      { verifications: [withActions as never] },
      {
        user: user('counselor'),
        today: '2026-10-01',
      },
    );
    expect(counselor.map((i) => i.id)).toEqual([`verificationAction:${withActions.id}:R-MISS-2-4:t2`]);
    // the requests are the registrar's: a counselor sees the action without them
    expect(counselor[0]?.links).toBeUndefined();
    const appeal = {
      id: 'ap1',
      schoolId: 'VA',
      orgPath: '/41/4101/410101/VA/',
      studentId: 'a',
      studentName: '学生a',
      taskIds: ['t1'],
      reason: '当天在校外实习',
      via: 'school',
      status: 'submitted',
      submittedAt: '2026-10-02T00:00:00.000Z',
      submittedBy: 'u',
      updatedAt: '2026-10-02T00:00:00.000Z',
      updatedBy: 'u',
    };
    const bureau = collectInbox(
      [verificationInbox],
      { appeals: [appeal] },
      {
        user: user('bureau', '410101'),
        today: '2026-10-03',
      },
    );
    expect(bureau).toMatchObject([{ kind: 'appeal', section: 'waiting', route: '/appeals' }]);
  });
});
