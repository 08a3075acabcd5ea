// The workflow of inspection records on the server (shared/inspections/workflow.ts) with the facts it
// needs from the server's own tables: a plan against its bureau's register and templates, an inspection's
// sample against the packs the server built, a report or follow-up against its stored inspection.
import type { InspectionDoc, InspectionRecord } from '../../shared/inspections/records';
import { inspectionWriteProblem, type WriteFacts } from '../../shared/inspections/workflow';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { RuleRefusal } from '../../shared/sync/rules';
import type { Sql } from '../store/db';
import type { StoredRow } from '../sync/scope';
import { drawRegister, inspectorsMinAt, packsOf, templatesOf } from './facts';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export async function inspectionRowCheck(
  tx: Sql,
  row: { user: SyncUser; before: StoredRow | null; after: SyncDoc },
): Promise<RuleRefusal | null> {
  const after = row.after as unknown as InspectionRecord;
  const facts: WriteFacts = {};
  switch (after.kind) {
    case 'plan': {
      facts.register = (await drawRegister(tx, str(after.bureauId))) ?? undefined;
      facts.templates = await templatesOf(tx, str(after.bureauId));
      break;
    }
    case 'inspection': {
      facts.packs = await packsOf(tx, str(after.id));
      facts.inspectorsMin = await inspectorsMinAt(tx, str(after.orgPath));
      break;
    }
    case 'report':
    case 'followUp': {
      const [parent] = await tx.query<{ data: InspectionDoc }>(
        `select data from docs where collection = 'inspections' and id = $1 and not deleted`,
        [str((after as { inspectionId?: unknown }).inspectionId)],
      );
      facts.parent = parent?.data.kind === 'inspection' ? parent.data : null;
      break;
    }
    default:
      break;
  }
  return inspectionWriteProblem({
    user: row.user,
    before: (row.before?.data as unknown as InspectionRecord | undefined) ?? null,
    after,
    facts,
  });
}
