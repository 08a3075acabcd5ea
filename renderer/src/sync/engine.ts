// The replication client (DESIGN.md "Sync"): one RxDB replication per collection over HTTP to the
// provincial server (pull with a checkpoint, push with assumedMasterState), first-sync progress, token
// refresh and the typed sync state. The outbox of unpushed records lives in outbox.ts, the live stream
// that triggers pulls in live-stream.ts. Conflicts are resolved by the collections' conflict handlers
// (conflict-hook.ts).
import type { WithDeleted } from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { BehaviorSubject, Subject } from 'rxjs';
import { SCHOOL_DESK_ROLES } from '../../../shared/commands/school-setup';
import { COLLECTIONS } from '../../../shared/domain/schemas';
import {
  type PullResponse,
  REFUSAL_FIELD,
  type Role,
  SYNC_ERROR_MESSAGES,
  type SyncDoc,
} from '../../../shared/sync/protocol';
import { type AreaCheckpoint, choosesSchools, heldSchools, planPull } from '../../../shared/sync/selection';
import type { XuejiDatabase } from '../db/database';
import { readSelection, selection$ } from '../db/selection';
import {
  type LoginResponse,
  passwordFields,
  readAccount,
  readMeta,
  type SyncAccount,
  type SyncMeta,
  stripLoginFields,
  writeAccount,
  writeMeta,
} from './account';
import { AttachmentSync, type AttachmentSyncOptions } from './attachments';
import { asSyncError, SyncError } from './errors';
import { DEFAULT_RETRY, type FetchLike, ServerClient, type TokenSource, type Tokens } from './http';
import { LiveStream } from './live-stream';
import { Outbox } from './outbox';
import { NEVER, phaseOfError, type SyncStatus } from './status';

/**
 * Collections the app replicates, and in which direction: `push` on a school desk (registrar,
 * counselor), `areaPush` on an area desk (bureau, province, inspector), which reads its schools' records
 * and changes none of them (the authority table) — pull only, so RxDB keeps no per-document push state
 * for the 200,000 students of a county. Orgs are maintained by the bureaus' administration: pull only.
 */
export const SYNCED: Record<string, { push: boolean; areaPush?: boolean }> = {
  orgs: { push: false },
  students: { push: true },
  // an area desk pushes only what it writes: inspection records, their history and their evidence
  events: { push: true, areaPush: true },
  syncIssues: { push: true },
  // an area desk pushes the evidence of its inspection records
  attachments: { push: true, areaPush: true },
  // Routine verification: tasks and term records (records are written by the server; a school pushes
  // only its aid office's note), leaves and appeals. An area desk publishes tasks and decides appeals.
  verifications: { push: true, areaPush: true },
  leaves: { push: true },
  appeals: { push: true, areaPush: true },
  // Status and info changes (issue 12): the bureaus and the province decide their steps (areaPush).
  changeRequests: { push: true, areaPush: true },
  inspections: { push: true, areaPush: true },
};

/**
 * Whether an area desk sends this row of a collection it pushes. Its history and files are pushed only for
 * the inspection records it writes (their steps, evidence and signatures); the rest of its history is its
 * own desk's (the login that set it up, the schools it keeps, its local password), which no area role may
 * write to the server — sent, each would only come back refused (修改记录不属于您…的管辖范围).
 */
export function areaSends(collection: string, doc: SyncDoc): boolean {
  if (collection !== 'events' && collection !== 'attachments') return true;
  return doc.entity === 'inspection';
}

/**
 * Collections an area desk pulls whole, whichever schools it holds: the org tree, and the change requests
 * (a bureau must see every request waiting for it, not only those of the schools it keeps on this machine).
 */
export const WHOLE_AREA: ReadonlySet<string> = new Set(['orgs', 'changeRequests']);

/** Whether this user's copy pushes a collection (see SYNCED). */
export function pushes(collection: string, role: Role): boolean {
  const d = SYNCED[collection];
  if (!d) return false;
  return SCHOOL_DESK_ROLES.has(role) ? d.push : d.areaPush === true;
}

