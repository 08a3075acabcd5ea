// Organisations administered for real (issue 11): the province creates cities and counties, a bureau creates
// and edits the schools of its area with the attributes the rules read (DOMAIN.md "Roles and scope"), an org
// that closes is disabled, never deleted. Pure: the server (server/admin/orgs.ts) and the app's school form
// and sheet import call the same functions, so the server enforces exactly what the form checks.
import { type AuthDecision, type AuthUser, decide } from '../authority/relation';
import { divisionOf } from '../domain/divisions';
import type {
  Campus,
  OrgDoc,
  OrgKind,
  SchoolLevel,
  SchoolOwnership,
  SchoolType,
  TermDates,
} from '../domain/schemas';
import { validateTerm } from '../rules/settings';
import { creditCodeKind, creditCodeProblem, normalizeCreditCode } from '../validate/credit-code';

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  province: '省级教育行政部门',
  city: '市级教育局',
  county: '县（区）教育局',
  school: '学校',
};

export const SCHOOL_LEVEL_LABELS: Record<SchoolLevel, string> = {
  primary: '小学',
  junior: '初中',
  senior: '普通高中',
  vocational: '中职',
};

export const OWNERSHIP_LABELS: Record<SchoolOwnership, string> = { public: '公办', private: '民办' };

/** Which kinds of org may stand directly under which (a school may be a county's, a city's or the province's). */
export const CHILD_KINDS: Record<OrgKind, readonly OrgKind[]> = {
  province: ['city', 'county', 'school'],
  city: ['county', 'school'],
  county: ['school'],
  school: [],
};

/** Which kinds of org each role creates and edits (the province: cities and counties too; bureaus: schools). */
export const ADMINISTERED_KINDS: Partial<Record<AuthUser['role'], readonly OrgKind[]>> = {
  province: ['city', 'county', 'school'],
  bureau: ['school'],
};

/**
 * 学制 by 学段: the years of study a school of that level may have (小学 五年制/六年制, 初中 三/四年制, 普通高中
 * 三年, 中职 二至五年 (五年制高职的中职段 included)).
 */
export const SCHOOLING_YEARS: Record<SchoolLevel, readonly [number, number]> = {
  primary: [5, 6],
  junior: [3, 4],
  senior: [3, 3],
  vocational: [2, 5],
};

/**
 * 学校（机构）标识码 (教育部《学校（机构）代码管理办法》): 10 digits, 2 of the school's category, 2 of the province,
 * 6 of sequence. The categories of the schools this app keeps, and the levels each fits.
 */
export const SCHOOL_CATEGORIES: Readonly<Record<string, { name: string; levels: readonly SchoolLevel[] }>> = {
  '21': { name: '普通小学', levels: ['primary'] },
  '22': { name: '成人小学', levels: ['primary'] },
  '31': { name: '普通初中', levels: ['junior'] },
  '32': { name: '职业初中', levels: ['junior'] },
  '33': { name: '成人初中', levels: ['junior'] },
  '34': { name: '普通高中（完全中学）', levels: ['senior', 'junior'] },
  '35': { name: '成人高中', levels: ['senior'] },
  '36': { name: '中等职业学校', levels: ['vocational'] },
  '37': { name: '工读学校', levels: ['junior', 'senior'] },
  '51': { name: '特殊教育学校', levels: ['primary', 'junior'] },
};

/** The extent of China's territory, for a campus location typed with latitude and longitude swapped. */
const LAT: readonly [number, number] = [3.5, 53.6];
const LNG: readonly [number, number] = [73.4, 135.1];
export const CAMPUS_RADIUS_M: readonly [number, number] = [50, 5000];

/** What a person enters for an org (the form, a sheet row, the API body). */
export type OrgInput = {
  id?: string;
  kind?: OrgKind;
  parentId?: string;
  name?: string;
  creditCode?: string;
  address?: string;
  head?: string;
  level?: SchoolLevel;
  ownership?: SchoolOwnership;
  provincialModel?: boolean;
  enrolmentZone?: string;
  schoolingYears?: number;
  campus?: Campus | null;
  term?: TermDates | null;
};

/** The fields of OrgInput, in form order (the API refuses any other). */
export const ORG_INPUT_FIELDS = [
  'id',
  'kind',
  'parentId',
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
] as const satisfies readonly (keyof OrgInput)[];

