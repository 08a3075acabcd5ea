// The 待办 inbox is every desk's (each provider decides what is the user's), with the count of what waits
// for the user beside its entry in the navigation.
import { CheckSquareOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import type { AppRoute } from '../../app/route-types';
import { InboxPage } from './InboxPage';
import { useInbox, waitingCount } from './use-inbox';

export const INBOX_PATH = '/inbox';

export function InboxBadge() {
  const { items } = useInbox();
  const n = waitingCount(items) ?? 0;
  return n > 0 ? (
    <Badge count={n} size="small" overflowCount={99} className="xj-nav-badge" data-testid="inbox-badge" />
  ) : null;
}

export const INBOX_ROUTES: AppRoute[] = [
  {
    path: INBOX_PATH,
    title: '待办',
    icon: <CheckSquareOutlined />,
    nav: { order: 1 },
    badge: () => <InboxBadge />,
    notHome: true,
    access: [],
    element: () => <InboxPage />,
  },
];
