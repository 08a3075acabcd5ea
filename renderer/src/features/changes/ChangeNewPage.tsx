// A new request of the school: 学籍异动 of one student (from the student page), of a class (graduation,
// new students), or 基本信息变更 (the key fields ★ corrected, each with its recorded value, the correct one
// and why). The fields are the type's (shared/workflows/definitions.ts); saving makes a draft, whose page
// then takes the proofs, shows the rule checks and submits.
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { STUDY_FORMS } from '../../../../shared/domain/codes';
import { compareClasses } from '../../../../shared/domain/grades';
import { fieldLabel, type Student } from '../../../../shared/domain/student';
import { prefillRequest, type RequestPrefill } from '../../../../shared/verification/prefill';
import type { VerificationAction, VerificationRecordDoc } from '../../../../shared/verification/schemas';
import {
  CHANGE_TYPES,
  type ChangeItem,
  type ChangeRequestDoc,
  type ChangeType,
  type DetailDef,
  definitionOf,
  infoChangeFields,
  isChangeType,
  storedString,
} from '../../../../shared/workflows';
import { href, navigate } from '../../app/router';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import { useKeyFields } from '../../db/key-fields';
import { DateField } from './DateField';
import { useRequests } from './use-changes';
import './changes.css';
import { chinaDate } from '../../../../shared/calendar/china';

type Values = {
  details: Record<string, string>;
  reason: string;
  applicantName: string;
  applicantRelation?: string;
  applicantPhone?: string;
  appliedOn: string;
  items?: { field?: string; after?: string; reason?: string }[];
};

function useStudents(ids: readonly string[]): Student[] | undefined {
  const { db } = useSchool();
  const [rows, setRows] = useState<Student[] | undefined>(undefined);
  const key = ids.join(',');
  useEffect(() => {
    const sub = db.students
      .findByIds(key ? key.split(',') : [])
      .$.subscribe((m) => setRows([...m.values()].map((d) => d.toMutableJSON() as Student)));
    return () => sub.unsubscribe();
  }, [db, key]);
  return rows;
}

/** The classes of the school with their students on the roster (a class's graduation). */
function useClasses() {
  const { db } = useSchool();
  const [classes, setClasses] = useState<Map<string, Student[]>>(new Map());
  useEffect(() => {
    const sub = db.students.find({ selector: { status: 'enrolled' } }).$.subscribe((docs) => {
      const m = new Map<string, Student[]>();
      for (const d of docs) {
        const s = d.toMutableJSON() as Student;
        m.set(s.classId, [...(m.get(s.classId) ?? []), s]);
      }
      setClasses(m);
    });
    return () => sub.unsubscribe();
  }, [db]);
  return classes;
}

/**
 * The action of routine verification a request is started from (its one click), or null when there is
 * none; undefined while loading.
 */
function useAction(from: { recordId: string; actionKey: string } | undefined) {
  const { db } = useSchool();
  const [action, setAction] = useState<VerificationAction | null | undefined>(from ? undefined : null);
  const recordId = from?.recordId;
  const actionKey = from?.actionKey;
  useEffect(() => {
    if (!recordId) return;
    const sub = db.verifications.findOne(recordId).$.subscribe((d) => {
      const r = d?.toJSON() as unknown as VerificationRecordDoc | undefined;
      setAction(r?.actions?.find((a) => a.key === actionKey) ?? null);
    });
    return () => sub.unsubscribe();
  }, [db, recordId, actionKey]);
  return action;
}

/**
 * A field of the request's details. Form.Item hands its child `value` and `onChange`: they go on to the
 * input (dropping them left every detail out of the saved form and the pre-filled ones blank).
 */
function DetailInput({
  def,
  requests,
  value,
  onChange,
}: {
  def: DetailDef;
  requests: readonly ChangeRequestDoc[];
  value?: string;
  onChange?: (v: string) => void;
}) {
  const bound = { value, onChange, 'data-testid': `detail-${def.key}` };
  switch (def.kind) {
    case 'date':
      return <DateField {...bound} />;
    case 'studyForm':
      return (
        <Select {...bound} options={Object.entries(STUDY_FORMS).map(([v, label]) => ({ value: v, label }))} />
      );
    case 'request':
      return (
        <Select
          {...bound}
          placeholder={requests.length ? '选择要恢复的已通过申请' : '该生没有可恢复的已通过申请'}
          options={requests
            .filter((r) => r.status === 'approved' && r.type !== 'restore')
            .map((r) => ({
              value: r.id,
              label: `${CHANGE_TYPES[r.type]}（${r.applied ? chinaDate(r.applied.at) : ''}，${r.id}）`,
            }))}
        />
      );
    default:
      return (
        <Input
          maxLength={def.max ?? 100}
          data-testid={bound['data-testid']}
          value={value}
          onChange={(e) => onChange?.(e.target.value)}
        />
      );
  }
}

