// 学籍异动 and 基本信息变更 (issue 12): the requests of this desk, one request with its decisions, a new
// request from the student page or for a class, a transfer-in, and the term's 学籍变动名册. Reading change
// requests opens them (a school its own and the transfers it sends, a bureau and the province those below
// them); starting one needs creating them in one's own org (a school's registrar).
import { SwapOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Result } from 'antd';
import type { ReactNode } from 'react';
import type { Need } from '../../app/access';
import type { AppRoute } from '../../app/route-types';
import { useSchoolOrNull } from '../../app/school-context';
import { SchoolOfStudent } from '../../app/school-scope';
import { StudentScopeLine } from '../../app/scope-line';
import { ChangeNewPage } from './ChangeNewPage';
import { ChangePage } from './ChangePage';
import { ChangeRosterPage } from './ChangeRosterPage';
import { ChangesPage } from './ChangesPage';
import { correctionReason, INFO_CONFIRM_PATH, InfoConfirmReturnPage } from './InfoConfirmReturnPage';
import { TransferInPage } from './TransferInPage';

/** reading the requests one is a party of */
export const READ_CHANGES: Need = {
  collection: 'changeRequests',
  op: 'read',
  at: ['ownOrg', 'subtree', 'party'],
};
/** starting a request of one's own school */
export const START_CHANGES: Need = { collection: 'changeRequests', op: 'create', at: ['ownOrg'] };

/** A school screen outside a school desk (a bureau opening a school's address) says so instead. */
function SchoolOnly({ children }: { children: ReactNode }) {
  const school = useSchoolOrNull();
  if (!school) return <Result status="info" title="此页面由学校的学籍管理员使用" />;
  return children;
}

export const CHANGE_ROUTES: AppRoute[] = [
  {
    path: '/changes',
    title: '学籍异动',
    icon: <SwapOutlined />,
    nav: { order: 20 },
    access: [READ_CHANGES],
    element: () => <ChangesPage />,
  },
  {
    path: '/changes/new/:type',
    title: '新建学籍异动',
    access: [START_CHANGES],
    element: ({ type }) => (
      <SchoolOnly>
        <ChangeNewPage type={type as string} studentIds={[]} />
      </SchoolOnly>
    ),
  },
  {
    path: '/changes/:id',
    title: '学籍异动申请',
    access: [READ_CHANGES],
    element: ({ id }) => <ChangePage id={id as string} />,
  },
  {
    path: '/students/:id/change/:type',
    title: '新建学籍异动',
    access: [START_CHANGES],
    scope: ({ id }) => <StudentScopeLine id={id as string} />,
    element: ({ id, type }) => (
      <SchoolOfStudent id={id as string}>
        <ChangeNewPage type={type as string} studentIds={[id as string]} />
      </SchoolOfStudent>
    ),
  },
  {
    path: INFO_CONFIRM_PATH,
    title: '信息确认表回收',
    access: [START_CHANGES],
    element: () => (
      <SchoolOnly>
        <InfoConfirmReturnPage />
      </SchoolOnly>
    ),
  },
  {
    path: `${INFO_CONFIRM_PATH}/:id/correct`,
    title: '确认表更正',
    access: [START_CHANGES],
    scope: ({ id }) => <StudentScopeLine id={id as string} />,
    element: ({ id }) => (
      <SchoolOfStudent id={id as string}>
        <ChangeNewPage
          type="infoChange"
          studentIds={[id as string]}
          initialReason={correctionReason(`${new Date().getFullYear()}年度`)}
        />
      </SchoolOfStudent>
    ),
  },
  {
    path: '/transfer-in',
    title: '转入学生',
    access: [START_CHANGES],
    element: () => <TransferInPage />,
  },
  {
    path: '/change-roster',
    title: '变动名册',
    icon: <UnorderedListOutlined />,
    nav: { order: 25 },
    access: [READ_CHANGES],
    element: () => <ChangeRosterPage />,
  },
];
