// The attachment queue in the sync panel: files waiting to go up (name, size, progress), downloads in
// progress, and failures with their reason and a retry button.
import { PaperClipOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Progress, Table, Tag, Typography } from 'antd';
import { formatBytes, type TransferItem } from '../../sync/attachments';
import { useAttachmentQueue } from '../../sync/attachments-open';
import { syncService } from '../../sync/service';

const STATE: Record<TransferItem['state'], { label: string; color: string }> = {
  running: { label: '传输中', color: 'processing' },
  waiting: { label: '排队', color: 'default' },
  failed: { label: '失败', color: 'error' },
};

export function AttachmentQueueCard() {
  const queue = useAttachmentQueue();
  const uploads = queue.items.filter((i) => i.direction === 'upload');
  const failed = queue.items.filter((i) => i.state === 'failed');
  const title = `附件文件（${uploads.length} 个待上传${failed.length > 0 ? `，${failed.length} 个失败` : ''}）`;
  return (
    <Card
      size="small"
      className="xj-card"
      title={
        <span>
          <PaperClipOutlined /> {title}
        </span>
      }
      extra={
        queue.paused && queue.items.length > 0 ? (
          <Typography.Text type="warning" data-testid="attachment-paused">
            已暂停（离线或需重新登录）
          </Typography.Text>
        ) : null
      }
      data-testid="attachment-queue"
    >
      {queue.items.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            queue.completed > 0
              ? `扫描件都已上传（本次运行传输 ${queue.completed} 个文件）`
              : '扫描件都已上传；其他设备附上的扫描件在打开时下载'
          }
        />
      ) : (
        <Table<TransferItem>
          size="small"
          pagination={false}
          rowKey={(r) => `${r.direction}-${r.sha256}`}
          dataSource={queue.items}
          scroll={queue.items.length > 8 ? { y: 260 } : undefined}
          columns={[
            {
              title: '文件',
              dataIndex: 'name',
              render: (name: string, r) => (
                <div data-testid={`attachment-${r.sha256.slice(0, 12)}`}>
                  <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                    {r.direction === 'download' ? '下载：' : ''}
                    {name}
                  </Typography.Text>
                  {r.error ? (
                    <div className="xj-attachment-reason" data-testid="attachment-error">
                      <Typography.Text
                        type={r.state === 'failed' ? 'danger' : 'warning'}
                        style={{ fontSize: 12 }}
                      >
                        {r.error.message}
                        {r.state !== 'failed' && r.attempts > 0
                          ? `（第 ${r.attempts} 次失败，自动重试中）`
                          : ''}
                      </Typography.Text>
                    </div>
                  ) : null}
                </div>
              ),
            },
            {
              title: '大小',
              dataIndex: 'size',
              width: 76,
              align: 'right',
              render: (n: number) => formatBytes(n),
            },
            {
              title: '进度',
              width: 150,
              render: (_: unknown, r) => (
                <Progress
                  size="small"
                  percent={r.size > 0 ? Math.floor((r.done / r.size) * 100) : 0}
                  status={r.state === 'failed' ? 'exception' : r.state === 'running' ? 'active' : 'normal'}
                />
              ),
            },
            {
              title: '状态',
              width: 92,
              render: (_: unknown, r) =>
                r.state === 'failed' ? (
                  <Button
                    size="small"
                    icon={<ReloadOutlined />}
                    onClick={() => syncService.current?.files.retry(r.sha256)}
                    data-testid="attachment-retry"
                  >
                    重试
                  </Button>
                ) : (
                  <Tag color={STATE[r.state].color}>{STATE[r.state].label}</Tag>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}
