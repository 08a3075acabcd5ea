// The yearly 学生基本信息确认表 coming back (issue 12: "the registrar enters the corrections as info changes
// from the returned sheet, and marks the signed sheet filed"): a class's students with whether this year's
// signed sheet is filed (an `info-confirm-file` event of this year), the archive part it goes into, and per
// student 有更正 — a 信息变更 request started from the sheet — or the selected sheets marked filed.
import { App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { chinaDate } from '../../../../shared/calendar/china';
import { recordFormPart } from '../../../../shared/domain/archive';
import { compareClasses } from '../../../../shared/domain/grades';
import type { EventDoc } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import { href, navigate } from '../../app/router';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';

const TITLE = '学生基本信息确认表';
export const INFO_CONFIRM_PATH = '/info-confirm';
/** The reason a correction from the sheet starts with (the registrar completes it). */
export const correctionReason = (year: string) => `家长在${year}${TITLE}上更正：`;

function useClassStudents(classId: string | undefined) {
  const { db } = useSchool();
  const [classes, setClasses] = useState<Map<string, Student[]>>(new Map());
  useEffect(() => {
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
  }, [db]);
  const students = useMemo(
    () =>
      [...(classes.get(classId ?? '') ?? [])].sort((a, b) =>
        (a.schoolNo ?? a.name).localeCompare(b.schoolNo ?? b.name, 'zh'),
      ),
    [classes, classId],
  );
  return { classes, students };
}

/** This year's filings of the sheet, by student. */
function useFiled(ids: readonly string[], year: string): Map<string, EventDoc> {
  const { db } = useSchool();
  const [filed, setFiled] = useState<Map<string, EventDoc>>(new Map());
  const key = ids.join(',');
  useEffect(() => {
    const list = key ? key.split(',') : [];
    const sub = db.events.find({ selector: { entityId: { $in: list } } }).$.subscribe((docs) => {
      const m = new Map<string, EventDoc>();
      for (const d of docs) {
        const e = d.toJSON() as EventDoc;
        if (e.action === 'info-confirm-file' && chinaDate(e.at).startsWith(year)) m.set(e.entityId, e);
      }
      setFiled(m);
    });
    return () => sub.unsubscribe();
  }, [db, key, year]);
  return filed;
}

export function InfoConfirmReturnPage() {
  const { settings } = useSchool();
  const { message } = App.useApp();
  const [classId, setClassId] = useState<string | undefined>();
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const year = chinaDate(new Date().toISOString()).slice(0, 4);
  const { classes, students } = useClassStudents(classId);
  const filed = useFiled(
    students.map((s) => s.id),
    year,
  );
  const part = recordFormPart(settings.schoolType);
  const waiting = students.filter((s) => !filed.has(s.id));

  const file = async () => {
    setBusy(true);
    const r = await send('info-confirm-file', { studentIds: selected }).finally(() => setBusy(false));
    if (!r.ok) message.error(r.errors[0]?.message ?? '无法登记');
    else {
      message.success(`已登记 ${r.filed.length} 人的确认表归档；纸质档案“${part.title}”已勾选`);
      setSelected([]);
    }
  };

  return (
    <div className="xj-change-list" data-testid="info-confirm-return">
      <div className="xj-change-toolbar">
        <a href={href('/changes')}>← 学籍异动</a>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {TITLE}回收登记（{year}年度）
        </Typography.Title>
        <Select
          style={{ width: 240 }}
          placeholder="选择班级"
          value={classId}
          onChange={(c) => {
            setClassId(c);
            setSelected([]);
          }}
          options={[...classes.keys()].sort(compareClasses).map((c) => ({
            value: c,
            label: `${c}（${classes.get(c)?.length ?? 0} 人）`,
          }))}
          data-testid="info-confirm-class"
        />
        {classId ? (
          <span className="xj-muted" data-testid="info-confirm-count">
            已归档 {students.length - waiting.length} / {students.length} 人
          </span>
        ) : null}
        <span style={{ flex: 1 }} />
        <Button
          type="primary"
          disabled={selected.length === 0}
          loading={busy}
          onClick={file}
          data-testid="info-confirm-file"
        >
          所选 {selected.length} 人已签字归档
        </Button>
      </div>
      <Typography.Text type="secondary">
        家长核对签字后交回的确认表归入学生纸质档案“{part.title}”（YQ
        二(五)）；表上更正了关键字段（★）的，点“有更正”以基本信息变更提交，经教育局审核后生效。
      </Typography.Text>
      <Table<Student>
        size="small"
        rowKey="id"
        dataSource={students}
        pagination={students.length > 60 ? { pageSize: 60, size: 'small' } : false}
        locale={{ emptyText: classId ? '该班没有在籍学生' : '请先选择班级' }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(String)),
          getCheckboxProps: (s) => ({ disabled: filed.has(s.id) }),
        }}
        columns={[
          { title: '学号', key: 'no', width: 110, render: (_, s) => s.schoolNo ?? '—' },
          {
            title: '姓名',
            key: 'name',
            width: 110,
            render: (_, s) => <a href={href(`/students/${s.id}`)}>{s.name}</a>,
          },
          { title: '身份证件号', key: 'idNo', width: 180, render: (_, s) => s.idNo },
          {
            title: `${year}年度确认表`,
            key: 'filed',
            render: (_, s) => {
              const e = filed.get(s.id);
              return e ? (
                <Tag color="success" data-testid="info-confirm-filed">
                  已归档 {chinaDate(e.at)} {e.byName ?? ''}
                </Tag>
              ) : (
                <Tag>未交回</Tag>
              );
            },
          },
          {
            title: `纸质档案：${part.title}`,
            key: 'archive',
            width: 200,
            render: (_, s) => (s.archive?.[part.id]?.state === 'present' ? '已勾选' : '未勾选'),
          },
          {
            title: '操作',
            key: 'act',
            width: 120,
            render: (_, s) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => navigate(`${INFO_CONFIRM_PATH}/${s.id}/correct`)}
                  data-testid="info-confirm-correct"
                >
                  有更正
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
