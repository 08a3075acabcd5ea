// 纸质档案 (issue 3): the school-wide view — completeness by class, the missing-parts list — and the
// drawer screen for going through thousands of folders with the keyboard alone:
//   ↑/↓ (or j/k) move · 1–7 toggle a part · Enter: all present, checked, next folder ·
//   / jump by 学号 or name · PageUp/PageDown · Home/End.
// Every mark is the `archive-mark` command, which records who and when and an event (R-WHO).
import { PaperClipOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Input,
  type InputRef,
  Segmented,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import {
  ARCHIVE_STATE_LABELS,
  ArchiveTally,
  type ClassCompleteness,
  checklistOf,
  drawerOrder,
  jumpTo,
  lastCheckedAt,
  type MissingPart,
  missingPartsList,
} from '../../../../shared/archive/checklist';
import { archivePartsFor } from '../../../../shared/domain/archive';
import { ON_ROSTER_STATUSES } from '../../../../shared/domain/codes';
import type { EventDoc } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import { SCAN_TYPES } from '../../db/commands/archive';
import { loadAttachment } from '../../sync/attachments-open';
import { BatchPrintButton } from '../print/BatchPrintButton';
import { useRoster } from '../roster/roster-store';
import './archive.css';
import { personName } from '../../../../shared/domain/names';

const ROW_HEIGHT = 30;
const ALL = '';

/** Folders of the school-wide view: students on the roster, and graduates (their graduate form is due). */
const isArchiveMember = (s: Pick<Student, 'status'>) =>
  ON_ROSTER_STATUSES.includes(s.status) || s.status === 'graduated';

function shortDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

// Memoised on the student object: the roster store replaces only the documents that changed, so a
// mark re-renders one row, not the visible page of rows (antd components are kept out of rows for speed).
const FolderRow = memo(function FolderRow({
  student,
  schoolType,
  focused,
  index,
  onSelect,
}: {
  student: Student;
  schoolType: 'vocational' | 'k12';
  focused: boolean;
  index: number;
  onSelect: (index: number) => void;
}) {
  const parts = checklistOf(student, schoolType);
  const missing = parts.filter((p) => p.state === 'missing').length;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the list handles keys; a click only moves the focus
    <div
      className={focused ? 'xj-folder xj-folder-focused' : 'xj-folder'}
      onClick={() => onSelect(index)}
      data-testid="archive-folder"
      data-student-id={student.id}
      data-focused={focused || undefined}
      data-missing={missing}
    >
      <span className="xj-folder-no">{student.schoolNo}</span>
      <span className="xj-folder-name">{student.name}</span>
      <span className="xj-folder-class" title={student.classId}>
        {student.classId}
      </span>
      <span className="xj-folder-parts">
        {parts.map((p, i) => (
          <span
            key={p.id}
            className={`xj-part xj-part-${p.state}`}
            title={`${i + 1} ${p.title}：${ARCHIVE_STATE_LABELS[p.state]}`}
          >
            {i + 1}
          </span>
        ))}
      </span>
      <span className={missing === 0 ? 'xj-folder-state xj-state-ok' : 'xj-folder-state xj-state-missing'}>
        {missing === 0 ? '齐全' : `缺 ${missing}`}
      </span>
      <span className="xj-folder-checked">{shortDate(lastCheckedAt(student))}</span>
    </div>
  );
});

function useStudentEvents(studentId: string | undefined): EventDoc[] {
  const { db } = useSchool();
  const [events, setEvents] = useState<EventDoc[]>([]);
  useEffect(() => {
    if (!studentId) {
      setEvents([]);
      return;
    }
    const sub = db.events
      .find({ selector: { entityId: studentId }, sort: [{ entityId: 'asc' }, { at: 'asc' }] })
      .$.subscribe((docs) => setEvents(docs.map((d) => d.toJSON() as EventDoc).reverse()));
    return () => sub.unsubscribe();
  }, [db, studentId]);
  return events;
}

const ACTION_LABELS: Record<string, string> = {
  'archive-mark': '档案核对',
  'archive-attach': '上传扫描件',
  'import-create': '花名册导入（新增）',
  'import-update': '花名册导入（更新）',
};

