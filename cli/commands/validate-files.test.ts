// `xueji validate` and the import's reading on the committed files of tests/fixtures/import, made with
// LibreOffice and exceljs as their README says (issue 9 "Import and the CLI, against real files").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Student } from '../../shared/domain/student';
import { TEMPLATE_COLUMNS, templateStoredValue } from '../../shared/domain/template';
import { parseRosterFile } from '../../shared/import/parse';
import { buildPreview } from '../../shared/import/preview';
import type { ImportRecord, ParsedSheet } from '../../shared/import/types';
import { generateStudents } from '../../shared/seed/roster';
import { FIXTURE_SEEDS, FIXTURE_TODAY } from '../../tests/fixtures/import/fixture-seeds';
import type { CliIo } from '../io';
import { main } from '../main';
import { readRosterFile } from '../xlsx';

const DIR = join(import.meta.dirname, '../../tests/fixtures/import');
const fixture = (name: string) => join(DIR, name);

async function parse(name: string): Promise<ParsedSheet> {
  return parseRosterFile(await readRosterFile(fixture(name)), { today: FIXTURE_TODAY });
}

async function validate(name: string): Promise<{ code: number; json: ValidateJson; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) };
  const code = await main(['validate', fixture(name), '--json', '--today', FIXTURE_TODAY], io);
  return { code, json: out ? (JSON.parse(out) as ValidateJson) : ({} as ValidateJson), err };
}

type ValidateJson = {
  rows: number;
  valid: number;
  errors: { row: number; column: string; code: string; message: string }[];
  notices: { row: number; code: string; message: string }[];
  sheet?: string;
};

/** The value a record gives a template column, '' when the row left it empty. */
function recordValue(record: ImportRecord, column: (typeof TEMPLATE_COLUMNS)[number]): string {
  const v = column.member
    ? record.members?.[column.member.index]?.[column.member.field]
    : (record as Record<string, unknown>)[column.field];
  return v === undefined || v === null ? '' : String(v);
}

/** Every template column of every row equals the seeded student it was made from. */
function expectRecordsEqual(sheet: ParsedSheet, students: readonly Student[]) {
  expect(sheet.rows).toHaveLength(students.length);
  sheet.rows.forEach((row, i) => {
    const s = students[i] as Student;
    expect(row.errors, `row ${row.row}`).toEqual([]);
    const record = row.record as ImportRecord;
    for (const column of TEMPLATE_COLUMNS)
      expect(recordValue(record, column), `row ${row.row} ${column.header}`).toBe(
        templateStoredValue(s, column),
      );
  });
}

