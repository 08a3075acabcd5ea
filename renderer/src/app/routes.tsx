// The route registry: one entry per screen. Feature areas add their entries here (path, Chinese title,
// icon, element); entries with `nav: true` appear in the side navigation in this order.
import {
  BookOutlined,
  CloudSyncOutlined,
  FolderOpenOutlined,
  ImportOutlined,
  InboxOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { ADMIN_ROUTES } from '../features/admin/routes';
import { ArchivePage } from '../features/archive/ArchivePage';
import { ImportPage } from '../features/import/ImportPage';
import { RosterPage } from '../features/roster/RosterPage';
import { StudentCreatePage } from '../features/roster/StudentCreatePage';
import { StudentPage } from '../features/roster/StudentPage';
import { RulesPage } from '../features/rules/RulesPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { ConflictInbox } from '../features/sync/ConflictInbox';
import { RecordSyncIssues } from '../features/sync/RecordSyncIssues';
import { SyncPanel } from '../features/sync/SyncPanel';
import { VerifyFormPage } from '../features/verify/VerifyFormPage';

export type AppRoute = {
  /** hash path; ":name" segments become params */
  path: string;
  title: string;
  icon?: ReactNode;
  nav?: boolean;
  element: (params: Record<string, string>) => ReactNode;
};

export const ROUTES: AppRoute[] = [
  { path: '/roster', title: '花名册', icon: <TeamOutlined />, nav: true, element: () => <RosterPage /> },
  // before "/students/:id", which would take "new" for an id
  { path: '/students/new', title: '新增学生', element: () => <StudentCreatePage /> },
  {
    path: '/students/:id',
    title: '学生信息',
    // The server's refusals and open conflicts of this student show above the record (renderer/src/sync).
    element: ({ id }) => (
      <>
        <RecordSyncIssues docId={id as string} />
        <StudentPage id={id as string} />
      </>
    ),
  },
  { path: '/import', title: '导入导出', icon: <ImportOutlined />, nav: true, element: () => <ImportPage /> },
  {
    path: '/archive',
    title: '纸质档案',
    icon: <FolderOpenOutlined />,
    nav: true,
    element: () => <ArchivePage />,
  },
  {
    path: '/verify',
    title: '核验表单',
    icon: <SafetyCertificateOutlined />,
    nav: true,
    element: () => <VerifyFormPage />,
  },
  { path: '/rules', title: '政策规则', icon: <BookOutlined />, nav: true, element: () => <RulesPage /> },
  // A link to one rule (RuleRef): the same page, that rule shown and highlighted.
  { path: '/rules/:id', title: '政策规则', element: ({ id }) => <RulesPage focus={id} /> },
  { path: '/sync', title: '同步', icon: <CloudSyncOutlined />, nav: true, element: () => <SyncPanel /> },
  {
    path: '/conflicts',
    title: '冲突收件箱',
    icon: <InboxOutlined />,
    nav: true,
    element: () => <ConflictInbox />,
  },
  {
    path: '/settings',
    title: '本机设置',
    icon: <SettingOutlined />,
    nav: true,
    element: () => <SettingsPage />,
  },
  ...ADMIN_ROUTES,
];

export const HOME_PATH = '/roster';
