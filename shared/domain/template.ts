// The national roster template (花名册导入模板, DOMAIN.md): column titles and how each maps to the record.
// Export writes these columns; import accepts them in any order (and the header variants of parse.ts).
// The columns are the 26 of the original template, the rest of the national K-12 学生基本信息表, and its
// two family members with their 12 fields each ("家庭成员1姓名" …; "监护人姓名/关系/电话" of older files
// are read as member 1's).
import { nameOf } from './codes';
import {
  FIELD_META,
  type FieldKind,
  type FieldMeta,
  type Guardian,
  MEMBER_FIELDS,
  type MemberField,
  type MemberFieldMeta,
  type Student,
  type StudentField,
  TEMPLATE_MEMBERS,
} from './student';

export type MemberColumnField = `members.${number}.${MemberField}`;

export type TemplateColumn = {
  header: string;
  /** the record field, or `members.<i>.<field>` of family member i (0-based) */
  field: StudentField | MemberColumnField;
  kind: FieldKind;
  /** the field's metadata, labelled with the header (the messages name the column as written) */
  meta: FieldMeta | MemberFieldMeta;
  codes?: FieldMeta['codes'];
  required?: boolean;
  member?: { index: number; field: MemberField };
};

const studentColumn = (field: StudentField, required = false): TemplateColumn => {
  const meta = FIELD_META.get(field);
  if (!meta) throw new Error(`no field ${field}`);
  return { header: meta.label, field, kind: meta.kind, meta, codes: meta.codes, required };
};

/** "家庭成员1姓名": the header of a member's field in the template. */
export function memberHeader(index: number, field: MemberField): string {
  const meta = MEMBER_FIELDS.find((m) => m.field === field);
  return `家庭成员${index + 1}${meta?.label ?? field}`;
}

const memberColumns = (index: number): TemplateColumn[] =>
  MEMBER_FIELDS.map((m) => ({
    header: memberHeader(index, m.field),
    field: `members.${index}.${m.field}` as MemberColumnField,
    kind: m.kind,
    meta: { ...m, label: memberHeader(index, m.field) },
    codes: m.codes,
    member: { index, field: m.field },
  }));

export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  // the original template
  studentColumn('idType', true),
  studentColumn('idNo', true),
  studentColumn('name', true),
  studentColumn('gender', true),
  studentColumn('birthDate', true),
  studentColumn('ethnicity', true),
  studentColumn('nativePlace'),
  studentColumn('politicalStatus'),
  studentColumn('overseas'),
  studentColumn('health'),
  studentColumn('hukouType'),
  studentColumn('hukouPlace'),
  studentColumn('address'),
  studentColumn('phone'),
  studentColumn('grade', true),
  studentColumn('classId', true),
  studentColumn('major'),
  studentColumn('schoolingYears'),
  studentColumn('enrolYearMonth'),
  studentColumn('studyForm'),
  studentColumn('attendMode'),
  studentColumn('statusNo'),
  studentColumn('schoolNo'),
  // the rest of the national table
  studentColumn('formerName'),
  studentColumn('namePinyin'),
  studentColumn('nationality'),
  studentColumn('birthPlace'),
  studentColumn('idValidity'),
  studentColumn('specialty'),
  studentColumn('auxNo'),
  studentColumn('classNo'),
  studentColumn('enrolMethod'),
  studentColumn('source'),
  studentColumn('admissionType'),
  studentColumn('mailAddress'),
  studentColumn('homeAddress'),
  studentColumn('postcode'),
  studentColumn('email'),
  studentColumn('homepage'),
  studentColumn('onlyChild'),
  studentColumn('preschool'),
  studentColumn('leftBehind'),
  studentColumn('migrantChild'),
  studentColumn('orphan'),
  studentColumn('martyrChild'),
  studentColumn('inclusiveStudy'),
  studentColumn('disability'),
  studentColumn('govFundedPlace'),
  studentColumn('needsAid'),
  studentColumn('oneSubsidy'),
  studentColumn('commuteKm'),
  studentColumn('commuteMode'),
  studentColumn('schoolBus'),
  ...Array.from({ length: TEMPLATE_MEMBERS }, (_, i) => memberColumns(i)).flat(),
];

export const TEMPLATE_HEADERS: readonly string[] = TEMPLATE_COLUMNS.map((c) => c.header);

/** The stored value behind a column, as text (codes as codes); '' when the record has none. */
export function templateStoredValue(student: Student, column: TemplateColumn): string {
  let raw: unknown;
  if (column.member)
    raw = (student.guardians[column.member.index] as Guardian | undefined)?.[column.member.field];
  else raw = student[column.field as StudentField];
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
