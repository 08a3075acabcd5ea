// Attachment bytes between this machine and the provincial server (issue 5: "stored locally, uploaded
// content-addressed (SHA-256) and resumable, downloaded on demand; size limits with a clear message; a
// queue the user can see"). Metadata replicates with the `attachments` collection (engine.ts); the bytes
// move here, through the server's own endpoints (docs/sync-api.md "Attachments"):
// - upload queue: every local attachment whose bytes this server does not have yet. HEAD tells how much
//   already arrived; chunks go up with Content-Range from there, so an interrupted upload resumes from the
//   received size. The local bytes are checked against their SHA-256 first, the server checks the whole.
// - download on demand: a scan attached on another device is fetched when someone opens it, verified by
//   its SHA-256 and kept locally.
// Bounded retries with backoff end in a typed reason (STYLE rule 4) the sync panel shows with a retry.
import { BehaviorSubject, type Subscription } from 'rxjs';
import { attachmentRecordId } from '../../../shared/domain/attachment-types';
import type { AttachmentDoc } from '../../../shared/domain/schemas';
import { appFileStore, type FileStore, type StoredBlob, sha256Hex } from '../db/attachment-store';
import { SCAN_MAX_BYTES } from '../db/commands/archive';
import type { XuejiDatabase } from '../db/database';
import { asSyncError, errorOfResponse, type SyncError } from './errors';
import type { FetchLike, TokenSource } from './http';

export type AttachmentErrorKind =
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'tooLarge'
  | 'notFound'
  | 'corrupt'
  | 'server';

export class AttachmentError extends Error {
  constructor(
    readonly kind: AttachmentErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentError';
  }
}

export type TransferItem = {
  sha256: string;
  name: string;
  mime: string;
  /** bytes of the whole file */
  size: number;
  schoolId: string;
  direction: 'upload' | 'download';
  state: 'waiting' | 'running' | 'failed';
  /** bytes the server has (upload) or that arrived (download) */
  done: number;
  /** failed attempts of this run, bounded by `attempts` */
  attempts: number;
  error: { kind: AttachmentErrorKind; message: string; at: string } | null;
};

export type AttachmentQueueState = {
  items: TransferItem[];
  paused: boolean;
  /** files completed since the app started (uploads and downloads) */
  completed: number;
};

export const EMPTY_QUEUE: AttachmentQueueState = { items: [], paused: true, completed: 0 };

export type AttachmentSyncOptions = {
  /** the server's base URL (read at each request: a fresh login may change tokens, never the server) */
  server: () => string;
  tokens: TokenSource;
  fetch?: FetchLike;
  store?: FileStore;
  /** bytes per PUT (default 1 MB) */
  chunkSize?: number;
  /** largest file uploaded (default the scan limit, 20 MB; the server may enforce a smaller one) */
  maxBytes?: number;
  /** attempts per file in one run, the first included (default 4) */
  attempts?: number;
  /** wait before the second attempt; doubles after each failure (default 1 s) */
  baseDelayMs?: number;
  timeoutMs?: number;
  now?: () => Date;
  /** an unusable login (refresh refused): the engine shows 登录已过期 and stops */
  onAuthError?: (error: SyncError) => void;
  /**
   * The attachment record (by id) is written here and not yet accepted by the server. Its bytes wait in
   * the queue unsent: a record the server refuses (another school's, say) never sends a byte. The engine
   * calls nudge() when its outbox changes and refused() when the server refuses a record.
   */
  pending?: (recordId: string) => boolean;
};

export const CHUNK_BYTES = 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The refusal before any byte leaves the machine: names the file, its size and the limit. */
export function tooLargeMessage(name: string, size: number, limit: number): string {
  return `“${name}”有 ${formatBytes(size)}，超过 ${formatBytes(limit)} 的附件上限，不会上传。请压缩或分成多个文件后重新附上`;
}

