// 核验任务: the tasks this desk sees with their live counts (passed, exempt, missed, not yet — from the
// synced term records), and 发布核验任务 for the province, a bureau (its schools) or a school admin (its
// own 联调测试, HN 三.3). The form takes each school's registered campus as the task's geofence; the
// command checks with the server's own rules before the sync pushes it.
import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Modal,
  Select,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import type { VerificationTaskDoc } from '../../../../shared/verification/schemas';
import {
  type Counts,
  completion,
  emptyCounts,
  GROUP_LABELS,
  groupOf,
} from '../../../../shared/verification/summary';
import { fenceOf, ISSUER_LABELS, isVocational } from '../../../../shared/verification/task';
import { hasNeed } from '../../app/access';
import { href } from '../../app/router';
import { useAuthUser, useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { PUBLISH_TASKS } from './access';
import { useOrgMap, useRecords, useTasks } from './use-verification';
import './verification.css';
import { chinaTime, fromChinaTime } from '../../../../shared/calendar/china';

/** Counts of every task over the records, in one pass. */
export function countsByTask(records: readonly { results: Record<string, { s: never | string }> }[]) {
  const out = new Map<string, Counts>();
  for (const r of records)
    for (const [id, res] of Object.entries(r.results)) {
      let c = out.get(id);
      if (!c) {
        c = emptyCounts();
        out.set(id, c);
      }
      c.called++;
      c[groupOf(res.s as never)]++;
    }
  return out;
}

export function windowState(t: VerificationTaskDoc, now: number): { label: string; color: string } {
  if (t.status === 'cancelled') return { label: '已撤销', color: 'default' };
  if (Date.parse(t.start) > now) return { label: '未开始', color: 'blue' };
  if (Date.parse(t.end) > now) return { label: '进行中', color: 'green' };
  return { label: '已截止', color: 'default' };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function TasksPage() {
  const tasks = useTasks();
  const records = useRecords();
  const orgs = useOrgMap();
  const user = useAuthUser();
  const [open, setOpen] = useState(false);
  const counts = useMemo(() => countsByTask(records ?? []), [records]);
  const now = Date.now();
  const canPublish = hasNeed(user, PUBLISH_TASKS);
  return (
    <div className="xj-verif" data-testid="verification-tasks">
      <div className="xj-toolbar">
        <Typography.Text type="secondary">
          上级教育行政部门发起的核验计入核验次数（R-MISS-2-4）；学校自行发起的联调测试不计入（HN 三.3）。
        </Typography.Text>
        {canPublish && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="task-new">
            发布核验任务
          </Button>
        )}
      </div>
      <Table<VerificationTaskDoc>
        size="small"
        rowKey="id"
        loading={tasks === null}
        dataSource={tasks ?? []}
        pagination={{ pageSize: 15, showSizeChanger: false }}
        locale={{ emptyText: '还没有核验任务' }}
        columns={[
          {
            title: '任务',
            dataIndex: 'name',
            ellipsis: true,
            render: (name: string, t) => (
              <span>
                <a href={href(`/verification/tasks/${encodeURIComponent(t.id)}`)} data-testid="task-link">
                  {name}
                </a>
                {t.test && <Tag className="xj-tag-gap">联调测试</Tag>}
              </span>
            ),
          },
          {
            title: '发起单位',
            width: 200,
            ellipsis: true,
            dataIndex: 'issuerName',
          },
          {
            title: '核验时间',
            width: 220,
            render: (_, t) => `${chinaTime(t.start)} 至 ${chinaTime(t.end).slice(5)}`,
          },
          {
            title: '状态',
            width: 70,
            render: (_, t) => {
              const w = windowState(t, now);
              return <Tag color={w.color}>{w.label}</Tag>;
            },
          },
          {
            title: '学校',
            width: 48,
            align: 'right',
            render: (_, t) => (
              <Tooltip title={t.scope.schoolIds.map((id) => orgs.get(id)?.name ?? id).join('、')}>
                {t.scope.schoolIds.length}
              </Tooltip>
            ),
          },
          ...(['called', 'passed', 'exempt', 'missed', 'open'] as const).map((k) => ({
            title: { called: '应核验', ...GROUP_LABELS }[k],
            width: k === 'missed' ? 84 : 64,
            align: 'right' as const,
            render: (_: unknown, t: VerificationTaskDoc) =>
              (counts.get(t.id)?.[k] ?? 0).toLocaleString('zh-CN'),
          })),
          {
            title: '完成率',
            width: 72,
            align: 'right',
            render: (_, t) => {
              const c = counts.get(t.id);
              return c ? pct(completion(c)) : '—';
            },
          },
        ]}
      />
      {open && <PublishModal orgs={orgs} onClose={() => setOpen(false)} />}
    </div>
  );
}

/** The form's wall-clock value (Beijing time) of an instant, and back. */
const pickerValue = (ms: number) => dayjs(chinaTime(ms), 'YYYY-MM-DD HH:mm');
const instantOf = (d: Dayjs | null | undefined) => (d ? fromChinaTime(d.format('YYYY-MM-DD HH:mm')) : null);

function PublishModal({ orgs, onClose }: { orgs: Map<string, OrgDoc>; onClose: () => void }) {
  const user = useAuthUser();
  const { org } = useDesk();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const schools = useMemo(
    () =>
      [...orgs.values()]
        .filter((o) => o.path.startsWith(org.path) && isVocational(o))
        .sort((a, b) => a.path.localeCompare(b.path)),
    [orgs, org.path],
  );
  // From this minute: a task published now can be checked in at once.
  const start0 = Math.floor(Date.now() / 60_000) * 60_000;
  const ownSchool = user.role === 'schoolAdmin';
  const submit = async () => {
    const v = form.getFieldsValue() as {
      name?: string;
      reason?: string;
      start?: Dayjs | null;
      end?: Dayjs | null;
      schoolIds?: string[];
      grades?: string[];
      classIds?: string[];
    };
    const start = instantOf(v.start);
    const end = instantOf(v.end);
    if (!start || !end) {
      setError('请填写开始时间和截止时间');
      return;
    }
    setBusy(true);
    const r = await send('verification-task-publish', {
      name: v.name ?? '',
      reason: v.reason,
      start,
      end,
      schoolIds: ownSchool ? [org.id] : (v.schoolIds ?? []),
      grades: v.grades,
      classIds: v.classIds,
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.errors.map((e) => e.message).join('；'));
      return;
    }
    message.success('核验任务已发布，同步后各校可见');
    onClose();
  };
  return (
    <Modal
      open
      width={620}
      title={ownSchool ? '发布联调测试（本校点名核验）' : '发布核验任务'}
      okText="发布"
      cancelText="取消"
      confirmLoading={busy}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'task-publish' } as never}
    >
      {ownSchool && (
        <Alert
          type="info"
          showIcon
          className="xj-gap"
          message="学校发布的点名核验是联调测试（HN 三.3），不计入上级核验次数（R-MISS-2-4）"
        />
      )}
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 5 }}
        initialValues={{
          name: '',
          start: pickerValue(start0),
          end: pickerValue(start0 + 8 * 3600_000),
          schoolIds: [],
        }}
      >
        <Form.Item label="任务名称" name="name" required>
          <Input maxLength={100} placeholder="例如：2026年秋季学期第3次常态化核验" data-testid="task-name" />
        </Form.Item>
        <Form.Item label="核验原因" name="reason">
          <Input.TextArea maxLength={500} rows={2} placeholder="例如：学期中常态化核验" />
        </Form.Item>
        <Form.Item label="开始时间" name="start" required extra="北京时间">
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="task-start" />
        </Form.Item>
        <Form.Item label="截止时间" name="end" required>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="task-end" />
        </Form.Item>
        {!ownSchool && (
          <Form.Item
            label="参加学校"
            name="schoolIds"
            required
            extra="核验范围为各校在省级平台登记的办学地址位置和半径；未登记的学校不能选择"
          >
            <Select
              mode="multiple"
              allowClear
              placeholder="选择中等职业学校"
              data-testid="task-schools"
              optionFilterProp="label"
              options={schools.map((s) => {
                const f = fenceOf(s);
                return {
                  value: s.id,
                  label: f ? `${s.name}（半径 ${f.radiusM} 米）` : `${s.name}（未登记校区位置）`,
                  disabled: !f,
                };
              })}
            />
          </Form.Item>
        )}
        <Form.Item label="年级" name="grades" extra="不选则为全部年级">
          <Select mode="tags" placeholder="例如 2025" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Form.Item label="班级" name="classIds" extra="不选则为全部班级">
          <Select mode="tags" placeholder="班级名称" tokenSeparators={[',', '，']} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="task-error" />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        发起单位：{user.role === 'schoolAdmin' ? ISSUER_LABELS.school : org.name}
        。全日制在籍学生参加；非全日制学生不参加（R-PART-TIME）；核验期间请假已批准的学生免核验（R-LEAVE-EXEMPT）。
      </Typography.Text>
    </Modal>
  );
}
