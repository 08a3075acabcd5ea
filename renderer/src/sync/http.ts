// HTTP to the provincial server: JSON in and out, a timeout per request, bounded retries with backoff for
// transient failures (network, 5xx), and one access-token refresh on 401. Anything else ends in a
// typed SyncError the sync state shows (STYLE rule 4: bounded retries that end in a typed reason).
import { asSyncError, errorOfResponse, SyncError } from './errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type RetryPolicy = {
  /** attempts in total, the first included */
  attempts: number;
  /** wait before the second attempt; doubles after each failure */
  baseDelayMs: number;
  timeoutMs: number;
};

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 800, timeoutMs: 30_000 };
/** Login and password forms answer the person at once: no silent retries. */
export const NO_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, timeoutMs: 20_000 };

export type Tokens = { token: string; refreshToken: string };

export type TokenSource = {
  current(): Tokens | null;
  /** exchanges the refresh token; rejects with SyncError('unauthorized') when that is no longer possible */
  refresh(): Promise<Tokens>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Normalises what a person types as the server address: scheme added, trailing slashes removed. */
export function normaliseServerUrl(raw: string): string | null {
  let text = raw.trim();
  if (!text) return null;
  if (!/^https?:\/\//i.test(text)) text = `http://${text}`;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly tokens: TokenSource | null = null,
    private readonly fetchImpl: FetchLike = (i, init) => fetch(i, init),
  ) {}

  private async once(path: string, init: RequestInit, timeoutMs: number, token: string | null) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        ...init,
        headers,
        signal: controller.signal,
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      if (!res.ok) throw errorOfResponse(res.status, body);
      return body;
    } catch (error) {
      throw asSyncError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One request with the policy's retries; on 401 the access token is refreshed once. */
  async request<T>(path: string, init: RequestInit = {}, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
    let refreshed = false;
    let delay = policy.baseDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.once(path, init, policy.timeoutMs, this.tokens?.current()?.token ?? null)) as T;
      } catch (e) {
        const error = e as SyncError;
        if (error.kind === 'unauthorized' && this.tokens && !refreshed) {
          refreshed = true;
          await this.tokens.refresh();
          attempt--;
          continue;
        }
        const transient = error.kind === 'network' || error.kind === 'server';
        const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
        if (!transient || offline || attempt >= policy.attempts) throw error;
        await sleep(delay);
        delay *= 2;
      }
    }
  }

  get<T>(path: string, policy?: RetryPolicy): Promise<T> {
    return this.request<T>(path, { method: 'GET' }, policy);
  }

  post<T>(path: string, body: unknown, policy?: RetryPolicy): Promise<T> {
    return this.request<T>(path, { method: 'POST', body: JSON.stringify(body) }, policy);
  }

  put<T>(path: string, body: unknown, policy?: RetryPolicy): Promise<T> {
    return this.request<T>(path, { method: 'PUT', body: JSON.stringify(body) }, policy);
  }
}

export { SyncError };
