// Facts for the rules from the records the app and the server hold (org documents, students), so that
// callers need not build them by hand.
import type { OrgDoc } from '../domain/schemas';
import type { Student } from '../domain/student';
import type { SchoolFacts, StudentFacts } from './types';

/** A school's attributes, with its city and county found on its path through the org tree. */
export function schoolFactsFromOrgs(school: OrgDoc, orgs: readonly OrgDoc[]): SchoolFacts {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const ancestors = school.path
    .split('/')
    .filter(Boolean)
    .map((id) => byId.get(id))
    .filter((o): o is OrgDoc => o !== undefined);
  const city = ancestors.find((o) => o.kind === 'city');
  const county = ancestors.find((o) => o.kind === 'county');
  const facts: SchoolFacts = { id: school.id, name: school.name };
  if (school.level) facts.level = school.level;
  else if (school.schoolType === 'vocational') facts.level = 'vocational';
  if (school.ownership) facts.ownership = school.ownership;
  if (school.provincialModel !== undefined) facts.provincialModel = school.provincialModel;
  if (school.enrolmentZone) facts.enrolmentZone = school.enrolmentZone;
  if (school.schoolingYears) facts.years = school.schoolingYears;
  if (city) facts.cityId = city.id;
  if (county) facts.countyId = county.id;
  return facts;
}

/** A student record as the rules see it (study form code 2 = 非全日制). */
export function studentFacts(s: Student, extra: Partial<StudentFacts> = {}): StudentFacts {
  const facts: StudentFacts = { schoolId: s.schoolId, name: s.name, status: s.status };
  if (s.studyForm === '1') facts.studyForm = 'fullTime';
  if (s.studyForm === '2') facts.studyForm = 'partTime';
  return { ...facts, ...extra };
}
