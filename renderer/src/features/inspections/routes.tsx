// The inspections screens (issue 14): the list of inspection records this desk holds, a bureau's plan (the
// draw and its publication) and one inspection (on site, its record, report and follow-ups). Each needs
// reading inspection records as one of their parties (the authority table's `inspections` grants); the plan
// also the bureau's draw (the table's action list).
import { AuditOutlined, FileSearchOutlined } from '@ant-design/icons';
import type { Need } from '../../app/access';
import type { AppRoute } from '../../app/route-types';
import { InspectionsPage } from './InspectionsPage';
import { PlanPage } from './PlanPage';
import { SelfCheckPage } from './SelfCheckPage';
import { VisitPage } from './VisitPage';

/** an inspection record as one of its parties: its bureau, its drawn inspectors, the inspected school */
export const INSPECTION_PARTY: Need = {
  collection: 'inspections',
  op: 'read',
  at: ['ownOrg', 'self', 'party'],
};
/** drawing inspections: the bureau's register of schools and inspectors */
export const INSPECTION_DRAW: Need = { action: 'inspectionDraw' };
/** a school's self-check on its own data */
export const SELF_CHECK: Need = { action: 'selfCheck' };

export const INSPECTION_ROUTES: AppRoute[] = [
  {
    path: '/inspections',
    title: '检查',
    icon: <AuditOutlined />,
    nav: { order: 18 },
    access: [INSPECTION_PARTY],
    element: () => <InspectionsPage />,
  },
  {
    path: '/self-check',
    title: '学校自查',
    icon: <FileSearchOutlined />,
    nav: { order: 52 },
    access: [SELF_CHECK],
    element: () => <SelfCheckPage />,
  },
  {
    path: '/inspections/plan/:id',
    title: '抽查计划',
    access: [INSPECTION_DRAW],
    element: ({ id }) => <PlanPage id={id as string} />,
  },
  {
    path: '/inspections/visit/:id',
    title: '实地核查',
    access: [INSPECTION_PARTY],
    element: ({ id }) => <VisitPage id={id as string} />,
  },
];
