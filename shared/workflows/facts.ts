// The facts of a request from the records a copy (or the server) holds: the settings in force for the
// request's school (term dates, limits, the key-field set) and the working-day calendar with the
// province's corrections — the same computation in the app and on the server.
import { makeCalendar } from '../calendar/calendar';
import { chinaDate } from '../calendar/china';
import type { OrgDoc } from '../domain/schemas';
import type { Student } from '../domain/student';
import { effectiveSettings, orgChain, ruleSettingsOf } from '../rules/settings';
import type { ServerFacts, WorkflowFacts } from './checks';
import type { ChangeRequestDoc, WorkflowRefusal } from './types';

export type FactsInput = {
  schoolId: string;
  orgs: readonly OrgDoc[];
  students: readonly Student[];
  requests: readonly ChangeRequestDoc[];
  /** ISO time now (the server's clock, or the app's) */
  now: string;
  idNoTaken?: WorkflowRefusal;
  server?: ServerFacts;
};

export function buildFacts(input: FactsInput): WorkflowFacts {
  const eff = effectiveSettings(orgChain(input.orgs, input.schoolId));
  return {
    today: chinaDate(input.now),
    now: input.now,
    orgs: input.orgs,
    students: input.students,
    requests: input.requests,
    calendar: makeCalendar({ overrides: eff.calendar }),
    settings: ruleSettingsOf(eff),
    term: eff.term.value,
    keyFields: eff.keyFields.value,
    ...(input.idNoTaken ? { idNoTaken: input.idNoTaken } : {}),
    ...(input.server ? { server: input.server } : {}),
  };
}
