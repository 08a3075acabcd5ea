// On a record's page: the server's refusals of this record's edits (with the reason, R-… where a rule
// refused it) and its open conflicts, so the person sees them where they work.
import { Alert, Button, Space } from 'antd';
import { href } from '../../app/router';
import { useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { useSyncIssues } from '../../sync/use-sync';
import { RuleRefs } from '../rules/RuleRef';

export function RecordSyncIssues({ docId }: { docId: string }) {
  const { db } = useDesk();
  const issues = (useSyncIssues(db, { docId }) ?? []).filter((i) => i.status === 'open');
  if (issues.length === 0) return null;
  return (
    <Space
      direction="vertical"
      style={{ width: '100%', marginBottom: 8 }}
      size={4}
      data-testid="record-sync-issues"
    >
      {issues.map((i) =>
        i.kind === 'refusal' ? (
          <Alert
            key={i.id}
            type="error"
            showIcon
            title={
              <>
                省级平台未接受此修改：{i.reason ?? ''}
                <RuleRefs text={`${i.code ?? ''} ${i.reason ?? ''}`} />
              </>
            }
            description="记录已恢复为服务器上的内容；被退回的修改保留在退回记录中。"
            action={
              <Button size="small" onClick={() => send('sync-issue-dismiss', { issueId: i.id })}>
                知道了
              </Button>
            }
            data-testid="record-refusal"
          />
        ) : (
          <Alert
            key={i.id}
            type="warning"
            showIcon
            title={`同步冲突：${i.fieldLabel ?? i.field ?? ''}在两台设备上被改成了不同的值，待处理`}
            action={<a href={href('/conflicts')}>去处理</a>}
            data-testid="record-conflict"
          />
        ),
      )}
    </Space>
  );
}
