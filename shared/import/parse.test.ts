import { describe, expect, it } from 'vitest';
import { BROKEN_CASES, brokenSheet } from '../../tests/fixtures/import/broken-rows';
import { studentToTemplateRow, TEMPLATE_HEADERS } from '../domain/template';
import { generateStudents } from '../seed/roster';
import { parseRosterSheet, summarize } from './parse';
import { csvRows, decodeCsv } from './read';
import type { RawCell } from './types';

const students = generateStudents({ count: 300, seed: 3 });
const sheetOf = (list = students): RawCell[][] => [[...TEMPLATE_HEADERS], ...list.map(studentToTemplateRow)];

describe('roster import, steps 1–2 (parse and validate)', () => {
  it('accepts a seeded roster in the template: every row valid, records equal the students', () => {
    const sheet = parseRosterSheet(sheetOf());
    expect(summarize(sheet)).toEqual({ rows: 300, valid: 300, errors: [] });
    const s = students[5];
    const rec = sheet.rows[5]?.record;
    expect(rec?.idNo).toBe(s?.idNo);
    expect(rec?.ethnicity).toBe(s?.ethnicity);
    expect(rec?.schoolingYears).toBe(3);
    expect(rec?.members?.[0]).toEqual(s?.guardians[0]);
    expect(rec?.members?.[1]).toEqual(s?.guardians[1]);
    expect(sheet.rows[0]?.row).toBe(2);
  });

  it('takes columns in any order and codes or Chinese names', () => {
    const order = [...TEMPLATE_HEADERS].reverse();
    const s = students[0];
    if (!s) throw new Error('no student');
    const byHeader = new Map(TEMPLATE_HEADERS.map((h, i) => [h, studentToTemplateRow(s)[i] ?? '']));
    byHeader.set('民族', s.ethnicity); // code instead of name
    byHeader.set('性别', s.gender);
    const rows: RawCell[][] = [order, order.map((h) => byHeader.get(h) ?? '')];
    const sheet = parseRosterSheet(rows);
    expect(sheet.rows[0]?.errors).toEqual([]);
    expect(sheet.rows[0]?.record?.gender).toBe(s.gender);
  });

  it('finds the header below a title row and reports unknown columns once', () => {
    const rows = sheetOf(students.slice(0, 3));
    rows[0] = [...(rows[0] ?? []), '备注'];
    const sheet = parseRosterSheet([['某某学校 2026 年花名册'], ...rows]);
    expect(sheet.headerRow).toBe(2);
    expect(sheet.rows[0]?.row).toBe(3);
    expect(sheet.fileErrors).toEqual([
      expect.objectContaining({ row: 2, column: '备注', code: 'COLUMN_UNKNOWN' }),
    ]);
    expect(summarize(sheet).valid).toBe(3);
  });

  it('reports a missing required column once for the file and imports no row', () => {
    const rows = sheetOf(students.slice(0, 5)).map((r) => r.filter((_, i) => TEMPLATE_HEADERS[i] !== '民族'));
    const sheet = parseRosterSheet(rows);
    expect(sheet.blocked).toBe(true);
    const s = summarize(sheet);
    expect(s.valid).toBe(0);
    expect(s.errors).toEqual([expect.objectContaining({ row: 1, column: '民族', code: 'COLUMN_MISSING' })]);
  });

  it.each(BROKEN_CASES.map((c, i) => [c.name, c, i] as const))(
    'reports %s on its row and column with a Chinese message',
    (_name, c, i) => {
      const { rows } = brokenSheet();
      const sheet = parseRosterSheet(rows);
      const row = i + 3; // header is row 1, the first (valid) student row 2
      const errors = sheet.rows.find((r) => r.row === row)?.errors ?? [];
      expect(errors).toContainEqual(expect.objectContaining({ row, column: c.column, code: c.code }));
      for (const e of errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
      expect(sheet.rows.find((r) => r.row === row)?.record).toBeNull();
    },
  );

  it('R-ONE: a duplicate ID inside the file marks every occurrence', () => {
    const { rows } = brokenSheet();
    const sheet = parseRosterSheet(rows);
    const dupRow = BROKEN_CASES.findIndex((c) => c.code === 'DUPLICATE_IN_FILE') + 3;
    const first = sheet.rows.find((r) => r.row === 2);
    expect(first?.errors[0]?.code).toBe('DUPLICATE_IN_FILE');
    expect(first?.errors[0]?.message).toContain(`第 ${dupRow} 行`);
    expect(first?.errors[0]?.message).toContain('R-ONE');
    // the other 40 − 12 − 1 rows stay valid
    expect(summarize(sheet).valid).toBe(40 - BROKEN_CASES.length - 1);
  });

  it('never repairs a numeric ID cell, even one that still shows 18 digits', () => {
    const rows = sheetOf(students.slice(0, 1));
    const r = rows[1] as RawCell[];
    r[TEMPLATE_HEADERS.indexOf('身份证件号')] = 410105200901011000;
    const e = parseRosterSheet(rows).rows[0]?.errors[0];
    expect(e?.code).toBe('ID_NUMERIC_CELL');
    expect(e?.message).toContain('4.1E+17');
  });

  it('accepts dates as YYYY/MM/DD, YYYYMMDD and real Excel dates', () => {
    const list = students.slice(0, 3);
    const rows = sheetOf(list);
    const col = TEMPLATE_HEADERS.indexOf('出生日期');
    (rows[1] as RawCell[])[col] = list[0]?.birthDate.replaceAll('-', '/') ?? '';
    (rows[2] as RawCell[])[col] = list[1]?.birthDate.replaceAll('-', '') ?? '';
    (rows[3] as RawCell[])[col] = new Date(`${list[2]?.birthDate}T00:00:00Z`);
    const sheet = parseRosterSheet(rows);
    expect(sheet.rows.map((r) => r.record?.birthDate)).toEqual(list.map((s) => s.birthDate));
  });

  it('reads phone numbers and 入学年月 from numeric cells without loss', () => {
    const rows = sheetOf(students.slice(0, 1));
    const r = rows[1] as RawCell[];
    r[TEMPLATE_HEADERS.indexOf('联系电话')] = 13812345678;
    r[TEMPLATE_HEADERS.indexOf('入学年月')] = 202609;
    const rec = parseRosterSheet(rows).rows[0]?.record;
    expect(rec?.phone).toBe('13812345678');
    expect(rec?.enrolYearMonth).toBe('202609');
  });
});

describe('CSV reading', () => {
  const text = `${TEMPLATE_HEADERS.join(',')}\n${studentToTemplateRow(students[0] as never).join(',')}\n`;

  it('reads UTF-8 with and without BOM', () => {
    const plain = new TextEncoder().encode(text);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    expect(decodeCsv(plain).encoding).toBe('UTF-8');
    expect(decodeCsv(bom).encoding).toBe('UTF-8 (BOM)');
    const sheet = parseRosterSheet(csvRows(bom).rows);
    expect(summarize(sheet)).toEqual({ rows: 1, valid: 1, errors: [] });
  });

  it('reads a GBK file (as Excel on Chinese Windows saves CSV) and says so', () => {
    // "姓名" in GBK is C3 FB C3 FB? No: 姓 = D0D5, 名 = C3FB.
    const gbk = new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd]);
    const { text: decoded, encoding } = decodeCsv(gbk);
    expect(encoding).toBe('GBK/GB18030');
    expect(decoded).toBe('姓名\n张三');
  });

  it('keeps 4.1E+17 in a CSV as text and reports it', () => {
    const row = studentToTemplateRow(students[1] as never);
    row[TEMPLATE_HEADERS.indexOf('身份证件号')] = '4.10105E+17';
    const csv = new TextEncoder().encode(`${TEMPLATE_HEADERS.join(',')}\n${row.join(',')}\n`);
    const sheet = parseRosterSheet(csvRows(csv).rows);
    expect(sheet.rows[0]?.errors[0]).toMatchObject({ row: 2, column: '身份证件号', code: 'ID_SCIENTIFIC' });
  });
});
