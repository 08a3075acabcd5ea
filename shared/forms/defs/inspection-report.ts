// 检查报告 (DOMAIN.md "Inspections" step 5; YQ 总述 三): time, content, situation, evaluation, handling
// opinions and suggestions, served to the school within 10 working days after the check (R-REPORT-10).
import { formatDateCn, MM } from '../layout';
import type { FormDefinition } from '../render';
import { date, FormDataError, list, object, optional, text } from '../shape';
import { recordFields } from './common';

const baseShape = object('检查报告', {
  ...recordFields,
  docNo: optional(text('文号', { max: 40 })),
  schoolName: text('被检查单位', { max: 60 }),
  issuer: text('检查单位', { max: 60 }),
  inspectionDate: date('检查日期'),
  inspectionEndDate: optional(date('检查结束日期')),
  reportDate: date('报告日期'),
  /** the R-REPORT-10 deadline: 10 working days after the check, computed by the caller's working-day calendar */
  dueDate: date('报告送达期限'),
  inspectors: list('检查人员', text('检查人员', { max: 50 }), { min: 2, max: 10 }),
  content: text('检查内容', { max: 4000 }),
  situation: text('检查情况', { max: 8000 }),
  evaluation: text('评价', { max: 4000 }),
  suggestions: text('处理意见和建议', { max: 4000 }),
});

export type InspectionReportData = ReturnType<typeof baseShape>;

function shape(raw: unknown, path: string): InspectionReportData {
  const d = baseShape(raw, path);
  const end = d.inspectionEndDate ?? d.inspectionDate;
  const at = (f: string) => (path ? `${path}.${f}` : f);
  if (d.inspectionEndDate && d.inspectionEndDate < d.inspectionDate)
    throw new FormDataError(at('inspectionEndDate'), '检查结束日期', '早于检查日期');
  if (d.dueDate <= end)
    throw new FormDataError(
      at('dueDate'),
      '报告送达期限',
      'R-REPORT-10：应为检查结束后第 10 个工作日，不能早于检查日期',
    );
  if (d.reportDate < d.inspectionDate) throw new FormDataError(at('reportDate'), '报告日期', '早于检查日期');
  return d;
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
    const late = d.reportDate > d.dueDate;
    w.line(
      `R-REPORT-10（YQ 总述 三）：本报告应于检查结束后 10 个工作日内，即 ${formatDateCn(d.dueDate)}前送达被检查单位${late ? '；本报告出具日期已超过该期限。' : '。'}`,
      '',
      9,
    );
    w.gap(2 * MM);
    w.opinions([{ title: `检查单位：${d.issuer}`, signerLabel: '负责人（签字）', date: d.reportDate }], 1);
  },
};
