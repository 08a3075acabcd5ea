// Routine verification's commands against RxDB's memory storage (dev-mode and ajv validation on): they
// refuse without the provincial account, decide with the server's shared checks (the message names the
// field), and write nothing when they refuse.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../../shared/calendar/china';
import type { SyncUser } from '../../../../shared/sync/protocol';
import { type SyncAccount, writeAccount } from '../../sync/account';
import { sendTo } from '../commands';
import { createXuejiDatabase, type XuejiDatabase } from '../database';

let db: XuejiDatabase | undefined;
let n = 0;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

async function school(): Promise<{ d: XuejiDatabase; user: SyncUser; studentId: string }> {
  db = await createXuejiDatabase({ name: `verif-${Date.now()}-${n++}`, storage: getRxStorageMemory() });
  const d = db;
  const r = await sendTo(d, 'demo-load', {
    students: 20,
    seed: 5,
    schoolType: 'vocational',
    operatorName: '',
    localPassword: 'xueji2026',
    localPasswordConfirm: 'xueji2026',
  });
  if (!r.ok) throw new Error('demo-load');
  const org = (await d.orgs.find().exec()).map((o) => o.toJSON()).find((o) => o.kind === 'school');
  const student = (await d.students.find().exec())[0]?.toJSON();
  if (!org || !student) throw new Error('demo school');
  const user: SyncUser = {
    id: 'u-admin',
    username: 'admin',
    displayName: '学籍管理员 李老师',
    role: 'schoolAdmin',
    orgId: org.id,
    orgName: org.name,
    orgPath: org.path,
    classIds: [],
  };
  return { d, user, studentId: student.id };
}

async function signIn(d: XuejiDatabase, user: SyncUser) {
  await writeAccount(d, {
    serverUrl: 'http://127.0.0.1:1',
    user,
    token: 't',
    refreshToken: 'r',
    deviceId: 'dev',
    schoolId: user.orgId,
    credential: { salt: '', hash: '', iterations: 1 },
    loggedInAt: '2026-12-01T00:00:00.000Z',
    mustChangePassword: false,
  } as unknown as SyncAccount);
}

describe('verification commands (RxDB memory storage)', () => {
  it('refuse without the provincial account, writing nothing', async () => {
    const { d, studentId } = await school();
    const today = chinaDate(Date.now());
    const r = await sendTo(d, 'leave-create', { studentId, from: today, to: today, reason: '病假' });
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'NO_ACCOUNT' }] });
    expect(await d.leaves.count().exec()).toBe(0);
  });

  it('R-LEAVE-EXEMPT: a leave entered on the desk is approved by whoever enters it; bad dates are named', async () => {
    const { d, user, studentId } = await school();
    await signIn(d, user);
    const today = chinaDate(Date.now());
    const bad = await sendTo(d, 'leave-create', { studentId, from: today, to: '2020-01-01', reason: '病假' });
    expect(bad).toMatchObject({ ok: false, errors: [{ field: 'to' }] });
    if (!bad.ok) expect(bad.errors[0]?.message).toContain('早于开始日期');
    expect(await d.leaves.count().exec()).toBe(0);
    const ok = await sendTo(d, 'leave-create', { studentId, from: today, to: today, reason: '病假' });
    expect(ok.ok).toBe(true);
    const leave = (await d.leaves.find().exec())[0]?.toJSON();
    expect(leave).toMatchObject({
      status: 'approved',
      decidedBy: 'u-admin',
      via: 'desk',
      requestedBy: 'u-admin',
    });
    // 销假 the same day ends it; a second 销假 is refused with the field named.
    expect(
      await sendTo(d, 'leave-update', { id: String(leave?.id), step: 'return', on: today }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await sendTo(d, 'leave-update', { id: String(leave?.id), step: 'return', on: today }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'returnedOn' }],
    });
  });

  it('HN 三.3: a school admin publishes only its own 联调测试, and only with a registered campus', async () => {
    const { d, user } = await school();
    await signIn(d, user);
    const start = new Date(Date.now() + 60_000).toISOString();
    const end = new Date(Date.now() + 3_600_000).toISOString();
    const r = await sendTo(d, 'verification-task-publish', {
      name: '本校联调测试',
      start,
      end,
      schoolIds: [user.orgId],
    });
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'NO_CAMPUS' }] });
    expect(await d.verifications.count().exec()).toBe(0);
    const org = await d.orgs.findOne(user.orgId).exec();
    await org?.incrementalPatch({ campus: { lat: 34.8, lng: 113.7, radiusM: 500 } } as never);
    const ok = await sendTo(d, 'verification-task-publish', {
      name: '本校联调测试',
      start,
      end,
      schoolIds: [user.orgId],
    });
    expect(ok.ok).toBe(true);
    const task = (await d.verifications.find().exec())[0]?.toJSON();
    expect(task).toMatchObject({
      kind: 'task',
      issuer: 'school',
      test: true,
      fences: { [user.orgId]: { radiusM: 500 } },
    });
  });
});
