// The paper-archive checklist (纸质档案, DOMAIN.md "Paper archive"; YQ 中职 inspection item 2): the state
// of each part per student, marking parts while going through a drawer of folders, and the school-wide
// completeness and missing-parts figures. Pure: the renderer's `archive-mark` command writes the result.
import { type ArchivePart, archivePartsFor } from '../domain/archive';
import { ON_ROSTER_STATUSES } from '../domain/codes';
import { compareGradeClass as byClass } from '../domain/grades';
import type { SchoolType } from '../domain/schemas';
import type { ArchiveItem, ArchiveItemState, Student } from '../domain/student';

export const ARCHIVE_STATE_LABELS: Record<ArchiveItemState, string> = {
  present: '已归档',
  missing: '缺',
  notDue: '未到期',
};

type ArchiveHolder = Pick<Student, 'archive' | 'status'>;

/**
 * The state that counts for a part. A part due at graduation (毕业生信息登记表) is not due before the
 * student graduates, whatever was stored; after graduation a stored "not due" counts as missing.
 */
export function effectiveState(part: ArchivePart, student: ArchiveHolder): ArchiveItemState {
  const stored = student.archive[part.id]?.state;
  if (stored === 'present') return 'present';
  if (part.dueAtGraduation) return student.status === 'graduated' ? 'missing' : 'notDue';
  return 'missing';
}

export type PartView = ArchivePart & { item: ArchiveItem | undefined; state: ArchiveItemState };

/** The checklist of one student, in the order of the parts list for the school type. */
export function checklistOf(student: ArchiveHolder, schoolType: SchoolType): PartView[] {
  return archivePartsFor(schoolType).map((p) => ({
    ...p,
    item: student.archive[p.id],
    state: effectiveState(p, student),
  }));
}

/** Parts that are due and not present. */
export function missingPartsOf(student: ArchiveHolder, schoolType: SchoolType): ArchivePart[] {
  return archivePartsFor(schoolType).filter((p) => effectiveState(p, student) === 'missing');
}

export type MarkContext = { at: string; by: string };

export type ArchiveChange = {
  archive: Record<string, ArchiveItem>;
  /** the parts whose entries changed: before and after (for the history event, R-WHO) */
  before: Record<string, ArchiveItem | null>;
  after: Record<string, ArchiveItem>;
};

function withMark(item: ArchiveItem | undefined, state: ArchiveItemState, ctx: MarkContext): ArchiveItem {
  const next: ArchiveItem = { ...(item ?? {}), state, checkedAt: ctx.at, checkedBy: ctx.by };
  return next;
}

/** Sets parts to the given states; parts already in that state are left untouched. */
export function markParts(
  student: ArchiveHolder,
  states: Record<string, ArchiveItemState>,
  ctx: MarkContext,
): ArchiveChange {
  const archive = { ...student.archive };
  const before: Record<string, ArchiveItem | null> = {};
  const after: Record<string, ArchiveItem> = {};
  for (const [partId, state] of Object.entries(states)) {
    const current = student.archive[partId];
    if (current?.state === state) continue;
    const next = withMark(current, state, ctx);
    archive[partId] = next;
    before[partId] = current ?? null;
    after[partId] = next;
  }
  return { archive, before, after };
}

/** The state a part takes when it is toggled off: missing, or not due for a graduation-only part. */
export function absentStateOf(part: ArchivePart, student: ArchiveHolder): ArchiveItemState {
  return part.dueAtGraduation && student.status !== 'graduated' ? 'notDue' : 'missing';
}

/** Toggle one part between present and absent (keys 1–7 on the drawer screen). */
export function togglePart(student: ArchiveHolder, part: ArchivePart, ctx: MarkContext): ArchiveChange {
  const present = student.archive[part.id]?.state === 'present';
  return markParts(student, { [part.id]: present ? absentStateOf(part, student) : 'present' }, ctx);
}

/**
 * "Checked: all present" (Enter on the drawer screen): every part that is due becomes present, and
 * every part gets today's check date and checker, so the folder counts as checked.
 */
export function markAllPresent(
  student: ArchiveHolder,
  schoolType: SchoolType,
  ctx: MarkContext,
): ArchiveChange {
  const archive = { ...student.archive };
  const before: Record<string, ArchiveItem | null> = {};
  const after: Record<string, ArchiveItem> = {};
  for (const p of archivePartsFor(schoolType)) {
    const current = student.archive[p.id];
    const state: ArchiveItemState =
      effectiveState(p, student) === 'notDue' ? (current?.state ?? 'notDue') : 'present';
    const next = withMark(current, state, ctx);
    archive[p.id] = next;
    before[p.id] = current ?? null;
    after[p.id] = next;
  }
  return { archive, before, after };
}

