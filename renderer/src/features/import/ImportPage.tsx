// 导入花名册 / 导出花名册 (issue 3): choose a file, see the preview (new / changed / needs the workflow /
// unchanged / errors) before anything is written, confirm with a progress bar, download the error
// report. Export writes the same template for the whole roster or a filter.
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Modal,
  Progress,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { memo, useMemo, useRef, useState } from 'react';
import { ON_ROSTER_STATUSES, STUDENT_STATUSES } from '../../../../shared/domain/codes';
import { compareClasses, compareGradeClass, compareGrades } from '../../../../shared/domain/grades';
import type { Student } from '../../../../shared/domain/student';
import { TEMPLATE_COLUMNS } from '../../../../shared/domain/template';
import { describeError, parseRosterFile } from '../../../../shared/import/parse';
import {
  buildPreview,
  type FieldChange,
  type ImportPreview,
  PREVIEW_KIND_LABELS,
  type PreviewKind,
  type PreviewRow,
  writableCount,
} from '../../../../shared/import/preview';
import { formatLabel, UnreadableFileError } from '../../../../shared/import/read';
import type { ImportError } from '../../../../shared/import/types';
import { newStudentScope, useAuthUser, useCan } from '../../app/authority';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import type { ImportProgress } from '../../db/commands/import';
import { useKeyFields } from '../../db/key-fields';
import { rosterStore, useRoster } from '../roster/roster-store';
import {
  datedName,
  errorReportBlob,
  exportRosterBlob,
  FILE_MESSAGE_KEY,
  readRosterFile,
  savedWhere,
  saveWorkbook,
} from './files';
import './import.css';
import { RuleRefs } from '../rules/RuleRef';

type Loaded = { fileName: string; preview: ImportPreview; readMs: number };

/** The bar's fill, 0–100: whole percent, never 100 before the last document is written. */
function progressPercent(p: ImportProgress): number {
  if (p.total === 0) return 100;
  return p.done >= p.total ? 100 : Math.min(99, Math.floor((p.done / p.total) * 100));
}
type Outcome = { inserted: number; updated: number; events: number; ms: number; fileName: string };

const KIND_COLORS: Record<PreviewKind, string> = {
  new: 'green',
  changed: 'blue',
  needsWorkflow: 'orange',
  unchanged: 'default',
  invalid: 'red',
};

/** The registrar's calendar day: birth dates are checked against it. */
function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

async function currentStudents(db: ReturnType<typeof useSchool>['db']): Promise<Student[]> {
  const store = rosterStore(db);
  if (store.loaded) return [...store.students.values()];
  return (await db.students.find().exec()).map((d) => d.toMutableJSON() as Student);
}

function ChangeList({ changes }: { changes: FieldChange[] }) {
  return (
    <span className="xj-changes">
      {changes.map((c) => (
        <span key={c.field} className={c.key ? 'xj-change xj-change-key' : 'xj-change'}>
          {c.key ? '★' : ''}
          {c.label}：<s>{c.before || '（空）'}</s> → {c.after}
        </span>
      ))}
    </span>
  );
}

function rowName(r: PreviewRow): string {
  return r.kind === 'invalid' ? '' : r.record.name;
}

