// The record and report of an inspection: R-REPORT-10 / R-PUBLISH-20 across the 2026 National Day holidays,
// the inbox counting them down, the 检查情况记录表 rendered with its signatures and read back with poppler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFormFonts } from '../../cli/commands/form';
import { AT, fullVisit } from '../../tests/support/inspection-fixtures';
import { makeCalendar } from '../calendar/calendar';
import { chinaTime } from '../calendar/china';
import { inspectionRecordForm } from '../forms/defs/inspection-record';
import { inspectionReportForm } from '../forms/defs/inspection-report';
import { renderForms } from '../forms/render';
import { collectInbox } from '../inbox/types';
import { withDefaults } from '../rules/settings';
import type { SyncUser } from '../sync/protocol';
import { inspectionsInbox } from './inbox';
import { draftReport, recordFormData, reportFormData, visitDeadlines } from './print';
import { reportIdOf } from './records';
import { completeVisit } from './visit';

const root = resolve(import.meta.dirname, '../..');
const cal = makeCalendar();
const s = withDefaults();
const signed = () => {
  const { doc } = fullVisit();
  const done = completeVisit(
    { ...doc, startedAt: '2026-09-24T01:00:00.000Z' },
    { at: '2026-09-24T08:30:00.000Z', by: 'i2' },
  );
  if (!done.ok) throw new Error(JSON.stringify(done.problems));
  return done.value;
};

describe('R-REPORT-10 / R-PUBLISH-20 across the 2026 National Day holidays', () => {
  it('a check ending Thursday 2026-09-24: report by 10-15, publication by 10-29 (9/25–27 and 10/1–7 off, 10/10 worked)', () => {
    const due = visitDeadlines({ endedAt: '2026-09-24T08:30:00.000Z' }, cal, s);
    expect(due?.end).toBe('2026-09-24');
    expect(due?.report.value).toBe('2026-10-15');
    expect(due?.publish.value).toBe('2026-10-29');
  });
  it('a check ending 2026-09-30: the report is due 2026-10-20 (10/1–7 off, 10/10 worked)', () => {
    const due = visitDeadlines({ endedAt: '2026-09-30T06:00:00.000Z' }, cal, s);
    expect(due?.report.value).toBe('2026-10-20');
    expect(due?.publish.value).toBe('2026-11-03');
  });
  it('counts from the Beijing day: 01:00 on 09-25 in Beijing is 17:00 UTC on 09-24', () => {
    expect(chinaTime('2026-09-24T17:00:00.000Z')).toBe('2026-09-25 01:00');
    expect(visitDeadlines({ endedAt: '2026-09-24T17:00:00.000Z' }, cal, s)?.end).toBe('2026-09-25');
  });
  it('the printed report computes the same due date from the calendar', () => {
    const doc = signed();
    const report = draftReport(doc, {
      id: reportIdOf(doc.id),
      at: AT,
      by: 'i2',
      today: '2026-10-09',
      issuer: '郑州市教育局',
    });
    const data = inspectionReportForm.shape(reportFormData(report, {}), '');
    expect(data.reportDue).toBe('2026-10-15');
    expect(data.publishDue).toBe('2026-10-29');
  });

  it("the printed report follows the province's calendar overrides and deadlines as the screen does (R-REPORT-10)", () => {
    const doc = signed();
    const report = draftReport(doc, {
      id: reportIdOf(doc.id),
      at: AT,
      by: 'i2',
      today: '2026-10-09',
      issuer: '郑州市教育局',
    });
    // a province that declared 2026-10-12 a holiday (as the settings screen keeps it, with its source)
    const calendar = [
      { date: '2026-10-12', kind: 'holiday' as const, note: '调休', source: { orgId: '41' } },
    ];
    const data = inspectionReportForm.shape(
      reportFormData(report, { calendar, reportWorkdays: 10, publishWorkdays: 20 }),
      '',
    );
    expect(data.reportDue).toBe('2026-10-16');
    expect(data.publishDue).toBe('2026-10-30');
    const screen = visitDeadlines(
      doc,
      makeCalendar({ overrides: calendar }),
      withDefaults({ reportWorkdays: 10, publishWorkdays: 20 }),
    );
    expect([screen?.report.value, screen?.publish.value]).toEqual([data.reportDue, data.publishDue]);
  });
});

