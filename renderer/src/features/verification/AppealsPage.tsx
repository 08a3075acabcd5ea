// 申诉 (HN 四.2, R-APPEAL): appeals about verification results, raised by the school (核验处理) or the
// student on the phone; the upper level that issued the tasks decides (支持 / 不支持, with its opinion),
// the school may withdraw its own. An upheld appeal removes the miss and restores the earlier status —
// the server applies the restore in the same transaction and every copy receives it by sync.
import { App, Button, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { APPEAL_STATUS_LABELS, mayDecide } from '../../../../shared/verification/appeal';
import type { AppealDoc, VerificationTaskDoc } from '../../../../shared/verification/schemas';
import { useAuthUser } from '../../app/session';
import { send } from '../../db/commands';
import { timeLabel, useAppeals, useOrgMap, useTasks } from './use-verification';

const COLORS: Record<AppealDoc['status'], string> = {
  submitted: 'orange',
  upheld: 'green',
  rejected: 'red',
  withdrawn: 'default',
};

export function AppealsPage() {
  const appeals = useAppeals();
  const tasks = useTasks();
  const orgs = useOrgMap();
  const user = useAuthUser();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<'submitted' | 'all'>('all');
  const taskMap = new Map((tasks ?? []).map((t) => [t.id, t]));
  const tasksOf = (a: AppealDoc) =>
    a.taskIds.map((id) => taskMap.get(id)).filter((t): t is VerificationTaskDoc => t !== undefined);
  const decide = (a: AppealDoc, decision: 'upheld' | 'rejected') => {
    let opinion = '';
    modal.confirm({
      title: `${decision === 'upheld' ? '支持' : '不支持'}申诉：${a.studentName ?? a.studentId}`,
      width: 480,
      content: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {decision === 'upheld'
              ? '支持后撤销该生这些核验的“未按时核验”记录，并恢复因此变更的学籍状态（R-APPEAL）。'
              : '不支持的，原核验结果和处理要求不变。'}
          </Typography.Text>
          <Input.TextArea
            rows={3}
            placeholder="决定意见（必填）"
            onChange={(e) => (opinion = e.target.value)}
            data-testid="appeal-opinion"
          />
        </Space>
      ),
      okText: decision === 'upheld' ? '支持申诉' : '不支持',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'appeal-decide-ok' } as never,
      onOk: async () => {
        const r = await send('appeal-decide', { id: a.id, decision, opinion });
        if (!r.ok) {
          message.error(r.errors.map((e) => e.message).join('；'));
          throw new Error('refused');
        }
        message.success('决定已记录，同步后学校可见');
      },
    });
  };
  const withdraw = async (a: AppealDoc) => {
    const r = await send('appeal-decide', { id: a.id, decision: 'withdrawn' });
    if (!r.ok) message.error(r.errors.map((e) => e.message).join('；'));
  };
  const shown = (appeals ?? []).filter((a) => filter === 'all' || a.status === 'submitted');
  return (
    <div className="xj-verif" data-testid="appeals-page">
      <div className="xj-toolbar">
        <Segmented
          size="small"
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={[
            { value: 'all', label: `全部 ${(appeals ?? []).length}` },
            {
              value: 'submitted',
              label: `待决定 ${(appeals ?? []).filter((a) => a.status === 'submitted').length}`,
            },
          ]}
        />
        <Typography.Text type="secondary">
          申诉由发起核验的教育行政部门或其上级决定（HN 四.2）；学校在“核验处理”中对未按时核验的记录提出申诉。
        </Typography.Text>
      </div>
      <Table<AppealDoc>
        size="small"
        rowKey="id"
        loading={appeals === null}
        dataSource={shown}
        pagination={{ pageSize: 12, showSizeChanger: false }}
        locale={{ emptyText: '没有申诉' }}
        data-testid="appeals-table"
        columns={[
          { title: '学生', width: 84, render: (_, a) => a.studentName ?? a.studentId },
          {
            title: '学校 / 班级',
            width: 220,
            ellipsis: true,
            render: (_, a) => `${orgs.get(a.schoolId)?.name ?? a.schoolId} ${a.classId ?? ''}`,
          },
          {
            title: '申诉的核验',
            width: 200,
            render: (_, a) => a.taskIds.map((id) => taskMap.get(id)?.name ?? id).join('、'),
          },
          { title: '理由', dataIndex: 'reason', ellipsis: true },
          {
            title: '提出',
            width: 130,
            render: (_, a) => (
              <span className="xj-muted">
                {a.via === 'phone' ? '学生本人' : '学校'} {timeLabel(a.submittedAt).slice(5)}
              </span>
            ),
          },
          {
            title: '状态',
            width: 180,
            render: (_, a) => (
              <span>
                <Tag color={COLORS[a.status]} data-testid="appeal-status">
                  {APPEAL_STATUS_LABELS[a.status]}
                </Tag>
                {a.opinion && <Typography.Text type="secondary">{a.opinion}</Typography.Text>}
              </span>
            ),
          },
          {
            title: '操作',
            width: 150,
            render: (_, a) =>
              a.status !== 'submitted' ? null : mayDecide(user, tasksOf(a)) ? (
                <Space size={4}>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => decide(a, 'upheld')}
                    data-testid="appeal-uphold"
                  >
                    支持
                  </Button>
                  <Button size="small" onClick={() => decide(a, 'rejected')}>
                    不支持
                  </Button>
                </Space>
              ) : user.role === 'schoolAdmin' ? (
                <Button size="small" type="link" onClick={() => withdraw(a)}>
                  撤回
                </Button>
              ) : null,
          },
        ]}
      />
    </div>
  );
}
