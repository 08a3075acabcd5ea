// The inspections' items of the 待办 inbox (R-DAILY; shared/inbox): for inspectors, the visits assigned to
// them and the reports due (R-REPORT-10); for the bureau, the reports and the publication of results due
// (R-PUBLISH-20), counted down in working days and overdue after the last day; for the school, the visit
// announced, the report to sign for and the follow-ups (整改事项) to answer; for the inspectors and the bureau,
// the school's answers to review. The records are the user's own copy (already scoped by the server).
import { makeCalendar } from '../calendar/calendar';
import type { OrgDoc } from '../domain/schemas';
import type { InboxItem, InboxProvider } from '../inbox/types';
import { effectiveSettings, orgChain, type RuleSettings } from '../rules/settings';
import { visitDeadlines } from './print';
import {
  FOLLOW_UP_STATUS_LABELS,
  type FollowUpDoc,
  INSPECTION_STATUS_LABELS,
  type InspectionDoc,
  type InspectionRecord,
  type ReportDoc,
} from './records';

function settingsOf(orgs: readonly OrgDoc[], orgId: string) {
  const effective = effectiveSettings(orgChain(orgs, orgId));
  const rules = Object.fromEntries(
    Object.entries(effective.rules).map(([k, v]) => [k, v.value]),
  ) as RuleSettings;
  return { rules, calendar: makeCalendar({ overrides: effective.calendar }) };
}

/** What the provider reads: the local copy's records by collection name (as shared/inbox/providers passes them). */
type InboxRecords = Readonly<Record<string, readonly Record<string, unknown>[]>>;

export const inspectionsInbox: InboxProvider<InboxRecords> = {
  kind: 'inspections',
  items(records, ctx) {
    const all = (records.inspections ?? []) as unknown as InspectionRecord[];
    if (all.length === 0) return [];
    const { user } = ctx;
    const { rules, calendar } = settingsOf((records.orgs ?? []) as unknown as OrgDoc[], user.orgId);
    const visits = all.filter((r): r is InspectionDoc => r.kind === 'inspection');
    const reports = new Map(
      all.filter((r): r is ReportDoc => r.kind === 'report').map((r) => [r.inspectionId, r]),
    );
    const mine = (v: InspectionDoc) => v.inspectors.some((i) => i.userId === user.id);
    const isInspector = user.role === 'inspector';
    const isBureau = user.role === 'bureau';
    const isSchool = user.role === 'schoolAdmin';
    const out: InboxItem[] = [];
    for (const v of visits) {
      const subject = { kind: 'school' as const, id: v.schoolId, name: v.schoolName };
      const route = `/inspections/${v.id}`;
      if (isInspector && mine(v) && (v.status === 'assigned' || v.status === 'onSite'))
        out.push({
          id: `inspection:${v.id}:visit`,
          kind: 'inspectionVisit',
          section: 'waiting',
          title: `实地核查：${v.schoolName}`,
          detail: `${v.matter.name}；${INSPECTION_STATUS_LABELS[v.status]}；检查人员 ${v.inspectors.map((i) => i.name).join('、')}`,
          subject,
          route,
          since: v.createdAt,
        });
      if (isSchool && v.status === 'assigned')
        out.push({
          id: `inspection:${v.id}:notice`,
          kind: 'inspectionNotice',
          section: 'info',
          title: `检查通知：${v.bureauName}${v.matter.name}`,
          detail: `检查人员 ${v.inspectors.map((i) => i.name).join('、')}（抽取日期 ${v.drawDate}）`,
          subject,
          route,
          since: v.createdAt,
        });
      if (v.status !== 'recorded' && v.status !== 'published') continue;
      const due = visitDeadlines(v, calendar, rules);
      if (!due) continue;
      const report = reports.get(v.id);
      // R-REPORT-10 (YQ 总述 三): the report within 10 working days after the check ended.
      if ((isInspector && mine(v)) || isBureau)
        if (!report || report.status === 'draft')
          out.push({
            id: `inspection:${v.id}:report`,
            kind: 'inspectionReport',
            section: 'waiting',
            title: `出具检查报告：${v.schoolName}`,
            detail: `检查于 ${due.end} 结束，应在 ${rules.reportWorkdays} 个工作日内完成并送达（R-REPORT-10）${report ? '；已有草稿' : ''}`,
            subject,
            due: {
              date: due.report.value,
              rule: 'R-REPORT-10',
              ...(due.report.uncertain ? { uncertain: true } : {}),
            },
            route,
            since: v.recordedAt ?? v.updatedAt,
          });
      // R-PUBLISH-20 (YQ 总述 三): the results made public within 20 working days.
      if (isBureau && v.status === 'recorded')
        out.push({
          id: `inspection:${v.id}:publish`,
          kind: 'inspectionPublish',
          section: 'waiting',
          title: `公开抽查结果：${v.schoolName}`,
          detail: `检查于 ${due.end} 结束，原则上应在 ${rules.publishWorkdays} 个工作日内向社会公开（R-PUBLISH-20）`,
          subject,
          due: {
            date: due.publish.value,
            rule: 'R-PUBLISH-20',
            ...(due.publish.uncertain ? { uncertain: true } : {}),
          },
          route,
          since: v.recordedAt ?? v.updatedAt,
        });
      if (isSchool && report?.status === 'issued')
        out.push({
          id: `inspection:${v.id}:receive`,
          kind: 'inspectionReportReceive',
          section: 'waiting',
          title: `签收检查报告：${v.bureauName}`,
          detail: `${report.title}（${report.reportDate}）`,
          subject,
          route: `/inspections/${v.id}/report`,
          since: report.issuedAt ?? report.updatedAt,
        });
    }
    for (const f of all.filter((r): r is FollowUpDoc => r.kind === 'followUp')) {
      const visit = visits.find((v) => v.id === f.inspectionId);
      const route = `/inspections/${f.inspectionId}/follow-ups`;
      const subject = { kind: 'school' as const, id: f.schoolId, name: visit?.schoolName ?? f.schoolId };
      if (isSchool && f.status === 'open')
        out.push({
          id: `followUp:${f.id}:answer`,
          kind: 'inspectionFollowUp',
          section: 'waiting',
          title: `整改：${f.itemNo}${f.itemTitle}`,
          detail: `${f.problem}${f.dueDate ? `；整改期限 ${f.dueDate}` : ''}${f.reviews.length > 0 ? `；已退回：${f.reviews.at(-1)?.note ?? ''}` : ''}`,
          subject,
          route,
          since: f.createdAt,
        });
      if (isSchool && f.status === 'answered')
        out.push({
          id: `followUp:${f.id}:answered`,
          kind: 'inspectionFollowUp',
          section: 'started',
          title: `整改：${f.itemNo}${f.itemTitle}`,
          detail: `${FOLLOW_UP_STATUS_LABELS.answered}，等待检查单位审核`,
          subject,
          route,
          since: f.answers.at(-1)?.at ?? f.updatedAt,
        });
      if ((isBureau || (isInspector && visit && mine(visit))) && f.status === 'answered')
        out.push({
          id: `followUp:${f.id}:review`,
          kind: 'inspectionFollowUpReview',
          section: 'waiting',
          title: `审核整改回复：${subject.name}`,
          detail: `${f.itemNo}${f.itemTitle}：${f.answers.at(-1)?.text.slice(0, 60) ?? ''}`,
          subject,
          route,
          since: f.answers.at(-1)?.at ?? f.updatedAt,
        });
    }
    return out;
  },
};
