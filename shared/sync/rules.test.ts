import { describe, expect, it } from 'vitest';
import { generateStudents } from '../seed/roster';
import type { SyncDoc, SyncUser } from './protocol';
import { checkWrite } from './rules';

const [s] = generateStudents({
  count: 1,
  seed: 5,
  schoolId: 'SA',
  orgPath: '/41/4101/SA/',
}) as unknown as SyncDoc[];
if (!s) throw new Error('seed');
const user = (role: SyncUser['role'], orgPath = '/41/4101/SA/', classIds: string[] = []): SyncUser => ({
  id: 'u',
  username: 'u',
  displayName: 'u',
  role,
  orgId: 'SA',
  orgName: '甲校',
  orgPath,
  classIds,
});
const check = (u: SyncUser, before: SyncDoc | null, after: SyncDoc) =>
  checkWrite({
    collection: 'students',
    user: u,
    before,
    after,
    orgPathBefore: before ? '/41/4101/SA/' : null,
    orgPathAfter: '/41/4101/SA/',
  });

describe('checkWrite (server rules for pushed rows)', () => {
  it('org documents: settings and term dates change only through the settings endpoints', () => {
    const school: SyncDoc = {
      id: 'SA',
      kind: 'school',
      name: '甲校',
      parentId: '4101',
      path: '/41/4101/SA/',
      updatedAt: 'x',
    };
    const bureau = { ...user('bureau', '/41/4101/'), orgId: '4101' };
    const org = (before: SyncDoc | null, after: SyncDoc) =>
      checkWrite({
        collection: 'orgs',
        user: bureau,
        before,
        after,
        orgPathBefore: before ? '/41/4101/SA/' : null,
        orgPathAfter: '/41/4101/SA/',
      });
    expect(org(school, { ...school, head: '王校长' })).toBeNull();
    expect(org(school, { ...school, term: { start: '2026-09-01', end: '2027-01-22' } })).toMatchObject({
      code: 'SETTINGS',
      field: 'term',
    });
    expect(org(school, { ...school, settings: { rules: { leaveLimitDays: 30 } } })).toMatchObject({
      code: 'SETTINGS',
      field: 'settings',
    });
    expect(org(null, { ...school, settings: { keyFields: ['name'] } })?.code).toBe('SETTINGS');
    const withTerm = { ...school, term: { start: '2026-09-01', end: '2027-01-22' } };
    expect(org(withTerm, { ...withTerm, head: '李校长' })).toBeNull();
  });

  it('scope: another school is refused, the org above may write', () => {
    expect(check(user('schoolAdmin', '/41/4101/SB/'), s, { ...s, address: 'x' })?.code).toBe('OUT_OF_SCOPE');
    expect(check(user('bureau', '/41/4101/'), s, { ...s, address: '河南省某地1号' })).toBeNull();
  });
  it('status and key fields change only through workflow; approvers may apply them', () => {
    expect(check(user('schoolAdmin'), s, { ...s, status: 'withdrawn' })?.code).toBe('STATUS_FIELD');
    expect(check(user('schoolAdmin'), s, { ...s, name: '新名' })?.reason).toContain('“姓名”是关键字段');
    expect(check(user('bureau', '/41/'), s, { ...s, status: 'withdrawn' })).toBeNull();
  });
  it('counselor: own classes only, no inserts; inspectors read only; deletions refused', () => {
    expect(check(user('counselor', undefined, ['other']), s, { ...s, address: 'x' })?.code).toBe(
      'OUT_OF_SCOPE',
    );
    expect(check(user('counselor', undefined, [String(s.classId)]), null, s)?.code).toBe('ROLE');
    expect(
      check(user('counselor', undefined, [String(s.classId)]), s, { ...s, address: '河南省某地2号' }),
    ).toBeNull();
    expect(check(user('inspector', '/41/'), s, { ...s, address: 'x' })?.code).toBe('ROLE');
    expect(check(user('schoolAdmin'), s, { ...s, _deleted: true })?.code).toBe('DELETE');
  });
  it('invalid values are refused with the field named in Chinese', () => {
    const r = check(user('schoolAdmin'), s, { ...s, phone: '123' });
    expect(r?.field).toBe('phone');
    expect(r?.reason).toContain('联系电话');
  });

  it('one copy of the student rules: the server refuses what the app refuses (no family member, bad relation)', () => {
    const { guardians: _g, ...rest } = s as unknown as Record<string, unknown>;
    const orphan = {
      ...rest,
      id: 'new-1',
      idNo: '410105201001011233',
      statusNo: undefined,
      guardians: [],
    } as SyncDoc;
    expect(check(user('schoolAdmin'), null, orphan)).toMatchObject({ code: 'INVALID', field: 'guardians' });
    const badRelation = {
      ...s,
      guardians: [{ name: '王芳', relation: '舅舅', phone: '13800000000' }],
    } as SyncDoc;
    expect(check(user('schoolAdmin'), s, badRelation)).toMatchObject({
      code: 'INVALID',
      field: 'guardians.0.relation',
    });
    const noPhone = { ...s, guardians: [{ name: '王芳', relation: '2', phone: '' }] } as SyncDoc;
    expect(check(user('schoolAdmin'), s, noPhone)).toMatchObject({
      code: 'INVALID',
      field: 'guardians.0.phone',
    });
    // an old value the rules would refuse today does not block an edit of another field
    const legacy = { ...s, nationality: '中国' } as SyncDoc;
    expect(
      check(user('schoolAdmin'), legacy, { ...legacy, address: '河南省郑州市金水区文化路 1 号' }),
    ).toBeNull();
  });
});
