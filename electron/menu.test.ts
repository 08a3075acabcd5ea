import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from './menu';

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.label ? [item.label] : []),
    ...(Array.isArray(item.submenu) ? labels(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

const noop = { openArchiveRoot: () => undefined, showAbout: () => undefined };

describe('buildMenuTemplate', () => {
  it.each([
    ['Windows/Linux', false],
    ['macOS', true],
  ])('labels every item in Chinese (%s)', (_name, isMac) => {
    const all = labels(buildMenuTemplate({ isMac, isDev: true, actions: noop }));
    expect(all.length).toBeGreaterThan(15);
    for (const label of all) expect(label, label).toMatch(/^[\u4e00-\u9fff]+$/);
  });

  it('has the top-level menus an office user expects', () => {
    const top = buildMenuTemplate({ isMac: false, isDev: false, actions: noop }).map((m) => m.label);
    expect(top).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
  });

  it('offers developer tools only in development', () => {
    expect(labels(buildMenuTemplate({ isMac: false, isDev: false, actions: noop }))).not.toContain(
      '开发者工具',
    );
    expect(labels(buildMenuTemplate({ isMac: false, isDev: true, actions: noop }))).toContain('开发者工具');
  });

  it('wires the archive folder and about items to their actions', () => {
    const called: string[] = [];
    const menu = buildMenuTemplate({
      isMac: false,
      isDev: false,
      actions: {
        openArchiveRoot: () => void called.push('archive'),
        showAbout: () => void called.push('about'),
      },
    });
    const find = (label: string) =>
      menu.flatMap((m) => (m.submenu as MenuItemConstructorOptions[]) ?? []).find((i) => i.label === label);
    const click = (label: string) => (find(label)?.click as (() => void) | undefined)?.();
    click('打开学籍档案文件夹');
    click('关于学籍桌面端');
    expect(called).toEqual(['archive', 'about']);
  });
});
