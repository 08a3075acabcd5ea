// 学生查找: find a student across the whole area held on this machine by name, full pinyin, initials,
// ID number or 学籍号 (issue 11), as the roster's search does for one school — the same index
// (shared/search), over up to 200,000 students of a county. A row opens the student's page read-only.
import { SearchOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Input, Tag, Typography } from 'antd';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { GENDERS, nameOf, STUDENT_STATUSES } from '../../../../shared/domain/codes';
import { choosesSchools, heldSchools } from '../../../../shared/sync/selection';
import { href } from '../../app/router';
import { useAuthUser, useDesk } from '../../app/session';
import { useArea } from './area-store';
import { useAreaOrgs, useSelection } from './SchoolsPage';

const ROW = 28;
const GRID = '44px 76px 40px 160px 170px minmax(200px, 1fr) 70px 110px 56px';
const HEAD = ['序号', '姓名', '性别', '身份证件号', '学籍号', '学校', '年级', '班级', '状态'];

export function AreaSearchPage() {
  const { db } = useDesk();
  const user = useAuthUser();
  const { store, version } = useArea(db);
  const orgs = useAreaOrgs();
  const selection = useSelection();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const names = useMemo(() => new Map(orgs.map((o) => [o.id, o.name])), [orgs]);
  // The hits as the index gives them (a count and positions): only the rows on screen are looked up, so
  // typing "4" in a county of 200,000 does not build a list of 200,000 students.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` signals changed students
  const hits = useMemo(() => store.index.query(deferred), [store, version, deferred]);
  const count = hits?.count ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const held = choosesSchools(user) ? heldSchools(selection).length : null;

  return (
    <div className="xj-roster" data-testid="area-search">
      <div className="xj-toolbar">
        <Input
          autoFocus
          allowClear
          prefix={<SearchOutlined />}
          placeholder="姓名、拼音、证件号或学籍号"
          aria-label="查找学生"
          data-testid="area-search-input"
          style={{ width: 300 }}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            scrollRef.current?.scrollTo({ top: 0 });
          }}
        />
        <Typography.Text type="secondary" className="xj-count" data-testid="area-search-count">
          {!store.loaded
            ? '正在读取本机数据…'
            : deferred.trim()
              ? `找到 ${count.toLocaleString('zh-CN')} 人 / 本机共 ${store.students.size.toLocaleString('zh-CN')} 人`
              : `本机共 ${store.students.size.toLocaleString('zh-CN')} 名学生${held === null ? '（全辖区）' : `（离线保存和最近查看的 ${held} 所学校）`}`}
        </Typography.Text>
      </div>
      <div className="xj-table">
        <div className="xj-grid xj-grid-head" style={{ gridTemplateColumns: GRID }}>
          {HEAD.map((h) => (
            <div key={h}>{h}</div>
          ))}
        </div>
        <div ref={scrollRef} className="xj-table-body">
          {deferred.trim() === '' ? (
            <div className="xj-empty">
              输入姓名、全拼或首字母（如 wyy）、身份证件号或学籍号，在
              {held === null ? '全辖区' : '本机保存的学校中'}查找学生
            </div>
          ) : count === 0 ? (
            <div className="xj-empty">没有找到符合条件的学生</div>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const id = hits?.idAt(v.index);
                const s = id === undefined ? undefined : store.students.get(id);
                if (!s) return null;
                return (
                  <a
                    key={s.id}
                    href={href(`/students/${s.id}`)}
                    className="xj-grid xj-row"
                    data-testid="area-search-row"
                    style={{ gridTemplateColumns: GRID, height: ROW, transform: `translateY(${v.start}px)` }}
                  >
                    <div className="xj-num">{v.index + 1}</div>
                    <div className="xj-name">{s.name}</div>
                    <div>{nameOf(GENDERS, s.gender)}</div>
                    <div>{s.idNo}</div>
                    <div>{s.statusNo}</div>
                    <div>{names.get(s.schoolId) ?? s.schoolId}</div>
                    <div>{s.grade}</div>
                    <div>{s.classId}</div>
                    <div>
                      <Tag style={{ marginInlineEnd: 0 }}>{STUDENT_STATUSES[s.status]}</Tag>
                    </div>
                  </a>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
