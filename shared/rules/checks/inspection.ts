// On-site inspections (YQ 总述 二, 三): R-INSP-2, R-INSP-RECUSE, R-REPORT-10, R-PUBLISH-20. Plain data in
// (the draw of `xueji draw` calls mayInspect / eligibleInspectors for every pairing it makes).
import {
  addWorkdays,
  type CalendarAnswer,
  type WorkCalendar,
  workdaysBetween,
} from '../../calendar/calendar';
import type { Ymd } from '../../calendar/dates';
import { ruleName } from '../ids';
import type { RuleSettings } from '../settings';
import type { Finding, InspectionFacts, InspectorFacts } from '../types';

const who = (i: InspectorFacts) => i.name ?? i.id;

/** R-INSP-RECUSE (YQ 总述 二): an inspector with a declared conflict with the object never inspects it. */
export function mayInspect(inspector: InspectorFacts, objectId: string): boolean {
  return !(inspector.conflicts ?? []).includes(objectId);
}

/** R-INSP-2 + R-INSP-RECUSE: who of a pool may be sent to an object (an enforcement ID, no conflict). */
export function eligibleInspectors<T extends InspectorFacts>(pool: readonly T[], objectId: string): T[] {
  return pool.filter((i) => Boolean(i.enforcementId?.trim()) && mayInspect(i, objectId));
}

/** R-INSP-RECUSE: one refusal per inspector who should have recused. */
export function checkRecusal(
  objectId: string,
  inspectors: readonly InspectorFacts[],
  objectName = objectId,
): Finding[] {
  return inspectors
    .filter((i) => !mayInspect(i, objectId))
    .map((i) => ({
      rule: 'R-INSP-RECUSE',
      level: 'refuse' as const,
      message: `${ruleName('R-INSP-RECUSE')}：检查人员 ${who(i)} 与检查对象 ${objectName} 有利害关系，应依法回避`,
    }));
}

/**
 * R-INSP-2 (YQ 总述 二): "实地核查人员不得少于两人，并应当出示执法证件" — at least two (the setting)
 * inspectors with an enforcement ID and no conflict with the object.
 */
export function checkInspectorCount(
  objectId: string,
  inspectors: readonly InspectorFacts[],
  s: RuleSettings,
): Finding[] {
  const ok = eligibleInspectors(inspectors, objectId);
  if (ok.length >= s.inspectorsMin) return [];
  const noId = inspectors.filter((i) => !i.enforcementId?.trim()).map(who);
  const detail = [
    `持执法证件且无须回避的只有 ${ok.length} 人${ok.length > 0 ? `（${ok.map(who).join('、')}）` : ''}`,
    ...(noId.length > 0 ? [`${noId.join('、')} 没有执法证号`] : []),
  ].join('；');
  return [
    {
      rule: 'R-INSP-2',
      level: 'refuse',
      message: `${ruleName('R-INSP-2')}：实地核查人员不得少于 ${s.inspectorsMin} 人并应出示执法证件，${detail}`,
    },
  ];
}

export type InspectionDeadlines = { report: CalendarAnswer<Ymd>; publish: CalendarAnswer<Ymd> };

/**
 * R-REPORT-10 / R-PUBLISH-20 (YQ 总述 三): the report within 10 working days after the check ends, the
 * publication within 20 ("自抽查结束之日起"), both counted from the next day (the settings give 10 and 20).
 */
export function inspectionDeadlines(end: Ymd, cal: WorkCalendar, s: RuleSettings): InspectionDeadlines {
  return {
    report: addWorkdays(cal, end, s.reportWorkdays),
    publish: addWorkdays(cal, end, s.publishWorkdays),
  };
}

function deadlineFinding(
  rule: 'R-REPORT-10' | 'R-PUBLISH-20',
  what: string,
  end: Ymd,
  n: number,
  due: CalendarAnswer<Ymd>,
  doneOn: Ymd | undefined,
  date: Ymd,
  cal: WorkCalendar,
  warnings: string[],
): Finding[] {
  const note = due.uncertain ? `（${due.warnings.join('；')}）` : '';
  if (due.uncertain) warnings.push(...due.warnings);
  const head = `${ruleName(rule)}：检查于 ${end} 结束，${rule === 'R-PUBLISH-20' ? '原则上' : ''}应在 ${n} 个工作日内（${due.value} 前）${what}`;
  if (doneOn) {
    if (doneOn <= due.value) return [];
    return [
      {
        rule,
        level: 'info',
        message: `${head}；实际于 ${doneOn} 完成，超过期限 ${workdaysBetween(cal, due.value, doneOn).value} 个工作日${note}`,
      },
    ];
  }
  const late = date > due.value ? `；已逾期 ${workdaysBetween(cal, due.value, date).value} 个工作日` : '';
  return [
    {
      rule,
      level: 'action',
      message: head + late + note,
      due: due.value,
      ...(due.uncertain ? { dueUncertain: true } : {}),
    },
  ];
}

/** Every inspection rule for one inspection evaluated at `date`. */
export function checkInspection(
  f: InspectionFacts,
  date: Ymd,
  s: RuleSettings,
  cal: WorkCalendar,
  warnings: string[],
  objectName = f.schoolId,
): Finding[] {
  const end = f.endDate ?? f.date;
  const d = inspectionDeadlines(end, cal, s);
  return [
    ...checkInspectorCount(f.schoolId, f.inspectors, s),
    ...checkRecusal(f.schoolId, f.inspectors, objectName),
    ...deadlineFinding(
      'R-REPORT-10',
      '完成检查报告并送达检查对象',
      end,
      s.reportWorkdays,
      d.report,
      f.reportedOn,
      date,
      cal,
      warnings,
    ),
    ...deadlineFinding(
      'R-PUBLISH-20',
      '向社会公开抽查情况和查处结果',
      end,
      s.publishWorkdays,
      d.publish,
      f.publishedOn,
      date,
      cal,
      warnings,
    ),
  ];
}
