// Attachment bytes through the renderer's queue (renderer/src/sync/attachments.ts) against the real
// provincial server on PGlite over HTTP: a scan attached on device A goes up in chunks, the network is cut
// mid-upload (the last chunk's answer lost), the upload resumes from the size the server received, and
// device B, which pulled only the metadata, downloads the bytes on demand; bytes are compared by SHA-256.
// Size limits: the app refuses before sending a byte; a server with a smaller limit refuses with 413.
// The file stores are the app's own IndexedDB store on fake-indexeddb, one database factory per device.
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { IDBFactory } from 'fake-indexeddb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appFileStore, createFileStore, type FileStore } from '../../renderer/src/db/attachment-store';
import { sendTo } from '../../renderer/src/db/commands';
import {
  createXuejiDatabase,
  TWO_DEVICE_COLLECTIONS,
  type XuejiDatabase,
} from '../../renderer/src/db/database';
import { accountFromLogin, type SyncAccount, writeAccount } from '../../renderer/src/sync/account';
import type { AttachmentQueueState } from '../../renderer/src/sync/attachments';
import { makeCredential } from '../../renderer/src/sync/credentials';
import { type EngineOptions, SyncEngine } from '../../renderer/src/sync/engine';
import { type RunningServer, startServer } from '../../server/main';
import { attachmentRecordId } from '../../shared/domain/attachment-types';
import type { AttachmentDoc } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import { login } from '../support/server-api';

const SCHOOL = 'S41010501';
const OTHER_SCHOOL = 'S41010502';
const CHUNK = 64 * 1024;
let server: RunningServer;
let dir: string;
let admin: { username: string; password: string };

