// The sync state shown in the header. Until the sync issue lands there is no provincial server to
// talk to, and the header says so.
import { CloudOutlined } from '@ant-design/icons';
import { Tag } from 'antd';

export function HeaderStatus() {
  return (
    <Tag icon={<CloudOutlined />} color="default" data-testid="sync-state">
      未连接省级平台
    </Tag>
  );
}
