// 本机设置: the local lock (R-SECURE) — minutes without input before the app locks itself, the local
// password, 立即锁定. Every change is a command with its event (R-WHO).
import { LockOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import {
  DEFAULT_IDLE_MINUTES,
  MAX_IDLE_MINUTES,
  MIN_IDLE_MINUTES,
} from '../../../../shared/commands/local-lock';
import { useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { type LocalLock, lock$, lockNow } from '../../db/local-lock';

export function SettingsPage() {
  const { db } = useDesk();
  const { message } = App.useApp();
  const [lock, setLock] = useState<LocalLock | null>(null);
  const [idle, setIdle] = useState<number | null>(null);
  const [form] = Form.useForm<{ current: string; password: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const sub = lock$(db).subscribe((l) => {
      setLock(l);
      setIdle((v) => v ?? l?.idleMinutes ?? DEFAULT_IDLE_MINUTES);
    });
    return () => sub.unsubscribe();
  }, [db]);

  const saveIdle = async () => {
    const r = await send('lock-settings-update', { idleMinutes: idle ?? DEFAULT_IDLE_MINUTES });
    if (r.ok) message.success(`已保存：无操作 ${idle} 分钟后自动锁定`);
    else message.error(r.errors.map((e) => e.message).join('；'));
  };
  const changePassword = async (v: { current: string; password: string; confirm: string }) => {
    setBusy(true);
    const r = await send('local-password-set', v).finally(() => setBusy(false));
    if (!r.ok) {
      form.setFields(
        r.errors.map((e) => ({
          name: (e.field === 'current'
            ? 'current'
            : e.field.endsWith('Confirm')
              ? 'confirm'
              : 'password') as never,
          errors: [e.message],
        })),
      );
      return;
    }
    form.resetFields();
    message.success('本机密码已修改');
  };

  return (
    <div className="xj-sync" data-testid="settings-page">
      <Row gutter={12}>
        <Col span={12}>
          <Card
            size="small"
            title={
              <span>
                <LockOutlined /> 本机锁定（R-SECURE：专人专机，离开即锁定）
              </span>
            }
            className="xj-card"
          >
            <Typography.Paragraph type="secondary">
              每次打开本软件、无操作超过设定时间、退出省级平台登录时，本机数据都会锁定，须输入本机密码才能查看。
            </Typography.Paragraph>
            <Space>
              <span>无操作</span>
              <InputNumber
                min={MIN_IDLE_MINUTES}
                max={MAX_IDLE_MINUTES}
                precision={0}
                value={idle}
                onChange={(v) => setIdle(v)}
                aria-label="无操作自动锁定的分钟数"
                data-testid="idle-minutes"
              />
              <span>分钟后自动锁定</span>
              <Button
                onClick={saveIdle}
                disabled={!lock || idle === lock.idleMinutes}
                data-testid="idle-save"
              >
                保存
              </Button>
            </Space>
            <div style={{ marginTop: 12 }}>
              <Button icon={<LockOutlined />} onClick={lockNow} data-testid="lock-now">
                立即锁定
              </Button>
            </div>
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title="修改本机密码" className="xj-card">
            {lock?.source === 'server' ? (
              <Typography.Paragraph type="secondary">
                本机密码目前是最近一次登录省级平台时的密码，每次登录后自动更新；在此另设后，以此处设置的为准。
              </Typography.Paragraph>
            ) : null}
            <Form form={form} layout="vertical" onFinish={changePassword} style={{ maxWidth: 360 }}>
              <Form.Item
                name="current"
                label="当前本机密码"
                rules={[{ required: true, message: '请输入当前本机密码' }]}
              >
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <Form.Item
                name="password"
                label="新本机密码"
                extra="至少 8 位，同时包含字母和数字"
                rules={[{ required: true, message: '请输入新本机密码' }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label="再次输入新密码"
                rules={[{ required: true, message: '请再次输入新密码' }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                修改本机密码
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
