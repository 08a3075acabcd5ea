// Sheets of organisations and of accounts (issue 11: a province has thousands of schools; bulk creation of
// accounts): the same steps as the roster import (shared/import) — find the sheet and its header (a title
// above it, notes in brackets, an instructions sheet first), read each row's cells, validate each row with
// the one copy of the rules (validateOrgInput / validateAccountInput), and build the preview (new, changed,
// unchanged, invalid, with every reason) before anything is written; the error report is the roster
// import's (errorReportTable), so a fixed file imports as it is. Pure: the app reads the file (SheetJS) and
// sends the accepted rows to the server, which checks them all again.
import type { AuthUser } from '../authority/relation';
import type { OrgDoc, OrgKind, SchoolLevel } from '../domain/schemas';
import { cellText, normalizeHeader } from '../import/parse';
import type { NamedSheet, RosterFileContent } from '../import/read';
import type { SheetTable } from '../import/report';
import type { ImportError, ImportNotice, ParsedSheet, RawCell } from '../import/types';
import { ROLE_LABELS, type Role } from '../sync/protocol';
import { type AccountInput, type AccountOrg, decideAccountWrite, validateAccountInput } from './accounts';
import {
  decideOrgWrite,
  ORG_FIELD_LABELS,
  type OrgInput,
  SCHOOL_LEVEL_LABELS,
  validateOrgInput,
} from './orgs';

/** A column of a sheet: its header, other names it goes by, required or not. */
export type SheetColumn<F extends string> = {
  field: F;
  header: string;
  aliases?: readonly string[];
  required?: boolean;
};

export type SheetRow<T> = {
  /** 1-based sheet row */
  row: number;
  /** the cells as text, in file column order (for the error report) */
  cells: string[];
  /** what the row says, read (null when a cell could not be read) */
  input: T | null;
  errors: ImportError[];
};

/** A sheet as read: ParsedSheet's shape (so the roster import's error report applies), with typed rows. */
export type ParsedAdminSheet<T> = Omit<ParsedSheet, 'rows'> & { rows: SheetRow<T>[] };

// ---- organisations ---------------------------------------------------------------------------------

export type OrgColumnField =
  | 'id'
  | 'kind'
  | 'parentId'
  | 'name'
  | 'creditCode'
  | 'level'
  | 'ownership'
  | 'provincialModel'
  | 'enrolmentZone'
  | 'schoolingYears'
  | 'head'
  | 'address'
  | 'campusLat'
  | 'campusLng'
  | 'campusRadius'
  | 'termStart'
  | 'termEnd';

export const ORG_SHEET_COLUMNS: readonly SheetColumn<OrgColumnField>[] = [
  {
    field: 'id',
    header: '单位代码',
    aliases: ['学校标识码', '学校代码', '机构代码', '学校（机构）标识码', '行政区划代码'],
    required: true,
  },
  { field: 'kind', header: '单位类别', aliases: ['类别', '单位类型'] },
  { field: 'parentId', header: '上级单位代码', aliases: ['上级代码', '主管单位代码', '所属教育局代码'] },
  { field: 'name', header: '单位名称', aliases: ['学校名称', '名称'], required: true },
  { field: 'creditCode', header: '统一社会信用代码', aliases: ['信用代码', '社会信用代码'] },
  { field: 'level', header: '学段', aliases: ['学校类型', '办学层次'] },
  { field: 'ownership', header: '办学性质', aliases: ['公办民办', '举办者类型'] },
  { field: 'provincialModel', header: '省级示范校', aliases: ['是否省级示范校', '示范校'] },
  { field: 'enrolmentZone', header: '招生片区', aliases: ['片区'] },
  { field: 'schoolingYears', header: '学制', aliases: ['学制（年）', '学制年限'] },
  { field: 'head', header: '校长', aliases: ['负责人', '校长（负责人）', '法定代表人'] },
  { field: 'address', header: '地址', aliases: ['学校地址', '单位地址', '详细地址'] },
  { field: 'campusLat', header: '校区纬度', aliases: ['纬度'] },
  { field: 'campusLng', header: '校区经度', aliases: ['经度'] },
  { field: 'campusRadius', header: '校区半径', aliases: ['半径', '校区半径（米）', '签到半径'] },
  { field: 'termStart', header: '开学日期', aliases: ['学期开始日期', '学期开始'] },
  { field: 'termEnd', header: '学期结束日期', aliases: ['学期结束', '放假日期'] },
];

