// A case for `xueji rules check --case FILE.json` (docs/rules.md "The case format"): parsed with Chinese
// messages naming the field, then evaluated by every rule of the registry.
import { type CalendarOverride, makeCalendar, type WorkCalendar } from '../calendar/calendar';
import { dayNumber, type Ymd } from '../calendar/dates';
import { STUDENT_STATUSES } from '../domain/codes';
import type { SchoolLevel, SchoolOwnership } from '../domain/schemas';
import { RULE_BY_ID, RULES, type RuleContext } from './registry';
import { type RuleSettings, validateCalendarOverrides, validateRuleSettings, withDefaults } from './settings';
import {
  type AbsenceFact,
  type AidFact,
  type AppealFact,
  type ChangeFacts,
  type CheckinFact,
  type CheckResult,
  type Finding,
  type InspectionFacts,
  type InspectorFacts,
  type LeaveFact,
  RULE_CHANGE_TYPES,
  type RuleChangeType,
  result,
  type SchoolFacts,
  type StudentFacts,
  type TaskFact,
  type TaskIssuer,
  type TermFacts,
} from './types';

export type RuleCase = {
  date: Ymd;
  schools: Record<string, SchoolFacts>;
  term?: TermFacts;
  student?: StudentFacts;
  change?: ChangeFacts;
  tasks?: TaskFact[];
  checkins: CheckinFact[];
  leaves: LeaveFact[];
  appeals: AppealFact[];
  absences: AbsenceFact[];
  inspection?: InspectionFacts;
  settings: Partial<RuleSettings>;
  calendar: CalendarOverride[];
};

export class CaseError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`字段 ${field}：${message}`);
    this.name = 'CaseError';
  }
}

type Raw = Record<string, unknown>;

function obj(v: unknown, path: string, keys: readonly string[]): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new CaseError(path || '（根）', '应为对象 {…}');
  for (const k of Object.keys(v))
    if (!keys.includes(k))
      throw new CaseError(join(path, k), `不认识的字段“${k}”（可用：${keys.join('、')}）`);
  return v as Raw;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function arr(v: unknown, path: string, max = 1000): unknown[] {
  if (!Array.isArray(v)) throw new CaseError(path, '应为列表 […]');
  if (v.length > max) throw new CaseError(path, `最多 ${max} 项`);
  return v;
}

function str(v: unknown, path: string, label: string, max = 100): string {
  if (typeof v !== 'string' || v.trim() === '') throw new CaseError(path, `${label}应为非空文字`);
  if (v.length > max) throw new CaseError(path, `${label}最多 ${max} 个字`);
  return v.trim();
}

function date(v: unknown, path: string, label: string): Ymd {
  if (dayNumber(v) === null) throw new CaseError(path, `${label}应为日期 YYYY-MM-DD，现为“${String(v)}”`);
  return v as Ymd;
}

function bool(v: unknown, path: string, label: string): boolean {
  if (typeof v !== 'boolean') throw new CaseError(path, `${label}应为 true 或 false`);
  return v;
}

function int(v: unknown, path: string, label: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new CaseError(path, `${label}应为 ${min} 到 ${max} 之间的整数，现为“${String(v)}”`);
  return v;
}

/** Accepts the code or its Chinese name (e.g. "senior" or "普通高中"). */
function oneOf<K extends string>(
  v: unknown,
  path: string,
  label: string,
  names: Record<K, string>,
  aliases: Record<string, K> = {},
): K {
  if (typeof v === 'string') {
    if (Object.hasOwn(names, v)) return v as K;
    for (const [k, n] of Object.entries<string>(names)) if (n === v) return k as K;
    if (Object.hasOwn(aliases, v)) return aliases[v] as K;
  }
  throw new CaseError(
    path,
    `${label}只能是 ${Object.values<string>(names).join('、')} 之一，现为“${String(v)}”`,
  );
}

