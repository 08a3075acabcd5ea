// What routine verification's screens need, in the authority table's terms (app/access.ts).
import type { Need } from '../../app/access';

/** the tasks and term records of one's org, classes, the schools below, or a task one's school is called by */
export const READ_VERIFICATIONS: Need = {
  collection: 'verifications',
  op: 'read',
  at: ['ownOrg', 'ownClass', 'subtree', 'party'],
};
/** publishing a task (the province, a bureau; a school admin its own 联调测试) */
export const PUBLISH_TASKS: Need = { collection: 'verifications', op: 'create', at: ['ownOrg'] };
/** the leaves of one's school, classes or area */
export const READ_LEAVES: Need = { collection: 'leaves', op: 'read', at: ['ownOrg', 'ownClass', 'subtree'] };
/** entering and deciding leave (a counselor: own classes; the school admin) */
export const WRITE_LEAVES: Need = { collection: 'leaves', op: 'create', at: ['ownOrg', 'ownClass'] };
/** the appeals of one's school, classes or area */
export const READ_APPEALS: Need = {
  collection: 'appeals',
  op: 'read',
  at: ['ownOrg', 'ownClass', 'subtree'],
};
/** raising an appeal (the school admin) */
export const CREATE_APPEALS: Need = { collection: 'appeals', op: 'create', at: ['ownOrg'] };
/** deciding an appeal (the upper level: a bureau, the province) */
export const DECIDE_APPEALS: Need = { collection: 'appeals', op: 'update', at: ['subtree'] };
