// The typed command registry (STYLE rule 2, after Actual Budget's handlers): every write a user can
// make is one named handler, and screens call `send('student-update', {...})`; the compiler checks the
// name and the arguments. To add commands: write renderer/src/db/commands/<area>.ts exporting an object
// of handlers `(ctx: CommandContext, args) => Promise<result>` and spread it into `handlers` below.

import { getDatabase } from './app-database';
import { type CommandContext, commandContext } from './command-context';
import { archiveCommands } from './commands/archive';
import { calendarCommands } from './commands/calendar';
import { changeCommands } from './commands/changes';
import { deskCommands } from './commands/desk';
import { importCommands } from './commands/import';
import { inspectionCommands } from './commands/inspections';
import { lockCommands } from './commands/lock';
import { printCommands } from './commands/print';
import { schoolCommands } from './commands/school';
import { studentCommands } from './commands/student';
import { syncCommands } from './commands/sync';
import { verificationCommands } from './commands/verification';
import type { XuejiDatabase } from './database';

export const handlers = {
  ...schoolCommands,
  ...studentCommands,
  ...importCommands,
  ...archiveCommands,
  ...syncCommands,
  ...lockCommands,
  ...printCommands,
  ...calendarCommands,
  ...deskCommands,
  ...inspectionCommands,
  ...verificationCommands,
  ...changeCommands,
};

export type Handlers = typeof handlers;
export type CommandName = keyof Handlers;
export type CommandArgs<N extends CommandName> = Parameters<Handlers[N]>[1];
export type CommandResult<N extends CommandName> = Awaited<ReturnType<Handlers[N]>>;

/** Runs a command against a given database (tests pass an in-memory one). */
export async function sendTo<N extends CommandName>(
  db: XuejiDatabase,
  name: N,
  args: CommandArgs<N>,
  context?: Partial<CommandContext>,
): Promise<CommandResult<N>> {
  const ctx = { ...(await commandContext(db)), ...context };
  const handler = handlers[name] as (ctx: CommandContext, args: CommandArgs<N>) => Promise<CommandResult<N>>;
  return handler(ctx, args);
}

/** Runs a command against the app's database. */
export async function send<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
  return sendTo(await getDatabase(), name, args);
}
