// 统一社会信用代码 (GB 32100-2015 法人和其他组织统一社会信用代码编码规则): 18 characters from the 31 digits and
// capital letters without I, O, S, V, Z — 1 登记管理部门代码, 2 机构类别代码, 3–8 登记管理机关行政区划码, 9–17 主体标识码
// (组织机构代码, GB 11714), 18 校验码 by GB/T 17710 (ISO 7064 MOD 31-3): weights 3^(i-1) mod 31, the check
// character is 31 − (Σ value × weight mod 31), 31 read as 0. A school's attributes carry it (DOMAIN.md), the
// 检查情况记录表 prints it.
//
// Only the 18th character is checked against a computation: early pilot regions issued codes whose 主体标识码
// does not follow GB 11714 (e.g. 91350211M00013FA1N, noted by hutool's tests), so the embedded organisation
// code is checked for its character set only, never for its own check digit.

/** The code's character set, in value order (GB 32100 表 2: 0–9 then A–Y without I, O, S, V, Z). */
export const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** 登记管理部门代码 → its 机构类别代码 (GB 32100 表 1), with names for messages. */
export const CREDIT_DEPARTMENTS: Readonly<
  Record<string, { name: string; categories: Record<string, string> }>
> = {
  '1': {
    name: '机构编制',
    categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', categories: { '1': '外国常住新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    categories: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { name: '其他', categories: { '1': '其他' } },
};

export type CreditCodeProblem = { code: string; message: string };

/** The check character (position 18) of the first 17 characters; null when one is not in the set. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARS.indexOf(first17[i] as string);
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] as number);
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31] as string;
}

/** The code as people type it: spaces removed, letters upper-cased (a code never holds lower case). */
export function normalizeCreditCode(raw: string): string {
  return raw.replace(/[\s\u3000-]/g, '').toUpperCase();
}

/**
 * Why a 统一社会信用代码 is not valid (GB 32100-2015), in Chinese naming the position; null when it is. Takes
 * the normalised code (normalizeCreditCode).
 */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18)
    return { code: 'CREDIT_LENGTH', message: `统一社会信用代码应为 18 位（现为 ${code.length} 位）` };
  for (let i = 0; i < 18; i++) {
    const ch = code[i] as string;
    if (!CREDIT_CODE_CHARS.includes(ch))
      return {
        code: 'CREDIT_CHAR',
        message: /[IOSVZ]/.test(ch)
          ? `统一社会信用代码第 ${i + 1} 位是“${ch}”：代码不使用字母 I、O、S、V、Z（是否把数字 1、0、5 输成了字母？）`
          : `统一社会信用代码第 ${i + 1} 位“${ch}”不是数字或大写字母`,
      };
  }
  const department = CREDIT_DEPARTMENTS[code[0] as string];
  if (!department)
    return { code: 'CREDIT_DEPARTMENT', message: `统一社会信用代码第 1 位“${code[0]}”不是登记管理部门代码` };
  if (!department.categories[code[1] as string])
    return {
      code: 'CREDIT_CATEGORY',
      message: `统一社会信用代码第 2 位“${code[1]}”不是“${department.name}”登记的机构类别代码`,
    };
  if (!/^\d{6}$/.test(code.slice(2, 8)))
    return {
      code: 'CREDIT_REGION',
      message: '统一社会信用代码第 3–8 位应为登记管理机关的行政区划代码（6 位数字）',
    };
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (expected !== code[17])
    return {
      code: 'CREDIT_CHECK',
      message: `统一社会信用代码的校验码（第 18 位）不对：按 GB 32100 计算应为“${expected}”，现为“${code[17]}”，请核对是否有输错的位`,
    };
  return null;
}

/** "事业单位（机构编制部门登记）" for a valid code: what kind of body the code says it is. */
export function creditCodeKind(code: string): string | null {
  const department = CREDIT_DEPARTMENTS[code[0] ?? ''];
  const category = department?.categories[code[1] ?? ''];
  return department && category ? `${category}（${department.name}部门登记）` : null;
}
