// POST /api/registry/lookup {idNo, name}: is an ID number registered (an active record anywhere), and in
// which school — named only when the name matches (docs/sync-api.md "Registry lookup"). What a receiving
// school needs to start a transfer-in; rate-limited and recorded with the push's R-ONE checks.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mayAct } from '../../shared/authority/table';
import type { RegistryLimits } from '../../shared/sync/limits';
import { stringProblem } from '../../shared/validate/input';
import { apiError, authOf } from '../request';
import type { Db } from '../store/db';
import { registryCheck } from './registry';

type Options = {
  db: Db;
  requireAuth: (request: FastifyRequest) => Promise<void>;
  now: () => Date;
  limits: RegistryLimits;
};

export function registerRegistryRoutes(app: FastifyInstance, o: Options): void {
  app.post('/api/registry/lookup', { preHandler: o.requireAuth, bodyLimit: 4096 }, async (request, reply) => {
    const user = authOf(request).user;
    if (!mayAct(user.role, 'registryLookup'))
      return apiError(reply, 403, 'ROLE', '只有学籍管理员或教育局可以查询学籍注册情况');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const idNo = typeof body.idNo === 'string' ? body.idNo.trim() : '';
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!idNo || idNo.length > 30 || !/^[0-9A-Za-z()（）·-]+$/.test(idNo))
      return apiError(reply, 400, 'BAD_REQUEST', '请填写身份证件号（最多 30 位字母和数字）');
    if (name.length > 50 || stringProblem(name, '姓名', 'name'))
      return apiError(reply, 400, 'BAD_REQUEST', '姓名最多 50 个字符，且不能含有控制字符');
    const result = await o.db.transaction((tx) =>
      registryCheck(tx, { user, idNo, name, via: 'lookup', now: o.now(), limits: o.limits }),
    );
    switch (result.kind) {
      case 'limited':
        return reply
          .code(429)
          .header('retry-after', String(result.retryAfterSeconds ?? 60))
          .send({
            error: 'RATE_LIMITED',
            message: `查询次数过多：为保护学生信息，${o.limits.windowMinutes} 分钟内最多查询 ${o.limits.checks} 次，请 ${result.minutes} 分钟后再试`,
          });
      case 'none':
        return { registered: false };
      case 'visible':
      case 'elsewhere':
        // The school only when the caller may read the record anyway, or gave the matching name.
        return result.schoolName
          ? { registered: true, school: { id: result.schoolId ?? '', name: result.schoolName } }
          : { registered: true };
    }
  });
}
