// Attachments (scans, photos, audio): content-addressed by SHA-256, uploaded resumably in chunks
// (PUT with Content-Range, HEAD to learn how much arrived), downloaded on demand, scope-checked.
// Bytes live in the database (bytea), so every server instance sees them and backups include them.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inScope } from '../../shared/sync/rules';
import { authOf } from '../app';
import type { Db } from '../store/db';

type Options = { db: Db; requireAuth: (request: FastifyRequest) => Promise<void>; limit: number };

const SHA = /^[0-9a-f]{64}$/;
const RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

export function registerAttachmentRoutes(app: FastifyInstance, o: Options): void {
  app.register(async (scope) => {
    // Chunks arrive as raw bytes of any type.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: o.limit + 1024 }, (_req, body, done) =>
      done(null, body),
    );

    const received = async (sha: string): Promise<number> => {
      const [r] = await o.db.query<{ n: string | null }>(
        'select sum(length(data))::text as n from upload_chunks where sha256 = $1',
        [sha],
      );
      return Number(r?.n ?? 0);
    };
    const readable = async (sha: string, orgPath: string) => {
      const [r] = await o.db.query<{ size: string; mime: string }>(
        `select b.size::text as size, b.mime from blobs b where b.sha256 = $1 and exists (
           select 1 from blob_owners w where w.sha256 = b.sha256 and w.org_path like $2)`,
        [sha, `${orgPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
      );
      return r;
    };

    scope.head('/api/attachments/:sha256', { preHandler: o.requireAuth }, async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      if (!SHA.test(sha256)) return reply.code(400).send();
      const user = authOf(request).user;
      const blob = await readable(sha256, user.orgPath);
      if (blob) {
        return reply
          .header('Upload-Offset', blob.size)
          .header('Upload-Length', blob.size)
          .header('X-Complete', '1')
          .code(200)
          .send();
      }
      const [up] = await o.db.query<{ total: string; org_path: string }>(
        'select total::text as total, org_path from uploads where sha256 = $1',
        [sha256],
      );
      if (!up || !inScope(user, up.org_path)) return reply.code(404).send();
      return reply
        .header('Upload-Offset', String(await received(sha256)))
        .header('Upload-Length', up.total)
        .header('X-Complete', '0')
        .code(200)
        .send();
    });

    scope.get('/api/attachments/:sha256', { preHandler: o.requireAuth }, async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      if (!SHA.test(sha256))
        return reply.code(400).send({ error: 'BAD_HASH', message: '附件标识应为 64 位 SHA-256' });
      const meta = await readable(sha256, authOf(request).user.orgPath);
      if (!meta)
        return reply.code(404).send({ error: 'NOT_FOUND', message: '附件不存在，或不在您的管辖范围内' });
      const [row] = await o.db.query<{ data: Uint8Array }>('select data from blobs where sha256 = $1', [
        sha256,
      ]);
      return reply
        .type(meta.mime)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .send(Buffer.from(row?.data ?? new Uint8Array()));
    });

    scope.put('/api/attachments/:sha256', { preHandler: o.requireAuth }, async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      const q = request.query as Record<string, string | undefined>;
      const user = authOf(request).user;
      const fail = (status: number, error: string, message: string, extra: object = {}) =>
        reply.code(status).send({ error, message, ...extra });
      if (!SHA.test(sha256)) return fail(400, 'BAD_HASH', '附件标识应为 64 位小写 SHA-256');
      if (user.role === 'counselor' && !q.schoolId) return fail(400, 'BAD_REQUEST', '缺少 schoolId');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const range = String(request.headers['content-range'] ?? `bytes 0-${body.length - 1}/${body.length}`);
      const m = RANGE.exec(range);
      if (!m) return fail(400, 'BAD_RANGE', 'Content-Range 应为 “bytes 起-止/总长”');
      const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (total > o.limit)
        return fail(
          413,
          'TOO_LARGE',
          `附件过大：${mb(total)}，超过 ${mb(o.limit)} 上限。请压缩或分成多个文件后再上传`,
        );
      if (end - start + 1 !== body.length || end >= total)
        return fail(400, 'BAD_RANGE', `Content-Range 与内容长度不符（收到 ${body.length} 字节）`);
      const [school] = await o.db.query<{ org_path: string }>(
        `select org_path from docs where collection = 'orgs' and id = $1 and not deleted`,
        [q.schoolId ?? ''],
      );
      if (!school) return fail(400, 'UNKNOWN_ORG', `学校“${q.schoolId ?? ''}”不存在`);
      if (!inScope(user, school.org_path))
        return fail(403, 'OUT_OF_SCOPE', '不能为管辖范围以外的学校上传附件');
      const mime = (q.mime ?? String(request.headers['content-type'] ?? 'application/octet-stream')).slice(
        0,
        100,
      );

      return o.db.transaction(async (tx) => {
        // Serialise the chunks of one upload (two tabs resuming the same file).
        await tx.query('select pg_advisory_xact_lock(hashtext($1))', [sha256]);
        const addOwner = () =>
          tx.query(
            `insert into blob_owners (sha256, school_id, org_path, created_by) values ($1,$2,$3,$4)
             on conflict do nothing`,
            [sha256, q.schoolId, school.org_path, user.id],
          );
        const [done] = await tx.query<{ size: string }>(
          'select size::text as size from blobs where sha256 = $1',
          [sha256],
        );
        if (done) {
          await addOwner();
          return reply
            .code(200)
            .send({ sha256, size: Number(done.size), received: Number(done.size), complete: true });
        }
        const [up] = await tx.query<{ total: string }>(
          'select total::text as total from uploads where sha256 = $1',
          [sha256],
        );
        if (up && Number(up.total) !== total)
          return fail(409, 'RANGE_MISMATCH', `该附件的总长应为 ${up.total} 字节`, { received: 0 });
        if (!up)
          await tx.query(
            'insert into uploads (sha256, total, mime, school_id, org_path, created_by) values ($1,$2,$3,$4,$5,$6)',
            [sha256, total, mime, q.schoolId, school.org_path, user.id],
          );
        const [r] = await tx.query<{ n: string | null }>(
          'select sum(length(data))::text as n from upload_chunks where sha256 = $1',
          [sha256],
        );
        let have = Number(r?.n ?? 0);
        if (start > have)
          return reply
            .code(409)
            .header('Upload-Offset', String(have))
            .send({ error: 'RANGE_GAP', message: `上传应从第 ${have} 字节继续`, received: have });
        // A resent chunk (the response was lost) overlaps what arrived: keep only the new tail.
        if (end + 1 > have) {
          await tx.query('insert into upload_chunks (sha256, start_at, data) values ($1,$2,$3)', [
            sha256,
            have,
            body.subarray(have - start),
          ]);
          have = end + 1;
        }
        if (have < total)
          return reply
            .code(202)
            .header('Upload-Offset', String(have))
            .send({ sha256, received: have, total, complete: false });
        const parts = await tx.query<{ data: Uint8Array }>(
          'select data from upload_chunks where sha256 = $1 order by start_at',
          [sha256],
        );
        const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.data)));
        await tx.query('delete from upload_chunks where sha256 = $1', [sha256]);
        await tx.query('delete from uploads where sha256 = $1', [sha256]);
        const actual = createHash('sha256').update(bytes).digest('hex');
        if (actual !== sha256)
          return fail(422, 'HASH_MISMATCH', '附件内容校验失败（SHA-256 不符），已丢弃，请重新上传', {
            received: 0,
          });
        await tx.query('insert into blobs (sha256, size, mime, data) values ($1,$2,$3,$4)', [
          sha256,
          bytes.length,
          mime,
          bytes,
        ]);
        await addOwner();
        return reply.code(201).send({ sha256, size: bytes.length, received: bytes.length, complete: true });
      });
    });
  });
}
