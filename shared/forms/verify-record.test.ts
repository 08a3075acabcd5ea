import { describe, expect, it } from 'vitest';
import { markParts } from '../archive/checklist';
import { VOCATIONAL_ARCHIVE_PARTS } from '../domain/archive';
import { generateStudents } from '../seed/roster';
import { archiveListData } from './archive-list-data';
import { contentHash, qrPayload } from './canonical';
import { archiveListForm } from './defs/archive-list';
import { validateFormData } from './render';
import { type PrintedForm, parseQrPayload, recordIdOf, verifyArchiveList } from './verify-record';

const [student] = generateStudents({ count: 1, seed: 33 });
if (!student) throw new Error('no seed');
const school = { name: '郑州市金水区职业中等专业学校', schoolType: 'vocational' as const };
const data = archiveListData(student, school, '2026-09-02');
const hash = contentHash('archive-list', validateFormData(archiveListForm, data));
const stamp = { formId: 'archive-list', recordId: recordIdOf(student), hash };
const print: PrintedForm = {
  formId: 'archive-list',
  formTitle: '学籍档案目录',
  recordId: stamp.recordId,
  hash,
  printedAt: '2026-09-02',
  via: 'save',
  data,
};

describe('核验表单: a paper form against today’s record', () => {
  it('reads the QR text the forms print, and nothing else', () => {
    expect(parseQrPayload(qrPayload('archive-list', stamp.recordId, hash))).toEqual(stamp);
    expect(parseQrPayload('https://example.com/?q=1')).toBeNull();
    expect(parseQrPayload(`XUEJI1|archive-list|${stamp.recordId}|${hash.slice(1)}`)).toBeNull();
  });

  it('an unchanged record matches, with the print log and without it (the print date is found)', () => {
    const today = '2026-11-20';
    expect(verifyArchiveList(stamp, { student, school, prints: [print], today })).toMatchObject({
      kind: 'match',
      printedAt: '2026-09-02',
      print: { via: 'save' },
    });
    expect(verifyArchiveList(stamp, { student, school, prints: [], today })).toEqual({
      kind: 'match',
      stamp,
      printedAt: '2026-09-02',
    });
  });

  it('a changed record no longer matches, and the print log names what differs', () => {
    const part = VOCATIONAL_ARCHIVE_PARTS[0];
    if (!part) throw new Error('no parts');
    const before = data.archive[part.id]?.state === 'present' ? '已归档' : '缺失';
    const to = before === '已归档' ? 'missing' : 'present';
    const changed = {
      ...student,
      classId: '计算机2699班',
      archive: markParts(student, { [part.id]: to }, { at: '2026-10-08T02:00:00.000Z', by: '王老师' })
        .archive,
    };
    const r = verifyArchiveList(stamp, { student: changed, school, prints: [print], today: '2026-11-20' });
    expect(r.kind).toBe('changed');
    expect(r.kind === 'changed' ? r.differences : []).toEqual(
      expect.arrayContaining([
        { label: '班级', printed: student.classId, current: '计算机2699班' },
        {
          label: `${part.title}·归档情况`,
          printed: before,
          current: before === '已归档' ? '缺失' : '已归档',
        },
      ]),
    );
    const unlogged = verifyArchiveList(stamp, { student: changed, school, prints: [], today: '2026-11-20' });
    expect(unlogged).toEqual({ kind: 'changed', stamp, differences: [] });
  });
});
