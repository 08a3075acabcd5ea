// The key-field set (★) in one place (issue 8 "one copy of each rule"): a setting of the province,
// published on its org document (`OrgDoc.settings.keyFields`), that every copy pulls with the org tree.
// The server's write checks, the student page and the import preview all use the effective set.
import type { OrgDoc } from './schemas';
import { DEFAULT_KEY_FIELDS, FIELD_META, type StudentField } from './student';

/**
 * The effective key fields, given the org chain of a school (any order; the province's document is the
 * one that counts: a bureau or a school cannot loosen the province's set). Unknown names are ignored;
 * without a province document or setting, DEFAULT_KEY_FIELDS.
 */
export function effectiveKeyFields(
  chain: readonly Pick<OrgDoc, 'kind' | 'settings'>[] | null | undefined,
): readonly StudentField[] {
  const setting = chain?.find((o) => o.kind === 'province')?.settings?.keyFields;
  if (!Array.isArray(setting)) return DEFAULT_KEY_FIELDS;
  return setting.filter((f): f is StudentField => typeof f === 'string' && FIELD_META.has(f as StudentField));
}
