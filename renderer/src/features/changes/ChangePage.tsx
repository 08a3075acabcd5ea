// One request (学籍异动 or 基本信息变更) for every party of it: the student's data as submitted, the type's
// fields, the proofs, the rule findings, each step with who decided, their opinion and when (a late
// decision of a step someone else decided first shown as such), the rejection's reason; and what this
// user may do now — the school completes and submits its draft (proofs, the checks shown first, a
// written reason for a `warn`), the party of the step waiting approves or rejects with an opinion, the
// school withdraws, prints the form and marks the signed copy filed (which ticks the paper archive).
import {
  CheckOutlined,
  CloseOutlined,
  FileDoneOutlined,
  PaperClipOutlined,
  RollbackOutlined,
  SendOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Steps,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { STUDENT_STATUSES } from '../../../../shared/domain/codes';
import type { EventDoc } from '../../../../shared/domain/schemas';
import { fieldLabel, type Student } from '../../../../shared/domain/student';
import type { Finding } from '../../../../shared/rules/types';
import {
  CHANGE_TYPES,
  type ChangeRequestDoc,
  DECISION_LABELS,
  definitionOf,
  deriveState,
  mayDecide,
  PROOF_KINDS,
  type Proof,
  type ProofKind,
  REQUEST_STATUSES,
  requestTitle,
  stepLabel,
} from '../../../../shared/workflows';
import { href } from '../../app/router';
import { useSchoolOrNull } from '../../app/school-context';
import { useDesk } from '../../app/session';
import { send } from '../../db/commands';
import type { XuejiDatabase } from '../../db/database';
import { useQueued } from '../../sync/use-sync';
import { HistoryTimeline } from '../roster/HistoryTimeline';
import { RuleRefs } from '../rules/RuleRef';
import { ProofViewer, proofSha } from './ProofViewer';
import { RequestPrintButton } from './RequestPrint';
import { useRequest, useWorkflowUser } from './use-changes';
import './changes.css';
import { chinaDate } from '../../../../shared/calendar/china';

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'warning',
};

export function StatusTag({ req }: { req: ChangeRequestDoc }) {
  return (
    <Tag color={STATUS_COLORS[req.status]} data-testid="request-status">
      {REQUEST_STATUSES[req.status]}
      {req.status === 'submitted' ? `（第 ${req.step + 1} 步）` : ''}
    </Tag>
  );
}

/** Written on this machine and not yet taken by the provincial server (offline): it goes up on reconnect. */
function QueuedTag({ req }: { req: ChangeRequestDoc }) {
  const queued = useQueued('changeRequests', req.id);
  if (!queued) return null;
  return (
    <Tag color="orange" data-testid="request-queued" title="本机已保存，联网后自动上传到省级平台">
      {req.status === 'draft' ? '草稿待上传' : '待上传：联网后送达'}
    </Tag>
  );
}

const time = (iso: string) => `${chinaDate(iso)} ${new Date(iso).toTimeString().slice(0, 5)}`;

function Findings({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return <span className="xj-muted">规则检查未发现问题</span>;
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      {findings.map((f) => (
        <Alert
          key={`${f.rule}:${f.message}`}
          type={f.level === 'refuse' ? 'error' : f.level === 'warn' ? 'warning' : 'info'}
          showIcon
          title={
            <span>
              {f.message} <RuleRefs text={f.message} />
            </span>
          }
        />
      ))}
    </Space>
  );
}

function StudentBlock({ req }: { req: ChangeRequestDoc }) {
  return (
    <Card
      size="small"
      className="xj-card"
      title={req.students.length > 1 ? `学生（${req.students.length} 人）` : '学生'}
    >
      {req.students.slice(0, 8).map((s) => (
        <Descriptions
          key={s.id ?? s.idNo}
          size="small"
          bordered
          column={3}
          className="xj-change-student"
          items={[
            {
              key: 'name',
              label: '姓名',
              children:
                s.id && req.studentIds.includes(s.id) ? (
                  <a href={href(`/students/${s.id}`)}>{s.name}</a>
                ) : (
                  s.name
                ),
            },
            { key: 'idNo', label: '身份证件号', children: s.idNo },
            { key: 'statusNo', label: '学籍号', children: s.statusNo ?? '—' },
            { key: 'school', label: '学校', children: s.schoolName ?? req.fromSchoolName ?? '—' },
            { key: 'grade', label: '年级', children: s.grade || '—' },
            { key: 'class', label: '班级', children: s.classId || '—' },
          ]}
        />
      ))}
      {req.students.length > 8 ? (
        <div className="xj-muted">…… 另有 {req.students.length - 8} 人（见打印的审批表）</div>
      ) : null}
    </Card>
  );
}

