// React access to the sync state and the sync issues of a record.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SyncIssueDoc } from '../../../shared/domain/schemas';
import type { XuejiDatabase } from '../db/database';
import { ACCOUNT_ID, type SyncAccount } from './account';
import { syncService } from './service';
import type { SyncStatus } from './status';

const subscribe = (onChange: () => void) => {
  const sub = syncService.status$.subscribe(onChange);
  return () => sub.unsubscribe();
};
const snapshot = () => syncService.status$.getValue();

export function useSyncStatus(): SyncStatus {
  return useSyncExternalStore(subscribe, snapshot);
}

/** The stored account, live (undefined while loading, null when this machine never logged in). */
export function useSyncAccount(db: XuejiDatabase): SyncAccount | null | undefined {
  const [account, setAccount] = useState<SyncAccount | null | undefined>(undefined);
  useEffect(() => {
    const sub = db
      .getLocal$<SyncAccount>(ACCOUNT_ID)
      .subscribe((doc) => setAccount(doc ? (doc.toJSON().data as SyncAccount) : null));
    return () => sub.unsubscribe();
  }, [db]);
  return account;
}

/** Sync issues (conflicts and refusals), newest first; filtered by record or by open status. */
export function useSyncIssues(
  db: XuejiDatabase,
  filter: { docId?: string; openOnly?: boolean } = {},
): SyncIssueDoc[] | undefined {
  const [issues, setIssues] = useState<SyncIssueDoc[] | undefined>(undefined);
  const { docId, openOnly } = filter;
  useEffect(() => {
    const selector: Record<string, unknown> = {};
    if (docId) selector.docId = docId;
    if (openOnly) selector.status = 'open';
    const sub = db.syncIssues
      .find({ selector, sort: [{ id: 'asc' }] })
      .$.subscribe((docs) =>
        setIssues(
          docs
            .map((d) => d.toJSON() as SyncIssueDoc)
            .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)),
        ),
      );
    return () => sub.unsubscribe();
  }, [db, docId, openOnly]);
  return issues;
}

/**
 * Whether this record waits to go up (offline, or not pushed yet): re-read whenever the pending counts
 * change. False on a copy without a login (nothing ever goes up).
 */
export function useQueued(collection: string, id: string): boolean {
  useSyncStatus();
  return syncService.current?.isPending(collection, id) ?? false;
}