describe('real office files (LibreOffice .xls/.ods, 1904 dates, two-level headers, variants …)', () => {
  const roster = generateStudents(FIXTURE_SEEDS.roster);

  it.each(['seed-roster.xls', 'seed-roster.ods'])(
    '%s, a seeded roster saved by LibreOffice, validates with every field equal to the seed',
    async (name) => {
      const r = await validate(name);
      expect(r.code).toBe(0);
      expect(r.json).toMatchObject({ rows: 60, valid: 60, errors: [], sheet: '花名册' });
      const sheet = await parse(name);
      expect(sheet.encoding).toBe(name.endsWith('.xls') ? 'xls' : 'ods');
      expectRecordsEqual(sheet, roster);
      // and the import sees the same students: every row unchanged against the seeded roster
      const preview = buildPreview(sheet, roster, {
        schoolId: roster[0]?.schoolId ?? '',
        today: FIXTURE_TODAY,
      });
      expect(preview.counts).toMatchObject({ unchanged: 60, invalid: 0 });
    },
  );

  it.each(['typed-cells.xlsx', 'typed-cells.xls', 'typed-cells.ods'])(
    '%s: a numeric ID cell and an ID shown as 4.1E+17 are errors, real dates and numeric phones are read',
    async (name) => {
      const r = await validate(name);
      expect(r.code).toBe(1);
      expect(r.json.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [2, '身份证件号', 'ID_NUMERIC_CELL'],
        [3, '身份证件号', 'ID_SCIENTIFIC'],
      ]);
      const students = generateStudents(FIXTURE_SEEDS.typed);
      const sheet = await parse(name);
      for (const [i, row] of sheet.rows.entries()) {
        if (i < 2) continue;
        expect(row.record?.birthDate).toBe(students[i]?.birthDate);
        expect(row.record?.phone).toBe(students[i]?.phone);
        expect(row.record?.enrolYearMonth).toBe(students[i]?.enrolYearMonth);
      }
    },
  );

  it('date1904.xlsx: dates of a 1904-system workbook are read in that system (not 4 years and a day early)', async () => {
    const students = generateStudents(FIXTURE_SEEDS.date1904);
    const sheet = await parse('date1904.xlsx');
    expect(sheet.rows.map((r) => r.record?.birthDate)).toEqual(students.map((s) => s.birthDate));
    expect((await validate('date1904.xlsx')).code).toBe(0);
  });

  it.each(['two-level-header.xlsx', 'two-level-header.xls'])(
    '%s: 监护人 / 家庭成员2 merged over 姓名, 关系, 联系电话, 身份证件号 are read as the two members',
    async (name) => {
      const students = generateStudents(FIXTURE_SEEDS.twoLevel);
      const sheet = await parse(name);
      expect(sheet.headerRows).toBe(2);
      expect(sheet.fileErrors).toEqual([]);
      sheet.rows.forEach((row, i) => {
        const s = students[i] as Student;
        expect(row.row).toBe(i + 3);
        for (const k of [0, 1]) {
          const g = s.guardians[k];
          const m = row.record?.members?.[k];
          if (!g) expect(m).toBeUndefined();
          else expect(m).toEqual({ name: g.name, relation: g.relation, phone: g.phone, idNo: g.idNo });
        }
      });
      expect((await validate(name)).code).toBe(0);
    },
  );

  it('two-level-unknown.xlsx: a member group over a column the template lacks is refused, saying so', async () => {
    const r = await validate('two-level-unknown.xlsx');
    expect(r.code).toBe(1);
    expect(r.json.valid).toBe(0);
    expect(r.json.errors).toEqual([
      expect.objectContaining({
        row: 1,
        code: 'TWO_LEVEL_HEADER',
        message: expect.stringContaining('两级表头'),
      }),
    ]);
    expect(r.json.errors[0]?.message).toContain('“监护人”下的“微信号”');
  });

  it('header-variants.xlsx: *身份证件号(18位), 姓名*, notes in （） and (), line breaks, 监护人姓名 … are recognised', async () => {
    const sheet = await parse('header-variants.xlsx');
    expect(sheet.fileErrors).toEqual([]);
    expect(sheet.headers).toContain('*身份证件号(18位)');
    expect(sheet.headers).toContain('班级\n(必填)');
    expectRecordsEqual(sheet, generateStudents(FIXTURE_SEEDS.variants));
  });

  it('instructions-first.xls: the sheet whose header matches is read (not 填表说明), and the notice says which', async () => {
    const r = await validate('instructions-first.xls');
    expect(r.code).toBe(0);
    expect(r.json.sheet).toBe('学生信息');
    expect(r.json.notices).toEqual([
      expect.objectContaining({
        code: 'SHEET_CHOSEN',
        message: expect.stringContaining('读取了工作表“学生信息”'),
      }),
    ]);
    expect(r.json.notices[0]?.message).toContain('“填表说明”');
    expectRecordsEqual(await parse('instructions-first.xls'), generateStudents(FIXTURE_SEEDS.instructions));
  });

  it('footer-rows.xlsx: 制表人/审核人/日期/盖章 rows under the table are skipped with a notice, not reported as students', async () => {
    const r = await validate('footer-rows.xlsx');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ rows: 12, valid: 12, errors: [] });
    expect(r.json.notices.map((n) => [n.row, n.code])).toEqual([
      [16, 'FOOTER_SKIPPED'],
      [17, 'FOOTER_SKIPPED'],
      [18, 'FOOTER_SKIPPED'],
    ]);
    expect(r.json.notices[0]?.message).toContain('制表人：张老师');
  });

  it('gbk-question-mark.csv: "?" left by a GBK save in a name is refused, explaining the cause and the fix', async () => {
    const r = await validate('gbk-question-mark.csv');
    expect(r.code).toBe(1);
    expect(r.json.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '姓名', 'NAME_ENCODING'],
      [3, '姓名', 'NAME_ENCODING'],
      [4, '家庭成员1姓名', 'NAME_ENCODING'],
    ]);
    for (const e of r.json.errors) {
      expect(e.message).toContain('GBK');
      expect(e.message).toContain('CSV UTF-8');
      expect(e.message).toContain('.xlsx');
    }
  });

  it('birth-dates.xlsx: a birth date in the future and ages no student has are refused', async () => {
    const r = await validate('birth-dates.xlsx');
    expect(r.json.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '出生日期', 'BIRTH_FUTURE'],
      [3, '出生日期', 'BIRTH_AGE'],
      [4, '出生日期', 'BIRTH_AGE'],
    ]);
    expect(r.json.errors[0]?.message).toContain('晚于今天（2026-11-23）');
    expect(r.json.errors[1]?.message).toContain('80 岁');
  });

  it('row-errors.xlsx: every error of a row, the duplicate ID included; a 校内学号 twice in the file', async () => {
    const r = await validate('row-errors.xlsx');
    const of = (row: number) =>
      r.json.errors.filter((e) => e.row === row).map((e) => `${e.column}:${e.code}`);
    expect(of(5).sort()).toEqual(
      [
        '民族:CODE_UNKNOWN',
        '联系电话:PHONE_FORMAT',
        '身份证件号:DUPLICATE_IN_FILE',
        '学籍号:DUPLICATE_IN_FILE',
      ].sort(),
    );
    expect(of(2).sort()).toEqual(['身份证件号:DUPLICATE_IN_FILE', '学籍号:DUPLICATE_IN_FILE'].sort());
    expect(of(6)).toEqual(['校内学号:DUPLICATE_IN_FILE']);
    expect(of(7)).toEqual(['校内学号:DUPLICATE_IN_FILE']);
    expect(r.json.errors.find((e) => e.row === 6)?.message).toContain('第 7 行');
  });
});
