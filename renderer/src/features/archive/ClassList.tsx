// Completeness by class: one button per class with its bar and figures, "全部班级" on top.
import { memo } from 'react';
import type { ClassCompleteness } from '../../../../shared/archive/checklist';

export const ALL = '';

const ClassButton = memo(function ClassButton({
  c,
  active,
  onPick,
}: {
  c: ClassCompleteness;
  active: boolean;
  onPick: (key: string) => void;
}) {
  const key = `${c.grade}\u0000${c.classId}`;
  const pct = c.students === 0 ? 0 : Math.round((c.complete / c.students) * 100);
  return (
    <button
      type="button"
      className={active ? 'xj-class xj-class-on' : 'xj-class'}
      data-class={c.classId}
      data-missing={c.missingParts}
      onClick={() => onPick(key)}
    >
      <span className="xj-class-name" title={c.classId}>
        {c.classId}
      </span>
      <span className="xj-class-bar">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="xj-class-figure">
        {c.complete}/{c.students}
        {c.missingParts > 0 ? <em> 缺{c.missingParts}</em> : null}
      </span>
    </button>
  );
});

/** Completeness by class; only the classes whose figures changed re-render after a mark. */
export const ClassList = memo(function ClassList({
  classes,
  active,
  complete,
  members,
  onPick,
}: {
  classes: ClassCompleteness[];
  active: string;
  complete: number;
  members: number;
  onPick: (key: string) => void;
}) {
  return (
    <div className="xj-class-list" data-testid="archive-classes">
      <button
        type="button"
        className={active === ALL ? 'xj-class xj-class-all xj-class-on' : 'xj-class xj-class-all'}
        onClick={() => onPick(ALL)}
        data-testid="archive-class-all"
      >
        <span className="xj-class-name">全部班级</span>
        <span className="xj-class-figure">
          {complete.toLocaleString('zh-CN')}/{members.toLocaleString('zh-CN')}
        </span>
      </button>
      {classes.map((c) => {
        const key = `${c.grade}\u0000${c.classId}`;
        return <ClassButton key={key} c={c} active={active === key} onPick={onPick} />;
      })}
    </div>
  );
});
