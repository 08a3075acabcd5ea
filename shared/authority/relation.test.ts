import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../domain/schemas';
import { createRandom } from '../seed/random';
import type { Role } from '../sync/protocol';
import {
  type AuthUser,
  ancestorPaths,
  decide,
  parentPath,
  READABLE_RELATIONS,
  type RowScope,
  readKeys,
  relationOf,
  relationsOf,
  scopeKeys,
} from './relation';
import { AUTHORITY, type CollectionAuthority, type OPERATIONS, ROLES } from './table';

const SA = '/41/4101/410101/SA/';
const SB = '/41/4101/410101/SB/';
const SD = '/41/4101/410102/SD/';
const SC = '/41/4102/SC/';
const user = (role: Role, orgPath: string, classIds: string[] = [], id = 'u1'): AuthUser => ({
  id,
  role,
  orgPath,
  classIds,
});
const teacher = user('counselor', SA, ['1班']);
const admin = user('schoolAdmin', SA);
const county = user('bureau', '/41/4101/410101/');
const province = user('province', '/41/');
const inClass = (path: string, classId: string): RowScope => ({ owner: { path, classId } });
const at = (path: string): RowScope => ({ owner: { path } });

describe('relationOf: how a user stands to a record', () => {
  it('paths: parent and ancestors of an org path', () => {
    expect(parentPath('/41/4101/')).toBe('/41/');
    expect(parentPath('/41/')).toBeNull();
    expect(ancestorPaths(SA)).toEqual(['/41/', '/41/4101/', '/41/4101/410101/']);
  });
  it('a counselor: own class, other class, own school, the county above, a sibling school, another county', () => {
    expect(relationOf(teacher, inClass(SA, '1班'))).toBe('ownClass');
    expect(relationOf(teacher, inClass(SA, '2班'))).toBe('otherClass');
    expect(relationOf(teacher, at(SA))).toBe('ownOrg');
    expect(relationOf(teacher, at('/41/4101/410101/'))).toBe('ancestor');
    expect(relationOf(teacher, inClass(SB, '1班'))).toBe('sibling');
    expect(relationOf(teacher, inClass(SD, '1班'))).toBe('outside');
    expect(relationOf(teacher, inClass(SC, '1班'))).toBe('outside');
  });
  it('a school admin is not class-bound: every class of the school is its own org', () => {
    expect(relationOf(admin, inClass(SA, '2班'))).toBe('ownOrg');
  });
  it('bureaus: own org, subtree, ancestor, sibling (a neighbouring county and its schools), outside', () => {
    expect(relationOf(county, at('/41/4101/410101/'))).toBe('ownOrg');
    expect(relationOf(county, inClass(SA, '1班'))).toBe('subtree');
    expect(relationOf(county, at('/41/'))).toBe('ancestor');
    expect(relationOf(county, inClass(SD, '1班'))).toBe('sibling');
    expect(relationOf(county, inClass(SC, '1班'))).toBe('outside');
    expect(relationOf(province, inClass(SC, '1班'))).toBe('subtree');
  });
  it('self and party: a refusal made for this user; a school that is another party of a record', () => {
    expect(relationsOf(admin, { owner: { path: SA }, users: ['u1'] })).toEqual(['self', 'ownOrg']);
    const transfer: RowScope = { owner: { path: SC }, parties: [{ path: SA }, { path: '/41/4101/410101/' }] };
    expect(relationOf(admin, transfer)).toBe('party');
    // The county bureau is a party; its other schools are not.
    expect(relationOf(county, transfer)).toBe('party');
    expect(relationOf(user('schoolAdmin', SB), transfer)).toBe('outside');
    expect(relationOf(teacher, { owner: { path: SC }, parties: [{ path: SA, classId: '2班' }] })).toBe(
      'outside',
    );
    expect(relationOf(teacher, { owner: { path: SC }, parties: [{ path: SA, classId: '1班' }] })).toBe(
      'party',
    );
  });
});

