// The bytes of attachments (scans of paper-archive parts), content-addressed by SHA-256 in their own
// IndexedDB database "xueji-files". Only metadata lives in the RxDB `attachments` collection (DESIGN.md
// "Sync": attachments move through their own queue, never inside documents).
// Plain IndexedDB rather than Dexie: rxdb ships its own Dexie (4.4.2) and the package's top-level one
// (4.4.7) refuses to load beside it ("Two different versions of Dexie loaded in the same app").

export type StoredBlob = { sha256: string; mime: string; size: number; bytes: Blob; storedAt: string };

const DB_NAME = 'xueji-files';
const STORE = 'blobs';
let opened: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'sha256' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('无法打开附件存储'));
  });
  return opened;
}

function request<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = run(tx.objectStore(STORE));
        let result: T;
        req.onsuccess = () => {
          result = req.result;
        };
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(tx.error ?? new Error('附件存储读写失败'));
        tx.onabort = () => reject(tx.error ?? new Error('附件存储写入被中止'));
      }),
  );
}

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function getBlob(sha256: string): Promise<StoredBlob | undefined> {
  return request<StoredBlob | undefined>('readonly', (s) => s.get(sha256));
}

/** Stores bytes once per content (the write has committed when this resolves); returns the SHA-256. */
export async function putBlob(bytes: ArrayBuffer, mime: string): Promise<string> {
  const sha256 = await sha256Hex(bytes);
  if (await getBlob(sha256)) return sha256;
  const blob: StoredBlob = {
    sha256,
    mime,
    size: bytes.byteLength,
    bytes: new Blob([bytes], { type: mime }),
    storedAt: new Date().toISOString(),
  };
  await request('readwrite', (s) => s.put(blob));
  return sha256;
}