export const ORG_FIELD_LABELS: Record<(typeof ORG_INPUT_FIELDS)[number], string> = {
  id: '单位代码',
  kind: '单位类别',
  parentId: '上级单位',
  name: '单位名称',
  creditCode: '统一社会信用代码',
  address: '地址',
  head: '校长（负责人）',
  level: '学段',
  ownership: '办学性质',
  provincialModel: '省级示范校',
  enrolmentZone: '招生片区',
  schoolingYears: '学制（年）',
  campus: '校区位置',
  term: '学期',
};

/** Fields that identify an org and its place in the tree: set at creation, never edited (updateWorkflow). */
export const ORG_FIXED_FIELDS = ['id', 'kind', 'parentId'] as const;

export type OrgProblem = { field: string; code: string; message: string };

/** The parent an org is created under, and what the server knows around it. */
export type OrgContext = {
  /** the parent org (for a new org), or the org's own parent (for an edit) */
  parent: Pick<OrgDoc, 'id' | 'kind' | 'name' | 'path'> & { disabled?: boolean };
  /** the org as stored, for an edit */
  existing?: OrgDoc | null;
  /** the org that already holds a credit code (another than this one): its id, and its name when the user may read it */
  creditCodeHolder?: (code: string) => { id: string; name?: string } | undefined;
  /** whether an org id is already taken (any org, readable or not) */
  idTaken?: (id: string) => boolean;
};

export type OrgValidation =
  | { ok: true; doc: Omit<OrgDoc, 'updatedAt' | 'path'>; notices: string[] }
  | { ok: false; problems: OrgProblem[]; notices: string[] };

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function text(
  raw: unknown,
  field: string,
  label: string,
  max: number,
  problems: OrgProblem[],
  required = false,
): string | undefined {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (required) problems.push({ field, code: 'REQUIRED', message: `请填写${label}` });
    return undefined;
  }
  if (typeof raw !== 'string') {
    problems.push({ field, code: 'TYPE', message: `${label}应为文字` });
    return undefined;
  }
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s.length > max) {
    problems.push({ field, code: 'TOO_LONG', message: `${label}最多 ${max} 个字（现有 ${s.length} 个）` });
    return undefined;
  }
  if (CONTROL.test(s)) {
    problems.push({ field, code: 'CONTROL', message: `${label}含有控制字符` });
    return undefined;
  }
  return s;
}

/** Why an id cannot be the id of a new org of `kind` under `parent` (a 学校标识码 for schools, division codes for bureaus). */
export function orgIdProblem(id: string, kind: OrgKind, provinceCode: string): string | null {
  if (kind === 'city') {
    if (!/^\d{4}$/.test(id)) return '市级单位代码应为 4 位行政区划代码（如郑州市 4101）';
    if (!id.startsWith(provinceCode)) return `市级单位代码应以本省代码 ${provinceCode} 开头`;
    return null;
  }
  if (kind === 'county') {
    if (!/^\d{6}$/.test(id)) return '县（区）单位代码应为 6 位行政区划代码（如金水区 410105）';
    if (!id.startsWith(provinceCode)) return `县（区）单位代码应以本省代码 ${provinceCode} 开头`;
    return null;
  }
  if (kind === 'school') {
    if (!/^\d{10}$/.test(id))
      return '学校代码应为 10 位学校（机构）标识码：2 位学校类别 + 2 位省份 + 6 位序号（如 3441000123）';
    const category = SCHOOL_CATEGORIES[id.slice(0, 2)];
    if (!category)
      return `学校标识码前两位“${id.slice(0, 2)}”不是本系统管理的学校类别（小学 21、初中 31、高中 34、中职 36 等）`;
    if (id.slice(2, 4) !== provinceCode.slice(0, 2))
      return `学校标识码第 3–4 位是省份代码，应为 ${provinceCode.slice(0, 2)}（现为 ${id.slice(2, 4)}）`;
    return null;
  }
  return '省级单位只能在部署时用“xueji admin init”创建';
}

const isKind = (v: unknown): v is OrgKind =>
  v === 'province' || v === 'city' || v === 'county' || v === 'school';
const isLevel = (v: unknown): v is SchoolLevel =>
  v === 'primary' || v === 'junior' || v === 'senior' || v === 'vocational';

