import { describe, expect, it } from 'vitest';
import { splitName } from '../domain/names';
import { birthDateFromId, checkIdNumber, genderFromId } from '../validate/id-number';
import { validateStudent } from '../validate/student';
import { generateStudents } from './roster';

describe('seeded roster generator', () => {
  const students = generateStudents({ count: 3000, seed: 7 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateStudents({ count: 3000, seed: 7 })).toEqual(students);
    expect(generateStudents({ count: 50, seed: 8 })[0]?.idNo).not.toBe(students[0]?.idNo);
  });

  it('gives valid, unique ID numbers that agree with birth date and gender', () => {
    const ids = new Set<string>();
    for (const s of students) {
      expect(checkIdNumber(s.idNo)).toBeNull();
      expect(birthDateFromId(s.idNo)).toBe(s.birthDate);
      expect(genderFromId(s.idNo)).toBe(s.gender);
      ids.add(s.idNo);
    }
    expect(ids.size).toBe(students.length);
  });

  it('passes the same validation a registrar edit gets', () => {
    const bad = students.filter((s) => validateStudent(s).length > 0);
    expect(bad).toEqual([]);
  });

  it('has two-character given names, compound surnames, guardians and phones', () => {
    expect(students.some((s) => splitName(s.name).given.length === 2)).toBe(true);
    expect(students.some((s) => splitName(s.name).surname.length === 2)).toBe(true);
    expect(students.every((s) => s.guardians.length >= 1 && /^1\d{10}$/.test(s.phone ?? ''))).toBe(true);
    expect(new Set(students.map((s) => s.classId)).size).toBeGreaterThan(20);
  });

  it('generates K-12 schools with the K-12 archive parts', () => {
    const k12 = generateStudents({ count: 100, seed: 3, schoolType: 'k12' });
    expect(k12[0]?.grade).toMatch(/年级$/);
    expect(Object.keys(k12[0]?.archive ?? {})).toContain('qualityEvaluation');
    expect(k12[0]?.major).toBeUndefined();
  });
});
