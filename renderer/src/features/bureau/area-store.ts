// An area desk's students in memory (issue 11): a county bureau holds its whole county (target 200,000
// students in 100 schools), a city or the province the schools it chose. The screens need, per school,
// its figures (students, on the roster, archive completeness) and, across the area, search as you type
// by name, pinyin, ID number or 学籍号 — not every field of every record. So the store keeps one small
// summary per student (the full record stays in IndexedDB and is read per school or per student when
// opened), reads the collection in pages at start (never 200,000 documents at once), follows the change
// stream by bulks, and builds the search index only when a search needs it.
import { useSyncExternalStore } from 'react';
import { getChangedDocumentsSince, type RxStorageChangeEvent } from 'rxdb';
import { ARCHIVE_MEMBER_STATUSES, completenessRequirement } from '../../../../shared/archive/checklist';
import { K12_ARCHIVE_PARTS, VOCATIONAL_ARCHIVE_PARTS } from '../../../../shared/domain/archive';
import { ON_ROSTER_STATUSES } from '../../../../shared/domain/codes';
import type { SchoolType } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import { RosterIndex } from '../../../../shared/search/roster-index';
import type { XuejiDatabase } from '../../db/database';

/** What an area desk keeps of a student in memory. */
export type AreaStudent = {
  id: string;
  schoolId: string;
  name: string;
  formerName?: string;
  gender: string;
  idNo: string;
  statusNo?: string;
  schoolNo?: string;
  grade: string;
  classId: string;
  status: Student['status'];
  /** the paper-archive parts present, one bit per part (PART_BITS) */
  parts: number;
};

export type LocalSchoolFigures = {
  students: number;
  onRoster: number;
  archive: { folders: number; complete: number };
};

/** Students read per page at start: bounded memory whatever the area's size. */
export const LOAD_PAGE = 5000;
/** Names whose pinyin is worked out per slice before the index is built (~20 ms a slice). */
const PREPARE_SLICE = 1000;

const ON_ROSTER = new Set<string>(ON_ROSTER_STATUSES);
const MEMBER = new Set(ARCHIVE_MEMBER_STATUSES);

/** One bit per archive part of either school type (the type decides which of them count). */
const PART_BITS = new Map(
  [...VOCATIONAL_ARCHIVE_PARTS, ...K12_ARCHIVE_PARTS].map((p, i) => [p.id, 1 << i] as const),
);
const maskOf = (ids: readonly string[]) => ids.reduce((m, id) => m | (PART_BITS.get(id) ?? 0), 0);
const REQUIRED: Record<SchoolType, { always: number; atGraduation: number }> = {
  vocational: {
    always: maskOf(completenessRequirement('vocational').always),
    atGraduation: maskOf(completenessRequirement('vocational').atGraduation),
  },
  k12: {
    always: maskOf(completenessRequirement('k12').always),
    atGraduation: maskOf(completenessRequirement('k12').atGraduation),
  },
};

/** 0: the folder is not counted (the student left); 1: counted, parts missing; 2: complete. */
export function archiveState(s: Pick<AreaStudent, 'parts' | 'status'>, type: SchoolType): 0 | 1 | 2 {
  if (!MEMBER.has(s.status)) return 0;
  const r = REQUIRED[type];
  const need = s.status === 'graduated' ? r.always | r.atGraduation : r.always;
  return (s.parts & need) === need ? 2 : 1;
}

/** The summary of a stored student. */
export function summarise(s: Student): AreaStudent {
  let parts = 0;
  for (const [id, item] of Object.entries(s.archive ?? {}))
    if (item?.state === 'present') parts |= PART_BITS.get(id) ?? 0;
  const out: AreaStudent = {
    id: s.id,
    schoolId: s.schoolId,
    name: s.name,
    gender: s.gender,
    idNo: s.idNo,
    grade: s.grade,
    classId: s.classId,
    status: s.status,
    parts,
  };
  if (s.formerName) out.formerName = s.formerName;
  if (s.statusNo) out.statusNo = s.statusNo;
  if (s.schoolNo) out.schoolNo = s.schoolNo;
  return out;
}

type ChangeEvent = RxStorageChangeEvent<Student>;

export class AreaStore {
  readonly students = new Map<string, AreaStudent>();
  /** ids per school */
  private readonly bySchool = new Map<string, Set<string>>();
  version = 0;
  loaded = false;
  private searchIndex = new RosterIndex();
  /** ids changed since the index was last brought up to date; null = build it whole */
  private unindexed: Set<string> | null = null;
  private held: ChangeEvent[][] = [];
  private listeners = new Set<() => void>();
  private notifyQueued = false;
  private readonly stops: (() => void)[] = [];
  private loadedOnce: Promise<void>;

  constructor(private readonly db: XuejiDatabase) {
    // Subscribe before the first read so nothing written in between is missed.
    const bulks = db.students.eventBulks$.subscribe((bulk) => {
      if (bulk.isLocal) return;
      this.held.push(bulk.events as ChangeEvent[]);
      if (this.loaded) this.catchUp();
    });
    this.stops.push(() => bulks.unsubscribe());
    this.loadedOnce = this.load();
  }

