import { describe, expect, it } from 'vitest';
import { generateStudents } from '../seed/roster';
import { conflictSides, createConflictHandler, mergeConflict, resolveConflictIssue } from './conflicts';
import type { SyncDoc } from './protocol';

const [base] = generateStudents({ count: 1, seed: 3 }) as unknown as SyncDoc[];
if (!base) throw new Error('no seed student');
const master = { ...base, _deleted: false } as SyncDoc;
const ctx = { collection: 'students', by: 'u-device-a', now: '2026-10-01T00:00:00.000Z' };

describe('mergeConflict (3-way, assumed master as base)', () => {
  it('merges disjoint field edits field by field, with no inbox issue', () => {
    const theirs = { ...master, phone: '13900000001', updatedBy: 'b', updatedAt: '2026-09-02' };
    const mine = { ...master, address: '新地址1号', updatedBy: 'a', updatedAt: '2026-09-01' };
    const r = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      ctx,
    );
    expect(r.issues).toEqual([]);
    expect(r.document.phone).toBe('13900000001');
    expect(r.document.address).toBe('新地址1号');
    expect(r.document.updatedBy).toBe('a');
  });

  it('same field on both sides: server value kept in the record, both values in the inbox with who and when', () => {
    const theirs = { ...master, phone: '13900000001', updatedBy: 'b', updatedAt: '2026-09-02T10:00:00Z' };
    const mine = {
      ...master,
      phone: '13900000002',
      address: '新地址2号',
      updatedBy: 'a',
      updatedAt: '2026-09-01T10:00:00Z',
    };
    const r = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      ctx,
    );
    expect(r.document.phone).toBe('13900000001');
    expect(r.document.address).toBe('新地址2号');
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({
      kind: 'conflict',
      docCollection: 'students',
      docId: master.id,
      field: 'phone',
      fieldLabel: '联系电话',
      base: master.phone,
      mine: '13900000002',
      theirs: '13900000001',
      mineBy: 'a',
      theirsBy: 'b',
      status: 'open',
    });
  });

  it('a status edit during a conflict goes to the inbox even when only this device changed it', () => {
    const theirs = { ...master, phone: '13900000001' };
    const mine = { ...master, status: 'suspended' };
    const r = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      ctx,
    );
    expect(r.document.status).toBe('enrolled');
    expect(r.issues.map((i) => i.field)).toEqual(['status']);
  });

  it('archive parts merge one level deeper: different parts merge, the same part conflicts', () => {
    const archive = master.archive as Record<string, unknown>;
    const [p1, p2] = Object.keys(archive);
    if (!p1 || !p2) throw new Error('archive parts');
    const theirs = { ...master, archive: { ...archive, [p1]: { state: 'missing', note: '服务器端' } } };
    const mine = { ...master, archive: { ...archive, [p2]: { state: 'missing', note: '遗失' } } };
    const r = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      ctx,
    );
    expect(r.issues).toEqual([]);
    expect((r.document.archive as Record<string, unknown>)[p1]).toEqual({
      state: 'missing',
      note: '服务器端',
    });
    expect((r.document.archive as Record<string, unknown>)[p2]).toEqual({ state: 'missing', note: '遗失' });
    const mine2 = { ...master, archive: { ...archive, [p1]: { state: 'notDue' } } };
    const r2 = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine2 },
      ctx,
    );
    expect(r2.issues.map((i) => i.field)).toEqual([`archive.${p1}`]);
  });

  it('device clocks a day apart change nothing: timestamps are never compared', () => {
    const theirs = { ...master, phone: '13900000001', updatedAt: '2026-09-03T00:00:00Z' };
    const mine = { ...master, phone: '13900000002', updatedAt: '2026-09-04T00:00:00Z' };
    const mineSkewed = { ...mine, updatedAt: '2026-09-02T00:00:00Z' };
    const a = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      ctx,
    );
    const b = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mineSkewed },
      ctx,
    );
    expect(a.document.phone).toBe(b.document.phone);
    expect(a.issues.map((i) => i.id)).toEqual(b.issues.map((i) => i.id));
  });

  it('a refused row (server state with _refusal) resolves to the server state, stripped of the annotation', () => {
    const refused = { ...master, _refusal: { code: 'OUT_OF_SCOPE', reason: 'x', issueId: 'r' } };
    const r = mergeConflict(
      {
        assumedMasterState: master,
        realMasterState: refused,
        newDocumentState: { ...master, phone: '13900000009' },
      },
      ctx,
    );
    expect(r.document._refusal).toBeUndefined();
    expect(r.document.phone).toBe(master.phone);
    expect(r.issues).toEqual([]);
  });

  it('the issue id is stable, so a conflict resolved twice is filed once', () => {
    const theirs = { ...master, phone: '13900000001' };
    const mine = { ...master, phone: '13900000002' };
    const i1 = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      ctx,
    ).issues;
    const i2 = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      { ...ctx, now: 'later' },
    ).issues;
    expect(i1[0]?.id).toBe(i2[0]?.id);
  });
});

