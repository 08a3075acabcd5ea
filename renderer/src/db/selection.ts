// The schools a city's or the province's desk holds offline (shared/sync/selection.ts), in a local
// document; and removing the local records of a school no longer held. Written by the desk commands
// (commands/desk.ts), read by the sync engine on every pull.
import { map, type Observable } from 'rxjs';
import { EMPTY_SELECTION, type SchoolSelection } from '../../../shared/sync/selection';
import type { XuejiDatabase } from './database';

export const SELECTION_ID = 'desk-selection';

export async function readSelection(db: XuejiDatabase): Promise<SchoolSelection> {
  const doc = await db.getLocal<SchoolSelection>(SELECTION_ID);
  return doc ? (doc.toJSON().data as SchoolSelection) : EMPTY_SELECTION;
}

export function selection$(db: XuejiDatabase): Observable<SchoolSelection> {
  return db
    .getLocal$<SchoolSelection>(SELECTION_ID)
    .pipe(map((doc) => (doc ? (doc.toJSON().data as SchoolSelection) : EMPTY_SELECTION)));
}

export async function writeSelection(db: XuejiDatabase, selection: SchoolSelection): Promise<void> {
  await db.upsertLocal(SELECTION_ID, selection);
}

/** The collections whose records belong to one school (each carries `schoolId`). */
export const SCHOOL_COLLECTIONS = ['students', 'events', 'attachments', 'syncIssues'] as const;

/**
 * Removes the local records of schools this desk no longer holds, and purges their tombstones so the
 * space is given back. Only on a desk that pushes none of these collections (an area desk): a removal is
 * never sent to the server.
 */
export async function removeSchoolRecords(db: XuejiDatabase, schoolIds: readonly string[]): Promise<number> {
  if (schoolIds.length === 0) return 0;
  let removed = 0;
  for (const name of SCHOOL_COLLECTIONS) {
    const collection = db.collections[name];
    const docs = await collection.find({ selector: { schoolId: { $in: [...schoolIds] } } }).exec();
    if (docs.length === 0) continue;
    for (let i = 0; i < docs.length; i += 2000) {
      const ids = docs.slice(i, i + 2000).map((d) => d.primary);
      await collection.bulkRemove(ids);
      removed += ids.length;
    }
    await collection.storageInstance.cleanup(0);
  }
  return removed;
}