export function attachmentErrorOf(e: unknown, item: TransferItem): AttachmentError {
  if (e instanceof AttachmentError) return e;
  const error = asSyncError(e);
  const verb = item.direction === 'upload' ? '上传' : '下载';
  switch (error.kind) {
    case 'network':
      return new AttachmentError(
        'network',
        item.direction === 'upload'
          ? `“${item.name}”上传中断：无法连接服务器（已确认上传 ${formatBytes(item.done)} / ${formatBytes(item.size)}），联网后从服务器已收到的位置继续`
          : `“${item.name}”下载失败：无法连接服务器，请联网后重试`,
      );
    case 'unauthorized':
      return new AttachmentError('unauthorized', `登录已过期：“${item.name}”等重新登录后再${verb}`);
    case 'passwordChange':
      return new AttachmentError('unauthorized', `密码已到期：“${item.name}”等修改密码后再${verb}`);
    case 'forbidden':
      return new AttachmentError('forbidden', `“${item.name}”不能${verb}：${error.message}`);
    case 'server':
      if (error.status === 413) return new AttachmentError('tooLarge', `“${item.name}”：${error.message}`);
      if (error.status === 404)
        return new AttachmentError(
          'notFound',
          `服务器上还没有“${item.name}”的文件：附上它的设备可能尚未联网上传，请稍后再试`,
        );
      return new AttachmentError('server', `“${item.name}”${verb}失败：${error.message}`);
  }
}

const recordOf = (item: TransferItem) => attachmentRecordId(item.schoolId, item.sha256);

/** Errors that a later attempt can heal; the others wait for a person (retry button, login). */
const TRANSIENT: AttachmentErrorKind[] = ['network', 'server'];

export class AttachmentSync {
  readonly queue$ = new BehaviorSubject<AttachmentQueueState>(EMPTY_QUEUE);
  /** attachment records the server refused in this session (taken back by replication) */
  private readonly refusedRecords = new Set<string>();
  private readonly store: FileStore;
  private readonly items = new Map<string, TransferItem>();
  private readonly downloads = new Map<string, Promise<StoredBlob>>();
  private readonly fetchImpl: FetchLike;
  private readonly chunk: number;
  private readonly maxBytes: number;
  private readonly attempts: number;
  private readonly baseDelay: number;
  private readonly timeout: number;
  private readonly now: () => Date;
  private paused = true;
  private stopped = false;
  private completed = 0;
  private loop: Promise<void> | null = null;
  private controller: AbortController | null = null;
  private wake: (() => void) | null = null;
  private changed = new Set<string>();
  private scanTimer: ReturnType<typeof setTimeout> | undefined;
  private sub: Subscription | undefined;
  private idle: (() => void)[] = [];

  constructor(
    private readonly db: XuejiDatabase,
    private readonly options: AttachmentSyncOptions,
  ) {
    this.store = options.store ?? appFileStore();
    this.fetchImpl = options.fetch ?? ((i, init) => fetch(i, init));
    this.chunk = options.chunkSize ?? CHUNK_BYTES;
    this.maxBytes = options.maxBytes ?? SCAN_MAX_BYTES;
    this.attempts = options.attempts ?? 4;
    this.baseDelay = options.baseDelayMs ?? 1000;
    this.timeout = options.timeoutMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
  }

  get fileStore(): FileStore {
    return this.store;
  }

