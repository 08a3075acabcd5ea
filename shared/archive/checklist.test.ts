import { describe, expect, it } from 'vitest';
import { archivePartsFor, VOCATIONAL_ARCHIVE_PARTS } from '../domain/archive';
import { personName } from '../domain/names';
import type { Student } from '../domain/student';
import { createRandom } from '../seed/random';
import { generateStudents } from '../seed/roster';
import {
  ArchiveTally,
  checklistOf,
  completenessByClass,
  drawerOrder,
  effectiveState,
  jumpTo,
  markAllPresent,
  missingPartsList,
  togglePart,
} from './checklist';

const ctx = { at: '2026-10-08T10:00:00.000+08:00', by: '王老师' };

describe('paper archive checklist', () => {
  const [s] = generateStudents({ count: 1, seed: 5 });
  if (!s) throw new Error('no student');

  it('the graduate form is not due before graduation and missing after it if not filed', () => {
    const grad = VOCATIONAL_ARCHIVE_PARTS.find((p) => p.dueAtGraduation);
    if (!grad) throw new Error('no graduation part');
    expect(effectiveState(grad, s)).toBe('notDue');
    expect(effectiveState(grad, { ...s, status: 'graduated' })).toBe('missing');
    expect(checklistOf(s, 'vocational')).toHaveLength(6);
    expect(checklistOf(s, 'k12')).toHaveLength(7);
  });

  it('toggle and mark-all record the date and who checked (R-WHO), with before/after for the event', () => {
    const part = VOCATIONAL_ARCHIVE_PARTS[0];
    if (!part) throw new Error('no part');
    const student: Student = { ...s, archive: { ...s.archive, [part.id]: { state: 'missing' } } };
    const on = togglePart(student, part, ctx);
    expect(on.archive[part.id]).toEqual({ state: 'present', checkedAt: ctx.at, checkedBy: '王老师' });
    expect(on.before).toEqual({ [part.id]: { state: 'missing' } });
    const off = togglePart({ ...student, archive: on.archive }, part, ctx);
    expect(off.archive[part.id]?.state).toBe('missing');
    const all = markAllPresent(student, 'vocational', ctx);
    for (const p of VOCATIONAL_ARCHIVE_PARTS)
      expect(all.archive[p.id]?.state).toBe(p.dueAtGraduation ? 'notDue' : 'present');
    expect(Object.values(all.archive).every((i) => i.checkedBy === '王老师')).toBe(true);
  });

  it('the school-wide missing-parts list and completeness equal a direct count after random edits', () => {
    const rnd = createRandom(99);
    let students = generateStudents({ count: 3000, seed: 12 });
    const parts = archivePartsFor('vocational');
    for (let k = 0; k < 2000; k++) {
      const i = rnd.int(0, students.length - 1);
      const st = students[i] as Student;
      const change = rnd.chance(0.2)
        ? markAllPresent(st, 'vocational', ctx)
        : togglePart(st, rnd.pick(parts), ctx);
      const status = rnd.chance(0.05) ? 'graduated' : st.status;
      students = students.map((x, j) => (j === i ? { ...x, status, archive: change.archive } : x));
    }
    // direct count, written independently of the module's helpers
    let direct = 0;
    const directByClass = new Map<string, number>();
    for (const st of students)
      for (const p of parts) {
        const stored = st.archive[p.id]?.state;
        const due = !p.dueAtGraduation || st.status === 'graduated';
        if (due && stored !== 'present') {
          direct++;
          directByClass.set(st.classId, (directByClass.get(st.classId) ?? 0) + 1);
        }
      }
    const list = missingPartsList(students, 'vocational');
    expect(list).toHaveLength(direct);
    const byClass = completenessByClass(students, 'vocational');
    expect(byClass.reduce((n, c) => n + c.missingParts, 0)).toBe(direct);
    for (const c of byClass) expect(c.missingParts).toBe(directByClass.get(c.classId) ?? 0);
    expect(byClass.reduce((n, c) => n + c.students, 0)).toBe(3000);
  });

  it('who checked shows a name: a legacy actor id "local:<name>" is shown as the name (R-WHO)', () => {
    expect(personName('local:学籍管理员')).toBe('学籍管理员');
    expect(personName('王老师')).toBe('王老师');
    expect(personName(undefined)).toBe('');
  });

  it('type-to-jump finds a folder by 学号 or name, from the current position, wrapping', () => {
    const folders = drawerOrder(generateStudents({ count: 200, seed: 4 }));
    const target = folders[150];
    if (!target) throw new Error('no folder');
    expect(jumpTo(folders, target.schoolNo ?? '', 10)).toBe(150);
    expect(folders[jumpTo(folders, target.name, 151)]?.name).toBe(target.name);
    expect(jumpTo(folders, 'zzz')).toBe(-1);
  });

  it('the incremental tally equals a direct count after random marks, class moves, leaves and removals', () => {
    const rnd = createRandom(21);
    const isMember = (x: Pick<Student, 'status'>) => x.status !== 'transferredOut';
    const roster = new Map(generateStudents({ count: 400, seed: 22 }).map((x) => [x.id, x]));
    const tally = new ArchiveTally('vocational', isMember);
    const direct = () => completenessByClass([...roster.values()].filter(isMember), 'vocational');
    expect(tally.sync(roster)).toBe(true);
    expect(tally.byClass()).toEqual(direct());
    expect(tally.sync(roster)).toBe(false);
    const ids = [...roster.keys()];
    for (let round = 0; round < 30; round++) {
      const before = tally.byClass();
      const membership = tally.membership;
      let left = 0;
      for (let k = 0; k < 7; k++) {
        const id = rnd.pick(ids);
        const cur = roster.get(id);
        if (!cur) continue;
        const what = rnd.int(0, 5);
        if (what <= 2) roster.set(id, { ...cur, archive: markAllPresent(cur, 'vocational', ctx).archive });
        else if (what === 3)
          roster.set(id, {
            ...cur,
            archive: togglePart(cur, rnd.pick(VOCATIONAL_ARCHIVE_PARTS), ctx).archive,
          });
        else if (what === 4) roster.set(id, { ...cur, classId: rnd.pick(before)?.classId ?? cur.classId });
        else {
          roster.set(id, {
            ...cur,
            status: cur.status === 'transferredOut' ? 'graduated' : 'transferredOut',
          });
          left++;
        }
      }
      if (round % 10 === 9) roster.delete(rnd.pick([...roster.keys()]));
      tally.sync(roster);
      const want = direct();
      expect(tally.byClass()).toEqual(want);
      const members = [...roster.values()].filter(isMember);
      expect(tally.totals).toEqual({
        students: members.length,
        complete: want.reduce((n, c) => n + c.complete, 0),
        missingParts: want.reduce((n, c) => n + c.missingParts, 0),
      });
      if (left > 0) expect(tally.membership).toBeGreaterThan(membership);
      // classes whose figures did not change keep their object (memoised rows skip re-rendering)
      const unchanged = tally.byClass().filter((c) => before.includes(c));
      expect(unchanged.length).toBeGreaterThan(0);
    }
  });
});