function describeArchiveEvent(e: EventDoc, titles: Map<string, string>): string {
  const parts = Object.entries(e.after)
    .filter(([k]) => k.startsWith('archive.'))
    .map(([k, v]) => {
      const title = titles.get(k.slice('archive.'.length)) ?? k;
      const state = (v as { state?: keyof typeof ARCHIVE_STATE_LABELS }).state;
      const before = (e.before[k] as { state?: keyof typeof ARCHIVE_STATE_LABELS } | null)?.state;
      return `${title}：${before ? ARCHIVE_STATE_LABELS[before] : '未登记'} → ${state ? ARCHIVE_STATE_LABELS[state] : ''}`;
    });
  return parts.length > 0 ? parts.join('；') : (e.reason ?? '');
}

function FolderDetail({
  student,
  schoolType,
}: {
  student: Student | undefined;
  schoolType: 'vocational' | 'k12';
}) {
  const { message } = AntApp.useApp();
  const { db } = useSchool();
  const events = useStudentEvents(student?.id);
  const fileInput = useRef<HTMLInputElement>(null);
  const [attachPart, setAttachPart] = useState<string | null>(null);
  const titles = useMemo(
    () => new Map(archivePartsFor(schoolType).map((p) => [p.id, p.title])),
    [schoolType],
  );
  if (!student) return <Empty description="选择一个档案袋" />;
  const parts = checklistOf(student, schoolType);
  const attach = async (file: File) => {
    if (!attachPart) return;
    const r = await send('archive-attach', {
      studentId: student.id,
      partId: attachPart,
      name: file.name,
      mime: file.type,
      bytes: await file.arrayBuffer(),
    });
    if (r.ok) message.success(`已保存扫描件“${file.name}”`);
    else message.error(r.errors.map((e) => e.message).join('；'));
  };
  const view = async (sha: string) => {
    // Bytes attached on another device come down from the provincial server on first open.
    const hide = message.loading('正在打开扫描件…', 0);
    const r = await loadAttachment(db, sha).finally(hide);
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    window.open(URL.createObjectURL(r.blob.bytes), '_blank', 'noopener');
  };
  return (
    <div className="xj-folder-detail" data-testid="archive-detail">
      <Typography.Title level={5} style={{ margin: '0 0 6px' }}>
        {student.name}{' '}
        <Typography.Text type="secondary">
          {student.schoolNo} · {student.classId}
        </Typography.Text>
      </Typography.Title>
      <input
        ref={fileInput}
        type="file"
        accept={SCAN_TYPES.join(',')}
        style={{ display: 'none' }}
        data-testid="archive-scan-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void attach(f);
          e.target.value = '';
        }}
      />
      <table className="xj-parts-table">
        <tbody>
          {parts.map((p, i) => {
            const who = p.item?.checkedAt
              ? `${shortDate(p.item.checkedAt)} ${personName(p.item.checkedBy)}`.trim()
              : '未核对';
            return (
              <tr key={p.id} data-part={p.id} data-state={p.state}>
                <td className="xj-parts-key">{i + 1}</td>
                <td className="xj-parts-main">
                  <div className="xj-parts-line">
                    <Typography.Text className="xj-parts-title" ellipsis={{ tooltip: p.title }}>
                      {p.title}
                    </Typography.Text>
                    <Tag
                      className="xj-parts-tag"
                      color={p.state === 'present' ? 'green' : p.state === 'missing' ? 'red' : 'default'}
                    >
                      {ARCHIVE_STATE_LABELS[p.state]}
                    </Tag>
                  </div>
                  <div className="xj-parts-line">
                    <Typography.Text className="xj-parts-who" ellipsis={{ tooltip: who }}>
                      {who}
                    </Typography.Text>
                    {p.item?.attachmentId ? (
                      <Button
                        size="small"
                        type="link"
                        className="xj-parts-action"
                        onClick={() => view(p.item?.attachmentId ?? '')}
                      >
                        查看扫描件
                      </Button>
                    ) : (
                      <Tooltip title="上传该项的扫描件（PDF 或图片）">
                        <Button
                          size="small"
                          type="link"
                          className="xj-parts-action"
                          icon={<PaperClipOutlined />}
                          onClick={() => {
                            setAttachPart(p.id);
                            fileInput.current?.click();
                          }}
                          data-testid={`attach-${p.id}`}
                        >
                          扫描件
                        </Button>
                      </Tooltip>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>
        变更历史
      </Typography.Text>
      <div className="xj-history" data-testid="archive-history">
        {events.length === 0 ? <Typography.Text type="secondary">暂无记录</Typography.Text> : null}
        {events.slice(0, 50).map((e) => (
          <div key={e.id} className="xj-history-row">
            <span className="xj-history-at">{e.at.slice(0, 16).replace('T', ' ')}</span>
            <span className="xj-history-who" title={e.byName ?? personName(e.by)}>
              {e.byName ?? personName(e.by)}
            </span>
            <span className="xj-history-what">
              {ACTION_LABELS[e.action] ?? e.action}：{describeArchiveEvent(e, titles)}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}

const ClassButton = memo(function ClassButton({
  c,
  active,
  onPick,
}: {
  c: ClassCompleteness;
  active: boolean;
  onPick: (key: string) => void;
}) {
  const key = `${c.grade}\u0000${c.classId}`;
  const pct = c.students === 0 ? 0 : Math.round((c.complete / c.students) * 100);
  return (
    <button
      type="button"
      className={active ? 'xj-class xj-class-on' : 'xj-class'}
      data-class={c.classId}
      data-missing={c.missingParts}
      onClick={() => onPick(key)}
    >
      <span className="xj-class-name" title={c.classId}>
        {c.classId}
      </span>
      <span className="xj-class-bar">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="xj-class-figure">
        {c.complete}/{c.students}
        {c.missingParts > 0 ? <em> 缺{c.missingParts}</em> : null}
      </span>
    </button>
  );
});

/** Completeness by class; only the classes whose figures changed re-render after a mark. */
const ClassList = memo(function ClassList({
  classes,
  active,
  complete,
  members,
  onPick,
}: {
  classes: ClassCompleteness[];
  active: string;
  complete: number;
  members: number;
  onPick: (key: string) => void;
}) {
  return (
    <div className="xj-class-list" data-testid="archive-classes">
      <button
        type="button"
        className={active === ALL ? 'xj-class xj-class-on' : 'xj-class'}
        onClick={() => onPick(ALL)}
      >
        <span>全部班级</span>
        <span>
          {complete}/{members}
        </span>
      </button>
      {classes.map((c) => {
        const key = `${c.grade}\u0000${c.classId}`;
        return <ClassButton key={key} c={c} active={active === key} onPick={onPick} />;
      })}
    </div>
  );
});

function MissingList({ items }: { items: MissingPart[] }) {
  return (
    <Table<MissingPart>
      size="small"
      virtual
      scroll={{ y: 520 }}
      pagination={false}
      rowKey={(r) => `${r.studentId}:${r.partId}`}
      dataSource={items}
      data-testid="archive-missing-list"
      columns={[
        { title: '年级', dataIndex: 'grade', width: 90 },
        { title: '班级', dataIndex: 'classId', width: 120 },
        { title: '校内学号', dataIndex: 'schoolNo', width: 110 },
        { title: '姓名', dataIndex: 'name', width: 90 },
        { title: '缺少的材料', dataIndex: 'title' },
      ]}
    />
  );
}

export function ArchivePage() {
  const { db, settings } = useSchool();
  const schoolType = settings.schoolType;
  const { message } = AntApp.useApp();
  const { store, version } = useRoster(db);
  const parts = archivePartsFor(schoolType);
  const [classFilter, setClassFilter] = useState<string>(ALL);
  const [onlyMissing, setOnlyMissing] = useState<'all' | 'missing'>('all');
  const [cursor, setCursor] = useState(0);
  const [jump, setJump] = useState('');
  const [tab, setTab] = useState('drawer');
  const listRef = useRef<HTMLDivElement>(null);
  const jumpRef = useRef<InputRef>(null);

  // Completeness by class is counted incrementally: after a mark only that student is recounted.
  const tally = useMemo(() => new ArchiveTally(schoolType, isArchiveMember), [schoolType]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the store's change counter
  const byClass = useMemo(() => {
    tally.sync(store.students);
    return tally.byClass();
  }, [tally, store, version]);
  const { students: memberCount, complete: totalComplete, missingParts: missingCount } = tally.totals;
  const members = useCallback(() => [...store.students.values()].filter(isArchiveMember), [store]);
  // The full list (tens of thousands of rows, sorted) is built only while its tab is open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the store's change counter
  const missing = useMemo(
    () => (tab === 'missing' ? missingPartsList(members(), schoolType) : []),
    [tab, members, schoolType, version],
  );

  // The drawer order is fixed while going through it (a folder must not jump away when marked);
  // it is recomputed when the class filter, the "only missing" switch or the membership changes.
  const memberKey = `${classFilter}|${onlyMissing}|${tally.membership}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed on memberKey only, on purpose
  const order = useMemo(() => {
    const list = members().filter(
      (s) => classFilter === ALL || `${s.grade}\u0000${s.classId}` === classFilter,
    );
    const filtered =
      onlyMissing === 'missing'
        ? list.filter((s) => checklistOf(s, schoolType).some((p) => p.state === 'missing'))
        : list;
    return drawerOrder(filtered).map((s) => s.id);
  }, [memberKey]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the store's change counter
  const folders = useMemo(
    () => order.map((id) => store.students.get(id)).filter((s): s is Student => s !== undefined),
    [order, store, version],
  );
  const focused = folders[Math.min(cursor, folders.length - 1)];
  // The detail panel (parts table, history query) follows the cursor at low priority, so holding ↓ or
  // going through folders with Enter never waits for it.
  const shown = useDeferredValue(focused);
  const pickClass = useCallback((key: string) => {
    setClassFilter(key);
    setCursor(0);
  }, []);

  const virtualizer = useVirtualizer({
    count: folders.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  useEffect(() => {
    if (folders.length > 0)
      virtualizer.scrollToIndex(Math.min(cursor, folders.length - 1), { align: 'auto' });
  }, [cursor, folders.length, virtualizer]);

  const mark = useCallback(
    async (student: Student, action: Parameters<typeof send<'archive-mark'>>[1]['action']) => {
      const r = await send('archive-mark', { studentId: student.id, action });
      if (!r.ok) message.error(r.errors.map((e) => e.message).join('；'));
    },
    [message],
  );

  const select = useCallback((i: number) => {
    setCursor(i);
    listRef.current?.focus();
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const n = folders.length;
    if (n === 0) return;
    const move = (to: number) => {
      e.preventDefault();
      setCursor(Math.max(0, Math.min(n - 1, to)));
    };
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        return move(cursor + 1);
      case 'ArrowUp':
      case 'k':
        return move(cursor - 1);
      case 'PageDown':
        return move(cursor + page);
      case 'PageUp':
        return move(cursor - page);
      case 'Home':
        return move(0);
      case 'End':
        return move(n - 1);
      case 'Enter':
        e.preventDefault();
        if (focused) void mark(focused, { kind: 'allPresent' });
        setCursor(Math.min(n - 1, cursor + 1));
        return;
      case '/':
        e.preventDefault();
        jumpRef.current?.focus();
        return;
    }
    const digit = Number(e.key);
    if (Number.isInteger(digit) && digit >= 1 && digit <= parts.length && focused) {
      e.preventDefault();
      const part = parts[digit - 1];
      if (part) void mark(focused, { kind: 'toggle', partId: part.id });
    }
  };

  const doJump = (text: string, from: number) => {
    const i = jumpTo(folders, text, from);
    if (i >= 0) setCursor(i);
    return i;
  };

  return (
    <div className="xj-archive" data-testid="archive-page">
      <div className="xj-archive-summary">
        <Typography.Text>
          在册档案 <b>{memberCount}</b> 份 · 齐全 <b data-testid="archive-complete">{totalComplete}</b> 份 ·
          缺件 <b data-testid="archive-missing-count">{missingCount}</b> 项
        </Typography.Text>
        <Typography.Text type="secondary">
          键盘：↑/↓ 移动 · 1–{parts.length} 切换该项 · Enter 全部已归档并到下一袋 · / 按学号或姓名跳转
        </Typography.Text>
      </div>
      <div className="xj-archive-body">
        <Card
          size="small"
          className="xj-card xj-archive-classes"
          title="按班级完成情况"
          extra={
            <BatchPrintButton
              size="small"
              label="打印目录"
              currentTitle="当前档案袋列表"
              students={store.students}
              version={version}
              current={folders}
              currentLabel={`${classFilter === ALL ? '全部班级' : classFilter.replace('\u0000', ' ')}${onlyMissing === 'missing' ? ' · 只看缺件' : ''}`}
              defaultGrade={classFilter === ALL ? undefined : classFilter.split('\u0000')[0]}
              defaultClassId={classFilter === ALL ? undefined : classFilter.split('\u0000')[1]}
            />
          }
        >
          <ClassList
            classes={byClass}
            active={classFilter}
            complete={totalComplete}
            members={memberCount}
            onPick={pickClass}
          />
        </Card>
        <Card size="small" className="xj-card xj-archive-main">
          <Tabs
            size="small"
            activeKey={tab}
            onChange={setTab}
            items={[
              {
                key: 'drawer',
                label: '逐袋核对',
                children: (
                  <div className="xj-drawer">
                    <div className="xj-drawer-tools">
                      <Input
                        ref={jumpRef}
                        size="small"
                        allowClear
                        value={jump}
                        placeholder="按 / 跳转：校内学号或姓名，回车回到列表"
                        className="xj-drawer-jump"
                        data-testid="archive-jump"
                        onChange={(e) => {
                          setJump(e.target.value);
                          doJump(e.target.value, 0);
                        }}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter' || e.key === 'Escape') {
                            e.preventDefault();
                            if (e.key === 'Enter' && e.shiftKey) doJump(jump, cursor + 1);
                            listRef.current?.focus();
                          }
                        }}
                      />
                      <Segmented
                        size="small"
                        value={onlyMissing}
                        onChange={(v) => {
                          setOnlyMissing(v as 'all' | 'missing');
                          setCursor(0);
                        }}
                        options={[
                          { value: 'all', label: '全部档案袋' },
                          { value: 'missing', label: '只看缺件' },
                        ]}
                      />
                      <Typography.Text type="secondary">
                        {folders.length === 0
                          ? ''
                          : `第 ${Math.min(cursor, folders.length - 1) + 1} / ${folders.length} 袋`}
                      </Typography.Text>
                    </div>
                    <div className="xj-folder xj-folder-head">
                      <span className="xj-folder-no">校内学号</span>
                      <span className="xj-folder-name">姓名</span>
                      <span className="xj-folder-class">班级</span>
                      <span className="xj-folder-parts">
                        {parts.map((p, i) => (
                          <span key={p.id} className="xj-part-head" title={p.title}>
                            {i + 1}
                          </span>
                        ))}
                      </span>
                      <span className="xj-folder-state">状态</span>
                      <span className="xj-folder-checked">最近核对</span>
                    </div>
                    <div
                      ref={listRef}
                      className="xj-folder-list"
                      tabIndex={0}
                      role="listbox"
                      aria-label="档案袋列表"
                      onKeyDown={onKeyDown}
                      data-testid="archive-list"
                    >
                      {folders.length === 0 ? (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有档案袋" />
                      ) : (
                        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                          {virtualizer.getVirtualItems().map((v) => {
                            const s = folders[v.index];
                            if (!s) return null;
                            return (
                              <div
                                key={s.id}
                                style={{
                                  position: 'absolute',
                                  top: 0,
                                  left: 0,
                                  right: 0,
                                  height: ROW_HEIGHT,
                                  transform: `translateY(${v.start}px)`,
                                }}
                              >
                                <FolderRow
                                  student={s}
                                  schoolType={schoolType}
                                  focused={v.index === cursor}
                                  index={v.index}
                                  onSelect={select}
                                />
                              </div>
                            );
                          })}
                        </div>
                      )}
                    </div>
                    <div className="xj-parts-legend">
                      {parts.map((p, i) => (
                        <span key={p.id}>
                          <b>{i + 1}</b> {p.title}
                          {p.dueAtGraduation ? '（毕业时）' : ''}
                        </span>
                      ))}
                    </div>
                  </div>
                ),
              },
              {
                key: 'missing',
                label: `缺件清单（${missingCount}）`,
                children:
                  missingCount === 0 ? (
                    <Alert type="success" showIcon title="所有在册学生的纸质档案都已齐全" />
                  ) : (
                    <MissingList items={missing} />
                  ),
              },
            ]}
          />
        </Card>
        <Card size="small" className="xj-card xj-archive-detail">
          <FolderDetail student={shown} schoolType={schoolType} />
        </Card>
      </div>
    </div>
  );
}
