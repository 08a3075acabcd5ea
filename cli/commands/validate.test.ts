import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawCell } from '../../shared/import/types';
import { generateStudents } from '../../shared/seed/roster';
import { BROKEN_CASES, brokenSheet } from '../../tests/fixtures/import/broken-rows';
import type { CliIo } from '../io';
import { main } from '../main';
import { writeRosterXlsx } from '../xlsx';

const dir = mkdtempSync(join(tmpdir(), 'xueji-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

/** Writes rows with exceljs keeping each cell's type: numbers become numeric cells, as Excel would. */
async function writeXlsx(name: string, rows: RawCell[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  for (const r of rows) ws.addRow(r);
  const path = join(dir, name);
  await wb.xlsx.writeFile(path);
  return path;
}

describe('xueji validate', () => {
  it('reports "valid": N and no errors on a seeded roster (issue 3 done-means, smaller N)', async () => {
    const path = join(dir, 'seed.xlsx');
    await writeRosterXlsx(path, generateStudents({ count: 2000, seed: 7 }));
    const r = await run(['validate', path, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ rows: 2000, valid: 2000, errors: [], notices: [], sheet: '花名册' });
  });

  it('reports each broken kind with row, column, code and a Chinese message; exit 1', async () => {
    const { rows } = brokenSheet();
    const path = await writeXlsx('broken.xlsx', rows);
    const r = await run(['validate', path, '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as {
      rows: number;
      valid: number;
      errors: { row: number; column: string; code: string; message: string }[];
    };
    expect(Object.keys(json)).toEqual(['rows', 'valid', 'errors', 'notices', 'sheet']);
    expect(json.rows).toBe(40);
    expect(json.valid).toBe(40 - BROKEN_CASES.length - 1);
    BROKEN_CASES.forEach((c, i) => {
      expect(json.errors).toContainEqual({
        row: i + 3,
        column: c.column,
        code: c.code,
        message: expect.stringMatching(/[\u4e00-\u9fff]/),
      });
    });
    for (const e of json.errors) expect(Object.keys(e)).toEqual(['row', 'column', 'code', 'message']);
  });

  it('prints a Chinese table without --json', async () => {
    const path = await writeXlsx('broken2.xlsx', brokenSheet().rows);
    const r = await run(['validate', path]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('数据行 40 行，有效 27 行');
    expect(r.out).toMatch(/行\s+列\s+代码\s+原因/);
    expect(r.out).toMatch(/4\s+身份证件号\s+ID_SCIENTIFIC/);
  });

  it('reads a CSV with BOM and reports the same errors as the workbook', async () => {
    const { rows } = brokenSheet();
    const csv = rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\r\n');
    const path = join(dir, 'broken.csv');
    writeFileSync(path, `\uFEFF${csv}`);
    const r = await run(['validate', path, '--json']);
    expect(r.code).toBe(1);
    const codes = (JSON.parse(r.out).errors as { code: string }[]).map((e) => e.code);
    // in CSV every cell is text: the numeric ID arrives as 18 digits with a wrong check digit (no
    // numeric cells exist in CSV); all other kinds are the same as in the workbook
    expect(codes).toContain('ID_SCIENTIFIC');
    expect(codes).toContain('DUPLICATE_IN_FILE');
  });

  it('reports a missing required column once and exits 1', async () => {
    const { rows } = brokenSheet(5);
    const cut = rows.map((r) => r.slice(1)); // drop 身份证件类型
    const path = await writeXlsx('missing-col.xlsx', cut);
    const r = await run(['validate', path, '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.valid).toBe(0);
    expect(json.errors.filter((e: { code: string }) => e.code === 'COLUMN_MISSING')).toEqual([
      expect.objectContaining({ row: 1, column: '身份证件类型' }),
    ]);
  });

  it.each([
    ['a missing file', 'nope.xlsx', null],
    ['a corrupt .xlsx', 'corrupt.xlsx', 'PK\u0003\u0004 this is not a zip'],
    ['a text file named .xlsx', 'fake.xlsx', 'hello'],
    ['an old .xls', 'old.xls', '\u00d0\u00cf\u0011\u00e0 binary'],
    ['an empty CSV', 'empty.csv', ''],
  ])('exits 2 with a Chinese message, not a stack trace, for %s', async (_n, name, content) => {
    const path = join(dir, name);
    if (content !== null) writeFileSync(path, content, 'latin1');
    const r = await run(['validate', path, '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^无法读取文件：/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
