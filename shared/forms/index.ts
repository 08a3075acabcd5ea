// The printed forms of Xueji Desk (DOMAIN.md "Printed forms"): registry and public API.
import { accountSlipForm } from './defs/account-slip';
import { archiveListForm } from './defs/archive-list';
import { changeRosterForm } from './defs/change-roster';
import { infoChangeForm } from './defs/info-change';
import { infoConfirmForm } from './defs/info-confirm';
import { inspectionRecordForm } from './defs/inspection-record';
import { inspectionReportForm } from './defs/inspection-report';
import { statusChangeForm } from './defs/status-change';
import type { FormDataBase, FormDefinition } from './render';

export { canonicalJson, contentHash, qrPayload } from './canonical';
export {
  findMissingCharacters,
  fontCoverage,
  type GlyphCoverage,
  type MissingCharacter,
  missingCharactersMessage,
} from './glyphs';
export { PdfReadError, readPdfInfo } from './pdf-info';
export {
  type FormDefinition,
  type FormFonts,
  FormRenderCancelled,
  fontsCoverage,
  type RenderedForm,
  type RenderOptions,
  renderForm,
  renderForms,
  validateFormData,
} from './render';
export { FormDataError } from './shape';
export { type FormTextCheck, type FormTextDifference, verifyFormText } from './verify';
export {
  accountSlipForm,
  archiveListForm,
  changeRosterForm,
  infoChangeForm,
  infoConfirmForm,
  inspectionRecordForm,
  inspectionReportForm,
  statusChangeForm,
};

/** Every form, in the order of `xueji form list`. */
export const FORMS: readonly FormDefinition<FormDataBase>[] = [
  infoChangeForm,
  statusChangeForm,
  archiveListForm,
  changeRosterForm,
  inspectionRecordForm,
  inspectionReportForm,
  accountSlipForm,
  infoConfirmForm,
] as unknown as readonly FormDefinition<FormDataBase>[];

export function formById(id: string): FormDefinition<FormDataBase> | undefined {
  return FORMS.find((f) => f.id === id);
}

/** The sample data of each form, relative to the repository root (shipped with the repo, see docs/forms.md). */
export const sampleDataPath = (formId: string) => `shared/forms/samples/${formId}.json`;

/** The shipped font files, relative to node_modules (CLI) or bundled as assets (renderer). */
export const FONT_FILES = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
} as const;

/** What verify-form compares: the record and hash a PDF claims, from its metadata. */
export type FormStamp = { formId: string; recordId: string; hash: string };

export function stampFromInfo(info: Record<string, string>): FormStamp | undefined {
  const formId = info.XuejiForm;
  const recordId = info.XuejiRecord;
  const hash = info.XuejiHash;
  if (formId && recordId && hash && /^[0-9a-f]{64}$/.test(hash)) return { formId, recordId, hash };
  // Fallback: the Keywords entry carries the same stamp when custom keys were dropped by another tool.
  const m = /xueji-form=([\w-]+); record=([^;]+); sha256=([0-9a-f]{64})/.exec(info.Keywords ?? '');
  return m ? { formId: m[1] as string, recordId: m[2] as string, hash: m[3] as string } : undefined;
}
