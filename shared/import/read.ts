// Turning file contents into rows of cells for parseRosterSheet: CSV bytes (papaparse) and SheetJS
// workbooks. Both the CLI and the renderer load the file themselves and hand the data in here.
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

// Workbooks (.xlsx, .xls, .ods) are read with SheetJS (`@e965/xlsx`) by the CLI and the renderer; the
// parsed workbook comes in here in SheetJS's dense form, described by the part of its shape we use (so
// shared/ stays free of the library). One reader for every format: the .xls and .ods paths run exactly
// the checks of the .xlsx path (numeric ID cells, lost digits, dates), and the workbook's date system is
// honoured (exceljs 4.4 reads LibreOffice's date1904="true" as the 1900 system: every date 4 years and a
// day early, which is why it no longer reads roster files).

/** A SheetJS cell: t = s(tring), n(umber), b(oolean), d(ate), e(rror), z (stub); z = number format. */
export type SheetJsCell = { t: string; v?: unknown; w?: string; z?: string | number };
export type SheetJsRange = { s: { r: number; c: number }; e: { r: number; c: number } };
export type SheetJsSheet = {
  '!data'?: (readonly (SheetJsCell | null | undefined)[] | null | undefined)[];
  '!merges'?: readonly SheetJsRange[];
};
export type SheetJsWorkbook = {
  SheetNames: readonly string[];
  Sheets: Readonly<Record<string, SheetJsSheet>>;
  Workbook?: { WBProps?: { date1904?: boolean } };
};

/** A worksheet as rows of cells (row i is sheet row i+1), with its name. */
export type NamedSheet = { name: string; rows: RawCell[][] };

/** A roster file as read: its sheets (one for CSV) and how it was stored. */
export type RosterFileContent = {
  /** 'xlsx', 'xls', 'ods', or the CSV's encoding (e.g. 'UTF-8', 'GBK/GB18030') */
  format: string;
  sheets: NamedSheet[];
};

const DAY_MS = 86_400_000;
// Day 0 of each date system: 1899-12-30 (serials from 61 on, past Lotus' phantom 1900-02-29) and 1904-01-01.
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** The calendar day of a date serial, as UTC midnight (the form parse.ts reads dates in). */
export function serialToDate(serial: number, date1904: boolean): Date {
  const days = Math.floor(serial + 1e-9);
  if (date1904) return new Date(EPOCH_1904 + days * DAY_MS);
  return new Date(EPOCH_1900 + (days < 61 ? days + 1 : days) * DAY_MS);
}

function sheetJsCell(
  cell: SheetJsCell | null | undefined,
  date1904: boolean,
  isDateFormat: (format: string) => boolean,
): RawCell {
  if (!cell) return null;
  switch (cell.t) {
    case 's':
      return cell.v === undefined || cell.v === null ? null : String(cell.v);
    case 'n': {
      const v = Number(cell.v);
      if (!Number.isFinite(v)) return null;
      const format = typeof cell.z === 'string' ? cell.z : '';
      return format && format !== 'General' && isDateFormat(format) ? serialToDate(v, date1904) : v;
    }
    case 'b':
      return cell.v === true;
    case 'd':
      return cell.v instanceof Date ? cell.v : null;
    case 'e':
      return cell.w ?? '#错误';
    default:
      return null;
  }
}

/**
 * Every worksheet of a SheetJS workbook (read with `dense: true, cellNF: true`) as rows of cells:
 * text cells as strings, numeric cells as numbers, cells with a date format as dates in the workbook's
 * date system, and a merged range's value in each of its cells (a merged class cell names every row).
 */
export function sheetJsSheets(
  workbook: SheetJsWorkbook,
  isDateFormat: (format: string) => boolean,
): NamedSheet[] {
  const date1904 = workbook.Workbook?.WBProps?.date1904 === true;
  return workbook.SheetNames.map((name) => {
    const sheet = workbook.Sheets[name] ?? {};
    const data = sheet['!data'] ?? [];
    const rows: RawCell[][] = [];
    for (let r = 0; r < data.length; r++) {
      const source = data[r] ?? [];
      const cells: RawCell[] = [];
      for (let c = 0; c < source.length; c++) cells[c] = sheetJsCell(source[c], date1904, isDateFormat);
      rows[r] = cells;
    }
    for (const m of sheet['!merges'] ?? []) {
      const value = rows[m.s.r]?.[m.s.c] ?? null;
      if (value === null) continue;
      for (let r = m.s.r; r <= m.e.r; r++) {
        const row = rows[r] ?? [];
        rows[r] = row;
        for (let c = m.s.c; c <= m.e.c; c++) if (row[c] === null || row[c] === undefined) row[c] = value;
      }
    }
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] ?? [];
      for (let c = 0; c < row.length; c++) if (row[c] === undefined) row[c] = null;
      rows[r] = row;
    }
    return { name, rows };
  });
}

