// Whose data a screen shows, in one line above it (issue 11: "every screen says whose data it shows"):
// the school and, for a counselor, their classes; an area desk's org and how many schools it holds; a
// school looked at from an area desk, read-only.
import { EyeOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../../shared/sync/protocol';
import { choosesSchools } from '../../../shared/sync/selection';
import { useOrg, useStudentSchoolId } from './school-scope';
import { isAreaSession, useAuthUser, useDesk } from './session';

/** How many schools below the desk's org this machine holds the org documents of (live). */
function useSchoolCount(): number | null {
  const { db, org } = useDesk();
  const [n, setN] = useState<number | null>(null);
  useEffect(() => {
    const sub = db.orgs.find({ selector: { kind: 'school' } }).$.subscribe((docs) => {
      setN(docs.filter((d) => d.path.startsWith(org.path) && d.path !== org.path).length);
    });
    return () => sub.unsubscribe();
  }, [db, org.path]);
  return n;
}

/** The desk's own scope: its org, the role, a counselor's classes, an area's number of schools. */
export function DeskScopeLine() {
  const session = useDesk();
  const user = useAuthUser();
  const area = isAreaSession(session);
  const schools = useSchoolCount();
  return (
    <span data-testid="scope-line">
      <b>{session.org.name}</b>
      {area ? null : (
        <>
          <span className="xj-scope-sep">·</span>
          {ROLE_LABELS[user.role]}
        </>
      )}
      {user.role === 'counselor' ? (
        <>
          <span className="xj-scope-sep">·</span>
          本人所带班级：{user.classIds.length > 0 ? user.classIds.join('、') : '尚未分配班级'}
        </>
      ) : null}
      {area && schools !== null ? (
        <>
          <span className="xj-scope-sep">·</span>辖区 {schools} 所学校
          <span className="xj-scope-sep">·</span>
          {/* an inspector keeps no school's data: only the inspections it was drawn for (issue 14) */}
          {user.role === 'inspector'
            ? '本机只保存抽中您的检查'
            : choosesSchools(user)
              ? '本机保存选定的学校'
              : '本机保存全辖区数据'}
        </>
      ) : null}
    </span>
  );
}

/** A school looked at from an area desk: the desk's org › the school, read-only. */
export function SchoolScopeLine({ schoolId }: { schoolId: string }) {
  const { org } = useDesk();
  const school = useOrg(schoolId);
  return (
    <span data-testid="scope-line">
      {org.name}
      <span className="xj-scope-sep">›</span>
      <b>{school?.name ?? schoolId}</b>
      <span className="xj-scope-sep">·</span>
      <EyeOutlined /> 只读查看（学生信息由学校维护）
    </span>
  );
}

/** A student's page: on an area desk the student's school, read-only; on a school desk the desk's line. */
export function StudentScopeLine({ id }: { id: string }) {
  const session = useDesk();
  const schoolId = useStudentSchoolId(id);
  if (!isAreaSession(session) || !schoolId) return <DeskScopeLine />;
  return <SchoolScopeLine schoolId={schoolId} />;
}
