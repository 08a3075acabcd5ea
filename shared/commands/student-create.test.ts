import { describe, expect, it } from 'vitest';
import { generateStudents } from '../seed/roster';
import { makeIdNumber } from '../validate/id-number';
import { decideStudentCreate, type StudentCreateInput } from './student-create';

const env = {
  actor: { id: 'local:王老师', name: '王老师' },
  now: () => '2026-09-10T08:00:00.000Z',
  newId: () => 'new-1',
};
const [first, second] = generateStudents({ count: 2, seed: 91 });
if (!first || !second) throw new Error('no seed');
const model = first;
const other = second;
const ctx = {
  schoolId: 'S1',
  orgPath: '/41/4101/410105/S1/',
  schoolType: 'vocational' as const,
  existing: [],
};

function typed(over: Partial<StudentCreateInput['fields']> = {}): StudentCreateInput {
  return {
    fields: {
      name: model.name,
      gender: model.gender === '1' ? '男' : '女',
      birthDate: model.birthDate,
      idType: '居民身份证',
      idNo: model.idNo,
      ethnicity: '汉族',
      grade: model.grade,
      classId: model.classId,
      schoolNo: '20269999',
      phone: '13800001111',
      ...over,
    },
    guardians: [{ name: '王建军', relation: '父亲', phone: '13900002222' }],
    reason: '插班生',
  };
}

describe('student-create: the same checks as import and the student page, and R-ONE locally', () => {
  it('a valid hand-made student: codes stored as codes, 在校, an empty archive, one event (R-WHO)', () => {
    const r = decideStudentCreate(typed(), ctx, env);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.student).toMatchObject({ name: model.name, idType: '1', ethnicity: '01', status: 'enrolled' });
    expect(r.student.guardians).toEqual([{ name: '王建军', relation: '1', phone: '13900002222' }]);
    expect(Object.values(r.student.archive).every((a) => a.state !== 'present')).toBe(true);
    expect(r.event).toMatchObject({
      action: 'student-create',
      by: 'local:王老师',
      reason: '插班生',
      before: {},
    });
  });

  it('names every bad field: check digit, birth date against the ID, phone, missing guardian', () => {
    const bad = decideStudentCreate(
      {
        ...typed({ idNo: `${model.idNo.slice(0, 17)}${model.idNo.endsWith('1') ? '2' : '1'}`, phone: '123' }),
        guardians: [],
      },
      ctx,
      env,
    );
    expect(bad.ok).toBe(false);
    const fields = bad.ok ? [] : bad.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['idNo', 'phone', 'guardians']));
    const mismatch = decideStudentCreate(typed({ birthDate: '2001-01-01' }), ctx, env);
    expect(mismatch.ok ? [] : mismatch.errors.map((e) => e.code)).toContain('ID_BIRTH_MISMATCH');
  });

  it('R-ONE: an ID number with an active record is refused; a withdrawn one is not in the way', () => {
    const existing = [{ ...other, idNo: model.idNo, status: 'enrolled' as const }];
    const r = decideStudentCreate(typed(), { ...ctx, existing }, env);
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        field: 'idNo',
        code: 'R-ONE',
        message: expect.stringContaining('R-ONE 一人一籍'),
      }),
    ]);
    const withdrawn = decideStudentCreate(
      typed(),
      { ...ctx, existing: [{ ...other, idNo: model.idNo, status: 'withdrawn' as const, schoolNo: 'x' }] },
      env,
    );
    expect(withdrawn.ok).toBe(true);
  });

  it('a 校内学号 already taken in the school is refused, naming who has it', () => {
    const r = decideStudentCreate(typed(), { ...ctx, existing: [{ ...other, schoolNo: '20269999' }] }, env);
    expect(r.ok ? '' : r.errors[0]?.message).toContain(`已由“${other.name}”`);
  });

  it('counts the age on the Beijing day: a child turning 2 today is accepted at 07:30 Beijing time', () => {
    // 23:30 UTC on 9 September is 07:30 on 10 September in Beijing; on the UTC day the child is still 1.
    const early = { ...env, now: () => '2026-09-09T23:30:00.000Z' };
    const birthDate = '2024-09-10';
    const input = typed({ birthDate, idNo: makeIdNumber('410105', birthDate, 13) });
    const r = decideStudentCreate({ ...input, fields: { ...input.fields, gender: '男' } }, ctx, early);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const younger = typed({ birthDate: '2024-09-11', idNo: makeIdNumber('410105', '2024-09-11', 13) });
    const refused = decideStudentCreate(
      { ...younger, fields: { ...younger.fields, gender: '男' } },
      ctx,
      early,
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.map((e) => e.code)).toContain('BIRTH_AGE');
  });
});
