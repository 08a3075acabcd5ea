// The one local database (DESIGN.md "Local database"): RxDB 17 on Dexie/IndexedDB, collections and
// migration strategies from shared/domain/schemas.ts. Dev-mode and schema validation run only in
// development and tests: dev-mode injects an rxdb.info iframe, which a user's build must never do.
import {
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxCollectionCreator,
  type RxDatabase,
  type RxJsonSchema,
  type RxStorage,
} from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import {
  type AttachmentDoc,
  COLLECTIONS,
  type CollectionName,
  type EventDoc,
  type OrgDoc,
  type SyncIssueDoc,
} from '../../../shared/domain/schemas';
import type { Student } from '../../../shared/domain/student';
import type { InspectionRecord } from '../../../shared/inspections/records';
import type { ChangeRequestDoc } from '../../../shared/workflows/types';
import { conflictHandlerFor } from '../sync/conflict-hook';
import { LeanLocalDocumentsPlugin } from './local-doc';

/** Document type per collection; add yours here when you add a spec to COLLECTIONS. */
export type XuejiDocTypes = {
  students: Student;
  events: EventDoc;
  orgs: OrgDoc;
  syncIssues: SyncIssueDoc;
  attachments: AttachmentDoc;
  inspections: InspectionRecord;
  changeRequests: ChangeRequestDoc;
};

export type XuejiCollections = {
  [K in CollectionName]: RxCollection<
    K extends keyof XuejiDocTypes ? XuejiDocTypes[K] : Record<string, unknown>
  >;
};
export type XuejiDatabase = RxDatabase<XuejiCollections>;

export const DEFAULT_DB_NAME = 'xueji';

/** The collections of the roster and its sync (what tests with two devices in one process open). */
export const TWO_DEVICE_COLLECTIONS: readonly CollectionName[] = [
  'students',
  'events',
  'orgs',
  'syncIssues',
  'attachments',
];

export type DatabaseOptions = {
  name?: string;
  /** defaults to Dexie (IndexedDB); Node tests pass getRxStorageMemory() */
  storage?: RxStorage<unknown, unknown>;
  /** dev-mode checks + ajv validation; defaults to import.meta.env.DEV (true in `vite` and vitest) */
  devMode?: boolean;
  /**
   * Only these collections (default: all). For tests that keep several devices open in one process:
   * RxDB's open-source edition caps open collections per process at 13 (DESIGN.md pitfalls). The sync
   * engine replicates the collections the database has.
   */
  collections?: readonly CollectionName[];
  /** share change events with the app's other windows of this browser profile (default true) */
  multiInstance?: boolean;
};

addRxPlugin(RxDBLocalDocumentsPlugin);
// getLocal$ without per-document work on every write (see local-doc.ts); must come after the plugin above.
addRxPlugin(LeanLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

export async function createXuejiDatabase(options: DatabaseOptions = {}): Promise<XuejiDatabase> {
  let storage: RxStorage<unknown, unknown> = options.storage ?? getRxStorageDexie();
  // `import.meta.env.DEV` is replaced by `false` in production builds, so both plugins are dropped
  // from the bundle there.
  if (import.meta.env.DEV && (options.devMode ?? true)) {
    const [{ RxDBDevModePlugin, disableWarnings }, { wrappedValidateAjvStorage }] = await Promise.all([
      import('rxdb/plugins/dev-mode'),
      import('rxdb/plugins/validate-ajv'),
    ]);
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    storage = wrappedValidateAjvStorage({ storage });
  }
  const db = await createRxDatabase<XuejiCollections>({
    name: options.name ?? DEFAULT_DB_NAME,
    storage,
    localDocuments: true,
    multiInstance: options.multiInstance ?? true,
    eventReduce: true,
  });
  const creators: Record<string, RxCollectionCreator> = {};
  for (const [name, spec] of Object.entries(COLLECTIONS)) {
    if (options.collections && !options.collections.includes(name as CollectionName)) continue;
    creators[name] = {
      schema: spec.schema as unknown as RxJsonSchema<unknown>,
      migrationStrategies: spec.migrationStrategies,
      // Replication conflicts merge field by field or go to the conflict inbox (renderer/src/sync).
      conflictHandler: conflictHandlerFor(name, () => db.syncIssues as never),
    };
  }
  await db.addCollections(creators);
  return db;
}
