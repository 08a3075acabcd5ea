// One copy of the student rules (issue 9): how a typed or imported value becomes its stored form, and
// which records are valid. The student page's command, the roster import, `xueji validate` and the
// server's push check all call these, so the server refuses exactly what the app refuses.
import { codeOf } from '../domain/codes';
import { divisionCodeOf, isDivisionCode } from '../domain/divisions';
import {
  FIELD_META,
  type FieldMeta,
  type Guardian,
  MEMBER_FIELDS,
  type MemberField,
  type MemberFieldMeta,
  STUDENT_FIELD_GROUPS,
  type Student,
  type StudentField,
} from '../domain/student';
import { valueEqual } from '../sync/equal';
import {
  checkIdentity,
  checkPhone,
  checkStatusNo,
  type FieldError,
  parseDate,
  parseYearMonth,
} from './fields';
import { checkIdNumber } from './id-number';

type AnyMeta = FieldMeta | MemberFieldMeta;

/** The stored form of a value, an error naming the field, or null for an empty value. */
export type Normalized = { value: string | number } | { error: FieldError } | null;

const fail = (field: string, code: string, message: string): Normalized => ({
  error: { field, code, message },
});

/** Youngest and oldest age a student can have on the roster (part-time vocational students are adults). */
export const STUDENT_AGE_RANGE = { min: 2, max: 60 } as const;

/**
 * A name with "?" or U+FFFD: what a file saved as GBK leaves for a character outside GBK (䶮, 𬌗 …).
 * The character is gone from the file, so the name is refused rather than stored wrong.
 */
export function checkPersonName(value: string, label: string, field: string): FieldError | null {
  if (!/[?？\uFFFD]/.test(value)) return null;
  return {
    field,
    code: 'NAME_ENCODING',
    message: `${label}“${value}”含有“?”或“�”：这通常是文件另存为 GBK 编码的 CSV 时，GBK 里没有的生僻字（如 䶮、𬌗）被替换掉了，原字已丢失；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新导入，或在此填写正确的字`,
  };
}

const VALIDITY_DATE = String.raw`(\d{4}[-./]?\d{1,2}[-./]?\d{1,2})`;
const VALIDITY = new RegExp(
  `^${VALIDITY_DATE}\\s*(?:-|—|–|~|～|至|到)\\s*(${VALIDITY_DATE.slice(1, -1)}|长期)$`,
);

/** 身份证件有效期: "2020.06.01-2030.06.01", "20200601至长期" … → "2020-06-01至2030-06-01" / "…至长期". */
export function parseIdValidity(value: string): string | null {
  const v = value.trim();
  const m = VALIDITY.exec(v);
  if (m) {
    const from = parseDate((m[1] ?? '').replace(/\./g, '-'));
    if (!from) return null;
    if (m[2] === '长期') return `${from}至长期`;
    const to = parseDate((m[2] ?? '').replace(/\./g, '-'));
    return to && to > from ? `${from}至${to}` : null;
  }
  return null;
}

function numberValue(meta: AnyMeta, v: string, field: string): Normalized {
  const min = 'min' in meta ? meta.min : undefined;
  const max = 'max' in meta ? meta.max : undefined;
  if (meta.kind === 'number') {
    if (!/^\d{1,3}$/.test(v)) return fail(field, 'NUMBER_FORMAT', `${meta.label}“${v}”应为整数`);
  } else if (!/^\d{1,4}(\.\d{1,2})?$/.test(v))
    return fail(field, 'NUMBER_FORMAT', `${meta.label}“${v}”应为数字（公里，最多两位小数），例如 3.5`);
  const n = Number(v);
  if ((min !== undefined && n < min) || (max !== undefined && n > max))
    return fail(field, 'NUMBER_RANGE', `${meta.label}“${v}”应在 ${min ?? 0}–${max ?? '∞'} 之间`);
  return { value: n };
}

/**
 * One value as typed (the student page) or read from a cell (the import) → its stored form: codes for
 * code lists (code or Chinese name accepted), ISO dates, YYYYMM, numbers, division codes, trimmed text.
 * `field` is where an error belongs (e.g. "phone", "guardians.0.phone").
 */
