// The area desks' screens (a county or city bureau, the province, an inspector): the schools of the area
// with their figures, one school's roster read-only, and finding a student across the area. Each needs
// reading the students of the schools below one's org (the authority table's `subtree`).
import { ApartmentOutlined, SearchOutlined } from '@ant-design/icons';
import { AREA_STUDENTS } from '../../app/access';
import type { AppRoute } from '../../app/route-types';
import { SchoolScopeLine } from '../../app/scope-line';
import { AreaSchoolPage } from './AreaSchoolPage';
import { AreaSearchPage } from './AreaSearchPage';
import { SchoolsPage } from './SchoolsPage';

export const BUREAU_ROUTES: AppRoute[] = [
  {
    path: '/schools',
    title: '学校',
    icon: <ApartmentOutlined />,
    nav: { order: 5 },
    access: [AREA_STUDENTS],
    element: () => <SchoolsPage />,
  },
  {
    path: '/schools/:id',
    title: '学校花名册',
    access: [AREA_STUDENTS],
    scope: ({ id }) => <SchoolScopeLine schoolId={id as string} />,
    element: ({ id }) => <AreaSchoolPage id={id as string} />,
  },
  {
    path: '/search',
    title: '学生查找',
    icon: <SearchOutlined />,
    nav: { order: 15 },
    access: [AREA_STUDENTS],
    element: () => <AreaSearchPage />,
  },
];
