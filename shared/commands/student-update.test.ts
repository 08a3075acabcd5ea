import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_FIELDS } from '../domain/student';
import { generateStudents } from '../seed/roster';
import { decideStudentUpdate } from './student-update';
import type { CommandEnv } from './types';

const env: CommandEnv = {
  actor: { id: 'local:李老师', name: '李老师' },
  now: () => '2026-10-08T09:30:00.000Z',
  newId: () => 'event-1',
};
const [student] = generateStudents({ count: 1, seed: 3 });
if (!student) throw new Error('seed gave no student');
const decide = (patch: Record<string, unknown>) =>
  decideStudentUpdate({ student, patch: patch as never, keyFields: DEFAULT_KEY_FIELDS }, env);

describe('student-update', () => {
  it('R-WHO: records who, when, before and after of the changed field only', () => {
    const d = decide({ phone: ' 139 1234 5678 ', address: student.address });
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.next.phone).toBe('13912345678');
    expect(d.next.updatedAt).toBe('2026-10-08T09:30:00.000Z');
    expect(d.next.updatedBy).toBe('local:李老师');
    expect(d.event).toMatchObject({
      id: 'event-1',
      entity: 'student',
      entityId: student.id,
      action: 'student-update',
      by: 'local:李老师',
      byName: '李老师',
      at: '2026-10-08T09:30:00.000Z',
      before: { phone: student.phone },
      after: { phone: '13912345678' },
    });
  });

  it('refuses key fields (★): they change only through 基本信息变更', () => {
    const d = decide({ name: '张三', grade: '2025级', phone: '13912345678' });
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.errors.map((e) => e.field)).toEqual(['name', 'grade']);
    expect(d.errors[0]?.message).toContain('姓名是关键字段（★）');
    expect(d.errors[0]?.message).toContain('基本信息变更');
  });

  it('gives a Chinese message naming the field for a bad phone, and writes nothing', () => {
    const d = decide({ phone: '12345' });
    expect(d).toEqual({
      ok: false,
      errors: [{ field: 'phone', code: 'PHONE_FORMAT', message: expect.stringContaining('联系电话“12345”') }],
    });
  });

  it('stores codes for code fields typed as names, and clears an optional field with an empty value', () => {
    const d = decide({ politicalStatus: '群众', health: '', enrolYearMonth: '2024-9' });
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.next.politicalStatus).toBe('13');
    expect('health' in d.next).toBe(false);
    expect(d.next.enrolYearMonth).toBe('202409');
    expect(d.event?.after).toMatchObject({ politicalStatus: '13', health: null });
  });

  it('checks 学籍号 against the ID number when it is registered here', () => {
    const unregistered = { ...student, statusNo: undefined };
    const d = decideStudentUpdate(
      { student: unregistered, patch: { statusNo: 'G11010519491231002X' }, keyFields: DEFAULT_KEY_FIELDS },
      env,
    );
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.errors[0]).toMatchObject({ field: 'statusNo', code: 'STATUS_NO_MISMATCH' });
    const ok = decideStudentUpdate(
      { student: unregistered, patch: { statusNo: `g${student.idNo}` }, keyFields: DEFAULT_KEY_FIELDS },
      env,
    );
    expect(ok.ok && ok.next.statusNo).toBe(`G${student.idNo}`);
  });

  it('keeps a registered 学籍号 read-only: an official number changes only through an info change', () => {
    const d = decide({ statusNo: `L${student.idNo.slice(0, 17)}1` });
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.errors[0]).toMatchObject({ field: 'statusNo', code: 'STATUS_NO_LOCKED' });
    expect(d.errors[0]?.message).toContain('基本信息变更');
  });

  it('validates guardians row by row and normalises their relation codes', () => {
    const bad = decide({ guardians: [{ name: '', relation: '舅舅', phone: '1' }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors.map((e) => e.field).sort()).toEqual([
        'guardians.0.name',
        'guardians.0.phone',
        'guardians.0.relation',
      ]);
    const good = decide({ guardians: [{ name: ' 王芳 ', relation: '母亲', phone: '13800000000' }] });
    expect(good.ok && good.next.guardians).toEqual([{ name: '王芳', relation: '2', phone: '13800000000' }]);
    expect(decide({ guardians: [] }).ok).toBe(false);
  });

  it('refuses status and archive edits and unknown fields', () => {
    const d = decide({ status: 'withdrawn', archive: '{}', shoeSize: '42' });
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.errors.map((e) => e.code)).toEqual(['NOT_EDITABLE', 'NOT_EDITABLE', 'UNKNOWN_FIELD']);
  });

  it('an edit that changes nothing yields no event', () => {
    const d = decide({ phone: student.phone });
    expect(d).toMatchObject({ ok: true, event: null });
  });

  it("phantom change: members whose keys come in the server's jsonb order are not a change (issue 9)", () => {
    // PostgreSQL's jsonb orders keys by length, then bytes: a student pulled from the server has
    // {name, phone, relation}; the form sends {name, relation, phone, idNo: undefined}.
    const jsonbOrder = (g: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(g).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1)));
    const fromServer = {
      ...student,
      guardians: student.guardians.map((g) => jsonbOrder(g)),
    } as typeof student;
    const typed = student.guardians.map((g) => ({
      ...g,
      relationNote: undefined,
      employer: g.employer ?? '',
    }));
    const d = decideStudentUpdate(
      {
        student: fromServer,
        patch: { phone: '13912345678', guardians: typed } as never,
        keyFields: DEFAULT_KEY_FIELDS,
      },
      env,
    );
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(Object.keys(d.event?.after ?? {})).toEqual(['phone']);
    expect(d.next.guardians).toBe(fromServer.guardians);
  });

  it("a member's ID number is required when the student has none (证件类型 其他)", () => {
    const noId = {
      ...student,
      idType: 'Z',
      idNo: '',
      statusNo: undefined,
      guardians: [{ name: '王芳', relation: '2', phone: '13800000000' }],
    };
    const d = decideStudentUpdate({ student: noId, patch: { phone: '13912345678' }, keyFields: [] }, env);
    expect(d.ok).toBe(true); // an untouched old gap does not block an unrelated edit
    const m = decideStudentUpdate(
      {
        student: noId,
        patch: { guardians: [{ name: '王芳', relation: '2', phone: '13800000000' }] as never },
        keyFields: [],
      },
      env,
    );
    expect(m.ok).toBe(true);
    const e = decideStudentUpdate(
      {
        student: noId,
        patch: { guardians: [{ name: '王芳', relation: '母亲', phone: '13800000001' }] } as never,
        keyFields: [],
      },
      env,
    );
    expect(e.ok).toBe(false);
    if (!e.ok)
      expect(e.errors).toEqual([
        expect.objectContaining({ field: 'guardians.0.idNo', code: 'MEMBER_ID_REQUIRED' }),
      ]);
  });
});
