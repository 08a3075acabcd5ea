// Steps 1–2 of the roster import (DOMAIN.md "Roster template", issue 3): read a sheet given as rows of
// cells into typed records and validate each row. No database: the CLI (`xueji validate`) and the app
// run exactly this; the comparison with the roster comes after (preview.ts).
import { codeOf } from '../domain/codes';
import { FIELD_META, type Guardian, type StudentField } from '../domain/student';
import { TEMPLATE_COLUMNS, type TemplateColumn } from '../domain/template';
import { checkIdentity, checkPhone, checkStatusNo, parseDate, parseYearMonth } from '../validate/fields';
import { checkIdNumber } from '../validate/id-number';
import type { ImportError, ImportRecord, ParsedRow, ParsedSheet, RawCell } from './types';

/** Excel keeps 15 significant digits; a numeric cell with more has lost some (issue 3 step 1). */
const EXCEL_DIGITS = 15;
const GUARDIAN_NAME_MAX = 50;

/** The header as people write it: "*姓名", "姓名★", " 姓名 " all mean 姓名. */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\uFEFF\u200B]/g, '')
    .replace(/[*＊★☆]/g, '')
    .replace(/\s+/g, '')
    .trim();
}

/** Columns the error report adds; a fixed report re-imports without notices about them. */
export const ERROR_COLUMN = '错误说明';
export const SOURCE_ROW_COLUMN = '原行号';
const IGNORED_HEADERS = new Set([ERROR_COLUMN, SOURCE_ROW_COLUMN, '序号']);

const COLUMN_BY_HEADER: ReadonlyMap<string, TemplateColumn> = new Map(
  TEMPLATE_COLUMNS.map((c) => [c.header, c] as const),
);

/** The text of a cell as a person sees it (used in messages and in the error report). */
export function cellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return numberText(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return isoDateOf(cell);
}

