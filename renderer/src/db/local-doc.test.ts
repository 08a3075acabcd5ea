// The lean getLocal$ (local-doc.ts) on real RxDB (memory storage): same emissions as RxDB's own —
// the document at subscription, each change of it, null after removal — and none for writes to other
// documents or collections.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { generateStudents } from '../../../shared/seed/roster';
import { createXuejiDatabase, type XuejiDatabase } from './database';

let db: XuejiDatabase | undefined;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('lean getLocal$', () => {
  it('follows one local document and ignores every other write', async () => {
    db = await createXuejiDatabase({
      name: `ld${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
      storage: getRxStorageMemory(),
    });
    const seen: (string | null)[] = [];
    const sub = db
      .getLocal$<{ v: string }>('probe')
      .subscribe((doc) => seen.push(doc ? (doc.toJSON().data as { v: string }).v : null));
    await settle();
    expect(seen).toEqual([null]);
    await db.upsertLocal('probe', { v: 'a' });
    await settle();
    await db.upsertLocal('other', { v: 'x' });
    await db.students.bulkInsert(generateStudents({ count: 50, seed: 3 }));
    await settle();
    expect(seen).toEqual([null, 'a']);
    await db.upsertLocal('probe', { v: 'b' });
    await settle();
    await (await db.getLocal('probe'))?.remove();
    await settle();
    expect(seen).toEqual([null, 'a', 'b', null]);
    sub.unsubscribe();
  });
});
