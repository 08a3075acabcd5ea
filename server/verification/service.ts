// Routine verification on the server (HN 三.4, 三.5, 四): a published task gets its roll (who it calls,
// R-PART-TIME, R-LEAVE-EXEMPT), check-ins change the roll, the results writer carries the roll into the
// students' term records (the synced documents), a closed window turns what is left into misses, and
// the consequences are evaluated with the shared rules after every relevant change. Every function here
// runs inside a transaction holding the write lock (sequence order = commit order, store.ts).
import { randomUUID } from 'node:crypto';
import type { RowScope } from '../../shared/authority/relation';
import { chinaDate } from '../../shared/calendar/china';
import type { EventDoc } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import { evaluateStudent, recordId } from '../../shared/verification/consequences';
import { initialState, rollExclusion, taskDays } from '../../shared/verification/roll';
import type {
  AppealDoc,
  LeaveDoc,
  ResultState,
  TaskResult,
  VerificationRecordDoc,
  VerificationTaskDoc,
} from '../../shared/verification/schemas';
import { termFor } from '../../shared/verification/time';
import type { Db, Sql } from '../store/db';
import { REGISTRY } from '../sync/registry';
import { addNotice, type Notices, sendNotices, WRITE_LOCK, writeDoc } from '../sync/store';
import {
  appealsOf,
  bulkWrite,
  docsById,
  leavesOf,
  recordsOfStudents,
  type SchoolSettings,
  type StudentRow,
  schoolStudents,
  settingsOf,
  studentsById,
  tasksById,
} from './store';

export const SERVER_ACTOR: Pick<SyncUser, 'id' | 'displayName'> = { id: 'server', displayName: '省级平台' };

/** Who writes (R-WHO): the user whose request caused it, or the server's own jobs. */
export type Writer = { user: SyncUser; deviceId: string };

const serverUser: SyncUser = {
  id: 'server',
  username: 'server',
  displayName: '省级平台',
  role: 'province',
  orgId: '',
  orgName: '',
  orgPath: '/',
  classIds: [],
};
export const SERVER_WRITER: Writer = { user: serverUser, deviceId: 'server' };

/** Writes one history event with the scope of the record it belongs to. */
export async function writeEvent(
  tx: Sql,
  w: Writer,
  e: Omit<EventDoc, 'id' | 'by' | 'byName'> & { by?: string; byName?: string },
  scope: RowScope,
  notices: Notices,
): Promise<void> {
  const events = REGISTRY.get('events');
  if (!events) throw new Error('no events collection');
  const doc: EventDoc = {
    id: `ev-${randomUUID()}`,
    by: e.by ?? w.user.id,
    byName: (e.byName ?? w.user.displayName).slice(0, 50),
    ...e,
  };
  await writeDoc(tx, events, doc as unknown as SyncDoc, scope, w, false);
  addNotice(notices, 'events', scope);
}

function rollResult(r: RollRow): TaskResult {
  const at = r.passed_at ?? r.last_at;
  return {
    s: r.state as ResultState,
    ...(at ? { at: new Date(at).toISOString() } : {}),
    ...(r.attempts > 0 ? { n: r.attempts } : {}),
    ...(r.last_code && r.state !== 'passed' ? { code: r.last_code } : {}),
    ...(r.last_distance !== null && r.last_distance !== undefined ? { d: r.last_distance } : {}),
  };
}

type RollRow = {
  task_id: string;
  student_id: string;
  school_id: string;
  term_key: string;
  state: string;
  attempts: number;
  passed_at: Date | string | null;
  last_at: Date | string | null;
  last_code: string | null;
  last_distance: number | null;
  version: number;
};

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A new empty term record of a student. */
function emptyRecord(s: StudentRow, term: ReturnType<typeof termFor>, at: string): VerificationRecordDoc {
  return {
    id: recordId(s.id, term.key),
    kind: 'record',
    schoolId: s.schoolId,
    orgPath: s.orgPath,
    classId: s.classId,
    grade: s.grade,
    studentId: s.id,
    studentName: s.name,
    termKey: term.key,
    term: { start: term.start, end: term.end, ...(term.name ? { name: term.name } : {}) },
    results: {},
    updatedAt: at,
    updatedBy: 'server',
  };
}

/**
 * A task was published: its server copy, its roll (students in scope now, R-PART-TIME; on approved leave
 * during the window, R-LEAVE-EXEMPT) and a result "pending"/"exempt" on every called student's record.
 */
