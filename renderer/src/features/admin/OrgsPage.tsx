// 单位管理 (issue 11): the org tree this copy holds (orgs replicate: every change reaches every copy in scope),
// one org's attributes, and what the user may do with it — the province creates cities, counties and schools,
// a bureau the schools of its area (新设下级单位, 修改, 停用 / 恢复启用), and either imports a sheet of them.
// Every write is an administration API call (server/admin) with a Chinese result; the tree follows by sync.
import {
  ApartmentOutlined,
  BankOutlined,
  HomeOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { App, Button, Card, Descriptions, Empty, Input, Space, Tag, Tree, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import {
  ADMINISTERED_KINDS,
  decideOrgWrite,
  ORG_FIELD_LABELS,
  ORG_KIND_LABELS,
  type OrgInput,
  OWNERSHIP_LABELS,
  SCHOOL_LEVEL_LABELS,
} from '../../../../shared/admin/orgs';
import {
  type OrgPreviewRow,
  orgSheetTemplate,
  parseOrgSheet,
  previewOrgSheet,
} from '../../../../shared/admin/sheets';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import { creditCodeKind } from '../../../../shared/validate/credit-code';
import { href } from '../../app/router';
import { syncService } from '../../sync/service';
import { AdminFailure } from './api';
import { OnlineOnly, type OrgNode, orgTree, schoolSummary } from './common';
import { creatableKinds, OrgForm } from './OrgForm';
import { SheetImport } from './SheetImport';
import { useAdminSession, useOrgs } from './use-admin';

const ICONS = {
  province: <BankOutlined />,
  city: <ApartmentOutlined />,
  county: <ApartmentOutlined />,
  school: <HomeOutlined />,
};

type TreeItem = { key: string; title: ReactNode; icon: ReactNode; children: TreeItem[] };

function treeData(nodes: OrgNode[], filter: string): TreeItem[] {
  const out: TreeItem[] = [];
  for (const n of nodes) {
    const children = treeData(n.children, filter);
    const hit = !filter || n.org.name.includes(filter) || n.org.id.includes(filter);
    if (!hit && children.length === 0) continue;
    out.push({
      key: n.org.id,
      icon: ICONS[n.org.kind],
      title: (
        <span
          className={n.org.disabled ? 'xj-org-node-disabled' : undefined}
          data-testid={`org-node-${n.org.id}`}
        >
          {n.org.name}
          {n.org.kind !== 'school' && n.schools > 0 ? (
            <span className="xj-admin-count">{n.schools} 所学校</span>
          ) : null}
          {n.org.disabled ? <Tag style={{ marginLeft: 6 }}>已停用</Tag> : null}
        </span>
      ),
      children,
    });
  }
  return out;
}

export function OrgsPage() {
  const session = useAdminSession();
  const { message, modal } = App.useApp();
  const orgs = useOrgs(session.db);
  const user = session.user;
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [form, setForm] = useState<{ parent: OrgDoc; org: OrgDoc | null } | null>(null);
  const [importing, setImporting] = useState(false);
  // An org just written is shown from the server's answer until sync brings it into this copy.
  const [written, setWritten] = useState<OrgDoc | null>(null);
  const byId = useMemo(() => {
    const map = new Map((orgs ?? []).map((o) => [o.id, o]));
    if (written && (map.get(written.id)?.updatedAt ?? '') < written.updatedAt) map.set(written.id, written);
    return map;
  }, [orgs, written]);
  const tree = useMemo(() => orgTree([...byId.values()]), [byId]);
  const data = useMemo(() => treeData(tree, filter.trim()), [tree, filter]);
  const current =
    (selected ? byId.get(selected) : undefined) ?? (user ? byId.get(user.orgId) : undefined) ?? tree[0]?.org;
  // Which branches are open: every bureau of a small tree at first (a province's thousands of schools: only
  // one's own), what the person opened or closed since, and always the way down to the selected org (a new
  // org is shown where it was made).
  const [opened, setOpened] = useState<string[] | null>(null);
  const expandedKeys = useMemo(() => {
    const all = orgs ?? [];
    if (filter.trim()) return all.filter((o) => o.kind !== 'school').map((o) => o.id);
    const base =
      opened ??
      (all.length < 300 ? all.filter((o) => o.kind !== 'school').map((o) => o.id) : user ? [user.orgId] : []);
    const way = current ? current.path.split('/').filter((id) => id && id !== current.id) : [];
    return [...new Set([...base, ...way])];
  }, [orgs, filter, opened, user, current]);

  if (!user) return <OnlineOnly session={session}>{null}</OnlineOnly>;
  const parentOf = (o: OrgDoc) => (o.parentId ? byId.get(o.parentId) : undefined);
  const kinds = current ? creatableKinds(user, current) : [];
  const editable = current
    ? decideOrgWrite(user, 'update', { kind: current.kind, path: current.path })
    : null;

  const toggle = (o: OrgDoc) => {
    const disable = o.disabled !== true;
    let reason = '';
    modal.confirm({
      title: disable ? `停用“${o.name}”？` : `恢复启用“${o.name}”？`,
      content: disable ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            停用后单位的记录全部保留（不删除），不再新设账号；单位下的账号同时停用，其登录立即失效。
            学校须先办理学生转出，下级单位须先停用。
          </Typography.Text>
          <Input
            placeholder="停用原因，如：学校撤并"
            maxLength={200}
            onChange={(e) => (reason = e.target.value)}
            data-testid="org-disable-reason"
          />
        </Space>
      ) : (
        '恢复后可再开设账号；原有账号需逐个恢复启用。'
      ),
      okText: disable ? '停用' : '恢复启用',
      okButtonProps: { danger: disable, 'data-testid': 'org-disable-ok' } as never,
      cancelText: '取消',
      onOk: async () => {
        if (!session.api) throw new Error('offline');
        try {
          await session.api.setOrgDisabled(o.id, disable, reason || undefined);
          message.success(disable ? `已停用“${o.name}”，其账号已同时停用` : `已恢复启用“${o.name}”`);
          void syncService.retry();
        } catch (e) {
          message.error(e instanceof AdminFailure ? e.message : String(e));
        }
      },
    });
  };

  return (
    <div className="xj-admin" data-testid="orgs-page">
      <OnlineOnly session={session}>
        <div className="xj-toolbar">
          <Space>
            <Typography.Title level={5} style={{ margin: 0 }}>
              单位管理
            </Typography.Title>
            <Typography.Text type="secondary">
              共 {(orgs ?? []).filter((o) => o.kind === 'school').length} 所学校、
              {(orgs ?? []).filter((o) => o.kind === 'county' || o.kind === 'city').length} 个教育局
            </Typography.Text>
          </Space>
          {(ADMINISTERED_KINDS[user.role] ?? []).length > 0 ? (
            <Button
              icon={<UploadOutlined />}
              onClick={() => setImporting(true)}
              disabled={!session.api}
              data-testid="orgs-import"
            >
              导入单位表
            </Button>
          ) : null}
        </div>
        <div className="xj-admin-split">
          <div className="xj-admin-tree">
            <Input.Search
              placeholder="按名称或代码查找"
              allowClear
              onChange={(e) => setFilter(e.target.value)}
              style={{ marginBottom: 8 }}
              data-testid="orgs-filter"
            />
            {data.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={orgs ? '没有单位' : '正在读取…'} />
            ) : (
              <Tree
                showIcon
                blockNode
                height={560}
                expandedKeys={expandedKeys}
                onExpand={(keys) => setOpened(keys.map(String))}
                selectedKeys={current ? [current.id] : []}
                treeData={data as never}
                onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
                data-testid="orgs-tree"
              />
            )}
          </div>
          <div className="xj-admin-detail">
            {current ? (
              <Card
                size="small"
                title={
                  <Space>
                    {ICONS[current.kind]}
                    <span data-testid="org-title">{current.name}</span>
                    <Tag>{ORG_KIND_LABELS[current.kind]}</Tag>
                    {current.disabled ? <Tag color="default">已停用</Tag> : <Tag color="green">正常</Tag>}
                  </Space>
                }
                extra={
                  <Space size={8}>
                    {kinds.length > 0 && !current.disabled ? (
                      <Button
                        type="primary"
                        icon={<PlusOutlined />}
                        disabled={!session.api}
                        onClick={() => setForm({ parent: current, org: null })}
                        data-testid="org-new-child"
                      >
                        新设{kinds.length === 1 ? ORG_KIND_LABELS[kinds[0] as OrgDoc['kind']] : '下级单位'}
                      </Button>
                    ) : null}
                    {editable?.allow ? (
                      <>
                        <Button
                          disabled={!session.api || !parentOf(current)}
                          onClick={() => {
                            const parent = parentOf(current);
                            if (parent) setForm({ parent, org: current });
                          }}
                          data-testid="org-edit"
                        >
                          修改
                        </Button>
                        <Button
                          danger={!current.disabled}
                          disabled={!session.api}
                          onClick={() => toggle(current)}
                          data-testid="org-toggle"
                        >
                          {current.disabled ? '恢复启用' : '停用'}
                        </Button>
                      </>
                    ) : null}
                    <a
                      href={href(`/admin/audit/${encodeURIComponent(current.id)}`)}
                      style={{ marginLeft: 4 }}
                    >
                      操作记录
                    </a>
                  </Space>
                }
              >
                {editable && !editable.allow && current.id !== user.orgId ? (
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    {editable.reason}
                  </Typography.Paragraph>
                ) : null}
                <OrgDetails org={current} parent={parentOf(current)} />
              </Card>
            ) : (
              <Empty description="请在左侧选择单位" />
            )}
          </div>
        </div>
        {form ? (
          <OrgForm
            open
            user={user}
            api={session.api}
            parent={form.parent}
            org={form.org}
            orgs={orgs ?? []}
            onClose={() => setForm(null)}
            onSaved={(r) => {
              setForm(null);
              setWritten(r.org);
              setSelected(r.org.id);
              message.success(
                r.created ? `已新设“${r.org.name}”（${r.org.id}）` : `已保存“${r.org.name}”的修改`,
              );
              for (const n of r.notices) message.warning(n);
              void syncService.retry();
            }}
          />
        ) : null}
        <SheetImport<OrgPreviewRow>
          open={importing}
          title="导入单位表"
          what="单位表"
          template={orgSheetTemplate()}
          kinds={[
            { key: 'new', label: '新增', color: 'green' },
            { key: 'changed', label: '有变更', color: 'blue' },
            { key: 'unchanged', label: '无变化', color: 'default' },
            { key: 'invalid', label: '有错误', color: 'red' },
          ]}
          writable={['new', 'changed']}
          preview={(content) => previewOrgSheet(parseOrgSheet(content), orgs ?? [], user)}
          fieldLabel={(f) => ORG_FIELD_LABELS[f as keyof typeof ORG_FIELD_LABELS] ?? f}
          columns={[
            {
              title: '单位',
              width: 300,
              render: (r) =>
                r.kind === 'invalid'
                  ? r.cells.slice(0, 4).filter(Boolean).join(' ')
                  : `${r.input.name ?? ''}（${r.input.id ?? ''}）`,
            },
            {
              title: '内容',
              render: (r) =>
                r.kind === 'invalid' ? (
                  <span className="xj-admin-rowmsg">
                    {r.errors.map((e) => `「${e.column}」${e.message}`).join('；')}
                  </span>
                ) : r.kind === 'changed' ? (
                  <ul className="xj-admin-diff">
                    {r.changes.map((c) => (
                      <li key={c.field}>
                        {c.label}：<del>{c.before || '（空）'}</del> → <ins>{c.after || '（空）'}</ins>
                      </li>
                    ))}
                  </ul>
                ) : r.kind === 'new' ? (
                  <span>
                    {ORG_KIND_LABELS[r.doc.kind]} · {schoolSummary({ ...r.doc, path: '', updatedAt: '' })}
                    {r.notices.map((n) => (
                      <div key={n} className="xj-admin-notice">
                        {n}
                      </div>
                    ))}
                  </span>
                ) : (
                  '与现有信息相同'
                ),
            },
          ]}
          commit={async (rows) => {
            if (!session.api) throw new AdminFailure('当前无法连接省级平台', 'OFFLINE');
            const inputs = rows
              .map((r) => (r.kind === 'new' || r.kind === 'changed' ? r.input : null))
              .filter((x): x is OrgInput => x !== null);
            const res = await session.api.writeOrgs(inputs);
            void syncService.retry();
            const made = res.orgs.filter((o) => o.created).length;
            return `已导入：新设 ${made} 个单位，更新 ${res.orgs.length - made} 个单位`;
          }}
          onClose={() => setImporting(false)}
          onDone={() => message.success('单位表已导入')}
        />
      </OnlineOnly>
    </div>
  );
}

