// Routine verification's screens (issue 13), each with what it needs in the authority table's terms:
// the tasks and their results, the students' consequences (核验处理), statistics, leave and appeals.
import {
  AimOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ExclamationCircleOutlined,
} from '@ant-design/icons';
import type { AppRoute } from '../../app/route-types';
import { AppealsPage } from './AppealsPage';
import { READ_APPEALS, READ_LEAVES, READ_VERIFICATIONS } from './access';
import { DashboardPage } from './DashboardPage';
import { LeavesPage } from './LeavesPage';
import { StudentsPage } from './StudentsPage';
import { TaskPage } from './TaskPage';
import { TasksPage } from './TasksPage';
import './verification.css';

export const VERIFICATION_ROUTES: AppRoute[] = [
  {
    path: '/verification',
    title: '核验任务',
    icon: <AimOutlined />,
    nav: { order: 55 },
    access: [READ_VERIFICATIONS],
    element: () => <TasksPage />,
  },
  {
    path: '/verification/tasks/:id',
    title: '核验结果',
    access: [READ_VERIFICATIONS],
    element: ({ id }) => <TaskPage id={id as string} />,
  },
  {
    path: '/verification/students',
    title: '核验处理',
    icon: <ExclamationCircleOutlined />,
    nav: { order: 56 },
    access: [READ_VERIFICATIONS],
    element: () => <StudentsPage />,
  },
  {
    path: '/verification/dashboard',
    title: '核验统计',
    icon: <BarChartOutlined />,
    nav: { order: 57 },
    access: [READ_VERIFICATIONS],
    element: () => <DashboardPage />,
  },
  {
    path: '/leaves',
    title: '请假',
    icon: <CalendarOutlined />,
    nav: { order: 58 },
    access: [READ_LEAVES],
    element: () => <LeavesPage />,
  },
  {
    path: '/appeals',
    title: '核验申诉',
    icon: <AuditOutlined />,
    nav: { order: 59 },
    access: [READ_APPEALS],
    element: () => <AppealsPage />,
  },
];
