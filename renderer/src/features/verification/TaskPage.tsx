// One task's results (HN 三.4): live counts for the school (or, on an area desk, per school; for a
// counselor, their classes — the records this copy holds are already scoped by the server), a table by
// class or school, and the students in one group (passed, exempt, missed, not yet) in a virtual list that
// keeps 20,000 rows cheap. The issuer may cancel the task before its window ends.
import { App, Button, Input, Modal, Segmented, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { chinaTime } from '../../../../shared/calendar/china';
import { CHECKIN_REASONS, RESULT_LABELS } from '../../../../shared/verification/checkin';
import type { TaskResult, VerificationRecordDoc } from '../../../../shared/verification/schemas';
import {
  type Counts,
  completion,
  GROUP_LABELS,
  groupOf,
  type ResultGroup,
  taskCounts,
} from '../../../../shared/verification/summary';
import { href } from '../../app/router';
import { useAuthUser, useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { windowState } from './TasksPage';
import { timeLabel, useOrgMap, useRecords, useTasks } from './use-verification';

type Row = { key: string; name: string; studentId: string; classId: string; school: string; r: TaskResult };

const GROUPS: (ResultGroup | 'all')[] = ['all', 'passed', 'exempt', 'missed', 'open'];

export function TaskPage({ id }: { id: string }) {
  const tasks = useTasks();
  const records = useRecords();
  const orgs = useOrgMap();
  const user = useAuthUser();
  const { org } = useDesk();
  const task = tasks?.find((t) => t.id === id);
  const [group, setGroup] = useState<ResultGroup | 'all'>('all');
  const area = user.role === 'bureau' || user.role === 'province';
  const keyOf = area
    ? (r: Pick<VerificationRecordDoc, 'schoolId'>) => r.schoolId
    : (r: Pick<VerificationRecordDoc, 'classId'>) => r.classId ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyOf follows `area`
  const { total, by } = useMemo(() => taskCounts(records ?? [], id, keyOf), [records, id, area]);
  const rows = useMemo<Row[]>(() => {
    const out: Row[] = [];
    for (const r of records ?? []) {
      const res = r.results[id];
      if (!res || (group !== 'all' && groupOf(res.s) !== group)) continue;
      out.push({
        key: r.id,
        name: r.studentName ?? r.studentId,
        studentId: r.studentId,
        classId: r.classId ?? '',
        school: orgs.get(r.schoolId)?.name ?? r.schoolId,
        r: res,
      });
    }
    return out.sort((a, b) => a.classId.localeCompare(b.classId) || a.name.localeCompare(b.name));
  }, [records, id, group, orgs]);
  if (tasks !== null && !task)
    return <Typography.Text type="secondary">没有这个核验任务（可能尚未同步到本机）。</Typography.Text>;
  if (!task) return null;
  const w = windowState(task, Date.now());
  const mayCancel =
    task.status === 'published' && Date.parse(task.end) > Date.now() && task.schoolId === org.id;
  const byRows = [...by.entries()]
    .map(([k, c]) => ({ key: k, label: area ? (orgs.get(k)?.name ?? k) : k || '（未分班）', ...c }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (
    <div className="xj-verif" data-testid="task-page">
      <div className="xj-task-head">
        <div>
          <Typography.Title level={5} className="xj-title">
            {task.name} <Tag color={w.color}>{w.label}</Tag>
            {task.test && <Tag>联调测试，不计入核验次数</Tag>}
          </Typography.Title>
          <Typography.Text type="secondary">
            {task.issuerName} · {chinaTime(task.start)} 至 {chinaTime(task.end)}
            {task.reason ? ` · ${task.reason}` : ''}
            {task.status === 'cancelled' && ` · 撤销原因：${task.cancelReason ?? ''}`}
          </Typography.Text>
        </div>
        {mayCancel && <CancelButton id={task.id} />}
      </div>
      <div className="xj-stats" data-testid="task-counts">
        <Statistic title="应核验" value={total.called} />
        <Statistic title="已通过" value={total.passed} valueStyle={{ color: '#389e0d' }} />
        <Statistic title="免核验" value={total.exempt} />
        <Statistic
          title="未按时核验"
          value={total.missed}
          valueStyle={{ color: total.missed ? '#cf1322' : undefined }}
        />
        <Statistic title="待核验" value={total.open} />
        <Statistic title="完成率" value={(completion(total) * 100).toFixed(1)} suffix="%" />
      </div>
      <div className="xj-task-body">
        <Table<{ key: string; label: string } & Counts>
          className="xj-task-by"
          size="small"
          rowKey="key"
          pagination={false}
          scroll={{ y: 420 }}
          dataSource={byRows}
          locale={{ emptyText: '本机还没有这次核验的结果' }}
          columns={[
            { title: area ? '学校' : '班级', dataIndex: 'label', ellipsis: true },
            { title: '应核验', dataIndex: 'called', width: 64, align: 'right' },
            { title: '通过', dataIndex: 'passed', width: 56, align: 'right' },
            { title: '免核验', dataIndex: 'exempt', width: 60, align: 'right' },
            { title: '未按时', dataIndex: 'missed', width: 60, align: 'right' },
            {
              title: '完成率',
              width: 66,
              align: 'right',
              render: (_, c) => `${(completion(c) * 100).toFixed(0)}%`,
            },
          ]}
        />
        <div className="xj-task-list">
          <Segmented
            size="small"
            value={group}
            onChange={(v) => setGroup(v as ResultGroup | 'all')}
            options={GROUPS.map((g) => ({
              value: g,
              label: g === 'all' ? `全部 ${total.called}` : `${GROUP_LABELS[g]} ${total[g]}`,
            }))}
            data-testid="task-group"
          />
          <Table<Row>
            size="small"
            rowKey="key"
            virtual
            pagination={false}
            scroll={{ y: 380 }}
            dataSource={rows}
            data-testid="task-students"
            columns={[
              {
                title: '姓名',
                width: 90,
                render: (_, r) => <a href={href(`/students/${encodeURIComponent(r.studentId)}`)}>{r.name}</a>,
              },
              area
                ? { title: '学校', dataIndex: 'school', width: 200, ellipsis: true }
                : { title: '班级', dataIndex: 'classId', width: 110 },
              {
                title: '结果',
                width: 110,
                render: (_, r) => <Tag color={COLORS[groupOf(r.r.s)]}>{RESULT_LABELS[r.r.s]}</Tag>,
              },
              { title: '时间', width: 130, render: (_, r) => timeLabel(r.r.at) },
              { title: '次数', width: 50, align: 'right', render: (_, r) => r.r.n ?? 0 },
              {
                title: '未通过原因',
                ellipsis: true,
                render: (_, r) =>
                  r.r.s === 'passed' || !r.r.code
                    ? ''
                    : `${CHECKIN_REASONS[r.r.code as keyof typeof CHECKIN_REASONS] ?? r.r.code}${
                        r.r.d !== undefined ? `（距校区 ${r.r.d} 米）` : ''
                      }`,
              },
            ]}
          />
        </div>
      </div>
    </div>
  );
}

const COLORS: Record<ResultGroup, string> = {
  passed: 'green',
  exempt: 'blue',
  missed: 'red',
  open: 'default',
};

function CancelButton({ id }: { id: string }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button danger onClick={() => setOpen(true)}>
        撤销任务
      </Button>
      <Modal
        open={open}
        title="撤销核验任务"
        okText="撤销"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        onCancel={() => setOpen(false)}
        onOk={async () => {
          const r = await send('verification-task-cancel', { id, reason });
          if (!r.ok) setError(r.errors.map((e) => e.message).join('；'));
          else {
            setOpen(false);
            message.success('任务已撤销');
          }
        }}
      >
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="撤销原因"
          rows={2}
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Modal>
    </>
  );
}
