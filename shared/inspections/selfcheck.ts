// School self-check (issue 14 "Record, report, follow-up"): before an inspection a school runs the same
// template on itself and sees what an inspector would find in its own data — paper-archive gaps (YQ 中职
// 二(二)), change-roster entries entered late (二(三); late = more than the change deadline after the day
// the change took effect, R-1WEEK's setting), duplicate registrations and ID numbers that cannot be
// genuine (二(四), R-ONE). The school holds all of its students, so this runs offline on its own copy.
import { missingPartsOf } from '../archive/checklist';
import { diffDays } from '../calendar/dates';
import { ON_ROSTER_STATUSES } from '../domain/codes';
import type { EventDoc, SchoolType } from '../domain/schemas';
import type { Student } from '../domain/student';
import { checkIdNumber } from '../validate/id-number';
import { startChecklist } from './checklist';
import { type ChangeEntry, changeRosterFromEvents } from './pack';
import { type SelfCheckDoc, selfCheckIdOf } from './records';
import type { ChecklistTemplate, DataAssist } from './templates';

export type SelfCheckFinding = {
  assist: DataAssist;
  /** Chinese, one line per finding, naming the student and what is wrong */
  lines: string[];
  count: number;
};

export type SelfCheckResult = {
  students: number;
  archiveGaps: number;
  incompleteFolders: number;
  late: (ChangeEntry & { days: number })[];
  duplicates: { idLabel: string; names: string[] }[];
  invalid: { name: string; problem: string }[];
  byAssist: Record<DataAssist, SelfCheckFinding>;
};

const label = (s: Pick<Student, 'name' | 'grade' | 'classId'>) => `${s.name}（${s.grade}${s.classId}）`;

/** What an inspector would find in the school's own data. */
export function selfCheckFindings(input: {
  students: readonly Student[];
  events: readonly EventDoc[];
  schoolType: SchoolType;
  /** R-1WEEK's setting: days from the change to its entry */
  changeDeadlineDays: number;
}): SelfCheckResult {
  const onRoster = input.students.filter((s) => ON_ROSTER_STATUSES.includes(s.status));
  const gaps = onRoster
    .map((s) => ({ s, missing: missingPartsOf(s, input.schoolType) }))
    .filter((g) => g.missing.length > 0);
  const names = new Map(input.students.map((s) => [s.id, s.name]));
  const late = changeRosterFromEvents(input.events, names).flatMap((e) => {
    if (!e.effectiveOn) return [];
    const days = diffDays(e.effectiveOn, e.recordedOn);
    return days > input.changeDeadlineDays ? [{ ...e, days }] : [];
  });
  const byId = new Map<string, Student[]>();
  for (const s of onRoster) {
    const k = s.idNo.trim().toUpperCase();
    if (k) byId.set(k, [...(byId.get(k) ?? []), s]);
  }
  const duplicates = [...byId.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([id, list]) => ({ idLabel: `尾号 ${id.slice(-4)}`, names: list.map(label) }));
  const invalid = onRoster.flatMap((s) => {
    if (s.idType !== '1') return [];
    const p = checkIdNumber(s.idNo);
    return p ? [{ name: label(s), problem: p.message.replace(`“${s.idNo}”`, '') }] : [];
  });
  const byAssist: Record<DataAssist, SelfCheckFinding> = {
    archiveSample: {
      assist: 'archiveSample',
      count: gaps.length,
      lines: gaps.slice(0, 200).map((g) => `${label(g.s)}缺：${g.missing.map((p) => p.title).join('、')}`),
    },
    changeRoster: {
      assist: 'changeRoster',
      count: late.length,
      lines: late.map(
        (e) =>
          `${e.name}的“${e.kind}”于 ${e.effectiveOn} 生效，${e.recordedOn} 才录入系统（晚 ${e.days} 天，R-1WEEK：${input.changeDeadlineDays} 天内办结）`,
      ),
    },
    duplicateCheck: {
      assist: 'duplicateCheck',
      count: duplicates.length + invalid.length,
      lines: [
        ...duplicates.map(
          (d) =>
            `同一证件号（${d.idLabel}）有 ${d.names.length} 条在籍记录：${d.names.join('、')}（R-ONE 一人一籍）`,
        ),
        ...invalid.map((i) => `${i.name}：${i.problem}`),
      ],
    },
    changeRecords: { assist: 'changeRecords', count: 0, lines: [] },
  };
  return {
    students: onRoster.length,
    archiveGaps: gaps.reduce((n, g) => n + g.missing.length, 0),
    incompleteFolders: gaps.length,
    late,
    duplicates,
    invalid,
    byAssist,
  };
}

/** A new self-check of a school on a template, with the findings of the moment. */
export function newSelfCheck(o: {
  random: string;
  school: { id: string; path: string; name: string };
  template: ChecklistTemplate;
  result: SelfCheckResult;
  at: string;
  by: string;
}): SelfCheckDoc {
  const filled = startChecklist(o.template);
  return {
    id: selfCheckIdOf(o.random),
    kind: 'selfCheck',
    schoolId: o.school.id,
    bureauId: o.school.id,
    orgPath: o.school.path,
    title: `${o.school.name}学籍管理自查`,
    status: 'open',
    template: o.template,
    checks: Object.fromEntries(
      filled.items.map((i) => [i.itemId, { finding: null, notes: '', evidence: [] }]),
    ),
    findings: {
      computedAt: o.at,
      students: o.result.students,
      archiveGaps: o.result.archiveGaps,
      incompleteFolders: o.result.incompleteFolders,
      lateChanges: o.result.late.length,
      duplicates: o.result.duplicates.length,
      invalidIds: o.result.invalid.length,
    },
    createdAt: o.at,
    createdBy: o.by,
    updatedAt: o.at,
    updatedBy: o.by,
  };
}