  private publish(): void {
    const order = { running: 0, waiting: 1, failed: 2 } as const;
    const items = [...this.items.values()]
      .map((i) => ({ ...i }))
      .sort((a, b) => order[a.state] - order[b.state]);
    this.queue$.next({ items, paused: this.paused, completed: this.completed });
    if (!items.some((i) => i.direction === 'upload' && i.state !== 'failed'))
      for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Starts after login: finds what the server lacks and uploads it; new attachments join as they come. */
  async start(): Promise<void> {
    if (this.stopped) return;
    this.paused = false;
    if (!this.sub) {
      this.sub = this.db.attachments.$.subscribe((event) => {
        if (event.operation === 'DELETE') {
          // Taken back (e.g. the server refused the record): its bytes have nowhere to go.
          const item = this.items.get(event.documentId);
          if (item?.direction === 'upload' && item.state !== 'running') {
            this.items.delete(event.documentId);
            this.publish();
          }
          return;
        }
        this.later([event.documentId]);
      });
      // A file store that does not answer (IndexedDB closed or failing): what is in it is looked at again
      // at the next start; new attachments still join through the subscription.
      await this.scanAll().catch(() => {});
    }
    this.publish();
    this.kick();
  }

  /** The outbox changed: a record the server took may let its bytes go up now. */
  nudge(): void {
    if (this.sub) this.kick();
  }

  /** The server refused these attachment records: their bytes have nowhere to go, ever. */
  refused(recordIds: string[]): void {
    if (recordIds.length === 0) return;
    for (const id of recordIds) this.refusedRecords.add(id);
    for (const item of [...this.items.values()])
      if (item.direction === 'upload' && item.state !== 'running' && this.refusedRecords.has(recordOf(item)))
        this.items.delete(item.sha256);
    this.publish();
  }

  /** Waits in the queue (shown) but is not sent while its record is not accepted by the server. */
  private sendable(item: TransferItem): boolean {
    // Over the limit: refused here before any byte leaves, whatever the server says of the record.
    if (item.size > this.maxBytes) return true;
    const id = recordOf(item);
    return !this.refusedRecords.has(id) && !this.options.pending?.(id);
  }

  private later(ids: string[]): void {
    for (const id of ids) this.changed.add(id);
    clearTimeout(this.scanTimer);
    this.scanTimer = setTimeout(() => {
      // The file store failed to answer: the records are looked at again on the next change or start.
      this.scanChanged().catch(() => {
        for (const id of ids) this.changed.add(id);
      });
    }, 150);
  }

  private async scanAll(): Promise<void> {
    const docs = (await this.db.attachments.find().exec()).map((d) => d.toJSON() as AttachmentDoc);
    await this.consider(docs);
  }

  private async scanChanged(): Promise<void> {
    const ids = [...this.changed];
    this.changed.clear();
    if (ids.length === 0 || this.stopped || this.db.closed) return;
    const docs = await this.db.attachments.findByIds(ids).exec();
    await this.consider([...docs.values()].map((d) => d.toJSON() as AttachmentDoc));
    this.kick();
  }

  private async consider(docs: AttachmentDoc[]): Promise<void> {
    if (docs.length === 0) return;
    const [local, remote] = await Promise.all([
      this.store.localShas(),
      this.store.remoteShas(this.options.server()),
    ]);
    let added = false;
    for (const d of docs) {
      if (!local.has(d.sha256) || remote.has(d.sha256) || this.items.has(d.sha256)) continue;
      if (this.refusedRecords.has(d.id)) continue;
      this.items.set(d.sha256, {
        sha256: d.sha256,
        name: d.name,
        mime: d.mime,
        size: d.size,
        schoolId: d.schoolId,
        direction: 'upload',
        state: 'waiting',
        done: 0,
        attempts: 0,
        error: null,
      });
      added = true;
    }
    if (added) this.publish();
  }

  /** Offline, or a login that must be renewed: the running chunk is abandoned (resumed later by HEAD). */
  pause(): void {
    this.paused = true;
    this.controller?.abort();
    this.wake?.();
    for (const i of this.items.values()) if (i.state === 'running') i.state = 'waiting';
    this.publish();
  }

  /** Online again (or 立即同步): failures a retry can heal start over with a fresh count of attempts. */
  resume(): void {
    if (this.stopped) return;
    this.paused = false;
    for (const i of this.items.values())
      if (i.direction === 'upload' && i.state === 'failed' && i.error && TRANSIENT.includes(i.error.kind)) {
        i.state = 'waiting';
        i.attempts = 0;
      }
    this.publish();
    this.kick();
  }

  /** The retry button of one file (any reason: the person may have fixed it, e.g. logged in again). */
  retry(sha256: string): void {
    const item = this.items.get(sha256);
    if (item?.state !== 'failed') return;
    if (item.direction === 'download') {
      this.items.delete(sha256);
      this.publish();
      void this.download(sha256, { name: item.name, mime: item.mime, size: item.size }).catch(() => {});
      return;
    }
    item.state = 'waiting';
    item.attempts = 0;
    item.error = null;
    this.paused = false;
    this.publish();
    this.kick();
  }

  /** Resolves when no upload waits or runs (failed ones wait for a person). */
  whenIdle(): Promise<void> {
    const busy = [...this.items.values()].some((i) => i.direction === 'upload' && i.state !== 'failed');
    if (!busy && !this.loop) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sub?.unsubscribe();
    clearTimeout(this.scanTimer);
    this.pause();
    await this.loop;
  }

  // ---- uploads --------------------------------------------------------------------------------------

  private kick(): void {
    if (this.loop || this.paused || this.stopped) return;
    this.loop = (async () => {
      for (;;) {
        if (this.paused || this.stopped) return;
        const next = [...this.items.values()].find(
          (i) => i.direction === 'upload' && i.state === 'waiting' && this.sendable(i),
        );
        if (!next) return;
        await this.upload(next);
      }
    })().finally(() => {
      this.loop = null;
      this.publish();
    });
  }

  private async upload(item: TransferItem): Promise<void> {
    for (;;) {
      item.state = 'running';
      this.publish();
      try {
        await this.uploadOnce(item);
        this.items.delete(item.sha256);
        this.completed++;
        this.publish();
        return;
      } catch (e) {
        if (this.paused || this.stopped) {
          item.state = 'waiting';
          this.publish();
          return;
        }
        const error = attachmentErrorOf(e, item);
        item.error = { kind: error.kind, message: error.message, at: this.now().toISOString() };
        item.attempts++;
        if (TRANSIENT.includes(error.kind) && item.attempts < this.attempts) {
          item.state = 'waiting';
          this.publish();
          await this.sleep(this.baseDelay * 2 ** (item.attempts - 1));
          if (this.paused || this.stopped) return;
          continue;
        }
        item.state = 'failed';
        this.publish();
        if (error.kind === 'unauthorized') {
          const raw = asSyncError(e);
          this.pause();
          this.options.onAuthError?.(raw);
        }
        return;
      }
    }
  }

  private async uploadOnce(item: TransferItem): Promise<void> {
    // The size limit is checked before any byte leaves: the metadata's size and the bytes' own length.
    if (item.size > this.maxBytes)
      throw new AttachmentError('tooLarge', tooLargeMessage(item.name, item.size, this.maxBytes));
    const stored = await this.store.getBlob(item.sha256);
    if (!stored) throw new AttachmentError('corrupt', `本机找不到“${item.name}”的文件，请重新附上扫描件`);
    const bytes = new Uint8Array(await stored.bytes.arrayBuffer());
    if (bytes.byteLength > this.maxBytes)
      throw new AttachmentError('tooLarge', tooLargeMessage(item.name, bytes.byteLength, this.maxBytes));
    if (bytes.byteLength === 0) throw new AttachmentError('corrupt', `“${item.name}”是空文件，不能上传`);
    if ((await sha256Hex(bytes.buffer as ArrayBuffer)) !== item.sha256)
      throw new AttachmentError(
        'corrupt',
        `本机保存的“${item.name}”已损坏（SHA-256 不符），不能上传，请重新附上扫描件`,
      );
    item.size = bytes.byteLength;
    const path = `/api/attachments/${item.sha256}`;
    const head = await this.call('HEAD', path);
    let offset = 0;
    if (head.status === 200 || head.status === 404) item.error = null;
    if (head.status === 200) {
      if (head.headers.get('X-Complete') === '1') return this.finish(item);
      offset = Number(head.headers.get('Upload-Offset') ?? 0) || 0;
    } else if (head.status !== 404) {
      throw errorOfResponse(head.status, null);
    }
    // Everything arrived (the server assembles and verifies with the last chunk).
    if (offset >= bytes.byteLength) return this.finish(item);
    const q = new URLSearchParams({ schoolId: item.schoolId, mime: item.mime || stored.mime });
    for (;;) {
      item.done = offset;
      this.publish();
      const end = Math.min(offset + this.chunk, bytes.byteLength) - 1;
      const res = await this.call('PUT', `${path}?${q}`, bytes.slice(offset, end + 1), {
        'content-type': 'application/octet-stream',
        'content-range': `bytes ${offset}-${end}/${bytes.byteLength}`,
      });
      const body = (await res.json().catch(() => null)) as {
        received?: number;
        complete?: boolean;
        error?: string;
      } | null;
      if ((res.status === 200 || res.status === 201) && body?.complete) return this.finish(item);
      if (res.status === 202 || (res.status === 409 && body?.error === 'RANGE_GAP')) {
        const received = Number(body?.received);
        if (!Number.isInteger(received) || received < 0 || received > bytes.byteLength)
          throw errorOfResponse(502, { message: '服务器返回的上传进度无效' });
        offset = received;
        continue;
      }
      throw errorOfResponse(res.status, body);
    }
  }

  private async finish(item: TransferItem): Promise<void> {
    item.done = item.size;
    await this.store.markRemote(this.options.server(), item.sha256);
  }

  // ---- downloads ------------------------------------------------------------------------------------

  /**
   * The bytes of one attachment: from this machine when they are here, otherwise fetched from the server
   * (verified by SHA-256, then kept). Rejects with an AttachmentError whose message names the file.
   */
  download(sha256: string, meta: { name: string; mime: string; size: number }): Promise<StoredBlob> {
    let running = this.downloads.get(sha256);
    if (!running) {
      running = this.fetchBlob(sha256, meta).finally(() => this.downloads.delete(sha256));
      this.downloads.set(sha256, running);
    }
    return running;
  }

  private async fetchBlob(sha256: string, meta: { name: string; mime: string; size: number }) {
    const local = await this.store.getBlob(sha256);
    if (local) return local;
    const item: TransferItem = {
      sha256,
      ...meta,
      schoolId: '',
      direction: 'download',
      state: 'running',
      done: 0,
      attempts: 0,
      error: null,
    };
    this.items.set(sha256, item);
    this.publish();
    for (;;) {
      try {
        const res = await this.call('GET', `/api/attachments/${sha256}`);
        if (!res.ok) throw errorOfResponse(res.status, await res.json().catch(() => null));
        const bytes = await this.readBody(res, item);
        if ((await sha256Hex(bytes.buffer as ArrayBuffer)) !== sha256)
          throw new AttachmentError('corrupt', `下载的“${meta.name}”校验失败（SHA-256 不符），请重试`);
        const mime = res.headers.get('content-type')?.split(';')[0]?.trim() || meta.mime;
        await this.store.putBlob(bytes.buffer as ArrayBuffer, mime);
        // Whatever came from the server is on the server: never queued for upload.
        await this.store.markRemote(this.options.server(), sha256);
        this.items.delete(sha256);
        this.completed++;
        this.publish();
        const stored = await this.store.getBlob(sha256);
        if (!stored) throw new AttachmentError('corrupt', `“${meta.name}”未能保存到本机`);
        return stored;
      } catch (e) {
        const error = attachmentErrorOf(e, item);
        item.attempts++;
        item.error = { kind: error.kind, message: error.message, at: this.now().toISOString() };
        if (TRANSIENT.includes(error.kind) && item.attempts < Math.min(this.attempts, 3) && !this.stopped) {
          this.publish();
          await this.sleep(this.baseDelay * 2 ** (item.attempts - 1));
          continue;
        }
        item.state = 'failed';
        this.publish();
        throw error;
      }
    }
  }

  private async readBody(res: Response, item: TransferItem): Promise<Uint8Array> {
    const reader = res.body?.getReader();
    if (!reader) return new Uint8Array(await res.arrayBuffer());
    const parts: Uint8Array[] = [];
    let n = 0;
    let lastPublished = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      n += value.byteLength;
      item.done = n;
      if (n - lastPublished > 256 * 1024) {
        lastPublished = n;
        this.publish();
      }
    }
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }

  // ---- HTTP -----------------------------------------------------------------------------------------

  /** One request with the bearer token; a 401 refreshes the token once (which may end the login). */
  private async call(
    method: string,
    path: string,
    body?: Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    let refreshed = false;
    for (;;) {
      const controller = new AbortController();
      this.controller = controller;
      const timer = setTimeout(() => controller.abort(), this.timeout);
      let res: Response;
      try {
        const token = this.options.tokens.current()?.token;
        res = await this.fetchImpl(`${this.options.server()}${path}`, {
          method,
          headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body as BodyInit | undefined,
          signal: controller.signal,
        });
      } catch (e) {
        throw asSyncError(e);
      } finally {
        clearTimeout(timer);
        if (this.controller === controller) this.controller = null;
      }
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        await res.body?.cancel().catch(() => {});
        await this.options.tokens.refresh();
        continue;
      }
      if (res.status === 401) throw errorOfResponse(401, await res.json().catch(() => null));
      return res;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
