import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../authority/relation';
import type { Role } from '../sync/protocol';
import { decideAccountWrite, grantableRoles, usernameProblem, validateAccountInput } from './accounts';
import { auditDiff, auditScope, auditValue } from './audit';

const u = (role: Role, orgPath: string, id = 'me'): AuthUser => ({ id, role, orgPath, classIds: [] });
const PROV = '/41/';
const CITY = '/41/4101/';
const COUNTY = '/41/4101/410105/';
const SCHOOL = '/41/4101/410105/S1/';
const OTHER = '/41/4101/410122/S2/';

describe('accounts: within one’s own area and below one’s own level only (issue 11)', () => {
  it('bureaus open bureau users of the areas below, inspectors and school admins; a school admin its counselors (HN 三.2)', () => {
    expect(grantableRoles(u('bureau', CITY), { kind: 'county', path: COUNTY })).toEqual([
      'bureau',
      'inspector',
    ]);
    expect(grantableRoles(u('bureau', CITY), { kind: 'city', path: CITY })).toEqual(['inspector']);
    expect(grantableRoles(u('bureau', COUNTY), { kind: 'school', path: SCHOOL })).toEqual([
      'schoolAdmin',
      'counselor',
    ]);
    expect(grantableRoles(u('schoolAdmin', SCHOOL), { kind: 'school', path: SCHOOL })).toEqual(['counselor']);
    expect(grantableRoles(u('province', PROV), { kind: 'province', path: PROV })).toEqual(['inspector']);
    expect(grantableRoles(u('province', PROV), { kind: 'city', path: CITY })).toEqual([
      'bureau',
      'inspector',
    ]);
    for (const role of ['counselor', 'inspector'] as const)
      expect(
        grantableRoles(u(role, role === 'inspector' ? CITY : SCHOOL), { kind: 'school', path: SCHOOL }),
      ).toEqual([]);
  });

  it('nobody grants a role above their own, beside their own at their own org, or outside their area', () => {
    const d = (
      actor: AuthUser,
      role: Role,
      orgPath: string,
      orgKind: 'province' | 'city' | 'county' | 'school',
    ) => decideAccountWrite(actor, 'create', { role, orgPath, orgKind });
    expect(d(u('schoolAdmin', SCHOOL), 'bureau', COUNTY, 'county').code).toBe('OUT_OF_SCOPE');
    expect(d(u('schoolAdmin', SCHOOL), 'schoolAdmin', SCHOOL, 'school').code).toBe('LEVEL');
    expect(d(u('schoolAdmin', SCHOOL), 'bureau', SCHOOL, 'school').code).toBe('ROLE_ORG');
    expect(d(u('schoolAdmin', SCHOOL), 'counselor', OTHER, 'school').code).toBe('OUT_OF_SCOPE');
    expect(d(u('bureau', COUNTY), 'bureau', COUNTY, 'county').reason).toContain('由上级单位开设');
    expect(d(u('bureau', COUNTY), 'province', PROV, 'province').allow).toBe(false);
    expect(d(u('counselor', SCHOOL), 'counselor', SCHOOL, 'school').allow).toBe(false);
  });

  it('never on oneself; a superior is outside the area (not even readable)', () => {
    const self = decideAccountWrite(u('bureau', COUNTY, 'b1'), 'update', {
      id: 'b1',
      role: 'bureau',
      orgPath: COUNTY,
      orgKind: 'county',
    });
    expect(self.code).toBe('SELF');
    const boss = decideAccountWrite(u('bureau', COUNTY), 'update', {
      id: 'c1',
      role: 'bureau',
      orgPath: CITY,
      orgKind: 'city',
    });
    expect(boss.code).toBe('OUT_OF_SCOPE');
  });

  it('validates: username, name, a counselor’s classes, an inspector’s 执法证号 (R-INSP-2) and conflicts (R-INSP-RECUSE)', () => {
    const school = { id: 'S1', kind: 'school', name: '一中', path: SCHOOL } as const;
    const city = { id: '4101', kind: 'city', name: '郑州市教育局', path: CITY } as const;
    const ok = validateAccountInput(
      {
        username: 's1.chen',
        displayName: ' 班主任  陈老师 ',
        role: 'counselor',
        orgId: 'S1',
        classIds: ['1班', '2班'],
      },
      { org: school, knownClasses: new Set(['1班']) },
    );
    expect(ok.ok && ok.account).toMatchObject({
      displayName: '班主任 陈老师',
      classIds: ['1班', '2班'],
      enforcementId: null,
    });
    expect(ok.notices.join('')).toContain('“2班”');
    const codes = (raw: object, org: typeof school | typeof city = school, areas?: Map<string, string>) => {
      const v = validateAccountInput(raw, { org, schoolsInArea: areas });
      return v.ok ? [] : v.problems.map((p) => p.code);
    };
    expect(
      codes({ username: 's1.chen', displayName: 'x', role: 'counselor', orgId: 'S1', classIds: [] }),
    ).toEqual(['REQUIRED']);
    expect(
      codes({
        username: 's1.chen',
        displayName: 'x',
        role: 'counselor',
        orgId: 'S1',
        classIds: ['1班', '1班'],
      }),
    ).toEqual(['DUPLICATE']);
    expect(
      codes({ username: 's1.a', displayName: 'x', role: 'schoolAdmin', orgId: 'S1', classIds: ['1班'] }),
    ).toEqual(['ROLE_FIELD']);
    expect(codes({ username: 'z.insp', displayName: '王', role: 'inspector', orgId: '4101' }, city)).toEqual([
      'REQUIRED',
    ]);
    expect(
      codes(
        {
          username: 'z.insp',
          displayName: '王',
          role: 'inspector',
          orgId: '4101',
          enforcementId: '豫教执 1',
          conflicts: ['S9'],
        },
        city,
        new Map([['S1', '一中']]),
      ),
    ).toEqual(['CONFLICT_SCHOOL']);
    expect(
      codes(
        {
          username: 'z.insp',
          displayName: '王',
          role: 'inspector',
          orgId: '4101',
          enforcementId: '豫教执 1',
          conflicts: ['S1'],
        },
        city,
        new Map([['S1', '一中']]),
      ),
    ).toEqual([]);
    expect(
      codes({
        username: 'x',
        displayName: '',
        role: 'counselor',
        orgId: 'S1',
        classIds: ['1班'],
        passwordHash: 'h',
      }),
    ).toEqual(['UNKNOWN_FIELD', 'USERNAME', 'REQUIRED']);
    expect(
      validateAccountInput(
        { username: 'a.b', displayName: 'x', role: 'counselor', orgId: 'S1', classIds: ['1'] },
        { org: { ...school, disabled: true } },
      ).ok,
    ).toBe(false);
  });

  it('an edit: role, org and username are fixed; what it does not name stays', () => {
    const existing = {
      id: 'c1',
      username: 's1.chen',
      displayName: '陈老师',
      role: 'counselor' as const,
      orgId: 'S1',
      classIds: ['1班'],
      enforcementId: null,
      conflicts: [],
    };
    const org = { id: 'S1', kind: 'school', name: '一中', path: SCHOOL } as const;
    const v = validateAccountInput({ classIds: ['2班'] }, { org, existing });
    expect(v.ok && v.account).toMatchObject({ displayName: '陈老师', classIds: ['2班'], role: 'counselor' });
    for (const body of [{ role: 'schoolAdmin' }, { orgId: 'S2' }, { username: 'root' }]) {
      const r = validateAccountInput(body, { org, existing });
      expect(!r.ok && r.problems[0]?.code, JSON.stringify(body)).toBe('IMMUTABLE');
    }
  });

  it('usernames: lower case letters, digits and . _ -', () => {
    expect(usernameProblem('s41010501.admin')).toBeNull();
    expect(usernameProblem('3441010301.counselor')).toBeNull();
    expect(usernameProblem('Admin')).toContain('小写');
    expect(usernameProblem('a b')).toContain('只能由');
    expect(usernameProblem('ab')).toContain('3–40');
  });
});

describe('the audit (R-WHO)', () => {
  it('never keeps a secret, at any depth', () => {
    expect(auditValue({ a: 1, password: 'x', nested: { passwordHash: 'h', token: 't', ok: ['y'] } })).toEqual(
      {
        a: 1,
        nested: { ok: ['y'] },
      },
    );
  });
  it('keeps what changed of an edit', () => {
    expect(
      auditDiff({ head: '甲', name: '一中', updatedAt: '1' }, { head: '乙', name: '一中', updatedAt: '2' }),
    ).toEqual({
      before: { head: '甲' },
      after: { head: '乙' },
    });
  });
  it('belongs to the org that acted and, as another party, to the org acted on', () => {
    expect(auditScope(COUNTY, SCHOOL)).toEqual({ owner: { path: COUNTY }, parties: [{ path: SCHOOL }] });
    expect(auditScope(SCHOOL, SCHOOL)).toEqual({ owner: { path: SCHOOL } });
  });
});
