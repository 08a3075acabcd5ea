// A rule's ID and Chinese title linking to it on the 政策规则 page (every refusal, warning and due date the
// app shows names its rule this way), with its clause in a tooltip; a due date in a year whose holiday
// schedule is not loaded carries the warning. Before the school is set up it is plain text (no routes yet).
import { BookOutlined, WarningOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import { unknownYearWarning } from '../../../../shared/calendar/calendar';
import { dayNumber, yearOf } from '../../../../shared/calendar/dates';
import { isRuleId, type RuleId, ruleIdsIn } from '../../../../shared/rules/ids';
import { ruleDef, sourceLabel } from '../../../../shared/rules/registry';
import { href } from '../../app/router';
import { useDeskOrNull } from '../../app/session';
import { useRulesState } from './use-rules';

export function rulePath(id: RuleId): string {
  return `/rules/${id}`;
}

export function RuleRef({ id, due, uncertain }: { id: RuleId; due?: string; uncertain?: boolean }) {
  const session = useDeskOrNull();
  const r = ruleDef(id);
  const label = (
    <>
      <BookOutlined /> {id} {r.title}
    </>
  );
  return (
    <span className="xj-rule-ref" data-rule={id}>
      <Tooltip
        title={
          <span>
            “{r.clause}”<br />
            依据：{sourceLabel(r.source)}
          </span>
        }
      >
        {session ? <a href={href(rulePath(id))}>{label}</a> : <span>{label}</span>}
      </Tooltip>
      {due ? <DueDate date={due} uncertain={uncertain} /> : null}
    </span>
  );
}

/** A due date: "期限 2026-10-15", with the unknown-year warning when its year's schedule is not loaded. */
export function DueDate({ date, uncertain }: { date: string; uncertain?: boolean }) {
  const { calendar } = useRulesState();
  const unknown = dayNumber(date) !== null && !calendar.knownYears.has(yearOf(date));
  return (
    <span className="xj-rule-due">
      期限 {date}
      {unknown || uncertain ? (
        <Tooltip title={unknownYearWarning(yearOf(date))}>
          <span className="xj-rule-uncertain" data-testid="rule-date-uncertain">
            <WarningOutlined /> {unknownYearWarning(yearOf(date))}
          </span>
        </Tooltip>
      ) : null}
    </span>
  );
}

/** Links for the rules a message names (an import error, a server refusal). */
export function RuleRefs({ text }: { text: string | undefined }) {
  const ids = ruleIdsIn(text ?? '').filter(isRuleId);
  if (ids.length === 0) return null;
  return (
    <>
      {ids.map((id) => (
        <RuleRef key={id} id={id} />
      ))}
    </>
  );
}
