// 转入学生 (YQ 二(四)): the receiving school starts a transfer with the student's name and ID number; the
// provincial registry (R-ONE, POST /api/registry/lookup — rate-limited and recorded) says where the
// student is registered, and names the school only when the name matches. The draft carries what the
// family gave; the server checks it against the sending school's record at submission.
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { GENDERS } from '../../../../shared/domain/codes';
import { href, navigate } from '../../app/router';
import { send } from '../../db/commands';
import { syncService } from '../../sync/service';
import { DateField } from './DateField';
import './changes.css';
import { chinaDate } from '../../../../shared/calendar/china';

type Found = { registered: boolean; school?: { id: string; name: string } };

type Values = {
  name: string;
  idNo: string;
  gender: string;
  grade: string;
  toGrade: string;
  toClass: string;
  reason: string;
  applicantName: string;
  applicantRelation?: string;
  appliedOn: string;
};

export function TransferInPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [found, setFound] = useState<Found | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const lookup = async () => {
    const { name, idNo } = await form.validateFields(['name', 'idNo']);
    const api = syncService.current?.api;
    setFound(null);
    setLookupError(null);
    if (!api) {
      setLookupError('查询学籍须联网登录省级平台；请在“同步”页登录后再查');
      return;
    }
    setBusy(true);
    try {
      setFound(await api.post<Found>('/api/registry/lookup', { idNo: idNo.trim(), name: name.trim() }));
    } catch (e) {
      setLookupError(`查询失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const save = async (v: Values) => {
    if (!found?.school) return;
    setRefusal(null);
    setBusy(true);
    const r = await send('change-draft', {
      type: 'transfer',
      transferIn: {
        student: { name: v.name.trim(), idNo: v.idNo.trim(), gender: v.gender, grade: v.grade, classId: '' },
        fromSchoolId: found.school.id,
        fromSchoolName: found.school.name,
      },
      details: { toGrade: v.toGrade, toClass: v.toClass },
      reason: v.reason,
      applicant: { name: v.applicantName, ...(v.applicantRelation ? { relation: v.applicantRelation } : {}) },
      appliedOn: v.appliedOn,
    }).finally(() => setBusy(false));
    if (!r.ok) {
      setRefusal(r.errors[0]?.message ?? '无法保存');
      return;
    }
    message.success('转学申请草稿已保存：请上传申请书和户籍迁移或工作调动证明后提交');
    navigate(`/changes/${r.id}`);
  };

  return (
    <div className="xj-change-page" data-testid="transfer-in">
      <div className="xj-student-head">
        <Space size={12} align="center">
          <a href={href('/changes')}>← 学籍异动</a>
          <Typography.Title level={4} style={{ margin: 0 }}>
            转入学生
          </Typography.Title>
          <span className="xj-muted">
            依据 YQ 二(四)：由转入学校发起，经转入地教育局、转出学校、转出地教育局审核
          </span>
        </Space>
      </div>
      <Form<Values>
        form={form}
        layout="vertical"
        className="xj-change-form"
        onFinish={save}
        initialValues={{ appliedOn: chinaDate(new Date().toISOString()), gender: '1' }}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Card size="small" className="xj-card" title="1. 查询学生的学籍所在（R-ONE）">
              <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写学生姓名' }]}>
                <Input maxLength={50} data-testid="tin-name" />
              </Form.Item>
              <Form.Item
                name="idNo"
                label="身份证件号"
                rules={[{ required: true, message: '请填写身份证件号' }]}
              >
                <Input maxLength={30} data-testid="tin-idno" />
              </Form.Item>
              <Button onClick={lookup} loading={busy} data-testid="tin-lookup">
                查询学籍
              </Button>
              <div style={{ marginTop: 8 }}>
                {lookupError ? <Alert type="error" showIcon title={lookupError} /> : null}
                {found?.school ? (
                  <Alert
                    type="success"
                    showIcon
                    data-testid="tin-found"
                    title={`该生学籍在：${found.school.name}`}
                  />
                ) : found?.registered ? (
                  <Alert
                    type="warning"
                    showIcon
                    title="该身份证件号已有学籍，但姓名与登记的不一致：请与家长核对姓名后重新查询"
                  />
                ) : found ? (
                  <Alert
                    type="info"
                    showIcon
                    title="省内没有该身份证件号的在籍记录：不能办理转入，可按新生注册或省外转入办理"
                  />
                ) : null}
              </div>
            </Card>
          </Col>
          <Col span={12}>
            <Card size="small" className="xj-card" title="2. 转入信息">
              <Row gutter={8}>
                <Col span={8}>
                  <Form.Item name="gender" label="性别">
                    <Select options={Object.entries(GENDERS).map(([value, label]) => ({ value, label }))} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item
                    name="grade"
                    label="原年级"
                    rules={[{ required: true, message: '请填写原年级' }]}
                  >
                    <Input maxLength={20} placeholder="如 2025级" data-testid="tin-grade" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item
                    name="appliedOn"
                    label="申请日期"
                    rules={[{ required: true, message: '请填写申请日期' }]}
                  >
                    <DateField data-testid="tin-applied-on" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="toGrade"
                    label="转入年级"
                    rules={[{ required: true, message: '请填写转入年级' }]}
                  >
                    <Input maxLength={20} data-testid="tin-to-grade" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="toClass"
                    label="转入班级"
                    rules={[{ required: true, message: '请填写转入班级' }]}
                  >
                    <Input maxLength={40} data-testid="tin-to-class" />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item
                    name="reason"
                    label="转学原因"
                    rules={[{ required: true, message: '请填写转学原因' }]}
                  >
                    <Input.TextArea rows={2} maxLength={500} data-testid="tin-reason" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="applicantName"
                    label="申请人"
                    rules={[{ required: true, message: '请填写申请人' }]}
                  >
                    <Input maxLength={50} data-testid="tin-applicant" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="applicantRelation" label="与学生关系">
                    <Input maxLength={20} />
                  </Form.Item>
                </Col>
              </Row>
              {refusal ? <Alert type="error" showIcon title={refusal} style={{ marginBottom: 8 }} /> : null}
              <Button
                type="primary"
                htmlType="submit"
                disabled={!found?.school}
                loading={busy}
                data-testid="tin-save"
              >
                保存草稿
              </Button>
            </Card>
          </Col>
        </Row>
      </Form>
    </div>
  );
}
