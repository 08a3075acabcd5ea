// The order of grades and classes as a registrar reads them: 七年级, 八年级, 九年级 (not by pinyin, ba-jiu-qi,
// nor by code point, 七-九-八); 高一 after 初三; 2024级 before 2025级; (2)班 before (10)班. Every list of
// grades or classes (roster filters, the archive's class list, batch printing, export) sorts with these.

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** A Chinese numeral up to 99 (一, 十, 十二, 二十三) or Arabic digits; NaN when it is neither. */
export function chineseNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return Number.NaN;
  const [, tens, ten, ones] = m;
  if (!ten) return tens && !ones ? (DIGITS[tens] as number) : Number.NaN;
  return (tens ? (DIGITS[tens] as number) : 1) * 10 + (ones ? (DIGITS[ones] as number) : 0);
}

const UNKNOWN = 1_000_000;

/**
 * The rank of a grade: the year of schooling for K-12 (一年级 1 … 初一/七年级 7 … 高一 10 … 高三 12),
 * the enrolment year for vocational grades (2024级 → 2024), UNKNOWN for anything else.
 */
export function gradeRank(grade: string): number {
  const g = grade.replace(/\s+/g, '');
  const cohort = /^(\d{4})级?$/.exec(g) ?? /^(\d{4})(?:年)?(?:级|届)/.exec(g);
  if (cohort) return Number(cohort[1]);
  const stage = /^(小学|初中|高中|初|高)?([一二两三四五六七八九十\d]+)(?:年级)?$/.exec(g);
  if (stage) {
    const n = chineseNumber(stage[2] as string);
    if (!Number.isNaN(n)) {
      const prefix = stage[1];
      if (prefix === '初' || prefix === '初中') return 6 + n;
      if (prefix === '高' || prefix === '高中') return 9 + n;
      return n;
    }
  }
  return UNKNOWN;
}

/** Digit runs padded, so "(2)班" sorts before "(10)班" in a plain string comparison. */
const padDigits = (text: string) => text.replace(/\d+/g, (d) => d.padStart(8, '0'));

/** A string that sorts grades in their order with a plain comparison (fast for 20,000 rows). */
export function gradeSortKey(grade: string): string {
  return `${String(gradeRank(grade)).padStart(7, '0')}\u0001${padDigits(grade)}`;
}

/** A string that sorts the classes of a grade naturally ("七年级(2)班" < "七年级(10)班"). */
export function classSortKey(classId: string): string {
  return padDigits(classId);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareGrades(a: string, b: string): number {
  return cmp(gradeSortKey(a), gradeSortKey(b));
}

export function compareClasses(a: string, b: string): number {
  return cmp(classSortKey(a), classSortKey(b));
}

/** Grade first, then class: the order of classes across grades. */
export function compareGradeClass(
  a: { grade: string; classId: string },
  b: { grade: string; classId: string },
): number {
  return compareGrades(a.grade, b.grade) || compareClasses(a.classId, b.classId);
}
