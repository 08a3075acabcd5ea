// What the server knows about inspections from its own tables (never from a client): a bureau's register
// of enforcement staff (inspector accounts of its area with their 执法证号 and declared conflicts) and of
// inspection objects (its schools), the templates a plan may name, the visit packs it built.
import type { ArchiveItemState } from '../../shared/domain/student';
import type { DrawRegister } from '../../shared/inspections/plan';
import type { TemplateDoc } from '../../shared/inspections/records';
import { BUILT_IN_TEMPLATES, type ChecklistTemplate } from '../../shared/inspections/templates';
import { DEFAULT_RULE_SETTINGS } from '../../shared/rules/settings';
import type { Sql } from '../store/db';

/** The register of a bureau (null: no such bureau). Disabled accounts and schools are not in it. */
export async function drawRegister(sql: Sql, bureauId: string): Promise<DrawRegister | null> {
  const [bureau] = await sql.query<{ id: string; org_path: string; name: string; kind: string }>(
    `select id, org_path, data->>'name' as name, data->>'kind' as kind from docs
      where collection = 'orgs' and id = $1 and not deleted`,
    [bureauId],
  );
  if (!bureau || bureau.kind === 'school') return null;
  const inspectors = await sql.query<{
    id: string;
    display_name: string;
    enforcement_id: string | null;
    conflicts: unknown;
  }>(
    `select u.id, u.display_name, u.enforcement_id, u.conflict_school_ids as conflicts from users u
       join docs o on o.collection = 'orgs' and o.id = u.org_id and not o.deleted
      where u.role = 'inspector' and not u.disabled and o.org_path like $1 || '%'
      order by u.id`,
    [bureau.org_path],
  );
  const schools = await sql.query<{ id: string; name: string; school_type: string | null; org_path: string }>(
    `select id, data->>'name' as name, data->>'schoolType' as school_type, org_path from docs
      where collection = 'orgs' and not deleted and data->>'kind' = 'school'
        and coalesce(data->>'disabled', 'false') <> 'true' and org_path like $1 || '%'
      order by id`,
    [bureau.org_path],
  );
  return {
    bureau: { id: bureau.id, name: bureau.name, path: bureau.org_path },
    inspectors: inspectors.map((r) => ({
      id: r.id,
      name: r.display_name,
      enforcementId: r.enforcement_id?.trim() ? r.enforcement_id : null,
      conflicts: Array.isArray(r.conflicts)
        ? r.conflicts.filter((c): c is string => typeof c === 'string')
        : [],
    })),
    schools: schools.map((r) => ({
      id: r.id,
      name: r.name,
      schoolType: r.school_type === 'vocational' ? 'vocational' : 'k12',
      path: r.org_path,
    })),
  };
}

/** The shipped templates and the bureau's own template versions. */
export async function templatesOf(sql: Sql, bureauId: string): Promise<ChecklistTemplate[]> {
  const rows = await sql.query<{ data: TemplateDoc }>(
    `select data from docs where collection = 'inspections' and not deleted
        and data->>'kind' = 'template' and data->>'bureauId' = $1`,
    [bureauId],
  );
  return [...BUILT_IN_TEMPLATES, ...rows.map((r) => r.data.template)];
}

export type PackRecord = {
  rosterIds: readonly string[];
  claims: Readonly<Record<string, Record<string, ArchiveItemState>>>;
};

/** The packs built for an inspection, by roster hash. */
export async function packsOf(sql: Sql, inspectionId: string): Promise<Map<string, PackRecord>> {
  const rows = await sql.query<{ roster_hash: string; roster: string[]; claims: PackRecord['claims'] }>(
    'select roster_hash, roster, claims from inspection_packs where inspection_id = $1',
    [inspectionId],
  );
  return new Map(rows.map((r) => [r.roster_hash, { rosterIds: r.roster, claims: r.claims }]));
}

/** R-INSP-2's setting of the province above an org path (default 2). */
export async function inspectorsMinAt(sql: Sql, path: string): Promise<number> {
  const root = path.split('/')[1] ?? '';
  const [row] = await sql.query<{ n: unknown }>(
    `select data->'settings'->'rules'->'inspectorsMin' as n from docs where collection = 'orgs' and id = $1`,
    [root],
  );
  const n = row?.n;
  return typeof n === 'number' && Number.isInteger(n) && n >= 2 ? n : DEFAULT_RULE_SETTINGS.inspectorsMin;
}
