// Local unlock (R-SECURE: dedicated person and machine). Once this machine has logged in to the provincial
// server, opening the app asks for that account's password, checked against the salted hash of the last
// good login, so it works offline and after the server session has expired. Then sync starts.
import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import type { XuejiDatabase } from '../../db/database';
import { isUnlocked, type SyncAccount } from '../../sync/account';
import { syncService } from '../../sync/service';
import { useSyncAccount } from '../../sync/use-sync';

function UnlockScreen({ account, onUnlocked }: { account: SyncAccount; onUnlocked: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(null);
    const ok = await syncService.unlock(account, password ?? '').finally(() => setBusy(false));
    if (ok) onUnlocked();
    else setError('密码不正确（与最近一次成功登录省级平台时的密码比对）');
  };
  return (
    <div className="xj-setup" data-testid="unlock-screen">
      <Card
        title={
          <span>
            <LockOutlined /> 学籍桌面端 · 解锁
          </span>
        }
        size="small"
        style={{ width: 380, marginTop: 80 }}
      >
        <Typography.Paragraph>
          {account.user.displayName}（{account.user.orgName}），请输入省级平台账号{' '}
          <b>{account.user.username}</b> 的密码。断网时也可解锁，数据保存在本机。
        </Typography.Paragraph>
        <Form layout="vertical" onFinish={submit}>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoFocus autoComplete="current-password" data-testid="unlock-password" />
          </Form.Item>
          {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="unlock-submit">
            解锁
          </Button>
        </Form>
      </Card>
    </div>
  );
}

export function SyncGate({ db, children }: { db: XuejiDatabase; children: ReactNode }) {
  const account = useSyncAccount(db);
  const [unlocked, setUnlocked] = useState(false);
  const open = account ? unlocked || isUnlocked(account.user.id) : false;
  useEffect(() => {
    if (account && open) void syncService.ensureStarted(db, account);
  }, [db, account, open]);
  if (account === undefined) return <Spin fullscreen />;
  if (account && !open) return <UnlockScreen account={account} onUnlocked={() => setUnlocked(true)} />;
  return <>{children}</>;
}
