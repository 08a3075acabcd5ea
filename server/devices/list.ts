// GET /api/devices: the registered devices a user may see (R-SECURE), decided by the authority table's
// `devices` row — a counselor or inspector sees only their own devices, a school admin those of the
// school, a bureau those of its area. IP addresses are shown only of one's own devices.
import { decide, type RowScope } from '../../shared/authority/relation';
import type { SyncUser } from '../../shared/sync/protocol';
import { escapeLike } from '../auth/accounts';
import type { Db } from '../store/db';

export type DeviceView = {
  id: string;
  deviceId: string;
  userId: string;
  username: string;
  displayName: string;
  role: string;
  orgId: string;
  orgName: string | null;
  userAgent: string | null;
  /** only for the caller's own devices */
  ip: string | null;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
};

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

export async function listDevices(db: Db, user: SyncUser): Promise<DeviceView[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select d.id, d.device_id, d.user_agent, d.ip, d.first_seen_at, d.last_seen_at, d.revoked_at, d.revoked_by,
            u.id as user_id, u.username, u.display_name, u.role, u.org_id, o.data->>'name' as org_name,
            o.org_path
       from devices d join users u on u.id = d.user_id
       left join docs o on o.collection = 'orgs' and o.id = u.org_id
      where (o.org_path like $1 or u.id = $2)
      order by d.last_seen_at desc`,
    [`${escapeLike(user.orgPath)}%`, user.id],
  );
  const out: DeviceView[] = [];
  for (const d of rows) {
    const scope: RowScope = {
      owner: { path: String(d.org_path ?? `/${String(d.org_id)}/`) },
      users: [String(d.user_id)],
    };
    const decision = decide(user, 'devices', 'read', scope);
    if (!decision.allow) continue;
    out.push({
      id: String(d.id),
      deviceId: String(d.device_id),
      userId: String(d.user_id),
      username: String(d.username),
      displayName: String(d.display_name),
      role: String(d.role),
      orgId: String(d.org_id),
      orgName: (d.org_name as string | null) ?? null,
      userAgent: (d.user_agent as string | null) ?? null,
      ip: decision.relation === 'self' ? ((d.ip as string | null) ?? null) : null,
      firstSeenAt: iso(d.first_seen_at),
      lastSeenAt: iso(d.last_seen_at),
      revokedAt: iso(d.revoked_at),
      revokedBy: (d.revoked_by as string | null) ?? null,
    });
  }
  return out;
}
