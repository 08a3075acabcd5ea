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
});
