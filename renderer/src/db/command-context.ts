// What every command handler receives: the database, who acts and when (injected, STYLE rule 9), and
// the school's settings that decisions depend on.

import { workflowFieldsOf } from '../../../shared/authority/fields';
import {
  type InstallationSettings,
  installationOrgId,
  isAreaSettings,
  type LocalSettings,
} from '../../../shared/commands/school-setup';
import type { CommandEnv } from '../../../shared/commands/types';
import type { XuejiDatabase } from './database';
import { readKeyFields } from './key-fields';
import { localActor, readInstallation } from './settings';

export type CommandContext = {
  db: XuejiDatabase;
  env: CommandEnv;
  /** the school desk's settings; null before the first start and on an area desk */
  settings: LocalSettings | null;
  /** the settings document whichever desk this is (a school, or a bureau / the province / an inspector) */
  installation: InstallationSettings | null;
  /** the org this installation serves (its school or its bureau); null before the first start */
  orgId: string | null;
  keyFields: readonly string[];
};

export async function commandContext(
  db: XuejiDatabase,
  fallbackOperator = '学籍管理员',
): Promise<CommandContext> {
  const installation = await readInstallation(db);
  const settings = installation && !isAreaSettings(installation) ? installation : null;
  return {
    db,
    settings,
    installation,
    orgId: installation ? installationOrgId(installation) : null,
    // Key fields (★, the province's setting) and the fields only a workflow changes: the server refuses both.
    keyFields: [...(await readKeyFields(db)), ...workflowFieldsOf('students')],
    env: {
      actor: localActor(installation?.operatorName ?? fallbackOperator),
      now: () => new Date().toISOString(),
      newId: () => crypto.randomUUID(),
    },
  };
}