const opt = <T>(raw: Raw, key: string, path: string, read: (v: unknown, p: string) => T): T | undefined =>
  raw[key] === undefined || raw[key] === null ? undefined : read(raw[key], join(path, key));

const LEVELS: Record<SchoolLevel, string> = {
  primary: '小学',
  junior: '初中',
  senior: '普通高中',
  vocational: '中职',
};
const OWNERSHIPS: Record<SchoolOwnership, string> = { public: '公办', private: '民办' };
const STUDY_FORMS = { fullTime: '全日制', partTime: '非全日制' } as const;
const ISSUERS: Record<TaskIssuer, string> = { province: '省教育厅', bureau: '教育局', school: '学校' };
const RESULTS = { pass: '通过', fail: '未通过' } as const;
const LEAVE_STATUSES = {
  approved: '已批准',
  pending: '待审批',
  rejected: '未批准',
  cancelled: '已撤销',
} as const;
const AID_KINDS = { grant: '国家助学金', feeWaiver: '免学费' } as const;

function school(v: unknown, path: string, id: string): SchoolFacts {
  const r = obj(v, path, [
    'name',
    'level',
    'ownership',
    'provincialModel',
    'enrolmentZone',
    'countyCode',
    'cityCode',
    'years',
  ]);
  const s: SchoolFacts = {
    id,
    level: oneOf(r.level, join(path, 'level'), '学段', LEVELS, {
      中等职业学校: 'vocational',
      高中: 'senior',
    }),
  };
  const name = opt(r, 'name', path, (x, p) => str(x, p, '学校名称'));
  if (name) s.name = name;
  const own = opt(r, 'ownership', path, (x, p) => oneOf(x, p, '办学性质', OWNERSHIPS));
  if (own) s.ownership = own;
  const model = opt(r, 'provincialModel', path, (x, p) => bool(x, p, '是否省级示范校'));
  if (model !== undefined) s.provincialModel = model;
  const zone = opt(r, 'enrolmentZone', path, (x, p) => str(x, p, '招生区域', 40));
  if (zone) s.enrolmentZone = zone;
  const county = opt(r, 'countyCode', path, (x, p) => {
    const c = str(x, p, '区县代码', 6);
    if (!/^\d{6}$/.test(c)) throw new CaseError(p, `区县代码应为 6 位数字，现为“${c}”`);
    return c;
  });
  if (county) s.countyId = county;
  const city = opt(r, 'cityCode', path, (x, p) => {
    const c = str(x, p, '市代码', 6);
    if (!/^\d{4}$/.test(c)) throw new CaseError(p, `市代码应为 4 位数字，现为“${c}”`);
    return c;
  });
  if (city) s.cityId = city;
  if (s.cityId && s.countyId && !s.countyId.startsWith(s.cityId))
    throw new CaseError(join(path, 'countyCode'), `区县代码 ${s.countyId} 不属于市代码 ${s.cityId}`);
  const years = opt(r, 'years', path, (x, p) => int(x, p, '学制（年）', 1, 12));
  if (years !== undefined) s.years = years;
  return s;
}

