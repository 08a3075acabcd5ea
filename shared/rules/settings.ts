// Rule settings (DOMAIN.md: "Where a number is a provincial choice or not settled in public text, it is a
// setting with the default given here"), their validation, and the effective value for a school: the
// nearest value on the path from the school up to the province, with the org that set it.
//
// Who sets what (the server enforces it; effectiveSettings ignores a value on an org of another kind):
// the province sets rule settings, the key-field set and calendar overrides on its org document; a
// bureau sets term dates on its own document (the default of its schools) or on one of its schools.
import { dayNumber, diffDays } from '../calendar/dates';
import type { CalendarOverride, OrgDoc, OrgKind, TermDates } from '../domain/schemas';
import { DEFAULT_KEY_FIELDS, FIELD_META, fieldLabel } from '../domain/student';

export type SettingUnit = 'days' | 'workdays' | 'months' | 'times' | 'persons' | 'monthDay';

export const UNIT_LABELS: Record<SettingUnit, string> = {
  days: '天',
  workdays: '个工作日',
  months: '个月',
  times: '次',
  persons: '人',
  monthDay: '（月-日）',
};

export type RuleSettingDef = {
  key: string;
  label: string;
  unit: SettingUnit;
  default: number | string;
  min?: number;
  max?: number;
  /** where the default comes from when the regulation does not state the number */
  note?: string;
};

const def = <const K extends string>(d: RuleSettingDef & { key: K }) => d;

export const RULE_SETTING_DEFS = [
  def({
    key: 'transferWindowMonths',
    label: '转学办理期：开学前后',
    unit: 'months',
    default: 1,
    min: 0,
    max: 6,
  }),
  def({
    key: 'transferStepWorkdays',
    label: '转学各方的审核期限',
    unit: 'workdays',
    default: 10,
    min: 1,
    max: 60,
    note: '规定只写转学办理时间为开学前后一个月，未写明转入学校、转出学校和各自教育局的审核期限；默认每一方 10 个工作日（教育部《中小学生学籍管理办法》的转学审核时限）',
  }),
  def({
    key: 'changeDeadlineDays',
    label: '异动与信息变更办结期限',
    unit: 'days',
    default: 7,
    min: 1,
    max: 60,
  }),
  def({ key: 'graduationDeadline', label: '毕业生学籍信息完成日期', unit: 'monthDay', default: '06-30' }),
  def({ key: 'leaveLimitDays', label: '每学期累计请假上限', unit: 'days', default: 15, min: 1, max: 180 }),
  def({ key: 'absenceLimitMonths', label: '未请假缺勤上限', unit: 'months', default: 3, min: 1, max: 12 }),
  def({
    key: 'leaveActionWorkdays',
    label: '超假、超期缺勤的处理期限',
    unit: 'workdays',
    default: 5,
    min: 1,
    max: 60,
    note: '规定未写明期限，默认参照河南通知四.1“5 个工作日内”',
  }),
  def({
    key: 'registrationWorkdays',
    label: '开学到校注册期（完成首次核验）',
    unit: 'workdays',
    default: 5,
    min: 1,
    max: 60,
    note: '规定只写“到校注册时”，注册期长短由省设定',
  }),
  def({ key: 'missConsecutive', label: '连续未核验次数', unit: 'times', default: 2, min: 1, max: 20 }),
  def({ key: 'missTotal', label: '累计未核验次数', unit: 'times', default: 4, min: 1, max: 50 }),
  def({
    key: 'missActionWorkdays',
    label: '未核验的处理期限',
    unit: 'workdays',
    default: 5,
    min: 1,
    max: 60,
  }),
  def({ key: 'inspectorsMin', label: '实地核查最少人数', unit: 'persons', default: 2, min: 2, max: 10 }),
  def({ key: 'reportWorkdays', label: '检查报告完成期限', unit: 'workdays', default: 10, min: 1, max: 60 }),
  def({ key: 'publishWorkdays', label: '抽查结果公开期限', unit: 'workdays', default: 20, min: 1, max: 90 }),
] as const;

export type RuleSettingKey = (typeof RULE_SETTING_DEFS)[number]['key'];
/** Every setting is a whole number except the month-day of the graduation deadline. */
export type RuleSettings = Record<Exclude<RuleSettingKey, 'graduationDeadline'>, number> & {
  graduationDeadline: string;
};

