// The administration screens (issue 11): 单位管理, 账号管理, 登录设备, 操作记录 and 我的账号, as entries of the
// app's route registry (renderer/src/app/routes.tsx spreads them in).
import {
  ApartmentOutlined,
  AuditOutlined,
  DesktopOutlined,
  IdcardOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { AppRoute } from '../../app/routes';
import { AccountPage } from './AccountPage';
import { AccountsPage } from './AccountsPage';
import { AuditPage } from './AuditPage';
import { DevicesPage } from './DevicesPage';
import { OrgsPage } from './OrgsPage';

export const ADMIN_ROUTES: AppRoute[] = [
  {
    path: '/admin/orgs',
    title: '单位管理',
    icon: <ApartmentOutlined />,
    nav: true,
    element: () => <OrgsPage />,
  },
  {
    path: '/admin/accounts',
    title: '账号管理',
    icon: <IdcardOutlined />,
    nav: true,
    element: () => <AccountsPage />,
  },
  {
    path: '/admin/devices',
    title: '登录设备',
    icon: <DesktopOutlined />,
    nav: true,
    element: () => <DevicesPage />,
  },
  {
    path: '/admin/audit',
    title: '操作记录',
    icon: <AuditOutlined />,
    nav: true,
    element: () => <AuditPage />,
  },
  {
    path: '/admin/audit/:target',
    title: '操作记录',
    element: ({ target }) => <AuditPage targetId={target} />,
  },
  { path: '/account', title: '我的账号', icon: <UserOutlined />, nav: true, element: () => <AccountPage /> },
];