/** What kind of workbook the bytes are, from their signature (the extension is only a hint). */
export function workbookKind(bytes: Uint8Array): 'zip' | 'ole' | 'text' | 'unknown' {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'zip';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'ole';
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 512))
    .trimStart()
    .toLowerCase();
  if (
    head.startsWith('<?xml') ||
    head.startsWith('<html') ||
    head.startsWith('<table') ||
    head.startsWith('<!doctype')
  )
    return 'text';
  return 'unknown';
}

/**
 * Why a roster file cannot be read as a workbook, judged from its name and signature before the reader
 * runs; null when it may be read. .xlsx and .ods are zip packages; .xls is an OLE file (Excel 97-2003)
 * or the HTML/XML tables some systems export under that name.
 */
export function workbookProblem(fileName: string, bytes: Uint8Array): string | null {
  const lower = fileName.toLowerCase();
  const kind = workbookKind(bytes);
  if (lower.endsWith('.xlsx') && kind !== 'zip')
    return `“${fileName}”不是有效的 .xlsx 文件（文件已损坏或只是改了扩展名）`;
  if (lower.endsWith('.ods') && kind !== 'zip')
    return `“${fileName}”不是有效的 .ods 文件（文件已损坏或只是改了扩展名）`;
  if (lower.endsWith('.xls') && kind === 'unknown')
    return `“${fileName}”不是有效的 Excel 97-2003（.xls）文件（文件已损坏或只是改了扩展名）`;
  if (!/\.(xlsx|xls|ods)$/.test(lower)) return '只支持 .xlsx、.xls、.ods 和 .csv 花名册文件';
  return null;
}

/**
 * Why a workbook SheetJS returned is not the file's content: for bytes it cannot parse as a workbook it
 * falls back to reading them as text, which turns a damaged .xls into one sheet of garbage.
 */
export function parsedWorkbookProblem(
  fileName: string,
  bytes: Uint8Array,
  workbook: { Workbook?: unknown },
): string | null {
  if (workbookKind(bytes) === 'ole' && !workbook.Workbook)
    return `“${fileName}”不是有效的 Excel 97-2003（.xls）文件（文件已损坏，或不是 Excel 保存的）`;
  return null;
}

/** The Chinese reason a workbook reader failed, for the message the user sees. */
export function workbookReadFailure(fileName: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/password|encrypt/i.test(text))
    return `“${fileName}”设置了打开密码（已加密），请在 Excel 中取消密码后再导入`;
  return `“${fileName}”无法作为表格文件读取（文件可能已损坏）：${text}`;
}

/** 'xlsx', 'xls' or 'ods' from the type SheetJS found (`workbook.bookType`), else from the name. */
export function workbookFormat(fileName: string, bookType: string | undefined): 'xlsx' | 'xls' | 'ods' {
  const t = bookType ?? '';
  if (t === 'ods' || t === 'fods') return 'ods';
  if (t === 'xlsx' || t === 'xlsm' || t === 'xlsb') return 'xlsx';
  if (t === 'xls' || t.startsWith('biff') || t === 'xlml') return 'xls';
  const ext = /\.(xlsx|xls|ods)$/i.exec(fileName)?.[1]?.toLowerCase();
  return ext === 'xls' || ext === 'ods' ? ext : 'xlsx';
}

/** The file-format label the preview and the CLI show. */
export function formatLabel(format: string): string {
  if (format === 'xlsx') return 'Excel 工作簿（.xlsx）';
  if (format === 'xls') return 'Excel 97-2003 工作簿（.xls）';
  if (format === 'ods') return 'OpenDocument 表格（.ods）';
  return `CSV，编码 ${format}`;
}