export function normalizeValue(meta: AnyMeta, typed: string, field: string = meta.field): Normalized {
  const v = typed.trim();
  if (v === '') return null;
  const label = meta.label;
  if (meta.maxLength !== undefined && v.length > meta.maxLength && meta.kind !== 'division')
    return fail(field, 'TOO_LONG', `${label}最多 ${meta.maxLength} 个字符（现有 ${v.length} 个）`);
  switch (meta.kind) {
    case 'code': {
      const code = meta.codes ? codeOf(meta.codes, v) : v;
      if (code !== undefined) return { value: code };
      const open = 'openCode' in meta ? meta.openCode : undefined;
      if (open?.(v.toUpperCase())) return { value: v.toUpperCase() };
      return fail(field, 'CODE_UNKNOWN', `${label}“${v}”不在代码表中（可填代码或中文名称）`);
    }
    case 'date': {
      const iso = parseDate(v);
      return iso
        ? { value: iso }
        : fail(field, 'DATE_FORMAT', `${label}“${v}”不是有效日期（可写 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）`);
    }
    case 'yearMonth': {
      const ym = parseYearMonth(v);
      return ym
        ? { value: ym }
        : fail(field, 'YEAR_MONTH_FORMAT', `${label}“${v}”应为年月，例如 202609 或 2026-09`);
    }
    case 'number':
    case 'decimal':
      return numberValue(meta, v.replace(/\s*(公里|千米|km)$/i, ''), field);
    case 'phone': {
      const e = checkPhone(v, label, field);
      return e ? { error: e } : { value: v.replace(/\s+/g, '') };
    }
    case 'division': {
      if (isDivisionCode(v)) return { value: v };
      const code = divisionCodeOf(v);
      if (code) return { value: code };
      const allowText = 'allowText' in meta && meta.allowText;
      if (allowText && (meta.maxLength === undefined || v.length <= meta.maxLength)) return { value: v };
      return fail(
        field,
        'DIVISION_UNKNOWN',
        `${label}“${v}”不是行政区划代码（6、9 或 12 位数字），也不是能唯一确定的地名（如“河南省郑州市金水区”）`,
      );
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)
        ? { value: v }
        : fail(field, 'EMAIL_FORMAT', `${label}“${v}”不是有效的电子信箱`);
    case 'postcode':
      return /^\d{6}$/.test(v) ? { value: v } : fail(field, 'POSTCODE_FORMAT', `${label}“${v}”应为 6 位数字`);
    case 'idValidity': {
      const range = parseIdValidity(v);
      return range
        ? { value: range }
        : fail(
            field,
            'VALIDITY_FORMAT',
            `${label}“${v}”应写成起止日期，例如 2020.06.01-2030.06.01 或 2020.06.01-长期`,
          );
    }
    case 'idNo':
      return /\s/.test(v)
        ? fail(field, 'ID_FORMAT', `${label}“${v}”中不能有空格`)
        : { value: v.toUpperCase() };
    case 'text': {
      if (meta.personName) {
        const e = checkPersonName(v, label, field);
        if (e) return { error: e };
      }
      if (meta.field === 'statusNo') {
        const e = checkStatusNo(v);
        return e ? { error: e } : { value: v.toUpperCase() };
      }
      return { value: v };
    }
  }
}

/** The student page's check of one typed value (required, format); cross-field checks come on save. */
export function checkField(meta: FieldMeta, typed: string): FieldError | null {
  const r = normalizeValue(meta, typed);
  if (r === null)
    return meta.required && meta.field !== 'idNo'
      ? { field: meta.field, code: 'REQUIRED', message: `${meta.label}不能为空` }
      : null;
  return 'error' in r ? r.error : null;
}

/** A family member as typed or read: every field in its stored form, empty fields left out. */
export function normalizeMember(
  member: Partial<Record<MemberField, unknown>>,
  index: number,
): {
  member: Guardian;
  errors: FieldError[];
} {
  const out: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const meta of MEMBER_FIELDS) {
    const raw = member[meta.field];
    if (raw === undefined || raw === null) continue;
    const r = normalizeValue(memberMeta(meta, index), String(raw), `guardians.${index}.${meta.field}`);
    if (r === null) continue;
    if ('error' in r) {
      errors.push(r.error);
      out[meta.field] = String(raw).trim();
    } else out[meta.field] = String(r.value);
  }
  return { member: out as unknown as Guardian, errors };
}

