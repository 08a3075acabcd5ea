// What the roster shows: filters, sort order and the filter choices, as pure functions of the students.
import type { StudentStatus } from '../domain/codes';
import { classSortKey, compareClasses, compareGrades, gradeSortKey } from '../domain/grades';
import type { Student } from '../domain/student';

export type RosterFilters = {
  grade?: string;
  classId?: string;
  major?: string;
  status?: StudentStatus;
  studyForm?: string;
};

export type RosterSortKey =
  | 'default'
  | 'name'
  | 'gender'
  | 'birthDate'
  | 'idNo'
  | 'statusNo'
  | 'schoolNo'
  | 'classId';
export type RosterSort = { key: RosterSortKey; dir: 'asc' | 'desc' };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sort keys as plain strings, so 20,000 rows sort without localeCompare (names sort by pinyin; grades
 * by their number, classes naturally: shared/domain/grades).
 */
const sortValue: Record<RosterSortKey, (s: Student) => string> = {
  default: (s) =>
    `${gradeSortKey(s.grade)}\u0002${classSortKey(s.classId)}\u0002${s.schoolNo ?? ''}\u0002${s.idNo}`,
  name: (s) => `${(s.namePinyin ?? '').toLowerCase()}\u0001${s.name}`,
  gender: (s) => s.gender,
  birthDate: (s) => s.birthDate,
  idNo: (s) => s.idNo,
  statusNo: (s) => s.statusNo ?? '',
  schoolNo: (s) => s.schoolNo ?? '',
  classId: (s) => `${gradeSortKey(s.grade)}\u0002${classSortKey(s.classId)}\u0002${s.schoolNo ?? ''}`,
};

export function sortRoster(students: Iterable<Student>, sort: RosterSort): Student[] {
  const key = sortValue[sort.key];
  const keyed = Array.from(students, (s) => ({ k: key(s), s }));
  const sign = sort.dir === 'asc' ? 1 : -1;
  keyed.sort((a, b) => sign * cmp(a.k, b.k) || cmp(a.s.id, b.s.id));
  return keyed.map((x) => x.s);
}

/** Keeps the order of `sorted`; `matches` is the search hits (null = no search). */
export function filterRoster(
  sorted: readonly Student[],
  matches: { has(id: string): boolean } | null,
  f: RosterFilters,
): Student[] {
  return sorted.filter(
    (s) =>
      (!matches || matches.has(s.id)) &&
      (!f.grade || s.grade === f.grade) &&
      (!f.classId || s.classId === f.classId) &&
      (!f.major || s.major === f.major) &&
      (!f.status || s.status === f.status) &&
      (!f.studyForm || s.studyForm === f.studyForm),
  );
}

export type RosterFacets = {
  grades: string[];
  classesByGrade: Map<string, string[]>;
  majorOfClass: Map<string, string>;
  majors: string[];
  statuses: StudentStatus[];
  studyForms: string[];
};

/** The values present in the roster, for the filter drop-downs. */
export function rosterFacets(students: Iterable<Student>): RosterFacets {
  const classes = new Map<string, Set<string>>();
  const majors = new Set<string>();
  const statuses = new Set<StudentStatus>();
  const forms = new Set<string>();
  const majorOfClass = new Map<string, string>();
  for (const s of students) {
    if (s.major) majorOfClass.set(s.classId, s.major);
    const set = classes.get(s.grade) ?? new Set<string>();
    classes.set(s.grade, set.add(s.classId));
    if (s.major) majors.add(s.major);
    statuses.add(s.status);
    if (s.studyForm) forms.add(s.studyForm);
  }
  const sorted = <T extends string>(it: Iterable<T>) => [...it].sort(cmp);
  const grades = [...classes.keys()].sort(compareGrades);
  return {
    grades,
    // in grade order, so the classes of every grade read in the order of the grades
    classesByGrade: new Map(grades.map((g) => [g, [...(classes.get(g) ?? [])].sort(compareClasses)])),
    majorOfClass,
    majors: sorted(majors),
    statuses: sorted(statuses),
    studyForms: sorted(forms),
  };
}
