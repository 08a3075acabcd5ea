// GB 11643 citizen ID number (DOMAIN.md "Codes"): 17 digits + check character.
// The first six digits are a division code that changes over the years: never rejected for it.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type IdProblem =
  | { code: 'ID_FORMAT'; message: string }
  | { code: 'ID_SCIENTIFIC'; message: string }
  | { code: 'ID_CHECK_DIGIT'; message: string }
  | { code: 'ID_BIRTH_DATE'; message: string };

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** Checks format, check digit and the embedded birth date of a 居民身份证 number. */
export function checkIdNumber(raw: string): IdProblem | null {
  const id = raw.trim().toUpperCase();
  if (/^\d(\.\d+)?E\+?\d+$/i.test(id)) {
    return {
      code: 'ID_SCIENTIFIC',
      message: `身份证件号“${raw}”已被 Excel 转成科学计数法，原号码已丢失；请把该列设为文本后重新填写`,
    };
  }
  if (!/^\d{17}[\dX]$/.test(id)) {
    const hint = /^\d{17}$/.test(id) ? '（末位校验码缺失，可能是 X 被丢掉了）' : '';
    return { code: 'ID_FORMAT', message: `身份证件号“${raw}”应为 17 位数字加 1 位校验码，共 18 位${hint}` };
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || !isValidDate(y, m, d)) {
    return { code: 'ID_BIRTH_DATE', message: `身份证件号“${raw}”第 7–14 位不是有效的出生日期` };
  }
  const expected = idCheckChar(id.slice(0, 17));
  if (id[17] !== expected) {
    return {
      code: 'ID_CHECK_DIGIT',
      message: `身份证件号“${raw}”校验码错误（按 GB 11643 应为 ${expected}）`,
    };
  }
  return null;
}

/** Birth date (YYYY-MM-DD) embedded in a valid 18-digit ID number. */
export function birthDateFromId(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Gender code ('1' male, '2' female) from digit 17 of the ID number: odd = male. */
export function genderFromId(id: string): '1' | '2' {
  return Number(id[16]) % 2 === 1 ? '1' : '2';
}

/** Builds a valid ID number from a division code, birth date and a 3-digit sequence (odd = male). */
export function makeIdNumber(division: string, birthDate: string, sequence: number): string {
  const first17 = `${division}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}
