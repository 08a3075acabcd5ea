// Side effects of accepting a pushed row, in the same database transaction (issue 8 "Side effects in one
// transaction"): an effect may write further rows (other collections, history) and re-scope rows; it runs
// inside the row's savepoint, so if it throws, the row and everything the effects wrote are rolled back
// together and the row is refused — all or nothing. The workflow issue hangs approvals on this (an
// approved request moves the student, closes the step and writes history in one transaction).
import type { RowScope } from '../../shared/authority/relation';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import { INSPECTION_EFFECTS } from '../inspections/effects';
import type { Sql } from '../store/db';
import { applyChangeRequests } from '../workflows/effect';
import { rescope, sameScope } from './rescope';
import { DEPENDENT_COLLECTIONS, type StoredRow } from './scope';

export type EffectContext = {
  tx: Sql;
  collection: string;
  /** the row as it was (null for a new row) and as it is now written */
  before: StoredRow | null;
  after: StoredRow;
  user: SyncUser;
  deviceId: string;
  now: () => Date;
  /** writes another row (with its history and a new sequence number) in this transaction */
  write(collection: string, doc: SyncDoc, scope: RowScope): Promise<number>;
  /** a row of `collection` with this scope changed: its readers get a live notice */
  notify(collection: string, scope: RowScope): void;
  /** the next value of the write sequence (rows an effect changes in bulk get one each) */
  nextSeq(): Promise<number>;
};

export type Effect = {
  /** for logs and errors */
  name: string;
  /** the collections whose accepted rows trigger it ('*': every collection) */
  collections: readonly string[] | '*';
  run(ctx: EffectContext): Promise<void>;
};

export function effectApplies(effect: Effect, collection: string): boolean {
  return effect.collections === '*' || effect.collections.includes(collection);
}

/**
 * Events, attachments and conflicts take the scope of the record they belong to. When that record is
 * created or its scope changes (a student's class changes — only through a workflow), its dependents are
 * re-scoped (above), so the pulls now entitled to them receive them and the stream tells them.
 */
export const rescopeDependents: Effect = {
  name: 'rescope-dependents',
  collections: '*',
  async run(ctx) {
    if (DEPENDENT_COLLECTIONS.includes(ctx.collection)) return;
    if (ctx.before && sameScope(ctx.before.scope, ctx.after.scope)) return;
    await rescope(ctx, {
      collection: ctx.collection,
      id: ctx.after.id,
      schoolId: ctx.collection === 'orgs' ? ctx.after.id : ctx.after.schoolId,
      scope: ctx.after.scope,
    });
  },
};

/** The effects of every accepted row: re-scoping dependents, what an accepted change request does, and the inspections workflow's (publication opens inspections, signing opens follow-ups). */
export const DEFAULT_EFFECTS: readonly Effect[] = [
  rescopeDependents,
  applyChangeRequests,
  ...INSPECTION_EFFECTS,
];
