import { describe, expect, it } from 'vitest';
import { changedOperations } from '../authority/fields';
import type { RowScope } from '../authority/relation';
import { generateStudents } from '../seed/roster';
import { parseCheckpoint, parseLimit, type SyncDoc, type SyncUser } from './protocol';
import { checkWrite, rOneRefusal } from './rules';

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
const scope: RowScope = { owner: { path: '/41/4101/SA/', classId: String(s.classId) } };
const check = (u: SyncUser, before: SyncDoc | null, after: SyncDoc) =>
  checkWrite({
    collection: 'students',
    user: u,
    before,
    after,
    scopeBefore: before ? scope : null,
    scopeAfter: { owner: { path: '/41/4101/SA/', classId: String(after.classId) } },
  });

describe('checkWrite (server rules for pushed rows, from the authority table)', () => {
  it('scope: another school is refused without naming where the row is', () => {
    const r = check(user('schoolAdmin', '/41/4101/SB/'), s, { ...s, address: 'x' });
    expect(r?.code).toBe('OUT_OF_SCOPE');
    expect(r?.reason).toBe(`学生“${String(s.name)}”不属于您（甲校）的管辖范围，服务器未接受此修改`);
  });
  it('org documents: settings and term dates change only through the settings endpoints, the rest only through the administration API', () => {
    const school: SyncDoc = {
      id: 'SA',
      kind: 'school',
      name: '甲校',
      parentId: '4101',
      path: '/41/4101/SA/',
      updatedAt: 'x',
    };
    const bureau = { ...user('bureau', '/41/4101/'), orgId: '4101' };
    const at: RowScope = { owner: { path: '/41/4101/SA/' } };
    const org = (before: SyncDoc | null, after: SyncDoc) =>
      checkWrite({
        collection: 'orgs',
        user: bureau,
        before,
        after,
        scopeBefore: before ? at : null,
        scopeAfter: at,
      });
    expect(org(school, { ...school, head: '王校长' })).toMatchObject({ code: 'ADMIN_API', field: 'id' });
    expect(org(school, { ...school, head: '王校长' })?.reason).toContain('单位管理');
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
    expect(org(withTerm, { ...withTerm, head: '李校长' })?.code).toBe('ADMIN_API');
  });
  it('status and key fields change only through a workflow, for every role (the bureau too)', () => {
    expect(check(user('schoolAdmin'), s, { ...s, status: 'withdrawn' })?.code).toBe('STATUS_FIELD');
    expect(check(user('schoolAdmin'), s, { ...s, name: '新名' })?.reason).toContain('“姓名”是关键字段');
    expect(check(user('bureau', '/41/'), s, { ...s, status: 'withdrawn' })?.code).toBe('STATUS_FIELD');
    expect(check(user('province', '/41/'), s, { ...s, classId: '2班' })?.reason).toContain(
      '只能由审批通过的学籍异动申请',
    );
    expect(check(user('bureau', '/41/'), s, { ...s, address: '河南省某地1号' })?.code).toBe('ROLE');
  });
  it('counselor: own classes only, no inserts; inspectors see no student; deletions refused', () => {
    expect(check(user('counselor', undefined, ['other']), s, { ...s, address: 'x' })?.code).toBe(
      'OUT_OF_SCOPE',
    );
    expect(check(user('counselor', undefined, [String(s.classId)]), null, s)?.code).toBe('ROLE');
    expect(
      check(user('counselor', undefined, [String(s.classId)]), s, { ...s, address: '河南省某地2号' }),
    ).toBeNull();
    // An inspector reads no student (issue 14: only its inspections' visit packs), so a student is out of its
    // scope altogether: refused without saying the row exists.
    expect(check(user('inspector', '/41/'), s, { ...s, address: 'x' })?.code).toBe('OUT_OF_SCOPE');
    expect(check(user('schoolAdmin'), s, { ...s, _deleted: true })?.code).toBe('DELETE');
    expect(check(user('province', '/41/'), s, { ...s, _deleted: true })?.code).toBe('DELETE');
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
  it('the key-field set is the one passed in (the province setting)', () => {
    const loose = checkWrite({
      collection: 'students',
      user: user('schoolAdmin'),
      before: s,
      after: { ...s, name: '新名' },
      scopeBefore: scope,
      scopeAfter: scope,
      keyFields: ['idNo'],
    });
    expect(loose).toBeNull();
  });
  it('fields by class: workflow before key before ordinary', () => {
    expect(
      changedOperations('students', s, { ...s, status: 'x', name: 'y', address: 'z' }, ['name']),
    ).toEqual([
      { op: 'updateWorkflow', fields: ['status'] },
      { op: 'updateKey', fields: ['name'] },
      { op: 'update', fields: ['address'] },
    ]);
    expect(
      changedOperations('syncIssues', { status: 'open', mine: 1 }, { status: 'resolved', mine: 2 }, []),
    ).toEqual([
      { op: 'updateKey', fields: ['mine'] },
      { op: 'update', fields: ['status'] },
    ]);
  });
});

describe('R-ONE refusals (YQ 四(一)) never name the other person', () => {
  it('elsewhere: no school unless the name matched; the school when it did; limited', () => {
    expect(rOneRefusal({ kind: 'elsewhere' }).reason).toBe(
      'R-ONE 一人一籍（YQ 四(一)）：该身份证件号已在其他学校注册学籍，不能重复建籍',
    );
    expect(rOneRefusal({ kind: 'elsewhere', school: '乙校' }).reason).toContain('已在“乙校”注册学籍');
    expect(rOneRefusal({ kind: 'limited', minutes: 42 })).toMatchObject({ code: 'R-ONE-LIMIT' });
  });
});

describe('checkpoints and limits are parsed strictly', () => {
  it('only {"seq": n} with n a non-negative safe integer', () => {
    expect(parseCheckpoint(undefined)).toBeNull();
    expect(parseCheckpoint('null')).toBeNull();
    expect(parseCheckpoint('{"seq":12}')).toEqual({ seq: 12 });
    for (const bad of [
      '{"seq":true}',
      '{"seq":"1"}',
      '{"seq":1,"x":0}',
      '[1]',
      '{"seq":-1}',
      '{"seq":1.5}',
      '1',
      'abc',
      '{"seq":1e300}',
      '{}',
    ])
      expect(parseCheckpoint(bad), bad).toBe('invalid');
  });
  it('limit: digits only, within 1…max', () => {
    expect(parseLimit(undefined, 500, 2000)).toBe(500);
    expect(parseLimit('2000', 500, 2000)).toBe(2000);
    for (const bad of ['0', '2001', '1e3', ' 5', '5.0', '-1', '0x10', ''])
      expect(parseLimit(bad, 500, 2000), bad).toBe('invalid');
  });
});