export const RULE_SETTING_BY_KEY: ReadonlyMap<string, RuleSettingDef> = new Map(
  RULE_SETTING_DEFS.map((d) => [d.key, d]),
);

export const DEFAULT_RULE_SETTINGS: RuleSettings = Object.fromEntries(
  RULE_SETTING_DEFS.map((d) => [d.key, d.default]),
) as RuleSettings;

/** A problem with a setting value: the field path and a Chinese message naming it. */
export type SettingProblem = { field: string; message: string };

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: SettingProblem[] };

const MONTH_DAY = /^(\d{2})-(\d{2})$/;

/** Checks one rule setting; null when valid. */
export function ruleSettingProblem(
  key: string,
  value: unknown,
  path = `rules.${key}`,
): SettingProblem | null {
  const d = RULE_SETTING_BY_KEY.get(key);
  if (!d) return { field: path, message: `没有名为“${key}”的规则设置` };
  if (d.unit === 'monthDay') {
    const m = typeof value === 'string' ? MONTH_DAY.exec(value) : null;
    if (!m || dayNumber(`2024-${value as string}`) === null)
      return { field: path, message: `${d.label}应为“月-日”，如 06-30，现为“${String(value)}”` };
    return null;
  }
  if (typeof value !== 'number' || !Number.isInteger(value))
    return { field: path, message: `${d.label}应为整数，现为“${String(value)}”` };
  if ((d.min !== undefined && value < d.min) || (d.max !== undefined && value > d.max))
    return {
      field: path,
      message: `${d.label}应在 ${d.min ?? '-∞'} 到 ${d.max ?? '∞'} ${UNIT_LABELS[d.unit]}之间，现为 ${value}`,
    };
  return null;
}

/** Validates a partial map of rule settings (what an org document stores). */
export function validateRuleSettings(raw: unknown, path = 'rules'): Validated<Partial<RuleSettings>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: [{ field: path, message: '规则设置应为对象（名称: 数值）' }] };
  const problems: SettingProblem[] = [];
  const value: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const p = ruleSettingProblem(k, v, `${path}.${k}`);
    if (p) problems.push(p);
    else value[k] = v;
  }
  const r = { ...DEFAULT_RULE_SETTINGS, ...value } as RuleSettings;
  if (problems.length === 0 && r.missConsecutive > r.missTotal)
    problems.push({
      field: `${path}.missConsecutive`,
      message: `连续未核验次数（${r.missConsecutive}）不能大于累计未核验次数（${r.missTotal}）`,
    });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: value as Partial<RuleSettings> };
}

/** The key-field set: known student fields, no duplicates, at least one. */
export function validateKeyFields(raw: unknown, path = 'keyFields'): Validated<string[]> {
  if (!Array.isArray(raw))
    return { ok: false, problems: [{ field: path, message: '关键字段应为字段名列表' }] };
  const problems: SettingProblem[] = [];
  const seen = new Set<string>();
  raw.forEach((f, i) => {
    if (typeof f !== 'string' || !FIELD_META.has(f as never))
      problems.push({ field: `${path}[${i}]`, message: `“${String(f)}”不是学生记录的字段` });
    else if (seen.has(f)) problems.push({ field: `${path}[${i}]`, message: `“${fieldLabel(f)}”重复` });
    else seen.add(f);
  });
  if (raw.length === 0) problems.push({ field: path, message: '关键字段至少要有一个' });
  if (raw.length > 40) problems.push({ field: path, message: '关键字段最多 40 个' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: raw as string[] };
}

/** Calendar override entries: real dates, workday|holiday, a source note of ≤ 200 characters, each date once. */
export function validateCalendarOverrides(raw: unknown, path = 'calendar'): Validated<CalendarOverride[]> {
  if (!Array.isArray(raw))
    return { ok: false, problems: [{ field: path, message: '调整日期应为列表 [{date, kind, note}]' }] };
  if (raw.length > 2000) return { ok: false, problems: [{ field: path, message: '调整日期最多 2000 条' }] };
  const problems: SettingProblem[] = [];
  const seen = new Map<string, number>();
  const out: CalendarOverride[] = [];
  raw.forEach((e, i) => {
    const at = `${path}[${i}]`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      problems.push({ field: at, message: '每条调整应为 {date, kind, note}' });
      return;
    }
    const { date, kind, note, ...rest } = e as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra) problems.push({ field: `${at}.${extra}`, message: `不认识的字段“${extra}”` });
    if (dayNumber(date) === null)
      problems.push({ field: `${at}.date`, message: `日期应为 YYYY-MM-DD，现为“${String(date)}”` });
    if (kind !== 'workday' && kind !== 'holiday')
      problems.push({
        field: `${at}.kind`,
        message: `类型应为 workday（上班）或 holiday（放假），现为“${String(kind)}”`,
      });
    if (note !== undefined && (typeof note !== 'string' || note.length > 200))
      problems.push({ field: `${at}.note`, message: '依据说明应为 200 字以内的文字' });
    if (typeof date === 'string' && seen.has(date))
      problems.push({ field: `${at}.date`, message: `${date} 与第 ${(seen.get(date) ?? 0) + 1} 条重复` });
    if (typeof date === 'string') seen.set(date, i);
    if (typeof date === 'string' && (kind === 'workday' || kind === 'holiday'))
      out.push({ date, kind, ...(typeof note === 'string' && note ? { note } : {}) });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out };
}

