// Sample students for the on-site archive check (DOMAIN.md "Inspections" step 3: sample students drawn
// from the roster, their paper archives checked part by part). Seeded and recorded like the object draw:
// the roster ids are sorted (UTF-16 code units) and de-duplicated, their canonical JSON hashed, and a
// partial Fisher–Yates shuffle with the "sample" stream (draw-random.ts) picks n of them in draw order:
// for i = 0 … n−1, j = i + below(N − i), swap positions i and j.
import { canonicalJson } from '../forms/canonical';
import { byCodeUnits, type DrawSeed, type Parsed, parseSeed, seedText } from './draw-input';
import { drawStream, sha256Hex } from './draw-random';

export type StudentSample = {
  seed: DrawSeed;
  /** SHA-256 of the canonical JSON of the sorted roster ids: which roster the sample was drawn from */
  rosterHash: string;
  rosterSize: number;
  /** the drawn student ids, in draw order */
  students: string[];
};

export const MAX_SAMPLE = 1000;

export function rosterHash(ids: readonly string[]): string {
  return sha256Hex(canonicalJson([...new Set(ids)].sort(byCodeUnits)));
}

/** Draws n students (all of them when the roster has fewer) from the roster ids with a recorded seed. */
export function drawSampleStudents(
  rosterIds: readonly string[],
  n: number,
  seed: DrawSeed,
): Parsed<StudentSample> {
  const s = parseSeed(seed);
  if (!s.ok) return s;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLE)
    return {
      ok: false,
      problems: [{ field: 'n', message: `抽查学生人数应为 1 到 ${MAX_SAMPLE} 的整数，现为 ${n}` }],
    };
  if (rosterIds.some((id) => typeof id !== 'string' || id === ''))
    return { ok: false, problems: [{ field: 'rosterIds', message: '花名册中有空的学生编号' }] };
  const ids = [...new Set(rosterIds)].sort(byCodeUnits);
  if (ids.length === 0)
    return { ok: false, problems: [{ field: 'rosterIds', message: '花名册是空的，无法抽查学生' }] };
  const hash = rosterHash(ids);
  const stream = drawStream('sample', hash, seedText(s.value));
  const take = Math.min(n, ids.length);
  for (let i = 0; i < take; i++) {
    const j = i + stream.below(ids.length - i);
    const t = ids[i] as string;
    ids[i] = ids[j] as string;
    ids[j] = t;
  }
  return {
    ok: true,
    value: { seed: s.value, rosterHash: hash, rosterSize: ids.length, students: ids.slice(0, take) },
  };
}

/** Is this recorded sample what its seed gives for this roster? */
export function verifySampleStudents(sample: StudentSample, rosterIds: readonly string[]): boolean {
  if (rosterHash(rosterIds) !== sample.rosterHash) return false;
  const again = drawSampleStudents(rosterIds, sample.students.length, sample.seed);
  return again.ok && again.value.students.join('\u0000') === sample.students.join('\u0000');
}
