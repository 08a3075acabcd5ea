// 核验统计: charts of routine verification (echarts, bundled — no network): one task's completion by
// class (a school) or by school (a bureau, the province), completion by task, and the term's trend (the
// share completed and the misses of each task in order). The figures are the results screens' own
// (shared/verification/summary.ts) over the records this copy holds.
import { Empty, Select, Typography } from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo, useState } from 'react';
import { chinaTime } from '../../../../shared/calendar/china';
import { completion, GROUP_LABELS, taskCounts } from '../../../../shared/verification/summary';
import { useAuthUser } from '../../app/session';
import { useOrgMap, useRecords, useTasks } from './use-verification';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

const COLORS = { passed: '#52c41a', exempt: '#1677ff', missed: '#ff4d4f', open: '#d9d9d9' };
const FONT = { fontFamily: 'inherit', fontSize: 12 };
// No animation: an office screen shows its figures at once (and a screenshot shows them too).
const STILL = { animation: false };

export function DashboardPage() {
  const tasks = useTasks();
  const records = useRecords();
  const orgs = useOrgMap();
  const user = useAuthUser();
  const area = user.role === 'bureau' || user.role === 'province';
  const live = useMemo(() => (tasks ?? []).filter((t) => t.status === 'published'), [tasks]);
  const [picked, setPicked] = useState<string | undefined>();
  const taskId = picked ?? live[0]?.id;
  const ordered = useMemo(() => [...live].sort((a, b) => a.end.localeCompare(b.end)), [live]);
  const perTask = useMemo(
    () => ordered.map((t) => ({ t, c: taskCounts(records ?? [], t.id).total })).filter((x) => x.c.called > 0),
    [ordered, records],
  );
  const byKey = useMemo(() => {
    if (!taskId) return [];
    const { by } = taskCounts(records ?? [], taskId, area ? (r) => r.schoolId : (r) => r.classId ?? '');
    return [...by.entries()]
      .map(([k, c]) => ({ label: area ? (orgs.get(k)?.name ?? k) : k || '未分班', c }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [records, taskId, area, orgs]);
  if (tasks !== null && live.length === 0)
    return <Empty description="还没有核验任务，发布或同步后这里显示统计" />;
  const groups = ['passed', 'exempt', 'missed', 'open'] as const;
  const byOption = {
    ...STILL,
    textStyle: FONT,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: FONT },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: byKey.map((x) => x.label),
      axisLabel: {
        interval: 0,
        rotate: byKey.length > 8 ? 30 : 0,
        fontSize: 11,
        width: 110,
        overflow: 'truncate',
      },
    },
    yAxis: { type: 'value', name: '人数' },
    series: groups.map((g) => ({
      name: GROUP_LABELS[g],
      type: 'bar',
      stack: 'all',
      barMaxWidth: 56,
      itemStyle: { color: COLORS[g] },
      data: byKey.map((x) => x.c[g]),
    })),
  };
  const taskOption = {
    ...STILL,
    textStyle: FONT,
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: {
      type: 'category',
      data: perTask.map((x) => x.t.name),
      axisLabel: { width: 150, overflow: 'truncate', fontSize: 11 },
    },
    series: [
      {
        type: 'bar',
        name: '完成率',
        itemStyle: { color: '#1677ff' },
        barMaxWidth: 28,
        data: perTask.map((x) => Number((completion(x.c) * 100).toFixed(1))),
        label: { show: true, position: 'right', formatter: '{c}%', fontSize: 11 },
      },
    ],
  };
  // The trend: tasks whose window has closed (an open task's share is still growing).
  const closed = perTask.filter((x) => Date.parse(x.t.end) <= Date.now());
  const trendOption = {
    ...STILL,
    textStyle: FONT,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: FONT },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: closed.map((x) => chinaTime(x.t.end).slice(5, 10)) },
    yAxis: [
      { type: 'value', name: '完成率', max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', name: '未按时核验', splitLine: { show: false } },
    ],
    series: [
      {
        name: '完成率',
        type: 'line',
        smooth: true,
        data: closed.map((x) => Number((completion(x.c) * 100).toFixed(1))),
      },
      {
        name: '未按时核验',
        type: 'bar',
        yAxisIndex: 1,
        barMaxWidth: 40,
        itemStyle: { color: COLORS.missed },
        data: closed.map((x) => x.c.missed),
      },
    ],
  };
  return (
    <div className="xj-verif xj-dash" data-testid="verification-dashboard">
      <div className="xj-dash-card xj-dash-wide">
        <div className="xj-dash-head">
          <Typography.Text strong>{area ? '各校完成情况' : '各班完成情况'}</Typography.Text>
          <Select
            size="small"
            style={{ width: 320 }}
            value={taskId}
            onChange={setPicked}
            options={live.map((t) => ({ value: t.id, label: t.name }))}
            data-testid="dash-task"
          />
        </div>
        <ReactEChartsCore echarts={echarts} option={byOption} style={{ height: 250 }} notMerge />
      </div>
      <div className="xj-dash-card">
        <Typography.Text strong>各次核验完成率</Typography.Text>
        <ReactEChartsCore echarts={echarts} option={taskOption} style={{ height: 240 }} notMerge />
      </div>
      <div className="xj-dash-card">
        <Typography.Text strong>本学期趋势（已截止的核验）</Typography.Text>
        <ReactEChartsCore echarts={echarts} option={trendOption} style={{ height: 240 }} notMerge />
      </div>
    </div>
  );
}
