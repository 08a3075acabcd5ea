// The typed reasons of the attachment queue, from real server answers' shapes (docs/sync-api.md).
import { describe, expect, it } from 'vitest';
import { attachmentErrorOf, formatBytes, type TransferItem, tooLargeMessage } from './attachments';
import { errorOfResponse } from './errors';

const item = (direction: TransferItem['direction']): TransferItem => ({
  sha256: 'a'.repeat(64),
  name: '学籍卡.pdf',
  mime: 'application/pdf',
  size: 3 * 1024 * 1024,
  schoolId: 'S41010501',
  direction,
  state: 'running',
  done: 1024 * 1024,
  attempts: 0,
  error: null,
});

describe('attachment errors: each server answer becomes one typed reason naming the file', () => {
  it.each([
    [
      0,
      null,
      'upload',
      'network',
      '“学籍卡.pdf”上传中断：无法连接服务器（已确认上传 1.0 MB / 3.0 MB），联网后从服务器已收到的位置继续',
    ],
    [401, { error: 'UNAUTHORIZED' }, 'upload', 'unauthorized', '登录已过期：“学籍卡.pdf”等重新登录后再上传'],
    [
      403,
      { error: 'PASSWORD_CHANGE_REQUIRED' },
      'download',
      'unauthorized',
      '密码已到期：“学籍卡.pdf”等修改密码后再下载',
    ],
    [
      403,
      { error: 'OUT_OF_SCOPE', message: '不能为管辖范围以外的学校上传附件' },
      'upload',
      'forbidden',
      '“学籍卡.pdf”不能上传：不能为管辖范围以外的学校上传附件',
    ],
    [
      413,
      { error: 'TOO_LARGE', message: '附件过大：25.0 MB，超过 20.0 MB 上限。请压缩或分成多个文件后再上传' },
      'upload',
      'tooLarge',
      '“学籍卡.pdf”：附件过大：25.0 MB，超过 20.0 MB 上限。请压缩或分成多个文件后再上传',
    ],
    [
      404,
      { error: 'NOT_FOUND' },
      'download',
      'notFound',
      '服务器上还没有“学籍卡.pdf”的文件：附上它的设备可能尚未联网上传，请稍后再试',
    ],
    [
      422,
      { error: 'HASH_MISMATCH', message: '附件内容校验失败（SHA-256 不符），已丢弃，请重新上传' },
      'upload',
      'server',
      '“学籍卡.pdf”上传失败：附件内容校验失败（SHA-256 不符），已丢弃，请重新上传',
    ],
  ] as const)('HTTP %i %j (%s) → %s', (status, body, direction, kind, message) => {
    const raw = status === 0 ? new TypeError('fetch failed') : errorOfResponse(status, body);
    const e = attachmentErrorOf(raw, item(direction));
    expect([e.kind, e.message]).toEqual([kind, message]);
  });

  it('the local size refusal names the file, its size and the limit', () => {
    expect(tooLargeMessage('毕业合影.jpg', 25 * 1024 * 1024 + 1, 20 * 1024 * 1024)).toBe(
      '“毕业合影.jpg”有 25.0 MB，超过 20.0 MB 的附件上限，不会上传。请压缩或分成多个文件后重新附上',
    );
    expect([formatBytes(900), formatBytes(1536), formatBytes(5 * 1024 * 1024)]).toEqual([
      '900 B',
      '1.5 KB',
      '5.0 MB',
    ]);
  });
});
