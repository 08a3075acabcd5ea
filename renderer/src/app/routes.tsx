// The route registry: one entry per screen (path, Chinese title, icon, element) and what the screen needs
// in the authority table's terms (`access`, see access.ts): the shell shows a screen — in the navigation
// and when its address is opened — only to a user who has one of its needs, so no role sees a screen it
// cannot use, and there is no second list of roles beside shared/authority/table.ts.
//
// Feature areas add their screens without touching the shell: export an `AppRoute[]` from
// `features/<area>/routes.tsx` and spread it into ROUTES below. Entries with `nav` appear in the side
// navigation ordered by `nav.order` (gaps of 10 leave room); a desk's home is the first navigation entry it
// may open (homePath). `scope` says whose data the screen shows, in the line above it (the default is the
// desk's own org and, for a counselor, their classes).
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
import type { AuthUser } from '../../../shared/authority/relation';
import { ADMIN_ROUTES } from '../features/admin/routes';
import { ArchivePage } from '../features/archive/ArchivePage';
import { BUREAU_ROUTES } from '../features/bureau/routes';
import { CHANGE_ROUTES } from '../features/changes/routes';
import { ImportPage } from '../features/import/ImportPage';
import { INBOX_PATH, INBOX_ROUTES } from '../features/inbox/routes';
import { INSPECTION_ROUTES } from '../features/inspections/routes';
import { RosterPage } from '../features/roster/RosterPage';
import { StudentCreatePage } from '../features/roster/StudentCreatePage';
import { StudentPage } from '../features/roster/StudentPage';
import { RulesPage } from '../features/rules/RulesPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { ConflictInbox } from '../features/sync/ConflictInbox';
import { RecordSyncIssues } from '../features/sync/RecordSyncIssues';
import { SyncPanel } from '../features/sync/SyncPanel';
import { VERIFICATION_ROUTES } from '../features/verification/routes';
import { VerifyFormPage } from '../features/verify/VerifyFormPage';
import { AREA_STUDENTS, canOpen, EDIT_OWN_STUDENTS, OWN_STUDENTS, RESOLVE_CONFLICTS } from './access';
import type { AppRoute } from './route-types';
import { SchoolOfStudent } from './school-scope';
import { StudentScopeLine } from './scope-line';

export type { AppRoute };

const CORE_ROUTES: AppRoute[] = [
  {
    path: '/roster',
    title: '花名册',
    icon: <TeamOutlined />,
    nav: { order: 10 },
    access: [OWN_STUDENTS],
    element: () => <RosterPage />,
  },
  // before "/students/:id", which would take "new" for an id; the page gives the table's reason to a
  // user who may read the roster but not add to it (a counselor)
  {
    path: '/students/new',
    title: '新增学生',
    access: [OWN_STUDENTS],
    element: () => <StudentCreatePage />,
  },
  {
    path: '/students/:id',
    title: '学生信息',
    access: [OWN_STUDENTS, AREA_STUDENTS],
    // The server's refusals and open conflicts of this student show above the record (renderer/src/sync).
    // On an area desk the student's school is looked up first (read-only, school-scope.tsx).
    scope: ({ id }) => <StudentScopeLine id={id as string} />,
    element: ({ id }) => (
      <SchoolOfStudent id={id as string}>
        <RecordSyncIssues docId={id as string} />
        <StudentPage id={id as string} />
      </SchoolOfStudent>
    ),
  },
  {
    path: '/import',
    title: '导入导出',
    icon: <ImportOutlined />,
    nav: { order: 30 },
    access: [OWN_STUDENTS],
    element: () => <ImportPage />,
  },
  {
    path: '/archive',
    title: '纸质档案',
    icon: <FolderOpenOutlined />,
    nav: { order: 40 },
    access: [EDIT_OWN_STUDENTS],
    element: () => <ArchivePage />,
  },
  {
    path: '/verify',
    title: '核验表单',
    icon: <SafetyCertificateOutlined />,
    nav: { order: 50 },
    access: [OWN_STUDENTS],
    element: () => <VerifyFormPage />,
  },
  {
    path: '/rules',
    title: '政策规则',
    icon: <BookOutlined />,
    nav: { order: 80 },
    access: [],
    element: () => <RulesPage />,
  },
  // A link to one rule (RuleRef): the same page, that rule shown and highlighted.
  { path: '/rules/:id', title: '政策规则', access: [], element: ({ id }) => <RulesPage focus={id} /> },
  {
    path: '/sync',
    title: '同步',
    icon: <CloudSyncOutlined />,
    nav: { order: 90 },
    access: [],
    element: () => <SyncPanel />,
  },
  {
    path: '/conflicts',
    title: '冲突收件箱',
    icon: <InboxOutlined />,
    nav: { order: 100 },
    access: [RESOLVE_CONFLICTS],
    element: () => <ConflictInbox />,
  },
  {
    path: '/settings',
    title: '本机设置',
    icon: <SettingOutlined />,
    nav: { order: 110 },
    access: [],
    element: () => <SettingsPage />,
  },
];

/** Every screen. Feature areas spread their `AppRoute[]` in here (see the head of this file). */
export const ROUTES: readonly AppRoute[] = [
  ...INBOX_ROUTES,
  ...CORE_ROUTES,
  ...BUREAU_ROUTES,
  ...CHANGE_ROUTES,
  ...VERIFICATION_ROUTES,
  ...ADMIN_ROUTES,
  ...INSPECTION_ROUTES,
];

/** The screens this user may open. */
export function routesFor(user: Pick<AuthUser, 'role'>, routes: readonly AppRoute[] = ROUTES): AppRoute[] {
  return routes.filter((r) => canOpen(user, r.access));
}

/** The side navigation of this user, in order. */
export function navFor(user: Pick<AuthUser, 'role'>, routes: readonly AppRoute[] = ROUTES): AppRoute[] {
  return routesFor(user, routes)
    .filter((r) => r.nav)
    .sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0));
}

/** A desk's home: the first screen of its navigation (the inbox only while it holds work, see Shell). */
export function homePath(user: Pick<AuthUser, 'role'>, routes: readonly AppRoute[] = ROUTES): string {
  return navFor(user, routes).filter((r) => !r.notHome)[0]?.path ?? '/settings';
}

/**
 * Where the app opens (R-DAILY, YQ 四(一): pending work is looked at every day) — after a login, at each
 * start and each unlock: on 待办 while something waits for this user, else on the address it was opened
 * at (a reload keeps its screen), or the desk's home from the bare address.
 */
export function openingPath(path: string, home: string, waiting: number): string {
  if (waiting > 0) return INBOX_PATH;
  return path === '/' ? home : path;
}
