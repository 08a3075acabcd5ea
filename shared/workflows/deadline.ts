// The last day to act on the step waiting (the inbox's due dates, R-DAILY): R-1WEEK — a calendar week
// from the application for suspension, resumption, death, going abroad, a 高中 withdrawal and info
// changes; R-GRAD-JUNE — 30 June of the year for graduation; a transfer — each party in turn within its
// working days (R-TX-WINDOW's `transferStepWorkdays`, counted by the State Council calendar from the day
// after the application, then from the day after the party before approved).
import { addWorkdays, type WorkCalendar } from '../calendar/calendar';
import { chinaDate } from '../calendar/china';
import { addDays, dayNumber, type Ymd, yearOf } from '../calendar/dates';
import type { OrgDoc } from '../domain/schemas';
import { oneWeekApplies } from '../rules/checks/changes';
import { schoolFactsFromOrgs } from '../rules/facts';
import { type RuleId, ruleName } from '../rules/ids';
import type { RuleSettings } from '../rules/settings';
import { definitionOf } from './definitions';
import { deriveState } from './state';
import { CHANGE_TYPES, type ChangeRequestDoc } from './types';

export type StepDue = { date: Ymd; rule: RuleId; uncertain?: boolean; message: string };

export type DeadlineFacts = { calendar: WorkCalendar; settings: RuleSettings; orgs: readonly OrgDoc[] };

/** The due date of the step waiting (a draft: of its submission), or undefined when no rule sets one. */
export function stepDue(req: ChangeRequestDoc, facts: DeadlineFacts): StepDue | undefined {
  if (req.status !== 'draft' && req.status !== 'submitted') return undefined;
  if (dayNumber(req.appliedOn) === null) return undefined;
  const def = definitionOf(req.type);
  const what = CHANGE_TYPES[req.type];
  switch (def.deadline) {
    case 'oneWeek': {
      const school = facts.orgs.find((o) => o.id === req.schoolId);
      const schoolFacts = school ? schoolFactsFromOrgs(school, facts.orgs) : undefined;
      if (!oneWeekApplies(req.type, schoolFacts)) return undefined;
      const date = addDays(req.appliedOn, facts.settings.changeDeadlineDays);
      return {
        date,
        rule: 'R-1WEEK',
        message: `${ruleName('R-1WEEK')}：${what}申请于 ${req.appliedOn} 提出，应在 ${facts.settings.changeDeadlineDays} 天内（${date} 前）办结`,
      };
    }
    case 'graduation': {
      const date = `${yearOf(req.appliedOn)}-${facts.settings.graduationDeadline}`;
      if (dayNumber(date) === null) return undefined;
      return {
        date,
        rule: 'R-GRAD-JUNE',
        message: `${ruleName('R-GRAD-JUNE')}：毕业生学籍信息和毕业生审核须在 ${date} 前完成`,
      };
    }
    case 'transferStep': {
      const state = deriveState(req.route, req.decisions, req.withdrawn);
      const previous = state.counted.get(state.step - 1);
      const from = previous ? chinaDate(previous.at) : req.appliedOn;
      const n = facts.settings.transferStepWorkdays;
      const due = addWorkdays(facts.calendar, from, n);
      const who = req.route[state.step]?.orgName ?? '';
      return {
        date: due.value,
        rule: 'R-TX-WINDOW',
        ...(due.uncertain ? { uncertain: true } : {}),
        message: `转学各方须在 ${n} 个工作日内审核（${ruleName('R-TX-WINDOW')}）：${who}自 ${from} 的次日起算，最后一天 ${due.value}${due.warnings.length ? `（${due.warnings.join('；')}）` : ''}`,
      };
    }
    default:
      return undefined;
  }
}
