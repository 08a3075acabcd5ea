// The server's figures of the area's schools (GET /api/orgs/stats): fetched when the screen opens and
// every few minutes while online, and kept in a local document so that offline the screen shows the
// last figures with their time. Schools held on this machine are counted locally instead (area-store).
import { useCallback, useEffect, useState } from 'react';
import type { AreaStats } from '../../../../shared/sync/protocol';
import type { XuejiDatabase } from '../../db/database';
import { syncService } from '../../sync/service';
import { useSyncStatus } from '../../sync/use-sync';

export const AREA_STATS_ID = 'area-stats';
const REFRESH_MS = 5 * 60_000;

export type AreaStatsState = {
  stats: AreaStats | null;
  /** the last attempt failed (offline, or the server refused): the figures shown are the kept ones */
  error: string | null;
  refresh(): void;
};

export function useAreaStats(db: XuejiDatabase): AreaStatsState {
  const [stats, setStats] = useState<AreaStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const status = useSyncStatus();
  const online = status.online && status.phase !== 'never';
  useEffect(() => {
    const sub = db
      .getLocal$<AreaStats>(AREA_STATS_ID)
      .subscribe((doc) => setStats(doc ? (doc.toJSON().data as AreaStats) : null));
    return () => sub.unsubscribe();
  }, [db]);
  const refresh = useCallback(() => {
    const api = syncService.current?.api;
    if (!api) return;
    api
      .get<AreaStats>('/api/orgs/stats')
      .then(async (s) => {
        await db.upsertLocal(AREA_STATS_ID, s);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [db]);
  useEffect(() => {
    if (!online) return;
    refresh();
    const t = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(t);
  }, [online, refresh]);
  return { stats, error, refresh };
}
