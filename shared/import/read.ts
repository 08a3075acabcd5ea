// Turning file contents into rows of cells for parseRosterSheet: CSV bytes (papaparse) and exceljs
// worksheets. Both the CLI and the renderer load the file themselves and hand the data in here.
import type { CellValue, Worksheet } from 'exceljs';
import Papa from 'papaparse';
import type { RawCell } from './types';

export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/**
 * Decodes a CSV file: UTF-8 (with or without BOM); a file that is not valid UTF-8 is read as GB18030
 * (a superset of GBK, what Excel on a Chinese Windows writes for "CSV"), and the encoding is reported.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'UTF-8 (BOM)' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const le = bytes[0] === 0xff;
    return {
      text: new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2)),
      encoding: 'UTF-16',
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    try {
      return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'GBK/GB18030' };
    } catch {
      throw new UnreadableFileError(
        '无法识别 CSV 文件的编码：既不是 UTF-8 也不是 GBK；请在 Excel 中另存为“CSV UTF-8”',
      );
    }
  }
}

/** CSV cells are all text: an ID number written by Excel as 4.1E+17 stays that text and is reported. */
export function csvRows(bytes: Uint8Array): { rows: RawCell[][]; encoding: string } {
  const { text, encoding } = decodeCsv(bytes);
  if (text.includes('\u0000'))
    throw new UnreadableFileError('这不是文本格式的 CSV 文件（含有二进制内容）；请选择 .xlsx 或 .csv 花名册');
  const result = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const fatal = result.errors.find((e) => e.type === 'Quotes');
  if (fatal)
    throw new UnreadableFileError(
      `CSV 文件第 ${(fatal.row ?? 0) + 1} 行的引号不成对，无法读取：${fatal.message}`,
    );
  return { rows: result.data, encoding };
}

/** The value of an exceljs cell as a RawCell: rich text joined, formulas by their result. */
export function excelCell(value: CellValue): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return null;
    if (typeof result === 'object' && result instanceof Date) return result;
    if (typeof result === 'object') return null;
    return result as string | number | boolean;
  }
  if ('text' in value) {
    const t = (value as { text: unknown }).text;
    if (typeof t === 'string') return t;
    if (t && typeof t === 'object' && 'richText' in t)
      return (t as { richText: { text: string }[] }).richText.map((x) => x.text).join('');
    return null;
  }
  if ('error' in value) return String((value as { error: unknown }).error);
  return null;
}

/** All rows of a worksheet as RawCell arrays (row i of the result is sheet row i+1). */
export function worksheetRows(sheet: Worksheet): RawCell[][] {
  const rows: RawCell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: RawCell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = excelCell(cell.value);
    });
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
    rows[rowNumber - 1] = cells;
  });
  for (let i = 0; i < rows.length; i++) if (rows[i] === undefined) rows[i] = [];
  return rows;
}

/** The first worksheet that looks like a roster (has cells), else the first one. */
export function pickWorksheet(sheets: readonly Worksheet[]): Worksheet | undefined {
  return sheets.find((s) => s.actualRowCount > 0) ?? sheets[0];
}