describe('R-DAILY inbox: the report and the publication counted down, late flagged', () => {
  const user = (role: SyncUser['role'], id: string, orgId: string): SyncUser => ({
    id,
    username: id,
    displayName: id,
    role,
    orgId,
    orgName: orgId,
    orgPath: `/41/${orgId}/`,
    classIds: [],
  });
  it('the bureau sees both deadlines; on 10-16 the report is overdue and the publication is not', () => {
    const doc = signed();
    const records = { inspections: [doc as unknown as Record<string, unknown>], orgs: [] };
    const bureau = user('bureau', 'b1', '4101');
    const on = (today: string) => collectInbox([inspectionsInbox], records, { user: bureau, today });
    const items = on('2026-10-09');
    expect(items.map((i) => [i.kind, i.due?.date, i.due?.rule, i.overdue])).toEqual([
      ['inspectionReport', '2026-10-15', 'R-REPORT-10', false],
      ['inspectionPublish', '2026-10-29', 'R-PUBLISH-20', false],
    ]);
    const late = on('2026-10-16');
    expect(late.find((i) => i.kind === 'inspectionReport')?.overdue).toBe(true);
    expect(late.find((i) => i.kind === 'inspectionPublish')?.overdue).toBe(false);
    // Served: the report item goes; published: so does the other.
    const report = {
      ...draftReport(doc, { id: reportIdOf(doc.id), at: AT, by: 'i2', today: '2026-10-09', issuer: '局' }),
      status: 'issued',
    };
    const served = collectInbox(
      [inspectionsInbox],
      { inspections: [doc, report] as unknown as Record<string, unknown>[], orgs: [] },
      { user: bureau, today: '2026-10-16' },
    );
    expect(served.map((i) => i.kind)).toEqual(['inspectionPublish']);
  });
  it('an inspector of the inspection sees the report due; the school sees the report to sign for', () => {
    const doc = signed();
    const inspector = user('inspector', doc.inspectors[0]?.userId ?? '', '4101');
    const items = collectInbox(
      [inspectionsInbox],
      { inspections: [doc as unknown as Record<string, unknown>] },
      { user: inspector, today: '2026-10-09' },
    );
    expect(items.map((i) => i.kind)).toEqual(['inspectionReport']);
    const report = {
      ...draftReport(doc, { id: reportIdOf(doc.id), at: AT, by: 'i2', today: '2026-10-09', issuer: '局' }),
      status: 'issued',
    };
    const school = user('schoolAdmin', 'a1', doc.schoolId);
    const schoolItems = collectInbox(
      [inspectionsInbox],
      { inspections: [doc, report] as unknown as Record<string, unknown>[] },
      { user: school, today: '2026-10-09' },
    );
    expect(schoolItems.map((i) => i.kind)).toEqual(['inspectionReportReceive']);
  });
});

describe('the 检查情况记录表 printed on site', () => {
  it('prints the findings, the sample and duplicate checks, the traces kept and the drawn signatures (pdftotext, pdfimages)', async () => {
    const doc = signed();
    const jpeg = `data:image/jpeg;base64,${readFileSync(join(root, 'tests/fixtures/inspections/signature.jpg')).toString('base64')}`;
    const images = new Map(Object.values(doc.signatures ?? {}).map((s) => [s.sha256, jpeg]));
    const data = recordFormData(doc, { school: { name: doc.schoolName }, images, printedAt: '2026-09-24' });
    const fonts = await loadFormFonts();
    const out = await renderForms(inspectionRecordForm, [data], fonts, { clock: () => new Date(AT) });
    const dir = mkdtempSync(join(tmpdir(), 'xueji-record-'));
    const pdf = join(dir, 'record.pdf');
    writeFileSync(pdf, out.bytes);
    const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const expected of [
      '检查情况记录表',
      doc.schoolName,
      '执法证号',
      doc.inspectors[0]?.enforcementId.replace(/\s+/g, '') ?? '∅',
      '不符合',
      '抽查与比对情况',
      '随机抽查学生纸质档案',
      '重复注册比对',
      '核查痕迹清单',
      '学籍管理制度.jpg',
      '赵校长',
      '2026年9月24日09:00',
    ])
      expect(text, expected).toContain(expected.replace(/\s+/g, ''));
    const list = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' });
    // one image per signature: both inspectors and the school's head
    expect(list.trim().split('\n').slice(2)).toHaveLength(3);
    expect(list).toContain('jpeg');
  });
});