describe('resolveConflictIssue: the resolution is a recorded edit', () => {
  it('keeping mine writes my value with who and when, closes the issue and records an event', () => {
    const theirs = { ...master, phone: '13900000001' };
    const mine = { ...master, phone: '13900000002' };
    const [issue] = mergeConflict(
      { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
      ctx,
    ).issues;
    if (!issue) throw new Error('no issue');
    const res = resolveConflictIssue(issue, theirs, { keep: 'mine' }, 'admin-1', '2026-10-02T08:00:00Z');
    expect(res.document?.phone).toBe('13900000002');
    expect((res.document as SyncDoc | null)?.updatedBy).toBe('admin-1');
    expect(res.issue).toMatchObject({
      status: 'resolved',
      resolution: 'mine',
      resolvedBy: 'admin-1',
      resolvedValue: '13900000002',
    });
    expect(res.event).toMatchObject({
      entity: 'student',
      entityId: master.id,
      action: 'conflict.resolve',
      before: { phone: '13900000001' },
      after: { phone: '13900000002' },
    });
    const keepTheirs = resolveConflictIssue(issue, theirs, { keep: 'theirs' }, 'admin-1', 't');
    expect(keepTheirs.document).toBeNull();
    expect(() => resolveConflictIssue(res.issue, theirs, { keep: 'mine' }, 'x', 't')).toThrow('已处理');
  });
});

describe('conflictSides: 本机的值 is the reading device’s value (the issue replicates to every device)', () => {
  const theirs = { ...master, phone: '13900000003', updatedBy: 'local:李老师' };
  const mine = { ...master, phone: '13900000002', updatedBy: 'local:王老师' };
  const [issue] = mergeConflict(
    { assumedMasterState: master, realMasterState: theirs, newDocumentState: mine },
    { ...ctx, device: 'web-device-a' },
  ).issues;

  it('the finding device records itself as the device of `mine`', () => {
    expect(issue?.mineDevice).toBe('web-device-a');
  });

  it('on the device that found it, 本机的值 is mine; on the device whose value reached the server first, it is theirs', () => {
    if (!issue) throw new Error('no issue');
    const [hereA, otherA] = conflictSides(issue, 'web-device-a');
    expect([hereA.keep, issue[hereA.keep], hereA.label]).toEqual(['mine', '13900000002', '本机的值']);
    expect([otherA.keep, issue[otherA.keep]]).toEqual(['theirs', '13900000003']);
    const [hereB, otherB] = conflictSides(issue, 'web-device-b');
    expect([hereB.keep, issue[hereB.keep]]).toEqual(['theirs', '13900000003']);
    expect(hereB.label).toContain('本机的值');
    expect([otherB.keep, issue[otherB.keep], otherB.label]).toEqual([
      'mine',
      '13900000002',
      '另一台设备的值（后上传）',
    ]);
  });

  it('an issue that names no device (schema version 1) names the values by where they are, never as 本机', () => {
    const [here, other] = conflictSides({ mineDevice: undefined }, 'web-device-a');
    expect([here.keep, other.keep]).toEqual(['theirs', 'mine']);
    expect(`${here.label}${other.label}${here.action}${other.action}`).not.toContain('本机');
  });

  it('the resolution event names the value kept, not a device-relative side', () => {
    if (!issue) throw new Error('no issue');
    const res = resolveConflictIssue(issue, theirs, { keep: 'theirs' }, 'admin-1', 't');
    expect(res.event.reason).toBe('处理同步冲突：联系电话采用先到服务器一方的值');
    expect(res.event.reason).not.toContain('本机');
  });
});

describe('createConflictHandler (RxDB shape)', () => {
  it('hands inbox issues to the app and returns the merged document', async () => {
    const filed: unknown[] = [];
    const h = createConflictHandler({
      collection: 'students',
      onIssues: (i) => void filed.push(...i),
      currentUser: () => 'u',
      now: () => 't',
    });
    expect(
      h.isEqual({ ...master, _meta: { lwt: 1 } } as SyncDoc, { ...master, _rev: '1-x' } as SyncDoc, ''),
    ).toBe(true);
    const out = await h.resolve(
      {
        assumedMasterState: master,
        realMasterState: { ...master, phone: '13900000001' },
        newDocumentState: { ...master, phone: '13900000002' },
      },
      '',
    );
    expect(out.phone).toBe('13900000001');
    expect(filed).toHaveLength(1);
  });
});
