// The conflict handler every replicated collection is created with (DESIGN.md "Sync": disjoint field
// edits merge; same-field and status/workflow edits go to the conflict inbox). The merge itself is
// shared/sync/conflicts.ts; this file only stores its inbox issues in the local syncIssues collection,
// from where they replicate to the server and to the school's other devices.
import type { RxConflictHandler } from 'rxdb';
import type { SyncIssueDoc } from '../../../shared/domain/schemas';
import { createConflictHandler } from '../../../shared/sync/conflicts';
import type { SyncDoc } from '../../../shared/sync/protocol';
import { mergeChangeRequest } from '../../../shared/workflows/merge';

type IssueSink = { bulkInsert(docs: SyncIssueDoc[]): Promise<{ error: { status: number }[] }> };

let actorId = 'local';
let deviceId: string | undefined;
let keyFields: readonly string[] | undefined;

/** Who detects conflicts on this machine (R-WHO), on which device, and the school's key-field setting. */
export function setConflictContext(ctx: {
  actorId: string;
  deviceId?: string;
  keyFields?: readonly string[];
}): void {
  actorId = ctx.actorId;
  deviceId = ctx.deviceId;
  keyFields = ctx.keyFields;
}

export function conflictHandlerFor(
  collection: string,
  issues: () => IssueSink | undefined,
): RxConflictHandler<unknown> {
  const handler = createConflictHandler<SyncDoc>({
    collection,
    // A request's decisions are added to the server's state, never merged field by field (shared/workflows).
    ...(collection === 'changeRequests' ? { merge: mergeChangeRequest } : {}),
    currentUser: () => actorId,
    currentDevice: () => deviceId,
    now: () => new Date().toISOString(),
    get keyFields() {
      return keyFields;
    },
    async onIssues(found) {
      const sink = issues();
      if (!sink) return;
      // The issue id derives from the record, field and both values: the same conflict seen twice (a
      // retried push) is one inbox entry, and a resolved one is not reopened (409 = already there).
      const { error } = await sink.bulkInsert(found);
      const failed = error.filter((e) => e.status !== 409);
      if (failed.length > 0) throw new Error(`冲突记录未能保存（${failed.length} 条）`);
    },
  });
  return handler as unknown as RxConflictHandler<unknown>;
}
