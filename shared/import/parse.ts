// Steps 1–2 of the roster import (DOMAIN.md "Roster template", issues 3 and 9): find the roster sheet and
// its header, read each row's cells into a typed record and validate it with the one copy of the student
// rules (shared/validate/student.ts). No database: the CLI (`xueji validate`) and the app run exactly
// this; the comparison with the roster comes after (preview.ts).
import { type Guardian, MEMBER_FIELDS, type MemberField, type Student } from '../domain/student';
import { TEMPLATE_COLUMNS, type TemplateColumn } from '../domain/template';
import type { FieldError } from '../validate/fields';
import { checkIdNumber } from '../validate/id-number';
import { normalizeValue, validateStudent } from '../validate/student';
import type { NamedSheet, RosterFileContent } from './read';
import type { ImportError, ImportNotice, ImportRecord, ParsedRow, ParsedSheet, RawCell } from './types';

/** Excel keeps 15 significant digits; a numeric cell with more has lost some (issue 3 step 1). */
const EXCEL_DIGITS = 15;

/**
 * The header as people write it: "*姓名", "姓名★", " 姓名 ", "姓名\n(必填)", "*身份证件号(18位)" and
 * "出生日期（YYYYMMDD）" all mean the column without its marks, notes in brackets and line breaks.
 */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\uFEFF\u200B]/g, '')
    .replace(/（[^）]*）|\([^)]*\)|【[^】]*】|\[[^\]]*\]|〔[^〕]*〕/g, '')
    .replace(/[*＊★☆※]/g, '')
    .replace(/[:：]$/, '')
    .replace(/\s+/g, '')
    .trim();
}

/** Columns the error report adds; a fixed report re-imports without notices about them. */
export const ERROR_COLUMN = '错误说明';
export const SOURCE_ROW_COLUMN = '原行号';
const IGNORED_HEADERS = new Set([ERROR_COLUMN, SOURCE_ROW_COLUMN, '序号', '编号']);

const COLUMN_BY_HEADER: ReadonlyMap<string, TemplateColumn> = new Map(
  TEMPLATE_COLUMNS.map((c) => [c.header, c] as const),
);

/** Other names official templates and older versions of ours give a column. */
const HEADER_ALIASES: Readonly<Record<string, string>> = {
  证件类型: '身份证件类型',
  身份证类型: '身份证件类型',
  身份证号: '身份证件号',
  身份证号码: '身份证件号',
  身份证件号码: '身份证件号',
  证件号: '身份证件号',
  证件号码: '身份证件号',
  学生姓名: '姓名',
  国籍: '国籍/地区',
  国籍地区: '国籍/地区',
  学号: '校内学号',
  全国学籍号: '学籍号',
  学籍号码: '学籍号',
  家庭住址: '家庭地址',
  电子邮箱: '电子信箱',
  邮箱: '电子信箱',
  上下学距离公里: '上下学距离',
};

/** Sub-headers of a family member ("监护人" over "姓名/关系/电话", or "监护人电话"). */
const MEMBER_SUB_ALIASES: Readonly<Record<string, MemberField>> = {
  电话: 'phone',
  手机: 'phone',
  手机号: 'phone',
  手机号码: 'phone',
  联系方式: 'phone',
  证件号: 'idNo',
  证件号码: 'idNo',
  身份证号: 'idNo',
  身份证号码: 'idNo',
  身份证件号码: 'idNo',
  证件类型: 'idType',
  与学生关系: 'relation',
  与本人关系: 'relation',
  单位: 'employer',
  住址: 'address',
};
const MEMBER_SUB: ReadonlyMap<string, MemberField> = new Map([
  ...MEMBER_FIELDS.map((m) => [m.label, m.field] as const),
  ...Object.entries(MEMBER_SUB_ALIASES),
]);
const MEMBER_GROUP = /^(家庭成员|成员|监护人|家长)([12一二])?(?:信息)?$/;

function memberIndex(digit: string | undefined): number {
  return digit === '2' || digit === '二' ? 1 : 0;
}

/** "监护人", "家庭成员2", "家长信息": a label over a member's columns in a two-level header. */
export function isMemberGroup(header: string): boolean {
  return MEMBER_GROUP.test(normalizeHeader(header));
}

/** The template column a header names, after normalising it; undefined for an unknown header. */
export function columnOfHeader(text: string): TemplateColumn | undefined {
  const h = normalizeHeader(text);
  const direct = COLUMN_BY_HEADER.get(HEADER_ALIASES[h] ?? h);
  if (direct) return direct;
  const m = /^(家庭成员|成员|监护人|家长)([12一二])?(.+)$/.exec(h);
  if (m) {
    const sub = MEMBER_SUB.get(m[3] ?? '');
    if (sub)
      return TEMPLATE_COLUMNS.find((c) => c.member?.index === memberIndex(m[2]) && c.member.field === sub);
  }
  return undefined;
}

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

