// The effective key-field set (★) in the app: the province's setting on its org document, pulled with the
// org tree (shared/domain/key-fields.ts, the same function the server's checks use).
import { useEffect, useState } from 'react';
import { effectiveKeyFields } from '../../../shared/domain/key-fields';
import type { OrgDoc } from '../../../shared/domain/schemas';
import type { XuejiDatabase } from './database';

export async function readKeyFields(db: XuejiDatabase): Promise<readonly string[]> {
  const provinces = await db.orgs.find({ selector: { kind: 'province' } }).exec();
  return effectiveKeyFields(provinces.map((d) => d.toJSON() as OrgDoc));
}

/** The effective key fields, live (a new province setting arrives with the next pull of orgs). */
export function useKeyFields(db: XuejiDatabase): readonly string[] {
  const [fields, setFields] = useState<readonly string[]>(() => effectiveKeyFields([]));
  useEffect(() => {
    const sub = db.orgs
      .find({ selector: { kind: 'province' } })
      .$.subscribe((docs) => setFields(effectiveKeyFields(docs.map((d) => d.toJSON() as OrgDoc))));
    return () => sub.unsubscribe();
  }, [db]);
  return fields;
}
