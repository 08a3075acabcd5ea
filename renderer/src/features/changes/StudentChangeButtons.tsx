// On the student page: 学籍异动 (the types this school level may start from the student's status) and
// 信息变更 (the key fields ★), for the school's registrar (the authority table: creating change requests in
// one's own org); and the student's requests, open ones first.
import { DownOutlined, SwapOutlined } from '@ant-design/icons';
import { Button, Dropdown, Space, Tooltip } from 'antd';
import type { Student } from '../../../../shared/domain/student';
import { CHANGE_TYPES, isOpen, levelOf, typesFor } from '../../../../shared/workflows';
import { useCan } from '../../app/authority';
import { href, navigate } from '../../app/router';
import { useSchool } from '../../app/school-context';
import { useDesk } from '../../app/session';
import { useRequests } from './use-changes';

/** Types started elsewhere: a transfer by the receiving school, new students and graduation by class. */
const NOT_FROM_STUDENT = new Set(['transfer', 'enrolment', 'infoChange']);

export function StudentChangeButtons({ student }: { student: Student }) {
  const { school, view } = useSchool();
  const { db } = useDesk();
  const can = useCan();
  const requests = useRequests(db) ?? [];
  if (view !== 'own') return null;
  const allowed = can('changeRequests', 'create', { owner: { path: student.orgPath } });
  const types = typesFor(levelOf(school)).filter(
    (d) => !NOT_FROM_STUDENT.has(d.type) && d.from.includes(student.status),
  );
  const open = requests.filter((r) => r.studentIds.includes(student.id) && isOpen(r));
  return (
    <Space>
      {open.map((r) => (
        <a key={r.id} href={href(`/changes/${r.id}`)} data-testid="student-open-request">
          {CHANGE_TYPES[r.type]}申请（{r.status === 'draft' ? '草稿' : '审批中'}）
        </a>
      ))}
      <Tooltip title={allowed.allow ? undefined : allowed.reason}>
        <Dropdown
          disabled={!allowed.allow || types.length === 0}
          menu={{
            items: types.map((d) => ({ key: d.type, label: d.label })),
            onClick: ({ key }) => navigate(`/students/${student.id}/change/${key}`),
          }}
        >
          <Button icon={<SwapOutlined />} data-testid="student-change">
            学籍异动 <DownOutlined />
          </Button>
        </Dropdown>
      </Tooltip>
      <Tooltip title={allowed.allow ? '更正带 ★ 的关键字段，经教育局审批后生效' : allowed.reason}>
        <Button
          disabled={!allowed.allow}
          onClick={() => navigate(`/students/${student.id}/change/infoChange`)}
          data-testid="student-info-change"
        >
          信息变更
        </Button>
      </Tooltip>
    </Space>
  );
}
