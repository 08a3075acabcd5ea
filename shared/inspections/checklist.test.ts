import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFormFonts } from '../../cli/commands/form';
import { inspectionRecordForm, renderForm, validateFormData } from '../forms/index';
import {
  addEvidence,
  checklistProblems,
  type EvidenceRef,
  evidenceList,
  type FilledChecklist,
  recordChecks,
  recordFinding,
  startChecklist,
} from './checklist';
import {
  copyTemplate,
  findTemplate,
  K12_TEMPLATE,
  reviseTemplate,
  templateRef,
  VOCATIONAL_TEMPLATE,
} from './templates';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'xueji-checklist-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const photo: EvidenceRef = {
  kind: 'photo',
  sha256: 'a'.repeat(64),
  name: '档案柜.jpg',
  mime: 'image/jpeg',
  size: 183_204,
  capturedAt: '2026-10-12T09:41:00+08:00',
  capturedBy: 'u-insp-1',
};
const audio: EvidenceRef = {
  ...photo,
  kind: 'audio',
  sha256: 'b'.repeat(64),
  name: '询问记录.webm',
  mime: 'audio/webm',
};

function must(
  r: { ok: true; value: FilledChecklist } | { ok: false; problems: { message: string }[] },
): FilledChecklist {
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.value;
}

/** Fills every item of the vocational template: (二) 不符合 with notes and a photo, the rest 符合. */
function filledVocational(): FilledChecklist {
  let c = startChecklist(VOCATIONAL_TEMPLATE);
  for (const item of VOCATIONAL_TEMPLATE.items)
    c = must(recordFinding(c, item.id, { finding: item.id === 'voc-2' ? 'nonConforming' : 'conforming' }));
  c = must(recordFinding(c, 'voc-2', { notes: '抽查 20 份，2 份缺少享受国家助学金和学费减免的信息。' }));
  c = must(addEvidence(c, 'voc-2', photo));
  c = must(addEvidence(c, 'voc-1', audio));
  return c;
}

describe('a filled checklist', () => {
  it('starts with every item unchecked and keeps the template version and hash it was filled on', () => {
    const c = startChecklist(VOCATIONAL_TEMPLATE);
    expect(c.template).toEqual(templateRef(VOCATIONAL_TEMPLATE));
    expect(c.template).toMatchObject({ id: 'yq-vocational', version: 1 });
    expect(c.items.map((i) => [i.itemId, i.finding])).toEqual(
      VOCATIONAL_TEMPLATE.items.map((i) => [i.id, null]),
    );
  });

  it('is not complete until every item has a finding, 不符合 has notes, and a trace is kept (R-INSP-TRACE)', () => {
    let c = startChecklist(VOCATIONAL_TEMPLATE);
    c = must(recordFinding(c, 'voc-2', { finding: 'nonConforming' }));
    const problems = checklistProblems(c, VOCATIONAL_TEMPLATE, { complete: true }).map((p) => p.message);
    expect(problems).toContain(
      '检查项目（一）“是否建立健全学籍管理部门和相关制度，是否保障基本工作条件，落实管理责任的检查”还没有填写核查情况',
    );
    expect(problems).toContain('检查项目（二）“学生学籍档案的检查”为“不符合”，须在说明中写明发现的问题');
    expect(problems.at(-1)).toMatch(/^没有留存任何核查痕迹；R-INSP-TRACE：/);
    expect(checklistProblems(c, VOCATIONAL_TEMPLATE, { complete: false })).toEqual([]);
    expect(checklistProblems(filledVocational(), VOCATIONAL_TEMPLATE, { complete: true })).toEqual([]);
  });

  it('refuses bad findings and evidence in Chinese, and keeps the same file once per item', () => {
    const c = startChecklist(K12_TEMPLATE);
    expect(recordFinding(c, 'k12-9', { finding: 'conforming' })).toEqual({
      ok: false,
      problems: [{ field: 'itemId', message: '检查清单中没有检查项目“k12-9”' }],
    });
    const bad = recordFinding(c, 'k12-1', { finding: 'maybe' as never });
    expect(!bad.ok && bad.problems[0]?.message).toBe('核查情况只能是 符合、不符合、不适用 之一');
    const empty = addEvidence(c, 'k12-1', {
      kind: 'text',
      text: '  ',
      capturedAt: photo.capturedAt,
      capturedBy: 'u',
    });
    expect(!empty.ok && empty.problems[0]?.message).toBe('文字记录不能为空');
    const twice = must(addEvidence(must(addEvidence(c, 'k12-1', photo)), 'k12-1', photo));
    expect(twice.items[0]?.evidence).toHaveLength(1);
  });

  it('keeps the template version it used: a checklist on v1 does not pass as one on v2, and v1 is found by its reference', () => {
    const v1 = copyTemplate(VOCATIONAL_TEMPLATE, { id: 'yq-vocational.140300', owner: 'org-140300' });
    if (!v1.ok) throw new Error('copy failed');
    let c = startChecklist(v1.value);
    for (const item of v1.value.items) c = must(recordFinding(c, item.id, { finding: 'notApplicable' }));
    c = must(addEvidence(c, 'voc-1', photo));
    const v2 = reviseTemplate(v1.value, { items: v1.value.items.slice(0, 4) }, 'org-140300');
    if (!v2.ok) throw new Error('revise failed');
    const against2 = checklistProblems(c, v2.value, { complete: true }).map((p) => p.message);
    expect(against2[0]).toMatch(/^检查清单填的是模板 yq-vocational\.140300 第 1 版/);
    expect(against2).toContain('检查项目“voc-5”不在模板中');
    const used = findTemplate([v2.value, v1.value], c.template);
    expect(used).toBe(v1.value);
    expect(checklistProblems(c, used ?? v2.value, { complete: true })).toEqual([]);
  });
});

