import { describe, expect, it } from 'vitest';
import { createRandom } from '../seed/random';
import { drawSampleStudents, rosterHash, verifySampleStudents } from './sample';

const roster = Array.from({ length: 300 }, (_, i) => `stu-${String(i).padStart(4, '0')}`);

describe('drawSampleStudents (on-site archive check)', () => {
  it('is a pure function of the roster (in any order, with repeats) and the seed, and records the seed', () => {
    const a = drawSampleStudents(roster, 20, 'JC-2026-0412');
    const rnd = createRandom(4);
    const mixed = [...roster, ...roster.slice(0, 5)].sort(() => rnd.next() - 0.5);
    const b = drawSampleStudents(mixed, 20, 'JC-2026-0412');
    expect(a).toEqual(b);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.value.seed).toBe('JC-2026-0412');
    expect(a.value.rosterSize).toBe(300);
    expect(a.value.rosterHash).toBe(rosterHash(roster));
    expect(a.value.students).toHaveLength(20);
    expect(new Set(a.value.students).size).toBe(20);
    for (const s of a.value.students) expect(roster).toContain(s);
  });

  it('gives every student the same chance (1,000 seeds)', () => {
    const small = roster.slice(0, 10);
    const hits = new Map<string, number>();
    for (let s = 0; s < 1000; s++) {
      const r = drawSampleStudents(small, 3, s);
      if (!r.ok) throw new Error('sample failed');
      for (const id of r.value.students) hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    // 3 of 10: 300 each expected
    expect(hits.size).toBe(10);
    for (const n of hits.values()) expect(n).toSatisfy((v: number) => v > 240 && v < 360);
  });

  it('takes the whole roster when it is smaller than n; refuses n < 1 and an empty roster in Chinese', () => {
    const r = drawSampleStudents(roster.slice(0, 4), 10, 1);
    expect(r.ok && r.value.students.length).toBe(4);
    expect(drawSampleStudents(roster, 0, 1)).toEqual({
      ok: false,
      problems: [{ field: 'n', message: '抽查学生人数应为 1 到 1000 的整数，现为 0' }],
    });
    expect(drawSampleStudents([], 3, 1)).toEqual({
      ok: false,
      problems: [{ field: 'rosterIds', message: '花名册是空的，无法抽查学生' }],
    });
  });

  it('verifies a recorded sample and rejects a changed one or another roster', () => {
    const r = drawSampleStudents(roster, 15, 99);
    if (!r.ok) throw new Error('sample failed');
    expect(verifySampleStudents(r.value, roster)).toBe(true);
    const swapped = { ...r.value, students: [...r.value.students.slice(1), 'stu-9999'] };
    expect(verifySampleStudents(swapped, roster)).toBe(false);
    expect(verifySampleStudents({ ...r.value, seed: 100 }, roster)).toBe(false);
    expect(verifySampleStudents(r.value, roster.slice(1))).toBe(false);
  });
});
