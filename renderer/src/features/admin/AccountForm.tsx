// The form of an account (开设账号 / 修改账号): the org (in the user's area), a role the user may grant there
// (grantableRoles: never at or above their own level), the username and name, and what the role carries — a
// counselor's classes (HN 三.2), an inspector's 执法证号 (R-INSP-2) and declared conflicts (R-INSP-RECUSE). Role,
// org and username are fixed once the account exists. Checked with validateAccountInput, then by the server.
import { Alert, Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import {
  ACCOUNT_FIELD_LABELS,
  type AccountInput,
  type AccountView,
  grantableRoles,
  validateAccountInput,
} from '../../../../shared/admin/accounts';
import type { AuthUser } from '../../../../shared/authority/relation';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import type { Role } from '../../../../shared/sync/protocol';
import type { XuejiDatabase } from '../../db/database';
import { type AdminApi, AdminFailure, type CreatedAccount } from './api';
import { type OrgNode, orgTree, roleLabel } from './common';
import { useRosterClasses } from './use-admin';

type Values = {
  orgId?: string;
  role?: Role;
  username?: string;
  displayName?: string;
  classIds?: string[];
  enforcementId?: string;
  conflicts?: string[];
};

type TreeOption = { value: string; title: string; disabled: boolean; children: TreeOption[] };

function options(nodes: OrgNode[], user: AuthUser): TreeOption[] {
  return nodes.map((n) => ({
    value: n.org.id,
    title: `${n.org.name}（${n.org.id}）`,
    disabled: n.org.disabled === true || grantableRoles(user, n.org).length === 0,
    children: options(n.children, user),
  }));
}

export function AccountForm({
  open,
  db,
  user,
  api,
  orgs,
  account,
  defaultOrgId,
  onClose,
  onCreated,
  onUpdated,
}: {
  open: boolean;
  db: XuejiDatabase;
  user: AuthUser;
  api: AdminApi | null;
  orgs: readonly OrgDoc[];
  /** the edited account; null for a new one */
  account: AccountView | null;
  defaultOrgId?: string;
  onClose: () => void;
  onCreated: (c: CreatedAccount) => void;
  onUpdated: (a: AccountView, notices: string[]) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const orgId = Form.useWatch('orgId', form) ?? account?.orgId;
  const role = (Form.useWatch('role', form) ?? account?.role) as Role | undefined;
  const org = orgs.find((o) => o.id === orgId);
  const roles = useMemo(() => (org && !account ? grantableRoles(user, org) : []), [org, user, account]);
  const classes = useRosterClasses(db, org?.kind === 'school' ? org.id : undefined);
  const tree = useMemo(() => options(orgTree(orgs), user), [orgs, user]);
  const schools = useMemo(
    () => (org ? orgs.filter((o) => o.kind === 'school' && o.path.startsWith(org.path)) : []),
    [orgs, org],
  );
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setError(null);
    form.setFieldsValue(
      account
        ? {
            orgId: account.orgId,
            role: account.role,
            username: account.username,
            displayName: account.displayName,
            classIds: account.classIds,
            enforcementId: account.enforcementId ?? undefined,
            conflicts: account.conflicts,
          }
        : { orgId: defaultOrgId },
    );
  }, [open, account, defaultOrgId, form]);
  useEffect(() => {
    if (!account && role && !roles.includes(role)) form.setFieldValue('role', roles[roles.length - 1]);
    if (!account && !role && roles.length > 0) form.setFieldValue('role', roles[roles.length - 1]);
  }, [roles, role, account, form]);

  const submit = async (v: Values) => {
    setError(null);
    if (!org) {
      form.setFields([{ name: 'orgId', errors: ['请选择所属单位'] }]);
      return;
    }
    const input: AccountInput = account
      ? {
          displayName: v.displayName,
          ...(account.role === 'counselor' ? { classIds: v.classIds ?? [] } : {}),
          ...(account.role === 'inspector'
            ? { enforcementId: v.enforcementId, conflicts: v.conflicts ?? [] }
            : {}),
        }
      : {
          username: v.username?.trim(),
          displayName: v.displayName,
          role: v.role,
          orgId: org.id,
          ...(v.role === 'counselor' ? { classIds: v.classIds ?? [] } : {}),
          ...(v.role === 'inspector' ? { enforcementId: v.enforcementId, conflicts: v.conflicts ?? [] } : {}),
        };
    const local = validateAccountInput(input, {
      org: { id: org.id, kind: org.kind, name: org.name, path: org.path, disabled: org.disabled },
      existing: account,
      schoolsInArea: new Map(schools.map((s) => [s.id, s.name])),
    });
    if (!local.ok) {
      form.setFields(
        local.problems.map((p) => ({
          name: (p.field.split(/[.[]/)[0] ?? p.field) as keyof Values,
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
      if (account) {
        const r = await api.updateUser(account.id, input);
        onUpdated(r.user, r.notices);
      } else onCreated(await api.createUser(input));
    } catch (e) {
      const f = e instanceof AdminFailure ? e : new AdminFailure(String(e), 'ERROR');
      const field = f.field?.split(/[.[]/)[0];
      if (field && field in ACCOUNT_FIELD_LABELS)
        form.setFields([{ name: field as keyof Values, errors: [f.message] }]);
      else setError(f.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={account ? `修改账号 · ${account.displayName}（${account.username}）` : '开设账号'}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={account ? '保存修改' : '开设账号'}
      cancelText="取消"
      confirmLoading={busy}
      width={600}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'account-form-save' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        className="xj-admin-form"
        onFinish={submit}
        data-testid="account-form"
      >
        {error ? (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 8 }}
            data-testid="account-form-error"
          />
        ) : null}
        <Form.Item label="所属单位" name="orgId" rules={[{ required: true, message: '请选择所属单位' }]}>
          <TreeSelect
            treeData={tree}
            disabled={account !== null}
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll={orgs.length < 200}
            placeholder="选择单位"
            data-testid="account-form-org"
          />
        </Form.Item>
        <Form.Item
          label="角色"
          name="role"
          rules={[{ required: true, message: '请选择角色' }]}
          extra={
            !account && org && roles.length === 0
              ? '您不能在该单位开设账号（只能开设比本人级别低、在本人管辖范围内的账号）'
              : undefined
          }
        >
          <Select
            disabled={account !== null}
            options={(account ? [account.role] : roles).map((r) => ({ value: r, label: roleLabel(r) }))}
            data-testid="account-form-role"
          />
        </Form.Item>
        <Form.Item
          label="用户名"
          name="username"
          extra={account ? '用户名开设后不能修改' : '3–40 个小写字母、数字或 . _ -，如 s41010501.chen'}
          rules={[{ required: !account, message: '请填写用户名' }]}
        >
          <Input
            disabled={account !== null}
            maxLength={40}
            autoComplete="off"
            data-testid="account-form-username"
          />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input maxLength={50} data-testid="account-form-name" />
        </Form.Item>
        {role === 'counselor' ? (
          <Form.Item
            label="所带班级"
            name="classIds"
            extra="HN 三.2：为辅导员/班主任分配班级，账号只能看到这些班级的学生"
            rules={[{ required: true, message: '请选择至少一个班级' }]}
          >
            <Select
              mode="tags"
              options={classes.map((c) => ({ value: c, label: c }))}
              placeholder={classes.length > 0 ? '选择班级（也可输入）' : '输入班级名称，与花名册中的班级一致'}
              data-testid="account-form-classes"
            />
          </Form.Item>
        ) : null}
        {role === 'inspector' ? (
          <>
            <Form.Item
              label="执法证号"
              name="enforcementId"
              extra="R-INSP-2：现场检查须由持执法证件的人员进行"
              rules={[{ required: true, message: '请填写执法证号' }]}
            >
              <Input maxLength={40} data-testid="account-form-enforcement" />
            </Form.Item>
            <Form.Item
              label="申报回避的学校"
              name="conflicts"
              extra="R-INSP-RECUSE：有利害关系的学校，抽查时不会抽到该人员"
            >
              <Select
                mode="multiple"
                showSearch
                optionFilterProp="label"
                options={schools.map((s) => ({ value: s.id, label: `${s.name}（${s.id}）` }))}
                data-testid="account-form-conflicts"
              />
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}