describe('decide: named cells of the authority table', () => {
  const cell = (u: AuthUser, c: string, op: (typeof OPERATIONS)[number], s: RowScope) => decide(u, c, op, s);
  it('counselor × students × read × otherClass → deny; × ownClass → allow', () => {
    expect(cell(teacher, 'students', 'read', inClass(SA, '2班')).allow).toBe(false);
    expect(cell(teacher, 'students', 'read', inClass(SA, '1班')).allow).toBe(true);
  });
  it('counselor × events/attachments/syncIssues × read × otherClass → deny (they take the student’s scope)', () => {
    for (const c of ['events', 'attachments', 'syncIssues'])
      expect(cell(teacher, c, 'read', inClass(SA, '2班')).allow, c).toBe(false);
  });
  it('students × updateWorkflow and × updateKey → deny for every role and relation, the province included', () => {
    for (const role of ROLES)
      for (const s of [inClass(SA, '1班'), at(SA)]) {
        const u = user(role, role === 'province' ? '/41/' : role === 'bureau' ? '/41/4101/' : SA, ['1班']);
        expect(cell(u, 'students', 'updateWorkflow', s).allow, role).toBe(false);
        expect(cell(u, 'students', 'updateKey', s).allow, role).toBe(false);
        expect(cell(u, 'students', 'delete', s).allow, role).toBe(false);
      }
    expect(cell(province, 'students', 'updateWorkflow', inClass(SA, '1班')).reason).toContain('包括省教育厅');
  });
  it('a refused operation on a readable record names the role and why; an unreadable one only the scope', () => {
    const d = cell(teacher, 'students', 'create', inClass(SA, '1班'));
    expect(d).toMatchObject({ allow: false, code: 'ROLE', relation: 'ownClass' });
    expect(d.reason).toContain('辅导员/班主任不能新增');
    const out = cell(admin, 'students', 'update', inClass(SB, '1班'));
    expect(out).toMatchObject({ allow: false, code: 'OUT_OF_SCOPE' });
    expect(out.reason).not.toContain('SB');
  });
  it('default deny: an unknown collection, and a role the table does not name', () => {
    expect(cell(province, 'secrets', 'read', at('/41/')).allow).toBe(false);
    expect(cell(user('inspector', '/41/4101/'), 'devices', 'update', at('/41/4101/')).allow).toBe(false);
    expect(readKeys(province, 'secrets')).toEqual([]);
  });
});

describe('inspections: its bureau, its inspectors and the inspected school, no one else (issue 14)', () => {
  const bureauPath = '/41/4101/';
  const inspection: RowScope = { owner: { path: bureauPath }, parties: [{ path: SA }], users: ['insp1'] };
  const evidence: RowScope = { ...inspection, via: 'inspections' };
  const cases: [string, AuthUser, boolean][] = [
    ['its bureau', user('bureau', bureauPath), true],
    ['its drawn inspector', user('inspector', bureauPath, [], 'insp1'), true],
    ['another inspector of the same bureau', user('inspector', bureauPath, [], 'insp2'), false],
    ['the inspected school', admin, true],
    ['a counselor of the school', teacher, false],
    ['the county bureau of the school', county, false],
    ['the province', province, false],
    ['a sibling school', user('schoolAdmin', SB), false],
  ];
  it.each(cases)('%s: the inspection, its history and evidence alike', (_label, u, allowed) => {
    expect(decide(u, 'inspections', 'read', inspection).allow).toBe(allowed);
    for (const c of ['events', 'attachments', 'syncIssues']) {
      expect(decide(u, c, 'read', evidence).allow, c).toBe(allowed);
      const keys = new Set(scopeKeys(evidence));
      expect(
        readKeys(u, c).some((k) => keys.has(k)),
        c,
      ).toBe(allowed);
    }
  });
  it('the evidence of an inspection is not read as the school’s own attachments (the school’s bureau is refused)', () => {
    expect(decide(county, 'attachments', 'read', { owner: { path: SA } }).allow).toBe(true);
    expect(decide(county, 'attachments', 'read', { owner: { path: SA }, via: 'inspections' }).allow).toBe(
      false,
    );
  });
  it('inspectors read no students, student history or scans (the visit pack carries what an inspection needs)', () => {
    const inspector = user('inspector', bureauPath, [], 'insp1');
    for (const c of ['students', 'events', 'attachments'])
      expect(decide(inspector, c, 'read', inClass(SA, '1班')).allow, c).toBe(false);
  });
});