function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Excel dates arrive as UTC midnight of the calendar day (exceljs); keep the calendar day. */
function isoDateOf(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const y = d.getUTCFullYear();
  return `${y}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function significantDigits(n: number): number {
  return numberText(Math.abs(n)).replace(/^0+/, '').length;
}

type CellResult = { value: string | number } | { error: { code: string; message: string } } | null;

const fail = (code: string, message: string): CellResult => ({ error: { code, message } });

function maxLengthOf(column: TemplateColumn): number | undefined {
  if (column.field === 'guardian.name') return GUARDIAN_NAME_MAX;
  return FIELD_META.get(column.field as StudentField)?.maxLength;
}

/**
 * Step 1 and the single-field part of step 2 for one cell. Returns null for an empty cell.
 * A number-like ID is taken only from a text cell: a numeric cell is an error, never repaired.
 */
export function readCell(column: TemplateColumn, cell: RawCell | undefined): CellResult {
  const label = column.header;
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string' && cell.trim() === '') return null;

  if (column.kind === 'idNo' || column.field === 'statusNo') {
    if (typeof cell === 'number') {
      return fail(
        column.kind === 'idNo' ? 'ID_NUMERIC_CELL' : 'STATUS_NO_FORMAT',
        `${label}是数值单元格（显示为 ${cell.toExponential(1).toUpperCase()}，即 ${numberText(cell)}），Excel 只保留 ${EXCEL_DIGITS} 位有效数字，原号码已丢失；请把该列设为“文本”后重新填写，不会自动修复`,
      );
    }
    if (typeof cell !== 'string') return fail('ID_FORMAT', `${label}“${cellText(cell)}”不是证件号码`);
    const v = cell.trim().toUpperCase();
    return { value: v };
  }

  if (column.kind === 'date') {
    if (cell instanceof Date) {
      const iso = isoDateOf(cell);
      return iso && parseDate(iso)
        ? { value: iso }
        : fail('DATE_FORMAT', `${label}“${cellText(cell)}”不是有效日期`);
    }
    const text = cellText(cell).trim();
    const iso = parseDate(text);
    return iso
      ? { value: iso }
      : fail(
          'DATE_FORMAT',
          `${label}“${text}”不是有效日期（可写 YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD 或 Excel 日期）`,
        );
  }

  if (column.kind === 'yearMonth') {
    const text = cell instanceof Date ? isoDateOf(cell).slice(0, 7).replace('-', '') : cellText(cell).trim();
    const ym = parseYearMonth(text);
    return ym
      ? { value: ym }
      : fail('YEAR_MONTH_FORMAT', `${label}“${text}”应为年月，例如 202609 或 2026-09`);
  }

  if (cell instanceof Date)
    return fail('TEXT_EXPECTED', `${label}是日期单元格（${isoDateOf(cell)}），应填文字`);
  if (typeof cell === 'number' && significantDigits(cell) > EXCEL_DIGITS) {
    return fail(
      'NUMBER_PRECISION',
      `${label}是超过 ${EXCEL_DIGITS} 位的数值单元格（${numberText(cell)}），Excel 已丢失末尾数字；请把该列设为“文本”后重新填写`,
    );
  }
  const text = cellText(cell).trim();

  switch (column.kind) {
    case 'code': {
      const code = column.codes ? codeOf(column.codes, text) : text;
      return code !== undefined
        ? { value: code }
        : fail('CODE_UNKNOWN', `${label}“${text}”不在代码表中（可填代码或中文名称）`);
    }
    case 'number':
      return /^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= 12
        ? { value: Number(text) }
        : fail('NUMBER_FORMAT', `${label}“${text}”应为 1–12 的整数（年）`);
    case 'phone': {
      const e = checkPhone(text, label);
      return e ? fail(e.code, e.message) : { value: text.replace(/\s+/g, '') };
    }
    default: {
      const max = maxLengthOf(column);
      if (max !== undefined && text.length > max)
        return fail('TOO_LONG', `${label}最多 ${max} 个字符（现有 ${text.length} 个）`);
      return { value: text };
    }
  }
}

export type ParseOptions = {
  /** how many leading rows may hold a title above the header (default 10) */
  headerSearchRows?: number;
  encoding?: string;
};

function findHeaderRow(rows: readonly RawCell[][], limit: number): number {
  let best = 0;
  let bestHits = 0;
  for (let i = 0; i < Math.min(limit, rows.length); i++) {
    const hits = (rows[i] ?? []).filter(
      (c) => typeof c === 'string' && COLUMN_BY_HEADER.has(normalizeHeader(c)),
    ).length;
    if (hits > bestHits) {
      best = i;
      bestHits = hits;
    }
  }
  return best;
}

const FIELD_ERROR_COLUMN: Record<string, string> = {
  idNo: '身份证件号',
  birthDate: '出生日期',
  gender: '性别',
  statusNo: '学籍号',
};

/** Parses and validates a roster sheet (issue 3 steps 1–2), including duplicates inside the file (R-ONE). */
export function parseRosterSheet(rows: readonly RawCell[][], options: ParseOptions = {}): ParsedSheet {
  const headerIndex = findHeaderRow(rows, options.headerSearchRows ?? 10);
  const headerRow = headerIndex + 1;
  const headerCells = rows[headerIndex] ?? [];
  const headers = headerCells.map((c) => cellText(c).trim());
  const fileErrors: ImportError[] = [];
  const columnAt: (TemplateColumn | undefined)[] = [];
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normalizeHeader(h);
    if (key === '' || IGNORED_HEADERS.has(key)) return;
    const column = COLUMN_BY_HEADER.get(key);
    if (!column) {
      fileErrors.push({
        row: headerRow,
        column: h,
        code: 'COLUMN_UNKNOWN',
        message: `第 ${headerRow} 行表头“${h}”不是花名册模板的列，该列已忽略`,
      });
      return;
    }
    if (seen.has(column.header)) {
      fileErrors.push({
        row: headerRow,
        column: h,
        code: 'COLUMN_DUPLICATE',
        message: `表头“${h}”出现了两次（第 ${(seen.get(column.header) ?? 0) + 1} 列和第 ${i + 1} 列），只读取第一列`,
      });
      return;
    }
    seen.set(column.header, i);
    columnAt[i] = column;
  });
  let blocked = false;
  for (const c of TEMPLATE_COLUMNS) {
    if (c.required && !seen.has(c.header)) {
      blocked = true;
      fileErrors.push({
        row: headerRow,
        column: c.header,
        code: 'COLUMN_MISSING',
        message: `文件缺少必填列“${c.header}”，所有行都无法导入；请使用花名册模板的表头`,
      });
    }
  }
  const headerTextOf = (column: TemplateColumn) => headers[seen.get(column.header) ?? -1] ?? column.header;

  const parsed: ParsedRow[] = [];
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const cells = rows[r] ?? [];
    if (cells.every((c) => cellText(c).trim() === '')) continue;
    parsed.push(parseRow(r + 1, cells, columnAt, headerTextOf, blocked));
  }
  markDuplicates(parsed, '身份证件号', (rec) => rec.idNo, headerTextOf);
  markDuplicates(parsed, '学籍号', (rec) => rec.statusNo, headerTextOf);
  return { headerRow, headers, fileErrors, blocked, rows: parsed, encoding: options.encoding };
}

function parseRow(
  row: number,
  cells: readonly RawCell[],
  columnAt: readonly (TemplateColumn | undefined)[],
  headerTextOf: (c: TemplateColumn) => string,
  blocked: boolean,
): ParsedRow {
  const errors: ImportError[] = [];
  const values = new Map<string, string | number>();
  const failed = new Set<string>();
  const width = Math.max(cells.length, columnAt.length);
  for (let i = 0; i < width; i++) {
    const column = columnAt[i];
    if (!column) continue;
    const result = readCell(column, cells[i] ?? null);
    if (result === null) continue;
    if ('error' in result) {
      failed.add(column.field);
      errors.push({ row, column: headerTextOf(column), ...result.error });
    } else values.set(column.field, result.value);
  }
  const text = (field: string) => {
    const v = values.get(field);
    return v === undefined ? undefined : String(v);
  };
  for (const c of TEMPLATE_COLUMNS) {
    if (c.required && !values.has(c.field) && !failed.has(c.field) && columnAt.includes(c))
      errors.push({ row, column: headerTextOf(c), code: 'REQUIRED', message: `${c.header}不能为空` });
  }

  // ID number of a 居民身份证: format, scientific notation, lost X, check digit (GB 11643).
  const idType = text('idType');
  const idNo = text('idNo');
  const idColumn = TEMPLATE_COLUMNS.find((c) => c.field === 'idNo') as TemplateColumn;
  if (idNo !== undefined) {
    const problem = idType === '1' || idType === undefined ? checkIdNumber(idNo) : null;
    const scientific = /^\d(\.\d+)?E\+?\d+$/i.test(idNo);
    if (problem || scientific) {
      failed.add('idNo');
      const p = problem ?? checkIdNumber(idNo);
      errors.push({
        row,
        column: headerTextOf(idColumn),
        code: p?.code ?? 'ID_SCIENTIFIC',
        message: p?.message ?? `身份证件号“${idNo}”已被转成科学计数法，原号码已丢失`,
      });
    }
  }
  // Birth date and gender agree with the ID; 学籍号 format and (for G) its tail (DOMAIN.md "Codes").
  if (!failed.has('idNo') && !failed.has('idType')) {
    const identity = checkIdentity({
      idType: idType ?? '',
      idNo: idNo ?? '',
      birthDate: failed.has('birthDate') ? '' : (text('birthDate') ?? ''),
      gender: failed.has('gender') ? '' : (text('gender') ?? ''),
      statusNo: failed.has('statusNo') ? undefined : text('statusNo'),
    });
    for (const e of identity) {
      if (e.field === 'idNo') continue; // already reported above
      const header = FIELD_ERROR_COLUMN[e.field] ?? e.field;
      const column = TEMPLATE_COLUMNS.find((c) => c.header === header);
      errors.push({ row, column: column ? headerTextOf(column) : header, code: e.code, message: e.message });
      failed.add(e.field);
    }
  } else if (text('statusNo') !== undefined && !failed.has('statusNo')) {
    const e = checkStatusNo(text('statusNo') ?? '');
    const column = TEMPLATE_COLUMNS.find((c) => c.field === 'statusNo') as TemplateColumn;
    if (e) errors.push({ row, column: headerTextOf(column), code: e.code, message: e.message });
  }

  // The first guardian: a name is needed when any guardian cell is filled, and a relation with it.
  const gName = text('guardian.name');
  const gRelation = text('guardian.relation');
  const gPhone = text('guardian.phone');
  let guardian: Guardian | undefined;
  const anyGuardian =
    gName !== undefined ||
    gRelation !== undefined ||
    gPhone !== undefined ||
    failed.has('guardian.relation') ||
    failed.has('guardian.phone');
  if (anyGuardian) {
    const nameCol = TEMPLATE_COLUMNS.find((c) => c.field === 'guardian.name') as TemplateColumn;
    const relCol = TEMPLATE_COLUMNS.find((c) => c.field === 'guardian.relation') as TemplateColumn;
    if (gName === undefined && !failed.has('guardian.name'))
      errors.push({
        row,
        column: headerTextOf(nameCol),
        code: 'REQUIRED',
        message: '填写了监护人关系或电话时，监护人姓名不能为空',
      });
    else if (gRelation === undefined && !failed.has('guardian.relation'))
      errors.push({
        row,
        column: headerTextOf(relCol),
        code: 'REQUIRED',
        message: '填写了监护人姓名时，监护人关系不能为空',
      });
    else if (gName !== undefined && gRelation !== undefined)
      guardian = { name: gName, relation: gRelation, phone: gPhone ?? '' };
  }

  if (errors.length > 0 || blocked) return { row, cells: cells.map(cellText), record: null, errors };
  const record: Record<string, unknown> = {};
  for (const [field, value] of values) if (!field.startsWith('guardian.')) record[field] = value;
  if (guardian) record.guardian = guardian;
  return { row, cells: cells.map(cellText), record: record as ImportRecord, errors };
}

/** R-ONE (YQ 四(一)): the same ID number (or 学籍号) twice in one file; every occurrence is an error. */
function markDuplicates(
  rows: ParsedRow[],
  header: string,
  keyOf: (rec: ImportRecord) => string | undefined,
  headerTextOf: (c: TemplateColumn) => string,
): void {
  const byKey = new Map<string, ParsedRow[]>();
  for (const r of rows) {
    const key = r.record ? keyOf(r.record) : undefined;
    if (!key) continue;
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const column = TEMPLATE_COLUMNS.find((c) => c.header === header) as TemplateColumn;
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    for (const r of list) {
      const others = list.filter((o) => o !== r).map((o) => o.row);
      r.errors.push({
        row: r.row,
        column: headerTextOf(column),
        code: 'DUPLICATE_IN_FILE',
        message: `${header}“${key}”与本文件第 ${others.join('、')} 行重复（R-ONE 一人一籍：同一人只能有一条学籍）`,
      });
      r.record = null;
    }
  }
}

/** The figures of `xueji validate --json`. */
export function summarize(sheet: ParsedSheet): { rows: number; valid: number; errors: ImportError[] } {
  const errors = [...sheet.fileErrors, ...sheet.rows.flatMap((r) => r.errors)];
  return {
    rows: sheet.rows.length,
    valid: sheet.rows.filter((r) => r.record !== null).length,
    errors,
  };
}

/** "第 5 行「身份证件号」：…" — how the preview and the CLI table name an error. */
export function describeError(e: ImportError): string {
  return `第 ${e.row} 行「${e.column}」：${e.message}`;
}