const KIND_NAMES: Readonly<Record<string, OrgKind>> = {
  市: 'city',
  市级: 'city',
  市级教育局: 'city',
  市教育局: 'city',
  县: 'county',
  区: 'county',
  县区: 'county',
  县级: 'county',
  '县（区）': 'county',
  县级教育局: 'county',
  县区教育局: 'county',
  '县（区）教育局': 'county',
  学校: 'school',
};

const LEVEL_NAMES: Readonly<Record<string, SchoolLevel>> = {
  小学: 'primary',
  初中: 'junior',
  初级中学: 'junior',
  普通高中: 'senior',
  高中: 'senior',
  高级中学: 'senior',
  中职: 'vocational',
  中等职业学校: 'vocational',
  中专: 'vocational',
  职业高中: 'vocational',
  职高: 'vocational',
};

// ---- reading ---------------------------------------------------------------------------------------

type Header<F extends string> = { index: number; texts: string[]; fields: (F | undefined)[]; hits: number };

function columnOf<F extends string>(columns: readonly SheetColumn<F>[], text: string): F | undefined {
  const key = normalizeHeader(text);
  if (!key) return undefined;
  return columns.find(
    (c) => normalizeHeader(c.header) === key || c.aliases?.some((a) => normalizeHeader(a) === key),
  )?.field;
}

function findHeader<F extends string>(
  rows: readonly RawCell[][],
  columns: readonly SheetColumn<F>[],
): Header<F> {
  let best: Header<F> = { index: 0, texts: [], fields: [], hits: -1 };
  for (let i = 0; i < Math.min(10, rows.length); i++) {
    const texts = (rows[i] ?? []).map((c) => cellText(c).trim());
    const fields = texts.map((t) => columnOf(columns, t));
    const hits = new Set(fields.filter(Boolean)).size;
    if (hits > best.hits) best = { index: i, texts, fields, hits };
  }
  return best;
}

const IGNORED = new Set(['序号', '编号', '错误说明', '原行号', '备注']);

/**
 * Reads a sheet with these columns: the sheet of the workbook whose header matches best, the header row
 * among the first ten, every row after it as its cells' texts by field. Missing required columns block
 * the file (named); unknown columns are reported and ignored.
 */
export function readAdminSheet<F extends string>(
  file: RosterFileContent,
  columns: readonly SheetColumn<F>[],
  what: string,
): Omit<ParsedAdminSheet<never>, 'rows'> & {
  raw: { row: number; cells: string[]; byField: Map<F, string> }[];
  headerOf: (f: F) => string;
} {
  const sheets = file.sheets.length > 0 ? file.sheets : [{ name: '', rows: [] }];
  let chosen = sheets[0] as NamedSheet;
  let header = findHeader(chosen.rows, columns);
  for (const s of sheets.slice(1)) {
    const h = findHeader(s.rows, columns);
    if (h.hits > header.hits) {
      chosen = s;
      header = h;
    }
  }
  const headerRow = header.index + 1;
  const fileErrors: ImportError[] = [];
  const notices: ImportNotice[] = [];
  if (sheets.length > 1)
    notices.push({
      row: 0,
      code: 'SHEET_CHOSEN',
      message: `读取了工作表“${chosen.name}”（表头与${what}模板最相符）`,
    });
  const at = new Map<F, number>();
  header.texts.forEach((t, i) => {
    const key = normalizeHeader(t);
    if (!key || IGNORED.has(key)) return;
    const f = header.fields[i];
    if (!f) {
      fileErrors.push({
        row: headerRow,
        column: t,
        code: 'COLUMN_UNKNOWN',
        message: `第 ${headerRow} 行表头“${t}”不是${what}模板的列，该列已忽略`,
      });
      return;
    }
    if (at.has(f)) {
      fileErrors.push({
        row: headerRow,
        column: t,
        code: 'COLUMN_DUPLICATE',
        message: `表头“${t}”与第 ${(at.get(f) ?? 0) + 1} 列是同一列，只读取第一列`,
      });
      return;
    }
    at.set(f, i);
  });
  let blocked = false;
  for (const c of columns)
    if (c.required && !at.has(c.field)) {
      blocked = true;
      fileErrors.push({
        row: headerRow,
        column: c.header,
        code: 'COLUMN_MISSING',
        message: `文件缺少必填列“${c.header}”，所有行都无法导入；请使用${what}模板的表头`,
      });
    }
  const raw: { row: number; cells: string[]; byField: Map<F, string> }[] = [];
  for (let r = header.index + 1; r < chosen.rows.length; r++) {
    const cells = (chosen.rows[r] ?? []).map((c) => cellText(c).trim());
    if (cells.every((c) => c === '')) continue;
    const byField = new Map<F, string>();
    for (const [f, i] of at) byField.set(f, cells[i] ?? '');
    raw.push({ row: r + 1, cells, byField });
  }
  const headerOf = (f: F) => header.texts[at.get(f) ?? -1] ?? columns.find((c) => c.field === f)?.header ?? f;
  return {
    headerRow,
    headers: header.texts,
    fileErrors,
    notices,
    blocked,
    raw,
    headerOf,
    encoding: file.format,
    sheetName: chosen.name,
  };
}

