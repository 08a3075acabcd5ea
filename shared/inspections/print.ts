// The printed forms of an inspection from its records: the 检查情况记录表 on site (results, the sample and
// duplicate checks, the traces kept and the signatures drawn on screen; DOMAIN.md "Printed forms") and the
// 检查报告 (YQ 总述 三). Times are shown in Beijing time, as the paper is signed.
import { addWorkdays, type WorkCalendar } from '../calendar/calendar';
import { chinaDate, chinaTime } from '../calendar/china';
import { maxDate, type Ymd } from '../calendar/dates';
import type { CalendarOverride } from '../domain/schemas';
import type { InspectionRecordData } from '../forms/defs/inspection-record';
import type { InspectionReportData } from '../forms/defs/inspection-report';
import { inspectionDeadlines } from '../rules/checks/inspection';
import type { RuleSettings } from '../rules/settings';
import type { InspectionDoc, ReportDoc } from './records';
import { archiveDifferences, recordEvidence, recordRows, SCHOOL_HEAD } from './visit';

/** 抽查与比对情况: the sample and the duplicate check in a few lines. */
export function samplingText(doc: InspectionDoc): string {
  const lines: string[] = [];
  if (doc.sample) {
    const diffs = archiveDifferences(doc);
    lines.push(
      `随机抽查学生纸质档案 ${doc.sample.students.length} 份（随机种子“${doc.sample.seed}”，花名册 ${doc.sample.rosterSize} 人）：${
        diffs.length === 0
          ? '各部分与学校登记一致'
          : `${diffs.length} 处与学校登记不符——${diffs
              .slice(0, 8)
              .map((d) => `${d.name}：${d.text}`)
              .join('；')}${diffs.length > 8 ? `等` : ''}`
      }`,
    );
  }
  const d = doc.duplicates;
  if (d)
    lines.push(
      `重复注册比对（${d.students} 名在籍学生）：本校内同一证件号重复 ${d.within} 组，与其他学校同时在籍 ${d.elsewhere} 人，证件号无效 ${d.invalid} 人${
        d.lookups.length > 0 ? `；现场查询证件号 ${d.lookups.length} 次` : ''
      }`,
    );
  return lines.join('\n');
}

/**
 * The data of the 检查情况记录表. `images` gives the JPEG data URL of each signature by its SHA-256 (the
 * attachment's bytes); a signature whose image is not on this machine leaves its cell for ink.
 */
export function recordFormData(
  doc: InspectionDoc,
  o: {
    school: { name: string; creditCode?: string; address?: string };
    images: ReadonlyMap<string, string>;
    printedAt?: Ymd;
  },
): InspectionRecordData {
  const checks = recordRows(doc).map((c) => ({
    item: c.item,
    method: c.method,
    finding: c.finding,
    ...(c.note ? { note: c.note } : {}),
  }));
  const signatures = [
    ...doc.inspectors.flatMap((i) => {
      const s = doc.signatures?.[i.userId];
      const image = s ? o.images.get(s.sha256) : undefined;
      return s && image
        ? [{ role: 'inspector' as const, name: s.name, image, signedAt: chinaTime(s.signedAt) }]
        : [];
    }),
    ...(() => {
      const s = doc.signatures?.[SCHOOL_HEAD];
      const image = s ? o.images.get(s.sha256) : undefined;
      return s && image
        ? [{ role: 'schoolHead' as const, name: s.name, image, signedAt: chinaTime(s.signedAt) }]
        : [];
    })(),
  ];
  const present = doc.inspectors.filter((i) => doc.present?.[i.userId]);
  const sampling = samplingText(doc);
  const evidence = recordEvidence(doc).map((e) => ({
    item: e.itemNo,
    kind: e.kind,
    label: e.label,
    capturedAt: chinaTime(e.capturedAt),
  }));
  return {
    recordId: doc.id,
    ...(o.printedAt ? { printedAt: o.printedAt } : {}),
    itemNo: doc.matter.id,
    itemName: doc.matter.name,
    school: {
      name: o.school.name,
      ...(o.school.creditCode ? { creditCode: o.school.creditCode } : {}),
      ...(o.school.address ? { address: o.school.address } : {}),
      head: doc.schoolHead?.trim() || '（未填写）',
    },
    startTime: chinaTime(doc.startedAt ?? doc.createdAt),
    ...(doc.endedAt ? { endTime: chinaTime(doc.endedAt) } : {}),
    inspectors: (present.length > 0 ? present : doc.inspectors).map((i) => ({
      name: i.name,
      enforcementId: i.enforcementId,
    })),
    checks,
    problems: doc.problems?.trim() || '未发现问题',
    handling: doc.handling?.trim() || '无',
    ...(sampling ? { sampling } : {}),
    ...(evidence.length > 0 ? { evidence } : {}),
    ...(signatures.length > 0 ? { signatures } : {}),
  } as InspectionRecordData;
}

