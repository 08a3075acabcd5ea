// The third way to start (besides a local profile and the demo school): log in to the provincial server
// and download the school. When the first download has finished, the server's school becomes this
// machine's school (`sync-adopt-school`) and the app opens. An account whose password is due (a first
// password set by an administrator, R-SECURE) changes it here first: nothing downloads before that.
import { Alert, Button, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { filter, firstValueFrom, of, timeout } from 'rxjs';
import { SCHOOL_DESK_ROLES } from '../../../../shared/commands/school-setup';
import { getDatabase } from '../../db/app-database';
import { send } from '../../db/commands';
import type { XuejiDatabase } from '../../db/database';
import { type SyncAccount, takeHandoff, writeAccount } from '../../sync/account';
import { syncService } from '../../sync/service';
import { useSyncAccount, useSyncStatus } from '../../sync/use-sync';
import { LoginForm, PasswordChangeForm } from './LoginForm';
import { SyncProgress } from './SyncProgress';

/** What the first download brings: the school's records, or an area's. */
function whatOf(account: SyncAccount): string {
  return SCHOOL_DESK_ROLES.has(account.user.role) ? '本校数据' : '辖区数据';
}

function Downloading({ db, account }: { db: XuejiDatabase; account: SyncAccount }) {
  const status = useSyncStatus();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      const engine = await syncService.ensureStarted(db, account);
      // The server syncs nothing before a due password is changed (the form below); then it starts.
      await firstValueFrom(engine.status$.pipe(filter((s) => s.phase !== 'passwordChange')));
      await engine.awaitInitialReplication();
      await engine.awaitInSync();
      // RxDB reports the first pull done when the batches are fetched; the school's org document may be
      // written a moment later. Wait for it (bounded) before the school is adopted.
      await firstValueFrom(
        db.orgs.findOne(account.user.orgId).$.pipe(
          filter((doc) => doc !== null),
          timeout({ first: 60_000, with: () => of(null) }),
        ),
      );
      const result = await send('sync-adopt-school', { user: account.user });
      if (!result.ok) setError(result.errors.map((e) => e.message).join('；'));
    })().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [db, account]);
  if (status.phase === 'passwordChange')
    return (
      <Space direction="vertical" style={{ width: '100%' }} size={8} data-testid="first-password-change">
        <Typography.Text>
          已登录：{account.user.displayName}（{account.user.orgName}）。
        </Typography.Text>
        <Alert
          type="warning"
          showIcon
          title={`省级平台要求先修改密码（R-SECURE），修改后开始下载${whatOf(account)}`}
        />
        <PasswordChangeForm db={db} username={account.user.username} />
      </Space>
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={8}>
      <Typography.Text>
        已登录：{account.user.displayName}（{account.user.orgName}），正在从省级平台下载{whatOf(account)}…
      </Typography.Text>
      <SyncProgress progress={status.progress} />
      {status.error ? (
        <Alert
          type={status.phase === 'offline' ? 'warning' : 'error'}
          showIcon
          title={status.error.message}
        />
      ) : null}
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {status.error ? (
        <Button onClick={() => syncService.retry()} data-testid="sync-retry">
          重试
        </Button>
      ) : null}
    </Space>
  );
}

export function FirstSyncCard() {
  const [db, setDb] = useState<XuejiDatabase | null>(null);
  useEffect(() => {
    getDatabase().then(setDb);
  }, []);
  return db ? <FirstSync db={db} /> : null;
}

function FirstSync({ db }: { db: XuejiDatabase }) {
  const stored = useSyncAccount(db);
  const [handoff] = useState(() => takeHandoff());
  const [account, setAccount] = useState<SyncAccount | null>(handoff?.account ?? null);
  useEffect(() => {
    if (handoff) void writeAccount(db, handoff.account);
  }, [db, handoff]);
  const current = account ?? stored ?? null;
  if (current) return <Downloading db={db} account={current} />;
  return (
    <div>
      <Typography.Paragraph type="secondary">
        本校已在省级平台建档？用学籍管理员或班主任账号登录，下载本校（本人班级）的学生；教育局、省教育厅和督查人员登录后下载辖区数据。之后离线也能使用，联网时自动同步。
      </Typography.Paragraph>
      <LoginForm db={db} submitText="登录并下载数据" onDone={(_, a) => setAccount(a)} />
    </div>
  );
}
