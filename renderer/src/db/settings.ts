// The installation's settings live in one RxDB local document (DESIGN.md: settings are local documents).
import { map, type Observable } from 'rxjs';
import type { LocalSettings } from '../../../shared/commands/school-setup';
import type { Actor } from '../../../shared/commands/types';
import type { XuejiDatabase } from './database';

export const SETTINGS_ID = 'settings';

export async function readSettings(db: XuejiDatabase): Promise<LocalSettings | null> {
  const doc = await db.getLocal<LocalSettings>(SETTINGS_ID);
  return doc ? (doc.toJSON().data as LocalSettings) : null;
}

export function settings$(db: XuejiDatabase): Observable<LocalSettings | null> {
  return db
    .getLocal$<LocalSettings>(SETTINGS_ID)
    .pipe(map((doc) => (doc ? (doc.toJSON().data as LocalSettings) : null)));
}

/** The local registrar who acts on this machine (R-WHO); accounts arrive with the sync issue. */
export function localActor(operatorName: string): Actor {
  return { id: `local:${operatorName}`, name: operatorName };
}
