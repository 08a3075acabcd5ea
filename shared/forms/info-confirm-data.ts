// The data of a 学生基本信息确认表 (defs/info-confirm.ts) from the student record: every recorded field of
// the national table's groups the school keeps, as the screens show it (code names, 年月, divisions), so
// the family checks what the record really says. Key fields (★) are marked: they change through an info
// change with the bureau's approval.
import { GUARDIAN_RELATIONS, ID_TYPES, nameOf, YES_NO } from '../domain/codes';
import { displayValue } from '../domain/history';
import type { SchoolType } from '../domain/schemas';
import { DEFAULT_KEY_FIELDS, STUDENT_FIELD_GROUPS, type Student } from '../domain/student';
import type { InfoConfirmData } from './defs/info-confirm';

/** The groups the sheet prints (the ones a family can check); extension fields only where recorded. */
const GROUPS = ['基本信息', '辅助信息', '学籍基本信息', '专业信息', '联系方式'];

export function infoConfirmData(
  s: Student,
  school: { name: string; schoolType: SchoolType },
  opts: { year: string; printedAt: string; keyFields?: readonly string[] },
): InfoConfirmData {
  const keys = new Set(opts.keyFields ?? DEFAULT_KEY_FIELDS);
  const record = s as unknown as Record<string, unknown>;
  const sections = STUDENT_FIELD_GROUPS.filter((g) => GROUPS.includes(g.title))
    .map((g) => ({
      title: g.title,
      rows: g.fields
        .filter((f) => (f.vocationalOnly ? school.schoolType === 'vocational' : true))
        .filter((f) => !f.k12Only || record[f.field] !== undefined)
        .map((f) => ({
          label: `${f.label}${keys.has(f.field) ? '★' : ''}`,
          value:
            (f.field === 'idType' ? nameOf(ID_TYPES, s.idType) : displayValue(f.field, record[f.field])) ||
            undefined,
        })),
    }))
    .filter((g) => g.rows.length > 0);
  return {
    recordId: `${s.statusNo || s.id}-${opts.year}`.slice(0, 64),
    printedAt: opts.printedAt,
    schoolName: school.name,
    year: opts.year,
    student: { name: s.name, grade: s.grade, classId: s.classId },
    sections,
    members: s.guardians.slice(0, 10).map((g) => ({
      name: g.name,
      relation: nameOf(GUARDIAN_RELATIONS, g.relation) || undefined,
      phone: g.phone || undefined,
      idNo: g.idNo || undefined,
      guardian: g.isGuardian ? nameOf(YES_NO, g.isGuardian) : '是',
    })),
  };
}
