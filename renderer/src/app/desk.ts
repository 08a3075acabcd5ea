// Which desk a user works at (issue 11): a school's registrar, a counselor, a county or city bureau, the
// province, an inspector. The desk names the home and the words of the header; what a desk may open is
// not decided here but by the authority table (access.ts).
import type { OrgDoc } from '../../../shared/domain/schemas';
import type { Role } from '../../../shared/sync/protocol';

export type Desk = 'school' | 'counselor' | 'county' | 'city' | 'province' | 'inspector';

export const DESK_LABELS: Record<Desk, string> = {
  school: '学校学籍管理员',
  counselor: '辅导员/班主任',
  county: '县区教育局',
  city: '市教育局',
  province: '省教育厅',
  inspector: '督查人员',
};

/** The desk of a role at an org (a bureau is a county's or a city's by the kind of its org). */
export function deskOf(role: Role, orgKind: OrgDoc['kind'] | undefined): Desk {
  switch (role) {
    case 'schoolAdmin':
      return 'school';
    case 'counselor':
      return 'counselor';
    case 'inspector':
      return 'inspector';
    case 'province':
      return 'province';
    case 'bureau':
      return orgKind === 'city' || orgKind === 'province' ? 'city' : 'county';
  }
}

/** Desks that hold one school's records; the others hold an area (their schools, by sync). */
export function isSchoolDesk(desk: Desk): boolean {
  return desk === 'school' || desk === 'counselor';
}
