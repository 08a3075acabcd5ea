// The inspection records on this machine (the parties' copies: a bureau its plans and inspections, an
// inspector those it was drawn for, a school its own), live; a record's evidence bytes read from the file
// store or fetched on demand; a command's refusal as one Chinese line.
import { useEffect, useState } from 'react';
import type { AttachmentDoc } from '../../../../shared/domain/schemas';
import type { VisitPack } from '../../../../shared/inspections/pack';
import type { InspectionRecord } from '../../../../shared/inspections/records';
import { useDesk } from '../../app/session';
import { packDocId } from '../../db/commands/inspections';
import { loadAttachment } from '../../sync/attachments-open';

export function useInspectionRecords(): InspectionRecord[] {
  const { db } = useDesk();
  const [docs, setDocs] = useState<InspectionRecord[]>([]);
  useEffect(() => {
    const sub = db.inspections
      .find()
      .$.subscribe((d) => setDocs(d.map((x) => x.toJSON() as unknown as InspectionRecord)));
    return () => sub.unsubscribe();
  }, [db]);
  return docs;
}

export function useInspectionRecord<T extends InspectionRecord>(id: string): T | null | undefined {
  const { db } = useDesk();
  const [doc, setDoc] = useState<T | null | undefined>(undefined);
  useEffect(() => {
    const sub = db.inspections
      .findOne(id)
      .$.subscribe((d) => setDoc(d ? (d.toJSON() as unknown as T) : null));
    return () => sub.unsubscribe();
  }, [db, id]);
  return doc;
}

export function useVisitPack(inspectionId: string): VisitPack | null {
  const { db } = useDesk();
  const [pack, setPack] = useState<VisitPack | null>(null);
  useEffect(() => {
    const sub = db
      .getLocal$<VisitPack>(packDocId(inspectionId))
      .subscribe((d) => setPack(d ? (d.toJSON().data as VisitPack) : null));
    return () => sub.unsubscribe();
  }, [db, inspectionId]);
  return pack;
}

/** The attachment records of one inspection record (its evidence and signatures). */
export function useEvidenceRecords(entityId: string): AttachmentDoc[] {
  const { db } = useDesk();
  const [docs, setDocs] = useState<AttachmentDoc[]>([]);
  useEffect(() => {
    const sub = db.attachments
      .find({ selector: { entity: 'inspection', entityId } })
      .$.subscribe((d) => setDocs(d.map((x) => x.toJSON() as AttachmentDoc)));
    return () => sub.unsubscribe();
  }, [db, entityId]);
  return docs;
}

/** An object URL of the evidence bytes (downloaded when not on this machine), or the reason it cannot be. */
export function useEvidenceUrl(sha256: string | undefined): { url: string | null; error: string | null } {
  const { db } = useDesk();
  const [state, setState] = useState<{ url: string | null; error: string | null }>({
    url: null,
    error: null,
  });
  useEffect(() => {
    if (!sha256) return;
    let url: string | null = null;
    let live = true;
    loadAttachment(db, sha256).then((r) => {
      if (!live) return;
      if (r.ok) {
        url = URL.createObjectURL(r.blob.bytes);
        setState({ url, error: null });
      } else setState({ url: null, error: r.message });
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [db, sha256]);
  return state;
}

/** A command's outcome as one line for a message (null when it went through). */
export function refusalText(r: { ok: boolean; errors?: { message: string }[] }): string | null {
  return r.ok ? null : (r.errors ?? []).map((e) => e.message).join('；') || '未能保存';
}
