// The change requests this copy holds, live (RxDB queries), and who acts here in the workflow's terms.
import { useEffect, useMemo, useState } from 'react';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import type { SyncUser } from '../../../../shared/sync/protocol';
import type { ChangeRequestDoc, WorkflowActor } from '../../../../shared/workflows';
import { useAuthUser, useDesk } from '../../app/session';
import type { XuejiDatabase } from '../../db/database';
import { useSyncAccount } from '../../sync/use-sync';

/** Every request of this copy (the server sent only those the user is a party of), newest first. */
export function useRequests(db: XuejiDatabase): ChangeRequestDoc[] | undefined {
  const [rows, setRows] = useState<ChangeRequestDoc[] | undefined>(undefined);
  useEffect(() => {
    const sub = db.changeRequests
      .find({ sort: [{ updatedAt: 'desc' }] })
      .$.subscribe((docs) => setRows(docs.map((d) => d.toMutableJSON() as ChangeRequestDoc)));
    return () => sub.unsubscribe();
  }, [db]);
  return rows;
}

export function useRequest(db: XuejiDatabase, id: string): ChangeRequestDoc | null | undefined {
  const [row, setRow] = useState<ChangeRequestDoc | null | undefined>(undefined);
  useEffect(() => {
    const sub = db.changeRequests
      .findOne(id)
      .$.subscribe((d) => setRow(d ? (d.toMutableJSON() as ChangeRequestDoc) : null));
    return () => sub.unsubscribe();
  }, [db, id]);
  return row;
}

/** The org tree this copy holds (every desk pulls it whole). */
export function useOrgs(db: XuejiDatabase): OrgDoc[] {
  const [orgs, setOrgs] = useState<OrgDoc[]>([]);
  useEffect(() => {
    const sub = db.orgs.find().$.subscribe((docs) => setOrgs(docs.map((d) => d.toMutableJSON() as OrgDoc)));
    return () => sub.unsubscribe();
  }, [db]);
  return orgs;
}

/** Who acts here, as the server sees them (the inbox's user and the workflow's actor). */
export function useWorkflowUser(): SyncUser & WorkflowActor {
  const { db, org, installation } = useDesk();
  const account = useSyncAccount(db);
  const auth = useAuthUser();
  return useMemo(() => {
    const u = account?.user;
    const name = u?.displayName || installation.operatorName;
    return {
      id: auth.id,
      username: u?.username ?? installation.user?.username ?? '',
      displayName: name,
      name,
      role: auth.role,
      orgId: u?.orgId ?? installation.user?.orgId ?? org.id,
      orgName: u?.orgName || org.name,
      orgPath: auth.orgPath,
      classIds: [...auth.classIds],
    };
  }, [account, auth, installation, org]);
}
