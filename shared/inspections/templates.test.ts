import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VOCATIONAL_ARCHIVE_PARTS } from '../domain/archive';
import {
  BUILT_IN_TEMPLATES,
  type ChecklistTemplate,
  copyTemplate,
  findTemplate,
  K12_TEMPLATE,
  reviseTemplate,
  templateProblems,
  templateRef,
  VOCATIONAL_TEMPLATE,
  YQ_FILE,
} from './templates';

// The regulation as received (../shared/regulations beside the repository, as in CI), without whitespace:
// its paragraphs break lines mid-sentence (由学校独立⏎⏎操作).
const squeeze = (s: string) => s.replace(/\s+/g, '');
const root = resolve(import.meta.dirname, '../..');
const YQ = squeeze(readFileSync(join(root, '../shared/regulations', YQ_FILE), 'utf8'));
const section = (from: string, to: string) => {
  const start = YQ.indexOf(squeeze(from));
  return YQ.slice(start, YQ.indexOf(squeeze(to), start));
};

describe('the shipped templates come from the YQ guide', () => {
  it.each(BUILT_IN_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s: every basis quote is the regulation’s own text',
    (_id, t) => {
      expect(YQ).toContain(squeeze(t.source.document));
      for (const b of t.basis) expect(YQ).toContain(squeeze(b.quote));
      for (const item of t.items) {
        expect(item.basis.length).toBeGreaterThan(0);
        for (const b of item.basis) expect(YQ, `${item.id}: ${b.quote}`).toContain(squeeze(b.quote));
        // titles: the heading, or for headless passages, each quoted phrase
        const phrases = item.title.match(/“[^”]+”/g);
        if (phrases) for (const p of phrases) expect(YQ).toContain(squeeze(p));
        else expect(YQ, item.title).toContain(squeeze(item.title));
      }
    },
  );

  it('vocational: the five items of YQ 中职 一 in order, each with its 中职 二 paragraph', () => {
    const list = section('一、抽查事项', '二、检查内容和方法');
    expect(VOCATIONAL_TEMPLATE.items.map((i) => i.no)).toEqual([
      '（一）',
      '（二）',
      '（三）',
      '（四）',
      '（五）',
    ]);
    const content = section('二、检查内容和方法', '三、检查依据');
    let at = 0;
    for (const item of VOCATIONAL_TEMPLATE.items) {
      const i = list.indexOf(squeeze(item.title));
      expect(i, item.title).toBeGreaterThan(at - 1);
      at = i;
      expect(content).toContain(squeeze(item.basis[0]?.quote ?? '∅'));
    }
  });

  it('vocational item (二) lists the six archive parts in the regulation’s words, matching the archive checklist', () => {
    const parts = VOCATIONAL_TEMPLATE.items[1]?.lookAt.slice(1) ?? [];
    expect(parts).toHaveLength(6);
    for (const p of parts)
      expect(section('(二) 学生学籍档案的检查。', '(三) 学籍信息是否')).toContain(squeeze(p));
    // the archive checklist's parts are the same six, in the same order (its titles are shortened)
    expect(VOCATIONAL_ARCHIVE_PARTS).toHaveLength(6);
    VOCATIONAL_ARCHIVE_PARTS.forEach((part, i) => {
      expect(parts[i]).toContain(part.title.slice(0, 4));
    });
  });

  it('K-12: 一, 二(一)–(五), 三, 四(一)–(三) of the 中小学 guide', () => {
    expect(K12_TEMPLATE.items.map((i) => i.no)).toEqual([
      '一',
      '二（一）',
      '二（二）',
      '二（三）',
      '二（四）',
      '二（五）',
      '三',
      '四（一）',
      '四（二）',
      '四（三）',
    ]);
    const k12 = section('阳泉市中小学学籍管理工作随机抽查指引', '阳泉市中等职业学校学生管理信息系统');
    for (const item of K12_TEMPLATE.items)
      for (const b of item.basis) expect(k12).toContain(squeeze(b.quote));
    for (const g of new Set(K12_TEMPLATE.items.map((i) => i.group))) expect(k12).toContain(squeeze(g ?? '∅'));
  });

  it('has no problems, fits the 检查情况记录表 columns and cites rule IDs of DOMAIN.md', () => {
    const domain = readFileSync(join(root, '../shared/DOMAIN.md'), 'utf8');
    for (const t of BUILT_IN_TEMPLATES) {
      expect(templateProblems(t)).toEqual([]);
      for (const item of t.items) {
        expect(item.title.length).toBeLessThanOrEqual(200);
        expect(item.method.length).toBeLessThanOrEqual(60);
        for (const r of item.rules) expect(domain).toContain(`| ${r} |`);
      }
    }
  });
});

