// The outbox: which records were changed on this machine and not yet accepted by the server, per
// collection. It follows every write to the pushed collections (a local write adds the record, the
// server's state written over it removes it), settles pushed states the server took, and keeps the
// master states of conflict answers until the conflict handler's result shows whether anything is left
// to push. The engine persists the snapshot with the sync bookkeeping (account.ts SyncMeta.outbox).
import type { Subscription } from 'rxjs';
import { docEqual } from '../../../shared/sync/equal';
import type { SyncDoc } from '../../../shared/sync/protocol';
import type { XuejiDatabase } from '../db/database';

export type OutboxOptions = {
  /** the collections whose local writes are pushed */
  collections: string[];
  /** the pending count per collection changed (the sync state shows it) */
  onPending: (pending: Record<string, number>) => void;
  /** the set changed: persist it now (a window closed right after an edit keeps its count) */
  onChanged: (snapshot: Record<string, string[]>) => void;
};

export class Outbox {
  private readonly sets = new Map<string, Set<string>>();
  /** master states the server answered a push with, until the conflict handler's result is written */
  private readonly conflictMasters = new Map<string, SyncDoc>();
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly db: XuejiDatabase,
    private readonly options: OutboxOptions,
  ) {}

  /** Restores the persisted ids and publishes their count. */
  load(snapshot: Record<string, string[]>): void {
    for (const [name, ids] of Object.entries(snapshot)) this.sets.set(name, new Set(ids));
    this.publish();
  }

  /** The record was changed here and the server has not answered its push yet. */
  has(name: string, id: string): boolean {
    return this.sets.get(name)?.has(id) ?? false;
  }

  snapshot(): Record<string, string[]> {
    return Object.fromEntries([...this.sets].map(([k, v]) => [k, [...v]]));
  }

  /** Follows every write of the pushed collections, by the context RxDB gives the write. */
  track(): void {
    for (const name of this.options.collections) {
      const collection = this.db.collections[name as keyof typeof this.db.collections];
      if (!collection) continue;
      const sub = collection.eventBulks$.subscribe((bulk) => {
        const ids = bulk.events.map((e) => e.documentId);
        if (bulk.context.startsWith('replication-downstream')) {
          // The server's state was written over an unchanged local record: nothing of ours is pending.
          this.change(name, ids, false);
        } else if (bulk.context === 'replication-up-write-conflict') {
          // The conflict handler's result: settled when it is the server's state (nothing left to push,
          // e.g. a same-field conflict waiting in the inbox); otherwise it is pushed again and settled then.
          const settled = bulk.events
            .filter((e) => {
              const key = `${name}|${e.documentId}`;
              const master = this.conflictMasters.get(key);
              this.conflictMasters.delete(key);
              return master !== undefined && e.documentData && docEqual(e.documentData as SyncDoc, master);
            })
            .map((e) => e.documentId);
          this.change(name, settled, false);
        } else if (!bulk.context.startsWith('replication-')) {
          this.change(name, ids, true);
        }
      });
      this.subscriptions.push(sub);
    }
  }

  /**
   * A push answered: rows the server took, and rows it refused (their refusal is a syncIssues record on
   * the record), are settled; conflicting rows stay pending until the conflict handler's result is pushed.
   */
  async pushed(name: string, sent: SyncDoc[], conflicts: SyncDoc[]): Promise<void> {
    for (const d of conflicts) this.conflictMasters.set(`${name}|${String(d.id)}`, d);
    const unsettled = new Set(conflicts.map((d) => String(d.id)));
    await this.settle(
      name,
      sent.filter((d) => !unsettled.has(String(d.id))),
    );
  }

  /** Pushed states leave the outbox only if the record has not changed again in the meantime. */
  private async settle(name: string, states: SyncDoc[]): Promise<void> {
    if (states.length === 0) return;
    const collection = this.db.collections[name as keyof typeof this.db.collections];
    const current = await collection.findByIds(states.map((d) => String(d.id))).exec();
    const done = states
      .filter((d) => {
        const local = current.get(String(d.id));
        return !local || docEqual(local.toJSON() as SyncDoc, d);
      })
      .map((d) => String(d.id));
    this.change(name, done, false);
  }

  private change(name: string, ids: string[], add: boolean): void {
    let set = this.sets.get(name);
    if (!set) {
      set = new Set();
      this.sets.set(name, set);
    }
    let changed = false;
    for (const id of ids) {
      if (add && !set.has(id)) {
        set.add(id);
        changed = true;
      } else if (!add && set.delete(id)) changed = true;
    }
    if (!changed) return;
    this.publish();
    this.options.onChanged(this.snapshot());
  }

  private publish(): void {
    const pending: Record<string, number> = {};
    for (const [name, set] of this.sets) if (set.size > 0) pending[name] = set.size;
    this.options.onPending(pending);
  }

  stop(): void {
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
  }
}