/** The 检查报告's data: the report as written, the deadlines computed by the form from the calendar. */
export function reportFormData(
  r: ReportDoc,
  o: {
    printedAt?: Ymd;
    reportWorkdays?: number;
    publishWorkdays?: number;
    /** the province's calendar overrides in force (effectiveSettings(...).calendar) */
    calendar?: readonly CalendarOverride[];
  },
): Record<string, unknown> {
  return {
    recordId: r.id,
    ...(o.printedAt ? { printedAt: o.printedAt } : {}),
    ...(r.docNo ? { docNo: r.docNo } : {}),
    schoolName: r.schoolName,
    issuer: r.issuer,
    inspectionDate: r.inspectionDate,
    ...(r.inspectionEndDate ? { inspectionEndDate: r.inspectionEndDate } : {}),
    reportDate: r.reportDate,
    inspectors: r.inspectorNames,
    content: r.content,
    situation: r.situation,
    evaluation: r.evaluation,
    suggestions: r.suggestions,
    ...(o.reportWorkdays && o.reportWorkdays !== 10 ? { reportWorkdays: o.reportWorkdays } : {}),
    ...(o.publishWorkdays && o.publishWorkdays !== 20 ? { publishWorkdays: o.publishWorkdays } : {}),
    ...(o.calendar && o.calendar.length > 0
      ? {
          calendar: o.calendar.map((e) => ({
            date: e.date,
            kind: e.kind,
            ...(e.note ? { note: e.note } : {}),
          })),
        }
      : {}),
  } satisfies Partial<Record<keyof InspectionReportData, unknown>>;
}

/**
 * R-REPORT-10 / R-PUBLISH-20 (YQ 总述 三): the last day for the report and for publication, counted in
 * working days from the day after the check ended (its Beijing day).
 */
export function visitDeadlines(
  doc: Pick<InspectionDoc, 'endedAt' | 'recordedAt'>,
  cal: WorkCalendar,
  s: RuleSettings,
) {
  const ended = doc.endedAt ?? doc.recordedAt;
  if (!ended) return null;
  const end = chinaDate(ended);
  return { end, ...inspectionDeadlines(end, cal, s) };
}

/** The default answer date of a follow-up: N working days after the record (a setting of the inspector). */
export function followUpDue(recordedAt: string, cal: WorkCalendar, workdays: number): Ymd {
  return addWorkdays(cal, chinaDate(recordedAt), workdays).value;
}

/** A report draft from the signed record: the inspector completes situation, evaluation and suggestions. */
export function draftReport(
  doc: InspectionDoc,
  o: { id: string; at: string; by: string; today: Ymd; issuer: string },
): ReportDoc {
  const day = chinaDate(doc.endedAt ?? doc.recordedAt ?? o.at);
  const start = chinaDate(doc.startedAt ?? doc.endedAt ?? o.at);
  const nonConforming = doc.template.items.filter((i) => doc.checks?.[i.id]?.finding === 'nonConforming');
  return {
    id: o.id,
    kind: 'report',
    schoolId: doc.schoolId,
    bureauId: doc.bureauId,
    orgPath: doc.orgPath,
    title: `检查报告：${doc.schoolName}`,
    status: 'draft',
    inspectionId: doc.id,
    issuer: o.issuer,
    schoolName: doc.schoolName,
    inspectionDate: start,
    ...(start !== day ? { inspectionEndDate: day } : {}),
    reportDate: maxDate(o.today, day),
    inspectorNames: doc.inspectors.filter((i) => doc.present?.[i.userId]).map((i) => i.name),
    content: `依据${doc.template.title}，对${doc.schoolName}进行${doc.matter.name}：${doc.template.items.map((i) => `${i.no}${i.title}`).join('；')}。`,
    situation: [
      ...doc.template.items.map((i) => {
        const c = doc.checks?.[i.id];
        const finding =
          c?.finding === 'conforming' ? '符合' : c?.finding === 'nonConforming' ? '不符合' : '不适用';
        return `${i.no}${i.title}：${finding}${c?.notes.trim() ? `，${c.notes.trim()}` : ''}`;
      }),
      samplingText(doc),
    ]
      .filter(Boolean)
      .join('\n'),
    evaluation:
      nonConforming.length === 0
        ? '学校学籍管理工作符合规定。'
        : `学校学籍管理工作有 ${nonConforming.length} 个检查项目不符合规定，须按要求整改。`,
    suggestions: doc.handling?.trim() || '无',
    createdAt: o.at,
    createdBy: o.by,
    updatedAt: o.at,
    updatedBy: o.by,
  };
}
