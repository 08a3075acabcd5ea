// How a user stands to a record, and what the authority table decides about it. Pure: the server
// computes a record's scope (never from the client) and asks here; the pull filter (scope keys), the
// live stream, push answers and attachment reads all come down to `decide`.
import { ROLE_LABELS, type SyncUser } from '../sync/protocol';
import {
  AUTHORITY,
  type AuthorityTable,
  CLASS_BOUND_ROLES,
  grantedRelations,
  OPERATION_LABELS,
  type Operation,
  RELATION_LABELS,
  RELATIONS,
  type Relation,
} from './table';

/** One party of a record: an org (its slash-terminated path) and, for class-scoped records, the class. */
export type ScopeParty = { path: string; classId?: string };

/**
 * The scope of a record as the server computes it: the org (and class) it belongs to, the other parties
 * of a multi-party record (both schools and both bureaus of a transfer), and users it was made for
 * (a refusal is always readable by the person whose push was refused).
 */
export type RowScope = {
  owner: ScopeParty | null;
  parties?: ScopeParty[];
  users?: string[];
  /**
   * The collection of the record this one depends on, when that record's audience is narrower than this
   * collection's (an inspection's history, evidence and conflicts): the row is then decided by the table's
   * `<collection>@<via>` entry, and its scope keys carry the prefix `<via>|`, so only that entry's readers
   * reach it. Absent for every other row.
   */
  via?: string;
};

/** The table entry that decides a record of `collection` in this scope (see RowScope.via). */
export function entryName(collection: string, scope: Pick<RowScope, 'via'>): string {
  return scope.via ? `${collection}@${scope.via}` : collection;
}

export type AuthUser = Pick<SyncUser, 'id' | 'role' | 'orgPath' | 'classIds'>;

/** The path of the org above a path ("/41/4101/" → "/41/"); null for the root. */
export function parentPath(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  return parts.length <= 1 ? null : `/${parts.slice(0, -1).join('/')}/`;
}

/** Every proper prefix of an org path, from the root down ("/41/4101/S1/" → "/41/", "/41/4101/"). */
export function ancestorPaths(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
}

function partyRelation(user: AuthUser, p: ScopeParty): Relation {
  const own = user.orgPath;
  if (p.path === own) {
    if (!CLASS_BOUND_ROLES.has(user.role) || p.classId === undefined) return 'ownOrg';
    return user.classIds.includes(p.classId) ? 'ownClass' : 'otherClass';
  }
  if (p.path.startsWith(own)) return 'subtree';
  if (own.startsWith(p.path)) return 'ancestor';
  const parent = parentPath(own);
  if (parent !== null && p.path.startsWith(parent)) return 'sibling';
  return 'outside';
}

const REACH: ReadonlySet<Relation> = new Set(['ownClass', 'ownOrg', 'subtree']);
const ORDER = new Map(RELATIONS.map((r, i) => [r, i]));
// Precedence when a user holds several relations to one record: the closer claim first.
const PRECEDENCE: readonly Relation[] = [
  'self',
  'ownClass',
  'ownOrg',
  'subtree',
  'party',
  'otherClass',
  'ancestor',
  'sibling',
  'outside',
];

/** Every relation the user holds to the record, closest first (never empty). */
export function relationsOf(user: AuthUser, scope: RowScope): Relation[] {
  const held = new Set<Relation>();
  if (scope.users?.includes(user.id)) held.add('self');
  if (scope.owner) held.add(partyRelation(user, scope.owner));
  for (const p of scope.parties ?? []) if (REACH.has(partyRelation(user, p))) held.add('party');
  if (held.size === 0) held.add('outside');
  return PRECEDENCE.filter((r) => held.has(r));
}

/** The user's closest relation to the record. */
export function relationOf(user: AuthUser, scope: RowScope): Relation {
  return relationsOf(user, scope)[0] ?? 'outside';
}

export type AuthDecision = {
  allow: boolean;
  /** the relation the decision rests on (the granting one, or the closest one when refused) */
  relation: Relation;
  /** OK, OUT_OF_SCOPE (not even readable), or the collection's code for the operation */
  code: string;
  /** Chinese, for the person: why it is allowed or refused */
  reason: string;
};

