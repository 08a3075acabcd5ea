// The pending-work inbox (待办, R-DAILY, YQ 四(一): the registrar sees pending work daily). Every
// workflow contributes items through a provider: a pure function from the records this copy holds to
// the items of one user. The inbox screen of every role lists the providers' items together: waiting
// for me, overdue (by working days, with the deadline's rule), started by me and where it stands.
// Providers live with their domain (shared/workflows, shared/verification, shared/inspections) and are
// listed in shared/inbox/providers.ts.
import type { Ymd } from '../calendar/dates';
import type { SyncUser } from '../sync/protocol';

export type InboxSection = 'waiting' | 'started' | 'info';

export type InboxItem = {
  /** stable across recomputations, e.g. `changeRequest:<id>:step2` */
  id: string;
  /** the provider's kind, e.g. 'changeRequest', 'verificationAction', 'inspectionReport' */
  kind: string;
  section: InboxSection;
  /** Chinese: what is to be done, e.g. "审批 转学申请：张三（郑州市第一中学 → 洛阳市第二中学）" */
  title: string;
  /** Chinese: where it stands, e.g. "第 2 步 / 共 4 步：转入学校所在教育局审核" */
  detail?: string;
  /** the student, school or record concerned, for grouping and search */
  subject?: { kind: 'student' | 'school' | 'class' | 'record'; id: string; name: string };
  /** the last day to act, its rule and whether the calendar is sure of that year */
  due?: { date: Ymd; rule: string; uncertain?: boolean };
  /** computed against today: overdue when `due.date` < today */
  overdue?: boolean;
  /** the app route that opens the work (hash path, e.g. /changes/<id>) */
  route: string;
  /** one click into what the item asks for (e.g. the pre-filled requests of a verification action) */
  links?: { label: string; route: string }[];
  /** for ordering within a section: ISO time the item arose */
  since: string;
};

/** What a provider gets: who asks, today, and a working-day calendar (shared/calendar). */
export type InboxContext = {
  user: SyncUser;
  today: Ymd;
};

/** A provider: the user's items from the records of its collections (already in the user's scope). */
export type InboxProvider<Records> = {
  kind: string;
  items(records: Records, ctx: InboxContext): InboxItem[];
};

const SECTION_ORDER: Record<InboxSection, number> = { waiting: 0, started: 1, info: 2 };

/** Overdue when the last day to act is before today (the due date itself is still in time). */
export function isOverdue(item: Pick<InboxItem, 'due'>, today: Ymd): boolean {
  return item.due !== undefined && item.due.date < today;
}

/** The items of every provider for one user, overdue marked, in inbox order. */
export function collectInbox<R>(
  providers: readonly InboxProvider<R>[],
  records: R,
  ctx: InboxContext,
): InboxItem[] {
  const items = providers.flatMap((p) => p.items(records, ctx));
  return sortInbox(items.map((i) => ({ ...i, overdue: isOverdue(i, ctx.today) })));
}

/** Waiting before started before info; overdue first, then by due date (soonest first), then oldest. */
export function sortInbox(items: readonly InboxItem[]): InboxItem[] {
  return [...items].sort(
    (a, b) =>
      SECTION_ORDER[a.section] - SECTION_ORDER[b.section] ||
      Number(b.overdue === true) - Number(a.overdue === true) ||
      (a.due?.date ?? '9999-12-31').localeCompare(b.due?.date ?? '9999-12-31') ||
      a.since.localeCompare(b.since),
  );
}
