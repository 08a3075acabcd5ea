// The roster store on real RxDB (memory storage): ordinary writes are applied as they come; the
// bulks of a bulk write (a roster import) are held and applied once when it ends; the search index
// catches up only when a search needs it.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { generateStudents } from '../../../../shared/seed/roster';
import { duringBulkWrite } from '../../db/bulk-write';
import { createXuejiDatabase, type XuejiDatabase } from '../../db/database';
import { RosterStore } from './roster-store';

let db: XuejiDatabase | undefined;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('roster store', () => {
  it('applies writes, holds a bulk write until it ends, and indexes on demand', async () => {
    db = await createXuejiDatabase({
      name: `rs${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
      storage: getRxStorageMemory(),
    });
    const [first, ...rest] = generateStudents({ count: 301, seed: 4 });
    if (!first) throw new Error('no student');
    await db.students.insert(first);
    const store = new RosterStore(db);
    await until(() => store.loaded);
    expect(store.students.size).toBe(1);
    expect(store.index.search(first.name)).toEqual([first.id]);

    // an ordinary edit is applied at once
    await (await db.students.findOne(first.id).exec())?.incrementalPatch({ phone: '13900000009' });
    await until(() => store.students.get(first.id)?.phone === '13900000009');

    // a bulk write: nothing is applied while it runs, everything once it has ended
    const versions: number[] = [];
    store.subscribe(() => versions.push(store.version));
    const written = db;
    await duringBulkWrite(written, async () => {
      for (let i = 0; i < rest.length; i += 100) {
        await written.students.bulkInsert(rest.slice(i, i + 100));
        await new Promise((r) => setTimeout(r, 40));
        expect(store.students.size).toBe(1);
      }
    });
    expect(store.students.size).toBe(301);
    await until(() => versions.length > 0);
    expect(versions).toHaveLength(1);
    const last = rest.at(-1);
    expect(store.index.search(last?.idNo ?? '')).toContain(last?.id);
    expect(store.students.get(first.id)).not.toHaveProperty('_rev');
  });
});
