// R-APPEAL on every synced copy (issue 13, Done means): the demo server (PGlite, and PostgreSQL when
// TEST_DATABASE_URL is set) with three RxDB clients in worker threads replicating over HTTP with the live
// stream — the school admin, the counselor of the appellant's class and 金水区教育局. The school handles
// the appellant's R-MISS-2-4 action by changing the study form to part-time (as the workflow's approval
// writes it); the bureau upholds the appeal on its own copy; the server takes the misses away and restores
// the full-time study form with a history event, and each of the three copies ends up holding the
// restored student, the event and the record whose action is restored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_EFFECTS } from '../../server/app';
import { type RunningServer, startServer } from '../../server/main';
import { writeAsServer } from '../../server/sync/store';
import { BACKENDS, dropSchema, freshSchema, PG_URL } from '../../server/test/helpers';
import type { SyncDoc } from '../../shared/sync/protocol';
import type { AppealDoc, VerificationRecordDoc } from '../../shared/verification/schemas';
import { type Device, device, eventually } from './support/device';
import { httpLogin } from './support/server-process';

const COLLECTIONS = ['students', 'syncIssues', 'events', 'appeals', 'verifications'] as const;

describe.each(BACKENDS)('an upheld appeal restores the student on every synced copy (%s)', (backend) => {
  let server: RunningServer;
  const schema = backend === 'postgres' ? freshSchema('appeal') : undefined;
  let admin: Device;
  let counselor: Device;
  let bureau: Device;
  let appeal: AppealDoc;
  let bureauUser: { id: string; displayName: string; orgId: string; orgName: string };

  beforeAll(async () => {
    server = await startServer({
      demo: true,
      port: 0,
      ...(backend === 'postgres' ? { databaseUrl: PG_URL, schema } : {}),
    });
    const [row] = await server.app.db.query<{ data: AppealDoc }>(
      `select data from docs where collection = 'appeals' and id = 'ap-demo-1'`,
    );
    if (!row) throw new Error('the demo has no appeal');
    appeal = row.data;
    const accounts = server.demoAccounts ?? [];
    const find = (u: string) => {
      const a = accounts.find((x) => x.username === u);
      if (!a) throw new Error(u);
      return a;
    };
    const sa = await httpLogin(server.url, find('s41010501.admin'), 'appeal-admin-01');
    const sb = await httpLogin(server.url, find('jinshui.bureau'), 'appeal-bureau-01');
    bureauUser = sb.user as unknown as typeof bureauUser;
    // the counselor whose classes include the appellant's
    let sc: Awaited<ReturnType<typeof httpLogin>> | undefined;
    for (const a of accounts.filter((x) => x.role === 'counselor' && x.orgId === appeal.schoolId)) {
      const s = await httpLogin(server.url, a, `appeal-c-${a.username}`.slice(0, 40));
      if ((s.user as unknown as { classIds: string[] }).classIds.includes(appeal.classId ?? '')) {
        sc = s;
        break;
      }
    }
    if (!sc) throw new Error(`no demo counselor of class ${appeal.classId}`);
    const open = (s: { token: string; user: { id: string } }, name: string) =>
      device({ url: server.url, token: s.token, userId: s.user.id, name, collections: [...COLLECTIONS] });
    [admin, counselor, bureau] = await Promise.all([
      open(sa, `appeal-admin-${backend}`),
      open(sc, `appeal-counselor-${backend}`),
      open(sb, `appeal-bureau-${backend}`),
    ]);
    await Promise.all([admin.call('awaitInSync'), counselor.call('awaitInSync'), bureau.call('awaitInSync')]);
  }, 240_000);

  afterAll(async () => {
    for (const d of [admin, counselor, bureau]) {
      await d?.call('close').catch(() => {});
      await d?.worker.terminate();
    }
    await server?.close();
    if (schema) await dropSchema(schema);
  }, 60_000);

  const copies = () =>
    [
      ['school admin', admin],
      ['counselor', counselor],
      ['county bureau', bureau],
    ] as const;
  const recordOf = async (d: Device) =>
    (await d.call<VerificationRecordDoc[]>('all', 'verifications')).find(
      (r) => r.kind === 'record' && r.studentId === appeal.studentId && r.results[appeal.taskIds[0] ?? ''],
    );

  it('each copy holds the appellant, the waiting appeal and the open R-MISS-2-4 action', async () => {
    for (const [who, d] of copies()) {
      expect([
        who,
        ((await d.call('get', appeal.studentId)) as { studyForm?: string } | null)?.studyForm,
      ]).toEqual([who, '1']);
      expect([who, (await d.call<AppealDoc | null>('doc', 'appeals', appeal.id))?.status]).toEqual([
        who,
        'submitted',
      ]);
      const r = await recordOf(d);
      expect([who, r?.actions?.find((a) => a.rule === 'R-MISS-2-4')?.state]).toEqual([who, 'open']);
    }
  });

  it('the school changes the study form to part-time: every copy shows the action handled', async () => {
    const [s] = await server.app.db.query<{ data: SyncDoc }>(
      `select data from docs where collection = 'students' and id = $1`,
      [appeal.studentId],
    );
    // as the approval of the workflow's 学习形式变更 request writes it (server/workflows)
    await writeAsServer(
      server.app.db,
      'students',
      [{ ...(s?.data as SyncDoc), studyForm: '2', updatedAt: new Date().toISOString() }],
      server.app.channel,
      'workflow',
      SERVER_EFFECTS,
    );
    for (const [who, d] of copies()) {
      await eventually(
        async () => ((await d.call('get', appeal.studentId)) as { studyForm?: string } | null)?.studyForm,
        (v) => v === '2',
        `${who}: the part-time study form`,
      );
      await eventually(
        () => recordOf(d),
        (r) => r?.actions?.find((a) => a.rule === 'R-MISS-2-4')?.state === 'done',
        `${who}: the action handled`,
      );
    }
  });

  it('the bureau upholds the appeal on its copy: every copy holds the restored student and its history event', async () => {
    const now = new Date().toISOString();
    const mine = await bureau.call<AppealDoc>('doc', 'appeals', appeal.id);
    // what the desk's appeal-decide command writes (renderer/src/db/commands/verification.ts)
    await bureau.call('put', 'appeals', {
      ...mine,
      status: 'upheld',
      decidedAt: now,
      decidedBy: bureauUser.id,
      decidedByName: bureauUser.displayName,
      decidedOrgId: bureauUser.orgId,
      decidedOrgName: bureauUser.orgName,
      opinion: '经核实，两次核验时该生均在合作企业跟岗实习',
      updatedAt: now,
      updatedBy: bureauUser.id,
    });
    for (const [who, d] of copies()) {
      const student = await eventually(
        async () => (await d.call('get', appeal.studentId)) as { studyForm?: string; status?: string } | null,
        (v) => v?.studyForm === '1',
        `${who}: the restored full-time study form`,
        60_000,
      );
      expect([who, student?.status]).toEqual([who, 'enrolled']);
      const events = await eventually(
        async () =>
          (await d.call<SyncDoc[]>('all', 'events')).filter(
            (e) => e.entityId === appeal.studentId && e.action === 'verification-restore',
          ),
        (v) => v.length === 1,
        `${who}: the history event of the restore`,
        60_000,
      );
      expect([who, events[0]]).toMatchObject([
        who,
        { before: { studyForm: '2' }, after: { studyForm: '1' }, by: bureauUser.id },
      ]);
      expect(String(events[0]?.reason)).toContain('R-APPEAL');
      const r = await eventually(
        () => recordOf(d),
        (x) => appeal.taskIds.every((t) => x?.results[t]?.s === 'appealUpheld'),
        `${who}: the misses taken away`,
        60_000,
      );
      expect([who, r?.actions?.find((a) => a.rule === 'R-MISS-2-4')?.restoredAt]).toEqual([
        who,
        expect.any(String),
      ]);
      expect([who, r?.escalated]).toEqual([who, undefined]);
      expect([who, (await d.call<AppealDoc | null>('doc', 'appeals', appeal.id))?.status]).toEqual([
        who,
        'upheld',
      ]);
      expect([who, await d.call('errors')]).toEqual([who, []]);
    }
  }, 240_000);
});