const yes = (t: string) =>
  /^(是|√|✓|y|yes|true|1)$/i.test(t) ? true : /^(否|×|n|no|false|0)?$/i.test(t) ? false : null;

/** Reads a sheet of organisations (单位表): one org per row, by the columns of ORG_SHEET_COLUMNS. */
export function parseOrgSheet(file: RosterFileContent): ParsedAdminSheet<OrgInput> {
  const base = readAdminSheet(file, ORG_SHEET_COLUMNS, '单位表');
  const rows: SheetRow<OrgInput>[] = base.raw.map(({ row, cells, byField }) => {
    const errors: ImportError[] = [];
    const fail = (f: OrgColumnField, code: string, message: string) =>
      errors.push({ row, column: base.headerOf(f), code, message });
    const get = (f: OrgColumnField) => byField.get(f) ?? '';
    const input: OrgInput = {};
    const id = get('id');
    if (id) input.id = id;
    const kindText = get('kind').replace(/[\s（）()]/g, '');
    if (kindText) {
      const kind = KIND_NAMES[kindText];
      if (kind) input.kind = kind;
      else fail('kind', 'KIND', `单位类别“${get('kind')}”应为 市级教育局、县（区）教育局 或 学校`);
    } else input.kind = /^\d{4}$/.test(id) ? 'city' : /^\d{6}$/.test(id) ? 'county' : 'school';
    for (const f of ['parentId', 'name', 'creditCode', 'enrolmentZone', 'head', 'address'] as const) {
      const v = get(f);
      if (v) input[f] = v;
    }
    const level = get('level');
    if (level) {
      const l = LEVEL_NAMES[normalizeHeader(level)];
      if (l) input.level = l;
      else fail('level', 'LEVEL', `学段“${level}”应为 ${Object.values(SCHOOL_LEVEL_LABELS).join('、')} 之一`);
    }
    const own = get('ownership');
    if (own) {
      if (/^公办/.test(own)) input.ownership = 'public';
      else if (/^民办/.test(own)) input.ownership = 'private';
      else fail('ownership', 'OWNERSHIP', `办学性质“${own}”应为 公办 或 民办`);
    }
    const model = get('provincialModel');
    if (model) {
      const b = yes(model);
      if (b === null) fail('provincialModel', 'BOOLEAN', `省级示范校应填 是 或 否（现为“${model}”）`);
      else if (b) input.provincialModel = true;
    }
    const years = get('schoolingYears').replace(/年制?$/, '');
    if (years) {
      if (/^\d{1,2}$/.test(years)) input.schoolingYears = Number(years);
      else fail('schoolingYears', 'NUMBER', `学制应为年数（如 3），现为“${get('schoolingYears')}”`);
    }
    const lat = get('campusLat');
    const lng = get('campusLng');
    const radius = get('campusRadius').replace(/\s*(米|m)$/i, '');
    if (lat || lng || radius) {
      const nums = [lat, lng, radius].map((t) => (t && /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN));
      if (nums.some((n) => Number.isNaN(n)))
        fail(
          lat ? (lng ? 'campusRadius' : 'campusLng') : 'campusLat',
          'CAMPUS',
          '校区位置须同时填写纬度、经度和半径（米），均为数字',
        );
      else input.campus = { lat: nums[0] as number, lng: nums[1] as number, radiusM: nums[2] as number };
    }
    const termStart = get('termStart');
    const termEnd = get('termEnd');
    if (termStart || termEnd) input.term = { start: termStart, end: termEnd };
    return { row, cells, input: errors.length > 0 ? null : input, errors };
  });
  const { raw: _r, headerOf: _h, ...rest } = base;
  return { ...rest, rows };
}

