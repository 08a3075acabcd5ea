// The national roster template (花名册导入模板, DOMAIN.md): column titles and how each maps to the record.
// Export writes these columns; import accepts them in any order.
import {
  ATTEND_MODES,
  type CodeList,
  ETHNICITIES,
  GENDERS,
  GUARDIAN_RELATIONS,
  HEALTH_STATES,
  HUKOU_TYPES,
  ID_TYPES,
  nameOf,
  OVERSEAS,
  POLITICAL_STATUSES,
  STUDY_FORMS,
} from './codes';
import type { Student } from './student';

export type TemplateColumn = {
  header: string;
  /** the record field, or a guardian sub-field of the first guardian */
  field: keyof Student | 'guardian.name' | 'guardian.relation' | 'guardian.phone';
  kind: 'text' | 'code' | 'date' | 'yearMonth' | 'number' | 'phone' | 'idNo';
  codes?: CodeList;
  required?: boolean;
};

export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  { header: '身份证件类型', field: 'idType', kind: 'code', codes: ID_TYPES, required: true },
  { header: '身份证件号', field: 'idNo', kind: 'idNo', required: true },
  { header: '姓名', field: 'name', kind: 'text', required: true },
  { header: '性别', field: 'gender', kind: 'code', codes: GENDERS, required: true },
  { header: '出生日期', field: 'birthDate', kind: 'date', required: true },
  { header: '民族', field: 'ethnicity', kind: 'code', codes: ETHNICITIES, required: true },
  { header: '籍贯', field: 'nativePlace', kind: 'text' },
  { header: '政治面貌', field: 'politicalStatus', kind: 'code', codes: POLITICAL_STATUSES },
  { header: '港澳台侨外', field: 'overseas', kind: 'code', codes: OVERSEAS },
  { header: '健康状况', field: 'health', kind: 'code', codes: HEALTH_STATES },
  { header: '户口性质', field: 'hukouType', kind: 'code', codes: HUKOU_TYPES },
  { header: '户口所在地', field: 'hukouPlace', kind: 'text' },
  { header: '现住址', field: 'address', kind: 'text' },
  { header: '联系电话', field: 'phone', kind: 'phone' },
  { header: '监护人姓名', field: 'guardian.name', kind: 'text' },
  { header: '监护人关系', field: 'guardian.relation', kind: 'code', codes: GUARDIAN_RELATIONS },
  { header: '监护人电话', field: 'guardian.phone', kind: 'phone' },
  { header: '年级', field: 'grade', kind: 'text', required: true },
  { header: '班级', field: 'classId', kind: 'text', required: true },
  { header: '专业', field: 'major', kind: 'text' },
  { header: '学制', field: 'schoolingYears', kind: 'number' },
  { header: '入学年月', field: 'enrolYearMonth', kind: 'yearMonth' },
  { header: '学习形式', field: 'studyForm', kind: 'code', codes: STUDY_FORMS },
  { header: '就读方式', field: 'attendMode', kind: 'code', codes: ATTEND_MODES },
  { header: '学籍号', field: 'statusNo', kind: 'text' },
  { header: '校内学号', field: 'schoolNo', kind: 'text' },
];

export const TEMPLATE_HEADERS: readonly string[] = TEMPLATE_COLUMNS.map((c) => c.header);

/** The stored value behind a column, as text (codes as codes); '' when the record has none. */
export function templateStoredValue(student: Student, column: TemplateColumn): string {
  const guardian = student.guardians[0];
  let raw: unknown;
  if (column.field === 'guardian.name') raw = guardian?.name;
  else if (column.field === 'guardian.relation') raw = guardian?.relation;
  else if (column.field === 'guardian.phone') raw = guardian?.phone;
  else raw = student[column.field];
  return raw === undefined || raw === null ? '' : String(raw);
}

/** The text a column shows for a student: codes as their Chinese names, numbers and dates as text. */
export function templateCell(student: Student, column: TemplateColumn): string {
  const text = templateStoredValue(student, column);
  return column.codes ? nameOf(column.codes, text) : text;
}

/** One template row of a student, in TEMPLATE_COLUMNS order. */
export function studentToTemplateRow(student: Student): string[] {
  return TEMPLATE_COLUMNS.map((c) => templateCell(student, c));
}