export async function publishTask(
  tx: Sql,
  task: VerificationTaskDoc,
  now: Date,
  notices: Notices,
): Promise<{ called: number; exempt: number }> {
  const schools = task.scope.schoolIds;
  const settings = await settingsOf(tx, schools);
  const students = (await schoolStudents(tx, schools)).filter((s) => rollExclusion(task, s) === null);
  const leaves = await tx.query<{ data: LeaveDoc }>(
    `select data from docs where collection = 'leaves' and not deleted and school_id = any($1::text[])
        and data->>'status' = 'approved' and data->>'kind' = 'leave'`,
    [schools],
  );
  const leavesByStudent = new Map<string, LeaveDoc[]>();
  for (const { data } of leaves) {
    const list = leavesByStudent.get(data.studentId) ?? [];
    list.push(data);
    leavesByStudent.set(data.studentId, list);
  }
  const lastDay = taskDays(task).end;
  const at = now.toISOString();
  const rows = students.map((s) => {
    const term = termFor(lastDay, settings.get(s.schoolId)?.term ?? null);
    return { s, term, state: initialState(task, leavesByStudent.get(s.id) ?? []) };
  });
  await tx.query(
    `insert into verification_tasks (task_id, issuer_org, school_ids, start_at, end_at, fences, cancelled, rolled_at)
     values ($1, $2, $3::text[], $4, $5, $6::jsonb, $7, $8) on conflict (task_id) do nothing`,
    [task.id, task.schoolId, schools, task.start, task.end, JSON.stringify(task.fences), false, at],
  );
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    await tx.query(
      `insert into verification_roll (task_id, student_id, school_id, term_key, state, changed)
       select $1, s, sc, t, st, false from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as u(s, sc, t, st)
       on conflict (task_id, student_id) do nothing`,
      [
        task.id,
        part.map((r) => r.s.id),
        part.map((r) => r.s.schoolId),
        part.map((r) => r.term.key),
        part.map((r) => r.state),
      ],
    );
  }
  const existing = new Map(
    (
      await docsById<VerificationRecordDoc>(
        tx,
        'verifications',
        rows.map((r) => recordId(r.s.id, r.term.key)),
      )
    ).map((r) => [r.id, r]),
  );
  const writes = rows.map(({ s, term, state }) => {
    const id = recordId(s.id, term.key);
    const base = existing.get(id) ?? emptyRecord(s, term, at);
    const doc: VerificationRecordDoc = {
      ...base,
      classId: s.classId,
      grade: s.grade,
      studentName: s.name,
      results: { ...base.results, [task.id]: { s: state } },
      updatedAt: at,
      updatedBy: 'server',
    };
    return { doc: doc as unknown as SyncDoc, scope: s.scope };
  });
  await bulkWrite(tx, 'verifications', writes, 'server', notices);
  return { called: rows.length, exempt: rows.filter((r) => r.state === 'exempt').length };
}

/** The issuer cancelled a task: check-ins are refused from now on; its results no longer count. */
export async function cancelTask(tx: Sql, task: VerificationTaskDoc): Promise<void> {
  await tx.query('update verification_tasks set cancelled = true where task_id = $1', [task.id]);
}

/**
 * Carries changed roll rows into the students' term records (the results writer). A record is rewritten
 * only when its results change; the rows' "changed" marks are cleared for the version written, so a
 * check-in arriving meanwhile is carried by the next run.
 */
export async function writeResults(tx: Sql, notices: Notices, now: Date, limit = 5000): Promise<number> {
  const rows = await tx.query<RollRow>(
    `select task_id, student_id, school_id, term_key, state, attempts, passed_at, last_at, last_code, last_distance, version
       from verification_roll where changed limit $1`,
    [limit],
  );
  if (rows.length === 0) return 0;
  const students = new Map(
    (await studentsById(tx, [...new Set(rows.map((r) => r.student_id))])).map((s) => [s.id, s]),
  );
  const ids = [...new Set(rows.map((r) => recordId(r.student_id, r.term_key)))];
  const records = new Map(
    (await docsById<VerificationRecordDoc>(tx, 'verifications', ids)).map((r) => [r.id, r]),
  );
  const settings = await settingsOf(tx, [...new Set(rows.map((r) => r.school_id))]);
  const next = new Map<string, { doc: VerificationRecordDoc; scope: RowScope; changed: boolean }>();
  const at = now.toISOString();
  for (const r of rows) {
    const s = students.get(r.student_id);
    if (!s) continue;
    const id = recordId(r.student_id, r.term_key);
    const cur =
      next.get(id) ??
      (() => {
        const stored = records.get(id);
        const term = stored
          ? { key: stored.termKey, ...stored.term }
          : { ...termFor(r.term_key, settings.get(r.school_id)?.term ?? null), key: r.term_key };
        return { doc: stored ?? emptyRecord(s, term, at), scope: s.scope, changed: !stored };
      })();
    const result = rollResult(r);
    if (!sameJson(cur.doc.results[r.task_id], result)) {
      cur.doc = { ...cur.doc, results: { ...cur.doc.results, [r.task_id]: result } };
      cur.changed = true;
    }
    next.set(id, cur);
  }
  const writes = [...next.values()]
    .filter((n) => n.changed)
    .map((n) => ({
      doc: { ...n.doc, updatedAt: at, updatedBy: 'server' } as unknown as SyncDoc,
      scope: n.scope,
    }));
  await bulkWrite(tx, 'verifications', writes, 'server', notices);
  // Rows a check-in is writing right now are passed over (they stay marked, the next run carries them):
  // the results writer never waits for a check-in batch, so the two cannot deadlock.
  await tx.query(
    `with mine as (
       select r.task_id, r.student_id from verification_roll r
         join unnest($1::text[], $2::text[], $3::int[]) as u(t, s, v)
           on r.task_id = u.t and r.student_id = u.s and r.version = u.v
        for update of r skip locked
     )
     update verification_roll r set changed = false from mine
      where r.task_id = mine.task_id and r.student_id = mine.student_id`,
    [rows.map((r) => r.task_id), rows.map((r) => r.student_id), rows.map((r) => r.version)],
  );
  return rows.length;
}

