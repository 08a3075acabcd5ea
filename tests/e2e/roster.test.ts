// The registrar's first minutes (issue 2): demo school, find a student by pinyin initials, edit the phone,
// reload, and the edit is still there — read back from IndexedDB — with its history entry.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { pinyinKeys } from '../../shared/domain/names';
import { generateStudents } from '../../shared/seed/roster';
import { RosterApp } from './pages/roster-app';

let app: RosterApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('roster in chromium (real IndexedDB)', () => {
  it('demo school → pinyin-initials search → edit phone → reload: persisted with history (R-WHO)', async () => {
    app = await RosterApp.open(inject('webUrl'));
    await app.loadDemo('1,500');
    await expect.poll(() => app?.count.textContent()).toBe('共 1,500 人');
    await expect.poll(() => app?.syncState.textContent()).toBe('未连接省级平台');
    expect(await app.schoolName.textContent()).toContain('演示');

    // The demo uses the same generator as `xueji seed`; pick a student whose initials are unique.
    const roster = generateStudents({ count: 1500, seed: 2026, schoolType: 'vocational' });
    const initialsCount = new Map<string, number>();
    for (const s of roster) {
      const k = pinyinKeys(s.name).initials;
      initialsCount.set(k, (initialsCount.get(k) ?? 0) + 1);
    }
    const target = roster.find(
      (s) => s.name.length === 3 && initialsCount.get(pinyinKeys(s.name).initials) === 1,
    );
    if (!target) throw new Error('no student with unique initials');
    const initials = pinyinKeys(target.name).initials;
    await app.search(initials);
    await expect.poll(() => app?.count.textContent()).toMatch(/^筛选出 \d+ 人 \/ 共 1,500 人$/);
    await expect.poll(() => app?.rows.filter({ hasText: target.name }).count()).toBe(1);

    await app.openStudent(target.name);
    expect(await app.field('身份证件号').textContent()).toBe(target.idNo);
    expect(await app.field('联系电话').textContent()).toBe(target.phone);

    await app.edit({ 联系电话: '12345' });
    await app.fieldError('联系电话“12345”不是有效的手机号').waitFor();
    await app.edit({ 联系电话: '13912345678' });
    await app.page.getByTestId('student-edit').waitFor();

    await app.reload();
    await app.page.getByTestId('student-name').filter({ hasText: target.name }).waitFor();
    await expect.poll(() => app?.field('联系电话').textContent()).toBe('13912345678');
    const history = await app.history.textContent();
    expect(history).toContain('演示管理员');
    expect(history).toContain(`联系电话：${target.phone} → 13912345678`);
    expect(app.errors).toEqual([]);
  });

  it('first start: the school profile form names bad fields in Chinese, then opens an empty roster', async () => {
    app = await RosterApp.open(inject('webUrl'));
    const profile = {
      学校名称: '郑州市第二职业中等专业学校',
      学校标识码: '41410',
      所在区县: '金水区',
      区县行政区划代码: '410105',
      学籍管理员姓名: '李老师',
    };
    await app.fillProfile(profile);
    await app.fieldError('学校标识码应为 10 位数字').waitFor();
    await app.fillProfile({ ...profile, 学校标识码: '4141010502' });
    await expect.poll(() => app?.schoolName.textContent()).toBe('郑州市第二职业中等专业学校');
    await app.page.getByText('花名册还是空的').waitFor();
    await app.reload();
    await expect.poll(() => app?.schoolName.textContent()).toBe('郑州市第二职业中等专业学校');
    expect(app.errors).toEqual([]);
  });
});
