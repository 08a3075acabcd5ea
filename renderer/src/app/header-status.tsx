// The sync state shown in the header (renderer/src/sync): 未连接省级平台 when this machine never logged
// in, 同步中…, 已同步 HH:mm, 离线（N 项待上传）, 登录已过期. A click opens the sync panel.
import { CloudOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { PasswordDueTag } from '../features/admin/AccountPage';
import { headerState } from '../sync/status';
import { useSyncStatus } from '../sync/use-sync';
import { navigate } from './router';

export function HeaderStatus() {
  const state = headerState(useSyncStatus());
  return (
    <>
      {/* R-SECURE: from 14 days before the password is due, the header says so and leads to the change */}
      <PasswordDueTag />
      <Tag
        icon={<CloudOutlined />}
        color={state.tone}
        data-testid="sync-state"
        style={{ cursor: 'pointer' }}
        onClick={() => navigate('/sync')}
        title="打开同步面板"
      >
        {state.label}
      </Tag>
    </>
  );
}
