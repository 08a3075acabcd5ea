// Writing roster workbooks with exceljs (Node side of the CLI).
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Student } from '../shared/domain/student';
import { studentToTemplateRow, TEMPLATE_COLUMNS, TEMPLATE_HEADERS } from '../shared/domain/template';
import { csvRows, pickWorksheet, UnreadableFileError, worksheetRows } from '../shared/import/read';
import type { RawCell } from '../shared/import/types';

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
    width: c.kind === 'idNo' || c.header === '学籍号' ? 22 : c.header === '现住址' ? 36 : 12,
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
 * Reads a roster file (.xlsx or .csv) into rows of cells for parseRosterSheet. Throws
 * UnreadableFileError with a Chinese message when the file itself cannot be read.
 */
export async function readRosterFile(path: string): Promise<{ rows: RawCell[][]; encoding: string }> {
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
  const lower = path.toLowerCase();
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return csvRows(bytes);
  if (lower.endsWith('.xls') && !isZip)
    throw new UnreadableFileError('不支持旧版 Excel 97-2003（.xls）文件：请在 Excel 中另存为 .xlsx 后再导入');
  if (!isZip) {
    if (lower.endsWith('.xlsx'))
      throw new UnreadableFileError(`${path} 不是有效的 .xlsx 文件（文件已损坏或只是改了扩展名）`);
    throw new UnreadableFileError('只支持 .xlsx 和 .csv 花名册文件');
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new UnreadableFileError(
      `${path} 无法作为 .xlsx 读取（文件可能已损坏或加密）：${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const sheet = pickWorksheet(workbook.worksheets);
  if (!sheet) throw new UnreadableFileError(`${path} 中没有工作表`);
  return { rows: worksheetRows(sheet), encoding: 'xlsx' };
}