function student(v: unknown, path: string, schools: Record<string, SchoolFacts>): StudentFacts {
  const r = obj(v, path, [
    'schoolId',
    'name',
    'year',
    'studyForm',
    'flexible',
    'status',
    'changedForVerification',
    'statusBeforeChange',
    'aid',
  ]);
  const schoolId = str(r.schoolId, join(path, 'schoolId'), '所在学校');
  if (!schools[schoolId]) throw new CaseError(join(path, 'schoolId'), `学校“${schoolId}”不在 schools 中`);
  const s: StudentFacts = { schoolId };
  const name = opt(r, 'name', path, (x, p) => str(x, p, '姓名', 50));
  if (name) s.name = name;
  const years = schools[schoolId]?.years ?? 12;
  const year = opt(r, 'year', path, (x, p) => int(x, p, '学年', 1, years));
  if (year !== undefined) s.year = year;
  const form = opt(r, 'studyForm', path, (x, p) => oneOf(x, p, '学习形式', STUDY_FORMS));
  if (form) s.studyForm = form;
  const flex = opt(r, 'flexible', path, (x, p) => bool(x, p, '是否弹性学习'));
  if (flex !== undefined) s.flexible = flex;
  const status = opt(r, 'status', path, (x, p) =>
    oneOf(x, p, '学籍状态', STUDENT_STATUSES, { 出国: 'abroad' }),
  );
  if (status) s.status = status;
  const changed = opt(r, 'changedForVerification', path, (x, p) => bool(x, p, '是否已因核验未通过办理异动'));
  if (changed !== undefined) s.changedForVerification = changed;
  const before = opt(r, 'statusBeforeChange', path, (x, p) =>
    oneOf(x, p, '异动前的学籍状态', STUDENT_STATUSES),
  );
  if (before) s.statusBeforeChange = before;
  const aid = opt(r, 'aid', path, (x, p) =>
    arr(x, p, 10).map((a, i): AidFact => {
      const ap = `${p}[${i}]`;
      const ar = obj(a, ap, ['kind', 'paid']);
      return {
        kind: oneOf(ar.kind, join(ap, 'kind'), '资助类型', AID_KINDS, {
          资助金: 'grant',
          助学金: 'grant',
          国家免学费: 'feeWaiver',
        }),
        paid: bool(ar.paid, join(ap, 'paid'), '是否已发放'),
      };
    }),
  );
  if (aid) s.aid = aid;
  return s;
}

const CHANGE_ALIASES: Record<string, RuleChangeType> = {
  出国: 'abroad',
  '出国（境）': 'abroad',
  信息变更: 'infoChange',
  学生基本信息变更: 'infoChange',
  转入: 'transfer',
};

function change(
  v: unknown,
  path: string,
  c: { date: Ymd; schools: Record<string, SchoolFacts> },
): ChangeFacts {
  const r = obj(v, path, ['type', 'toSchoolId', 'appliedOn', 'doneOn']);
  const ch: ChangeFacts = {
    type: oneOf(r.type, join(path, 'type'), '异动类型', RULE_CHANGE_TYPES, CHANGE_ALIASES),
    appliedOn: opt(r, 'appliedOn', path, (x, p) => date(x, p, '申请日期')) ?? c.date,
  };
  const to = opt(r, 'toSchoolId', path, (x, p) => str(x, p, '转入学校'));
  if (to) {
    if (!c.schools[to]) throw new CaseError(join(path, 'toSchoolId'), `学校“${to}”不在 schools 中`);
    ch.toSchoolId = to;
  }
  const done = opt(r, 'doneOn', path, (x, p) => date(x, p, '办结日期'));
  if (done) {
    if (done < ch.appliedOn)
      throw new CaseError(join(path, 'doneOn'), `办结日期 ${done} 早于申请日期 ${ch.appliedOn}`);
    ch.doneOn = done;
  }
  return ch;
}

function term(v: unknown, path: string): TermFacts {
  const r = obj(v, path, ['start', 'end', 'name']);
  const t: TermFacts = {
    start: date(r.start, join(path, 'start'), '开学日期'),
    end: date(r.end, join(path, 'end'), '学期结束日期'),
  };
  if (t.end <= t.start)
    throw new CaseError(join(path, 'end'), `学期结束日期 ${t.end} 应晚于开学日期 ${t.start}`);
  const name = opt(r, 'name', path, (x, p) => str(x, p, '学期名称', 40));
  if (name) t.name = name;
  return t;
}

