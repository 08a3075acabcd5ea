// The screens' side of the print worker: one worker for the session (it keeps the fonts it fetched and
// parsed), one promise per job, progress callbacks and cancel. Cancel is cooperative (the worker checks
// between records); if the worker does not confirm within a few seconds it is terminated, so a cancel
// always stops the work and nothing is produced.
import type { RenderedForm } from '../../../../shared/forms';
import type { PrintFormId, PrintRequest, PrintResponse } from './print-protocol';

export class PrintCancelled extends Error {
  constructor() {
    super('已取消打印，没有生成文件');
    this.name = 'PrintCancelled';
  }
}

/** The data of a record was refused by the form (e.g. a malformed ID number); `field` is its path. */
export class PrintDataError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PrintDataError';
  }
}

export type PrintJobOptions = {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
};

type Pending = {
  resolve: (r: RenderedForm) => void;
  reject: (e: Error) => void;
  onProgress?: (done: number, total: number) => void;
};

const CANCEL_GRACE_MS = 3000;

let worker: Worker | null = null;
let nextJob = 1;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./print-worker.ts', import.meta.url), {
    type: 'module',
    name: 'xueji-print',
  });
  w.onmessage = (event: MessageEvent<PrintResponse>) => {
    const msg = event.data;
    const job = pending.get(msg.jobId);
    if (!job) return;
    if (msg.type === 'progress') {
      job.onProgress?.(msg.done, msg.total);
      return;
    }
    pending.delete(msg.jobId);
    if (msg.type === 'done') job.resolve(msg.result);
    else if (msg.type === 'cancelled') job.reject(new PrintCancelled());
    else job.reject(msg.field ? new PrintDataError(msg.message, msg.field) : new Error(msg.message));
  };
  w.onerror = (event) => {
    event.preventDefault();
    stopWorker();
    failAll(new Error(`打印程序出错：${event.message || '无法启动打印程序'}`));
  };
  worker = w;
  return w;
}

function stopWorker(): void {
  worker?.terminate();
  worker = null;
}

/** Renders records of one form into one PDF in the print worker. Rejects with PrintCancelled on cancel. */
export function renderInWorker(
  formId: PrintFormId,
  records: unknown[],
  options: PrintJobOptions = {},
): Promise<RenderedForm> {
  if (options.signal?.aborted) return Promise.reject(new PrintCancelled());
  const jobId = nextJob++;
  const w = getWorker();
  return new Promise<RenderedForm>((resolve, reject) => {
    pending.set(jobId, { resolve, reject, onProgress: options.onProgress });
    options.signal?.addEventListener(
      'abort',
      () => {
        if (!pending.has(jobId)) return;
        w.postMessage({ type: 'cancel', jobId } satisfies PrintRequest);
        setTimeout(() => {
          const job = pending.get(jobId);
          if (!job) return;
          // The worker did not stop in time (e.g. busy finishing a huge file): end it and every job in it.
          pending.delete(jobId);
          job.reject(new PrintCancelled());
          if (worker === w) stopWorker();
          failAll(new PrintCancelled());
        }, CANCEL_GRACE_MS);
      },
      { once: true },
    );
    w.postMessage({
      type: 'render',
      jobId,
      formId,
      records,
      now: new Date().toISOString(),
    } satisfies PrintRequest);
  });
}
