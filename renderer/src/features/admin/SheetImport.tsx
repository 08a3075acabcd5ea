// 导入单位表 / 导入账号表: the roster import's steps for a sheet of organisations or accounts — choose the file
// (.xlsx, .xls, .ods, .csv), see every row as new, changed, unchanged or invalid with its reasons before
// anything is written, download the error report to fix and re-import, confirm. The server checks every
// row again and writes all of them or none; a row it refuses is shown with its reason, nothing written.
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Modal, Space, Spin, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { type ReactNode, useState } from 'react';
import { asParsedSheet, type ParsedAdminSheet } from '../../../../shared/admin/sheets';
import type { RosterFileContent } from '../../../../shared/import/read';
import { errorReportTable, type SheetTable } from '../../../../shared/import/report';
import type { ImportError } from '../../../../shared/import/types';
import { datedName, readRosterFile, savedWhere, saveWorkbook, workbookBlob } from '../import/files';
import { AdminFailure } from './api';

/** What a sheet's preview must offer the dialog. */
export type SheetPreview<R extends { kind: string; row: number }> = {
  sheet: ParsedAdminSheet<unknown>;
  rows: R[];
  errors: ImportError[];
};

export type SheetKind = { key: string; label: string; color: string };

export function SheetImport<R extends { kind: string; row: number }>({
  open,
  title,
  what,
  template,
  kinds,
  writable,
  preview,
  columns,
  commit,
  fieldLabel,
  onClose,
  onDone,
}: {
  open: boolean;
  title: string;
  /** 单位表 / 账号表 */
  what: string;
  template: SheetTable;
  kinds: SheetKind[];
  /** the kinds that are written on confirm */
  writable: string[];
  preview: (file: RosterFileContent) => SheetPreview<R>;
  /** the table's columns for a row (besides 行 and 状态) */
  columns: { title: string; width?: number; render: (r: R) => ReactNode }[];
  /** writes the writable rows; resolves what to say, or rejects with AdminFailure (rows by index of `rows`) */
  commit: (rows: R[]) => Promise<ReactNode>;
  /** the column a field the server names is in (its Chinese label) */
  fieldLabel: (field: string) => string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [loaded, setLoaded] = useState<{ fileName: string; preview: SheetPreview<R> } | null>(null);
  const [reading, setReading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReactNode>(null);
  const [refused, setRefused] = useState<ImportError[]>([]);
  const reset = () => {
    setLoaded(null);
    setProblem(null);
    setResult(null);
    setRefused([]);
  };
  const load = async (file: File) => {
    reset();
    setReading(true);
    try {
      const content = await readRosterFile(file);
      setLoaded({ fileName: file.name, preview: preview(content) });
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setReading(false);
    }
  };
  const toWrite = loaded ? loaded.preview.rows.filter((r) => writable.includes(r.kind)) : [];
  const confirm = async () => {
    if (!loaded) return;
    setBusy(true);
    setRefused([]);
    try {
      setResult(await commit(toWrite));
      onDone();
    } catch (e) {
      const f = e instanceof AdminFailure ? e : new AdminFailure(String(e), 'ERROR');
      setProblem(f.message);
      setRefused(
        f.rows.map((r) => ({
          row: toWrite[r.index]?.row ?? 0,
          column: fieldLabel(r.field.split(/[.[]/)[0] ?? r.field),
          code: r.code,
          message: r.message,
        })),
      );
    } finally {
      setBusy(false);
    }
  };
  const download = async (name: string, table: SheetTable) => {
    const file = await saveWorkbook(await workbookBlob([{ name: what, table }]), datedName(name), name);
    if (file) Modal.info({ title: savedWhere(file) });
  };
  const errors = [...(loaded?.preview.errors ?? []), ...refused];
  const counts = Object.fromEntries(
    kinds.map((k) => [k.key, loaded?.preview.rows.filter((r) => r.kind === k.key).length ?? 0]),
  );

  return (
    <Modal
      open={open}
      title={title}
      width="min(1180px, 96vw)"
      onCancel={() => {
        reset();
        onClose();
      }}
      destroyOnHidden
      footer={
        <Space>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => download(`${what}模板`, template)}
            data-testid="sheet-template"
          >
            下载{what}模板
          </Button>
          {loaded && errors.length > 0 ? (
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                download(`${what}错误报告`, errorReportTable(asParsedSheet(loaded.preview.sheet), errors))
              }
              data-testid="sheet-error-report"
            >
              下载错误报告
            </Button>
          ) : null}
          <Button
            type="primary"
            disabled={!loaded || toWrite.length === 0 || result !== null}
            loading={busy}
            onClick={confirm}
            data-testid="sheet-confirm"
          >
            {toWrite.length > 0 ? `确认导入 ${toWrite.length} 行` : '没有可导入的行'}
          </Button>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
          >
            关闭
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="sheet-import">
        <Space>
          <Upload
            accept=".xlsx,.xls,.ods,.csv"
            showUploadList={false}
            beforeUpload={(f) => {
              void load(f);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={reading} data-testid="sheet-choose">
              选择{what}文件…
            </Button>
          </Upload>
          {loaded ? (
            <Typography.Text type="secondary" data-testid="sheet-file">
              {loaded.fileName}
              {loaded.preview.sheet.sheetName ? ` · 工作表“${loaded.preview.sheet.sheetName}”` : ''} ·
              表头在第 {loaded.preview.sheet.headerRow} 行 · 共 {loaded.preview.rows.length} 行
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary">
              支持 .xlsx、.xls、.ods 和 .csv；先预览，确认后才写入，全部成功或全部不写入
            </Typography.Text>
          )}
        </Space>
        {problem ? <Alert type="error" showIcon title={problem} data-testid="sheet-problem" /> : null}
        {result ? <Alert type="success" showIcon title={result} data-testid="sheet-result" /> : null}
        {loaded?.preview.sheet.notices.map((n) => (
          <Alert key={`${n.row}${n.code}`} type="info" showIcon title={n.message} />
        ))}
        {loaded?.preview.sheet.fileErrors
          .filter((e) => e.code !== 'COLUMN_MISSING')
          .map((e) => (
            <Alert key={`${e.column}${e.code}`} type="warning" showIcon title={e.message} />
          ))}
        {reading ? <Spin /> : null}
        {loaded ? (
          <>
            <Space size={6} data-testid="sheet-counts">
              {kinds.map((k) => (
                <Tag key={k.key} color={k.color}>
                  {k.label} {counts[k.key]}
                </Tag>
              ))}
            </Space>
            <Tabs
              size="small"
              items={[
                ...kinds.map((k) => ({
                  key: k.key,
                  label: `${k.label}（${counts[k.key]}）`,
                  children: (
                    <RowTable
                      rows={loaded.preview.rows.filter((r) => r.kind === k.key)}
                      columns={columns}
                      testId={`sheet-rows-${k.key}`}
                    />
                  ),
                })),
                {
                  key: 'errors',
                  label: `错误明细（${errors.length}）`,
                  children: <ErrorList errors={errors} />,
                },
              ]}
              defaultActiveKey={errors.length > 0 ? 'errors' : kinds[0]?.key}
            />
          </>
        ) : null}
      </Space>
    </Modal>
  );
}

function RowTable<R extends { row: number }>({
  rows,
  columns,
  testId,
}: {
  rows: R[];
  columns: { title: string; width?: number; render: (r: R) => ReactNode }[];
  testId: string;
}) {
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有这类行" />;
  return (
    <Table<R>
      size="small"
      rowKey="row"
      dataSource={rows}
      pagination={false}
      virtual={rows.length > 200}
      scroll={{ y: 320 }}
      data-testid={testId}
      columns={[
        { title: '行', dataIndex: 'row', width: 56 },
        ...columns.map((c, i) => ({
          key: i,
          title: c.title,
          width: c.width,
          render: (_: unknown, r: R) => c.render(r),
        })),
      ]}
    />
  );
}

function ErrorList({ errors }: { errors: ImportError[] }) {
  if (errors.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有错误" />;
  return (
    <Table<ImportError & { key: number }>
      size="small"
      rowKey="key"
      pagination={false}
      scroll={{ y: 320 }}
      dataSource={errors.map((e, key) => ({ ...e, key }))}
      data-testid="sheet-errors"
      columns={[
        { title: '行', dataIndex: 'row', width: 56 },
        { title: '列', dataIndex: 'column', width: 150 },
        { title: '原因', dataIndex: 'message' },
      ]}
    />
  );
}
