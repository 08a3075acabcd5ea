// Opening an attachment from a screen: the local bytes when this machine has them, otherwise a download
// on demand through the running sync engine (a scan attached on another device of the school).
import { useSyncExternalStore } from 'react';
import { getBlob, type StoredBlob } from '../db/attachment-store';
import type { XuejiDatabase } from '../db/database';
import { AttachmentError, type AttachmentQueueState } from './attachments';
import { syncService } from './service';

export type OpenResult = { ok: true; blob: StoredBlob; downloaded: boolean } | { ok: false; message: string };

/**
 * `known` names the file when this copy holds no attachment record of it (a request's proof on the desk of
 * a party that pulls the request but not the school's records, e.g. a bureau of a transfer's other county).
 */
export async function loadAttachment(
  db: XuejiDatabase,
  sha256: string,
  known?: { name: string; mime?: string },
): Promise<OpenResult> {
  const local = await getBlob(sha256);
  if (local) return { ok: true, blob: local, downloaded: false };
  const meta = (await db.attachments.findOne({ selector: { sha256 } }).exec())?.toJSON();
  const name = meta?.name ?? known?.name ?? '扫描件';
  const engine = syncService.current;
  if (!engine)
    return {
      ok: false,
      message: `本机没有“${name}”的文件，且尚未登录省级平台：请在“同步”页登录后再打开，文件会自动下载`,
    };
  try {
    const blob = await engine.files.download(sha256, {
      name,
      mime: meta?.mime ?? known?.mime ?? 'application/octet-stream',
      size: meta?.size ?? 0,
    });
    return { ok: true, blob, downloaded: true };
  } catch (e) {
    return {
      ok: false,
      message: e instanceof AttachmentError ? e.message : `“${name}”下载失败：${String(e)}`,
    };
  }
}

const subscribe = (onChange: () => void) => {
  const sub = syncService.attachments$.subscribe(onChange);
  return () => sub.unsubscribe();
};
const snapshot = () => syncService.attachments$.getValue();

/** The attachment queue (uploads waiting or running, downloads, failures), live. */
export function useAttachmentQueue(): AttachmentQueueState {
  return useSyncExternalStore(subscribe, snapshot);
}
