// On the student page: the open consequences of routine verification (R-MISS-2-4, R-LEAVE-15,
// R-ABSENT-3M) with their last day, each one click into the workflow's request, pre-filled
// (shared/verification/prefill.ts); the registrar reviews it there, adds the proofs and submits.
import { Button, Card, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Student } from '../../../../shared/domain/student';
import { actionRequestRoute, actionRequests } from '../../../../shared/verification/prefill';
import type { VerificationAction, VerificationRecordDoc } from '../../../../shared/verification/schemas';
import { useCan } from '../../app/authority';
import { navigate } from '../../app/router';
import { useSchool } from '../../app/school-context';

/** The student's term records on this copy (live; by the primary key: vr:<student>:<term>). */
function useStudentRecords(studentId: string): VerificationRecordDoc[] {
  const { db } = useSchool();
  const [docs, setDocs] = useState<VerificationRecordDoc[]>([]);
  useEffect(() => {
    const sub = db.verifications
      .find({ selector: { id: { $gte: `vr:${studentId}:`, $lt: `vr:${studentId};` } } })
      .$.subscribe((d) => setDocs(d.map((x) => x.toJSON() as unknown as VerificationRecordDoc)));
    return () => sub.unsubscribe();
  }, [db, studentId]);
  return docs;
}

export function VerificationActionRequests({ student }: { student: Student }) {
  const { view } = useSchool();
  const can = useCan();
  const records = useStudentRecords(student.id);
  const open: { record: VerificationRecordDoc; action: VerificationAction }[] = records.flatMap((record) =>
    (record.actions ?? []).filter((a) => actionRequests(a).length > 0).map((action) => ({ record, action })),
  );
  if (view !== 'own' || open.length === 0) return null;
  const allowed = can('changeRequests', 'create', { owner: { path: student.orgPath } }).allow;
  return (
    <Card
      size="small"
      title="核验处理（待办）"
      className="xj-card"
      data-testid="student-verification-actions"
    >
      {open.map(({ record, action }) => (
        <div key={`${record.id}:${action.key}`} className="xj-action-request">
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            {action.message}
            {action.due ? (
              <Typography.Text type="danger" style={{ marginLeft: 8 }}>
                办理期限：{action.due}
                {action.dueUncertain ? '（节假日安排未公布，按周末计）' : ''}
              </Typography.Text>
            ) : null}
          </Typography.Paragraph>
          {allowed ? (
            <Space size={8}>
              {actionRequests(action).map((r) => (
                <Button
                  key={r.type}
                  size="small"
                  type={r.type === actionRequests(action)[0]?.type ? 'primary' : 'default'}
                  data-testid={`action-request-${r.type}`}
                  onClick={() => navigate(actionRequestRoute(student.id, record.id, action.key, r.type))}
                >
                  {r.label}
                </Button>
              ))}
            </Space>
          ) : null}
        </div>
      ))}
    </Card>
  );
}
