// Step 3 of the roster import: compare the parsed rows with the students already in the database and
// classify each row — new, changed (field by field), needs the info-change workflow, unchanged, invalid.
// Nothing is written here; the preview is what the user confirms.
import { nameOf, ON_ROSTER_STATUSES, STUDENT_STATUSES } from '../domain/codes';
import { DEFAULT_KEY_FIELDS, type Student, type StudentField } from '../domain/student';
import { TEMPLATE_COLUMNS, type TemplateColumn, templateStoredValue } from '../domain/template';
import { lockedFields, validateStudent } from '../validate/student';
import { columnOfHeader } from './parse';
import { mergeRecord, newStudentFromRecord } from './record';
import type { ImportError, ImportRecord, ParsedSheet } from './types';

export type FieldChange = {
  /** student field, or members.<i>.<field> of family member i+1 */
  field: string;
  /** the template header, e.g. 联系电话 */
  label: string;
  /** display texts (codes as Chinese names) */
  before: string;
  after: string;
  /** a key field (★) or a registered 学籍号: not overwritten by an import, needs the info-change workflow */
  key: boolean;
};

export type PreviewRow =
  | { kind: 'new'; row: number; record: ImportRecord }
  | { kind: 'changed'; row: number; record: ImportRecord; student: Student; changes: FieldChange[] }
  | {
      kind: 'needsWorkflow';
      row: number;
      record: ImportRecord;
      student: Student;
      /** all differences; the key ones are not written, the others are */
      changes: FieldChange[];
    }
  | { kind: 'unchanged'; row: number; record: ImportRecord; student: Student }
  | { kind: 'invalid'; row: number; cells: string[]; errors: ImportError[] };

export type PreviewKind = PreviewRow['kind'];

export type ImportPreview = {
  sheet: ParsedSheet;
  rows: PreviewRow[];
  counts: Record<PreviewKind, number>;
  /** every error: the file's and each invalid row's, DB duplicates included */
  errors: ImportError[];
};

export type PreviewOptions = {
  /** the school the import is for; students of other schools with the same ID are duplicates (R-ONE) */
  schoolId: string;
  /** key-field set (a setting; DOMAIN.md), default DEFAULT_KEY_FIELDS */
  keyFields?: readonly StudentField[];
  /** today (YYYY-MM-DD), for the birth-date rules on the merged record */
  today?: string;
};

export const PREVIEW_KIND_LABELS: Record<PreviewKind, string> = {
  new: '新增',
  changed: '有变更',
  needsWorkflow: '需走变更流程',
  unchanged: '无变化',
  invalid: '有错误',
};

function recordValue(record: ImportRecord, column: TemplateColumn): string | undefined {
  let v: unknown;
  if (column.member) v = record.members?.[column.member.index]?.[column.member.field];
  else v = (record as Record<string, unknown>)[column.field];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/**
 * Field-by-field differences between an imported record and the stored student. A blank cell (or a
 * column the file lacks) keeps the stored value: an import never erases information (data is never lost).
 */
export function diffRecord(
  record: ImportRecord,
  student: Student,
  keyFields: readonly string[] = DEFAULT_KEY_FIELDS,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const column of TEMPLATE_COLUMNS) {
    const after = recordValue(record, column);
    if (after === undefined) continue;
    const before = templateStoredValue(student, column);
    if (before === after) continue;
    const display = (v: string) => (column.codes ? nameOf(column.codes, v) : v);
    changes.push({
      field: column.field,
      label: column.header,
      before: before === '' ? '' : display(before),
      after: display(after),
      key: keyFields.includes(column.field) || (column.field === 'statusNo' && before !== ''),
    });
  }
  return changes;
}