function Content({ req }: { req: ChangeRequestDoc }) {
  const def = definitionOf(req.type);
  const items = [
    { key: 'type', label: '异动类型', children: CHANGE_TYPES[req.type] },
    { key: 'appliedOn', label: '申请日期', children: req.appliedOn },
    {
      key: 'applicant',
      label: '申请人',
      children:
        [req.applicant.name, req.applicant.relation, req.applicant.phone].filter(Boolean).join('，') || '—',
    },
    ...def.fields.map((f) => ({ key: f.key, label: f.label, children: req.details[f.key] || '—' })),
    ...(req.fromSchoolName ? [{ key: 'from', label: '转出学校', children: req.fromSchoolName }] : []),
    { key: 'reason', label: '申请原因', span: 3, children: req.reason || '—' },
    ...(req.warnReasons?.length
      ? [
          {
            key: 'warn',
            label: '书面说明理由',
            span: 3,
            children: req.warnReasons.map((w) => `${w.rule}：${w.reason}`).join('；'),
          },
        ]
      : []),
  ];
  return (
    <Card size="small" className="xj-card" title="申请内容">
      <Descriptions size="small" bordered column={3} items={items} />
      {req.type === 'infoChange' ? (
        <table className="xj-change-items" data-testid="change-items">
          <thead>
            <tr>
              <th>变更项目</th>
              <th>原登记内容</th>
              <th>变更后内容</th>
              <th>变更原因</th>
            </tr>
          </thead>
          <tbody>
            {(req.items ?? []).map((it) => (
              <tr key={it.field}>
                <td>{fieldLabel(it.field)}</td>
                <td>{it.before || '（空）'}</td>
                <td>{it.after || '（空）'}</td>
                <td>{it.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  );
}

function Route({ req }: { req: ChangeRequestDoc }) {
  const state = deriveState(req.route, req.decisions, req.withdrawn);
  const current = req.status === 'approved' ? req.route.length : req.step;
  return (
    <Card size="small" className="xj-card" title="审批进程" data-testid="request-steps">
      <Steps
        orientation="vertical"
        size="small"
        current={current}
        status={req.status === 'rejected' ? 'error' : req.status === 'withdrawn' ? 'error' : undefined}
        items={req.route.map((step, i) => {
          const d = state.counted.get(i);
          const late = req.decisions.filter((x) => x.step === i && x.late);
          return {
            title: `${step.title.replace(/（R-ESCALATE）/, '')}：${step.orgName || '待确定'}`,
            description: (
              <div data-testid={`step-${i}`}>
                {d ? (
                  <div>
                    <b>{DECISION_LABELS[d.decision]}</b>　{d.opinion}
                    <div className="xj-muted">
                      {d.byName}（{d.orgName}） {time(d.at)}
                    </div>
                  </div>
                ) : i === req.step && req.status === 'submitted' ? (
                  <span className="xj-muted">等待办理</span>
                ) : null}
                {late.map((x) => (
                  <div key={x.id} className="xj-change-late" data-testid="late-decision">
                    {x.byName}（{x.orgName}）于 {time(x.at)} 也作出了“{DECISION_LABELS[x.decision]}”：
                    {x.opinion}
                    ——到达服务器时此步已由 {d?.byName ?? '他人'} 办理，此意见保留备查，不计入审批结果
                  </div>
                ))}
              </div>
            ),
          };
        })}
      />
      {req.withdrawn ? (
        <Alert
          type="warning"
          showIcon
          title={`${req.withdrawn.byName} 于 ${time(req.withdrawn.at)} 撤回：${req.withdrawn.reason}`}
        />
      ) : null}
    </Card>
  );
}

function Proofs({ req, editable }: { req: ChangeRequestDoc; editable: boolean }) {
  const { message } = App.useApp();
  const def = definitionOf(req.type);
  const kinds = [...new Set([...def.proofs.flatMap((p) => p.anyOf), 'other' as ProofKind])];
  const [kind, setKind] = useState<ProofKind>(kinds[0] ?? 'other');
  const [open, setOpen] = useState<Proof | null>(null);
  const attach = async (file: File) => {
    const r = await send('change-attach', {
      id: req.id,
      kind,
      name: file.name,
      mime: file.type,
      bytes: await file.arrayBuffer(),
    });
    if (!r.ok) message.error(r.errors[0]?.message ?? '无法添加证明材料');
    else message.success(`已添加“${file.name}”`);
  };
  return (
    <Card size="small" className="xj-card" title="证明材料" data-testid="request-proofs">
      {def.proofs.length > 0 ? (
        <div className="xj-muted" style={{ marginBottom: 6 }}>
          须提供：
          {def.proofs.map((p) => p.anyOf.map((k) => PROOF_KINDS[k]).join('或')).join('；')}
        </div>
      ) : null}
      {req.proofs.length === 0 ? (
        <span className="xj-muted">尚未添加</span>
      ) : (
        <ul className="xj-change-proofs">
          {req.proofs.map((p) => (
            <li key={`${p.kind}:${p.attachmentId ?? p.name}`}>
              <PaperClipOutlined /> {PROOF_KINDS[p.kind]}：{p.name}
              {proofSha(p) ? (
                <Button size="small" type="link" onClick={() => setOpen(p)} data-testid="proof-open">
                  查看
                </Button>
              ) : (
                <span className="xj-muted">（纸质材料）</span>
              )}
              {editable && p.attachmentId ? (
                <Button
                  size="small"
                  type="link"
                  onClick={() =>
                    send('change-detach', {
                      id: req.id,
                      attachmentId: p.attachmentId as string,
                      kind: p.kind,
                    })
                  }
                >
                  移除
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <Space style={{ marginTop: 6 }}>
          <Select<ProofKind>
            size="small"
            style={{ width: 200 }}
            value={kind}
            onChange={setKind}
            options={kinds.map((k) => ({ value: k, label: PROOF_KINDS[k] }))}
            data-testid="proof-kind"
          />
          <Upload
            accept="image/*,application/pdf"
            showUploadList={false}
            beforeUpload={(file) => {
              void attach(file);
              return false;
            }}
          >
            <Button size="small" icon={<PaperClipOutlined />} data-testid="proof-add">
              添加扫描件或文件
            </Button>
          </Upload>
        </Space>
      ) : null}
      <ProofViewer proof={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

function useHeld(db: XuejiDatabase, id: string | undefined) {
  const [student, setStudent] = useState<Student | null>(null);
  const [events, setEvents] = useState<EventDoc[] | undefined>(undefined);
  useEffect(() => {
    if (!id) {
      setEvents([]);
      return;
    }
    const a = db.students
      .findOne(id)
      .$.subscribe((d) => setStudent(d ? (d.toMutableJSON() as Student) : null));
    const b = db.events
      .find({ selector: { entityId: id }, sort: [{ at: 'desc' }] })
      .$.subscribe((docs) => setEvents(docs.map((d) => d.toMutableJSON() as EventDoc)));
    return () => {
      a.unsubscribe();
      b.unsubscribe();
    };
  }, [db, id]);
  return { student, events };
}

/**
 * The student's history for the deciding party: the events the server gave this copy (a bureau reads its
 * schools' students; the other school of a transfer the history up to it once it was the sending school).
 */
function StudentHistory({ req }: { req: ChangeRequestDoc }) {
  const { db } = useDesk();
  const one = req.studentIds.length === 1 ? req.studentIds[0] : undefined;
  const { student, events } = useHeld(db, one);
  if (req.studentIds.length > 1)
    return (
      <Card size="small" className="xj-card" title="学生的修改记录">
        <span className="xj-muted">共 {req.studentIds.length} 名学生：各人的修改记录在其学生信息页查看</span>
      </Card>
    );
  return (
    <Card
      size="small"
      className="xj-card"
      title="学生的修改记录"
      data-testid="request-history"
      extra={
        student ? (
          <span className="xj-muted" data-testid="request-held">
            本机记录：{STUDENT_STATUSES[student.status as keyof typeof STUDENT_STATUSES] ?? student.status} ·{' '}
            {student.grade} · {student.classId} · <a href={href(`/students/${student.id}`)}>打开学生信息</a>
          </span>
        ) : null
      }
    >
      {events === undefined ? (
        <Spin />
      ) : events.length === 0 && !student ? (
        <span className="xj-muted" data-testid="request-history-none">
          该生的学籍记录不在本机（由所在学校及其教育局保存），以上为提交时的学生信息
        </span>
      ) : (
        <div style={{ maxHeight: 320, overflow: 'auto' }}>
          <HistoryTimeline events={events} />
        </div>
      )}
    </Card>
  );
}

/** The school's draft: the checks first, a written reason for each `warn`, then 提交 with its opinion. */
function SubmitPanel({ req }: { req: ChangeRequestDoc }) {
  const { message, modal } = App.useApp();
  const [opinion, setOpinion] = useState('同意上报');
  const [reasons, setReasons] = useState<Record<string, string>>(
    Object.fromEntries((req.warnReasons ?? []).map((w) => [w.rule, w.reason])),
  );
  const [check, setCheck] = useState<
    { ok: true; findings: Finding[] } | { ok: false; message: string; rule: string; field: string } | null
  >(null);
  const [busy, setBusy] = useState(false);
  const warnReasons = Object.entries(reasons)
    .filter(([, r]) => r.trim())
    .map(([rule, reason]) => ({ rule, reason }));
  const patch = { warnReasons };
  const runCheck = async () => {
    setBusy(true);
    const r = await send('change-preview', { id: req.id, opinion, patch }).finally(() => setBusy(false));
    if (r.ok) setCheck({ ok: true, findings: r.findings });
    else {
      const e = r.errors[0];
      setCheck({ ok: false, message: e?.message ?? '', rule: e?.code ?? '', field: e?.field ?? '' });
    }
    return r.ok;
  };
  const submit = async () => {
    if (!(await runCheck())) return;
    setBusy(true);
    const r = await send('change-submit', { id: req.id, opinion, patch }).finally(() => setBusy(false));
    if (!r.ok) message.error(r.errors[0]?.message ?? '提交失败');
    else message.success('已提交；联网时上报教育行政部门');
  };
  const withdraw = () =>
    modal.confirm({
      title: '放弃这份草稿？',
      content: '草稿将标记为“已撤回”，可另行新建申请。',
      okText: '放弃草稿',
      cancelText: '返回',
      onOk: async () => {
        const r = await send('change-withdraw', { id: req.id, reason: '学校放弃草稿' });
        if (!r.ok) message.error(r.errors[0]?.message ?? '撤回失败');
      },
    });
  const warnNeeded = check && !check.ok && check.field === 'warnReasons' ? check.rule : null;
  return (
    <Card size="small" className="xj-card xj-change-act" title="学校意见并提交" data-testid="submit-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {check?.ok ? (
          <div data-testid="submit-findings">
            <Findings findings={check.findings} />
          </div>
        ) : null}
        {check && !check.ok ? (
          <Alert
            type="error"
            showIcon
            title={
              <span>
                {check.message} <RuleRefs text={check.message} />
              </span>
            }
            data-testid="submit-refusal"
          />
        ) : null}
        {[...new Set([...(warnNeeded ? [warnNeeded] : []), ...Object.keys(reasons)])].map((rule) => (
          <div key={rule}>
            <div>书面说明理由（{rule}）：</div>
            <Input.TextArea
              rows={2}
              maxLength={500}
              value={reasons[rule] ?? ''}
              onChange={(e) => setReasons({ ...reasons, [rule]: e.target.value })}
              data-testid={`warn-reason-${rule}`}
            />
          </div>
        ))}
        <Input.TextArea
          rows={2}
          maxLength={500}
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
          data-testid="submit-opinion"
        />
        <Space>
          <Button onClick={runCheck} loading={busy} data-testid="submit-check">
            检查规则
          </Button>
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={submit}
            loading={busy}
            data-testid="submit-request"
          >
            提交审批
          </Button>
          <Button danger onClick={withdraw}>
            放弃草稿
          </Button>
        </Space>
      </Space>
    </Card>
  );
}

function DecidePanel({ req }: { req: ChangeRequestDoc }) {
  const { message } = App.useApp();
  const [opinion, setOpinion] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'approve' | 'reject') => {
    if (decision === 'reject' && opinion.trim().length < 2) {
      message.warning('退回申请须写明理由');
      return;
    }
    setBusy(true);
    const r = await send('change-decide', { id: req.id, decision, opinion }).finally(() => setBusy(false));
    if (!r.ok) message.error(r.errors[0]?.message ?? '办理失败');
    else
      message.success(decision === 'approve' ? '已同意；联网时送达下一步' : '已退回；各方都能看到退回理由');
  };
  return (
    <Card
      size="small"
      className="xj-card xj-change-act"
      title={`办理：${stepLabel(req.route, req.step)}`}
      data-testid="decide-panel"
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder="审核意见（退回时必填）"
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
          data-testid="decide-opinion"
        />
        <Space>
          <Button
            type="primary"
            icon={<CheckOutlined />}
            loading={busy}
            onClick={() => decide('approve')}
            data-testid="decide-approve"
          >
            同意
          </Button>
          <Button
            danger
            icon={<CloseOutlined />}
            loading={busy}
            onClick={() => decide('reject')}
            data-testid="decide-reject"
          >
            不同意并退回
          </Button>
        </Space>
      </Space>
    </Card>
  );
}

export function ChangePage({ id }: { id: string }) {
  const { db } = useDesk();
  const { message, modal } = App.useApp();
  const school = useSchoolOrNull();
  const user = useWorkflowUser();
  const req = useRequest(db, id);
  if (req === undefined) return <Spin style={{ marginTop: 48 }} />;
  if (req === null)
    return (
      <Result
        status="404"
        title="找不到该申请"
        subTitle="可能尚未同步到本机，或不在您的工作范围内"
        extra={<a href={href('/changes')}>返回学籍异动</a>}
      />
    );
  const owner = user.role === 'schoolAdmin' && user.orgId === req.schoolId;
  const mine = req.status === 'submitted' && mayDecide(user, req.route[req.step]);
  const rejected =
    req.status === 'rejected'
      ? [...req.decisions].reverse().find((d) => d.decision === 'reject' && !d.late)
      : undefined;
  const withdraw = () => {
    let reason = '';
    modal.confirm({
      title: '撤回这份申请？',
      content: <Input.TextArea rows={2} placeholder="撤回原因" onChange={(e) => (reason = e.target.value)} />,
      okText: '撤回',
      cancelText: '返回',
      onOk: async () => {
        const r = await send('change-withdraw', { id: req.id, reason });
        if (!r.ok) {
          message.error(r.errors[0]?.message ?? '撤回失败');
          throw new Error('refused');
        }
      },
    });
  };
  const file = async () => {
    const r = await send('change-file', { id: req.id });
    if (!r.ok) message.error(r.errors[0]?.message ?? '归档失败');
    else message.success(r.ticked.length ? `已归档；${r.ticked.join('、')}的纸质档案清单已勾选` : '已归档');
  };

  return (
    <div className="xj-change-page" data-testid="change-page">
      <div className="xj-student-head">
        <Space size={12} align="center">
          <a href={href('/changes')}>← 学籍异动</a>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="request-title">
            {requestTitle(req)}
          </Typography.Title>
          <StatusTag req={req} />
          <QueuedTag req={req} />
          <span className="xj-muted">编号 {req.id}</span>
        </Space>
        <Space>
          {school && owner ? <RequestPrintButton req={req} /> : null}
          {owner && req.status === 'approved' && !req.filed ? (
            <Button icon={<FileDoneOutlined />} onClick={file} data-testid="request-file">
              纸质表已签章归档
            </Button>
          ) : null}
          {owner && req.status === 'submitted' ? (
            <Button icon={<RollbackOutlined />} onClick={withdraw}>
              撤回申请
            </Button>
          ) : null}
        </Space>
      </div>
      {rejected ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="request-rejected"
          title={`${rejected.orgName}（${rejected.byName}）于 ${time(rejected.at)} 退回：${rejected.opinion}`}
        />
      ) : null}
      {req.status === 'approved' && req.applied ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 8 }}
          title={`${chinaDate(req.applied.at)} 审批通过并生效：${definitionOf(req.type).effect}${req.filed ? `；纸质表已由 ${req.filed.byName} 于 ${chinaDate(req.filed.at)} 归档` : ''}`}
        />
      ) : null}
      <Row gutter={12} style={{ flex: 1, minHeight: 0 }}>
        <Col span={15} className="xj-scroll">
          <StudentBlock req={req} />
          <Content req={req} />
          <Proofs req={req} editable={owner && req.status === 'draft'} />
          <Card size="small" className="xj-card" title="规则检查" data-testid="request-findings">
            {req.findings ? (
              <Findings findings={req.findings} />
            ) : (
              <span className="xj-muted">提交时检查</span>
            )}
          </Card>
          <StudentHistory req={req} />
        </Col>
        <Col span={9} className="xj-scroll">
          {owner && req.status === 'draft' ? <SubmitPanel req={req} /> : null}
          {mine ? <DecidePanel req={req} /> : null}
          {req.route.length > 0 ? <Route req={req} /> : <Empty description="审批步骤在提交时确定" />}
        </Col>
      </Row>
    </div>
  );
}
