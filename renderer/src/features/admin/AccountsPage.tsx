// 账号管理 (issue 11): the accounts of the user's area (a school its own staff only), found by org, role, state
// and name; 开设账号 (a role below one's own, in one's own area), 导入账号表, 修改, 停用 / 恢复启用, 重置密码 — each
// an administration API call; a new or reset password is shown once and printed on its 通知单.
import { PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  ACCOUNT_FIELD_LABELS,
  type AccountInput,
  type AccountView,
  decideAccountWrite,
  grantableRoles,
} from '../../../../shared/admin/accounts';
import {
  type AccountPreviewRow,
  accountSheetTemplate,
  parseAccountSheet,
  previewAccountSheet,
} from '../../../../shared/admin/sheets';
import { ROLE_LABELS } from '../../../../shared/sync/protocol';
import { AccountForm } from './AccountForm';
import { AdminFailure } from './api';
import { localDateTime, OnlineOnly, roleLabel } from './common';
import { SheetImport } from './SheetImport';
import { type SlipBatch, SlipDialog } from './SlipDialog';
import { useAdminSession, useOrgs } from './use-admin';

const PAGE = 50;

export function AccountsPage() {
  const session = useAdminSession();
  const { message } = App.useApp();
  const orgs = useOrgs(session.db) ?? [];
  const user = session.user;
  const [filter, setFilter] = useState<{ orgId?: string; role?: string; disabled?: boolean; q?: string }>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ users: AccountView[]; total: number } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [form, setForm] = useState<{ account: AccountView | null } | null>(null);
  const [slips, setSlips] = useState<SlipBatch | null>(null);
  const [importing, setImporting] = useState(false);
  const api = session.api;
  const load = useCallback(async () => {
    if (!api) return;
    setLoading(true);
    try {
      setData(await api.users({ ...filter, offset: (page - 1) * PAGE, limit: PAGE }));
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof AdminFailure ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [api, filter, page]);
  useEffect(() => {
    void load();
  }, [load]);
  const canCreate = useMemo(
    () => (user ? orgs.some((o) => !o.disabled && grantableRoles(user, o).length > 0) : false),
    [orgs, user],
  );
  if (!user) return <OnlineOnly session={session}>{null}</OnlineOnly>;

  const mayChange = (a: AccountView) =>
    decideAccountWrite(user, 'update', {
      id: a.id,
      role: a.role,
      orgPath: a.orgPath,
      orgKind: orgs.find((o) => o.id === a.orgId)?.kind ?? 'school',
    });
  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
      void load();
    } catch (e) {
      message.error(e instanceof AdminFailure ? e.message : String(e));
    }
  };

  return (
    <div className="xj-admin" data-testid="accounts-page">
      <OnlineOnly session={session}>
        <div className="xj-toolbar">
          <Space wrap>
            <Typography.Title level={5} style={{ margin: 0 }}>
              账号管理
            </Typography.Title>
            <Select
              allowClear
              placeholder="所属单位"
              style={{ width: 240 }}
              showSearch
              optionFilterProp="label"
              options={orgs
                .filter((o) => o.path.startsWith(user.orgPath))
                .map((o) => ({ value: o.id, label: `${o.name}（${o.id}）` }))}
              onChange={(orgId) => {
                setPage(1);
                setFilter((f) => ({ ...f, orgId }));
              }}
              data-testid="accounts-filter-org"
            />
            <Select
              allowClear
              placeholder="角色"
              style={{ width: 150 }}
              options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
              onChange={(role) => {
                setPage(1);
                setFilter((f) => ({ ...f, role }));
              }}
            />
            <Select
              allowClear
              placeholder="状态"
              style={{ width: 110 }}
              options={[
                { value: 'false', label: '正常' },
                { value: 'true', label: '已停用' },
              ]}
              onChange={(v) => {
                setPage(1);
                setFilter((f) => ({ ...f, disabled: v === undefined ? undefined : v === 'true' }));
              }}
            />
            <Input.Search
              allowClear
              placeholder="用户名或姓名"
              style={{ width: 200 }}
              onSearch={(q) => {
                setPage(1);
                setFilter((f) => ({ ...f, q: q.trim() || undefined }));
              }}
              data-testid="accounts-search"
            />
          </Space>
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} disabled={!api}>
              刷新
            </Button>
            <Button
              icon={<UploadOutlined />}
              onClick={() => setImporting(true)}
              disabled={!api || !canCreate}
              data-testid="accounts-import"
            >
              导入账号表
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setForm({ account: null })}
              disabled={!api || !canCreate}
              data-testid="accounts-new"
            >
              开设账号
            </Button>
          </Space>
        </div>
        {loadError ? <Typography.Text type="danger">{loadError}</Typography.Text> : null}
        <Table<AccountView>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={data?.users ?? []}
          data-testid="accounts-table"
          pagination={{
            current: page,
            pageSize: PAGE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 个账号`,
            onChange: setPage,
          }}
          scroll={{ y: 520 }}
          columns={[
            {
              title: '用户名',
              dataIndex: 'username',
              width: 150,
              ellipsis: true,
              render: (u: string) => <span data-testid={`account-${u}`}>{u}</span>,
            },
            { title: '姓名', dataIndex: 'displayName', width: 150, ellipsis: true },
            { title: '角色', dataIndex: 'role', width: 100, render: (r: string) => roleLabel(r) },
            { title: '所属单位', dataIndex: 'orgName', width: 200, ellipsis: true },
            {
              title: '所带班级 / 执法证号',
              render: (_, a) =>
                a.role === 'counselor'
                  ? a.classIds.join('、')
                  : a.role === 'inspector'
                    ? `${a.enforcementId ?? ''}${a.conflicts.length > 0 ? `（回避 ${a.conflicts.length} 所学校）` : ''}`
                    : '',
            },
            {
              title: '状态',
              width: 96,
              render: (_, a) =>
                a.disabled ? (
                  <Tag>已停用</Tag>
                ) : a.mustChangePassword ? (
                  <Tag color="orange">待改初始密码</Tag>
                ) : (
                  <Tag color="green">正常</Tag>
                ),
            },
            { title: '最近登录', width: 120, render: (_, a) => localDateTime(a.lastSeenAt) },
            {
              title: '操作',
              width: 170,
              render: (_, a) => {
                const d = mayChange(a);
                if (!d.allow)
                  return (
                    <Tooltip title={d.reason}>
                      <Typography.Text type="secondary">
                        {a.id === user.id ? '本人' : '不可管理'}
                      </Typography.Text>
                    </Tooltip>
                  );
                return (
                  <Space size={4}>
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setForm({ account: a })}
                      data-testid={`account-edit-${a.username}`}
                    >
                      修改
                    </Button>
                    <Popconfirm
                      title={`重置 ${a.displayName} 的密码？`}
                      description="该账号的所有登录立即失效，下次登录须修改新密码"
                      okText="重置"
                      cancelText="取消"
                      onConfirm={async () => {
                        if (!api) return;
                        try {
                          const r = await api.resetPassword(a.id);
                          setSlips({ kind: 'reset', accounts: [r] });
                          void load();
                        } catch (e) {
                          message.error(e instanceof AdminFailure ? e.message : String(e));
                        }
                      }}
                    >
                      <Button size="small" type="link" data-testid={`account-reset-${a.username}`}>
                        重置密码
                      </Button>
                    </Popconfirm>
                    <Popconfirm
                      title={a.disabled ? `恢复启用 ${a.displayName}？` : `停用 ${a.displayName}？`}
                      description={
                        a.disabled ? undefined : '停用后该账号不能登录，所有登录立即失效；记录保留'
                      }
                      okText={a.disabled ? '恢复启用' : '停用'}
                      okButtonProps={{ danger: !a.disabled }}
                      cancelText="取消"
                      onConfirm={() =>
                        act(
                          () =>
                            api
                              ? api.setUserDisabled(a.id, !a.disabled)
                              : Promise.reject(new Error('offline')),
                          a.disabled ? `已恢复启用 ${a.username}` : `已停用 ${a.username}，其登录已失效`,
                        )
                      }
                    >
                      <Button
                        size="small"
                        type="link"
                        danger={!a.disabled}
                        data-testid={`account-toggle-${a.username}`}
                      >
                        {a.disabled ? '启用' : '停用'}
                      </Button>
                    </Popconfirm>
                  </Space>
                );
              },
            },
          ]}
        />
        {form ? (
          <AccountForm
            open
            db={session.db}
            user={user}
            api={api}
            orgs={orgs}
            account={form.account}
            defaultOrgId={
              filter.orgId ??
              (grantableRoles(user, orgs.find((o) => o.id === user.orgId) ?? { kind: 'school', path: '' })
                .length > 0
                ? user.orgId
                : undefined)
            }
            onClose={() => setForm(null)}
            onCreated={(c) => {
              setForm(null);
              setSlips({ kind: 'create', accounts: [c] });
              void load();
            }}
            onUpdated={(a, notices) => {
              setForm(null);
              message.success(`已保存 ${a.username} 的修改`);
              for (const n of notices) message.warning(n);
              void load();
            }}
          />
        ) : null}
        <SheetImport<AccountPreviewRow>
          open={importing}
          title="导入账号表"
          what="账号表"
          template={accountSheetTemplate()}
          kinds={[
            { key: 'new', label: '新开设', color: 'green' },
            { key: 'invalid', label: '有错误', color: 'red' },
          ]}
          writable={['new']}
          preview={(content) => previewAccountSheet(parseAccountSheet(content), orgs, user)}
          fieldLabel={(f) => ACCOUNT_FIELD_LABELS[f as keyof typeof ACCOUNT_FIELD_LABELS] ?? f}
          columns={[
            {
              title: '用户名',
              width: 180,
              render: (r) => (r.kind === 'new' ? r.input.username : (r.cells[0] ?? '')),
            },
            {
              title: '姓名',
              width: 120,
              render: (r) => (r.kind === 'new' ? r.input.displayName : (r.cells[1] ?? '')),
            },
            {
              title: '内容',
              render: (r) =>
                r.kind === 'invalid' ? (
                  <span className="xj-admin-rowmsg">
                    {r.errors.map((e) => `「${e.column}」${e.message}`).join('；')}
                  </span>
                ) : (
                  <span>
                    {roleLabel(r.input.role ?? '')} · {orgs.find((o) => o.id === r.input.orgId)?.name}
                    {r.input.classIds?.length ? ` · ${r.input.classIds.join('、')}` : ''}
                    {r.notices.map((n) => (
                      <div key={n} className="xj-admin-notice">
                        {n}
                      </div>
                    ))}
                  </span>
                ),
            },
          ]}
          commit={async (rows) => {
            if (!api) throw new AdminFailure('当前无法连接省级平台', 'OFFLINE');
            const inputs = rows.flatMap((r) => (r.kind === 'new' ? [r.input as AccountInput] : []));
            const res = await api.createUsers(inputs);
            setImporting(false);
            setSlips({ kind: 'create', accounts: res.users });
            void load();
            return `已开设 ${res.users.length} 个账号`;
          }}
          onClose={() => setImporting(false)}
          onDone={() => message.success('账号表已导入，请打印通知单')}
        />
        <SlipDialog
          batch={slips}
          issuer={user}
          serverUrl={session.account?.serverUrl}
          maxAgeDays={session.account?.passwordMaxAgeDays}
          onClose={() => setSlips(null)}
        />
      </OnlineOnly>
    </div>
  );
}