describe('the printed record (检查情况记录表) from a filled checklist', () => {
  it('gives the form’s check rows and an evidence list in the template’s order', () => {
    const c = filledVocational();
    const rows = recordChecks(c, VOCATIONAL_TEMPLATE);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual({
      item: '学生学籍档案的检查',
      method: '抽查学生纸质档案',
      finding: 'nonConforming',
      note: '抽查 20 份，2 份缺少享受国家助学金和学费减免的信息。',
    });
    expect(evidenceList(c, VOCATIONAL_TEMPLATE).map((e) => [e.itemNo, e.kind, e.label])).toEqual([
      ['（一）', '录音', '询问记录.webm'],
      ['（二）', '照片', '档案柜.jpg'],
    ]);
  });

  it.each([
    ['vocational', VOCATIONAL_TEMPLATE],
    ['K-12', K12_TEMPLATE],
  ])(
    'the %s template’s rows print on the record form (pdftotext reads them back)',
    async (name, template) => {
      let c = startChecklist(template);
      for (const item of template.items)
        c = must(recordFinding(c, item.id, { finding: 'conforming', notes: '已核查。' }));
      const sample = JSON.parse(
        readFileSync(join(root, 'shared/forms/samples/inspection-record.json'), 'utf8'),
      );
      const data = validateFormData(inspectionRecordForm, { ...sample, checks: recordChecks(c, template) });
      const pdf = await renderForm(inspectionRecordForm, data, await loadFormFonts(), {
        clock: () => new Date('2026-10-12T08:00:00Z'),
      });
      const file = join(work, `record-${name}.pdf`);
      writeFileSync(file, pdf.bytes);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      // the cells wrap, and pdftotext interleaves wrapped lines of neighbouring cells: check each cell's start
      for (const item of template.items) {
        expect(text).toContain(item.title.slice(0, 6));
        expect(text).toContain(item.method.slice(0, 4));
      }
      expect(text.match(/符合已核查。/g)).toHaveLength(template.items.length);
    },
  );
});
