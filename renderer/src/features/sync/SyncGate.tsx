// Starts replication for the stored account once the app is open (the local lock, features/lock, has let
// the person in). Sync keeps running while the window is locked again: the roster stays current.
import { Spin } from 'antd';
import { type ReactNode, useEffect } from 'react';
import type { XuejiDatabase } from '../../db/database';
import { syncService } from '../../sync/service';
import { useSyncAccount } from '../../sync/use-sync';

export function SyncGate({ db, children }: { db: XuejiDatabase; children: ReactNode }) {
  const account = useSyncAccount(db);
  useEffect(() => {
    if (account) void syncService.ensureStarted(db, account);
  }, [db, account]);
  if (account === undefined) return <Spin fullscreen />;
  return <>{children}</>;
}
