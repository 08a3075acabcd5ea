// The print worker: renders forms with the shared forms engine off the UI thread, so a batch of a whole
// grade keeps the screen responsive and its cancel button live. One job at a time per request; a cancel
// message flips the job's signal, which renderForms checks between records (it yields every 10 records).
import {
  accountSlipForm,
  archiveListForm,
  changeRosterForm,
  FormDataError,
  type FormDefinition,
  FormRenderCancelled,
  infoChangeForm,
  infoConfirmForm,
  inspectionRecordForm,
  inspectionReportForm,
  renderForms,
  statusChangeForm,
} from '../../../../shared/forms';
import type { FormDataBase } from '../../../../shared/forms/render';
import { loadFormFonts } from './fonts';
import type { PrintFormId, PrintRequest, PrintResponse } from './print-protocol';

type WorkerScope = {
  onmessage: ((event: MessageEvent<PrintRequest>) => void) | null;
  postMessage(message: PrintResponse, transfer?: Transferable[]): void;
};
const scope = self as unknown as WorkerScope;

const DEFINITIONS: Record<PrintFormId, FormDefinition<FormDataBase>> = {
  'archive-list': archiveListForm as unknown as FormDefinition<FormDataBase>,
  'inspection-record': inspectionRecordForm as unknown as FormDefinition<FormDataBase>,
  'inspection-report': inspectionReportForm as unknown as FormDefinition<FormDataBase>,
  'account-slip': accountSlipForm as unknown as FormDefinition<FormDataBase>,
  'status-change': statusChangeForm as unknown as FormDefinition<FormDataBase>,
  'info-change': infoChangeForm as unknown as FormDefinition<FormDataBase>,
  'change-roster': changeRosterForm as unknown as FormDefinition<FormDataBase>,
  'info-confirm': infoConfirmForm as unknown as FormDefinition<FormDataBase>,
};

const signals = new Map<number, { aborted: boolean }>();

async function render(request: Extract<PrintRequest, { type: 'render' }>): Promise<void> {
  const { jobId } = request;
  const signal = { aborted: false };
  signals.set(jobId, signal);
  try {
    const fonts = await loadFormFonts();
    if (signal.aborted) throw new FormRenderCancelled();
    const def = DEFINITIONS[request.formId];
    if (!def) throw new Error(`未知的表格：${request.formId}`);
    const now = new Date(request.now);
    let lastPost = 0;
    const result = await renderForms(def, request.records, fonts, {
      clock: () => now,
      signal,
      onProgress: (done, total) => {
        // At most ~12 updates a second: each one re-renders the progress bar on the UI thread.
        const now = performance.now();
        if (done !== total && done !== 1 && now - lastPost < 80) return;
        lastPost = now;
        scope.postMessage({ type: 'progress', jobId, done, total });
      },
    });
    // A cancel that arrived while the file was being finished still wins: nothing is handed out.
    if (signal.aborted) throw new FormRenderCancelled();
    scope.postMessage({ type: 'done', jobId, result }, [result.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    if (error instanceof FormRenderCancelled) scope.postMessage({ type: 'cancelled', jobId });
    else if (error instanceof FormDataError)
      scope.postMessage({ type: 'error', jobId, message: error.message, field: error.field });
    else
      scope.postMessage({
        type: 'error',
        jobId,
        message: error instanceof Error ? error.message : String(error),
      });
  } finally {
    signals.delete(jobId);
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'render') void render(request);
  else {
    const signal = signals.get(request.jobId);
    if (signal) signal.aborted = true;
  }
};