/** Workbook dates arrive as UTC midnight of the calendar day (read.ts); keep the calendar day. */
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

/**
 * Step 1 and the single-field part of step 2 for one cell. Returns null for an empty cell. What is
 * particular to spreadsheets is decided here (a number-like ID is taken only from a text cell: a numeric
 * cell is an error, never repaired; dates; digits Excel lost); the value itself goes through the one
 * clean-up of shared/validate (codes from names, formats), as on the student page.
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
  }

  let text: string;
  if (cell instanceof Date) {
    if (column.kind === 'date') text = isoDateOf(cell);
    else if (column.kind === 'yearMonth') text = isoDateOf(cell).slice(0, 7).replace('-', '');
    else return fail('TEXT_EXPECTED', `${label}是日期单元格（${isoDateOf(cell)}），应填文字`);
    if (!text) return fail('DATE_FORMAT', `${label}不是有效日期`);
  } else if (typeof cell === 'number' && significantDigits(cell) > EXCEL_DIGITS) {
    return fail(
      'NUMBER_PRECISION',
      `${label}是超过 ${EXCEL_DIGITS} 位的数值单元格（${numberText(cell)}），Excel 已丢失末尾数字；请把该列设为“文本”后重新填写`,
    );
  } else text = cellText(cell);

  const r = normalizeValue(column.meta, text, column.field);
  if (r === null) return null;
  return 'error' in r ? fail(r.error.code, r.error.message) : r;
}

export type ParseOptions = {
  /** how many leading rows may hold a title above the header (default 10) */
  headerSearchRows?: number;
  encoding?: string;
  /** today (YYYY-MM-DD): birth dates in the future or of an impossible age are refused (injected clock) */
  today?: string;
  sheetName?: string;
};

type Header = {
  /** 0-based index of the (upper) header row */
  index: number;
  /** 1 for a one-row header, 2 for a two-level one */
  height: 1 | 2;
  /** the header text of each column as written */
  texts: string[];
  columns: (TemplateColumn | undefined)[];
  /** distinct template columns found */
  hits: number;
  /** two-level headers: member groups whose sub-header is not a member field */
  unreadable: { column: number; text: string }[];
};

function headerOf(
  texts: string[],
  index: number,
  height: 1 | 2,
  unreadable: Header['unreadable'] = [],
): Header {
  const columns = texts.map((t) => columnOfHeader(t));
  const hits = new Set(columns.filter((c) => c !== undefined)).size;
  return { index, height, texts, columns, hits, unreadable };
}

/**
 * A two-level header from rows i and i+1: a family-member group ("监护人", "家庭成员1", merged over its
 * columns or written once) over the member's fields ("姓名", "关系", "电话"). Any other upper cell is
 * a group title over the real column titles below it, or the title itself (merged down both rows).
 */
function twoLevelHeader(upper: readonly RawCell[], lower: readonly RawCell[], index: number): Header | null {
  const width = Math.max(upper.length, lower.length);
  const texts: string[] = [];
  const unreadable: Header['unreadable'] = [];
  let group = '';
  let groups = 0;
  for (let j = 0; j < width; j++) {
    const top = cellText(upper[j]).trim();
    const bottom = cellText(lower[j]).trim();
    if (top !== '') group = isMemberGroup(top) ? top : '';
    const memberGroup = group !== '' && (top === '' || top === group);
    if (memberGroup && bottom !== '' && bottom !== group) {
      groups++;
      const text = `${group}${bottom}`;
      texts[j] = text;
      if (!columnOfHeader(text)) unreadable.push({ column: j, text: `“${group}”下的“${bottom}”` });
    } else texts[j] = bottom !== '' && bottom !== top ? bottom : top;
  }
  return groups > 0 ? headerOf(texts, index, 2, unreadable) : null;
}

function findHeader(rows: readonly RawCell[][], limit: number): Header {
  let best: Header = headerOf(
    (rows[0] ?? []).map((c) => cellText(c).trim()),
    0,
    1,
  );
  for (let i = 0; i < Math.min(limit, rows.length); i++) {
    const row = rows[i] ?? [];
    const single = headerOf(
      row.map((c) => cellText(c).trim()),
      i,
      1,
    );
    if (single.hits > best.hits) best = single;
    const pair = rows[i + 1] ? twoLevelHeader(row, rows[i + 1] ?? [], i) : null;
    if (pair && pair.hits > best.hits) best = pair;
  }
  return best;
}

