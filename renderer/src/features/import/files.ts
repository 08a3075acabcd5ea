// Reading and writing roster files in the browser. Both libraries load on demand as chunks of their own:
// SheetJS (@e965/xlsx, ~0.5 MB gzipped… see README) reads, exceljs writes (`import('exceljs')` resolves to
// the package's "browser" entry, dist/exceljs.min.js, which Vite 8 bundles without Node built-ins).
import type { Student } from '../../../../shared/domain/student';
import type { ImportPreview } from '../../../../shared/import/preview';
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
} from '../../../../shared/import/read';
import {
  addTextSheet,
  exportTable,
  fileProblemsTable,
  previewErrorReport,
  type SheetTable,
} from '../../../../shared/import/report';
import { bridge, type SavedFile } from '../../bridge';

async function excel() {
  const mod = await import('exceljs');
  return (mod as unknown as { default?: typeof mod }).default ?? mod;
}

/**
 * Reads a chosen .xlsx, .xls, .ods or .csv file for parseRosterFile; throws UnreadableFileError with a
 * Chinese message. Workbooks go through SheetJS (`@e965/xlsx`, loaded on demand as its own chunk), the
 * reader the CLI uses too, so both read a file the same way.
 */
export async function readRosterFile(file: File): Promise<RosterFileContent> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const name = file.name.toLowerCase();
  if (bytes.length === 0) throw new UnreadableFileError(`“${file.name}”是空文件`);
  if (name.endsWith('.csv') || name.endsWith('.txt')) {
    const { rows, encoding } = csvRows(bytes);
    return { format: encoding, sheets: [{ name: file.name, rows }] };
  }
  const problem = workbookProblem(file.name, bytes);
  if (problem) throw new UnreadableFileError(problem);
  const XLSX = await import('@e965/xlsx');
  let workbook: import('@e965/xlsx').WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: 'array',
      dense: true,
      cellNF: true,
      cellText: false,
      cellDates: false,
    });
  } catch (error) {
    throw new UnreadableFileError(workbookReadFailure(file.name, error));
  }
  const damaged = parsedWorkbookProblem(file.name, bytes, workbook);
  if (damaged) throw new UnreadableFileError(damaged);
  const sheets = sheetJsSheets(workbook as unknown as SheetJsWorkbook, (f) => XLSX.SSF.is_date(f));
  if (sheets.length === 0) throw new UnreadableFileError(`“${file.name}”中没有工作表`);
  return { format: workbookFormat(file.name, workbook.bookType), sheets };
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook of text sheets (every cell text), e.g. an error report or a template of the administration sheets. */
export async function workbookBlob(sheets: { name: string; table: SheetTable }[]): Promise<Blob> {
  const ExcelJS = await excel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '学籍桌面端';
  for (const s of sheets) addTextSheet(workbook, s.name, s.table);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: XLSX_MIME });
}

/** One table as a workbook of one sheet (every cell text), e.g. the 学籍变动名册. */
export function tableBlob(sheetName: string, table: SheetTable): Promise<Blob> {
  return workbookBlob([{ name: sheetName, table }]);
}

/** The export in the national template (every cell text, so ID numbers survive Excel). */
export function exportRosterBlob(students: Iterable<Student>): Promise<Blob> {
  return workbookBlob([{ name: '花名册', table: exportTable(students) }]);
}

/** The error report: the invalid rows as they were, plus 原行号 and 错误说明, to fix and re-import. */
export function errorReportBlob(preview: ImportPreview): Promise<Blob> {
  const sheets = [{ name: '有错误的行', table: previewErrorReport(preview) }];
  if (preview.sheet.fileErrors.length > 0)
    sheets.push({ name: '文件问题', table: fileProblemsTable(preview.sheet.fileErrors) });
  return workbookBlob(sheets);
}

/**
 * Saves a workbook through the bridge: Electron's native save dialog, a download in the browser.
 * Resolves the saved file, or null when the user cancelled the dialog; a failure throws its Chinese message.
 */
export async function saveWorkbook(blob: Blob, fileName: string, title: string): Promise<SavedFile | null> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const result = await bridge.saveFile({ suggestedName: fileName, kind: 'xlsx', bytes, title });
  if (result.ok) return result.value;
  if (result.reason === 'cancelled') return null;
  throw new Error(result.message);
}

/** Where a saved file went, in the user's words. */
export function savedWhere(file: SavedFile): string {
  return file.path ? `已保存到 ${file.path}` : `已下载“${file.fileName}”（在浏览器的“下载”文件夹中）`;
}

/**
 * The one toast of the roster's file actions (export, template, error report, import cancel): each
 * replaces the one before, so an older "已取消" never stands beside a new result.
 */
export const FILE_MESSAGE_KEY = 'xueji-roster-file';

/** "花名册_2026-09-02.xlsx" */
export function datedName(prefix: string, at = new Date()): string {
  const d = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
  return `${prefix}_${d}.xlsx`;
}
