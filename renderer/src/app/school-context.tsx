// The school a screen works on: its org document, the school settings the screens read (school type,
// operator), who acts (R-WHO). On a school desk it is the installation's own school; on an area desk
// (a bureau, the province, an inspector) it is the school being looked at, read-only (`view: 'area'`,
// school-scope.tsx). Screens get it with useSchool().
import { createContext, type ReactNode, useContext } from 'react';
import type { LocalSettings } from '../../../shared/commands/school-setup';
import type { Actor } from '../../../shared/commands/types';
import type { OrgDoc } from '../../../shared/domain/schemas';
import type { XuejiDatabase } from '../db/database';
import type { RosterScope } from '../features/roster/roster-store';

export type SchoolSession = {
  db: XuejiDatabase;
  settings: LocalSettings;
  school: OrgDoc;
  actor: Actor;
  /** 'own': the installation's school; 'area': one school of an area desk, looked at from above */
  view: 'own' | 'area';
  /** on an area desk: which students are the school's (the roster reads only those) */
  roster?: RosterScope;
};

const SchoolContext = createContext<SchoolSession | null>(null);

export function SchoolProvider({ value, children }: { value: SchoolSession; children: ReactNode }) {
  return <SchoolContext.Provider value={value}>{children}</SchoolContext.Provider>;
}

/** The school, or null outside one (the setup page, an area desk's own screens). */
export function useSchoolOrNull(): SchoolSession | null {
  return useContext(SchoolContext);
}

export function useSchool(): SchoolSession {
  const session = useContext(SchoolContext);
  if (!session) throw new Error('useSchool() outside SchoolProvider: no school on this screen');
  return session;
}

/** The settings a school screen reads for a school looked at from an area desk (read-only). */
export function areaSchoolSettings(school: OrgDoc, operatorName: string): LocalSettings {
  return { schoolId: school.id, schoolType: school.schoolType ?? 'k12', operatorName, demo: false };
}