/** The decision of the authority table for one operation on one record. */
export function decide(
  user: AuthUser,
  collection: string,
  op: Operation,
  scope: RowScope,
  table: AuthorityTable = AUTHORITY,
): AuthDecision {
  const name = entryName(collection, scope);
  const held = relationsOf(user, scope);
  const granted = grantedRelations(user.role, name, op, table);
  const relation = held.find((r) => granted.includes(r));
  const role = ROLE_LABELS[user.role];
  const entry = table[name];
  const label = entry?.label ?? `“${collection}”数据`;
  if (relation)
    return {
      allow: true,
      relation,
      code: 'OK',
      reason: `${role}可以${OPERATION_LABELS[op]}${RELATION_LABELS[relation]}${label}`,
    };
  const closest = held[0] ?? 'outside';
  if (!entry)
    return { allow: false, relation: closest, code: 'UNKNOWN_COLLECTION', reason: `没有${label}的权限规定` };
  const readable = held.some((r) => grantedRelations(user.role, name, 'read', table).includes(r));
  if (!readable)
    return {
      allow: false,
      relation: closest,
      code: 'OUT_OF_SCOPE',
      reason: `${RELATION_LABELS[closest]}${label}不在您的管辖范围内`,
    };
  return {
    allow: false,
    relation: closest,
    code: entry.codes?.[op] ?? 'ROLE',
    reason: `${role}不能${OPERATION_LABELS[op]}${RELATION_LABELS[closest]}${label}${entry.why?.[op] ? `：${entry.why[op]}` : ''}`,
  };
}

export function canRead(user: AuthUser, collection: string, scope: RowScope): boolean {
  return decide(user, collection, 'read', scope).allow;
}

// ---- scope keys: the pull filter (`scope_keys && readKeys`, a GIN index on the server) -----------
//
// A record's keys name every way it can be reached; a user's read keys are the ways the table lets them
// read. `scope_keys && readKeys` is true exactly when `decide(…, 'read', …)` allows (a property test in
// relation.test.ts checks it), so pulls and the live stream agree with the table.
//   @P       the record belongs to org P (any class)            → ownOrg of a user at P
//   =P       … to org P and to no class                         → ownOrg of a class-bound user at P
//   P~c/C    … to class C of school P                           → ownClass of a counselor of C
//   *Q       … to an org below Q (Q a proper prefix of P)       → subtree of a user at Q
//   +…       the same for the other parties of the record       → party
//   ~u/U     made for user U                                    → self
// Ancestors are reached with @Q for every proper prefix Q of the user's own path.

function partyKeys(p: ScopeParty, prefix: string, out: Set<string>): void {
  out.add(`${prefix}@${p.path}`);
  out.add(p.classId === undefined ? `${prefix}=${p.path}` : `${prefix}${p.path}~c/${p.classId}`);
  for (const q of ancestorPaths(p.path)) out.add(`${prefix}*${q}`);
}

/** The keys the server stores with a record (docs.scope_keys); `<via>|` before each for a dependent. */
export function scopeKeys(scope: RowScope): string[] {
  const out = new Set<string>();
  for (const u of scope.users ?? []) out.add(`~u/${u}`);
  if (scope.owner) partyKeys(scope.owner, '', out);
  for (const p of scope.parties ?? []) partyKeys(p, '+', out);
  return scope.via ? [...out].map((k) => `${scope.via}|${k}`) : [...out];
}

/** Relations the table may grant for reading: each has a key form (the others cannot be expressed). */
export const READABLE_RELATIONS: ReadonlySet<Relation> = new Set([
  'self',
  'ownClass',
  'ownOrg',
  'subtree',
  'party',
  'ancestor',
]);

/**
 * The keys a user reads a collection with (empty: nothing). Derived from the table only: the collection's
 * own entry, and each `<collection>@<via>` entry for the rows that depend on a record of `via`.
 */
export function readKeys(user: AuthUser, collection: string, table: AuthorityTable = AUTHORITY): string[] {
  const keys = entryReadKeys(user, collection, table);
  for (const name of Object.keys(table)) {
    if (!name.startsWith(`${collection}@`)) continue;
    const via = name.slice(collection.length + 1);
    for (const k of entryReadKeys(user, name, table)) keys.push(`${via}|${k}`);
  }
  return keys;
}

function entryReadKeys(user: AuthUser, collection: string, table: AuthorityTable): string[] {
  const granted = grantedRelations(user.role, collection, 'read', table);
  const bound = CLASS_BOUND_ROLES.has(user.role);
  const own = user.orgPath;
  const keys = new Set<string>();
  for (const r of granted) {
    switch (r) {
      case 'self':
        keys.add(`~u/${user.id}`);
        break;
      case 'ownClass':
        if (bound) for (const c of user.classIds) keys.add(`${own}~c/${c}`);
        break;
      case 'ownOrg':
        keys.add(bound ? `=${own}` : `@${own}`);
        break;
      case 'subtree':
        keys.add(`*${own}`);
        break;
      case 'ancestor':
        for (const q of ancestorPaths(own)) keys.add(`@${q}`);
        break;
      case 'party':
        if (bound) {
          keys.add(`+=${own}`);
          for (const c of user.classIds) keys.add(`+${own}~c/${c}`);
        } else {
          keys.add(`+@${own}`);
          keys.add(`+*${own}`);
        }
        break;
      default:
        throw new Error(`authority table: ${r} cannot be granted for reading (${collection})`);
    }
  }
  return [...keys];
}

/** Sorts relations in the table's canonical order (for listings and the matrix test's names). */
export function byRelationOrder(a: Relation, b: Relation): number {
  return (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0);
}
