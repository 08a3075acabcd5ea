// A row of the roster import as a student: a new student from a valid row, or an existing student with
// what a row changes. The preview (to validate the result) and the plan (to write it) share these.
import { emptyArchive } from '../domain/archive';
import { namePinyin } from '../domain/names';
import type { SchoolType } from '../domain/schemas';
import type { Guardian, Student } from '../domain/student';
import type { ImportRecord } from './types';

export type ImportContext = {
  schoolId: string;
  orgPath: string;
  schoolType: SchoolType;
  /** ISO time of the confirm */
  at: string;
  /** user id (R-WHO) */
  by: string;
  byName?: string;
  /** the file's name, recorded in every event */
  fileName: string;
  newId: () => string;
};

/** The family members a new student gets from a row: the filled members, in template order. */
function membersOf(record: ImportRecord): Guardian[] {
  return (record.members ?? []).filter((m): m is Partial<Guardian> => m !== undefined) as Guardian[];
}

/** A new student from a valid row: status 在校, an empty paper-archive checklist for the school type. */
export function newStudentFromRecord(
  record: ImportRecord,
  ctx: ImportContext,
  pinyinOf: (name: string) => string = namePinyin,
): Student {
  const { members: _members, ...fields } = record;
  const student: Student = {
    ...fields,
    id: ctx.newId(),
    schoolId: ctx.schoolId,
    orgPath: ctx.orgPath,
    // 姓名拼音 from the file when it has the column, else made from the name
    namePinyin: record.namePinyin ?? pinyinOf(record.name),
    guardians: membersOf(record),
    status: 'enrolled',
    archive: emptyArchive(ctx.schoolType),
    updatedAt: ctx.at,
    updatedBy: ctx.by,
  };
  return student;
}

/**
 * An existing student with what a row changes: the filled cells overwrite (a blank cell keeps the stored
 * value, data is never lost), except the locked fields (key fields, a registered 学籍号). Family member i
 * of the file updates stored member i field by field; members beyond the file's two are kept.
 */
export function mergeRecord(student: Student, record: ImportRecord, locked: ReadonlySet<string>): Student {
  const out: Record<string, unknown> = { ...plainStudent(student) };
  for (const [field, value] of Object.entries(record)) {
    if (field === 'members' || value === undefined || locked.has(field)) continue;
    out[field] = value;
  }
  if (record.members?.some((m) => m !== undefined)) {
    const members = student.guardians.map((g) => ({ ...g }));
    record.members.forEach((m, i) => {
      if (!m) return;
      const current = members[i] ?? ({ name: '', relation: '', phone: '' } as Guardian);
      for (const [k, v] of Object.entries(m))
        if (v !== undefined && v !== '') (current as Record<string, unknown>)[k] = v;
      members[i] = current;
    });
    out.guardians = members.filter((m) => m !== undefined);
  }
  return out as Student;
}

/** Strips storage fields (_rev, _meta, _attachments, _deleted) from a document read from the database. */
export function plainStudent(doc: Student): Student {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out as Student;
}
