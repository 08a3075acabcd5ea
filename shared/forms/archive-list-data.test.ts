// The 学籍档案目录 data the app prints, from seeded students: accepted by the form's own validation, part
// states as the checklist sees them, and unprintable characters described per student and field.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { generateStudents } from '../seed/roster';
import { archiveListData, describeMissing, missingWarning } from './archive-list-data';
import { archiveListForm, FONT_FILES, renderForms, validateFormData } from './index';

const vocational = { name: '郑州市金水区职业中等专业学校', schoolType: 'vocational' as const };
const k12 = { name: '郑州市第八中学', schoolType: 'k12' as const };

describe('archiveListData', () => {
  it('maps every seeded student (vocational and K-12) to data the archive-list form accepts', () => {
    for (const [school, type] of [
      [vocational, 'vocational'],
      [k12, 'k12'],
    ] as const) {
      const students = generateStudents({ count: 120, seed: 7, schoolType: type });
      for (const s of students) {
        const data = archiveListData(s, school, '2026-03-10');
        expect(() => validateFormData(archiveListForm, data)).not.toThrow();
        expect(data.recordId).toBe(s.statusNo);
        expect(Object.keys(data.archive)).toHaveLength(type === 'vocational' ? 6 : 7);
      }
    }
  });

  it('prints the effective part states: 毕业生信息登记表 is not due before graduation, missing after', () => {
    const [s] = generateStudents({ count: 1, seed: 3, schoolType: 'vocational' });
    if (!s) throw new Error('no student');
    const stored = { ...s, archive: { ...s.archive, graduateForm: { state: 'notDue' as const } } };
    expect(archiveListData(stored, vocational, '2026-03-10').archive.graduateForm?.state).toBe('notDue');
    const graduated = { ...stored, status: 'graduated' as const };
    expect(archiveListData(graduated, vocational, '2026-03-10').archive.graduateForm?.state).toBe('missing');
    const noEntry = { ...s, archive: {} };
    expect(archiveListData(noEntry, vocational, '2026-03-10').archive.basicInfo).toEqual({
      state: 'missing',
      checkedAt: undefined,
      checkedBy: undefined,
      note: undefined,
    });
  });

  it('prints who checked a part by name and the check date only', () => {
    const [s] = generateStudents({ count: 1, seed: 3, schoolType: 'vocational' });
    if (!s) throw new Error('no student');
    const marked = {
      ...s,
      archive: {
        ...s.archive,
        basicInfo: {
          state: 'present' as const,
          checkedAt: '2026-03-09T08:15:00.000Z',
          checkedBy: 'local:张敏',
        },
        moralEvaluation: {
          state: 'present' as const,
          checkedAt: '2026-03-09T08:16:00.000Z',
          checkedBy: '李华',
        },
      },
    };
    const data = archiveListData(marked, vocational, '2026-03-10');
    expect(data.archive.basicInfo).toMatchObject({ checkedAt: '2026-03-09', checkedBy: '张敏' });
    expect(data.archive.moralEvaluation).toMatchObject({ checkedBy: '李华' });
  });

  it('uses the internal ID as the record when a student has no 学籍号 yet', () => {
    const [s] = generateStudents({ count: 1, seed: 5, schoolType: 'k12' });
    if (!s) throw new Error('no student');
    const data = archiveListData({ ...s, statusNo: undefined }, k12, '2026-03-10');
    expect(data.recordId).toBe(s.id);
    expect(data.student.major).toBeUndefined();
  });
});

describe('describeMissing (with the real shipped fonts)', () => {
  const require = createRequire(import.meta.url);
  const fonts = {
    regular: new Uint8Array(readFileSync(require.resolve(FONT_FILES.regular))),
    bold: new Uint8Array(readFileSync(require.resolve(FONT_FILES.bold))),
  };

  it('names 𠮷 (U+20BB7, not in Noto Serif SC) with the student and the field, per record of a batch', async () => {
    const students = generateStudents({ count: 3, seed: 11, schoolType: 'vocational' });
    const rare = students.map((s, i) =>
      i === 2 ? { ...s, name: '吉𠮷' } : i === 1 ? { ...s, name: '刘䶮' } : s,
    );
    const records = rare.map((s) => archiveListData(s, vocational, '2026-03-10'));
    const result = await renderForms(archiveListForm, records, fonts, { clock: () => new Date(0) });
    const items = describeMissing(result.missing, rare);
    const third = rare[2];
    if (!third) throw new Error('no student');
    // 䶮 (CJK Extension A) is in the font; only 𠮷 is reported.
    expect(items).toEqual([
      {
        char: '𠮷',
        codePoint: 'U+20BB7',
        places: [`学生“吉𠮷”（${third.grade} ${third.classId}）的姓名`],
      },
    ]);
    expect(missingWarning(items)).toEqual([
      `“𠮷”（U+20BB7）：学生“吉𠮷”（${third.grade} ${third.classId}）的姓名`,
    ]);
  });

  it('reads single-record paths too', () => {
    const s = { name: '吉𠮷', grade: '2025级', classId: '数控2501班' };
    expect(
      describeMissing(
        [{ char: '𠮷', codePoint: 'U+20BB7', fields: ['student.name', 'archive.basicInfo.note'] }],
        [s],
      ),
    ).toEqual([
      {
        char: '𠮷',
        codePoint: 'U+20BB7',
        places: ['学生“吉𠮷”（2025级 数控2501班）的姓名', '学生“吉𠮷”（2025级 数控2501班）的档案核查信息'],
      },
    ]);
  });

  it('prints the Beijing day of a check: one made at 07:30 on 3 December is from the 3rd (its UTC date is the 2nd)', () => {
    const [s] = generateStudents({ count: 1, seed: 3, schoolType: 'vocational' });
    if (!s) throw new Error('no student');
    const checked = {
      ...s,
      archive: {
        ...s.archive,
        basicInfo: { state: 'present' as const, checkedAt: '2026-12-02T23:30:00.000Z' },
      },
    };
    expect(archiveListData(checked, vocational, '2026-12-03').archive.basicInfo?.checkedAt).toBe(
      '2026-12-03',
    );
  });
});