function inspection(v: unknown, path: string, schools: Record<string, SchoolFacts>): InspectionFacts {
  const r = obj(v, path, ['schoolId', 'date', 'endDate', 'inspectors', 'reportedOn', 'publishedOn']);
  const schoolId = str(r.schoolId, join(path, 'schoolId'), '检查对象');
  if (!schools[schoolId]) throw new CaseError(join(path, 'schoolId'), `学校“${schoolId}”不在 schools 中`);
  const f: InspectionFacts = {
    schoolId,
    date: date(r.date, join(path, 'date'), '检查日期'),
    inspectors: arr(r.inspectors ?? [], join(path, 'inspectors'), 50).map((x, i): InspectorFacts => {
      const p = `${join(path, 'inspectors')}[${i}]`;
      const ir = obj(x, p, ['id', 'name', 'enforcementId', 'conflicts']);
      const out: InspectorFacts = { id: str(ir.id, join(p, 'id'), '检查人员编号', 40) };
      const name = opt(ir, 'name', p, (y, q) => str(y, q, '姓名', 50));
      if (name) out.name = name;
      const eid = opt(ir, 'enforcementId', p, (y, q) => str(y, q, '执法证号', 40));
      if (eid) out.enforcementId = eid;
      const conflicts = opt(ir, 'conflicts', p, (y, q) =>
        arr(y, q, 200).map((z, k) => str(z, `${q}[${k}]`, '有利害关系的学校')),
      );
      if (conflicts) out.conflicts = conflicts;
      return out;
    }),
  };
  const end = opt(r, 'endDate', path, (x, p) => date(x, p, '检查结束日期'));
  if (end) {
    if (end < f.date)
      throw new CaseError(join(path, 'endDate'), `检查结束日期 ${end} 早于检查日期 ${f.date}`);
    f.endDate = end;
  }
  const reported = opt(r, 'reportedOn', path, (x, p) => date(x, p, '报告完成日期'));
  if (reported) f.reportedOn = reported;
  const published = opt(r, 'publishedOn', path, (x, p) => date(x, p, '结果公开日期'));
  if (published) f.publishedOn = published;
  const ids = new Set<string>();
  f.inspectors.forEach((i, k) => {
    if (ids.has(i.id)) throw new CaseError(`${join(path, 'inspectors')}[${k}].id`, `检查人员“${i.id}”重复`);
    ids.add(i.id);
  });
  return f;
}

const CASE_KEYS = [
  'description',
  'date',
  'schools',
  'term',
  'student',
  'change',
  'tasks',
  'checkins',
  'leaves',
  'appeals',
  'absences',
  'inspection',
  'settings',
  'calendar',
] as const;