/**
 * Documents per pull page: the server's largest (MAX_PULL_LIMIT), so a county's first download of
 * 200,000 students is 100 round trips, not 400 (each page also costs one IndexedDB transaction).
 */
export const PULL_BATCH = 2000;
export const PUSH_BATCH = 100;

type EventSourceCtor = new (url: string) => EventSource;

export type EngineOptions = {
  fetch?: FetchLike;
  /** null disables the live stream (Node tests) */
  eventSource?: EventSourceCtor | null;
  /** first wait before the live stream reconnects with a new ticket (doubles while failures repeat) */
  streamReconnectMs?: number;
  /** wait between RxDB's retry cycles after a failed request (each request already retried with backoff) */
  retryTime?: number;
  /** documents per pull page (default PULL_BATCH) */
  pullBatch?: number;
  now?: () => Date;
  /** the attachment bytes queue (file store, chunk size, size limit, retries) */
  attachments?: Partial<Omit<AttachmentSyncOptions, 'server' | 'tokens' | 'fetch' | 'onAuthError'>>;
};

type StreamItem = 'RESYNC';
type PushRows = { assumedMasterState?: SyncDoc; newDocumentState: SyncDoc }[];

export class SyncEngine {
  readonly status$: BehaviorSubject<SyncStatus>;
  /** attachment bytes: upload queue and downloads on demand (attachments.ts) */
  readonly files: AttachmentSync;
  private readonly client: ServerClient;
  private readonly replications = new Map<string, RxReplicationState<SyncDoc, AreaCheckpoint>>();
  private readonly streams = new Map<string, Subject<StreamItem>>();
  private readonly outbox: Outbox;
  private readonly live: LiveStream;
  private readonly active = new Map<string, boolean>();
  private readonly cleanups: (() => void)[] = [];
  private meta: SyncMeta = { lastSyncAt: null, initialDone: false, outbox: {} };
  private refreshing: Promise<Tokens> | null = null;
  private metaTimer: ReturnType<typeof setTimeout> | undefined;
  private lastError: SyncError | null = null;
  private stopped = false;
  private readonly now: () => Date;
  /** a city's or the province's copy holds the schools it chose (shared/sync/selection.ts) */
  private readonly choosing: boolean;
  /**
   * While catching up (full pages), the next page of a collection is fetched while RxDB stores this one:
   * the server's and the network's time overlap IndexedDB's. Keyed by the request it answers.
   */
  private readonly prefetched = new Map<string, { query: string; page: Promise<PullResponse> }>();

  constructor(
    private readonly db: XuejiDatabase,
    private account: SyncAccount,
    private readonly options: EngineOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.choosing = choosesSchools(account.user);
    const tokens: TokenSource = { current: () => this.account, refresh: () => this.refresh() };
    this.client = new ServerClient(account.serverUrl, tokens, options.fetch);
    this.files = new AttachmentSync(db, {
      ...options.attachments,
      server: () => this.account.serverUrl,
      tokens,
      fetch: options.fetch,
      now: this.now,
      onAuthError: (error) => this.fail(error),
      pending: (id) => this.outbox.has('attachments', id),
    });
    this.outbox = new Outbox(db, {
      collections: Object.keys(SYNCED).filter((name) => pushes(name, account.user.role)),
      onPending: (pending) => this.patch({ pending }),
      onChanged: (outbox) => {
        this.meta = { ...this.meta, outbox };
        // Written at once (a burst in one task is coalesced): a window closed right after an edit keeps its count.
        this.saveMetaSoon(0);
        this.files.nudge();
      },
    });
    this.live = new LiveStream({
      serverUrl: () => this.account.serverUrl,
      ticket: () =>
        this.guard(() =>
          this.client.post<{ ticket: string }>('/api/sync/stream-ticket', {}, DEFAULT_RETRY),
        ).then((r) => r.ticket),
      eventSource: options.eventSource === undefined ? globalThis.EventSource : options.eventSource,
      onNotice: (collection) => {
        if (collection === 'RESYNC') for (const s of this.streams.values()) s.next('RESYNC');
        else this.streams.get(collection)?.next('RESYNC');
      },
      wanted: () => {
        const s = this.status$.getValue();
        return (
          !this.stopped &&
          s.online &&
          this.replications.size > 0 &&
          s.phase !== 'expired' &&
          s.phase !== 'passwordChange' &&
          s.phase !== 'forbidden'
        );
      },
      reconnectMs: options.streamReconnectMs,
    });
    this.status$ = new BehaviorSubject<SyncStatus>({
      ...NEVER,
      phase: account.expired ? 'expired' : account.mustChangePassword ? 'passwordChange' : 'starting',
      serverUrl: account.serverUrl,
      user: statusUser(account),
      online: typeof navigator === 'undefined' ? true : navigator.onLine,
      error: account.expired
        ? { kind: 'unauthorized', message: SYNC_ERROR_MESSAGES.unauthorized, at: this.now().toISOString() }
        : null,
    });
  }

