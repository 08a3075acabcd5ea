// The local lock on screen (R-SECURE: a dedicated person and machine; shared/commands/local-lock.ts): the
// app opens locked, locks itself after the idle time and on 退出登录, and unlocks offline with the local
// password. While locked nothing of the school is rendered — the whole app below this gate (its dialogs
// and toasts included) is unmounted, not hidden behind an overlay — so no name or ID number is in the page.
import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { type ReactNode, useEffect, useState, useSyncExternalStore } from 'react';
import { useDesk } from '../../app/session';
import { send } from '../../db/commands';
import type { XuejiDatabase } from '../../db/database';
import { type LocalLock, lock$, locked$, lockNow, unlockWindow } from '../../db/local-lock';
import type { SyncAccount } from '../../sync/account';
import { verifyCredential } from '../../sync/credentials';
import { useSyncAccount } from '../../sync/use-sync';

const subscribe = (onChange: () => void) => {
  const sub = locked$.subscribe(onChange);
  return () => sub.unsubscribe();
};

export function useLocked(): boolean {
  return useSyncExternalStore(subscribe, () => locked$.getValue());
}

function useLock(db: XuejiDatabase): LocalLock | null | undefined {
  const [lock, setLock] = useState<LocalLock | null | undefined>(undefined);
  useEffect(() => {
    const sub = lock$(db).subscribe(setLock);
    return () => sub.unsubscribe();
  }, [db]);
  return lock;
}

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Locks the window after `minutes` without a key press, click or mouse movement. */
function useIdleLock(minutes: number | null): void {
  useEffect(() => {
    if (minutes === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(lockNow, minutes * 60_000);
    };
    // mouse movements come by the hundred: re-arm at most once a second
    const onActivity = () => {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      arm();
    };
    for (const type of ACTIVITY) window.addEventListener(type, onActivity, { passive: true, capture: true });
    arm();
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [minutes]);
}

function LockCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="xj-setup" data-testid="unlock-screen">
      <Card
        title={
          <span>
            <LockOutlined /> {title}
          </span>
        }
        size="small"
        style={{ width: 400, marginTop: 80 }}
      >
        {children}
      </Card>
    </div>
  );
}

function UnlockScreen({ lock, account }: { lock: LocalLock | null; account: SyncAccount | null }) {
  const { org, installation } = useDesk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async ({ password }: { password?: string }) => {
    setBusy(true);
    setError(null);
    // A profile from before the local lock has only the last good login's hash: it unlocks with that.
    const credential = lock?.credential ?? account?.credential;
    const ok = credential ? await verifyCredential(credential, password ?? '') : false;
    setBusy(false);
    if (ok) unlockWindow();
    else setError('本机密码不正确，请重新输入');
  };
  const fromServer = lock ? lock.source === 'server' : account !== null;
  return (
    <LockCard title="学籍桌面端 · 已锁定">
      <Typography.Paragraph>
        {org.name} · {installation.operatorName}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        本机数据已锁定（R-SECURE：专人专机，离开即锁定，防止学生信息泄露）。请输入本机密码解锁，断网时也可解锁。
        {fromServer && account
          ? `本机密码即最近一次成功登录省级平台账号“${account.user.username}”时的密码。`
          : null}
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item name="password" label="本机密码" rules={[{ required: true, message: '请输入本机密码' }]}>
          <Input.Password autoFocus autoComplete="current-password" data-testid="unlock-password" />
        </Form.Item>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="unlock-submit">
          解锁
        </Button>
      </Form>
    </LockCard>
  );
}

/** A profile made before the local lock, never logged in: it gets its password before it opens. */
function SetPasswordScreen() {
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: { password: string; confirm: string }) => {
    setBusy(true);
    const r = await send('local-password-set', values).finally(() => setBusy(false));
    if (!r.ok) {
      form.setFields(
        r.errors.map((e) => ({
          name: (e.field.endsWith('Confirm') ? 'confirm' : 'password') as never,
          errors: [e.message],
        })),
      );
      return;
    }
    unlockWindow();
  };
  return (
    <LockCard title="学籍桌面端 · 设置本机密码">
      <Typography.Paragraph type="secondary">
        本机数据须凭本机密码打开（R-SECURE：专人专机，防止学生信息泄露）。请先设置本机密码：至少 8
        位，含字母和数字。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="password" label="本机密码" rules={[{ required: true, message: '请设置本机密码' }]}>
          <Input.Password autoFocus autoComplete="new-password" data-testid="set-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="再次输入"
          rules={[{ required: true, message: '请再次输入本机密码' }]}
        >
          <Input.Password autoComplete="new-password" data-testid="set-password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="set-password-submit">
          设置并打开
        </Button>
      </Form>
    </LockCard>
  );
}

export function LockGate({ db, children }: { db: XuejiDatabase; children: ReactNode }) {
  const locked = useLocked();
  const lock = useLock(db);
  const account = useSyncAccount(db);
  useIdleLock(!locked && lock ? lock.idleMinutes : null);
  useEffect(() => {
    if (locked) document.title = '学籍桌面端 · 已锁定';
  }, [locked]);
  if (lock === undefined || account === undefined) return <Spin fullscreen />;
  if (!locked) return <>{children}</>;
  if (!lock && !account) return <SetPasswordScreen />;
  return <UnlockScreen lock={lock} account={account} />;
}
