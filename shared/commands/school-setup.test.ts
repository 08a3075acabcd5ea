import { describe, expect, it } from 'vitest';
import { checkIdNumber } from '../validate/id-number';
import { decideDemoSchool, decideSchoolSetup } from './school-setup';
import type { CommandEnv } from './types';

const env: CommandEnv = {
  actor: { id: 'local:setup', name: '张老师' },
  now: () => '2026-09-01T00:00:00.000Z',
  newId: () => 'e1',
};
const profile = {
  name: '郑州市第一职业中等专业学校',
  schoolCode: '4141010501',
  schoolType: 'vocational' as const,
  countyName: '金水区',
  countyCode: '410105',
  operatorName: '张老师',
};

describe('school-setup', () => {
  it('creates the county and the school with their org paths, and the settings', () => {
    const d = decideSchoolSetup(profile, env);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.orgs.map((o) => [o.kind, o.id, o.path])).toEqual([
      ['county', '410105', '/41/4101/410105/'],
      ['school', '4141010501', '/41/4101/410105/4141010501/'],
    ]);
    expect(d.settings).toMatchObject({ schoolId: '4141010501', operatorName: '张老师', demo: false });
  });

  it('names every bad field in Chinese', () => {
    const d = decideSchoolSetup(
      { ...profile, name: ' ', schoolCode: '12', countyCode: 'abc', creditCode: 'x' },
      env,
    );
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.errors.map((e) => [e.field, e.message])).toEqual([
      ['name', '学校名称不能为空'],
      ['schoolCode', '学校标识码应为 10 位数字'],
      ['countyCode', '区县行政区划代码应为 6 位数字，如 410105'],
      ['creditCode', '统一社会信用代码应为 18 位（数字和大写字母）'],
    ]);
  });

  it('demo school: seeded students of that school, valid ID numbers, same seed same roster', () => {
    const a = decideDemoSchool({ students: 120, seed: 5, schoolType: 'k12', operatorName: '' }, env);
    const b = decideDemoSchool({ students: 120, seed: 5, schoolType: 'k12', operatorName: '' }, env);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.students).toHaveLength(120);
    expect(a.students).toEqual(b.students);
    expect(
      a.students.every((s) => s.schoolId === a.settings.schoolId && checkIdNumber(s.idNo) === null),
    ).toBe(true);
    expect(a.settings).toMatchObject({ demo: true, schoolType: 'k12', operatorName: '演示管理员' });
    // R-WHO: archive parts the seed marked present name a person, as archive-mark does — not the actor id
    const checkers = new Set(
      a.students.flatMap((s) => Object.values(s.archive).map((i) => i.checkedBy)).filter(Boolean),
    );
    expect([...checkers]).toEqual(['演示管理员']);
    expect(decideDemoSchool({ students: 0, seed: 1, schoolType: 'k12', operatorName: '' }, env).ok).toBe(
      false,
    );
  });
});
