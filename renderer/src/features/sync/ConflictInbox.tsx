// The conflict inbox (DESIGN.md "Sync"; STYLE rule 4): the same field changed on two devices, or a status
// or workflow field changed during a conflict, is decided here by a person. Each entry shows the record,
// the field, both values, who and when; the choice (mine, theirs or another value) is recorded through
// the `conflict-resolve` command as a new edit with its history event.
import { Alert, App, Button, Card, Empty, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { personName } from '../../../../shared/domain/names';
import type { SyncIssueDoc } from '../../../../shared/domain/schemas';
import { conflictSides, type ConflictSide as Side } from '../../../../shared/sync/conflicts';
import { href } from '../../app/router';
import { useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { deviceId } from '../../sync/account';
import { useSyncIssues } from '../../sync/use-sync';
import { displayValue, localTime } from '../roster/student-format';

export function who(by: string | undefined): string {
  return personName(by) || '未知';
}

export function showValue(issue: SyncIssueDoc, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (issue.field === '_deleted') return value === true ? '已删除' : '保留';
  if (issue.docCollection === 'students' && issue.field) return displayValue(issue.field, value) || '（空）';
  return typeof value === 'object' ? '（已更改）' : String(value);
}

function Resolve({ issue, sides }: { issue: SyncIssueDoc; sides: [Side, Side] }) {
  const { message } = App.useApp();
  const [other, setOther] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (choice: Parameters<typeof send<'conflict-resolve'>>[1]['choice']) => {
    setBusy(true);
    setError(null);
    const result = await send('conflict-resolve', { issueId: issue.id, choice }).finally(() =>
      setBusy(false),
    );
    if (!result.ok) setError(result.errors.map((e) => e.message).join('；'));
    else message.success(`已处理：${issue.docTitle ?? ''}的${issue.fieldLabel ?? ''}`);
  };
  return (
    <Space direction="vertical" size={4}>
      <Space size={4} wrap>
        <Button
          size="small"
          type="primary"
          loading={busy}
          onClick={() => run({ keep: sides[0].keep })}
          data-testid="keep-mine"
        >
          {sides[0].action}
        </Button>
        <Button
          size="small"
          loading={busy}
          onClick={() => run({ keep: sides[1].keep })}
          data-testid="keep-theirs"
        >
          {sides[1].action}
        </Button>
        {issue.field !== '_deleted' ? (
          <Button size="small" onClick={() => setOther(other === null ? '' : null)} data-testid="keep-other">
            填写其他值
          </Button>
        ) : null}
      </Space>
      {other !== null ? (
        <Space.Compact style={{ width: 280 }}>
          <Input
            size="small"
            value={other}
            onChange={(e) => setOther(e.target.value)}
            placeholder={`新的${issue.fieldLabel ?? '值'}`}
            data-testid="other-value"
          />
          <Button
            size="small"
            type="primary"
            loading={busy}
            onClick={() => run({ keep: 'other', value: other })}
          >
            确定
          </Button>
        </Space.Compact>
      ) : null}
      {error ? <Alert type="error" showIcon title={error} /> : null}
    </Space>
  );
}

/** One side of a conflict: where the value is, the value, and who set it when. */
function ConflictSide(props: {
  heading: string;
  value: string;
  by?: string;
  at?: string;
  color: string;
  testId: string;
}) {
  return (
    <div>
      <div className="xj-muted" data-testid={`${props.testId}-heading`}>
        {props.heading}
      </div>
      <Tag color={props.color} data-testid={props.testId}>
        {props.value}
      </Tag>
      <div className="xj-muted">
        {who(props.by)} · {props.at ? localTime(props.at) : '时间未知'}
      </div>
    </div>
  );
}

export function ConflictInbox() {
  const { db } = useDesk();
  // An issue replicates to every device: which value is this device's depends on who reads it.
  const device = deviceId();
  const [view, setView] = useState<'open' | 'all'>('open');
  const issues = useSyncIssues(db, { openOnly: view === 'open' });
  const conflicts = (issues ?? []).filter((i) => i.kind === 'conflict');
  return (
    <div className="xj-sync" data-testid="conflict-inbox">
      <Card
        size="small"
        title={`冲突收件箱（${view === 'open' ? '待处理' : '全部'} ${conflicts.length} 条）`}
        extra={
          <Segmented
            size="small"
            value={view}
            onChange={(v) => setView(v as 'open' | 'all')}
            options={[
              { label: '待处理', value: 'open' },
              { label: '全部（含已处理）', value: 'all' },
            ]}
          />
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          两台设备改了同一学生的同一项，或在冲突中改了学籍状态等审批项时，系统不自动取舍：记录暂按服务器的值保存，请在此选择保留哪一个值。处理结果作为一次新的修改记入该学生的修改记录。
        </Typography.Paragraph>
        {conflicts.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={view === 'open' ? '没有待处理的冲突' : '没有冲突记录'}
          />
        ) : (
          <Table<SyncIssueDoc>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={conflicts}
            rowClassName={() => 'xj-conflict-row'}
            columns={[
              {
                title: '记录',
                width: 150,
                render: (_, i) =>
                  i.docCollection === 'students' ? (
                    <a href={href(`/students/${i.docId}`)} data-testid="conflict-record">
                      {i.docTitle ?? i.docId}
                    </a>
                  ) : (
                    (i.docTitle ?? i.docId)
                  ),
              },
              {
                title: '字段',
                width: 100,
                render: (_, i) => <b data-testid="conflict-field">{i.fieldLabel ?? '（未知字段）'}</b>,
              },
              {
                title: '本机的值',
                render: (_, i) => {
                  const side = conflictSides(i, device)[0];
                  return (
                    <ConflictSide
                      heading={side.label}
                      value={showValue(i, i[side.keep])}
                      by={side.keep === 'mine' ? i.mineBy : i.theirsBy}
                      at={side.keep === 'mine' ? i.mineAt : i.theirsAt}
                      color="blue"
                      testId="conflict-mine"
                    />
                  );
                },
              },
              {
                title: '另一个值',
                render: (_, i) => {
                  const side = conflictSides(i, device)[1];
                  return (
                    <ConflictSide
                      heading={side.label}
                      value={showValue(i, i[side.keep])}
                      by={side.keep === 'mine' ? i.mineBy : i.theirsBy}
                      at={side.keep === 'mine' ? i.mineAt : i.theirsAt}
                      color="orange"
                      testId="conflict-theirs"
                    />
                  );
                },
              },
              {
                title: '处理',
                width: 300,
                render: (_, i) =>
                  i.status === 'open' ? (
                    <Resolve issue={i} sides={conflictSides(i, device)} />
                  ) : (
                    <span data-testid="conflict-resolved">
                      已处理：
                      {conflictSides(i, device).find((side) => side.keep === i.resolution)?.action ??
                        '改为新填写的值'}
                      「{showValue(i, i.resolvedValue)}」 · {who(i.resolvedBy)} ·{' '}
                      {i.resolvedAt ? localTime(i.resolvedAt) : ''}
                    </span>
                  ),
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
