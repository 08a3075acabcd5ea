// The roster in memory: every student of the local database plus the search index, kept current from
// the students collection's change stream (DESIGN.md "Search"). One store per database, shared by
// the roster, the student page, the import page and the paper-archive screen.
//
// Speed at 20,000 students: the store takes the stream one bulk at a time (not one event at a time),
// holds the bulks of a bulk write (a roster import, see db/bulk-write.ts) and applies them once it has
// ended, and brings the search index up to date only when a search needs it — so neither the import's
// write nor opening a screen that never searches pays for indexing.
import { useSyncExternalStore } from 'react';
import type { RxStorageChangeEvent } from 'rxdb';
import type { Student } from '../../../../shared/domain/student';
import { RosterIndex } from '../../../../shared/search/roster-index';
import { isBulkWriting, onBulkWriteEnd } from '../../db/bulk-write';
import type { XuejiDatabase } from '../../db/database';

type ChangeEvent = RxStorageChangeEvent<Student>;

/** A stored document without RxDB's bookkeeping fields. */
function plain(data: Student): Student {
  const { _meta, _rev, _attachments, _deleted, ...student } = data as Student & Record<string, unknown>;
  return student as Student;
}

/**
 * One school of an area desk (a bureau, the province, an inspector), whose copy holds many schools: the
 * store holds that school's students only, read by id (the area store knows which ids are the school's).
 */
export type RosterScope = { schoolId: string; ids: () => Promise<string[]> };

export class RosterStore {
  readonly students = new Map<string, Student>();
  version = 0;
  loaded = false;
  private searchIndex = new RosterIndex();
  /** ids changed since the index was last brought up to date; null = rebuild it whole */
  private unindexed: Set<string> | null = null;
  private held: ChangeEvent[][] = [];
  private listeners = new Set<() => void>();
  private notifyQueued = false;
  /** ends the store's subscriptions (a school roster of an area desk no longer shown) */
  readonly stop: () => void;

  constructor(
    db: XuejiDatabase,
    private readonly scope?: RosterScope,
  ) {
    // Subscribe before the first read so nothing written in between is missed; replaying an event the
    // read already contains is harmless.
    const sub = db.students.eventBulks$.subscribe((bulk) => {
      if (bulk.isLocal) return;
      const events = bulk.events as ChangeEvent[];
      const mine = scope
        ? events.filter((e) => e.documentData?.schoolId === scope.schoolId || this.students.has(e.documentId))
        : events;
      if (mine.length === 0) return;
      this.held.push(mine);
      if (this.loaded && !isBulkWriting(db)) this.catchUp();
    });
    const off = onBulkWriteEnd(db, () => {
      if (this.loaded) this.catchUp();
    });
    this.stop = () => {
      sub.unsubscribe();
      off();
    };
    const read = scope
      ? scope.ids().then(async (ids) => [...(await db.students.findByIds(ids).exec()).values()])
      : db.students.find().exec();
    read.then((docs) => {
      for (const d of docs) this.students.set(d.primary, d.toJSON() as Student);
      this.loaded = true;
      this.unindexed = null;
      this.catchUp();
      this.notify();
    });
  }

  /** The search index over every student, brought up to date on demand. */
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

  /** Applies the held change bulks to the map in one go and schedules one re-render. */
  private catchUp(): void {
    if (this.held.length === 0) return;
    const bulks = this.held;
    this.held = [];
    for (const events of bulks)
      for (const event of events) {
        const gone =
          event.operation === 'DELETE' ||
          // a student who left this school (a transfer) leaves its roster on an area desk
          (this.scope !== undefined && event.documentData.schoolId !== this.scope.schoolId);
        if (gone) this.students.delete(event.documentId);
        else this.students.set(event.documentId, plain(event.documentData));
        this.unindexed?.add(event.documentId);
      }
    this.notify();
  }

  /** Coalesces a burst of changes into one re-render. */
  private notify(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    setTimeout(() => {
      this.notifyQueued = false;
      this.version++;
      for (const l of this.listeners) l();
    }, 30);
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const stores = new WeakMap<XuejiDatabase, RosterStore>();
const schoolStores = new WeakMap<XuejiDatabase, Map<string, RosterStore>>();
/** Schools of an area desk whose rosters stay in memory (the most recently opened). */
const SCHOOL_STORES = 3;

export function rosterStore(db: XuejiDatabase, scope?: RosterScope): RosterStore {
  if (scope) {
    const map = schoolStores.get(db) ?? new Map<string, RosterStore>();
    schoolStores.set(db, map);
    let store = map.get(scope.schoolId);
    if (store) map.delete(scope.schoolId);
    else store = new RosterStore(db, scope);
    map.set(scope.schoolId, store);
    // The oldest are let go (their subscriptions with them): a province opens many schools in a day.
    for (const [id, old] of map) {
      if (map.size <= SCHOOL_STORES) break;
      old.stop();
      map.delete(id);
    }
    return store;
  }
  let store = stores.get(db);
  if (!store) {
    store = new RosterStore(db);
    stores.set(db, store);
  }
  return store;
}

/** The roster store (of one school on an area desk); re-renders when the roster changes. */
export function useRoster(db: XuejiDatabase, scope?: RosterScope): { store: RosterStore; version: number } {
  const store = scope ? rosterStore(db, scope) : rosterStore(db);
  const version = useSyncExternalStore(store.subscribe, () => store.version);
  return { store, version };
}
