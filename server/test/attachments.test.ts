// Attachments on PGlite and PostgreSQL: resumable chunked upload, hash check, size limit, scope.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachmentRecord,
  BACKENDS,
  dropSchema,
  login,
  makeEnv,
  pullAll,
  pushRows,
  type TestEnv,
} from './helpers';

describe.each(BACKENDS)('attachments on %s', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeEnv(backend, { students: 3 });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    if (env?.schema) await dropSchema(env.schema);
  }, 60_000);
  const put = (token: string, sha: string, body: Buffer, range: string, schoolId = 'SA') =>
    env.app.inject({
      method: 'PUT',
      url: `/api/attachments/${sha}?schoolId=${schoolId}&mime=image/jpeg`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/octet-stream',
        'content-range': range,
      },
      payload: body,
    });

  it('uploads in chunks, resumes from HEAD, verifies SHA-256, downloads within scope only', async () => {
    const a = await login(env.app, 'adminA');
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    const sha = createHash('sha256').update(bytes).digest('hex');
    const r1 = await put(a.token, sha, bytes.subarray(0, 100_000), `bytes 0-99999/${bytes.length}`);
    expect(r1.statusCode).toBe(202);
    // the same chunk again (response lost): accepted, nothing doubled
    expect(
      (await put(a.token, sha, bytes.subarray(0, 100_000), `bytes 0-99999/${bytes.length}`)).json().received,
    ).toBe(100_000);
    const head = await env.app.inject({
      method: 'HEAD',
      url: `/api/attachments/${sha}`,
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(head.headers['upload-offset']).toBe('100000');
    const gap = await put(a.token, sha, bytes.subarray(200_000), `bytes 200000-299999/${bytes.length}`);
    expect(gap.statusCode).toBe(409);
    expect(gap.json().received).toBe(100_000);
    const r2 = await put(a.token, sha, bytes.subarray(100_000), `bytes 100000-299999/${bytes.length}`);
    expect(r2.statusCode).toBe(201);
    // Bytes are read through an attachment record in scope that names them (DESIGN.md: a hash proves nothing).
    const [student] = (await pullAll(env.app, a.token)).docs;
    const record = attachmentRecord(sha, 'SA', String(student?.id), bytes.length);
    expect((await pushRows(env.app, a.token, [{ newDocumentState: record }], 'attachments')).body).toEqual(
      [],
    );
    const get = await env.app.inject({
      method: 'GET',
      url: `/api/attachments/${sha}`,
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(get.statusCode).toBe(200);
    expect(Buffer.compare(get.rawPayload, bytes)).toBe(0);
    const c = await login(env.app, 'adminC');
    const other = await env.app.inject({
      method: 'GET',
      url: `/api/attachments/${sha}`,
      headers: { authorization: `Bearer ${c.token}` },
    });
    expect(other.statusCode).toBe(404);
    expect((await put(c.token, sha, bytes, `bytes 0-299999/300000`, 'SA')).statusCode).toBe(403);
  });

  it('refuses content whose hash differs and files over the limit, in Chinese', async () => {
    const a = await login(env.app, 'adminA');
    const wrong = 'a'.repeat(64);
    const bad = await put(a.token, wrong, Buffer.from('hello'), 'bytes 0-4/5');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().message).toContain('SHA-256 不符');
    const big = await put(a.token, 'b'.repeat(64), Buffer.from('x'), `bytes 0-0/${25 * 1024 * 1024}`);
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toBe('附件过大：25.0 MB，超过 20.0 MB 上限。请压缩或分成多个文件后再上传');
  });
});