  get currentAccount(): SyncAccount {
    return this.account;
  }

  /** Whether a record of this copy waits to go up to the server (written here, not yet accepted there). */
  isPending(collection: string, id: string): boolean {
    return this.outbox.has(collection, id);
  }

  get api(): ServerClient {
    return this.client;
  }

  private patch(p: Partial<SyncStatus>): void {
    this.status$.next({ ...this.status$.getValue(), ...p });
  }

  async start(): Promise<void> {
    this.meta = await readMeta(this.db);
    this.outbox.load(this.meta.outbox);
    this.patch({ lastSyncAt: this.meta.lastSyncAt });
    this.outbox.track();
    this.cleanups.push(() => this.outbox.stop());
    this.watchNetwork();
    // A login that has expired, or waits for a password change, does not sync until a fresh login;
    // local work goes on and queues in the outbox.
    if (this.account.expired || this.account.mustChangePassword) return;
    this.startReplications();
  }

  private startReplications(): void {
    if (this.replications.size > 0) return;
    const initial = !this.meta.initialDone;
    this.patch({ phase: 'syncing', progress: { initial, pulled: {}, total: null } });
    for (const name of Object.keys(COLLECTIONS)) {
      if (!SYNCED[name]) continue;
      const push = pushes(name, this.account.user.role);
      const collection = this.db.collections[name as keyof typeof this.db.collections];
      if (!collection) continue;
      const stream = new Subject<StreamItem>();
      this.streams.set(name, stream);
      const replication = replicateRxCollection<SyncDoc, AreaCheckpoint>({
        collection: collection as never,
        replicationIdentifier: `xueji-sync|${this.account.serverUrl}|${this.account.schoolId}|${name}`,
        live: true,
        retryTime: this.options.retryTime ?? 5000,
        // Leader election needs a plugin this app does not load; each window replicates for itself.
        waitForLeadership: false,
        autoStart: true,
        pull: {
          batchSize: this.options.pullBatch ?? PULL_BATCH,
          handler: (checkpoint, batchSize) => this.pull(name, checkpoint, batchSize),
          stream$: stream.asObservable(),
        },
        push: push
          ? { batchSize: PUSH_BATCH, handler: (rows) => this.push(name, rows as PushRows) }
          : undefined,
      });
      this.replications.set(name, replication);
      const subs = [
        replication.error$.subscribe(() => this.onCycleError()),
        replication.active$.subscribe((active) => {
          this.active.set(name, active);
          this.onActivity();
        }),
      ];
      this.cleanups.push(() => {
        for (const s of subs) s.unsubscribe();
      });
    }
    if (this.choosing) {
      // A school kept, opened or dropped: every collection but the org tree pulls again at once.
      const sub = selection$(this.db).subscribe(() => this.resyncSchools());
      this.cleanups.push(() => sub.unsubscribe());
    }
    this.openStream();
    void this.awaitInitial();
    void this.files.start();
  }

  private resyncSchools(): void {
    for (const [name, stream] of this.streams) if (!WHOLE_AREA.has(name)) stream.next('RESYNC');
  }

  private async awaitInitial(): Promise<void> {
    try {
      await Promise.all([...this.replications.values()].map((r) => r.awaitInitialReplication()));
    } catch {
      return;
    }
    if (this.stopped) return;
    if (!this.meta.initialDone) {
      this.meta = { ...this.meta, initialDone: true };
      this.saveMetaSoon(0);
    }
    const s = this.status$.getValue();
    this.patch({ progress: { ...s.progress, initial: false } });
    this.onActivity();
  }

