// A leaner `getLocal$` for RxDB's local documents. The local-documents plugin's `getLocal$(id)` listens to
// *every* change event of the database and starts one async step per written document (a mergeMap
// over promises, each one removed from an array when done): during a 20,000-student import that was
// 40,000 steps and about a second of main-thread work in rxjs alone, for every `getLocal$` subscriber
// (the settings and the sync account). This version looks at each change *bulk* once and reads the
// document only when a bulk of local-document changes touches it. Same result: the RxLocalDocument,
// or null once it is removed.

import type { RxChangeEventBulk, RxPlugin } from 'rxdb';
import type { Observable } from 'rxjs';
import { filter, startWith, switchMap } from 'rxjs';

type LocalParent = {
  /** set on collections, absent on the database */
  database?: unknown;
  name: string;
  eventBulks$: Observable<RxChangeEventBulk<unknown>>;
  getLocal(id: string): Promise<unknown>;
};

function leanGetLocal$(this: LocalParent, id: string): Observable<unknown> {
  // Local documents of the database carry no collection name; those of a collection carry its name.
  const collectionName = this.database ? this.name : undefined;
  return this.eventBulks$.pipe(
    filter(
      (bulk) =>
        bulk.isLocal &&
        bulk.collectionName === collectionName &&
        bulk.events.some((e) => e.documentId === id),
    ),
    startWith(null),
    switchMap(() => this.getLocal(id)),
  );
}

/** Add after RxDBLocalDocumentsPlugin: replaces `getLocal$` on databases and collections. */
export const LeanLocalDocumentsPlugin: RxPlugin = {
  name: 'xueji-lean-local-documents',
  rxdb: true,
  prototypes: {
    RxDatabase: (proto: { getLocal$?: unknown }) => {
      proto.getLocal$ = leanGetLocal$;
    },
    RxCollection: (proto: { getLocal$?: unknown }) => {
      proto.getLocal$ = leanGetLocal$;
    },
  },
};
