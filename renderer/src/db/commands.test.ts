// The db layer against RxDB's memory storage in Node (real RxDB with dev-mode and ajv validation on).
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { sendTo } from './commands';
import { createXuejiDatabase, type XuejiDatabase } from './database';
import { readSettings } from './settings';

let db: XuejiDatabase | undefined;
let n = 0;
const open = async () => {
  db = await createXuejiDatabase({ name: `test-${Date.now()}-${n++}`, storage: getRxStorageMemory() });
  return db;
};
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

describe('db commands (RxDB memory storage)', () => {
  it('demo-load writes the seeded school, its students and settings; a second setup is refused', async () => {
    const d = await open();
    const r = await sendTo(d, 'demo-load', {
      students: 90,
      seed: 4,
      schoolType: 'vocational',
      operatorName: '',
      localPassword: 'xueji2026',
      localPasswordConfirm: 'xueji2026',
    });
    expect(r).toMatchObject({ ok: true, students: 90 });
    expect(await d.students.count().exec()).toBe(90);
    expect((await d.orgs.find().exec()).map((o) => o.kind).sort()).toEqual(['county', 'school']);
    expect(await readSettings(d)).toMatchObject({ demo: true, operatorName: '演示管理员' });
    const again = await sendTo(d, 'school-setup', {
      name: '另一所学校',
      schoolCode: '4100000001',
      schoolType: 'k12',
      countyName: '金水区',
      countyCode: '410105',
      operatorName: '王老师',
      localPassword: 'xueji2026',
      localPasswordConfirm: 'xueji2026',
    });
    expect(again).toMatchObject({ ok: false, errors: [{ code: 'ALREADY_SET_UP' }] });
  });

  it('R-WHO: student-update writes the student and its event with the local operator', async () => {
    const d = await open();
    await sendTo(d, 'demo-load', {
      students: 5,
      seed: 4,
      schoolType: 'k12',
      operatorName: '',
      localPassword: 'xueji2026',
      localPasswordConfirm: 'xueji2026',
    });
    const s = (await d.students.find().exec())[0];
    if (!s) throw new Error('no student');
    const r = await sendTo(d, 'student-update', { id: s.primary, patch: { phone: '13700001111' } });
    expect(r.ok).toBe(true);
    expect((await d.students.findOne(s.primary).exec())?.phone).toBe('13700001111');
    const events = await d.events.find({ selector: { entityId: s.primary } }).exec();
    expect(events.map((e) => e.toJSON())).toEqual([
      expect.objectContaining({
        action: 'student-update',
        by: 'local:演示管理员',
        byName: '演示管理员',
        before: { phone: s.phone },
        after: { phone: '13700001111' },
      }),
    ]);
  });

  it('a refused edit changes nothing and records no event', async () => {
    const d = await open();
    await sendTo(d, 'demo-load', {
      students: 3,
      seed: 4,
      schoolType: 'k12',
      operatorName: '',
      localPassword: 'xueji2026',
      localPasswordConfirm: 'xueji2026',
    });
    const s = (await d.students.find().exec())[0];
    if (!s) throw new Error('no student');
    const r = await sendTo(d, 'student-update', {
      id: s.primary,
      patch: { idNo: '110105194912310029', phone: '1' },
    });
    expect(r.ok).toBe(false);
    expect((await d.students.findOne(s.primary).exec())?.toJSON()).toEqual(s.toJSON());
    expect(await d.events.find({ selector: { entity: 'student' } }).exec()).toEqual([]);
    const missing = await sendTo(d, 'student-update', { id: 'nope', patch: { phone: '13700001111' } });
    expect(missing).toMatchObject({ ok: false, errors: [{ code: 'NOT_FOUND' }] });
  });
});
