// 学籍变动名册 (YQ 中职 二(三): "各年级学生变动名册（包括转入、转出、留级、休学、退学、注销、复学、死亡的学生等
// 情况）"): derived from the approved requests, never stored apart from them — a roster kept as its own
// record could drift from the requests it repeats. Each approved request keeps what approval did
// (`applied`, with the student's snapshot), so the roster of any term can be rebuilt on every copy that
// holds the requests: the school's own, the sending school's transfers (it is a party), a bureau's area.
import type { Ymd } from '../calendar/dates';
import { ROSTER_CHANGE_TYPES } from '../forms/defs/change-roster';
import { definitionOf } from './definitions';
import type { ChangeRequestDoc, StudentSnapshot } from './types';

export type RosterChangeType = keyof typeof ROSTER_CHANGE_TYPES;

export type RosterEntry = {
  requestId: string;
  studentId: string;
  /** the school whose roster lists it */
  schoolId: string;
  changeType: RosterChangeType;
  statusNo?: string;
  name: string;
  gender: string;
  grade: string;
  classId: string;
  major?: string;
  changeDate: Ymd;
  reason: string;
  note?: string;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The entries an approved request puts on the change rosters (none for graduation, enrolment, info changes). */
export function rosterEntriesOf(req: ChangeRequestDoc): RosterEntry[] {
  if (req.status !== 'approved' || !req.applied || !definitionOf(req.type).roster) return [];
  const out: RosterEntry[] = [];
  for (const change of req.applied.changes) {
    const snap: StudentSnapshot | undefined =
      req.students.find((s) => s.id === change.studentId) ?? req.students[0];
    if (!snap) continue;
    const after = (k: string) => str(change.after[k]) ?? str((snap as Record<string, unknown>)[k]);
    const before = (k: string) => str(change.before[k]) ?? str((snap as Record<string, unknown>)[k]);
    const base = {
      requestId: req.id,
      studentId: change.studentId,
      statusNo: snap.statusNo,
      name: snap.name,
      gender: snap.gender,
      changeDate: req.applied.on,
      reason: req.reason.slice(0, 200),
    };
    if (req.type === 'transfer') {
      out.push({
        ...base,
        schoolId: req.schoolId,
        changeType: 'transferIn',
        grade: after('grade') ?? '',
        classId: after('classId') ?? '',
        major: snap.major,
        note: `转自${snap.schoolName ?? req.fromSchoolName ?? ''}`.slice(0, 100),
      });
      if (req.fromSchoolId)
        out.push({
          ...base,
          schoolId: req.fromSchoolId,
          changeType: 'transferOut',
          grade: before('grade') ?? '',
          classId: before('classId') ?? '',
          major: snap.major,
          note: `转至${req.route[0]?.orgName ?? ''}`.slice(0, 100),
        });
      continue;
    }
    const leaving = ['suspension', 'withdrawal', 'cancellation', 'death', 'abroad'].includes(req.type);
    const pick = leaving ? before : after;
    const note =
      req.type === 'repeat' || req.type === 'skip'
        ? `原年级${before('grade') ?? ''}`
        : req.type === 'majorChange'
          ? `原专业${before('major') ?? ''}`
          : undefined;
    out.push({
      ...base,
      schoolId: req.schoolId,
      changeType: req.type as RosterChangeType,
      grade: pick('grade') ?? '',
      classId: pick('classId') ?? '',
      major: pick('major'),
      ...(note ? { note: note.slice(0, 100) } : {}),
    });
  }
  return out;
}

/** A term of a school year: the configured one, else the school-year halves (Sep–Jan, Feb–Aug). */
export type TermRange = { name: string; start: Ymd; end: Ymd };

export function standardTerm(date: Ymd): TermRange {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  if (m >= 9) return { name: `${y}—${y + 1}学年第一学期`, start: `${y}-09-01`, end: `${y + 1}-01-31` };
  if (m === 1) return { name: `${y - 1}—${y}学年第一学期`, start: `${y - 1}-09-01`, end: `${y}-01-31` };
  return { name: `${y - 1}—${y}学年第二学期`, start: `${y}-02-01`, end: `${y}-08-31` };
}

/** The terms before and including the one of `date` (newest first), for the roster's term picker. */
export function recentTerms(date: Ymd, count = 6): TermRange[] {
  const out: TermRange[] = [];
  let t = standardTerm(date);
  for (let i = 0; i < count; i++) {
    out.push(t);
    const prevDay = new Date(`${t.start}T00:00:00Z`);
    prevDay.setUTCDate(prevDay.getUTCDate() - 1);
    t = standardTerm(prevDay.toISOString().slice(0, 10));
  }
  return out;
}

const ORDER = Object.keys(ROSTER_CHANGE_TYPES);

/** The change roster of one school for a term, in date order then by type. */
export function changeRoster(
  requests: readonly ChangeRequestDoc[],
  schoolId: string,
  term: Pick<TermRange, 'start' | 'end'>,
): RosterEntry[] {
  return requests
    .flatMap(rosterEntriesOf)
    .filter((e) => e.schoolId === schoolId && e.changeDate >= term.start && e.changeDate <= term.end)
    .sort(
      (a, b) =>
        a.changeDate.localeCompare(b.changeDate) ||
        ORDER.indexOf(a.changeType) - ORDER.indexOf(b.changeType) ||
        a.name.localeCompare(b.name, 'zh'),
    );
}

/** Counts per type, in the roster's order ("转入 2 人，休学 1 人"). */
export function rosterCounts(entries: readonly RosterEntry[]): { type: RosterChangeType; count: number }[] {
  const counts = new Map<RosterChangeType, number>();
  for (const e of entries) counts.set(e.changeType, (counts.get(e.changeType) ?? 0) + 1);
  return (ORDER as RosterChangeType[])
    .filter((t) => counts.has(t))
    .map((t) => ({ type: t, count: counts.get(t) ?? 0 }));
}
