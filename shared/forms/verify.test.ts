import { describe, expect, it } from 'vitest';
import { verifyFormText } from './verify';

const page = ['学籍异动审批表（转学）', '姓名', '王雨桐', '性别', '女', '第 1 页 共 1 页'];

describe('verifyFormText (what a person reads against the record)', () => {
  it('matches the same text however the lines and spaces fall', () => {
    expect(verifyFormText([page], ['学籍异动审批表（转学）\n姓名 王雨桐 性别 女\n第 1 页 共 1 页'])).toEqual({
      match: true,
      differences: [],
    });
  });

  it("names a changed name with the record's and the PDF's text", () => {
    const r = verifyFormText([page], ['学籍异动审批表（转学）姓名 桐雨王 性别 女 第1页共1页']);
    expect(r.match).toBe(false);
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatchObject({ page: 1, expected: '王雨桐', found: '桐雨王' });
    expect(r.differences[0]?.message).toContain('记录为「王雨桐」，PDF 中为「桐雨王」');
    expect(r.differences[0]?.message).toContain('姓名”之后');
  });

  it('names two changes far apart as two differences', () => {
    const long = [...page, '异动原因', '父母工作调动至开封市，全家户籍迁至开封市鼓楼区，申请转入继续就读。'];
    const r = verifyFormText([long], [long.join('').replace('王雨桐', '王雨').replace('鼓楼区', '龙亭区')]);
    expect(r.differences.map((d) => [d.expected, d.found])).toEqual([
      ['桐', ''],
      ['鼓楼', '龙亭'],
    ]);
  });

  it('a page that reads as nothing, a page count that differs, and a text layer without 汉字 are differences', () => {
    expect(verifyFormText([page], ['']).differences[0]?.message).toContain('读不出任何文字');
    expect(verifyFormText([page, page], [page.join('')]).differences[0]?.message).toContain('页数不同');
    expect(verifyFormText([page], ['}_úû{èÿïÿ i]ùÿ']).differences[0]?.message).toContain('读不出汉字');
  });
});