// Labelled per member position once: the family check runs for every row of a 20,000-row import.
const memberMetaCache: MemberFieldMeta[][] = [];
function memberMeta(meta: MemberFieldMeta, index: number): MemberFieldMeta {
  let row = memberMetaCache[index];
  if (!row) {
    row = MEMBER_FIELDS.map((m) => ({ ...m, label: `家庭成员${index + 1}的${m.label}` }));
    memberMetaCache[index] = row;
  }
  return row[MEMBER_FIELDS.indexOf(meta)] ?? meta;
}

/** Whether a stored value is what normalizeValue would store (the server gets documents, not typing). */
function storedFormError(meta: AnyMeta, value: unknown, field: string): FieldError | null {
  const text = value === undefined || value === null ? '' : String(value);
  const r = normalizeValue(meta, text, field);
  if (r === null || 'error' in r) return r === null ? null : r.error;
  if (r.value === value) return null;
  return {
    field,
    code: 'NOT_STORED_FORM',
    message: `${meta.label}“${text}”应记为“${String(r.value)}”（代码或标准格式）`,
  };
}

/**
 * The family members of a student (DOMAIN.md: ≥ 1 family member; the national table: name, relation and
 * phone required, "需填写两位学生家庭成员或监护人信息"; a member's ID number is required when the student has
 * none). Members are checked in their stored form.
 */
export function checkFamily(members: readonly Guardian[], student: Pick<Student, 'idNo'>): FieldError[] {
  const errors: FieldError[] = [];
  if (members.length === 0) {
    errors.push({
      field: 'guardians',
      code: 'REQUIRED',
      message: '至少需要填写一位家庭成员或监护人（姓名、关系、联系电话）',
    });
    return errors;
  }
  if (members.length > 10)
    errors.push({ field: 'guardians', code: 'TOO_MANY', message: '家庭成员最多登记 10 位' });
  members.forEach((m, i) => {
    const record = m as unknown as Record<string, unknown>;
    for (const meta of MEMBER_FIELDS) {
      const field = `guardians.${i}.${meta.field}`;
      const value = record[meta.field];
      const empty = value === undefined || value === null || String(value).trim() === '';
      const labelled = memberMeta(meta, i);
      if (empty) {
        if (meta.required) errors.push({ field, code: 'REQUIRED', message: `${labelled.label}不能为空` });
        continue;
      }
      const e = storedFormError(labelled, value, field);
      if (e) errors.push(e);
    }
    if (m.idNo && (m.idType === undefined || m.idType === '' || m.idType === '1')) {
      const p = checkIdNumber(m.idNo);
      if (p)
        errors.push({
          field: `guardians.${i}.idNo`,
          code: p.code,
          message: `家庭成员${i + 1}的${p.message}`,
        });
    }
  });
  if (members.every((m) => m.isGuardian === '0'))
    errors.push({
      field: 'guardians.0.isGuardian',
      code: 'NO_GUARDIAN',
      message: '至少一位家庭成员须是监护人（“是否监护人”填“是”）',
    });
  if (!student.idNo?.trim() && !members.some((m) => m.idNo?.trim()))
    errors.push({
      field: 'guardians.0.idNo',
      code: 'MEMBER_ID_REQUIRED',
      message: '学生没有身份证件号时，至少一位家庭成员须填写身份证件号（全国学生基本信息表填报说明）',
    });
  return errors;
}

export type ValidateOptions = {
  /**
   * The record before this change. Given, only what the change touched is checked, so an old problem
   * in an untouched field (a value written before a rule existed) never blocks an unrelated edit.
   */
  previous?: Student | null;
  /** today (YYYY-MM-DD) for the birth-date checks; without it they are skipped */
  today?: string;
};

const ALL_FIELDS = STUDENT_FIELD_GROUPS.flatMap((g) => g.fields);
const IDENTITY_FIELDS = ['idType', 'idNo', 'birthDate', 'gender', 'statusNo'] as const;

