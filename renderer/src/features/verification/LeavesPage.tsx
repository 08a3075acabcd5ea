// 请假/销假 (HN 三.5): the leave of this desk's students — requested on the phone (pending until
// approved here) or entered by the counselor or the school admin (approved at once) — with approval,
// 销假 (the day back ends it) and cancellation, and absences without leave the school records
// (R-ABSENT-3M). The term's days add up per student (R-LEAVE-15, shown on 核验处理).
import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Input,
  Modal,
  Radio,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { chinaDate } from '../../../../shared/calendar/china';
import { LEAVE_STATUS_LABELS } from '../../../../shared/verification/leave';
import type { LeaveDoc } from '../../../../shared/verification/schemas';
import { hasNeed } from '../../app/access';
import { useAuthUser } from '../../app/session';
import { send } from '../../db/commands';
import { WRITE_LEAVES } from './access';
import { timeLabel, useLeaves, useStudentBriefs } from './use-verification';

const STATUS_COLORS: Record<LeaveDoc['status'], string> = {
  pending: 'orange',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
  recorded: 'purple',
};

const ymd = (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : '');

export function LeavesPage() {
  const leaves = useLeaves();
  const user = useAuthUser();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<'pending' | 'current' | 'all'>('all');
  const [adding, setAdding] = useState(false);
  const today = chinaDate(Date.now());
  const canWrite = hasNeed(user, WRITE_LEAVES);
  const shown = (leaves ?? []).filter((l) =>
    filter === 'pending'
      ? l.status === 'pending'
      : filter === 'current'
        ? (l.status === 'approved' || l.status === 'recorded') && !l.returnedOn && (!l.to || l.to >= today)
        : true,
  );
  const act = async (args: Parameters<typeof send<'leave-update'>>[1], done: string) => {
    const r = await send('leave-update', args);
    if (!r.ok) message.error(r.errors.map((e) => e.message).join('；'));
    else message.success(done);
  };
  const askOpinion = (l: LeaveDoc) => {
    let opinion = '';
    modal.confirm({
      title: `不批准 ${l.studentName ?? ''} 的请假`,
      content: (
        <Input.TextArea rows={2} placeholder="意见（必填）" onChange={(e) => (opinion = e.target.value)} />
      ),
      okText: '不批准',
      cancelText: '取消',
      onOk: () => act({ id: l.id, step: 'reject', opinion }, '已不批准'),
    });
  };
  return (
    <div className="xj-verif" data-testid="leaves-page">
      <div className="xj-toolbar">
        <Segmented
          size="small"
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={[
            { value: 'all', label: `全部 ${(leaves ?? []).length}` },
            {
              value: 'pending',
              label: `待审批 ${(leaves ?? []).filter((l) => l.status === 'pending').length}`,
            },
            { value: 'current', label: '请假中' },
          ]}
        />
        {canWrite && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="leave-new"
          >
            登记请假
          </Button>
        )}
      </div>
      <Table<LeaveDoc>
        size="small"
        rowKey="id"
        loading={leaves === null}
        dataSource={shown}
        pagination={{ pageSize: 15, showSizeChanger: false }}
        locale={{ emptyText: '没有请假记录' }}
        columns={[
          { title: '姓名', width: 80, render: (_, l) => l.studentName ?? l.studentId },
          { title: '班级', width: 110, render: (_, l) => l.classId ?? '' },
          { title: '类别', width: 70, render: (_, l) => (l.kind === 'absence' ? '缺勤' : '请假') },
          {
            title: '日期',
            width: 200,
            render: (_, l) => `${l.from} 至 ${l.to ?? '（未结束）'}`,
          },
          { title: '事由', dataIndex: 'reason', ellipsis: true },
          {
            title: '状态',
            width: 130,
            render: (_, l) => (
              <span>
                <Tag color={STATUS_COLORS[l.status]}>{LEAVE_STATUS_LABELS[l.status]}</Tag>
                {l.returnedOn && <Typography.Text type="secondary">{l.returnedOn} 销假</Typography.Text>}
              </span>
            ),
          },
          {
            title: '申请',
            width: 150,
            render: (_, l) => (
              <span className="xj-muted">
                {l.via === 'phone' ? '学生手机申请' : (l.requestedByName ?? '')}{' '}
                {timeLabel(l.requestedAt).slice(5)}
              </span>
            ),
          },
          {
            title: '操作',
            width: 170,
            render: (_, l) =>
              canWrite && (
                <Space size={4}>
                  {l.status === 'pending' && (
                    <>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => act({ id: l.id, step: 'approve' }, '已批准')}
                        data-testid="leave-approve"
                      >
                        批准
                      </Button>
                      <Button size="small" onClick={() => askOpinion(l)}>
                        不批准
                      </Button>
                    </>
                  )}
                  {l.status === 'approved' && !l.returnedOn && l.from <= today && (
                    <Button
                      size="small"
                      onClick={() => act({ id: l.id, step: 'return', on: today }, '已销假')}
                      data-testid="leave-return"
                    >
                      销假
                    </Button>
                  )}
                  {(l.status === 'pending' || (l.status === 'approved' && l.from > today)) && (
                    <Button
                      size="small"
                      type="link"
                      onClick={() => act({ id: l.id, step: 'cancel' }, '已撤销')}
                    >
                      撤销
                    </Button>
                  )}
                  {l.kind === 'absence' && l.status === 'recorded' && !l.to && (
                    <Button
                      size="small"
                      onClick={() => act({ id: l.id, step: 'end', on: today }, '缺勤已结束')}
                    >
                      已返校
                    </Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
      {adding && <LeaveModal onClose={() => setAdding(false)} />}
    </div>
  );
}

function LeaveModal({ onClose }: { onClose: () => void }) {
  const students = useStudentBriefs();
  const { message } = App.useApp();
  const [kind, setKind] = useState<'leave' | 'absence'>('leave');
  const [studentId, setStudentId] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const options = useMemo(
    () =>
      [...students.values()]
        .filter((s) => !s.status || s.status === 'enrolled')
        .sort((a, b) => a.classId.localeCompare(b.classId) || a.name.localeCompare(b.name))
        .map((s) => ({ value: s.id, label: `${s.name}（${s.classId}）` })),
    [students],
  );
  return (
    <Modal
      open
      title="登记请假"
      okText="登记"
      cancelText="取消"
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'leave-submit' } as never}
      onOk={async () => {
        if (!studentId) {
          setError('请选择学生');
          return;
        }
        const r = await send('leave-create', {
          studentId,
          kind,
          from: ymd(range?.[0] ?? null),
          to: ymd(range?.[1] ?? null) || undefined,
          reason,
        });
        if (!r.ok) setError(r.errors.map((e) => e.message).join('；'));
        else {
          message.success(kind === 'leave' ? '请假已登记并批准' : '缺勤已登记');
          onClose();
        }
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)}>
          <Radio value="leave">请假（由本人登记即为批准）</Radio>
          <Radio value="absence">未请假缺勤</Radio>
        </Radio.Group>
        <Select
          showSearch
          optionFilterProp="label"
          placeholder="学生姓名"
          style={{ width: '100%' }}
          value={studentId}
          onChange={setStudentId}
          options={options}
          data-testid="leave-student"
        />
        <DatePicker.RangePicker
          style={{ width: '100%' }}
          value={range}
          onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)}
          placeholder={['开始日期', kind === 'absence' ? '结束日期（仍缺勤可不填）' : '结束日期']}
          allowEmpty={[false, kind === 'absence']}
        />
        <Input.TextArea
          rows={2}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="事由"
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Space>
    </Modal>
  );
}
