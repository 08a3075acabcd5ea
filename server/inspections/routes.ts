// Inspection endpoints beside replication (docs/sync-api.md "Inspections"):
//   GET  /api/inspections/register   the draw register of the caller's bureau: its schools and the
//                                    inspector accounts of its area (执法证号, declared conflicts) — bureau only
//   POST /api/inspections/:id/pack   the visit pack of one inspection (shared/inspections/pack.ts) — only
//                                    for its drawn inspectors, before the record is signed; recorded (who,
//                                    when, which roster) in inspection_packs, on the inspection and as an event
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canRead, type RowScope } from '../../shared/authority/relation';
import { mayAct } from '../../shared/authority/table';
import type { EventDoc, OrgDoc } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import { buildVisitPack } from '../../shared/inspections/pack';
import type { InspectionDoc, PackStamp } from '../../shared/inspections/records';
import { ACTIVE_STATUSES } from '../../shared/sync/rules';
import { idNoHash } from '../registry/registry';
import { apiError, authOf } from '../request';
import type { Db } from '../store/db';
import { updateAsServer } from '../sync/store';
import { drawRegister } from './facts';

type Options = {
  db: Db;
  channel: string;
  requireAuth: (request: FastifyRequest) => Promise<void>;
  now: () => Date;
};

const NOT_FOUND = '找不到该检查，或它不在您的管辖范围内';
const ID = /^I[0-9a-f]{16}$/;