  /** Resolves when the students held at start have been read. */
  whenLoaded(): Promise<void> {
    return this.loadedOnce;
  }

  private async load(): Promise<void> {
    // Pages in the storage's own order of writes (RxDB's getChangedDocumentsSince, the `_meta.lwt` index
    // replication reads by): each page's raw documents are summarised and let go, and no page costs more
    // than its own rows. (A find() sorted by id has no index to use — RxDB's planner then scans and sorts
    // the whole collection for every page: quadratic, minutes for 200,000 students.)
    let checkpoint: { id: string; lwt: number } | undefined;
    for (;;) {
      const page = await getChangedDocumentsSince(this.db.students.storageInstance, LOAD_PAGE, checkpoint);
      for (const d of page.documents) if (!d._deleted) this.put(summarise(d as unknown as Student));
      if (page.documents.length < LOAD_PAGE) break;
      checkpoint = page.checkpoint;
    }
    this.loaded = true;
    // an index built by a search while the pages were read holds only part of them
    this.unindexed = null;
    this.catchUp();
    this.notify();
    void this.prepareIndex();
  }

  /**
   * The pinyin of 200,000 names takes seconds: it is worked out in slices between other work once the
   * students are read, and the index built after it, so the first search need not wait for either.
   */
  private async prepareIndex(): Promise<void> {
    const students = [...this.students.values()];
    for (let i = 0; i < students.length; i += PREPARE_SLICE) {
      if (this.unindexed !== null || this.stopped) return;
      this.searchIndex.prepare(students.slice(i, i + PREPARE_SLICE));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (this.unindexed === null && !this.stopped) void this.index;
  }

  private put(s: AreaStudent): void {
    const before = this.students.get(s.id);
    if (before && before.schoolId !== s.schoolId) this.bySchool.get(before.schoolId)?.delete(s.id);
    this.students.set(s.id, s);
    let set = this.bySchool.get(s.schoolId);
    if (!set) {
      set = new Set();
      this.bySchool.set(s.schoolId, set);
    }
    set.add(s.id);
  }

  private drop(id: string): void {
    const before = this.students.get(id);
    if (!before) return;
    this.students.delete(id);
    this.bySchool.get(before.schoolId)?.delete(id);
  }

  private catchUp(): void {
    if (this.held.length === 0) return;
    const bulks = this.held;
    this.held = [];
    for (const events of bulks)
      for (const e of events) {
        if (e.operation === 'DELETE' || e.documentData._deleted) this.drop(e.documentId);
        else this.put(summarise(e.documentData));
        this.unindexed?.add(e.documentId);
      }
    this.notify();
  }

  /**
   * The search index over every student held (name, pinyin, initials, ID number, 学籍号, 学号): built
   * whole on the first search, then brought up to date with the students changed since (the index
   * rebuilds its lists itself once enough have changed).
   */
  get index(): RosterIndex {
    if (this.unindexed === null) {
      this.searchIndex.reset(this.students.values());
      this.unindexed = new Set();
    } else if (this.unindexed.size > 0) {
      for (const id of this.unindexed) {
        const s = this.students.get(id);
        if (s) this.searchIndex.upsert(s);
        else this.searchIndex.remove(id);
      }
      this.unindexed.clear();
    }
    return this.searchIndex;
  }

  /** Whether the search index is built (in the background after the read, or by a search). */
  get searchReady(): boolean {
    return this.unindexed !== null;
  }

  /** The ids of one school's students held here. */
  idsOf(schoolId: string): string[] {
    return [...(this.bySchool.get(schoolId) ?? [])];
  }

  /** Whether this machine holds any record of the school. */
  holds(schoolId: string): boolean {
    return (this.bySchool.get(schoolId)?.size ?? 0) > 0;
  }

  /** The school's figures from the records held here (live, offline too). */
  figures(schoolId: string, type: SchoolType): LocalSchoolFigures {
    const f: LocalSchoolFigures = { students: 0, onRoster: 0, archive: { folders: 0, complete: 0 } };
    for (const id of this.bySchool.get(schoolId) ?? []) {
      const s = this.students.get(id);
      if (!s) continue;
      f.students++;
      if (ON_ROSTER.has(s.status)) f.onRoster++;
      const a = archiveState(s, type);
      if (a > 0) f.archive.folders++;
      if (a === 2) f.archive.complete++;
    }
    return f;
  }

  private notify(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    setTimeout(() => {
      this.notifyQueued = false;
      this.version++;
      for (const l of this.listeners) l();
    }, 50);
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private stopped = false;

  stop(): void {
    this.stopped = true;
    for (const s of this.stops.splice(0)) s();
  }
}

const stores = new WeakMap<XuejiDatabase, AreaStore>();

export function areaStore(db: XuejiDatabase): AreaStore {
  let store = stores.get(db);
  if (!store) {
    store = new AreaStore(db);
    stores.set(db, store);
  }
  return store;
}

/** The area store; re-renders when the students held change. */
export function useArea(db: XuejiDatabase): { store: AreaStore; version: number } {
  const store = areaStore(db);
  const version = useSyncExternalStore(store.subscribe, () => store.version);
  return { store, version };
}
