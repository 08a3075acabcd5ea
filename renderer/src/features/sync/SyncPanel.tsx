// The sync panel: connection (online/offline, server, user and role), last sync, pending uploads by
// collection, errors in Chinese with a retry button, first-sync progress, the login when there is none
// or it has expired, and the password change the server may ask for.
import { CloudSyncOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ROLE_LABELS, type Role } from '../../../../shared/sync/protocol';
import { href } from '../../app/router';
import { useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { deviceId } from '../../sync/account';
import { syncService } from '../../sync/service';
import { COLLECTION_LABELS, clock, headerState, pendingTotal } from '../../sync/status';
import { useSyncAccount, useSyncIssues, useSyncStatus } from '../../sync/use-sync';
import { localTime } from '../roster/student-format';
import { RuleRef } from '../rules/RuleRef';
import { AttachmentQueueCard } from './AttachmentQueueCard';
import { LoginForm, PasswordChangeForm } from './LoginForm';
import { SyncProgress } from './SyncProgress';

export function SyncPanel() {
  const { db, org } = useDesk();
  const { message } = App.useApp();
  const status = useSyncStatus();
  const account = useSyncAccount(db);
  const open = useSyncIssues(db, { openOnly: true }) ?? [];
  const conflicts = open.filter((i) => i.kind === 'conflict');
  const refusals = open.filter((i) => i.kind === 'refusal');
  const head = headerState(status);
  const pendingRows = Object.entries(status.pending)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => ({ key: c, collection: COLLECTION_LABELS[c] ?? '其他数据', count: n }));

  if (account === undefined) return null;
  if (!account)
    return (
      <div className="xj-sync" data-testid="sync-panel">
        <Card
          size="small"
          title={
            <span>
              <CloudSyncOutlined /> 登录省级平台
            </span>
          }
          style={{ maxWidth: 560 }}
        >
          <Typography.Paragraph type="secondary">
            本机尚未连接省级平台，数据只保存在本机。登录后，本机的修改会上传，其他设备和教育局的修改会自动下载；断网时照常使用，联网后自动同步。本机单位：
            {org.name}（{org.id}）。
          </Typography.Paragraph>
          <LoginForm db={db} onDone={() => message.success('已登录，开始同步')} />
        </Card>
      </div>
    );

  return (
    <div className="xj-sync" data-testid="sync-panel">
      <Row gutter={12}>
        <Col span={14}>
          <Card
            size="small"
            title={
              <span>
                <CloudSyncOutlined /> 同步状态
              </span>
            }
            extra={
              <Space>
                <Tag color={head.tone} data-testid="panel-state">
                  {head.label}
                </Tag>
                <Button
                  size="small"
                  icon={<ReloadOutlined />}
                  onClick={() => syncService.retry()}
                  disabled={status.phase === 'expired' || status.phase === 'passwordChange'}
                  data-testid="sync-retry"
                >
                  立即同步
                </Button>
              </Space>
            }
          >
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label="网络">
                {status.online ? (
                  <Badge status="success" text="在线" />
                ) : (
                  <Badge status="warning" text="离线" />
                )}
              </Descriptions.Item>
              <Descriptions.Item label="上次同步">
                <span data-testid="last-sync">
                  {status.lastSyncAt
                    ? `${localTime(status.lastSyncAt)}（${clock(status.lastSyncAt)}）`
                    : '尚未完成同步'}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label="服务器" span={2}>
                <Typography.Text copyable={{ text: account.serverUrl }}>{account.serverUrl}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="账号">
                <span data-testid="sync-user">
                  {account.user.displayName}（{account.user.username}）
                </span>
              </Descriptions.Item>
              <Descriptions.Item label="角色">
                {ROLE_LABELS[account.user.role as Role] ?? '其他角色'} · {account.user.orgName}
              </Descriptions.Item>
              <Descriptions.Item label="本机设备号" span={2}>
                <Typography.Text type="secondary">{account.deviceId || deviceId()}</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            {status.error ? (
              <Alert
                style={{ marginTop: 8 }}
                type={status.error.kind === 'network' ? 'warning' : 'error'}
                showIcon
                data-testid="sync-error"
                title={status.error.message}
                description={`发生于 ${localTime(status.error.at)}。${
                  status.error.kind === 'network' || status.error.kind === 'server'
                    ? '每次请求会自动重试 3 次（间隔逐次加倍），之后每 5 秒再试；联网后立即同步。'
                    : '重新登录或修改密码后才能继续同步；本机照常使用，修改会排队等待上传。'
                }`}
              />
            ) : null}
            {status.progress.initial || Object.keys(status.progress.pulled).length > 0 ? (
              <div style={{ marginTop: 8 }}>
                <Typography.Text type="secondary">
                  {status.progress.initial ? '首次同步：正在下载本校数据' : '本次运行已下载'}
                </Typography.Text>
                <SyncProgress progress={status.progress} />
              </div>
            ) : null}
          </Card>
          {status.phase === 'expired' ? (
            <Card
              size="small"
              title="登录已过期，请重新登录以继续同步"
              className="xj-card"
              data-testid="relogin"
            >
              <Typography.Paragraph type="secondary">
                本机数据和尚未上传的修改都保留着；重新登录后自动上传。
              </Typography.Paragraph>
              <LoginForm
                db={db}
                submitText="重新登录"
                initial={{ serverUrl: account.serverUrl, username: account.user.username }}
                onDone={() => message.success('已重新登录，继续同步')}
              />
            </Card>
          ) : null}
          {status.phase === 'passwordChange' || account.mustChangePassword ? (
            <Card
              size="small"
              title={
                <>
                  密码已到期，请修改密码后继续同步
                  <RuleRef id="R-SECURE" />
                </>
              }
              className="xj-card"
            >
              <PasswordChangeForm db={db} username={account.user.username} />
            </Card>
          ) : null}
        </Col>
        <Col span={10}>
          <Card
            size="small"
            title={`待上传（${pendingTotal(status.pending)} 条）`}
            data-testid="pending-card"
          >
            {pendingRows.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本机的修改都已上传" />
            ) : (
              <Table
                size="small"
                pagination={false}
                dataSource={pendingRows}
                columns={[
                  { title: '数据', dataIndex: 'collection' },
                  {
                    title: '待上传',
                    dataIndex: 'count',
                    align: 'right',
                    render: (n: number, row: { key: string }) => (
                      <b data-testid={`pending-${row.key}`}>{n}</b>
                    ),
                  },
                ]}
              />
            )}
          </Card>
          <AttachmentQueueCard />
          <Card
            size="small"
            className="xj-card"
            title="同步冲突与退回"
            extra={<a href={href('/conflicts')}>打开冲突收件箱</a>}
          >
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text>
                待处理冲突：<b data-testid="open-conflicts">{conflicts.length}</b> 条
              </Typography.Text>
              {refusals.length === 0 ? (
                <Typography.Text type="secondary">没有被服务器退回的修改</Typography.Text>
              ) : (
                refusals.map((r) => (
                  <Alert
                    key={r.id}
                    type="error"
                    showIcon
                    title={r.reason}
                    description={
                      r.docCollection === 'students' ? (
                        <a href={href(`/students/${r.docId}`)}>查看{r.docTitle}</a>
                      ) : (
                        r.docTitle
                      )
                    }
                    action={
                      <Button size="small" onClick={() => send('sync-issue-dismiss', { issueId: r.id })}>
                        知道了
                      </Button>
                    }
                  />
                ))
              )}
            </Space>
          </Card>
          <Card size="small" className="xj-card" title="账号">
            <Popconfirm
              title="退出后本机数据保留，未上传的修改在下次登录后上传。确定退出？"
              onConfirm={() => syncService.logout(db)}
              okText="退出"
              cancelText="取消"
            >
              <Button danger size="small">
                退出登录（保留本机数据）
              </Button>
            </Popconfirm>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
