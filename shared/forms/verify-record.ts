// 核验表单 (the app's screen): does a paper form still match today's record? Its QR code holds the form,
// the record ID and the content hash of the data it was printed from (canonical.ts). The app finds the record, rebuilds the
// form's data from today's record for the print date, and compares the hashes; with the print log (the
// `form-print` event the app writes when a PDF leaves it) it also names what differs. Pure: the screen
// passes the student, the school, the print log and today's date.

import { archivePartsFor } from '../domain/archive';
import { GENDERS, ID_TYPES, nameOf } from '../domain/codes';
import type { FormPrintRecord } from '../domain/history';
import type { Student } from '../domain/student';
import { archiveListData, type PrintSchool } from './archive-list-data';
import { contentHash } from './canonical';
import { ARCHIVE_STATES, type ArchiveListData, archiveListForm } from './defs/archive-list';
import { validateFormData } from './render';

export type QrStamp = { formId: string; recordId: string; hash: string };

/** Reads a form's QR text: "XUEJI1|<form>|<record ID>|<SHA-256 hex>"; null when it is not one. */
export function parseQrPayload(text: string): QrStamp | null {
  const m = /^XUEJI1\|([\w-]{1,40})\|([^|]{1,80})\|([0-9a-f]{64})$/.exec(text.trim());
  return m ? { formId: m[1] as string, recordId: m[2] as string, hash: m[3] as string } : null;
}

/** A print-log entry as the `form-print` event keeps it: the stamp and the data it was printed from. */
export type PrintedForm = FormPrintRecord & { data: ArchiveListData; by?: string; at?: string };

export type Difference = { label: string; printed: string; current: string };

export type VerifyOutcome =
  | { kind: 'match'; stamp: QrStamp; printedAt: string; print?: PrintedForm }
  | { kind: 'changed'; stamp: QrStamp; print?: PrintedForm; differences: Difference[] };

/** Forms the app can check against its own records (the forms it prints from them). */
export const VERIFIABLE_FORMS: Readonly<Record<string, string>> = { 'archive-list': archiveListForm.title };

/** The student a form was printed for: its record ID is the 学籍号, or the internal ID when there was none. */
export function recordIdOf(s: Pick<Student, 'id' | 'statusNo'>): string {
  return s.statusNo || s.id;
}

function hashOf(data: ArchiveListData): string {
  return contentHash(archiveListForm.id, validateFormData(archiveListForm, data));
}

/** YYYY-MM-DD of `days` before `today` (UTC calendar arithmetic on the date only). */
function daysBefore(today: string, days: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** How far back a form printed without a print log on this machine is looked for (its print date). */
export const UNLOGGED_SEARCH_DAYS = 3 * 366;

/**
 * Checks a 学籍档案目录 against today's record. With a print-log entry of this hash, the form's data is
 * rebuilt for its print date and compared, and any difference is named; without one (printed elsewhere),
 * the print dates of the last three years are tried, and a mismatch can only be reported as such.
 */
export function verifyArchiveList(
  stamp: QrStamp,
  input: { student: Student; school: PrintSchool; prints: readonly PrintedForm[]; today: string },
): VerifyOutcome {
  const print = input.prints.find((p) => p.hash === stamp.hash && p.formId === stamp.formId);
  if (print) {
    const current = archiveListData(input.student, input.school, print.printedAt);
    if (hashOf(current) === stamp.hash) return { kind: 'match', stamp, printedAt: print.printedAt, print };
    return { kind: 'changed', stamp, print, differences: archiveListDifferences(print.data, current) };
  }
  for (let d = 0; d <= UNLOGGED_SEARCH_DAYS; d++) {
    const printedAt = daysBefore(input.today, d);
    if (hashOf(archiveListData(input.student, input.school, printedAt)) === stamp.hash)
      return { kind: 'match', stamp, printedAt };
  }
  return { kind: 'changed', stamp, differences: [] };
}

const STUDENT_LABELS: [keyof ArchiveListData['student'], string, (v: string) => string][] = [
  ['name', '姓名', (v) => v],
  ['gender', '性别', (v) => nameOf(GENDERS, v)],
  ['birthDate', '出生日期', (v) => v],
  ['idType', '身份证件类型', (v) => nameOf(ID_TYPES, v)],
  ['idNo', '身份证件号', (v) => v],
  ['statusNo', '学籍号', (v) => v],
  ['grade', '年级', (v) => v],
  ['classId', '班级', (v) => v],
  ['major', '专业', (v) => v],
  ['enrolYearMonth', '入学年月', (v) => `${v.slice(0, 4)}年${v.slice(4)}月`],
];

/** What a person would see differ between the printed 学籍档案目录 and today's: fields and parts, in words. */
export function archiveListDifferences(printed: ArchiveListData, current: ArchiveListData): Difference[] {
  const out: Difference[] = [];
  const show = (v: unknown) => (v === undefined || v === null || v === '' ? '（空）' : String(v));
  if (printed.schoolName !== current.schoolName)
    out.push({ label: '学校名称', printed: printed.schoolName, current: current.schoolName });
  for (const [key, label, format] of STUDENT_LABELS) {
    const a = printed.student[key];
    const b = current.student[key];
    if ((a ?? '') !== (b ?? ''))
      out.push({
        label,
        printed: a ? format(String(a)) : '（空）',
        current: b ? format(String(b)) : '（空）',
      });
  }
  for (const part of archivePartsFor(current.schoolType)) {
    const a = printed.archive[part.id];
    const b = current.archive[part.id];
    if (a?.state !== b?.state)
      out.push({
        label: `${part.title}·归档情况`,
        printed: a ? ARCHIVE_STATES[a.state] : '（空）',
        current: b ? ARCHIVE_STATES[b.state] : '（空）',
      });
    else if ((a?.checkedAt ?? '') !== (b?.checkedAt ?? '') || (a?.checkedBy ?? '') !== (b?.checkedBy ?? ''))
      out.push({
        label: `${part.title}·核查`,
        printed: show([a?.checkedAt, a?.checkedBy].filter(Boolean).join(' ')),
        current: show([b?.checkedAt, b?.checkedBy].filter(Boolean).join(' ')),
      });
  }
  return out;
}
