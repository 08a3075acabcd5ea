// 登录设备 (R-SECURE: 专人专机): the devices that logged in to the accounts the user may see (GET /api/devices —
// one's own, a school's, a bureau's area), when each was first and last seen, and 停用 for a device that is
// lost, sold or shared: its tokens and streams end at once and it cannot log in again.
import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { decide } from '../../../../shared/authority/relation';
import { deviceId as thisDevice } from '../../sync/account';
import { AdminFailure, type DeviceView } from './api';
import { localDateTime, OnlineOnly, roleLabel } from './common';
import { useAdminSession, useOrgs } from './use-admin';

/** "Chrome 141 · Linux" from a user agent, for a person to recognise the machine. */
export function deviceLabel(userAgent: string | null): string {
  if (!userAgent) return '未知设备';
  const browser =
    /Electron\/([\d]+)/.exec(userAgent)?.[0].replace('/', ' ') ??
    /Edg\/(\d+)/.exec(userAgent)?.[0].replace('Edg/', 'Edge ') ??
    /Chrome\/(\d+)/.exec(userAgent)?.[0].replace('/', ' ') ??
    /Firefox\/(\d+)/.exec(userAgent)?.[0].replace('/', ' ') ??
    (/node/i.test(userAgent) ? '程序客户端' : '浏览器');
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X/.test(userAgent)
      ? 'macOS'
      : /Linux/.test(userAgent)
        ? 'Linux'
        : '';
  return os ? `${browser} · ${os}` : browser;
}

export function DevicesPage() {
  const session = useAdminSession();
  const { message } = App.useApp();
  const orgs = useOrgs(session.db) ?? [];
  const [devices, setDevices] = useState<DeviceView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [q, setQ] = useState('');
  const api = session.api;
  const user = session.user;
  const load = useCallback(async () => {
    if (!api) return;
    setLoading(true);
    try {
      setDevices((await api.devices()).devices);
      setError(null);
    } catch (e) {
      setError(e instanceof AdminFailure ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);
  const shown = useMemo(
    () =>
      (devices ?? []).filter(
        (d) => !q || d.username.includes(q) || d.displayName.includes(q) || (d.orgName ?? '').includes(q),
      ),
    [devices, q],
  );
  if (!user) return <OnlineOnly session={session}>{null}</OnlineOnly>;
  const mine = session.account?.deviceId ?? thisDevice();
  const mayRevoke = (d: DeviceView) => {
    const org = orgs.find((o) => o.id === d.orgId);
    return decide(user, 'devices', 'update', {
      owner: { path: org?.path ?? `/${d.orgId}/` },
      users: [d.userId],
    }).allow;
  };
  return (
    <div className="xj-admin" data-testid="devices-page">
      <OnlineOnly session={session}>
        <div className="xj-toolbar">
          <Space>
            <Typography.Title level={5} style={{ margin: 0 }}>
              登录设备
            </Typography.Title>
            <Typography.Text type="secondary">
              R-SECURE：专人专机。丢失、转借或不再使用的设备请停用，停用后该设备立即退出且不能再登录
            </Typography.Text>
          </Space>
          <Space>
            <Input.Search
              allowClear
              placeholder="用户名、姓名或单位"
              style={{ width: 220 }}
              onChange={(e) => setQ(e.target.value.trim())}
            />
            <Button icon={<ReloadOutlined />} onClick={() => void load()} disabled={!api}>
              刷新
            </Button>
          </Space>
        </div>
        {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
        <Table<DeviceView>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={shown}
          data-testid="devices-table"
          pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => `共 ${n} 台设备` }}
          scroll={{ y: 540 }}
          columns={[
            {
              title: '设备',
              width: 230,
              render: (_, d) => (
                <Space size={4}>
                  <span>{deviceLabel(d.userAgent)}</span>
                  {d.deviceId === mine && d.userId === user.id ? <Tag color="blue">本机</Tag> : null}
                </Space>
              ),
            },
            { title: '账号', width: 200, render: (_, d) => `${d.displayName}（${d.username}）` },
            { title: '角色', width: 110, render: (_, d) => roleLabel(d.role) },
            { title: '所属单位', dataIndex: 'orgName', ellipsis: true },
            { title: '首次登录', width: 130, render: (_, d) => localDateTime(d.firstSeenAt) },
            { title: '最近使用', width: 130, render: (_, d) => localDateTime(d.lastSeenAt) },
            { title: '地址', width: 120, render: (_, d) => d.ip ?? '—' },
            {
              title: '状态',
              width: 150,
              render: (_, d) =>
                d.revokedAt ? (
                  <Tag>已停用 {localDateTime(d.revokedAt).slice(5)}</Tag>
                ) : mayRevoke(d) ? (
                  <Popconfirm
                    title={`停用 ${d.displayName} 的这台设备？`}
                    description="该设备上的登录立即失效，且不能再登录；如为本机，本机需换用其他设备"
                    okText="停用"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={async () => {
                      if (!api) return;
                      try {
                        await api.revokeDevice(d.id);
                        message.success(`已停用 ${d.username} 的设备`);
                        void load();
                      } catch (e) {
                        message.error(e instanceof AdminFailure ? e.message : String(e));
                      }
                    }}
                  >
                    <Button size="small" danger data-testid={`device-revoke-${d.username}`}>
                      停用
                    </Button>
                  </Popconfirm>
                ) : (
                  <Tag color="green">使用中</Tag>
                ),
            },
          ]}
        />
      </OnlineOnly>
    </div>
  );
}
