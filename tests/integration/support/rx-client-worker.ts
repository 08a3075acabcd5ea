// One simulated device per worker thread (RxDB's open-source edition caps open collections per
// process, DESIGN.md pitfalls). Requests arrive as { id, op, args } and are answered { id, result | error }.
import { parentPort, workerData } from 'node:worker_threads';
import type { RxCollection } from 'rxdb';
import type { SyncDoc } from '../../../shared/sync/protocol';
import { type ClientOptions, createSyncClient } from './rx-client';

const client = await createSyncClient(workerData as ClientOptions);
const students = client.db.collections.students as RxCollection<SyncDoc>;
const issues = client.db.collections.syncIssues as RxCollection<SyncDoc>;

const ops: Record<string, (...args: never[]) => Promise<unknown>> = {
  awaitInSync: () => client.awaitInSync(),
  count: async () => ({ students: await students.count().exec(), syncIssues: await issues.count().exec() }),
  get: async (id: string) => (await students.findOne(id).exec())?.toJSON() ?? null,
  schoolCounts: async () => {
    const counts: Record<string, number> = {};
    for (const d of await students.find().exec())
      counts[String(d.get('schoolId'))] = (counts[String(d.get('schoolId'))] ?? 0) + 1;
    return counts;
  },
  patch: async (id: string, patch: Record<string, unknown>) => {
    const doc = await students.findOne(id).exec();
    if (!doc) throw new Error(`no student ${id}`);
    await doc.incrementalPatch({
      ...patch,
      updatedAt: new Date().toISOString(),
      updatedBy: (workerData as ClientOptions).userId,
    });
  },
  issues: async () => (await issues.find().exec()).map((d) => d.toJSON()),
  // any collection the client replicates (change requests, events, orgs)
  put: async (collection: string, doc: SyncDoc) => {
    await (client.db.collections[collection] as RxCollection<SyncDoc>).upsert(doc);
  },
  doc: async (collection: string, id: string) =>
    (await (client.db.collections[collection] as RxCollection<SyncDoc>).findOne(id).exec())?.toJSON() ?? null,
  all: async (collection: string) =>
    (await (client.db.collections[collection] as RxCollection<SyncDoc>).find().exec()).map((d) => d.toJSON()),
  setOnline: async (online: boolean) => client.setOnline(online),
  errors: async () => client.errors,
  close: () => client.close(),
};

parentPort?.on('message', async (msg: { id: number; op: string; args: never[] }) => {
  try {
    const fn = ops[msg.op];
    if (!fn) throw new Error(`unknown op ${msg.op}`);
    parentPort?.postMessage({ id: msg.id, result: await fn(...msg.args) });
  } catch (error) {
    parentPort?.postMessage({ id: msg.id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort?.postMessage({ ready: true });
