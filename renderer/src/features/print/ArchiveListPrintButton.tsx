// 打印档案目录 on the student page: the student's 学籍档案目录 from the student document and its archive
// checklist, rendered in the print worker and shown in the print preview.
import { PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import type { Student } from '../../../../shared/domain/student';
import { archiveListData, describeMissing } from '../../../../shared/forms/archive-list-data';
import { useSchool } from '../../app/school-context';
import { type PrintJob, PrintPreview } from './PrintPreview';
import { renderInWorker } from './print-client';

export const ARCHIVE_LIST_TITLE = '学籍档案目录';

export function ArchiveListPrintButton({ student }: { student: Student }) {
  const { school, settings } = useSchool();
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<PrintJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A result that arrives after the preview was closed and opened again belongs to the older request.
  const run = useRef(0);

  const start = () => {
    const current = ++run.current;
    setOpen(true);
    setJob(null);
    setError(null);
    const printedAt = dayjs().format('YYYY-MM-DD');
    const data = archiveListData(student, { name: school.name, schoolType: settings.schoolType }, printedAt);
    renderInWorker('archive-list', [data]).then(
      (result) =>
        current === run.current &&
        setJob({
          title: `${ARCHIVE_LIST_TITLE} · ${student.name}`,
          fileName: `${ARCHIVE_LIST_TITLE}-${student.name}-${student.statusNo || student.schoolNo || student.id}`,
          subFolder: ARCHIVE_LIST_TITLE,
          result,
          records: 1,
          missing: describeMissing(result.missing, [student]),
          log: {
            formId: 'archive-list',
            formTitle: ARCHIVE_LIST_TITLE,
            printedAt,
            records: [{ studentId: student.id, data }],
          },
        }),
      (e: unknown) =>
        current === run.current &&
        setError(
          `学生“${student.name}”的${ARCHIVE_LIST_TITLE}：${e instanceof Error ? e.message : String(e)}`,
        ),
    );
  };

  return (
    <>
      <Button icon={<PrinterOutlined />} onClick={start} data-testid="print-archive-list">
        打印档案目录
      </Button>
      {open ? (
        <PrintPreview
          open
          job={job}
          error={error}
          busyText={`正在生成“${student.name}”的${ARCHIVE_LIST_TITLE}…`}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}
