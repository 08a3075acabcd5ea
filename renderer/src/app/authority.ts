// The authority table (shared/authority) in the app: who acts here and what they may do, so screens hide
// what the server would refuse (a counselor sees no 编辑 on a student of another class and cannot import).
// The user is the provincial account when this machine syncs, else the local registrar (school admin).
import { useMemo } from 'react';
import { type AuthUser, decide, type RowScope } from '../../../shared/authority/relation';
import type { Operation } from '../../../shared/authority/table';
import type { Student } from '../../../shared/domain/student';
import { useSyncAccount } from '../sync/use-sync';
import { useSchool } from './school-context';

export type Can = (collection: string, op: Operation, scope: RowScope) => { allow: boolean; reason: string };

/** The scope of a student record as the server computes it (its school and class). */
export function studentScope(s: Pick<Student, 'orgPath' | 'classId'>): RowScope {
  return { owner: { path: s.orgPath, classId: s.classId } };
}

/**
 * Where a new student of this user would be: their school, and for a counselor one of their classes (so
 * a refusal says what they may not do, not merely that it is out of reach).
 */
export function newStudentScope(user: AuthUser, schoolPath: string): RowScope {
  const classId = user.classIds[0];
  return { owner: classId === undefined ? { path: schoolPath } : { path: schoolPath, classId } };
}

/** The acting user for the authority table. */
export function useAuthUser(): AuthUser {
  const { db, school, actor } = useSchool();
  const account = useSyncAccount(db);
  return useMemo(
    () =>
      account?.user
        ? account.user
        : { id: actor.id, role: 'schoolAdmin' as const, orgPath: school.path, classIds: [] },
    [account, actor.id, school.path],
  );
}

/** `can(collection, op, scope)`: the table's decision for the acting user. */
export function useCan(): Can {
  const user = useAuthUser();
  return useMemo<Can>(() => (collection, op, scope) => decide(user, collection, op, scope), [user]);
}
