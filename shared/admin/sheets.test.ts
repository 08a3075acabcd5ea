import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../authority/relation';
import type { OrgDoc } from '../domain/schemas';
import { errorReportTable } from '../import/report';
import type { RawCell } from '../import/types';
import {
  accountSheetTemplate,
  asParsedSheet,
  orgSheetTemplate,
  parseAccountSheet,
  parseOrgSheet,
  previewAccountSheet,
  previewOrgSheet,
} from './sheets';

const file = (rows: RawCell[][], extra: { name: string; rows: RawCell[][] }[] = []) => ({
  format: 'xlsx',
  sheets: [...extra, { name: '单位', rows }],
});
const ORGS: OrgDoc[] = [
  { id: '41', kind: 'province', name: '河南省教育厅', path: '/41/', updatedAt: 'x' },
  { id: '4101', kind: 'city', name: '郑州市教育局', parentId: '41', path: '/41/4101/', updatedAt: 'x' },
  {
    id: '410105',
    kind: 'county',
    name: '金水区教育局',
    parentId: '4101',
    path: '/41/4101/410105/',
    updatedAt: 'x',
  },
  {
    id: 'S41010501',
    kind: 'school',
    name: '郑州市金水区职业中等专业学校',
    parentId: '410105',
    path: '/41/4101/410105/S41010501/',
    level: 'vocational',
    schoolType: 'vocational',
    ownership: 'public',
    schoolingYears: 3,
    creditCode: '12100000400000624D',
    campus: { lat: 34.79, lng: 113.66, radiusM: 400 },
    updatedAt: 'x',
  },
];
const province: AuthUser = { id: 'p', role: 'province', orgPath: '/41/', classIds: [] };
const county: AuthUser = { id: 'c', role: 'bureau', orgPath: '/41/4101/410105/', classIds: [] };
const template = orgSheetTemplate();

describe('a sheet of organisations (单位表)', () => {
  it('reads the template below a title and beside an instructions sheet; the example rows import', () => {
    const sheet = parseOrgSheet(
      file(
        [['2026年学校名单'], template.headers, ...template.rows],
        [{ name: '填表说明', rows: [['说明：每行一个单位']] }],
      ),
    );
    expect(sheet.headerRow).toBe(2);
    expect(sheet.notices[0]?.message).toContain('读取了工作表“单位”');
    const preview = previewOrgSheet(sheet, ORGS, province);
    expect(preview.counts).toEqual({ new: 1, changed: 1, unchanged: 0, invalid: 0 });
    const changed = preview.rows.find((r) => r.kind === 'changed');
    expect(changed?.kind === 'changed' && changed.changes.map((c) => c.label)).toEqual(['地址']);
  });

  it('names every error of a row by its column, and the error report re-imports as it is', () => {
    const rows: RawCell[][] = [
      [
        '学校标识码',
        '学校名称',
        '上级单位代码',
        '学段',
        '办学性质',
        '学制',
        '统一社会信用代码',
        '省级示范校',
        '纬度',
        '经度',
        '半径',
      ],
      ['3441010502', '某高中', '410105', '普通高中', '公办', '3', '12100000400000625D', '否', '', '', ''],
      ['3141010503', '某初中', '410105', '初中', '公立', '三年', '12440300455752807L', '是', '', '', ''],
      [
        '3641010504',
        '某职校',
        '410105',
        '中职',
        '公办',
        '3',
        '1210000042500615X0',
        '',
        '113.6',
        '34.7',
        '300',
      ],
      ['3641010505', '某职校二', '410199', '中职', '公办', '3', '1210000042500615X0', '', '', '', ''],
    ];
    const preview = previewOrgSheet(parseOrgSheet(file(rows)), ORGS, county);
    expect(preview.counts).toMatchObject({ new: 0, invalid: 4 });
    expect(preview.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '2:统一社会信用代码:CREDIT_CHECK',
      '3:办学性质:OWNERSHIP',
      '3:学制:NUMBER',
      '4:纬度:CAMPUS_LAT',
      '5:上级单位代码:NOT_FOUND',
    ]);
    const report = errorReportTable(asParsedSheet(preview.sheet), preview.errors);
    expect(report.headers.slice(-2)).toEqual(['原行号', '错误说明']);
    expect(report.rows).toHaveLength(4);
    expect(report.rows[0]?.at(-1)).toContain('「统一社会信用代码」统一社会信用代码的校验码');
    // The report's two extra columns are read back without complaint.
    expect(parseOrgSheet(file([report.headers, ...report.rows])).fileErrors).toEqual([]);
  });

  it('a county creates schools of its area only; a parent created by an earlier row counts; a repeated id is refused', () => {
    const rows: RawCell[][] = [
      ['单位代码', '单位类别', '上级单位代码', '单位名称', '统一社会信用代码', '学段', '办学性质', '学制'],
      ['410106', '县（区）教育局', '4101', '新县教育局', '', '', '', ''],
      ['3441010601', '学校', '410106', '新县一中', '12440300455752807L', '普通高中', '公办', '3'],
      ['3441010601', '学校', '410106', '新县一中', '12440300455752807L', '普通高中', '公办', '3'],
    ];
    const byProvince = previewOrgSheet(parseOrgSheet(file(rows)), ORGS, province);
    expect(byProvince.rows.map((r) => r.kind)).toEqual(['new', 'new', 'invalid']);
    const byCounty = previewOrgSheet(parseOrgSheet(file(rows)), ORGS, county);
    expect(byCounty.rows.map((r) => r.kind)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(byCounty.errors[0]?.message).toContain('不在您的管辖范围内');
  });

  it('a missing required column blocks the file, naming it', () => {
    const preview = previewOrgSheet(parseOrgSheet(file([['单位名称'], ['某校']])), ORGS, province);
    expect(preview.sheet.blocked).toBe(true);
    expect(preview.errors[0]).toMatchObject({ code: 'COLUMN_MISSING', column: '单位代码' });
  });
});

describe('a sheet of accounts (账号表)', () => {
  it('reads roles by their Chinese names and lists separated by 、; the level rule and the validation apply per row', () => {
    const t = accountSheetTemplate();
    const rows: RawCell[][] = [
      t.headers,
      ...t.rows,
      ['s41010501.li', '李老师', '学校学籍管理员', 'S41010501', '', '', ''],
      ['bad name', '某', '班主任', 'S41010501', '1班', '', ''],
      ['x.y', '某', '校长', 'S41010501', '', '', ''],
    ];
    const sheet = parseAccountSheet(file(rows));
    expect(sheet.rows[0]?.input).toMatchObject({ role: 'counselor', classIds: ['数控2401班', '数控2402班'] });
    const preview = previewAccountSheet(sheet, ORGS, county);
    expect(preview.rows.map((r) => r.kind)).toEqual(['new', 'invalid', 'new', 'invalid', 'invalid']);
    expect(preview.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '3:所属单位代码:OUT_OF_SCOPE',
      '5:用户名:USERNAME',
      '6:角色:ROLE',
    ]);
    const school: AuthUser = {
      id: 'a',
      role: 'schoolAdmin',
      orgPath: '/41/4101/410105/S41010501/',
      classIds: [],
    };
    const bySchool = previewAccountSheet(sheet, ORGS, school);
    expect(bySchool.rows.map((r) => r.kind)).toEqual(['new', 'invalid', 'invalid', 'invalid', 'invalid']);
    expect(bySchool.errors.find((e) => e.row === 4)?.code).toBe('LEVEL');
  });
});