export type OrgPreviewRow =
  | { kind: 'new'; row: number; input: OrgInput; doc: Omit<OrgDoc, 'updatedAt' | 'path'>; notices: string[] }
  | {
      kind: 'changed';
      row: number;
      input: OrgInput;
      doc: Omit<OrgDoc, 'updatedAt' | 'path'>;
      changes: { field: string; label: string; before: string; after: string }[];
      notices: string[];
    }
  | { kind: 'unchanged'; row: number; input: OrgInput }
  | { kind: 'invalid'; row: number; cells: string[]; errors: ImportError[] };

export type OrgPreview = {
  sheet: ParsedAdminSheet<OrgInput>;
  rows: OrgPreviewRow[];
  counts: Record<OrgPreviewRow['kind'], number>;
  errors: ImportError[];
};

const FIELD_COLUMN: Partial<Record<string, OrgColumnField>> = {
  'campus.lat': 'campusLat',
  'campus.lng': 'campusLng',
  'campus.radiusM': 'campusRadius',
  campus: 'campusLat',
  'term.start': 'termStart',
  'term.end': 'termEnd',
  term: 'termStart',
};

const shown = (v: unknown): string => {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('lat' in o) return `${o.lat}, ${o.lng}（${o.radiusM} 米）`;
    if ('start' in o) return `${o.start} 至 ${o.end}`;
    return JSON.stringify(v);
  }
  const level = SCHOOL_LEVEL_LABELS[v as SchoolLevel];
  return level ?? (v === 'public' ? '公办' : v === 'private' ? '民办' : String(v));
};

const COMPARED = [
  'name',
  'creditCode',
  'address',
  'head',
  'level',
  'ownership',
  'provincialModel',
  'enrolmentZone',
  'schoolingYears',
  'campus',
  'term',
] as const;

/**
 * The preview of an org sheet against the orgs this user holds (their tree, replicated): each row new (its
 * parent existing or created by an earlier row), changed (field by field), unchanged or invalid with every
 * reason — the authority decision (decideOrgWrite) and validateOrgInput, as the server will run them.
 */
