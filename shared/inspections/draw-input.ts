// The inputs of the 双随机 draw (一单两库: the matter, the register of objects, the register of enforcement
// staff) as the bureau's screen and `xueji draw` receive them, their checks with Chinese messages naming
// the entry and field, and the canonical form the draw and its inputs hash are computed from.
import { canonicalJson } from '../forms/canonical';
import { DRAW_METHOD, sha256Hex } from './draw-random';

/** 抽查事项: an entry of the bureau's list of inspection matters. */
export type DrawMatter = { id: string; name: string };

/** 检查对象 (a school of the register). `weight` ≥ 1 (default 1): 差异化抽查, see drawInspection. */
export type DrawObject = { id: string; name: string; weight?: number };

/**
 * 执法检查人员. Without an enforcement ID (执法证号) an inspector is not eligible (R-INSP-2); `conflicts`
 * are the ids of objects the inspector declared a conflict of interest with (R-INSP-RECUSE).
 */
export type DrawInspector = {
  id: string;
  name: string;
  enforcementId?: string | null;
  conflicts?: readonly string[];
};

/** ⌈ratio × objects⌉ objects (at least one; ratio in (0, 1], at most 6 decimals), or a fixed count. */
export type DrawSize = { ratio: number } | { count: number };

/** A seed is a text (1–128 characters, no control characters) or a non-negative safe integer. */
export type DrawSeed = string | number;

export type DrawInputs = {
  matter?: DrawMatter | null;
  objects: readonly DrawObject[];
  inspectors: readonly DrawInspector[];
  size: DrawSize;
  /** inspectors per drawn object, K ≥ 2 (R-INSP-2) */
  perObject: number;
};

/** A problem with an input: the field (a path such as `[2].enforcementId`) and a Chinese sentence. */
export type InputProblem = { field: string; message: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

export const DRAW_LIMITS = {
  objects: 5000,
  inspectors: 1000,
  idLength: 64,
  nameLength: 100,
  enforcementIdLength: 40,
  maxWeight: 1000,
  maxPerObject: 20,
  seedLength: 128,
  ratioDecimals: 6,
} as const;

// No control characters (C0, DEL, C1, line and paragraph separators) in ids, names and seeds.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function textField(
  raw: unknown,
  field: string,
  what: string,
  max: number,
  problems: InputProblem[],
): string | undefined {
  if (raw === undefined || raw === null) {
    problems.push({ field, message: `${what}缺失` });
    return undefined;
  }
  if (typeof raw !== 'string') {
    problems.push({ field, message: `${what}应为文字（JSON 中用双引号括起），现为 ${JSON.stringify(raw)}` });
    return undefined;
  }
  const s = raw.trim();
  if (s === '') problems.push({ field, message: `${what}不能为空` });
  else if (s.length > max)
    problems.push({ field, message: `${what}不能超过 ${max} 个字符（现有 ${s.length} 个）` });
  else if (CONTROL.test(s)) problems.push({ field, message: `${what}含有控制字符` });
  else return s;
  return undefined;
}

function entries(raw: unknown, what: string, max: number, problems: InputProblem[]): unknown[] | undefined {
  if (!Array.isArray(raw)) {
    problems.push({ field: '（根）', message: `应为${what}的列表（JSON 数组 [...]）` });
    return undefined;
  }
  if (raw.length === 0) problems.push({ field: '（根）', message: `${what}列表是空的` });
  if (raw.length > max)
    problems.push({ field: '（根）', message: `${what}最多 ${max} 个（现有 ${raw.length} 个）` });
  return raw;
}

function record(
  raw: unknown,
  field: string,
  what: string,
  problems: InputProblem[],
): Record<string, unknown> | undefined {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
  problems.push({ field, message: `${what}应为对象 {...}，现为 ${JSON.stringify(raw)}` });
  return undefined;
}

function duplicateIds<T extends { id: string }>(
  list: readonly (T | undefined)[],
  what: string,
  problems: InputProblem[],
): void {
  const first = new Map<string, number>();
  list.forEach((x, i) => {
    if (!x) return;
    const j = first.get(x.id);
    if (j === undefined) first.set(x.id, i);
    else
      problems.push({
        field: `[${i}].id`,
        message: `第 ${i + 1} 个${what}的编号“${x.id}”与第 ${j + 1} 个重复`,
      });
  });
}

