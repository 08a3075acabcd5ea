// The installation's settings live in one RxDB local document (DESIGN.md: settings are local documents):
// a school desk (LocalSettings: its school) or an area desk (AreaSettings: a bureau, the province, an
// inspector; shared/commands/school-setup.ts).
import { map, type Observable } from 'rxjs';
import {
  type InstallationSettings,
  isAreaSettings,
  type LocalSettings,
} from '../../../shared/commands/school-setup';
import type { Actor } from '../../../shared/commands/types';
import type { XuejiDatabase } from './database';

export const SETTINGS_ID = 'settings';

/** The settings document, whichever desk this installation is (null before the first start). */
export async function readInstallation(db: XuejiDatabase): Promise<InstallationSettings | null> {
  const doc = await db.getLocal<InstallationSettings>(SETTINGS_ID);
  return doc ? (doc.toJSON().data as InstallationSettings) : null;
}

export function installation$(db: XuejiDatabase): Observable<InstallationSettings | null> {
  return db
    .getLocal$<InstallationSettings>(SETTINGS_ID)
    .pipe(map((doc) => (doc ? (doc.toJSON().data as InstallationSettings) : null)));
}

/** The settings of a school desk; null before the first start and on an area desk (no school of its own). */
export async function readSettings(db: XuejiDatabase): Promise<LocalSettings | null> {
  const s = await readInstallation(db);
  return s && !isAreaSettings(s) ? s : null;
}

/** The local registrar who acts on this machine (R-WHO); accounts arrive with the sync issue. */
export function localActor(operatorName: string): Actor {
  return { id: `local:${operatorName}`, name: operatorName };
}
