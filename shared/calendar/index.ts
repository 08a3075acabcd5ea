// The working-day calendar and date arithmetic (pure; see calendar.ts and docs/rules.md).
export * from './calendar';
export * from './china';
export * from './dates';
