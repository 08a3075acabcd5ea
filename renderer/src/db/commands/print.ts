// The print log: when a PDF leaves the app (printed, saved, opened in a window), each record in it gets a
// `form-print` event with the stamp its QR code carries and the data it was printed from (R-WHO: who
// printed what, when). 核验表单 (features/verify) checks a paper form against it.
import type { FormPrintRecord } from '../../../../shared/domain/history';
import type { EventDoc } from '../../../../shared/domain/schemas';
import type { CommandContext } from '../command-context';

export type PrintedSection = { studentId: string; recordId: string; hash: string; data: unknown };

export const printCommands = {
  async 'form-print-record'(
    ctx: CommandContext,
    args: Omit<FormPrintRecord, 'recordId' | 'hash'> & { sections: PrintedSection[] },
  ) {
    const schoolId = ctx.settings?.schoolId ?? '';
    const at = ctx.env.now();
    const events: EventDoc[] = args.sections.map((s) => ({
      id: ctx.env.newId(),
      schoolId,
      entity: 'student',
      entityId: s.studentId,
      action: 'form-print',
      at,
      by: ctx.env.actor.id,
      byName: ctx.env.actor.name,
      before: {},
      after: {
        formId: args.formId,
        formTitle: args.formTitle,
        recordId: s.recordId,
        hash: s.hash,
        printedAt: args.printedAt,
        via: args.via,
        data: s.data,
      },
    }));
    const { error } = await ctx.db.events.bulkInsert(events);
    if (error.length > 0) throw new Error(`打印记录未能保存（${error.length} 条）`);
    return { ok: true as const, events: events.length };
  },
};
