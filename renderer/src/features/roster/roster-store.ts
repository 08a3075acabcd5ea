// The roster in memory: every student of the local database plus the search index, kept current from
// the students collection's change stream (DESIGN.md "Search"). One store per database, shared by
// the roster and the student page.
import { useSyncExternalStore } from 'react';
import type { Student } from '../../../../shared/domain/student';
import { RosterIndex } from '../../../../shared/search/roster-index';
import type { XuejiDatabase } from '../../db/database';

export class RosterStore {
  readonly students = new Map<string, Student>();
  readonly index = new RosterIndex();
  version = 0;
  loaded = false;
  private listeners = new Set<() => void>();
  private notifyQueued = false;

  constructor(db: XuejiDatabase) {
    // Subscribe before the first read so nothing written in between is missed; replaying an event the
    // read already contains is harmless.
    const pending: (() => void)[] = [];
    db.students.$.subscribe((event) => {
      const apply = () => {
        if (event.operation === 'DELETE') {
          this.students.delete(event.documentId);
          this.index.remove(event.documentId);
        } else {
          const { _meta, _rev, _attachments, _deleted, ...student } = event.documentData;
          this.students.set(event.documentId, student as Student);
          this.index.upsert(student as Student);
        }
      };
      if (this.loaded) {
        apply();
        this.notify();
      } else pending.push(apply);
    });
    db.students
      .find()
      .exec()
      .then((docs) => {
        for (const d of docs) this.students.set(d.primary, d.toJSON() as Student);
        this.index.reset(this.students.values());
        this.loaded = true;
        for (const apply of pending) apply();
        this.notify();
      });
  }

  /** Coalesces a burst of change events (a bulk insert) into one re-render. */
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

export function rosterStore(db: XuejiDatabase): RosterStore {
  let store = stores.get(db);
  if (!store) {
    store = new RosterStore(db);
    stores.set(db, store);
  }
  return store;
}

/** The roster store; re-renders when the roster changes (`version` changes). */
export function useRoster(db: XuejiDatabase): { store: RosterStore; version: number } {
  const store = rosterStore(db);
  const version = useSyncExternalStore(store.subscribe, () => store.version);
  return { store, version };
}
