// 新增学生: one student added by hand (a late enrolment, a correction), with every field of the student
// page's groups, the guardians and a reason. The `student-create` command checks it exactly as the import
// and the student page do (shared/commands/student-create) and refuses a second active record of the same
// ID number (R-ONE); each refused field is marked with its Chinese reason.
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Result, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { StudentCreateInput } from '../../../../shared/commands/student-create';
import { GUARDIAN_RELATIONS } from '../../../../shared/domain/codes';
import { type FieldMeta, type Guardian, STUDENT_FIELD_GROUPS } from '../../../../shared/domain/student';
import { checkField } from '../../../../shared/validate/student';
import { newStudentScope, useAuthUser, useCan } from '../../app/authority';
import { href, navigate } from '../../app/router';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import { FieldInput } from './StudentPage';

type FormValues = { fields: Record<string, string>; guardians: Guardian[]; reason?: string };

/** Where a command's error goes in the form: "phone" → fields.phone, "guardians.0.phone" as is. */
const formPath = (field: string) =>
  field.startsWith('guardians')
    ? field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
    : ['fields', field];

export function StudentCreatePage() {
  const { settings, school } = useSchool();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const creating = useCan()('students', 'create', newStudentScope(useAuthUser(), school.path));
  const visible = (fields: FieldMeta[]) =>
    fields.filter((f) => (settings.schoolType === 'vocational' ? !f.k12Only : !f.vocationalOnly));

  const save = async (values: FormValues) => {
    setSaving(true);
    setProblems([]);
    const input: StudentCreateInput = {
      fields: values.fields,
      guardians: (values.guardians ?? []).map((g) => ({ ...g, name: g.name ?? '', phone: g.phone ?? '' })),
      reason: values.reason,
    };
    const result = await send('student-create', input).finally(() => setSaving(false));
    if (!result.ok) {
      form.setFields(result.errors.map((e) => ({ name: formPath(e.field) as never, errors: [e.message] })));
      setProblems(result.errors.map((e) => e.message));
      const first = result.errors[0];
      if (first) form.scrollToField(formPath(first.field), { block: 'center' });
      return;
    }
    message.success(`已新增学生“${result.name}”`);
    navigate(`/students/${result.id}`);
  };

  const fieldItem = (meta: FieldMeta) => (
    <Col span={8} key={meta.field}>
      <Form.Item
        name={['fields', meta.field]}
        label={meta.label}
        required={meta.required}
        rules={[
          {
            validator: (_: unknown, v: string | undefined) => {
              const e = checkField(meta, v ?? '');
              return e ? Promise.reject(new Error(e.message)) : Promise.resolve();
            },
          },
        ]}
      >
        <FieldInput meta={meta} locked={false} />
      </Form.Item>
    </Col>
  );

  // The authority table: a counselor (or anyone the server would refuse) gets the reason, not the form.
  if (!creating.allow)
    return (
      <Result
        status="403"
        title="不能新增学生"
        subTitle={creating.reason}
        extra={<a href={href('/roster')}>返回花名册</a>}
      />
    );

  return (
    <div className="xj-student" data-testid="student-create">
      <div className="xj-student-head">
        <Space size={12} align="center">
          <a href={href('/roster')}>
            <ArrowLeftOutlined /> 花名册
          </a>
          <Typography.Title level={4} style={{ margin: 0 }}>
            新增学生
          </Typography.Title>
          <span className="xj-muted">插班、补录或更正时逐个新增；成批学生请用“导入导出”</span>
        </Space>
        <Space>
          <Button onClick={() => navigate('/roster')}>取消</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => form.submit()}
            data-testid="student-create-save"
          >
            保存
          </Button>
        </Space>
      </div>
      <div className="xj-scroll">
        {problems.length > 0 ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 8 }}
            title={`有 ${problems.length} 处需要修改，未保存`}
            description={problems.map((p) => <div key={p}>{p}</div>)}
            data-testid="student-create-errors"
          />
        ) : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={save}
          initialValues={{ fields: {}, guardians: [{ name: '', relation: '1', phone: '' }] }}
        >
          {STUDENT_FIELD_GROUPS.filter((g) => visible(g.fields).length > 0).map((g) => (
            <Card key={g.title} size="small" title={g.title} className="xj-card">
              <Row gutter={12}>{visible(g.fields).map(fieldItem)}</Row>
            </Card>
          ))}
          <Card size="small" title="监护人（至少一位）" className="xj-card">
            <Form.List name="guardians">
              {(items, { add, remove }) => (
                <>
                  {items.map(({ key, name }) => (
                    <Space key={key} align="start" style={{ display: 'flex' }} size={8}>
                      <Form.Item name={[name, 'name']} label="姓名" required>
                        <Input style={{ width: 110 }} />
                      </Form.Item>
                      <Form.Item name={[name, 'relation']} label="关系" required>
                        <Select
                          style={{ width: 96 }}
                          options={Object.entries(GUARDIAN_RELATIONS).map(([value, label]) => ({
                            value,
                            label,
                          }))}
                        />
                      </Form.Item>
                      <Form.Item name={[name, 'phone']} label="电话" required>
                        <Input style={{ width: 130 }} />
                      </Form.Item>
                      <Form.Item name={[name, 'idNo']} label="证件号">
                        <Input style={{ width: 180 }} />
                      </Form.Item>
                      <Button
                        icon={<DeleteOutlined />}
                        style={{ marginTop: 22 }}
                        aria-label="删除监护人"
                        onClick={() => remove(name)}
                      />
                    </Space>
                  ))}
                  <Form.ErrorList errors={form.getFieldError('guardians')} />
                  <Button icon={<PlusOutlined />} onClick={() => add({ name: '', relation: '1', phone: '' })}>
                    添加监护人
                  </Button>
                </>
              )}
            </Form.List>
          </Card>
          <Card size="small" title="新增原因" className="xj-card">
            <Form.Item name="reason" style={{ marginBottom: 0 }}>
              <Input maxLength={200} placeholder="如：插班生、转入后补录、更正重复记录（记入修改记录）" />
            </Form.Item>
          </Card>
        </Form>
      </div>
    </div>
  );
}
