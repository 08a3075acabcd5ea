// The printed forms, rendered through the real CLI and read back with poppler-utils (pdftotext, pdffonts,
// pdfinfo, pdftoppm). Page 1 of every form is compared with a committed reference PNG, so a layout change
// fails here; UPDATE_FORM_REFERENCES=1 rewrites the references (look at them before committing).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFormFonts } from '../../cli/commands/form';
import { main } from '../../cli/main';
import {
  archiveListForm,
  contentHash,
  FORMS,
  type FormFonts,
  FormRenderCancelled,
  findMissingCharacters,
  fontsCoverage,
  readPdfInfo,
  renderForm,
  renderForms,
  sampleDataPath,
  statusChangeForm,
} from './index';

const root = resolve(import.meta.dirname, '../..');
const refDir = join(root, 'tests/fixtures/forms/reference');
const work = mkdtempSync(join(tmpdir(), 'xueji-forms-'));
const update = process.env.UPDATE_FORM_REFERENCES === '1';
const clock = () => new Date('2026-03-01T00:00:00Z');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const sample = (id: string) =>
  JSON.parse(readFileSync(join(root, sampleDataPath(id)), 'utf8')) as Record<string, unknown>;
const text = (pdf: string, first?: number, last?: number) =>
  run(
    'pdftotext',
    '-raw',
    ...(first ? ['-f', String(first), '-l', String(last ?? first)] : []),
    pdf,
    '-',
  ).replace(/[ \t]+/g, ' ');
const squeeze = (s: string) => s.replace(/\s+/g, '');

// Labels every form must print, and values from its sample that must come back out of the PDF.
const EXPECT: Record<string, { labels: string[]; values: string[] }> = {
  'info-change': {
    labels: [
      '学生基本信息变更申请表',
      '学籍号',
      '变更项目',
      '变更前',
      '变更后',
      '变更原因',
      '证明材料',
      '学生或监护人签字',
      '学校意见',
      '教育行政部门意见',
      '盖章',
    ],
    values: [
      '刘䶮',
      'G41010220100305123X',
      '41010220100305123X',
      '刘岩',
      '户口簿本人页复印件',
      '郑州市金水区教育局',
    ],
  },
  'status-change': {
    labels: [
      '学籍异动审批表（转学）',
      '异动类型',
      '异动原因',
      '转入学校意见',
      '转入地教育行政部门意见',
      '转出学校意见',
      '转出地教育行政部门意见',
      '盖章',
    ],
    values: [
      '王雨桐',
      'G410102200901024562',
      '户籍迁移证明',
      '开封市鼓楼区教育局',
      '郑州市第一职业中等专业学校',
    ],
  },
  'archive-list': {
    labels: [
      '学籍档案目录',
      '档案材料',
      '归档情况',
      '思想品德评价',
      '公共基础课程和专业技能课程成绩',
      '毕业生信息登记表',
      '档案管理员',
    ],
    values: ['刘䶮', 'DA-4101020101-2025-0031', '国家助学金申请表待班主任补交', 'CR-2026-0001'],
  },
  'change-roster': {
    labels: ['学籍变动名册', '学籍号', '异动类型', '异动日期', '异动原因', '审批编号'],
    values: ['2025—2026学年第二学期', '共 100 人'],
  },
  'inspection-record': {
    labels: [
      '检查情况记录表',
      '事项编号',
      '统一社会信用代码',
      '检查项目',
      '检查方式',
      '核查情况',
      '说明',
      '发现的问题',
      '处理意见及整改要求',
      '检查人员（签字）',
      '被检查单位负责人',
    ],
    values: [
      'ZZJY-XJ-2026-003',
      '12410100416001234K',
      '豫教执 4101-0231',
      '豫教执 4101-0457',
      '赵建华',
      '不符合',
    ],
  },
  'account-slip': {
    labels: [
      '学籍管理系统账号开通通知单',
      '所属单位',
      '用户名',
      '初始密码',
      '注意事项',
      '领取人签字',
      '经办人签字',
    ],
    values: ['郑州市金水区职业中等专业学校', 's41010501.chen', '班主任 陈老师', '数控2401班', '专人专机'],
  },
  'inspection-report': {
    labels: [
      '学籍管理检查报告',
      '检查时间',
      '检查内容',
      '检查情况',
      '评价',
      '处理意见和建议',
      'R-REPORT-10',
      'R-PUBLISH-20',
    ],
    // 2026-09-24 + 10 / 20 working days across the Mid-Autumn and National Day holidays (shared/calendar)
    values: [
      '金教学籍检〔2026〕3号',
      '即2026年10月15日前完成',
      '即2026年10月29日前向社会公开',
      '孙立群、周晓梅',
    ],
  },
};