  /** Resolves once every collection has finished its first pull and push (or rejects on cancel). */
  async awaitInitialReplication(): Promise<void> {
    await Promise.all([...this.replications.values()].map((r) => r.awaitInitialReplication()));
  }

  /** Resolves when everything local is pushed and everything remote is pulled (tests, the retry button). */
  async awaitInSync(): Promise<void> {
    await Promise.all([...this.replications.values()].map((r) => r.awaitInSync()));
  }

  private async pull(
    name: string,
    checkpoint: AreaCheckpoint | undefined,
    batchSize: number,
  ): Promise<{ documents: WithDeleted<SyncDoc>[]; checkpoint: AreaCheckpoint | undefined }> {
    // The org tree and the requests are whole on every desk; a choosing desk's other collections cover its
    // held schools.
    const narrowed = this.choosing && !WHOLE_AREA.has(name);
    let documents: WithDeleted<SyncDoc>[] = [];
    let cp = checkpoint;
    // One round: a fill that finishes goes on to the main cursor at once (shared/sync/selection.ts
    // PullPlan.filled) — RxDB stores no checkpoint after a round without documents.
    for (;;) {
      const plan = planPull(cp, narrowed ? heldSchools(await readSelection(this.db)) : null);
      const page = await this.pullPage(name, plan.from, plan.schools, batchSize);
      documents = documents.concat(page.documents);
      const last = page.count > 0 ? page.seq : null;
      cp = plan.next(last, page.count, batchSize);
      if (!plan.filled(page.count, batchSize)) break;
    }
    return { documents, checkpoint: cp };
  }

  /** One page of a plan: its documents (less those of a school dropped meanwhile), count and last seq. */
  private async pullPage(
    name: string,
    from: number,
    schools: string[] | null,
    batchSize: number,
  ): Promise<{ documents: WithDeleted<SyncDoc>[]; count: number; seq: number | null }> {
    const query = this.pullQuery(from, schools, batchSize);
    const ahead = this.prefetched.get(name);
    this.prefetched.delete(name);
    const res = await (ahead?.query === query ? ahead.page : this.fetchPage(name, query));
    if (res.documents.length === batchSize && res.checkpoint) {
      // the same plan's next page (a fill, or the main cursor): asked for now, taken at the next call
      const next = this.pullQuery(res.checkpoint.seq, schools, batchSize);
      const page = this.fetchPage(name, next);
      page.catch(() => {});
      this.prefetched.set(name, { query: next, page });
    }
    let documents: WithDeleted<SyncDoc>[] = res.documents.map((d) => ({
      ...d,
      _deleted: d._deleted === true,
    }));
    if (schools) {
      // A school dropped while this page was on its way: its records are not written back.
      const held = new Set(heldSchools(await readSelection(this.db)));
      const gone = new Set(schools.filter((s) => !held.has(s)));
      if (gone.size > 0) documents = documents.filter((d) => !gone.has(String(d.schoolId)));
    }
    if (res.documents.length > 0) {
      const s = this.status$.getValue();
      const pulled = { ...s.progress.pulled, [name]: (s.progress.pulled[name] ?? 0) + res.documents.length };
      this.patch({ progress: { ...s.progress, pulled } });
    }
    return { documents, count: res.documents.length, seq: res.checkpoint?.seq ?? null };
  }

  private pullQuery(from: number, schools: string[] | null, batchSize: number): string {
    const q = new URLSearchParams({ limit: String(batchSize) });
    if (from > 0) q.set('checkpoint', JSON.stringify({ seq: from }));
    if (schools) q.set('schools', schools.join(','));
    return q.toString();
  }

  private fetchPage(name: string, query: string): Promise<PullResponse> {
    return this.guard(() =>
      this.client.get<PullResponse>(`/api/sync/${encodeURIComponent(name)}/pull?${query}`),
    );
  }

