// A student's history, newest first: each event's action, its changed fields and its note
// (shared/domain/history), as the student page and a request's deciding party read it.
import { Empty, Timeline } from 'antd';
import { describeEvent } from '../../../../shared/domain/history';
import { personName } from '../../../../shared/domain/names';
import type { EventDoc } from '../../../../shared/domain/schemas';
import { localTime } from './student-format';

/** The history, newest first: each event's action, its changed fields and its note (shared/domain/history). */
export function HistoryTimeline({ events }: { events: EventDoc[] }) {
  if (events.length === 0) return <Empty description="暂无修改记录" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      data-testid="history"
      items={events.map((e) => {
        const entry = describeEvent(e);
        return {
          key: e.id,
          children: (
            <div className="xj-event">
              <div>
                <b>{e.byName ?? personName(e.by)}</b> <span className="xj-muted">{localTime(e.at)}</span>
                <span className="xj-muted"> · {entry.action}</span>
              </div>
              {entry.changes.map((c) => (
                <div key={c.field} className="xj-change">
                  <span className="xj-change-label">{c.label}：</span>
                  <span className="xj-before">{c.before}</span>
                  {' → '}
                  <span className="xj-after">{c.after}</span>
                </div>
              ))}
              {entry.note ? <div className="xj-muted">{entry.note}</div> : null}
              {entry.reason ? <div className="xj-muted">原因：{entry.reason}</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}
