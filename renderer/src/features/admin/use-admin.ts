// What the administration screens need from the session: the local database (the org tree and a school's
// classes replicate into it), the signed-in provincial account (the acting user for the authority table)
// and the administration API through the running sync engine. Administration is done online: without an
// account or a connection the screens say so instead of offering what would fail.
import { useEffect, useState } from 'react';
import { compareClasses } from '../../../../shared/domain/grades';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import type { SyncUser } from '../../../../shared/sync/protocol';
import { useDesk } from '../../app/session';
import type { XuejiDatabase } from '../../db/database';
import type { SyncAccount } from '../../sync/account';
import type { ServerClient } from '../../sync/http';
import { syncService } from '../../sync/service';
import { useSyncAccount, useSyncStatus } from '../../sync/use-sync';
import { AdminApi } from './api';

export type AdminSession = {
  db: XuejiDatabase;
  /** the signed-in account, or null (a local profile, or after 退出登录) */
  account: SyncAccount | null;
  user: SyncUser | null;
  /** the administration API, or null while no sync engine runs for the account */
  api: AdminApi | null;
  online: boolean;
};

const apis = new WeakMap<ServerClient, AdminApi>();
/** One AdminApi per engine client (a new engine after a login gets its own). */
function apiOf(client: ServerClient): AdminApi {
  let api = apis.get(client);
  if (!api) {
    api = new AdminApi(client);
    apis.set(client, api);
  }
  return api;
}

export function useAdminSession(): AdminSession {
  const { db } = useDesk();
  const account = useSyncAccount(db) ?? null;
  const status = useSyncStatus();
  const client = syncService.current?.api;
  const api = client ? apiOf(client) : null;
  return { db, account, user: account?.user ?? null, api: account ? api : null, online: status.online };
}

/** The orgs this copy holds (the user's own, those above it and, for a bureau or the province, those below), live. */
export function useOrgs(db: XuejiDatabase): OrgDoc[] | undefined {
  const [orgs, setOrgs] = useState<OrgDoc[] | undefined>(undefined);
  useEffect(() => {
    const sub = db.orgs.find().$.subscribe((docs) => setOrgs(docs.map((d) => d.toJSON() as OrgDoc)));
    return () => sub.unsubscribe();
  }, [db]);
  return orgs;
}

/** The classes of the school's roster in this copy (a counselor's classes are chosen from them). */
export function useRosterClasses(db: XuejiDatabase, schoolId: string | undefined): string[] {
  const [classes, setClasses] = useState<string[]>([]);
  useEffect(() => {
    if (!schoolId) {
      setClasses([]);
      return;
    }
    const sub = db.students.find({ selector: { schoolId } }).$.subscribe((docs) => {
      const set = new Set<string>();
      for (const d of docs) if (typeof d.classId === 'string' && d.classId) set.add(d.classId);
      setClasses([...set].sort(compareClasses));
    });
    return () => sub.unsubscribe();
  }, [db, schoolId]);
  return classes;
}
