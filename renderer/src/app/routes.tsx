// The route registry: one entry per screen. Feature areas add their entries here (path, Chinese title,
// icon, element); entries with `nav: true` appear in the side navigation in this order.
import { FolderOpenOutlined, ImportOutlined, TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { ArchivePage } from '../features/archive/ArchivePage';
import { ImportPage } from '../features/import/ImportPage';
import { RosterPage } from '../features/roster/RosterPage';
import { StudentPage } from '../features/roster/StudentPage';

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
  { path: '/students/:id', title: '学生信息', element: ({ id }) => <StudentPage id={id as string} /> },
  { path: '/import', title: '导入导出', icon: <ImportOutlined />, nav: true, element: () => <ImportPage /> },
  {
    path: '/archive',
    title: '纸质档案',
    icon: <FolderOpenOutlined />,
    nav: true,
    element: () => <ArchivePage />,
  },
];

export const HOME_PATH = '/roster';