/** Labels that open the signature lines under a printed table (制表人：…　审核人：…　日期：…). */
const FOOTER_LABEL =
  /^(制表人|制表|填表人|填报人|审核人|审核|复核人|负责人|经办人|联系人|校长|班主任|主管领导|分管领导|学校负责人|制表日期|填表日期|填报日期|审核日期|日期|时间|学校（?盖章）?|单位（?盖章）?|（?盖章）?|备注|说明|注)\s*[:：]?/;

/** A row of the table's footer: it opens with a signature label and carries no ID-like number. */
function isFooterRow(cells: readonly RawCell[]): boolean {
  const filled = cells.map((c) => cellText(c).trim()).filter((t) => t !== '');
  const first = filled[0];
  if (!first || !FOOTER_LABEL.test(first)) return false;
  if (/^(备注|说明|注)$/.test(first)) return filled.length <= 2;
  return !filled.some((t) => /\d{15,}/.test(t));
}

/** How well a sheet's header matches the template (for choosing the roster sheet of a workbook). */
export function headerScore(rows: readonly RawCell[][], headerSearchRows = 10): number {
  return findHeader(rows, headerSearchRows).hits;
}

/**
 * Parses a workbook (or a CSV as one sheet): the sheet whose header matches the template best is read
 * (an instructions sheet 填表说明 first is passed over), and a notice says which one.
 */
export function parseRosterFile(file: RosterFileContent, options: ParseOptions = {}): ParsedSheet {
  const sheets = file.sheets.length > 0 ? file.sheets : [{ name: '', rows: [] }];
  let chosen: NamedSheet = sheets[0] as NamedSheet;
  let bestScore = -1;
  for (const s of sheets) {
    const score = headerScore(s.rows, options.headerSearchRows);
    if (score > bestScore) {
      chosen = s;
      bestScore = score;
    }
  }
  const workbook = file.sheets.length > 0 && !/^(UTF|GB|CSV)/i.test(file.format);
  const parsed = parseRosterSheet(chosen.rows, {
    ...options,
    encoding: file.format,
    sheetName: workbook ? chosen.name : undefined,
  });
  if (workbook && sheets.length > 1) {
    const others = sheets.filter((s) => s !== chosen).map((s) => `“${s.name}”`);
    parsed.notices.unshift({
      row: 0,
      code: 'SHEET_CHOSEN',
      message: `读取了工作表“${chosen.name}”（表头与花名册模板最相符）；本文件另有工作表 ${others.join('、')}，未读取`,
    });
  }
  return parsed;
}

