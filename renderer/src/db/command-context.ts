// What every command handler receives: the database, who acts and when (injected, STYLE rule 9), and
// the school's settings that decisions depend on.

import { workflowFieldsOf } from '../../../shared/authority/fields';
import type { LocalSettings } from '../../../shared/commands/school-setup';
import type { CommandEnv } from '../../../shared/commands/types';
import type { XuejiDatabase } from './database';
import { readKeyFields } from './key-fields';
import { localActor, readSettings } from './settings';

export type CommandContext = {
  db: XuejiDatabase;
  env: CommandEnv;
  settings: LocalSettings | null;
  keyFields: readonly string[];
};

export async function commandContext(
  db: XuejiDatabase,
  fallbackOperator = '学籍管理员',
): Promise<CommandContext> {
  const settings = await readSettings(db);
  return {
    db,
    settings,
    // Key fields (★, the province's setting) and the fields only a workflow changes: the server refuses both.
    keyFields: [...(await readKeyFields(db)), ...workflowFieldsOf('students')],
    env: {
      actor: localActor(settings?.operatorName ?? fallbackOperator),
      now: () => new Date().toISOString(),
      newId: () => crypto.randomUUID(),
    },
  };
}
