// The app's one sync service: login (with alignment of the local school and the server's), local unlock,
// starting and stopping the replication engine, password change, and the state every screen observes.
import { BehaviorSubject, type Subscription } from 'rxjs';
import { installationOrgId } from '../../../shared/commands/school-setup';
import { passwordProblem } from '../../../shared/validate/password';
import { bridge } from '../bridge';
import type { XuejiDatabase } from '../db/database';
import { readKeyFields } from '../db/key-fields';
import { lockNow, readLock, unlockWindow, writeLockCredential } from '../db/local-lock';
import { localActor, readInstallation } from '../db/settings';
import {
  ACCOUNT_ID,
  accountFromLogin,
  deviceId,
  type LoginResponse,
  META_ID,
  parkHandoff,
  passwordFields,
  readAccount,
  rememberServer,
  type SyncAccount,
  stripLoginFields,
  writeAccount,
} from './account';
import { type Alignment, decideAlignment } from './alignment';
import { type AttachmentQueueState, EMPTY_QUEUE } from './attachments';
import { setConflictContext } from './conflict-hook';
import { makeCredential } from './credentials';
import { SyncEngine } from './engine';
import { asSyncError, loginErrorMessage } from './errors';
import { NO_RETRY, normaliseServerUrl, ServerClient } from './http';
import { NEVER, type SyncStatus } from './status';

export type LoginInput = { serverUrl: string; username: string; password: string };

export type LoginOutcome =
  | { ok: true; kind: 'fresh' | 'attach'; account: SyncAccount }
  | { ok: false; kind: 'mismatch'; message: string; account: SyncAccount }
  | { ok: false; kind: 'error'; message: string; field?: keyof LoginInput };

const PREFILL_KEY = 'xueji-login-prefill';

/**
 * What the login form shows after the window reloaded for a new server (never the password). Read
 * without removing (React may call a state initialiser twice); the next login attempt clears it.
 */
export function takeLoginPrefill(): Partial<LoginInput> | null {
  try {
    const raw = sessionStorage.getItem(PREFILL_KEY);
    const v = raw ? (JSON.parse(raw) as Partial<LoginInput>) : null;
    return v && typeof v.serverUrl === 'string'
      ? { serverUrl: v.serverUrl, username: v.username ?? '' }
      : null;
  } catch {
    return null;
  }
}

/** A lock that takes the password of the server login follows each new login and password change. */
async function followServerPassword(db: XuejiDatabase, account: SyncAccount): Promise<void> {
  const lock = await readLock(db);
  if (lock?.source === 'server')
    await writeLockCredential(db, account.credential, 'server', new Date().toISOString(), lock.idleMinutes);
}

export class SyncService {
  readonly status$ = new BehaviorSubject<SyncStatus>(NEVER);
  /** the attachment bytes queue of the running engine (uploads, downloads, failures) */
  readonly attachments$ = new BehaviorSubject<AttachmentQueueState>(EMPTY_QUEUE);
  private engine: SyncEngine | null = null;
  private engineSub: Subscription | undefined;
  private filesSub: Subscription | undefined;
  private starting: Promise<SyncEngine> | null = null;

  get current(): SyncEngine | null {
    return this.engine;
  }