/** Runs `fn` in a transaction under the write lock and sends the notices it collected. */
export async function underLock<T>(
  db: Db,
  channel: string,
  fn: (tx: Sql, notices: Notices) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const notices: Notices = new Map();
    const out = await fn(tx, notices);
    const [top] = await tx.query<{ seq: string }>(`select last_value::text as seq from doc_seq`);
    await sendNotices(tx, channel, notices, Number(top?.seq ?? 0));
    return out;
  });
}

/** Carries every changed roll row into the records (in runs of `limit`). */
export async function flushResults(db: Db, channel: string, now: () => Date): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await underLock(db, channel, (tx, notices) => writeResults(tx, notices, now()));
    total += n;
    if (n < 5000) return total;
  }
}

/**
 * Windows that have closed: what is still pending or failed becomes a miss, the records show it, and the
 * students who missed are evaluated (R-MISS-2-4, R-AID-STOP). Idempotent.
 */
export async function finalizeTasks(db: Db, channel: string, now: Date): Promise<string[]> {
  const due = await db.query<{ task_id: string }>(
    `select task_id from verification_tasks where finalized_at is null and end_at <= $1 order by end_at`,
    [now.toISOString()],
  );
  const done: string[] = [];
  for (const { task_id } of due) {
    await underLock(db, channel, async (tx, notices) => {
      const [t] = await tx.query<{ cancelled: boolean }>(
        `select cancelled from verification_tasks where task_id = $1 and finalized_at is null for update`,
        [task_id],
      );
      if (!t) return;
      const missed = t.cancelled
        ? []
        : await tx.query<{ student_id: string }>(
            `update verification_roll set state = 'missed', changed = true, version = version + 1
              where task_id = $1 and state in ('pending', 'failed') returning student_id`,
            [task_id],
          );
      await tx.query('update verification_tasks set finalized_at = $2 where task_id = $1', [
        task_id,
        now.toISOString(),
      ]);
      for (;;) if ((await writeResults(tx, notices, now)) < 5000) break;
      const ids = missed.map((m) => m.student_id);
      for (let i = 0; i < ids.length; i += 2000)
        await evaluateStudents(tx, ids.slice(i, i + 2000), now, notices, SERVER_WRITER);
    });
    done.push(task_id);
  }
  return done;
}

/** A leave changed: the roll of the tasks its days touch, then the student's consequences (R-LEAVE-15). */
export async function applyLeave(tx: Sql, leave: LeaveDoc, now: Date, notices: Notices, w: Writer) {
  const rows = await tx.query<{ task_id: string; state: string; attempts: number }>(
    `select r.task_id, r.state, r.attempts from verification_roll r
       join verification_tasks t on t.task_id = r.task_id
      where r.student_id = $1 and t.finalized_at is null and not t.cancelled
        and r.state in ('pending', 'failed', 'exempt')`,
    [leave.studentId],
  );
  if (rows.length > 0) {
    const tasks = await tasksById(
      tx,
      rows.map((r) => r.task_id),
    );
    const leaves = await leavesOf(tx, [leave.studentId]);
    for (const r of rows) {
      const t = tasks.get(r.task_id);
      if (!t) continue;
      const state = initialState(t, leaves) === 'exempt' ? 'exempt' : r.attempts > 0 ? 'failed' : 'pending';
      if (state !== r.state)
        await tx.query(
          `update verification_roll set state = $3, changed = true, version = version + 1
            where task_id = $1 and student_id = $2`,
          [r.task_id, leave.studentId, state],
        );
    }
    await writeResults(tx, notices, now);
  }
  await evaluateStudents(tx, [leave.studentId], now, notices, w);
}

