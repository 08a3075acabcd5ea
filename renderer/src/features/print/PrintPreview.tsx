// 打印预览: the real PDF (Chromium's PDF viewer in an iframe on a blob: URL — the CSP allows blob: frames
// and nothing else), with 打印 and 保存为 PDF through the bridge. Characters no shipped font has are named
// before anything is printed or saved, and the user decides (never a silent empty box on paper).
import { ExportOutlined, PrinterOutlined, SaveOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, Modal, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { RenderedForm } from '../../../../shared/forms';
import { type MissingWhere, missingWarning } from '../../../../shared/forms/archive-list-data';
import { useSchoolOrNull } from '../../app/school-context';
import { useDeskOrNull } from '../../app/session';
import { bridge } from '../../bridge';
import { send } from '../../db/commands';
import './print.css';

/** A rendered PDF ready to be previewed, printed or saved. */
export type PrintJob = {
  /** e.g. "学籍档案目录 · 张三" */
  title: string;
  /** file name without ".pdf" */
  fileName: string;
  /** sub folder of the school's archive folder (Electron) */
  subFolder: string;
  result: RenderedForm;
  /** how many records the PDF holds */
  records: number;
  missing: MissingWhere[];
  /**
   * false: the PDF may be printed but not saved (an account slip carries a password that must exist only on
   * paper); the default allows saving
   */
  savable?: boolean;
  /** the print log (核验表单): the form, its print date and the student and data of each record, in order */
  log?: {
    formId: string;
    formTitle: string;
    printedAt: string;
    records: { studentId: string; data: unknown }[];
  };
};

/** Records each record of the PDF in the print log once the PDF has left the app. */
async function logPrint(job: PrintJob, via: 'print' | 'save' | 'open'): Promise<void> {
  const log = job.log;
  if (!log) return;
  await send('form-print-record', {
    formId: log.formId,
    formTitle: log.formTitle,
    printedAt: log.printedAt,
    via,
    sections: job.result.sections.map((section, i) => ({
      studentId: log.records[i]?.studentId ?? '',
      recordId: section.recordId,
      hash: section.hash,
      data: log.records[i]?.data,
    })),
  });
}

const kb = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;

function MissingList({ items }: { items: MissingWhere[] }) {
  return (
    <ul className="xj-print-missing">
      {missingWarning(items).map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

/** The preview window: `job` null while the PDF is being made (`busyText`), or an error to show. */
export function PrintPreview({
  open,
  job,
  busyText,
  error,
  onClose,
}: {
  open: boolean;
  job: PrintJob | null;
  busyText?: string;
  error?: string | null;
  onClose: () => void;
}) {
  // The folder is named after the school (a school desk) or the desk's own org (an inspector, a bureau).
  const schoolSession = useSchoolOrNull();
  const desk = useDeskOrNull();
  const folderName = schoolSession?.school.name ?? desk?.org.name ?? '学籍桌面端';
  const { message, modal } = App.useApp();
  const [acting, setActing] = useState<'print' | 'save' | null>(null);
  const bytes = job?.result.bytes;
  const url = useMemo(
    () => (bytes ? URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/pdf' })) : null),
    [bytes],
  );
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);

  /** With unprintable characters, ask first; resolves true when the user goes ahead. */
  const confirmMissing = (action: string) =>
    !job || job.missing.length === 0
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          modal.confirm({
            title: `以下字符字体中没有，${action}后会是空白框`,
            icon: <WarningOutlined style={{ color: '#d46b08' }} />,
            width: 560,
            content: (
              <div data-testid="print-missing-confirm">
                <MissingList items={job.missing} />
                <div>可先更正写法再打印，或打印后在纸上手写补全。确定仍要{action}吗？</div>
              </div>
            ),
            okText: `仍然${action}`,
            cancelText: '返回',
            okButtonProps: { 'data-testid': 'print-missing-go' } as ButtonProps,
            cancelButtonProps: { 'data-testid': 'print-missing-back' } as ButtonProps,
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          });
        });

  const print = async () => {
    if (!job || !(await confirmMissing('打印'))) return;
    setActing('print');
    const r = await bridge
      .printPdf({ bytes: job.result.bytes, title: job.title })
      .finally(() => setActing(null));
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    if (r.value.printed === false) {
      message.info('已取消打印');
      return;
    }
    // printed, or handed to the browser's print dialog (printed: null): the paper may exist
    await logPrint(job, 'print');
    if (r.value.printed === true) message.success(`已送往打印机：${job.title}`);
  };

  const save = async () => {
    if (!job || !(await confirmMissing('保存'))) return;
    setActing('save');
    const r = await bridge
      .savePdf({
        schoolName: folderName,
        subFolder: job.subFolder,
        fileName: job.fileName,
        bytes: job.result.bytes,
      })
      .finally(() => setActing(null));
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    await logPrint(job, 'save');
    if (r.value.path) message.success(`已保存到档案文件夹：${r.value.path}`);
    else message.success(`已下载“${r.value.fileName}”（在浏览器的“下载”文件夹中）`);
  };

  const openWindow = async () => {
    if (!job) return;
    const r = await bridge.previewPdf({ bytes: job.result.bytes, title: job.title });
    if (!r.ok) message.error(r.message);
    else await logPrint(job, 'open');
  };

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={
        <Space size={12}>
          <span>打印预览{job ? ` · ${job.title}` : ''}</span>
          {job ? (
            <Typography.Text
              type="secondary"
              data-testid="print-preview-meta"
              style={{ fontWeight: 'normal' }}
            >
              {job.records > 1 ? `${job.records} 份，` : ''}共 {job.result.pageCount} 页，
              {kb(job.result.bytes.length)}
            </Typography.Text>
          ) : null}
        </Space>
      }
      width="min(1120px, 96vw)"
      centered
      mask={{ closable: false }}
      destroyOnHidden
      className="xj-print-modal"
      footer={
        <Space>
          {job?.savable === false ? null : (
            <>
              <Button icon={<ExportOutlined />} disabled={!job} onClick={openWindow}>
                在新窗口中查看
              </Button>
              <Button
                icon={<SaveOutlined />}
                disabled={!job}
                loading={acting === 'save'}
                onClick={save}
                data-testid="print-save"
              >
                保存为 PDF
              </Button>
            </>
          )}
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            disabled={!job}
            loading={acting === 'print'}
            onClick={print}
            data-testid="print-print"
          >
            打印
          </Button>
          <Button onClick={onClose} data-testid="print-close">
            关闭
          </Button>
        </Space>
      }
    >
      <div className="xj-print-body" data-testid="print-preview">
        {job && job.missing.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            className="xj-print-alert"
            data-testid="print-missing-warning"
            title={`有 ${job.missing.length} 个字符随软件提供的字体中没有，打印出来会是空白框：`}
            description={<MissingList items={job.missing} />}
          />
        ) : null}
        {error ? (
          <Alert type="error" showIcon title="无法生成 PDF" description={error} data-testid="print-error" />
        ) : url ? (
          <iframe className="xj-print-frame" src={url} title="PDF 预览" data-testid="print-preview-frame" />
        ) : (
          <div className="xj-print-busy">
            <Spin />
            <span>{busyText ?? '正在生成 PDF…'}</span>
          </div>
        )}
      </div>
    </Modal>
  );
}
