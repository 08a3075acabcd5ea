// Before the visit (YQ 总述 一 "实地核查前，可根据需要查阅…"; issue 14 "On site, offline"): the visit pack
// an inspector's copy downloads for one inspection and keeps offline. It holds the minimum of minors' data
// the checks need and nothing more (docs/inspections.md "Before the visit"):
// - the school's profile (its org document: name, 统一社会信用代码, address, head, type);
// - the roster summary (counts by status, grade, class and study form);
// - the sample frame: each student on the roster (在校, 休学) with name, grade, class, 学号, status and
//   the paper-archive parts the school's checklist claims — what a folder is checked against; no ID
//   number, birth date, address, phone or family member;
// - the change roster (变动名册) entries of the school's history: who, which change, when it took effect,
//   when it was entered;
// - the R-ONE index entries of its students for the duplicate-registration check (YQ 中职 二(四)): a
//   keyed hash of each ID number (HMAC-SHA-256 with a key made for this pack, so numbers typed from papers
//   on site can be looked up and the pack alone names no number), whether the number is also active at
//   another school (and which, when it lies within the inspecting bureau's area), and which numbers fail
//   their check digit — the finding, never the number.
// The server builds the pack (server/inspections/routes.ts) with buildVisitPack; the app keeps it as a
// local document and removes it once the record is signed and synced.
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { chinaDate } from '../calendar/china';
import { archivePartsFor } from '../domain/archive';
import { ON_ROSTER_STATUSES, STUDENT_STATUSES } from '../domain/codes';
import { compareGradeClass } from '../domain/grades';
import type { EventDoc, OrgDoc, SchoolType } from '../domain/schemas';
import type { ArchiveItemState, Student } from '../domain/student';
import { checkIdNumber } from '../validate/id-number';
import { rosterHash } from './sample';

export type PackStudent = {
  id: string;
  name: string;
  grade: string;
  classId: string;
  schoolNo?: string;
  status: Student['status'];
  /** the parts the school's checklist claims (the archive's states only: no notes, no scans) */
  archive: Record<string, { state: ArchiveItemState }>;
};

export type ChangeEntry = {
  studentId: string;
  name: string;
  /** 变动类别: 新生, 休学, 复学, 退学, 转出, … */
  kind: string;
  /** YYYY-MM-DD the change took effect, when the record says */
  effectiveOn?: string;
  /** YYYY-MM-DD the change was entered in the system */
  recordedOn: string;
};

export type DuplicateEntry = {
  studentId: string;
  /** HMAC-SHA-256 (hex) of the normalised ID number under the pack's key */
  idHash: string;
  /** the number is also active at another school: its name within the bureau's area, else "辖区外学校" */
  elsewhere?: string;
};

export type VisitPack = {
  inspectionId: string;
  builtAt: string;
  builtBy: string;
  school: {
    id: string;
    name: string;
    schoolType: SchoolType;
    creditCode?: string;
    address?: string;
    head?: string;
    level?: OrgDoc['level'];
  };
  summary: {
    total: number;
    byStatus: Record<string, number>;
    byGrade: { grade: string; count: number }[];
    byClass: { grade: string; classId: string; count: number }[];
    byStudyForm: Record<string, number>;
  };
  /** the sample frame: the students on the roster */
  students: PackStudent[];
  /** SHA-256 of the sorted roster ids (the sample's rosterHash) */
  rosterHash: string;
  changes: ChangeEntry[];
  duplicates: {
    /** the HMAC key of this pack, hex */
    key: string;
    entries: DuplicateEntry[];
    /** students whose recorded ID number is not a valid 居民身份证 number, and why (no number shown) */
    invalid: { studentId: string; problem: string }[];
  };
};

export type PackInput = {
  inspectionId: string;
  builtAt: string;
  builtBy: string;
  school: OrgDoc;
  students: readonly Student[];
  /** the history events of the school's students */
  events: readonly EventDoc[];
  /** student id → where else the ID number is active (a school name, or 辖区外学校) */
  elsewhere: ReadonlyMap<string, string>;
  /** 32 random bytes, hex: the pack's HMAC key */
  key: string;
};

