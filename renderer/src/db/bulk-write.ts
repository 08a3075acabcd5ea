// Large writes (a roster import of 20,000 students) announce themselves, so in-memory views kept from
// a collection's change stream — the roster store and its search index — take the written documents
// in one go when the write ends, instead of doing per-document work on the main thread between the
// write's chunks (which competed with IndexedDB for the thread and froze the progress bar).
import type { XuejiDatabase } from './database';

type BulkState = { depth: number; ended: Set<() => void> };

const states = new WeakMap<XuejiDatabase, BulkState>();

function stateOf(db: XuejiDatabase): BulkState {
  let state = states.get(db);
  if (!state) {
    state = { depth: 0, ended: new Set() };
    states.set(db, state);
  }
  return state;
}

/** True while a bulk write runs in this window. */
export function isBulkWriting(db: XuejiDatabase): boolean {
  return (states.get(db)?.depth ?? 0) > 0;
}

/** Calls `listener` each time the outermost bulk write of this window ends (success or failure). */
export function onBulkWriteEnd(db: XuejiDatabase, listener: () => void): () => void {
  const state = stateOf(db);
  state.ended.add(listener);
  return () => state.ended.delete(listener);
}

/** Runs `write` as a bulk write: listeners catch up once it has ended, however it ended. */
export async function duringBulkWrite<T>(db: XuejiDatabase, write: () => Promise<T>): Promise<T> {
  const state = stateOf(db);
  state.depth++;
  try {
    return await write();
  } finally {
    state.depth--;
    if (state.depth === 0) for (const listener of [...state.ended]) listener();
  }
}