  private async push(name: string, rows: PushRows): Promise<WithDeleted<SyncDoc>[]> {
    const area = !SCHOOL_DESK_ROLES.has(this.account.user.role);
    const sent = area ? rows.filter((r) => areaSends(name, r.newDocumentState)) : rows;
    // What an area desk keeps to itself leaves the outbox as done (it stays in the local history).
    const answer =
      sent.length === 0
        ? []
        : await this.guard(() =>
            this.client.post<SyncDoc[]>(`/api/sync/${encodeURIComponent(name)}/push`, sent, DEFAULT_RETRY),
          );
    if (name === 'attachments')
      // Before the outbox settles (which lets the rows the server took upload): a refused record's bytes
      // never go up, nor those of a record an area desk kept to itself (the server has no record for them).
      this.files.refused([
        ...answer.filter((d) => d[REFUSAL_FIELD] !== undefined).map((d) => String(d.id)),
        ...rows.filter((r) => !sent.includes(r)).map((r) => String(r.newDocumentState.id)),
      ]);
    // A refused row's answer carries its refusal (settled); any other answer is a conflict (pending).
    await this.outbox.pushed(
      name,
      rows.map((r) => r.newDocumentState),
      answer.filter((d) => d[REFUSAL_FIELD] === undefined),
    );
    return answer as WithDeleted<SyncDoc>[];
  }

