// `student-update`: edit of a student's non-key fields from the student page. Key fields (★) are refused
// here; they change only through the info-change workflow (基本信息变更, DOMAIN.md). Every accepted edit
// yields one event with who, when, before and after of the changed fields only (R-WHO).
import { codeOf, GUARDIAN_RELATIONS } from '../domain/codes';
import type { EventDoc } from '../domain/schemas';
import { FIELD_META, fieldLabel, type Guardian, type Student, type StudentAid } from '../domain/student';
import {
  checkField,
  checkIdentity,
  checkPhone,
  type FieldError,
  parseDate,
  parseYearMonth,
} from '../validate/fields';
import { checkIdNumber } from '../validate/id-number';
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

/** The stored form of a typed value: codes for code lists, ISO dates, YYYYMM, integers, trimmed text. */
export function normalise(field: string, typed: string): string | number | undefined {
  const meta = FIELD_META.get(field as never);
  const v = typed.trim();
  if (v === '' || !meta) return v === '' ? undefined : v;
  switch (meta.kind) {
    case 'code':
      return meta.codes ? codeOf(meta.codes, v) : v;
    case 'date':
      return parseDate(v) ?? v;
    case 'yearMonth':
      return parseYearMonth(v) ?? v;
    case 'number':
      return Number(v);
    case 'phone':
      return v.replace(/\s+/g, '');
    case 'text':
      return field === 'statusNo' ? v.toUpperCase() : v;
  }
}

export function checkGuardians(guardians: Guardian[]): { list: Guardian[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (guardians.length === 0)
    errors.push({ field: 'guardians', code: 'REQUIRED', message: '至少需要填写一位监护人' });
  const list = guardians.map((g, i) => {
    const n = i + 1;
    const name = g.name.trim();
    const relation = codeOf(GUARDIAN_RELATIONS, g.relation) ?? '';
    const phone = g.phone.trim().replace(/\s+/g, '');
    const idNo = g.idNo?.trim().toUpperCase() ?? '';
    if (!name)
      errors.push({ field: `guardians.${i}.name`, code: 'REQUIRED', message: `监护人${n}的姓名不能为空` });
    else if (name.length > 50)
      errors.push({
        field: `guardians.${i}.name`,
        code: 'TOO_LONG',
        message: `监护人${n}的姓名最多 50 个字符`,
      });
    if (!relation)
      errors.push({
        field: `guardians.${i}.relation`,
        code: 'CODE_UNKNOWN',
        message: `监护人${n}的关系“${g.relation}”不在代码表中`,
      });
    if (!phone)
      errors.push({ field: `guardians.${i}.phone`, code: 'REQUIRED', message: `监护人${n}的电话不能为空` });
    else {
      const e = checkPhone(phone, `监护人${n}的电话`, `guardians.${i}.phone`);
      if (e) errors.push(e);
    }
    if (idNo) {
      const p = checkIdNumber(idNo);
      if (p) errors.push({ field: `guardians.${i}.idNo`, code: p.code, message: `监护人${n}的${p.message}` });
    }
    return idNo ? { name, relation, phone, idNo } : { name, relation, phone };
  });
  return { list, errors };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function decideStudentUpdate(input: StudentUpdateInput, env: CommandEnv): StudentUpdateDecision {
  const { student, patch, keyFields } = input;
  const errors: FieldError[] = [];
  const next: Record<string, unknown> = { ...student };
  for (const [field, typed] of Object.entries(patch)) {
    if (field === 'guardians' || field === 'aid' || typed === undefined) continue;
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
    const meta = FIELD_META.get(field as never);
    if (!meta) {
      errors.push({ field, code: 'UNKNOWN_FIELD', message: `没有名为“${field}”的字段` });
      continue;
    }
    const e = checkField(meta, String(typed));
    if (e) errors.push(e);
    else next[field] = normalise(field, String(typed));
  }
  if (patch.guardians) {
    const g = checkGuardians(patch.guardians);
    errors.push(...g.errors);
    next.guardians = g.list;
  }
  if (patch.aid)
    next.aid = {
      grant: !!patch.aid.grant,
      feeWaiver: !!patch.aid.feeWaiver,
      lowIncome: !!patch.aid.lowIncome,
    };
  // Cross-field checks (学籍号 against the ID number) only for what this edit touched, so an old
  // problem in a key field does not block an unrelated edit.
  for (const e of checkIdentity(next as Student)) if (e.field in patch) errors.push(e);
  if (errors.length > 0) return refuse(...errors);

  for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(student), ...Object.keys(next)])) {
    const a = (student as Record<string, unknown>)[field];
    const b = next[field];
    if (!same(a, b)) {
      before[field] = a ?? null;
      after[field] = b ?? null;
    }
  }
  if (Object.keys(after).length === 0) return { ok: true, next: student, event: null };
  const at = env.now();
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