/** Term dates: real dates, start before end, at most 9 months apart, a name of ≤ 40 characters. */
export function validateTerm(raw: unknown, path = 'term'): Validated<TermDates> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: [{ field: path, message: '学期应为 {start, end, name}' }] };
  const { start, end, name, ...rest } = raw as Record<string, unknown>;
  const problems: SettingProblem[] = [];
  const extra = Object.keys(rest)[0];
  if (extra) problems.push({ field: `${path}.${extra}`, message: `不认识的字段“${extra}”` });
  if (dayNumber(start) === null)
    problems.push({ field: `${path}.start`, message: `开学日期应为 YYYY-MM-DD，现为“${String(start)}”` });
  if (dayNumber(end) === null)
    problems.push({ field: `${path}.end`, message: `学期结束日期应为 YYYY-MM-DD，现为“${String(end)}”` });
  if (name !== undefined && (typeof name !== 'string' || name.length > 40))
    problems.push({ field: `${path}.name`, message: '学期名称应为 40 字以内的文字' });
  if (problems.length === 0) {
    const days = diffDays(start as string, end as string);
    if (days <= 0)
      problems.push({ field: `${path}.end`, message: `学期结束日期（${end}）应晚于开学日期（${start}）` });
    else if (days > 275) problems.push({ field: `${path}.end`, message: '一个学期不能超过 9 个月' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      start: start as string,
      end: end as string,
      ...(typeof name === 'string' && name ? { name } : {}),
    },
  };
}

/** Which kinds of org may set each part (the server's policy; effectiveSettings honours it too). */
export const SETTING_OWNERS: Record<'rules' | 'keyFields' | 'calendar' | 'term', readonly OrgKind[]> = {
  rules: ['province'],
  keyFields: ['province'],
  calendar: ['province'],
  term: ['city', 'county', 'school'],
};

export type SettingSource = {
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  at?: string;
  by?: string;
};

/** A value and the org that set it; `source` null = the default of the regulation. */
export type Sourced<T> = { value: T; source: SettingSource | null };

export type EffectiveSettings = {
  rules: { [K in RuleSettingKey]: Sourced<RuleSettings[K]> };
  keyFields: Sourced<readonly string[]>;
  /** the province's calendar entries, nearest org winning per date */
  calendar: (CalendarOverride & { source: SettingSource })[];
  term: Sourced<TermDates | null>;
  /** values found on org documents that were ignored (invalid, or set by an org that may not set them) */
  problems: string[];
};

/** The org and its ancestors, nearest first, from a list of org documents (by each org's path). */
export function orgChain(orgs: readonly OrgDoc[], orgId: string): OrgDoc[] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const self = byId.get(orgId);
  if (!self) return [];
  const ids = self.path.split('/').filter(Boolean);
  return ids
    .reverse()
    .map((id) => byId.get(id))
    .filter((o): o is OrgDoc => o !== undefined);
}

function sourceOf(org: OrgDoc, at?: string, by?: string): SettingSource {
  return {
    orgId: org.id,
    orgName: org.name,
    orgKind: org.kind,
    ...(at ? { at } : {}),
    ...(by ? { by } : {}),
  };
}