/** Parses and validates a roster sheet (issue 3 steps 1–2), including duplicates inside the file (R-ONE). */
export function parseRosterSheet(rows: readonly RawCell[][], options: ParseOptions = {}): ParsedSheet {
  const header = findHeader(rows, options.headerSearchRows ?? 10);
  const headerRow = header.index + 1;
  const headers = header.texts;
  const fileErrors: ImportError[] = [];
  const notices: ImportNotice[] = [];
  const columnAt: (TemplateColumn | undefined)[] = [];
  const seen = new Map<TemplateColumn, number>();
  const rowsLabel = header.height === 2 ? `第 ${headerRow}–${headerRow + 1} 行` : `第 ${headerRow} 行`;
  let blocked = false;
  if (header.unreadable.length > 0) {
    blocked = true;
    fileErrors.push({
      row: headerRow,
      column: headers[header.unreadable[0]?.column ?? 0] ?? '',
      code: 'TWO_LEVEL_HEADER',
      message: `${rowsLabel}是两级表头，其中${header.unreadable.map((u) => u.text).join('、')}对应不上模板的家庭成员列；为免漏读家庭成员信息，整个文件没有导入。请把表头改成一行（如“家庭成员1姓名”“家庭成员1关系”），或删去这些列`,
    });
  }
  headers.forEach((h, i) => {
    const key = normalizeHeader(h);
    if (key === '' || IGNORED_HEADERS.has(key) || header.unreadable.some((u) => u.column === i)) return;
    const column = header.columns[i];
    if (!column) {
      fileErrors.push({
        row: headerRow,
        column: h,
        code: 'COLUMN_UNKNOWN',
        message: `${rowsLabel}表头“${h}”不是花名册模板的列，该列已忽略`,
      });
      return;
    }
    const first = seen.get(column);
    if (first !== undefined) {
      fileErrors.push({
        row: headerRow,
        column: h,
        code: 'COLUMN_DUPLICATE',
        message: `表头“${h}”与第 ${first + 1} 列“${headers[first]}”是同一列（${column.header}），只读取第一列`,
      });
      return;
    }
    seen.set(column, i);
    columnAt[i] = column;
  });
  for (const c of TEMPLATE_COLUMNS) {
    if (c.required && !seen.has(c)) {
      blocked = true;
      fileErrors.push({
        row: headerRow,
        column: c.header,
        code: 'COLUMN_MISSING',
        message: `文件缺少必填列“${c.header}”，所有行都无法导入；请使用花名册模板的表头`,
      });
    }
  }
  const hasMemberColumns = [...seen.keys()].some((c) => c.member !== undefined);
  if (!hasMemberColumns && !blocked)
    notices.push({
      row: headerRow,
      code: 'NO_MEMBER_COLUMNS',
      message:
        '文件没有家庭成员（监护人）列：已在册学生的家庭成员保持不变；新增的学生至少需要一位家庭成员，会被拒绝',
    });
  const headerTextOf = (column: TemplateColumn) => headers[seen.get(column) ?? -1] ?? column.header;
  const context: RowContext = { columnAt, headerTextOf, blocked, today: options.today, hasMemberColumns };

  const parsed: ParsedRow[] = [];
  const keys = new Map<ParsedRow, RowKeys>();
  for (let r = header.index + header.height; r < rows.length; r++) {
    const cells = rows[r] ?? [];
    if (cells.every((c) => cellText(c).trim() === '')) continue;
    if (isFooterRow(cells)) {
      const text = cells
        .map((c) => cellText(c).trim())
        .filter((t) => t !== '')
        .join('　');
      notices.push({
        row: r + 1,
        code: 'FOOTER_SKIPPED',
        message: `第 ${r + 1} 行“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”是表尾的签名或说明行，不是学生，已跳过`,
      });
      continue;
    }
    const { row, rowKeys } = parseRow(r + 1, cells, context);
    parsed.push(row);
    keys.set(row, rowKeys);
  }
  // R-ONE (YQ 四(一)): one person, one record; 学籍号 is one person's; 校内学号 is unique in a school.
  markDuplicates(
    parsed,
    keys,
    'idNo',
    headerTextOf,
    (key, others) => `身份证件号“${key}”与本文件第 ${others} 行重复（R-ONE 一人一籍：同一人只能有一条学籍）`,
  );
  markDuplicates(
    parsed,
    keys,
    'statusNo',
    headerTextOf,
    (key, others) => `学籍号“${key}”与本文件第 ${others} 行重复（R-ONE 一人一籍：一个学籍号只属于一名学生）`,
  );
  markDuplicates(
    parsed,
    keys,
    'schoolNo',
    headerTextOf,
    (key, others) => `校内学号“${key}”与本文件第 ${others} 行重复：同一学校的校内学号不能重复`,
  );
  return {
    headerRow,
    headerRows: header.height,
    headers,
    fileErrors,
    notices,
    blocked,
    rows: parsed,
    encoding: options.encoding,
    sheetName: options.sheetName,
    hasMemberColumns,
  };
}

type RowContext = {
  columnAt: readonly (TemplateColumn | undefined)[];
  headerTextOf: (c: TemplateColumn) => string;
  blocked: boolean;
  today?: string;
  hasMemberColumns: boolean;
};

type RowKeys = { idNo?: string; statusNo?: string; schoolNo?: string };

const columnOfField = new Map(TEMPLATE_COLUMNS.map((c) => [c.field as string, c] as const));

/** A blank student around an imported record, so the whole-record rules can run on it. */
function candidateStudent(values: Map<string, string | number>, members: Guardian[]): Student {
  const fields: Record<string, unknown> = {};
  for (const [field, value] of values) if (!field.startsWith('members.')) fields[field] = value;
  return {
    id: '',
    schoolId: '',
    orgPath: '',
    name: '',
    gender: '',
    birthDate: '',
    idType: '',
    idNo: '',
    ethnicity: '',
    grade: '',
    classId: '',
    ...fields,
    guardians: members,
    status: 'enrolled',
    archive: {},
    updatedAt: '',
    updatedBy: '',
  } as Student;
}