/** Parses a case; throws CaseError naming the field. */
export function parseRuleCase(raw: unknown): RuleCase {
  const r = obj(raw, '', CASE_KEYS);
  const when = date(r.date, 'date', '评估日期');
  const schoolsRaw = obj(r.schools ?? {}, 'schools', Object.keys((r.schools as object) ?? {}));
  const schools: Record<string, SchoolFacts> = {};
  for (const [id, s] of Object.entries(schoolsRaw)) schools[id] = school(s, `schools.${id}`, id);
  const c: RuleCase = {
    date: when,
    schools,
    checkins: [],
    leaves: [],
    appeals: [],
    absences: [],
    settings: {},
    calendar: [],
  };
  if (typeof r.description !== 'undefined') str(r.description, 'description', '说明', 2000);
  const t = opt(r, 'term', '', term);
  if (t) c.term = t;
  const st = opt(r, 'student', '', (v, p) => student(v, p, schools));
  if (st) c.student = st;
  const needStudent = (key: string) => {
    if (r[key] !== undefined && !c.student)
      throw new CaseError('student', `有 ${key} 时须给出 student（学生）`);
  };
  for (const k of ['change', 'tasks', 'checkins', 'leaves', 'appeals', 'absences']) needStudent(k);
  const ch = opt(r, 'change', '', (v, p) => change(v, p, { date: when, schools }));
  if (ch) {
    c.change = ch;
    if (ch.type === 'transfer') {
      if (!ch.toSchoolId) throw new CaseError('change.toSchoolId', '转学须给出转入学校 toSchoolId');
      if (ch.toSchoolId === c.student?.schoolId)
        throw new CaseError('change.toSchoolId', '转入学校与所在学校相同');
      if (!c.term) throw new CaseError('term', '转学须给出学期 term（开学日期决定转学办理期，R-TX-WINDOW）');
    }
  }
  const tasks = opt(r, 'tasks', '', (v, p) =>
    arr(v, p).map((x, i): TaskFact => {
      const q = `${p}[${i}]`;
      const tr = obj(x, q, ['id', 'issuer', 'start', 'end', 'name', 'closed']);
      const task: TaskFact = {
        id: str(tr.id, join(q, 'id'), '任务编号', 60),
        issuer: oneOf(tr.issuer, join(q, 'issuer'), '发起单位', ISSUERS, {
          上级教育局: 'bureau',
          市教育局: 'bureau',
          县教育局: 'bureau',
        }),
        start: date(tr.start, join(q, 'start'), '开始日期'),
        end: date(tr.end, join(q, 'end'), '截止日期'),
      };
      if (task.end < task.start)
        throw new CaseError(join(q, 'end'), `截止日期 ${task.end} 早于开始日期 ${task.start}`);
      const name = opt(tr, 'name', q, (y, z) => str(y, z, '任务名称', 100));
      if (name) task.name = name;
      const closed = opt(tr, 'closed', q, (y, z) => bool(y, z, '是否已截止'));
      if (closed !== undefined) task.closed = closed;
      return task;
    }),
  );
  if (tasks) {
    const seen = new Set<string>();
    tasks.forEach((t, i) => {
      if (seen.has(t.id)) throw new CaseError(`tasks[${i}].id`, `任务编号“${t.id}”重复`);
      seen.add(t.id);
    });
    c.tasks = tasks;
  }
  const taskRef = (v: unknown, p: string) => {
    const id = str(v, p, '核验任务');
    if (!c.tasks?.some((t) => t.id === id)) throw new CaseError(p, `核验任务“${id}”不在 tasks 中`);
    return id;
  };
  c.checkins =
    opt(r, 'checkins', '', (v, p) =>
      arr(v, p, 5000).map((x, i): CheckinFact => {
        const q = `${p}[${i}]`;
        const cr = obj(x, q, ['task', 'result']);
        return {
          task: taskRef(cr.task, join(q, 'task')),
          result: oneOf(cr.result, join(q, 'result'), '核验结果', RESULTS),
        };
      }),
    ) ?? [];
  c.leaves =
    opt(r, 'leaves', '', (v, p) =>
      arr(v, p).map((x, i): LeaveFact => {
        const q = `${p}[${i}]`;
        const lr = obj(x, q, ['from', 'to', 'status', 'returnedOn', 'approvedOn']);
        const l: LeaveFact = {
          from: date(lr.from, join(q, 'from'), '请假开始日期'),
          to: date(lr.to, join(q, 'to'), '请假结束日期'),
          status: oneOf(lr.status, join(q, 'status'), '请假状态', LEAVE_STATUSES),
        };
        if (l.to < l.from) throw new CaseError(join(q, 'to'), `请假结束日期 ${l.to} 早于开始日期 ${l.from}`);
        const back = opt(lr, 'returnedOn', q, (y, z) => date(y, z, '销假日期'));
        if (back) {
          if (back < l.from)
            throw new CaseError(join(q, 'returnedOn'), `销假日期 ${back} 早于请假开始日期 ${l.from}`);
          l.returnedOn = back;
        }
        const approvedOn = opt(lr, 'approvedOn', q, (y, z) => date(y, z, '批准日期'));
        if (approvedOn) l.approvedOn = approvedOn;
        return l;
      }),
    ) ?? [];
  c.appeals =
    opt(r, 'appeals', '', (v, p) =>
      arr(v, p).map((x, i): AppealFact => {
        const q = `${p}[${i}]`;
        const ar = obj(x, q, ['task', 'upheld']);
        const a: AppealFact = { task: taskRef(ar.task, join(q, 'task')) };
        const up = opt(ar, 'upheld', q, (y, z) => bool(y, z, '申诉是否通过'));
        if (up !== undefined) a.upheld = up;
        return a;
      }),
    ) ?? [];
  c.absences =
    opt(r, 'absences', '', (v, p) =>
      arr(v, p).map((x, i): AbsenceFact => {
        const q = `${p}[${i}]`;
        const ar = obj(x, q, ['from', 'to']);
        const a: AbsenceFact = { from: date(ar.from, join(q, 'from'), '缺勤开始日期') };
        const to = opt(ar, 'to', q, (y, z) => date(y, z, '缺勤结束日期'));
        if (to) {
          if (to < a.from) throw new CaseError(join(q, 'to'), `缺勤结束日期 ${to} 早于开始日期 ${a.from}`);
          a.to = to;
        }
        return a;
      }),
    ) ?? [];
  const insp = opt(r, 'inspection', '', (v, p) => inspection(v, p, schools));
  if (insp) c.inspection = insp;
  if (!c.student && !c.inspection)
    throw new CaseError('student', '案例须给出 student（学生）或 inspection（实地核查）');
  if (r.settings !== undefined) {
    const v = validateRuleSettings(r.settings, 'settings');
    if (!v.ok)
      throw new CaseError(v.problems[0]?.field ?? 'settings', v.problems[0]?.message ?? '规则设置有误');
    c.settings = v.value;
  }
  if (r.calendar !== undefined) {
    const v = validateCalendarOverrides(r.calendar, 'calendar');
    if (!v.ok)
      throw new CaseError(v.problems[0]?.field ?? 'calendar', v.problems[0]?.message ?? '工作日调整有误');
    c.calendar = v.value;
  }
  return c;
}

