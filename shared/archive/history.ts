// The paper-archive screen's history column: one line per event of the student, the archive parts by
// their titles and states ("基本信息：缺 → 已归档"), other edits by the fields they changed.
import { archivePartsFor } from '../domain/archive';
import { describeEvent, eventActionLabel } from '../domain/history';
import type { EventDoc, SchoolType } from '../domain/schemas';
import type { ArchiveItemState } from '../domain/student';
import { ARCHIVE_STATE_LABELS } from './checklist';

type ArchiveEntry = { state?: ArchiveItemState } | null | undefined;

/** "档案核对：基本信息：缺 → 已归档；…" — the action in words, then what it did. */
export function archiveEventSummary(
  e: Pick<EventDoc, 'action' | 'before' | 'after' | 'reason'>,
  schoolType: SchoolType,
): string {
  const titles = new Map(archivePartsFor(schoolType).map((p) => [p.id, p.title]));
  const parts = Object.entries(e.after)
    .filter(([k]) => k.startsWith('archive.'))
    .map(([k, v]) => {
      const id = k.slice('archive.'.length);
      const title =
        titles.get(id) ??
        describeEvent({ action: e.action, before: {}, after: { [k]: v } }).changes[0]?.label ??
        id;
      const after = (v as ArchiveEntry)?.state;
      const before = (e.before[k] as ArchiveEntry)?.state;
      return `${title}：${before ? ARCHIVE_STATE_LABELS[before] : '未登记'} → ${after ? ARCHIVE_STATE_LABELS[after] : '未登记'}`;
    });
  const action = eventActionLabel(e.action);
  if (parts.length > 0) return `${action}：${parts.join('；')}`;
  const entry = describeEvent(e);
  const what =
    entry.changes.length > 0 ? entry.changes.map((c) => c.label).join('、') : (entry.note ?? entry.reason);
  return what ? `${action}：${what}` : action;
}
