// One folder of the drawer list: 学号, name, class, the parts as numbered boxes, missing count, last check.
import { memo } from 'react';
import { ARCHIVE_STATE_LABELS, checklistOf, lastCheckedAt } from '../../../../shared/archive/checklist';
import { chinaDate } from '../../../../shared/calendar/china';
import type { Student } from '../../../../shared/domain/student';

export const ROW_HEIGHT = 30;

/** The Beijing day of a check: one made at 07:30 on 3 December is from the 3rd, not the 2nd (UTC). */
export function shortDate(iso: string | undefined): string {
  return iso ? chinaDate(iso) : '';
}

// Memoised on the student object: the roster store replaces only the documents that changed, so a
// mark re-renders one row, not the visible page of rows (antd components are kept out of rows for speed).
export const FolderRow = memo(function FolderRow({
  student,
  schoolType,
  focused,
  index,
  onSelect,
}: {
  student: Student;
  schoolType: 'vocational' | 'k12';
  focused: boolean;
  index: number;
  onSelect: (index: number) => void;
}) {
  const parts = checklistOf(student, schoolType);
  const missing = parts.filter((p) => p.state === 'missing').length;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the list handles keys; a click only moves the focus
    <div
      className={focused ? 'xj-folder xj-folder-focused' : 'xj-folder'}
      onClick={() => onSelect(index)}
      data-testid="archive-folder"
      data-student-id={student.id}
      data-focused={focused || undefined}
      data-missing={missing}
    >
      <span className="xj-folder-no">{student.schoolNo}</span>
      <span className="xj-folder-name">{student.name}</span>
      <span className="xj-folder-class" title={student.classId}>
        {student.classId}
      </span>
      <span className="xj-folder-parts">
        {parts.map((p, i) => (
          <span
            key={p.id}
            className={`xj-part xj-part-${p.state}`}
            title={`${i + 1} ${p.title}：${ARCHIVE_STATE_LABELS[p.state]}`}
          >
            {i + 1}
          </span>
        ))}
      </span>
      <span className={missing === 0 ? 'xj-folder-state xj-state-ok' : 'xj-folder-state xj-state-missing'}>
        {missing === 0 ? '齐全' : `缺 ${missing}`}
      </span>
      <span className="xj-folder-checked">{shortDate(lastCheckedAt(student))}</span>
    </div>
  );
});
