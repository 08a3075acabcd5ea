// Three devices replicate through a real server over HTTP with the live stream: two RxDB clients of one
// school and one county-bureau client, each in its own worker thread. Edits on both sides while one is
// offline; disjoint fields merge, the same field lands in the conflict inbox; a refused status change
// comes back with its reason. Every step counts what arrived on each side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/main';
import type { SyncIssueDoc } from '../../shared/domain/schemas';
import type { SyncDoc } from '../../shared/sync/protocol';
import { type Device, device as openDevice } from './support/device';
import { httpLogin } from './support/server-process';

/** The shared worker device (support/device.ts), addressed positionally as this file always has. */
const device = (url: string, token: string, userId: string, name: string): Promise<Device> =>
  openDevice({ url, token, userId, name });

async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('three devices through a real server (PGlite, HTTP, SSE)', () => {
  let server: RunningServer;
  let a1: Device;
  let a2: Device;
  let bureau: Device;
  let ids: string[] = [];
  let adminToken = '';

  beforeAll(async () => {
    server = await startServer({ demo: true, port: 0 });
    const accounts = server.demoAccounts ?? [];
    const find = (u: string) => {
      const a = accounts.find((x) => x.username === u);
      if (!a) throw new Error(u);
      return a;
    };
    const admin = find('s41010501.admin');
    const s1 = await httpLogin(server.url, admin, 'device-a1-0001');
    adminToken = s1.token;
    const s2 = await httpLogin(server.url, admin, 'device-a2-0002');
    const sb = await httpLogin(server.url, find('jinshui.bureau'), 'device-bureau-01');
    [a1, a2, bureau] = await Promise.all([
      device(server.url, s1.token, s1.user.id, 'a1'),
      device(server.url, s2.token, s2.user.id, 'a2'),
      device(server.url, sb.token, sb.user.id, 'bureau'),
    ]);
    await Promise.all([a1.call('awaitInSync'), a2.call('awaitInSync'), bureau.call('awaitInSync')]);
  }, 120_000);

  afterAll(async () => {
    for (const d of [a1, a2, bureau]) {
      await d?.call('close').catch(() => {});
      await d?.worker.terminate();
    }
    await server?.close();
  });

  it('initial pull: each school device has exactly its school, the bureau has both of its schools', async () => {
    expect(await a1.call('schoolCounts')).toEqual({ S41010501: 320 });
    expect(await a2.call('schoolCounts')).toEqual({ S41010501: 320 });
    // the demo's approved transfer (server/demo/changes.ts) moved one of S41010502's 300 students to 中牟县
    expect(await bureau.call('schoolCounts')).toEqual({ S41010501: 320, S41010502: 299 });
    const res = await fetch(`${server.url}/api/sync/students/pull?limit=2000`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
  });

  it('an edit on one device reaches the other device and the bureau live, through the stream', async () => {
    const rows = await fetch(`${server.url}/api/sync/students/pull?limit=10`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    ids = ((await rows.json()) as { documents: SyncDoc[] }).documents.map((d) => String(d.id));
    await a1.call('patch', ids[0], { phone: '13700000001' });
    for (const d of [a2, bureau])
      await eventually(
        () => d.call<SyncDoc>('get', ids[0]),
        (s) => s?.phone === '13700000001',
        'live edit',
      );
  });

  it('offline edits of different fields of one student merge: both devices and the bureau see both', async () => {
    await a2.call('setOnline', false);
    await a1.call('patch', ids[1], { address: '河南省郑州市金水区在线设备路1号' });
    await a2.call('patch', ids[1], { phone: '13700000002' });
    await eventually(
      () => bureau.call<SyncDoc>('get', ids[1]),
      (s) => s?.address === '河南省郑州市金水区在线设备路1号',
      'a1 edit at bureau',
    );
    await a2.call('setOnline', true);
    const both = (s: SyncDoc) =>
      s?.address === '河南省郑州市金水区在线设备路1号' && s?.phone === '13700000002';
    for (const d of [a1, a2, bureau])
      await eventually(() => d.call<SyncDoc>('get', ids[1]), both, 'merged edits');
    const issues = await a2.call<SyncIssueDoc[]>('issues');
    expect(issues.filter((i) => i.docId === ids[1])).toEqual([]);
  });

  it('offline edits of the same field land in the conflict inbox with both values; the server value stays', async () => {
    await a2.call('setOnline', false);
    await a1.call('patch', ids[2], { phone: '13700000031' });
    await a2.call('patch', ids[2], { phone: '13700000032' });
    await eventually(
      () => bureau.call<SyncDoc>('get', ids[2]),
      (s) => s?.phone === '13700000031',
      'a1 edit at bureau',
    );
    await a2.call('setOnline', true);
    await eventually(
      () => a2.call<SyncDoc>('get', ids[2]),
      (s) => s?.phone === '13700000031',
      'server value on a2',
    );
    const inbox = await eventually(
      () => a2.call<SyncIssueDoc[]>('issues'),
      (list) => list.some((i) => i.docId === ids[2] && i.kind === 'conflict'),
      'conflict issue on a2',
    );
    const issue = inbox.find((i) => i.docId === ids[2]);
    expect(issue).toMatchObject({
      field: 'phone',
      fieldLabel: '联系电话',
      mine: '13700000032',
      theirs: '13700000031',
      status: 'open',
    });
    // the inbox record replicates: the other device of the school receives it too
    await eventually(
      () => a1.call<SyncIssueDoc[]>('issues'),
      (list) => list.some((i) => i.id === issue?.id),
      'conflict issue on a1',
    );
  });

  it('a refused status change returns to the server state, with the reason on the record', async () => {
    await a1.call('patch', ids[3], { status: 'withdrawn' });
    await eventually(
      () => a1.call<SyncDoc>('get', ids[3]),
      (s) => s?.status === 'enrolled',
      'refused status reverted',
    );
    const issues = await eventually(
      () => a1.call<SyncIssueDoc[]>('issues'),
      (list) => list.some((i) => i.docId === ids[3] && i.kind === 'refusal'),
      'refusal issue',
    );
    expect(issues.find((i) => i.docId === ids[3] && i.kind === 'refusal')?.reason).toContain(
      '学籍异动须经审批',
    );
    expect((await bureau.call<SyncDoc>('get', ids[3]))?.status).toBe('enrolled');
  });

  it('in the end every device holds the same school rows, none lost and none doubled', async () => {
    await Promise.all([a1.call('awaitInSync'), a2.call('awaitInSync'), bureau.call('awaitInSync')]);
    expect((await a1.call<{ students: number }>('count')).students).toBe(320);
    expect((await a2.call<{ students: number }>('count')).students).toBe(320);
    expect((await bureau.call<{ students: number }>('count')).students).toBe(619);
    for (const id of ids.slice(0, 4)) {
      const [x, y, z] = await Promise.all([
        a1.call<SyncDoc>('get', id),
        a2.call<SyncDoc>('get', id),
        bureau.call<SyncDoc>('get', id),
      ]);
      expect(y?.phone).toBe(x?.phone);
      expect(z?.address).toBe(x?.address);
    }
    expect(await a1.call<string[]>('errors')).toEqual([]);
  });
});
