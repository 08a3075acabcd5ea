// The first download of a school: documents received so far, by collection. The server does not send a
// total, so the bar moves with what has arrived and says so instead of inventing a percentage.
import { Progress, Space, Typography } from 'antd';
import { COLLECTION_LABELS, type SyncProgress as Progress_ } from '../../sync/status';

export function SyncProgress({ progress }: { progress: Progress_ }) {
  const done = Object.values(progress.pulled).reduce((a, b) => a + b, 0);
  const percent = progress.total ? Math.min(100, Math.round((done / progress.total) * 100)) : null;
  return (
    <div data-testid="sync-progress">
      <Progress
        percent={percent ?? 100}
        status={progress.initial ? 'active' : 'success'}
        showInfo={percent !== null}
        strokeColor={percent === null && progress.initial ? '#91caff' : undefined}
      />
      <Space size={16} wrap>
        <Typography.Text strong data-testid="sync-progress-count">
          {progress.initial ? '正在下载' : '已下载'} {done.toLocaleString('zh-CN')}
          {progress.total ? ` / ${progress.total.toLocaleString('zh-CN')}` : ''} 条记录
        </Typography.Text>
        {Object.entries(progress.pulled).map(([c, n]) => (
          <Typography.Text type="secondary" key={c}>
            {COLLECTION_LABELS[c] ?? c} {n.toLocaleString('zh-CN')}
          </Typography.Text>
        ))}
      </Space>
    </div>
  );
}
