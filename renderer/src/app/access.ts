// What a screen needs, in the authority table's terms (shared/authority/table.ts), and whether a user
// has it. Routes declare their needs (routes.tsx) and the shell shows a screen only to those who have one
// of them: there is no second list of "who sees which screen" beside the table.
import type { AuthUser } from '../../../shared/authority/relation';
import {
  type Action,
  grantedRelations,
  mayAct,
  type Operation,
  type Relation,
} from '../../../shared/authority/table';

/**
 * One way to be entitled to a screen: the table grants `op` on `collection` in one of the relations `at`
 * (e.g. reading students of one's own school or class), or the table's action list names the role.
 */
export type Need = { collection: string; op: Operation; at: readonly Relation[] } | { action: Action };

/** A screen's needs: any one of them opens it; an empty list means every desk may open it. */
export type Access = readonly Need[];

export function hasNeed(user: Pick<AuthUser, 'role'>, need: Need): boolean {
  if ('action' in need) return mayAct(user.role, need.action);
  const granted = grantedRelations(user.role, need.collection, need.op);
  return need.at.some((r) => granted.includes(r));
}

export function canOpen(user: Pick<AuthUser, 'role'>, access: Access): boolean {
  return access.length === 0 || access.some((n) => hasNeed(user, n));
}

// The needs screens share, named once.
/** the students of one's own school (a registrar) or own classes (a counselor) */
export const OWN_STUDENTS: Need = { collection: 'students', op: 'read', at: ['ownOrg', 'ownClass'] };
/** the students of the schools below one's org (bureaus, the province, inspectors) */
export const AREA_STUDENTS: Need = { collection: 'students', op: 'read', at: ['subtree'] };
/** changing one's own school's or classes' students (the paper archive is marked on the student) */
export const EDIT_OWN_STUDENTS: Need = { collection: 'students', op: 'update', at: ['ownOrg', 'ownClass'] };
/** conflicts arise where records are changed: by those who may create conflict records */
export const RESOLVE_CONFLICTS: Need = { collection: 'syncIssues', op: 'create', at: ['ownOrg', 'ownClass'] };