function ageOn(birth: string, today: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** A birth date no student can have: in the future, or an age outside STUDENT_AGE_RANGE. */
export function checkBirthDate(birth: string, today: string, label = '出生日期'): FieldError | null {
  if (birth > today)
    return {
      field: 'birthDate',
      code: 'BIRTH_FUTURE',
      message: `${label} ${birth} 晚于今天（${today}），不可能是学生的出生日期；请核对（常见原因：年份输错，或日期被当成别的格式）`,
    };
  const age = ageOn(birth, today);
  if (age < STUDENT_AGE_RANGE.min || age > STUDENT_AGE_RANGE.max)
    return {
      field: 'birthDate',
      code: 'BIRTH_AGE',
      message: `${label} ${birth} 表示今天 ${age} 岁，在校学生应在 ${STUDENT_AGE_RANGE.min}–${STUDENT_AGE_RANGE.max} 岁之间；请核对`,
    };
  return null;
}

/**
 * Validates a whole record in its stored form: every field by its metadata, the family members, the
 * birth date against today, and the identity cross-checks (ID check digit, birth date and gender against
 * the ID, 学籍号 against the ID). 身份证件号 may be empty only for 证件类型 Z 其他 (the table's 填报说明).
 */
export function validateStudent(s: Student, options: ValidateOptions = {}): FieldError[] {
  const previous = options.previous ?? null;
  const record = s as unknown as Record<string, unknown>;
  const before = previous as unknown as Record<string, unknown> | null;
  const touched = (field: string) => !before || !valueEqual(before[field], record[field]);
  const errors: FieldError[] = [];
  for (const meta of ALL_FIELDS) {
    if (!touched(meta.field) && !(meta.field === 'idNo' && touched('idType'))) continue;
    const value = record[meta.field];
    const empty = value === undefined || value === null || String(value).trim() === '';
    if (empty) {
      const required = meta.field === 'idNo' ? s.idType !== 'Z' : meta.required;
      if (required)
        errors.push({
          field: meta.field,
          code: 'REQUIRED',
          message:
            meta.field === 'idNo'
              ? '身份证件号不能为空（只有证件类型为“其他”时可不填）'
              : `${meta.label}不能为空`,
        });
      continue;
    }
    const e = storedFormError(meta, value, meta.field);
    if (e) errors.push(e);
  }
  const has = (field: string) => errors.some((e) => e.field === field);
  if (options.today && touched('birthDate') && s.birthDate && !has('birthDate')) {
    const e = checkBirthDate(s.birthDate, options.today);
    if (e) errors.push(e);
  }
  if (touched('guardians') || (touched('idNo') && !s.idNo))
    errors.push(...checkFamily(Array.isArray(s.guardians) ? s.guardians : [], s));
  if (IDENTITY_FIELDS.some(touched))
    for (const e of checkIdentity(s)) if (!has(e.field) && (!before || touched(e.field))) errors.push(e);
  return errors;
}

/** The stored form of a whole record (for a record built outside the app's commands, e.g. a test). */
export function normalizeStudent(s: Student): { student: Student; errors: FieldError[] } {
  const out: Record<string, unknown> = { ...s };
  const errors: FieldError[] = [];
  for (const meta of ALL_FIELDS) {
    const value = out[meta.field];
    if (value === undefined || value === null) continue;
    const r = normalizeValue(meta, String(value));
    if (r === null) delete out[meta.field];
    else if ('error' in r) errors.push(r.error);
    else out[meta.field] = r.value;
  }
  out.guardians = (s.guardians ?? []).map((g, i) => {
    const n = normalizeMember(g as unknown as Record<MemberField, unknown>, i);
    errors.push(...n.errors);
    return n.member;
  });
  return { student: out as Student, errors };
}

/** 学籍号 is an official number: once registered it changes only through an info change (like ★). */
export const STATUS_NO_LOCKED_MESSAGE =
  '学籍号是全国统一分配的编号，注册后不能在此修改；如有错误，请通过“基本信息变更”申请更正';

/** The fields an edit or an import may not change on this student: the key fields and a registered 学籍号. */
export function lockedFields(student: Pick<Student, 'statusNo'>, keyFields: readonly string[]): Set<string> {
  const locked = new Set(keyFields);
  if (student.statusNo?.trim()) locked.add('statusNo');
  return locked;
}

export function fieldMetaOf(field: string): FieldMeta | undefined {
  return FIELD_META.get(field as StudentField);
}
