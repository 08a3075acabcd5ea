// What this installation remembers about its link to the provincial server, in RxDB local documents
// (DESIGN.md: settings are local documents): the account (server, user, tokens, the salted hash for local
// unlock) and the sync bookkeeping (last sync, the outbox of unpushed records). The device ID lives in
// localStorage so that a fresh local copy of the school keeps the same registered device.
import type { SyncUser } from '../../../shared/sync/protocol';
import type { XuejiDatabase } from '../db/database';
import type { LocalCredential } from './credentials';

export const ACCOUNT_ID = 'sync-account';
export const META_ID = 'sync-meta';
const DEVICE_KEY = 'xueji.deviceId';
const HANDOFF_KEY = 'xueji.sync.handoff';
const LAST_SERVER_KEY = 'xueji.sync.lastServer';

/** The login response of POST /api/auth/login and /api/auth/refresh (docs/sync-api.md). */
export type LoginResponse = {
  token: string;
  refreshToken: string;
  expiresIn?: number;
  deviceId?: string;
  user: SyncUser & { mustChangePassword?: boolean; passwordChangedAt?: string; passwordMaxAgeDays?: number };
};

export type SyncAccount = {
  serverUrl: string;
  user: SyncUser;
  token: string;
  refreshToken: string;
  deviceId: string;
  /** the school this local copy belongs to (settings.schoolId once adopted) */
  schoolId: string;
  credential: LocalCredential;
  loggedInAt: string;
  /** the server asked for a password change before it syncs again (R-SECURE) */
  mustChangePassword: boolean;
  /** the tokens can no longer be refreshed: work goes on locally, a fresh login restarts sync */
  expired: boolean;
  /** R-SECURE: when the password was set, and the server's maximum age (the app counts the days left) */
  passwordChangedAt?: string;
  passwordMaxAgeDays?: number;
};

/** The user as the account keeps it: without the fields that only describe this login. */
export function stripLoginFields(user: LoginResponse['user']): SyncUser {
  const { mustChangePassword: _m, passwordChangedAt: _p, passwordMaxAgeDays: _a, ...rest } = user;
  return rest;
}

/** What a login, refresh or password change says about the password's age (R-SECURE), for the account. */
export function passwordFields(
  user: LoginResponse['user'],
): Pick<SyncAccount, 'passwordChangedAt' | 'passwordMaxAgeDays'> {
  return {
    ...(user.passwordChangedAt ? { passwordChangedAt: user.passwordChangedAt } : {}),
    ...(typeof user.passwordMaxAgeDays === 'number' ? { passwordMaxAgeDays: user.passwordMaxAgeDays } : {}),
  };
}

/** The account a successful login establishes on this machine (the app's login and the tests use it). */
export function accountFromLogin(o: {
  serverUrl: string;
  deviceId: string;
  response: LoginResponse;
  credential: LocalCredential;
  now?: Date;
}): SyncAccount {
  return {
    serverUrl: o.serverUrl,
    user: stripLoginFields(o.response.user),
    token: o.response.token,
    refreshToken: o.response.refreshToken,
    deviceId: o.deviceId,
    schoolId: o.response.user.orgId,
    credential: o.credential,
    loggedInAt: (o.now ?? new Date()).toISOString(),
    mustChangePassword: o.response.user.mustChangePassword === true,
    expired: false,
    ...passwordFields(o.response.user),
  };
}

export type SyncMeta = {
  lastSyncAt: string | null;
  /** the first full pull of the school has finished */
  initialDone: boolean;
  /** ids of records changed on this machine and not yet accepted by the server, by collection */
  outbox: Record<string, string[]>;
};

export const EMPTY_META: SyncMeta = { lastSyncAt: null, initialDone: false, outbox: {} };

export async function readAccount(db: XuejiDatabase): Promise<SyncAccount | null> {
  const doc = await db.getLocal<SyncAccount>(ACCOUNT_ID);
  return doc ? (doc.toJSON().data as SyncAccount) : null;
}

export async function writeAccount(db: XuejiDatabase, account: SyncAccount): Promise<void> {
  await db.upsertLocal(ACCOUNT_ID, account);
}

export async function readMeta(db: XuejiDatabase): Promise<SyncMeta> {
  const doc = await db.getLocal<SyncMeta>(META_ID);
  return doc ? { ...EMPTY_META, ...(doc.toJSON().data as SyncMeta) } : { ...EMPTY_META };
}

export async function writeMeta(db: XuejiDatabase, meta: SyncMeta): Promise<void> {
  await db.upsertLocal(META_ID, meta);
}

function storage(kind: 'local' | 'session'): Storage | null {
  try {
    return kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
  } catch {
    return null;
  }
}

let memoryDeviceId: string | undefined;

/** The device ID, generated once per browser profile (R-SECURE: the server registers the device). */
export function deviceId(): string {
  const store = storage('local');
  const stored = store?.getItem(DEVICE_KEY);
  if (stored) return stored;
  const id = `web-${crypto.randomUUID()}`;
  if (store) store.setItem(DEVICE_KEY, id);
  else memoryDeviceId ??= id;
  return store ? id : (memoryDeviceId as string);
}

/**
 * A login that must survive replacing the local database (a fresh local copy from the server): it is
 * parked in sessionStorage (this window only) across the reload, then written into the new database.
 */
export type Handoff = { account: SyncAccount };

export function parkHandoff(h: Handoff): void {
  storage('session')?.setItem(HANDOFF_KEY, JSON.stringify(h));
}

export function takeHandoff(): Handoff | null {
  const s = storage('session');
  const text = s?.getItem(HANDOFF_KEY);
  if (!text) return null;
  s?.removeItem(HANDOFF_KEY);
  try {
    return JSON.parse(text) as Handoff;
  } catch {
    return null;
  }
}

/** The server and user of the last successful login: the login form offers them again after 退出登录. */
export type LastServer = { serverUrl: string; username: string };

export function rememberServer(last: LastServer): void {
  storage('local')?.setItem(LAST_SERVER_KEY, JSON.stringify(last));
}

export function lastServer(): LastServer | null {
  try {
    const v = JSON.parse(storage('local')?.getItem(LAST_SERVER_KEY) ?? 'null') as Partial<LastServer> | null;
    return v && typeof v.serverUrl === 'string'
      ? { serverUrl: v.serverUrl, username: String(v.username ?? '') }
      : null;
  } catch {
    return null;
  }
}