const ID_PROBLEM_TEXT: Record<string, string> = {
  ID_FORMAT: '证件号位数或格式不对',
  ID_SCIENTIFIC: '证件号被表格软件改成了科学计数法',
  ID_BIRTH_DATE: '证件号中的出生日期无效',
  ID_CHECK_DIGIT: '证件号校验码错误',
};

/** The normalised form an ID number is hashed in (trimmed, upper-case X). */
export function normaliseIdNo(idNo: string): string {
  return idNo.trim().toUpperCase();
}

/** HMAC-SHA-256 of an ID number under a pack's key (hex). */
export function idHashOf(keyHex: string, idNo: string): string {
  return bytesToHex(hmac(sha256, hexToBytes(keyHex), utf8ToBytes(normaliseIdNo(idNo))));
}

const count = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

/**
 * The change roster entries the history holds: a new record (创建, 导入) and every change of status.
 * Status changes come from approved requests, which record the day they took effect (`effectiveOn`).
 */
export function changeRosterFromEvents(
  events: readonly EventDoc[],
  names: ReadonlyMap<string, string>,
): ChangeEntry[] {
  const out: ChangeEntry[] = [];
  for (const e of events) {
    if (e.entity !== 'student') continue;
    const name = names.get(e.entityId) ?? String(e.after.name ?? '');
    const before = e.before.status;
    const after = e.after.status;
    const effectiveOn = typeof e.after.effectiveOn === 'string' ? e.after.effectiveOn : undefined;
    let kind: string | undefined;
    if (e.action === 'student-create' || e.action === 'import-create') kind = '新生';
    else if (typeof after === 'string' && after !== before)
      kind =
        before === 'suspended' && after === 'enrolled'
          ? '复学'
          : (STUDENT_STATUSES[after as keyof typeof STUDENT_STATUSES] ?? after);
    if (!kind) continue;
    out.push({
      studentId: e.entityId,
      name,
      kind,
      recordedOn: chinaDate(e.at),
      ...(effectiveOn ? { effectiveOn } : {}),
    });
  }
  return out.sort((a, b) => a.recordedOn.localeCompare(b.recordedOn) || a.name.localeCompare(b.name, 'zh'));
}

export function buildVisitPack(input: PackInput): VisitPack {
  const schoolType: SchoolType = input.school.schoolType ?? 'k12';
  const parts = archivePartsFor(schoolType);
  const onRoster = input.students.filter((s) => ON_ROSTER_STATUSES.includes(s.status));
  const byStatus: Record<string, number> = {};
  const byStudyForm: Record<string, number> = {};
  const grades = new Map<string, number>();
  const classes = new Map<string, { grade: string; classId: string; count: number }>();
  for (const s of input.students) count(byStatus, s.status);
  for (const s of onRoster) {
    grades.set(s.grade, (grades.get(s.grade) ?? 0) + 1);
    const key = `${s.grade}\u0000${s.classId}`;
    const c = classes.get(key) ?? { grade: s.grade, classId: s.classId, count: 0 };
    c.count++;
    classes.set(key, c);
    if (s.studyForm) count(byStudyForm, s.studyForm);
  }
  const students: PackStudent[] = onRoster.map((s) => ({
    id: s.id,
    name: s.name,
    grade: s.grade,
    classId: s.classId,
    ...(s.schoolNo ? { schoolNo: s.schoolNo } : {}),
    status: s.status,
    archive: Object.fromEntries(
      parts.map((p) => [
        p.id,
        { state: s.archive[p.id]?.state ?? (p.dueAtGraduation ? 'notDue' : 'missing') },
      ]),
    ),
  }));
  const entries: DuplicateEntry[] = onRoster
    .filter((s) => s.idNo)
    .map((s) => {
      const elsewhere = input.elsewhere.get(s.id);
      return { studentId: s.id, idHash: idHashOf(input.key, s.idNo), ...(elsewhere ? { elsewhere } : {}) };
    });
  const invalid = onRoster.flatMap((s) => {
    if (s.idType !== '1') return [];
    const p = checkIdNumber(s.idNo);
    return p ? [{ studentId: s.id, problem: ID_PROBLEM_TEXT[p.code] ?? '证件号无效' }] : [];
  });
  const names = new Map(input.students.map((s) => [s.id, s.name]));
  const o = input.school;
  return {
    inspectionId: input.inspectionId,
    builtAt: input.builtAt,
    builtBy: input.builtBy,
    school: {
      id: o.id,
      name: o.name,
      schoolType,
      ...(o.creditCode ? { creditCode: o.creditCode } : {}),
      ...(o.address ? { address: o.address } : {}),
      ...(o.head ? { head: o.head } : {}),
      ...(o.level ? { level: o.level } : {}),
    },
    summary: {
      total: onRoster.length,
      byStatus,
      byGrade: [...grades]
        .map(([grade, n]) => ({ grade, count: n }))
        .sort((a, b) => a.grade.localeCompare(b.grade)),
      byClass: [...classes.values()].sort(compareGradeClass),
      byStudyForm,
    },
    students,
    rosterHash: rosterHash(students.map((s) => s.id)),
    changes: changeRosterFromEvents(input.events, names),
    duplicates: { key: input.key, entries, invalid },
  };
}

