// Messages between the screens and the print worker (print-worker.ts). Plain data: records go in as JSON
// values, the PDF comes back as transferred bytes.
import type { RenderedForm } from '../../../../shared/forms';

/** The forms the app prints from its own data (only forms whose data the app really holds). */
export type PrintFormId =
  | 'archive-list'
  | 'account-slip'
  | 'status-change'
  | 'info-change'
  | 'change-roster'
  | 'info-confirm'
  | 'inspection-record'
  | 'inspection-report';

export type PrintRequest =
  | { type: 'render'; jobId: number; formId: PrintFormId; records: unknown[]; now: string }
  | { type: 'cancel'; jobId: number };

export type PrintResponse =
  | { type: 'progress'; jobId: number; done: number; total: number }
  | { type: 'done'; jobId: number; result: RenderedForm }
  | { type: 'cancelled'; jobId: number }
  /** `field` is the path of a bad value (FormDataError), so the screen can name the student */
  | { type: 'error'; jobId: number; message: string; field?: string };
