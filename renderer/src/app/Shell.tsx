// The app frame: side navigation from the route registry, a header with the school and the sync state.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { lockNow } from '../db/local-lock';
import { HeaderStatus } from './header-status';
import { matchPath, navigate, usePath } from './router';
import { HOME_PATH, ROUTES } from './routes';
import { useSchool } from './school-context';

export function Shell() {
  const { school, settings } = useSchool();
  const path = usePath();
  const matched = ROUTES.map((r) => ({ route: r, params: matchPath(r.path, path) })).find((m) => m.params);
  useEffect(() => {
    if (path === '/') navigate(HOME_PATH);
  }, [path]);
  useEffect(() => {
    document.title = matched ? `${matched.route.title} - 学籍桌面端` : '学籍桌面端';
  }, [matched]);
  const navKey = ROUTES.filter((r) => r.nav).find((r) => path.startsWith(r.path))?.path ?? HOME_PATH;

  return (
    <Layout style={{ height: '100vh' }}>
      <Layout.Header className="xj-header">
        <Space size={12}>
          <span className="xj-brand">学籍桌面端</span>
          <Typography.Text strong style={{ color: '#fff' }} data-testid="school-name">
            {school.name}
          </Typography.Text>
          {settings.demo ? <span className="xj-demo">演示数据</span> : null}
        </Space>
        <Space size={12}>
          <HeaderStatus />
          <span style={{ color: 'rgba(255,255,255,0.85)' }}>
            <UserOutlined /> {settings.operatorName}
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
          <Menu
            mode="inline"
            selectedKeys={[navKey]}
            items={ROUTES.filter((r) => r.nav).map((r) => ({ key: r.path, icon: r.icon, label: r.title }))}
            onClick={({ key }) => navigate(key)}
          />
        </Layout.Sider>
        <Layout.Content className="xj-content">
          {matched?.params ? (
            matched.route.element(matched.params)
          ) : path === '/' ? null : (
            <Result status="404" title="页面不存在" extra={<a href={`#${HOME_PATH}`}>返回花名册</a>} />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
