// An area desk's offline selection (issue 11, shared/sync/selection.ts) with the renderer's replication
// client against the real server (PGlite, HTTP): a city bureau holds no school's records until it keeps
// one; a second school kept joins without the first being downloaded again; a school dropped leaves this
// machine; a county bureau holds its whole county. Small pull pages, so the engine's read-ahead of the
// next page runs on every step. Counts what arrived.
// fake-indexeddb/auto for the globals the file store uses (IDBKeyRange); one factory per desk.
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore } from '../../renderer/src/db/attachment-store';
import { sendTo } from '../../renderer/src/db/commands';
import { createXuejiDatabase, type XuejiDatabase } from '../../renderer/src/db/database';
import { accountFromLogin, type SyncAccount, writeAccount } from '../../renderer/src/sync/account';
import { makeCredential } from '../../renderer/src/sync/credentials';
import { SyncEngine } from '../../renderer/src/sync/engine';
import type { SyncStatus } from '../../renderer/src/sync/status';
import type { DemoAccount } from '../../server/demo/seed';
import { type RunningServer, startServer } from '../../server/main';
import { login, pullAll } from '../support/server-api';

let server: RunningServer;
let dir: string;
const open: { engine: SyncEngine; db: XuejiDatabase }[] = [];

function account(username: string): DemoAccount {
  const a = server.demoAccounts?.find((x) => x.username === username);
  if (!a) throw new Error(`demo account ${username}`);
  return a;
}

/** Counts the documents of each pull answer this client received, per collection. */
function countingFetch(pulled: Map<string, number>) {
  return async (input: string, init?: RequestInit) => {
    const res = await fetch(input, init);
    const m = /\/api\/sync\/([^/]+)\/pull/.exec(input);
    if (m && res.ok) {
      const body = (await res.clone().json()) as { documents: unknown[] };
      pulled.set(m[1] as string, (pulled.get(m[1] as string) ?? 0) + body.documents.length);
    }
    return res;
  };
}

async function desk(a: DemoAccount, name: string, pulled: Map<string, number>) {
  const db = await createXuejiDatabase({ name, storage: getRxStorageMemory() });
  const res = await login(server.url, a, `test-device-${name}`);
  const acc: SyncAccount = accountFromLogin({
    serverUrl: server.url,
    deviceId: `test-device-${name}`,
    response: res,
    credential: await makeCredential(a.username, a.password, 1000),
  });
  await writeAccount(db, acc);
  const engine = new SyncEngine(db, acc, {
    fetch: countingFetch(pulled),
    eventSource: null,
    retryTime: 200,
    pullBatch: 50,
    // The desk's file store on fake-indexeddb (scans of the kept schools' archive parts are listed there).
    attachments: { store: createFileStore(`files-${name}`, new IDBFactory()) },
  });
  open.push({ db, engine });
  await engine.start();
  await engine.awaitInitialReplication();
  const adopted = await sendTo(db, 'sync-adopt-school', { user: acc.user });
  expect(adopted.ok).toBe(true);
  return { db, engine, token: res.token };
}

const schoolsOf = async (db: XuejiDatabase) =>
  [...new Set((await db.students.find().exec()).map((d) => d.schoolId))].sort();

const settled = (engine: SyncEngine) =>
  firstValueFrom(engine.status$.pipe(filter((s: SyncStatus) => s.phase === 'synced')));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xueji-sync-area-'));
  server = await startServer({ dataDir: dir, port: 0, demo: true });
}, 120_000);

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine.stop();
    if (!o.db.closed) await o.db.close();
  }
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an area desk holds what it chose (renderer client, real server on PGlite)', () => {
  it('a city keeps one school, then a second without the first again, then drops the first', async () => {
    const pulled = new Map<string, number>();
    const a = account('zz.bureau');
    const { db, engine, token } = await desk(a, 'city-a', pulled);
    const all = await pullAll(server.url, token, 'students');
    const size = (id: string) => all.filter((s) => s.schoolId === id && !s._deleted).length;
    // Nothing is held until the bureau chooses: the org tree arrived, no student did.
    expect(await db.students.count().exec()).toBe(0);
    expect(pulled.get('students') ?? 0).toBe(0);
    expect(await db.orgs.findOne('S41012202').exec()).not.toBeNull();

    expect((await sendTo(db, 'desk-keep-school', { schoolId: 'S41012202' })).ok).toBe(true);
    await expect.poll(() => db.students.count().exec(), { timeout: 60_000 }).toBe(size('S41012202'));
    expect(await schoolsOf(db)).toEqual(['S41012202']);
    await engine.awaitInSync();
    expect(pulled.get('students')).toBe(size('S41012202'));

    // The second school is filled on its own: the first is not downloaded again.
    expect((await sendTo(db, 'desk-keep-school', { schoolId: 'S41010501' })).ok).toBe(true);
    await expect
      .poll(() => db.students.count().exec(), { timeout: 60_000 })
      .toBe(size('S41012202') + size('S41010501'));
    await engine.awaitInSync();
    expect(pulled.get('students')).toBe(size('S41012202') + size('S41010501'));
    expect(await schoolsOf(db)).toEqual(['S41010501', 'S41012202']);

    // Dropped: its records leave this machine (the server keeps them), the other school stays.
    expect((await sendTo(db, 'desk-drop-school', { schoolId: 'S41012202' })).ok).toBe(true);
    await expect.poll(() => schoolsOf(db), { timeout: 60_000 }).toEqual(['S41010501']);
    await settled(engine);
    expect(await db.students.count().exec()).toBe(size('S41010501'));
    expect((await pullAll(server.url, token, 'students')).length).toBe(all.length);
  }, 180_000);

  it('a county holds its whole county without choosing, in pages', async () => {
    const pulled = new Map<string, number>();
    const a = account('jinshui.bureau');
    const { db, token } = await desk(a, 'county-a', pulled);
    const everything = await pullAll(server.url, token, 'students');
    const all = everything.filter((s) => !s._deleted);
    expect(all.length).toBeGreaterThan(50 * 4);
    expect(await db.students.count().exec()).toBe(all.length);
    expect(await schoolsOf(db)).toEqual(['S41010501', 'S41010502']);
    // every document of the pull, the tombstone of the demo's transferred student included
    expect(pulled.get('students')).toBe(everything.length);
    // a county does not choose: keeping a school is refused with the reason
    const kept = await sendTo(db, 'desk-keep-school', { schoolId: 'S41010501' });
    expect(kept.ok).toBe(false);
  }, 180_000);
});