function campusOf(raw: unknown, problems: OrgProblem[]): Campus | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ field: 'campus', code: 'TYPE', message: '校区位置应为 {lat, lng, radiusM}' });
    return undefined;
  }
  const { lat, lng, radiusM, address, ...rest } = raw as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra)
    problems.push({
      field: `campus.${extra}`,
      code: 'UNKNOWN_FIELD',
      message: `校区位置中有不认识的字段“${extra}”`,
    });
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);
  const la = num(lat);
  const ln = num(lng);
  const r = num(radiusM);
  const before = problems.length;
  if (!(la >= LAT[0] && la <= LAT[1]))
    problems.push({
      field: 'campus.lat',
      code: 'CAMPUS_LAT',
      message:
        ln >= LAT[0] && ln <= LAT[1] && la >= LNG[0] && la <= LNG[1]
          ? '校区纬度与经度填反了：纬度在 3.5–53.6 之间，经度在 73.4–135.1 之间'
          : `校区纬度应为 ${LAT[0]}–${LAT[1]} 之间的数（北纬，如 34.80）`,
    });
  else if (!(ln >= LNG[0] && ln <= LNG[1]))
    problems.push({
      field: 'campus.lng',
      code: 'CAMPUS_LNG',
      message: `校区经度应为 ${LNG[0]}–${LNG[1]} 之间的数（东经，如 113.66）`,
    });
  if (!(Number.isInteger(r) && r >= CAMPUS_RADIUS_M[0] && r <= CAMPUS_RADIUS_M[1]))
    problems.push({
      field: 'campus.radiusM',
      code: 'CAMPUS_RADIUS',
      message: `校区半径应为 ${CAMPUS_RADIUS_M[0]}–${CAMPUS_RADIUS_M[1]} 米的整数（常态化核验的签到范围）`,
    });
  const addr = text(address, 'campus.address', '校区地址', 200, problems);
  if (problems.length > before) return undefined;
  return {
    lat: Math.round(la * 1e6) / 1e6,
    lng: Math.round(ln * 1e6) / 1e6,
    radiusM: r,
    ...(addr ? { address: addr } : {}),
  };
}

/**
 * Validates an org as entered, for a new org (`ctx.existing` absent) or an edit of a stored one. Returns the
 * document's fields (without path and timestamps, which the server sets) or every problem, each naming its
 * field in Chinese; notices are what is allowed but worth a second look (a credit code of a 民办非企业单位 on a
 * 公办 school, a vocational school without a registered campus).
 */
