// The yearly check with families (issue 12): a pre-filled 学生基本信息确认表 for each student of a class, one
// PDF (batch, like the archive lists), for families to check, correct and sign. Corrections of key fields
// come back as 信息变更 requests from the student page.
import { PrinterOutlined } from '@ant-design/icons';
import { Button, Modal, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { compareClasses } from '../../../../shared/domain/grades';
import type { Student } from '../../../../shared/domain/student';
import { infoConfirmData } from '../../../../shared/forms/info-confirm-data';
import { useSchool } from '../../app/school-context';
import { useKeyFields } from '../../db/key-fields';
import { type PrintJob, PrintPreview } from '../print/PrintPreview';
import { renderInWorker } from '../print/print-client';

const TITLE = '学生基本信息确认表';

export function InfoConfirmPrintButton() {
  const { db, school, settings } = useSchool();
  const keyFields = useKeyFields(db);
  const [choosing, setChoosing] = useState(false);
  const [classes, setClasses] = useState<Map<string, Student[]>>(new Map());
  const [classId, setClassId] = useState<string | undefined>();
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<PrintJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!choosing) return;
    const sub = db.students
      .find({ selector: { status: { $in: ['enrolled', 'suspended'] } } })
      .$.subscribe((docs) => {
        const m = new Map<string, Student[]>();
        for (const d of docs) {
          const s = d.toMutableJSON() as Student;
          m.set(s.classId, [...(m.get(s.classId) ?? []), s]);
        }
        setClasses(m);
      });
    return () => sub.unsubscribe();
  }, [db, choosing]);

  const print = () => {
    const students = [...(classes.get(classId ?? '') ?? [])].sort((a, b) =>
      (a.schoolNo ?? a.name).localeCompare(b.schoolNo ?? b.name, 'zh'),
    );
    if (students.length === 0) return;
    setChoosing(false);
    setOpen(true);
    setJob(null);
    setError(null);
    const printedAt = dayjs().format('YYYY-MM-DD');
    const year = `${dayjs().year()}年度`;
    const records = students.map((s) =>
      infoConfirmData(
        s,
        { name: school.name, schoolType: settings.schoolType },
        { year, printedAt, keyFields },
      ),
    );
    renderInWorker('info-confirm', records).then(
      (result) =>
        setJob({
          title: `${TITLE} · ${classId}`,
          fileName: `${TITLE}-${classId}-${year}`,
          subFolder: TITLE,
          result,
          records: records.length,
          missing: result.missing.map((m) => ({
            char: m.char,
            codePoint: m.codePoint,
            places: [`${classId}的${TITLE}`],
          })),
          log: {
            formId: 'info-confirm',
            formTitle: TITLE,
            printedAt,
            records: records.map((data, i) => ({ studentId: students[i]?.id ?? '', data })),
          },
        }),
      (e: unknown) => setError(`${TITLE}（${classId}）：${e instanceof Error ? e.message : String(e)}`),
    );
  };

  return (
    <>
      <Button icon={<PrinterOutlined />} onClick={() => setChoosing(true)} data-testid="info-confirm-print">
        打印信息确认表
      </Button>
      <Modal
        open={choosing}
        title={`打印${TITLE}（每年与家长核对一次）`}
        okText="生成 PDF"
        cancelText="取消"
        okButtonProps={{ disabled: !classId }}
        onOk={print}
        onCancel={() => setChoosing(false)}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <span>
            每名学生一页，预先填好学籍记录中的信息，请家长核对、更正并签字；关键字段（★）的更正在学生页以“信息变更”提交。
          </span>
          <Select
            style={{ width: '100%' }}
            placeholder="选择班级"
            value={classId}
            onChange={setClassId}
            data-testid="info-confirm-print-class"
            options={[...classes.keys()].sort(compareClasses).map((c) => ({
              value: c,
              label: `${c}（${classes.get(c)?.length ?? 0} 人）`,
            }))}
          />
        </Space>
      </Modal>
      {open ? (
        <PrintPreview
          open
          job={job}
          error={error}
          busyText={`正在生成${TITLE}…`}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}
