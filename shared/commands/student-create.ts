// `student-create`: one student added by hand (新增学生: a late enrolment, a correction). The same checks
// as the student page and the import (the one copy in shared/validate/student.ts): every typed value into
// its stored form (normalizeValue), the family members (normalizeMember), the whole record as a new
// student (validateStudent: family, birth date against today, the ID number's check digit and its
// agreement with birth date and gender, 学籍号 against the ID number), and R-ONE against the local
// database: an ID number that already has an active record is refused, and so is a 校内学号 already taken
// in the school. One event (R-WHO).

import { chinaDate } from '../calendar/china';
import { emptyArchive } from '../domain/archive';
import { namePinyin } from '../domain/names';
import type { EventDoc, SchoolType } from '../domain/schemas';
import { FIELD_META, type Guardian, type Student, type StudentField } from '../domain/student';
import { ACTIVE_STATUSES, rOneRefusal } from '../sync/rules';
import type { FieldError } from '../validate/fields';
import { normalizeMember, normalizeValue, validateStudent } from '../validate/student';
import { type CommandEnv, type Decision, refuse } from './types';

/** The values as typed in the form (codes or names, dates as typed), the guardians and a reason. */
export type StudentCreateInput = {
  fields: Partial<Record<StudentField, string>>;
  guardians: Guardian[];
  /** why the student is added by hand (插班, 更正 …), recorded with the event */
  reason?: string;
};

/** Students of the local database that share the new student's ID number or 校内学号. */
export type ExistingStudent = Pick<
  Student,
  'id' | 'name' | 'idNo' | 'schoolNo' | 'status' | 'grade' | 'classId'
>;

export type StudentCreateContext = {
  schoolId: string;
  orgPath: string;
  schoolType: SchoolType;
  existing: readonly ExistingStudent[];
};

export type StudentCreateDecision = Decision<{ student: Student; event: EventDoc }>;

/** Fields a hand-made record never takes from the form. */
const NOT_TYPED = new Set(['status', 'archive', 'aid', 'photoId', 'guardians']);

export function decideStudentCreate(
  input: StudentCreateInput,
  ctx: StudentCreateContext,
  env: CommandEnv,
): StudentCreateDecision {
  const errors: FieldError[] = [];
  const values: Record<string, unknown> = {};
  for (const [field, meta] of FIELD_META) {
    if (NOT_TYPED.has(field)) continue;
    if (ctx.schoolType !== 'vocational' && meta.vocationalOnly) continue;
    if (ctx.schoolType === 'vocational' && meta.k12Only && !input.fields[field]) continue;
    const typed = input.fields[field] ?? '';
    const r = normalizeValue(meta, typed);
    if (r === null) continue;
    if ('error' in r) errors.push(r.error);
    else values[field] = r.value;
  }
  const guardians = {
    list: input.guardians.map((g, i) => {
      const n = normalizeMember(g as unknown as Record<string, unknown>, i);
      errors.push(...n.errors);
      return n.member;
    }),
  };

  const at = env.now();
  const name = String(values.name ?? '');
  const student = {
    ...values,
    id: env.newId(),
    schoolId: ctx.schoolId,
    orgPath: ctx.orgPath,
    namePinyin: (values.namePinyin as string | undefined) ?? (name ? namePinyin(name) : undefined),
    guardians: guardians.list,
    status: 'enrolled',
    archive: emptyArchive(ctx.schoolType),
    updatedAt: at,
    updatedBy: env.actor.id,
  } as Student;
  if (student.namePinyin === undefined) delete student.namePinyin;
  // the whole record, as the server checks every pushed row: only problems not already named above
  const named = new Set(errors.map((e) => e.field));
  for (const e of validateStudent(student, { today: chinaDate(at) })) if (!named.has(e.field)) errors.push(e);

  // R-ONE (YQ 四(一)): one person, one record — against the records this machine holds.
  const idNo = student.idNo?.toUpperCase();
  const twin = idNo
    ? ctx.existing.find((s) => s.idNo.toUpperCase() === idNo && ACTIVE_STATUSES.includes(s.status))
    : undefined;
  if (twin && !named.has('idNo')) {
    const r = rOneRefusal({
      kind: 'visible',
      otherTitle: `本校，学生“${twin.name}”，${twin.grade} ${twin.classId}`,
    });
    errors.push({ field: 'idNo', code: r.code, message: r.reason });
  }
  const schoolNo = student.schoolNo;
  const taken = schoolNo ? ctx.existing.find((s) => s.schoolNo === schoolNo) : undefined;
  if (taken && !named.has('schoolNo'))
    errors.push({
      field: 'schoolNo',
      code: 'SCHOOL_NO_TAKEN',
      message: `校内学号 ${schoolNo} 已由“${taken.name}”（${taken.grade} ${taken.classId}）使用，同一学校内不能重复`,
    });
  if (errors.length > 0) return refuse(...errors);

  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(student))
    if (!['id', 'schoolId', 'orgPath', 'archive', 'updatedAt', 'updatedBy', 'status'].includes(k))
      after[k] = v;
  const reason = input.reason?.trim();
  const event: EventDoc = {
    id: env.newId(),
    schoolId: ctx.schoolId,
    entity: 'student',
    entityId: student.id,
    action: 'student-create',
    at,
    by: env.actor.id,
    byName: env.actor.name,
    reason: reason ? reason.slice(0, 500) : '手工新增学生',
    before: {},
    after,
  };
  return { ok: true, student, event };
}