/** Checks the objects file: `[{ "id", "name", "weight"? }]`; unknown keys are ignored. */
export function parseDrawObjects(raw: unknown): Parsed<DrawObject[]> {
  const problems: InputProblem[] = [];
  const list = entries(raw, '检查对象', DRAW_LIMITS.objects, problems);
  if (!list) return { ok: false, problems };
  const out = list.map((item, i): DrawObject | undefined => {
    const at = `第 ${i + 1} 个检查对象`;
    const r = record(item, `[${i}]`, at, problems);
    if (!r) return undefined;
    const id = textField(r.id, `[${i}].id`, `${at}的“id”（对象编号）`, DRAW_LIMITS.idLength, problems);
    const name = textField(r.name, `[${i}].name`, `${at}的“name”（名称）`, DRAW_LIMITS.nameLength, problems);
    let weight: number | undefined;
    if (r.weight !== undefined && r.weight !== null) {
      if (
        typeof r.weight !== 'number' ||
        !Number.isInteger(r.weight) ||
        r.weight < 1 ||
        r.weight > DRAW_LIMITS.maxWeight
      )
        problems.push({
          field: `[${i}].weight`,
          message: `${at}的“weight”（风险权重）应为 1 到 ${DRAW_LIMITS.maxWeight} 的整数，现为 ${JSON.stringify(r.weight)}`,
        });
      else weight = r.weight;
    }
    if (id === undefined || name === undefined) return undefined;
    return weight === undefined ? { id, name } : { id, name, weight };
  });
  duplicateIds(out, '检查对象', problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out as DrawObject[] };
}

/** Checks the inspectors file: `[{ "id", "name", "enforcementId", "conflicts": [<object id>, …] }]`. */
export function parseDrawInspectors(raw: unknown): Parsed<DrawInspector[]> {
  const problems: InputProblem[] = [];
  const list = entries(raw, '检查人员', DRAW_LIMITS.inspectors, problems);
  if (!list) return { ok: false, problems };
  const out = list.map((item, i): DrawInspector | undefined => {
    const at = `第 ${i + 1} 个检查人员`;
    const r = record(item, `[${i}]`, at, problems);
    if (!r) return undefined;
    const id = textField(r.id, `[${i}].id`, `${at}的“id”（人员编号）`, DRAW_LIMITS.idLength, problems);
    const name = textField(r.name, `[${i}].name`, `${at}的“name”（姓名）`, DRAW_LIMITS.nameLength, problems);
    // No enforcement ID (absent, null or blank) is allowed in the register: such a person is not eligible.
    let enforcementId: string | null = null;
    if (r.enforcementId !== undefined && r.enforcementId !== null) {
      if (typeof r.enforcementId !== 'string')
        problems.push({
          field: `[${i}].enforcementId`,
          message: `${at}的“enforcementId”（执法证号）应为文字，现为 ${JSON.stringify(r.enforcementId)}`,
        });
      else if (r.enforcementId.trim() !== '')
        enforcementId =
          textField(
            r.enforcementId,
            `[${i}].enforcementId`,
            `${at}的“enforcementId”（执法证号）`,
            DRAW_LIMITS.enforcementIdLength,
            problems,
          ) ?? null;
    }
    let conflicts: string[] = [];
    if (r.conflicts !== undefined && r.conflicts !== null) {
      if (!Array.isArray(r.conflicts))
        problems.push({
          field: `[${i}].conflicts`,
          message: `${at}的“conflicts”（有利害关系的对象编号）应为列表 [...]，现为 ${JSON.stringify(r.conflicts)}`,
        });
      else if (r.conflicts.length > DRAW_LIMITS.objects)
        problems.push({
          field: `[${i}].conflicts`,
          message: `${at}的“conflicts”最多 ${DRAW_LIMITS.objects} 项（现有 ${r.conflicts.length} 项）`,
        });
      else
        conflicts = r.conflicts.flatMap((c, j) => {
          const v = textField(
            c,
            `[${i}].conflicts[${j}]`,
            `${at}的“conflicts”第 ${j + 1} 项（对象编号）`,
            DRAW_LIMITS.idLength,
            problems,
          );
          return v === undefined ? [] : [v];
        });
    }
    if (id === undefined || name === undefined) return undefined;
    return { id, name, enforcementId, conflicts };
  });
  duplicateIds(out, '检查人员', problems);
  const holder = new Map<string, number>();
  out.forEach((p, i) => {
    if (!p?.enforcementId) return;
    const j = holder.get(p.enforcementId);
    if (j === undefined) holder.set(p.enforcementId, i);
    else
      problems.push({
        field: `[${i}].enforcementId`,
        message: `第 ${i + 1} 个检查人员的执法证号“${p.enforcementId}”与第 ${j + 1} 个相同，一个执法证只属于一个人`,
      });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out as DrawInspector[] };
}

/** Checks a seed: a text of 1–128 characters without control characters, or a non-negative safe integer. */
export function parseSeed(raw: unknown): Parsed<DrawSeed> {
  const bad = (message: string): Parsed<DrawSeed> => ({ ok: false, problems: [{ field: 'seed', message }] });
  if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw) && raw >= 0) return { ok: true, value: raw };
    return bad(`随机种子为数字时应为非负整数（不超过 ${Number.MAX_SAFE_INTEGER}），现为 ${raw}`);
  }
  if (typeof raw !== 'string') return bad(`随机种子应为文字或整数，现为 ${JSON.stringify(raw)}`);
  if (raw.trim() === '') return bad('随机种子不能为空');
  if (raw.length > DRAW_LIMITS.seedLength)
    return bad(`随机种子不能超过 ${DRAW_LIMITS.seedLength} 个字符（现有 ${raw.length} 个）`);
  if (CONTROL.test(raw)) return bad('随机种子含有控制字符');
  return { ok: true, value: raw };
}