let fonts: FormFonts;
beforeAll(async () => {
  fonts = await loadFormFonts();
});

describe('xueji form list', () => {
  it('prints one line per form: id, sample path relative to the repo root, Chinese title', async () => {
    const r = await cli('form', 'list');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(FORMS.length);
    for (const [i, f] of FORMS.entries()) {
      expect(lines[i]).toBe(`${f.id} shared/forms/samples/${f.id}.json ${f.title}`);
      expect(existsSync(join(root, `shared/forms/samples/${f.id}.json`))).toBe(true);
    }
  });
});

describe.each(FORMS.map((f) => [f.id, f] as const))('form %s rendered from its sample', (id, def) => {
  const pdf = join(work, `${id}.pdf`);
  beforeAll(async () => {
    const r = await cli('form', 'render', id, '--data', join(root, sampleDataPath(id)), '--out', pdf);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('prints the Chinese labels and the data (pdftotext)', () => {
    const all = squeeze(text(pdf));
    for (const s of [...(EXPECT[id]?.labels ?? []), ...(EXPECT[id]?.values ?? [])])
      expect(all).toContain(squeeze(s));
    expect(all).toContain(squeeze(`记录编号：${sample(id).recordId}`));
  });

  it('is A4 and embeds the fonts as subsets (pdfinfo, pdffonts)', () => {
    const info = run('pdfinfo', pdf);
    expect(info).toMatch(
      def.orientation === 'portrait'
        ? /Page size:\s+595\.28 x 841\.89 pts \(A4\)/
        : /Page size:\s+841\.89 x 595\.28 pts \(A4\)/,
    );
    const fontsTable = run('pdffonts', pdf).split('\n').slice(2).filter(Boolean);
    expect(fontsTable.length).toBe(2);
    for (const line of fontsTable) {
      expect(line).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)\s/);
      expect(line).toMatch(/\byes\s+yes\s+yes\b/); // emb sub uni
    }
  });

  it('numbers every page "第 x 页 共 y 页" and carries the record ID and hash in its metadata', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', pdf))?.[1]);
    for (let p = 1; p <= pages; p++) expect(squeeze(text(pdf, p))).toContain(`第${p}页共${pages}页`);
    const meta = readPdfInfo(readFileSync(pdf));
    expect(meta.XuejiForm).toBe(id);
    expect(meta.XuejiRecord).toBe(sample(id).recordId);
    expect(meta.XuejiHash).toBe(contentHash(id, def.shape(sample(id), '')));
    expect(meta.Title).toBe(def.title);
    if (pages === 1) expect(readFileSync(pdf).length).toBeLessThan(300 * 1024);
  });

  it('matches the reference rendering of page 1 (pdftoppm, pixelmatch)', () => {
    run('pdftoppm', '-r', '50', '-f', '1', '-l', '1', '-png', '-singlefile', pdf, join(work, `${id}-p1`));
    const actualPath = join(work, `${id}-p1.png`);
    const refPath = join(refDir, `${id}-p1.png`);
    if (update || !existsSync(refPath)) {
      expect(update, `missing reference ${refPath}: run with UPDATE_FORM_REFERENCES=1 and look at it`).toBe(
        true,
      );
      writeFileSync(refPath, readFileSync(actualPath));
      return;
    }
    const actual = PNG.sync.read(readFileSync(actualPath));
    const expected = PNG.sync.read(readFileSync(refPath));
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    const diff = new PNG({ width: actual.width, height: actual.height });
    const changed = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, {
      threshold: 0.1,
    });
    if (changed > 0) writeFileSync(join(work, `${id}-diff.png`), PNG.sync.write(diff));
    // A moved rule or a wrapped line changes hundreds of pixels; anti-aliasing noise stays far below this.
    expect(changed, `page 1 differs from ${refPath} in ${changed} pixels (diff in ${work})`).toBeLessThan(
      actual.width * actual.height * 0.0005,
    );
  });
});

