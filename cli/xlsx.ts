// Roster workbooks on the Node side of the CLI: written with exceljs, read with SheetJS (@e965/xlsx).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import type { Student } from '../shared/domain/student';
import { studentToTemplateRow, TEMPLATE_COLUMNS, TEMPLATE_HEADERS } from '../shared/domain/template';
import {
  csvRows,
  parsedWorkbookProblem,
  type RosterFileContent,
  type SheetJsWorkbook,
  sheetJsSheets,
  UnreadableFileError,
  workbookFormat,
  workbookProblem,
  workbookReadFailure,
} from '../shared/import/read';

/** Writes students in the national template; every cell is text so IDs never become numbers. */
export async function writeRosterXlsx(
  path: string,
  students: readonly Student[],
  sheetName = '花名册',
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = TEMPLATE_COLUMNS.map((c) => ({
    header: c.header,
    key: c.header,
    width: c.kind === 'idNo' || c.header === '学籍号' ? 22 : /住址|地址|所在地/.test(c.header) ? 36 : 12,
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const s of students) sheet.addRow(studentToTemplateRow(s)).commit();
  sheet.commit();
  await workbook.commit();
}

export { TEMPLATE_HEADERS };

/**
 * Reads a roster file (.xlsx, .xls, .ods or .csv) for parseRosterFile: workbooks with SheetJS, CSV with
 * papaparse. Throws UnreadableFileError with a Chinese message when the file itself cannot be read.
 */
export async function readRosterFile(path: string): Promise<RosterFileContent> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnreadableFileError(
      code === 'ENOENT'
        ? `找不到文件：${path}`
        : code === 'EISDIR'
          ? `${path} 是文件夹，不是花名册文件`
          : `无法读取文件 ${path}（${code ?? '未知错误'}）`,
    );
  }
  const name = basename(path);
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    const { rows, encoding } = csvRows(bytes);
    return { format: encoding, sheets: [{ name, rows }] };
  }
  const problem = workbookProblem(name, bytes);
  if (problem) throw new UnreadableFileError(problem);
  return readWorkbook(name, bytes);
}

/** A workbook's bytes through SheetJS (the same call the renderer makes). */
export function readWorkbook(name: string, bytes: Uint8Array): RosterFileContent {
  let workbook: XLSX.WorkBook;
  try {
    workbook = quietly(() =>
      XLSX.read(bytes, { type: 'array', dense: true, cellNF: true, cellText: false, cellDates: false }),
    );
  } catch (error) {
    throw new UnreadableFileError(workbookReadFailure(name, error));
  }
  const format = workbookFormat(name, workbook.bookType);
  const damaged = parsedWorkbookProblem(name, bytes, workbook);
  if (damaged) throw new UnreadableFileError(damaged);
  const sheets = sheetJsSheets(workbook as unknown as SheetJsWorkbook, (f) => XLSX.SSF.is_date(f));
  if (sheets.length === 0) throw new UnreadableFileError(`“${name}”中没有工作表`);
  return { format, sheets };
}

/**
 * SheetJS writes notes about LibreOffice's conditional number formats to console.error while it reads
 * an .ods ("ODS number format may be incorrect"); they do not change a value, and the CLI's stderr is
 * for the user's messages, so those lines are held back while the reader runs.
 */
export function quietly<T>(read: () => T): T {
  const original = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('ODS number format')) return;
    original(...args);
  };
  try {
    return read();
  } finally {
    console.error = original;
  }
}