/**
 * The settings in force for the first org of `chain` (nearest first: the school, its county, its city,
 * the province): for each value the nearest org on the path that set a valid one, else the default.
 */
export function effectiveSettings(chain: readonly OrgDoc[]): EffectiveSettings {
  const problems: string[] = [];
  const rules = Object.fromEntries(
    RULE_SETTING_DEFS.map((d) => [d.key, { value: d.default, source: null }]),
  ) as unknown as EffectiveSettings['rules'];
  const found = new Set<string>();
  let keyFields: EffectiveSettings['keyFields'] = { value: DEFAULT_KEY_FIELDS, source: null };
  let keyFieldsFound = false;
  let term: EffectiveSettings['term'] = { value: null, source: null };
  const calendar = new Map<string, CalendarOverride & { source: SettingSource }>();
  const may = (part: keyof typeof SETTING_OWNERS, org: OrgDoc) => {
    if (SETTING_OWNERS[part].includes(org.kind)) return true;
    problems.push(`${org.name}的${PART_LABELS[part]}未采用：只能由${ownerNames(part)}设置`);
    return false;
  };
  for (const org of chain) {
    const s = org.settings;
    const src = sourceOf(org, s?.updatedAt, s?.updatedBy);
    if (s?.rules && Object.keys(s.rules).length > 0 && may('rules', org)) {
      for (const [k, v] of Object.entries(s.rules)) {
        if (found.has(k)) continue;
        const p = ruleSettingProblem(k, v);
        if (p) {
          problems.push(`${org.name}：${p.message}（未采用）`);
          continue;
        }
        found.add(k);
        (rules as Record<string, Sourced<unknown>>)[k] = { value: v, source: src };
      }
    }
    if (s?.keyFields && !keyFieldsFound && may('keyFields', org)) {
      const v = validateKeyFields(s.keyFields);
      if (v.ok) {
        keyFields = { value: v.value, source: src };
        keyFieldsFound = true;
      } else problems.push(`${org.name}的关键字段设置有误（未采用）：${v.problems[0]?.message ?? ''}`);
    }
    if (s?.calendar && s.calendar.length > 0 && may('calendar', org)) {
      for (const e of s.calendar) {
        if (calendar.has(e.date)) continue;
        if (dayNumber(e.date) === null || (e.kind !== 'workday' && e.kind !== 'holiday')) {
          problems.push(`${org.name}的调整日期“${e.date}”有误（未采用）`);
          continue;
        }
        calendar.set(e.date, { ...e, source: src });
      }
    }
    if (org.term && term.value === null && may('term', org)) {
      const v = validateTerm(org.term);
      if (v.ok) term = { value: v.value, source: sourceOf(org, org.updatedAt, org.updatedBy) };
      else problems.push(`${org.name}的学期设置有误（未采用）：${v.problems[0]?.message ?? ''}`);
    }
  }
  return {
    rules,
    keyFields,
    calendar: [...calendar.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    term,
    problems,
  };
}

const PART_LABELS: Record<keyof typeof SETTING_OWNERS, string> = {
  rules: '规则设置',
  keyFields: '关键字段设置',
  calendar: '工作日调整',
  term: '学期设置',
};

const KIND_LABELS: Record<OrgKind, string> = {
  province: '省教育厅',
  city: '市教育局',
  county: '县（区）教育局',
  school: '学校',
};

function ownerNames(part: keyof typeof SETTING_OWNERS): string {
  return SETTING_OWNERS[part].map((k) => KIND_LABELS[k]).join('、');
}

/** The plain values of the effective rule settings, as the checks take them. */
export function ruleSettingsOf(e: EffectiveSettings): RuleSettings {
  return Object.fromEntries(Object.entries(e.rules).map(([k, v]) => [k, v.value])) as RuleSettings;
}

/** Defaults completed with a partial map (a case file's `settings`, a test's). */
export function withDefaults(partial: Partial<RuleSettings> = {}): RuleSettings {
  return { ...DEFAULT_RULE_SETTINGS, ...partial };
}

/** "省教育厅（河南省教育厅）" or "默认（规定原文）" */
export function settingSourceLabel(source: SettingSource | null): string {
  return source ? `${source.orgName}设置` : '默认值';
}
