// The checks of a request at submission and at each decision: its fields and proofs, the students'
// state, one open request per student and type, the rules of the regulations (R-TX-*, R-FLEX, R-1WEEK,
// R-GRAD-JUNE, R-ESCALATE, R-ONE) and the written reason a `warn` finding needs. Pure: the facts come in
// (the app passes what its copy holds; the server passes everything, including R-ONE's registry answer).
import type { WorkCalendar } from '../calendar/calendar';
import { addMonths, dayNumber, type Ymd } from '../calendar/dates';
import { STUDENT_STATUSES, STUDY_FORMS, type StudentStatus } from '../domain/codes';
import { gradeRank } from '../domain/grades';
import type { OrgDoc, SchoolLevel } from '../domain/schemas';
import { FIELD_META, fieldLabel, type Student, type StudentField } from '../domain/student';
import { checkEscalation, checkGraduationJune, checkOneWeek } from '../rules/checks/changes';
import { checkFlexible, checkTransfer } from '../rules/checks/transfer';
import { schoolFactsFromOrgs } from '../rules/facts';
import { ruleName } from '../rules/ids';
import type { RuleSettings } from '../rules/settings';
import type { Finding, SchoolFacts, StudentFacts, TermFacts } from '../rules/types';
import { valueEqual } from '../sync/equal';
import { normalizeValue, validateStudent } from '../validate/student';
import { type ChangeDefinition, definitionOf, levelOf, typeAllowedFor } from './definitions';
import {
  BATCH_MAX,
  CHANGE_TYPES,
  type ChangeRequestDoc,
  PROOF_KINDS,
  type StudentSnapshot,
  type WorkflowRefusal,
} from './types';

/** What the checks know besides the request: the copy's (or the server's) records, today, the settings. */
export type WorkflowFacts = {
  /** today in China (YYYY-MM-DD) and the ISO time now */
  today: Ymd;
  now: string;
  /** the orgs of both schools' paths (the app: what its copy holds) */
  orgs: readonly OrgDoc[];
  /** the request's students as stored (a transfer-in on the app: none — the server has it) */
  students: readonly Student[];
  /** the other requests of these students (open ones, approved ones for R-ESCALATE and restores) */
  requests: readonly ChangeRequestDoc[];
  calendar: WorkCalendar;
  settings: RuleSettings;
  term?: TermFacts | null;
  /** the effective key-field set (★) */
  keyFields: readonly string[];
  /**
   * R-ONE (YQ 四(一)) before an info change of the ID number: another active record of the new number
   * (the app looks in its copy, the server in the whole province through its registry)
   */
  idNoTaken?: WorkflowRefusal;
  /** set only by the server: it holds every record, so it checks what the app cannot */
  server?: ServerFacts;
};

export type ServerFacts = {
  /** a transfer: the active record of the ID number at the sending school, or why there is none (R-ONE) */
  transferRecord?: { student: Student } | { refusal: WorkflowRefusal };
  /** new 学籍辅号 the server assigned, by student id (普通高中 enrolment, resumption into a lower grade) */
  newAuxNos?: Readonly<Record<string, string>>;
};

export const refusal = (code: string, reason: string, field?: string): WorkflowRefusal => ({
  ok: false,
  code,
  reason,
  ...(field ? { field } : {}),
});

const typeName = (req: Pick<ChangeRequestDoc, 'type'>) => CHANGE_TYPES[req.type];

