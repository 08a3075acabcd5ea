// The desk session: which org this installation serves (a school, a bureau, the province), who works at
// it (the role from the login it was adopted for, else the local registrar) and its desk. Every screen
// gets it with useDesk(); the school screens also get their school with useSchool() (school-context.tsx)
// — on a school desk for its own school, on an area desk for the school being looked at.
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import type { AuthUser } from '../../../shared/authority/relation';
import { type InstallationSettings, isAreaSettings } from '../../../shared/commands/school-setup';
import type { Actor } from '../../../shared/commands/types';
import type { OrgDoc } from '../../../shared/domain/schemas';
import type { XuejiDatabase } from '../db/database';
import { useSyncAccount } from '../sync/use-sync';
import { type Desk, deskOf, isSchoolDesk } from './desk';

export type DeskSession = {
  db: XuejiDatabase;
  installation: InstallationSettings;
  /** the org this installation serves */
  org: OrgDoc;
  actor: Actor;
};

const DeskContext = createContext<DeskSession | null>(null);

export function DeskProvider({ value, children }: { value: DeskSession; children: ReactNode }) {
  return <DeskContext.Provider value={value}>{children}</DeskContext.Provider>;
}

/** The session, or null before the first start (components that also appear on the setup page). */
export function useDeskOrNull(): DeskSession | null {
  return useContext(DeskContext);
}

export function useDesk(): DeskSession {
  const session = useContext(DeskContext);
  if (!session) throw new Error('useDesk() outside DeskProvider: this machine is not set up yet');
  return session;
}

/**
 * The user for the authority table: the provincial account while this machine has one, else the user
 * the installation was adopted for (offline, after 退出登录), else the local registrar of a local
 * profile or the demo school (a school admin of that school).
 */
export function authUserOf(
  session: Pick<DeskSession, 'installation' | 'org' | 'actor'>,
  account: { user: AuthUser } | null | undefined,
): AuthUser {
  if (account?.user) return account.user;
  const adopted = session.installation.user;
  if (adopted) return adopted;
  return { id: session.actor.id, role: 'schoolAdmin', orgPath: session.org.path, classIds: [] };
}

/** The acting user for the authority table (see authUserOf). */
export function useAuthUser(): AuthUser {
  const session = useDesk();
  const account = useSyncAccount(session.db);
  const { installation, org, actor } = session;
  return useMemo(
    () => authUserOf({ installation, org, actor }, account),
    [installation, org, actor, account],
  );
}

/** This installation's desk. */
export function useDeskKind(): Desk {
  const user = useAuthUser();
  const { org } = useDesk();
  return deskOf(user.role, org.kind);
}

/** An area desk holds the schools below its org (no school of its own). */
export function isAreaSession(session: Pick<DeskSession, 'installation'>): boolean {
  return isAreaSettings(session.installation);
}

export { isSchoolDesk };