export function registerInspectionRoutes(app: FastifyInstance, o: Options): void {
  app.get('/api/inspections/register', { preHandler: o.requireAuth }, async (request, reply) => {
    const user = authOf(request).user;
    if (!mayAct(user.role, 'inspectionDraw'))
      return apiError(reply, 403, 'ROLE', '执法检查人员名录和检查对象名录只向教育局提供（用于随机抽取）');
    const register = await drawRegister(o.db, user.orgId);
    if (!register) return apiError(reply, 404, 'NOT_FOUND', '找不到本局的单位信息');
    return register;
  });

  app.post('/api/inspections/:id/pack', { preHandler: o.requireAuth }, async (request, reply) => {
    const user = authOf(request).user;
    const { id } = request.params as { id: string };
    if (!ID.test(id)) return apiError(reply, 404, 'NOT_FOUND', NOT_FOUND);
    const [row] = await o.db.query<{ data: InspectionDoc; scope: RowScope }>(
      `select data, scope from docs where collection = 'inspections' and id = $1 and not deleted`,
      [id],
    );
    // Out of scope and absent answer alike: nothing tells another school's inspection exists.
    if (row?.data.kind !== 'inspection' || !canRead(user, 'inspections', row.scope))
      return apiError(reply, 404, 'NOT_FOUND', NOT_FOUND);
    const inspection = row.data;
    if (user.role !== 'inspector' || !inspection.inspectors.some((i) => i.userId === user.id))
      return apiError(reply, 403, 'ROLE', '检查资料只发给本次抽取的检查人员');
    if (inspection.status !== 'assigned' && inspection.status !== 'onSite')
      return apiError(reply, 409, 'CLOSED', '检查情况记录已签字确认，检查资料不再下发');

    const [school] = await o.db.query<{ data: OrgDoc }>(
      `select data from docs where collection = 'orgs' and id = $1 and not deleted`,
      [inspection.schoolId],
    );
    if (!school) return apiError(reply, 404, 'NOT_FOUND', NOT_FOUND);
    const students = (
      await o.db.query<{ data: Student }>(
        `select data from docs where collection = 'students' and school_id = $1 and not deleted`,
        [inspection.schoolId],
      )
    ).map((r) => r.data);
    const events = (
      await o.db.query<{ data: EventDoc }>(
        `select data from docs where collection = 'events' and school_id = $1 and not deleted
            and data->>'entity' = 'student'`,
        [inspection.schoolId],
      )
    ).map((r) => r.data);
    // R-ONE across schools: which of this school's active numbers are also active elsewhere. Named when the
    // other school lies in the inspecting bureau's area (its own jurisdiction), else only "辖区外学校".
    const bureauPath = (await drawRegister(o.db, inspection.bureauId))?.bureau.path ?? '/';
    const others = await o.db.query<{ student_id: string; id_no: string; org_path: string; name: string }>(
      `select s.id as student_id, s.data->>'idNo' as id_no, o.org_path, o.data->>'name' as name
         from docs s
         join docs t on t.collection = 'students' and t.data->>'idNo' = s.data->>'idNo'
                    and t.school_id is distinct from s.school_id and not t.deleted
                    and t.data->>'status' = any($2::text[])
         join docs o on o.collection = 'orgs' and o.id = t.school_id
        where s.collection = 'students' and s.school_id = $1 and not s.deleted
          and s.data->>'status' = any($2::text[])`,
      [inspection.schoolId, ACTIVE_STATUSES],
    );
    const elsewhere = new Map<string, string>();
    for (const r of others) {
      const label = r.org_path.startsWith(bureauPath) ? r.name : '辖区外学校';
      const had = elsewhere.get(r.student_id);
      elsewhere.set(r.student_id, had && had !== label ? `${had}、${label}` : label);
    }
    const now = o.now();
    const pack = buildVisitPack({
      inspectionId: id,
      builtAt: now.toISOString(),
      builtBy: user.id,
      school: school.data,
      students,
      events,
      elsewhere,
      key: randomBytes(32).toString('hex'),
    });
    const stamp: PackStamp = {
      builtAt: pack.builtAt,
      builtBy: user.id,
      rosterHash: pack.rosterHash,
      rosterSize: pack.students.length,
    };
    await o.db.transaction(async (tx) => {
      await tx.query(
        `insert into inspection_packs (inspection_id, roster_hash, built_at, built_by, roster, claims)
         values ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
         on conflict (inspection_id, roster_hash) do update set built_at = excluded.built_at, built_by = excluded.built_by`,
        [
          id,
          pack.rosterHash,
          pack.builtAt,
          user.id,
          JSON.stringify(pack.students.map((s) => s.id)),
          JSON.stringify(
            Object.fromEntries(
              pack.students.map((s) => [
                s.id,
                Object.fromEntries(Object.entries(s.archive).map(([k, v]) => [k, v.state])),
              ]),
            ),
          ),
        ],
      );
      // Every duplicate the pack reveals is an R-ONE finding about a child: recorded (R-WHO), not counted.
      for (const r of others)
        await tx.query(
          `insert into registry_checks (at, user_id, id_hash, via, result, counted, school_id)
           values ($1, $2, $3, 'inspection', 'registered', false, $4)`,
          [pack.builtAt, user.id, await idNoHash(tx, r.id_no), inspection.schoolId],
        );
    });
    await updateAsServer(
      o.db,
      'inspections',
      id,
      (current) => {
        if (!current) return null;
        const packs = [...((current.packs as PackStamp[] | undefined) ?? []), stamp].slice(-50);
        const event: EventDoc = {
          id: randomUUID(),
          schoolId: inspection.schoolId,
          entity: 'inspection',
          entityId: id,
          action: 'inspection-pack',
          at: pack.builtAt,
          by: user.id,
          byName: user.displayName.slice(0, 50),
          before: {},
          after: { rosterSize: stamp.rosterSize, rosterHash: stamp.rosterHash },
        };
        return {
          doc: { ...current, packs, updatedAt: pack.builtAt, updatedBy: 'server' },
          also: [{ collection: 'events', doc: event as unknown as Record<string, unknown> }],
        };
      },
      o.channel,
      user.id,
    );
    request.log.info({ inspection: id, user: user.id, students: pack.students.length }, 'inspection pack');
    return pack;
  });
}