/** The record as the request snapshot shows it. */
export function snapshotOf(s: Student, schoolName?: string): StudentSnapshot {
  const out: StudentSnapshot = {
    id: s.id,
    name: s.name,
    gender: s.gender,
    idNo: s.idNo,
    grade: s.grade,
    classId: s.classId,
    status: s.status,
    schoolId: s.schoolId,
  };
  const opt = (k: keyof StudentSnapshot, v: string | undefined) => {
    if (v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  };
  opt('birthDate', s.birthDate);
  opt('idType', s.idType);
  opt('statusNo', s.statusNo);
  opt('auxNo', s.auxNo);
  opt('major', s.major);
  opt('studyForm', s.studyForm);
  opt('enrolYearMonth', s.enrolYearMonth);
  opt('schoolName', schoolName);
  return out;
}

/**
 * The year of study (1 = the school's first grade): K-12 grades by name (七年级 of a 初中 is year 1),
 * cohorts ("2024级") by the school year that `today` falls in (from August on, the next school year).
 */
export function yearOfStudy(grade: string, level: SchoolLevel | undefined, today: Ymd): number | undefined {
  const rank = gradeRank(grade);
  if (rank >= 1900 && rank < 3000) {
    const y = Number(today.slice(0, 4));
    const m = Number(today.slice(5, 7));
    return (m >= 8 ? y : y - 1) - rank + 1;
  }
  if (rank >= 1 && rank <= 12) {
    const offset = level === 'junior' ? 6 : level === 'senior' ? 9 : 0;
    return rank > offset ? rank - offset : rank;
  }
  return undefined;
}

/** Is `to` a lower grade than `from` (an earlier year of study: 高二 → 高一, 2024级 → 2025级). */
export function isLowerGrade(from: string, to: string): boolean {
  const a = gradeRank(from);
  const b = gradeRank(to);
  if (a >= 1_000_000 || b >= 1_000_000) return false;
  const cohort = a >= 1900 && b >= 1900;
  return cohort ? b > a : b < a;
}

/** Is `to` a higher grade than `from`. */
export function isHigherGrade(from: string, to: string): boolean {
  return from !== to && isLowerGrade(to, from);
}

/** R-FLEX reads 弹性学习: a vocational student in 非全日制 study (学习形式 2). */
function flexibleOf(s: Student, level: SchoolLevel | undefined): boolean {
  return level === 'vocational' && s.studyForm === '2';
}

/** R-ESCALATE (HN 四.1): an approved change made because of R-MISS-2-4, not undone by an approved restore. */
export function isEscalated(studentId: string, requests: readonly ChangeRequestDoc[], exceptId?: string) {
  const restored = new Set(
    requests
      .filter((r) => r.type === 'restore' && r.status === 'approved' && r.studentIds.includes(studentId))
      .map((r) => r.details.restoreOf),
  );
  return requests.some(
    (r) =>
      r.id !== exceptId &&
      r.status === 'approved' &&
      r.basis?.rule === 'R-MISS-2-4' &&
      r.studentIds.includes(studentId) &&
      !restored.has(r.id),
  );
}

export type Checked = { ok: true; findings: Finding[] } | WorkflowRefusal;

/** The fields the request's type asks for, with the values the school gave. */
function checkDetails(def: ChangeDefinition, req: ChangeRequestDoc): WorkflowRefusal | null {
  for (const f of def.fields) {
    const raw = req.details[f.key];
    const v = typeof raw === 'string' ? raw.trim() : '';
    if (v === '') {
      if (f.required) return refusal('REQUIRED', `请填写“${f.label}”`, `details.${f.key}`);
      continue;
    }
    if (f.max !== undefined && v.length > f.max)
      return refusal('INVALID', `“${f.label}”最多 ${f.max} 个字`, `details.${f.key}`);
    if (f.kind === 'date' && dayNumber(v) === null)
      return refusal('INVALID', `“${f.label}”应为日期 YYYY-MM-DD，现为“${v}”`, `details.${f.key}`);
    if (f.kind === 'studyForm' && !Object.hasOwn(STUDY_FORMS, v))
      return refusal('INVALID', `“${f.label}”应为全日制或非全日制`, `details.${f.key}`);
  }
  const extra = Object.keys(req.details).find((k) => !def.fields.some((f) => f.key === k));
  if (extra) return refusal('INVALID', `${typeName(req)}申请没有“${extra}”一项`, `details.${extra}`);
  if (req.type === 'suspension' && (req.details.endDate ?? '') <= (req.details.startDate ?? ''))
    return refusal('INVALID', '休学截止日期应晚于休学开始日期', 'details.endDate');
  if (req.type === 'suspension' && req.details.startDate && req.details.endDate) {
    const limit = addMonths(req.details.startDate, 24);
    if (req.details.endDate > limit)
      return refusal('INVALID', '一次休学最长两年，请分次办理', 'details.endDate');
  }
  return null;
}

function checkProofs(def: ChangeDefinition, req: ChangeRequestDoc): WorkflowRefusal | null {
  for (const p of req.proofs)
    if (!Object.hasOwn(PROOF_KINDS, p.kind))
      return refusal('INVALID', `证明材料类别“${p.kind}”不对`, 'proofs');
  for (const rule of def.proofs) {
    const ok = req.proofs.some((p) => rule.anyOf.includes(p.kind) && (p.attachmentId ?? '') !== '');
    if (!ok) {
      const names = rule.anyOf.map((k) => `“${PROOF_KINDS[k]}”`).join('或');
      return refusal('PROOF', `${typeName(req)}须上传${names}的扫描件或文件`, 'proofs');
    }
  }
  return null;
}

function checkBasics(req: ChangeRequestDoc, today: Ymd): WorkflowRefusal | null {
  if (!req.reason.trim()) return refusal('REQUIRED', `请填写${typeName(req)}原因`, 'reason');
  if (req.reason.length > 500) return refusal('INVALID', '原因最多 500 个字', 'reason');
  if (!req.applicant.name.trim())
    return refusal('REQUIRED', '请填写申请人（学生或监护人）姓名', 'applicant.name');
  if (dayNumber(req.appliedOn) === null)
    return refusal('INVALID', `申请日期应为 YYYY-MM-DD，现为“${req.appliedOn}”`, 'appliedOn');
  if (req.appliedOn > today) return refusal('INVALID', `申请日期 ${req.appliedOn} 晚于今天`, 'appliedOn');
  if (req.appliedOn < addMonths(today, -12))
    return refusal('INVALID', `申请日期 ${req.appliedOn} 早于一年前，请按实际申请日期填写`, 'appliedOn');
  return null;
}

/** The students of the request as stored, checked against the definition (status, school). */
function checkStudents(
  def: ChangeDefinition,
  req: ChangeRequestDoc,
  facts: WorkflowFacts,
): { students: Student[] } | WorkflowRefusal {
  const n = req.studentIds.length;
  if (req.type === 'transfer' && !facts.server && n === 0) return { students: [] };
  if (n === 0) return refusal('REQUIRED', '请选择学生', 'studentIds');
  if (!def.batch && n > 1) return refusal('INVALID', `${def.label}申请一次只能办理一名学生`, 'studentIds');
  if (n > BATCH_MAX)
    return refusal('INVALID', `一次最多办理 ${BATCH_MAX} 名学生，请按班级分批`, 'studentIds');
  if (new Set(req.studentIds).size !== n)
    return refusal('INVALID', '同一学生不能在一份申请中出现两次', 'studentIds');
  const byId = new Map(facts.students.map((s) => [s.id, s]));
  const out: Student[] = [];
  for (const id of req.studentIds) {
    const s = byId.get(id);
    if (!s) {
      // The app may not hold a transfer's student (it is at the other school); the server always does.
      if (req.type === 'transfer' && !facts.server) continue;
      return refusal('NOT_FOUND', '申请中的学生记录不存在或尚未同步', 'studentIds');
    }
    const school = req.type === 'transfer' ? req.fromSchoolId : req.schoolId;
    if (s.schoolId !== school)
      return refusal(
        'INVALID',
        req.type === 'transfer'
          ? `学生“${s.name}”的学籍不在所填的转出学校`
          : `学生“${s.name}”不是本校学生，不能由本校申请${def.label}`,
        'studentIds',
      );
    if (!def.from.includes(s.status as StudentStatus))
      return refusal(
        'STATUS',
        `学生“${s.name}”的学籍状态为“${STUDENT_STATUSES[s.status] ?? s.status}”，不能办理${def.label}（须为${def.from.map((x) => `“${STUDENT_STATUSES[x]}”`).join('或')}）`,
        'studentIds',
      );
    out.push(s);
  }
  return { students: out };
}

/** One open request per student and type (a student is not changed twice at once). */
function checkOpen(req: ChangeRequestDoc, facts: WorkflowFacts, students: readonly Student[]) {
  for (const other of facts.requests) {
    if (other.id === req.id || other.type !== req.type || other.status !== 'submitted') continue;
    const shared = req.studentIds.find((id) => other.studentIds.includes(id));
    if (shared === undefined) continue;
    const name = students.find((s) => s.id === shared)?.name ?? other.students[0]?.name ?? '';
    return refusal(
      'OPEN_REQUEST',
      `学生“${name}”已有一份审核中的${typeName(req)}申请（${other.id}），同一学生同一类异动只能有一份在办；请等该申请办结或撤回后再提交`,
      'studentIds',
    );
  }
  return null;
}

/** A change of the student's place and state (grade, class, major, study form) checked against the record. */
function checkTarget(req: ChangeRequestDoc, s: Student | undefined): WorkflowRefusal | null {
  const d = req.details;
  if (!s) return null;
  switch (req.type) {
    case 'repeat':
      if (!isLowerGrade(s.grade, d.toGrade ?? ''))
        return refusal('INVALID', `留级后年级“${d.toGrade}”应低于现在的年级“${s.grade}”`, 'details.toGrade');
      return null;
    case 'skip':
      if (!isHigherGrade(s.grade, d.toGrade ?? ''))
        return refusal('INVALID', `跳级后年级“${d.toGrade}”应高于现在的年级“${s.grade}”`, 'details.toGrade');
      return null;
    case 'majorChange':
      if ((d.toMajor ?? '').trim() === (s.major ?? ''))
        return refusal('INVALID', `转入专业与现在的专业（${s.major}）相同`, 'details.toMajor');
      return null;
    case 'studyFormChange':
      if (d.toForm === s.studyForm)
        return refusal(
          'INVALID',
          `学习形式已是“${STUDY_FORMS[d.toForm ?? ''] ?? d.toForm}”`,
          'details.toForm',
        );
      return null;
    default:
      return null;
  }
}

/** The fields an info change may correct: the key fields (★) and a registered 学籍号. */
export function infoChangeFields(keyFields: readonly string[]): string[] {
  return [...new Set([...keyFields, 'statusNo'])];
}

/** The stored value of a field as a string (what an info change item's `before` holds). */
export function storedString(s: Student, field: string): string {
  const v = (s as unknown as Record<string, unknown>)[field];
  return v === undefined || v === null ? '' : String(v);
}

/** The record with an info change's items applied (values in stored form). */
export function withItems(s: Student, items: NonNullable<ChangeRequestDoc['items']>): Student {
  const next: Record<string, unknown> = { ...s };
  for (const it of items) {
    if (it.after === '') delete next[it.field];
    else next[it.field] = it.after;
  }
  return next as unknown as Student;
}

function checkItems(req: ChangeRequestDoc, s: Student | undefined, facts: WorkflowFacts) {
  const items = req.items ?? [];
  if (items.length === 0) return refusal('REQUIRED', '请填写至少一项要变更的信息', 'items');
  if (items.length > 20) return refusal('INVALID', '一次最多变更 20 项', 'items');
  const allowed = infoChangeFields(facts.keyFields);
  const seen = new Set<string>();
  for (const [i, it] of items.entries()) {
    const at = `items.${i}`;
    const label = fieldLabel(it.field);
    if (!allowed.includes(it.field))
      return refusal(
        'NOT_KEY',
        FIELD_META.has(it.field as StudentField)
          ? `“${label}”不是关键字段，不必申请，可在学生信息页直接修改`
          : `“${it.field}”不是学生记录的字段`,
        `${at}.field`,
      );
    if (seen.has(it.field)) return refusal('INVALID', `“${label}”重复`, `${at}.field`);
    seen.add(it.field);
    if (!it.reason.trim()) return refusal('REQUIRED', `请填写“${label}”的变更原因`, `${at}.reason`);
    if (s) {
      const current = storedString(s, it.field);
      if (it.before !== current)
        return refusal(
          'STALE',
          `“${label}”的变更前值（${it.before || '空'}）与现在的记录（${current || '空'}）不一致：记录已被修改，请重新填写`,
          `${at}.before`,
        );
      if (it.after === current) return refusal('INVALID', `“${label}”变更前后相同`, `${at}.after`);
    }
    const meta = FIELD_META.get(it.field as StudentField);
    if (meta && it.after !== '') {
      const n = normalizeValue(meta, it.after, `${at}.after`);
      if (n && 'error' in n) return refusal('INVALID', n.error.message, `${at}.after`);
      if (n && 'value' in n && String(n.value) !== it.after)
        return refusal('INVALID', `“${label}”的变更后值应写成 ${String(n.value)}`, `${at}.after`);
    }
  }
  if (s) {
    const next = withItems(s, items);
    const first = validateStudent(next, { previous: s, today: facts.today })[0];
    if (first) {
      const i = items.findIndex((it) => it.field === first.field);
      return refusal('INVALID', `变更后：${first.message}`, i >= 0 ? `items.${i}.after` : 'items');
    }
    // R-ONE (YQ 四(一)) before a key-field change: the new ID number has no other active record.
    if (items.some((it) => it.field === 'idNo') && facts.idNoTaken) return facts.idNoTaken;
  }
  return null;
}

/** R-ONE (YQ 四(一)) of a transfer-in, as the server answered it. */
function checkTransferRecord(req: ChangeRequestDoc, facts: WorkflowFacts): WorkflowRefusal | null {
  if (req.type !== 'transfer') return null;
  if (!req.fromSchoolId)
    return refusal('REQUIRED', '请先按姓名和身份证件号查询该生的学籍所在学校', 'fromSchoolId');
  if (req.fromSchoolId === req.schoolId)
    return refusal('R-ONE', `${ruleName('R-ONE')}：该生已是本校学生，不需转学`, 'fromSchoolId');
  const found = facts.server?.transferRecord;
  if (found && 'refusal' in found) return found.refusal;
  return null;
}

function schoolFacts(id: string | undefined, orgs: readonly OrgDoc[]): SchoolFacts | undefined {
  const school = id ? orgs.find((o) => o.id === id && o.kind === 'school') : undefined;
  return school ? schoolFactsFromOrgs(school, orgs) : undefined;
}

/** The rule findings of a request (the regulation engine's checks, shared/rules). */
export function ruleFindings(
  req: ChangeRequestDoc,
  students: readonly Student[],
  facts: WorkflowFacts,
  escalated: boolean,
): Finding[] {
  const own = schoolFacts(req.schoolId, facts.orgs);
  const ownLevel = levelOf(facts.orgs.find((o) => o.id === req.schoolId));
  const change = { type: req.type, appliedOn: req.appliedOn, toSchoolId: req.schoolId };
  const out: Finding[] = [];
  const s = students[0];
  if (req.type === 'transfer') {
    const from = schoolFacts(req.fromSchoolId, facts.orgs);
    const term = facts.term;
    if (from && own && s && term) {
      const fromLevel = levelOf(facts.orgs.find((o) => o.id === req.fromSchoolId));
      const student: StudentFacts = {
        schoolId: s.schoolId,
        name: s.name,
        status: s.status,
        flexible: flexibleOf(s, fromLevel),
        year: yearOfStudy(s.grade, fromLevel, req.appliedOn),
      };
      out.push(...checkTransfer({ from, to: own, student, change, term }, facts.settings));
    } else if (!term)
      out.push({
        rule: 'R-TX-WINDOW',
        level: 'info',
        message: `${ruleName('R-TX-WINDOW')}：本校尚未设置学期日期，无法核对转学办理期，请教育局设置学期`,
      });
    else
      out.push({
        rule: 'R-TX-4NO',
        level: 'info',
        message: '转出学校和学生的学籍情况在提交后由省级平台核对（R-TX-GRADES、R-TX-4NO、R-FLEX）',
      });
  } else if (req.type === 'majorChange' || req.type === 'suspension') {
    if (s)
      out.push(
        ...checkFlexible(
          { schoolId: s.schoolId, flexible: flexibleOf(s, ownLevel) } satisfies StudentFacts,
          req.type,
        ),
      );
  }
  out.push(...checkOneWeek(change, own, facts.today, facts.settings));
  out.push(...checkGraduationJune(change, facts.today, facts.settings));
  if (escalated && s)
    out.push(...checkEscalation({ schoolId: s.schoolId, changedForVerification: true }, change));
  return out;
}

/** A `warn` finding (R-FLEX …) is allowed only with a written reason (the regulations' "原则上"). */
function checkWarnReasons(req: ChangeRequestDoc, findings: readonly Finding[]): WorkflowRefusal | null {
  for (const f of findings) {
    if (f.level !== 'warn') continue;
    const given = req.warnReasons?.find((w) => w.rule === f.rule)?.reason.trim() ?? '';
    if (given.length < 4)
      return refusal(f.rule, `${f.message}。请在“书面说明理由”中写明（至少 4 个字）`, 'warnReasons');
  }
  return null;
}

/** A restore: the request it undoes, and that the student has not changed since. */
function checkRestore(req: ChangeRequestDoc, s: Student | undefined, facts: WorkflowFacts) {
  if (req.type !== 'restore') return null;
  const target = facts.requests.find((r) => r.id === req.details.restoreOf);
  if (target?.status !== 'approved' || !target.studentIds.some((id) => req.studentIds.includes(id)))
    return refusal('INVALID', '请选择该生一次已通过的学籍异动作为恢复对象', 'details.restoreOf');
  if (['transfer', 'restore', 'enrolment', 'infoChange'].includes(target.type))
    return refusal('INVALID', `${CHANGE_TYPES[target.type]}不能通过恢复学籍撤销`, 'details.restoreOf');
  const change = target.applied?.changes.find((c) => req.studentIds.includes(c.studentId));
  if (!change) return refusal('INVALID', '所选异动没有可恢复的记录', 'details.restoreOf');
  if (s) {
    const moved = Object.entries(change.after).find(
      ([k, v]) => !valueEqual((s as unknown as Record<string, unknown>)[k] ?? null, v ?? null),
    );
    if (moved)
      return refusal(
        'STALE',
        `该生的${fieldLabel(moved[0])}在所选异动之后又有变动，不能直接恢复；请按现状另行办理`,
        'details.restoreOf',
      );
  }
  return null;
}

/**
 * Everything checked when a request is submitted and again at each decision: its fields, proofs and
 * students, one open request per student and type, R-ONE, and the rules. `refuse` findings refuse; a
 * `warn` finding needs its written reason. Returns the findings to store with the request.
 */
export function checkRequest(req: ChangeRequestDoc, facts: WorkflowFacts, escalated: boolean): Checked {
  const def = definitionOf(req.type);
  const level = levelOf(facts.orgs.find((o) => o.id === req.schoolId));
  const ownSchool = facts.orgs.find((o) => o.id === req.schoolId);
  if (ownSchool && !typeAllowedFor(def, level))
    return refusal('TYPE', `${def.label}只适用于中等职业学校`, 'type');
  const basic = checkBasics(req, facts.today) ?? checkDetails(def, req) ?? checkProofs(def, req);
  if (basic) return basic;
  const tx = checkTransferRecord(req, facts);
  if (tx) return tx;
  const checked = checkStudents(def, req, facts);
  if ('ok' in checked) return checked;
  const { students } = checked;
  const s = students[0];
  const more =
    checkOpen(req, facts, students) ??
    checkTarget(req, s) ??
    (req.type === 'infoChange' ? checkItems(req, s, facts) : null) ??
    checkRestore(req, s, facts);
  if (more) return more;
  const findings = ruleFindings(req, students, facts, escalated);
  const refused = findings.filter((f) => f.level === 'refuse');
  if (refused[0]) return refusal(refused[0].rule, refused.map((f) => f.message).join('；'));
  const warn = checkWarnReasons(req, findings);
  if (warn) return warn;
  return { ok: true, findings };
}