/** The latest check date of a folder (any part), or undefined if never checked. */
export function lastCheckedAt(student: ArchiveHolder): string | undefined {
  let latest: string | undefined;
  for (const item of Object.values(student.archive))
    if (item.checkedAt && (!latest || item.checkedAt > latest)) latest = item.checkedAt;
  return latest;
}

// One collator for names: String#localeCompare with a locale builds one per call, which is far too slow
// for 20,000 folders. Grades sort by their number and classes naturally (shared/domain/grades).
const zh = new Intl.Collator('zh', { numeric: true });
const cmp = (a: string, b: string) => zh.compare(a, b);

/**
 * The folders of the school-wide archive view: students on the roster (在校, 休学) and graduates, whose
 * graduate form is due; withdrawn, transferred and other students' folders have left the drawers.
 */
export function isArchiveMember(s: Pick<Student, 'status'>): boolean {
  return ON_ROSTER_STATUSES.includes(s.status) || s.status === 'graduated';
}

type RosterStudent = Pick<Student, 'id' | 'name' | 'grade' | 'classId' | 'schoolNo' | 'archive' | 'status'>;

export type ClassCompleteness = {
  grade: string;
  classId: string;
  students: number;
  /** folders with every due part present */
  complete: number;
  /** due parts missing, summed over the class */
  missingParts: number;
  /** missing count per part id */
  missingByPart: Record<string, number>;
};

/** Completeness of the paper archive by class, sorted by grade then class. */
export function completenessByClass(
  students: Iterable<RosterStudent>,
  schoolType: SchoolType,
): ClassCompleteness[] {
  const parts = archivePartsFor(schoolType);
  const byClassKey = new Map<string, ClassCompleteness>();
  for (const s of students) {
    const key = `${s.grade}\u0000${s.classId}`;
    let c = byClassKey.get(key);
    if (!c) {
      c = {
        grade: s.grade,
        classId: s.classId,
        students: 0,
        complete: 0,
        missingParts: 0,
        missingByPart: {},
      };
      byClassKey.set(key, c);
    }
    c.students++;
    let missing = 0;
    for (const p of parts) {
      if (effectiveState(p, s) !== 'missing') continue;
      missing++;
      c.missingByPart[p.id] = (c.missingByPart[p.id] ?? 0) + 1;
    }
    c.missingParts += missing;
    if (missing === 0) c.complete++;
  }
  return [...byClassKey.values()].sort(byClass);
}

export type MissingPart = {
  studentId: string;
  name: string;
  grade: string;
  classId: string;
  schoolNo: string;
  partId: string;
  title: string;
};

/** The school-wide list of missing parts, by class, 学号 and the parts' order. */
export function missingPartsList(students: Iterable<RosterStudent>, schoolType: SchoolType): MissingPart[] {
  const parts = archivePartsFor(schoolType);
  const out: MissingPart[] = [];
  for (const s of students)
    for (const p of parts)
      if (effectiveState(p, s) === 'missing')
        out.push({
          studentId: s.id,
          name: s.name,
          grade: s.grade,
          classId: s.classId,
          schoolNo: s.schoolNo ?? '',
          partId: p.id,
          title: p.title,
        });
  const order = new Map(parts.map((p, i) => [p.id, i]));
  return out.sort(
    (a, b) =>
      byClass(a, b) || cmp(a.schoolNo, b.schoolNo) || (order.get(a.partId) ?? 0) - (order.get(b.partId) ?? 0),
  );
}

/** Folders in drawer order: by class, then 校内学号, then name. */
export function drawerOrder<T extends RosterStudent>(students: Iterable<T>): T[] {
  return [...students].sort(
    (a, b) => byClass(a, b) || cmp(a.schoolNo ?? '', b.schoolNo ?? '') || cmp(a.name, b.name),
  );
}

/**
 * Type-to-jump on the drawer screen: the first folder at or after `from` whose 校内学号 starts with the
 * typed text, or whose name does; wraps around.
 */
export function jumpTo<T extends RosterStudent>(folders: readonly T[], typed: string, from = 0): number {
  const q = typed.trim();
  if (!q || folders.length === 0) return -1;
  for (let k = 0; k < folders.length; k++) {
    const i = (from + k) % folders.length;
    const f = folders[i] as T;
    if ((f.schoolNo ?? '').startsWith(q) || f.name.startsWith(q)) return i;
  }
  return -1;
}

type TallyEntry = { student: RosterStudent; included: boolean; key: string; missing: string[] };

/**
 * Completeness by class kept up to date incrementally, for the school-wide view at 20,000 folders:
 * `sync` walks the roster comparing document objects (the roster store replaces only the documents
 * that changed) and recounts only those, so a keypress on the drawer screen costs one student's
 * parts, not every student's. `byClass()` equals `completenessByClass` of the included students;
 * a class whose figures did not change keeps its object, so memoised rows skip re-rendering.
 */
