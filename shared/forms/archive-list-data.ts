// The data of a 学籍档案目录 (defs/archive-list.ts) from what the app really holds: the student
// document and its paper-archive checklist. The part states are the effective ones of the checklist
// (shared/archive/checklist.ts), so the paper says exactly what the 纸质档案 screen says.
import { effectiveState } from '../archive/checklist';
import { chinaDate } from '../calendar/china';
import { archivePartsFor } from '../domain/archive';
import { personName } from '../domain/names';
import type { SchoolType } from '../domain/schemas';
import { fieldLabel, type Student } from '../domain/student';
import type { ArchiveListData } from './defs/archive-list';
import type { MissingCharacter } from './glyphs';

export type PrintSchool = { name: string; schoolType: SchoolType };

const optional = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** The archive list of one student, printed on `printedAt` (YYYY-MM-DD, the local date). */
export function archiveListData(student: Student, school: PrintSchool, printedAt: string): ArchiveListData {
  const archive: ArchiveListData['archive'] = {};
  for (const part of archivePartsFor(school.schoolType)) {
    const item = student.archive[part.id];
    archive[part.id] = {
      state: effectiveState(part, student),
      // the Beijing day of the check (an ISO instant): a check at 07:30 on the 3rd is printed as the 3rd
      checkedAt: optional(item?.checkedAt ? chinaDate(item.checkedAt) : undefined),
      // rosters seeded for the demo before names were stored hold the actor id ("local:…"): print the name
      checkedBy: optional(personName(item?.checkedBy)),
      note: optional(item?.note),
    };
  }
  return {
    // The record a paper copy is checked against later (QR code, verify-form): the student's archive,
    // named by the lifelong 学籍号 an inspector can look up; the internal ID only when there is none.
    recordId: student.statusNo || student.id,
    printedAt,
    schoolName: school.name,
    schoolType: school.schoolType,
    student: {
      name: student.name,
      gender: student.gender,
      birthDate: optional(student.birthDate),
      idType: optional(student.idType),
      idNo: student.idNo,
      statusNo: optional(student.statusNo),
      grade: student.grade,
      classId: student.classId,
      major: school.schoolType === 'vocational' ? optional(student.major) : undefined,
      enrolYearMonth: optional(student.enrolYearMonth),
    },
    archive,
  };
}

export type MissingWhere = { char: string; codePoint: string; places: string[] };

/**
 * Where each unprintable character occurs, in the user's words: "学生“张𠮷”（2025级 数控1班）的姓名".
 * `fields` come from the forms engine: "student.name" for one record, "[3].student.name" in a batch.
 */
export function describeMissing(
  missing: readonly MissingCharacter[],
  students: readonly Pick<Student, 'name' | 'grade' | 'classId'>[],
): MissingWhere[] {
  return missing.map((m) => ({
    char: m.char,
    codePoint: m.codePoint,
    places: [
      ...new Set(
        m.fields.map((f) => {
          const batch = /^\[(\d+)\]\.(.*)$/.exec(f);
          const index = batch ? Number(batch[1]) : 0;
          const path = batch ? (batch[2] as string) : f;
          const s = students[index];
          const leaf = path.split('.').pop() ?? path;
          const label = path.startsWith('student.')
            ? fieldLabel(leaf)
            : path.startsWith('archive.')
              ? '档案核查信息'
              : path === 'schoolName'
                ? '学校名称'
                : leaf;
          return s ? `学生“${s.name}”（${s.grade} ${s.classId}）的${label}` : label;
        }),
      ),
    ],
  }));
}

/** The Chinese warning shown before printing, naming each character and where it is (never a silent box). */
export function missingWarning(items: readonly MissingWhere[]): string[] {
  return items.map((m) => `“${m.char}”（${m.codePoint}）：${m.places.join('；')}`);
}
