// The area desk's commands: which schools this machine holds (a city or the province keeps some offline
// and opens others on demand, shared/sync/selection.ts). Each writes the selection, removes the local
// records of a school no longer held and records the choice as a local event (R-WHO).
import { refuse } from '../../../../shared/commands/types';
import type { EventDoc } from '../../../../shared/domain/schemas';
import {
  cacheSchool,
  choosesSchools,
  dropSchool,
  keepSchool,
  type SchoolSelection,
  type SelectionChange,
} from '../../../../shared/sync/selection';
import type { CommandContext } from '../command-context';
import { readSelection, removeSchoolRecords, writeSelection } from '../selection';

type Args = { schoolId: string };

async function change(
  ctx: CommandContext,
  args: Args,
  action: 'desk-keep-school' | 'desk-cache-school' | 'desk-drop-school',
  decide: (sel: SchoolSelection, at: string) => SelectionChange,
) {
  const installation = ctx.installation;
  if (!installation?.user || !choosesSchools(installation.user))
    return refuse({
      field: 'schoolId',
      code: 'NOT_CHOOSING',
      message: '本机保存整个辖区的数据，不需要选择学校',
    });
  const school = await ctx.db.orgs.findOne(args.schoolId).exec();
  if (school?.kind !== 'school' || !school.path.startsWith(installation.user.orgPath))
    return refuse({ field: 'schoolId', code: 'NOT_FOUND', message: '找不到该学校，或它不在本单位辖区内' });
  const at = ctx.env.now();
  const before = await readSelection(ctx.db);
  const { selection, dropped } = decide(before, at);
  if (selection === before) return { ok: true as const, selection, dropped: [] as string[] };
  const event: EventDoc = {
    id: ctx.env.newId(),
    schoolId: school.id,
    entity: 'org',
    entityId: school.id,
    action,
    at,
    by: ctx.env.actor.id,
    byName: ctx.env.actor.name,
    before: { kept: before.kept, cached: before.cached.map((c) => c.id) },
    after: { kept: selection.kept, cached: selection.cached.map((c) => c.id) },
  };
  await ctx.db.events.insert(event);
  // The selection first: the replication stops asking for a dropped school before its records go.
  await writeSelection(ctx.db, selection);
  const removed = await removeSchoolRecords(ctx.db, dropped);
  return { ok: true as const, selection, dropped, removed };
}

export const deskCommands = {
  /** Keeps a school offline on this machine (downloaded now, kept current). */
  'desk-keep-school': (ctx: CommandContext, args: Args) =>
    change(ctx, args, 'desk-keep-school', (sel) => keepSchool(sel, args.schoolId)),
  /** Opens a school not kept offline: it is downloaded into the cache of recently opened schools. */
  'desk-cache-school': (ctx: CommandContext, args: Args) =>
    change(ctx, args, 'desk-cache-school', (sel, at) => cacheSchool(sel, args.schoolId, at)),
  /** Stops holding a school: its records are removed from this machine (the server keeps them). */
  'desk-drop-school': (ctx: CommandContext, args: Args) =>
    change(ctx, args, 'desk-drop-school', (sel) => dropSchool(sel, args.schoolId)),
};
