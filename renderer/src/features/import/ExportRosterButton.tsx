// "导出花名册" on the roster toolbar (issue 3: export of the whole roster or of the current filter): the
// students shown, in the national template, in the order shown.
import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Tooltip } from 'antd';
import { useState } from 'react';
import type { Student } from '../../../../shared/domain/student';
import { datedName, exportRosterBlob, FILE_MESSAGE_KEY, savedWhere, saveWorkbook } from './files';

export function ExportRosterButton({
  students,
  filtered,
  fileLabel,
  iconOnly = false,
}: {
  students: readonly Student[];
  /** true when a search or filter narrows the roster */
  filtered: boolean;
  /** file name prefix, e.g. the class or grade filtered on */
  fileLabel?: string;
  /** a compact icon button (the roster toolbar); the label moves to its tooltip */
  iconOnly?: boolean;
}) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const blob = await exportRosterBlob(students);
      const saved = await saveWorkbook(
        blob,
        datedName(fileLabel || (filtered ? '花名册_筛选' : '花名册')),
        '导出花名册',
      );
      if (saved)
        message.success({
          key: FILE_MESSAGE_KEY,
          content: `已导出 ${students.length} 名学生（全国花名册模板）：${savedWhere(saved)}`,
          duration: 6,
        });
      else message.info({ key: FILE_MESSAGE_KEY, content: '已取消导出' });
    } catch (error) {
      message.error({
        key: FILE_MESSAGE_KEY,
        content: `导出失败：${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      setBusy(false);
    }
  };
  const label = filtered ? '导出当前筛选' : '导出花名册';
  const hint = '按全国花名册模板导出表格中当前列出的学生';
  if (iconOnly)
    return (
      <Tooltip title={`${label}：${hint}（${students.length} 人）`}>
        <Button
          icon={<DownloadOutlined />}
          loading={busy}
          disabled={students.length === 0}
          onClick={run}
          data-testid="roster-export"
          aria-label={label}
        />
      </Tooltip>
    );
  return (
    <Button
      icon={<DownloadOutlined />}
      loading={busy}
      disabled={students.length === 0}
      onClick={run}
      data-testid="roster-export"
      title={hint}
    >
      {label}
    </Button>
  );
}
