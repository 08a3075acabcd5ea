// 我的账号 (R-SECURE, YQ 三: 账户的密码要根据系统提示及时进行修改): the signed-in account, when its password was set
// and when it is due (days left, from the login's passwordChangedAt and the server's maximum age — the policy
// of shared/validate/password.ts), and the change itself. PasswordDueTag says it in the header from 14 days
// before, and leads here.
import { KeyOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Descriptions, Progress, Row, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import {
  loginPasswordAge,
  PASSWORD_MAX_AGE_DAYS,
  type PasswordAge,
} from '../../../../shared/validate/password';
import { navigate } from '../../app/router';
import { useDesk } from '../../app/session';
import type { SyncAccount } from '../../sync/account';
import { useSyncAccount } from '../../sync/use-sync';
import { RuleRef } from '../rules/RuleRef';
import { PasswordChangeForm } from '../sync/LoginForm';
import { localDateTime, OnlineOnly, roleLabel } from './common';
import { useAdminSession } from './use-admin';

/** The password's age for an account (null without the login's date): the one rule in shared/. */
export function accountPasswordAge(account: SyncAccount | null | undefined, now: Date): PasswordAge | null {
  return account ? loginPasswordAge(account, now) : null;
}

/** The clock, once a minute (the days left change at midnight; the tag need not be exact to the second). */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * In the header: "密码 5 天后到期" / "密码已到期" / "请修改初始密码", a click opens 我的账号. It reads the
 * account as stored (not the sync engine's copy), so it shows from the login on and leaves with the change.
 */
export function PasswordDueTag() {
  const { db } = useDesk();
  const account = useSyncAccount(db);
  const now = useNow();
  const age = accountPasswordAge(account, now);
  if (!age?.soon) return null;
  return (
    <Tag
      icon={<KeyOutlined />}
      color={age.due ? 'red' : 'orange'}
      style={{ cursor: 'pointer' }}
      onClick={() => navigate('/account')}
      title={`${age.message}，点击修改密码`}
      data-testid="password-due"
    >
      {age.label}
    </Tag>
  );
}

export function AccountPage() {
  const session = useAdminSession();
  const now = useNow();
  const account = session.account;
  const age = accountPasswordAge(account, now);
  const maxAge = account?.passwordMaxAgeDays ?? PASSWORD_MAX_AGE_DAYS;
  return (
    <div className="xj-admin" data-testid="account-page">
      <OnlineOnly session={session}>
        {account ? (
          <Row gutter={12}>
            <Col span={11}>
              <Card size="small" title="我的账号">
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label="姓名">{account.user.displayName}</Descriptions.Item>
                  <Descriptions.Item label="用户名">{account.user.username}</Descriptions.Item>
                  <Descriptions.Item label="角色">{roleLabel(account.user.role)}</Descriptions.Item>
                  <Descriptions.Item label="所属单位">{account.user.orgName}</Descriptions.Item>
                  {account.user.classIds.length > 0 ? (
                    <Descriptions.Item label="所带班级">{account.user.classIds.join('、')}</Descriptions.Item>
                  ) : null}
                  {account.user.enforcementId ? (
                    <Descriptions.Item label="执法证号">{account.user.enforcementId}</Descriptions.Item>
                  ) : null}
                  <Descriptions.Item label="省级平台">{account.serverUrl}</Descriptions.Item>
                  <Descriptions.Item label="本次登录">{localDateTime(account.loggedInAt)}</Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            <Col span={13}>
              <Card
                size="small"
                title={
                  <span>
                    密码 <RuleRef id="R-SECURE" />
                  </span>
                }
              >
                {age ? (
                  <>
                    <Alert
                      type={age.due ? 'error' : age.soon ? 'warning' : 'success'}
                      showIcon
                      title={
                        <span data-testid="password-age">
                          {age.due || age.soon ? age.message : `密码在有效期内，还有 ${age.daysLeft} 天到期`}
                        </span>
                      }
                      style={{ marginBottom: 8 }}
                    />
                    {!account.mustChangePassword && account.passwordChangedAt ? (
                      <div style={{ marginBottom: 12 }}>
                        <Typography.Text type="secondary">
                          上次修改：{localDateTime(account.passwordChangedAt)}；到期：
                          {localDateTime(age.dueAt)}（每 {maxAge} 天须修改一次）
                        </Typography.Text>
                        <Progress
                          percent={Math.max(
                            0,
                            Math.min(100, Math.round(((maxAge - Math.max(0, age.daysLeft)) / maxAge) * 100)),
                          )}
                          showInfo={false}
                          status={age.due ? 'exception' : age.soon ? 'active' : 'normal'}
                          size="small"
                        />
                      </div>
                    ) : null}
                  </>
                ) : null}
                <PasswordChangeForm db={session.db} username={account.user.username} />
              </Card>
            </Col>
          </Row>
        ) : null}
      </OnlineOnly>
    </div>
  );
}
