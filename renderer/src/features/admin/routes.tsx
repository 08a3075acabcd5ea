// The administration screens (issue 11) as entries of the app's route registry (renderer/src/app/routes.tsx
// spreads them in). Each says what it needs in the authority table's terms, so the shell shows it only to
// those the table lets do that: 单位管理 to who may create orgs (the province, bureaus), 账号管理 and 操作记录 to
// who may create accounts or read the audit (the province, bureaus, school admins), 登录设备 and 我的账号 to
// every signed-in desk.
import {
  ApartmentOutlined,
  AuditOutlined,
  DesktopOutlined,
  IdcardOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Need } from '../../app/access';
import type { AppRoute } from '../../app/route-types';
import { AccountPage } from './AccountPage';
import { AccountsPage } from './AccountsPage';
import { AuditPage } from './AuditPage';
import { DevicesPage } from './DevicesPage';
import { OrgsPage } from './OrgsPage';

/** creating orgs below one's own (the province, bureaus) */
export const ADMINISTER_ORGS: Need = { collection: 'orgs', op: 'create', at: ['subtree'] };
/** opening accounts at one's org or below (the province, bureaus, school admins) */
export const ADMINISTER_ACCOUNTS: Need = { collection: 'users', op: 'create', at: ['ownOrg', 'subtree'] };
/** reading the record of administrative writes */
export const READ_AUDIT: Need = { collection: 'adminAudit', op: 'read', at: ['ownOrg'] };
/** seeing one's own login devices (every role) */
export const OWN_DEVICES: Need = { collection: 'devices', op: 'read', at: ['self'] };

export const ADMIN_ROUTES: AppRoute[] = [
  {
    path: '/admin/orgs',
    title: '单位管理',
    icon: <ApartmentOutlined />,
    nav: { order: 60 },
    access: [ADMINISTER_ORGS],
    element: () => <OrgsPage />,
  },
  {
    path: '/admin/accounts',
    title: '账号管理',
    icon: <IdcardOutlined />,
    nav: { order: 62 },
    access: [ADMINISTER_ACCOUNTS],
    element: () => <AccountsPage />,
  },
  {
    path: '/admin/devices',
    title: '登录设备',
    icon: <DesktopOutlined />,
    nav: { order: 64 },
    access: [OWN_DEVICES],
    element: () => <DevicesPage />,
  },
  {
    path: '/admin/audit',
    title: '操作记录',
    icon: <AuditOutlined />,
    nav: { order: 66 },
    access: [READ_AUDIT],
    element: () => <AuditPage />,
  },
  {
    path: '/admin/audit/:target',
    title: '操作记录',
    access: [READ_AUDIT],
    element: ({ target }) => <AuditPage targetId={target} />,
  },
  {
    path: '/account',
    title: '我的账号',
    icon: <UserOutlined />,
    nav: { order: 105 },
    access: [OWN_DEVICES],
    element: () => <AccountPage />,
  },
];
