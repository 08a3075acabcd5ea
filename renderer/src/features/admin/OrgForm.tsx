// The form of an organisation (新设单位 / 修改单位信息): a city or county by its division code and name; a school
// with the attributes the rules read — 学校标识码, level, ownership, years, 统一社会信用代码 (GB 32100 checked as it
// is typed), head, address, provincial model school and enrolment zone (R-TX-4NO), the registered campus
// (the verification geofence) and the term. Checked with validateOrgInput before it is sent; the server
// checks it again and its refusal lands on the field it names.
import { Alert, Col, Form, Input, InputNumber, Modal, Row, Select, Switch, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import {
  ADMINISTERED_KINDS,
  CAMPUS_RADIUS_M,
  CHILD_KINDS,
  decideOrgWrite,
  ORG_KIND_LABELS,
  type OrgInput,
  OWNERSHIP_LABELS,
  SCHOOL_LEVEL_LABELS,
  SCHOOLING_YEARS,
  validateOrgInput,
} from '../../../../shared/admin/orgs';
import type { AuthUser } from '../../../../shared/authority/relation';
import type { OrgDoc, OrgKind, SchoolLevel } from '../../../../shared/domain/schemas';
import {
  creditCodeKind,
  creditCodeProblem,
  normalizeCreditCode,
} from '../../../../shared/validate/credit-code';
import { type AdminApi, AdminFailure, type OrgWriteResult } from './api';

type Values = {
  id?: string;
  kind?: OrgKind;
  name?: string;
  creditCode?: string;
  address?: string;
  head?: string;
  level?: SchoolLevel;
  ownership?: 'public' | 'private';
  provincialModel?: boolean;
  enrolmentZone?: string;
  schoolingYears?: number;
  campusLat?: number | null;
  campusLng?: number | null;
  campusRadius?: number | null;
  campusAddress?: string;
  termStart?: string;
  termEnd?: string;
  termName?: string;
};

const FIELD_OF: Record<string, keyof Values> = {
  'campus.lat': 'campusLat',
  'campus.lng': 'campusLng',
  'campus.radiusM': 'campusRadius',
  'campus.address': 'campusAddress',
  campus: 'campusLat',
  'term.start': 'termStart',
  'term.end': 'termEnd',
  'term.name': 'termName',
  term: 'termStart',
  parentId: 'name',
};

const FORM_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'name',
  'creditCode',
  'address',
  'head',
  'level',
  'ownership',
  'provincialModel',
  'enrolmentZone',
  'schoolingYears',
  'campusLat',
  'campusLng',
  'campusRadius',
  'campusAddress',
  'termStart',
  'termEnd',
  'termName',
]);

