import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../authority/relation';
import type { OrgDoc } from '../domain/schemas';
import { creditCodeCheckChar } from '../validate/credit-code';
import { decideOrgWrite, type OrgContext, orgIdProblem, validateOrgInput } from './orgs';

/** A valid code (GB 32100): 12/52, the division, an organisation code, the check character. */
const demoCreditCode = (ownership: 'public' | 'private', division: string, serial: number) => {
  const first17 = `${ownership === 'public' ? '12' : '52'}${division}${String(serial).padStart(9, '0')}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};

const province = { id: '41', kind: 'province', name: '河南省教育厅', path: '/41/' } as const;
const county = { id: '410105', kind: 'county', name: '金水区教育局', path: '/41/4101/410105/' } as const;
const school = {
  id: '3441010501',
  kind: 'school',
  parentId: '410105',
  name: '郑州市金水区第一高级中学',
  level: 'senior',
  ownership: 'public',
  schoolingYears: 3,
  creditCode: demoCreditCode('public', '410105', 41609999),
};
const problems = (raw: unknown, parent: OrgContext['parent'] = county, existing?: OrgDoc) => {
  const v = validateOrgInput(raw, { parent, existing });
  return v.ok ? [] : v.problems.map((p) => `${p.field}:${p.code}`);
};

describe('organisations (issue 11)', () => {
  it('accepts a school with every attribute the rules read, and derives its type from its level', () => {
    const v = validateOrgInput(
      {
        ...school,
        provincialModel: true,
        enrolmentZone: '郑州市区东部招生片区',
        head: '王校长',
        address: '郑州市金水区文化路1号',
        campus: { lat: 34.79, lng: 113.66, radiusM: 500, address: '文化路1号' },
        term: { start: '2026-09-01', end: '2027-01-22' },
      },
      { parent: county },
    );
    expect(v.ok).toBe(true);
    if (v.ok)
      expect(v.doc).toMatchObject({
        id: '3441010501',
        parentId: '410105',
        schoolType: 'k12',
        level: 'senior',
        provincialModel: true,
        campus: { lat: 34.79, lng: 113.66, radiusM: 500 },
      });
  });

  it('requires a school’s level, ownership, years and 统一社会信用代码, and checks the code (GB 32100)', () => {
    expect(problems({ id: '3441010501', kind: 'school', name: '某校' })).toEqual([
      'creditCode:REQUIRED',
      'level:REQUIRED',
    ]);
    expect(problems({ ...school, creditCode: '12410105416099990' })).toEqual(['creditCode:CREDIT_LENGTH']);
    expect(problems({ ...school, ownership: undefined, schoolingYears: 4 })).toEqual([
      'ownership:REQUIRED',
      'schoolingYears:SCHOOLING_YEARS',
    ]);
    // lower case and spaces are what people type: normalised, then checked
    const typed = validateOrgInput(
      { ...school, creditCode: ` ${school.creditCode.toLowerCase()} ` },
      { parent: county },
    );
    expect(typed.ok && typed.doc.creditCode).toBe(school.creditCode);
  });

  it('R-TX-4NO: the provincial model school is a 普通高中 attribute; the 学校标识码 category must fit the level', () => {
    expect(problems({ ...school, id: '3141010501', level: 'junior', provincialModel: true })).toEqual([
      'provincialModel:MODEL_LEVEL',
    ]);
    expect(problems({ ...school, id: '3641010501' })).toEqual(['level:LEVEL_CATEGORY']);
  });

  it('ids: 学校标识码 for schools (category + province + sequence), division codes for cities and counties', () => {
    expect(orgIdProblem('3441010501', 'school', '41')).toBeNull();
    expect(orgIdProblem('3442010501', 'school', '41')).toContain('应为 41');
    expect(orgIdProblem('9941010501', 'school', '41')).toContain('学校类别');
    expect(orgIdProblem('S41010501', 'school', '41')).toContain('10 位');
    expect(orgIdProblem('4101', 'city', '41')).toBeNull();
    expect(orgIdProblem('4201', 'city', '41')).toContain('41 开头');
    expect(orgIdProblem('410105', 'county', '41')).toBeNull();
    expect(orgIdProblem('41', 'province', '41')).toContain('xueji admin init');
    const v = validateOrgInput(
      { id: '410105', kind: 'county', parentId: '4101', name: '金水区教育局' },
      {
        parent: { id: '4101', kind: 'city', name: '郑州市教育局', path: '/41/4101/' },
      },
    );
    expect(v.notices).toEqual(['行政区划代码 410105 是“河南省郑州市金水区”']);
  });

  it('the tree: which kind stands under which; a disabled parent takes no new org; a taken id or credit code is refused', () => {
    expect(problems({ ...school, parentId: '41' }, province)).toEqual([]);
    const underSchool = problems(school, { id: 'X', kind: 'school', name: '某校', path: '/41/X/' } as never);
    expect(underSchool).toEqual(['parentId:PARENT_KIND']);
    expect(problems({ id: '410106', kind: 'county', name: '某县' }, county)).toEqual([
      'parentId:PARENT_KIND',
    ]);
    expect(validateOrgInput(school, { parent: { ...county, disabled: true } }).ok).toBe(false);
    const taken = validateOrgInput(school, { parent: county, idTaken: () => true });
    expect(!taken.ok && taken.problems[0]?.code).toBe('ORG_ID_TAKEN');
    const code = validateOrgInput(school, {
      parent: county,
      creditCodeHolder: () => ({ id: 'S41010501', name: '郑州市金水区职业中等专业学校' }),
    });
    expect(!code.ok && code.problems[0]?.message).toContain('已登记给“郑州市金水区职业中等专业学校”');
    const hidden = validateOrgInput(school, { parent: county, creditCodeHolder: () => ({ id: 'SX' }) });
    expect(!hidden.ok && hidden.problems[0]?.message).toBe(
      `统一社会信用代码 ${school.creditCode} 已登记给其他单位，一个代码只属于一个单位`,
    );
  });

  it('an edit keeps id, kind and parent, keeps what it does not name, and clears what it sets to null', () => {
    const stored = {
      ...(validateOrgInput(school, { parent: county }) as unknown as { doc: OrgDoc }).doc,
      path: '/41/4101/410105/3441010501/',
      updatedAt: 'x',
      head: '甲',
    } as OrgDoc;
    expect(problems({ parentId: '410106' }, county, stored)).toEqual(['parentId:FIXED']);
    expect(problems({ kind: 'county' }, county, stored)).toEqual(['kind:FIXED']);
    const v = validateOrgInput({ head: null, enrolmentZone: '东片区' }, { parent: county, existing: stored });
    expect(v.ok && v.doc).toMatchObject({
      level: 'senior',
      enrolmentZone: '东片区',
      creditCode: school.creditCode,
    });
    expect(v.ok && 'head' in v.doc).toBe(false);
    expect(problems({ settings: {} }, county, stored)).toEqual(['settings:UNKNOWN_FIELD']);
  });

  it('a campus: latitude and longitude in China (and said when swapped), a radius of 50–5000 m; a vocational school without one gets a notice', () => {
    expect(problems({ ...school, campus: { lat: 113.6, lng: 34.7, radiusM: 300 } })).toEqual([
      'campus.lat:CAMPUS_LAT',
    ]);
    expect(problems({ ...school, campus: { lat: 34.7, lng: 113.6, radiusM: 20 } })).toEqual([
      'campus.radiusM:CAMPUS_RADIUS',
    ]);
    expect(problems({ ...school, campus: { lat: 34.7, lng: 200, radiusM: 300 } })).toEqual([
      'campus.lng:CAMPUS_LNG',
    ]);
    const v = validateOrgInput({ ...school, id: '3641010501', level: 'vocational' }, { parent: county });
    expect(v.notices.join('')).toContain('未登记校区位置');
    const priv = validateOrgInput(
      { ...school, creditCode: demoCreditCode('private', '410105', 41609998) },
      { parent: county },
    );
    expect(priv.notices.join('')).toContain('民办非企业单位');
  });

  it('who writes orgs: the province cities, counties and schools; a bureau the schools of its area; nobody its own org', () => {
    const u = (role: AuthUser['role'], orgPath: string): AuthUser => ({
      id: 'u',
      role,
      orgPath,
      classIds: [],
    });
    const at = (path: string, kind: OrgDoc['kind']) => ({ kind, path });
    expect(decideOrgWrite(u('province', '/41/'), 'create', at('/41/4104/', 'city')).allow).toBe(true);
    expect(decideOrgWrite(u('bureau', '/41/4101/'), 'create', at('/41/4101/410199/', 'county')).allow).toBe(
      false,
    );
    expect(
      decideOrgWrite(u('bureau', '/41/4101/'), 'create', at('/41/4101/410105/3441010501/', 'school')).allow,
    ).toBe(true);
    expect(
      decideOrgWrite(u('bureau', '/41/4101/410105/'), 'update', at('/41/4101/410122/S1/', 'school')).code,
    ).toBe('OUT_OF_SCOPE');
    expect(
      decideOrgWrite(u('bureau', '/41/4101/410105/'), 'update', at('/41/4101/410105/', 'county')).allow,
    ).toBe(false);
    for (const role of ['schoolAdmin', 'counselor', 'inspector'] as const)
      expect(
        decideOrgWrite(u(role, '/41/4101/410105/S1/'), 'update', at('/41/4101/410105/S1/', 'school')).allow,
      ).toBe(false);
  });
});
