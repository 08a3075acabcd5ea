// 批量打印档案目录: the 学籍档案目录 of a whole class, a whole grade or the roster's current list, as one PDF.
// The batch renders in the print worker with a progress bar; 取消 stops it and nothing is produced.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Radio, Select, Space, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { drawerOrder } from '../../../../shared/archive/checklist';
import { ON_ROSTER_STATUSES } from '../../../../shared/domain/codes';
import { compareClasses, compareGrades } from '../../../../shared/domain/grades';
import type { Student } from '../../../../shared/domain/student';
import { archiveListData, describeMissing } from '../../../../shared/forms/archive-list-data';
import { useSchool } from '../../app/school-context';
import { ARCHIVE_LIST_TITLE } from './ArchiveListPrintButton';
import { type PrintJob, PrintPreview } from './PrintPreview';
import { PrintCancelled, PrintDataError, renderInWorker } from './print-client';

type Scope = 'current' | 'class' | 'grade';

type Phase =
  | { kind: 'choose'; notice?: { type: 'info' | 'error'; text: string } }
  | { kind: 'running'; done: number; total: number; cancelling: boolean }
  | { kind: 'preview'; job: PrintJob };

/** Which student a batch path like "[12].student.idNo" points at. */
const recordIndex = (field: string) => {
  const m = /^\[(\d+)\]/.exec(field);
  return m ? Number(m[1]) : -1;
};

/** grade → class → number of students */
function groupsOf(students: readonly Student[]): Map<string, Map<string, number>> {
  const byGrade = new Map<string, Map<string, number>>();
  for (const s of students) {
    const classes = byGrade.get(s.grade) ?? new Map<string, number>();
    classes.set(s.classId, (classes.get(s.classId) ?? 0) + 1);
    byGrade.set(s.grade, classes);
  }
  return byGrade;
}