export function ChangeNewPage({
  type: typeParam,
  studentIds,
  initialReason,
  from,
}: {
  type: string;
  studentIds: readonly string[];
  /** the request's reason to start from (a correction from the yearly 学生基本信息确认表) */
  initialReason?: string;
  /** started from an action of routine verification: pre-filled from it */
  from?: { recordId: string; actionKey: string };
}) {
  const { db } = useSchool();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const keyFields = useKeyFields(db);
  const [classId, setClassId] = useState<string | undefined>();
  const classes = useClasses();
  const allRequests = useRequests(db) ?? [];
  const type: ChangeType | null = isChangeType(typeParam) ? typeParam : null;
  const def = type ? definitionOf(type) : null;
  const chosen =
    def?.batch && studentIds.length === 0 ? (classes.get(classId ?? '') ?? []).map((s) => s.id) : studentIds;
  const students = useStudents(chosen);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const fields = useMemo(() => infoChangeFields(keyFields), [keyFields]);
  const action = useAction(from);
  const today = chinaDate(new Date().toISOString());
  const prefill: RequestPrefill | null = action && type ? prefillRequest(action, type, today) : null;
  // Filled once the form is on the page (the action arrives from the database after the first render).
  const filled = useRef<string | null>(null);
  const ready = students !== undefined && action !== undefined;
  useEffect(() => {
    if (!ready || !prefill || !from) return;
    const key = `${from.recordId}|${from.actionKey}|${type}`;
    if (filled.current === key) return;
    filled.current = key;
    form.setFieldsValue({ details: prefill.details, reason: prefill.reason });
  });
  if (!type || !def)
    return <Result status="404" title="没有这种学籍异动" extra={<a href={href('/changes')}>返回</a>} />;
  if (students === undefined || action === undefined) return <Spin style={{ marginTop: 48 }} />;
  const one = students[0];
  const theirRequests = allRequests.filter((r) => r.studentIds.some((id) => chosen.includes(id)));

  const save = async (v: Values) => {
    setRefusal(null);
    const items: ChangeItem[] | undefined =
      type === 'infoChange' && one
        ? (v.items ?? [])
            .filter((it) => it.field)
            .map((it) => ({
              field: it.field as string,
              before: storedString(one, it.field as string),
              after: (it.after ?? '').trim(),
              reason: (it.reason ?? '').trim(),
            }))
        : undefined;
    setSaving(true);
    const r = await send('change-draft', {
      type,
      studentIds: students.map((s) => s.id),
      details: Object.fromEntries(Object.entries(v.details ?? {}).filter(([, x]) => x)),
      ...(items ? { items } : {}),
      reason: v.reason ?? '',
      applicant: {
        name: v.applicantName ?? '',
        ...(v.applicantRelation ? { relation: v.applicantRelation } : {}),
        ...(v.applicantPhone ? { phone: v.applicantPhone } : {}),
      },
      appliedOn: v.appliedOn,
    }).finally(() => setSaving(false));
    if (!r.ok) {
      const e = r.errors[0];
      setRefusal(e?.message ?? '无法保存');
      return;
    }
    message.success('草稿已保存：请添加证明材料，检查规则后提交');
    navigate(`/changes/${r.id}`);
  };

  const title = type === 'infoChange' ? '学生基本信息变更申请' : `学籍异动：${CHANGE_TYPES[type]}`;
  return (
    <div className="xj-change-page" data-testid="change-new">
      <div className="xj-student-head">
        <Space size={12} align="center">
          <a href={href(one && studentIds.length === 1 ? `/students/${one.id}` : '/changes')}>← 返回</a>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <span className="xj-muted">
            依据 {def.source}；{def.effect}
          </span>
        </Space>
      </div>
      <Row gutter={12} style={{ flex: 1, minHeight: 0 }}>
        <Col span={16} className="xj-scroll">
          <Form<Values>
            form={form}
            layout="vertical"
            className="xj-change-form"
            onFinish={save}
            initialValues={{
              appliedOn: today,
              items: type === 'infoChange' ? [{}] : undefined,
              details: {},
              ...(initialReason ? { reason: initialReason } : {}),
            }}
          >
            {prefill && action ? (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 8 }}
                data-testid="change-prefilled"
                title={`已按核验处理事项预填（${action.rule}${action.due ? `，办理期限 ${action.due}` : ''}）`}
                description="请核对申请内容，填写申请人；保存草稿后上传签字的申请和证明材料，检查规则后提交审批。"
              />
            ) : from && action === null ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 8 }}
                title="该核验处理事项已办理或不再适用，未预填申请内容"
              />
            ) : null}
            <Card size="small" className="xj-card" title="学生">
              {def.batch && studentIds.length === 0 ? (
                <Space>
                  <span>班级：</span>
                  <Select
                    style={{ width: 260 }}
                    value={classId}
                    onChange={setClassId}
                    placeholder="选择班级"
                    data-testid="batch-class"
                    options={[...classes.keys()].sort(compareClasses).map((c) => ({
                      value: c,
                      label: `${c}（${classes.get(c)?.length ?? 0} 人在籍）`,
                    }))}
                  />
                </Space>
              ) : null}
              <div style={{ marginTop: 6 }} data-testid="change-students">
                {students.length === 0
                  ? '尚未选择学生'
                  : students
                      .slice(0, 12)
                      .map((s) => `${s.name}（${s.grade} ${s.classId}，学籍号 ${s.statusNo ?? '—'}）`)
                      .join('、') + (students.length > 12 ? ` 等 ${students.length} 人` : '')}
              </div>
            </Card>
            {type === 'infoChange' && one ? (
              <Card size="small" className="xj-card" title="变更项目（关键字段 ★）">
                <Form.List name="items">
                  {(rows, { add, remove }) => (
                    <>
                      {rows.map(({ key, name }) => (
                        <Row gutter={8} key={key} align="top">
                          <Col span={5}>
                            <Form.Item
                              name={[name, 'field']}
                              label="变更项目"
                              rules={[{ required: true, message: '请选择变更项目' }]}
                            >
                              <Select
                                data-testid="item-field"
                                showSearch
                                optionFilterProp="label"
                                options={fields.map((f) => ({ value: f, label: fieldLabel(f) }))}
                              />
                            </Form.Item>
                          </Col>
                          <Col span={5}>
                            <Form.Item label="原登记内容" shouldUpdate>
                              {() => {
                                const f = form.getFieldValue(['items', name, 'field']) as string | undefined;
                                return <Input disabled value={f ? storedString(one, f) || '（空）' : ''} />;
                              }}
                            </Form.Item>
                          </Col>
                          <Col span={5}>
                            <Form.Item
                              name={[name, 'after']}
                              label="变更后内容"
                              rules={[{ required: true, message: '请填写变更后内容' }]}
                            >
                              <Input maxLength={100} data-testid="item-after" />
                            </Form.Item>
                          </Col>
                          <Col span={7}>
                            <Form.Item
                              name={[name, 'reason']}
                              label="变更原因"
                              rules={[{ required: true, message: '请填写变更原因' }]}
                            >
                              <Input maxLength={200} data-testid="item-reason" />
                            </Form.Item>
                          </Col>
                          <Col span={2}>
                            <Form.Item label=" ">
                              <Button type="link" onClick={() => remove(name)} disabled={rows.length === 1}>
                                删除
                              </Button>
                            </Form.Item>
                          </Col>
                        </Row>
                      ))}
                      <Button size="small" onClick={() => add({})}>
                        添加变更项目
                      </Button>
                    </>
                  )}
                </Form.List>
              </Card>
            ) : null}
            <Card size="small" className="xj-card" title="申请内容">
              <Row gutter={12}>
                {def.fields.map((f) => (
                  <Col span={8} key={f.key}>
                    <Form.Item
                      name={['details', f.key]}
                      label={f.label}
                      extra={f.hint}
                      rules={f.required ? [{ required: true, message: `请填写${f.label}` }] : []}
                    >
                      <DetailInput def={f} requests={theirRequests} />
                    </Form.Item>
                  </Col>
                ))}
                <Col span={8}>
                  <Form.Item
                    name="appliedOn"
                    label="申请日期"
                    rules={[{ required: true, message: '请填写申请日期' }]}
                  >
                    <DateField data-testid="applied-on" />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item
                    name="reason"
                    label="申请原因"
                    rules={[{ required: true, message: '请填写申请原因' }]}
                  >
                    <Input.TextArea rows={2} maxLength={500} data-testid="change-reason" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item
                    name="applicantName"
                    label="申请人（学生或监护人）"
                    rules={[{ required: true, message: '请填写申请人' }]}
                  >
                    <Input maxLength={50} data-testid="applicant-name" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="applicantRelation" label="与学生关系">
                    <Input maxLength={20} placeholder="如：本人、父亲、母亲" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="applicantPhone" label="联系电话">
                    <Input maxLength={20} />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          </Form>
        </Col>
        <Col span={8} className="xj-scroll">
          <Card size="small" className="xj-card" title="下一步">
            <Space orientation="vertical">
              <span>
                保存为草稿后，在申请页添加证明材料、检查规则并提交审批；离线时也可提交，联网后自动上报。
              </span>
              {refusal ? <Alert type="error" showIcon title={refusal} data-testid="draft-refusal" /> : null}
              <Button
                type="primary"
                loading={saving}
                onClick={() => form.submit()}
                disabled={students.length === 0}
                data-testid="draft-save"
              >
                保存草稿
              </Button>
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