describe('a bureau copies and adapts a template', () => {
  const bureau = 'org-140300';

  it('copy: new id, version 1, the bureau as owner, items kept, the base as provenance; the base is untouched', () => {
    const before = JSON.stringify(VOCATIONAL_TEMPLATE);
    const c = copyTemplate(VOCATIONAL_TEMPLATE, {
      id: 'yq-vocational.140300',
      owner: bureau,
      note: '加入本市细则',
    });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.value).toMatchObject({
      id: 'yq-vocational.140300',
      version: 1,
      owner: bureau,
      note: '加入本市细则',
    });
    expect(c.value.derivedFrom).toEqual([templateRef(VOCATIONAL_TEMPLATE)]);
    expect(c.value.items.map((i) => i.id)).toEqual(VOCATIONAL_TEMPLATE.items.map((i) => i.id));
    c.value.items[0]?.lookAt.push('改动副本');
    expect(JSON.stringify(VOCATIONAL_TEMPLATE)).toBe(before);
  });

  it('revise: the owner adds an item and changes a method; version 2 keeps v1 and the base in its provenance', () => {
    const v1 = copyTemplate(K12_TEMPLATE, { id: 'yq-k12.140302', owner: bureau });
    if (!v1.ok) throw new Error('copy failed');
    const items = v1.value.items.map((i) => (i.id === 'k12-3' ? { ...i, method: '实地查看专用计算机' } : i));
    items.push({
      id: 'k12-5-1',
      no: '五（一）',
      group: '五、本市补充要求',
      title: '学籍档案室是否防火防潮',
      basis: [
        { source: '阳泉市城区教育局学籍档案管理细则 第三条', quote: '学籍档案室应当防火、防潮、防盗。' },
      ],
      method: '实地查看',
      lookAt: ['档案柜是否上锁'],
      rules: [],
      assists: [],
    });
    const v2 = reviseTemplate(v1.value, { items, note: '增加档案室检查' }, bureau);
    expect(v2.ok).toBe(true);
    if (!v2.ok) return;
    expect(v2.value.version).toBe(2);
    expect(v2.value.derivedFrom).toEqual([templateRef(v1.value), templateRef(K12_TEMPLATE)]);
    expect(v2.value.items).toHaveLength(11);
    expect(templateRef(v2.value).hash).not.toBe(templateRef(v1.value).hash);
    // the lookup by reference finds each version, and not a changed copy posing as one
    const store = [v1.value, v2.value];
    expect(findTemplate(store, templateRef(v1.value))).toBe(v1.value);
    expect(
      findTemplate(store, { ...templateRef(v1.value), hash: templateRef(v2.value).hash }),
    ).toBeUndefined();
  });

  it('refuses to revise a shipped template or another bureau’s, and to reuse the base id', () => {
    const shipped = reviseTemplate(VOCATIONAL_TEMPLATE, { title: '改' }, bureau);
    expect(shipped.ok).toBe(false);
    if (!shipped.ok)
      expect(shipped.problems[0]?.message).toContain('是软件自带的模板，请复制为本单位的模板后再修改');
    const other = copyTemplate(VOCATIONAL_TEMPLATE, { id: 'yq-vocational.140400', owner: 'org-140400' });
    if (!other.ok) throw new Error('copy failed');
    const foreign = reviseTemplate(other.value, { title: '改' }, bureau);
    expect(foreign.ok).toBe(false);
    if (!foreign.ok) expect(foreign.problems[0]?.message).toContain('属于其他单位，只能复制后修改');
    expect(copyTemplate(VOCATIONAL_TEMPLATE, { id: 'yq-vocational', owner: bureau }).ok).toBe(false);
  });

  it('names the item and field of a bad adaptation', () => {
    const v1 = copyTemplate(VOCATIONAL_TEMPLATE, { id: 'yq-vocational.140311', owner: bureau });
    if (!v1.ok) throw new Error('copy failed');
    const items: ChecklistTemplate['items'] = [
      ...v1.value.items,
      { ...(v1.value.items[0] as ChecklistTemplate['items'][0]), basis: [], method: '' },
    ];
    const r = reviseTemplate(v1.value, { items }, bureau);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toEqual([
      '第 6 个检查项目“是否建立健全学籍管理部门和相关制度，是否…”的编号“voc-1”与第 1 个检查项目重复',
      '第 6 个检查项目“是否建立健全学籍管理部门和相关制度，是否…”的检查方式不能为空',
      '第 6 个检查项目“是否建立健全学籍管理部门和相关制度，是否…”没有检查依据（依据的文件和条文）',
    ]);
  });
});
