import { describe, expect, it } from 'vitest';
import type { Student } from '../domain/student';
import { studentToTemplateRow, TEMPLATE_HEADERS } from '../domain/template';
import { generateStudents } from '../seed/roster';
import { parseRosterSheet } from './parse';
import { buildImportPlan, type ImportContext } from './plan';
import { buildPreview, writableCount } from './preview';
import { errorReportTable, exportTable } from './report';
import type { RawCell } from './types';

const students = generateStudents({ count: 500, seed: 21 });
const schoolId = students[0]?.schoolId ?? '';
const col = (h: string) => TEMPLATE_HEADERS.indexOf(h);
const sheetOf = (list: readonly Student[]): RawCell[][] => [
  [...TEMPLATE_HEADERS],
  ...list.map(studentToTemplateRow),
];
let n = 0;
const ctx: ImportContext = {
  schoolId,
  orgPath: students[0]?.orgPath ?? '',
  schoolType: 'vocational',
  at: '2026-09-02T09:00:00.000+08:00',
  by: 'u-registrar',
  byName: '李老师',
  fileName: '花名册.xlsx',
  newId: () => `id-${++n}`,
};

describe('import preview (step 3)', () => {
  it('an export re-imported into the same roster shows every row unchanged (lossless round trip)', () => {
    const table = exportTable(students);
    const preview = buildPreview(parseRosterSheet([table.headers, ...table.rows]), students, { schoolId });
    expect(preview.counts).toEqual({ new: 0, changed: 0, needsWorkflow: 0, unchanged: 500, invalid: 0 });
    expect(buildImportPlan(preview, ctx)).toEqual({ inserts: [], updates: [], events: [] });
  });

  it('classifies new, changed (field by field), 需走变更流程 and unchanged rows', () => {
    const rows = sheetOf(students.slice(0, 4));
    (rows[1] as RawCell[])[col('联系电话')] = '13900000001';
    (rows[1] as RawCell[])[col('家庭成员1联系电话')] = '13900000002';
    (rows[2] as RawCell[])[col('班级')] = '新班级';
    (rows[2] as RawCell[])[col('现住址')] = '新地址 1 号';
    const existing = students.slice(0, 3); // the 4th is new
    const preview = buildPreview(parseRosterSheet(rows), existing, { schoolId });
    expect(preview.rows.map((r) => r.kind)).toEqual(['changed', 'needsWorkflow', 'unchanged', 'new']);
    const changed = preview.rows[0];
    if (changed?.kind !== 'changed') throw new Error('expected changed');
    expect(changed.changes.map((c) => [c.label, c.after, c.key])).toEqual([
      ['联系电话', '13900000001', false],
      ['家庭成员1联系电话', '13900000002', false],
    ]);
    const wf = preview.rows[1];
    if (wf?.kind !== 'needsWorkflow') throw new Error('expected needsWorkflow');
    expect(wf.changes.find((c) => c.label === '班级')).toMatchObject({ key: true, after: '新班级' });
    expect(writableCount(preview)).toBe(3);

    // R-WHO: the plan writes the new student, the non-key changes, never a key field, one event each
    const plan = buildImportPlan(preview, ctx);
    expect(plan.inserts).toHaveLength(1);
    expect(plan.inserts[0]).toMatchObject({
      idNo: students[3]?.idNo,
      status: 'enrolled',
      updatedBy: 'u-registrar',
    });
    expect(plan.updates).toHaveLength(2);
    expect(plan.updates[0]?.after.phone).toBe('13900000001');
    expect(plan.updates[0]?.after.guardians[0]?.phone).toBe('13900000002');
    expect(plan.updates[0]?.after.guardians.slice(1)).toEqual(students[0]?.guardians.slice(1));
    expect(plan.updates[1]?.after.classId).toBe(students[1]?.classId);
    expect(plan.updates[1]?.after.address).toBe('新地址 1 号');
    expect(plan.events.map((e) => [e.action, e.entityId, e.by])).toEqual([
      ['import-update', students[0]?.id, 'u-registrar'],
      ['import-update', students[1]?.id, 'u-registrar'],
      ['import-create', plan.inserts[0]?.id, 'u-registrar'],
    ]);
    expect(plan.events[1]?.after).toEqual({ address: '新地址 1 号' });
  });

  it('a blank cell keeps the stored value (an import never erases data)', () => {
    const rows = sheetOf(students.slice(0, 1));
    (rows[1] as RawCell[])[col('现住址')] = '';
    const preview = buildPreview(parseRosterSheet(rows), students, { schoolId });
    expect(preview.rows[0]?.kind).toBe('unchanged');
  });

  it('R-ONE: an ID already on record elsewhere (other school or left the school) is an error', () => {
    const other = { ...students[0], schoolId: 'S-OTHER' } as Student;
    const left = { ...students[1], status: 'transferredOut' } as Student;
    const preview = buildPreview(parseRosterSheet(sheetOf(students.slice(0, 2))), [other, left], {
      schoolId,
    });
    expect(preview.rows.map((r) => r.kind)).toEqual(['invalid', 'invalid']);
    const [a, b] = preview.rows;
    if (a?.kind !== 'invalid' || b?.kind !== 'invalid') throw new Error('expected invalid');
    expect(a.errors[0]).toMatchObject({ row: 2, column: '身份证件号', code: 'DUPLICATE_IN_DB' });
    expect(a.errors[0]?.message).toContain('其他学校');
    expect(b.errors[0]?.message).toContain('转出');
  });

  it('the error report holds the original cells of the invalid rows plus the reasons', () => {
    const rows = sheetOf(students.slice(0, 3));
    (rows[2] as RawCell[])[col('身份证件号')] = '4.1E+17';
    const preview = buildPreview(parseRosterSheet(rows), [], { schoolId });
    const report = errorReportTable(preview.sheet, preview.errors);
    expect(report.headers.slice(-2)).toEqual(['原行号', '错误说明']);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]?.[col('身份证件号')]).toBe('4.1E+17');
    expect(report.rows[0]?.[col('姓名')]).toBe(students[1]?.name);
    expect(report.rows[0]?.at(-2)).toBe('3');
    expect(report.rows[0]?.at(-1)).toContain('科学计数法');
    // the report re-imports: its extra columns are known, the row is still (only) the same error
    const again = parseRosterSheet([report.headers, ...report.rows]);
    expect(again.fileErrors).toEqual([]);
    expect(again.rows[0]?.errors.map((e) => e.code)).toEqual(['ID_SCIENTIFIC']);
  });

  it('a K-12 roster with the whole national field set and two members exports and re-imports losslessly', () => {
    const k12 = generateStudents({ count: 120, seed: 23, schoolType: 'k12' });
    expect(k12.some((s) => s.guardians.length === 2 && s.guardians[1]?.employer)).toBe(true);
    const table = exportTable(k12);
    expect(table.headers).toContain('是否留守儿童');
    expect(table.headers).toContain('家庭成员2职务');
    const sheet = parseRosterSheet([table.headers, ...table.rows], { today: '2026-11-23' });
    const preview = buildPreview(sheet, k12, { schoolId: k12[0]?.schoolId ?? '', today: '2026-11-23' });
    expect(preview.counts).toEqual({ new: 0, changed: 0, needsWorkflow: 0, unchanged: 120, invalid: 0 });
    // and as new students: every field of the national table comes back as it was
    const fresh = buildPreview(sheet, [], { schoolId, today: '2026-11-23' });
    const plan = buildImportPlan(fresh, ctx);
    const strip = ({ id, schoolId: _s, orgPath, archive, updatedAt, updatedBy, ...rest }: Student) => rest;
    expect(plan.inserts.map(strip)).toEqual(k12.map(strip));
  });

  it('校内学号 already held by another student of the school is refused (and by a student elsewhere is not)', () => {
    const rows = sheetOf(students.slice(10, 12));
    const holder = students[0] as Student;
    (rows[1] as RawCell[])[col('校内学号')] = holder.schoolNo ?? '';
    (rows[2] as RawCell[])[col('校内学号')] = 'X-1';
    const elsewhere = { ...(students[1] as Student), schoolId: 'S-OTHER', schoolNo: 'X-1' };
    const preview = buildPreview(parseRosterSheet(rows), [holder, elsewhere], { schoolId });
    expect(preview.rows.map((r) => r.kind)).toEqual(['invalid', 'new']);
    const bad = preview.rows[0];
    if (bad?.kind !== 'invalid') throw new Error('expected invalid');
    expect(bad.errors).toEqual([
      expect.objectContaining({
        column: '校内学号',
        code: 'DUPLICATE_IN_DB',
        message: expect.stringContaining(holder.name),
      }),
    ]);
  });

  it('a registered 学籍号 that differs needs the info-change workflow; a new student needs a family member', () => {
    const rows = sheetOf(students.slice(0, 2));
    const s0 = students[0] as Student;
    (rows[1] as RawCell[])[col('学籍号')] = `L${s0.idNo.slice(0, 17)}1`;
    for (const h of TEMPLATE_HEADERS.filter((h) => h.startsWith('家庭成员')))
      (rows[2] as RawCell[])[col(h)] = '';
    const preview = buildPreview(parseRosterSheet(rows), [s0], { schoolId });
    expect(preview.rows.map((r) => r.kind)).toEqual(['needsWorkflow', 'invalid']);
    const wf = preview.rows[0];
    if (wf?.kind !== 'needsWorkflow') throw new Error('expected needsWorkflow');
    expect(wf.changes).toEqual([expect.objectContaining({ field: 'statusNo', key: true })]);
    const bad = preview.rows[1];
    if (bad?.kind !== 'invalid') throw new Error('expected invalid');
    expect(bad.errors[0]).toMatchObject({ column: '家庭成员1姓名', code: 'REQUIRED' });
    expect(bad.errors[0]?.message).toContain('家庭成员');
  });

  it('a file without family-member columns keeps the stored members and says new students need one', () => {
    const keep = TEMPLATE_HEADERS.map((h, i) => [h, i] as const).filter(([h]) => !h.startsWith('家庭成员'));
    const rows = sheetOf(students.slice(0, 2)).map((r) => keep.map(([, i]) => r[i] ?? null));
    const sheet = parseRosterSheet(rows);
    expect(sheet.notices).toEqual([expect.objectContaining({ code: 'NO_MEMBER_COLUMNS' })]);
    const preview = buildPreview(sheet, students.slice(0, 1), { schoolId });
    expect(preview.rows.map((r) => r.kind)).toEqual(['unchanged', 'invalid']);
  });
});