function OrgDetails({ org, parent }: { org: OrgDoc; parent: OrgDoc | undefined }) {
  const school = org.kind === 'school';
  const code = org.creditCode
    ? `${org.creditCode}${creditCodeKind(org.creditCode) ? `（${creditCodeKind(org.creditCode)}）` : ''}`
    : '—';
  return (
    <Descriptions size="small" bordered column={2} data-testid="org-details">
      <Descriptions.Item label={school ? '学校标识码' : '单位代码'}>{org.id}</Descriptions.Item>
      <Descriptions.Item label="上级单位">{parent?.name ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="统一社会信用代码" span={2}>
        {code}
      </Descriptions.Item>
      <Descriptions.Item label={school ? '校长' : '负责人'}>{org.head ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="地址">{org.address ?? '—'}</Descriptions.Item>
      {school ? (
        <>
          <Descriptions.Item label="学段">
            {org.level ? SCHOOL_LEVEL_LABELS[org.level] : '未登记'}
          </Descriptions.Item>
          <Descriptions.Item label="办学性质">
            {org.ownership ? OWNERSHIP_LABELS[org.ownership] : '未登记'}
          </Descriptions.Item>
          <Descriptions.Item label="学制">
            {org.schoolingYears ? `${org.schoolingYears} 年` : '未登记'}
          </Descriptions.Item>
          <Descriptions.Item label="省级示范校">{org.provincialModel ? '是' : '否'}</Descriptions.Item>
          <Descriptions.Item label="招生片区" span={2}>
            {org.enrolmentZone ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label="校区位置" span={2}>
            {org.campus
              ? `北纬 ${org.campus.lat}，东经 ${org.campus.lng}，半径 ${org.campus.radiusM} 米${org.campus.address ? `（${org.campus.address}）` : ''}`
              : '未登记（常态化核验无法判断签到位置）'}
          </Descriptions.Item>
        </>
      ) : null}
      <Descriptions.Item label="学期" span={2}>
        {org.term
          ? `${org.term.name ? `${org.term.name}：` : ''}${org.term.start} 至 ${org.term.end}`
          : '未单独设定（沿用上级）'}
      </Descriptions.Item>
      <Descriptions.Item label="最后修改" span={2}>
        {org.updatedAt ? org.updatedAt.slice(0, 16).replace('T', ' ') : '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}
