// 花名册: the whole roster in one virtualised table, search as you type, filters, sort, counts.
import { CaretDownOutlined, CaretUpOutlined, SearchOutlined, UserAddOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button, Input, Select, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useDeferredValue, useMemo, useRef, useState } from 'react';
import { GENDERS, nameOf, STUDENT_STATUSES, STUDY_FORMS } from '../../../../shared/domain/codes';
import type { Student } from '../../../../shared/domain/student';
import {
  filterRoster,
  type RosterFilters,
  type RosterSort,
  type RosterSortKey,
  rosterFacets,
  sortRoster,
} from '../../../../shared/search/roster-view';
import { newStudentScope, useAuthUser, useCan } from '../../app/authority';
import { href, navigate } from '../../app/router';
import { useSchool } from '../../app/school-context';
import { ExportRosterButton } from '../import/ExportRosterButton';
import { BatchPrintButton } from '../print/BatchPrintButton';
import { useRoster } from './roster-store';

type Column = { title: string; width: number; sort?: RosterSortKey; cell: (s: Student) => ReactNode };

const STATUS_COLORS: Record<string, string> = { enrolled: 'green', suspended: 'orange' };

const COLUMNS: Column[] = [
  {
    title: '姓名',
    width: 76,
    sort: 'name',
    cell: (s) => <span className="xj-name">{s.name}</span>,
  },
  { title: '性别', width: 40, sort: 'gender', cell: (s) => nameOf(GENDERS, s.gender) },
  { title: '出生日期', width: 84, sort: 'birthDate', cell: (s) => s.birthDate },
  { title: '身份证件号', width: 152, sort: 'idNo', cell: (s) => s.idNo },
  { title: '学籍号', width: 162, sort: 'statusNo', cell: (s) => s.statusNo },
  { title: '校内学号', width: 86, sort: 'schoolNo', cell: (s) => s.schoolNo },
  { title: '年级', width: 62, cell: (s) => s.grade },
  { title: '班级', width: 96, sort: 'classId', cell: (s) => s.classId },
  { title: '专业', width: 110, cell: (s) => s.major },
  { title: '学习形式', width: 70, cell: (s) => nameOf(STUDY_FORMS, s.studyForm) },
  {
    title: '状态',
    width: 56,
    cell: (s) => (
      <Tag color={STATUS_COLORS[s.status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
        {STUDENT_STATUSES[s.status]}
      </Tag>
    ),
  },
  { title: '联系电话', width: 96, cell: (s) => s.phone },
];
const ROW_HEIGHT = 28;
const GRID = `44px ${COLUMNS.map((c) => `${c.width}px`).join(' ')}`;

function SortHeader({ sort, onSort }: { sort: RosterSort; onSort: (s: RosterSort) => void }) {
  return (
    <div className="xj-grid xj-grid-head" style={{ gridTemplateColumns: GRID }}>
      <div>序号</div>
      {COLUMNS.map((c) => {
        if (!c.sort) return <div key={c.title}>{c.title}</div>;
        const active = sort.key === c.sort;
        const next: RosterSort = !active
          ? { key: c.sort, dir: 'asc' }
          : sort.dir === 'asc'
            ? { key: c.sort, dir: 'desc' }
            : { key: 'default', dir: 'asc' };
        return (
          <button
            key={c.title}
            type="button"
            className="xj-sortable"
            onClick={() => onSort(next)}
            title="点击排序"
          >
            {c.title}
            {active ? sort.dir === 'asc' ? <CaretUpOutlined /> : <CaretDownOutlined /> : null}
          </button>
        );
      })}
    </div>
  );
}

export function RosterPage() {
  const { db, settings, school, roster, view } = useSchool();
  // The authority table: only the school's registrar adds students (a counselor's button is disabled).
  const creating = useCan()('students', 'create', newStudentScope(useAuthUser(), school.path));
  const { store, version } = useRoster(db, roster);
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<RosterFilters>({});
  const [sort, setSort] = useState<RosterSort>({ key: 'default', dir: 'asc' });
  const deferredQuery = useDeferredValue(query);

  // Sorting depends on the data and the column only, so typing a query never re-sorts.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` signals a changed roster
  const sorted = useMemo(() => sortRoster(store.students.values(), sort), [store, version, sort]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const facets = useMemo(() => rosterFacets(store.students.values()), [store, version]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const matches = useMemo(() => store.index.query(deferredQuery), [store, version, deferredQuery]);
  const rows = useMemo(() => filterRoster(sorted, matches, filters), [sorted, matches, filters]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const setFilter = (patch: RosterFilters) => {
    setFilters((f) => ({ ...f, ...patch }));
    scrollRef.current?.scrollTo({ top: 0 });
  };
  const select = (
    key: keyof RosterFilters,
    placeholder: string,
    options: { label: string; value: string }[],
    width: number,
  ) => (
    <Select
      allowClear
      placeholder={placeholder}
      aria-label={placeholder}
      style={{ width }}
      value={filters[key]}
      options={options}
      onChange={(v) => setFilter(key === 'grade' ? { grade: v, classId: undefined } : { [key]: v })}
      showSearch={options.length > 8}
      popupMatchSelectWidth={false}
    />
  );
  const classes = (
    filters.grade
      ? (facets.classesByGrade.get(filters.grade) ?? [])
      : [...facets.classesByGrade.values()].flat()
  ).filter((c) => !filters.major || facets.majorOfClass.get(c) === filters.major);
  const anyFilter = query !== '' || Object.values(filters).some(Boolean);

  return (
    <div className="xj-roster">
      <div className="xj-toolbar">
        <Space wrap size={8}>
          <Input
            autoFocus
            allowClear
            prefix={<SearchOutlined />}
            placeholder="姓名、拼音、证件号、学籍号或学号"
            title="按姓名、拼音或首字母、身份证件号、学籍号或校内学号搜索"
            aria-label="搜索学生"
            data-testid="roster-search"
            style={{ width: 260 }}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              scrollRef.current?.scrollTo({ top: 0 });
            }}
          />
          {select(
            'grade',
            '年级',
            facets.grades.map((g) => ({ label: g, value: g })),
            88,
          )}
          {select(
            'classId',
            '班级',
            classes.map((c) => ({ label: c, value: c })),
            116,
          )}
          {settings.schoolType === 'vocational'
            ? select(
                'major',
                '专业',
                facets.majors.map((m) => ({ label: m, value: m })),
                116,
              )
            : null}
          {select(
            'status',
            '学籍状态',
            facets.statuses.map((s) => ({ label: STUDENT_STATUSES[s], value: s })),
            96,
          )}
          {settings.schoolType === 'vocational'
            ? select(
                'studyForm',
                '学习形式',
                facets.studyForms.map((f) => ({ label: nameOf(STUDY_FORMS, f), value: f })),
                96,
              )
            : null}
          <Button
            disabled={!anyFilter}
            onClick={() => {
              setQuery('');
              setFilters({});
            }}
          >
            清除条件
          </Button>
          {view === 'area' ? null : (
            <Tooltip title={creating.allow ? '新增学生：插班、补录或更正时逐个新增' : creating.reason}>
              <Button
                icon={<UserAddOutlined />}
                disabled={!creating.allow}
                onClick={() => navigate('/students/new')}
                data-testid="student-new"
                aria-label="新增学生"
              />
            </Tooltip>
          )}
          <ExportRosterButton
            students={rows}
            filtered={anyFilter}
            fileLabel={filters.classId ?? filters.grade}
            iconOnly
          />
          <BatchPrintButton
            students={store.students}
            version={version}
            current={rows}
            currentLabel={
              [
                filters.grade,
                filters.classId,
                filters.major,
                filters.status && STUDENT_STATUSES[filters.status],
                filters.studyForm && nameOf(STUDY_FORMS, filters.studyForm),
                query && `搜索“${query}”`,
              ]
                .filter(Boolean)
                .join(' · ') || '全部学生'
            }
            defaultGrade={filters.grade}
            defaultClassId={filters.classId}
            iconOnly
          />
        </Space>
        <Typography.Text type="secondary" data-testid="roster-count" className="xj-count">
          {anyFilter ? (
            <>
              筛选出 <b>{rows.length.toLocaleString('zh-CN')}</b> 人 / 共{' '}
              {store.students.size.toLocaleString('zh-CN')} 人
            </>
          ) : (
            <>
              共 <b>{store.students.size.toLocaleString('zh-CN')}</b> 人
            </>
          )}
        </Typography.Text>
      </div>
      <div className="xj-table">
        <SortHeader sort={sort} onSort={setSort} />
        <div ref={scrollRef} className="xj-table-body" data-testid="roster-body">
          {!store.loaded ? (
            <Spin description="正在读取花名册…" style={{ marginTop: 48, width: '100%' }}>
              <div />
            </Spin>
          ) : rows.length === 0 ? (
            <div className="xj-empty">{anyFilter ? '没有符合条件的学生' : '花名册还是空的'}</div>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const s = rows[v.index] as Student;
                return (
                  <a
                    key={s.id}
                    href={href(`/students/${s.id}`)}
                    className="xj-grid xj-row"
                    data-testid="roster-row"
                    style={{
                      gridTemplateColumns: GRID,
                      height: ROW_HEIGHT,
                      transform: `translateY(${v.start}px)`,
                    }}
                  >
                    <div className="xj-num">{v.index + 1}</div>
                    {COLUMNS.map((c) => (
                      <div key={c.title}>{c.cell(s)}</div>
                    ))}
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
