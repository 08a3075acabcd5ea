// The renderer's sync client and the server's sessions (issue 8, findings 5 and 9), against the real
// server on PGlite over HTTP: the live stream opens with one-use tickets (never a token in its URL) and
// comes back with a fresh ticket after the server restarts; a password change in the app takes the new
// tokens from the server's answer and syncs on, while the other device's session ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendTo } from '../../renderer/src/db/commands';
import {
  createXuejiDatabase,
  TWO_DEVICE_COLLECTIONS,
  type XuejiDatabase,
} from '../../renderer/src/db/database';
import {
  accountFromLogin,
  readAccount,
  type SyncAccount,
  writeAccount,
} from '../../renderer/src/sync/account';
import { makeCredential, verifyCredential } from '../../renderer/src/sync/credentials';
import { SyncEngine } from '../../renderer/src/sync/engine';
import { SyncService } from '../../renderer/src/sync/service';
import type { SyncStatus } from '../../renderer/src/sync/status';
import { createUser } from '../../server/auth/accounts';
import { type RunningServer, startServer } from '../../server/main';
import type { SyncDoc } from '../../shared/sync/protocol';
import { login, pullAll } from '../support/server-api';

const SCHOOL = 'S41010501';
const PASSWORD = 'Sessions-Passw0rd';
let server: RunningServer;
let port = 0;
let dir: string;

/** The EventSource the engine opens, with every URL it was given. */
const opened: string[] = [];
class RecordingEventSource extends EventSource {
  constructor(url: string) {
    super(url);
    opened.push(url);
  }
}

const open: { engine?: SyncEngine; service?: SyncService; db: XuejiDatabase }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine?.stop();
    await o.service?.logout(o.db).catch(() => {});
    if (!o.db.closed) await o.db.close();
  }
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xueji-sync-sessions-'));
  server = await startServer({ dataDir: dir, port: 0, demo: true });
  port = Number(new URL(server.url).port);
  for (const username of ['session01', 'session02'])
    await createUser(
      server.app.db,
      { username, displayName: username, password: PASSWORD, role: 'schoolAdmin', orgId: SCHOOL },
      new Date(),
    );
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function device(name: string, username: string, password = PASSWORD) {
  // Two devices in one process: only the collections this test syncs (RxDB caps open collections at 13).
  const db = await createXuejiDatabase({
    name,
    storage: getRxStorageMemory(),
    collections: TWO_DEVICE_COLLECTIONS,
  });
  const res = await login(server.url, { username, password }, `device-${name}`);
  const account = accountFromLogin({
    serverUrl: server.url,
    deviceId: `device-${name}`,
    response: res,
    credential: await makeCredential(username, password, 1000),
  });
  await writeAccount(db, account);
  return { db, account };
}

const until = (engine: { status$: SyncEngine['status$'] }, test: (s: SyncStatus) => boolean) =>
  firstValueFrom(engine.status$.pipe(filter(test)));

