// 核验处理: per student the term's misses (in a row and in total, the rules engine's tally), leave days and
// the consequences the server found (R-MISS-2-4 with its due date in working days, R-AID-STOP, R-LEAVE-15,
// R-ABSENT-3M; R-ESCALATE's flag), overdue ones marked; from here the school appeals missed results
// (R-APPEAL) and the aid office records a withdrawal. Above the list, this desk's 待办 of routine
// verification (the same provider the inbox lists).
import { App, Button, Checkbox, Input, Modal, Radio, Segmented, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { chinaDate } from '../../../../shared/calendar/china';
import { collectInbox } from '../../../../shared/inbox/types';
import { verificationInbox } from '../../../../shared/verification/inbox';
import { termLeaveDays } from '../../../../shared/verification/roll';
import type { VerificationAction, VerificationRecordDoc } from '../../../../shared/verification/schemas';
import { termTally } from '../../../../shared/verification/summary';
import { hasNeed } from '../../app/access';
import { href } from '../../app/router';
import { useAuthUser, useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { useSyncAccount } from '../../sync/use-sync';
import { CREATE_APPEALS } from './access';
import {
  type StudentBrief,
  useAppeals,
  useLeaves,
  useRecords,
  useStudentBriefs,
  useTasks,
} from './use-verification';

const RULE_LABELS: Record<string, string> = {
  'R-MISS-2-4': '未按时核验',
  'R-AID-STOP': '停止资助',
  'R-LEAVE-15': '请假超 15 天',
  'R-ABSENT-3M': '3 个月未到校',
};

type Row = {
  record: VerificationRecordDoc;
  total: number;
  consecutive: number;
  missedTaskIds: string[];
  leaveDays: number;
  open: VerificationAction[];
};

export function StudentsPage({ student }: { student?: string }) {
  const { db } = useDesk();
  const records = useRecords();
  const tasks = useTasks();
  const leaves = useLeaves();
  const appeals = useAppeals();
  const user = useAuthUser();
  const account = useSyncAccount(db);
  const [filter, setFilter] = useState<'actions' | 'misses' | 'all' | 'unverified'>(
    student ? 'all' : 'actions',
  );
  const briefs = useStudentBriefs();
  const [query, setQuery] = useState(student ?? '');
  const [appealFor, setAppealFor] = useState<Row | null>(null);
  const today = chinaDate(Date.now());
  const taskMap = useMemo(() => new Map((tasks ?? []).map((t) => [t.id, t])), [tasks]);
  const rows = useMemo<Row[]>(() => {
    const byStudent = new Map<string, typeof leaves>();
    for (const l of leaves ?? []) byStudent.set(l.studentId, [...(byStudent.get(l.studentId) ?? []), l]);
    const now = Date.now();
    return (records ?? []).map((record) => {
      const t = termTally(record, (id) => taskMap.get(id), now);
      return {
        record,
        ...t,
        leaveDays: termLeaveDays(byStudent.get(record.studentId) ?? [], record.term),
        open: (record.actions ?? []).filter((a) => a.state === 'open' && a.rule !== 'R-APPEAL'),
      };
    });
  }, [records, leaves, taskMap]);
  // R-VERIFY-TERM (HN 四.1): full-time students in school with no passed verification this term yet.
  const unverified = useMemo<StudentBrief[]>(() => {
    const passed = new Set(
      (records ?? [])
        .filter((r) => r.term.start <= today && today <= r.term.end)
        .filter((r) => Object.values(r.results).some((x) => x.s === 'passed'))
        .map((r) => r.studentId),
    );
    return [...briefs.values()]
      .filter((b) => b.status === 'enrolled' && b.studyForm === '1' && !passed.has(b.id))
      .sort((a, b) => a.classId.localeCompare(b.classId) || a.name.localeCompare(b.name));
  }, [briefs, records, today]);
  const shown = rows
    .filter((r) =>
      filter === 'actions'
        ? r.open.length > 0 || r.record.escalated
        : filter === 'misses'
          ? r.total > 0
          : true,
    )
    .filter(
      (r) =>
        !query ||
        r.record.studentId === query ||
        (r.record.studentName ?? '').includes(query) ||
        (r.record.classId ?? '').includes(query),
    )
    .sort(
      (a, b) =>
        (a.open[0]?.due ?? '9999').localeCompare(b.open[0]?.due ?? '9999') ||
        b.total - a.total ||
        (a.record.classId ?? '').localeCompare(b.record.classId ?? ''),
    );
  const inbox = account?.user
    ? collectInbox(
        [verificationInbox],
        {
          verifications: [...(records ?? []), ...(tasks ?? [])] as never,
          leaves: (leaves ?? []) as never,
          appeals: (appeals ?? []) as never,
        },
        { user: account.user, today },
      )
    : [];
  const overdue = inbox.filter((i) => i.overdue).length;
  const mayAppeal = hasNeed(user, CREATE_APPEALS);
  return (
    <div className="xj-verif" data-testid="verification-students">
      <div className="xj-toolbar">
        <Segmented
          size="small"
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={[
            { value: 'actions', label: `待处理 ${rows.filter((r) => r.open.length > 0).length}` },
            { value: 'misses', label: `有未按时核验 ${rows.filter((r) => r.total > 0).length}` },
            { value: 'all', label: `全部 ${rows.length}` },
            { value: 'unverified', label: `本学期尚未通过核验 ${unverified.length}` },
          ]}
        />
        <Input.Search
          allowClear
          placeholder="姓名或班级"
          style={{ width: 220 }}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Typography.Text type="secondary" className="xj-push">
          待办 {inbox.filter((i) => i.section === 'waiting').length} 项
          {overdue > 0 && (
            <Tag color="red" className="xj-tag-gap">
              已逾期 {overdue} 项
            </Tag>
          )}
        </Typography.Text>
      </div>
      {filter === 'unverified' && (
        <Table<StudentBrief>
          size="small"
          rowKey="id"
          dataSource={unverified.filter((b) => !query || b.name.includes(query) || b.classId.includes(query))}
          pagination={{ pageSize: 15, showSizeChanger: false }}
          locale={{ emptyText: '本学期全日制在校生都已通过至少 1 次核验' }}
          data-testid="verification-unverified"
          title={() => (
            <Typography.Text type="secondary">
              R-VERIFY-TERM（HN 四.1）：学校应于每学期学生到校注册时完成至少 1
              次学籍核验；以下全日制在校生本学期尚无通过的核验。
            </Typography.Text>
          )}
          columns={[
            {
              title: '姓名',
              width: 100,
              render: (_, b) => <a href={href(`/students/${encodeURIComponent(b.id)}`)}>{b.name}</a>,
            },
            { title: '班级', dataIndex: 'classId', width: 140 },
            { title: '年级', dataIndex: 'grade', width: 80 },
          ]}
        />
      )}
      <Table<Row>
        className={filter === 'unverified' ? 'xj-hidden' : undefined}
        size="small"
        tableLayout="fixed"
        rowKey={(r) => r.record.id}
        loading={records === null}
        dataSource={shown}
        pagination={{ pageSize: 14, showSizeChanger: false }}
        locale={{ emptyText: filter === 'actions' ? '没有待处理的核验事项' : '没有符合条件的学生' }}
        data-testid="verification-students-table"
        columns={[
          {
            title: '姓名',
            width: 84,
            render: (_, r) => (
              <a href={href(`/students/${encodeURIComponent(r.record.studentId)}`)}>
                {r.record.studentName ?? r.record.studentId}
              </a>
            ),
          },
          { title: '班级', width: 110, render: (_, r) => r.record.classId },
          {
            title: '未按时核验',
            width: 96,
            render: (_, r) => (
              <Tooltip title="本学期累计 / 连续（只计上级发起的核验）">
                <span data-testid="miss-tally">
                  {r.total} / {r.consecutive}
                </span>
              </Tooltip>
            ),
          },
          { title: '请假天数', width: 70, align: 'right', render: (_, r) => r.leaveDays },
          {
            title: '需处理事项',
            render: (_, r) => (
              <div className="xj-actions">
                {r.open.map((a) => (
                  <div key={a.key} data-testid="action" className="xj-action">
                    <Tag color={a.due && a.due < today ? 'red' : 'orange'}>
                      {RULE_LABELS[a.rule] ?? a.rule}
                    </Tag>
                    {a.due && (
                      <span className={a.due < today ? 'xj-overdue' : 'xj-due'} data-testid="action-due">
                        {a.due < today ? '已逾期，应于' : '请于'} {a.due}
                        {a.dueUncertain ? '（节假日安排未公布，待确认）' : ''} 前处理
                      </span>
                    )}
                    <Typography.Text className="xj-action-msg" ellipsis={{ tooltip: a.message }}>
                      {a.message}
                    </Typography.Text>
                  </div>
                ))}
                {r.record.escalated && (
                  <div>
                    <Tag color="purple">须经省教育厅审核</Tag>
                    <span className="xj-action-msg">
                      R-ESCALATE：{r.record.escalated.reason}（自 {chinaDate(r.record.escalated.since)}）
                    </span>
                  </div>
                )}
                {r.record.aidWithdrawal && (
                  <Typography.Text type="secondary">
                    资助撤回已登记（{r.record.aidWithdrawal.state === 'submitted' ? '已提交撤回' : '无需撤回'}
                    ）
                  </Typography.Text>
                )}
              </div>
            ),
          },
          {
            title: '操作',
            width: 170,
            render: (_, r) => (
              <span className="xj-ops">
                {mayAppeal && r.missedTaskIds.length > 0 && (
                  <Button size="small" onClick={() => setAppealFor(r)} data-testid="appeal-open">
                    申诉
                  </Button>
                )}
                {user.role === 'schoolAdmin' &&
                  !r.record.aidWithdrawal &&
                  r.open.some((a) => a.rule === 'R-AID-STOP') && <AidButton record={r.record} />}
              </span>
            ),
          },
        ]}
      />
      {appealFor && (
        <AppealModal
          row={appealFor}
          taskName={(id) => taskMap.get(id)?.name ?? id}
          onClose={() => setAppealFor(null)}
        />
      )}
    </div>
  );
}

function AppealModal({
  row,
  taskName,
  onClose,
}: {
  row: Row;
  taskName: (id: string) => string;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [taskIds, setTaskIds] = useState<string[]>(row.missedTaskIds);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const rule = row.open.find((a) => a.rule === 'R-MISS-2-4')?.rule;
  return (
    <Modal
      open
      title={`提出申诉：${row.record.studentName ?? row.record.studentId}`}
      okText="提交申诉"
      cancelText="取消"
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'appeal-submit' } as never}
      onOk={async () => {
        const r = await send('appeal-create', {
          studentId: row.record.studentId,
          taskIds,
          reason,
          ...(rule ? { rule } : {}),
        });
        if (!r.ok) setError(r.errors.map((e) => e.message).join('；'));
        else {
          message.success('申诉已提交，由发起核验的教育行政部门决定');
          onClose();
        }
      }}
    >
      <Typography.Paragraph type="secondary">
        R-APPEAL（HN
        四.2）：对核验结果有异议的，可向发起核验的上级教育行政部门申诉；申诉通过的，撤销该次未按时核验的记录，并恢复因此变更的学籍状态。
      </Typography.Paragraph>
      <Checkbox.Group
        value={taskIds}
        onChange={(v) => setTaskIds(v as string[])}
        options={row.missedTaskIds.map((id) => ({ value: id, label: taskName(id) }))}
      />
      <Input.TextArea
        className="xj-gap-top"
        rows={3}
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="申诉理由，例如：核验当天学生在校，手机定位故障（附班主任证明）"
        data-testid="appeal-reason"
      />
      {error && (
        <Typography.Text type="danger" data-testid="appeal-error">
          {error}
        </Typography.Text>
      )}
    </Modal>
  );
}

function AidButton({ record }: { record: VerificationRecordDoc }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<'submitted' | 'notNeeded'>('submitted');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        登记资助撤回
      </Button>
      <Modal
        open={open}
        title={`资助撤回登记：${record.studentName ?? record.studentId}`}
        okText="登记"
        cancelText="取消"
        onCancel={() => setOpen(false)}
        onOk={async () => {
          const r = await send('aid-withdrawal-record', { recordId: record.id, state, note });
          if (!r.ok) setError(r.errors.map((e) => e.message).join('；'));
          else {
            setOpen(false);
            message.success('已登记');
          }
        }}
      >
        <Typography.Paragraph type="secondary">
          R-AID-STOP（HN 四.1）：核验未通过的学生停止享受资助，已发放的予以收回。
        </Typography.Paragraph>
        <Radio.Group value={state} onChange={(e) => setState(e.target.value)}>
          <Radio value="submitted">已提交撤回申请</Radio>
          <Radio value="notNeeded">本学期资助尚未发放，无需收回</Radio>
        </Radio.Group>
        <Input
          className="xj-gap-top"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="备注"
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Modal>
    </>
  );
}