export type EvaluateOptions = {
  /** the settings in force (effective settings of the school); the case's own `settings` win over them */
  settings?: Partial<RuleSettings>;
  /** calendar override entries in force (province); the case's own `calendar` entries win over them */
  overrides?: readonly CalendarOverride[];
  /** a local override layer (this machine) */
  local?: readonly CalendarOverride[];
};

/** The context a rule's evaluate function sees. */
export function ruleContext(c: RuleCase, options: EvaluateOptions = {}): RuleContext {
  const calendar: WorkCalendar = makeCalendar({
    overrides: [...(options.overrides ?? []), ...c.calendar],
    ...(options.local ? { local: options.local } : {}),
  });
  return {
    date: c.date,
    schools: c.schools,
    ...(c.term ? { term: c.term } : {}),
    ...(c.student ? { student: c.student } : {}),
    ...(c.change ? { change: c.change } : {}),
    ...(c.tasks ? { tasks: c.tasks } : {}),
    checkins: c.checkins,
    leaves: c.leaves,
    appeals: c.appeals,
    absences: c.absences,
    ...(c.inspection ? { inspection: c.inspection } : {}),
    settings: withDefaults({ ...options.settings, ...c.settings }),
    calendar,
    warnings: [],
    cache: new Map(),
  };
}

/** Every rule of the registry on a case; findings in registry order. */
export function evaluateCase(c: RuleCase, options: EvaluateOptions = {}): CheckResult {
  const ctx = ruleContext(c, options);
  const findings: Finding[] = [];
  for (const rule of RULES) if (rule.evaluate) findings.push(...rule.evaluate(ctx));
  return result(findings, ctx.warnings);
}

/** Exactly the shape `xueji rules check` prints (docs/rules.md). */
export function checkOutput(r: CheckResult): {
  allowed: boolean;
  findings: { rule: string; level: string; message: string; due?: string }[];
} {
  return {
    allowed: r.allowed,
    findings: r.findings.map((f) => ({
      rule: f.rule,
      level: f.level,
      message: f.message,
      ...(f.due ? { due: f.due } : {}),
    })),
  };
}

/** The registry entry of a finding's rule (for links and explanations). */
export function ruleOfFinding(f: Finding) {
  return RULE_BY_ID.get(f.rule as never);
}
