// 学校自查: before an inspection the school runs the same template on itself and sees what an inspector
// would find in its own data (selfcheck.ts): paper-archive gaps, change-roster entries entered late (R-1WEEK),
// duplicate registrations and ID numbers that cannot be genuine (R-ONE). The school holds all its students,
// so this runs offline; a started self-check keeps the findings of the moment and the school's own
// judgement per item.
import { App, Button, Card, Descriptions, Empty, Input, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { EventDoc } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import type { SelfCheckDoc } from '../../../../shared/inspections/records';
import { selfCheckFindings } from '../../../../shared/inspections/selfcheck';
import { builtInTemplateFor } from '../../../../shared/inspections/templates';
import { FINDING_LABELS } from '../../../../shared/inspections/visit';
import { ruleSettingsOf } from '../../../../shared/rules/settings';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import { useRulesState } from '../rules/use-rules';
import { refusalText, useInspectionRecords } from './use-inspections';
import './inspections.css';
import { chinaTime } from '../../../../shared/calendar/china';

export function SelfCheckPage() {
  const { db, school, settings } = useSchool();
  const { message } = App.useApp();
  const rules = useRulesState();
  const [students, setStudents] = useState<Student[]>([]);
  const [events, setEvents] = useState<EventDoc[]>([]);
  useEffect(() => {
    const a = db.students
      .find()
      .$.subscribe((d) => setStudents(d.map((x) => x.toJSON() as unknown as Student)));
    const b = db.events
      .find({ selector: { entity: 'student' } })
      .$.subscribe((d) => setEvents(d.map((x) => x.toJSON() as EventDoc)));
    return () => {
      a.unsubscribe();
      b.unsubscribe();
    };
  }, [db]);
  const template = builtInTemplateFor(settings.schoolType);
  const days = ruleSettingsOf(rules.effective).changeDeadlineDays;
  const result = useMemo(
    () => selfCheckFindings({ students, events, schoolType: settings.schoolType, changeDeadlineDays: days }),
    [students, events, settings.schoolType, days],
  );
  const current = useInspectionRecords()
    .filter((r): r is SelfCheckDoc => r.kind === 'selfCheck' && r.schoolId === school.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const open = current?.status === 'open' ? current : undefined;
  const [notes, setNotes] = useState<Record<string, string>>({});

  const start = async () => {
    const why = refusalText(
      await send('selfcheck-start', {
        school: { id: school.id, path: school.path, name: school.name },
        template,
        result,
      }),
    );
    if (why) message.error(why);
  };
  const step = async (args: Omit<Parameters<typeof send<'selfcheck-step'>>[1], 'id'>) => {
    if (!open) return;
    const why = refusalText(await send('selfcheck-step', { id: open.id, ...args }));
    if (why) message.error(why);
  };

  return (
    <div className="xj-insp-page" data-testid="selfcheck-page">
      <Card
        size="small"
        className="xj-insp-card"
        title={`${template.title}（学校自查）`}
        extra={
          <Space>
            {current ? (
              <Typography.Text type="secondary">
                上次自查 {chinaTime(current.createdAt)}
                {current.status === 'done' ? '（已完成）' : '（进行中）'}
              </Typography.Text>
            ) : null}
            {open ? (
              <Button data-testid="selfcheck-done" onClick={() => step({ done: true })}>
                完成自查
              </Button>
            ) : (
              <Button type="primary" data-testid="selfcheck-start" onClick={start}>
                开始自查
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={5} data-testid="selfcheck-summary">
          <Descriptions.Item label="在籍学生">{result.students} 人</Descriptions.Item>
          <Descriptions.Item label="档案不全">
            {result.incompleteFolders} 人（缺 {result.archiveGaps} 项）
          </Descriptions.Item>
          <Descriptions.Item label="变动录入超期">{result.late.length} 条</Descriptions.Item>
          <Descriptions.Item label="重复注册">{result.duplicates.length} 组</Descriptions.Item>
          <Descriptions.Item label="证件号无效">{result.invalid.length} 人</Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" className="xj-insp-note">
          以下按检查清单逐项列出系统在本校数据中发现的问题，即检查人员到校核查时会看到的情况；本页在本机离线计算。
        </Typography.Paragraph>
      </Card>
      {template.items.map((item) => {
        const found = item.assists.map((a) => result.byAssist[a]).filter((f) => f && f.count > 0);
        const check = open?.checks[item.id];
        return (
          <Card
            key={item.id}
            size="small"
            className="xj-insp-item"
            title={`${item.no} ${item.title}`}
            extra={
              found.length > 0 ? (
                <Tag color="red">发现 {found.reduce((n, f) => n + f.count, 0)} 处</Tag>
              ) : item.assists.length > 0 ? (
                <Tag color="green">系统未发现问题</Tag>
              ) : (
                <Tag>须对照资料自查</Tag>
              )
            }
          >
            <Typography.Paragraph
              className="xj-insp-basis"
              type="secondary"
              ellipsis={{ rows: 1, expandable: true, symbol: '展开' }}
            >
              {item.method}；查看：{item.lookAt.join('、')}
            </Typography.Paragraph>
            {found.length > 0 ? (
              <ul className="xj-insp-list">
                {found
                  .flatMap((f) => f.lines.slice(0, 8))
                  .map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                {found.reduce((n, f) => n + Math.max(0, f.lines.length - 8), 0) > 0 ? <li>……</li> : null}
              </ul>
            ) : null}
            {open ? (
              <Space className="xj-insp-gap">
                <Radio.Group
                  value={check?.finding ?? null}
                  onChange={(e) => step({ itemId: item.id, finding: e.target.value })}
                >
                  {Object.entries(FINDING_LABELS).map(([k, label]) => (
                    <Radio.Button key={k} value={k}>
                      {label}
                    </Radio.Button>
                  ))}
                </Radio.Group>
                <Input
                  className="xj-insp-notes"
                  placeholder="自查说明、整改打算"
                  value={notes[item.id] ?? check?.notes ?? ''}
                  onChange={(e) => setNotes({ ...notes, [item.id]: e.target.value })}
                  onBlur={() =>
                    notes[item.id] !== undefined && step({ itemId: item.id, notes: notes[item.id] })
                  }
                />
              </Space>
            ) : null}
          </Card>
        );
      })}
      {template.items.length === 0 ? <Empty /> : null}
    </div>
  );
}
