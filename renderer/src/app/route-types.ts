// The shape of a route registry entry (routes.tsx), apart so that feature areas can export their
// entries without importing the registry that collects them.
import type { ReactNode } from 'react';
import type { Access } from './access';

export type AppRoute = {
  /** hash path; ":name" segments become params */
  path: string;
  title: string;
  icon?: ReactNode;
  /** in the side navigation, at this position */
  nav?: { order: number };
  /** beside the entry in the navigation, e.g. the inbox's count */
  badge?: () => ReactNode;
  /** never the desk's home by its position (the inbox is the home only while it holds work: Shell) */
  notHome?: boolean;
  /** what the screen needs (any one of them); [] = every desk */
  access: Access;
  /** whose data the screen shows, for the line above it (default: the desk's org and classes) */
  scope?: (params: Record<string, string>) => ReactNode;
  element: (params: Record<string, string>) => ReactNode;
};
