// The bytes of attachments (scans of paper-archive parts), content-addressed by SHA-256 in their own
// IndexedDB database "xueji-files". Only metadata lives in the RxDB `attachments` collection (DESIGN.md
// "Sync": attachments move through their own queue, never inside documents).
// Plain IndexedDB rather than Dexie: rxdb ships its own Dexie (4.4.2) and the package's top-level one
// (4.4.7) refuses to load beside it ("Two different versions of Dexie loaded in the same app").
// Besides the bytes, the store remembers which server already holds which content (store "remote"), so
// the upload queue (renderer/src/sync/attachments.ts) does not ask the server again after every start.

export type StoredBlob = { sha256: string; mime: string; size: number; bytes: Blob; storedAt: string };

export type FileStore = {
  getBlob(sha256: string): Promise<StoredBlob | undefined>;
  /** Stores bytes once per content (the write has committed when this resolves); returns the SHA-256. */
  putBlob(bytes: ArrayBuffer, mime: string): Promise<string>;
  /** SHA-256 of every content held on this machine */
  localShas(): Promise<Set<string>>;
  /** SHA-256 of every content known to be complete on `server` */
  remoteShas(server: string): Promise<Set<string>>;
  markRemote(server: string, sha256: string): Promise<void>;
};

const BLOBS = 'blobs';
const REMOTE = 'remote';

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A file store in one IndexedDB database (tests pass their own factory to give each client its own). */
export function createFileStore(name = 'xueji-files', factory?: IDBFactory): FileStore {
  let opened: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    opened ??= new Promise((resolve, reject) => {
      const req = (factory ?? indexedDB).open(name, 2);
      req.onupgradeneeded = (event) => {
        // Version 1 held only the bytes; version 2 adds what each server already has (additive).
        if (event.oldVersion < 1) req.result.createObjectStore(BLOBS, { keyPath: 'sha256' });
        if (event.oldVersion < 2) req.result.createObjectStore(REMOTE, { keyPath: 'key' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('无法打开附件存储'));
    });
    return opened;
  };
  const request = <T>(
    store: string,
    mode: IDBTransactionMode,
    run: (s: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> =>
    open().then(
      (db) =>
        new Promise<T>((resolve, reject) => {
          const tx = db.transaction(store, mode);
          const req = run(tx.objectStore(store));
          let result: T;
          req.onsuccess = () => {
            result = req.result;
          };
          tx.oncomplete = () => resolve(result);
          tx.onerror = () => reject(tx.error ?? new Error('附件存储读写失败'));
          tx.onabort = () => reject(tx.error ?? new Error('附件存储写入被中止'));
        }),
    );
  const getBlob = (sha256: string) =>
    request<StoredBlob | undefined>(BLOBS, 'readonly', (s) => s.get(sha256));
  return {
    getBlob,
    async putBlob(bytes, mime) {
      const sha256 = await sha256Hex(bytes);
      if (await getBlob(sha256)) return sha256;
      const blob: StoredBlob = {
        sha256,
        mime,
        size: bytes.byteLength,
        bytes: new Blob([bytes], { type: mime }),
        storedAt: new Date().toISOString(),
      };
      await request(BLOBS, 'readwrite', (s) => s.put(blob));
      return sha256;
    },
    async localShas() {
      const keys = await request(BLOBS, 'readonly', (s) => s.getAllKeys());
      return new Set(keys.map(String));
    },
    async remoteShas(server) {
      // Keys are "server sha256": one key range per server.
      const range = IDBKeyRange.bound(`${server} `, `${server} \uffff`);
      const keys = await request(REMOTE, 'readonly', (s) => s.getAllKeys(range));
      return new Set(keys.map((k) => String(k).slice(server.length + 1)));
    },
    async markRemote(server, sha256) {
      await request(REMOTE, 'readwrite', (s) =>
        s.put({ key: `${server} ${sha256}`, at: new Date().toISOString() }),
      );
    },
  };
}

let fallback: FileStore | undefined;
/** The app's file store ("xueji-files" in this profile's IndexedDB). */
export function appFileStore(): FileStore {
  fallback ??= createFileStore();
  return fallback;
}

export function getBlob(sha256: string): Promise<StoredBlob | undefined> {
  return appFileStore().getBlob(sha256);
}

/** Stores bytes once per content (the write has committed when this resolves); returns the SHA-256. */
export function putBlob(bytes: ArrayBuffer, mime: string): Promise<string> {
  return appFileStore().putBlob(bytes, mime);
}
