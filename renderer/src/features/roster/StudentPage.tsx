// 学生信息: every field grouped as the national form groups them, edit of non-key fields, and history.
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { workflowFieldsOf } from '../../../../shared/authority/fields';
import type { StudentPatch } from '../../../../shared/commands/student-update';
import { STUDENT_STATUSES } from '../../../../shared/domain/codes';
import { divisionLabel, isDivisionCode } from '../../../../shared/domain/divisions';
import type { EventDoc } from '../../../../shared/domain/schemas';
import {
  type FieldMeta,
  type Guardian,
  MEMBER_FIELDS,
  type MemberFieldMeta,
  STUDENT_FIELD_GROUPS,
  type Student,
  type StudentAid,
} from '../../../../shared/domain/student';
import { valueEqual } from '../../../../shared/sync/equal';
import { checkField, lockedFields, STATUS_NO_LOCKED_MESSAGE } from '../../../../shared/validate/student';
import { studentScope, useCan } from '../../app/authority';
import { href } from '../../app/router';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import { useKeyFields } from '../../db/key-fields';
import { StudentChangeButtons } from '../changes/StudentChangeButtons';
import { ArchiveListPrintButton } from '../print/ArchiveListPrintButton';
import { HistoryTimeline } from './HistoryTimeline';
import { displayValue, localTime } from './student-format';

type FormValues = { fields: Record<string, string>; guardians: Guardian[]; aid?: StudentAid };