export function previewOrgSheet(
  sheet: ParsedAdminSheet<OrgInput>,
  orgs: readonly OrgDoc[],
  user: AuthUser,
): OrgPreview {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const codes = new Map<string, string>();
  for (const o of orgs) if (o.creditCode) codes.set(o.creditCode, o.id);
  const pending = new Map<string, OrgDoc>();
  const rows: OrgPreviewRow[] = [];
  const headerOf = (field: string) => {
    const f = (FIELD_COLUMN[field] ?? field) as OrgColumnField;
    const i = sheet.headers.findIndex(
      (h) =>
        normalizeHeader(h) &&
        ORG_SHEET_COLUMNS.find(
          (c) =>
            c.field === f &&
            (normalizeHeader(c.header) === normalizeHeader(h) ||
              c.aliases?.some((a) => normalizeHeader(a) === normalizeHeader(h))),
        ),
    );
    return (
      sheet.headers[i] ??
      ORG_FIELD_LABELS[field as keyof typeof ORG_FIELD_LABELS] ??
      ORG_SHEET_COLUMNS.find((c) => c.field === f)?.header ??
      field
    );
  };
  const seenIds = new Map<string, number>();
  for (const r of sheet.rows) {
    const invalid = (errors: ImportError[]) =>
      rows.push({ kind: 'invalid', row: r.row, cells: r.cells, errors });
    if (sheet.blocked) {
      invalid([]);
      continue;
    }
    if (!r.input) {
      invalid(r.errors);
      continue;
    }
    const input = r.input;
    const id = input.id ?? '';
    const dup = seenIds.get(id);
    if (dup !== undefined) {
      invalid([
        {
          row: r.row,
          column: headerOf('id'),
          code: 'DUPLICATE',
          message: `单位代码 ${id} 与本表第 ${dup} 行重复`,
        },
      ]);
      continue;
    }
    seenIds.set(id, r.row);
    const existing = byId.get(id) ?? null;
    const parent = existing
      ? byId.get(existing.parentId ?? '')
      : (pending.get(input.parentId ?? '') ?? byId.get(input.parentId ?? ''));
    const err = (field: string, code: string, message: string): ImportError => ({
      row: r.row,
      column: headerOf(field),
      code,
      message,
    });
    if (!parent) {
      invalid([
        err(
          'parentId',
          'NOT_FOUND',
          input.parentId ? `找不到上级单位“${input.parentId}”，或它不在您的管辖范围内` : '请填写上级单位代码',
        ),
      ]);
      continue;
    }
    const path = existing ? existing.path : `${parent.path}${id}/`;
    const kind = existing ? existing.kind : (input.kind ?? 'school');
    const d = decideOrgWrite(user, existing ? 'update' : 'create', { kind, path });
    if (!d.allow) {
      invalid([err(existing ? 'id' : 'parentId', d.code, d.reason)]);
      continue;
    }
    // An edit through a sheet: the row's values replace the stored ones; the fixed fields are not compared.
    const { id: _i, kind: _k, parentId: _p, ...attributes } = input;
    const raw = existing ? attributes : input;
    const v = validateOrgInput(raw, {
      parent,
      existing,
      idTaken: (x) => pending.has(x),
      creditCodeHolder: (code) => {
        const holder = codes.get(code);
        return holder ? { id: holder, name: byId.get(holder)?.name ?? pending.get(holder)?.name } : undefined;
      },
    });
    if (!v.ok) {
      invalid(v.problems.map((p) => err(p.field, p.code, p.message)));
      continue;
    }
    if (v.doc.creditCode) codes.set(v.doc.creditCode, v.doc.id);
    if (!existing) {
      pending.set(v.doc.id, { ...v.doc, path, updatedAt: '' });
      rows.push({ kind: 'new', row: r.row, input, doc: v.doc, notices: v.notices });
      continue;
    }
    const changes = COMPARED.filter(
      (f) => JSON.stringify(existing[f] ?? null) !== JSON.stringify(v.doc[f] ?? null),
    ).map((f) => ({
      field: f,
      label: ORG_FIELD_LABELS[f],
      before: shown(existing[f]),
      after: shown(v.doc[f]),
    }));
    rows.push(
      changes.length === 0
        ? { kind: 'unchanged', row: r.row, input }
        : { kind: 'changed', row: r.row, input, doc: v.doc, changes, notices: v.notices },
    );
  }
  const counts = { new: 0, changed: 0, unchanged: 0, invalid: 0 };
  for (const r of rows) counts[r.kind]++;
  const errors = [
    ...sheet.fileErrors.filter((e) => e.code === 'COLUMN_MISSING'),
    ...rows.flatMap((r) => (r.kind === 'invalid' ? r.errors : [])),
  ];
  return { sheet, rows, counts, errors };
}

