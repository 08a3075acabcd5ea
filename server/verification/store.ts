// The server's reads and bulk writes for routine verification: whole schools of students and records in
// a few statements (a province task calls 20,000 students of a school at once), settings per school
// from the org tree, and the records' sequence numbers, history and live notices like every other write.
import type { RowScope } from '../../shared/authority/relation';
import { makeCalendar, type WorkCalendar } from '../../shared/calendar/calendar';
import type { OrgDoc, TermDates } from '../../shared/domain/schemas';
import { effectiveSettings, orgChain, type RuleSettings, ruleSettingsOf } from '../../shared/rules/settings';
import type { SyncDoc } from '../../shared/sync/protocol';
import type { StudentState } from '../../shared/verification/consequences';
import type {
  AppealDoc,
  LeaveDoc,
  VerificationRecordDoc,
  VerificationTaskDoc,
} from '../../shared/verification/schemas';
import type { Sql } from '../store/db';
import { keysOf, ownerPath } from '../sync/scope';
import { addNotice, type Notices } from '../sync/store';

export type StudentRow = StudentState & { scope: RowScope };

const STUDENT_FIELDS = `id, school_id, scope, data->>'orgPath' as org_path, data->>'name' as name,
  data->>'status' as status, data->>'studyForm' as study_form, data->>'grade' as grade,
  data->>'classId' as class_id, data->'aid' as aid`;

type RawStudent = {
  id: string;
  school_id: string;
  scope: RowScope;
  org_path: string;
  name: string;
  status: string;
  study_form: string | null;
  grade: string;
  class_id: string;
  aid: StudentState['aid'] | null;
};

const toStudent = (r: RawStudent): StudentRow => ({
  id: r.id,
  schoolId: r.school_id,
  orgPath: r.org_path,
  name: r.name,
  status: r.status as StudentState['status'],
  ...(r.study_form ? { studyForm: r.study_form } : {}),
  grade: r.grade,
  classId: r.class_id,
  ...(r.aid ? { aid: r.aid } : {}),
  scope: r.scope,
});

/** The students of some schools (what a roll needs, not the whole record). */
export async function schoolStudents(tx: Sql, schoolIds: readonly string[]): Promise<StudentRow[]> {
  const rows = await tx.query<RawStudent>(
    `select ${STUDENT_FIELDS} from docs
      where collection = 'students' and not deleted and school_id = any($1::text[]) and scope is not null`,
    [schoolIds],
  );
  return rows.map(toStudent);
}

export async function studentsById(tx: Sql, ids: readonly string[]): Promise<StudentRow[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<RawStudent>(
    `select ${STUDENT_FIELDS} from docs
      where collection = 'students' and not deleted and id = any($1::text[]) and scope is not null`,
    [ids],
  );
  return rows.map(toStudent);
}

export async function docsById<T>(tx: Sql, collection: string, ids: readonly string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<{ data: T }>(
    `select data from docs where collection = $1 and not deleted and id = any($2::text[])`,
    [collection, ids],
  );
  return rows.map((r) => r.data);
}

/** Leaves and appeals of some students (indexed by docs_student_ref). */
export async function studentDocs<T>(
  tx: Sql,
  collection: string,
  studentIds: readonly string[],
): Promise<T[]> {
  if (studentIds.length === 0) return [];
  const rows = await tx.query<{ data: T }>(
    `select data from docs where collection = $1 and not deleted and data->>'studentId' = any($2::text[])`,
    [collection, studentIds],
  );
  return rows.map((r) => r.data);
}

export const leavesOf = (tx: Sql, ids: readonly string[]) => studentDocs<LeaveDoc>(tx, 'leaves', ids);
export const appealsOf = (tx: Sql, ids: readonly string[]) => studentDocs<AppealDoc>(tx, 'appeals', ids);

