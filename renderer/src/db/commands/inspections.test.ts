// The on-site commands against RxDB's memory storage: each step writes the inspection record and one event
// (R-WHO) under the provincial account's user id; a refused step (R-INSP-2: a wrong 执法证号, R-INSP-RECUSE:
// no conflict confirmed) writes nothing; the sample and the duplicate check read the visit pack kept on
// this machine. (Evidence bytes need IndexedDB: tests/e2e/inspection.test.ts covers them in chromium.)
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstallationSettings } from '../../../../shared/commands/school-setup';
import type { InspectionDoc } from '../../../../shared/inspections/records';
import { assigned, packFor } from '../../../../tests/support/inspection-fixtures';
import type { CommandContext } from '../command-context';
import { sendTo } from '../commands';
import { createXuejiDatabase, type XuejiDatabase } from '../database';

let db: XuejiDatabase | undefined;
let n = 0;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

const as = (userId: string): Partial<CommandContext> => ({
  installation: { user: { id: userId } } as unknown as InstallationSettings,
  env: {
    actor: { id: `local:${userId}`, name: '李督学' },
    now: () => '2026-09-24T02:00:00.000Z',
    newId: () => `e${n++}`,
  },
});

async function visit() {
  db = await createXuejiDatabase({ name: `insp-${Date.now()}-${n++}`, storage: getRxStorageMemory() });
  const doc = assigned();
  await db.inspections.insert(doc);
  return { d: db, doc };
}

const stored = async (d: XuejiDatabase, id: string) =>
  (await d.inspections.findOne(id).exec())?.toJSON() as unknown as InspectionDoc;
const events = async (d: XuejiDatabase) => (await d.events.find().exec()).map((e) => e.toJSON());

describe('inspection commands (RxDB memory storage)', () => {
  it('R-INSP-2 / R-INSP-RECUSE: a wrong 执法证号 or an unconfirmed conflict is refused and writes nothing', async () => {
    const { d, doc } = await visit();
    const i = doc.inspectors[0];
    if (!i) throw new Error('no inspector');
    const me = as(i.userId);
    const wrong = await sendTo(
      d,
      'inspection-step',
      { id: doc.id, step: { kind: 'presence', userId: i.userId, enforcementId: 'X-1', noConflict: true } },
      me,
    );
    expect(wrong).toMatchObject({ ok: false, errors: [{ field: 'enforcementId' }] });
    const conflict = await sendTo(
      d,
      'inspection-step',
      {
        id: doc.id,
        step: { kind: 'presence', userId: i.userId, enforcementId: i.enforcementId, noConflict: false },
      },
      me,
    );
    expect(conflict.ok).toBe(false);
    expect(JSON.stringify(conflict)).toContain('R-INSP-RECUSE');
    expect((await stored(d, doc.id)).present).toBeUndefined();
    expect(await events(d)).toEqual([]);
  });

  it('R-WHO: every step writes the record and one event under the account user id', async () => {
    const { d, doc } = await visit();
    const me = as(doc.inspectors[1]?.userId ?? '');
    for (const i of doc.inspectors)
      expect(
        await sendTo(
          d,
          'inspection-step',
          {
            id: doc.id,
            step: { kind: 'presence', userId: i.userId, enforcementId: i.enforcementId, noConflict: true },
          },
          me,
        ),
      ).toEqual({ ok: true });
    const item = doc.template.items[0]?.id ?? '';
    expect(
      await sendTo(
        d,
        'inspection-step',
        { id: doc.id, step: { kind: 'finding', itemId: item, finding: 'conforming' } },
        me,
      ),
    ).toEqual({ ok: true });
    expect(
      await sendTo(
        d,
        'inspection-step',
        { id: doc.id, step: { kind: 'text', itemId: item, text: '询问学籍管理员' } },
        me,
      ),
    ).toEqual({ ok: true });
    const after = await stored(d, doc.id);
    expect(after.status).toBe('onSite');
    expect(Object.keys(after.present ?? {}).sort()).toEqual(doc.inspectors.map((i) => i.userId).sort());
    expect(after.checks?.[item]).toMatchObject({
      finding: 'conforming',
      evidence: [{ kind: 'text', text: '询问学籍管理员' }],
    });
    expect(after.updatedBy).toBe(doc.inspectors[1]?.userId);
    const log = await events(d);
    expect(log).toHaveLength(doc.inspectors.length + 2);
    expect(new Set(log.map((e) => e.by))).toEqual(new Set([doc.inspectors[1]?.userId]));
    expect(
      log.every((e) => e.entity === 'inspection' && e.entityId === doc.id && e.schoolId === doc.schoolId),
    ).toBe(true);
    expect(log.find((e) => e.action === 'inspection-finding')?.after).toMatchObject({
      [`checks.${item}`]: { finding: 'conforming' },
    });
  });

  it('the sample and the duplicate check need the visit pack on this machine, and read it offline', async () => {
    const { d, doc } = await visit();
    const me = as(doc.inspectors[0]?.userId ?? '');
    const none = await sendTo(
      d,
      'inspection-step',
      { id: doc.id, step: { kind: 'sample', n: 3, seed: '1' } },
      me,
    );
    expect(none).toMatchObject({ ok: false, errors: [{ code: 'NO_PACK' }] });
    const pack = packFor(doc);
    await sendTo(d, 'inspection-pack-keep', { pack }, me);
    expect(
      await sendTo(
        d,
        'inspection-step',
        { id: doc.id, step: { kind: 'sample', n: 3, seed: '20260924' } },
        me,
      ),
    ).toEqual({ ok: true });
    expect(await sendTo(d, 'inspection-step', { id: doc.id, step: { kind: 'duplicates' } }, me)).toEqual({
      ok: true,
    });
    const after = await stored(d, doc.id);
    expect(after.sample?.students).toHaveLength(3);
    expect(after.sample?.rosterHash).toBe(pack.rosterHash);
    expect(after.duplicates).toMatchObject({ students: pack.students.length, elsewhere: 1 });
    // drawn once: a second draw would let the sample be chosen
    const again = await sendTo(
      d,
      'inspection-step',
      { id: doc.id, step: { kind: 'sample', n: 3, seed: 'other' } },
      me,
    );
    expect(again.ok).toBe(false);
    expect((await stored(d, doc.id)).sample?.seed).toBe('20260924');
  });
});
