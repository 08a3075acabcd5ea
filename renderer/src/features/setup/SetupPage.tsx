// First start: create the local school profile, or load a demo school generated like `xueji seed`.
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Segmented,
  Typography,
} from 'antd';
import { useState } from 'react';
import {
  DEMO_SIZES,
  MAX_DEMO_STUDENTS,
  type SchoolProfileInput,
} from '../../../../shared/commands/school-setup';
import type { SchoolType } from '../../../../shared/domain/schemas';
import type { FieldError } from '../../../../shared/validate/fields';
import { send } from '../../db/commands';
import { RuleRef } from '../rules/RuleRef';
import { FirstSyncCard } from '../sync/FirstSyncCard';

const SCHOOL_TYPES = [
  { label: '中等职业学校', value: 'vocational' },
  { label: '中小学', value: 'k12' },
];

type LocalPasswordFields = { localPassword: string; localPasswordConfirm: string };

/** R-SECURE: the password that opens this machine's data (the app locks on start and when idle). */
function LocalPasswordItems({ compact = false }: { compact?: boolean }) {
  return (
    <Row gutter={12}>
      <Col span={compact ? 24 : 12}>
        <Form.Item
          label="本机密码"
          name="localPassword"
          rules={[{ required: true, message: '请设置本机密码' }]}
          extra={compact ? undefined : '打开本机数据时输入；至少 8 位，含字母和数字'}
        >
          <Input.Password autoComplete="new-password" maxLength={128} data-testid="setup-password" />
        </Form.Item>
      </Col>
      <Col span={compact ? 24 : 12}>
        <Form.Item
          label="再次输入本机密码"
          name="localPasswordConfirm"
          rules={[{ required: true, message: '请再次输入本机密码' }]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} data-testid="setup-password-confirm" />
        </Form.Item>
      </Col>
    </Row>
  );
}

function ProfileForm() {
  const [form] = Form.useForm<SchoolProfileInput & LocalPasswordFields>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: SchoolProfileInput & LocalPasswordFields) => {
    setBusy(true);
    const result = await send('school-setup', values).finally(() => setBusy(false));
    if (!result.ok)
      form.setFields(result.errors.map((e: FieldError) => ({ name: e.field as never, errors: [e.message] })));
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ schoolType: 'vocational' }}
      requiredMark
    >
      <Form.Item label="学校名称" name="name" rules={[{ required: true, message: '请填写学校名称' }]}>
        <Input placeholder="如：郑州市第一职业中等专业学校" maxLength={100} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            label="学校标识码"
            name="schoolCode"
            rules={[{ required: true, message: '请填写学校标识码' }]}
          >
            <Input placeholder="10 位数字" maxLength={10} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="学校类型" name="schoolType" rules={[{ required: true }]}>
            <Radio.Group options={SCHOOL_TYPES} optionType="button" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            label="所在区县"
            name="countyName"
            rules={[{ required: true, message: '请填写所在区县' }]}
          >
            <Input placeholder="如：金水区" maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label="区县行政区划代码"
            name="countyCode"
            rules={[{ required: true, message: '请填写区县行政区划代码' }]}
          >
            <Input placeholder="6 位数字，如 410105" maxLength={6} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item label="统一社会信用代码" name="creditCode">
            <Input placeholder="18 位，可稍后填写" maxLength={18} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="校长" name="head">
            <Input maxLength={50} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="学校地址" name="address">
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        label="学籍管理员姓名"
        name="operatorName"
        rules={[{ required: true, message: '请填写学籍管理员姓名' }]}
        extra={
          <>
            每一次修改都会记录经办人
            <RuleRef id="R-WHO" />
          </>
        }
      >
        <Input maxLength={50} />
      </Form.Item>
      <LocalPasswordItems />
      <Button type="primary" htmlType="submit" loading={busy} block>
        建立学校档案
      </Button>
    </Form>
  );
}

function DemoForm() {
  const { message } = App.useApp();
  const [form] = Form.useForm<LocalPasswordFields>();
  const [schoolType, setSchoolType] = useState<SchoolType>('vocational');
  const [students, setStudents] = useState<number>(1500);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    let passwords: LocalPasswordFields;
    try {
      passwords = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    const started = performance.now();
    try {
      const result = await send('demo-load', {
        students,
        seed: 2026,
        schoolType,
        operatorName: '演示管理员',
        ...passwords,
      });
      if (!result.ok) {
        const own = result.errors.filter((e) => e.field.startsWith('localPassword'));
        form.setFields(own.map((e) => ({ name: e.field as never, errors: [e.message] })));
        const rest = result.errors.filter((e) => !e.field.startsWith('localPassword'));
        if (rest.length > 0) setError(rest.map((e) => e.message).join('；'));
      } else
        message.success(
          `已载入 ${result.students} 名演示学生，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`,
        );
    } catch (e) {
      setError(`载入失败：${String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="xj-demo-form">
      <Typography.Paragraph type="secondary">
        想先试一试？载入一所演示学校：学生、班级、监护人和证件号均为自动生成的虚构数据，身份证件号全部通过 GB
        11643 校验。
      </Typography.Paragraph>
      <Form layout="vertical" form={form}>
        <Form.Item label="学校类型">
          <Radio.Group
            options={SCHOOL_TYPES}
            optionType="button"
            value={schoolType}
            onChange={(e) => setSchoolType(e.target.value)}
          />
        </Form.Item>
        <Form.Item label="学生人数">
          <Segmented
            data-testid="demo-size"
            value={DEMO_SIZES.includes(students as never) ? students : '自定义'}
            options={[...DEMO_SIZES.map((n) => ({ label: n.toLocaleString('zh-CN'), value: n })), '自定义']}
            onChange={(v) => setStudents(typeof v === 'number' ? v : students)}
          />
          <InputNumber
            style={{ marginLeft: 8, width: 110 }}
            min={1}
            max={MAX_DEMO_STUDENTS}
            value={students}
            onChange={(v) => setStudents(v ?? 1)}
            aria-label="学生人数"
          />
        </Form.Item>
        <LocalPasswordItems compact />
      </Form>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Button onClick={load} loading={busy} block data-testid="demo-load">
        {busy ? '正在生成并写入本地数据库…' : '载入演示学校'}
      </Button>
    </div>
  );
}

export function SetupPage() {
  return (
    <div className="xj-setup">
      <Typography.Title level={3} style={{ marginBottom: 4 }}>
        学籍桌面端 · 首次使用
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        数据保存在本机，断网也能使用。请建立本校档案、从省级平台登录下载本校数据，或载入演示学校体验全部功能。
      </Typography.Paragraph>
      <Row gutter={16} style={{ width: '100%', maxWidth: 1360 }}>
        <Col span={10}>
          <Card title="建立本校档案" size="small">
            <ProfileForm />
          </Card>
        </Col>
        <Col span={7}>
          <Card title="从省级平台登录" size="small">
            <FirstSyncCard />
          </Card>
        </Col>
        <Col span={7}>
          <Card title="载入演示学校" size="small">
            <DemoForm />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