export function validateOrgInput(raw: unknown, ctx: OrgContext): OrgValidation {
  const problems: OrgProblem[] = [];
  const notices: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: [{ field: '', code: 'TYPE', message: '单位信息应为 JSON 对象' }], notices };
  const input = raw as Record<string, unknown>;
  for (const k of Object.keys(input))
    if (!(ORG_INPUT_FIELDS as readonly string[]).includes(k))
      problems.push({ field: k, code: 'UNKNOWN_FIELD', message: `不认识的字段“${k.slice(0, 40)}”` });
  const existing = ctx.existing ?? null;
  const kind = existing ? existing.kind : input.kind;
  if (existing) {
    for (const f of ORG_FIXED_FIELDS)
      if (input[f] !== undefined && input[f] !== existing[f])
        problems.push({
          field: f,
          code: 'FIXED',
          message: `${ORG_FIELD_LABELS[f]}创建后不能修改（单位调整隶属关系须另行办理）`,
        });
  }
  if (!isKind(kind)) {
    problems.push({ field: 'kind', code: 'REQUIRED', message: '请选择单位类别（市、县（区）或学校）' });
    return { ok: false, problems, notices };
  }
  const provinceCode = ctx.parent.path.split('/').filter(Boolean)[0] ?? '';
  let id = existing?.id;
  if (!existing) {
    if (!CHILD_KINDS[ctx.parent.kind].includes(kind))
      problems.push({
        field: 'parentId',
        code: 'PARENT_KIND',
        message: `${ORG_KIND_LABELS[ctx.parent.kind]}“${ctx.parent.name}”下不能设立${ORG_KIND_LABELS[kind]}`,
      });
    if (ctx.parent.disabled)
      problems.push({
        field: 'parentId',
        code: 'PARENT_DISABLED',
        message: `上级单位“${ctx.parent.name}”已停用，不能新设下级单位`,
      });
    id = text(input.id, 'id', ORG_FIELD_LABELS.id, 40, problems, true);
    if (id) {
      const p = orgIdProblem(id, kind, provinceCode);
      if (p) problems.push({ field: 'id', code: 'ORG_ID', message: p });
      else if (ctx.idTaken?.(id))
        problems.push({ field: 'id', code: 'ORG_ID_TAKEN', message: `单位代码 ${id} 已被使用` });
      else if (kind !== 'school') {
        const division = divisionOf(kind === 'city' ? `${id}00` : id);
        if (division) notices.push(`行政区划代码 ${id} 是“${division.fullName}”`);
      }
    }
  }
  const name = text(input.name ?? existing?.name, 'name', ORG_FIELD_LABELS.name, 100, problems, true);
  if (name !== undefined && name.length < 2)
    problems.push({ field: 'name', code: 'TOO_SHORT', message: '单位名称至少 2 个字' });
  const pick = <K extends keyof OrgInput>(k: K): unknown =>
    k in input ? input[k] : existing?.[k as keyof OrgDoc];
  const address = text(pick('address'), 'address', ORG_FIELD_LABELS.address, 200, problems);
  const head = text(pick('head'), 'head', ORG_FIELD_LABELS.head, 50, problems);

  const doc: Omit<OrgDoc, 'updatedAt' | 'path'> = {
    ...(existing ? stripAttributes(existing) : {}),
    id: id ?? '',
    kind,
    name: name ?? '',
    parentId: existing?.parentId ?? ctx.parent.id,
    ...(address ? { address } : {}),
    ...(head ? { head } : {}),
  };

  const rawCode = pick('creditCode');
  let creditCode: string | undefined;
  if (rawCode !== undefined && rawCode !== null && rawCode !== '') {
    if (typeof rawCode !== 'string')
      problems.push({ field: 'creditCode', code: 'TYPE', message: '统一社会信用代码应为文字' });
    else {
      creditCode = normalizeCreditCode(rawCode);
      const p = creditCodeProblem(creditCode);
      if (p) problems.push({ field: 'creditCode', code: p.code, message: p.message });
      else {
        const holder = ctx.creditCodeHolder?.(creditCode);
        if (holder && holder.id !== (existing?.id ?? id))
          problems.push({
            field: 'creditCode',
            code: 'CREDIT_TAKEN',
            message: holder.name
              ? `统一社会信用代码 ${creditCode} 已登记给“${holder.name}”（${holder.id}），一个代码只属于一个单位`
              : `统一社会信用代码 ${creditCode} 已登记给其他单位，一个代码只属于一个单位`,
          });
      }
    }
  } else if (kind === 'school')
    problems.push({
      field: 'creditCode',
      code: 'REQUIRED',
      message: '请填写学校的统一社会信用代码（18 位，见事业单位法人证书或民办学校办学许可证）',
    });
  if (creditCode) doc.creditCode = creditCode;

  if (kind === 'school') schoolAttributes(input, existing, doc, problems, notices);
  else
    for (const f of [
      'level',
      'ownership',
      'provincialModel',
      'enrolmentZone',
      'schoolingYears',
      'campus',
    ] as const)
      if (input[f] !== undefined && input[f] !== null)
        problems.push({ field: f, code: 'SCHOOL_ONLY', message: `${ORG_FIELD_LABELS[f]}只适用于学校` });

  const rawTerm = pick('term');
  if (rawTerm !== undefined && rawTerm !== null) {
    const t = validateTerm(rawTerm, 'term');
    if (t.ok) doc.term = t.value;
    else for (const p of t.problems) problems.push({ field: p.field, code: 'TERM', message: p.message });
  } else delete doc.term;

  if (problems.length > 0) return { ok: false, problems, notices };
  return { ok: true, doc, notices };
}

/** An org's stored document without the attributes validateOrgInput sets again (its settings and flags stay). */
function stripAttributes(o: OrgDoc): Partial<OrgDoc> {
  const {
    path: _p,
    updatedAt: _u,
    updatedBy: _b,
    address: _a,
    head: _h,
    creditCode: _c,
    level: _l,
    ownership: _o,
    provincialModel: _m,
    enrolmentZone: _z,
    schoolingYears: _y,
    campus: _k,
    term: _t,
    schoolType: _s,
    ...rest
  } = o;
  return rest;
}

