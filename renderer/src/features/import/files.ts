// Reading and writing roster files in the browser. exceljs is loaded on demand (its browser build is
// ~1 MB): `import('exceljs')` resolves to the package's "browser" entry (dist/exceljs.min.js), which
// Vite 8 bundles as a separate chunk and which loads from an ArrayBuffer without Node built-ins.
import type { Student } from '../../../../shared/domain/student';
import type { ImportPreview } from '../../../../shared/import/preview';
import { csvRows, pickWorksheet, UnreadableFileError, worksheetRows } from '../../../../shared/import/read';
import {
  addTextSheet,
  exportTable,
  fileProblemsTable,
  previewErrorReport,
  type SheetTable,
} from '../../../../shared/import/report';
import type { RawCell } from '../../../../shared/import/types';
import { bridge, type SavedFile } from '../../bridge';

async function excel() {
  const mod = await import('exceljs');
  return (mod as unknown as { default?: typeof mod }).default ?? mod;
}

export type ReadFile = { rows: RawCell[][]; encoding: string };

/** Reads a chosen .xlsx or .csv file; throws UnreadableFileError with a Chinese message. */
export async function readRosterFile(file: File): Promise<ReadFile> {
  const buffer = await file.arrayBuffer();
  const bytes = new Uint8Array(buffer);
  const name = file.name.toLowerCase();
  if (bytes.length === 0) throw new UnreadableFileError(`“${file.name}”是空文件`);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (name.endsWith('.csv') || name.endsWith('.txt')) return csvRows(bytes);
  if (name.endsWith('.xls') && !isZip)
    throw new UnreadableFileError('不支持旧版 Excel 97-2003（.xls）文件：请在 Excel 中另存为 .xlsx 后再导入');
  if (!isZip) throw new UnreadableFileError(`“${file.name}”不是有效的 .xlsx 文件（已损坏或只是改了扩展名）`);
  const ExcelJS = await excel();
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer);
  } catch (error) {
    throw new UnreadableFileError(
      `“${file.name}”无法作为 .xlsx 读取（文件可能已损坏或加密）：${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const sheet = pickWorksheet(workbook.worksheets);
  if (!sheet) throw new UnreadableFileError(`“${file.name}”中没有工作表`);
  return { rows: worksheetRows(sheet), encoding: 'xlsx' };
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbookBlob(sheets: { name: string; table: SheetTable }[]): Promise<Blob> {
  const ExcelJS = await excel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '学籍桌面端';
  for (const s of sheets) addTextSheet(workbook, s.name, s.table);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: XLSX_MIME });
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