  /** Starts (or returns) the engine for the stored account. */
  async ensureStarted(db: XuejiDatabase, account: SyncAccount): Promise<SyncEngine> {
    if (this.engine && this.engine.currentAccount.user.id === account.user.id) return this.engine;
    this.starting ??= (async () => {
      await this.stopEngine();
      const settings = await readInstallation(db);
      setConflictContext({
        actorId: localActor(settings?.operatorName ?? account.user.displayName).id,
        deviceId: account.deviceId,
        keyFields: await readKeyFields(db),
      });
      const engine = new SyncEngine(db, account);
      this.engine = engine;
      this.engineSub = engine.status$.subscribe((s) => this.status$.next(s));
      this.filesSub = engine.files.queue$.subscribe((q) => this.attachments$.next(q));
      await engine.start();
      return engine;
    })().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async stopEngine(): Promise<void> {
    this.engineSub?.unsubscribe();
    this.filesSub?.unsubscribe();
    this.attachments$.next(EMPTY_QUEUE);
    const engine = this.engine;
    this.engine = null;
    await engine?.stop();
  }

  async login(db: XuejiDatabase, input: LoginInput): Promise<LoginOutcome> {
    const serverUrl = normaliseServerUrl(input.serverUrl);
    if (!serverUrl)
      return {
        ok: false,
        kind: 'error',
        field: 'serverUrl',
        message: '服务器地址格式不对，应形如 https://xueji.jyj.gov.cn（本机演示可用 http://127.0.0.1:8787）',
      };
    const username = input.username.trim();
    if (!username) return { ok: false, kind: 'error', field: 'username', message: '请输入用户名' };
    if (!input.password) return { ok: false, kind: 'error', field: 'password', message: '请输入密码' };
    // The desktop shell lets the app reach only the server chosen here (its CSP and request filter);
    // the browser build needs nothing. A page's CSP is fixed when it loads: a new server needs a reload.
    try {
      sessionStorage.removeItem(PREFILL_KEY);
    } catch {
      // no session storage (Node tests): nothing to clear
    }
    const allowed = await bridge.setServerOrigin({ origin: new URL(serverUrl).origin });
    if (!allowed.ok) return { ok: false, kind: 'error', field: 'serverUrl', message: allowed.message };
    if (allowed.value.changed) {
      try {
        sessionStorage.setItem(PREFILL_KEY, JSON.stringify({ serverUrl: input.serverUrl, username }));
      } catch {
        // without session storage the person types the address again
      }
      setTimeout(() => window.location.reload(), 1500);
      return {
        ok: false,
        kind: 'error',
        field: 'password',
        message: '已允许连接该省级平台；窗口即将重新加载以启用新的安全设置，请随后再次输入密码登录',
      };
    }
    let res: LoginResponse;
    const device = deviceId();
    try {
      res = await new ServerClient(serverUrl).post<LoginResponse>(
        '/api/auth/login',
        { username, password: input.password, deviceId: device },
        NO_RETRY,
      );
    } catch (e) {
      const error = asSyncError(e);
      const field =
        error.code === 'BAD_CREDENTIALS' || error.code === 'LOCKED' || error.code === 'RATE_LIMITED'
          ? 'password'
          : error.kind === 'network'
            ? 'serverUrl'
            : undefined;
      return { ok: false, kind: 'error', message: loginErrorMessage(error), field };
    }
    const account = accountFromLogin({
      serverUrl,
      deviceId: device,
      response: res,
      credential: await makeCredential(username, input.password),
    });
    const settings = await readInstallation(db);
    const school = settings ? await db.orgs.findOne(installationOrgId(settings)).exec() : null;
    const alignment: Alignment = decideAlignment({
      settings,
      localSchoolName: school?.name ?? null,
      localStudents: settings ? await db.students.count().exec() : 0,
      user: account.user,
    });
    switch (alignment.kind) {
      case 'refused':
        return { ok: false, kind: 'error', message: alignment.message, field: 'username' };
      case 'mismatch':
        return { ok: false, kind: 'mismatch', message: alignment.message, account };
      case 'fresh':
      case 'attach': {
        rememberServer({ serverUrl, username });
        // The person just proved the password: this window opens, and a profile whose local password is
        // its server login's (R-SECURE) follows the password of this login.
        unlockWindow();
        await followServerPassword(db, account);
        if (this.engine && this.engine.currentAccount.user.id === account.user.id) {
          await this.engine.renew(account);
        } else {
          await writeAccount(db, account);
          await this.ensureStarted(db, account);
        }
        return { ok: true, kind: alignment.kind, account };
      }
    }
  }

  /**
   * The person confirmed: this machine's local data is dropped and the school is downloaded afresh. The
   * login is parked for this window, the database removed, and the app restarts into the first sync.
   */
  async replaceLocalCopy(db: XuejiDatabase, account: SyncAccount): Promise<void> {
    parkHandoff({ account });
    await this.stopEngine();
    await db.remove();
    window.location.reload();
  }

  /**
   * R-SECURE: the password change the server asks for. The server ends every other session and answers
   * with fresh tokens for this device (the old ones are dead): the stored account takes them, and the
   * local unlock hash follows the new password.
   */
  async changePassword(db: XuejiDatabase, oldPassword: string, newPassword: string): Promise<string | null> {
    const account = this.engine?.currentAccount ?? (await readAccount(db));
    if (!account) return '尚未登录省级平台';
    const client =
      this.engine?.api ??
      new ServerClient(account.serverUrl, {
        current: () => account,
        refresh: () => Promise.reject(new Error('登录已过期')),
      });
    const problem = passwordProblem(newPassword, { username: account.user.username, oldPassword });
    if (problem) return problem;
    let res: LoginResponse;
    try {
      res = await client.post<LoginResponse>('/api/auth/password', { oldPassword, newPassword }, NO_RETRY);
    } catch (e) {
      return loginErrorMessage(asSyncError(e));
    }
    const next: SyncAccount = {
      ...(this.engine?.currentAccount ?? account),
      token: res.token,
      refreshToken: res.refreshToken,
      user: stripLoginFields(res.user),
      mustChangePassword: res.user.mustChangePassword === true,
      expired: false,
      ...passwordFields(res.user),
      credential: await makeCredential(account.user.username, newPassword),
    };
    if (this.engine) await this.engine.renew(next);
    else await writeAccount(db, next);
    await followServerPassword(db, next);
    return null;
  }

  async retry(): Promise<void> {
    await this.engine?.retry();
  }

  /** Leaves the server: the local data stays; unpushed edits wait for the next login. */
  async logout(db: XuejiDatabase): Promise<void> {
    await this.stopEngine();
    const doc = await db.getLocal(ACCOUNT_ID);
    await doc?.remove();
    this.status$.next(NEVER);
    // R-SECURE: leaving the server locks the window; the local password opens it again.
    lockNow();
  }
}

export const syncService = new SyncService();

export { META_ID };