/** An appeal was decided: an upheld one takes the misses away (R-APPEAL) and may restore the student. */
export async function applyAppeal(tx: Sql, appeal: AppealDoc, now: Date, notices: Notices, w: Writer) {
  if (appeal.status === 'upheld') {
    await tx.query(
      `update verification_roll set state = 'appealUpheld', changed = true, version = version + 1
        where student_id = $1 and task_id = any($2::text[]) and state in ('missed', 'failed', 'pending')`,
      [appeal.studentId, appeal.taskIds],
    );
    await writeResults(tx, notices, now);
  }
  const terms = await tx.query<{ term_key: string }>(
    `select distinct term_key from verification_roll where student_id = $1 and task_id = any($2::text[])`,
    [appeal.studentId, appeal.taskIds],
  );
  await evaluateStudents(
    tx,
    [appeal.studentId],
    now,
    notices,
    w,
    terms.map((t) => t.term_key),
  );
}

/**
 * Evaluates the consequences of some students (their current term, and `extraTerms`): the shared rules
 * over their records, tasks, leaves and appeals; writes the records that change, and applies an upheld
 * appeal's restore to the student with its history event (R-APPEAL), all in this transaction.
 */
export async function evaluateStudents(
  tx: Sql,
  studentIds: readonly string[],
  now: Date,
  notices: Notices,
  w: Writer,
  extraTerms: readonly string[] = [],
): Promise<{ written: number; restored: number }> {
  const ids = [...new Set(studentIds)];
  if (ids.length === 0) return { written: 0, restored: 0 };
  const students = await studentsById(tx, ids);
  const settings = await settingsOf(tx, [...new Set(students.map((s) => s.schoolId))]);
  const records = await recordsOfStudents(tx, ids);
  const tasks = await tasksById(
    tx,
    records.flatMap((r) => Object.keys(r.results)),
  );
  const leaves = group(await leavesOf(tx, ids));
  const appeals = group(await appealsOf(tx, ids));
  const recordsBy = new Map<string, VerificationRecordDoc[]>();
  for (const r of records) recordsBy.set(r.studentId, [...(recordsBy.get(r.studentId) ?? []), r]);
  const today = chinaDate(now.getTime());
  const writes: { doc: SyncDoc; scope: RowScope }[] = [];
  let restored = 0;
  for (const s of students) {
    const set: SchoolSettings | undefined = settings.get(s.schoolId);
    if (!set) continue;
    const current = termFor(today, set.term);
    const mine = recordsBy.get(s.id) ?? [];
    const terms = new Map([[current.key, current]]);
    for (const r of mine)
      if (extraTerms.includes(r.termKey)) terms.set(r.termKey, { key: r.termKey, ...r.term });
    for (const term of terms.values()) {
      const record = mine.find((r) => r.termKey === term.key);
      const e = evaluateStudent({
        now: now.getTime(),
        student: s,
        record,
        term,
        tasks,
        leaves: leaves.get(s.id) ?? [],
        appeals: appeals.get(s.id) ?? [],
        settings: set.rules,
        calendar: set.calendar,
        by: 'server',
      });
      if (e.record && e.changed) writes.push({ doc: e.record as unknown as SyncDoc, scope: s.scope });
      if (e.restore) {
        await restoreStudent(tx, s, e.restore, notices, w, now);
        restored++;
      }
    }
  }
  await bulkWrite(tx, 'verifications', writes, 'server', notices);
  return { written: writes.length, restored };
}

function group<T extends { studentId: string }>(docs: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const d of docs) out.set(d.studentId, [...(out.get(d.studentId) ?? []), d]);
  return out;
}

/** R-APPEAL: the student record gets back the status and study form it had; the history says why. */
async function restoreStudent(
  tx: Sql,
  s: StudentRow,
  restore: NonNullable<ReturnType<typeof evaluateStudent>['restore']>,
  notices: Notices,
  w: Writer,
  now: Date,
): Promise<void> {
  const students = REGISTRY.get('students');
  const [doc] = await docsById<Student>(tx, 'students', [s.id]);
  if (!students || !doc || Object.keys(restore.patch).length === 0) return;
  const at = now.toISOString();
  const next = { ...doc, ...restore.patch, updatedAt: at, updatedBy: w.user.id };
  await writeDoc(tx, students, next as unknown as SyncDoc, s.scope, w, true);
  addNotice(notices, 'students', s.scope);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(restore.patch)) {
    before[k] = (doc as unknown as Record<string, unknown>)[k] ?? null;
    after[k] = v;
  }
  await writeEvent(
    tx,
    w,
    {
      schoolId: s.schoolId,
      entity: 'student',
      entityId: s.id,
      action: 'verification-restore',
      at,
      reason: restore.reason,
      before,
      after,
    },
    s.scope,
    notices,
  );
}
