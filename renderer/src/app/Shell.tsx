// The app frame: the side navigation of this user's desk (the route registry filtered by the authority
// table), a header with the org, the person and the sync state, the line saying whose data the screen
// shows, and the screen.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { lockNow } from '../db/local-lock';
import { useInbox, waitingCount } from '../features/inbox/use-inbox';
import { canOpen } from './access';
import { DESK_LABELS } from './desk';
import { HeaderStatus } from './header-status';
import { currentPath, href, matchPath, navigate, usePath } from './router';
import { homePath, navFor, openingPath, ROUTES } from './routes';
import { DeskScopeLine } from './scope-line';
import { useAuthUser, useDesk, useDeskKind } from './session';

export function Shell() {
  const { org, installation } = useDesk();
  const user = useAuthUser();
  const desk = useDeskKind();
  const path = usePath();
  const nav = useMemo(() => navFor(user), [user]);
  const home = useMemo(() => homePath(user), [user]);
  const matched = ROUTES.map((r) => ({ route: r, params: matchPath(r.path, path) })).find((m) => m.params);
  // An address of a screen this user may not use (typed, bookmarked, from another desk) is not shown.
  const open = matched ? canOpen(user, matched.route.access) : false;
  // The app opens on 待办 while something waits for this user (R-DAILY), else on the desk's home (a
  // school's roster, a bureau's schools). The shell mounts after a login, at each start and at each unlock
  // (the lock gate unmounts it), so this is decided once per mount, on the inbox's first reading of the
  // copy; no screen is shown before, so the app does not open one screen and jump to another.
  const waiting = waitingCount(useInbox().items);
  const [opened, setOpened] = useState(false);
  // Both decide on the address as it is now, not as last rendered: an address opened in between (a link,
  // a typed address) is not overwritten by a decision taken on the one before it.
  useEffect(() => {
    if (opened || waiting === undefined) return;
    const now = currentPath();
    const to = openingPath(now, home, waiting);
    if (to !== now) navigate(to);
    setOpened(true);
  }, [opened, waiting, home]);
  useEffect(() => {
    if (opened && path === '/' && currentPath() === '/') navigate(home);
  }, [opened, path, home]);
  useEffect(() => {
    document.title = matched ? `${matched.route.title} - 学籍桌面端` : '学籍桌面端';
  }, [matched]);
  // The entry whose path the current one starts with (a student page keeps 花名册 marked).
  const navKey =
    nav
      .filter((r) => path === r.path || path.startsWith(`${r.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0]?.path ?? home;

  return (
    <Layout style={{ height: '100vh' }}>
      <Layout.Header className="xj-header">
        <Space size={12}>
          <span className="xj-brand">学籍桌面端</span>
          <Typography.Text strong style={{ color: '#fff' }} data-testid="school-name">
            {org.name}
          </Typography.Text>
          <span className="xj-desk" data-testid="desk-kind">
            {DESK_LABELS[desk]}
          </span>
          {installation.demo ? <span className="xj-demo">演示数据</span> : null}
        </Space>
        <Space size={12}>
          <HeaderStatus />
          <span style={{ color: 'rgba(255,255,255,0.85)' }}>
            <UserOutlined /> {installation.operatorName}
          </span>
          <Button
            size="small"
            type="text"
            icon={<LockOutlined />}
            onClick={lockNow}
            className="xj-header-lock"
            title="锁定本机数据，离开座位时使用（须输入本机密码解锁）"
            data-testid="header-lock"
          >
            锁定
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={148} theme="light" className="xj-sider">
          {/* shown once the app has opened, so a click cannot be overtaken by the opening */}
          {opened ? (
            <Menu
              mode="inline"
              selectedKeys={[navKey]}
              items={nav.map((r) => ({
                key: r.path,
                icon: r.icon,
                label: r.badge ? (
                  <span>
                    {r.title}
                    {r.badge()}
                  </span>
                ) : (
                  r.title
                ),
              }))}
              onClick={({ key }) => navigate(key)}
              data-testid="side-nav"
            />
          ) : null}
        </Layout.Sider>
        <Layout.Content className="xj-content">
          {!opened ? null : matched?.params && open ? (
            <>
              <div className="xj-scope">
                {matched.route.scope ? matched.route.scope(matched.params) : <DeskScopeLine />}
              </div>
              <div className="xj-screen">{matched.route.element(matched.params)}</div>
            </>
          ) : matched?.params ? (
            <Result
              status="403"
              title="此页面不在您的工作范围内"
              subTitle={`“${matched.route.title}”是其他岗位使用的页面，${DESK_LABELS[desk]}不使用`}
              extra={<a href={href(home)}>返回首页</a>}
            />
          ) : path === '/' ? null : (
            <Result status="404" title="页面不存在" extra={<a href={href(home)}>返回首页</a>} />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
