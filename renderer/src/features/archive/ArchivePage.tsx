// 纸质档案 (issue 3): the school-wide view — completeness by class, the missing-parts list — and the
// drawer screen for going through thousands of folders with the keyboard alone:
//   ↑/↓ (or j/k) move · 1–7 toggle a part · Enter: all present, checked, next folder ·
//   / jump by 学号 or name · PageUp/PageDown · Home/End.
// Every mark is the `archive-mark` command, which records who and when and an event (R-WHO). The pieces
// of the screen are in this folder (FolderRow, FolderDetail, ClassList, MissingList); which folders
// belong to the view and how events read are decided in shared/archive.
import { useVirtualizer } from '@tanstack/react-virtual';
import { Alert, App as AntApp, Card, Empty, Input, type InputRef, Segmented, Tabs, Typography } from 'antd';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import {
  ArchiveTally,
  checklistOf,
  drawerOrder,
  isArchiveMember,
  jumpTo,
  missingPartsList,
} from '../../../../shared/archive/checklist';
import { archivePartsFor } from '../../../../shared/domain/archive';
import type { Student } from '../../../../shared/domain/student';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import { BatchPrintButton } from '../print/BatchPrintButton';
import { useRoster } from '../roster/roster-store';
import { ALL, ClassList } from './ClassList';
import { FolderDetail } from './FolderDetail';
import { FolderRow, ROW_HEIGHT } from './FolderRow';
import { MissingList } from './MissingList';
import './archive.css';

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