describe('the table itself', () => {
  it('names every replicated collection; grants reading only through relations a key can express', () => {
    for (const name of Object.keys(COLLECTIONS)) expect(AUTHORITY[name], name).toBeDefined();
    // an entry for dependents names a collection and the collection they depend on
    for (const name of Object.keys(AUTHORITY).filter((n) => n.includes('@'))) {
      const [collection, via] = name.split('@');
      expect(COLLECTIONS[collection as keyof typeof COLLECTIONS], name).toBeDefined();
      expect(COLLECTIONS[via as keyof typeof COLLECTIONS], name).toBeDefined();
    }
    for (const [name, entry] of Object.entries(AUTHORITY))
      for (const role of ROLES)
        for (const r of entry.ops.read?.[role] ?? [])
          expect(READABLE_RELATIONS.has(r), `${name} ${role} ${r}`).toBe(true);
  });
});

/** A table granting every relation a key can express, to every role (party keys included). */
const EVERY_READ = {
  all: {
    label: '测试',
    ops: { read: Object.fromEntries(ROLES.map((r) => [r, [...READABLE_RELATIONS]])) },
  },
} satisfies Record<string, CollectionAuthority>;

describe('scope keys agree with decide (the pull filter is the table)', () => {
  it('for 4,000 random users and records: keys meet ⇔ read allowed, in every collection', () => {
    const rnd = createRandom(20261201);
    const paths = ['/41/', '/41/4101/', '/41/4102/', '/41/4101/410101/', '/41/4101/410102/', SA, SB, SD, SC];
    const classes = ['1班', '2班', '3班'];
    const party = () => {
      const path = rnd.pick(paths);
      return path.split('/').length > 5 && rnd.chance(0.7) ? { path, classId: rnd.pick(classes) } : { path };
    };
    let allowed = 0;
    for (let i = 0; i < 4000; i++) {
      const role = rnd.pick(ROLES);
      const orgPath =
        role === 'schoolAdmin' || role === 'counselor'
          ? rnd.pick([SA, SB, SD, SC])
          : rnd.pick(paths.slice(0, 5));
      const u = user(
        role,
        orgPath,
        classes.filter(() => rnd.chance(0.4)),
        rnd.pick(['u1', 'u2']),
      );
      const scope: RowScope = {
        owner: rnd.chance(0.95) ? party() : null,
        ...(rnd.chance(0.3) ? { parties: [party(), party()] } : {}),
        ...(rnd.chance(0.2) ? { users: [rnd.pick(['u1', 'u2', 'u3'])] } : {}),
        // a dependent of a record with its own audience (an inspection's history and evidence)
        ...(rnd.chance(0.3) ? { via: rnd.pick(['inspections', 'students']) } : {}),
      };
      const keys = new Set(scopeKeys(scope));
      for (const [table, c] of [
        ...Object.keys(AUTHORITY)
          .filter((c) => !c.includes('@'))
          .map((c) => [AUTHORITY, c] as const),
        [EVERY_READ, 'all'] as const,
      ]) {
        const meets = readKeys(u, c, table).some((k) => keys.has(k));
        const allow = decide(u, c, 'read', scope, table).allow;
        if (allow) allowed++;
        expect(meets, `${role}@${orgPath}[${u.classIds}] ${c} ${JSON.stringify(scope)}`).toBe(allow);
      }
    }
    expect(allowed).toBeGreaterThan(1000);
  });
});
