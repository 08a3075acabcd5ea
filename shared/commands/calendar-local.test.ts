// The local calendar layer's command decision: validated entries, an event with before and after (R-WHO).
import { describe, expect, it } from 'vitest';
import { decideLocalCalendar } from './calendar-local';

const env = {
  actor: { id: 'local:王老师', name: '王老师' },
  now: () => '2026-10-09T08:00:00.000Z',
  newId: () => 'e1',
};

describe('calendar-local-set', () => {
  it('keeps valid entries and records who changed them from what', () => {
    const d = decideLocalCalendar(
      { entries: [{ date: '2026-10-12', kind: 'holiday', note: '暴雨停课' }] },
      null,
      'S1',
      env,
    );
    expect(d.ok && d.calendar).toEqual({
      entries: [{ date: '2026-10-12', kind: 'holiday', note: '暴雨停课' }],
      updatedAt: '2026-10-09T08:00:00.000Z',
      updatedBy: 'local:王老师',
    });
    expect(d.ok && d.event).toMatchObject({
      entity: 'org',
      entityId: 'S1',
      action: 'calendar-local',
      byName: '王老师',
      before: { entries: [] },
    });
  });
  it('refuses a bad date with the field named', () => {
    const d = decideLocalCalendar({ entries: [{ date: '2026-10-32', kind: 'holiday' }] }, null, 'S1', env);
    expect(d.ok ? null : d.errors[0]).toMatchObject({ field: 'entries[0].date', code: 'INVALID' });
  });
});