function schoolAttributes(
  input: Record<string, unknown>,
  existing: OrgDoc | null,
  doc: Omit<OrgDoc, 'updatedAt' | 'path'>,
  problems: OrgProblem[],
  notices: string[],
): void {
  const pick = (k: string): unknown => (k in input ? input[k] : existing?.[k as keyof OrgDoc]);
  const level = pick('level');
  if (!isLevel(level)) {
    problems.push({ field: 'level', code: 'REQUIRED', message: '请选择学段：小学、初中、普通高中或中职' });
    return;
  }
  doc.level = level;
  doc.schoolType = (level === 'vocational' ? 'vocational' : 'k12') satisfies SchoolType;
  if (!existing && typeof doc.id === 'string' && /^\d{10}$/.test(doc.id)) {
    const category = SCHOOL_CATEGORIES[doc.id.slice(0, 2)];
    if (category && !category.levels.includes(level))
      problems.push({
        field: 'level',
        code: 'LEVEL_CATEGORY',
        message: `学校标识码的类别“${doc.id.slice(0, 2)} ${category.name}”与学段“${SCHOOL_LEVEL_LABELS[level]}”不符`,
      });
  }
  const ownership = pick('ownership');
  if (ownership !== 'public' && ownership !== 'private')
    problems.push({ field: 'ownership', code: 'REQUIRED', message: '请选择办学性质：公办或民办' });
  else {
    doc.ownership = ownership;
    const kind = doc.creditCode ? creditCodeKind(doc.creditCode) : null;
    if (kind && ownership === 'public' && doc.creditCode?.startsWith('52'))
      notices.push(`统一社会信用代码表明这是${kind}，通常为民办学校；请核对办学性质`);
    if (kind && ownership === 'private' && doc.creditCode?.startsWith('12'))
      notices.push(`统一社会信用代码表明这是${kind}，通常为公办学校；请核对办学性质`);
  }
  const years = pick('schoolingYears');
  const [min, max] = SCHOOLING_YEARS[level];
  if (years === undefined || years === null || years === '')
    problems.push({
      field: 'schoolingYears',
      code: 'REQUIRED',
      message: `请填写学制（${SCHOOL_LEVEL_LABELS[level]} ${min === max ? min : `${min}–${max}`} 年）`,
    });
  else if (typeof years !== 'number' || !Number.isInteger(years) || years < min || years > max)
    problems.push({
      field: 'schoolingYears',
      code: 'SCHOOLING_YEARS',
      message: `${SCHOOL_LEVEL_LABELS[level]}的学制应为 ${min === max ? min : `${min}–${max}`} 年（现为 ${String(years)}）`,
    });
  else doc.schoolingYears = years;
  const model = pick('provincialModel');
  if (model !== undefined && model !== null && typeof model !== 'boolean')
    problems.push({ field: 'provincialModel', code: 'TYPE', message: '省级示范校应为“是”或“否”' });
  else if (model === true && level !== 'senior')
    problems.push({
      field: 'provincialModel',
      code: 'MODEL_LEVEL',
      message: '省级示范校只适用于普通高中（R-TX-4NO 所说的“普通学校转入省级示范校”）',
    });
  else if (model === true) doc.provincialModel = true;
  const zone = text(pick('enrolmentZone'), 'enrolmentZone', ORG_FIELD_LABELS.enrolmentZone, 40, problems);
  if (zone) doc.enrolmentZone = zone;
  const campus = campusOf(pick('campus'), problems);
  if (campus) doc.campus = campus;
  else if (level === 'vocational' && !problems.some((p) => p.field.startsWith('campus')))
    notices.push('未登记校区位置和半径：常态化核验无法判断学生签到是否在校内（HN 三.4）');
}

/**
 * Who may create or edit an org (and disable it, which is an edit): the authority table's `orgs` row on the
 * org's place in the tree, then the kinds each role administers. For a new org, `path` is the path it would
 * have (the parent's path and its id).
 */
export function decideOrgWrite(
  user: AuthUser,
  op: 'create' | 'update',
  target: { kind: OrgKind; path: string },
): AuthDecision {
  const d = decide(user, 'orgs', op, { owner: { path: target.path } });
  if (!d.allow) return d;
  if (!(ADMINISTERED_KINDS[user.role] ?? []).includes(target.kind))
    return {
      allow: false,
      relation: d.relation,
      code: 'ROLE',
      reason:
        target.kind === 'school'
          ? '学校由省教育厅或其所属的市、县（区）教育局登记和维护'
          : `${ORG_KIND_LABELS[target.kind]}由省教育厅登记和维护`,
    };
  return d;
}
