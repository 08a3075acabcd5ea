// What the results screens show, computed from the synced term records (one per student per term): a
// task's counts (passed, exempt, missed, not yet) for a school, a class or a counselor's classes, and a
// student's term — misses in a row and in total by the rules engine's own tally (R-MISS-2-4), so the app
// shows what the server evaluates. Pure: records and tasks in, figures out (the 20,000 results of a task
// are counted in one pass, shared by the screen and the bench).
import { missTally, type TaskOutcome, type TaskOutcomeKind } from '../rules/checks/verification';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/settings';
import { taskFact } from './roll';
import type { ResultState, VerificationRecordDoc, VerificationTaskDoc } from './schemas';

/** The screens' four groups: 未按时核验 (missed) once the window closed, 待核验 (pending or failed) before. */
export type ResultGroup = 'passed' | 'exempt' | 'missed' | 'open';

export const GROUP_LABELS: Record<ResultGroup, string> = {
  passed: '已通过',
  exempt: '免核验',
  missed: '未按时核验',
  open: '待核验',
};

export function groupOf(s: ResultState): ResultGroup {
  if (s === 'passed') return 'passed';
  if (s === 'exempt' || s === 'appealUpheld') return 'exempt';
  if (s === 'missed') return 'missed';
  return 'open';
}

export type Counts = { called: number; passed: number; exempt: number; missed: number; open: number };

export const emptyCounts = (): Counts => ({ called: 0, passed: 0, exempt: 0, missed: 0, open: 0 });

/** The share of the called students who passed or were exempt (0 when nobody was called). */
export function completion(c: Counts): number {
  return c.called === 0 ? 0 : (c.passed + c.exempt) / c.called;
}

type RecordLike = Pick<VerificationRecordDoc, 'results' | 'classId' | 'schoolId'>;

/**
 * Counts of one task over records, in total and by a key of the record (its class or its school).
 * Records the task does not call are not counted.
 */
export function taskCounts(
  records: Iterable<RecordLike>,
  taskId: string,
  keyOf: (r: RecordLike) => string = (r) => r.classId ?? '',
): { total: Counts; by: Map<string, Counts> } {
  const total = emptyCounts();
  const by = new Map<string, Counts>();
  for (const r of records) {
    const res = r.results[taskId];
    if (!res) continue;
    const g = groupOf(res.s);
    const k = keyOf(r);
    let c = by.get(k);
    if (!c) {
      c = emptyCounts();
      by.set(k, c);
    }
    c.called++;
    c[g]++;
    total.called++;
    total[g]++;
  }
  return { total, by };
}

const OUTCOME: Record<ResultState, TaskOutcomeKind> = {
  passed: 'passed',
  exempt: 'exempt',
  appealUpheld: 'appealUpheld',
  missed: 'missed',
  pending: 'open',
  failed: 'open',
};

/**
 * R-MISS-2-4 (HN 四.1): a student's misses of the term, in a row and in total, by the rules engine's
 * tally: only tasks of an upper level count (a school's own 联调测试 does not), a cancelled task not at
 * all, an exempt or open task neither counts nor ends a run.
 */
export function termTally(
  record: Pick<VerificationRecordDoc, 'results'>,
  task: (id: string) => VerificationTaskDoc | undefined,
  now: number,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): { total: number; consecutive: number; missedTaskIds: string[] } {
  const outcomes: TaskOutcome[] = [];
  for (const [id, r] of Object.entries(record.results)) {
    const t = task(id);
    if (!t || t.status === 'cancelled') continue;
    outcomes.push({ task: taskFact(t, now), outcome: OUTCOME[r.s], counts: t.issuer !== 'school' });
  }
  outcomes.sort(
    (a, b) =>
      a.task.end.localeCompare(b.task.end) ||
      a.task.start.localeCompare(b.task.start) ||
      a.task.id.localeCompare(b.task.id),
  );
  const t = missTally(outcomes, settings);
  return { total: t.total, consecutive: t.consecutive, missedTaskIds: t.missed.map((m) => m.id) };
}