export async function recordsOfStudents(tx: Sql, ids: readonly string[]): Promise<VerificationRecordDoc[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<{ data: VerificationRecordDoc }>(
    `select data from docs where collection = 'verifications' and not deleted
        and data->>'kind' = 'record' and data->>'studentId' = any($1::text[])`,
    [ids],
  );
  return rows.map((r) => r.data);
}

export async function tasksById(tx: Sql, ids: readonly string[]): Promise<Map<string, VerificationTaskDoc>> {
  const tasks = await docsById<VerificationTaskDoc>(tx, 'verifications', [...new Set(ids)]);
  return new Map(tasks.filter((t) => t.kind === 'task').map((t) => [t.id, t]));
}

/** The rule settings, the working-day calendar and the term in force at a school (its org chain). */
export type SchoolSettings = {
  rules: RuleSettings;
  calendar: WorkCalendar;
  term: TermDates | null;
  org: OrgDoc;
};

export async function settingsOf(
  tx: Sql,
  schoolIds: readonly string[],
): Promise<Map<string, SchoolSettings>> {
  const out = new Map<string, SchoolSettings>();
  if (schoolIds.length === 0) return out;
  const schools = await tx.query<{ data: OrgDoc; org_path: string }>(
    `select data, org_path from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
    [[...new Set(schoolIds)]],
  );
  const ancestorIds = new Set<string>();
  for (const s of schools) for (const id of s.org_path.split('/').filter(Boolean)) ancestorIds.add(id);
  const orgs = (
    await tx.query<{ data: OrgDoc; org_path: string }>(
      `select data, org_path from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
      [[...ancestorIds]],
    )
  ).map((r) => ({ ...r.data, path: r.org_path }));
  for (const s of schools) {
    const e = effectiveSettings(orgChain(orgs, s.data.id));
    out.set(s.data.id, {
      rules: ruleSettingsOf(e),
      calendar: makeCalendar({ overrides: e.calendar }),
      term: e.term.value,
      org: { ...s.data, path: s.org_path },
    });
  }
  return out;
}

/** Org documents by id with the server's paths. */
export async function orgsById(tx: Sql, ids: readonly string[]): Promise<Map<string, OrgDoc>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ data: OrgDoc; org_path: string }>(
    `select data, org_path from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.data.id, { ...r.data, path: r.org_path }]));
}

/**
 * Writes many documents of one collection in one statement per chunk (insert or replace), each with the
 * next sequence number and its history row, and collects the live notices. Call it under the write lock.
 */
export async function bulkWrite(
  tx: Sql,
  collection: string,
  rows: readonly { doc: SyncDoc; scope: RowScope }[],
  by: string,
  notices: Notices,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).map((r) => {
      addNotice(notices, collection, r.scope);
      const { _deleted, ...doc } = r.doc;
      return { d: doc, p: ownerPath(r.scope), s: JSON.stringify(r.scope), keys: keysOf(r.scope) };
    });
    await tx.query(
      `with input as (
         select x.value as v, x.ordinality as n from jsonb_array_elements($2::jsonb) with ordinality as x
       ), numbered as (
         select v, nextval('doc_seq') as seq from (select * from input order by n) ordered
       ), up as (
         insert into docs as t (collection, id, seq, school_id, org_path, class_id, deleted, data, written_by, scope, scope_keys)
         select $1, v->'d'->>'id', seq, v->'d'->>'schoolId', v->>'p', null, false, v->'d', $3, (v->>'s')::jsonb,
                array(select jsonb_array_elements_text(v->'keys'))
           from numbered
         on conflict (collection, id) do update set seq = excluded.seq, school_id = excluded.school_id,
           org_path = excluded.org_path, deleted = false, data = excluded.data, written_by = excluded.written_by,
           written_at = now(), scope = excluded.scope, scope_keys = excluded.scope_keys
         returning seq, id, data
       )
       insert into doc_history (seq, collection, id, data, written_by, device_id)
       select seq, $1, id, data, $3, 'server' from up`,
      [collection, JSON.stringify(chunk), by],
    );
  }
}
