// The authority table (shared/authority) in the app: who acts here and what they may do, so screens hide
// what the server would refuse (a counselor sees no 编辑 on a student of another class and cannot import;
// a bureau sees its schools' records read-only). The user is the session's (session.tsx).
import { useMemo } from 'react';
import { type AuthUser, decide, type RowScope } from '../../../shared/authority/relation';
import type { Operation } from '../../../shared/authority/table';
import type { Student } from '../../../shared/domain/student';
import { useAuthUser } from './session';

export { useAuthUser };

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

/** `can(collection, op, scope)`: the table's decision for the acting user. */
export function useCan(): Can {
  const user = useAuthUser();
  return useMemo<Can>(() => (collection, op, scope) => decide(user, collection, op, scope), [user]);
}
