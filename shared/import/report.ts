// Step 5 of the roster import and the export: the error report (the original rows plus an error column,
// to fix and re-import) and the template export. Sheets are built into an exceljs Workbook the caller
// owns, so the CLI (Node) and the renderer (browser build of exceljs) write the same file.
import type { Workbook } from 'exceljs';
import type { Student } from '../domain/student';
import { studentToTemplateRow, TEMPLATE_HEADERS } from '../domain/template';
import { describeError, ERROR_COLUMN, SOURCE_ROW_COLUMN } from './parse';
import type { ImportPreview } from './preview';
import type { ImportError, ParsedSheet } from './types';

export { ERROR_COLUMN, SOURCE_ROW_COLUMN };

export type SheetTable = { headers: string[]; rows: string[][] };

/**
 * The invalid rows with their original cells (file column order) and, last, the reasons. The header
 * row is the file's own, so the fixed file imports as it is (the two extra columns are ignored with
 * a notice).
 */
export function errorReportTable(sheet: ParsedSheet, errors: readonly ImportError[]): SheetTable {
  const byRow = new Map<number, ImportError[]>();
  for (const e of errors) {
    if (e.row === sheet.headerRow && e.code.startsWith('COLUMN_')) continue;
    const list = byRow.get(e.row);
    if (list) list.push(e);
    else byRow.set(e.row, [e]);
  }
  const width = sheet.headers.length;
  const rows: string[][] = [];
  for (const r of sheet.rows) {
    const list = byRow.get(r.row);
    if (!list && !sheet.blocked) continue;
    const cells = Array.from({ length: width }, (_, i) => r.cells[i] ?? '');
    const text = list ? list.map((e) => `「${e.column}」${e.message}`).join('；') : '文件缺少必填列';
    rows.push([...cells, String(r.row), text]);
  }
  return { headers: [...sheet.headers, SOURCE_ROW_COLUMN, ERROR_COLUMN], rows };
}

export function previewErrorReport(preview: ImportPreview): SheetTable {
  return errorReportTable(preview.sheet, preview.errors);
}

/** File-level problems (missing/unknown columns) for a second sheet of the report. */
export function fileProblemsTable(errors: readonly ImportError[]): SheetTable {
  return {
    headers: ['行', '列', '代码', '说明'],
    rows: errors.map((e) => [String(e.row), e.column, e.code, describeError(e)]),
  };
}

/** The export in the national template, in TEMPLATE_COLUMNS order. */
export function exportTable(students: Iterable<Student>): SheetTable {
  const rows: string[][] = [];
  for (const s of students) rows.push(studentToTemplateRow(s));
  return { headers: [...TEMPLATE_HEADERS], rows };
}

const WIDE: Record<string, number> = { 身份证件号: 22, 学籍号: 22, 现住址: 36, 户口所在地: 30 };

/**
 * Adds a sheet where every cell is text (numFmt "@"), so ID numbers never become numbers when the
 * file is opened and saved again in Excel.
 */
export function addTextSheet(workbook: Workbook, name: string, table: SheetTable): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.headers.map((h) => ({
    header: h,
    key: h,
    width: h === ERROR_COLUMN ? 60 : (WIDE[h] ?? Math.max(10, h.length * 2 + 2)),
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  const errorCol = table.headers.indexOf(ERROR_COLUMN) + 1;
  for (const cells of table.rows) {
    const row = sheet.addRow(cells);
    if (errorCol > 0) row.getCell(errorCol).font = { color: { argb: 'FFC00000' } };
  }
}
