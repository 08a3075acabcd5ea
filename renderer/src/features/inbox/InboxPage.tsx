// 待办 (R-DAILY, YQ 四(一): the registrar looks at pending work every day): what waits for this user, with
// its last day and the rule that sets it — overdue items first, counted in working days by the calendar in
// force for this desk (the State Council's holidays and the province's corrections) —, what the user's
// org started and where it stands, and recent notes (a rejection, a student transferred out).
import { WarningOutlined } from '@ant-design/icons';
import { Card, Empty, Spin, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { makeCalendar, workdaysBetween } from '../../../../shared/calendar/calendar';
import type { InboxItem, InboxSection } from '../../../../shared/inbox/types';
import { isRuleId } from '../../../../shared/rules/ids';
import { effectiveSettings, orgChain } from '../../../../shared/rules/settings';
import { href } from '../../app/router';
import { useDesk } from '../../app/session';
import { useOrgs } from '../changes/use-changes';
import { RuleRef } from '../rules/RuleRef';
import { useInbox } from './use-inbox';
import './inbox.css';

const SECTIONS: { key: InboxSection; title: string; empty: string }[] = [
  { key: 'waiting', title: '待我办理', empty: '没有等待您办理的事项' },
  { key: 'started', title: '我发起的', empty: '没有正在审批中的申请' },
  { key: 'info', title: '近期通知', empty: '近 30 天没有通知' },
];

function Due({ item, late }: { item: InboxItem; late: number | undefined }) {
  if (!item.due) return <span className="xj-muted">无期限</span>;
  return (
    <span className="xj-inbox-due">
      {item.overdue ? (
        <Tag color="red" icon={<WarningOutlined />} data-testid="inbox-overdue">
          已逾期 {late ?? ''} 个工作日
        </Tag>
      ) : null}
      {isRuleId(item.due.rule) ? (
        <RuleRef id={item.due.rule} due={item.due.date} uncertain={item.due.uncertain} />
      ) : (
        <span>{item.due.rule}</span>
      )}
    </span>
  );
}

export function InboxPage() {
  const { db, org } = useDesk();
  const orgs = useOrgs(db);
  const { items, today } = useInbox();
  // Working days late, by the calendar of this desk's org (the province's corrections included).
  const calendar = useMemo(
    () => makeCalendar({ overrides: effectiveSettings(orgChain(orgs, org.id)).calendar }),
    [orgs, org.id],
  );
  if (!items) return <Spin style={{ marginTop: 48 }} />;
  const lateOf = (i: InboxItem) =>
    i.overdue && i.due ? workdaysBetween(calendar, i.due.date, today).value : undefined;
  const overdue = items.filter((i) => i.overdue).length;

  return (
    <div className="xj-inbox" data-testid="inbox">
      <div className="xj-inbox-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          待办事项
        </Typography.Title>
        <span className="xj-muted">
          今天 {today}
          {overdue > 0 ? (
            <Typography.Text type="danger" style={{ marginLeft: 12 }}>
              {overdue} 项已逾期
            </Typography.Text>
          ) : null}
        </span>
      </div>
      {SECTIONS.map((s) => {
        const rows = items.filter((i) => i.section === s.key);
        return (
          <Card
            key={s.key}
            size="small"
            className="xj-card"
            title={`${s.title}（${rows.length}）`}
            data-testid={`inbox-${s.key}`}
          >
            {rows.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s.empty} />
            ) : (
              <Table<InboxItem>
                size="small"
                rowKey="id"
                pagination={rows.length > 20 ? { pageSize: 20, size: 'small' } : false}
                dataSource={rows}
                rowClassName={(r) => (r.overdue ? 'xj-inbox-late' : '')}
                columns={[
                  {
                    title: '事项',
                    key: 'title',
                    render: (_, r) => (
                      <>
                        <a href={href(r.route)} data-testid="inbox-item">
                          {r.title}
                        </a>
                        {r.links?.length ? (
                          <div className="xj-inbox-links">
                            {r.links.map((l) => (
                              <a key={l.route} href={href(l.route)} data-testid="inbox-item-link">
                                {l.label}
                              </a>
                            ))}
                          </div>
                        ) : null}
                      </>
                    ),
                  },
                  { title: '进展', key: 'detail', render: (_, r) => r.detail ?? '' },
                  ...(s.key === 'info'
                    ? []
                    : [
                        {
                          title: '办理期限',
                          key: 'due',
                          width: 380,
                          render: (_: unknown, r: InboxItem) => <Due item={r} late={lateOf(r)} />,
                        },
                      ]),
                ]}
              />
            )}
          </Card>
        );
      })}
    </div>
  );
}
