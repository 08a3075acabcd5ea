// Attachments (scans, photos, audio): content-addressed by SHA-256, uploaded resumably in chunks
// (PUT with Content-Range, HEAD to learn how much arrived), downloaded on demand. Bytes live in the
// database (bytea), so every server instance sees them and backups include them.
//
// Content-addressed attachments are not capabilities (DESIGN.md; issue 8 findings 1 and 8):
// - a user owns content only by uploading all of its bytes, hash checked (blob_uploaders);
// - a partial upload belongs to its uploader: another user's chunk of the same hash never touches it;
// - reading bytes (GET, and HEAD's "complete") needs an attachment record in the caller's read scope
//   (class scope for counselors) that names the hash and whose creator uploaded those bytes;
// - no answer depends on whether anyone else has the content: the same statuses, headers and bodies.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decide, type RowScope, readKeys } from '../../shared/authority/relation';
import { ATTACHMENT_MIMES, formatMegabytes } from '../../shared/domain/attachment-types';
import type { SyncUser } from '../../shared/sync/protocol';
import { authOf } from '../request';
import type { Db, Sql } from '../store/db';
import { dependentScope } from '../sync/scope';

type Options = { db: Db; requireAuth: (request: FastifyRequest) => Promise<void>; limit: number };

const SHA = /^[0-9a-f]{64}$/;
const RANGE = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/;

/**
 * May this user read the bytes of `sha`: an attachment record in their read scope names it, and the
 * user who created that record uploaded all of those bytes. Returns the blob's size and type.
 */
async function readable(
  sql: Sql,
  user: SyncUser,
  sha: string,
): Promise<{ size: string; mime: string } | undefined> {
  const keys = readKeys(user, 'attachments');
  if (keys.length === 0) return undefined;
  const [r] = await sql.query<{ size: string; mime: string }>(
    `select b.size::text as size, b.mime from blobs b
      where b.sha256 = $1 and exists (
        select 1 from docs a
          join lateral (select h.written_by from doc_history h
                         where h.collection = 'attachments' and h.id = a.id order by h.seq limit 1) first on true
          join blob_uploaders u on u.sha256 = b.sha256 and u.user_id = first.written_by
         where a.collection = 'attachments' and not a.deleted and a.data->>'sha256' = b.sha256
           and a.scope_keys && $2::text[])`,
    [sha, keys],
  );
  return r;
}

/**
 * Where a user may upload bytes for a school: where they may create an attachment record — of the school,
 * or of a record of the school whose dependents have their own audience (an inspection's evidence, named
 * by `?inspection=<id>`: its inspectors, its bureau and the school).
 */
async function mayUpload(
  sql: Sql,
  user: SyncUser,
  school: { id: string; path: string },
  inspectionId: string | undefined,
): Promise<boolean> {
  // A counselor attaches scans of their own classes' students: ask with one of their classes.
  const classId = user.role === 'counselor' ? user.classIds[0] : undefined;
  const scope = { owner: classId === undefined ? { path: school.path } : { path: school.path, classId } };
  if (decide(user, 'attachments', 'create', scope).allow) return true;
  if (!inspectionId) return false;
  const [row] = await sql.query<{ scope: RowScope }>(
    `select scope from docs where collection = 'inspections' and id = $1 and school_id = $2 and not deleted`,
    [inspectionId.slice(0, 40), school.id],
  );
  return (
    row !== undefined && decide(user, 'attachments', 'create', dependentScope('inspections', row.scope)).allow
  );
}

