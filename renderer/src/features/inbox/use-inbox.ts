// The 待办 inbox of this desk (R-DAILY): every provider of shared/inbox/providers.ts over the records this
// copy holds (already the user's scope), recomputed when one of the collections they read changes, and
// at midnight (an item becomes overdue the day after its last day).
import { useEffect, useMemo, useState } from 'react';
import { combineLatest, map, type Observable } from 'rxjs';
import { chinaDate } from '../../../../shared/calendar/china';
import { INBOX_COLLECTIONS, INBOX_PROVIDERS, type InboxRecords } from '../../../../shared/inbox/providers';
import { collectInbox, type InboxItem } from '../../../../shared/inbox/types';
import { useDesk } from '../../app/session';
import { useWorkflowUser } from '../changes/use-changes';

/** Today in China by this machine's clock (checked every minute). */
function useToday(): string {
  const [today, setToday] = useState(() => chinaDate(new Date().toISOString()));
  useEffect(() => {
    const t = setInterval(() => setToday(chinaDate(new Date().toISOString())), 60_000);
    return () => clearInterval(t);
  }, []);
  return today;
}

type AnyCollection = {
  find(): { $: Observable<{ toJSON(): Record<string, unknown> }[]> };
};

function useInboxRecords(): InboxRecords | undefined {
  const { db } = useDesk();
  const [records, setRecords] = useState<InboxRecords | undefined>(undefined);
  useEffect(() => {
    const names = INBOX_COLLECTIONS.filter((n) => n in db.collections);
    const sub = combineLatest(
      names.map((n) =>
        (db.collections[n as keyof typeof db.collections] as unknown as AnyCollection)
          .find()
          .$.pipe(map((docs) => [n, docs.map((d) => d.toJSON())] as const)),
      ),
    ).subscribe((pairs) => setRecords(Object.fromEntries(pairs)));
    return () => sub.unsubscribe();
  }, [db]);
  return records;
}

/** The user's items in inbox order; undefined until the copy has been read once. */
export function useInbox(): { items: InboxItem[] | undefined; today: string } {
  const records = useInboxRecords();
  const user = useWorkflowUser();
  const today = useToday();
  const items = useMemo(
    () => (records ? collectInbox(INBOX_PROVIDERS, records, { user, today }) : undefined),
    [records, user, today],
  );
  return { items, today };
}

/** What the badge counts: the items waiting for this user. */
export function waitingCount(items: readonly InboxItem[] | undefined): number | undefined {
  return items?.filter((i) => i.section === 'waiting').length;
}
