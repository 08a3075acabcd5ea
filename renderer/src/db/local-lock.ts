// The local lock's two halves (shared/commands/local-lock.ts has the rules): the stored part — the salted
// hash of the local password and the idle-time setting, in an RxDB local document — and the lock state of
// this window, which lives in memory only, so every start of the app (a reload, a new window) begins
// locked. Nothing of the roster is rendered while locked (features/lock/LockGate.tsx).
import { BehaviorSubject, map, type Observable } from 'rxjs';
import { DEFAULT_IDLE_MINUTES, type LockSource } from '../../../shared/commands/local-lock';
import { type LocalCredential, makeCredential, verifyCredential } from '../sync/credentials';
import type { XuejiDatabase } from './database';

export const LOCK_ID = 'local-lock';

export type LocalLock = {
  credential: LocalCredential;
  source: LockSource;
  idleMinutes: number;
  updatedAt: string;
};

export async function readLock(db: XuejiDatabase): Promise<LocalLock | null> {
  const doc = await db.getLocal<LocalLock>(LOCK_ID);
  return doc ? (doc.toJSON().data as LocalLock) : null;
}

export function lock$(db: XuejiDatabase): Observable<LocalLock | null> {
  return db.getLocal$<LocalLock>(LOCK_ID).pipe(map((doc) => (doc ? (doc.toJSON().data as LocalLock) : null)));
}

/** Stores a new local password (its salted hash), keeping the idle setting. */
export async function writeLockPassword(
  db: XuejiDatabase,
  password: string,
  source: LockSource,
  at: string,
): Promise<void> {
  const current = await readLock(db);
  await writeLockCredential(db, await makeCredential('local', password), source, at, current?.idleMinutes);
}

export async function writeLockCredential(
  db: XuejiDatabase,
  credential: LocalCredential,
  source: LockSource,
  at: string,
  idleMinutes = DEFAULT_IDLE_MINUTES,
): Promise<void> {
  const lock: LocalLock = { credential, source, idleMinutes, updatedAt: at };
  await db.upsertLocal(LOCK_ID, lock);
}

export async function writeIdleMinutes(db: XuejiDatabase, idleMinutes: number, at: string): Promise<void> {
  const current = await readLock(db);
  if (!current) throw new Error('尚未设置本机密码');
  await db.upsertLocal(LOCK_ID, { ...current, idleMinutes, updatedAt: at });
}

export async function checkLockPassword(db: XuejiDatabase, password: string): Promise<boolean> {
  const lock = await readLock(db);
  return lock ? verifyCredential(lock.credential, password) : false;
}

/** This window's lock state: locked at every start; unlocked by the password or a fresh login here. */
export const locked$ = new BehaviorSubject<boolean>(true);

export function lockNow(): void {
  locked$.next(true);
}

export function unlockWindow(): void {
  locked$.next(false);
}
