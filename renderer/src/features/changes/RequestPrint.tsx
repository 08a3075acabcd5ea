// 打印审批表: a request's 学籍异动审批表 (one opinion and seal cell per step — four for a transfer; one page
// per student of a class's request) or 学生基本信息变更申请表, from the request itself, with the record's
// QR and content hash, through the print worker and the print preview (every print is logged).
import { PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import {
  type ChangeRequestDoc,
  FORM_TITLES,
  formOf,
  infoChangeFormData,
  requestSubjectName,
  statusChangeFormData,
} from '../../../../shared/workflows';
import { useSchool } from '../../app/school-context';
import { useDesk } from '../../app/session';
import { type PrintJob, PrintPreview } from '../print/PrintPreview';
import { renderInWorker } from '../print/print-client';
import { useRequests } from './use-changes';

export function RequestPrintButton({ req }: { req: ChangeRequestDoc }) {
  const { school } = useSchool();
  const { db } = useDesk();
  const requests = useRequests(db) ?? [];
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<PrintJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useRef(0);
  const form = formOf(req);
  const title = FORM_TITLES[form.id];

  const start = () => {
    const current = ++run.current;
    setOpen(true);
    setJob(null);
    setError(null);
    const printedAt = dayjs().format('YYYY-MM-DD');
    const opts = { schoolName: req.route[0]?.orgName || school.name, printedAt };
    const records: unknown[] =
      form.id === 'info-change'
        ? [infoChangeFormData(req, opts)]
        : statusChangeFormData(req, { ...opts, requests });
    renderInWorker(form.id, records).then(
      (result) =>
        current === run.current &&
        setJob({
          title: `${title} · ${requestSubjectName(req)}`,
          fileName: `${title}-${requestSubjectName(req)}-${req.id}`,
          subFolder: title,
          result,
          records: records.length,
          missing: result.missing.map((m) => ({
            char: m.char,
            codePoint: m.codePoint,
            places: [`${requestSubjectName(req)}的${title}`],
          })),
          log: {
            formId: form.id,
            formTitle: title,
            printedAt,
            records: records.map((data, i) => ({
              studentId: req.studentIds[i] ?? req.studentIds[0] ?? '',
              data,
            })),
          },
        }),
      (e: unknown) =>
        current === run.current &&
        setError(`${title}（${requestSubjectName(req)}）：${e instanceof Error ? e.message : String(e)}`),
    );
  };

  return (
    <>
      <Button icon={<PrinterOutlined />} onClick={start} data-testid="request-print">
        打印{title}
      </Button>
      {open ? (
        <PrintPreview
          open
          job={job}
          error={error}
          busyText={`正在生成${title}…`}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}