export function BatchPrintButton({
  students,
  version,
  current,
  currentLabel,
  defaultGrade,
  defaultClassId,
  size,
  label = '批量打印档案目录',
  currentTitle = '花名册当前列表',
  iconOnly = false,
}: {
  /** every student of the school (the roster store's map) */
  students: ReadonlyMap<string, Student>;
  /** changes when the roster changes (the map itself is mutated in place) */
  version: number;
  /** the roster's current list (search and filters applied) */
  current: readonly Student[];
  /** how the current list was chosen, e.g. "2025级 · 数控技术应用1班" */
  currentLabel: string;
  defaultGrade?: string;
  defaultClassId?: string;
  size?: 'small' | 'middle';
  /** the button's text */
  label?: string;
  /** what the current list is called in the dialog */
  currentTitle?: string;
  /** a compact icon button (the roster toolbar); the label moves to its tooltip */
  iconOnly?: boolean;
}) {
  const { school, settings } = useSchool();
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<Scope>('class');
  const [grade, setGrade] = useState<string | undefined>();
  const [classId, setClassId] = useState<string | undefined>();
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const controller = useRef<AbortController | null>(null);

  // Classes and grades count the students on the roster (在校, 休学): their folders are in the drawers.
  // Worked out only while the dialog is open: the roster re-renders on every keystroke of a search.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` signals a changed roster
  const onRoster = useMemo(
    () => (open ? [...students.values()].filter((s) => ON_ROSTER_STATUSES.includes(s.status)) : []),
    [open, students, version],
  );
  const facets = useMemo(() => groupsOf(onRoster), [onRoster]);
  const grades = [...facets.keys()].sort(compareGrades);
  const gradeSize = (g: string) => [...(facets.get(g)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const classes = grade ? [...(facets.get(grade)?.keys() ?? [])].sort(compareClasses) : [];

  const chosen = useMemo((): { list: Student[]; label: string } => {
    if (scope === 'current') return { list: drawerOrder(current), label: currentLabel };
    if (!grade) return { list: [], label: '' };
    if (scope === 'grade')
      return { list: drawerOrder(onRoster.filter((s) => s.grade === grade)), label: grade };
    if (!classId) return { list: [], label: '' };
    return {
      list: drawerOrder(onRoster.filter((s) => s.grade === grade && s.classId === classId)),
      label: `${grade} ${classId}`,
    };
  }, [scope, grade, classId, current, currentLabel, onRoster]);

  const show = () => {
    const groups = groupsOf([...students.values()].filter((s) => ON_ROSTER_STATUSES.includes(s.status)));
    const g =
      defaultGrade && groups.has(defaultGrade) ? defaultGrade : [...groups.keys()].sort(compareGrades)[0];
    const c =
      g && defaultClassId && groups.get(g)?.has(defaultClassId)
        ? defaultClassId
        : [...(groups.get(g ?? '')?.keys() ?? [])].sort(compareClasses)[0];
    setGrade(g);
    setClassId(c);
    setScope(defaultClassId ? 'class' : defaultGrade ? 'grade' : 'class');
    setPhase({ kind: 'choose' });
    setOpen(true);
  };

  const start = async () => {
    const { list, label } = chosen;
    if (list.length === 0) return;
    const abort = new AbortController();
    controller.current = abort;
    setPhase({ kind: 'running', done: 0, total: list.length, cancelling: false });
    const printedAt = dayjs().format('YYYY-MM-DD');
    const info = { name: school.name, schoolType: settings.schoolType };
    const records = list.map((s) => archiveListData(s, info, printedAt));
    try {
      const result = await renderInWorker('archive-list', records, {
        signal: abort.signal,
        onProgress: (done, total) => setPhase((p) => (p.kind === 'running' ? { ...p, done, total } : p)),
      });
      setPhase({
        kind: 'preview',
        job: {
          title: `${ARCHIVE_LIST_TITLE} · ${label}（${list.length} 份）`,
          fileName: `${ARCHIVE_LIST_TITLE}-${label.replace(/\s+/g, '-')}-${list.length}份`,
          subFolder: ARCHIVE_LIST_TITLE,
          result,
          records: list.length,
          missing: describeMissing(result.missing, list),
          log: {
            formId: 'archive-list',
            formTitle: ARCHIVE_LIST_TITLE,
            printedAt,
            records: list.map((s, i) => ({ studentId: s.id, data: records[i] })),
          },
        },
      });
    } catch (e) {
      if (e instanceof PrintCancelled)
        setPhase({ kind: 'choose', notice: { type: 'info', text: '已取消批量打印，没有生成任何文件。' } });
      else {
        const s = e instanceof PrintDataError ? list[recordIndex(e.field)] : undefined;
        const text = `${s ? `学生“${s.name}”（${s.grade} ${s.classId}）：` : ''}${e instanceof Error ? e.message : String(e)}`;
        setPhase({ kind: 'choose', notice: { type: 'error', text: `无法生成 PDF。${text}` } });
      }
    } finally {
      controller.current = null;
    }
  };

  const cancel = () => {
    controller.current?.abort();
    setPhase((p) => (p.kind === 'running' ? { ...p, cancelling: true } : p));
  };

  const close = () => {
    controller.current?.abort();
    setOpen(false);
  };

  if (phase.kind === 'preview' && open)
    return (
      <>
        <BatchButton onClick={show} size={size} label={label} iconOnly={iconOnly} />
        <PrintPreview open job={phase.job} onClose={close} />
      </>
    );

  const running = phase.kind === 'running' ? phase : null;
  const percent = running ? Math.floor((running.done / Math.max(1, running.total)) * 100) : 0;

  return (
    <>
      <BatchButton onClick={show} size={size} label={label} iconOnly={iconOnly} />
      <Modal
        open={open}
        title="批量打印学籍档案目录"
        width={520}
        mask={{ closable: false }}
        closable={!running}
        keyboard={!running}
        onCancel={close}
        destroyOnHidden
        footer={
          running ? (
            <Button danger onClick={cancel} loading={running.cancelling} data-testid="batch-cancel">
              {running.cancelling ? '正在取消…' : '取消'}
            </Button>
          ) : (
            <Space>
              <Button onClick={close}>关闭</Button>
              <Button
                type="primary"
                icon={<PrinterOutlined />}
                disabled={chosen.list.length === 0}
                onClick={start}
                data-testid="batch-start"
              >
                生成 {chosen.list.length.toLocaleString('zh-CN')} 份
              </Button>
            </Space>
          )
        }
      >
        {running ? (
          <div className="xj-batch-progress" data-testid="batch-progress">
            <Typography.Text>
              正在生成“{chosen.label}”的学籍档案目录：已完成{' '}
              <b data-testid="batch-done">{running.done.toLocaleString('zh-CN')}</b> /{' '}
              {running.total.toLocaleString('zh-CN')} 份
            </Typography.Text>
            <Progress className="xj-live-progress" percent={percent} status="active" />
            <Typography.Text type="secondary">
              {running.done === 0
                ? '正在准备字体和数据…'
                : '正在后台生成，请等待完成后在预览中打印或保存；点“取消”可随时停止，不会生成文件。'}
            </Typography.Text>
          </div>
        ) : (
          <Space direction="vertical" size={10} style={{ width: '100%' }}>
            {phase.kind === 'choose' && phase.notice ? (
              <Alert type={phase.notice.type} showIcon title={phase.notice.text} data-testid="batch-notice" />
            ) : null}
            <Radio.Group
              className="xj-batch-scope"
              value={scope}
              onChange={(e) => setScope(e.target.value as Scope)}
              data-testid="batch-scope"
            >
              <Radio value="class">
                <Space>
                  整个班级
                  <Select
                    size="small"
                    aria-label="年级"
                    style={{ width: 100 }}
                    value={grade}
                    options={grades.map((g) => ({ value: g, label: g }))}
                    onChange={(g: string) => {
                      setGrade(g);
                      setClassId([...(facets.get(g)?.keys() ?? [])].sort(compareClasses)[0]);
                      setScope('class');
                    }}
                  />
                  <Select
                    size="small"
                    aria-label="班级"
                    data-testid="batch-class"
                    style={{ width: 170 }}
                    value={classId}
                    showSearch
                    options={classes.map((c) => ({
                      value: c,
                      label: `${c}（${facets.get(grade ?? '')?.get(c)} 人）`,
                    }))}
                    onChange={(c: string) => {
                      setClassId(c);
                      setScope('class');
                    }}
                  />
                </Space>
              </Radio>
              <Radio value="grade">
                整个年级：{grade ?? '—'}（{grade ? gradeSize(grade).toLocaleString('zh-CN') : 0} 人）
              </Radio>
              <Radio value="current" disabled={current.length === 0}>
                {currentTitle}：{currentLabel}（{current.length.toLocaleString('zh-CN')} 人）
              </Radio>
            </Radio.Group>
            <Typography.Text type="secondary">
              每名学生一份，按年级、班级、校内学号排序，合成一个 PDF；班级和年级只含在校、休学学生。
            </Typography.Text>
          </Space>
        )}
      </Modal>
    </>
  );
}

function BatchButton({
  onClick,
  size,
  label,
  iconOnly,
}: {
  onClick: () => void;
  size?: 'small' | 'middle';
  label: string;
  iconOnly?: boolean;
}) {
  if (iconOnly)
    return (
      <Tooltip title={`${label}：整个班级、整个年级或当前列表，合成一个 PDF`}>
        <Button
          icon={<PrinterOutlined />}
          onClick={onClick}
          size={size}
          data-testid="batch-print"
          aria-label={label}
        />
      </Tooltip>
    );
  return (
    <Button
      icon={<PrinterOutlined />}
      onClick={onClick}
      size={size}
      data-testid="batch-print"
      title="批量打印学籍档案目录：整个班级、整个年级或当前列表"
    >
      {label}
    </Button>
  );
}
