// 检查: the inspection records this desk holds. A bureau sees its 抽查计划 (and starts one from the register
// of its schools and inspectors) and the inspections they opened; an inspector the inspections it was drawn
// for (the visit opens from here, also offline); a school the inspections of itself, their reports and
// follow-ups. Who holds which record is the server's scope (an inspection's bureau, inspectors and school).
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { DrawRegister } from '../../../../shared/inspections/plan';
import {
  FOLLOW_UP_STATUS_LABELS,
  type FollowUpDoc,
  INSPECTION_STATUS_LABELS,
  type InspectionDoc,
  type PlanDoc,
  REPORT_STATUS_LABELS,
  type ReportDoc,
} from '../../../../shared/inspections/records';
import { navigate } from '../../app/router';
import { useAuthUser } from '../../app/session';
import { send } from '../../db/commands';
import { syncService } from '../../sync/service';
import { refusalText, useInspectionRecords } from './use-inspections';
import './inspections.css';

const STATUS_COLOR: Record<string, string> = {
  assigned: 'blue',
  onSite: 'orange',
  recorded: 'green',
  published: 'purple',
  draft: 'default',
  issued: 'blue',
  received: 'green',
  open: 'red',
  answered: 'orange',
  closed: 'green',
};

function NewPlanButton() {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ matterId: string; matterName: string }>();
  const create = async () => {
    const v = await form.validateFields();
    const api = syncService.current?.api;
    if (!api) {
      message.error('新建抽查计划须联网：执法检查人员名录和检查对象名录从省级平台读取');
      return;
    }
    setBusy(true);
    try {
      const register = await api.get<DrawRegister>('/api/inspections/register');
      await send('inspection-register-keep', { register });
      const r = await send('plan-create', { register, ...v });
      const why = refusalText(r);
      if (why || !('id' in r)) message.error(why ?? '未能新建');
      else {
        setOpen(false);
        navigate(`/inspections/plan/${r.id}`);
      }
    } catch (e) {
      message.error(`读取名录失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="plan-new">
        新建抽查计划
      </Button>
      <Modal
        open={open}
        title="新建抽查计划"
        onCancel={() => setOpen(false)}
        onOk={create}
        okText="新建"
        confirmLoading={busy}
      >
        <Form form={form} layout="vertical" initialValues={{ matterId: '', matterName: '' }}>
          <Form.Item
            name="matterId"
            label="抽查事项编号（抽查事项清单）"
            rules={[{ required: true, message: '请填写事项编号' }]}
          >
            <Input data-testid="plan-matter-id" maxLength={40} />
          </Form.Item>
          <Form.Item
            name="matterName"
            label="抽查事项名称"
            rules={[{ required: true, message: '请填写事项名称' }]}
          >
            <Input data-testid="plan-matter-name" maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function InspectionsPage() {
  const user = useAuthUser();
  const records = useInspectionRecords();
  const plans = records.filter((r): r is PlanDoc => r.kind === 'plan');
  const visits = records.filter((r): r is InspectionDoc => r.kind === 'inspection');
  const reports = new Map(
    records.filter((r): r is ReportDoc => r.kind === 'report').map((r) => [r.inspectionId, r]),
  );
  const followUps = records.filter((r): r is FollowUpDoc => r.kind === 'followUp');
  const openFollowUps = (id: string) =>
    followUps.filter((f) => f.inspectionId === id && f.status !== 'closed').length;

  return (
    <div className="xj-insp-page" data-testid="inspections-page">
      {user.role === 'bureau' ? (
        <Card
          size="small"
          title="抽查计划（双随机、一公开）"
          extra={<NewPlanButton />}
          className="xj-insp-card"
        >
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={plans}
            data-testid="plan-list"
            locale={{ emptyText: '还没有抽查计划' }}
            onRow={(p) => ({
              onClick: () => navigate(`/inspections/plan/${p.id}`),
              className: 'xj-insp-row',
            })}
            columns={[
              { title: '抽查事项', dataIndex: 'title' },
              { title: '事项编号', render: (_, p) => p.matter.id, width: 140 },
              { title: '检查对象', render: (_, p) => `${p.inputs.objects.length} 所`, width: 90 },
              { title: '抽中', render: (_, p) => (p.draw ? `${p.draw.draws.length} 所` : '—'), width: 80 },
              { title: '抽取日期', render: (_, p) => p.drawDate ?? '—', width: 110 },
              {
                title: '状态',
                width: 90,
                render: (_, p) => (
                  <Tag color={p.status === 'published' ? 'purple' : 'default'}>
                    {p.status === 'published' ? '已公示' : '草稿'}
                  </Tag>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      <Card size="small" title="实地核查" className="xj-insp-card">
        <Table
          size="small"
          rowKey="id"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={[...visits].sort(
            (a, b) => a.drawDate.localeCompare(b.drawDate) || a.schoolName.localeCompare(b.schoolName),
          )}
          data-testid="visit-list"
          locale={{
            emptyText:
              user.role === 'inspector' ? '还没有分配给您的检查（抽查计划公示后出现）' : '还没有检查记录',
          }}
          onRow={(d) => ({ onClick: () => navigate(`/inspections/visit/${d.id}`), className: 'xj-insp-row' })}
          columns={[
            { title: '被检查学校', dataIndex: 'schoolName' },
            { title: '抽查事项', render: (_, d) => d.matter.name },
            { title: '检查人员', render: (_, d) => d.inspectors.map((i) => i.name).join('、'), width: 160 },
            { title: '抽取日期', dataIndex: 'drawDate', width: 110 },
            {
              title: '状态',
              width: 90,
              render: (_, d) => (
                <Tag color={STATUS_COLOR[d.status]}>{INSPECTION_STATUS_LABELS[d.status]}</Tag>
              ),
            },
            {
              title: '检查报告',
              width: 110,
              render: (_, d) => {
                const r = reports.get(d.id);
                return r ? <Tag color={STATUS_COLOR[r.status]}>{REPORT_STATUS_LABELS[r.status]}</Tag> : '—';
              },
            },
            {
              title: '整改事项',
              width: 90,
              render: (_, d) => {
                const n = openFollowUps(d.id);
                return n > 0 ? <Tag color="red">{n} 项未销号</Tag> : '—';
              },
            },
          ]}
        />
      </Card>
      {followUps.length > 0 ? (
        <Card size="small" title="整改事项" className="xj-insp-card">
          <Table
            size="small"
            rowKey="id"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={followUps}
            onRow={(f) => ({
              onClick: () => navigate(`/inspections/visit/${f.inspectionId}`),
              className: 'xj-insp-row',
            })}
            columns={[
              { title: '检查项目', render: (_, f) => `${f.itemNo} ${f.itemTitle}` },
              { title: '问题', dataIndex: 'problem', ellipsis: true },
              { title: '整改期限', render: (_, f) => f.dueDate ?? '—', width: 110 },
              {
                title: '状态',
                width: 90,
                render: (_, f) => (
                  <Tag color={STATUS_COLOR[f.status]}>{FOLLOW_UP_STATUS_LABELS[f.status]}</Tag>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      <Typography.Paragraph type="secondary" className="xj-insp-note">
        依据《学籍管理专项检查工作要求》：检查对象和检查人员随机抽取、结果公开；实地核查人员不少于 2
        人并出示执法证件；检查结束后 10 个工作日内形成检查报告，20 个工作日内公开检查结果。
      </Typography.Paragraph>
    </div>
  );
}
