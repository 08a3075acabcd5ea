// 一公开: what a bureau publishes about a draw. Public: the matter, the date, the size of the register, the
// drawn objects (id and name) in draw order, the inspectors' names per object (unless the bureau withholds
// them), the seed, the inputs hash and the method, so the draw can be re-run by whoever holds the inputs.
// Not public: enforcement IDs (执法证号) and declared conflicts of interest, which are personal data of the
// staff; the bureau keeps the full inputs for an audit (docs/inspections.md "What is public").

import { type DrawResult, verifyDraw } from './draw';
import type { DrawInputs, DrawMatter } from './draw-input';
import { canonicalDrawInputs } from './draw-input';
import { DRAW_METHOD } from './draw-random';

export type InspectorNames = 'shown' | 'withheld';

export type DrawPublication = {
  title: string;
  matter: DrawMatter | null;
  /** the day of the draw, YYYY-MM-DD */
  date: string;
  registerSize: number;
  drawCount: number;
  perObject: number;
  method: typeof DRAW_METHOD;
  seed: DrawResult['seed'];
  inputsHash: string;
  rows: { no: number; object: { id: string; name: string }; inspectors: string[] | null }[];
};

export type PublicationOutcome =
  | { ok: true; publication: DrawPublication }
  | { ok: false; reasons: string[] };

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The public list of a draw; refused unless the result is exactly what its seed gives for these inputs. */
export function publishDraw(
  result: DrawResult,
  inputs: DrawInputs,
  options: { date: string; inspectorNames?: InspectorNames },
): PublicationOutcome {
  if (!DATE_RE.test(options.date))
    return { ok: false, reasons: [`公示日期应为 YYYY-MM-DD，现为“${options.date}”`] };
  const verified = verifyDraw(result, inputs);
  if (!verified.ok) return { ok: false, reasons: ['抽取结果未通过核验，不能公示', ...verified.reasons] };
  const c = canonicalDrawInputs(inputs);
  if (!c.ok) return { ok: false, reasons: c.problems.map((p) => p.message) };
  const objects = new Map(c.value.objects.map((o) => [o.id, o]));
  const names = new Map(c.value.inspectors.map((p) => [p.id, p.name]));
  const shown = (options.inspectorNames ?? 'shown') === 'shown';
  return {
    ok: true,
    publication: {
      title: c.value.matter ? `${c.value.matter.name}随机抽查名单` : '“双随机、一公开”随机抽查名单',
      matter: c.value.matter,
      date: options.date,
      registerSize: c.value.objects.length,
      drawCount: c.value.drawCount,
      perObject: c.value.perObject,
      method: DRAW_METHOD,
      seed: result.seed,
      inputsHash: result.inputsHash,
      rows: result.draws.map((d, i) => ({
        no: i + 1,
        object: { id: d.object, name: objects.get(d.object)?.name ?? d.object },
        inspectors: shown ? d.inspectors.map((p) => names.get(p) ?? p) : null,
      })),
    },
  };
}
