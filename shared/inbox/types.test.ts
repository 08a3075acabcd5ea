import { describe, expect, it } from 'vitest';
import { collectInbox, type InboxItem, type InboxProvider } from './types';

const user = {
  id: 'u1',
  username: 'a',
  displayName: '甲',
  role: 'schoolAdmin' as const,
  orgId: 'S1',
  orgName: '一中',
  orgPath: '/41/S1/',
  classIds: [],
};
const item = (id: string, over: Partial<InboxItem> = {}): InboxItem => ({
  id,
  kind: 'test',
  section: 'waiting',
  title: id,
  route: `/x/${id}`,
  since: '2026-10-01T00:00:00.000Z',
  ...over,
});

describe('R-DAILY inbox: collectInbox', () => {
  it('marks items overdue only after their last day and sorts overdue, then by due date, then age', () => {
    const provider: InboxProvider<InboxItem[]> = { kind: 'test', items: (records) => records };
    const items = collectInbox(
      [provider],
      [
        item('later', { due: { date: '2026-10-20', rule: 'R-1WEEK' } }),
        item('today', { due: { date: '2026-10-15', rule: 'R-1WEEK' } }),
        item('late', { due: { date: '2026-10-14', rule: 'R-REPORT-10' } }),
        item('mine', { section: 'started' }),
        item('undated', { since: '2026-09-01T00:00:00.000Z' }),
      ],
      { user, today: '2026-10-15' },
    );
    expect(items.map((i) => [i.id, i.overdue])).toEqual([
      ['late', true],
      ['today', false],
      ['later', false],
      ['undated', false],
      ['mine', false],
    ]);
  });
});
