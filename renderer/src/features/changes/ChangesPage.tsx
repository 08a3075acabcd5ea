// 学籍异动: every request this desk is a party of (a school's own and the transfers it sends; a bureau's
// schools'), filtered by state and type, newest first; a school starts a transfer-in or a class's
// graduation here (one student's change starts from the student page).
import { Button, Input, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import {
  CHANGE_TYPE_IDS,
  CHANGE_TYPES,
  type ChangeRequestDoc,
  type ChangeType,
  REQUEST_STATUSES,
  type RequestStatus,
  requestSubjectName,
  stepLabel,
} from '../../../../shared/workflows';
import { href, navigate } from '../../app/router';
import { useSchoolOrNull } from '../../app/school-context';
import { useDesk } from '../../app/session';
import { StatusTag } from './ChangePage';
import { InfoConfirmPrintButton } from './InfoConfirmPrint';
import { useRequests, useWorkflowUser } from './use-changes';
import './changes.css';
import { chinaDate } from '../../../../shared/calendar/china';

export function ChangesPage() {
  const { db } = useDesk();
  const user = useWorkflowUser();
  const rows = useRequests(db);
  const [status, setStatus] = useState<RequestStatus | 'all'>('all');
  const [type, setType] = useState<ChangeType | 'all'>('all');
  const [q, setQ] = useState('');
  const list = useMemo(
    () =>
      (rows ?? []).filter(
        (r) =>
          (status === 'all' || r.status === status) &&
          (type === 'all' || r.type === type) &&
          (!q || r.students.some((s) => s.name.includes(q) || s.idNo.includes(q)) || r.id.includes(q)),
      ),
    [rows, status, type, q],
  );
  const schoolDesk = useSchoolOrNull();
  const school = user.role === 'schoolAdmin' && schoolDesk !== null;
  return (
    <div className="xj-change-list" data-testid="changes-page">
      <div className="xj-change-toolbar">
        <Select
          style={{ width: 130 }}
          value={status}
          onChange={setStatus}
          options={[
            { value: 'all', label: '全部状态' },
            ...Object.entries(REQUEST_STATUSES).map(([value, label]) => ({ value, label })),
          ]}
        />
        <Select
          style={{ width: 150 }}
          value={type}
          onChange={setType}
          options={[
            { value: 'all', label: '全部类型' },
            ...CHANGE_TYPE_IDS.map((t) => ({ value: t, label: CHANGE_TYPES[t] })),
          ]}
        />
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder="姓名、身份证件号或申请编号"
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
        />
        <span className="xj-muted">共 {list.length} 份</span>
        <span style={{ flex: 1 }} />
        {school ? (
          <Space>
            <InfoConfirmPrintButton />
            <Button onClick={() => navigate('/info-confirm')} data-testid="info-confirm-return-open">
              确认表回收登记
            </Button>
            <Button onClick={() => navigate('/changes/new/graduation')}>班级毕业</Button>
            <Button type="primary" onClick={() => navigate('/transfer-in')} data-testid="transfer-in-start">
              转入学生
            </Button>
          </Space>
        ) : null}
      </div>
      <Table<ChangeRequestDoc>
        size="small"
        rowKey="id"
        loading={rows === undefined}
        dataSource={list}
        pagination={{ pageSize: 20, size: 'small', showSizeChanger: false }}
        columns={[
          {
            title: '申请',
            key: 'title',
            render: (_, r) => (
              <a href={href(`/changes/${r.id}`)} data-testid="change-row">
                {CHANGE_TYPES[r.type]}：{requestSubjectName(r)}
              </a>
            ),
          },
          { title: '学校', key: 'school', width: 220, render: (_, r) => r.route[0]?.orgName ?? '' },
          {
            title: '状态',
            key: 'status',
            width: 120,
            render: (_, r) => <StatusTag req={r} />,
          },
          {
            title: '进展',
            key: 'step',
            render: (_, r) =>
              r.status === 'submitted' ? (
                stepLabel(r.route, r.step)
              ) : r.status === 'approved' ? (
                r.filed ? (
                  <Tag color="green">纸质表已归档</Tag>
                ) : (
                  <Tag color="orange">纸质表待归档</Tag>
                )
              ) : (
                ''
              ),
          },
          { title: '申请日期', key: 'appliedOn', width: 100, render: (_, r) => r.appliedOn },
          { title: '更新', key: 'updatedAt', width: 100, render: (_, r) => chinaDate(r.updatedAt) },
        ]}
      />
    </div>
  );
}
