// How stored values read on screen and in the history: the shared descriptions (shared/domain/history),
// and the local time of an instant.
import dayjs from 'dayjs';

export { displayValue, historyFieldLabel } from '../../../../shared/domain/history';

/** An ISO instant in the machine's local time, as the registrar reads it. */
export function localTime(iso: string): string {
  return dayjs(iso).format('YYYY-MM-DD HH:mm:ss');
}
