// Writing roster workbooks with exceljs (Node side of the CLI).
import ExcelJS from 'exceljs';
import type { Student } from '../domain/student';
import { studentToTemplateRow, TEMPLATE_COLUMNS, TEMPLATE_HEADERS } from '../domain/template';

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
