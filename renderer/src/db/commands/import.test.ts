// The roster-import command on RxDB's memory storage (real RxDB, schema validation on): the write, the
// events (R-WHO), and the undo journal that makes an interrupted import leave the roster as before.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import type { Student } from '../../../../shared/domain/student';
import { studentToTemplateRow, TEMPLATE_HEADERS } from '../../../../shared/domain/template';
import { parseRosterSheet } from '../../../../shared/import/parse';
import { buildPreview } from '../../../../shared/import/preview';
import { generateStudents } from '../../../../shared/seed/roster';
import { isBulkWriting, onBulkWriteEnd } from '../bulk-write';
import { commandContext } from '../command-context';
import { sendTo } from '../commands';
import { createXuejiDatabase, type XuejiDatabase } from '../database';
import { IMPORT_JOURNAL_ID, rollbackUnfinishedImport } from './import';

let db: XuejiDatabase | undefined;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

async function setUp(): Promise<{ db: XuejiDatabase; schoolId: string }> {
  db = await createXuejiDatabase({
    name: `imp${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
    storage: getRxStorageMemory(),
  });
  const r = await sendTo(db, 'school-setup', {
    name: '郑州市金水区职业中专',
    schoolCode: '4101050001',
    schoolType: 'vocational',
    countyName: '金水区',
    countyCode: '410105',
    operatorName: '李老师',
    localPassword: 'xueji2026',
    localPasswordConfirm: 'xueji2026',
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const settings = (await db.getLocal<{ schoolId: string }>('settings'))?.toJSON().data;
  return { db, schoolId: settings?.schoolId ?? '' };
}

const rowsOf = (list: readonly Student[]) => [[...TEMPLATE_HEADERS], ...list.map(studentToTemplateRow)];

async function snapshot(d: XuejiDatabase) {
  const students = (await d.students.find().exec()).map((x) => x.toJSON());
  const events = (await d.events.find().exec()).map((x) => x.id).sort();
  return { students: students.sort((a, b) => a.id.localeCompare(b.id)), events };
}

describe('roster-import command', () => {
  it('writes new students and one event each (R-WHO); a re-import is all unchanged', async () => {
    const { db, schoolId } = await setUp();
    const students = generateStudents({ count: 300, seed: 8 });
    const preview = buildPreview(parseRosterSheet(rowsOf(students)), [], { schoolId });
    expect(preview.counts.new).toBe(300);
    const progress: number[] = [];
    const r = await sendTo(db, 'roster-import', {
      preview,
      fileName: 'a.xlsx',
      chunkSize: 100,
      onProgress: (p) => progress.push(p.done),
    });
    expect(r).toMatchObject({ ok: true, inserted: 300, updated: 0, events: 300 });
    expect(progress.at(-1)).toBe(600);
    expect(await db.students.count().exec()).toBe(300);
    const ev = await db.events.find({ selector: { action: 'import-create' } }).exec();
    expect(ev).toHaveLength(300);
    expect(ev[0]?.byName).toBe('李老师');
    // lean history: the created document holds the values; the event names the file and the row
    const first = ev.find((e) => e.reason?.endsWith('第 2 行'));
    expect(first?.reason).toBe('花名册导入：a.xlsx 第 2 行');
    expect(first?.after).toEqual({});
    expect(new Set(ev.map((e) => e.entityId)).size).toBe(300);
    expect(await db.getLocal(IMPORT_JOURNAL_ID)).toBeNull();

    const stored = (await db.students.find().exec()).map((d) => d.toMutableJSON());
    const again = buildPreview(parseRosterSheet(rowsOf(students)), stored, { schoolId });
    expect(again.counts.unchanged).toBe(300);
  });

  it('an import interrupted after some chunks is rolled back to exactly the roster before', async () => {
    const { db, schoolId } = await setUp();
    const first = generateStudents({ count: 200, seed: 9 });
    await sendTo(db, 'roster-import', {
      preview: buildPreview(parseRosterSheet(rowsOf(first)), [], { schoolId }),
      fileName: 'first.xlsx',
    });
    const before = await snapshot(db);

    // second file: 100 changed phones of existing students + 300 new students
    const changed = first
      .slice(0, 100)
      .map((s, i) => ({ ...s, phone: `1390000${String(i).padStart(4, '0')}` }));
    // a later intake: other students, so other 校内学号 (a school never gives one number twice)
    const fresh = generateStudents({ count: 300, seed: 10 }).map((s) => ({
      ...s,
      schoolNo: `9${s.schoolNo}`,
    }));
    const stored = (await db.students.find().exec()).map((d) => d.toMutableJSON());
    const preview = buildPreview(parseRosterSheet(rowsOf([...changed, ...fresh])), stored, { schoolId });
    expect(preview.counts).toMatchObject({ new: 300, changed: 100 });

    // The "crash": the write stops for good after its last step, before the journal is removed (as
    // when the window closes). Each step writes 100 students and 100 events side by side: the new
    // students, the changed phones and the events are all in, and must all be undone.
    let crashPoint = () => {};
    const atCrash = new Promise<void>((resolve) => {
      crashPoint = resolve;
    });
    const crashed = sendTo(db, 'roster-import', {
      preview,
      fileName: 'second.xlsx',
      chunkSize: 100,
      afterChunk: (done) => {
        if (done < 800) return undefined;
        crashPoint();
        return new Promise<void>(() => {});
      },
    });
    void crashed;
    await atCrash;
    expect(await db.students.count().exec()).toBe(200 + 300);
    const changedOne = await db.students.findOne({ selector: { idNo: first[0]?.idNo ?? '' } }).exec();
    expect(changedOne?.phone).toBe('13900000000');
    expect((await db.events.find().exec()).length).toBeGreaterThan(before.events.length);
    expect(await db.getLocal(IMPORT_JOURNAL_ID)).not.toBeNull();

    const journal = await rollbackUnfinishedImport(db); // what opening the database does
    expect(journal?.fileName).toBe('second.xlsx');
    expect(await snapshot(db).then((s) => ({ ...s, students: s.students.map(strip) }))).toEqual({
      ...before,
      students: before.students.map(strip),
    });
    expect(await rollbackUnfinishedImport(db)).toBeNull();
  });

  it('a failing write is rolled back at once and reported in Chinese', async () => {
    const { db, schoolId } = await setUp();
    const students = generateStudents({ count: 50, seed: 12 });
    const preview = buildPreview(parseRosterSheet(rowsOf(students)), [], { schoolId });
    const r = await sendTo(db, 'roster-import', {
      preview,
      fileName: 'x.xlsx',
      chunkSize: 20,
      afterChunk: (done) => {
        if (done === 40) throw new Error('磁盘已满');
      },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toContain('已全部撤回');
    expect(await db.students.count().exec()).toBe(0);
    expect(await db.events.find({ selector: { action: 'import-create' } }).exec()).toHaveLength(0);
  });
});

describe('roster-import when the events half of a step is refused', () => {
  it('a refused write rolls back everything of the import and nothing else (a document sharing an id stays)', async () => {
    const { db, schoolId } = await setUp();
    const students = generateStudents({ count: 60, seed: 15 });
    const preview = buildPreview(parseRosterSheet(rowsOf(students)), [], { schoolId });
    // ids in order: the import's, then student, event, student, event…; an event id already taken makes the
    // events half of the second step fail while its students half is writing
    let n = 0;
    const newId = () => `id-${String(n++).padStart(4, '0')}`;
    const taken = 'id-0052'; // the event of the 26th new student (id 0 is the import's; even ids are events)
    await db.events.insert({
      id: taken,
      schoolId,
      entity: 'student',
      entityId: 'someone-else',
      action: 'student-update',
      at: new Date().toISOString(),
      by: 'u-x',
      before: {},
      after: {},
    });
    const ctx = await commandContext(db);
    const r = await sendTo(
      db,
      'roster-import',
      { preview, fileName: 'c.xlsx', chunkSize: 20 },
      { env: { ...ctx.env, newId } },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toContain('已全部撤回');
    expect(await db.students.count().exec()).toBe(0);
    // the event that merely shared an id with the import is not ours: it stays
    const left = (await db.events.find().exec()).map((e) => e.id);
    expect(left).toContain(taken);
    expect(left.filter((id) => id.startsWith('id-'))).toEqual([taken]);
    expect(await db.getLocal(IMPORT_JOURNAL_ID)).toBeNull();
  });
});

describe('roster-import as one bulk write', () => {
  it('announces the write, so change-stream views catch up once when it ends', async () => {
    const { db, schoolId } = await setUp();
    const students = generateStudents({ count: 120, seed: 14 });
    const preview = buildPreview(parseRosterSheet(rowsOf(students)), [], { schoolId });
    const during: boolean[] = [];
    let ended = 0;
    const stop = onBulkWriteEnd(db, () => ended++);
    const r = await sendTo(db, 'roster-import', {
      preview,
      fileName: 'b.xlsx',
      chunkSize: 50,
      afterChunk: () => {
        during.push(isBulkWriting(db));
      },
    });
    stop();
    expect(r.ok).toBe(true);
    expect(during.length).toBeGreaterThan(2);
    expect(during.every(Boolean)).toBe(true);
    expect(isBulkWriting(db)).toBe(false);
    expect(ended).toBe(1);
  });
});

/** RxDB bookkeeping (_rev, _meta) changes with a restore; the data must not. */
function strip(s: Record<string, unknown>) {
  const { _rev, _meta, _attachments, ...rest } = s;
  return rest;
}