function parseRow(
  row: number,
  cells: readonly RawCell[],
  ctx: RowContext,
): { row: ParsedRow; rowKeys: RowKeys } {
  const errors: ImportError[] = [];
  const values = new Map<string, string | number>();
  const failed = new Set<string>();
  const width = Math.max(cells.length, ctx.columnAt.length);
  for (let i = 0; i < width; i++) {
    const column = ctx.columnAt[i];
    if (!column) continue;
    const result = readCell(column, cells[i] ?? null);
    if (result === null) continue;
    if ('error' in result) {
      failed.add(column.field);
      errors.push({ row, column: ctx.headerTextOf(column), ...result.error });
    } else values.set(column.field, result.value);
  }
  const text = (field: string) => {
    const v = values.get(field);
    return v === undefined ? undefined : String(v);
  };

  // Without a (valid) 证件类型 the number is checked as the common 居民身份证 (scientific notation, lost X).
  const idNo = text('idNo');
  const idColumn = columnOfField.get('idNo') as TemplateColumn;
  if (idNo !== undefined && text('idType') === undefined) {
    const problem = checkIdNumber(idNo);
    if (problem) {
      failed.add('idNo');
      errors.push({ row, column: ctx.headerTextOf(idColumn), code: problem.code, message: problem.message });
    }
  }

  // Family members by template position; the record keeps the filled cells of each (blank keeps stored).
  const members: (Partial<Guardian> | undefined)[] = [];
  for (const [field, value] of values) {
    const m = /^members\.(\d+)\.(\w+)$/.exec(field);
    if (!m) continue;
    const index = Number(m[1]);
    const member = members[index] ?? {};
    (member as Record<string, string>)[m[2] ?? ''] = String(value);
    members[index] = member;
  }
  const positions: number[] = [];
  const present: Guardian[] = [];
  members.forEach((m, i) => {
    const cellsFailed = [...failed].some((f) => f.startsWith(`members.${i}.`));
    if (m || cellsFailed) {
      positions.push(i);
      present.push({ name: '', relation: '', phone: '', ...m } as Guardian);
    }
  });

  // The whole-record rules of shared/validate, on the row as a new student.
  const candidate = candidateStudent(values, present);
  const reported = new Set(errors.map((e) => `${e.column}|${e.code}`));
  const columnFor = (e: FieldError): TemplateColumn | undefined => {
    const m = /^guardians\.(\d+)\.(\w+)$/.exec(e.field);
    if (m) return columnOfField.get(`members.${positions[Number(m[1])] ?? Number(m[1])}.${m[2]}`);
    if (e.field === 'guardians') return columnOfField.get('members.0.name');
    return columnOfField.get(e.field);
  };
  // (a file that cannot be imported gets no row-by-row report of what a missing column leaves empty)
  for (const e of ctx.blocked ? [] : validateStudent(candidate, { today: ctx.today })) {
    const column = columnFor(e);
    if (!column || failed.has(column.field)) continue;
    if (e.field === 'guardians' && !ctx.hasMemberColumns) continue; // a file notice says it instead
    if (e.code === 'REQUIRED' && !column.member && !ctx.columnAt.includes(column)) continue; // column missing: file error
    const header = ctx.columnAt.includes(column) ? ctx.headerTextOf(column) : column.header;
    if (reported.has(`${header}|${e.code}`)) continue;
    reported.add(`${header}|${e.code}`);
    errors.push({ row, column: header, code: e.code, message: e.message });
    failed.add(column.field);
  }

  const rowKeys: RowKeys = {
    idNo: failed.has('idNo') ? undefined : text('idNo'),
    statusNo: failed.has('statusNo') ? undefined : text('statusNo'),
    schoolNo: failed.has('schoolNo') ? undefined : text('schoolNo'),
  };
  const out = { row, cells: cells.map(cellText), record: null as ImportRecord | null, errors };
  if (errors.length > 0 || ctx.blocked) return { row: out, rowKeys };
  const record: Record<string, unknown> = {};
  for (const [field, value] of values) if (!field.startsWith('members.')) record[field] = value;
  if (members.length > 0) record.members = members;
  out.record = record as ImportRecord;
  return { row: out, rowKeys };
}

/** The same key twice in one file: every occurrence is an error, whatever else is wrong with the row. */
function markDuplicates(
  rows: ParsedRow[],
  keys: ReadonlyMap<ParsedRow, RowKeys>,
  field: keyof RowKeys,
  headerTextOf: (c: TemplateColumn) => string,
  message: (key: string, others: string) => string,
): void {
  const byKey = new Map<string, ParsedRow[]>();
  for (const r of rows) {
    const key = keys.get(r)?.[field];
    if (!key) continue;
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const column = columnOfField.get(field) as TemplateColumn;
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    for (const r of list) {
      const others = list
        .filter((o) => o !== r)
        .map((o) => o.row)
        .join('、');
      r.errors.push({
        row: r.row,
        column: headerTextOf(column),
        code: 'DUPLICATE_IN_FILE',
        message: message(key, others),
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
