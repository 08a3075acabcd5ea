// The initial password of a new account (or of a reset), shown once, and its 账号开通通知单 / 密码重置通知单 printed
// from the shared form (shared/forms/defs/account-slip.ts) in the print worker. The password is kept only in
// this dialog's memory: it is in no log, no local document and no print log, and the PDF is printed, not saved.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { chinaTime } from '../../../../shared/calendar/china';
import type { AccountSlipData } from '../../../../shared/forms/defs/account-slip';
import type { SyncUser } from '../../../../shared/sync/protocol';
import { PASSWORD_MAX_AGE_DAYS } from '../../../../shared/validate/password';
import { type PrintJob, PrintPreview } from '../print/PrintPreview';
import { renderInWorker } from '../print/print-client';
import type { CreatedAccount } from './api';
import { roleLabel } from './common';

export type SlipBatch = { kind: 'create' | 'reset'; accounts: CreatedAccount[] };

/** Beijing time, as every slip and record shows it, whatever the machine's time zone. */
const stamp = (d: Date) => chinaTime(d.getTime());

/** The slip of one account (the data of the shared form). */
export function slipData(
  a: CreatedAccount,
  kind: 'create' | 'reset',
  issuer: Pick<SyncUser, 'displayName' | 'orgName'>,
  serverUrl: string | undefined,
  at: Date,
  maxAgeDays: number,
): AccountSlipData {
  const day = stamp(at).slice(0, 10);
  return {
    recordId: `slip-${a.user.id.slice(0, 8)}-${day.replace(/-/g, '')}`,
    printedAt: day,
    kind,
    orgName: a.user.orgName,
    displayName: a.user.displayName,
    roleLabel: roleLabel(a.user.role),
    username: a.user.username,
    initialPassword: a.initialPassword,
    ...(serverUrl ? { serverUrl } : {}),
    ...(a.user.classIds.length > 0 ? { classes: a.user.classIds } : {}),
    ...(a.user.enforcementId ? { enforcementId: a.user.enforcementId } : {}),
    issuedAt: stamp(at),
    issuedBy: issuer.displayName,
    issuerOrg: issuer.orgName,
    maxAgeDays: String(maxAgeDays),
  };
}

export function SlipDialog({
  batch,
  issuer,
  serverUrl,
  maxAgeDays = PASSWORD_MAX_AGE_DAYS,
  onClose,
}: {
  batch: SlipBatch | null;
  issuer: SyncUser;
  serverUrl?: string;
  maxAgeDays?: number;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [job, setJob] = useState<PrintJob | null>(null);
  const [printing, setPrinting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!batch) return null;
  const one = batch.accounts.length === 1 ? batch.accounts[0] : undefined;
  const title = batch.kind === 'create' ? '账号开通通知单' : '密码重置通知单';
  const print = async () => {
    setPrinting(true);
    setError(null);
    try {
      const at = new Date();
      const records = batch.accounts.map((a) => slipData(a, batch.kind, issuer, serverUrl, at, maxAgeDays));
      const result = await renderInWorker('account-slip', records);
      setJob({
        title: one ? `${title} · ${one.user.displayName}` : `${title}（${records.length} 份）`,
        fileName: `${title}_${stamp(at).slice(0, 10)}`,
        subFolder: '账号通知单',
        result,
        records: records.length,
        missing: [],
        savable: false,
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPrinting(false);
    }
  };
  return (
    <>
      <Modal
        open
        title={batch.kind === 'create' ? '账号已开设' : '密码已重置'}
        width={one ? 560 : 760}
        onCancel={onClose}
        mask={{ closable: false }}
        footer={
          <Space>
            <Button
              type="primary"
              icon={<PrinterOutlined />}
              loading={printing}
              onClick={print}
              data-testid="slip-print"
            >
              打印{title}
            </Button>
            <Button
              onClick={() => {
                message.info('初始密码不再显示；如未记下，可重置密码');
                onClose();
              }}
              data-testid="slip-close"
            >
              关闭
            </Button>
          </Space>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} data-testid="slip-dialog">
          <Alert
            type="warning"
            showIcon
            title="初始密码只在这里显示一次，请当面交给本人或打印通知单；本人首次登录时须修改密码（R-SECURE）"
          />
          {one ? (
            <div>
              <Typography.Paragraph style={{ marginBottom: 4 }}>
                {one.user.displayName}（{roleLabel(one.user.role)}，{one.user.orgName}）
              </Typography.Paragraph>
              <Typography.Paragraph style={{ marginBottom: 4 }}>
                用户名：
                <Typography.Text strong data-testid="slip-username">
                  {one.user.username}
                </Typography.Text>
              </Typography.Paragraph>
              <span className="xj-admin-password" data-testid="slip-password">
                {one.initialPassword}
              </span>
              {one.notices.map((n) => (
                <div key={n} className="xj-admin-notice" style={{ marginTop: 6 }}>
                  {n}
                </div>
              ))}
            </div>
          ) : (
            <Table
              size="small"
              rowKey={(a) => a.user.id}
              pagination={false}
              scroll={{ y: 320 }}
              dataSource={batch.accounts}
              data-testid="slip-table"
              columns={[
                { title: '用户名', render: (_, a) => a.user.username },
                { title: '姓名', render: (_, a) => a.user.displayName },
                { title: '角色', render: (_, a) => roleLabel(a.user.role) },
                { title: '所属单位', render: (_, a) => a.user.orgName },
                { title: '初始密码', render: (_, a) => <code>{a.initialPassword}</code> },
              ]}
            />
          )}
          {error ? <Alert type="error" showIcon title={error} /> : null}
        </Space>
      </Modal>
      <PrintPreview open={job !== null} job={job} onClose={() => setJob(null)} />
    </>
  );
}
