// Who decides each step of a request: the route of its definition resolved against the org tree. A
// bureau step is decided by the 主管教育局 of the school — its county, or the city when the school sits
// directly under a city — or by the city where the definition says so (高中 graduation, YQ 二(三)).
// The app resolves what its copy of the org tree holds (a receiving school does not hold the sending
// school's orgs); the server resolves every step at submission and stores it on the request.
import type { OrgDoc, SchoolLevel } from '../domain/schemas';
import { type ChangeDefinition, levelOf, PROVINCE_STEP, type RouteSpecStep } from './definitions';
import type { ChangeRequestDoc, RouteStep, StepLevel } from './types';

type OrgIndex = ReadonlyMap<string, OrgDoc>;

export function indexOrgs(orgs: readonly OrgDoc[]): Map<string, OrgDoc> {
  return new Map(orgs.map((o) => [o.id, o]));
}

/** The orgs above an org (nearest first), as far as the index holds them. */
function ancestorsOf(org: OrgDoc, index: OrgIndex): OrgDoc[] {
  return org.path
    .split('/')
    .filter(Boolean)
    .slice(0, -1)
    .reverse()
    .map((id) => index.get(id))
    .filter((o): o is OrgDoc => o !== undefined);
}

/** The org that decides a bureau step for a school: its county (or nearest bureau), its city, the province. */
export function deciderOrg(school: OrgDoc, level: StepLevel, index: OrgIndex): OrgDoc | undefined {
  if (level === 'school') return school;
  const above = ancestorsOf(school, index);
  if (level === 'province') return above.find((o) => o.kind === 'province');
  if (level === 'city') return above.find((o) => o.kind === 'city');
  // 主管教育局: the county; a school directly under a city is supervised by the city.
  return above.find((o) => o.kind === 'county') ?? above.find((o) => o.kind === 'city');
}

const ROLE_OF: Record<StepLevel, RouteStep['role']> = {
  school: 'schoolAdmin',
  county: 'bureau',
  city: 'bureau',
  province: 'province',
};

const UNKNOWN_NAMES: Record<StepLevel, Record<'own' | 'other', string>> = {
  school: { own: '本校', other: '转出学校' },
  county: { own: '学校所在教育局', other: '转出学校所在教育局' },
  city: { own: '学校所在市教育局', other: '转出学校所在市教育局' },
  province: { own: '省教育厅', other: '省教育厅' },
};

/** The school level of the request's own school, as the definitions read it. */
export function requestLevel(
  req: Pick<ChangeRequestDoc, 'schoolId'>,
  index: OrgIndex,
): SchoolLevel | undefined {
  return levelOf(index.get(req.schoolId));
}

/** The route's steps as specified for this request (R-ESCALATE appends the province). */
export function routeSpec(
  def: ChangeDefinition,
  level: SchoolLevel | undefined,
  escalated: boolean,
): RouteSpecStep[] {
  const steps = [...def.route(level)];
  if (escalated) steps.push(PROVINCE_STEP);
  return steps;
}

/**
 * The route resolved to orgs. A step whose org this copy does not hold keeps orgId '' and a name that
 * says whose it is ("转出学校所在教育局"); the server's resolution is complete (it holds every org).
 */
export function resolveRoute(
  def: ChangeDefinition,
  req: Pick<ChangeRequestDoc, 'schoolId' | 'fromSchoolId' | 'fromSchoolName'>,
  orgs: readonly OrgDoc[],
  escalated: boolean,
): RouteStep[] {
  const index = indexOrgs(orgs);
  const level = requestLevel(req, index);
  return routeSpec(def, level, escalated).map((s) => {
    const schoolId = s.side === 'own' ? req.schoolId : (req.fromSchoolId ?? '');
    const school = index.get(schoolId);
    const org = school ? deciderOrg(school, s.level, index) : undefined;
    const fallbackName =
      s.level === 'school' && s.side === 'other' && req.fromSchoolName
        ? req.fromSchoolName
        : UNKNOWN_NAMES[s.level][s.side];
    return {
      level: s.level,
      side: s.side,
      role: ROLE_OF[s.level],
      orgId: org?.id ?? (s.level === 'school' ? schoolId : ''),
      orgName: org?.name ?? fallbackName,
      title: s.title,
    };
  });
}

/** "第 2 步 / 共 4 步：转入地教育行政部门意见（金水区教育局）" */
export function stepLabel(route: readonly RouteStep[], index: number): string {
  const s = route[index];
  if (!s) return '';
  return `第 ${index + 1} 步 / 共 ${route.length} 步：${s.title.replace(/意见.*$/, '审核')}（${s.orgName}）`;
}
