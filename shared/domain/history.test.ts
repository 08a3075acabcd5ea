// R-WHO: every history event reads in Chinese. The test also scans the code that writes events: an action
// id without a label would reach a person as "student-update：" or "conflict.resolve".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveEventSummary } from '../archive/history';
import {
  describeEvent,
  displayValue,
  EVENT_ACTION_LABELS,
  eventActionLabel,
  historyFieldLabel,
} from './history';

const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('history in words (R-WHO)', () => {
  it('every action the app or the server records has a Chinese label', () => {
    const actions = new Set<string>();
    // Events are written by commands (renderer/src/db, shared) and the server; screens only call them.
    for (const file of ['renderer/src/db', 'renderer/src/sync', 'shared', 'server'].flatMap((d) =>
      files(join(ROOT, d)),
    ))
      for (const m of readFileSync(file, 'utf8').matchAll(/\baction: '([a-z][\w.-]*)'/g))
        actions.add(m[1] as string);
    expect(actions.size).toBeGreaterThan(5);
    expect([...actions].filter((a) => !(a in EVENT_ACTION_LABELS))).toEqual([]);
  });

  it('an unknown action never shows its id', () => {
    expect(eventActionLabel('student-update')).toBe('修改信息');
    expect(eventActionLabel('conflict.resolve')).toBe('处理同步冲突');
    expect(eventActionLabel('some-future-thing')).toBe('其他操作');
  });

  it('fields by their labels, values as shown (codes, archive states, aid)', () => {
    expect(historyFieldLabel('phone')).toBe('联系电话');
    expect(historyFieldLabel('archive.basicInfo')).toBe('纸质档案·基本信息');
    expect(displayValue('politicalStatus', '03')).toBe('共青团员');
    expect(displayValue('archive.basicInfo', { state: 'present' })).toBe('已归档');
    expect(displayValue('enrolYearMonth', '202409')).toBe('2024年09月');
    const e = describeEvent({
      action: 'conflict.resolve',
      before: { phone: '13600000003' },
      after: { phone: '13600000002' },
      reason: '处理同步冲突：联系电话保留本机的值',
    });
    expect(e).toEqual({
      action: '处理同步冲突',
      changes: [{ field: 'phone', label: '联系电话', before: '13600000003', after: '13600000002' }],
      reason: '处理同步冲突：联系电话保留本机的值',
    });
  });

  it('a printed form reads as what was printed and its content hash', () => {
    const e = describeEvent({
      action: 'form-print',
      before: {},
      after: {
        formId: 'archive-list',
        formTitle: '学籍档案目录',
        recordId: 'G410105200905120024',
        hash: 'ab'.repeat(32),
        printedAt: '2026-09-02',
        via: 'save',
      },
    });
    expect(e.changes).toEqual([]);
    expect(e.note).toBe('《学籍档案目录》（保存为 PDF，打印日期 2026-09-02，内容校验码 abababababababab）');
  });

  it('the archive screen summarises archive marks by part and state, other edits by field', () => {
    expect(
      archiveEventSummary(
        {
          action: 'archive-mark',
          before: { 'archive.basicInfo': { state: 'missing' } },
          after: { 'archive.basicInfo': { state: 'present' }, 'archive.courseGrades': { state: 'present' } },
        },
        'vocational',
      ),
    ).toBe('档案核对：基本信息：缺 → 已归档；公共基础课程和专业技能课程成绩：未登记 → 已归档');
    expect(
      archiveEventSummary(
        {
          action: 'student-update',
          before: { phone: 'a', address: 'b' },
          after: { phone: 'c', address: 'd' },
        },
        'vocational',
      ),
    ).toBe('修改信息：联系电话、现住址');
    expect(
      archiveEventSummary(
        { action: 'import-create', before: {}, after: {}, reason: '花名册导入：a.xlsx 第 3 行' },
        'k12',
      ),
    ).toBe('由花名册导入创建：花名册导入：a.xlsx 第 3 行');
  });

  it('an applied transfer reads by the schools’ names, never the record’s school id or org path', () => {
    const entry = describeEvent({
      action: 'change-apply',
      before: {
        schoolId: 'S1',
        orgPath: '/41/4101/410122/S1/',
        classId: '七年级(1)班',
        schoolName: '中牟县第一初级中学',
      },
      after: {
        schoolId: 'S2',
        orgPath: '/41/4101/410105/S2/',
        classId: '七年级(2)班',
        schoolName: '郑州市金水区第七十六中学',
      },
      reason: '转学（申请 CR-1）',
    });
    expect(entry.action).toBe('学籍异动生效');
    expect(entry.changes.map((c) => [c.label, c.before, c.after])).toEqual([
      ['班级', '七年级(1)班', '七年级(2)班'],
      ['所在学校', '中牟县第一初级中学', '郑州市金水区第七十六中学'],
    ]);
  });
});
