// National code lists used by the roster template and the student record (DOMAIN.md "Codes").
// A code list maps the stored code to its Chinese name; import accepts either (DOMAIN.md roster template).

export type CodeList = Readonly<Record<string, string>>;

export const ID_TYPES: CodeList = {
  '1': '居民身份证',
  '6': '香港特区护照/身份证明',
  '7': '澳门特区护照/身份证明',
  '8': '台湾居民来往大陆通行证',
  '9': '外国人永久居留身份证',
  A: '护照',
  Z: '其他',
};

export const GENDERS: CodeList = { '1': '男', '2': '女' };

// GB/T 3304 民族 codes 01–56.
export const ETHNICITIES: CodeList = {
  '01': '汉族',
  '02': '蒙古族',
  '03': '回族',
  '04': '藏族',
  '05': '维吾尔族',
  '06': '苗族',
  '07': '彝族',
  '08': '壮族',
  '09': '布依族',
  '10': '朝鲜族',
  '11': '满族',
  '12': '侗族',
  '13': '瑶族',
  '14': '白族',
  '15': '土家族',
  '16': '哈尼族',
  '17': '哈萨克族',
  '18': '傣族',
  '19': '黎族',
  '20': '傈僳族',
  '21': '佤族',
  '22': '畲族',
  '23': '高山族',
  '24': '拉祜族',
  '25': '水族',
  '26': '东乡族',
  '27': '纳西族',
  '28': '景颇族',
  '29': '柯尔克孜族',
  '30': '土族',
  '31': '达斡尔族',
  '32': '仫佬族',
  '33': '羌族',
  '34': '布朗族',
  '35': '撒拉族',
  '36': '毛南族',
  '37': '仡佬族',
  '38': '锡伯族',
  '39': '阿昌族',
  '40': '普米族',
  '41': '塔吉克族',
  '42': '怒族',
  '43': '乌孜别克族',
  '44': '俄罗斯族',
  '45': '鄂温克族',
  '46': '德昂族',
  '47': '保安族',
  '48': '裕固族',
  '49': '京族',
  '50': '塔塔尔族',
  '51': '独龙族',
  '52': '鄂伦春族',
  '53': '赫哲族',
  '54': '门巴族',
  '55': '珞巴族',
  '56': '基诺族',
};

export const POLITICAL_STATUSES: CodeList = {
  '01': '中共党员',
  '02': '中共预备党员',
  '03': '共青团员',
  '13': '群众',
};

export const HEALTH_STATES: CodeList = {
  '10': '健康或良好',
  '20': '一般或较弱',
  '30': '有慢性病',
  '40': '有生理缺陷',
  '50': '残疾',
};

export const HUKOU_TYPES: CodeList = { '1': '农业户口', '2': '非农业户口' };

export const ATTEND_MODES: CodeList = { '1': '走读', '2': '住校' };

export const STUDY_FORMS: CodeList = { '1': '全日制', '2': '非全日制' };

// 港澳台侨外
export const OVERSEAS: CodeList = {
  '0': '否',
  '1': '香港同胞',
  '2': '澳门同胞',
  '3': '台湾同胞',
  '4': '华侨',
  '5': '外籍',
};

export const GUARDIAN_RELATIONS: CodeList = {
  '1': '父亲',
  '2': '母亲',
  '3': '祖父',
  '4': '祖母',
  '5': '外祖父',
  '6': '外祖母',
  '7': '兄姐',
  '9': '其他',
};

// The national K-12 table's fields (DOMAIN.md "The national basic-information table"; its 填报说明).
/** 入学方式: 1x compulsory education, 2x/99 senior high. Two "其他": the compulsory one is named apart. */
export const ENROL_METHODS: CodeList = {
  '11': '就近入学',
  '12': '其他（义务教育）',
  '21': '统一招生考试/普通入学',
  '22': '体育特招',
  '23': '艺术特招',
  '99': '其他',
};

