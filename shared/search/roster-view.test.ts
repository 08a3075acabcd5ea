import { describe, expect, it } from 'vitest';
import { generateStudents } from '../seed/roster';
import { filterRoster, rosterFacets, sortRoster } from './roster-view';

const students = generateStudents({ count: 400, seed: 9 });

describe('roster view', () => {
  it('filters by grade, class, major, status and study form, keeping the order', () => {
    const first = students[0];
    if (!first) throw new Error('no students');
    const rows = filterRoster(students, null, { grade: first.grade, classId: first.classId });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((s) => s.classId === first.classId)).toBe(true);
    expect(filterRoster(students, null, { status: 'suspended' })).toEqual([]);
    const partTime = filterRoster(students, null, { studyForm: '2' });
    expect(partTime.every((s) => s.studyForm === '2')).toBe(true);
    const ids = new Set([first.id]);
    expect(filterRoster(students, ids, {})).toEqual([first]);
  });

  it('sorts names by pinyin and columns both ways', () => {
    const byName = sortRoster(students, { key: 'name', dir: 'asc' }).map((s) => s.namePinyin ?? '');
    expect(byName).toEqual([...byName].sort());
    const desc = sortRoster(students, { key: 'idNo', dir: 'desc' }).map((s) => s.idNo);
    expect(desc).toEqual([...desc].sort().reverse());
  });

  it('lists the filter choices present in the roster', () => {
    const f = rosterFacets(students);
    expect(f.grades).toEqual(['2024级', '2025级', '2026级']);
    expect(f.majors).toContain('计算机应用');
    expect(f.statuses).toEqual(['enrolled']);
    expect(f.classesByGrade.get('2026级')?.every((c) => c.includes('26'))).toBe(true);
    expect(students.every((s) => f.majorOfClass.get(s.classId) === s.major)).toBe(true);
  });
});