/** Builds the preview of an import against the students already in the local database. */
export function buildPreview(
  sheet: ParsedSheet,
  existing: Iterable<Student>,
  options: PreviewOptions,
): ImportPreview {
  const keyFields = options.keyFields ?? DEFAULT_KEY_FIELDS;
  const byId = new Map<string, Student[]>();
  const byStatusNo = new Map<string, Student>();
  const bySchoolNo = new Map<string, Student>();
  for (const s of existing) {
    const key = s.idNo.trim().toUpperCase();
    if (key) {
      const list = byId.get(key);
      if (list) list.push(s);
      else byId.set(key, [s]);
    }
    if (s.statusNo) byStatusNo.set(s.statusNo.toUpperCase(), s);
    if (s.schoolNo && s.schoolId === options.schoolId && ON_ROSTER_STATUSES.includes(s.status))
      bySchoolNo.set(s.schoolNo, s);
  }
  const header = (h: string) => sheet.headers.find((x) => columnOfHeader(x)?.header === h) ?? h;

  const rows: PreviewRow[] = [];
  for (const r of sheet.rows) {
    if (!r.record) {
      rows.push({ kind: 'invalid', row: r.row, cells: r.cells, errors: r.errors });
      continue;
    }
    const record = r.record;
    // A student without an ID number (证件类型 Z) is found by 学籍号.
    const matches = record.idNo
      ? (byId.get(record.idNo) ?? [])
      : record.statusNo && byStatusNo.get(record.statusNo)
        ? [byStatusNo.get(record.statusNo) as Student]
        : [];
    const own = matches.find((s) => s.schoolId === options.schoolId && ON_ROSTER_STATUSES.includes(s.status));
    const errors: ImportError[] = [];
    if (!own && matches.length > 0) {
      // R-ONE (YQ 四(一)): the person already has a record that an import must not duplicate.
      const other = matches[0] as Student;
      const where = other.schoolId === options.schoolId ? '本校' : '其他学校';
      errors.push({
        row: r.row,
        column: header('身份证件号'),
        code: 'DUPLICATE_IN_DB',
        message: `身份证件号“${record.idNo}”在${where}已有学籍（${other.name}，${STUDENT_STATUSES[other.status]}），不能再建一条（R-ONE 一人一籍）；请走转学或恢复学籍流程`,
      });
    }
    if (record.statusNo) {
      const holder = byStatusNo.get(record.statusNo);
      if (holder && holder !== own && holder.idNo.toUpperCase() !== record.idNo)
        errors.push({
          row: r.row,
          column: header('学籍号'),
          code: 'DUPLICATE_IN_DB',
          message: `学籍号“${record.statusNo}”已属于学生 ${holder.name}（证件号 ${holder.idNo}），不能重复使用（R-ONE）`,
        });
    }
    if (record.schoolNo) {
      const holder = bySchoolNo.get(record.schoolNo);
      if (holder && holder !== own)
        errors.push({
          row: r.row,
          column: header('校内学号'),
          code: 'DUPLICATE_IN_DB',
          message: `校内学号“${record.schoolNo}”已属于本校在册学生 ${holder.name}（${holder.classId}）：同一学校的校内学号不能重复`,
        });
    }
    // An existing student as the import would leave it, checked with the one copy of the student rules
    // for what the import changes (a new row was checked whole as a new student by parseRosterSheet).
    const locked = own ? lockedFields(own, keyFields) : new Set<string>();
    if (own)
      for (const e of validateStudent(mergeRecord(own, record, locked), {
        previous: own,
        today: options.today,
      })) {
        if (errors.some((x) => x.code === e.code)) continue;
        errors.push({ row: r.row, column: header(columnLabel(e.field)), code: e.code, message: e.message });
      }
    // A file without family-member columns was not checked for them: a new student needs one.
    if (!own && !(record.members ?? []).some((m) => m !== undefined))
      for (const e of validateStudent(newStudentFromRecord(record, PREVIEW_CONTEXT)).filter((x) =>
        x.field.startsWith('guardians'),
      ))
        errors.push({ row: r.row, column: header(columnLabel(e.field)), code: e.code, message: e.message });
    if (errors.length > 0) {
      rows.push({ kind: 'invalid', row: r.row, cells: r.cells, errors });
      continue;
    }
    if (!own) {
      rows.push({ kind: 'new', row: r.row, record });
      continue;
    }
    const changes = diffRecord(
      record,
      own,
      [...locked].filter((f) => f !== 'statusNo'),
    );
    if (changes.length === 0) rows.push({ kind: 'unchanged', row: r.row, record, student: own });
    else if (changes.some((c) => c.key))
      rows.push({ kind: 'needsWorkflow', row: r.row, record, student: own, changes });
    else rows.push({ kind: 'changed', row: r.row, record, student: own, changes });
  }

  const counts: Record<PreviewKind, number> = {
    new: 0,
    changed: 0,
    needsWorkflow: 0,
    unchanged: 0,
    invalid: 0,
  };
  for (const row of rows) counts[row.kind]++;
  const errors = [...sheet.fileErrors, ...rows.flatMap((row) => (row.kind === 'invalid' ? row.errors : []))];
  return { sheet, rows, counts, errors };
}

/** What a preview needs of a new student: its fields (ids and the school come at the confirm). */
const PREVIEW_CONTEXT = {
  schoolId: '',
  orgPath: '',
  schoolType: 'k12' as const,
  at: '',
  by: '',
  fileName: '',
  newId: () => '',
};

/** The template header of a field an error names ("guardians.1.phone" → 家庭成员2联系电话). */
function columnLabel(field: string): string {
  const m = /^guardians\.(\d+)\.(\w+)$/.exec(field);
  const key = m ? `members.${m[1]}.${m[2]}` : field === 'guardians' ? 'members.0.name' : field;
  return TEMPLATE_COLUMNS.find((c) => c.field === key)?.header ?? field;
}

/** How many rows a confirm writes: new rows, changed rows, and the non-key part of workflow rows. */
export function writableCount(preview: ImportPreview): number {
  if (preview.sheet.blocked) return 0;
  return preview.rows.filter(
    (r) =>
      r.kind === 'new' ||
      r.kind === 'changed' ||
      (r.kind === 'needsWorkflow' && r.changes.some((c) => !c.key)),
  ).length;
}
