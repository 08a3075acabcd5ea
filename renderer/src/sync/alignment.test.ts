// Which logins attach to the local copy and which would mix two scopes in it (issue 11: every role logs
// in; nobody sees a copy whose scope is not theirs).
import { describe, expect, it } from 'vitest';
import type { AreaSettings, LocalSettings } from '../../../shared/commands/school-setup';
import type { SyncUser } from '../../../shared/sync/protocol';
import { decideAlignment } from './alignment';

const user = (over: Partial<SyncUser>): SyncUser => ({
  id: 'u1',
  username: 'u1',
  displayName: 'U1',
  role: 'schoolAdmin',
  orgId: 'S1',
  orgName: '甲校',
  orgPath: '/41/4101/410105/S1/',
  classIds: [],
  ...over,
});
const school = (over: Partial<LocalSettings> = {}): LocalSettings => ({
  schoolId: 'S1',
  schoolType: 'k12',
  operatorName: '张老师',
  demo: false,
  ...over,
});
const area = (u: SyncUser): AreaSettings => ({
  kind: 'area',
  orgId: u.orgId,
  operatorName: u.displayName,
  demo: false,
  user: { ...u },
});
const align = (settings: LocalSettings | AreaSettings | null, u: SyncUser) =>
  decideAlignment({ settings, localSchoolName: '甲校', localStudents: 10, user: u }).kind;

describe('decideAlignment', () => {
  it('starts a fresh copy for every role on an empty machine', () => {
    for (const role of ['province', 'bureau', 'schoolAdmin', 'counselor', 'inspector'] as const)
      expect(align(null, user({ role }))).toBe('fresh');
  });

  it('attaches the registrar to a local profile and to their own download', () => {
    expect(align(school(), user({}))).toBe('attach');
    expect(align(school({ user: { ...user({}) } }), user({}))).toBe('attach');
  });

  it('attaches a bureau to its own area copy; refuses another bureau and a school account there', () => {
    const bureau = user({ id: 'b1', username: 'jinshui.bureau', role: 'bureau', orgId: '410105' });
    expect(align(area(bureau), bureau)).toBe('attach');
    expect(align(area(bureau), user({ role: 'bureau', orgId: '410122' }))).toBe('mismatch');
    expect(align(area(bureau), user({ orgId: '410105' }))).toBe('mismatch');
  });

  it('keeps a counselor off the registrar’s copy and off another counselor’s, and the registrar off theirs', () => {
    const c = user({ id: 'c1', username: 'c1', role: 'counselor', classIds: ['一(1)班', '一(2)班'] });
    expect(align(school(), c)).toBe('mismatch');
    expect(align(school({ user: { ...user({}) } }), c)).toBe('mismatch');
    expect(align(school({ user: { ...c } }), c)).toBe('attach');
    expect(align(school({ user: { ...c } }), { ...c, classIds: ['一(2)班', '一(1)班'] })).toBe('attach');
    expect(align(school({ user: { ...c } }), { ...c, classIds: ['一(3)班'] })).toBe('mismatch');
    expect(align(school({ user: { ...c } }), user({}))).toBe('mismatch');
  });

  it('never mixes the demo school or another school with a login', () => {
    expect(align(school({ demo: true }), user({}))).toBe('mismatch');
    expect(align(school({ schoolId: 'S2' }), user({}))).toBe('mismatch');
    expect(align(school(), user({ role: 'inspector', orgId: 'S1' }))).toBe('mismatch');
  });
});
