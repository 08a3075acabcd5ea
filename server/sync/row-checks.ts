// Checks of a pushed row that need facts from the server's own tables (beyond its scope and the authority
// table), run in the row's savepoint after the authority decision allowed it: an inspection plan against
// the bureau's register, a sample against the visit pack's roster (server/inspections/checks.ts). A
// collection adds its check here; a refusal is stored and answered like any other.
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { RuleRefusal } from '../../shared/sync/rules';
import { inspectionRowCheck } from '../inspections/checks';
import type { Sql } from '../store/db';
import type { StoredRow } from './scope';

export type RowCheck = (
  tx: Sql,
  row: { user: SyncUser; before: StoredRow | null; after: SyncDoc },
) => Promise<RuleRefusal | null>;

export const ROW_CHECKS: Readonly<Record<string, RowCheck>> = {
  inspections: inspectionRowCheck,
};
