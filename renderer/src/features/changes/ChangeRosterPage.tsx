// 学籍变动名册 (YQ 中职 二(三): 转入、转出、留级、休学、退学、注销、复学、死亡 …): a term's changes of one school,
// derived from its approved requests (shared/workflows/roster.ts — never stored apart from them), on
// screen, printed (landscape, the counts per type and the seal) and exported to Excel. A bureau picks one
// of its schools: the requests of every school below it are on its machine.
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { GENDERS } from '../../../../shared/domain/codes';
import { ROSTER_CHANGE_TYPES } from '../../../../shared/forms/defs/change-roster';
import { changeRoster, type RosterEntry, recentTerms, rosterCounts } from '../../../../shared/workflows';
import { href } from '../../app/router';
import { useDesk } from '../../app/session';
import { savedWhere, saveWorkbook, tableBlob } from '../import/files';
import { type PrintJob, PrintPreview } from '../print/PrintPreview';
import { renderInWorker } from '../print/print-client';
import { useOrgs, useRequests } from './use-changes';
import './changes.css';
import { chinaDate } from '../../../../shared/calendar/china';

const HEADERS = [
  '序号',
  '学籍号',
  '姓名',
  '性别',
  '年级',
  '班级',
  '专业',
  '异动类型',
  '异动日期',
  '异动原因',
  '审批编号',
  '备注',
];

export function ChangeRosterPage() {
  const { db, org, installation } = useDesk();
  const { message } = App.useApp();
  const orgs = useOrgs(db);
  const requests = useRequests(db);
  const terms = useMemo(() => recentTerms(chinaDate(new Date().toISOString())), []);
  const [termName, setTermName] = useState(terms[0]?.name ?? '');
  const schools = useMemo(
    () =>
      orgs
        .filter((o) => o.kind === 'school' && o.path.startsWith(org.path))
        .sort((a, b) => a.path.localeCompare(b.path)),
    [orgs, org.path],
  );
  const [schoolId, setSchoolId] = useState<string | undefined>(org.kind === 'school' ? org.id : undefined);
  const school = schools.find((s) => s.id === (schoolId ?? schools[0]?.id));
  const term = terms.find((t) => t.name === termName) ?? terms[0];
  const entries = useMemo(
    () => (school && term && requests ? changeRoster(requests, school.id, term) : []),
    [requests, school, term],
  );
  const counts = rosterCounts(entries);
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<PrintJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const title = '学籍变动名册';

  const rowsOf = (list: readonly RosterEntry[]) =>
    list.map((e, i) => [
      String(i + 1),
      e.statusNo ?? '',
      e.name,
      GENDERS[e.gender] ?? e.gender,
      e.grade,
      e.classId,
      e.major ?? '',
      ROSTER_CHANGE_TYPES[e.changeType],
      e.changeDate,
      e.reason,
      e.requestId,
      e.note ?? '',
    ]);

  const print = () => {
    if (!school || !term) return;
    setOpen(true);
    setJob(null);
    setError(null);
    const printedAt = dayjs().format('YYYY-MM-DD');
    const data = {
      recordId: `CRR-${school.id}-${term.start}`.slice(0, 64),
      printedAt,
      schoolName: school.name,
      term: term.name,
      entries: entries.map((e) => ({
        ...(e.statusNo ? { statusNo: e.statusNo } : {}),
        name: e.name,
        gender: e.gender,
        grade: e.grade || '—',
        classId: e.classId || '—',
        ...(e.major ? { major: e.major } : {}),
        changeType: e.changeType,
        changeDate: e.changeDate,
        reason: e.reason || '—',
        approvalNo: e.requestId,
        ...(e.note ? { note: e.note } : {}),
      })),
      preparedBy: installation.operatorName,
    };
    renderInWorker('change-roster', [data]).then(
      (result) =>
        setJob({
          title: `${title} · ${school.name} · ${term.name}`,
          fileName: `${title}-${school.name}-${term.name}`,
          subFolder: title,
          result,
          records: 1,
          missing: result.missing.map((m) => ({ char: m.char, codePoint: m.codePoint, places: [title] })),
          log: { formId: 'change-roster', formTitle: title, printedAt, records: [{ studentId: '', data }] },
        }),
      (e: unknown) => setError(`${title}：${e instanceof Error ? e.message : String(e)}`),
    );
  };

  const exportExcel = async () => {
    if (!school || !term) return;
    try {
      const blob = await tableBlob(title, { headers: HEADERS, rows: rowsOf(entries) });
      const saved = await saveWorkbook(blob, `${title}-${school.name}-${term.name}.xlsx`, `导出${title}`);
      if (saved) message.success(`已导出 ${entries.length} 条：${savedWhere(saved)}`);
    } catch (e) {
      message.error(`导出失败：${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <div className="xj-change-list" data-testid="change-roster">
      <div className="xj-change-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {org.kind !== 'school' ? (
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 280 }}
            value={school?.id}
            onChange={setSchoolId}
            placeholder="选择学校"
            data-testid="roster-school"
            options={schools.map((s) => ({ value: s.id, label: s.name }))}
          />
        ) : null}
        <Select
          style={{ width: 220 }}
          value={term?.name}
          onChange={setTermName}
          options={terms.map((t) => ({ value: t.name, label: t.name }))}
          data-testid="roster-term"
        />
        <span className="xj-muted">
          {term ? `${term.start} 至 ${term.end}` : ''}　共 {entries.length} 人
          {counts.length
            ? `：${counts.map((c) => `${ROSTER_CHANGE_TYPES[c.type]} ${c.count} 人`).join('，')}`
            : ''}
        </span>
        <span style={{ flex: 1 }} />
        <Space>
          <Button
            icon={<PrinterOutlined />}
            disabled={entries.length === 0}
            onClick={print}
            data-testid="roster-print"
          >
            打印
          </Button>
          <Button
            icon={<DownloadOutlined />}
            disabled={entries.length === 0}
            onClick={exportExcel}
            data-testid="roster-export"
          >
            导出 Excel
          </Button>
        </Space>
      </div>
      <Table<RosterEntry>
        size="small"
        rowKey={(e) => `${e.requestId}:${e.studentId}:${e.changeType}`}
        loading={requests === undefined}
        dataSource={entries}
        pagination={{ pageSize: 25, size: 'small', showSizeChanger: false }}
        locale={{ emptyText: '本学期没有已审批的学籍变动' }}
        columns={[
          { title: '学籍号', key: 'statusNo', render: (_, e) => e.statusNo ?? '' },
          { title: '姓名', key: 'name', render: (_, e) => e.name },
          { title: '性别', key: 'gender', width: 50, render: (_, e) => GENDERS[e.gender] ?? e.gender },
          { title: '年级', key: 'grade', width: 80, render: (_, e) => e.grade },
          { title: '班级', key: 'classId', render: (_, e) => e.classId },
          { title: '异动类型', key: 'type', width: 90, render: (_, e) => ROSTER_CHANGE_TYPES[e.changeType] },
          { title: '异动日期', key: 'date', width: 100, render: (_, e) => e.changeDate },
          { title: '异动原因', key: 'reason', render: (_, e) => e.reason },
          {
            title: '审批编号',
            key: 'req',
            render: (_, e) => <a href={href(`/changes/${e.requestId}`)}>{e.requestId}</a>,
          },
          { title: '备注', key: 'note', render: (_, e) => e.note ?? '' },
        ]}
      />
      {open ? (
        <PrintPreview
          open
          job={job}
          error={error}
          busyText={`正在生成${title}…`}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </div>
  );
}
