// The figures of the schools below an area (GET /api/orgs/stats, issue 11): students, paper-archive
// completeness, how much a school's records weigh (shown before a city or the province downloads a
// school it does not keep offline) and when the school last synced. Pending approvals come with the
// workflow issue: until then the figure is null, never a made-up number.
import { ARCHIVE_MEMBER_STATUSES, completenessRequirement } from '../../shared/archive/checklist';
import { ON_ROSTER_STATUSES } from '../../shared/domain/codes';
import type { OrgDoc, SchoolType } from '../../shared/domain/schemas';
import type { AreaStats, SchoolStats, SyncUser } from '../../shared/sync/protocol';

export type { AreaStats, SchoolStats };

import { escapeLike } from '../auth/accounts';
import type { Db, Sql } from '../store/db';

const PART_ID = /^[A-Za-z]+$/;

/** SQL: every listed part of the record's archive is present (ids are our own constants, checked). */
function allPresent(ids: readonly string[]): string {
  if (ids.length === 0) return 'true';
  return ids
    .map((id) => {
      if (!PART_ID.test(id)) throw new Error(`archive part id not usable in SQL: ${id}`);
      return `(data->'archive'->'${id}'->>'state') = 'present'`;
    })
    .join(' and ');
}

/** SQL: the folder is complete for a school of this type (completenessRequirement, shared/archive). */
function completeSql(type: SchoolType): string {
  const r = completenessRequirement(type);
  return `(${allPresent(r.always)} and ((data->>'status') is distinct from 'graduated' or (${allPresent(r.atGraduation)})))`;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** The schools below the user's org, with their figures. */
export async function areaStats(db: Db, user: SyncUser, now: Date): Promise<AreaStats> {
  const below = `${escapeLike(user.orgPath)}%`;
  const schools = await db.query<{ id: string; org_path: string; data: OrgDoc }>(
    `select id, org_path, data from docs
      where collection = 'orgs' and not deleted and org_path like $1 and org_path <> $2
        and data->>'kind' = 'school'
      order by org_path`,
    [below, user.orgPath],
  );
  const stats = await studentFigures(db, below);
  const bytes = await recordBytes(db, below);
  const activity = await lastActivity(
    db,
    schools.map((s) => s.id),
  );
  return {
    orgId: user.orgId,
    at: now.toISOString(),
    schools: schools.map((s) => {
      const f = stats.get(s.org_path);
      const type = s.data.schoolType ?? null;
      const a = activity.get(s.id);
      return {
        id: s.id,
        name: s.data.name,
        path: s.org_path,
        parentId: s.data.parentId ?? null,
        schoolType: type,
        students: f?.students ?? 0,
        onRoster: f?.onRoster ?? 0,
        archive: {
          folders: f?.folders ?? 0,
          complete: (type === 'vocational' ? f?.completeVocational : f?.completeK12) ?? 0,
        },
        bytes: bytes.get(s.org_path) ?? 0,
        lastSyncAt: a?.lastSyncAt ?? null,
        lastPushAt: a?.lastPushAt ?? null,
        pendingApprovals: null,
      };
    }),
  };
}

type Figures = {
  students: number;
  onRoster: number;
  folders: number;
  completeVocational: number;
  completeK12: number;
};

async function studentFigures(sql: Sql, below: string): Promise<Map<string, Figures>> {
  const member = `(data->>'status') = any($2::text[])`;
  const rows = await sql.query<Record<string, string>>(
    `select org_path,
            count(*)::text as students,
            count(*) filter (where (data->>'status') = any($3::text[]))::text as on_roster,
            count(*) filter (where ${member})::text as folders,
            count(*) filter (where ${member} and ${completeSql('vocational')})::text as complete_vocational,
            count(*) filter (where ${member} and ${completeSql('k12')})::text as complete_k12
       from docs
      where collection = 'students' and not deleted and org_path like $1
      group by org_path`,
    [below, ARCHIVE_MEMBER_STATUSES, ON_ROSTER_STATUSES],
  );
  return new Map(
    rows.map((r) => [
      r.org_path as string,
      {
        students: Number(r.students),
        onRoster: Number(r.on_roster),
        folders: Number(r.folders),
        completeVocational: Number(r.complete_vocational),
        completeK12: Number(r.complete_k12),
      },
    ]),
  );
}

async function recordBytes(sql: Sql, below: string): Promise<Map<string, number>> {
  const rows = await sql.query<{ org_path: string; bytes: string }>(
    `select org_path, sum(octet_length(data::text))::text as bytes from docs
      where collection <> 'orgs' and not deleted and org_path like $1
      group by org_path`,
    [below],
  );
  return new Map(rows.map((r) => [r.org_path, Number(r.bytes)]));
}

async function lastActivity(
  sql: Sql,
  orgIds: string[],
): Promise<Map<string, { lastSyncAt: string | null; lastPushAt: string | null }>> {
  if (orgIds.length === 0) return new Map();
  const rows = await sql.query<{ org_id: string; pull: unknown; push: unknown }>(
    `select org_id, max(last_pull_at) as pull, max(last_push_at) as push from sync_activity
      where org_id = any($1::text[]) group by org_id`,
    [orgIds],
  );
  return new Map(
    rows.map((r) => {
      const pull = iso(r.pull);
      const push = iso(r.push);
      // ISO times of one format compare as text
      const latest =
        [pull, push]
          .filter((t): t is string => t !== null)
          .sort()
          .pop() ?? null;
      return [r.org_id, { lastSyncAt: latest, lastPushAt: push }];
    }),
  );
}

/**
 * Records that a device pulled or pushed (the "last sync" of its school), at most once a minute per
 * device: a first download of 100 pages writes one row, not 100.
 */
export class SyncActivity {
  private readonly written = new Map<string, number>();

  constructor(private readonly db: Db) {}

  async record(
    auth: { deviceRowId: string; user: Pick<SyncUser, 'id' | 'orgId'> },
    kind: 'pull' | 'push',
    at: Date,
  ): Promise<void> {
    const key = `${auth.deviceRowId}|${kind}`;
    const last = this.written.get(key);
    if (last !== undefined && at.getTime() - last < 60_000) return;
    this.written.set(key, at.getTime());
    const column = kind === 'pull' ? 'last_pull_at' : 'last_push_at';
    await this.db.query(
      `insert into sync_activity (device_row_id, user_id, org_id, ${column}) values ($1, $2, $3, $4)
       on conflict (device_row_id) do update set ${column} = excluded.${column}, org_id = excluded.org_id
        where sync_activity.${column} is null or sync_activity.${column} < excluded.${column} - interval '1 minute'`,
      [auth.deviceRowId, auth.user.id, auth.user.orgId, at.toISOString()],
    );
  }
}
