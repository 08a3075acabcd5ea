// The administration API (server/admin, docs/sync-api.md "Administration") as the app calls it: through the
// running sync engine's client (its tokens, refreshed on 401). Reads retry like sync does; writes are sent
// once (a retried create could open an account twice), and a refusal comes back as an AdminFailure with the
// server's Chinese message, the field and, for a sheet, every refused row.
import type { AccountInput, AccountView } from '../../../../shared/admin/accounts';
import type { AuditEntry } from '../../../../shared/admin/audit';
import type { OrgInput } from '../../../../shared/admin/orgs';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import type { DrawInspector } from '../../../../shared/inspections/draw-input';
import { asSyncError, type SyncError } from '../../sync/errors';
import { NO_RETRY, type ServerClient } from '../../sync/http';

export type CreatedAccount = { user: AccountView; initialPassword: string; notices: string[] };
export type OrgWriteResult = { org: OrgDoc; created: boolean; notices: string[] };
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
  ip: string | null;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
};

/** A refused administrative call: what the person reads, and where. */
export class AdminFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
    readonly rows: { index: number; field: string; code: string; message: string }[] = [],
    readonly offline = false,
  ) {
    super(message);
  }
}

function failure(e: unknown): AdminFailure {
  const error: SyncError = asSyncError(e);
  return new AdminFailure(
    error.kind === 'network'
      ? '无法连接省级平台：单位和账号的管理须联网完成（由省级平台校验并记录）'
      : error.message,
    error.code,
    error.details.field,
    error.details.rows,
    error.kind === 'network',
  );
}

const q = (params: Record<string, string | number | boolean | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

export class AdminApi {
  constructor(private readonly client: ServerClient) {}

  private async get<T>(path: string): Promise<T> {
    try {
      return await this.client.get<T>(path);
    } catch (e) {
      throw failure(e);
    }
  }

  private async send<T>(method: 'POST' | 'PUT', path: string, body: unknown = {}): Promise<T> {
    try {
      return await this.client.request<T>(path, { method, body: JSON.stringify(body) }, NO_RETRY);
    } catch (e) {
      throw failure(e);
    }
  }

  users(filter: {
    orgId?: string;
    role?: string;
    q?: string;
    disabled?: boolean;
    offset?: number;
    limit?: number;
  }) {
    return this.get<{ users: AccountView[]; total: number }>(`/api/admin/users${q(filter)}`);
  }
  createUser(input: AccountInput) {
    return this.send<CreatedAccount>('POST', '/api/admin/users', input);
  }
  createUsers(users: AccountInput[]) {
    return this.send<{ users: CreatedAccount[] }>('POST', '/api/admin/users/batch', { users });
  }
  updateUser(id: string, input: Partial<AccountInput>) {
    return this.send<{ user: AccountView; notices: string[] }>(
      'PUT',
      `/api/admin/users/${encodeURIComponent(id)}`,
      input,
    );
  }
  setUserDisabled(id: string, disabled: boolean) {
    return this.send<{ user: AccountView }>(
      'POST',
      `/api/admin/users/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`,
    );
  }
  resetPassword(id: string) {
    return this.send<CreatedAccount>('POST', `/api/admin/users/${encodeURIComponent(id)}/reset-password`);
  }
  inspectors() {
    return this.get<{ inspectors: DrawInspector[] }>('/api/admin/inspectors');
  }
  createOrg(input: OrgInput) {
    return this.send<OrgWriteResult>('POST', '/api/admin/orgs', input);
  }
  writeOrgs(orgs: OrgInput[]) {
    return this.send<{ orgs: OrgWriteResult[] }>('POST', '/api/admin/orgs/batch', { orgs });
  }
  updateOrg(id: string, input: OrgInput) {
    return this.send<OrgWriteResult>('PUT', `/api/admin/orgs/${encodeURIComponent(id)}`, input);
  }
  setOrgDisabled(id: string, disabled: boolean, reason?: string) {
    return this.send<{ org: OrgDoc }>(
      'POST',
      `/api/admin/orgs/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`,
      reason ? { reason } : {},
    );
  }
  audit(filter: {
    action?: string;
    targetKind?: string;
    targetId?: string;
    offset?: number;
    limit?: number;
  }) {
    return this.get<{ entries: AuditEntry[]; total: number }>(`/api/admin/audit${q(filter)}`);
  }
  devices() {
    return this.get<{ devices: DeviceView[] }>('/api/devices');
  }
  revokeDevice(id: string) {
    return this.send<{ ok: true }>('POST', `/api/devices/${encodeURIComponent(id)}/revoke`);
  }
}