/** The blank sheet of organisations with two example rows, every column explained by its header. */
export function orgSheetTemplate(): SheetTable {
  return {
    headers: ORG_SHEET_COLUMNS.map((c) => c.header),
    rows: [
      [
        '410105',
        '县（区）教育局',
        '4101',
        '金水区教育局',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '郑州市金水区',
        '',
        '',
        '',
        '',
        '',
      ],
      [
        '3441010501',
        '学校',
        '410105',
        '郑州市金水区第一高级中学',
        '12410105MB0000000A',
        '普通高中',
        '公办',
        '是',
        '郑州市区东部招生片区',
        '3',
        '王建国',
        '郑州市金水区文化路1号',
        '34.79',
        '113.66',
        '500',
        '2026-09-01',
        '2027-01-22',
      ],
    ],
  };
}

// ---- accounts --------------------------------------------------------------------------------------

export type AccountColumnField =
  | 'username'
  | 'displayName'
  | 'role'
  | 'orgId'
  | 'classIds'
  | 'enforcementId'
  | 'conflicts';

export const ACCOUNT_SHEET_COLUMNS: readonly SheetColumn<AccountColumnField>[] = [
  { field: 'username', header: '用户名', aliases: ['账号', '登录名'], required: true },
  { field: 'displayName', header: '姓名', aliases: ['名称', '使用人'], required: true },
  { field: 'role', header: '角色', aliases: ['岗位', '账号类型'], required: true },
  { field: 'orgId', header: '所属单位代码', aliases: ['单位代码', '学校代码', '学校标识码'], required: true },
  { field: 'classIds', header: '所带班级', aliases: ['班级'] },
  { field: 'enforcementId', header: '执法证号', aliases: ['执法证件号'] },
  { field: 'conflicts', header: '申报回避学校代码', aliases: ['回避学校', '回避学校代码'] },
];

const ROLE_NAMES: Readonly<Record<string, Role>> = {
  省级管理员: 'province',
  省教育厅: 'province',
  教育局: 'bureau',
  教育局管理员: 'bureau',
  市县教育局: 'bureau',
  督查人员: 'inspector',
  督学: 'inspector',
  检查人员: 'inspector',
  学校学籍管理员: 'schoolAdmin',
  学籍管理员: 'schoolAdmin',
  辅导员: 'counselor',
  班主任: 'counselor',
  '辅导员/班主任': 'counselor',
};

