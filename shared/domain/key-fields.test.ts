import { describe, expect, it } from 'vitest';
import { attachmentProblem, attachmentRecordId } from './attachment-types';
import { effectiveKeyFields } from './key-fields';
import { DEFAULT_KEY_FIELDS } from './student';

describe('effectiveKeyFields: the province’s setting, one copy for server and app', () => {
  it('default without a province document or setting; the province’s list otherwise; unknown names dropped', () => {
    expect(effectiveKeyFields([])).toEqual(DEFAULT_KEY_FIELDS);
    expect(effectiveKeyFields([{ kind: 'province', settings: {} }])).toEqual(DEFAULT_KEY_FIELDS);
    expect(
      effectiveKeyFields([{ kind: 'province', settings: { keyFields: ['name', 'nope', 'idNo'] } }]),
    ).toEqual(['name', 'idNo']);
  });
  it('a county or school cannot loosen it: only the province document counts', () => {
    const chain = [
      { kind: 'school' as const, settings: { keyFields: [] } },
      { kind: 'county' as const, settings: { keyFields: [] } },
      { kind: 'province' as const, settings: { keyFields: ['name'] } },
    ];
    expect(effectiveKeyFields(chain)).toEqual(['name']);
  });
});

describe('attachment types and size: one definition for app, server and CLI', () => {
  const ok = { name: '入学登记表.pdf', mime: 'application/pdf', size: 1000, kind: 'scan' };
  it('accepts scans as images or PDF; refuses other types, a lying extension, empty and oversized files', () => {
    expect(attachmentProblem(ok)).toBeNull();
    expect(attachmentProblem({ ...ok, name: '张三 2024.09.01', mime: 'image/png' })).toBeNull();
    expect(attachmentProblem({ ...ok, mime: 'text/html' })?.field).toBe('mime');
    expect(attachmentProblem({ ...ok, name: '入学登记表.exe' })?.field).toBe('name');
    expect(attachmentProblem({ ...ok, size: 0 })?.field).toBe('size');
    expect(attachmentProblem({ ...ok, size: 25 * 1024 * 1024 })?.message).toBe(
      '“入学登记表.pdf”过大（25.0 MB），超过 20.0 MB 的附件上限。请压缩或分成多个文件后再上传',
    );
    expect(attachmentProblem({ ...ok, kind: 'weird' })?.field).toBe('kind');
    expect(attachmentRecordId('S1', 'ab')).toBe('S1:ab');
  });
});