/** Pairs of roster records with one ID number (R-ONE within the school), by their hashes. */
export function duplicatesWithin(pack: Pick<VisitPack, 'duplicates'>): string[][] {
  const by = new Map<string, string[]>();
  for (const e of pack.duplicates.entries) by.set(e.idHash, [...(by.get(e.idHash) ?? []), e.studentId]);
  return [...by.values()].filter((ids) => ids.length > 1);
}

/** What the index says of an ID number typed from a paper on site (the number itself is not kept). */
export function lookupIdNumber(
  pack: Pick<VisitPack, 'duplicates' | 'students'>,
  idNo: string,
): { found: PackStudent[]; elsewhere: string[]; problem: string | null } {
  const problem = checkIdNumber(idNo);
  const h = idHashOf(pack.duplicates.key, idNo);
  const hits = pack.duplicates.entries.filter((e) => e.idHash === h);
  const byId = new Map(pack.students.map((s) => [s.id, s]));
  return {
    found: hits.flatMap((e) => byId.get(e.studentId) ?? []),
    elsewhere: [...new Set(hits.flatMap((e) => (e.elsewhere ? [e.elsewhere] : [])))],
    problem: problem ? (ID_PROBLEM_TEXT[problem.code] ?? '证件号无效') : null,
  };
}

/** The sentence a lookup leaves in the record (R-INSP-TRACE), naming the student but not the number. */
export function lookupResultText(r: ReturnType<typeof lookupIdNumber>): string {
  if (r.problem && r.found.length === 0) return `所查证件号无效（${r.problem}），本校无此记录`;
  if (r.found.length === 0) return '本校在籍学生中无此证件号';
  const who = r.found.map((s) => `${s.name}（${s.grade}${s.classId}）`).join('、');
  if (r.found.length > 1) return `本校有 ${r.found.length} 条在籍记录使用此证件号：${who}（重复注册）`;
  if (r.elsewhere.length > 0) return `${who}；该证件号同时在${r.elsewhere.join('、')}有在籍记录（重复注册）`;
  return `${who}，未发现重复注册`;
}

/** Students of the pack by class, in the roster's order (for the sample's listing). */
export function packStudentsByClass(pack: Pick<VisitPack, 'students'>): PackStudent[] {
  return [...pack.students].sort(
    (a, b) =>
      compareGradeClass(a, b) ||
      (a.schoolNo ?? '').localeCompare(b.schoolNo ?? '') ||
      a.name.localeCompare(b.name, 'zh'),
  );
}
