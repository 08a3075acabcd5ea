// A simulated device: an RxDB client (rx-client.ts) in its own worker thread (RxDB caps open collections
// per process), driven by messages; and waiting for a condition without fixed sleeps.
import { Worker } from 'node:worker_threads';
import type { ClientOptions } from './rx-client';

export type Device = { call<T = unknown>(op: string, ...args: unknown[]): Promise<T>; worker: Worker };

export async function device(o: ClientOptions): Promise<Device> {
  const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
    workerData: { ...o, entry: new URL('./rx-client-worker.ts', import.meta.url).href },
  });
  let next = 0;
  const pending = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>();
  await new Promise<void>((ok, fail) => {
    worker.once('error', fail);
    worker.on('message', (m: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) return ok();
      const p = pending.get(m.id ?? -1);
      if (!p) return;
      pending.delete(m.id ?? -1);
      if (m.error) p.fail(new Error(m.error));
      else p.ok(m.result);
    });
  });
  return {
    worker,
    call: <T>(op: string, ...args: unknown[]) =>
      new Promise<T>((ok, fail) => {
        const id = next++;
        pending.set(id, { ok: ok as (v: unknown) => void, fail });
        worker.postMessage({ id, op, args });
      }),
  };
}

/** Reads until `ok` holds (polling a tenth of a second), or fails naming what it waited for. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
