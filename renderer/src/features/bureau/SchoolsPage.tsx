// 学校: an area desk's schools (issue 11) — a county its schools; a city its counties and schools; the
// province its cities, counties and schools — with students, paper-archive completeness, when each school
// last synced and the approvals waiting (the workflow issue fills them; until then "—"). A school's roster
// opens read-only. A city or the province chooses which schools it keeps offline; others are downloaded
// when opened, their size shown first.
import {
  CloudDownloadOutlined,
  DeleteOutlined,
  PushpinOutlined,
  ReloadOutlined,
  SearchOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { App, Button, Input, Space, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import { choosesSchools, EMPTY_SELECTION, type SchoolSelection } from '../../../../shared/sync/selection';
import { href, navigate } from '../../app/router';
import { useAuthUser, useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { selection$ } from '../../db/selection';
import {
  type AreaRow,
  areaRows,
  completeShare,
  type Held,
  isStale,
  schoolRows,
  sinceLabel,
  sizeLabel,
} from './area-rows';
import { useArea } from './area-store';
import { useAreaStats } from './use-area-stats';
import './bureau.css';

const TYPE_LABELS = { vocational: '中职', k12: '中小学' } as const;
const KIND_LABELS: Record<OrgDoc['kind'], string> = {
  province: '省',
  city: '市',
  county: '县区',
  school: '学校',
};
const HELD_LABELS: Record<Exclude<Held, null>, string> = {
  kept: '离线保存',
  cached: '已缓存',
  area: '全辖区保存',
};

/** The org documents below the desk's org, live. */
export function useAreaOrgs(): OrgDoc[] {
  const { db, org } = useDesk();
  const [orgs, setOrgs] = useState<OrgDoc[]>([]);
  useEffect(() => {
    const sub = db.orgs
      .find()
      .$.subscribe((docs) =>
        setOrgs(
          docs
            .map((d) => d.toJSON() as OrgDoc)
            .filter((o) => o.path.startsWith(org.path) && o.path !== org.path),
        ),
      );
    return () => sub.unsubscribe();
  }, [db, org.path]);
  return orgs;
}

/** The schools a choosing desk holds (EMPTY for a county, which holds all). */
export function useSelection(): SchoolSelection {
  const { db } = useDesk();
  const [sel, setSel] = useState<SchoolSelection>(EMPTY_SELECTION);
  useEffect(() => {
    const sub = selection$(db).subscribe(setSel);
    return () => sub.unsubscribe();
  }, [db]);
  return sel;
}

function groupKeys(rows: readonly AreaRow[]): string[] {
  return rows.flatMap((r) => (r.children ? [r.key, ...groupKeys(r.children)] : []));
}

const num = (v: number | null) => (v === null ? '—' : v.toLocaleString('zh-CN'));

/** Asks before a download, with its size; then keeps or caches the school. */
export function useSchoolDownload() {
  const { modal, message } = App.useApp();
  return (
    row: Pick<AreaRow, 'id' | 'name' | 'students' | 'bytes'>,
    how: 'keep' | 'cache',
    then?: () => void,
  ) =>
    modal.confirm({
      title: how === 'keep' ? `离线保存“${row.name}”` : `下载“${row.name}”的数据`,
      width: 460,
      content: (
        <div data-testid="download-size">
          约 <b>{num(row.students)}</b> 名学生，数据约{' '}
          <b>{row.bytes === null ? '—' : sizeLabel(row.bytes)}</b>
          （传输时压缩，实际流量更小）。
          {how === 'keep'
            ? '离线保存后本机随时可查看，联网时自动更新。'
            : `下载后保存在本机的最近查看中（最多 5 所），可改为离线保存。`}
        </div>
      ),
      okText: how === 'keep' ? '下载并离线保存' : '下载并查看',
      cancelText: '取消',
      onOk: async () => {
        const r = await send(how === 'keep' ? 'desk-keep-school' : 'desk-cache-school', {
          schoolId: row.id,
        });
        if (!r.ok) message.error(r.errors.map((e) => e.message).join('；'));
        else then?.();
      },
    });
}

export function SchoolsPage() {
  const { db, org } = useDesk();
  const user = useAuthUser();
  const choosing = choosesSchools(user);
  const { store, version } = useArea(db);
  const orgs = useAreaOrgs();
  const selection = useSelection();
  const { stats, error, refresh } = useAreaStats(db);
  const [query, setQuery] = useState('');
  const download = useSchoolDownload();
  const { message } = App.useApp();
  const now = new Date();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` signals changed students
  const rows = useMemo(() => {
    const kept = new Set(selection.kept);
    const cached = new Set(selection.cached.map((c) => c.id));
    return areaRows({
      root: org,
      orgs,
      stats: stats?.schools ?? [],
      local: (id, type) => (store.holds(id) ? store.figures(id, type) : undefined),
      held: (id) => (!choosing ? 'area' : kept.has(id) ? 'kept' : cached.has(id) ? 'cached' : null),
    });
  }, [org, orgs, stats, store, version, selection, choosing]);
  const schools = useMemo(() => schoolRows(rows), [rows]);
  // Groups (cities, counties) open; one the person closed stays closed.
  const groups = useMemo(() => groupKeys(rows), [rows]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const q = query.trim();
  const shown = useMemo(
    () => (q ? schools.filter((s) => s.name.includes(q) || s.id.includes(q.toUpperCase())) : rows),
    [q, rows, schools],
  );
  const total = schoolRows(rows).reduce(
    (t, s) => ({
      onRoster: t.onRoster + (s.onRoster ?? 0),
      folders: t.folders + (s.folders ?? 0),
      complete: t.complete + (s.complete ?? 0),
      stale: t.stale + (isStale(s.lastSyncAt, now) ? 1 : 0),
    }),
    { onRoster: 0, folders: 0, complete: 0, stale: 0 },
  );

  const drop = async (row: AreaRow) => {
    const r = await send('desk-drop-school', { schoolId: row.id });
    if (r.ok) message.success(`已从本机移除“${row.name}”的数据（省级平台上的数据不受影响）`);
    else message.error(r.errors.map((e) => e.message).join('；'));
  };

  const columns: TableColumnsType<AreaRow> = [
    {
      title: '单位',
      dataIndex: 'name',
      ellipsis: true,
      render: (_, r) =>
        r.kind === 'school' ? (
          <a href={href(`/schools/${r.id}`)} data-testid="school-link">
            {r.name}
          </a>
        ) : (
          <span>
            <b>{r.name}</b>{' '}
            <span className="xj-muted">
              {KIND_LABELS[r.kind]} · {r.schools} 所学校
            </span>
          </span>
        ),
    },
    {
      title: '类型',
      width: 64,
      render: (_, r) => (r.schoolType && r.kind === 'school' ? TYPE_LABELS[r.schoolType] : ''),
    },
    {
      title: '在校学生',
      width: 88,
      align: 'right',
      render: (_, r) => <span data-testid="school-students">{num(r.onRoster)}</span>,
    },
    {
      title: '档案完整',
      width: 110,
      align: 'right',
      render: (_, r) => {
        const share = completeShare(r);
        return share === null ? (
          '—'
        ) : (
          <Tooltip title={`${num(r.complete)} / ${num(r.folders)} 份档案各项齐全`}>
            <span className={share < 60 ? 'xj-warn-text' : undefined}>{share}%</span>
          </Tooltip>
        );
      },
    },
    {
      title: '最近同步',
      width: 132,
      render: (_, r) => {
        if (r.kind !== 'school')
          return r.neverSynced > 0 ? (
            <span className="xj-warn-text">{r.neverSynced} 所从未同步</span>
          ) : r.lastSyncAt ? (
            <span className="xj-muted">最早 {sinceLabel(r.lastSyncAt, now)}</span>
          ) : (
            '—'
          );
        if (r.source === null && !stats) return '—';
        return (
          <span
            className={isStale(r.lastSyncAt, now) ? 'xj-warn-text' : undefined}
            title={r.lastSyncAt ? new Date(r.lastSyncAt).toLocaleString('zh-CN') : undefined}
            data-testid="school-last-sync"
          >
            {sinceLabel(r.lastSyncAt, now)}
          </span>
        );
      },
    },
    {
      title: '待审批',
      width: 64,
      align: 'right',
      render: (_, r) =>
        r.pendingApprovals === null ? (
          <Tooltip title="学籍异动与信息变更的审批上线后在此统计">
            <span className="xj-muted">—</span>
          </Tooltip>
        ) : (
          num(r.pendingApprovals)
        ),
    },
    ...(choosing
      ? [
          {
            title: '本机数据',
            width: 150,
            render: (_: unknown, r: AreaRow) =>
              r.kind !== 'school' ? null : r.held ? (
                <Space size={4}>
                  <Tag color={r.held === 'kept' ? 'blue' : 'default'}>{HELD_LABELS[r.held]}</Tag>
                  {r.held === 'cached' ? (
                    <Tooltip title="改为离线保存：本机随时可查看，联网时自动更新">
                      <Button
                        size="small"
                        type="text"
                        icon={<PushpinOutlined />}
                        aria-label="离线保存"
                        onClick={() => send('desk-keep-school', { schoolId: r.id })}
                      />
                    </Tooltip>
                  ) : null}
                  <Tooltip title="从本机移除该校数据（省级平台上的数据不受影响）">
                    <Button
                      size="small"
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label="从本机移除"
                      onClick={() => drop(r)}
                    />
                  </Tooltip>
                </Space>
              ) : (
                <Button
                  size="small"
                  icon={<CloudDownloadOutlined />}
                  onClick={() => download(r, 'keep')}
                  data-testid="school-keep"
                >
                  离线保存
                  {r.bytes !== null ? <span className="xj-muted"> {sizeLabel(r.bytes)}</span> : null}
                </Button>
              ),
          },
        ]
      : []),
    {
      title: '',
      width: 84,
      render: (_, r) =>
        r.kind === 'school' ? (
          <Button
            size="small"
            type="link"
            icon={<TeamOutlined />}
            onClick={() => navigate(`/schools/${r.id}`)}
          >
            花名册
          </Button>
        ) : null,
    },
  ];

  return (
    <div className="xj-area" data-testid="schools-page">
      <div className="xj-toolbar">
        <Space size={8} wrap>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="学校名称或代码"
            aria-label="查找学校"
            style={{ width: 220 }}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <Typography.Text data-testid="area-summary">
            {schools.length} 所学校 · 在校学生 <b>{total.onRoster.toLocaleString('zh-CN')}</b> 人 · 档案完整{' '}
            {total.folders > 0 ? `${Math.round((total.complete / total.folders) * 1000) / 10}%` : '—'}
            {total.stale > 0 ? (
              <span className="xj-warn-text"> · {total.stale} 所超过 7 天未同步或从未同步</span>
            ) : null}
          </Typography.Text>
        </Space>
        <Space size={8}>
          <Typography.Text type="secondary" className="xj-count" data-testid="stats-time">
            {stats
              ? `省级平台统计于 ${sinceLabel(stats.at, now)}${error ? '（当前无法连接，显示上次结果）' : ''}`
              : error
                ? '无法取得省级平台统计（离线），显示本机数据'
                : '正在取得省级平台统计…'}
          </Typography.Text>
          <Tooltip title="重新取得统计">
            <Button size="small" icon={<ReloadOutlined />} onClick={refresh} aria-label="刷新统计" />
          </Tooltip>
        </Space>
      </div>
      {choosing ? (
        <Typography.Paragraph type="secondary" className="xj-area-note">
          本机离线保存 {selection.kept.length} 所学校、最近查看 {selection.cached.length}{' '}
          所；其他学校的数字来自省级平台统计，打开时先下载该校数据。
        </Typography.Paragraph>
      ) : null}
      <Table<AreaRow>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={shown}
        pagination={false}
        virtual={schools.length > 200}
        scroll={{ y: 'calc(100vh - 230px)' }}
        expandable={{
          expandedRowKeys: groups.filter((k) => !collapsed.has(k)),
          onExpand: (open, r) =>
            setCollapsed((c) => {
              const next = new Set(c);
              if (open) next.delete(r.key);
              else next.add(r.key);
              return next;
            }),
        }}
        locale={{ emptyText: orgs.length === 0 ? '尚未收到辖区学校的单位信息' : '没有符合条件的学校' }}
        className="xj-area-table"
      />
    </div>
  );
}
