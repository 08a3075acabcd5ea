// Live reads of routine verification's synced collections for the screens: the tasks this desk sees,
// the term records (one per student per term, results of every task keyed by task id), leaves and
// appeals. Each query is an RxDB subscription, so counts move as the sync brings check-in results in.
import { useEffect, useMemo, useState } from 'react';
import { chinaTime } from '../../../../shared/calendar/china';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import type {
  AppealDoc,
  LeaveDoc,
  VerificationRecordDoc,
  VerificationTaskDoc,
} from '../../../../shared/verification/schemas';
import { useDesk } from '../../app/session';
import type { XuejiDatabase } from '../../db/database';

function useLive<T>(
  db: XuejiDatabase,
  pick: (db: XuejiDatabase) => {
    $: { subscribe(fn: (docs: { toJSON(): unknown }[]) => void): { unsubscribe(): void } };
  },
  deps: readonly unknown[],
): T[] | null {
  const [docs, setDocs] = useState<T[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the query depends on
  useEffect(() => {
    const sub = pick(db).$.subscribe((d) => setDocs(d.map((x) => x.toJSON() as T)));
    return () => sub.unsubscribe();
  }, [db, ...deps]);
  return docs;
}

/** Every task this desk has, newest window first (null while loading). */
export function useTasks(): VerificationTaskDoc[] | null {
  const { db } = useDesk();
  const docs = useLive<VerificationTaskDoc>(
    db,
    (d) => d.verifications.find({ selector: { kind: 'task' } }),
    [],
  );
  return useMemo(
    () =>
      docs ? [...docs].sort((a, b) => b.start.localeCompare(a.start) || a.id.localeCompare(b.id)) : null,
    [docs],
  );
}

/** The term records this desk has (a school: its students; a counselor: its classes). */
export function useRecords(): VerificationRecordDoc[] | null {
  const { db } = useDesk();
  return useLive<VerificationRecordDoc>(
    db,
    (d) => d.verifications.find({ selector: { kind: 'record' } }),
    [],
  );
}

export function useLeaves(): LeaveDoc[] | null {
  const { db } = useDesk();
  const docs = useLive<LeaveDoc>(db, (d) => d.leaves.find(), []);
  return useMemo(() => (docs ? [...docs].sort((a, b) => b.from.localeCompare(a.from)) : null), [docs]);
}

export function useAppeals(): AppealDoc[] | null {
  const { db } = useDesk();
  const docs = useLive<AppealDoc>(db, (d) => d.appeals.find(), []);
  return useMemo(
    () => (docs ? [...docs].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt)) : null),
    [docs],
  );
}

/** The org documents this desk has, by id (schools' names, campuses). */
export function useOrgMap(): Map<string, OrgDoc> {
  const { db } = useDesk();
  const docs = useLive<OrgDoc>(db, (d) => d.orgs.find(), []);
  return useMemo(() => new Map((docs ?? []).map((o) => [o.id, o])), [docs]);
}

/** Students by id: name, class, grade (the lists and the leave form). */
export type StudentBrief = {
  id: string;
  name: string;
  classId: string;
  className?: string;
  grade?: string;
  studyForm?: string;
  status?: string;
  schoolId: string;
};

export function useStudentBriefs(): Map<string, StudentBrief> {
  const { db } = useDesk();
  const docs = useLive<StudentBrief>(db, (d) => d.students.find(), []);
  return useMemo(() => new Map((docs ?? []).map((s) => [s.id, s])), [docs]);
}

/** The Beijing time of an ISO instant, to the minute ("2026-09-07 09:00"), or a dash. */
export const timeLabel = (at: string | undefined): string => (at ? chinaTime(at) : '—');
