// The change requests' part of the 待办 inbox (R-DAILY, YQ 四(一)): what waits for this user's decision
// (with the step's due date and its rule), the school's drafts and its approved forms to file, what the
// user's school started and where it stands, and recent rejections and transfers out as notes.
import { makeCalendar, type WorkCalendar } from '../calendar/calendar';
import { chinaDate } from '../calendar/china';
import { addDays, type Ymd } from '../calendar/dates';
import type { OrgDoc } from '../domain/schemas';
import type { InboxItem, InboxProvider } from '../inbox/types';
import { effectiveSettings, orgChain, type RuleSettings, ruleSettingsOf } from '../rules/settings';
import { stepDue } from './deadline';
import { mayDecide } from './decide';
import { definitionOf } from './definitions';
import { stepLabel } from './route';
import { decidedAt, rejectionOf } from './state';
import { CHANGE_TYPES, type ChangeRequestDoc } from './types';

/** How long a decided request stays in the inbox as a note. */
const NOTE_DAYS = 30;

type Records = Readonly<Record<string, readonly Record<string, unknown>[]>>;

export function requestSubjectName(req: Pick<ChangeRequestDoc, 'students'>): string {
  const first = req.students[0]?.name ?? '（未填写学生）';
  return req.students.length > 1 ? `${first} 等 ${req.students.length} 人` : first;
}

/** "转学申请：王雨桐（郑州市第一职业中专 → 开封市文化艺术职业中专）" */
export function requestTitle(req: ChangeRequestDoc): string {
  const base = `${CHANGE_TYPES[req.type]}申请：${requestSubjectName(req)}`;
  if (req.type !== 'transfer') return base;
  return `${base}（${req.fromSchoolName ?? req.students[0]?.schoolName ?? '转出学校'} → ${req.route[0]?.orgName ?? ''}）`;
}

/** The deadline facts of one school (its settings and the province's calendar corrections), cached per school. */
export function deadlineFactsFor(orgs: readonly OrgDoc[]) {
  const cache = new Map<string, { calendar: WorkCalendar; settings: RuleSettings }>();
  return (schoolId: string) => {
    let hit = cache.get(schoolId);
    if (!hit) {
      const eff = effectiveSettings(orgChain(orgs, schoolId));
      hit = { calendar: makeCalendar({ overrides: eff.calendar }), settings: ruleSettingsOf(eff) };
      cache.set(schoolId, hit);
    }
    return { ...hit, orgs };
  };
}

export const changeRequestInbox: InboxProvider<Records> = {
  kind: 'changeRequest',
  items(records, ctx) {
    const requests = (records.changeRequests ?? []) as unknown as ChangeRequestDoc[];
    const orgs = (records.orgs ?? []) as unknown as OrgDoc[];
    const factsOf = deadlineFactsFor(orgs);
    const user = ctx.user;
    const since: Ymd = addDays(ctx.today, -NOTE_DAYS);
    const out: InboxItem[] = [];
    for (const req of requests) {
      const route = `/changes/${req.id}`;
      const subject = {
        kind: 'student' as const,
        id: req.studentIds[0] ?? req.id,
        name: requestSubjectName(req),
      };
      const owner = user.role === 'schoolAdmin' && user.orgId === req.schoolId;
      const due = () => {
        const d = stepDue(req, factsOf(req.schoolId));
        return d ? { date: d.date, rule: d.rule, ...(d.uncertain ? { uncertain: true } : {}) } : undefined;
      };
      const stepSince = () => {
        const counted = req.decisions.filter((d) => !d.late);
        return counted[counted.length - 1]?.at ?? req.createdAt;
      };
      if (req.status === 'submitted') {
        const step = req.route[req.step];
        if (mayDecide(user, step)) {
          const dueOf = due();
          out.push({
            id: `changeRequest:${req.id}:step${req.step}`,
            kind: 'changeRequest',
            section: 'waiting',
            title: `审批 ${requestTitle(req)}`,
            detail: `${stepLabel(req.route, req.step)}；由${req.route[0]?.orgName ?? ''}于 ${chinaDate(req.decisions[0]?.at ?? req.createdAt)} 提交`,
            subject,
            ...(dueOf ? { due: dueOf } : {}),
            route,
            since: stepSince(),
          });
        } else if (owner) {
          const dueOf = due();
          out.push({
            id: `changeRequest:${req.id}:started`,
            kind: 'changeRequest',
            section: 'started',
            title: requestTitle(req),
            detail: `${stepLabel(req.route, req.step)}，等待${step?.orgName ?? ''}审核`,
            subject,
            ...(dueOf ? { due: dueOf } : {}),
            route,
            since: stepSince(),
          });
        }
        continue;
      }
      if (
        !owner &&
        !(req.type === 'transfer' && user.role === 'schoolAdmin' && user.orgId === req.fromSchoolId)
      )
        continue;
      if (req.status === 'draft' && owner) {
        const dueOf = due();
        out.push({
          id: `changeRequest:${req.id}:draft`,
          kind: 'changeRequest',
          section: 'waiting',
          title: `提交 ${requestTitle(req)}（草稿）`,
          detail: `申请日期 ${req.appliedOn}；填写完整并上传证明材料后提交`,
          subject,
          ...(dueOf ? { due: dueOf } : {}),
          route,
          since: req.createdAt,
        });
        continue;
      }
      const decided = decidedAt(req);
      const recent = decided !== undefined && chinaDate(decided) >= since;
      if (req.status === 'approved' && owner && !req.filed) {
        const form =
          definitionOf(req.type).form === 'info-change' ? '学生基本信息变更申请表' : '学籍异动审批表';
        out.push({
          id: `changeRequest:${req.id}:file`,
          kind: 'changeRequest',
          section: 'waiting',
          title: `归档 ${requestTitle(req)}`,
          detail: `已审批通过（${decided ? chinaDate(decided) : ''}）：将签字盖章的《${form}》放入学生纸质档案后，标记“已归档”`,
          subject,
          route,
          since: decided ?? req.updatedAt,
        });
      } else if (req.status === 'rejected' && owner && recent) {
        const r = rejectionOf(req);
        out.push({
          id: `changeRequest:${req.id}:rejected`,
          kind: 'changeRequest',
          section: 'info',
          title: `已退回 ${requestTitle(req)}`,
          detail: `${r?.orgName ?? ''}（${r?.byName ?? ''}）于 ${r ? chinaDate(r.at) : ''} 退回：${r?.opinion ?? ''}`,
          subject,
          route,
          since: decided ?? req.updatedAt,
        });
      } else if (req.status === 'approved' && !owner && recent) {
        out.push({
          id: `changeRequest:${req.id}:transferredOut`,
          kind: 'changeRequest',
          section: 'info',
          title: `已转出 ${requestSubjectName(req)}（转至${req.route[0]?.orgName ?? ''}）`,
          detail: `转学于 ${decided ? chinaDate(decided) : ''} 办结，该生的记录已移至转入学校；本校保留转出记录和转出前的历史`,
          subject,
          route,
          since: decided ?? req.updatedAt,
        });
      }
    }
    return out;
  },
};
