// One school's screens on an area desk: a bureau, the province or an inspector opens a school's roster or
// a student's page read-only (the authority table grants them reading, not changing). SchoolScope gives
// those screens their school as useSchool() does on a school desk; on a school desk it changes nothing.
import { Result, Spin } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { OrgDoc } from '../../../shared/domain/schemas';
import { areaStore } from '../features/bureau/area-store';
import { areaSchoolSettings, SchoolProvider, useSchoolOrNull } from './school-context';
import { isAreaSession, useDesk } from './session';

/** The org document of an id, live (undefined while loading, null when this machine does not hold it). */
export function useOrg(id: string | undefined): OrgDoc | null | undefined {
  const { db } = useDesk();
  const [org, setOrg] = useState<OrgDoc | null | undefined>(undefined);
  useEffect(() => {
    if (!id) {
      setOrg(null);
      return;
    }
    const sub = db.orgs.findOne(id).$.subscribe((d) => setOrg(d ? (d.toJSON() as OrgDoc) : null));
    return () => sub.unsubscribe();
  }, [db, id]);
  return org;
}

/** Screens below are about this school (on an area desk: looked at read-only). */
export function SchoolScope({ schoolId, children }: { schoolId: string; children: ReactNode }) {
  const desk = useDesk();
  const own = useSchoolOrNull();
  const org = useOrg(own ? undefined : schoolId);
  const session = useMemo(
    () =>
      org && org.kind === 'school'
        ? {
            db: desk.db,
            settings: areaSchoolSettings(org, desk.installation.operatorName),
            school: org,
            actor: desk.actor,
            view: 'area' as const,
            roster: {
              schoolId: org.id,
              ids: async () => {
                const area = areaStore(desk.db);
                await area.whenLoaded();
                return area.idsOf(org.id);
              },
            },
          }
        : null,
    [org, desk],
  );
  // A school desk has its own school already (and holds no other).
  if (own) return <>{children}</>;
  if (org === undefined) return <Spin style={{ marginTop: 48, width: '100%' }} />;
  if (!session)
    return (
      <Result
        status="404"
        title="找不到该学校"
        subTitle="本机没有这所学校的单位信息：它可能不在您的管辖范围内，或尚未同步"
      />
    );
  return <SchoolProvider value={session}>{children}</SchoolProvider>;
}

/** The school of a student held on this machine (undefined while loading, null when not held). */
export function useStudentSchoolId(id: string): string | null | undefined {
  const { db } = useDesk();
  const [schoolId, setSchoolId] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const sub = db.students.findOne(id).$.subscribe((d) => setSchoolId(d ? d.schoolId : null));
    return () => sub.unsubscribe();
  }, [db, id]);
  return schoolId;
}

/** A student's page: on an area desk within the student's school (read-only); on a school desk as is. */
export function SchoolOfStudent({ id, children }: { id: string; children: ReactNode }) {
  const desk = useDesk();
  if (!isAreaSession(desk)) return <>{children}</>;
  return <AreaStudent id={id}>{children}</AreaStudent>;
}

function AreaStudent({ id, children }: { id: string; children: ReactNode }) {
  const schoolId = useStudentSchoolId(id);
  if (schoolId === undefined) return <Spin style={{ marginTop: 48, width: '100%' }} />;
  if (schoolId === null)
    return (
      <Result
        status="404"
        title="本机没有该学生的记录"
        subTitle="该生所在学校的数据未保存在本机：请在“学校”中下载该校后再打开"
      />
    );
  return <SchoolScope schoolId={schoolId}>{children}</SchoolScope>;
}