/**
 * A seed typed on a command line: digits only (no leading zero, within the safe range) is an integer,
 * anything else a text. Either way the draw uses its decimal text, so 42 and "42" are the same seed.
 */
export function seedFromArgument(text: string): DrawSeed {
  return /^(0|[1-9]\d*)$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

export function seedText(seed: DrawSeed): string {
  return typeof seed === 'number' ? String(seed) : seed;
}

/** The number of objects a size draws from a register of `total`: ⌈ratio × total⌉ (at least 1), or count. */
export function resolveDrawCount(size: DrawSize, total: number): Parsed<number> {
  const bad = (field: string, message: string): Parsed<number> => ({
    ok: false,
    problems: [{ field, message }],
  });
  if ('ratio' in size) {
    const r = size.ratio;
    if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0 || r > 1)
      return bad('ratio', `抽查比例应在 0 和 1 之间（例如 0.2 表示 20%），现为 ${r}`);
    // Exact decimal arithmetic: 0.3 × 10 in floating point is 3.0000000000000004, whose ceiling is 4.
    const scale = 10 ** DRAW_LIMITS.ratioDecimals;
    const units = Math.round(r * scale);
    if (Math.abs(units / scale - r) > 1e-12 || units === 0)
      return bad('ratio', `抽查比例最多 ${DRAW_LIMITS.ratioDecimals} 位小数，现为 ${r}`);
    return { ok: true, value: Math.max(1, Math.ceil((units * total) / scale)) };
  }
  const n = size.count;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    return bad('count', `抽取数量应为正整数，现为 ${n}`);
  if (n > total) return bad('count', `抽取数量 ${n} 超过检查对象总数 ${total}`);
  return { ok: true, value: n };
}

/** The canonical inputs: what the draw is computed from and its inputs hash covers. */
export type CanonicalDrawInputs = {
  method: typeof DRAW_METHOD;
  matter: DrawMatter | null;
  /** sorted by id (UTF-16 code units, not a locale), weight filled in */
  objects: { id: string; name: string; weight: number }[];
  /** sorted by id; `enforcementId` null when none; conflicts sorted, without repeats */
  inspectors: { id: string; name: string; enforcementId: string | null; conflicts: string[] }[];
  /** the resolved number of objects drawn (a ratio and the count it gives draw the same) */
  drawCount: number;
  perObject: number;
};

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Checks and canonicalises inputs that already have the types (the parsers above made them, or the app's
 * records): sorted by id so the order of the files never changes the draw, text trimmed, defaults filled.
 */
export function canonicalDrawInputs(inputs: DrawInputs): Parsed<CanonicalDrawInputs> {
  const problems: InputProblem[] = [];
  const objects = parseDrawObjects(inputs.objects);
  if (!objects.ok) problems.push(...objects.problems.map((p) => ({ ...p, field: `objects${p.field}` })));
  const inspectors = parseDrawInspectors(inputs.inspectors);
  if (!inspectors.ok)
    problems.push(...inspectors.problems.map((p) => ({ ...p, field: `inspectors${p.field}` })));
  let matter: DrawMatter | null = null;
  if (inputs.matter) {
    const id = textField(inputs.matter.id, 'matter.id', '抽查事项编号', DRAW_LIMITS.idLength, problems);
    const name = textField(inputs.matter.name, 'matter.name', '抽查事项名称', 200, problems);
    if (id !== undefined && name !== undefined) matter = { id, name };
  }
  const k = inputs.perObject;
  // R-INSP-2 (YQ 总述 二): an on-site inspection needs at least two inspectors.
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 2 || k > DRAW_LIMITS.maxPerObject)
    problems.push({
      field: 'perObject',
      message: `每个对象的检查人员数应为 2 到 ${DRAW_LIMITS.maxPerObject} 的整数，现为 ${k}（R-INSP-2：实地核查人员不得少于两人，YQ 总述 二）`,
    });
  let drawCount = 0;
  if (objects.ok) {
    const count = resolveDrawCount(inputs.size, objects.value.length);
    if (count.ok) drawCount = count.value;
    else problems.push(...count.problems);
  }
  if (problems.length > 0 || !objects.ok || !inspectors.ok) return { ok: false, problems };
  return {
    ok: true,
    value: {
      method: DRAW_METHOD,
      matter,
      objects: objects.value
        .map((o) => ({ id: o.id, name: o.name, weight: o.weight ?? 1 }))
        .sort((a, b) => byCodeUnits(a.id, b.id)),
      inspectors: inspectors.value
        .map((p) => ({
          id: p.id,
          name: p.name,
          enforcementId: p.enforcementId ?? null,
          conflicts: [...new Set(p.conflicts ?? [])].sort(byCodeUnits),
        }))
        .sort((a, b) => byCodeUnits(a.id, b.id)),
      drawCount,
      perObject: k,
    },
  };
}

/** SHA-256 (hex) of the canonical JSON (keys sorted, no whitespace) of the canonical inputs. */
export function drawInputsHash(canonical: CanonicalDrawInputs): string {
  return sha256Hex(canonicalJson(canonical));
}

export { byCodeUnits };
