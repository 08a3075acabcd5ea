// The area store on real RxDB (memory storage): it reads what is stored in pages, follows the change
// stream, and keeps its search index up to date with the students changed since the last search
// (renamed, new, deleted) instead of rebuilding it for every change.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateStudents } from '../../../../shared/seed/roster';
import { createXuejiDatabase, type XuejiDatabase } from '../../db/database';
import { AreaStore } from './area-store';

let db: XuejiDatabase | undefined;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('area store', () => {
  it('searches what is held and follows renames, new students and deletions', async () => {
    db = await createXuejiDatabase({
      name: `as${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
      storage: getRxStorageMemory(),
    });
    const students = generateStudents({ count: 400, seed: 8 });
    const [first, second, ...rest] = students;
    if (!first || !second) throw new Error('no students');
    await db.students.bulkInsert([first, second, ...rest.slice(0, 300)]);
    const store = new AreaStore(db);
    await store.whenLoaded();
    expect(store.students.size).toBe(302);
    // the index is built in the background once the students are read, before any search asks
    await until(() => store.searchReady);
    const index = store.index;
    expect(index.size).toBe(302);
    expect(store.index.search(first.idNo)).toEqual([first.id]);
    // watched, not replaced: the changes below must reach the index without building it whole again
    const reset = vi.spyOn(index, 'reset');

    await (await db.students.findOne(first.id).exec())?.incrementalPatch({ name: '欧阳子轩' });
    await (await db.students.findOne(second.id).exec())?.remove();
    await db.students.bulkInsert(rest.slice(300));
    await until(() => store.students.size === 399 && store.students.get(first.id)?.name === '欧阳子轩');
    expect(store.index).toBe(index);
    expect(store.index.size).toBe(399);
    expect(store.index.search('oyzx')).toContain(first.id);
    expect(store.index.search(second.idNo)).toEqual([]);
    const last = rest.at(-1);
    expect(store.index.query(last?.statusNo ?? '')?.ids()).toEqual([last?.id]);
    expect(reset).not.toHaveBeenCalled();
    store.stop();
  });
});