describe('form rendering', () => {
  it('is deterministic: the same data and clock give the same bytes', async () => {
    const a = await renderForm(archiveListForm, sample('archive-list'), fonts, { clock });
    const b = await renderForm(archiveListForm, sample('archive-list'), fonts, { clock });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });

  it('prints a CJK Extension A name (䶮) with a real glyph, not an empty box', async () => {
    const data = sample('info-change');
    expect(findMissingCharacters(data, fontsCoverage(fonts))).toEqual([]);
    const pdf = join(work, 'yan.pdf');
    writeFileSync(pdf, (await renderForm(FORMS[0] as never, data, fonts, { clock })).bytes);
    expect(text(pdf)).toContain('刘䶮');
  });

  it('warns before printing and names a character no shipped font has (𠮷)', async () => {
    const data = sample('info-change');
    (data.student as Record<string, string>).name = '𠮷田';
    const missing = findMissingCharacters(data, fontsCoverage(fonts));
    expect(missing).toEqual([{ char: '𠮷', codePoint: 'U+20BB7', fields: ['student.name'] }]);
    const file = join(work, 'yoshi.json');
    writeFileSync(file, JSON.stringify(data));
    const r = await cli('form', 'render', 'info-change', '--data', file, '--out', join(work, 'yoshi.pdf'));
    expect(r.code).toBe(0);
    expect(r.err).toContain('警告');
    expect(r.err).toContain('“𠮷”（U+20BB7，见 student.name）');
  });

  it('rejects invalid data with exit 1 and a Chinese message naming the field', async () => {
    const data = sample('info-change');
    (data.student as Record<string, string>).idNo = '410102201003051231';
    const file = join(work, 'bad-id.json');
    writeFileSync(file, JSON.stringify(data));
    const r = await cli('form', 'render', 'info-change', '--data', file, '--out', join(work, 'bad.pdf'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('student.idNo（身份证件号）');
    expect(r.err).toContain('校验码错误');
    expect(existsSync(join(work, 'bad.pdf'))).toBe(false);
  });

  it('prints a long school name and address of an inspection record on one line each', async () => {
    const data = sample('inspection-record');
    const name = '郑州市二七区育才外国语高级中学附属实验学校';
    const address = '河南省郑州市二七区大学路街道淮河东路与大学北路交叉口向南二百米路西';
    Object.assign(data.school as object, { name, address });
    const file = join(work, 'long-school.json');
    writeFileSync(file, JSON.stringify(data));
    const pdf = join(work, 'long-school.pdf');
    const r = await cli('form', 'render', 'inspection-record', '--data', file, '--out', pdf);
    expect(r.code).toBe(0);
    const lines = run('pdftotext', '-layout', pdf, '-').split('\n');
    expect(lines.some((l) => l.includes(name))).toBe(true);
    expect(lines.some((l) => l.includes(address))).toBe(true);
  });

  it('R-INSP-2: an inspection record with one inspector is refused', async () => {
    const data = sample('inspection-record');
    data.inspectors = [(data.inspectors as unknown[])[0]];
    const file = join(work, 'one-inspector.json');
    writeFileSync(file, JSON.stringify(data));
    const r = await cli('form', 'render', 'inspection-record', '--data', file, '--out', join(work, 'x.pdf'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('inspectors（检查人员）');
    expect(r.err).toContain('R-INSP-2');
  });

  it('R-REPORT-10 / R-PUBLISH-20: the dates come from the calendar, not from the caller', async () => {
    const data = { ...sample('inspection-report'), dueDate: '2026-10-08' };
    const d = FORMS.find((f) => f.id === 'inspection-report')?.shape(data, '') as Record<string, unknown>;
    expect([d.reportDue, d.publishDue, d.calendarWarnings]).toEqual(['2026-10-15', '2026-10-29', []]);
    expect(d.dueDate).toBeUndefined();
    // a province calendar override and its own deadline setting move them
    const moved = FORMS.find((f) => f.id === 'inspection-report')?.shape(
      { ...data, calendar: [{ date: '2026-10-12', kind: 'holiday', note: '测试' }], reportWorkdays: 12 },
      '',
    ) as Record<string, unknown>;
    expect([moved.reportDue, moved.publishDue]).toEqual(['2026-10-20', '2026-10-30']);
  });

  it('R-REPORT-10: a check in a year whose schedule is not loaded prints the warning', async () => {
    const data = { ...sample('inspection-report'), inspectionDate: '2027-03-01', reportDate: '2027-03-10' };
    const file = join(work, 'report-2027.json');
    writeFileSync(file, JSON.stringify(data));
    const pdf = join(work, 'report-2027.pdf');
    const r = await cli('form', 'render', 'inspection-report', '--data', file, '--out', pdf);
    expect(r.code).toBe(0);
    const t = squeeze(text(pdf));
    expect(t).toContain(squeeze('即 2027年3月15日前完成'));
    expect(t).toContain(squeeze('2027 年放假安排尚未载入，按周末计算，请以正式通知为准'));
  });

  it('R-REPORT-10: a report dated before the check is refused, naming the field', async () => {
    const data = { ...sample('inspection-report'), reportDate: '2026-09-20' };
    const file = join(work, 'early.json');
    writeFileSync(file, JSON.stringify(data));
    const r = await cli('form', 'render', 'inspection-report', '--data', file, '--out', join(work, 'x.pdf'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('reportDate（报告日期）');
  });

  it('exits 2 when the data file cannot be read or is not JSON', async () => {
    expect(
      (
        await cli(
          'form',
          'render',
          'info-change',
          '--data',
          join(work, 'none.json'),
          '--out',
          join(work, 'x.pdf'),
        )
      ).code,
    ).toBe(2);
    writeFileSync(join(work, 'broken.json'), '{"recordId": ');
    const r = await cli(
      'form',
      'render',
      'info-change',
      '--data',
      join(work, 'broken.json'),
      '--out',
      join(work, 'x.pdf'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('不是有效的 JSON');
  });

  it('repeats the table header on every page of a 100-row change roster', () => {
    const pdf = join(work, 'change-roster.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', pdf))?.[1]);
    expect(pages).toBeGreaterThan(3);
    for (let p = 1; p < pages; p++) {
      const t = squeeze(text(pdf, p));
      for (const h of ['序号', '学籍号', '姓名', '异动类型', '异动日期', '审批编号']) expect(t).toContain(h);
    }
    expect(squeeze(text(pdf, pages))).toContain('本学期学籍异动合计100人');
  });

  it('gives each change type its layout: four opinion cells for a transfer, two for a suspension', async () => {
    const transfer = squeeze(text(join(work, 'status-change.pdf')));
    expect(transfer.match(/意见/g)?.length).toBe(4);
    const data = sample('status-change');
    data.changeType = 'suspension';
    data.details = { startDate: '2026-03-01', endDate: '2027-02-28' };
    data.opinions = [];
    const pdf = join(work, 'suspension.pdf');
    writeFileSync(pdf, (await renderForm(statusChangeForm, data, fonts, { clock })).bytes);
    const t = squeeze(text(pdf));
    expect(t).toContain('学籍异动审批表（休学）');
    expect(t).toContain('休学截止日期2027年2月28日');
    expect(t.match(/意见/g)?.length).toBe(2);
    expect(t).not.toContain('转出学校');
  });

  it('batch-prints archive lists, one record per page, and can be cancelled', async () => {
    const base = sample('archive-list');
    const many = Array.from({ length: 25 }, (_, i) => ({ ...base, recordId: `DA-${i}` }));
    const progress: number[] = [];
    const r = await renderForms(archiveListForm, many, fonts, { clock, onProgress: (d) => progress.push(d) });
    expect(r.pageCount).toBe(25);
    expect(r.sections.map((s) => s.recordId)).toEqual(many.map((m) => m.recordId));
    expect(new Set(r.sections.map((s) => s.hash)).size).toBe(25);
    expect(progress.at(-1)).toBe(25);
    const pdf = join(work, 'batch.pdf');
    writeFileSync(pdf, r.bytes);
    expect(squeeze(text(pdf, 25))).toContain('记录编号：DA-24');
    expect(squeeze(text(pdf, 25))).toContain('第1页共1页');
    const signal = { aborted: false };
    const cancelled = renderForms(archiveListForm, many, fonts, {
      clock,
      signal,
      onProgress: (d) => {
        if (d === 10) signal.aborted = true;
      },
    });
    await expect(cancelled).rejects.toBeInstanceOf(FormRenderCancelled);
  });

  it('names the record in a batch when one of them is invalid', async () => {
    const base = sample('archive-list');
    const bad = { ...base, archive: { ...(base.archive as object), basicInfo: undefined } };
    await expect(renderForms(archiveListForm, [base, bad], fonts, { clock })).rejects.toThrow(
      '[1].archive.basicInfo（基本信息）',
    );
  });
});

describe('xueji verify-form', () => {
  const pdf = join(work, 'verify.pdf');
  beforeAll(async () => {
    expect(
      (
        await cli(
          'form',
          'render',
          'status-change',
          '--data',
          join(root, sampleDataPath('status-change')),
          '--out',
          pdf,
        )
      ).code,
    ).toBe(0);
  });

  it('says the PDF matches its record (exit 0)', async () => {
    const r = await cli('verify-form', pdf, '--data', join(root, sampleDataPath('status-change')));
    expect(r.code).toBe(0);
    expect(r.out).toContain('一致');
  });

  it('says it does not match when the data changed (exit 1)', async () => {
    const data = sample('status-change');
    data.reason = `${data.reason}（已修改）`;
    writeFileSync(join(work, 'changed.json'), JSON.stringify(data));
    const r = await cli('verify-form', pdf, '--data', join(work, 'changed.json'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('不一致');
  });

  it('says it does not match another record (exit 1)', async () => {
    const r = await cli('verify-form', pdf, '--data', join(root, sampleDataPath('info-change')));
    expect(r.code).toBe(1);
    expect(r.out).toContain('不一致');
  });

  // A re-saving tool and a tamperer, both with qpdf (poppler, qpdf: installed by .ci/run).
  const qpdf = (...args: string[]) => execFileSync('qpdf', args, { stdio: 'pipe' });
  const data = join(root, sampleDataPath('status-change'));

  it('a PDF re-saved by another tool without changes still verifies (qpdf, with object streams)', async () => {
    const resaved = join(work, 'resaved.pdf');
    qpdf('--object-streams=generate', pdf, resaved);
    expect(readFileSync(resaved)).not.toEqual(readFileSync(pdf));
    const r = await cli('verify-form', resaved, '--data', data);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 页的文字与记录一致');
  });

  /** The glyph codes a string has in the PDF's fonts (from their ToUnicode maps in a qdf file). */
  function glyphHex(qdf: string, text: string): string | undefined {
    for (const m of qdf.matchAll(/<0000> <[0-9a-f]{4}> \[([^\]]*)\]/g)) {
      const codes = [...(m[1] ?? '').matchAll(/<([0-9a-f]{4})>/g)].map((x) => x[1]);
      const hex = [...text].map((ch) => {
        const i = codes.indexOf(ch.charCodeAt(0).toString(16).padStart(4, '0'));
        return i < 0 ? undefined : i.toString(16).padStart(4, '0');
      });
      if (hex.every((h) => h !== undefined) && qdf.includes(`<${hex.join('')}>`)) return hex.join('');
    }
    return undefined;
  }

  it('exits 1 naming the change when the visible name was changed in the page content (metadata untouched)', async () => {
    const qdfPath = join(work, 'open.pdf');
    qpdf('--qdf', '--object-streams=disable', pdf, qdfPath);
    const qdf = readFileSync(qdfPath, 'latin1');
    const name = String(
      sample('status-change').student && (sample('status-change').student as { name: string }).name,
    );
    const hex = glyphHex(qdf, name);
    if (!hex) throw new Error(`the name ${name} is not one run of glyphs in the page content`);
    const reversed = (hex.match(/.{4}/g) ?? []).reverse().join('');
    const tampered = join(work, 'tampered.pdf');
    writeFileSync(tampered, Buffer.from(qdf.replace(`<${hex}>`, `<${reversed}>`), 'latin1'));
    expect(text(tampered)).toContain([...name].reverse().join(''));
    const r = await cli('verify-form', tampered, '--data', data);
    expect(r.code).toBe(1);
    expect(r.out).toContain('页面上的文字与记录不同');
    expect(r.out).toContain(`记录为「${name}」，PDF 中为「${[...name].reverse().join('')}」`);
  });

  it('exits 1 when the page content is corrupted (its text operators broken)', async () => {
    const qdfPath = join(work, 'open2.pdf');
    qpdf('--qdf', '--object-streams=disable', pdf, qdfPath);
    let n = 0;
    const broken = readFileSync(qdfPath, 'latin1').replace(/\] TJ/g, (m) => (++n > 5 ? '] XX' : m));
    const corrupted = join(work, 'corrupted.pdf');
    writeFileSync(corrupted, Buffer.from(broken, 'latin1'));
    const r = await cli('verify-form', corrupted, '--data', data);
    expect(r.code).toBe(1);
    expect(r.out).toContain('不一致');
    expect(r.out).toMatch(/第 1 页.*记录为/);
  });

  it('reports an unreadable PDF (exit 2)', async () => {
    writeFileSync(join(work, 'junk.pdf'), 'not a pdf');
    const r = await cli(
      'verify-form',
      join(work, 'junk.pdf'),
      '--data',
      join(root, sampleDataPath('status-change')),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('不是 PDF 文件');
  });
});
