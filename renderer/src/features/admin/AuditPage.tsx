// 操作记录 (R-WHO; issue 11): every administrative write the user may see — a school its own and what was done
// to it, a county its own and its schools', the province all — with who, when, what, and the values before
// and after in words (never a password).
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ACCOUNT_FIELD_LABELS } from '../../../../shared/admin/accounts';
import { AUDIT_ACTIONS, AUDIT_TARGET_LABELS, type AuditEntry } from '../../../../shared/admin/audit';
import {
  ORG_FIELD_LABELS,
  ORG_KIND_LABELS,
  OWNERSHIP_LABELS,
  SCHOOL_LEVEL_LABELS,
} from '../../../../shared/admin/orgs';
import { RULE_SETTING_BY_KEY } from '../../../../shared/rules/settings';
import { navigate } from '../../app/router';
import { AdminFailure } from './api';
import { localDateTime, OnlineOnly, roleLabel } from './common';
import { useAdminSession } from './use-admin';

const PAGE = 50;

const FIELD_LABELS: Record<string, string> = {
  ...ORG_FIELD_LABELS,
  ...ACCOUNT_FIELD_LABELS,
  schoolType: '学校类型',
  disabled: '停用',
  reason: '原因',
  rules: '规则设置',
  keyFields: '关键字段',
  calendar: '工作日调整',
  mustChangePassword: '须修改密码',
  sessionsEnded: '已结束登录',
  accountsDisabled: '同时停用的账号数',
  revoked: '已停用',
  userId: '账号',
  org: '单位',
};

function valueText(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (field === 'role') return roleLabel(String(v));
  if (field === 'level') return SCHOOL_LEVEL_LABELS[v as keyof typeof SCHOOL_LEVEL_LABELS] ?? String(v);
  if (field === 'kind') return ORG_KIND_LABELS[v as keyof typeof ORG_KIND_LABELS] ?? '其他单位';
  if (field === 'schoolType') return v === 'vocational' ? '中等职业学校' : v === 'k12' ? '中小学' : String(v);
  if (field === 'ownership') return OWNERSHIP_LABELS[v as keyof typeof OWNERSHIP_LABELS] ?? String(v);
  if (Array.isArray(v)) return v.length === 0 ? '（无）' : v.map((x) => valueText('', x)).join('、');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('lat' in o) return `北纬 ${o.lat}，东经 ${o.lng}，半径 ${o.radiusM} 米`;
    if ('start' in o && 'end' in o) return `${o.start} 至 ${o.end}`;
    return Object.entries(o)
      .map(([k, x]) => `${RULE_SETTING_BY_KEY.get(k)?.label ?? FIELD_LABELS[k] ?? k}：${valueText(k, x)}`)
      .join('；');
  }
  return String(v);
}

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function Changes({ entry }: { entry: AuditEntry }) {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (keys.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  // A creation has no values before: what was set, on one line, the fields left empty left out.
  if (Object.keys(before).length === 0)
    return (
      <span className="xj-admin-created">
        {keys
          .filter((k) => !isEmpty(after[k]))
          .map((k) => `${FIELD_LABELS[k] ?? '其他'}：${valueText(k, after[k])}`)
          .join('；')}
      </span>
    );
  return (
    <ul className="xj-admin-diff">
      {keys.map((k) => (
        <li key={k}>
          {FIELD_LABELS[k] ?? '其他'}：
          {k in before ? (
            <>
              <del>{valueText(k, before[k])}</del> →{' '}
            </>
          ) : null}
          <ins>{valueText(k, after[k])}</ins>
        </li>
      ))}
    </ul>
  );
}

export function AuditPage({ targetId }: { targetId?: string }) {
  const session = useAdminSession();
  const api = session.api;
  const [filter, setFilter] = useState<{ action?: string; targetKind?: string }>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ entries: AuditEntry[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    if (!api) return;
    setLoading(true);
    try {
      setData(await api.audit({ ...filter, targetId, offset: (page - 1) * PAGE, limit: PAGE }));
      setError(null);
    } catch (e) {
      setError(e instanceof AdminFailure ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [api, filter, page, targetId]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="xj-admin" data-testid="audit-page">
      <OnlineOnly session={session}>
        <div className="xj-toolbar">
          <Space wrap>
            <Typography.Title level={5} style={{ margin: 0 }}>
              操作记录
            </Typography.Title>
            <Typography.Text type="secondary">
              R-WHO：单位、账号、密码、设备和设置的每次管理操作，由上级单位查看
            </Typography.Text>
            {targetId ? (
              <Tag closable onClose={() => navigate('/admin/audit')} data-testid="audit-target">
                对象：{targetId}
              </Tag>
            ) : null}
          </Space>
          <Space>
            <Select
              allowClear
              placeholder="操作"
              style={{ width: 190 }}
              options={Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }))}
              onChange={(action) => {
                setPage(1);
                setFilter((f) => ({ ...f, action }));
              }}
              data-testid="audit-filter-action"
            />
            <Select
              allowClear
              placeholder="对象"
              style={{ width: 110 }}
              options={Object.entries(AUDIT_TARGET_LABELS).map(([value, label]) => ({ value, label }))}
              onChange={(targetKind) => {
                setPage(1);
                setFilter((f) => ({ ...f, targetKind }));
              }}
            />
            <Button icon={<ReloadOutlined />} onClick={() => void load()} disabled={!api}>
              刷新
            </Button>
          </Space>
        </div>
        {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
        <Table<AuditEntry>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={data?.entries ?? []}
          data-testid="audit-table"
          locale={{ emptyText: '尚无可查看的管理操作记录' }}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 条`,
            onChange: setPage,
          }}
          scroll={{ y: 540 }}
          columns={[
            { title: '时间', width: 130, render: (_, e) => localDateTime(e.at) },
            { title: '操作', width: 150, render: (_, e) => AUDIT_ACTIONS[e.action] ?? '其他操作' },
            {
              title: '操作人',
              width: 220,
              render: (_, e) => (
                <span>
                  {e.actor.name}
                  <Typography.Text type="secondary">
                    （{e.actor.role === 'operator' ? '部署运维' : roleLabel(e.actor.role)}，{e.actor.orgName}
                    ）
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: '对象',
              width: 250,
              render: (_, e) => (
                <span>
                  <Tag>{AUDIT_TARGET_LABELS[e.target.kind]}</Tag>
                  {e.target.label}
                  {e.target.kind !== 'org' ? (
                    <Typography.Text type="secondary">（{e.target.orgName}）</Typography.Text>
                  ) : null}
                </span>
              ),
            },
            { title: '内容', render: (_, e) => <Changes entry={e} /> },
            { title: '方式', width: 80, render: (_, e) => e.via ?? '应用' },
          ]}
        />
      </OnlineOnly>
    </div>
  );
}