export function registerAttachmentRoutes(app: FastifyInstance, o: Options): void {
  app.register(async (scope) => {
    // Chunks arrive as raw bytes of any type.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: o.limit + 1024 }, (_req, body, done) =>
      done(null, body),
    );

    const received = async (sql: Sql, sha: string, uploader: string): Promise<number> => {
      const [r] = await sql.query<{ n: string | null }>(
        'select sum(length(data))::text as n from attachment_upload_chunks where sha256 = $1 and uploader = $2',
        [sha, uploader],
      );
      return Number(r?.n ?? 0);
    };
    const uploaded = async (sql: Sql, sha: string, user: string) => {
      const [r] = await sql.query<{ size: string }>(
        `select b.size::text as size from blob_uploaders u join blobs b on b.sha256 = u.sha256
          where u.sha256 = $1 and u.user_id = $2`,
        [sha, user],
      );
      return r;
    };

    scope.head('/api/attachments/:sha256', { preHandler: o.requireAuth }, async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      if (!SHA.test(sha256)) return reply.code(400).send();
      const user = authOf(request).user;
      // Complete: this user uploaded it all, or may read it. Else what this user's own upload holds.
      const own = await uploaded(o.db, sha256, user.id);
      const blob = own ?? (await readable(o.db, user, sha256));
      if (blob)
        return reply
          .header('Upload-Offset', blob.size)
          .header('Upload-Length', blob.size)
          .header('X-Complete', '1')
          .code(200)
          .send();
      const [up] = await o.db.query<{ total: string }>(
        'select total::text as total from attachment_uploads where sha256 = $1 and uploader = $2',
        [sha256, user.id],
      );
      if (!up) return reply.code(404).send();
      return reply
        .header('Upload-Offset', String(await received(o.db, sha256, user.id)))
        .header('Upload-Length', up.total)
        .header('X-Complete', '0')
        .code(200)
        .send();
    });

    scope.get('/api/attachments/:sha256', { preHandler: o.requireAuth }, async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      if (!SHA.test(sha256))
        return reply.code(400).send({ error: 'BAD_HASH', message: '附件标识应为 64 位 SHA-256' });
      const meta = await readable(o.db, authOf(request).user, sha256);
      if (!meta)
        return reply.code(404).send({ error: 'NOT_FOUND', message: '附件不存在，或不在您的管辖范围内' });
      const [row] = await o.db.query<{ data: Uint8Array }>('select data from blobs where sha256 = $1', [
        sha256,
      ]);
      return reply
        .type(meta.mime)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(row?.data ?? new Uint8Array()));
    });

    scope.put('/api/attachments/:sha256', { preHandler: o.requireAuth }, async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      const q = request.query as Record<string, string | undefined>;
      const user = authOf(request).user;
      const fail = (status: number, error: string, message: string, extra: object = {}) =>
        reply.code(status).send({ error, message, ...extra });
      if (!SHA.test(sha256)) return fail(400, 'BAD_HASH', '附件标识应为 64 位小写 SHA-256');
      const schoolId = typeof q.schoolId === 'string' ? q.schoolId : user.orgId;
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const rawRange = request.headers['content-range'];
      const range = typeof rawRange === 'string' ? rawRange : `bytes 0-${body.length - 1}/${body.length}`;
      const m = RANGE.exec(range);
      if (!m) return fail(400, 'BAD_RANGE', 'Content-Range 应为 “bytes 起-止/总长”');
      const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (total > o.limit)
        return fail(
          413,
          'TOO_LARGE',
          `附件过大：${formatMegabytes(total)}，超过 ${formatMegabytes(o.limit)} 上限。请压缩或分成多个文件后再上传`,
        );
      if (total < 1 || start > end || end - start + 1 !== body.length || end >= total)
        return fail(400, 'BAD_RANGE', `Content-Range 与内容长度不符（收到 ${body.length} 字节）`);
      const mime = (
        typeof q.mime === 'string' ? q.mime : String(request.headers['content-type'] ?? '')
      ).trim();
      if (!ATTACHMENT_MIMES.has(mime))
        return fail(415, 'BAD_TYPE', '不支持的附件类型：只接受图片、PDF 和常见的音视频文件');
      const [school] = await o.db.query<{ org_path: string }>(
        `select org_path from docs where collection = 'orgs' and id = $1 and not deleted and data->>'kind' = 'school'`,
        [schoolId.slice(0, 40)],
      );
      const inspection = typeof q.inspection === 'string' ? q.inspection : undefined;
      if (!school || !(await mayUpload(o.db, user, { id: schoolId, path: school.org_path }, inspection)))
        return fail(403, 'OUT_OF_SCOPE', '不能为管辖范围以外的学校上传附件');

      return o.db.transaction(async (tx) => {
        // Serialise the chunks of one upload (two tabs resuming the same file).
        await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`${sha256}|${user.id}`]);
        const done = await uploaded(tx, sha256, user.id);
        if (done)
          return reply
            .code(200)
            .send({ sha256, size: Number(done.size), received: Number(done.size), complete: true });
        const [up] = await tx.query<{ total: string }>(
          'select total::text as total from attachment_uploads where sha256 = $1 and uploader = $2',
          [sha256, user.id],
        );
        if (up && Number(up.total) !== total)
          return fail(409, 'RANGE_MISMATCH', `该附件的总长应为 ${up.total} 字节`, { received: 0 });
        if (!up)
          await tx.query(
            'insert into attachment_uploads (sha256, uploader, total, mime, school_id) values ($1,$2,$3,$4,$5)',
            [sha256, user.id, total, mime, schoolId],
          );
        let have = await received(tx, sha256, user.id);
        if (start > have)
          return reply
            .code(409)
            .header('Upload-Offset', String(have))
            .send({ error: 'RANGE_GAP', message: `上传应从第 ${have} 字节继续`, received: have });
        // A resent chunk (the response was lost) overlaps what arrived: keep only the new tail.
        if (end + 1 > have) {
          await tx.query(
            'insert into attachment_upload_chunks (sha256, uploader, start_at, data) values ($1,$2,$3,$4)',
            [sha256, user.id, have, body.subarray(have - start)],
          );
          have = end + 1;
        }
        if (have < total)
          return reply
            .code(202)
            .header('Upload-Offset', String(have))
            .send({ sha256, received: have, total, complete: false });
        const parts = await tx.query<{ data: Uint8Array }>(
          'select data from attachment_upload_chunks where sha256 = $1 and uploader = $2 order by start_at',
          [sha256, user.id],
        );
        const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.data)));
        await tx.query('delete from attachment_upload_chunks where sha256 = $1 and uploader = $2', [
          sha256,
          user.id,
        ]);
        await tx.query('delete from attachment_uploads where sha256 = $1 and uploader = $2', [
          sha256,
          user.id,
        ]);
        const actual = createHash('sha256').update(bytes).digest('hex');
        if (actual !== sha256)
          return fail(422, 'HASH_MISMATCH', '附件内容校验失败（SHA-256 不符），已丢弃，请重新上传', {
            received: 0,
          });
        // Content someone else uploaded is not stored twice; the answer is the same either way.
        await tx.query(
          'insert into blobs (sha256, size, mime, data) values ($1,$2,$3,$4) on conflict (sha256) do nothing',
          [sha256, bytes.length, mime, bytes],
        );
        await tx.query(
          'insert into blob_uploaders (sha256, user_id) values ($1, $2) on conflict do nothing',
          [sha256, user.id],
        );
        return reply.code(201).send({ sha256, size: bytes.length, received: bytes.length, complete: true });
      });
    });
  });
}
