// Login to the provincial server: server address, username, password. The device ID is generated once
// per browser profile and sent with it (R-SECURE: the server registers the device). Wrong password,
// lockout and a revoked device come back as the server's Chinese message on the right field; a login
// for another school than the local one is refused, with the option of a fresh local copy.
import { Alert, App, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_RULE_TEXT,
  passwordProblem,
} from '../../../../shared/validate/password';
import type { XuejiDatabase } from '../../db/database';
import { deviceId, lastServer, type SyncAccount } from '../../sync/account';
import { type LoginInput, syncService, takeLoginPrefill } from '../../sync/service';
import { RuleRef, RuleRefs } from '../rules/RuleRef';

export const DEFAULT_SERVER = 'http://127.0.0.1:8787';

export function LoginForm({
  db,
  initial,
  submitText = '登录并同步',
  onDone,
}: {
  db: XuejiDatabase;
  initial?: Partial<LoginInput>;
  submitText?: string;
  onDone?: (kind: 'fresh' | 'attach', account: SyncAccount) => void;
}) {
  const { modal } = App.useApp();
  const [form] = Form.useForm<LoginInput>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [prefill] = useState(takeLoginPrefill);
  // after 退出登录 the form offers the server (and user) of the last good login, not the demo default
  const [remembered] = useState(() => lastServer() ?? {});

  const submit = async (values: LoginInput) => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await syncService.login(db, values);
      if (outcome.ok) {
        form.setFieldValue('password', '');
        onDone?.(outcome.kind, outcome.account);
        return;
      }
      if (outcome.kind === 'error') {
        if (outcome.field) form.setFields([{ name: outcome.field, errors: [outcome.message] }]);
        else setError(outcome.message);
        return;
      }
      setError(outcome.message);
      modal.confirm({
        title: '本机数据与登录账号不属于同一所学校',
        width: 520,
        content: (
          <div data-testid="mismatch-dialog">
            <Typography.Paragraph>{outcome.message}。</Typography.Paragraph>
            <Typography.Paragraph type="danger">
              清空后本机现有数据将被删除且不能恢复（尚未上传的修改也会丢失）；如需保留，请先导出花名册。
            </Typography.Paragraph>
          </div>
        ),
        okText: `清空本机并下载“${outcome.account.user.orgName}”`,
        okButtonProps: { danger: true },
        cancelText: '保留本机数据，不登录',
        onOk: () => syncService.replaceLocalCopy(db, outcome.account),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ serverUrl: DEFAULT_SERVER, ...remembered, ...initial, ...prefill }}
      data-testid="login-form"
    >
      <Form.Item
        label="省级平台服务器地址"
        name="serverUrl"
        rules={[{ required: true, message: '请填写服务器地址' }]}
        extra="由教育局提供，须以 https:// 开头，如 https://xueji.jyj.gov.cn；本机演示可用 http://127.0.0.1:8787"
      >
        <Input placeholder={DEFAULT_SERVER} maxLength={200} />
      </Form.Item>
      <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input autoComplete="username" maxLength={64} />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password autoComplete="current-password" maxLength={128} />
      </Form.Item>
      {error ? (
        <Alert
          type="error"
          showIcon
          title={
            <>
              {error}
              <RuleRefs text={error} />
            </>
          }
          style={{ marginBottom: 12 }}
          data-testid="login-error"
        />
      ) : null}
      <Button type="primary" htmlType="submit" loading={busy} block data-testid="login-submit">
        {submitText}
      </Button>
      <div className="xj-muted" style={{ fontSize: 12, lineHeight: '18px', marginTop: 8 }}>
        本机设备号 {deviceId()}
        ：首次登录时由服务器登记，管理员可查看和停用。本机只保存密码的加盐摘要，用于断网时解锁。
        <RuleRef id="R-SECURE" />
      </div>
    </Form>
  );
}

/**
 * R-SECURE: the password change the server asks for before syncing again. The new password is checked
 * with the server's own policy (shared/validate/password.ts) as it is typed.
 */
export function PasswordChangeForm({
  db,
  username,
  onDone,
}: {
  db: XuejiDatabase;
  username: string;
  onDone?: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ oldPassword: string; newPassword: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { oldPassword: string; newPassword: string }) => {
    setBusy(true);
    const problem = await syncService
      .changePassword(db, v.oldPassword, v.newPassword)
      .finally(() => setBusy(false));
    if (problem) {
      // A wrong old password, and too many of them, belong to the old password's field.
      const onOld = problem.includes('原密码不正确') || problem.includes('次数过多');
      form.setFields([{ name: onOld ? 'oldPassword' : 'newPassword', errors: [problem] }]);
      return;
    }
    form.resetFields();
    message.success('密码已修改，同步已恢复');
    onDone?.();
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      data-testid="password-form"
      style={{ maxWidth: 360 }}
    >
      <Form.Item label="原密码" name="oldPassword" rules={[{ required: true, message: '请输入原密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        extra={PASSWORD_RULE_TEXT}
        dependencies={['oldPassword']}
        rules={[
          { required: true, message: '请输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) => {
              const problem = v
                ? passwordProblem(v, { username, oldPassword: getFieldValue('oldPassword') })
                : null;
              return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={PASSWORD_MAX_LENGTH} />
      </Form.Item>
      <Form.Item
        label="再次输入新密码"
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, v) =>
              !v || v === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error('两次输入的新密码不一致')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        修改密码
      </Button>
    </Form>
  );
}
