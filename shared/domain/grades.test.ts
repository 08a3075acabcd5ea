import { describe, expect, it } from 'vitest';
import { chineseNumber, classSortKey, compareClasses, compareGrades, gradeRank } from './grades';

describe('grade and class order', () => {
  it('reads Chinese numerals', () => {
    expect(['一', '七', '十', '十二', '二十三', '12', ''].map(chineseNumber)).toEqual([
      1,
      7,
      10,
      12,
      23,
      12,
      Number.NaN,
    ]);
  });

  it('K-12 grades sort by year of schooling: 七, 八, 九 — not by pinyin (八, 九, 七) or code point', () => {
    expect(['九年级', '七年级', '八年级'].sort(compareGrades)).toEqual(['七年级', '八年级', '九年级']);
    expect(['高一', '初三', '一年级', '六年级', '高三', '初一'].sort(compareGrades)).toEqual([
      '一年级',
      '六年级',
      '初一',
      '初三',
      '高一',
      '高三',
    ]);
    expect(gradeRank('七年级')).toBe(gradeRank('初一'));
  });

  it('vocational cohorts sort by enrolment year; unknown grades last', () => {
    expect(['2025级', '其他', '2023级', '2024级'].sort(compareGrades)).toEqual([
      '2023级',
      '2024级',
      '2025级',
      '其他',
    ]);
  });

  it('classes sort naturally: (2)班 before (10)班', () => {
    expect(['七年级(10)班', '七年级(2)班', '七年级(1)班'].sort(compareClasses)).toEqual([
      '七年级(1)班',
      '七年级(2)班',
      '七年级(10)班',
    ]);
    expect(['数控2410班', '数控249班'].sort(compareClasses)).toEqual(['数控249班', '数控2410班']);
    expect(classSortKey('计算机2501班') < classSortKey('计算机2502班')).toBe(true);
  });
});