/** 是/否 questions of the table (是否独生子女 …): 1 是, 0 否. */
export const YES_NO: CodeList = { '1': '是', '0': '否' };

/** 是否留守儿童 */
export const LEFT_BEHIND: CodeList = { '0': '非留守儿童', '1': '单亲留守儿童', '2': '双亲留守儿童' };

/** 随班就读 */
export const INCLUSIVE_STUDY: CodeList = {
  '0': '非随班就读',
  '1': '视力残疾随班就读',
  '2': '听力残疾随班就读',
  '3': '智力残疾随班就读',
  '4': '其他残疾随班就读',
};

/** 残疾类型 (the categories of GB/T 26341, 0 for none) */
export const DISABILITY_TYPES: CodeList = {
  '0': '无残疾',
  '1': '视力残疾',
  '2': '听力残疾',
  '3': '言语残疾',
  '4': '肢体残疾',
  '5': '智力残疾',
  '6': '精神残疾',
  '7': '多重残疾',
  '9': '其他残疾',
};

/** 上下学方式 */
export const COMMUTE_MODES: CodeList = {
  '1': '步行',
  '2': '自行车（含电动自行车）',
  '3': '公共交通（含城市公交、农村客运、地铁）',
  '4': '家长自行接送',
  '5': '校车',
  '9': '其他',
};

/**
 * 国籍/地区: ISO 3166-1 alpha-3 codes (the table's "三位字母代码", CHN 中国). The names of the countries
 * and regions families name most; any other three-letter code is accepted as it is (`isNationalityCode`).
 */
export const NATIONALITIES: CodeList = {
  CHN: '中国',
  HKG: '中国香港',
  MAC: '中国澳门',
  TWN: '中国台湾',
  USA: '美国',
  CAN: '加拿大',
  GBR: '英国',
  FRA: '法国',
  DEU: '德国',
  ITA: '意大利',
  ESP: '西班牙',
  RUS: '俄罗斯',
  JPN: '日本',
  KOR: '韩国',
  PRK: '朝鲜',
  MNG: '蒙古',
  KAZ: '哈萨克斯坦',
  VNM: '越南',
  LAO: '老挝',
  MMR: '缅甸',
  THA: '泰国',
  MYS: '马来西亚',
  SGP: '新加坡',
  IDN: '印度尼西亚',
  PHL: '菲律宾',
  IND: '印度',
  PAK: '巴基斯坦',
  AUS: '澳大利亚',
  NZL: '新西兰',
  BRA: '巴西',
};

export function isNationalityCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value);
}

export const STUDENT_STATUSES = {
  enrolled: '在校',
  suspended: '休学',
  withdrawn: '退学',
  transferredOut: '转出',
  graduated: '毕业',
  deceased: '死亡',
  abroad: '出国(境)',
  cancelled: '注销',
} as const;

export type StudentStatus = keyof typeof STUDENT_STATUSES;

/** Statuses that keep a student on the in-school roster (休学 stays on it, YQ). */
export const ON_ROSTER_STATUSES: readonly StudentStatus[] = ['enrolled', 'suspended'];

/** Finds the code for a value given either as a code or as its Chinese name. */
export function codeOf(list: CodeList, value: string): string | undefined {
  const v = value.trim();
  if (v in list) return v;
  // Excel drops leading zeros of two-digit codes ("1" for "01").
  if (/^\d$/.test(v) && `0${v}` in list) return `0${v}`;
  for (const [code, name] of Object.entries(list)) if (name === v) return code;
  // Short forms people type: 汉 for 汉族, 农业 for 农业户口, 健康 for 健康或良好, 预备党员.
  const partial = Object.entries(list).filter(([, name]) => name.startsWith(v) || name.endsWith(v));
  return partial.length === 1 ? partial[0]?.[0] : undefined;
}

export function nameOf(list: CodeList, code: string | undefined): string {
  if (code === undefined || code === '') return '';
  return list[code] ?? code;
}
