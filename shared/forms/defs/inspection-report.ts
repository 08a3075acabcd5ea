// 检查报告 (DOMAIN.md "Inspections" step 5; YQ 总述 三): time, content, situation, evaluation, handling
// opinions and suggestions, served to the school within 10 working days after the check (R-REPORT-10),
// the results published within 20 (R-PUBLISH-20). Both dates come from the working-day calendar
// (shared/calendar), never from the caller: a check on 2026-09-24 is due 2026-10-15 across National Day.
import { makeCalendar } from '../../calendar/calendar';
import { inspectionDeadlines } from '../../rules/checks/inspection';
import { validateCalendarOverrides, withDefaults } from '../../rules/settings';
import { formatDateCn, MM } from '../layout';
import type { FormDefinition } from '../render';
import { type Check, date, FormDataError, list, object, optional, text } from '../shape';
import { recordFields } from './common';

const workdays = (label: string, max: number): Check<number | undefined> =>
  Object.assign(
    (v: unknown, path: string) => {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
        throw new FormDataError(path, label, `应为 1 到 ${max} 之间的整数（工作日）`);
      return v;
    },
    { label, optional: true },
  );

/** The province's calendar override entries in force (effectiveSettings(...).calendar), if any. */
const calendarEntries = Object.assign(
  (v: unknown, path: string) => {
    if (v === undefined || v === null) return undefined;
    const r = validateCalendarOverrides(v, path);
    if (!r.ok) {
      const p = r.problems[0];
      throw new FormDataError(p?.field ?? path, '工作日调整', p?.message ?? '有误');
    }
    return r.value;
  },
  { label: '工作日调整', optional: true },
);

const baseShape = object('检查报告', {
  ...recordFields,
  docNo: optional(text('文号', { max: 40 })),
  schoolName: text('被检查单位', { max: 60 }),
  issuer: text('检查单位', { max: 60 }),
  inspectionDate: date('检查日期'),
  inspectionEndDate: optional(date('检查结束日期')),
  reportDate: date('报告日期'),
  inspectors: list('检查人员', text('检查人员', { max: 50 }), { min: 2, max: 10 }),
  content: text('检查内容', { max: 4000 }),
  situation: text('检查情况', { max: 8000 }),
  evaluation: text('评价', { max: 4000 }),
  suggestions: text('处理意见和建议', { max: 4000 }),
  /** the deadlines in working days when the province set others than 10 and 20 */
  reportWorkdays: workdays('检查报告期限', 60),
  publishWorkdays: workdays('结果公开期限', 90),
  calendar: calendarEntries,
});

export type InspectionReportData = ReturnType<typeof baseShape> & {
  /** R-REPORT-10: the last day for the report, computed from the calendar */
  reportDue: string;
  /** R-PUBLISH-20: the last day for publication, computed from the calendar */
  publishDue: string;
  /** unknown-year warnings of the two dates ("2027 年放假安排尚未载入…") */
  calendarWarnings: string[];
};

function shape(raw: unknown, path: string): InspectionReportData {
  const d = baseShape(raw, path);
  const end = d.inspectionEndDate ?? d.inspectionDate;
  const at = (f: string) => (path ? `${path}.${f}` : f);
  if (d.inspectionEndDate && d.inspectionEndDate < d.inspectionDate)
    throw new FormDataError(at('inspectionEndDate'), '检查结束日期', '早于检查日期');
  if (d.reportDate < d.inspectionDate) throw new FormDataError(at('reportDate'), '报告日期', '早于检查日期');
  const settings = withDefaults({
    ...(d.reportWorkdays ? { reportWorkdays: d.reportWorkdays } : {}),
    ...(d.publishWorkdays ? { publishWorkdays: d.publishWorkdays } : {}),
  });
  const due = inspectionDeadlines(end, makeCalendar({ overrides: d.calendar ?? [] }), settings);
  return {
    ...d,
    reportDue: due.report.value,
    publishDue: due.publish.value,
    calendarWarnings: [...new Set([...due.report.warnings, ...due.publish.warnings])],
  };
}

export const inspectionReportForm: FormDefinition<InspectionReportData> = {
  id: 'inspection-report',
  title: '检查报告',
  orientation: 'portrait',
  shape: Object.assign(shape, { label: '检查报告' }),
  draw(w, d) {
    w.title(`学籍管理${this.title}`, d.docNo);
    const time =
      d.inspectionEndDate && d.inspectionEndDate !== d.inspectionDate
        ? `${formatDateCn(d.inspectionDate)}至${formatDateCn(d.inspectionEndDate)}`
        : formatDateCn(d.inspectionDate);
    w.fields(
      [
        ['被检查单位', d.schoolName],
        ['检查单位', d.issuer],
      ],
      2,
      1.2,
      1.8,
    );
    w.fields(
      [
        ['检查时间', time],
        ['报告日期', formatDateCn(d.reportDate)],
      ],
      2,
      1.2,
      1.8,
    );
    w.fields([['检查人员', d.inspectors.join('、')]], 1, 1.2, 4.8);
    w.paragraphBox('检查内容', d.content, 16 * MM, 1.2, 4.8);
    w.paragraphBox('检查情况', d.situation, 24 * MM, 1.2, 4.8);
    w.paragraphBox('评价', d.evaluation, 16 * MM, 1.2, 4.8);
    w.paragraphBox('处理意见和建议', d.suggestions, 20 * MM, 1.2, 4.8);
    w.gap(2 * MM);
    const late = d.reportDate > d.reportDue;
    const reportDays = d.reportWorkdays ?? 10;
    const publishDays = d.publishWorkdays ?? 20;
    w.line(
      `R-REPORT-10 检查报告期限（阳泉市实地核查工作指引 总述 三）：本报告应于检查结束后 ${reportDays} 个工作日内，即 ${formatDateCn(d.reportDue)}前完成并送达被检查单位${late ? '；本报告出具日期已超过该期限。' : '。'}`,
      '',
      9,
    );
    w.line(
      `R-PUBLISH-20 结果公开期限（阳泉市实地核查工作指引 总述 三）：抽查情况及查处结果原则上应于抽查结束之日起 ${publishDays} 个工作日内，即 ${formatDateCn(d.publishDue)}前向社会公开。`,
      '',
      9,
    );
    for (const warning of d.calendarWarnings) w.line(`注意：${warning}。`, '', 9);
    w.gap(2 * MM);
    w.opinions([{ title: `检查单位：${d.issuer}`, signerLabel: '负责人（签字）', date: d.reportDate }], 1);
  },
};
