// The rule settings in force on this machine: the effective settings of the org chain (synced org
// documents, shared/rules/settings.ts) of the school being looked at, else of this desk's org, and the
// working-day calendar with the province's and this machine's corrections. Outside a session (the setup
// page) the regulation's defaults.
import { useEffect, useMemo, useState } from 'react';
import { makeCalendar, type WorkCalendar } from '../../../../shared/calendar/calendar';
import { LOCAL_CALENDAR_ID, type LocalCalendar } from '../../../../shared/commands/calendar-local';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import { type EffectiveSettings, effectiveSettings, orgChain } from '../../../../shared/rules/settings';
import { useSchoolOrNull } from '../../app/school-context';
import { useDeskOrNull } from '../../app/session';

export type RulesState = {
  chain: OrgDoc[];
  effective: EffectiveSettings;
  local: LocalCalendar | null;
  calendar: WorkCalendar;
};

export function useRulesState(): RulesState {
  const session = useDeskOrNull();
  const school = useSchoolOrNull();
  const [orgs, setOrgs] = useState<OrgDoc[]>([]);
  const [local, setLocal] = useState<LocalCalendar | null>(null);
  useEffect(() => {
    if (!session) return;
    const a = session.db.orgs.find().$.subscribe((docs) => setOrgs(docs.map((d) => d.toJSON() as OrgDoc)));
    const b = session.db
      .getLocal$<LocalCalendar>(LOCAL_CALENDAR_ID)
      .subscribe((doc) => setLocal(doc ? (doc.toJSON().data as LocalCalendar) : null));
    return () => {
      a.unsubscribe();
      b.unsubscribe();
    };
  }, [session]);
  const schoolId = school?.school.id ?? session?.org.id;
  return useMemo(() => {
    const chain = schoolId ? orgChain(orgs, schoolId) : [];
    const effective = effectiveSettings(chain);
    const calendar = makeCalendar({ overrides: effective.calendar, local: local?.entries ?? [] });
    return { chain, effective, local, calendar };
  }, [orgs, local, schoolId]);
}
