// The session: which school this installation serves, its settings and who acts (R-WHO). Screens get
// it with useSchool(); it exists only after the first-start setup.
import { createContext, type ReactNode, useContext } from 'react';
import type { LocalSettings } from '../../../shared/commands/school-setup';
import type { Actor } from '../../../shared/commands/types';
import type { OrgDoc } from '../../../shared/domain/schemas';
import type { XuejiDatabase } from '../db/database';

export type SchoolSession = {
  db: XuejiDatabase;
  settings: LocalSettings;
  school: OrgDoc;
  actor: Actor;
};

const SchoolContext = createContext<SchoolSession | null>(null);

export function SchoolProvider({ value, children }: { value: SchoolSession; children: ReactNode }) {
  return <SchoolContext.Provider value={value}>{children}</SchoolContext.Provider>;
}

/** The session, or null before the first-start setup (components that also appear on the setup page). */
export function useSchoolOrNull(): SchoolSession | null {
  return useContext(SchoolContext);
}

export function useSchool(): SchoolSession {
  const session = useContext(SchoolContext);
  if (!session) throw new Error('useSchool() outside SchoolProvider: the school is not set up yet');
  return session;
}