function useStudent(id: string) {
  const { db } = useSchool();
  const [student, setStudent] = useState<Student | null | undefined>(undefined);
  const [events, setEvents] = useState<EventDoc[]>([]);
  useEffect(() => {
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

/** Where a command's error goes in the form: "phone" → fields.phone, "guardians.0.phone" as is. */
const formPath = (field: string) =>
  field.startsWith('guardians')
    ? field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
    : ['fields', field];

const toFormValues = (s: Student): FormValues => {
  const fields: Record<string, string> = {};
  for (const g of STUDENT_FIELD_GROUPS)
    for (const f of g.fields) {
      const v = s[f.field];
      fields[f.field] = v === undefined ? '' : String(v);
    }
  return { fields, guardians: s.guardians.map((g) => ({ ...g })), aid: s.aid };
};

/** The members as the form holds them, without the empty values a cleared input leaves. */
const compactMembers = (list: Guardian[] | undefined): Record<string, string>[] =>
  (list ?? []).map((m) =>
    Object.fromEntries(
      Object.entries(m).filter(([, v]) => v !== undefined && v !== null && String(v).trim() !== ''),
    ),
  );

/** 出生地 / 户口所在地: the division's name, the code on hover (a text address as written). */
function DivisionValue({ value }: { value: string }) {
  const name = divisionLabel(value);
  if (!isDivisionCode(value)) return <span>{value}</span>;
  return (
    <Tooltip title={`行政区划代码 ${value}`}>
      <span className="xj-division" data-code={value}>
        {name === value ? `${value}（代码表中没有此代码）` : name}
      </span>
    </Tooltip>
  );
}

function memberValue(meta: MemberFieldMeta, value: string | undefined) {
  if (!value) return <span className="xj-muted">—</span>;
  if (meta.kind === 'division') return <DivisionValue value={value} />;
  return meta.codes ? (meta.codes[value] ?? value) : value;
}

export const PLACEHOLDERS: Partial<Record<FieldMeta['kind'], string>> = {
  date: 'YYYY-MM-DD',
  yearMonth: 'YYYYMM',
  phone: '手机或带区号的固话',
};

/** One field's control; Form.Item passes id, value and onChange. */
export function FieldInput(props: {
  meta: FieldMeta;
  locked: boolean;
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
}) {
  const { meta, locked, id, value, onChange } = props;
  if (meta.kind === 'code' && meta.codes)
    return (
      <Select
        id={id}
        value={value || undefined}
        onChange={(v?: string) => onChange?.(v ?? '')}
        disabled={locked}
        allowClear={!meta.required}
        showSearch={{ optionFilterProp: 'label' }}
        options={Object.entries(meta.codes).map(([code, label]) => ({ value: code, label }))}
      />
    );
  if (meta.kind === 'division')
    return <DivisionInput id={id} value={value} onChange={onChange} disabled={locked} />;
  return (
    <Input
      id={id}
      value={value}
      onChange={(e) => onChange?.(e.target.value)}
      disabled={locked}
      placeholder={PLACEHOLDERS[meta.kind]}
    />
  );
}

/** A division code (or a name to look up, or an address where allowed), with the code's name beside it. */
function DivisionInput(props: {
  id?: string;
  value?: string;
  onChange?: (v: string) => void;
  disabled?: boolean;
}) {
  const { value, onChange, ...rest } = props;
  const name = value && isDivisionCode(value) ? divisionLabel(value) : '';
  return (
    <Input
      {...rest}
      value={value}
      onChange={(e) => onChange?.(e.target.value)}
      placeholder="行政区划代码或地名"
      suffix={name && name !== value ? <span className="xj-division-name">{name}</span> : undefined}
    />
  );
}

/** One family member's 12 fields in the edit form. */
function MemberEdit({ name, onRemove }: { name: number; onRemove: () => void }) {
  return (
    <Card
      size="small"
      type="inner"
      className="xj-member"
      title={`家庭成员${name + 1}`}
      extra={
        <Button
          size="small"
          icon={<DeleteOutlined />}
          onClick={onRemove}
          aria-label={`删除家庭成员${name + 1}`}
        >
          删除
        </Button>
      }
    >
      <Row gutter={12}>
        {MEMBER_FIELDS.map((m) => (
          <Col span={6} key={m.field}>
            <Form.Item name={[name, m.field]} label={m.label}>
              {m.kind === 'division' ? (
                <DivisionInput />
              ) : m.codes ? (
                <Select
                  allowClear={!m.required}
                  showSearch={{ optionFilterProp: 'label' }}
                  options={Object.entries(m.codes).map(([value, label]) => ({ value, label }))}
                />
              ) : (
                <Input placeholder={PLACEHOLDERS[m.kind]} />
              )}
            </Form.Item>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

export function StudentPage({ id }: { id: string }) {
  const { settings, db, view, school } = useSchool();
  const { message } = App.useApp();
  const can = useCan();
  // On an area desk the roster is the school's, reached from the 学校 list.
  const rosterPath = view === 'area' ? `/schools/${school.id}` : '/roster';
  const { student, events } = useStudent(id);
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const effectiveKeys = useKeyFields(db);
  // Key fields (★) and the fields only a workflow changes (class, grade) are read-only here.
  const keyFields = useMemo(
    () => new Set([...effectiveKeys, ...workflowFieldsOf('students')]),
    [effectiveKeys],
  );
  const visible = (fields: FieldMeta[]) =>
    fields.filter((f) => {
      if (f.vocationalOnly) return settings.schoolType === 'vocational';
      // the national K-12 extension fields: for a vocational school only where a value was imported
      if (f.k12Only && settings.schoolType === 'vocational') return student?.[f.field] !== undefined;
      return true;
    });
  const groups = STUDENT_FIELD_GROUPS.filter((g) => visible(g.fields).length > 0);

  if (student === undefined) return <Spin style={{ marginTop: 48 }} />;
  if (student === null)
    return <Result status="404" title="找不到该学生" extra={<a href={href(rosterPath)}>返回花名册</a>} />;
  // The authority table: who may edit this student (a counselor only their own classes; bureaus never).
  const editable = can('students', 'update', studentScope(student));

  const save = async (values: FormValues) => {
    const before = toFormValues(student);
    const patch: StudentPatch = {};
    for (const [field, value] of Object.entries(values.fields))
      if (!lockedFields(student, [...keyFields]).has(field) && (value ?? '') !== before.fields[field])
        patch[field] = value ?? '';
    if (!valueEqual(compactMembers(values.guardians), compactMembers(before.guardians)))
      patch.guardians = values.guardians;
    if (values.aid && JSON.stringify(values.aid) !== JSON.stringify(before.aid ?? {})) patch.aid = values.aid;
    setSaving(true);
    const result = await send('student-update', { id, patch }).finally(() => setSaving(false));
    if (!result.ok) {
      form.setFields(
        result.errors.map((e) => ({
          name: formPath(e.field) as never,
          errors: [e.message],
        })),
      );
      const first = result.errors[0];
      if (first) form.scrollToField(formPath(first.field), { block: 'center' });
      message.error(`有 ${result.errors.length} 处需要修改，请查看标红的字段`);
      return;
    }
    message.success(
      result.event ? `已保存 ${Object.keys(result.event.after).length} 项修改` : '没有需要保存的修改',
    );
    setEditing(false);
  };

  const locked = lockedFields(student, [...keyFields]);
  const labelOf = (meta: FieldMeta) => (
    <span>
      {meta.label}
      {keyFields.has(meta.field) ? (
        <Tooltip title="关键字段（★）：只能通过“基本信息变更”申请，经教育局审核后修改">
          <span className="xj-key">★</span>
        </Tooltip>
      ) : locked.has(meta.field) ? (
        <Tooltip title={STATUS_NO_LOCKED_MESSAGE}>
          <span className="xj-key">（已注册）</span>
        </Tooltip>
      ) : null}
    </span>
  );
  const fieldView = (meta: FieldMeta) => {
    const raw = student[meta.field];
    const text = displayValue(meta.field, raw);
    return {
      key: meta.field,
      label: labelOf(meta),
      children:
        text === '' ? (
          <span className="xj-muted">—</span>
        ) : meta.kind === 'division' ? (
          <DivisionValue value={String(raw)} />
        ) : (
          text
        ),
    };
  };
  const fieldEdit = (meta: FieldMeta) => {
    const isLocked = locked.has(meta.field);
    const registered = isLocked && !keyFields.has(meta.field);
    const check = (_: unknown, v: string | undefined) => {
      const e = checkField(meta, v ?? '');
      return e ? Promise.reject(new Error(e.message)) : Promise.resolve();
    };
    return (
      <Col span={8} key={meta.field}>
        <Form.Item
          name={['fields', meta.field]}
          label={labelOf(meta)}
          extra={
            registered
              ? '已注册的学籍号，经“基本信息变更”更正'
              : isLocked
                ? '关键字段，经“基本信息变更”修改'
                : undefined
          }
          rules={isLocked ? [] : [{ validator: check }]}
        >
          <FieldInput meta={meta} locked={isLocked} />
        </Form.Item>
      </Col>
    );
  };

  return (
    <div className="xj-student">
      <div className="xj-student-head">
        <Space size={12} align="center">
          <a href={href(rosterPath)}>
            <ArrowLeftOutlined /> 花名册
          </a>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="student-name">
            {student.name}
          </Typography.Title>
          <Tag color={student.status === 'enrolled' ? 'green' : 'orange'}>
            {STUDENT_STATUSES[student.status]}
          </Tag>
          <span className="xj-muted">
            {student.grade} · {student.classId} · 学籍号 {student.statusNo ?? '—'}
          </span>
        </Space>
        {editing ? (
          <Space>
            <Button
              onClick={() => {
                form.resetFields();
                setEditing(false);
              }}
            >
              取消
            </Button>
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="student-save">
              保存
            </Button>
          </Space>
        ) : (
          <Space>
            <StudentChangeButtons student={student} />
            <ArchiveListPrintButton student={student} />
            <Tooltip title={editable.allow ? undefined : editable.reason}>
              <Button
                icon={<EditOutlined />}
                type="primary"
                data-testid="student-edit"
                disabled={!editable.allow}
                onClick={() => {
                  form.setFieldsValue(toFormValues(student));
                  setEditing(true);
                }}
              >
                编辑
              </Button>
            </Tooltip>
          </Space>
        )}
      </div>
      <Row gutter={12} style={{ flex: 1, minHeight: 0 }}>
        <Col span={16} className="xj-scroll">
          {editing ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              title="带 ★ 的关键字段不能在此修改，请通过“基本信息变更”申请，经教育局审核后生效。"
            />
          ) : null}
          <Form form={form} onFinish={save} layout="vertical" component={editing ? 'form' : false}>
            <div data-testid="student-fields">
              {groups.map((g) => (
                <Card key={g.title} size="small" title={g.title} className="xj-card">
                  {editing ? (
                    <Row gutter={12}>{visible(g.fields).map(fieldEdit)}</Row>
                  ) : (
                    <Descriptions size="small" column={3} bordered items={visible(g.fields).map(fieldView)} />
                  )}
                </Card>
              ))}
            </div>
            <Card size="small" title="家庭成员或监护人信息" className="xj-card" data-testid="members">
              {editing ? (
                <Form.List name="guardians">
                  {(items, { add, remove }) => (
                    <>
                      {items.map(({ key, name }) => (
                        <MemberEdit key={key} name={name} onRemove={() => remove(name)} />
                      ))}
                      <Form.ErrorList errors={form.getFieldError('guardians')} />
                      <Button
                        icon={<PlusOutlined />}
                        onClick={() => add({ name: '', relation: '1', phone: '', isGuardian: '1' })}
                      >
                        添加家庭成员
                      </Button>
                    </>
                  )}
                </Form.List>
              ) : student.guardians.length === 0 ? (
                <span className="xj-muted">未登记家庭成员</span>
              ) : (
                student.guardians.map((g, i) => (
                  <Descriptions
                    // biome-ignore lint/suspicious/noArrayIndexKey: members have no id; their order is the table's
                    key={i}
                    size="small"
                    bordered
                    column={3}
                    className="xj-member-view"
                    title={<span className="xj-member-title">家庭成员{i + 1}</span>}
                    items={MEMBER_FIELDS.map((m) => ({
                      key: m.field,
                      label: m.label,
                      children: memberValue(m, (g as Record<string, string | undefined>)[m.field]),
                    }))}
                  />
                ))
              )}
            </Card>
            {settings.schoolType === 'vocational' ? (
              <Card size="small" title="资助信息" className="xj-card">
                {editing ? (
                  <Space size={16}>
                    <Form.Item name={['aid', 'grant']} valuePropName="checked" noStyle>
                      <Checkbox>国家助学金</Checkbox>
                    </Form.Item>
                    <Form.Item name={['aid', 'feeWaiver']} valuePropName="checked" noStyle>
                      <Checkbox>免学费</Checkbox>
                    </Form.Item>
                    <Form.Item name={['aid', 'lowIncome']} valuePropName="checked" noStyle>
                      <Checkbox>低保</Checkbox>
                    </Form.Item>
                  </Space>
                ) : (
                  displayValue('aid', student.aid ?? { grant: false, feeWaiver: false, lowIncome: false })
                )}
              </Card>
            ) : null}
            <Card size="small" title="学籍状态" className="xj-card">
              {STUDENT_STATUSES[student.status]}
              <span className="xj-muted">（学籍状态通过学籍异动办理）</span>
              <span className="xj-muted" style={{ float: 'right' }}>
                最后修改：{localTime(student.updatedAt)}
              </span>
            </Card>
          </Form>
        </Col>
        <Col span={8} className="xj-scroll">
          <Card size="small" title={`修改记录（${events.length}）`} className="xj-card">
            <HistoryTimeline events={events} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