const sha = (bytes: Uint8Array | Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes (a tiny LCG): the test owns its randomness. */
function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Every request the devices send, and a network that can be cut. */
type Sent = { method: string; url: string; range: string | null };
const sent: Sent[] = [];
const net = { offline: false, cutAfterPut: 0 };
const recordingFetch = async (input: string, init?: RequestInit): Promise<Response> => {
  if (net.offline) throw new TypeError('fetch failed (offline)');
  const headers = (init?.headers ?? {}) as Record<string, string>;
  const method = init?.method ?? 'GET';
  sent.push({ method, url: input, range: headers['content-range'] ?? null });
  const res = await fetch(input, init);
  if (method === 'PUT' && net.cutAfterPut > 0) {
    net.cutAfterPut--;
    if (net.cutAfterPut === 0) {
      // The cable is pulled after the server stored the chunk and before its answer arrived.
      net.offline = true;
      throw new TypeError('fetch failed (connection reset)');
    }
  }
  return res;
};

const open: { engine?: SyncEngine; db: XuejiDatabase }[] = [];

async function device(
  name: string,
  attachments: EngineOptions['attachments'] = {},
  /** the app's own store (the one the archive-attach command writes to) instead of a private one */
  appStore = false,
): Promise<{ db: XuejiDatabase; engine: SyncEngine; store: FileStore; account: SyncAccount }> {
  // Two devices in one process: only the collections this test syncs (RxDB caps open collections at 13).
  const db = await createXuejiDatabase({
    name,
    storage: getRxStorageMemory(),
    collections: TWO_DEVICE_COLLECTIONS,
  });
  const res = await login(server.url, admin, `test-device-${name}`);
  const account = accountFromLogin({
    serverUrl: server.url,
    deviceId: `test-device-${name}`,
    response: res,
    credential: await makeCredential(admin.username, admin.password, 1000),
  });
  await writeAccount(db, account);
  const store = appStore ? appFileStore() : createFileStore('xueji-files', new IDBFactory());
  const engine = new SyncEngine(db, account, {
    fetch: recordingFetch,
    eventSource: EventSource as unknown as new (url: string) => globalThis.EventSource,
    retryTime: 200,
    attachments: { store, chunkSize: CHUNK, baseDelayMs: 20, ...attachments },
  });
  open.push({ db, engine });
  await engine.start();
  await engine.awaitInitialReplication();
  return { db, engine, store, account };
}

const queueUntil = (engine: SyncEngine, test: (q: AttachmentQueueState) => boolean) =>
  firstValueFrom(engine.files.queue$.pipe(filter(test)));

async function head(token: string, hash: string) {
  const res = await fetch(`${server.url}/api/attachments/${hash}`, {
    method: 'HEAD',
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status,
    offset: Number(res.headers.get('upload-offset')),
    complete: res.headers.get('x-complete'),
  };
}

/** Metadata as a later feature (photos) or an older app version would write it, beside the command. */
function attachmentDoc(hash: string, name: string, size: number, schoolId = SCHOOL): AttachmentDoc {
  const at = new Date().toISOString();
  return {
    id: attachmentRecordId(schoolId, hash),
    sha256: hash,
    schoolId,
    orgPath: '',
    name,
    mime: 'image/jpeg',
    size,
    entity: 'student',
    entityId: 'none',
    kind: 'photo',
    createdAt: at,
    createdBy: 'test',
    updatedAt: at,
    updatedBy: 'test',
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xueji-sync-attachments-'));
  server = await startServer({ dataDir: dir, port: 0, demo: true });
  const a = server.demoAccounts?.find((x) => x.orgId === SCHOOL && x.role === 'schoolAdmin');
  if (!a) throw new Error('no school admin in the demo accounts');
  admin = a;
}, 120_000);

afterEach(async () => {
  net.offline = false;
  net.cutAfterPut = 0;
  for (const o of open.splice(0)) {
    await o.engine?.stop();
    if (!o.db.closed) await o.db.close();
  }
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('attachment bytes: resumable content-addressed upload, download on demand (PGlite, HTTP)', () => {
  it('uploads in chunks, resumes after a cut from the received size, and device B downloads by SHA-256', async () => {
    const a = await device('att-a', {}, true);
    await sendTo(a.db, 'sync-adopt-school', { user: a.account.user });
    const student = (await a.db.students.find({ sort: [{ id: 'asc' }], limit: 1 }).exec())[0]?.toJSON() as
      | Student
      | undefined;
    if (!student) throw new Error('no student');
    const partId = Object.keys(student.archive)[0] ?? '';
    const bytes = bytesOf(5 * CHUNK - 1000, 7);
    const hash = sha(bytes);

    sent.length = 0;
    net.cutAfterPut = 3; // the third chunk reaches the server, its answer does not
    const attached = await sendTo(a.db, 'archive-attach', {
      studentId: student.id,
      partId,
      name: '入学登记表.pdf',
      mime: 'application/pdf',
      bytes: bytes.slice().buffer,
    });
    expect(attached.ok).toBe(true);

    // Bounded retries end in a typed, readable failure that names the file and what arrived.
    const failed = await queueUntil(a.engine, (q) => q.items.some((i) => i.state === 'failed'));
    const item = failed.items.find((i) => i.sha256 === hash);
    expect(item?.error?.kind).toBe('network');
    expect(item?.error?.message).toContain(
      '“入学登记表.pdf”上传中断：无法连接服务器（已确认上传 128.0 KB / ',
    );
    expect(item?.attempts).toBe(4);
    const token = (await login(server.url, admin, 'observer')).token;
    expect(await head(token, hash)).toEqual({ status: 200, offset: 3 * CHUNK, complete: '0' });

    // Online again: HEAD, then only the chunks the server lacks.
    const before = sent.length;
    net.offline = false;
    await a.engine.retry();
    await queueUntil(a.engine, (q) => q.items.length === 0 && q.completed === 1);
    const after = sent.slice(before).filter((s) => s.url.includes(hash));
    expect(after.map((s) => `${s.method} ${s.range ?? ''}`.trim())).toEqual([
      'HEAD',
      `PUT bytes ${3 * CHUNK}-${4 * CHUNK - 1}/${bytes.length}`,
      `PUT bytes ${4 * CHUNK}-${bytes.length - 1}/${bytes.length}`,
    ]);
    // Before the cut: chunks 0..2 once each, no chunk sent twice over the whole upload.
    const puts = sent.filter((s) => s.method === 'PUT' && s.url.includes(hash)).map((s) => s.range);
    expect(new Set(puts).size).toBe(puts.length);
    expect(puts.length).toBe(5);
    expect(await head(token, hash)).toEqual({ status: 200, offset: bytes.length, complete: '1' });
    const onServer = Buffer.from(
      await (
        await fetch(`${server.url}/api/attachments/${hash}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).arrayBuffer(),
    );
    expect(sha(onServer)).toBe(hash);
    expect((await a.store.remoteShas(server.url)).has(hash)).toBe(true);
    await a.engine.awaitInSync();

    // Device B pulled the metadata, not the bytes: nothing to upload, downloaded when opened.
    const b = await device('att-b');
    const meta = (await b.db.attachments.findOne({ selector: { sha256: hash } }).exec())?.toJSON();
    expect(meta?.name).toBe('入学登记表.pdf');
    expect(await b.store.getBlob(hash)).toBeUndefined();
    await b.engine.files.whenIdle();
    expect(b.engine.files.queue$.getValue().items).toEqual([]);
    const gets = () => sent.filter((s) => s.method === 'GET' && s.url.endsWith(`/api/attachments/${hash}`));
    const got = await b.engine.files.download(hash, {
      name: '入学登记表.pdf',
      mime: 'application/pdf',
      size: 0,
    });
    expect(got.size).toBe(bytes.length);
    expect(got.mime).toBe('application/pdf');
    expect(sha(new Uint8Array(await got.bytes.arrayBuffer()))).toBe(hash);
    expect(gets().length).toBe(1);
    // Opened again: from this machine; and B never uploads what it downloaded.
    await b.engine.files.download(hash, { name: '入学登记表.pdf', mime: 'application/pdf', size: 0 });
    expect(gets().length).toBe(1);
    expect((await b.store.remoteShas(server.url)).has(hash)).toBe(true);
    await b.engine.files.whenIdle();
    expect(sent.filter((s) => s.method === 'PUT' && s.url.includes(hash)).length).toBe(5);
  });

  it('a file over the limit is refused before any byte is sent, naming the file and the limit', async () => {
    const a = await device('att-limit');
    const big = bytesOf(21 * 1024 * 1024, 11);
    const hash = await a.store.putBlob(big.slice().buffer, 'image/jpeg');
    sent.length = 0;
    // Offline, so the record stays local: the server would refuse it too (its size is over the limit), and
    // the refusal would take the record back before the queue looks at it.
    net.offline = true;
    await a.db.attachments.insert(attachmentDoc(hash, '毕业合影.jpg', big.length));
    const q = await queueUntil(a.engine, (x) =>
      x.items.some((i) => i.sha256 === hash && i.state === 'failed'),
    );
    const item = q.items.find((i) => i.sha256 === hash);
    expect(item?.error?.kind).toBe('tooLarge');
    expect(item?.error?.message).toBe(
      '“毕业合影.jpg”有 21.0 MB，超过 20.0 MB 的附件上限，不会上传。请压缩或分成多个文件后重新附上',
    );
    expect(item?.attempts).toBe(1);
    expect(sent.filter((s) => s.url.includes(hash))).toEqual([]);
  });

  it('the server refuses what the app would allow (413): typed, not retried; a refused record is not uploaded', async () => {
    const a = await device('att-server-limit', { maxBytes: 64 * 1024 * 1024 });
    const big = bytesOf(21 * 1024 * 1024, 12);
    const bigHash = await a.store.putBlob(big.slice().buffer, 'image/jpeg');
    const small = bytesOf(10_000, 13);
    const smallHash = await a.store.putBlob(small.slice().buffer, 'image/jpeg');
    sent.length = 0;
    // The other school's file may show as waiting until the server refuses its record (that race is
    // the push's latency); it is never sent, so never running.
    const started = new Set<string>();
    const sub = a.engine.files.queue$.subscribe((q) => {
      for (const i of q.items) if (i.state === 'running') started.add(i.sha256);
    });
    await a.db.attachments.bulkInsert([
      // The record declares a size within the server's limit (it checks records too); the bytes are
      // bigger: the upload endpoint enforces the limit on the bytes themselves.
      attachmentDoc(bigHash, '毕业合影.jpg', 10 * 1024 * 1024),
      attachmentDoc(smallHash, '外校学生照片.jpg', small.length, OTHER_SCHOOL),
    ]);
    const q = await queueUntil(a.engine, (x) =>
      x.items.some((i) => i.sha256 === bigHash && i.state === 'failed'),
    );
    const bigItem = q.items.find((i) => i.sha256 === bigHash);
    expect(bigItem?.error?.kind).toBe('tooLarge');
    expect(bigItem?.error?.message).toBe(
      '“毕业合影.jpg”：附件过大：21.0 MB，超过 20.0 MB 上限。请压缩或分成多个文件后再上传',
    );
    // One HEAD and one refused PUT: a refusal is not retried.
    expect(sent.filter((s) => s.url.includes(bigHash)).map((s) => s.method)).toEqual(['HEAD', 'PUT']);
    const token = (await login(server.url, admin, 'observer-2')).token;
    expect((await head(token, bigHash)).status).toBe(404);

    // The retry button tries once more and fails the same way (the failure does not silently vanish).
    a.engine.files.retry(bigHash);
    await queueUntil(a.engine, (x) => x.items.find((i) => i.sha256 === bigHash)?.state === 'failed');
    expect(sent.filter((s) => s.url.includes(bigHash)).length).toBe(4);

    // Another school's record is refused by the server (a refusal on the record) and taken back by
    // replication: its bytes never go up.
    await a.engine.awaitInSync();
    await expect
      .poll(
        async () =>
          (
            await a.db.syncIssues
              .find({ selector: { docId: attachmentRecordId(OTHER_SCHOOL, smallHash) } })
              .exec()
          ).length,
      )
      .toBe(1);
    expect(await a.db.attachments.findOne({ selector: { sha256: smallHash } }).exec()).toBeNull();
    await a.engine.files.whenIdle();
    sub.unsubscribe();
    expect(started.has(smallHash)).toBe(false);
    expect(a.engine.files.queue$.getValue().items.some((i) => i.sha256 === smallHash)).toBe(false);
    expect(sent.filter((s) => s.url.includes(`/api/attachments/${smallHash}`))).toEqual([]);
  });

  it('an expired login pauses the queue (nothing sent); a fresh login uploads what waited', async () => {
    const a = await device('att-expired');
    await a.engine.stop();
    open.length = 0;
    const forged = { ...a.account, token: `${a.account.token.slice(0, -4)}AAAA`, refreshToken: 'forged' };
    await writeAccount(a.db, forged);
    const engine = new SyncEngine(a.db, forged, {
      fetch: recordingFetch,
      eventSource: null,
      retryTime: 200,
      attachments: { store: a.store, chunkSize: CHUNK, baseDelayMs: 20 },
    });
    open.push({ db: a.db, engine });
    await engine.start();
    await firstValueFrom(engine.status$.pipe(filter((s) => s.phase === 'expired')));
    const bytes = bytesOf(3000, 21);
    const hash = await a.store.putBlob(bytes.slice().buffer, 'image/png');
    sent.length = 0;
    // A valid record (name, type and size agree): an invalid one is refused and its bytes never go up.
    await a.db.attachments.insert(attachmentDoc(hash, '体检表.jpg', bytes.length));
    const q = await queueUntil(engine, (x) => x.items.some((i) => i.sha256 === hash));
    expect(q.paused).toBe(true);
    expect(q.items[0]?.state).toBe('waiting');
    // A paused queue starts no transfer loop when it takes an item (kick() returns at once), so once the
    // queue has published the item as waiting and the database is idle, nothing was or will be sent.
    await a.db.requestIdlePromise();
    expect(sent.filter((s) => s.url.includes(hash))).toEqual([]);

    const fresh = await login(server.url, admin, 'test-device-att-expired');
    await engine.renew({ ...forged, token: fresh.token, refreshToken: fresh.refreshToken, expired: false });
    await queueUntil(engine, (x) => x.items.length === 0 && x.completed === 1);
    const token = (await login(server.url, admin, 'observer-3')).token;
    expect(await head(token, hash)).toEqual({ status: 200, offset: bytes.length, complete: '1' });
  });

  it('a scan the server does not have cannot be opened: a readable notFound, the file named', async () => {
    const b = await device('att-missing');
    const hash = sha(bytesOf(100, 99));
    await expect(
      b.engine.files.download(hash, { name: '家庭情况调查表.jpg', mime: 'image/jpeg', size: 100 }),
    ).rejects.toMatchObject({
      kind: 'notFound',
      message: '服务器上还没有“家庭情况调查表.jpg”的文件：附上它的设备可能尚未联网上传，请稍后再试',
    });
  });
});
