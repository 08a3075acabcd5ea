// Runs in headless chromium on real IndexedDB (bench/suites/verification-browser.ts builds and drives
// this page): the school's results screen of one task called for 20,000 students — the term records read
// from the app's database (production build), the task's counts by class and the list of one group
// sorted, as TaskPage computes them (shared/verification/summary.ts). The virtual list then renders only
// the rows in view.
import { createXuejiDatabase } from '../../renderer/src/db/database';
import { createRandom } from '../../shared/seed/random';
import type { ResultState, VerificationRecordDoc } from '../../shared/verification/schemas';
import { groupOf, taskCounts } from '../../shared/verification/summary';

const COUNT = 20_000;
const round = (ms: number) => Math.round(ms * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function records(): VerificationRecordDoc[] {
  const rnd = createRandom(13);
  const states: ResultState[] = [
    'passed',
    'passed',
    'passed',
    'passed',
    'passed',
    'passed',
    'passed',
    'missed',
    'failed',
    'exempt',
  ];
  return Array.from({ length: COUNT }, (_, i) => {
    const results: VerificationRecordDoc['results'] = {};
    for (let t = 1; t <= 4; t++)
      results[`vt-bench-${t}`] = { s: rnd.pick(states), at: '2026-10-09T02:00:00.000Z', n: 1 };
    return {
      id: `vr:st-${i}:2026-08-01`,
      kind: 'record',
      schoolId: 'S41010501',
      orgPath: '/41/4101/410105/S41010501/',
      classId: `计算机${String(2401 + (i % 3) * 100)}-${String(i % 40).padStart(2, '0')}班`,
      grade: '2025',
      studentId: `st-${i}`,
      studentName: `学生${i}`,
      termKey: '2026-08-01',
      term: { start: '2026-09-01', end: '2027-01-22' },
      results,
      updatedAt: '2026-10-09T10:00:00.000Z',
      updatedBy: 'server',
    };
  });
}

async function run(): Promise<Record<string, number>> {
  const db = await createXuejiDatabase({ name: `bench-verif-${Date.now()}`, collections: ['verifications'] });
  const docs = records();
  const t0 = performance.now();
  const { error } = await db.verifications.bulkInsert(docs as never);
  const insertMs = performance.now() - t0;
  if (error.length > 0) throw new Error(`${error.length} inserts failed`);
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const loaded = (await db.verifications.find({ selector: { kind: 'record' } }).exec()).map(
      (d) => d.toJSON() as unknown as VerificationRecordDoc,
    );
    const { total } = taskCounts(loaded, 'vt-bench-2');
    const rows = loaded
      .filter(
        (x) =>
          x.results['vt-bench-2'] && groupOf((x.results['vt-bench-2'] as { s: ResultState }).s) !== 'exempt',
      )
      .map((x) => ({ name: x.studentName ?? '', classId: x.classId ?? '', r: x.results['vt-bench-2'] }))
      .sort((a, b) => a.classId.localeCompare(b.classId) || a.name.localeCompare(b.name));
    if (total.called !== COUNT || rows.length === 0) throw new Error('counts');
    runs.push(performance.now() - t);
  }
  await db.remove();
  return { 'verification.results20k.ms': round(median(runs)), 'verification.insert20k.ms': round(insertMs) };
}

(window as unknown as { runVerificationBench: typeof run }).runVerificationBench = run;
