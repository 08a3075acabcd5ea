// Shapes shared by every command decision (STYLE rule 2): a command decides with pure logic here and
// the renderer (or the server) writes what it returns.
import type { FieldError } from '../validate/fields';

/** Who acts (R-WHO): recorded on every event. */
export type Actor = { id: string; name: string };

/** What a command needs from the outside world, injected so tests own time and ids (STYLE rule 9). */
export type CommandEnv = { actor: Actor; now: () => string; newId: () => string };

export type Refusal = { ok: false; errors: FieldError[] };
export type Decision<T> = ({ ok: true } & T) | Refusal;

export function refuse(...errors: FieldError[]): Refusal {
  return { ok: false, errors };
}
