// The app's one database (IndexedDB database "xueji"), opened once per window. Kept apart from
// database.ts (which only creates a database) so that the database layer does not import the commands
// that write to it: opening rolls back an unfinished import, which is a command's business.
import { rollbackUnfinishedImport } from './commands/import';
import { createXuejiDatabase, type XuejiDatabase } from './database';

let current: Promise<XuejiDatabase> | undefined;

/** The app's database singleton (IndexedDB database "xueji"). */
export function getDatabase(): Promise<XuejiDatabase> {
  // An import that a closed window or a crash left unfinished is rolled back before any screen reads.
  current ??= createXuejiDatabase().then(async (db) => {
    await rollbackUnfinishedImport(db);
    return db;
  });
  return current;
}