const list = (t: string) =>
  t
    .split(/[、，,;；\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Reads a sheet of accounts (账号表): one account per row. */
export function parseAccountSheet(file: RosterFileContent): ParsedAdminSheet<AccountInput> {
  const base = readAdminSheet(file, ACCOUNT_SHEET_COLUMNS, '账号表');
  const rows = base.raw.map(({ row, cells, byField }): SheetRow<AccountInput> => {
    const errors: ImportError[] = [];
    const get = (f: AccountColumnField) => byField.get(f) ?? '';
    const roleText = get('role');
    const role =
      ROLE_NAMES[roleText.replace(/\s+/g, '')] ?? (roleText in ROLE_LABELS ? (roleText as Role) : undefined);
    if (roleText && !role)
      errors.push({
        row,
        column: base.headerOf('role'),
        code: 'ROLE',
        message: `角色“${roleText}”应为 教育局、督查人员、学校学籍管理员 或 辅导员/班主任`,
      });
    const input: AccountInput = {
      username: get('username'),
      displayName: get('displayName'),
      ...(role ? { role } : {}),
      orgId: get('orgId'),
      ...(get('classIds') ? { classIds: list(get('classIds')) } : {}),
      ...(get('enforcementId') ? { enforcementId: get('enforcementId') } : {}),
      ...(get('conflicts') ? { conflicts: list(get('conflicts')) } : {}),
    };
    return { row, cells, input: errors.length > 0 ? null : input, errors };
  });
  const { raw: _r, headerOf: _h, ...rest } = base;
  return { ...rest, rows };
}

export type AccountPreviewRow =
  | { kind: 'new'; row: number; input: AccountInput; notices: string[] }
  | { kind: 'invalid'; row: number; cells: string[]; errors: ImportError[] };

export type AccountPreview = {
  sheet: ParsedAdminSheet<AccountInput>;
  rows: AccountPreviewRow[];
  counts: Record<AccountPreviewRow['kind'], number>;
  errors: ImportError[];
};

/**
 * The preview of an account sheet: each row a new account, or invalid with every reason (the level rule
 * and validateAccountInput on the orgs this user holds). Usernames already taken elsewhere are found by
 * the server when the accounts are created (it names the row; nothing is created).
 */
export function previewAccountSheet(
  sheet: ParsedAdminSheet<AccountInput>,
  orgs: readonly OrgDoc[],
  user: AuthUser,
): AccountPreview {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const header = (f: string) => {
    const c = ACCOUNT_SHEET_COLUMNS.find((x) => x.field === f);
    return (
      sheet.headers.find(
        (h) =>
          c &&
          (normalizeHeader(h) === normalizeHeader(c.header) ||
            c.aliases?.some((a) => normalizeHeader(a) === normalizeHeader(h))),
      ) ??
      c?.header ??
      f
    );
  };
  const seen = new Map<string, number>();
  const rows: AccountPreviewRow[] = sheet.rows.map((r): AccountPreviewRow => {
    const invalid = (errors: ImportError[]): AccountPreviewRow => ({
      kind: 'invalid',
      row: r.row,
      cells: r.cells,
      errors,
    });
    if (sheet.blocked) return invalid([]);
    if (!r.input) return invalid(r.errors);
    const input = r.input;
    const err = (field: string, code: string, message: string): ImportError => ({
      row: r.row,
      column: header(field.split(/[.[]/)[0] ?? field),
      code,
      message,
    });
    const org = byId.get(input.orgId ?? '');
    if (!org)
      return invalid([err('orgId', 'NOT_FOUND', `找不到单位“${input.orgId ?? ''}”，或它不在您的管辖范围内`)]);
    if (input.role) {
      const d = decideAccountWrite(user, 'create', {
        role: input.role,
        orgPath: org.path,
        orgKind: org.kind,
      });
      if (!d.allow) return invalid([err(d.code === 'OUT_OF_SCOPE' ? 'orgId' : 'role', d.code, d.reason)]);
    }
    const accountOrg: AccountOrg = {
      id: org.id,
      kind: org.kind,
      name: org.name,
      path: org.path,
      disabled: org.disabled,
    };
    const schoolsInArea = new Map(
      orgs
        .filter((o) => o.kind === 'school' && o.path.startsWith(org.path))
        .map((o) => [o.id, o.name] as const),
    );
    const v = validateAccountInput(input, { org: accountOrg, schoolsInArea });
    if (!v.ok) return invalid(v.problems.map((p) => err(p.field, p.code, p.message)));
    const first = seen.get(v.account.username);
    if (first !== undefined)
      return invalid([err('username', 'DUPLICATE', `用户名“${v.account.username}”与本表第 ${first} 行重复`)]);
    seen.set(v.account.username, r.row);
    return { kind: 'new', row: r.row, input, notices: v.notices };
  });
  const counts = { new: 0, invalid: 0 };
  for (const r of rows) counts[r.kind]++;
  return {
    sheet,
    rows,
    counts,
    errors: [
      ...sheet.fileErrors.filter((e) => e.code === 'COLUMN_MISSING'),
      ...rows.flatMap((r) => (r.kind === 'invalid' ? r.errors : [])),
    ],
  };
}

/** The blank sheet of accounts with example rows. */
export function accountSheetTemplate(): SheetTable {
  return {
    headers: ACCOUNT_SHEET_COLUMNS.map((c) => c.header),
    rows: [
      ['s41010501.chen', '陈老师', '辅导员/班主任', 'S41010501', '数控2401班、数控2402班', '', ''],
      ['zz.inspector9', '王督学', '督查人员', '4101', '', '豫教执 4101-0009', 'S41010502'],
    ],
  };
}

/** The parsed sheet in the roster import's shape, for its error report (errorReportTable). */
export function asParsedSheet<T>(sheet: ParsedAdminSheet<T>): ParsedSheet {
  return {
    ...sheet,
    rows: sheet.rows.map((r) => ({ row: r.row, cells: r.cells, record: null, errors: r.errors })),
  };
}