async function editOnServer(token: string, id: string, patch: Record<string, unknown>): Promise<void> {
  const [doc] = (await pullAll(server.url, token, 'students')).filter((d) => d.id === id);
  const res = await fetch(`${server.url}/api/sync/students/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify([{ assumedMasterState: doc, newDocumentState: { ...doc, ...patch } }]),
  });
  expect(await res.json()).toEqual([]);
}

const arrives = (db: XuejiDatabase, id: string, phone: string) =>
  vi.waitFor(
    async () => {
      expect((await db.students.findOne(id).exec())?.phone).toBe(phone);
    },
    { timeout: 60_000, interval: 50 },
  );

describe('sessions of the renderer sync client (PGlite, HTTP)', () => {
  it('finding 9: the live stream opens with one-use tickets, never a token, and reconnects with a new ticket after a server restart', async () => {
    const { db, account } = await device('stream-a', 'session01');
    const engine = new SyncEngine(db, account, {
      eventSource: RecordingEventSource as unknown as new (url: string) => globalThis.EventSource,
      retryTime: 200,
      streamReconnectMs: 100,
    });
    open.push({ db, engine });
    await engine.start();
    await engine.awaitInitialReplication();
    await vi.waitFor(() => expect(opened.length).toBeGreaterThan(0), { timeout: 30_000 });
    const observer = await login(server.url, { username: 'session02', password: PASSWORD }, 'observer-01');
    const target = String((await db.students.find({ sort: [{ id: 'asc' }], limit: 1 }).exec())[0]?.id);
    // Live replication pulls only when the stream says so: the edit arriving proves the stream works.
    await editOnServer(observer.token, target, { phone: '13700002001' });
    await arrives(db, target, '13700002001');

    await server.close();
    server = await startServer({ dataDir: dir, port });
    const relogged = await login(server.url, { username: 'session02', password: PASSWORD }, 'observer-01');
    await vi.waitFor(() => expect(server.app.hub.streamsOf(account.user.id)).toBe(1), { timeout: 60_000 });
    await editOnServer(relogged.token, target, { phone: '13700002002' });
    await arrives(db, target, '13700002002');

    expect(opened.length).toBeGreaterThanOrEqual(2);
    const tickets = opened.map((u) => new URL(u).searchParams.get('ticket'));
    expect(new Set(tickets).size).toBe(opened.length);
    for (const u of opened) {
      expect(u).toMatch(/\/api\/sync\/stream\?ticket=[\w-]{40,}$/);
      expect(u).not.toContain(account.token);
      expect(u).not.toContain('token=');
    }
  });

  it('another window of the profile already rotated the tokens: the engine takes them instead of presenting the spent refresh token', async () => {
    const { db, account } = await device('window-a', 'session01');
    // The other window refreshed (R1 spent → R2) and stored the new pair in the shared account.
    const rotated = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: account.refreshToken }),
    });
    expect(rotated.status).toBe(200);
    const pair = (await rotated.json()) as { token: string; refreshToken: string };
    await writeAccount(db, { ...account, token: pair.token, refreshToken: pair.refreshToken });
    // This window still holds the old pair, with an access token the server refuses.
    const stale = { ...account, token: `${account.token.slice(0, -4)}AAAA` };
    const engine = new SyncEngine(db, stale, { eventSource: null, retryTime: 200 });
    open.push({ db, engine });
    await engine.start();
    await engine.awaitInitialReplication();
    expect(engine.currentAccount.refreshToken).toBe(pair.refreshToken);
    expect(engine.status$.getValue().phase).not.toBe('expired');
    // R1 was never presented again: had it been, the server would have ended R2 as a stolen pair.
    const stillGood = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: pair.refreshToken }),
    });
    expect(stillGood.status).toBe(200);
  });

  it('finding 5: a password change in the app takes the new tokens from the answer and syncs on; the other device’s session ends', async () => {
    const a = await device('pw-a', 'session02');
    const b = await device('pw-b', 'session02');
    const service = new SyncService();
    open.push({ db: a.db, service });
    const engineA = await service.ensureStarted(a.db, a.account);
    const engineB = new SyncEngine(b.db, b.account, { eventSource: null, retryTime: 200 });
    open.push({ db: b.db, engine: engineB });
    await engineB.start();
    await Promise.all([engineA.awaitInitialReplication(), engineB.awaitInitialReplication()]);

    expect(await service.changePassword(a.db, PASSWORD, 'Session02')).toBe('新密码不能与用户名相同');
    expect(await service.changePassword(a.db, 'wrong-old-1', 'Changed-Passw0rd')).toBe('原密码不正确');
    expect(await service.changePassword(a.db, PASSWORD, 'Changed-Passw0rd')).toBeNull();
    const stored = (await readAccount(a.db)) as SyncAccount;
    expect(stored.token).not.toBe(a.account.token);
    expect(stored.refreshToken).not.toBe(a.account.refreshToken);
    expect(stored.expired).toBe(false);
    expect(await verifyCredential(stored.credential, 'Changed-Passw0rd')).toBe(true);
    // The old pair is dead on the server.
    const me = await fetch(`${server.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${a.account.token}` },
    });
    expect(me.status).toBe(401);

    // Device A goes on syncing with the new pair.
    await sendTo(a.db, 'sync-adopt-school', { user: a.account.user });
    const [first, second] = (await a.db.students.find({ sort: [{ id: 'desc' }], limit: 2 }).exec()).map((d) =>
      String(d.id),
    );
    await sendTo(a.db, 'student-update', { id: String(first), patch: { phone: '13700003001' } });
    await until(engineA, (s) => (s.pending.students ?? 0) === 0 && s.phase === 'synced');
    const check = await login(
      server.url,
      { username: 'session02', password: 'Changed-Passw0rd' },
      'observer-02',
    );
    const onServer = (await pullAll(server.url, check.token, 'students')).find(
      (d: SyncDoc) => d.id === first,
    );
    expect(onServer?.phone).toBe('13700003001');

    // Device B's session ended: its next call finds the login expired; its edit waits in the outbox.
    await sendTo(b.db, 'sync-adopt-school', { user: b.account.user });
    await sendTo(b.db, 'student-update', { id: String(second), patch: { phone: '13700003002' } });
    const s = await until(engineB, (x) => x.phase === 'expired');
    expect(s.error?.kind).toBe('unauthorized');
    expect((await readAccount(b.db))?.expired).toBe(true);
    expect((await b.db.students.findOne(String(second)).exec())?.phone).toBe('13700003002');
  });
});
