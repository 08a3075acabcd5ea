// A minimal RxDB client of the sync API, as any third-party client would write it: RxDB 17 memory
// storage, replicateRxCollection with pull/push handlers over fetch, the SSE stream (eventsource, opened
// with a one-use ticket) as pull.stream$, and the shared per-collection conflict handler filing issues into syncIssues.
import { EventSource } from 'eventsource';
import {
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxCollectionCreator,
  type RxDatabase,
  type RxJsonSchema,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { Subject } from 'rxjs';
import { COLLECTIONS, type SyncIssueDoc } from '../../../shared/domain/schemas';
import { createConflictHandler } from '../../../shared/sync/conflicts';
import type { PullResponse, SyncCheckpoint, SyncDoc } from '../../../shared/sync/protocol';
import { mergeChangeRequest } from '../../../shared/workflows/merge';

export type ClientOptions = {
  name: string;
  url: string;
  token: string;
  userId: string;
  collections?: (keyof typeof COLLECTIONS)[];
  batchSize?: number;
  live?: boolean;
};

export type SyncClient = {
  db: RxDatabase;
  states: Map<string, RxReplicationState<SyncDoc, SyncCheckpoint>>;
  awaitInSync(): Promise<void>;
  setOnline(online: boolean): void;
  errors: string[];
  close(): Promise<void>;
};

// The schemas carry versions above 0, so a client needs their migration strategies and this plugin.
addRxPlugin(RxDBMigrationSchemaPlugin);

export async function createSyncClient(o: ClientOptions): Promise<SyncClient> {
  const names = o.collections ?? ['students', 'syncIssues'];
  const db = await createRxDatabase({ name: o.name, storage: getRxStorageMemory(), multiInstance: false });
  let online = true;
  const errors: string[] = [];
  const issuesQueue: SyncIssueDoc[] = [];
  const creators: Record<string, RxCollectionCreator> = {};
  for (const n of names) {
    creators[n] = {
      schema: COLLECTIONS[n].schema as unknown as RxJsonSchema<SyncDoc>,
      migrationStrategies: COLLECTIONS[n].migrationStrategies,
      ...(n === 'students' || n === 'changeRequests'
        ? {
            conflictHandler: createConflictHandler<SyncDoc>({
              collection: n,
              ...(n === 'changeRequests' ? { merge: mergeChangeRequest } : {}),
              currentUser: () => o.userId,
              now: () => new Date().toISOString(),
              onIssues: async (issues) => {
                // Filed into the local inbox; it replicates to the server like any record.
                const inbox = db.collections.syncIssues as RxCollection<SyncIssueDoc> | undefined;
                if (inbox) await inbox.bulkUpsert(issues);
                else issuesQueue.push(...issues);
              },
            }),
          }
        : {}),
    };
  }
  await db.addCollections(creators);

  const http = async (path: string, init: RequestInit = {}) => {
    if (!online) throw new Error('offline (simulated)');
    const res = await fetch(`${o.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json', ...init.headers },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  const fetchPage = async (n: string, checkpoint: SyncCheckpoint | undefined | null, limit: number) => {
    const q = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    return (await http(`/api/sync/${n}/pull?${q}`)) as PullResponse;
  };
  const prefetch = new Map<string, { key: string; page: Promise<PullResponse> }>();

  const streams = new Map<string, Subject<'RESYNC'>>();
  let source: EventSource | undefined;
  const openStream = () => {
    // Every connection (and every reconnection the eventsource package makes by itself) first gets a
    // one-use ticket with the bearer token: no token in any URL (docs/sync-api.md "Live stream").
    source = new EventSource(`${o.url}/api/sync/stream`, {
      fetch: async (_input, init) => {
        const { ticket } = (await http('/api/sync/stream-ticket', { method: 'POST', body: '{}' })) as {
          ticket: string;
        };
        return fetch(`${o.url}/api/sync/stream?ticket=${encodeURIComponent(ticket)}`, init);
      },
    });
    source.onmessage = (event) => {
      const data = JSON.parse(event.data) as 'RESYNC' | { collection: string };
      for (const [name, s] of streams) if (data === 'RESYNC' || data.collection === name) s.next('RESYNC');
    };
  };

  const states = new Map<string, RxReplicationState<SyncDoc, SyncCheckpoint>>();
  for (const n of names) {
    const stream$ = new Subject<'RESYNC'>();
    streams.set(n, stream$);
    const state = replicateRxCollection<SyncDoc, SyncCheckpoint>({
      collection: db.collections[n] as RxCollection<SyncDoc>,
      replicationIdentifier: `xueji-${n}-${o.url}`,
      live: o.live ?? true,
      retryTime: 300,
      waitForLeadership: false,
      pull: {
        batchSize: o.batchSize ?? 500,
        stream$: stream$.asObservable(),
        async handler(checkpoint, batchSize) {
          // While catching up (full pages), the next page is fetched while RxDB stores this one. A page
          // from checkpoint n stays correct however late it is used: later writes get larger sequences.
          const key = JSON.stringify(checkpoint ?? null);
          const pending = prefetch.get(n);
          prefetch.delete(n);
          const body = await (pending?.key === key ? pending.page : fetchPage(n, checkpoint, batchSize));
          if (body.documents.length === batchSize && body.checkpoint) {
            const page = fetchPage(n, body.checkpoint, batchSize);
            page.catch(() => {});
            prefetch.set(n, { key: JSON.stringify(body.checkpoint), page });
          }
          return {
            documents: body.documents as never[],
            checkpoint: (body.checkpoint ?? checkpoint) as SyncCheckpoint,
          };
        },
      },
      push: {
        batchSize: 100,
        async handler(rows) {
          return (await http(`/api/sync/${n}/push`, {
            method: 'POST',
            body: JSON.stringify(rows),
          })) as never[];
        },
      },
    });
    state.error$.subscribe((e) => errors.push(String(e?.message ?? e)));
    states.set(n, state);
  }
  if (o.live ?? true) openStream();

  return {
    db,
    states,
    errors,
    async awaitInSync() {
      for (const s of states.values()) await s.awaitInSync();
    },
    setOnline(value) {
      online = value;
      if (!value) source?.close();
      else {
        openStream();
        for (const s of states.values()) s.reSync();
      }
    },
    async close() {
      source?.close();
      for (const s of states.values()) await s.cancel();
      await db.close();
    },
  };
}