export class ArchiveTally {
  private readonly parts: readonly ArchivePart[];
  private entries = new Map<string, TallyEntry>();
  private classes = new Map<string, ClassCompleteness>();
  private sorted: ClassCompleteness[] = [];
  private sortedKeys: string[] = [];
  /** counts over the included students */
  readonly totals = { students: 0, complete: 0, missingParts: 0 };
  /** incremented whenever a folder joins or leaves the included set (the drawer order is stale) */
  membership = 0;

  constructor(
    schoolType: SchoolType,
    private readonly include: (s: RosterStudent) => boolean,
  ) {
    this.parts = archivePartsFor(schoolType);
  }

  /** Brings the tally up to date with the roster; returns whether any figure changed. */
  sync(students: ReadonlyMap<string, RosterStudent>): boolean {
    const touched = new Set<string>();
    let classSetChanged = false;
    let seen = 0;
    const take = (e: TallyEntry, sign: 1 | -1) => {
      if (!e.included) return;
      let c = this.classes.get(e.key);
      if (!touched.has(e.key)) {
        // copy on first write in this sync, so unchanged classes keep their object
        c = c
          ? { ...c, missingByPart: { ...c.missingByPart } }
          : {
              grade: e.student.grade,
              classId: e.student.classId,
              students: 0,
              complete: 0,
              missingParts: 0,
              missingByPart: {},
            };
        if (!this.classes.has(e.key)) classSetChanged = true;
        this.classes.set(e.key, c);
        touched.add(e.key);
      }
      if (!c) return;
      const complete = e.missing.length === 0 ? 1 : 0;
      c.students += sign;
      c.complete += sign * complete;
      c.missingParts += sign * e.missing.length;
      for (const p of e.missing) {
        const n = (c.missingByPart[p] ?? 0) + sign;
        if (n === 0) delete c.missingByPart[p];
        else c.missingByPart[p] = n;
      }
      this.totals.students += sign;
      this.totals.complete += sign * complete;
      this.totals.missingParts += sign * e.missing.length;
    };
    for (const s of students.values()) {
      seen++;
      const old = this.entries.get(s.id);
      if (old?.student === s) continue;
      const next: TallyEntry = {
        student: s,
        included: this.include(s),
        key: `${s.grade}\u0000${s.classId}`,
        missing: [],
      };
      if (next.included)
        for (const p of this.parts) if (effectiveState(p, s) === 'missing') next.missing.push(p.id);
      if (old) take(old, -1);
      take(next, 1);
      if ((old?.included ?? false) !== next.included) this.membership++;
      this.entries.set(s.id, next);
    }
    if (this.entries.size > seen)
      for (const [id, e] of this.entries)
        if (!students.has(id)) {
          take(e, -1);
          if (e.included) this.membership++;
          this.entries.delete(id);
        }
    if (touched.size === 0) return false;
    for (const key of touched)
      if (this.classes.get(key)?.students === 0) {
        this.classes.delete(key);
        classSetChanged = true;
      }
    if (classSetChanged) {
      const list = [...this.classes.entries()].sort(([, a], [, b]) => byClass(a, b));
      this.sortedKeys = list.map(([k]) => k);
    }
    this.sorted = this.sortedKeys.map((k) => this.classes.get(k) as ClassCompleteness);
    return true;
  }

  /** Classes sorted by grade then class; a new array after a sync that changed anything. */
  byClass(): ClassCompleteness[] {
    return this.sorted;
  }
}

/**
 * What makes a folder complete, as data (for the server's area figures, computed in SQL over the stored
 * records): every part in `always` present, and for a graduated student also every part in
 * `atGraduation` — the same as "no part is missing" by effectiveState.
 */
export type CompletenessRequirement = { always: string[]; atGraduation: string[] };

export function completenessRequirement(schoolType: SchoolType): CompletenessRequirement {
  const parts = archivePartsFor(schoolType);
  return {
    always: parts.filter((p) => !p.dueAtGraduation).map((p) => p.id),
    atGraduation: parts.filter((p) => p.dueAtGraduation).map((p) => p.id),
  };
}

/** The statuses whose folders are counted (isArchiveMember). */
export const ARCHIVE_MEMBER_STATUSES: readonly string[] = [...ON_ROSTER_STATUSES, 'graduated'];

export type ArchiveFigures = { folders: number; complete: number };

/** Folders and complete folders of a school (the figure the area screens show per school). */
export function archiveFigures(
  students: Iterable<Pick<Student, 'archive' | 'status'>>,
  schoolType: SchoolType,
): ArchiveFigures {
  const parts = archivePartsFor(schoolType);
  let folders = 0;
  let complete = 0;
  for (const s of students) {
    if (!isArchiveMember(s)) continue;
    folders++;
    if (parts.every((p) => effectiveState(p, s) !== 'missing')) complete++;
  }
  return { folders, complete };
}
