// Runs in headless chromium on real IndexedDB (bench/suites/roster.ts builds and drives this page).
// It uses the app's own database module, built for production (no dev-mode, no validation).
import Dexie from 'dexie';
import { createXuejiDatabase } from '../../renderer/src/db/database';
import { pinyinKeys } from '../../shared/domain/names';
import type { Student } from '../../shared/domain/student';
import { RosterIndex } from '../../shared/search/roster-index';
import { createRandom } from '../../shared/seed/random';
import { generateStudents } from '../../shared/seed/roster';

const COUNT = 20_000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (ms: number) => Math.round(ms * 100) / 100;

/** 200 queries as a user types them: growing prefixes of initials, full pinyin, names and ID digits. */
function typedQueries(students: Student[]): string[][] {
  const rnd = createRandom(99);
  const sessions: string[][] = [];
  let total = 0;
  while (total < 200) {
    const s = rnd.pick(students);
    const k = pinyinKeys(s.name);
    const text = [k.initials, k.full.slice(0, 6), s.name, s.idNo.slice(-6), s.idNo.slice(0, 10)][
      total % 5
    ] as string;
    const session = Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)).slice(0, 200 - total);
    sessions.push(session);
    total += session.length;
  }
  return sessions;
}

async function run(): Promise<Record<string, number>> {
  const students = generateStudents({ count: COUNT, seed: 7 });
  const stamp = Date.now();

  const raw = new Dexie(`bench-floor-${stamp}`);
  raw.version(1).stores({ students: 'id' });
  let t = performance.now();
  await raw.table('students').bulkPut(students);
  const floorMs = performance.now() - t;
  raw.close();
  await Dexie.delete(`bench-floor-${stamp}`);

  const db = await createXuejiDatabase({ name: `bench-rxdb-${stamp}` });
  t = performance.now();
  const { error } = await db.students.bulkInsert(students);
  const insertMs = performance.now() - t;
  if (error.length > 0) throw new Error(`${error.length} inserts failed`);
  t = performance.now();
  const loaded = (await db.students.find().exec()).map((d) => d.toJSON() as Student);
  const loadMs = performance.now() - t;
  await db.remove();

  t = performance.now();
  const index = new RosterIndex();
  index.reset(loaded);
  const buildMs = performance.now() - t;

  const sessions = typedQueries(loaded);
  const times: number[] = [];
  for (const session of sessions) {
    index.search('');
    for (const q of session) {
      const t0 = performance.now();
      index.search(q);
      times.push(performance.now() - t0);
    }
  }

  // Floor: a plain scan of one precomputed lower-case string per student, substring match per query.
  const hay = loaded.map((s) => {
    const k = pinyinKeys(s.name);
    return `${s.name} ${k.full} ${k.initials} ${s.idNo} ${s.statusNo ?? ''} ${s.schoolNo ?? ''}`.toLowerCase();
  });
  const floorTimes: number[] = [];
  for (const q of sessions.flat()) {
    const t0 = performance.now();
    const lq = q.toLowerCase();
    const found: number[] = [];
    for (let i = 0; i < hay.length; i++) if ((hay[i] as string).includes(lq)) found.push(i);
    floorTimes.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  floorTimes.sort((a, b) => a - b);
  return {
    'roster.insert20k.ms': round(insertMs),
    'roster.insert20k.floorMs': round(floorMs),
    'roster.load20k.ms': round(loadMs),
    'roster.search.buildMs': round(buildMs),
    'roster.search.queries': times.length,
    'roster.search.p50Ms': round(percentile(times, 50)),
    'roster.search.p95Ms': round(percentile(times, 95)),
    'roster.search.floorP95Ms': round(percentile(floorTimes, 95)),
  };
}

(window as unknown as { runRosterBench: typeof run }).runRosterBench = run;
