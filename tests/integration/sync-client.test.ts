// The renderer's replication client (renderer/src/sync) against the real provincial server on PGlite over
// HTTP: first pull of one school, pushes with the outbox, field-wise merge of disjoint edits, same-field
// edits into the conflict inbox, a resolution recorded as an edit, a server refusal shown on the record,
// and an expired login that stops syncing while local work goes on. Counts what arrived on each side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendTo } from '../../renderer/src/db/commands';
import { createXuejiDatabase, type XuejiDatabase } from '../../renderer/src/db/database';
import {
  accountFromLogin,
  readAccount,
  type SyncAccount,
  writeAccount,
} from '../../renderer/src/sync/account';
import { makeCredential } from '../../renderer/src/sync/credentials';
import { SyncEngine } from '../../renderer/src/sync/engine';
import { headerState, type SyncStatus } from '../../renderer/src/sync/status';
import { type RunningServer, startServer } from '../../server/main';
import type { SyncIssueDoc } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import type { SyncDoc } from '../../shared/sync/protocol';
import { login, pullAll } from '../support/server-api';

const SCHOOL = 'S41010501';
let server: RunningServer;
let dir: string;
let admin: { username: string; password: string };

async function pushOne(token: string, before: SyncDoc, after: SyncDoc): Promise<SyncDoc[]> {
  const res = await fetch(`${server.url}/api/sync/students/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify([{ assumedMasterState: before, newDocumentState: after }]),
  });
  return (await res.json()) as SyncDoc[];
}

async function newClient(name: string): Promise<{ db: XuejiDatabase; account: SyncAccount }> {
  const db = await createXuejiDatabase({ name, storage: getRxStorageMemory() });
  const res = await login(server.url, admin, `test-device-${name}`);
  const account = accountFromLogin({
    serverUrl: server.url,
    deviceId: `test-device-${name}`,
    response: res,
    credential: await makeCredential(admin.username, admin.password, 1000),
  });
  await writeAccount(db, account);
  open.push({ db });
  return { db, account };
}

/** A network that can be cut: requests fail like fetch does offline (TypeError). */
const net = { offline: false };
const switchableFetch = (input: string, init?: RequestInit) =>
  net.offline ? Promise.reject(new TypeError('fetch failed (offline)')) : fetch(input, init);
const options = () => ({
  fetch: switchableFetch,
  eventSource: EventSource as unknown as new (url: string) => globalThis.EventSource,
  retryTime: 200,
});
const open: { engine?: SyncEngine; db: XuejiDatabase }[] = [];
afterEach(async () => {
  net.offline = false;
  for (const o of open.splice(0)) {
    await o.engine?.stop();
    if (!o.db.closed) await o.db.close();
  }
});

function track(db: XuejiDatabase, engine: SyncEngine): SyncEngine {
  open.push({ db, engine });
  return engine;
}

const until = (engine: SyncEngine, test: (s: SyncStatus) => boolean) =>
  firstValueFrom(engine.status$.pipe(filter(test)));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xueji-sync-client-'));
  server = await startServer({ dataDir: dir, port: 0, demo: true });
  const a = server.demoAccounts?.find((x) => x.orgId === SCHOOL && x.role === 'schoolAdmin');
  if (!a) throw new Error('no school admin in the demo accounts');
  admin = a;
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('renderer sync client against the real server (PGlite, HTTP)', () => {
  it('first sync pulls exactly the school, adopts it, and pushes an edit through the outbox', async () => {
    const { db, account } = await newClient('client-a');
    const engine = track(db, new SyncEngine(db, account, options()));
    await engine.start();
    await engine.awaitInitialReplication();
    const serverRows = (await pullAll(server.url, account.token, 'students')).filter((d) => !d._deleted);
    const local = await db.students.find().exec();
    expect(serverRows.length).toBe(320);
    expect(local.length).toBe(serverRows.length);
    expect(new Set(local.map((d) => d.schoolId))).toEqual(new Set([SCHOOL]));
    expect(engine.status$.getValue().progress.pulled.students).toBe(320);
    // orgs come down (the school and the path above it), never go up
    expect(await db.orgs.findOne(SCHOOL).exec()).not.toBeNull();

    const adopted = await sendTo(db, 'sync-adopt-school', { user: account.user });
    expect(adopted.ok).toBe(true);

    const target = local[0]?.toJSON() as Student;
    const edit = await sendTo(db, 'student-update', { id: target.id, patch: { phone: '13911112222' } });
    expect(edit.ok).toBe(true);
    await until(engine, (s) => (s.pending.students ?? 0) === 0 && s.phase === 'synced');
    const after = (await pullAll(server.url, account.token, 'students')).find((d) => d.id === target.id);
    expect(after?.phone).toBe('13911112222');
    // The push's own stream notice starts one more pull, so the header may say 同步中… for a moment.
    const settled = await until(engine, (s) => s.phase === 'synced');
    expect(headerState(settled).label).toMatch(/^已同步 \d\d:\d\d$/);
  });

  it('disjoint edits merge field by field; same-field edits go to the inbox; the resolution is recorded', async () => {
    const { db, account } = await newClient('client-b');
    const engine = track(db, new SyncEngine(db, account, options()));
    await engine.start();
    await engine.awaitInitialReplication();
    await sendTo(db, 'sync-adopt-school', { user: account.user });
    await engine.awaitInSync();
    const [s1, s2] = (await db.students.find({ sort: [{ id: 'asc' }], limit: 2 }).exec()).map(
      (d) => d.toJSON() as Student,
    );
    if (!s1 || !s2) throw new Error('no students');
    net.offline = true;
    engine.status$.subscribe((x) => console.log(x.phase, JSON.stringify(x.pending), x.error?.kind));

    // "Offline": this client edits while another device's edits reach the server.
    await sendTo(db, 'student-update', { id: s1.id, patch: { phone: '13800000001' } });
    await sendTo(db, 'student-update', { id: s2.id, patch: { phone: '13800000002' } });
    const other = await login(server.url, admin, 'test-device-other');
    const master = await pullAll(server.url, other.token, 'students');
    const m1 = master.find((d) => d.id === s1.id) as SyncDoc;
    const m2 = master.find((d) => d.id === s2.id) as SyncDoc;
    expect(
      await pushOne(other.token, m1, { ...m1, address: '郑州市金水区花园路 1 号', updatedBy: 'other' }),
    ).toEqual([]);
    expect(await pushOne(other.token, m2, { ...m2, phone: '13999999999', updatedBy: 'other' })).toEqual([]);

    // the two local edits wait in the outbox and the state says offline
    const offline = await until(engine, (x) => x.phase === 'offline' && (x.pending.students ?? 0) === 2);
    expect(headerState(offline).label).toBe('离线（2 项待上传）');
    const serverBefore = await pullAll(server.url, other.token, 'students');
    expect(serverBefore.find((d) => d.id === s1.id)?.phone).toBe(s1.phone);

    net.offline = false;
    await engine.retry();
    await until(engine, (x) => x.phase === 'synced' && (x.pending.students ?? 0) === 0);
    await engine.awaitInSync();

    const final = await pullAll(server.url, other.token, 'students');
    const f1 = final.find((d) => d.id === s1.id);
    expect([f1?.phone, f1?.address]).toEqual(['13800000001', '郑州市金水区花园路 1 号']);
    const l1 = (await db.students.findOne(s1.id).exec())?.toJSON();
    expect([l1?.phone, l1?.address]).toEqual(['13800000001', '郑州市金水区花园路 1 号']);

    // same field: the server's value stays in the record until a person decides
    const f2 = final.find((d) => d.id === s2.id);
    expect(f2?.phone).toBe('13999999999');
    const issues = (await db.syncIssues.find().exec()).map((d) => d.toJSON() as SyncIssueDoc);
    const conflict = issues.find((i) => i.kind === 'conflict' && i.docId === s2.id);
    expect(conflict).toMatchObject({
      field: 'phone',
      fieldLabel: '联系电话',
      mine: '13800000002',
      theirs: '13999999999',
      status: 'open',
    });
    // the inbox entry went to the server too, so the school's other devices see it
    expect((await pullAll(server.url, other.token, 'syncIssues')).some((d) => d.id === conflict?.id)).toBe(
      true,
    );

    const resolved = await sendTo(db, 'conflict-resolve', {
      issueId: conflict?.id ?? '',
      choice: { keep: 'mine' },
    });
    expect(resolved.ok).toBe(true);
    await engine.awaitInSync();
    await until(engine, (s) => (s.pending.students ?? 0) === 0 && (s.pending.syncIssues ?? 0) === 0);
    const afterResolve = await pullAll(server.url, other.token, 'students');
    expect(afterResolve.find((d) => d.id === s2.id)?.phone).toBe('13800000002');
    const events = await pullAll(server.url, other.token, 'events');
    expect(events.some((e) => e.action === 'conflict.resolve' && e.entityId === s2.id)).toBe(true);
    const serverIssue = (await pullAll(server.url, other.token, 'syncIssues')).find(
      (d) => d.id === conflict?.id,
    );
    expect(serverIssue?.status).toBe('resolved');
  });

  it('a refused edit (status field) comes back as the server state with a refusal on the record', async () => {
    const { db, account } = await newClient('client-c');
    const engine = track(db, new SyncEngine(db, account, options()));
    await engine.start();
    await engine.awaitInitialReplication();
    const doc = (await db.students.find({ sort: [{ id: 'desc' }], limit: 1 }).exec())[0];
    if (!doc) throw new Error('no student');
    // Not through a command (which refuses it locally): as an old or hostile client would write it.
    await doc.incrementalPatch({ status: 'withdrawn' });
    await engine.awaitInSync();
    await expect
      .poll(
        async () =>
          (await db.syncIssues.find({ selector: { docId: doc.id, kind: 'refusal' } }).exec()).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(1);
    const refusal = (await db.syncIssues.find({ selector: { docId: doc.id } }).exec())[0]?.toJSON();
    expect(refusal?.code).toBe('STATUS_FIELD');
    expect(refusal?.reason).toContain('学籍异动须经审批');
    expect((await db.students.findOne(doc.id).exec())?.status).toBe('enrolled');
  });

  it('a forged token that cannot be refreshed: 登录已过期, syncing stops, local edits queue', async () => {
    const { db, account } = await newClient('client-d');
    const first = track(db, new SyncEngine(db, account, options()));
    await first.start();
    await first.awaitInitialReplication();
    await first.stop();
    open.shift();
    const forged = {
      ...account,
      token: `${account.token.slice(0, -4)}AAAA`,
      refreshToken: 'forged-refresh-token',
    };
    await writeAccount(db, forged);
    const engine = track(db, new SyncEngine(db, forged, options()));
    await engine.start();
    const target = (await db.students.find({ limit: 1 }).exec())[0]?.id ?? '';
    await sendTo(db, 'student-update', { id: target, patch: { phone: '13700000007' } });
    const s = await until(engine, (x) => x.phase === 'expired');
    expect(headerState(s).label).toBe('登录已过期');
    expect(s.error?.kind).toBe('unauthorized');
    expect((await readAccount(db))?.expired).toBe(true);
    await until(engine, (x) => (x.pending.students ?? 0) === 1);
    expect((await db.students.findOne(target).exec())?.phone).toBe('13700000007');
  });
});