function PreviewTable({ rows, kind }: { rows: PreviewRow[]; kind: PreviewKind }) {
  const data = rows.filter((r) => r.kind === kind);
  if (data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有这类行" />;
  return (
    <Table<PreviewRow>
      size="small"
      virtual={data.length > 200}
      scroll={{ y: 340 }}
      pagination={false}
      rowKey="row"
      dataSource={data}
      data-testid={`preview-${kind}`}
      columns={[
        { title: '行', dataIndex: 'row', width: 64 },
        { title: '姓名', width: 96, render: (_, r) => rowName(r) },
        {
          title: '身份证件号',
          width: 180,
          render: (_, r) => (r.kind === 'invalid' ? '' : r.record.idNo),
        },
        {
          title: '年级 / 班级',
          width: 170,
          render: (_, r) => (r.kind === 'invalid' ? '' : `${r.record.grade} ${r.record.classId}`),
        },
        {
          title:
            kind === 'needsWorkflow'
              ? '差异（★ 关键字段不会被导入覆盖，需走变更流程；其余照常更新）'
              : '变更内容',
          render: (_, r) =>
            r.kind === 'changed' || r.kind === 'needsWorkflow' ? <ChangeList changes={r.changes} /> : null,
        },
      ]}
    />
  );
}

function ErrorTable({ errors }: { errors: ImportError[] }) {
  if (errors.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有错误" />;
  return (
    <Table<ImportError & { key: number }>
      size="small"
      virtual={errors.length > 200}
      scroll={{ y: 340 }}
      pagination={false}
      data-testid="preview-errors"
      dataSource={errors.map((e, i) => ({ ...e, key: i }))}
      // the error's code is for tests and the error report's readers, not shown on screen
      onRow={(e) => ({ 'data-code': e.code }) as React.HTMLAttributes<HTMLTableRowElement>}
      columns={[
        { title: '行', dataIndex: 'row', width: 64 },
        { title: '列', dataIndex: 'column', width: 120 },
        {
          title: '原因',
          dataIndex: 'message',
          render: (m: string) => (
            <>
              <span className="xj-error-text">{m}</span>
              <RuleRefs text={m} />
            </>
          ),
        },
      ]}
    />
  );
}

// memo: the import page re-renders on every progress step; this card depends on the roster only.
const ExportCard = memo(function ExportCard() {
  const { db } = useSchool();
  const { message } = AntApp.useApp();
  const [grade, setGrade] = useState<string>('');
  const [classId, setClassId] = useState<string>('');
  const [scope, setScope] = useState<'onRoster' | 'all'>('onRoster');
  const [busy, setBusy] = useState(false);
  // the last export stays written under the buttons (a toast is easy to miss)
  const [done, setDone] = useState<string | null>(null);
  const { store, version } = useRoster(db);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the store's change counter
  const students = useMemo(() => [...store.students.values()], [store, version]);
  const grades = useMemo(() => [...new Set(students.map((s) => s.grade))].sort(compareGrades), [students]);
  const classes = useMemo(
    () =>
      [...new Set(students.filter((s) => !grade || s.grade === grade).map((s) => s.classId))].sort(
        compareClasses,
      ),
    [students, grade],
  );
  const selected = useMemo(
    () =>
      students.filter(
        (s) =>
          (scope === 'all' || ON_ROSTER_STATUSES.includes(s.status)) &&
          (!grade || s.grade === grade) &&
          (!classId || s.classId === classId),
      ),
    [students, scope, grade, classId],
  );
  const run = async () => {
    setBusy(true);
    try {
      const sorted = [...selected].sort(
        (a, b) => compareGradeClass(a, b) || (a.schoolNo ?? '').localeCompare(b.schoolNo ?? ''),
      );
      const blob = await exportRosterBlob(sorted);
      const saved = await saveWorkbook(blob, datedName(classId || grade || '花名册'), '导出花名册');
      if (saved) {
        const text = `已导出 ${sorted.length} 名学生：${savedWhere(saved)}`;
        setDone(text);
        message.success({ key: FILE_MESSAGE_KEY, content: text, duration: 6 });
      } else message.info({ key: FILE_MESSAGE_KEY, content: '已取消导出' });
    } catch (error) {
      message.error({
        key: FILE_MESSAGE_KEY,
        content: `导出失败：${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title="导出花名册（全国模板）" className="xj-card">
      <Space wrap>
        <Select
          value={scope}
          onChange={setScope}
          style={{ width: 130 }}
          options={[
            { value: 'onRoster', label: `${STUDENT_STATUSES.enrolled}和${STUDENT_STATUSES.suspended}` },
            { value: 'all', label: '全部学籍状态' },
          ]}
        />
        <Select
          value={grade}
          onChange={(v) => {
            setGrade(v);
            setClassId('');
          }}
          style={{ width: 120 }}
          options={[{ value: '', label: '全部年级' }, ...grades.map((g) => ({ value: g, label: g }))]}
        />
        <Select
          value={classId}
          onChange={setClassId}
          style={{ width: 150 }}
          showSearch
          options={[{ value: '', label: '全部班级' }, ...classes.map((c) => ({ value: c, label: c }))]}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={busy}
          onClick={run}
          disabled={selected.length === 0}
          data-testid="export-roster"
        >
          导出 {selected.length} 名学生
        </Button>
      </Space>
      {done ? (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 8 }}
          title={done}
          data-testid="export-done"
          closable={{ onClose: () => setDone(null) }}
        />
      ) : null}
    </Card>
  );
});

export function ImportPage() {
  const { db, settings, school } = useSchool();
  const { message, modal } = AntApp.useApp();
  const keyFields = useKeyFields(db);
  // The authority table: importing creates students, which only the school's registrar may do.
  const importing = useCan()('students', 'create', newStudentScope(useAuthUser(), school.path));
  const input = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [tab, setTab] = useState<string>('errors');

  const choose = async (file: File) => {
    setFailure(null);
    setOutcome(null);
    setLoaded(null);
    setReading(file.name);
    const started = performance.now();
    try {
      const read = await readRosterFile(file);
      const today = localToday();
      const sheet = parseRosterFile(read, { today });
      const preview = buildPreview(sheet, await currentStudents(db), {
        schoolId: settings.schoolId,
        keyFields: keyFields as never,
        today,
      });
      setLoaded({ fileName: file.name, preview, readMs: Math.round(performance.now() - started) });
      setTab(preview.errors.length > 0 ? 'errors' : preview.counts.new > 0 ? 'new' : 'changed');
    } catch (error) {
      setFailure(error instanceof UnreadableFileError ? error.message : `无法读取文件：${String(error)}`);
    } finally {
      setReading(null);
      if (input.current) input.current.value = '';
    }
  };

  const confirm = async () => {
    if (!loaded) return;
    const students = writableCount(loaded.preview);
    setProgress({
      students: { done: 0, total: students },
      events: { done: 0, total: students },
      done: 0,
      total: 2 * students,
      stage: '写入学生和历史记录',
    });
    try {
      const r = await send('roster-import', {
        preview: loaded.preview,
        fileName: loaded.fileName,
        onProgress: setProgress,
      });
      if (!r.ok) {
        modal.error({ title: '导入未完成', content: r.errors.map((e) => e.message).join('；') });
        return;
      }
      setOutcome({
        inserted: r.inserted,
        updated: r.updated,
        events: r.events,
        ms: r.ms,
        fileName: loaded.fileName,
      });
      setLoaded(null);
    } finally {
      setProgress(null);
    }
  };

  const cancel = () => {
    setLoaded(null);
    message.info({ key: FILE_MESSAGE_KEY, content: '已取消，本次导入没有写入任何数据' });
  };

  const preview = loaded?.preview;
  const writable = preview ? writableCount(preview) : 0;
  const counts = preview?.counts;
  const tabs = useMemo(() => {
    if (!preview || !counts) return [];
    const kinds: PreviewKind[] = ['new', 'changed', 'needsWorkflow', 'unchanged'];
    return [
      {
        key: 'errors',
        label: `错误（${preview.errors.length} 条，${counts.invalid} 行）`,
        children: <ErrorTable errors={preview.errors} />,
      },
      ...kinds.map((k) => ({
        key: k,
        label: `${PREVIEW_KIND_LABELS[k]}（${counts[k]}）`,
        children: <PreviewTable rows={preview.rows} kind={k} />,
      })),
    ];
  }, [preview, counts]);

  return (
    <div className="xj-import" data-testid="import-page">
      <Card
        size="small"
        className="xj-card"
        title="导入花名册"
        extra={
          <Typography.Text type="secondary">
            支持 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK）；表头用全国花名册模板的列名，顺序不限
          </Typography.Text>
        }
      >
        <Space wrap>
          <input
            ref={input}
            type="file"
            accept=".xlsx,.xls,.ods,.csv"
            style={{ display: 'none' }}
            data-testid="import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void choose(f);
            }}
          />
          <Button
            type="primary"
            icon={<UploadOutlined />}
            onClick={() => input.current?.click()}
            disabled={!importing.allow || reading !== null || progress !== null}
          >
            选择花名册文件…
          </Button>
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              exportRosterBlob([])
                .then((blob) => saveWorkbook(blob, '花名册导入模板.xlsx', '保存空白模板'))
                .catch((e: unknown) =>
                  message.error(`保存失败：${e instanceof Error ? e.message : String(e)}`),
                )
            }
          >
            下载空白模板
          </Button>
          <Typography.Text type="secondary">
            必填列：
            {TEMPLATE_COLUMNS.filter((c) => c.required)
              .map((c) => c.header)
              .join('、')}
          </Typography.Text>
        </Space>
        {importing.allow ? null : (
          <Alert type="info" showIcon style={{ marginTop: 8 }} title={importing.reason} />
        )}
        {reading ? (
          <div className="xj-import-reading">
            <Spin /> 正在读取并校验“{reading}”…
          </div>
        ) : null}
        {failure ? (
          <Alert type="error" showIcon title="无法读取文件" description={failure} style={{ marginTop: 8 }} />
        ) : null}
        {outcome ? (
          <Alert
            type="success"
            showIcon
            data-testid="import-done"
            style={{ marginTop: 8 }}
            title={`“${outcome.fileName}”已导入：新增 ${outcome.inserted} 名，更新 ${outcome.updated} 名，记录历史 ${outcome.events} 条（用时 ${(outcome.ms / 1000).toFixed(1)} 秒）`}
          />
        ) : null}
      </Card>

      {preview && counts && loaded ? (
        <Card
          size="small"
          className="xj-card xj-import-preview"
          data-testid="import-preview"
          title={`预览：${loaded.fileName}`}
          extra={
            <Typography.Text type="secondary">
              {formatLabel(preview.sheet.encoding ?? '')}
              {preview.sheet.sheetName ? `，工作表“${preview.sheet.sheetName}”` : ''} · 数据行{' '}
              {preview.sheet.rows.length} · 读取校验用时 {(loaded.readMs / 1000).toFixed(1)} 秒 ·
              尚未写入任何数据
            </Typography.Text>
          }
        >
          <Space wrap size={6} className="xj-import-counts" data-testid="preview-counts">
            {(Object.keys(PREVIEW_KIND_LABELS) as PreviewKind[]).map((k) => (
              <Tag key={k} color={KIND_COLORS[k]} data-kind={k} data-count={counts[k]}>
                {PREVIEW_KIND_LABELS[k]} {counts[k]}
              </Tag>
            ))}
          </Space>
          {preview.sheet.notices.length > 0 ? (
            <Alert
              type="info"
              showIcon
              style={{ margin: '8px 0' }}
              data-testid="import-notices"
              title="读取说明"
              description={preview.sheet.notices.map((n) => <div key={`${n.code}${n.row}`}>{n.message}</div>)}
            />
          ) : null}
          {preview.sheet.fileErrors.length > 0 ? (
            <Alert
              type={preview.sheet.blocked ? 'error' : 'warning'}
              showIcon
              style={{ margin: '8px 0' }}
              title={preview.sheet.blocked ? '文件缺少必填列，不能导入' : '文件表头有问题'}
              description={preview.sheet.fileErrors.map((e) => (
                <div key={`${e.code}${e.column}`}>{describeError(e)}</div>
              ))}
            />
          ) : null}
          {counts.needsWorkflow > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ margin: '8px 0' }}
              title={`${counts.needsWorkflow} 名已在册学生的关键字段（★）与文件不同：导入不会覆盖关键字段，需走变更流程；这些行的其他字段照常更新`}
            />
          ) : null}
          <Tabs size="small" activeKey={tab} onChange={setTab} items={tabs} />
          <div className="xj-import-actions">
            <Space>
              <Button type="primary" onClick={confirm} disabled={writable === 0} data-testid="import-confirm">
                确认导入 {writable} 行
              </Button>
              <Button onClick={cancel} data-testid="import-cancel">
                取消
              </Button>
              <Button
                icon={<DownloadOutlined />}
                disabled={counts.invalid === 0 && preview.sheet.fileErrors.length === 0}
                onClick={() =>
                  errorReportBlob(preview)
                    .then((blob) =>
                      saveWorkbook(
                        blob,
                        `错误报告_${loaded.fileName.replace(/\.(xlsx|xls|ods|csv)$/i, '')}.xlsx`,
                        '保存错误报告',
                      ),
                    )
                    .catch((e: unknown) =>
                      message.error(`保存失败：${e instanceof Error ? e.message : String(e)}`),
                    )
                }
                data-testid="import-error-report"
              >
                下载错误报告
              </Button>
            </Space>
            <Typography.Text type="secondary">
              有错误的行不会导入；空白单元格不会清除已有信息。确认后一次写入，中途关闭窗口会自动撤回。
            </Typography.Text>
          </div>
        </Card>
      ) : null}

      <ExportCard />

      <Modal
        open={progress !== null}
        closable={false}
        footer={null}
        title="正在导入花名册"
        mask={{ closable: false }}
      >
        {progress ? (
          <div data-testid="import-progress">
            <Progress className="xj-live-progress" percent={progressPercent(progress)} status="active" />
            <Typography.Text type="secondary">
              {progress.stage === '完成' ? '已写入' : '正在写入'}：学生 {progress.students.done} /{' '}
              {progress.students.total} 名，历史记录 {progress.events.done} / {progress.events.total}{' '}
              条。请勿关闭窗口；如被中断，下次打开时会自动撤回本次导入。
            </Typography.Text>
          </div>
        ) : null}
      </Modal>
    </div>
  );
}
