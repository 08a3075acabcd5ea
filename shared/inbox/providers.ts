// The inbox providers of every workflow (R-DAILY). Each domain adds its provider here: the change
// requests (shared/workflows), verification consequences, leave and appeals (shared/verification),
// inspection reports, publication and follow-ups (shared/inspections). The inbox screen passes the
// records the providers read (the user's own, already scoped by the server) and lists the result.
import { inspectionsInbox } from '../inspections/inbox';
import { verificationInbox } from '../verification/inbox';
import { changeRequestInbox } from '../workflows/inbox';
import type { InboxProvider } from './types';

/** What the providers read: the local copy's records by collection name. */
export type InboxRecords = Readonly<Record<string, readonly Record<string, unknown>[]>>;

/** The collections the providers read (the inbox screen subscribes to these); add yours beside your provider. */
export const INBOX_COLLECTIONS: readonly string[] = [
  'changeRequests',
  'orgs',
  'verifications',
  'leaves',
  'appeals',
  'inspections',
];

export const INBOX_PROVIDERS: readonly InboxProvider<InboxRecords>[] = [
  changeRequestInbox,
  verificationInbox,
  inspectionsInbox,
];
