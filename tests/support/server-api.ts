// The provincial server's HTTP API as tests and benchmarks call it directly, as an observer beside the
// clients under test (docs/sync-api.md).
import type { LoginResponse } from '../../renderer/src/sync/account';
import type { PullResponse, SyncDoc } from '../../shared/sync/protocol';

export type Credentials = { username: string; password: string };

/** POST /api/auth/login; anything but 200 fails the caller with the server's answer. */
export async function login(serverUrl: string, who: Credentials, deviceId: string): Promise<LoginResponse> {
  const res = await fetch(`${serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password, deviceId }),
  });
  if (res.status !== 200) throw new Error(`login of ${who.username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

/** Every document of a collection the token's scope covers, page by page from the beginning. */
export async function pullAll(serverUrl: string, token: string, collection: string): Promise<SyncDoc[]> {
  const out: SyncDoc[] = [];
  let checkpoint: unknown = null;
  for (;;) {
    const q = new URLSearchParams({ limit: '1000' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await fetch(`${serverUrl}/api/sync/${collection}/pull?${q}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`pull of ${collection}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as PullResponse;
    out.push(...body.documents);
    if (body.documents.length < 1000) return out;
    checkpoint = body.checkpoint;
  }
}
