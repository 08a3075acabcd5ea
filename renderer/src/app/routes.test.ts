// The shell shows a screen only to a user the authority table entitles to it (issue 11: "no role sees a
// screen it cannot use"), and each desk gets its home: checked for every role against the real registry.
import { describe, expect, it } from 'vitest';
import { ACTIONS, AUTHORITY, OPERATIONS, ROLES } from '../../../shared/authority/table';
import type { Role } from '../../../shared/sync/protocol';
import { hasNeed } from './access';
import { homePath, navFor, openingPath, ROUTES, routesFor } from './routes';

const nav = (role: Role) => navFor({ role }).map((r) => r.title);

describe('the route registry', () => {
  it('gives the school admin the school desk with the roster as home (the inbox only while it holds work)', () => {
    expect(nav('schoolAdmin')).toEqual([
      '待办',
      '花名册',
      '检查',
      '学籍异动',
      '变动名册',
      '导入导出',
      '纸质档案',
      '核验表单',
      '学校自查',
      '核验任务',
      '核验处理',
      '核验统计',
      '请假',
      '核验申诉',
      '账号管理',
      '登录设备',
      '操作记录',
      '政策规则',
      '同步',
      '冲突收件箱',
      '我的账号',
      '本机设置',
    ]);
    expect(homePath({ role: 'schoolAdmin' })).toBe('/roster');
  });

  it('gives a counselor their classes’ roster, archive and student pages', () => {
    expect(nav('counselor')).toContain('花名册');
    expect(nav('counselor')).toContain('纸质档案');
    expect(homePath({ role: 'counselor' })).toBe('/roster');
  });

  it('gives the school desks routine verification; an area desk the same, read across its schools', () => {
    expect(nav('counselor')).toEqual(expect.arrayContaining(['核验任务', '核验处理', '请假', '核验申诉']));
    for (const role of ['bureau', 'province'] as const) {
      expect(nav(role)).toEqual(
        expect.arrayContaining(['核验任务', '核验处理', '核验统计', '请假', '核验申诉']),
      );
    }
  });

  it('gives every desk the 待办 inbox; the bureaus and the province the requests and the change roster', () => {
    for (const role of ROLES) expect(nav(role)[0]).toBe('待办');
    for (const role of ['bureau', 'province', 'schoolAdmin'] as const) {
      expect(nav(role)).toContain('学籍异动');
      expect(nav(role)).toContain('变动名册');
    }
    // a counselor reads no change requests (the authority table), so the screens are not theirs
    expect(nav('counselor')).not.toContain('学籍异动');
    // only a school starts a request
    for (const role of ['bureau', 'province', 'inspector', 'counselor'] as const)
      expect(routesFor({ role }).map((r) => r.path)).not.toContain('/transfer-in');
  });

  it('shows the school screens to no bureau, province or inspector', () => {
    for (const role of ['bureau', 'province', 'inspector'] as const) {
      expect(nav(role)).not.toContain('花名册');
      expect(nav(role)).not.toContain('导入导出');
      expect(nav(role)).not.toContain('纸质档案');
    }
    // a bureau or the province opens a student's page of its area (read-only); an inspector reads no
    // student records at all (its visit pack carries what an inspection needs)
    for (const role of ['bureau', 'province'] as const)
      expect(routesFor({ role }).map((r) => r.path)).toContain('/students/:id');
    expect(routesFor({ role: 'inspector' }).map((r) => r.path)).not.toContain('/students/:id');
  });

  it('gives the parties of an inspection its screens, the plan only to a bureau, and the inspector 检查 as home', () => {
    for (const role of ['bureau', 'inspector', 'schoolAdmin'] as const) {
      expect(routesFor({ role }).map((r) => r.path)).toContain('/inspections/visit/:id');
      expect(nav(role)).toContain('检查');
    }
    for (const role of ['province', 'counselor'] as const) expect(nav(role)).not.toContain('检查');
    expect(
      ROLES.filter((role) => routesFor({ role }).some((r) => r.path === '/inspections/plan/:id')),
    ).toEqual(['bureau']);
    expect(homePath({ role: 'inspector' })).toBe('/inspections');
  });

  it('gives the administration screens to those the table lets administer (issue 11)', () => {
    // orgs below one's own: the province and bureaus; a school admin opens accounts (its counselors) but no org
    for (const role of ['province', 'bureau'] as const) {
      expect(nav(role)).toEqual(
        expect.arrayContaining(['单位管理', '账号管理', '操作记录', '登录设备', '我的账号']),
      );
    }
    expect(nav('schoolAdmin')).not.toContain('单位管理');
    // a counselor and an inspector administer nothing, but see their own devices and account
    for (const role of ['counselor', 'inspector'] as const) {
      expect(nav(role)).not.toContain('单位管理');
      expect(nav(role)).not.toContain('账号管理');
      expect(nav(role)).not.toContain('操作记录');
      expect(nav(role)).toEqual(expect.arrayContaining(['登录设备', '我的账号']));
    }
  });

  it('names only collections, operations and actions the authority table has (a typo would deny everyone)', () => {
    for (const r of ROUTES)
      for (const n of r.access) {
        if ('action' in n) expect(Object.keys(ACTIONS), r.path).toContain(n.action);
        else {
          expect(Object.keys(AUTHORITY), r.path).toContain(n.collection);
          expect(OPERATIONS, r.path).toContain(n.op);
          // somebody holds the need, or the screen would exist for nobody
          expect(
            ROLES.some((role) => hasNeed({ role }, n)),
            `${r.path} ${n.collection}`,
          ).toBe(true);
        }
      }
  });

  it('has one entry per path and a home for every role', () => {
    const paths = ROUTES.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const role of ROLES) expect(routesFor({ role }).map((r) => r.path)).toContain(homePath({ role }));
  });

  it('opens on 待办 while something waits for the user (R-DAILY), else where it was opened or the desk’s home', () => {
    const home = homePath({ role: 'schoolAdmin' });
    expect(openingPath('/', home, 2)).toBe('/inbox');
    expect(openingPath('/students/S1', home, 1)).toBe('/inbox');
    expect(openingPath('/', home, 0)).toBe('/roster');
    expect(openingPath('/archive', home, 0)).toBe('/archive');
    expect(openingPath('/', homePath({ role: 'bureau' }), 0)).not.toBe('/inbox');
  });
});
