// `student-update`: edit of a student's non-key fields from the student page. Key fields (★) are refused
// here; they change only through the info-change workflow (基本信息变更, DOMAIN.md). Every accepted edit
// yields one event with who, when, before and after of the changed fields only (R-WHO).

import { chinaDate } from '../calendar/china';
import type { EventDoc } from '../domain/schemas';
import { FIELD_META, fieldLabel, type Guardian, type Student, type StudentAid } from '../domain/student';
import { valueEqual } from '../sync/equal';
import type { FieldError } from '../validate/fields';
import {
  lockedFields,
  normalizeMember,
  normalizeValue,
  STATUS_NO_LOCKED_MESSAGE,
  validateStudent,
} from '../validate/student';
import { type CommandEnv, type Decision, refuse } from './types';

/** Scalar values as the user typed them ('' clears an optional field), plus guardians and aid. */
export type StudentPatch = Partial<Record<string, string>> & { guardians?: Guardian[]; aid?: StudentAid };

export type StudentUpdateInput = {
  student: Student;
  patch: StudentPatch;
  keyFields: readonly string[];
  reason?: string;
};

export type StudentUpdateDecision = Decision<{ next: Student; event: EventDoc | null }>;

const NOT_HERE: Record<string, string> = {
  status: '学籍状态只能通过学籍异动办理',
  archive: '纸质档案请在档案页登记',
  id: '记录编号不能修改',
  schoolId: '所属学校不能修改',
  orgPath: '所属学校不能修改',
  updatedAt: '修改时间由系统记录',
  updatedBy: '修改人由系统记录',
};

/**
 * The values compare by content, not by the order of their keys: a student that came from the server
 * has its family members' keys in PostgreSQL's jsonb order ({name, phone, relation}), the form writes
 * them in its own order, and comparing JSON texts saved a phantom "监护人 X → X" with every other edit.
 */
export function decideStudentUpdate(input: StudentUpdateInput, env: CommandEnv): StudentUpdateDecision {
  const { student, patch, keyFields } = input;
  const errors: FieldError[] = [];
  const locked = lockedFields(student, keyFields);
  const next: Record<string, unknown> = { ...student };
  for (const [field, typed] of Object.entries(patch)) {
    if (field === 'guardians' || field === 'aid' || typed === undefined) continue;
    const meta = FIELD_META.get(field as never);
    if (keyFields.includes(field)) {
      const label = fieldLabel(field);
      errors.push({
        field,
        code: 'KEY_FIELD',
        message: `${label}是关键字段（★），只能通过“基本信息变更”申请并经教育局审核后修改`,
      });
      continue;
    }
    if (NOT_HERE[field]) {
      errors.push({ field, code: 'NOT_EDITABLE', message: NOT_HERE[field] });
      continue;
    }
    if (!meta) {
      errors.push({ field, code: 'UNKNOWN_FIELD', message: `没有名为“${field}”的字段` });
      continue;
    }
    const r = normalizeValue(meta, String(typed));
    if (r !== null && 'error' in r) {
      errors.push(r.error);
      continue;
    }
    const value = r === null ? undefined : r.value;
    if (locked.has(field) && !valueEqual(value, student[meta.field])) {
      errors.push({ field, code: 'STATUS_NO_LOCKED', message: STATUS_NO_LOCKED_MESSAGE });
      continue;
    }
    next[field] = value;
  }
  if (patch.guardians) {
    next.guardians = patch.guardians.map((g, i) => {
      const n = normalizeMember(g as unknown as Record<string, unknown>, i);
      errors.push(...n.errors);
      return n.member;
    });
  }
  if (patch.aid)
    next.aid = {
      grant: !!patch.aid.grant,
      feeWaiver: !!patch.aid.feeWaiver,
      lowIncome: !!patch.aid.lowIncome,
    };
  for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
  // The whole-record rules, for what this edit touched (an old problem elsewhere does not block it).
  const reported = new Set(errors.map((e) => e.field));
  for (const e of validateStudent(next as Student, { previous: student, today: chinaDate(env.now()) }))
    if (!reported.has(e.field)) errors.push(e);
  if (errors.length > 0) return refuse(...errors);

  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(student), ...Object.keys(next)])) {
    const a = (student as Record<string, unknown>)[field];
    const b = next[field];
    if (!valueEqual(a, b)) {
      before[field] = a ?? null;
      after[field] = b ?? null;
    }
  }
  if (Object.keys(after).length === 0) return { ok: true, next: student, event: null };
  const at = env.now();
  // Unchanged values keep the stored object, so nothing but the edit differs from the document.
  for (const field of Object.keys(next))
    if (!(field in after)) next[field] = (student as Record<string, unknown>)[field];
  const updated = { ...next, updatedAt: at, updatedBy: env.actor.id } as Student;
  const event: EventDoc = {
    id: env.newId(),
    schoolId: student.schoolId,
    entity: 'student',
    entityId: student.id,
    action: 'student-update',
    at,
    by: env.actor.id,
    byName: env.actor.name,
    before,
    after,
  };
  if (input.reason) event.reason = input.reason;
  return { ok: true, next: updated, event };
}
