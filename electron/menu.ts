// The application menu, in Chinese. Built as data so its labels can be checked in a test.
import type { MenuItemConstructorOptions } from 'electron';

export type MenuActions = {
  openArchiveRoot(): void;
  showAbout(): void;
};

export function buildMenuTemplate(options: {
  isMac: boolean;
  /** developer tools only in an unpackaged (development) build */
  isDev: boolean;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { isMac, isDev, actions } = options;
  const view: MenuItemConstructorOptions[] = [
    { label: '重新加载', role: 'reload' },
    { type: 'separator' },
    { label: '实际大小', role: 'resetZoom' },
    { label: '放大', role: 'zoomIn' },
    { label: '缩小', role: 'zoomOut' },
    { type: 'separator' },
    { label: '全屏', role: 'togglefullscreen' },
  ];
  if (isDev) view.push({ type: 'separator' }, { label: '开发者工具', role: 'toggleDevTools' });
  return [
    ...(isMac
      ? [
          {
            label: '学籍桌面端',
            submenu: [
              { label: '关于学籍桌面端', click: () => actions.showAbout() },
              { type: 'separator' },
              { label: '隐藏学籍桌面端', role: 'hide' },
              { label: '隐藏其他', role: 'hideOthers' },
              { type: 'separator' },
              { label: '退出学籍桌面端', role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: '文件',
      submenu: [
        { label: '打开学籍档案文件夹', click: () => actions.openArchiveRoot() },
        { type: 'separator' },
        isMac ? { label: '关闭窗口', role: 'close' } : { label: '退出', role: 'quit' },
      ],
    },
    {
      label: '编辑',
      submenu: [
        { label: '撤销', role: 'undo' },
        { label: '重做', role: 'redo' },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    { label: '视图', submenu: view },
    {
      label: '窗口',
      submenu: [
        { label: '最小化', role: 'minimize' },
        { label: '关闭', role: 'close' },
      ],
    },
    {
      label: '帮助',
      submenu: [{ label: '关于学籍桌面端', click: () => actions.showAbout() }],
    },
  ];
}