function valuesOf(o: OrgDoc | null): Values {
  if (!o) return { provincialModel: false };
  return {
    id: o.id,
    kind: o.kind,
    name: o.name,
    creditCode: o.creditCode,
    address: o.address,
    head: o.head,
    level: o.level,
    ownership: o.ownership,
    provincialModel: o.provincialModel === true,
    enrolmentZone: o.enrolmentZone,
    schoolingYears: o.schoolingYears,
    campusLat: o.campus?.lat ?? null,
    campusLng: o.campus?.lng ?? null,
    campusRadius: o.campus?.radiusM ?? null,
    campusAddress: o.campus?.address,
    termStart: o.term?.start,
    termEnd: o.term?.end,
    termName: o.term?.name,
  };
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The input the API takes, from the form (empty fields clear their attribute on an edit). */
function inputOf(v: Values, kind: OrgKind, parent: OrgDoc, editing: boolean): OrgInput {
  const text = (s: string | undefined) =>
    blank(s) ? (editing ? (null as unknown as undefined) : undefined) : s?.trim();
  const input: OrgInput = {
    ...(editing ? {} : { id: v.id?.trim(), kind, parentId: parent.id }),
    name: v.name?.trim(),
    creditCode: text(v.creditCode),
    address: text(v.address),
    head: text(v.head),
  };
  if (kind === 'school') {
    input.level = v.level;
    input.ownership = v.ownership;
    input.schoolingYears = v.schoolingYears ?? undefined;
    input.provincialModel = v.provincialModel === true;
    input.enrolmentZone = text(v.enrolmentZone);
    const campusGiven = [v.campusLat, v.campusLng, v.campusRadius].some((x) => !blank(x));
    input.campus = campusGiven
      ? {
          lat: v.campusLat as number,
          lng: v.campusLng as number,
          radiusM: v.campusRadius as number,
          ...(blank(v.campusAddress) ? {} : { address: v.campusAddress?.trim() }),
        }
      : editing
        ? null
        : undefined;
  }
  const termGiven = !blank(v.termStart) || !blank(v.termEnd);
  input.term = termGiven
    ? {
        start: v.termStart?.trim() ?? '',
        end: v.termEnd?.trim() ?? '',
        ...(blank(v.termName) ? {} : { name: v.termName?.trim() }),
      }
    : editing
      ? null
      : undefined;
  for (const k of Object.keys(input) as (keyof OrgInput)[]) if (input[k] === undefined) delete input[k];
  return input;
}

/** The kinds `user` may create under `parent`. */
export function creatableKinds(user: AuthUser, parent: OrgDoc): OrgKind[] {
  return CHILD_KINDS[parent.kind].filter(
    (k) =>
      (ADMINISTERED_KINDS[user.role] ?? []).includes(k) &&
      decideOrgWrite(user, 'create', { kind: k, path: `${parent.path}new/` }).allow,
  );
}

export function OrgForm({
  open,
  user,
  api,
  parent,
  org,
  orgs,
  onClose,
  onSaved,
}: {
  open: boolean;
  user: AuthUser;
  api: AdminApi | null;
  /** the parent of a new org, or of the edited one */
  parent: OrgDoc;
  /** the edited org; null for a new one */
  org: OrgDoc | null;
  orgs: readonly OrgDoc[];
  onClose: () => void;
  onSaved: (r: OrgWriteResult) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const kinds = useMemo(() => creatableKinds(user, parent), [user, parent]);
  const [kind, setKind] = useState<OrgKind>(org?.kind ?? kinds[kinds.length - 1] ?? 'school');
  const level = Form.useWatch('level', form);
  const code = Form.useWatch('creditCode', form);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(valuesOf(org));
    setKind(org?.kind ?? kinds[kinds.length - 1] ?? 'school');
    setError(null);
    setNotices([]);
  }, [open, org, form, kinds]);
  const codeHint = useMemo(() => {
    if (!code) return null;
    const c = normalizeCreditCode(code);
    if (c.length < 18) return null;
    const p = creditCodeProblem(c);
    return p ? { error: p.message } : { ok: creditCodeKind(c) ?? '' };
  }, [code]);

  const submit = async (v: Values) => {
    setError(null);
    const input = inputOf(v, kind, parent, org !== null);
    const holders = new Map(orgs.filter((o) => o.creditCode).map((o) => [o.creditCode as string, o]));
    const local = validateOrgInput(input, {
      parent,
      existing: org,
      idTaken: (id) => orgs.some((o) => o.id === id),
      creditCodeHolder: (c) => {
        const h = holders.get(c);
        return h ? { id: h.id, name: h.name } : undefined;
      },
    });
    setNotices(local.notices);
    if (!local.ok) {
      form.setFields(
        local.problems.map((p) => ({
          name: FIELD_OF[p.field] ?? (p.field as keyof Values),
          errors: [p.message],
        })),
      );
      return;
    }
    if (!api) {
      setError('当前无法连接省级平台，联网后再保存');
      return;
    }
    setBusy(true);
    try {
      const r = org ? await api.updateOrg(org.id, input) : await api.createOrg(input);
      onSaved(r);
    } catch (e) {
      const f = e instanceof AdminFailure ? e : new AdminFailure(String(e), 'ERROR');
      const name = f.field ? (FIELD_OF[f.field] ?? (f.field as keyof Values)) : null;
      if (name && FORM_FIELDS.has(name)) form.setFields([{ name, errors: [f.message] }]);
      else setError(f.message);
    } finally {
      setBusy(false);
    }
  };

  const years = level ? SCHOOLING_YEARS[level] : null;
  const school = kind === 'school';
  return (
    <Modal
      open={open}
      title={org ? `修改单位信息 · ${org.name}` : `新设${ORG_KIND_LABELS[kind]} · 上级单位：${parent.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={org ? '保存修改' : '新设单位'}
      cancelText="取消"
      confirmLoading={busy}
      width={760}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'org-form-save' } as never}
    >
      <Form form={form} layout="vertical" className="xj-admin-form" onFinish={submit} data-testid="org-form">
        {error ? (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 8 }}
            data-testid="org-form-error"
          />
        ) : null}
        {!org && kinds.length > 1 ? (
          <Form.Item label="单位类别">
            <Select
              value={kind}
              onChange={setKind}
              options={kinds.map((k) => ({ value: k, label: ORG_KIND_LABELS[k] }))}
              data-testid="org-form-kind"
            />
          </Form.Item>
        ) : null}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              label={school ? '学校（机构）标识码' : '行政区划代码'}
              name="id"
              extra={
                school
                  ? '10 位：学校类别 2 位 + 省份 2 位 + 序号 6 位'
                  : kind === 'city'
                    ? '4 位，如郑州市 4101'
                    : '6 位，如金水区 410105'
              }
              rules={[{ required: !org, message: '请填写单位代码' }]}
            >
              <Input disabled={org !== null} maxLength={school ? 10 : 6} data-testid="org-form-id" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label="单位名称" name="name" rules={[{ required: true, message: '请填写单位名称' }]}>
              <Input maxLength={100} data-testid="org-form-name" />
            </Form.Item>
          </Col>
        </Row>
        {school ? (
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item label="学段" name="level" rules={[{ required: true, message: '请选择学段' }]}>
                <Select
                  options={Object.entries(SCHOOL_LEVEL_LABELS).map(([value, label]) => ({ value, label }))}
                  data-testid="org-form-level"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                label="办学性质"
                name="ownership"
                rules={[{ required: true, message: '请选择办学性质' }]}
              >
                <Select
                  options={Object.entries(OWNERSHIP_LABELS).map(([value, label]) => ({ value, label }))}
                  data-testid="org-form-ownership"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                label="学制（年）"
                name="schoolingYears"
                extra={
                  years ? `${years[0] === years[1] ? years[0] : `${years[0]}–${years[1]}`} 年` : undefined
                }
                rules={[{ required: true, message: '请填写学制' }]}
              >
                <InputNumber
                  min={1}
                  max={12}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="org-form-years"
                />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              label="统一社会信用代码"
              name="creditCode"
              rules={[{ required: school, message: '请填写统一社会信用代码' }]}
              validateStatus={codeHint?.error ? 'error' : undefined}
              help={codeHint?.error ?? (codeHint?.ok ? `校验通过：${codeHint.ok}` : undefined)}
            >
              <Input
                maxLength={24}
                placeholder="18 位，见事业单位法人证书或办学许可证"
                data-testid="org-form-credit"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={school ? '校长' : '负责人'} name="head">
              <Input maxLength={50} data-testid="org-form-head" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="地址" name="address">
          <Input maxLength={200} data-testid="org-form-address" />
        </Form.Item>
        {school ? (
          <>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item
                  label="省级示范校"
                  name="provincialModel"
                  valuePropName="checked"
                  extra="普通高中（R-TX-4NO：普通学校不得转入省级示范校）"
                >
                  <Switch disabled={level !== 'senior'} checkedChildren="是" unCheckedChildren="否" />
                </Form.Item>
              </Col>
              <Col span={16}>
                <Form.Item
                  label="招生片区"
                  name="enrolmentZone"
                  extra="R-TX-4NO：同一招生片区内的高中之间不得转学"
                >
                  <Input maxLength={40} data-testid="org-form-zone" />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Text strong>校区位置（常态化核验的签到范围，HN 三.4）</Typography.Text>
            <Row gutter={12} style={{ marginTop: 6 }}>
              <Col span={6}>
                <Form.Item label="纬度（北纬）" name="campusLat">
                  <InputNumber
                    min={-90}
                    max={90}
                    step={0.0001}
                    style={{ width: '100%' }}
                    data-testid="org-form-lat"
                  />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item label="经度（东经）" name="campusLng">
                  <InputNumber
                    min={-180}
                    max={180}
                    step={0.0001}
                    style={{ width: '100%' }}
                    data-testid="org-form-lng"
                  />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item
                  label="半径（米）"
                  name="campusRadius"
                  extra={`${CAMPUS_RADIUS_M[0]}–${CAMPUS_RADIUS_M[1]}`}
                >
                  <InputNumber
                    min={1}
                    max={100000}
                    precision={0}
                    style={{ width: '100%' }}
                    data-testid="org-form-radius"
                  />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item label="校区地址" name="campusAddress">
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
            </Row>
          </>
        ) : null}
        <Typography.Text strong>学期（不填则用上级教育局设定的学期）</Typography.Text>
        <Row gutter={12} style={{ marginTop: 6 }}>
          <Col span={8}>
            <Form.Item label="开学日期" name="termStart">
              <Input placeholder="YYYY-MM-DD" maxLength={10} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="学期结束日期" name="termEnd">
              <Input placeholder="YYYY-MM-DD" maxLength={10} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="学期名称" name="termName">
              <Input maxLength={40} placeholder="如 2026—2027学年第一学期" />
            </Form.Item>
          </Col>
        </Row>
        {notices.map((n) => (
          <Alert key={n} type="warning" showIcon title={n} style={{ marginTop: 4 }} />
        ))}
      </Form>
    </Modal>
  );
}