  /** Runs one server call; a typed failure is remembered for the state, success clears it. */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      const value = await call();
      if (this.lastError) {
        this.lastError = null;
        this.patch({ error: null });
      }
      return value;
    } catch (e) {
      throw this.fail(asSyncError(e));
    }
  }

  /** A typed failure becomes the state; errors that retrying cannot heal stop syncing. */
  private fail(error: SyncError): SyncError {
    this.lastError = error;
    this.patch({
      error: { kind: error.kind, message: error.message, at: this.now().toISOString() },
      phase: phaseOfError(error.kind),
    });
    // Errors that retrying cannot heal stop the replications: no retry loop against the server.
    if (error.kind === 'unauthorized' || error.kind === 'passwordChange' || error.kind === 'forbidden')
      // A database closing meanwhile (the window going) has nothing left to pause.
      this.halt(error).catch(() => {});
    return error;
  }

  private async halt(error: SyncError): Promise<void> {
    if (error.kind === 'passwordChange' && !this.account.mustChangePassword) {
      this.account = { ...this.account, mustChangePassword: true };
      await writeAccount(this.db, this.account);
    }
    await this.pauseReplications();
  }

  private async pauseReplications(): Promise<void> {
    this.closeStream();
    this.files.pause();
    await Promise.all([...this.replications.values()].map((r) => r.pause()));
  }

  private onCycleError(): void {
    const e = this.lastError;
    if (!e) return;
    this.patch({ phase: phaseOfError(e.kind) });
  }

  private onActivity(): void {
    if (this.stopped) return;
    const s = this.status$.getValue();
    if (s.phase === 'expired' || s.phase === 'passwordChange' || s.phase === 'forbidden') return;
    const active = [...this.active.values()].some(Boolean);
    if (!s.online) {
      this.patch({ phase: 'offline' });
      return;
    }
    // A failed request keeps the replication "active" while it waits to retry: the error is the state.
    if (this.lastError) {
      this.patch({ phase: phaseOfError(this.lastError.kind) });
      return;
    }
    if (active) {
      this.patch({ phase: 'syncing' });
      return;
    }
    if (s.progress.initial) return;
    const at = this.now().toISOString();
    this.meta = { ...this.meta, lastSyncAt: at };
    this.saveMetaSoon();
    this.patch({ phase: 'synced', lastSyncAt: at, error: null });
  }

  private saveMetaSoon(delay = 300): void {
    clearTimeout(this.metaTimer);
    // Once stopping, stop() writes the meta itself (a replication cancelled during it still reports).
    if (this.stopped) return;
    this.metaTimer = setTimeout(() => {
      // The database may close between the check and the write: nothing can be written then. The meta is
      // bookkeeping (last sync, the outbox's count); the records and RxDB's push checkpoint are in the
      // database, so nothing unsent is lost.
      if (!this.db.closed) writeMeta(this.db, this.meta).catch(() => {});
    }, delay);
  }

  // ---- network and stream ---------------------------------------------------------------------------

  private watchNetwork(): void {
    if (typeof window === 'undefined') return;
    const online = () => {
      this.patch({ online: true });
      if (this.replications.size > 0 && !this.account.expired) {
        this.lastError = null;
        this.patch({ phase: 'syncing', error: null });
        for (const r of this.replications.values()) r.reSync();
        this.openStream();
        this.files.resume();
      }
    };
    const offline = () => {
      this.patch({ online: false, phase: this.account.expired ? 'expired' : 'offline' });
      this.closeStream();
      this.files.pause();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    this.cleanups.push(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    });
  }

  private openStream(): void {
    if (!this.stopped) this.live.open();
  }

  private closeStream(): void {
    this.live.close();
  }

  // ---- tokens ---------------------------------------------------------------------------------------

  /** Exchanges the refresh token once for all callers; an unusable one marks the login expired. */
  private refresh(): Promise<Tokens> {
    this.refreshing ??= (async () => {
      // Another window of this browser profile may have rotated the pair already (they share the
      // stored account): presenting the spent token would make the server end this device's sessions.
      const stored = await readAccount(this.db);
      if (
        stored &&
        !stored.expired &&
        stored.user.id === this.account.user.id &&
        stored.refreshToken !== this.account.refreshToken
      ) {
        this.account = stored;
        return stored;
      }
      const plain = new ServerClient(this.account.serverUrl, null, this.options.fetch);
      // A newer pair may arrive while this exchange runs (a password change on this device ends the
      // session this token belongs to, and answers with fresh tokens): the newer pair wins.
      const used = this.account.refreshToken;
      const superseded = () => this.account.refreshToken !== used;
      try {
        const res = await plain.post<LoginResponse>(
          '/api/auth/refresh',
          { refreshToken: used },
          DEFAULT_RETRY,
        );
        if (superseded()) return this.account;
        this.account = {
          ...this.account,
          token: res.token,
          refreshToken: res.refreshToken,
          user: stripLoginFields(res.user),
          mustChangePassword: res.user.mustChangePassword === true,
          ...passwordFields(res.user),
        };
        await writeAccount(this.db, this.account);
        return this.account;
      } catch (e) {
        const error = asSyncError(e);
        if (superseded()) return this.account;
        if (error.kind === 'unauthorized') {
          this.account = { ...this.account, expired: true };
          await writeAccount(this.db, this.account);
          throw new SyncError('unauthorized', SYNC_ERROR_MESSAGES.unauthorized, 401, error.code);
        }
        throw error;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  // ---- control --------------------------------------------------------------------------------------

  /** The retry button: clears the error and runs a full cycle now. */
  async retry(): Promise<void> {
    this.lastError = null;
    this.patch({ error: null });
    if (this.account.expired || this.account.mustChangePassword) {
      this.patch({ phase: this.account.expired ? 'expired' : 'passwordChange' });
      return;
    }
    if (this.replications.size === 0) {
      this.startReplications();
      return;
    }
    this.patch({ phase: 'syncing' });
    for (const r of this.replications.values()) {
      if (r.isPaused()) await r.start();
      r.reSync();
    }
    this.openStream();
    this.files.resume();
  }

  /** A fresh login of the same user and school replaces the tokens and resumes syncing. */
  async renew(account: SyncAccount): Promise<void> {
    this.account = account;
    await writeAccount(this.db, account);
    this.patch({
      serverUrl: account.serverUrl,
      user: statusUser(account),
    });
    await this.retry();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.metaTimer);
    this.closeStream();
    await this.files.stop();
    for (const c of this.cleanups.splice(0)) c();
    await Promise.all([...this.replications.values()].map((r) => r.cancel()));
    this.replications.clear();
    if (!this.db.closed) await writeMeta(this.db, this.meta);
  }
}

/** The part of the account the sync panel shows. */
function statusUser(account: SyncAccount): SyncStatus['user'] {
  const { username, displayName, role, orgName } = account.user;
  return { username, displayName, role, orgName };
}
