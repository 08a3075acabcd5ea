// Field validators shared by the student page, the roster import and the server (the whole-record rules
// are in student.ts). Each returns a Chinese message naming the field, or null when the value is acceptable.
import { type CodeList, codeOf } from '../domain/codes';
import type { Student } from '../domain/student';
import { birthDateFromId, checkIdNumber, genderFromId, isValidDate } from './id-number';

export type FieldError = { field: string; code: string; message: string };

const STATUS_NO = /^[GLJ]\d{17}[\dX]$/;

/** 学籍号: `G`+ID (official), `L` (temporary), `J` (no usable ID); for G the tail is the ID number. */
export function checkStatusNo(value: string, idNo?: string): FieldError | null {
  const v = value.trim().toUpperCase();
  if (!STATUS_NO.test(v)) {
    return {
      field: 'statusNo',
      code: 'STATUS_NO_FORMAT',
      message: `学籍号“${value}”格式不对：应为 G、L 或 J 开头，后接 17 位数字和 1 位数字或 X`,
    };
  }
  if (v.startsWith('G')) {
    const tail = v.slice(1);
    const problem = checkIdNumber(tail);
    if (problem)
      return {
        field: 'statusNo',
        code: 'STATUS_NO_CHECK',
        message: `学籍号 G 后的证件号无效：${problem.message}`,
      };
    if (idNo && tail !== idNo.trim().toUpperCase()) {
      return { field: 'statusNo', code: 'STATUS_NO_MISMATCH', message: `学籍号“${value}”与身份证件号不一致` };
    }
  }
  return null;
}

/** Mainland mobile (1[3-9] + 9 digits) or a landline with area code (e.g. 0371-12345678). */
export function checkPhone(value: string, label = '联系电话', field = 'phone'): FieldError | null {
  const v = value.trim().replace(/\s+/g, '');
  if (/^1[3-9]\d{9}$/.test(v) || /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(v)) return null;
  return {
    field,
    code: 'PHONE_FORMAT',
    message: `${label}“${value}”不是有效的手机号（11 位）或带区号的固定电话`,
  };
}

/** Accepts YYYY-MM-DD, YYYY/MM/DD and YYYYMMDD; returns the ISO date or null. */
export function parseDate(value: string): string | null {
  const m = value.trim().match(/^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!/^\d{8}$/.test(value.trim()) && !/[-/.]/.test(value)) return null;
  if (y < 1900 || y > 2100 || !isValidDate(y, mo, d)) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 入学年月 YYYYMM (also YYYY-MM, YYYY/MM). */
export function parseYearMonth(value: string): string | null {
  const m = value.trim().match(/^(\d{4})[-/.]?(\d{1,2})$/);
  if (!m) return null;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  return `${m[1]}${String(mo).padStart(2, '0')}`;
}

export function checkCode(list: CodeList, value: string, label: string, field: string): FieldError | null {
  if (codeOf(list, value) !== undefined) return null;
  return { field, code: 'CODE_UNKNOWN', message: `${label}“${value}”不在代码表中（可填代码或中文名称）` };
}

/**
 * Cross-field checks of a whole record: the ID number's check digit, and that its birth date and
 * gender agree with the recorded ones (DOMAIN.md "Codes": cross-check both).
 */
export function checkIdentity(
  s: Pick<Student, 'idType' | 'idNo' | 'birthDate' | 'gender' | 'statusNo'>,
): FieldError[] {
  const errors: FieldError[] = [];
  let idUsable = s.idType === '1';
  if (s.idType === '1' && s.idNo) {
    const problem = checkIdNumber(s.idNo);
    idUsable = problem === null;
    if (problem) errors.push({ field: 'idNo', code: problem.code, message: problem.message });
    else {
      const id = s.idNo.trim().toUpperCase();
      if (s.birthDate && birthDateFromId(id) !== s.birthDate) {
        errors.push({
          field: 'birthDate',
          code: 'ID_BIRTH_MISMATCH',
          message: `出生日期 ${s.birthDate} 与身份证件号中的 ${birthDateFromId(id)} 不一致`,
        });
      }
      if (s.gender && genderFromId(id) !== s.gender) {
        errors.push({
          field: 'gender',
          code: 'ID_GENDER_MISMATCH',
          message: `性别与身份证件号不一致（第 17 位为${genderFromId(id) === '1' ? '奇数，应为男' : '偶数，应为女'}）`,
        });
      }
    }
  }
  if (s.statusNo) {
    // a wrong ID number is reported once, not again as a 学籍号 that does not match it
    const e = checkStatusNo(s.statusNo, idUsable ? s.idNo : undefined);
    if (e) errors.push(e);
  }
  return errors;
}
